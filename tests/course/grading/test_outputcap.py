"""Output is capped per cell while it streams in: a flood of prints cannot fill the grader's memory,
the cut is marked, and nothing that decides points (errors, results) is dropped."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.preprocessors import LimitOutput

from course.grading.execute import GradingExecute
from course.grading.outputcap import CapLimits, OutputCap


def executor(tmp_path: Path) -> GradingExecute:
    ex = GradingExecute(lambda argv: None, tmp_path, 60.0)
    ex.clear_before_next_output = False  # nbclient sets it when a cell starts
    return ex


def message(kind: str, **content) -> dict:
    return {"msg_type": kind, "content": content, "parent_header": {"msg_id": "cell"}, "header": {"msg_type": kind}}


def feed(ex: GradingExecute, outs: list, messages: list[dict], cell_index: int = 0) -> list:
    for msg in messages:
        if msg["msg_type"] == "clear_output":
            ex.clear_output(outs, msg, cell_index)
        else:
            ex.output(outs, msg, None, cell_index)
    return outs


def stream_text(outs: list) -> str:
    return "".join(o["text"] for o in outs if o["output_type"] == "stream")


def test_a_print_flood_keeps_the_first_lines_and_marks_the_cut(tmp_path):
    ex = executor(tmp_path)
    flood = [message("stream", name="stdout", text="".join(f"line {i}\n" for i in range(j, j + 500)))
             for j in range(0, 200_000, 500)]
    outs = feed(ex, [], flood)
    text = stream_text(outs)
    assert text.startswith("line 0\nline 1\n") and "line 900\n" in text and "line 1000\n" not in text
    assert outs[-1]["text"].strip().startswith("[... output cut here by the grader:")
    kept_lines = stream_text(outs[:-1]).count("\n")
    assert f"characters ({200_000 - kept_lines:,} lines) of printed output not kept" in outs[-1]["text"]
    cell = nbformat.v4.new_code_cell(outputs=outs)
    before = stream_text(cell.outputs)
    LimitOutput().preprocess_cell(cell, {}, 0)  # nbgrader's own limit, run later, finds nothing to cut
    assert stream_text(cell.outputs) == before


def test_one_huge_line_is_cut_by_characters(tmp_path):
    outs = feed(executor(tmp_path), [], [message("stream", name="stdout", text="x" * 5_000_000)])
    assert len(stream_text(outs)) < 250_000
    assert "4,800,000 characters" in outs[-1]["text"]


def test_errors_and_results_are_never_dropped(tmp_path):
    ex = executor(tmp_path)
    flood = [message("stream", name="stdout", text="y" * 300_000)]
    error = message("error", ename="AssertionError", evalue="e" * 1_000_000,
                    traceback=["t" * 500_000, "AssertionError"])
    result = message("execute_result", data={"text/plain": "0.5"}, metadata={}, execution_count=3)
    outs = feed(ex, [], flood + [error, result])
    kinds = [o["output_type"] for o in outs]
    assert kinds == ["stream", "stream", "error", "execute_result"]
    assert outs[2]["ename"] == "AssertionError" and len(outs[2]["evalue"]) < 200_000
    assert outs[2]["traceback"][1] == "AssertionError" and outs[3]["data"]["text/plain"] == "0.5"


def test_displays_over_the_budget_are_counted_and_a_cleared_cell_starts_again(tmp_path):
    ex = executor(tmp_path)
    plot = message("display_data", data={"image/png": "i" * 90_000, "text/plain": "<Figure>"}, metadata={})
    outs = feed(ex, [], [plot] * 200)
    kept = [o for o in outs if o["output_type"] == "display_data"]
    assert 80 <= len(kept) < 100 and "display(s)" in outs[-1]["text"]
    # A live plot: every epoch clears the cell and draws again, so nothing is ever cut.
    live = []
    for _ in range(300):
        live += [message("clear_output", wait=True), plot]
    outs = feed(ex, [], live, cell_index=1)
    assert [o["output_type"] for o in outs] == ["display_data"]


def test_a_new_cell_gets_a_fresh_budget(tmp_path):
    ex = executor(tmp_path)
    feed(ex, [], [message("stream", name="stdout", text="z\n" * 5000)], cell_index=0)
    outs = feed(ex, [], [message("stream", name="stdout", text="fine\n")], cell_index=1)
    assert stream_text(outs) == "fine\n"


def test_the_line_budget_follows_nbgraders_limit_output_setting():
    cap = OutputCap(CapLimits(max_lines=10))
    kept = cap.stream("".join(f"{i}\n" for i in range(50)))
    assert kept.count("\n") + 1 <= 10 and cap.cut_lines > 0
    assert OutputCap(CapLimits(max_lines=-1)).stream("a\n" * 5000) == "a\n" * 5000
