"""Student content is inert where instructors look: nothing a notebook holds runs in a rendered page."""

import base64
import io
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from matplotlib.figure import Figure
from nbconvert import HTMLExporter
from traitlets.config import Config

from course.grading.feedback import feedback_preprocessors
from course.grading.inert import MARKDOWN_NOTE, InertContent, html_shape, is_inert_markdown, make_inert
from course.grading.pipeline import STUDENT_ID
from course.layout import load_config

REPO = Path(__file__).resolve().parents[3]
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
HOSTILE_MARKDOWN = [
    "<script>document.title = 'pwned'</script>",
    "Hello <img src=x onerror=\"document.title='pwned'\">",
    "[click me](javascript:document.title='pwned')",
    "<svg onload=\"document.title='pwned'\"><circle r='4'/></svg>",
    "<a href='JaVaScRiPt:alert(1)'>x</a>",
    "<iframe src='/api/contents'></iframe>",
    "<!-- a --!><img src=x onerror=alert(1)> -->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<form action='/api/contents' method='post'><button>Save</button></form>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<base href='//elsewhere/'>",
    "<object data='x.swf'></object>",
    "<div id='base_url' style='position:fixed;top:0'>cover</div>",
]
HONEST_MARKDOWN = [
    "# Results\n\nThe loss fell from $2.3$ to $0.4$ and `x < y` held; see [the docs](https://pytorch.org).",
    ("| epoch | loss |\n|---|---|\n| 1 | 0.9 |\n\n> a quote\n\n- one<br>two <sub>3</sub>\n\n"
     "```python\nif a < b > c:\n    pass\n```"),
    "<details><summary>Why</summary>Because 3 < 4 & 5 > 2.</details>",
]


def matplotlib_svg() -> str:
    fig = Figure(figsize=(2, 2))
    fig.subplots().imshow([[0, 1], [1, 0]])
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    return buffer.getvalue()


def output(data: dict, metadata: dict | None = None) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})


def notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


@pytest.mark.parametrize("source", HOSTILE_MARKDOWN)
def test_hostile_markdown_is_shown_as_text(source):
    nb = notebook(nbformat.v4.new_markdown_cell(source))
    findings = make_inert(nb)
    assert findings == ["cell 1: Markdown with HTML that could run code is shown as text"]
    shown = nb.cells[0].source
    assert shown.startswith(MARKDOWN_NOTE) and source in shown
    assert is_inert_markdown(shown)


@pytest.mark.parametrize("source", HONEST_MARKDOWN)
def test_honest_markdown_stays_as_written(source):
    nb = notebook(nbformat.v4.new_markdown_cell(source))
    assert make_inert(nb) == []
    assert nb.cells[0].source == source


def test_the_course_notebooks_stay_as_written():
    """Every lesson's own Markdown, the course's HTML included, passes the sanitizer unchanged."""
    for path in sorted((REPO / "source").glob("day*/*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
        make_inert(nb)
        assert [c.source for c in nb.cells if c.cell_type == "markdown"] == markdown, path.name


def test_outputs_keep_plots_and_tables_and_lose_everything_that_runs():
    svg = matplotlib_svg()
    table = pd.DataFrame({"loss": [0.9, 0.4]})._repr_html_()
    cell = nbformat.v4.new_code_cell("show()", outputs=[
        output({"image/png": PNG, "text/plain": "<Figure>"}, {"image/png": {"width": 300}}),
        output({"image/svg+xml": svg}),
        output({"text/html": table, "text/plain": "table"}),
        output({"application/javascript": "document.title='pwned'"}),
        output({"application/vnd.jupyter.widget-view+json": {"model_id": "abc"}, "text/plain": "Widget"}),
        output({"text/html": "<b>bold</b><script>document.title='pwned'</script><img src=x onerror=alert(1)>"}),
        output({"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"}),
        output({"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"}),
        output({"image/png": "\"><script>alert(1)</script>"}),
        output({"image/png": PNG}, {"image/png": {"width": "1 onerror=alert(1)", "height": 20}}),
        output({"text/markdown": "<img src=x onerror=alert(1)>", "text/plain": "md"}),
    ])
    nb = notebook(cell)
    findings = make_inert(nb)
    outs = nb.cells[0].outputs
    assert (outs[0].data == {"image/png": PNG, "text/plain": "<Figure>"}
            and outs[0].metadata == {"image/png": {"width": 300}})
    assert outs[1].data["image/svg+xml"] == svg, "an honest matplotlib SVG (with an embedded image) must stay"
    assert "<table" in outs[2].data["text/html"] and "<td>0.9</td>" in outs[2].data["text/html"]
    assert outs[3].data == {"text/plain": "[output removed by the grader: application/javascript]"}
    assert outs[4].data == {"text/plain": "Widget"}
    assert outs[5].data["text/html"] == "<b>bold</b><img src=\"x\">"
    assert "image/svg+xml" not in outs[6].data and "image/svg+xml" not in outs[7].data
    assert "image/png" not in outs[8].data
    assert outs[9].metadata == {"image/png": {"height": 20}}
    assert outs[10].data == {"text/plain": "md"}
    # Only the hostile HTML is a finding: pandas' <style> is dropped quietly.
    assert findings.count("cell 1: removed scripts or unsafe markup from an HTML output") == 1


def test_metadata_keeps_what_nbgrader_reads_and_nothing_else():
    cell = nbformat.v4.new_markdown_cell("answer", metadata={
        "nbgrader": {"grade": True, "grade_id": "ex1_answer", "points": 2, "solution": True, "schema_version": 3,
                     "locked": False, "extra": "<script>"},
        "tags": ["ok-tag", "\" onmouseover=\"alert(1)"],
        "jupyter": {"source_hidden": True, "x": "<script>"},
        "anything": "<script>alert(1)</script>",
    })
    cell["id"] = "\"><script>alert(1)</script>"
    forged = nbformat.v4.new_code_cell("x", metadata={"nbgrader": {"grade": True,
                                                                   "grade_id": "\"><img src=x onerror=alert(1)>",
                                                                   "points": 1}})
    nb = notebook(cell, forged)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python", "version": "3.11.7",
                                     "codemirror_mode": {"name": "ipython", "version": 3}},
                   "title": "<script>alert(1)</script>",
                   "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"x": "<script>"}}}}
    make_inert(nb)
    assert nb.cells[0].metadata == {"nbgrader": {"grade": True, "grade_id": "ex1_answer", "points": 2, "solution": True,
                                                 "schema_version": 3, "locked": False},
                                    "tags": ["ok-tag"], "jupyter": {"source_hidden": True}}
    assert re.fullmatch(r"[0-9a-f]{8}", nb.cells[0].id)
    assert nb.cells[1].metadata == {}
    assert set(nb.metadata) == {"kernelspec", "language_info"}
    assert nb.metadata.language_info.codemirror_mode == {"name": "ipython", "version": 3}


def test_attachments_keep_raster_images_only():
    cell = nbformat.v4.new_markdown_cell("![plot](attachment:plot.png)")
    cell["attachments"] = {"plot.png": {"image/png": PNG},
                           "evil.svg": {"image/svg+xml": "<svg onload='alert(1)'/>"},
                           "page.html": {"text/html": base64.b64encode(b"<script>alert(1)</script>").decode()}}
    nb = notebook(cell)
    findings = make_inert(nb)
    assert dict(nb.cells[0].attachments) == {"plot.png": {"image/png": PNG}}
    assert nb.cells[0].source == "![plot](attachment:plot.png)"
    assert sorted(findings) == ["cell 1: removed attachment 'evil.svg'", "cell 1: removed attachment 'page.html'"]


def test_raw_cells_and_unknown_cells_lose_their_scripts():
    raw = nbformat.v4.new_raw_cell("<b>fine</b><script>alert(1)</script>")
    nb = notebook(raw)
    nb.cells.append(nbformat.from_dict({"cell_type": "<script>", "source": "x", "metadata": {}}))
    findings = make_inert(nb)
    assert [c.cell_type for c in nb.cells] == ["raw"] and nb.cells[0].source == "<b>fine</b>"
    assert "removed 1 cell(s) of unknown type" in findings


def page_shape(nb: nbformat.NotebookNode, preprocess: bool) -> list[tuple]:
    config = Config()
    if preprocess:
        config.HTMLExporter.preprocessors = ["course.grading.inert.InertContent"]
    body, _ = HTMLExporter(config=config, template_name="classic").from_notebook_node(nb)
    return html_shape(body)


def test_a_rendered_hostile_notebook_has_no_student_script_left():
    """nbconvert's page (what the formgrader and feedback use) with the preprocessor on: the only scripts are
    the template's own, no element has an event attribute, no link a javascript: or data: target."""
    cells = [nbformat.v4.new_markdown_cell(s) for s in HOSTILE_MARKDOWN]
    cells.append(nbformat.v4.new_code_cell("x", outputs=[
        output({"text/html": "<script>document.title='pwned'</script><p onclick='x()'>p</p>"}),
        output({"application/javascript": "document.title='pwned'"}),
        output({"image/png": PNG}, {"image/png": {"width": "1 onerror=alert(1)"}}),
    ]))
    hostile = notebook(*cells)
    hostile.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    unsafe = page_shape(hostile, preprocess=False)
    assert any(item[0] == "start" and any(k.startswith("on") for k, _ in item[2])
               for item in unsafe if item[0] == "start")
    shape = page_shape(hostile, preprocess=True)
    template_scripts = [i for i in page_shape(notebook(), preprocess=True) if i[:2] == ("start", "script")]
    assert [i for i in shape if i[:2] == ("start", "script")] == template_scripts
    attributes = [(k, v) for item in shape if item[0] == "start" for k, v in item[2]]
    assert not [k for k, _ in attributes if k.startswith("on")]
    assert not [v for k, v in attributes
                if k in ("href", "src") and v.strip().lower().startswith(("javascript:", "data:text"))]
    assert not [i for i in shape
                if i[0] == "start" and i[1] in ("iframe", "object", "embed", "form", "base", "svg", "math")]


def test_the_grader_and_the_course_config_run_it_for_feedback_and_the_formgrader():
    config = load_config(REPO)
    assert config.GenerateFeedback.preprocessors[0] == "course.grading.inert.InertContent"
    assert config.HTMLExporter.preprocessors == ["course.grading.inert.InertContent"]
    assert feedback_preprocessors(["nbgrader.preprocessors.GetGrades"])[0] is InertContent


@pytest.mark.parametrize("student,plain", [("alice", True), ("jane.doe@uni.example", True), ("s-042_b", True),
                                           ("<img src=x onerror=alert(1)>", False), ("a b", False),
                                           ("\"quoted\"", False), (".hidden", False)])
def test_only_plain_student_ids_are_graded(student, plain):
    assert bool(STUDENT_ID.match(student)) is plain

