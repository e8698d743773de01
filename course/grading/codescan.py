"""Static scan of the code a student wrote, for code that can only be an attack on how tests are judged.

A finding needs evidence, not a name on a list: importing ``gc``, ``IPython`` or ``unittest.mock``,
calling ``exec``, redrawing a plot with ``display.clear_output`` or running ``%load_ext`` is what
ordinary notebooks do, and none of it changes a verdict by itself. What is reported is code whose
only effect can be on grading:

- changing what the tests run on: assigning, deleting or ``setattr``-ing anything in the checkers'
  package (``helpers``) or a library the checks rely on (``torch``, ``numpy``, ``builtins``, ``math``...),
  except their documented settings (``torch.backends``, ``pandas.options``); ``mock.patch`` aimed at
  them; replacing a module in ``sys.modules``; changing a function's code, defaults or closure;
- rebinding, at the top level, a name a test cell uses without importing it itself (a checker
  imported earlier), or a builtin the checks need (``AssertionError``, ``isinstance``...);
- changing how errors are reported: IPython's traceback display, exception handlers, code
  transformers, kernel event callbacks, ``sys.excepthook``, trace and profile functions, import hooks;
- reaching into the caller's frames or the garbage collector's object lists (where a checker's
  expected values live): ``sys._getframe``, ``inspect.currentframe``/``stack``, ``f_back``/``f_locals``,
  ``gc.get_objects``/``get_referrers``, ``__subclasses__``, ``ctypes.pythonapi``/``memmove``; and into
  a function's globals or a trusted module's namespace (``__globals__``, ``vars(helpers.checks)``).

The runtime probe (integrity.py) catches what this misses; this names the trick in words an
instructor can read. The scan is measured on every code cell of the lessons and a corpus of common
notebook habits (tests/course/grading/honest_habits.txt): it must find nothing there.
"""

from __future__ import annotations

import ast

from IPython.core.inputtransformer2 import TransformerManager

from .probe_code import HELPERS_PACKAGE, in_package

# Packages the checks and the grading depend on: changing them changes verdicts.
TRUSTED_ROOTS = {HELPERS_PACKAGE, "torch", "numpy", "pandas", "builtins", "math", "operator", "random", "numbers",
                 "traceback", "functools", "collections", "dataclasses", "contextlib", "typing", "importlib",
                 "unittest", "IPython", "ipykernel", "sklearn", "matplotlib"}
# Their documented settings: assigning these is configuration, not patching.
SETTINGS = ("torch.backends.", "pandas.options.", "matplotlib.rcParams", "matplotlib.pyplot.rcParams",
            "IPython.core.interactiveshell.InteractiveShell.ast_node_interactivity")
PROTECTED_BUILTINS = {"AssertionError", "Exception", "BaseException", "isinstance", "issubclass", "getattr",
                      "hasattr", "callable", "__import__", "__build_class__", "__builtins__"}
ERROR_REPORTING = {"showtraceback", "_showtraceback", "showsyntaxerror", "set_custom_exc", "custom_exceptions",
                   "ast_transformers", "input_transformers_post", "input_transformers_cleanup", "structured_traceback"}
SYS_HOOKS = {"excepthook", "displayhook", "breakpointhook", "meta_path", "path_hooks", "modules", "monitoring"}
TRACE_CALLS = {"sys.settrace", "sys.setprofile", "threading.settrace", "threading.setprofile",
               "threading.settrace_all_threads", "threading.setprofile_all_threads", "sys._getframe",
               "sys._current_frames", "inspect.currentframe", "inspect.stack", "inspect.getouterframes",
               "inspect.trace", "gc.get_objects", "gc.get_referrers", "gc.get_referents",
               "ctypes.pythonapi", "ctypes.memmove", "ctypes.memset", "ctypes.string_at", "ctypes.cast"}
FRAME_ATTRIBUTES = {"f_back", "f_locals", "f_globals", "tb_frame", "gi_frame", "cr_frame", "ag_frame",
                    "__subclasses__"}
# Changing these on any object swaps what a function does or what an object claims to be.
FUNCTION_INTERNALS = {"__code__", "__defaults__", "__kwdefaults__", "__closure__", "__class__", "__bases__"}
LIST_CHANGES = {"append", "insert", "extend", "remove", "clear", "pop", "__setitem__", "__delitem__", "update",
                "setdefault", "register", "unregister"}

_transformer = TransformerManager()


def _dotted(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"], or None when the chain does not start at a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def _parse(source: str) -> ast.Module | None:
    """The cell as Python's AST, after IPython's own magic-to-Python translation (top-level ``await``
    allowed, as in IPython), or None when it does not parse."""
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    try:
        return compile(_transformer.transform_cell(source), "<cell>", "exec", flags=flags, dont_inherit=True)
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        return None


def _magic_code(node: ast.AST) -> str | None:
    """The code a magic call runs (``%%time``'s cell, ``%time``'s line), if ``node`` is one."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    index = {"run_cell_magic": 2, "run_line_magic": 1}.get(node.func.attr)
    if index is None or len(node.args) <= index:
        return None
    body = node.args[index]
    return body.value if isinstance(body, ast.Constant) and isinstance(body.value, str) else None


def imported_names(sources: list[str]) -> dict[str, str]:
    """Names bound by import statements anywhere in the notebook -> the full dotted name they stand for."""
    names: dict[str, str] = {}
    for source in sources:
        tree = _parse(source)
        for node in ast.walk(tree) if tree else ():
            body = _magic_code(node)
            if body is not None:
                names.update(imported_names([body]))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    names[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def free_names(source: str) -> set[str]:
    """Names a cell reads without binding them anywhere in itself (what it takes from earlier cells)."""
    tree = _parse(source)
    if tree is None:
        return set()
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return loaded - bound


def inherited_names(test_sources: list[str], other_sources: list[str]) -> dict[str, str]:
    """Names test cells use without binding them themselves, bound by an import elsewhere in the
    notebook (the instructor's cells or another test cell): name -> the dotted name it stands for.

    Rebinding one of these between the import and the test changes what the test runs; rebinding a
    checker that the test cell imports again itself changes nothing.
    """
    imports = imported_names(list(other_sources) + list(test_sources))
    used: set[str] = set()
    for source in test_sources:
        used |= free_names(source)
    return {name: imports[name] for name in sorted(used) if name in imports}


def _same_import(a: str, b: str) -> bool:
    """Whether two dotted import names bind the same thing (the same name from the same package)."""
    return a == b or (a.split(".")[0] == b.split(".")[0] and a.split(".")[-1] == b.split(".")[-1])


def _trusted(dotted: str) -> bool:
    """Whether ``dotted`` names something inside a package the checks rely on, outside its settings."""
    if not any(in_package(dotted, root) for root in TRUSTED_ROOTS):
        return False
    return not any(dotted == s.rstrip(".") or dotted.startswith(s) for s in SETTINGS)


class _Scanner(ast.NodeVisitor):
    def __init__(self, imports: dict[str, str], checkers: dict[str, str]) -> None:
        self.imports, self.checkers = imports, checkers
        self.findings: list[str] = []
        self.depth = 0  # > 0 inside a function or lambda: its names are its own

    def add(self, text: str) -> None:
        if text not in self.findings:
            self.findings.append(text)

    def full(self, node: ast.AST) -> str | None:
        """The dotted name an expression stands for when it starts at an imported name."""
        chain = _dotted(node)
        if not chain or chain[0] not in self.imports:
            if chain and chain[0] in ("sys", "builtins", "__builtins__"):
                return ".".join(["builtins" if chain[0] == "__builtins__" else chain[0], *chain[1:]])
            return None
        return ".".join([self.imports[chain[0]], *chain[1:]])

    # changing what the tests run on ----------------------------------------------------------------
    def _store(self, target: ast.AST, verb: str) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._store(element, verb)
        elif isinstance(target, ast.Starred):
            self._store(target.value, verb)
        elif isinstance(target, ast.Name):
            self._bind(target.id, verb)
        elif isinstance(target, ast.Subscript):
            self._store_item(target.value, verb)
        elif isinstance(target, ast.Attribute):
            self._store_attribute(target, verb)

    def _store_item(self, owner: ast.AST, verb: str) -> None:
        if isinstance(owner, ast.Attribute) and owner.attr == "__globals__":
            self.add(f"{verb} an entry of the globals of {self.full(owner.value) or 'a function'}")
        elif isinstance(owner, ast.Attribute) and owner.attr == "__dict__" and self._is_trusted(owner.value):
            self.add(f"{verb} an entry of the namespace of {self.full(owner.value)}")
        elif self.full(owner) == "sys.modules" and verb == "assigns":
            self.add("replaces a module in sys.modules")
        elif isinstance(owner, ast.Name) and owner.id == "__builtins__":
            self.add(f"{verb} a builtin through __builtins__")

    def _is_trusted(self, node: ast.AST) -> bool:
        dotted = self.full(node)
        return dotted is not None and (_trusted(dotted) or dotted.startswith("sys."))

    def _store_attribute(self, target: ast.Attribute, verb: str) -> None:
        if target.attr in FUNCTION_INTERNALS:
            self.add(f"{verb} {target.attr} of {self.full(target.value) or 'an object'}")
            return
        if target.attr in ERROR_REPORTING:
            self.add(f"changes the kernel's error reporting ({target.attr})")
            return
        if target.attr == "__dict__" and self._is_trusted(target.value):
            self.add(f"{verb} the namespace of {self.full(target.value)}")
            return
        dotted = self.full(target)
        if dotted is None:
            return
        if dotted.startswith("sys."):
            if dotted.split(".")[1] in SYS_HOOKS:
                self.add(f"{verb} {dotted}")
        elif _trusted(dotted):
            self.add(f"{verb} {dotted}")

    def _bind(self, name: str, verb: str) -> None:
        if self.depth:
            return
        if name in self.checkers:
            self.add(f"rebinds {name}, which a test cell takes from an earlier import")
        elif name in PROTECTED_BUILTINS:
            self.add(f"rebinds the builtin {name}")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._store(target, "assigns")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._store(node.target, "assigns")
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._store(node.target, "assigns")
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._store(node.target, "assigns")
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if not (isinstance(target, ast.Subscript) and self.full(target.value) == "sys.modules"):
                self._store(target, "deletes")  # deleting from sys.modules only forces a fresh import
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self._bind_import(alias.asname, alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self._bind_import(alias.asname or alias.name, f"{node.module or ''}.{alias.name}")
        self.generic_visit(node)

    def _bind_import(self, name: str, dotted: str) -> None:
        # Importing the same thing again (numpy as np, a checker from helpers) is not a rebinding.
        if name in self.checkers and not _same_import(dotted, self.checkers[name]):
            self._bind(name, "imports")
        elif name in PROTECTED_BUILTINS and dotted != f"builtins.{name}":
            self._bind(name, "imports")

    def _function(self, node: ast.AST, name: str | None) -> None:
        if name is not None:
            self._bind(name, "defines")
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node, node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._function(node, None)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._bind(node.name, "defines")
        self.generic_visit(node)

    # calls ---------------------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("setattr", "delattr") and node.args \
                and self._is_trusted(node.args[0]):
            self.add(f"calls {func.id} on {self.full(node.args[0])}")
        if isinstance(func, ast.Name) and func.id == "vars" and node.args and self._is_trusted(node.args[0]):
            self.add(f"reaches into the namespace of {self.full(node.args[0])}")
        if isinstance(func, ast.Attribute):
            self._call_on_attribute(node, func)
            self._magic_body(node)
        self._mock_patch(node)
        self.generic_visit(node)

    def _magic_body(self, node: ast.Call) -> None:
        """Code run by a magic (``%%time``, ``%%capture``, ``%time ...``) is scanned like the cell."""
        body = _magic_code(node)
        tree = _parse(body) if body is not None else None
        if tree is not None:
            self.visit(tree)

    def _call_on_attribute(self, node: ast.Call, func: ast.Attribute) -> None:
        owner = func.value
        if func.attr == "set_custom_exc":
            self.add("changes the kernel's error reporting (set_custom_exc)")
        if func.attr in LIST_CHANGES:
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else None
            owner_full = self.full(owner)
            if owner_name in ERROR_REPORTING:
                self.add(f"changes the kernel's error reporting ({owner_name})")
            elif owner_name == "events" and func.attr == "register":
                self.add("registers a kernel event callback")
            elif owner_full in ("sys.meta_path", "sys.path_hooks"):
                self.add(f"changes {owner_full} (import hooks)")
            elif owner_full == "sys.modules" and func.attr in ("update", "setdefault", "__setitem__"):
                self.add("replaces a module in sys.modules")
            elif owner_name == "__globals__" and func.attr != "pop":
                self.add(f"changes the globals of {self.full(owner.value) or 'a function'}")
            elif owner_name == "__dict__" and self._is_trusted(owner.value):
                self.add(f"changes the namespace of {self.full(owner.value)}")
            elif isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "vars" \
                    and owner.args and self._is_trusted(owner.args[0]):
                self.add(f"changes the namespace of {self.full(owner.args[0])}")

    def _mock_patch(self, node: ast.Call) -> None:
        """``mock.patch("helpers.checks.check_equal")``, ``mock.patch.object(torch, "allclose")``..."""
        func = node.func
        callee = self.full(func) if isinstance(func, ast.Attribute) else self.imports.get(getattr(func, "id", ""))
        parts = (callee or "").split(".")
        if "mock" not in parts or "patch" not in parts[-2:] or not node.args:
            return
        if parts[-1] == "object":
            if self._is_trusted(node.args[0]):
                self.add(f"patches {self.full(node.args[0])} (mock.patch.object)")
        elif isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            target = node.args[0].value
            if _trusted(target) or target.split(".")[0] == "sys":
                self.add(f"patches {target} (mock.patch)")

    # reaching into frames and internals ----------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in FRAME_ATTRIBUTES:
            self.add(f"reaches into {node.attr}")
        elif node.attr == "__globals__":
            self.add(f"reaches into the globals of {self.full(node.value) or 'a function'}")
        elif node.attr == "__dict__" and self._is_trusted(node.value):
            self.add(f"reaches into the namespace of {self.full(node.value)}")
        elif isinstance(node.ctx, ast.Load) and self.full(node) in TRACE_CALLS:
            self.add(f"uses {self.full(node)}")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load) and self.imports.get(node.id) in TRACE_CALLS:
            self.add(f"uses {self.imports[node.id]}")


def scan_code(source: str, imports: dict[str, str], checkers: dict[str, str]) -> list[str]:
    """What in ``source`` can only be an attack on how tests are judged (empty for ordinary code).

    ``imports`` maps names the notebook imports to what they stand for (``imported_names``);
    ``checkers`` are the names test cells take from earlier imports (``inherited_names``). A cell that
    does not parse finds nothing: it fails when it runs.
    """
    tree = _parse(source)
    if tree is None:
        return []
    scanner = _Scanner(imports, checkers)
    scanner.visit(tree)
    return scanner.findings
