"""Student content made inert before anyone views it: what the formgrader and feedback pages render.

nbconvert (the formgrader and ``generate_feedback`` both use it) copies a notebook's Markdown, raw cells
and HTML outputs into the page as they are, and trusts several metadata fields. Everything in a graded
notebook is the student's: cells, outputs (the student's code chose them), attachments and metadata.
``make_inert`` rewrites a notebook so that nothing in it can run in a browser:

- Markdown cells (and ``text/markdown`` outputs) are rendered as nbconvert renders them and cleaned
  with nh3 (the ammonia HTML sanitizer). When cleaning removes nothing, the cell stays as written; when
  it would remove something (a script, an event attribute, a ``javascript:`` link, an unknown tag), the
  cell's source is shown as text in a code block, under a note saying why;
- HTML outputs are replaced by their nh3-cleaned form (a pandas table keeps its table);
- JavaScript, widget views and every other MIME type that a page could execute are removed;
- SVG outputs are kept only when they parse (defusedxml) as a drawing with no script, event attribute,
  embedded document or outside reference; nbconvert and JupyterLab show them as ``<img>`` anyway;
- PNG/JPEG/GIF outputs and attachments are kept only as valid base64; other attachments are removed;
- cell and notebook metadata keep only the fields nbgrader and nbconvert read, with checked types
  (widget state, titles, free-form fields go); invalid cell ids are replaced.

``InertContent`` is the nbconvert preprocessor that does this; the grader runs it when it writes the
autograded notebooks and when it writes feedback, and the course's nbgrader_config.py adds it to the
formgrader's page rendering.
"""

from __future__ import annotations

import base64
import binascii
import copy
import re
import uuid
from html.parser import HTMLParser
from typing import Any

import nh3
from defusedxml import ElementTree as SafeXML
from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode, from_dict
from traitlets import Bool

RASTER = ("image/png", "image/jpeg", "image/gif")
OUTPUT_MIMETYPES = frozenset({"text/plain", "text/html", "text/markdown", "text/latex", "image/svg+xml", *RASTER})
OUTPUT_TYPES = frozenset({"stream", "display_data", "execute_result", "error"})
MARKDOWN_NOTE = ("*The grader shows this cell as text: its HTML or links could run code in a browser "
                 "(a script, an event attribute or a `javascript:` link).*")
# nh3's defaults plus what nbconvert's own Markdown rendering emits (code highlighting classes, heading
# anchors) and what pandas tables use (inline text alignment and colours). No ``id`` except on headings;
# ``style`` keeps only properties that neither load anything nor move an element over the page.
HTML_TAGS = frozenset(nh3.ALLOWED_TAGS)
STYLE_PROPERTIES = frozenset({
    "color", "background-color", "text-align", "vertical-align", "font-weight", "font-style", "font-size",
    "font-family", "text-decoration", "white-space", "border", "border-collapse", "border-color",
    "border-style", "border-width", "border-bottom", "border-top", "border-left", "border-right", "padding",
    "padding-left", "padding-right", "margin", "margin-left", "margin-right", "width", "height", "min-width",
    "max-width"})
HTML_ATTRIBUTES = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"class", "title", "style"},
    "table": {"border", *nh3.ALLOWED_ATTRIBUTES.get("table", ())},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "data"})
SAFE_DATA_URL = re.compile(r"^data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*$")
BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
NAME = re.compile(r"^[\w.+-]{1,100}$")
LABEL = re.compile(r"^[\w .+()/-]{0,100}$")
SVG_FORBIDDEN = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener",
                           "animate", "set", "animatemotion", "animatetransform"})
NBGRADER_FIELDS = {"grade": bool, "solution": bool, "locked": bool, "task": bool, "grade_id": str,
                   "points": (int, float), "schema_version": int, "checksum": str, "cell_type": str}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """``data:`` URLs only as raster images in ``<img src>``; nh3 has already checked every other scheme."""
    if attribute in ("href", "src", "cite") and value.strip().lower().startswith("data:"):
        return value if tag == "img" and attribute == "src" and SAFE_DATA_URL.match(value.strip()) else None
    return value


def clean_html(fragment: str) -> str:
    """An HTML fragment with everything that could run or load a document removed (nh3)."""
    return nh3.clean(fragment, tags=set(HTML_TAGS), attributes=HTML_ATTRIBUTES, url_schemes=set(URL_SCHEMES),
                     attribute_filter=_attribute_filter, strip_comments=False, link_rel=None,
                     filter_style_properties=set(STYLE_PROPERTIES))


def _attribute_value(name: str, value: str | None) -> str:
    """An attribute's value with spelling differences removed (whitespace; a style's last semicolon)."""
    if name == "style":
        return "".join((value or "").split()).rstrip(";")
    return " ".join((value or "").split())


class _Shape(HTMLParser):
    """The structure of an HTML fragment as a list: tags with their attributes, comments, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []

    def _text(self, kind: str, text: str) -> None:
        text = " ".join(text.split())
        if kind == "text" and self.items and self.items[-1][0] == "text":
            self.items[-1] = ("text", f"{self.items[-1][1]} {text}".strip())
        elif text or kind != "text":
            self.items.append((kind, text))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.items.append(("start", tag, tuple(sorted((k, _attribute_value(k, v)) for k, v in attrs))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self._text("text", data)

    def handle_comment(self, data: str) -> None:
        self._text("comment", data)

    def handle_decl(self, decl: str) -> None:
        self._text("decl", decl)

    def unknown_decl(self, data: str) -> None:
        self._text("decl", data)

    def handle_pi(self, data: str) -> None:
        self._text("pi", data)


def html_shape(fragment: str) -> list[tuple]:
    """``fragment``'s structure (see ``_Shape``); equal shapes mean equal tags, attributes and text."""
    parser = _Shape()
    parser.feed(fragment)
    parser.close()
    return parser.items


def is_inert_html(fragment: str) -> bool:
    """True when nh3 would remove nothing from ``fragment`` (only spelling, never content, differs)."""
    return html_shape(fragment) == html_shape(clean_html(fragment))


def render_markdown(source: str, attachments: dict | None = None) -> str:
    """Markdown to HTML exactly as nbconvert's HTML exporter renders a cell (the formgrader and feedback)."""
    renderer = IPythonRenderer(escape=False, attachments=attachments or {}, anchor_link_text="¶")
    return MarkdownWithMath(renderer=renderer).render(source)


def is_inert_markdown(source: str, attachments: dict | None = None) -> bool:
    """True when ``source`` renders to HTML from which nh3 would remove nothing."""
    try:
        return is_inert_html(render_markdown(source, attachments))
    except Exception:  # noqa: BLE001 - Markdown nbconvert cannot render is not shown as written
        return False


def as_text(source: str) -> str:
    """Markdown that shows ``source`` verbatim in a code block, under ``MARKDOWN_NOTE``."""
    longest = max((len(run) for run in re.findall(r"`+|~+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    shown = f"{MARKDOWN_NOTE}\n\n{fence}text\n{source}\n{fence}\n"
    return shown if is_inert_markdown(shown) else MARKDOWN_NOTE


def _text(value: Any) -> str:
    """An output or source value as one string (nbformat allows a list of lines)."""
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else str(value)


def clean_svg(svg: str) -> str | None:
    """The SVG unchanged when it is a plain drawing, else None (scripts, events, outside references)."""
    try:
        root = SafeXML.fromstring(svg.encode("utf-8"))
    except Exception:  # noqa: BLE001 - not well-formed, or entity tricks defusedxml refuses
        return None
    if root.tag.rsplit("}", 1)[-1].lower() != "svg":
        return None
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.rsplit("}", 1)[-1].lower() in SVG_FORBIDDEN:
            return None
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                return None
            if local in ("href", "src") and not (value.startswith("#") or SAFE_DATA_URL.match(value)):
                return None
            if "javascript:" in value.lower().replace(" ", ""):
                return None
    return svg


def _base64(value: Any) -> str | None:
    """``value`` when it is base64 text, else None."""
    text = _text(value)
    if not BASE64.match(text):
        return None
    try:
        base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    return text


def _output_metadata(metadata: Any) -> dict:
    """Only numeric image sizes and the ``unconfined`` flag survive (nbconvert writes them into tags)."""
    kept: dict = {}
    for mime in RASTER:
        entry = metadata.get(mime) if isinstance(metadata, dict) else None
        if not isinstance(entry, dict):
            continue
        sizes = {k: entry[k] for k in ("width", "height")
                 if isinstance(entry.get(k), (int, float)) and not isinstance(entry.get(k), bool)}
        if entry.get("unconfined") is True:
            sizes["unconfined"] = True
        if sizes:
            kept[mime] = sizes
    return kept


def clean_output(output: NotebookNode, where: str, findings: list[str]) -> NotebookNode | None:
    """One output made inert (see the module docstring); None when nothing of it can be shown."""
    kind = output.get("output_type")
    if kind not in OUTPUT_TYPES:
        findings.append(f"{where}: removed an output of type {str(kind)[:40]!r}")
        return None
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return from_dict({"output_type": "stream", "name": name, "text": _text(output.get("text", ""))})
    if kind == "error":
        traceback = output.get("traceback", [])
        return from_dict({"output_type": "error", "ename": _text(output.get("ename", "")),
                          "evalue": _text(output.get("evalue", "")),
                          "traceback": [_text(t) for t in traceback] if isinstance(traceback, list) else []})
    data, removed = {}, []
    raw = output.get("data", {}) if isinstance(output.get("data"), dict) else {}
    for mime, value in raw.items():
        if mime not in OUTPUT_MIMETYPES:
            removed.append(mime)
        elif mime in RASTER:
            checked = _base64(value)
            if checked is None:
                removed.append(f"{mime} (not base64)")
            else:
                data[mime] = checked
        elif mime == "image/svg+xml":
            svg = clean_svg(_text(value))
            if svg is None:
                removed.append(f"{mime} (script, events or outside references)")
            else:
                data[mime] = svg
        elif mime == "text/html":
            html = _text(value)
            cleaned = clean_html(html)
            if html_shape(_without_style(html)) != html_shape(cleaned):
                findings.append(f"{where}: removed scripts or unsafe markup from an HTML output")
            data[mime] = cleaned
        elif mime == "text/markdown":
            if is_inert_markdown(_text(value)):
                data[mime] = _text(value)
            else:
                removed.append(f"{mime} (unsafe HTML)")
        else:
            data[mime] = _text(value)
    if removed:
        findings.append(f"{where}: removed output data {', '.join(sorted(removed))}")
        if not data:
            data["text/plain"] = f"[output removed by the grader: {', '.join(sorted(removed))}]"
    if not data:
        return None
    cleaned_output = {"output_type": kind, "data": data, "metadata": _output_metadata(output.get("metadata", {}))}
    if kind == "execute_result":
        count = output.get("execution_count")
        cleaned_output["execution_count"] = count if isinstance(count, int) and not isinstance(count, bool) else None
    return from_dict(cleaned_output)


def _without_style(html: str) -> str:
    """``html`` without ``<style>`` elements (pandas adds one; removing it is no finding)."""
    return re.sub(r"(?is)<style\b[^>]*>.*?</style\s*>", "", html)


def clean_nbgrader_metadata(meta: Any) -> dict | None:
    """nbgrader's cell metadata with known fields of the right type; None when its grade_id is unusable."""
    if not isinstance(meta, dict):
        return None
    kept = {}
    for name, kind in NBGRADER_FIELDS.items():
        value = meta.get(name)
        if isinstance(value, kind) and not (kind is not bool and isinstance(value, bool)):
            kept[name] = value
    if "grade_id" in kept and not re.fullmatch(r"[\w.-]{1,100}", kept["grade_id"]):
        return None
    if "checksum" in kept and not re.fullmatch(r"[0-9a-fA-F]{0,128}", kept["checksum"]):
        del kept["checksum"]
    if "cell_type" in kept and kept["cell_type"] not in ("code", "markdown", "raw"):
        del kept["cell_type"]
    return kept


def clean_cell_metadata(meta: Any) -> dict:
    """The cell metadata nbgrader and nbconvert read, with checked types; nothing else."""
    meta = meta if isinstance(meta, dict) else {}
    kept: dict = {}
    nbgrader = clean_nbgrader_metadata(meta.get("nbgrader"))
    if nbgrader:
        kept["nbgrader"] = nbgrader
    tags = meta.get("tags")
    if isinstance(tags, list):
        kept["tags"] = [t for t in tags if isinstance(t, str) and NAME.match(t)]
    for flag in ("collapsed", "editable", "deletable"):
        if isinstance(meta.get(flag), bool):
            kept[flag] = meta[flag]
    if isinstance(meta.get("scrolled"), bool) or meta.get("scrolled") == "auto":
        kept["scrolled"] = meta["scrolled"]
    jupyter = meta.get("jupyter")
    if isinstance(jupyter, dict):
        flags = {k: jupyter[k] for k in ("source_hidden", "outputs_hidden") if isinstance(jupyter.get(k), bool)}
        if flags:
            kept["jupyter"] = flags
    return kept


def clean_notebook_metadata(meta: Any) -> dict:
    """Kernel and language fields only, as short plain strings (no widget state, no title)."""
    meta = meta if isinstance(meta, dict) else {}
    kept: dict = {}
    kernelspec = meta.get("kernelspec")
    if isinstance(kernelspec, dict):
        fields = {k: v for k, v in kernelspec.items()
                  if k in ("name", "display_name", "language") and isinstance(v, str) and LABEL.match(v)}
        if fields:
            kept["kernelspec"] = fields
    info = meta.get("language_info")
    if isinstance(info, dict):
        fields = {k: v for k, v in info.items()
                  if k in ("name", "version", "mimetype", "file_extension", "pygments_lexer", "nbconvert_exporter")
                  and isinstance(v, str) and LABEL.match(v)}
        mode = info.get("codemirror_mode")
        if isinstance(mode, str) and NAME.match(mode):
            fields["codemirror_mode"] = mode
        elif isinstance(mode, dict) and isinstance(mode.get("name"), str) and NAME.match(mode["name"]):
            fields["codemirror_mode"] = {
                "name": mode["name"],
                **({"version": mode["version"]} if isinstance(mode.get("version"), int) else {})}
        if fields:
            kept["language_info"] = fields
    return kept


def clean_attachments(attachments: Any, where: str, findings: list[str]) -> dict:
    """Raster images with safe names and valid base64; everything else is removed."""
    kept = {}
    for name, bundle in (attachments or {}).items() if isinstance(attachments, dict) else ():
        images = {}
        for mime, value in (bundle or {}).items() if isinstance(bundle, dict) else ():
            checked = _base64(value) if mime in RASTER else None
            if checked is not None:
                images[mime] = checked
        if images and isinstance(name, str) and NAME.match(name):
            kept[name] = images
        else:
            findings.append(f"{where}: removed attachment {str(name)[:40]!r}")
    return kept


def make_inert(nb: NotebookNode) -> list[str]:
    """Make every student-controlled part of ``nb`` inert, in place; returns what was changed and why."""
    findings: list[str] = []
    nb.metadata = from_dict(clean_notebook_metadata(nb.get("metadata")))
    seen: set[str] = set()
    unknown = [c for c in nb.cells if c.get("cell_type") not in ("markdown", "raw", "code")]
    if unknown:
        findings.append(f"removed {len(unknown)} cell(s) of unknown type")
        nb.cells = [c for c in nb.cells if c.get("cell_type") in ("markdown", "raw", "code")]
    for index, cell in enumerate(nb.cells):
        where = f"cell {index + 1}"
        cell_id = cell.get("id")
        if cell_id is not None and (not isinstance(cell_id, str) or not CELL_ID.match(cell_id) or cell_id in seen):
            cell["id"] = uuid.uuid4().hex[:8]
        if "id" in cell:
            seen.add(cell["id"])
        cell.metadata = from_dict(clean_cell_metadata(cell.get("metadata")))
        cell.source = _text(cell.get("source", ""))
        if cell.cell_type == "markdown":
            attachments = clean_attachments(cell.get("attachments"), where, findings)
            if attachments or "attachments" in cell:
                cell["attachments"] = from_dict(attachments)
            if not is_inert_markdown(cell.source, attachments):
                findings.append(f"{where}: Markdown with HTML that could run code is shown as text")
                cell.source = as_text(cell.source)
        elif cell.cell_type == "raw":
            cell.pop("attachments", None)
            if not is_inert_html(cell.source):
                findings.append(f"{where}: removed scripts or unsafe markup from a raw cell")
                cell.source = clean_html(cell.source)
        elif cell.cell_type == "code":
            cell.pop("attachments", None)
            outputs = []
            for output in cell.get("outputs", []) if isinstance(cell.get("outputs"), list) else []:
                cleaned = clean_output(copy.deepcopy(output), where, findings)
                if cleaned is not None:
                    outputs.append(cleaned)
            cell.outputs = outputs
            count = cell.get("execution_count")
            if not (count is None or (isinstance(count, int) and not isinstance(count, bool))):
                cell.execution_count = None
    return findings


class InertContent(Preprocessor):
    """nbconvert preprocessor: ``make_inert`` on the notebook; what it changed goes to the log."""

    enabled = Bool(True, help="On wherever it is listed: nbgrader registers preprocessors "
                              "without enabling them.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        """Make the notebook inert (see the module docstring)."""
        name = (resources or {}).get("metadata", {}).get("name", "notebook")
        for finding in make_inert(nb):
            self.log.warning("%s: %s", name, finding)
        return nb, resources
