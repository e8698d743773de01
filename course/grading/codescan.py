"""Static scan of the code a student wrote, for tricks that could change how tests are judged.

Looks (with Python's ``ast``, after IPython's own magic-to-Python translation) for code that patches
checkers, the functions they rely on, the interpreter's or IPython's error reporting, or that
reaches for machinery honest answers never need (``exec``, frames, ``gc``, ``ctypes``...).
The runtime probe catches what this misses; this names the trick in words an instructor can read.
"""

from __future__ import annotations

import ast
import importlib
import sys

from IPython.core.inputtransformer2 import TransformerManager

SUSPICIOUS_MODULES = {"ctypes", "gc", "builtins", "importlib", "imp", "IPython", "ipykernel", "marshal",
                      "unittest.mock", "mock"}
SYS_HOOKS = {"settrace", "setprofile", "excepthook", "displayhook", "modules", "meta_path", "path_hooks",
             "_getframe", "breakpointhook", "unraisablehook", "stdout", "stderr", "monitoring"}
DUNDER_HOOKS = {"__code__", "__globals__", "__closure__", "__defaults__", "__kwdefaults__", "__builtins__",
                "f_globals", "f_locals", "f_back", "f_lineno", "f_trace", "tb_frame", "gi_frame", "cr_frame",
                "__subclasses__", "__import__"}
DYNAMIC_CALLS = {"exec", "eval", "compile", "__import__", "breakpoint"}
PROTECTED_BUILTINS = {"AssertionError", "Exception", "BaseException", "isinstance", "issubclass", "getattr",
                      "hasattr", "callable", "__import__", "__build_class__"}
RISKY_MAGICS = {"xmode", "config", "load_ext", "reload_ext", "unload_ext", "run", "load", "alias_magic",
                "autoreload", "aimport", "pdb", "debug", "tb", "colors", "prun", "env"}
RESOLVABLE_ROOTS = {"torch", "numpy", "helpers", "math", "random", "builtins", "operator"}
ERROR_HOOK_NAMES = {"showtraceback", "_showtraceback", "set_custom_exc", "ast_transformers", "input_transformers_post",
                    "input_transformers_cleanup", "InteractiveTB", "structured_traceback", "custom_exceptions"}

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


def imported_names(sources: list[str]) -> dict[str, str]:
    """Names bound by import statements anywhere in the notebook -> the full dotted name they stand for."""
    names: dict[str, str] = {}
    for source in sources:
        tree = _parse(source)
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.Import):
                for alias in node.names:
                    names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(_transformer.transform_cell(source))
    except (SyntaxError, ValueError, TypeError):
        return None


def _resolves_to_callable(dotted: str) -> bool:
    """Whether ``dotted`` names a function or class in an installed, trusted module (imported here)."""
    parts = dotted.split(".")
    if parts[0] not in RESOLVABLE_ROOTS:
        return True
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        if module_name not in sys.modules:
            try:
                importlib.import_module(module_name)
            except Exception:  # noqa: BLE001 - not a module: try a shorter prefix
                continue
        obj = sys.modules[module_name]
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return callable(obj) or type(obj).__name__ == "module"
    return True


class _Scanner(ast.NodeVisitor):
    def __init__(self, imports: dict[str, str], checkers: set[str]) -> None:
        self.imports, self.checkers = imports, checkers
        self.findings: list[str] = []

    def add(self, text: str) -> None:
        if text not in self.findings:
            self.findings.append(text)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name in SUSPICIOUS_MODULES or alias.name.split(".")[0] in SUSPICIOUS_MODULES:
                self.add(f"imports {alias.name}")
            if (alias.asname or "") in self.checkers:
                self.add(f"rebinds the checker name {alias.asname}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if module in SUSPICIOUS_MODULES or module.split(".")[0] in SUSPICIOUS_MODULES:
            self.add(f"imports from {module}")
        elif module == "unittest" and any(alias.name == "mock" for alias in node.names):
            self.add("imports unittest.mock")
        for alias in node.names:
            bound = alias.asname or alias.name
            if bound in self.checkers and module.split(".")[0] != "helpers":
                self.add(f"rebinds the checker name {bound}")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain = _dotted(node)
        if node.attr in DUNDER_HOOKS:
            self.add(f"reaches into {node.attr}")
        if node.attr in ERROR_HOOK_NAMES:
            self.add(f"touches the kernel's error reporting ({node.attr})")
        module = self.imports.get(chain[0], chain[0]) if chain else ""
        if module in ("sys", "threading") and len(chain) > 1 and chain[1] in SYS_HOOKS:
            reading_output = chain[1] in ("stdout", "stderr") and not isinstance(node.ctx, ast.Store)
            if not reading_output:
                self.add(f"uses {module}.{chain[1]}")
        if chain and self.imports.get(chain[0], "") == "inspect" and chain[-1] in ("currentframe", "stack", "getouterframes"):
            self.add(f"inspects frames (inspect.{chain[-1]})")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in ("get_ipython", "__builtins__", "__IPYTHON__"):
            self.add(f"uses {node.id}")
        if isinstance(node.ctx, ast.Store) and (node.id in self.checkers or node.id in PROTECTED_BUILTINS):
            self.add(f"rebinds {node.id}")
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name in self.checkers or node.name in PROTECTED_BUILTINS:
            self.add(f"redefines {node.name}")
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.name in self.checkers or node.name in PROTECTED_BUILTINS:
            self.add(f"redefines {node.name}")
        self.generic_visit(node)

    def _store_target(self, target: ast.AST, verb: str) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._store_target(element, verb)
            return
        if isinstance(target, ast.Subscript):
            chain = _dotted(target.value)
            if chain and chain[-1] in ("__dict__", "modules"):
                self.add(f"{verb} {'.'.join(chain)}[...]")
            return
        if not isinstance(target, ast.Attribute):
            return
        chain = _dotted(target)
        if not chain:
            return
        root = chain[0]
        if target.attr in ("__class__", "__dict__", "__code__"):
            self.add(f"{verb} {'.'.join(chain)}")
        elif root in self.imports:
            full = ".".join([self.imports[root], *chain[1:]])
            if root in self.checkers or full.split(".")[0] == "helpers" or _resolves_to_callable(full):
                self.add(f"{verb} {full}")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._store_target(target, "assigns")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._store_target(node.target, "assigns")
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._store_target(node.target, "assigns")
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._store_target(target, "deletes")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in DYNAMIC_CALLS:
            self.add(f"runs dynamically built code ({func.id})")
        if isinstance(func, ast.Name) and func.id in ("setattr", "delattr") and node.args:
            chain = _dotted(node.args[0])
            if chain is None or chain[0] in self.imports or chain[0] in ("sys", "builtins"):
                self.add(f"calls {func.id} on {'.'.join(chain) if chain else 'a computed object'}")
        if isinstance(func, ast.Attribute):
            if func.attr in ("run_line_magic", "run_cell_magic") and node.args and isinstance(node.args[0], ast.Constant):
                magic = str(node.args[0].value).lstrip("%")
                if magic in RISKY_MAGICS:
                    self.add(f"uses the %{magic} magic")
            if func.attr in ("update", "setdefault", "pop", "clear", "__setitem__") and isinstance(func.value, ast.Attribute) \
                    and func.value.attr in ("__dict__", "modules"):
                self.add(f"changes {'.'.join(_dotted(func.value) or [func.value.attr])}")
            if func.attr == "register" and isinstance(func.value, ast.Attribute) and func.value.attr == "events":
                self.add("registers a kernel event callback")
        self.generic_visit(node)


def scan_code(source: str, imports: dict[str, str], checkers: set[str]) -> list[str]:
    """What in ``source`` looks like tampering (empty for ordinary answer code)."""
    tree = _parse(source)
    if tree is None:
        return []
    scanner = _Scanner(imports, checkers)
    original_uses_ipython = "get_ipython" in source
    scanner.visit(tree)
    findings = scanner.findings
    if not original_uses_ipython:
        findings = [f for f in findings if f != "uses get_ipython"]
    return findings
