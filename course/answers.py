"""``python -m course answers``: every correct answer passes, every classic mistake gets its hint.

An answer file ``<folder>/<day>.py`` (for example ``tests/answers/day01_tensors.py``) defines::

    ANSWERS = {
        "ex1_answer": {                                   # the grade_id of an answer cell
            "correct": {"label": "code replacing the answer cell"},
            "wrong": {"label": ("code replacing the answer cell", "text the visible tests' message must contain")},
        },
    }

For each answer the day's source notebook runs in order, as a student runs it: every other answer
cell keeps the reference solution. At the answer cell, the cell as released runs first (its given
lines; the placeholder's ``NotImplementedError`` is ignored), then the answer's code, then any cells
up to the exercise's test cell. Then the test cell runs as the student sees it (visible part only)
and, for a correct answer, as it is graded (visible and hidden tests).

- A correct answer must run without error and pass both. What its test cell writes to stderr does
  not count, as in grading (``course.grading.testrule``: only an error decides a test's points).
- A wrong answer must already fail the visible part with a message containing its text.

Speed: each day runs in one worker process (a fresh Python with one compute thread; cells run in an
IPython shell, as in a kernel). The worker runs the notebook once and forks a child at each answer
cell for each answer, so an answer costs only its own code and its test cell, never a kernel start
or the notebook's earlier cells. Forking needs Linux or macOS.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import runpy
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .kernel_env import answers_worker_env
from .layout import DAY_PATTERN, course_folder, find_root, list_days, load_config, notebook_path
from .markers import without_solution_markers
from .notebooks import nbgrader_meta, read_notebook

ANSWERS_DIR = Path("tests") / "answers"
ENV_FOLDERS = "COURSE_ANSWERS"
ANSWER_TIMEOUT = 300.0
KINDS = ("correct", "wrong")


class AnswerFileError(ValueError):
    """An answer file that is not in the expected format."""


@dataclass(frozen=True)
class Answer:
    """One alternative answer to one exercise."""

    day: str
    grade_id: str
    kind: str  # "correct" or "wrong"
    label: str
    code: str
    hint: str  # for a wrong answer: text its visible failure must contain ("" for a correct one)
    source: str  # the file it came from

    @property
    def id(self) -> str:
        return f"{self.day}/{self.grade_id}/{self.kind}/{self.label}"


@dataclass
class Outcome:
    """What one answer did: the errors of its answer cell, its visible test and its full test."""

    answer: Answer
    answer_error: str = ""
    visible_error: str | None = None  # None: did not run
    full_error: str | None = None
    crash: str = ""  # the run itself went wrong (timeout, a process that died)
    seconds: float = 0.0

    @property
    def problems(self) -> list[str]:
        """Why this answer does not behave as its entry says (empty when it does)."""
        a = self.answer
        if self.crash:
            return [self.crash]
        found = []
        if self.answer_error.startswith(("SyntaxError", "IndentationError", "TabError")):
            return [f"the answer's code does not compile: {self.answer_error}"]
        if a.kind == "correct":
            if self.answer_error:
                found.append(f"the answer cell raised {self.answer_error}")
            for part, error in (("visible", self.visible_error), ("full", self.full_error)):
                if error is None:
                    found.append(f"the {part} test did not run")
                elif error:
                    found.append(f"the {part} test fails: {error}")
        else:
            if self.visible_error is None:
                found.append("the visible test did not run")
            elif not self.visible_error:
                found.append("the visible test passes, so this mistake gets no hint before grading")
            elif a.hint not in self.visible_error:
                found.append(f"the visible test fails without the expected text {a.hint!r}; "
                             f"it says: {self.visible_error}")
        return found


@dataclass
class DayRun:
    """The outcomes of one day's answers, and what went wrong with the day itself."""

    day: str
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the reference notebook failed, the worker died, ...
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------------
# Answer files


def load_answer_file(path: Path, known_days: Iterable[str] | None = None) -> list[Answer]:
    """Read one answer file; raise AnswerFileError (naming the file and the entry) if it is malformed."""
    path = Path(path)
    day = path.stem
    if not DAY_PATTERN.match(day):
        raise AnswerFileError(f"{path}: the file name must be a day, e.g. day01_tensors.py")
    if known_days is not None and day not in set(known_days):
        raise AnswerFileError(f"{path}: there is no day {day} in source/")
    try:
        namespace = runpy.run_path(str(path))
    except Exception as err:  # noqa: BLE001 - reported with the file name
        raise AnswerFileError(f"{path}: could not be loaded: {type(err).__name__}: {err}") from err
    table = namespace.get("ANSWERS")
    if not isinstance(table, Mapping):
        raise AnswerFileError(f"{path}: defines no ANSWERS dict")
    answers = []
    for grade_id, entry in table.items():
        where = f"{path}: ANSWERS[{grade_id!r}]"
        if not isinstance(grade_id, str) or not isinstance(entry, Mapping):
            raise AnswerFileError(f"{where} must map a grade_id to a dict with 'correct' and 'wrong'")
        unknown = set(entry) - set(KINDS)
        if unknown:
            raise AnswerFileError(f"{where} has unknown keys {sorted(unknown)}; use 'correct' and 'wrong'")
        for label, code in dict(entry.get("correct", {})).items():
            if not isinstance(code, str):
                raise AnswerFileError(f"{where}['correct'][{label!r}] must be a string of code")
            answers.append(Answer(day, grade_id, "correct", str(label), code, "", str(path)))
        for label, pair in dict(entry.get("wrong", {})).items():
            if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(p, str) for p in pair) and pair[1]):
                raise AnswerFileError(f"{where}['wrong'][{label!r}] must be a pair (code, expected message text)")
            answers.append(Answer(day, grade_id, "wrong", str(label), pair[0], pair[1], str(path)))
    return answers


def answer_folders(root: Path, extra: Iterable[str | Path] = (), *, default: bool = True) -> list[Path]:
    """The folders of answer files: the course's own (``tests/answers``) and ``extra`` ones."""
    folders = [root / ANSWERS_DIR] if default else []
    folders += [Path(f).expanduser().resolve() for f in extra if str(f).strip()]
    return folders


def env_folders() -> list[str]:
    """Extra answer folders named in the ``COURSE_ANSWERS`` environment variable (``os.pathsep``-separated)."""
    return [part for part in os.environ.get(ENV_FOLDERS, "").split(os.pathsep) if part.strip()]


def answer_files(folders: Iterable[Path], days: Iterable[str] | None = None) -> list[Path]:
    """The answer files in ``folders`` (files named after a day), optionally only for ``days``."""
    wanted = set(days) if days is not None else None
    files = []
    for folder in folders:
        if not folder.is_dir():
            raise AnswerFileError(f"{folder}: no such folder of answer files")
        for path in sorted(folder.glob("day*.py")):
            if DAY_PATTERN.match(path.stem) and (wanted is None or path.stem in wanted):
                files.append(path)
    return files


# ---------------------------------------------------------------------------------------------
# Running a day: the parent side


def run_day(root: Path, day: str, answers: list[Answer], timeout: float = ANSWER_TIMEOUT) -> DayRun:
    """Run ``answers`` (all of ``day``) in a worker process of their own and return their outcomes."""
    start = time.perf_counter()
    run = DayRun(day)
    with tempfile.TemporaryDirectory(prefix=f"answers-{day}-") as scratch:
        request, result = Path(scratch) / "request.json", Path(scratch) / "result.json"
        request.write_text(json.dumps({"root": str(root), "day": day, "timeout": timeout,
                                       "answers": [asdict(a) for a in answers]}))
        env = answers_worker_env(Path(scratch) / "ipython")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH", "")]))
        proc = subprocess.run([sys.executable, "-m", "course.answers", "--worker", str(request), str(result)],
                              cwd=scratch, env=env, capture_output=True, text=True, check=False)
        if result.is_file():
            data = json.loads(result.read_text())
            run.errors = data["errors"]
            by_id = {a.id: a for a in answers}
            run.outcomes = [Outcome(answer=by_id[o.pop("id")], **o) for o in data["outcomes"]]
        else:
            run.errors.append(f"the answer worker for {day} ended with code {proc.returncode} without a result:\n"
                              f"{proc.stderr[-3000:]}")
    run.seconds = time.perf_counter() - start
    return run


class AnswerSuite:
    """The answers of some days, run one worker per day with up to ``jobs`` days at a time.

    Days start on the first request and run in the background; ``day_run(day)`` waits for one.
    """

    def __init__(self, root: Path, answers: list[Answer], jobs: int = 2, timeout: float = ANSWER_TIMEOUT) -> None:
        self.root, self.answers, self.jobs, self.timeout = root, answers, max(1, jobs), timeout
        self.days = sorted({a.day for a in answers})
        self._pool: ThreadPoolExecutor | None = None
        self._futures: dict[str, Future[DayRun]] = {}

    def _start(self) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.jobs)
            for day in self.days:
                todo = [a for a in self.answers if a.day == day]
                self._futures[day] = self._pool.submit(run_day, self.root, day, todo, self.timeout)

    def day_run(self, day: str) -> DayRun:
        self._start()
        return self._futures[day].result()

    def outcome(self, answer: Answer) -> Outcome:
        for outcome in self.day_run(answer.day).outcomes:
            if outcome.answer == answer:
                return outcome
        return Outcome(answer, crash="the worker returned no outcome for this answer")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------------------------
# Running a day: the worker side (a fresh process; forks one child per answer)


def _error_text(err: BaseException) -> str:
    message = str(err).strip()
    return f"{type(err).__name__}: {message}" if message else type(err).__name__


class _Kernel:
    """Runs cells as the course's kernel does: one IPython shell, so magics, ``display`` and the rest
    behave as in JupyterLab. Its output goes wherever the process's stdout goes."""

    def __init__(self) -> None:
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False  # nothing written to the IPython profile
        self.shell = InteractiveShell.instance(config=config)
        # Errors are read from each cell's result; formatting tracebacks nobody reads costs time.
        self.shell.showtraceback = lambda *args, **kwargs: None
        self.shell.showsyntaxerror = lambda *args, **kwargs: None

    def run(self, source: str) -> str:
        """Run one cell; return its error as ``"Name: message"`` ("" when none)."""
        try:
            result = self.shell.run_cell(source, store_history=False)
        finally:
            plt = sys.modules.get("matplotlib.pyplot")
            if plt is not None:  # the inline backend closes a cell's figures once they are shown
                plt.close("all")
        error = result.error_before_exec or result.error_in_exec
        return _error_text(error) if error is not None else ""



def _in_child(work: Callable[[], dict[str, Any]], timeout: float) -> dict[str, Any]:
    """Run ``work`` in a forked child (the caller's state stays untouched) and return its result dict."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        try:
            payload = json.dumps(work())
        except BaseException:  # noqa: BLE001 - reported to the parent
            payload = json.dumps({"crash": "the runner failed:\n" + traceback.format_exc()})
        try:
            with os.fdopen(write_end, "w") as channel:
                channel.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks, deadline, timed_out = [], time.monotonic() + timeout, False
    with os.fdopen(read_end, "rb") as channel:
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([channel], [], [], max(0.0, left))
            if not ready:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                break
            chunk = os.read(channel.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return {"crash": f"timed out after {timeout:g} s"}
    try:
        return json.loads(b"".join(chunks).decode())
    except ValueError:
        return {"crash": f"the process running the answer ended without a result (wait status {status})"}


@dataclass
class _Exercise:
    answer_index: int
    test_index: int
    stub: str  # the answer cell as released
    between: list[str]  # reference code of the cells between the answer and its test
    visible: str  # the test cell as released
    full: str  # the test cell as graded


def _released_sources(nb: Any, config: Any) -> dict[str, str]:
    """Each nbgrader cell's source as students get it, made by nbgrader's own preprocessors."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    released = copy.deepcopy(nb)
    resources: dict[str, Any] = {"language": "python"}
    released, resources = ClearSolutions(config=config).preprocess(released, resources)
    released, resources = ClearHiddenTests(config=config).preprocess(released, resources)
    return {nbgrader_meta(c)["grade_id"]: c.source for c in released.cells if nbgrader_meta(c).get("grade_id")}


def _exercises(nb: Any, released: Mapping[str, str]) -> dict[str, _Exercise]:
    """Each answer cell's grade_id -> where it is, its test cell, and what a student sees of both."""
    found = {}
    cells = nb.cells
    for i, cell in enumerate(cells):
        meta = nbgrader_meta(cell)
        if cell.cell_type != "code" or not meta.get("solution"):
            continue
        test = next((j for j in range(i + 1, len(cells)) if cells[j].cell_type == "code"
                     and nbgrader_meta(cells[j]).get("grade")), None)
        if test is None:
            continue
        between = [_reference(c) for c in cells[i + 1:test] if c.cell_type == "code"]
        test_id = nbgrader_meta(cells[test])["grade_id"]
        found[meta["grade_id"]] = _Exercise(i, test, released[meta["grade_id"]], between, released[test_id],
                                            cells[test].source)
    return found


def _reference(cell: Any) -> str:
    return without_solution_markers(cell.source) if nbgrader_meta(cell).get("solution") else cell.source



def _try_answer(answer: dict[str, Any], exercise: _Exercise, kernel: _Kernel,
                timeout: float) -> dict[str, Any]:
    """Run one answer in a forked child: stub, answer, cells up to the test, then its test cell(s)."""

    def work() -> dict[str, Any]:
        start = time.perf_counter()
        stub_error = kernel.run(exercise.stub)
        if stub_error and not stub_error.startswith("NotImplementedError"):
            return {"crash": f"the released answer cell raised {stub_error}"}
        result: dict[str, Any] = {"answer_error": kernel.run(answer["code"])}
        for code in exercise.between:
            kernel.run(code)

        def visible() -> dict[str, Any]:
            return {"visible_error": kernel.run(exercise.visible)}

        shown = _in_child(visible, timeout)
        if "crash" in shown:
            return {"crash": f"visible test: {shown['crash']}"}
        result.update(shown)
        if answer["kind"] == "correct":
            result.update(full_error=kernel.run(exercise.full))
        result["seconds"] = time.perf_counter() - start
        return result

    return _in_child(work, timeout)


def _work_day(root: Path, day: str, answers: list[dict[str, Any]], timeout: float) -> dict[str, Any]:
    """Run ``day``'s source notebook once, trying every answer at its cell; return outcomes and day errors."""
    config = load_config(root)
    nb = read_notebook(notebook_path(root, "source", day, config))
    exercises = _exercises(nb, _released_sources(nb, config))
    pending: dict[str, list[dict[str, Any]]] = {}
    outcomes, errors = [], []
    for answer in answers:
        if answer["grade_id"] in exercises:
            pending.setdefault(answer["grade_id"], []).append(answer)
        else:
            outcomes.append({"id": _answer_id(answer), "crash": f"{day} has no answer cell {answer['grade_id']!r}"})
    kernel = _Kernel()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell)
        label = meta.get("grade_id") or f"cell {index}"
        for answer in pending.get(meta.get("grade_id", ""), []) if meta.get("solution") else ():
            outcomes.append({"id": _answer_id(answer), **_try_answer(answer, exercises[meta["grade_id"]], kernel,
                                                                       timeout)})
        error = kernel.run(_reference(cell))
        if error:
            errors.append(f"{label} fails on the reference solution: {error}")
    return {"outcomes": outcomes, "errors": errors}


def _answer_id(answer: Mapping[str, Any]) -> str:
    return f"{answer['day']}/{answer['grade_id']}/{answer['kind']}/{answer['label']}"


def _worker_main(request_path: str, result_path: str) -> int:
    """Entry point of the worker process: read the request, run the day, write the result JSON."""
    request = json.loads(Path(request_path).read_text())
    root, day = Path(request["root"]), request["day"]
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the notebook's prints and IPython's tracebacks are not the report
    import torch

    torch.set_num_threads(1)  # forked children must not inherit a thread pool
    with tempfile.TemporaryDirectory(prefix=f"{day}-") as folder:
        work_dir = Path(folder) / day
        shutil.copytree(course_folder(root, "source") / day, work_dir)
        os.chdir(work_dir)  # as nbgrader does: the notebook runs in its own folder
        result = _work_day(root, day, request["answers"], float(request["timeout"]))
    Path(result_path).write_text(json.dumps(result))
    return 0


# ---------------------------------------------------------------------------------------------
# Command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("days", nargs="*", help="days whose answers to run (default: every day with answers)")
    parser.add_argument("--answers", action="append", default=None, metavar="FOLDER",
                        help="a folder of answer files (repeatable); replaces the course's own tests/answers")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="days run at once")
    parser.add_argument("--timeout", type=float, default=ANSWER_TIMEOUT,
                        help="seconds per answer (default: %(default)g)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every answer, not only the problems")


def collect(root: Path, folders: list[Path], days: list[str] | None = None) -> list[Answer]:
    """Every answer in the answer files of ``folders`` (for ``days``, or all)."""
    known = list_days(root)
    answers: list[Answer] = []
    for path in answer_files(folders, days):
        answers += load_answer_file(path, known)
    return answers


def run(args: argparse.Namespace) -> int:
    root = find_root()
    folders = answer_folders(root, args.answers or [], default=not args.answers)
    try:
        answers = collect(root, folders, args.days or None)
    except AnswerFileError as err:
        print(err, file=sys.stderr)
        return 2
    if not answers:
        print(f"No answers found in {', '.join(str(f) for f in folders)}.", file=sys.stderr)
        return 2
    suite = AnswerSuite(root, answers, jobs=args.jobs, timeout=args.timeout)
    failed = 0
    try:
        for day in suite.days:
            day_run = suite.day_run(day)
            counts = {kind: sum(o.answer.kind == kind for o in day_run.outcomes) for kind in KINDS}
            bad = [o for o in day_run.outcomes if o.problems]
            failed += len(bad) + len(day_run.errors)
            print(f"{day}: {counts['correct']} correct and {counts['wrong']} wrong answers, {len(bad)} with problems "
                  f"({day_run.seconds:.1f} s)")
            for error in day_run.errors:
                print(f"  DAY  {error}")
            for outcome in day_run.outcomes:
                if outcome.problems or args.verbose:
                    status = "FAIL" if outcome.problems else "ok  "
                    print(f"  {status} {outcome.answer.id} ({outcome.seconds:.2f} s)")
                    for problem in outcome.problems:
                        print("         - " + problem.replace("\n", "\n           "))
                    if args.verbose and outcome.answer.kind == "wrong" and outcome.visible_error:
                        print("           says: " + outcome.visible_error.replace("\n", "\n                 "))
    finally:
        suite.close()
    print(f"\n{len(answers)} answers, {failed} problem(s).")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        sys.exit(_worker_main(sys.argv[2], sys.argv[3]))
    sys.exit("usage: python -m course answers [DAY ...] [--answers FOLDER]")
