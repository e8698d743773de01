"""A PNG of the score distribution per exercise, so the instructor sees which exercises were hard."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .status import GRADED, SubmissionResult

COLOURS = {"full marks": "#2e7d32", "partial": "#f9a825", "zero": "#c62828"}


def exercise_shares(results: list[SubmissionResult], exercises: list[str],
                    max_points: dict[str, float]) -> dict[str, dict[str, int]]:
    """For each exercise, how many graded submissions got full marks, partial credit or zero."""
    shares = {}
    graded = [r for r in results if r.status == GRADED]
    for exercise in exercises:
        counts = Counter()
        for result in graded:
            points = result.points.get(exercise)
            if points is None:
                continue
            top = max_points.get(exercise, 0.0)
            counts["full marks" if points >= top else "zero" if points <= 0 else "partial"] += 1
        shares[exercise] = {kind: counts[kind] for kind in COLOURS}
    return shares


def plot_distribution(path: Path, results: list[SubmissionResult], exercises: list[str],
                      max_points: dict[str, float], title: str) -> dict[str, dict[str, int]]:
    """Draw the per-exercise stacked bars (left) and the total-score histogram (right) into ``path``.

    Only graded submissions count; failed and flagged ones are named in the title, not drawn as zeros.
    Returns the per-exercise counts that were drawn.
    """
    shares = exercise_shares(results, exercises, max_points)
    graded = [r for r in results if r.status == GRADED and r.score is not None]
    fig = Figure(figsize=(11, max(3.0, 0.45 * len(exercises) + 1.8)), layout="constrained")
    ax_ex, ax_total = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    left = [0] * len(exercises)
    rows = list(range(len(exercises)))[::-1]
    for kind, colour in COLOURS.items():
        widths = [shares[e][kind] for e in exercises]
        ax_ex.barh(rows, widths, left=left, color=colour, label=kind)
        left = [a + b for a, b in zip(left, widths)]
    ax_ex.set_yticks(rows, exercises)
    ax_ex.set_xlabel("graded submissions")
    ax_ex.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_ex.set_title("Points per exercise", pad=24)
    ax_ex.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize="small", frameon=False)
    totals = [r.score for r in graded]
    top = graded[0].max_score if graded else 1.0
    if float(top).is_integer() and 0 < top <= 40:
        bins = [b - 0.5 for b in range(int(top) + 2)]  # one bar per whole score
    else:
        bins = 20
    ax_total.hist(totals, bins=bins, color="#1565c0", edgecolor="white")
    ax_total.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax_total.set_xlabel("total score")
    ax_total.set_ylabel("submissions")
    ax_total.set_title("Total scores", pad=24)
    others = len(results) - len(graded)
    fig.suptitle(f"{title}: {len(graded)} graded" + (f", {others} failed or flagged (not drawn)" if others else ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    return shares
