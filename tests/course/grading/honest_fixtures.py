"""Honest but unusual submissions of real days: correct work written the way students write it.

Each starts from the instructor's solution of a day (markers removed) in the released notebook and
adds one habit that used to cost points or get the work flagged: a progress bar or logging inside a
function a test calls, DataLoader worker processes, a process pool, a live plot, display and
configuration magics, printing a whole tensor, a scratch notebook beside the work, a late hand-in.
Every one must end ``graded`` with full marks, and where plain ``nbgrader autograde`` grades the same
work correctly its gradebook entries must be identical.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Callable

import nbformat

from course.markers import without_solution_markers

ON_TIME = "2024-05-01 10:00:00.000000 UTC"
DUE = "2024-05-02 00:00:00 UTC"  # day01's due date in the test course (the other days have none)
LATE = "2024-05-02 03:30:00.000000 UTC"
DAYS = ("day01_tensors", "day02_linear_layers", "day08_loading_data", "day09_training_loop")

Change = Callable[[nbformat.NotebookNode], dict[str, bytes] | None]


@dataclass(frozen=True)
class Honest:
    """A correct submission with one unusual habit, and the kind of unfairness it once met."""

    student: str
    day: str
    kind: str
    story: str
    change: Change
    timestamp: str = ON_TIME
    reason: tuple[str, ...] = ()  # what the (graded) submission's reason must mention
    checks: dict = field(default_factory=dict)


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def edit(grade_id: str, old: str, new: str) -> Change:
    """Replace ``old`` by ``new`` in an answer cell (the text must be there)."""
    def change(nb):
        cell = _cell(nb, grade_id)
        assert old in cell.source, (grade_id, old)
        cell.source = cell.source.replace(old, new)
    return change


def insert(after: str, code: str) -> Change:
    """A new cell of the student's own after the cell with grade_id ``after``."""
    def change(nb):
        index = nb.cells.index(_cell(nb, after))
        cell = nbformat.v4.new_code_cell(code)
        cell["id"] = "own-" + re.sub(r"[^a-z0-9]", "", code.lower())[:20]
        nb.cells.insert(index + 1, cell)
    return change


def both(*changes: Change) -> Change:
    def change(nb):
        files = {}
        for one in changes:
            files.update(one(nb) or {})
        return files
    return change


def scratch_notebook(nb) -> dict[str, bytes]:
    """A scratch notebook made with JupyterLab's New Notebook, saved beside the work."""
    scratch = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import torch\ntorch.ones(2, 3).sum()")])
    return {"Untitled.ipynb": nbformat.writes(scratch).encode()}


HABITS_CELL = """from IPython.display import display, Markdown
import gc
import pandas as pd

pd.options.display.max_rows = 20
display(Markdown("**My notes:** shapes first, then dtypes."))
gc.collect()"""

MAGICS_CELL = """%load_ext autoreload
%autoreload 2
%env OMP_NUM_THREADS=1"""

FLOOD_CELL = """torch.set_printoptions(profile="full")
print(torch.arange(100_000).reshape(-1, 10))   # the whole tensor
torch.set_printoptions(profile="default")
for step in range(60_000):
    print(f"step {step}: loss went down a little")"""

POOL_CELL = """import multiprocessing
from joblib import Parallel, delayed
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score


def count_legs(row):
    return int(row)


with multiprocessing.Pool(2) as pool:
    legs = pool.map(count_legs, animals["legs"].tolist())
squares = Parallel(n_jobs=2)(delayed(pow)(n, 2) for n in range(6))
scores = cross_val_score(LogisticRegression(max_iter=300), feature_table.values, animals["type"], cv=3, n_jobs=2)
print(sum(legs), squares, scores.round(2))"""

MANAGER_CELL = """import multiprocessing

with multiprocessing.Manager() as manager:
    seen = manager.dict()
    seen["batches"] = len(list(DataLoader(dataset, batch_size=16, num_workers=2, persistent_workers=True)))
    print(dict(seen))"""

LIVE_PLOT = """from IPython import display
import matplotlib.pyplot as plt

torch.manual_seed(0)
wage_net = nn.Sequential(nn.Linear(len(feature_columns), 16), nn.Sigmoid(), nn.Linear(16, 1))
wage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)
wage_losses = []
for epoch in range(30):
    wage_losses.append(train_epoch(wage_net, train_loader, nn.MSELoss(), wage_optimizer))
    display.clear_output(wait=True)
    plt.figure(figsize=(4, 3))
    plt.plot(wage_losses)
    plt.title(f"epoch {epoch + 1}")
    plt.show()
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
val_mae = float(np.abs(wage_results.real_predictions - wage_results.real_targets).mean())"""

HONEST = [
    Honest("d01_habits", "day01_tensors", "static scan", "display, Markdown, gc.collect, pandas options, magics",
           both(insert("ex1_answer", HABITS_CELL), insert("ex2_answer", MAGICS_CELL))),
    Honest("d01_flood", "day01_tensors", "large output", "prints a whole tensor and a chatty loop (about 3 MB)",
           insert("ex1_answer", FLOOD_CELL), checks={"cut": True}),
    Honest("d01_late_scratch", "day01_tensors", "unseen work", "hands in late, with a scratch notebook beside it",
           scratch_notebook, timestamp=LATE, reason=("late: submitted 3 h 30 min after the due date",
                                                     "extra notebook: Untitled.ipynb is not part of the assignment")),
    Honest("d02_stderr", "day02_linear_layers", "stderr", "prints shapes to stderr inside the tested function",
           edit("ex2_answer", "    return x @ weight.T + bias",
                "    import sys\n    print('shapes:', tuple(x.shape), tuple(weight.shape), file=sys.stderr)\n"
                "    return x @ weight.T + bias")),
    Honest("d02_warns", "day02_linear_layers", "stderr", "warns and logs inside the tested function",
           edit("ex6_answer", "    return amount * layer.weight[:, feature].detach()",
                "    import logging, warnings\n    logging.basicConfig(level=logging.INFO, force=True)\n"
                "    logging.info('feature %s changed by %s', feature, amount)\n"
                "    if amount == 0:\n        warnings.warn('a zero change changes nothing')\n"
                "    warnings.warn('score_change returns a detached tensor', UserWarning)\n"
                "    return amount * layer.weight[:, feature].detach()")),
    Honest("d02_magics", "day02_linear_layers", "static scan", "times answers with %%time, sets torch flags",
           both(edit("ex1_answer", "x_example = ", "%%time\nx_example = "),
                edit("ex4_answer", "weather_model = nn.Linear(3, 2)",
                     "import warnings\ntorch.backends.cudnn.deterministic = True\n"
                     "warnings.filterwarnings('ignore', category=DeprecationWarning)\n"
                     "weather_model = nn.Linear(3, 2)"))),
    Honest("d08_workers", "day08_loading_data", "worker processes", "DataLoader with num_workers=2",
           edit("ex5_answer", "generator=generator)", "generator=generator, num_workers=2)")),
    Honest("d08_pool", "day08_loading_data", "worker processes", "multiprocessing.Pool, joblib and n_jobs=2",
           insert("ex1_answer", POOL_CELL)),
    Honest("d08_manager", "day08_loading_data", "worker processes", "a Manager (local sockets) and persistent workers",
           insert("ex3_answer", MANAGER_CELL)),
    Honest("d08_logging", "day08_loading_data", "stderr", "logs what it builds to stderr inside make_dataset",
           edit("ex3_answer", "    return TensorDataset(features, labels)",
                "    import logging\n    logging.basicConfig(level=logging.INFO, force=True)\n"
                "    logging.getLogger('data').info('%d rows, %d classes', len(labels), len(class_names))\n"
                "    return TensorDataset(features, labels)")),
    Honest("d09_tqdm", "day09_training_loop", "stderr", "a tqdm progress bar inside train_epoch",
           edit("ex5_answer", "    for x_batch, y_batch in loader:",
                "    from tqdm import tqdm\n    for x_batch, y_batch in tqdm(loader, desc='batches'):"),
           checks={"feedback": "batches"}),
    Honest("d09_live_plot", "day09_training_loop", "static scan", "redraws a live loss plot every epoch",
           lambda nb: setattr(_cell(nb, "ex8_answer"), "source", LIVE_PLOT)),
]


def solved(source: nbformat.NotebookNode, release: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The released notebook with every answer cell holding the instructor's solution."""
    answers = {c.metadata.nbgrader["grade_id"]: without_solution_markers(c.source) for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb
