"""The sandbox: its command line, the launcher's limits, the kernel's audit hook, and a live bubblewrap."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.grading import kernel_boot
from course.grading.records import BUBBLEWRAP, RLIMITS, Limits, Sandbox
from course.grading.sandbox import LAUNCHER, bwrap_args, choose_sandbox, plan_kernel, protected_paths
from course.grading.worker import share_with_group

REPO = Path(__file__).resolve().parents[3]
needs_bwrap = pytest.mark.skipif(choose_sandbox("auto", Limits()).mode != BUBBLEWRAP,
                                 reason="bubblewrap is not usable here (`make system-deps` installs it)")


def spec_of(argv: list[str]) -> dict:
    assert argv[:4] == [sys.executable, "-I", "-S", str(LAUNCHER)]
    return json.loads(argv[4])


def test_rlimits_mode_says_why_and_what_it_enforces():
    sandbox = choose_sandbox(RLIMITS, Limits(notebook_seconds=30, memory_bytes=2 * 1024**3))
    text = sandbox.describe()
    assert sandbox.mode == RLIMITS and "requested with --sandbox rlimits" in text
    assert "audit hook" in text and "30 s per notebook" in text and "2 GiB memory" in text


def test_bubblewrap_command_isolates_network_processes_and_files(tmp_path):
    sandbox = Sandbox(BUBBLEWRAP, Limits(), bwrap="bwrap")
    out, run = tmp_path / "course" / "autograded" / "s" / "day", tmp_path / "run"
    args = bwrap_args(sandbox, out, run)
    for flag in ("--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent"):
        assert flag in args
    binds = {args[i + 1]: args[i] for i, a in enumerate(args) if a in ("--bind", "--ro-bind")}
    assert binds[str(out)] == "--bind" and binds[str(run)] == "--bind"
    assert str(tmp_path / "course") not in binds  # the course root itself is never visible
    assert str(REPO / "helpers") in binds and binds[str(REPO / "helpers")] == "--ro-bind"
    assert str(REPO) not in binds and str(REPO / "source") not in binds


def test_kernel_plan_carries_limits_rules_and_a_clean_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "do-not-leak")
    sandbox = Sandbox(RLIMITS, Limits(memory_bytes=123 * 1024**2, file_bytes=7 * 1024**2), threads=1)
    out, run = tmp_path / "course" / "autograded" / "s" / "day", tmp_path / "run"
    plan = plan_kernel(sandbox, 0, tmp_path / "course", out, run, tmp_path / "fifo", ["python", "-c", "pass"])
    spec = spec_of(plan.argv)
    assert spec["argv"] == ["python", "-c", "pass"]
    assert spec["limits"]["memory"] == 123 * 1024**2 and spec["limits"]["file_size"] == 7 * 1024**2
    env = spec["env"]
    assert "SECRET_TOKEN" not in env and env["NBGRADER_EXECUTION"] == "autograde" and env["OMP_NUM_THREADS"] == "1"
    rules = json.loads(env["COURSE_GRADER_RULES"])
    assert str((tmp_path / "course").resolve()) in rules["protected"]
    assert str(out.resolve()) in rules["allowed"] and str(out.resolve()) in rules["writable"]


def test_launcher_applies_the_limits_before_the_command_starts(tmp_path):
    code = ("import resource; print(resource.getrlimit(resource.RLIMIT_AS)[0], "
            "resource.getrlimit(resource.RLIMIT_FSIZE)[0], resource.getrlimit(resource.RLIMIT_CORE)[0])")
    spec = {"env": {"PATH": "/usr/bin:/bin"}, "limits": {"memory": 2 * 1024**3, "file_size": 1024**2, "core": 0},
            "argv": [sys.executable, "-I", "-c", code]}
    done = subprocess.run([sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(spec)], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.split() == [str(2 * 1024**3), str(1024**2), "0"], done.stderr


def hook_with_channel(tmp_path):
    read, write = os.pipe()
    os.set_blocking(read, False)
    rules = {"protected": [str(tmp_path / "course")], "allowed": [str(tmp_path / "course" / "autograded" / "me")],
             "writable": [str(tmp_path / "course" / "autograded" / "me"), "/tmp"]}
    return kernel_boot.make_hook(rules, write), read


def test_audit_hook_refuses_and_reports_protected_reads_writes_and_network(tmp_path):
    hook, channel = hook_with_channel(tmp_path)
    secret = str(tmp_path / "course" / "source" / "day.ipynb")
    refused = [("open", (secret, "r", os.O_RDONLY)), ("os.listdir", (str(tmp_path / "course"),)),
               ("open", ("/etc/evil", "w", os.O_WRONLY | os.O_CREAT)),
               ("socket.getaddrinfo", ("example.org", 80, 0, 0, 0)),
               ("socket.connect", (None, ("10.0.0.1", 80))),
               ("os.system", (f"cat {secret}",)), ("sys.addaudithook", ())]
    for event, args in refused:
        with pytest.raises(PermissionError, match="grading sandbox"):
            hook(event, args)
    reports = [json.loads(line) for line in os.read(channel, 65536).decode().splitlines()]
    assert [r["kind"] for r in reports] == ["protected path", "protected path", "write outside output folder",
                                            "network", "network", "protected path", "audit hook"]


def test_audit_hook_allows_the_kernels_own_folder_and_ordinary_files(tmp_path):
    hook, channel = hook_with_channel(tmp_path)
    mine = str(tmp_path / "course" / "autograded" / "me" / "out.txt")
    for event, args in [("open", (mine, "w", os.O_WRONLY | os.O_CREAT)), ("open", ("/etc/hostname", "r", 0)),
                        ("open", ("/tmp/scratch", "w", os.O_WRONLY)), ("os.listdir", ("/usr",)),
                        ("compile", (None, "x")), ("socket.connect", (None, str(tmp_path / "kernel-1")))]:
        hook(event, args)
    with pytest.raises(BlockingIOError):
        os.read(channel, 100)


def test_audit_hook_allows_local_ipc_and_refuses_the_network(tmp_path):
    hook, channel = hook_with_channel(tmp_path)
    mine = str(tmp_path / "course" / "autograded" / "me")
    local = [("socket.bind", (None, f"{mine}/listener-1")), ("socket.connect", (None, "/tmp/pymp-x/listener-2")),
             ("socket.sendmsg", (None, None)), ("socket.sendto", (None, f"{mine}/dgram"))]
    for event, args in local:  # multiprocessing's listener, DataLoader's file descriptors, a socketpair
        hook(event, args)
    refused = [("socket.connect", (None, "/var/run/docker.sock")), ("socket.bind", (None, "/etc/evil.sock")),
               ("socket.connect", (None, "\0abstract")), ("socket.connect", (None, ("127.0.0.1", 8888))),
               ("socket.bind", (None, ("0.0.0.0", 80))), ("socket.getaddrinfo", ("localhost", 80, 0, 0, 0)),
               ("socket.connect", (None, f"{tmp_path}/course/gradebook.sock"))]
    for event, args in refused:
        with pytest.raises(PermissionError, match="grading sandbox"):
            hook(event, args)
    kinds = [json.loads(line)["kind"] for line in os.read(channel, 65536).decode().splitlines()]
    assert kinds == ["network"] * len(refused)


def test_a_sandbox_with_its_own_network_may_use_its_loopback(tmp_path):
    rules = {"protected": [str(tmp_path)], "allowed": [], "writable": ["/tmp"], "private_network": True}
    hook = kernel_boot.make_hook(rules, None)
    for event, args in [("socket.connect", (None, ("127.0.0.1", 8786))), ("socket.bind", (None, ("localhost", 0))),
                        ("socket.getaddrinfo", ("localhost", 0, 0, 0, 0)), ("socket.bind", (None, "\0dask"))]:
        hook(event, args)
    for event, args in [("socket.connect", (None, ("198.51.100.7", 80))), ("socket.getaddrinfo", ("example.org", 80))]:
        with pytest.raises(PermissionError):
            hook(event, args)


def test_worker_processes_run_behind_the_audit_hook_and_the_network_stays_closed(tmp_path):
    """What ``--sandbox rlimits`` relies on alone: Pool, a Manager (Unix sockets) and semaphores work."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    rules = {"protected": [str(REPO)], "allowed": [], "writable": [str(tmp_path), "/dev"]}
    code = (f"import json, sys; sys.path.insert(0, {str(REPO / 'course' / 'grading')!r})\n"
            "import kernel_boot\n"
            f"sys.addaudithook(kernel_boot.make_hook(json.loads({json.dumps(json.dumps(rules))}), None))\n"
            "import multiprocessing as mp, socket\n"
            "if __name__ == '__main__':\n"
            "    with mp.Pool(2) as pool:\n        print(sum(pool.map(abs, [-1, -2])))\n"
            "    with mp.Manager() as manager:\n        d = manager.dict(a=1)\n        print(d['a'])\n"
            "    try:\n        socket.create_connection(('198.51.100.7', 80), timeout=2)\n"
            "    except PermissionError:\n        print('no network')\n")
    script = tmp_path / "job.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp)}, cwd=tmp_path)
    assert done.stdout.split() == ["3", "1", "no", "network"], done.stderr


def test_slots_have_users_of_their_own_and_share_a_group():
    sandbox = Sandbox(BUBBLEWRAP, Limits(), switch_uid=True, run_id=7)
    (uid0, gid0), (uid1, gid1) = sandbox.slot_ids(0), sandbox.slot_ids(1)
    assert uid0 != uid1 and gid0 == gid1
    assert Sandbox(RLIMITS, Limits()).slot_ids(0) is None


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's group to another one needs root")
def test_an_output_folder_is_shared_with_the_kernels_group_without_following_links(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "secret.txt"
    (out / "data").mkdir(parents=True)
    (out / "p1.ipynb").write_text("{}")
    (out / "p1.ipynb").chmod(0o644)
    outside.write_text("keep")
    outside.chmod(0o600)
    (out / "link").symlink_to(outside)
    share_with_group(out, 4242)
    for path in (out, out / "data", out / "p1.ipynb"):
        assert path.stat().st_gid == 4242
    assert out.stat().st_mode & 0o2070 == 0o2070 and (out / "p1.ipynb").stat().st_mode & 0o060 == 0o060
    assert outside.stat().st_mode & 0o777 == 0o600 and outside.stat().st_gid != 4242
    assert (out / "link").lstat().st_gid == 4242


def test_protected_paths_cover_course_checkout_and_home(tmp_path):
    paths = protected_paths(tmp_path)
    assert str(tmp_path.resolve()) in paths and str(REPO) in paths and str(Path.home().resolve()) in paths


@needs_bwrap
def test_live_sandbox_hides_the_course_and_the_network(tmp_path):
    sandbox = choose_sandbox(BUBBLEWRAP, Limits())
    out, run = tmp_path / "out", tmp_path / "run"
    out.mkdir()
    run.mkdir()
    owner = sandbox.slot_ids(0)
    code = ("import os, socket, sys\n"
            f"print(os.path.exists({str(REPO / 'source')!r}), os.path.exists({str(REPO / 'helpers')!r}))\n"
            "open('written.txt', 'w').write('ok')\n"
            "try:\n    open('/usr/evil', 'w')\nexcept OSError:\n    print('read-only')\n"
            "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=2)\n"
            "except OSError:\n    print('no network')\n")
    if owner is not None:
        os.chown(out, *owner)
        code = f"import os; os.setgroups([]); os.setgid({owner[1]}); os.setuid({owner[0]})\n" + code
    spec = {"env": {"PATH": "/usr/bin:/bin"}, "limits": {"core": 0},
            "argv": bwrap_args(sandbox, out, run) + ["--", sys.executable, "-I", "-c", code]}
    done = subprocess.run([sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(spec)], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.split("\n")[:3] == ["False True", "read-only", "no network"], done.stderr
    assert (out / "written.txt").read_text() == "ok"
    shutil.rmtree(out)


@needs_bwrap
def test_live_sandbox_runs_worker_processes_with_semaphores(tmp_path):
    sandbox = choose_sandbox(BUBBLEWRAP, Limits())
    out, run = tmp_path / "out", tmp_path / "run"
    out.mkdir()
    run.mkdir()
    owner = sandbox.slot_ids(0)
    code = ("import multiprocessing as mp\n"
            "lock = mp.Lock()\n"
            "with mp.Pool(2) as pool:\n    print(sum(pool.map(abs, [-1, -2, -3])))\n"
            "listener = mp.connection.Listener()\nprint(listener.address.startswith('/tmp/'))\n")
    code = "import multiprocessing.connection\n" + code
    if owner is not None:
        os.chown(out, *owner)
        code = f"import os; os.setgroups([]); os.setgid({owner[1]}); os.setuid({owner[0]})\n" + code
    spec = {"env": {"PATH": "/usr/bin:/bin", "TMPDIR": "/tmp"}, "limits": {"core": 0, "processes": 64},
            "argv": bwrap_args(sandbox, out, run) + ["--", sys.executable, "-I", "-c", code]}
    done = subprocess.run([sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(spec)], capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.split() == ["6", "True"], done.stderr
    shutil.rmtree(out)
