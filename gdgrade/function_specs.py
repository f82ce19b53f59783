"""Functions passed to student code (f, fp), described as data.

A test function crosses the process boundary as text: the trusted side reads the
expression (`gdgrade.symbolic`, which also gives exact derivatives) and sends numpy
source, which the sandbox child turns back into a callable with only numpy in scope. The
child only compiles that source, so this module imports `gdgrade.symbolic` where it is used,
not at module level.
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
    """f(x) given by expressions in `x` (n == 0) or in `x0 .. x{n-1}` (1-D input), in the
    grammar of `gdgrade.symbolic`.

    `exprs` has one expression for a scalar-valued function, or one per component for a
    vector-valued one (a gradient).
    """

    exprs: tuple[str, ...]
    n: int = 0
    output: Output = "scalar"
    source: str = field(default="", compare=False)

    def variables(self) -> list[str]:
        return variable_names(self.n)

    def numpy_source(self) -> str:
        """Python source over numpy for the child; computed on the trusted side."""
        if self.source:
            return self.source
        return _printed(self.exprs, self.n, self.output)

    def with_source(self) -> FunctionSpec:
        return FunctionSpec(self.exprs, self.n, self.output, self.numpy_source())

    def derivative(self) -> FunctionSpec:
        """f' (n == 0) or grad f (n > 0), exactly."""
        return _derivative(self.exprs, self.n)

    def second_derivative(self, j: int = 0) -> FunctionSpec:
        """d²f/dx_j², exactly: a scalar function of the same variables."""
        return _second_derivative(self.exprs, self.n, j)

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


# The symbolic work on an expression, done once per expression in a process: a case set
# prints and differentiates the same few functions many times (the probes of a finite
# difference share one f).


def variable_names(n: int) -> list[str]:
    return ["x"] if n == 0 else [f"x{j}" for j in range(n)]


@lru_cache(maxsize=4096)
def _parsed(exprs: tuple[str, ...], n: int) -> tuple[Any, ...]:
    from gdgrade.symbolic import parse

    return tuple(parse(e, variable_names(n)) for e in exprs)


@lru_cache(maxsize=4096)
def _printed(exprs: tuple[str, ...], n: int, output: Output) -> str:
    from gdgrade.symbolic import to_numpy

    parts = [to_numpy(e) for e in _parsed(exprs, n)]
    return parts[0] if output == "scalar" else "numpy.array([" + ", ".join(parts) + "])"


def _scalar(exprs: tuple[str, ...], n: int) -> Any:
    parts = _parsed(exprs, n)
    if len(parts) != 1:
        raise ValueError("only a scalar function has a derivative here")
    return parts[0]


@lru_cache(maxsize=4096)
def _derivative(exprs: tuple[str, ...], n: int) -> FunctionSpec:
    from gdgrade.symbolic import derivative, to_text

    expr = _scalar(exprs, n)
    parts = tuple(to_text(derivative(expr, name)) for name in variable_names(n))
    return FunctionSpec(parts, n, "scalar" if n == 0 else "vector")


@lru_cache(maxsize=4096)
def _second_derivative(exprs: tuple[str, ...], n: int, j: int) -> FunctionSpec:
    from gdgrade.symbolic import derivative, to_text

    name = variable_names(n)[j]
    second = derivative(derivative(_scalar(exprs, n), name), name)
    return FunctionSpec((to_text(second),), n, "scalar")


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
