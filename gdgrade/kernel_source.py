"""Turn the functions currently defined in a notebook kernel into a standalone source.

`check()` in a notebook must never call the student's function in the kernel: it takes
the *source* of the current definitions and grades it in the sandbox like a `.py` file.
For each requested function this module takes `inspect.getsource` of the function object
(IPython keeps every executed cell's text, so this is the code as last run), and follows
the global names that code reads, so the source is complete on its own:

- modules (`np`) become imports, objects imported from installed libraries
  (`from math import sqrt`) become `from ... import ...`;
- other functions defined in the notebook (helpers) are carried by their source, in turn;
- plain constants (numbers, strings, tuples/lists/dicts of them, numeric numpy arrays)
  become assignments of their current value.

Nothing is called and no `repr` of a student object is taken: values are written only
for exact built-in and numpy types. What cannot be carried (an object of a class defined
in the notebook, a function built by `exec`, data loaded from a file) is listed, so the
student is told why a name is undefined in the check.
"""

from __future__ import annotations

import ast
import dis
import inspect
import math
import sys
import sysconfig
import textwrap
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAX_ARRAY_ENTRIES = 100_000
MAX_LITERAL_ITEMS = 10_000
_SCALARS = (int, float, complex, bool, str, bytes, type(None))


@dataclass(frozen=True)
class Extracted:
    source: str
    defined: tuple[str, ...]  # the requested names found as functions
    unavailable: tuple[tuple[str, str], ...]  # (function name, REASONS code)
    unresolved: tuple[tuple[str, str], ...]  # (global name, what its value is) not carried


# Why a function's source cannot be taken (codes; the catalogue explains each one).
REASONS = (
    "no_source",  # the kernel keeps no source for it (exec, a debugger, a C extension)
    "not_a_def",  # its source is not one def statement
    "nested",  # defined inside another function (it closes over local variables)
    "lambda",  # a lambda not assigned to its own name on its own line
    "not_function",  # the name is bound to something that is not a function
)


class _Unavailable(Exception):
    """This object's definition cannot be written as source; args[0] says why: a REASONS
    code for a function, a short description (its type) for a value."""


def _library_dirs() -> tuple[Path, ...]:
    paths = sysconfig.get_paths()
    keys = ("stdlib", "platstdlib", "purelib", "platlib")
    dirs = {Path(paths[k]).resolve() for k in keys if k in paths}
    dirs |= {Path(p).resolve() for p in sys.path if "site-packages" in p or "dist-packages" in p}
    return tuple(dirs)


def _installed_module(name: str | None) -> types.ModuleType | None:
    """The module if it is a library (stdlib or installed), not the student's own code."""
    if not name or name == "__main__":
        return None
    module = sys.modules.get(name)
    if module is None:
        return None
    file = getattr(module, "__file__", None)
    if file is None:  # built-in modules (math, sys)
        return module if name in sys.builtin_module_names else None
    resolved = Path(file).resolve()
    return module if any(resolved.is_relative_to(d) for d in _library_dirs()) else None


# --- literal values ---------------------------------------------------------------------


def _float_literal(x: float) -> str:
    if math.isfinite(x):
        return repr(x)
    return f'float("{x}")'


def literal(value: Any, budget: list[int] | None = None) -> str:
    """Python source that rebuilds a plain value; raises _Unavailable for anything else."""
    budget = budget if budget is not None else [MAX_LITERAL_ITEMS]
    budget[0] -= 1
    if budget[0] < 0:
        raise _Unavailable(f"> {MAX_LITERAL_ITEMS} items")
    t = type(value)
    if t is float:
        return _float_literal(value)
    if t is complex:
        return f"complex({_float_literal(value.real)}, {_float_literal(value.imag)})"
    if t in _SCALARS:
        return repr(value)
    if t in (tuple, list, set, frozenset):
        items = [literal(v, budget) for v in value]
        if t is tuple:
            return "(" + "".join(i + ", " for i in items) + ")"
        if t is list:
            return "[" + ", ".join(items) + "]"
        return f"{t.__name__}([" + ", ".join(items) + "])"
    if t is dict:
        pairs = [f"{literal(k, budget)}: {literal(v, budget)}" for k, v in value.items()]
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        if value.dtype.kind in "biuf":
            return f"__import__('numpy').{value.dtype.name}({literal(value.item())})"
        raise _Unavailable(f"numpy {value.dtype}")
    if t is np.ndarray:
        if value.dtype.kind not in "biuf":
            raise _Unavailable(f"ndarray of {value.dtype}")
        if value.size > MAX_ARRAY_ENTRIES:
            raise _Unavailable(f"ndarray of {value.size} entries")
        flat = ", ".join(literal(v) for v in value.ravel().tolist())
        shape = tuple(value.shape)
        return f"__import__('numpy').array([{flat}], dtype='{value.dtype.name}').reshape({shape})"
    raise _Unavailable(t.__name__)


# --- global names read by a function ----------------------------------------------------


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def global_names(fn: types.FunctionType, tree: ast.AST | None) -> list[str]:
    """Globals the body reads (LOAD_GLOBAL/LOAD_NAME), and the names the `def` line itself
    evaluates at definition time (decorators, defaults, annotations)."""
    names: list[str] = []
    for code in _code_objects(fn.__code__):
        for ins in dis.get_instructions(code):
            if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and isinstance(ins.argval, str):
                names.append(ins.argval)
    if isinstance(tree, ast.Module) and tree.body:
        node = tree.body[0]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            a = node.args
            header: list[ast.AST] = [*node.decorator_list, *a.defaults]
            header += [d for d in a.kw_defaults if d is not None]
            if node.returns is not None:
                header.append(node.returns)
            every = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
            header += [x.annotation for x in every if x is not None and x.annotation is not None]
            for part in header:
                names += [n.id for n in ast.walk(part) if isinstance(n, ast.Name)]
    return list(dict.fromkeys(names))


# --- the extraction ---------------------------------------------------------------------


class _Writer:
    def __init__(self) -> None:
        self.imports: dict[str, str] = {}  # bound name -> import statement
        self.constants: dict[str, str] = {}
        self.functions: dict[int, str] = {}  # id(function) -> source, in dependency order
        self.aliases: dict[str, str] = {}  # name -> the def's own name
        self.unresolved: dict[str, str] = {}  # values: name -> what it is
        self.unavailable: dict[str, str] = {}  # functions: name -> REASONS code
        self._visiting: set[int] = set()

    def source(self) -> str:
        parts = [
            "# Generated by gdgrade.check() from the notebook's current definitions.",
            *self.imports.values(),
            *(f"{name} = {text}" for name, text in self.constants.items()),
            *self.functions.values(),
            *(f"{name} = {target}" for name, target in self.aliases.items()),
        ]
        return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"

    def add_function(self, name: str, fn: types.FunctionType) -> None:
        """The function's source, after everything it reads; raises _Unavailable."""
        key = id(fn)
        if key in self.functions or key in self._visiting:
            self._alias(name, fn)
            return
        text, tree = function_source(fn)
        self._visiting.add(key)
        try:
            for dep in global_names(fn, tree):
                self.add_global(dep, fn.__globals__)
        finally:
            self._visiting.discard(key)
        self.functions[key] = text
        self._alias(name, fn)

    def _alias(self, name: str, fn: types.FunctionType) -> None:
        own = fn.__name__
        if own != name and own != "<lambda>":
            self.aliases[name] = own

    def add_global(self, name: str, namespace: Mapping[str, Any]) -> None:
        known = (self.imports, self.constants, self.unresolved, self.unavailable)
        if any(name in k for k in known):
            return
        if name not in namespace:
            return  # a builtin, or undefined: the sandbox shows the same NameError
        value = namespace[name]
        if isinstance(value, types.ModuleType):
            self.imports[name] = _import_module(name, value)
            return
        imported = _import_object(name, value)
        if imported is not None:
            self.imports[name] = imported
            return
        if isinstance(value, types.FunctionType):
            try:
                self.add_function(name, value)
            except _Unavailable as exc:
                self.unavailable[name] = exc.args[0]
            return
        try:
            self.constants[name] = literal(value)
        except _Unavailable as exc:
            self.unresolved[name] = str(exc)


def _import_module(name: str, module: types.ModuleType) -> str:
    real = module.__name__
    if real == name:
        return f"import {real}"
    return f"import {real} as {name}"


def _import_object(name: str, value: Any) -> str | None:
    """`from lib import obj as name` for objects that an installed library provides."""
    module_name = getattr(value, "__module__", None)
    own = getattr(value, "__name__", None)
    if not isinstance(module_name, str) or not isinstance(own, str):
        return None
    for candidate in (module_name, module_name.split(".")[0]):
        module = _installed_module(candidate)
        if module is not None and getattr(module, own, None) is value:
            return f"from {candidate} import {own}" + (f" as {name}" if own != name else "")
    return None


def function_source(fn: types.FunctionType) -> tuple[str, ast.Module | None]:
    """The dedented source of a `def` (or of `name = lambda ...`), checked to parse."""
    try:
        text = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError) as exc:
        raise _Unavailable("no_source") from exc
    try:
        tree = ast.parse(text)
    except SyntaxError:
        raise _Unavailable("not_a_def") from None
    if fn.__name__ == "<lambda>":
        ok = len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)
        if not ok:
            raise _Unavailable("lambda")
        return text, None
    if not (tree.body and isinstance(tree.body[0], ast.FunctionDef | ast.AsyncFunctionDef)):
        raise _Unavailable("not_a_def")
    if fn.__code__.co_freevars:
        raise _Unavailable("nested")
    return text, tree


def extract(namespace: Mapping[str, Any], names: Sequence[str]) -> Extracted:
    """The source that defines `names` as they are bound in `namespace` now."""
    writer = _Writer()
    defined: list[str] = []
    unavailable: list[tuple[str, str]] = []
    for name in names:
        value = namespace.get(name)
        if value is None:
            continue
        if not isinstance(value, types.FunctionType):
            unavailable.append((name, "not_function"))
            continue
        if value.__name__ == "<lambda>" and not _assigned_to(value, name):
            unavailable.append((name, "lambda"))
            continue
        try:
            writer.add_function(name, value)
        except _Unavailable as exc:
            unavailable.append((name, exc.args[0]))
            continue
        defined.append(name)
    unavailable += [(n, code) for n, code in writer.unavailable.items() if n not in names]
    return Extracted(
        source=writer.source(),
        defined=tuple(defined),
        unavailable=tuple(unavailable),
        unresolved=tuple(writer.unresolved.items()),
    )


def _assigned_to(fn: types.FunctionType, name: str) -> bool:
    """`name = lambda ...` on its own: the lambda's source line binds exactly `name`."""
    try:
        text, _ = function_source(fn)
    except _Unavailable:
        return True  # add_function reports why
    node = ast.parse(text).body[0]
    targets = node.targets if isinstance(node, ast.Assign) else []
    return len(targets) == 1 and isinstance(targets[0], ast.Name) and targets[0].id == name
