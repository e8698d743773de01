"""The HTML report: pairs across the assignment, a summary per student, then every exercise's reported
pairs side by side with the shared code highlighted.

Everything from submissions (code, student ids, exercise names) is escaped, the page has no script,
and its Content-Security-Policy forbids scripts, frames, images and requests of any kind, so nothing
a student wrote can run or load when the instructor opens it.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path

from .answers import Collected
from .compare import AssignmentPair, ExerciseResult, PairScore, Settings, highlights, pair_totals

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 120em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
.pair { border-top: 2px solid #888; margin: 1.5em 0; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
pre { background: #f7f7f7; padding: .6em; overflow-x: auto; white-space: pre-wrap; font-size: 90%; }
mark.rare { background: #f6b26b; }
mark.common { background: #fff2cc; }
.quiet { color: #666; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _pct(value: float) -> str:
    return f"{value:.0%}"


def marked(source: str, classes: list[int]) -> str:
    """``source`` escaped, with runs of class 2 in ``<mark class="rare">`` and class 1 in ``<mark class="common">``."""
    out, i = [], 0
    while i < len(source):
        level = classes[i] if i < len(classes) else 0
        j = i
        while j < len(source) and (classes[j] if j < len(classes) else 0) == level:
            j += 1
        text = _e(source[i:j])
        out.append(text if level == 0 else f'<mark class="{"rare" if level == 2 else "common"}">{text}</mark>')
        i = j
    return "".join(out)


def _pair_section(result: ExerciseResult, pair: PairScore, settings: Settings) -> str:
    marks = highlights(result, pair, settings.rare)
    sides = []
    for student in (pair.a, pair.b):
        doc = result.documents[student]
        sides.append(f"<div><h4>{_e(student)}</h4><pre>{marked(doc.source, marks[student])}</pre></div>")
    return (f'<div class="pair"><h3>{_e(pair.a)} and {_e(pair.b)}: {pair.length:.0f} weighted shared tokens, '
            f"{_pct(pair.share)} of the smaller answer</h3>"
            f'<div class="sides">{"".join(sides)}</div></div>')


def render(assignment: str, collected: Collected, results: list[ExerciseResult], pairs: list[AssignmentPair],
           settings: Settings) -> str:
    """The whole report as an HTML page."""
    students = sorted(collected.answers)
    shown = {(p.a, p.b): set(p.exercises) for p in pairs}
    reported = {r.exercise.key: sorted((p for p in r.pairs if r.exercise.key in shown.get((p.a, p.b), ())),
                                       key=lambda p: (-p.length, p.a, p.b)) for r in results}
    partners: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for pair in pairs:
        partners[pair.a][pair.b] = pair.exercises
        partners[pair.b][pair.a] = pair.exercises
    closest: dict[str, AssignmentPair] = {}
    for pair in pair_totals(results, settings):
        for me in (pair.a, pair.b):
            if pair.length > 0 and (me not in closest or pair.length > closest[me].length):
                closest[me] = pair
    own = {s: sum(1 for r in results if s in r.documents) for s in students}

    html = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="referrer" content="no-referrer">',
            f"<title>Similarity report: {_e(assignment)}</title><style>{STYLE}</style></head><body>",
            f"<h1>Similarity report: {_e(assignment)}</h1>",
            f"<p>{len(students)} submission(s), {len(results)} exercise(s); {_e(settings.describe())}.</p>",
            "<p class=\"quiet\">Answers are compared exercise by exercise as token sequences (variable names, "
            "comments, spacing and the order of independent statements do not count). Code of the released notebook "
            "and of the instructor's solution is ignored, and shared code counts by how rare it is among all the "
            "answers to that exercise: what every student writes weighs nothing. "
            '<mark class="rare">Rare shared code</mark> and <mark class="common">common shared code</mark> are '
            "highlighted. A reported pair is a reason to look, not a verdict.</p>"]

    html.append("<h2>Pairs across the assignment</h2>")
    if pairs:
        html.append("<table><tr><th>students</th><th>exercises that show it</th><th>weighted shared tokens</th>"
                    "<th>share of the smaller answers</th></tr>")
        for pair in pairs:
            html.append(f"<tr><td>{_e(pair.a)} and {_e(pair.b)}</td><td>{_e(', '.join(pair.exercises) or '-')}</td>"
                        f"<td>{pair.length:.0f}</td><td>{_pct(pair.share)}</td></tr>")
        html.append("</table>")
    else:
        html.append("<p>No pair of students shares more than independent work explains.</p>")

    html.append("<h2>Per student</h2><table><tr><th>student</th><th>answers with code of their own</th>"
                "<th>reported with</th><th>closest other student over the assignment</th></tr>")
    for student in students:
        others = partners.get(student, {})
        listed = "; ".join(f"{_e(o)} ({_e(', '.join(k))})" for o, k in sorted(others.items()))
        near = closest.get(student)
        nearest = "-" if near is None else (f"{_e(near.b if near.a == student else near.a)}: "
                                            f"{near.length:.0f} weighted shared tokens, {_pct(near.share)}")
        html.append(f"<tr><td>{_e(student)}</td><td>{own[student]} of {len(results)}</td><td>{listed or '-'}</td>"
                    f"<td>{nearest}</td></tr>")
    html.append("</table>")
    if collected.problems:
        html.append("<h2>Submissions not read</h2><ul>")
        html += [f"<li>{_e(student)}: {_e(why)}</li>" for student, why in collected.problems]
        html.append("</ul>")

    for result in results:
        found = reported[result.exercise.key]
        html.append(f"<h2>Exercise {_e(result.exercise.key)}</h2>"
                    f"<p>{result.answered} answer(s), {len(result.documents)} with code of their own; "
                    f"{len(found)} pair(s) of reported students shown.</p>")
        html += [_pair_section(result, pair, settings) for pair in found]
    html.append("</body></html>")
    return "\n".join(html) + "\n"


def write_report(path: Path, html: str) -> Path:
    """Write the report (UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
