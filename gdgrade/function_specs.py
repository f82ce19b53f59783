"""Functions passed to student code (f, fp), described as data.

A test function crosses the process boundary as text: the trusted side keeps the sympy
expression (for exact derivatives) and sends numpy source, which the sandbox child turns
back into a callable with only numpy in scope. This module must not import sympy at
module level: the child imports it too, and sympy costs ~0.5 s to import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal

import numpy as np

Output = Literal["scalar", "vector"]


@dataclass(frozen=True)
class FunctionSpec:
    """f(x) given by sympy expressions in `x` (n == 0) or in `x0 .. x{n-1}` (1-D input).

    `exprs` has one expression for a scalar-valued function, or one per component for a
    vector-valued one (a gradient).
    """

    exprs: tuple[str, ...]
    n: int = 0
    output: Output = "scalar"
    source: str = field(default="", compare=False)

    def variables(self) -> list[str]:
        return ["x"] if self.n == 0 else [f"x{j}" for j in range(self.n)]

    def sympy(self) -> list[Any]:
        return list(_parsed(self.exprs, self.n))

    def symbols(self) -> list[Any]:
        import sympy

        return [sympy.Symbol(name, real=True) for name in self.variables()]

    def numpy_source(self) -> str:
        """Python source over numpy for the child; computed on the trusted side."""
        if self.source:
            return self.source
        return _printed(self.exprs, self.n, self.output)

    def with_source(self) -> FunctionSpec:
        return FunctionSpec(self.exprs, self.n, self.output, self.numpy_source())

    def derivative(self) -> FunctionSpec:
        """f' (n == 0) or grad f (n > 0), exactly, by sympy."""
        return _derivative(self.exprs, self.n)

    @cached_property
    def callable(self) -> Callable[[Any], Any]:
        return build(self.numpy_source(), self.n, self.output)

    def __call__(self, x: Any) -> Any:
        return self.callable(x)

    def to_json(self) -> dict[str, Any]:
        return {
            "exprs": list(self.exprs),
            "n": self.n,
            "output": self.output,
            "source": self.numpy_source(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FunctionSpec:
        return cls(tuple(data["exprs"]), int(data["n"]), data["output"], data.get("source", ""))


# sympy's work on an expression, done once per expression in a process: a case set
# parses, prints and differentiates the same few functions many times (the probes of a
# finite difference share one f), and each takes sympy milliseconds.


@lru_cache(maxsize=4096)
def _parsed(exprs: tuple[str, ...], n: int) -> tuple[Any, ...]:
    import sympy

    names = ["x"] if n == 0 else [f"x{j}" for j in range(n)]
    symbols = {name: sympy.Symbol(name, real=True) for name in names}
    return tuple(sympy.sympify(e, locals=symbols) for e in exprs)


@lru_cache(maxsize=4096)
def _printed(exprs: tuple[str, ...], n: int, output: Output) -> str:
    from sympy.printing.numpy import NumPyPrinter

    printer = NumPyPrinter({"fully_qualified_modules": True})
    parts = [printer.doprint(e) for e in _parsed(exprs, n)]
    return parts[0] if output == "scalar" else "numpy.array([" + ", ".join(parts) + "])"


@lru_cache(maxsize=4096)
def _derivative(exprs: tuple[str, ...], n: int) -> FunctionSpec:
    import sympy

    spec = FunctionSpec(exprs, n)
    (expr,) = _parsed(exprs, n)
    if n == 0:
        return FunctionSpec((str(sympy.diff(expr, spec.symbols()[0])),), 0, "scalar")
    parts = tuple(str(sympy.diff(expr, s)) for s in spec.symbols())
    return FunctionSpec(parts, n, "vector")


_SAFE_BUILTINS: dict[str, Any] = {}


def build(source: str, n: int, output: Output) -> Callable[[Any], Any]:
    """A numpy float64 function from source: overflow gives inf/nan, never an exception."""
    code = compile(source, "<test function>", "eval")

    def f(x: Any) -> Any:
        scope: dict[str, Any]
        with np.errstate(all="ignore"):
            if n == 0:
                scope = {"x": np.float64(x) if np.ndim(x) == 0 else np.asarray(x, float)}
            else:
                v = np.asarray(x, dtype=float)
                scope = {f"x{j}": v[..., j] for j in range(n)}
            scope["numpy"] = np
            value = eval(code, {"__builtins__": _SAFE_BUILTINS}, scope)
            if output == "vector":
                return np.asarray(value, dtype=float)
            return value

    f.__name__ = "f"
    return f
