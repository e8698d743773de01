"""Start an IPython kernel for graded code, behind a Python audit hook: ``python kernel_boot.py -f CONN``.

Runs inside the sandbox (or, without one, as the only guard on files and network). Before any
student code exists it installs an audit hook that cannot be removed, which

- refuses to open, list, change into, copy, link or run anything under a protected folder (the course
  root, the checkout the helpers come from, the instructor's home) except the allowed ones inside them
  (the kernel's own output folder, the Python installation, the helpers package);
- refuses writes outside the writable folders (the output folder, the private /tmp, /dev);
- refuses the network: connections and name lookups, except local IPC (Unix sockets inside the
  writable folders, already-connected sockets, and, in a sandbox with a network of its own, its
  loopback), which worker processes (DataLoader, multiprocessing, joblib) need;
- refuses new audit hooks;
- reports every refusal as one JSON line on the grader's report channel (a FIFO the grader reads).

When the grader runs as root it first becomes the job slot's own user. Then it starts the kernel
exactly as ``python -m ipykernel_launcher`` does. Standard library and ipykernel only: the course
package is not visible in the sandbox.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Callable

PATH_EVENTS = {
    # event -> (indexes of path arguments that are read, indexes that are written)
    "os.listdir": ((0,), ()),
    "os.scandir": ((0,), ()),
    "os.chdir": ((0,), ()),
    "glob.glob": ((0,), ()),
    "glob.glob/2": ((0,), ()),
    "sqlite3.connect": ((0,), ()),
    "shutil.copyfile": ((0,), (1,)),
    "shutil.copymode": ((0,), (1,)),
    "shutil.copystat": ((0,), (1,)),
    "shutil.copytree": ((0,), (1,)),
    "shutil.move": ((0,), (0, 1)),
    "shutil.rmtree": ((), (0,)),
    "shutil.make_archive": ((2,), (0,)),
    "shutil.unpack_archive": ((0,), (1,)),
    "os.mkdir": ((), (0,)),
    "os.rmdir": ((), (0,)),
    "os.remove": ((), (0,)),
    "os.rename": ((), (0, 1)),
    "os.link": ((0,), (1,)),
    "os.symlink": ((0,), (1,)),
    "os.truncate": ((), (0,)),
    "os.chmod": ((), (0,)),
    "os.chown": ((), (0,)),
    "os.utime": ((), (0,)),
    "os.chflags": ((), (0,)),
    "os.setxattr": ((), (0,)),
    "os.removexattr": ((), (0,)),
    "os.getxattr": ((0,), ()),
    "os.listxattr": ((0,), ()),
}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
NETWORK_EVENTS = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                  "socket.gethostbyname", "socket.gethostbyaddr", "socket.gethostbyname_ex"}
LOOKUP_EVENTS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.gethostbyname_ex"}
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}
PROCESS_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn"}


def make_hook(rules: dict, report_fd: int | None) -> Callable[[str, tuple], None]:
    """Build the audit hook from the grader's rules; everything it uses is bound locally."""
    protected = tuple(rules.get("protected", ()))
    allowed = tuple(rules.get("allowed", ()))
    writable = tuple(rules.get("writable", ()))
    abspath, fspath, getcwd = os.path.abspath, os.fspath, os.getcwd
    write, dumps, fsdecode = os.write, json.dumps, os.fsdecode
    path_events, network_events, process_events = (dict(PATH_EVENTS), frozenset(NETWORK_EVENTS),
                                                   frozenset(PROCESS_EVENTS))
    write_flags = WRITE_FLAGS
    private_network = bool(rules.get("private_network", False))
    loopback_names = frozenset(LOOPBACK_NAMES)
    lookup_events = frozenset(LOOKUP_EVENTS)
    watched = frozenset(path_events) | network_events | process_events | {"open", "sys.addaudithook"}

    def under(path: str, prefixes: tuple) -> bool:
        for prefix in prefixes:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return True
        return False

    def refuse(kind: str, detail: str) -> None:
        if report_fd is not None:
            try:
                write(report_fd, (dumps({"kind": kind, "detail": detail[:300]}) + "\n").encode())
            except OSError:
                pass
        raise PermissionError(f"Blocked by the grading sandbox: {detail}")

    def normal(path) -> str | None:
        if path is None or isinstance(path, int):
            return None
        try:
            return abspath(fsdecode(fspath(path)))
        except (TypeError, ValueError):
            return None

    def check(path, writing: bool) -> None:
        target = normal(path)
        if target is None:
            return
        if under(target, protected) and not under(target, allowed):
            refuse("protected path", f"{'write' if writing else 'read'} {target}")
        if writing and not under(target, writable):
            refuse("write outside output folder", f"write {target}")

    def check_command(words) -> None:
        if isinstance(words, (str, bytes)):
            words = fsdecode(words).replace("'", " ").replace('"', " ").split()
        cwd = getcwd()
        for word in words or ():
            try:
                word = fsdecode(fspath(word))
            except TypeError:
                continue
            for token in word.replace("=", " ").split():
                candidate = abspath(token if token.startswith("/") else cwd + "/" + token)
                if (("/" in token or token.startswith("."))
                        and under(candidate, protected) and not under(candidate, allowed)):
                    refuse("protected path", f"run a command on {candidate}")

    def network(event: str, args: tuple) -> None:
        if event in lookup_events:
            name = args[0] if args else None
            if private_network and fsdecode(name or b"") in loopback_names:
                return
            refuse("network", f"{event} {name!r}")
        address = args[1] if len(args) > 1 else None
        if address is None and event == "socket.sendmsg":
            return  # a connected socket (socketpair, or a connect already checked): local IPC
        if isinstance(address, (str, bytes)):  # AF_UNIX: a path, or "\0name" in the abstract namespace
            path = fsdecode(address)
            if path.startswith("\0") or not path:
                if private_network:
                    return
                refuse("network", f"{event} abstract Unix socket {path[1:]!r}")
            target = normal(path)
            if (target is None or not under(target, writable)
                    or (under(target, protected) and not under(target, allowed))):
                refuse("network", f"{event} Unix socket {target or path}")
            return
        host = address[0] if isinstance(address, tuple) and address else None
        if private_network and isinstance(host, str) and (host in loopback_names or host.startswith("127.")):
            return
        refuse("network", f"{event} {address!r}")

    def hook(event: str, args: tuple) -> None:
        if event not in watched:
            return
        if event == "open":
            path, mode, flags = args
            check(path, bool((flags or 0) & write_flags) or (isinstance(mode, str) and any(c in mode for c in "wax+")))
        elif event in path_events:
            reads, writes = path_events[event]
            for index in reads:
                if index < len(args):
                    check(args[index], False)
            for index in writes:
                if index < len(args):
                    check(args[index], True)
        elif event in network_events:
            network(event, args)
        elif event in process_events:
            if event == "os.system":
                check_command(args[0])
            elif event == "subprocess.Popen":
                check_command(args[1] if isinstance(args[1], (list, tuple)) else [args[1]])
                check(args[2], False)
            else:
                check(args[0], False)
                check_command(args[1])
        elif event == "sys.addaudithook":
            refuse("audit hook", "add an audit hook")

    return hook


def drop_privileges(uid: int, gid: int) -> None:
    """Become the job slot's own user (bubblewrap left only this capability), with no way back."""
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise SystemExit("kernel_boot: could not drop privileges")


def main() -> None:
    rules = json.loads(os.environ.pop("COURSE_GRADER_RULES", "{}"))
    if rules.get("uid") is not None:
        drop_privileges(rules["uid"], rules["gid"])
    fd_text = os.environ.pop("COURSE_GRADER_REPORT_FD", "")
    report_fd = int(fd_text) if fd_text else None
    sys.addaudithook(make_hook(rules, report_fd))
    # Like ``python -m ipykernel_launcher``: the kernel does not import from this script's folder.
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
