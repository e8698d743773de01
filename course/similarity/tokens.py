"""An answer as a string of tokens, one character per token, in canonical statement order.

This is the text the fingerprints are taken of (what copydetect's own filter does for any language,
made more precise for Python): comments and whitespace are dropped, a string literal becomes ``S``,
and every plain name becomes ``V`` - so renaming variables, parameters or functions changes nothing.
What a student cannot rename is kept: attribute names (``.from_numpy``, ``.fit_transform``), keyword
argument names (``dtype=``), builtins (``len``, ``abs``), keywords, numbers and operators; which
library call a student chose is part of what makes an answer theirs. Each kept token becomes one
stable character, so a k-gram is k tokens, as in MOSS.
"""

from __future__ import annotations

import ast
import bisect
import zlib
from dataclasses import dataclass

from pygments.lexers import PythonLexer
from pygments.token import Comment, Name, String, Text

from .canonical import Ranges, canonical_ranges

RENAMEABLE, STRING = "V", "S"
_LEXER = PythonLexer()
_PLAIN_NAMES = (Name, Name.Function, Name.Class, Name.Variable, Name.Variable.Global, Name.Variable.Instance,
                Name.Variable.Class, Name.Variable.Magic, Name.Other)


@dataclass(frozen=True)
class Tokens:
    """``text``: one character per token; ``spans``: each token's (start, end) in the original source."""

    text: str
    spans: list[tuple[int, int]]


def _symbol(token: str) -> str:
    """A stable character for a token (the same in every process), outside ASCII."""
    return chr(0xF0000 + zlib.crc32(token.encode("utf-8")) % 0xFFFE)


def _lex(source: str) -> list[tuple[int, int, str]]:
    """(start, end, symbol) of every kept token of ``source``, in source order."""
    raw: list[tuple[int, int, object, str]] = []
    interpolation = 0
    for start, kind, value in _LEXER.get_tokens_unprocessed(source):
        if kind in String.Interpol:
            interpolation += value.count("{") - value.count("}")
            continue
        if interpolation > 0 or kind in Comment or kind in Text or not value.strip():
            continue
        raw.append((start, start + len(value), kind, value))
    found: list[tuple[int, int, str]] = []
    depth = 0
    for i, (start, end, kind, value) in enumerate(raw):
        if kind in String:
            if found and found[-1][2] == STRING and i and raw[i - 1][2] in String:
                found[-1] = (found[-1][0], end, STRING)  # one S per literal, however Pygments splits it
            else:
                found.append((start, end, STRING))
            continue
        if value in "([{":
            depth += 1
        elif value in ")]}":
            depth = max(0, depth - 1)
        attribute = i > 0 and raw[i - 1][3] == "."
        keyword_argument = depth > 0 and i + 1 < len(raw) and raw[i + 1][3] == "="
        plain = kind in _PLAIN_NAMES and not attribute and not keyword_argument
        found.append((start, end, RENAMEABLE if plain else _symbol(value)))
    return found


def tokenize(source: str) -> Tokens:
    """``source`` as tokens in canonical statement order (see the module docstring)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        tree = None
    lexed = _lex(source)
    starts = [t[0] for t in lexed]

    def within(ranges: Ranges) -> list[tuple[int, int, str]]:
        picked = []
        for start, end in ranges:
            i = bisect.bisect_left(starts, start)
            while i < len(lexed) and lexed[i][0] < end:
                picked.append(lexed[i])
                i += 1
        return picked

    ordered = within(canonical_ranges(source, tree, lambda ranges: "".join(t[2] for t in within(ranges))))
    return Tokens("".join(t[2] for t in ordered), [(t[0], t[1]) for t in ordered])
