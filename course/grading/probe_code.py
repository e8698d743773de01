"""The integrity probe: fingerprints of everything a test cell's verdict depends on.

This file is sent, as text, to the graded kernel between cells and evaluated there with
``probe(known)``; the grader's worker imports the same functions to compute the expected
fingerprints of pristine modules. Standard library only, no course imports.

A fingerprint is a short string per object (kind, module, qualified name, a digest of the code,
defaults and closure), so a function swapped for a lambda, a patched ``__code__``, changed defaults
or a module whose class was replaced all show up. Per module the probe also returns a cheap
signature of object identities; the full per-name detail is only sent when that signature changed.
"""

from __future__ import annotations

import hashlib
import sys
import types

# The package the course's notebooks import: its checkers (``helpers.checks`` and any module under
# it) decide verdicts, its traceback reports show them. The one place the grader names it; a module
# belongs to it when its name is the package's or starts with the package's name and a dot.
HELPERS_PACKAGE = "helpers"
WATCHED_MODULES = (
    "builtins", "math", "operator", "traceback",
    "torch", "torch.nn", "torch.nn.functional", "torch.nn.modules.module", "torch.testing",
    "numpy", "numpy.testing",
)
WATCHED_PREFIXES = (HELPERS_PACKAGE,)
# Packages whose loaded submodules the grader's worker imports too before it computes the expected
# fingerprints: some of them legitimately rewrap functions when loaded (torch._dynamo wraps
# torch.manual_seed), so "pristine" means "pristine with the same modules loaded".
TRUSTED_ROOTS = ("torch", "numpy", HELPERS_PACKAGE)
WATCHED_CLASSES = (("torch", "Tensor"), ("torch.nn", "Module"))
SHELL_METHODS = (
    "showtraceback", "_showtraceback", "showsyntaxerror", "showindentationerror", "run_cell", "run_cell_async",
    "_run_cell", "run_ast_nodes", "run_code", "transform_cell", "transform_ast", "user_expressions", "excepthook",
    "get_exception_only", "_get_exc_info", "should_run_async", "ex", "ev", "system", "getoutput", "set_custom_exc",
)
KERNEL_METHODS = ("do_execute", "execute_request", "send_response", "_publish_execute_input", "_publish_status")
SIMPLE = (int, float, complex, str, bytes, bool, type(None))


def in_package(module: str, package: str) -> bool:
    """Whether the module named ``module`` is the package ``package`` or one of its submodules."""
    return module == package or module.startswith(package + ".")


def trusted_module(module: str) -> bool:
    """Whether ``module`` belongs to one of the TRUSTED_ROOTS packages."""
    return any(in_package(module, root) for root in TRUSTED_ROOTS)


def _code_digest(code: types.CodeType, h) -> None:
    h.update(code.co_code)
    h.update(repr((code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars, code.co_name)).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _code_digest(const, h)
        elif isinstance(const, frozenset):
            h.update(repr(sorted(repr(c) for c in const)).encode())
        else:
            h.update(repr(const).encode())


def _value_tag(value: object) -> str:
    if isinstance(value, SIMPLE):
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ",".join(_value_tag(v) for v in value) + ")"
    return type(value).__qualname__


def describe(obj: object, depth: int = 0) -> str:
    """A process-independent fingerprint of one callable (or of its type for other objects).

    Callables held in a function's closure are described one level deep (closures can be cyclic).
    """
    if isinstance(obj, types.MethodType):
        return "method>" + describe(obj.__func__, depth)
    if isinstance(obj, (staticmethod, classmethod)):
        return type(obj).__name__ + ">" + describe(obj.__func__, depth)
    if isinstance(obj, property):
        return "property>" + ",".join(describe(f, depth) if f is not None else "-"
                                      for f in (obj.fget, obj.fset, obj.fdel))
    if isinstance(obj, types.FunctionType):
        h = hashlib.sha256()
        _code_digest(obj.__code__, h)
        h.update(_value_tag(obj.__defaults__).encode())
        h.update(repr(sorted((k, _value_tag(v)) for k, v in (obj.__kwdefaults__ or {}).items())).encode())
        for cell in obj.__closure__ or () if depth < 1 else ():
            try:
                contents = cell.cell_contents
            except ValueError:
                contents = None
            h.update((describe(contents, depth + 1) if callable(contents) else _value_tag(contents)).encode())
        return f"function:{obj.__module__}:{obj.__qualname__}:{h.hexdigest()[:16]}"
    if isinstance(obj, (types.BuiltinFunctionType, types.BuiltinMethodType)):
        owner = getattr(obj, "__self__", None)
        owner_name = owner.__name__ if isinstance(owner, types.ModuleType) else type(owner).__qualname__
        return f"builtin:{owner_name}:{obj.__qualname__}"
    if isinstance(obj, type):
        return f"class:{obj.__module__}:{obj.__qualname__}"
    kind = type(obj)
    return f"object:{kind.__module__}:{kind.__qualname__}"


def _namespace(obj: object) -> dict:
    try:
        return dict(vars(obj))
    except TypeError:
        return {}


def _watched(namespace: dict) -> dict:
    return {k: v for k, v in namespace.items()
            if (callable(v) or isinstance(v, (staticmethod, classmethod, property)))
            and (not k.startswith("__") or k in ("__getattr__", "__eq__", "__ne__", "__bool__", "__class__"))}


def watched_objects() -> dict[str, object]:
    """The loaded modules and classes whose callables are fingerprinted, by name."""
    found: dict[str, object] = {}
    for name in WATCHED_MODULES:
        if name in sys.modules:
            found[name] = sys.modules[name]
    for name, module in list(sys.modules.items()):
        if any(in_package(name, prefix) for prefix in WATCHED_PREFIXES):
            found[name] = module
    for module_name, class_name in WATCHED_CLASSES:
        module = sys.modules.get(module_name)
        cls = _namespace(module).get(class_name) if module is not None else None
        if cls is not None:
            found[f"{module_name}.{class_name}"] = cls
    return found


def details(obj: object) -> dict[str, str]:
    """Fingerprint every watched callable of a module or class, plus the module's own type."""
    out = {name: describe(value) for name, value in _watched(_namespace(obj)).items()}
    out["<type>"] = describe(type(obj))
    return out


def signature(obj: object) -> str:
    """A cheap digest of object identities: it changes whenever anything watched is rebound or patched."""
    parts = [id(type(obj))]
    for name, value in sorted(_watched(_namespace(obj)).items()):
        func = getattr(value, "__func__", value)
        parts.append(hash(name))
        parts.append(id(value))
        if isinstance(func, types.FunctionType):
            parts += [id(func.__code__), id(func.__defaults__), id(func.__kwdefaults__)]
            parts += [id(c.cell_contents) if _has_contents(c) else 0 for c in func.__closure__ or ()]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _has_contents(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - reading an empty cell raises ValueError
    except ValueError:
        return False
    return True


def _user_defined(obj: object) -> bool:
    """True for functions and objects whose code was written in the notebook itself."""
    target = getattr(obj, "__func__", obj)
    code = getattr(target, "__code__", None)
    if code is None:
        target = type(obj)
        module = getattr(target, "__module__", "")
    else:
        module = getattr(target, "__module__", "")
        if code.co_filename.startswith("<") or "ipykernel_" in code.co_filename:
            return True
    return module in ("__main__", None, "") or str(module).startswith("__grader")


def environment() -> dict[str, str]:
    """Fingerprints of the interpreter and IPython hooks that decide how an error is reported."""
    import threading

    env = {
        "sys.excepthook": describe(sys.excepthook),
        "sys.displayhook": describe(sys.displayhook),
        "sys.breakpointhook": describe(sys.breakpointhook),
        "sys.unraisablehook": describe(sys.unraisablehook),
        "sys.gettrace": describe(sys.gettrace()),
        "sys.getprofile": describe(sys.getprofile()),
        "threading.trace": describe(getattr(threading, "_trace_hook", None)),
        "threading.profile": describe(getattr(threading, "_profile_hook", None)),
        "sys.stdout": describe(type(sys.stdout)) + describe(getattr(type(sys.stdout), "write", None)),
        "sys.stderr": describe(type(sys.stderr)) + describe(getattr(type(sys.stderr), "write", None)),
        "sys.meta_path": str([describe(f) for f in sys.meta_path if _user_defined(f)]),
        "sys.path_hooks": str([describe(f) for f in sys.path_hooks if _user_defined(f)]),
    }
    getipython = sys.modules.get("IPython.core.getipython")
    shell = getipython.get_ipython() if getipython else None
    if shell is None:
        return env
    cls = type(shell)
    for name in SHELL_METHODS:
        env[f"shell.{name}"] = describe(_namespace(cls).get(name) or getattr(cls, name, None))
    env["shell.overrides"] = str(sorted(k for k, v in _namespace(shell).items() if callable(v) and hasattr(cls, k)))
    # Which exceptions get a custom handler, and that handler's code (set_custom_exc keeps it in a closure).
    env["shell.custom_exceptions"] = (repr(getattr(shell, "custom_exceptions", ()))
                                      + describe(getattr(shell, "CustomTB", None)))
    for name in ("InteractiveTB", "SyntaxTB", "displayhook", "display_pub", "display_formatter", "compile"):
        part = getattr(shell, name, None)
        env[f"shell.{name}"] = describe(type(part)) + str(sorted(k for k, v in _namespace(part).items() if callable(v)))
    formatter = type(getattr(shell, "InteractiveTB", None))
    env["shell.InteractiveTB.structured_traceback"] = describe(getattr(formatter, "structured_traceback", None))
    for name in ("ast_transformers", "input_transformers_cleanup", "input_transformers_post"):
        env[f"shell.{name}"] = str([describe(t) for t in getattr(shell, name, ()) if _user_defined(t)])
    manager = getattr(shell, "input_transformer_manager", None)
    env["shell.input_transformer_manager"] = describe(type(manager)) + str(
        [describe(t) for t in getattr(manager, "cleanup_transforms", []) + getattr(manager, "line_transforms", [])
         if _user_defined(t)])
    events = getattr(shell, "events", None)
    callbacks = getattr(events, "callbacks", {}) or {}
    env["shell.events"] = str(sorted((name, describe(cb)) for name, cbs in callbacks.items()
                                     for cb in cbs if _user_defined(cb)))
    kernel = getattr(shell, "kernel", None)
    if kernel is not None:
        kcls = type(kernel)
        for name in KERNEL_METHODS:
            env[f"kernel.{name}"] = describe(getattr(kcls, name, None))
        env["kernel.overrides"] = str(sorted(k for k, v in _namespace(kernel).items()
                                             if callable(v) and hasattr(kcls, k)))
        session = getattr(kernel, "session", None)
        env["kernel.session"] = describe(type(session)) + describe(getattr(type(session), "send", None)) + str(
            sorted(k for k, v in _namespace(session).items() if callable(v) and hasattr(type(session), k)))
    return env


def loaded_modules() -> list[str]:
    """Loaded submodules of the trusted packages, sorted."""
    return sorted(name for name in list(sys.modules) if trusted_module(name))


def probe(known: dict[str, str]) -> dict:
    """Run in the kernel: signatures of watched objects, details where the signature is new, the hooks,
    and the list of loaded trusted modules when it changed."""
    sigs, detail = {}, {}
    modules = loaded_modules()
    sigs["__modules__"] = hashlib.sha256(repr(modules).encode()).hexdigest()[:16]
    for name, obj in watched_objects().items():
        sig = signature(obj)
        sigs[name] = sig
        if known.get(name) != sig:
            detail[name] = details(obj)
    changed = known.get("__modules__") != sigs["__modules__"]
    return {"sigs": sigs, "detail": detail, "env": environment(), "modules": modules if changed else None}
