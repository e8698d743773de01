"""Statement order that does not depend on how a student arranged independent statements.

Fingerprints are taken over k-grams of consecutive tokens, so swapping two independent statements
changes the k-grams that span the boundary and, for statements shorter than k, all of them. This
module rewrites an answer into a canonical order first: within every block (the cell, a function
body, a loop body...) statements are sorted by their normalised text, subject only to the order the
data flow between them requires (a statement that binds a name stays before the statements that use
it, ``return`` and friends stay after everything before them). The result is a list of ranges
of the student's own text, so the report can show and highlight the answer as the student wrote it.

Code that does not parse (IPython magics, syntax errors) is left in its own order.
"""

from __future__ import annotations

import ast
import heapq
from collections.abc import Callable

BARRIERS = (ast.Return, ast.Raise, ast.Break, ast.Continue, ast.Global, ast.Nonlocal)
BLOCK_FIELDS = ("body", "orelse", "finalbody")


def _offsets(source: str) -> Callable[[int, int], int]:
    """Convert ast's (line, UTF-8 byte column) positions to indexes into ``source``."""
    lines = source.splitlines(keepends=True)
    starts, total = [], 0
    for line in lines:
        starts.append(total)
        total += len(line)
    starts.append(total)

    def index(lineno: int, col: int) -> int:
        if lineno - 1 >= len(lines):
            return total
        line = lines[lineno - 1]
        return starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8", errors="ignore"))
    return index


def _names(node: ast.AST) -> tuple[set[str], set[str]]:
    """(read, written) names of one statement; a def or class binds its name and reads only what runs
    when it is defined (decorators, defaults, bases), not its body."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        parts: list[ast.AST] = list(node.decorator_list)
        if isinstance(node, ast.ClassDef):
            parts += node.bases + [k.value for k in node.keywords]
        else:
            parts += node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
        reads = {n.id for part in parts for n in ast.walk(part) if isinstance(n, ast.Name)}
        return reads, {node.name}
    reads, writes = set(), set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            (reads if isinstance(child.ctx, ast.Load) else writes).add(child.id)
        elif isinstance(child, (ast.Attribute, ast.Subscript)) and not isinstance(child.ctx, ast.Load):
            base = child
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                base = base.value
            if isinstance(base, ast.Name):
                writes.add(base.id)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            writes.update((a.asname or a.name).split(".")[0] for a in child.names)
        elif isinstance(child, ast.AugAssign) and isinstance(child.target, ast.Name):
            reads.add(child.target.id)
    return reads, writes


def _is_barrier(node: ast.AST) -> bool:
    if isinstance(node, BARRIERS):
        return True
    return any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await)) for n in ast.walk(node)
               if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))


def _order(statements: list[ast.stmt], keys: list[str]) -> list[int]:
    """Indexes of ``statements`` in canonical order: smallest key first among those whose
    predecessors in the data flow are placed."""
    names = [_names(s) for s in statements]
    barrier = [_is_barrier(s) for s in statements]
    before: list[set[int]] = [set() for _ in statements]
    for j in range(len(statements)):
        reads_j, writes_j = names[j]
        for i in range(j):
            reads_i, writes_i = names[i]
            if barrier[i] or barrier[j] or writes_i & (reads_j | writes_j) or reads_i & writes_j:
                before[j].add(i)
    waiting = [len(b) for b in before]
    after: list[list[int]] = [[] for _ in statements]
    for j, preds in enumerate(before):
        for i in preds:
            after[i].append(j)
    ready = [(keys[i], i) for i in range(len(statements)) if not waiting[i]]
    heapq.heapify(ready)
    order = []
    while ready:
        _, i = heapq.heappop(ready)
        order.append(i)
        for j in after[i]:
            waiting[j] -= 1
            if not waiting[j]:
                heapq.heappush(ready, (keys[j], j))
    return order


class _Builder:
    def __init__(self, source: str, key: Callable[[str], str]) -> None:
        self.source, self.key = source, key
        self.index = _offsets(source)

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.index(node.lineno, node.col_offset)
        for decorator in getattr(node, "decorator_list", []):
            start = min(start, self.index(decorator.lineno, decorator.col_offset))
        return start, self.index(node.end_lineno, node.end_col_offset)

    def blocks(self, node: ast.AST) -> list[list[ast.stmt]]:
        found = [getattr(node, f) for f in BLOCK_FIELDS if getattr(node, f, None)]
        found += [h.body for h in getattr(node, "handlers", [])]
        found += [c.body for c in getattr(node, "cases", [])]
        return sorted((b for b in found if b), key=lambda b: self.span(b[0])[0])

    def statement(self, node: ast.stmt) -> list[tuple[int, int]]:
        """The original ranges of one statement, with its inner blocks in canonical order."""
        start, end = self.span(node)
        pieces, position = [], start
        for block in self.blocks(node):
            block_start, block_end = self.span(block[0])[0], self.span(block[-1])[1]
            if block_start < position or block_end > end:
                return [(start, end)]  # positions we do not understand: keep the statement as written
            pieces.append((position, block_start))
            pieces += self.block(block)
            position = block_end
        pieces.append((position, end))
        return pieces

    def block(self, statements: list[ast.stmt]) -> list[tuple[int, int]]:
        parts = [self.statement(s) for s in statements]
        keys = [self.key(p) for p in parts]
        ranges: list[tuple[int, int]] = []
        for i in _order(statements, keys):
            ranges += parts[i]
        return ranges


Ranges = list[tuple[int, int]]


def canonical_ranges(source: str, tree: ast.Module | None, key: Callable[[Ranges], str]) -> Ranges:
    """The ranges of ``source`` (start, end character indexes) in canonical statement order.

    ``key`` turns a statement's ranges into the text it is sorted by (its normalised tokens, so that
    renamed variables sort alike). With no parse tree (code that does not parse) the order is the
    student's: one range over the whole source.
    """
    if tree is None or not tree.body:
        return [(0, len(source))]
    return _Builder(source, key).block(tree.body)
