"""Install the course's packages into the running Python environment, with the CPU build of PyTorch.

``python -m course.install --torch torch==2.13.0 --cpu-index URL -- -e .[test]`` (``make install``
runs it with the new ``.venv``'s Python). On PyPI, Linux wheels of torch are the CUDA build, which
pulls about 17 ``nvidia-*`` packages (several GB) that a CPU course never uses. So on Linux, unless
``--torch-build cuda`` asks for CUDA, torch comes from PyTorch's own CPU wheel index: the install
first checks, with a short timeout, that the index answers. Where it does not (a machine that sees
only a package mirror, say), torch comes from the default package index instead, and the install
says so, and says again at the end which build it got. macOS and Windows wheels on PyPI are CPU
builds already.

What was asked for and what was installed is recorded in ``<environment>/torch-build.json``; the
test suite reads it to check that the environment has no CUDA unless CUDA was asked for.

Standard library only: this runs before anything else is installed (the bundle for students ships
it as ``install.py``).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

CPU_INDEX = "https://download.pytorch.org/whl/cpu"
RECORD = "torch-build.json"
DEFAULT_SOURCE = "the default package index"
BUILDS = ("cpu", "cuda")


@dataclass(frozen=True)
class TorchPlan:
    """Where torch comes from: the requirement, pip's extra options and a sentence for the user."""

    requirement: str
    pip_options: tuple[str, ...]
    source: str
    notice: str


def reachable(index_url: str, seconds: float) -> tuple[bool, str]:
    """Whether ``index_url`` answers within ``seconds`` (checked on its ``torch/`` page); and why not."""
    url = index_url.rstrip("/") + "/torch/"
    try:
        with urllib.request.urlopen(url, timeout=seconds):  # the status line is enough; the body is not read
            return True, ""
    except urllib.error.HTTPError as err:
        return False, f"it answered HTTP {err.code}"
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        return False, str(reason) or type(err).__name__


def torch_plan(torch: str, build: str, system: str, cpu_index: str, index_ok: bool, why_not: str = "") -> TorchPlan:
    """Decide where ``torch`` (a pin such as ``torch==2.13.0``) comes from.

    ``build`` is ``cpu`` or ``cuda``; ``system`` is ``platform.system()``; ``index_ok`` says whether
    ``cpu_index`` answered. Raises ValueError for an unknown build.
    """
    if build not in BUILDS:
        raise ValueError(f"unknown torch build {build!r}; choose one of {', '.join(BUILDS)}")
    if build == "cuda":
        return TorchPlan(torch, (), DEFAULT_SOURCE,
                         "PyTorch: the default build from your package index, as asked (TORCH_BUILD=cuda): on Linux "
                         "the CUDA build with its nvidia-* packages, several GB.")
    if system != "Linux":
        return TorchPlan(torch, (), DEFAULT_SOURCE,
                         f"PyTorch: the {system} build from your package index (a CPU build).")
    if index_ok:
        return TorchPlan(f"{torch}+cpu", ("--extra-index-url", cpu_index), cpu_index,
                         f"PyTorch: the CPU build from PyTorch's CPU index, {cpu_index}.")
    return TorchPlan(torch, (), DEFAULT_SOURCE,
                     f"PyTorch: PyTorch's CPU index ({cpu_index}) cannot be reached ({why_not}), so torch comes "
                     "from your default package index instead. If that index only has the CUDA build (as PyPI "
                     "does), the download is several GB; `make test` reports which build you got.")


def pip_sources() -> str:
    """The package sources pip is configured with here (``pip config list``): index, extra indexes, find-links."""
    done = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, check=False)
    found: dict[str, list[str]] = {"index-url": [], "extra-index-url": [], "find-links": []}
    for line in done.stdout.splitlines():
        key, _, value = line.partition("=")
        option = key.rsplit(".", 1)[-1]
        if option in found:
            for item in value.strip().strip("'\"").split():
                if item not in found[option]:
                    found[option].append(item)
    parts = [", ".join(found["index-url"][-1:] or ["https://pypi.org/simple"])]
    if found["extra-index-url"]:
        parts.append("extra index " + ", ".join(found["extra-index-url"]))
    if found["find-links"]:
        parts.append("find-links " + ", ".join(found["find-links"]))
    return "; ".join(parts)


def pip_command(plan: TorchPlan, packages: list[str], quiet: bool = True) -> list[str]:
    """The pip command that installs torch by ``plan`` together with ``packages`` (one resolution)."""
    return [sys.executable, "-m", "pip", "install", *(["--quiet"] if quiet else []), *plan.pip_options,
            plan.requirement, *packages]


def installed_torch() -> dict:
    """Version and CUDA version of the torch this environment imports (in a fresh interpreter)."""
    code = "import json, torch; print(json.dumps({'version': torch.__version__, 'cuda': torch.version.cuda}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"version": None, "cuda": None, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout)


def describe_build(torch_info: dict) -> str:
    """``torch 2.13.0+cpu, a CPU build`` or ``torch 2.13.0, a CUDA 13.0 build``."""
    if torch_info.get("version") is None:
        return "torch could not be imported"
    kind = f"a CUDA {torch_info['cuda']} build" if torch_info.get("cuda") else "a CPU build"
    return f"torch {torch_info['version']}, {kind}"


def record_path(prefix: str | None = None) -> Path:
    """Where the install records the torch build it was asked for and got."""
    return Path(prefix or sys.prefix) / RECORD


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.install", description=__doc__.split("\n\n")[0])
    parser.add_argument("--torch", default="torch==2.13.0", help="the torch pin (as in pyproject.toml)")
    parser.add_argument("--torch-build", default="cpu", choices=BUILDS, help="cpu (default) or cuda")
    parser.add_argument("--cpu-index", default=CPU_INDEX, help="PyTorch's CPU wheel index")
    parser.add_argument("--probe-seconds", type=float, default=5.0, help="how long to wait for the CPU index")
    parser.add_argument("--dry-run", action="store_true", help="print the pip command instead of running it")
    parser.add_argument("packages", nargs="*", help="what else to install, e.g. -e .[test] (after --)")
    args = parser.parse_args(argv)

    system = platform.system()
    index_ok, why_not = False, ""
    if args.torch_build == "cpu" and system == "Linux":
        index_ok, why_not = reachable(args.cpu_index, args.probe_seconds)
    plan = torch_plan(args.torch, args.torch_build, system, args.cpu_index, index_ok, why_not)
    if plan.source == DEFAULT_SOURCE:
        plan = replace(plan, source=f"{DEFAULT_SOURCE} ({pip_sources()})")
    command = pip_command(plan, args.packages)
    print(plan.notice, flush=True)
    if args.dry_run:
        print(f"torch source: {plan.source}\npip command: {' '.join(command)}")
        return 0
    others = f" and {' '.join(args.packages)}" if args.packages else ""
    print(f"Installing {plan.requirement}{others} with pip, quietly: the first time takes about 5-10 minutes and "
          "downloads 1-2 GB ...", flush=True)
    start = time.monotonic()
    done = subprocess.run(command, check=False)
    if done.returncode != 0:
        print(f"pip failed (exit {done.returncode}); its messages are above.", file=sys.stderr)
        return done.returncode
    torch_info = installed_torch()
    record_path().write_text(json.dumps({"requested": args.torch_build, "source": plan.source, **torch_info},
                                        indent=1) + "\n", encoding="utf-8")
    print(f"Installed in {time.monotonic() - start:.0f} s: {describe_build(torch_info)}, from {plan.source}.")
    if torch_info.get("cuda") and args.torch_build == "cpu":
        print("Note: this torch has CUDA although the CPU build was asked for; `make test` will fail its "
              "environment check. Where PyTorch's CPU index is reachable, `make clean install` gets the CPU build.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
