"""Compare a student's returned value with the expected one — pure, and always says by how much.

Checks run in order: missing -> type/arity -> shape -> non-finite pattern -> values. A
result is read as the contract says: `numpy.asarray(result, dtype=float)`, lists are
fine, a scalar problem's path may be (n,) or (n, 1), a scalar may be a size-1 array.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

Kind = Literal["ok", "missing", "type", "arity", "shape", "nonfinite", "value"]


@dataclass(frozen=True)
class Tolerance:
    """|got - expected| <= atol + rtol * |expected|, elementwise; atol may be per entry."""

    rtol: float
    atol: float | tuple[float, ...]

    def bound(self, expected: np.ndarray) -> np.ndarray:
        atol = np.asarray(self.atol, dtype=float)
        if atol.ndim:
            atol = atol.reshape(expected.shape)
        return atol + self.rtol * np.abs(expected)


@dataclass(frozen=True)
class PartComparison:
    """The verdict on one returned part (x_opt, the path, w ...)."""

    part: str
    kind: Kind
    n_total: int = 0
    n_bad: int = 0
    max_abs: float = 0.0
    max_rel: float = 0.0
    first_bad: int | None = None  # first bad step along a path's first axis
    got_shape: tuple[int, ...] | None = None
    expected_shape: tuple[int, ...] | None = None
    got_type: str = ""
    is_path: bool = False  # a path of iterates: first_bad is the step where it departs

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


@dataclass(frozen=True)
class Comparison:
    """The verdict on one call: ok when every part is."""

    kind: Kind
    parts: tuple[PartComparison, ...] = ()
    got_arity: int | None = None
    expected_arity: int | None = None

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    @property
    def credit(self) -> float:
        """The fraction of returned parts that match: partial credit within one case."""
        if not self.parts:
            return 1.0 if self.ok else 0.0
        return sum(p.ok for p in self.parts) / len(self.parts)

    @property
    def first_failure(self) -> PartComparison | None:
        return next((p for p in self.parts if not p.ok), None)


def as_float_array(value: Any) -> np.ndarray | None:
    """The contract's reading of a result; None when it is not numeric data."""
    if value is None or isinstance(value, str):
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def _fit_shape(got: np.ndarray, expected: np.ndarray) -> np.ndarray | None:
    if got.shape == expected.shape:
        return got
    if expected.ndim == 0 and got.size == 1:
        return got.reshape(())
    if expected.ndim == 1 and got.shape == (expected.shape[0], 1):
        return got.reshape(expected.shape)  # a scalar problem's path as a column
    return None


def compare_part(part: str, expected: Any, got: Any, tol: Tolerance) -> PartComparison:
    if type(expected) is float and type(got) is float:
        return _compare_floats(part, expected, got, tol)
    exp = np.asarray(expected, dtype=float)
    arr = as_float_array(got)
    if arr is None:
        return PartComparison(part, "type", got_type=type(got).__name__)
    fitted = _fit_shape(arr, exp)
    if fitted is None:
        return PartComparison(
            part, "shape", got_shape=tuple(arr.shape), expected_shape=tuple(exp.shape)
        )
    shape = tuple(exp.shape)
    exp_finite, got_finite = np.isfinite(exp), np.isfinite(fitted)
    pattern_bad = exp_finite != got_finite
    if pattern_bad.any():
        return PartComparison(
            part,
            "nonfinite",
            n_total=exp.size,
            n_bad=int(pattern_bad.sum()),
            first_bad=_first_step(pattern_bad),
            got_shape=shape,
            expected_shape=shape,
        )
    with np.errstate(all="ignore"):
        diff = np.where(exp_finite, np.abs(fitted - exp), 0.0)
        bad = diff > tol.bound(exp)
        rel = np.where(exp_finite & (exp != 0), diff / np.abs(exp), 0.0)
    return PartComparison(
        part,
        "value" if bad.any() else "ok",
        n_total=exp.size,
        n_bad=int(bad.sum()),
        max_abs=float(diff.max(initial=0.0)),
        max_rel=float(rel.max(initial=0.0)),
        first_bad=_first_step(bad),
        got_shape=shape,
        expected_shape=shape,
    )


def _compare_floats(part: str, expected: float, got: float, tol: Tolerance) -> PartComparison:
    """compare_part for two Python floats, most of a report's parts: the same IEEE
    operations as the array path, without its dozen numpy calls (~20 us each part)."""
    exp_finite, got_finite = math.isfinite(expected), math.isfinite(got)
    if exp_finite != got_finite:
        return PartComparison(
            part, "nonfinite", n_total=1, n_bad=1, first_bad=0, got_shape=(), expected_shape=()
        )
    atol = tol.atol if isinstance(tol.atol, float | int) else float(np.reshape(tol.atol, ()))
    diff = abs(got - expected) if exp_finite else 0.0
    bad = diff > atol + tol.rtol * abs(expected)
    rel = diff / abs(expected) if exp_finite and expected != 0 else 0.0
    return PartComparison(
        part,
        "value" if bad else "ok",
        n_total=1,
        n_bad=int(bad),
        max_abs=diff,
        max_rel=rel,
        first_bad=0 if bad else None,
        got_shape=(),
        expected_shape=(),
    )


def _first_step(bad: np.ndarray) -> int | None:
    if not bad.any():
        return None
    if bad.ndim == 0:
        return 0
    rows = bad.reshape(bad.shape[0], -1).any(axis=1)
    return int(np.argmax(rows))


def compare(
    expected: Any,
    got: Any,
    part_names: tuple[str, ...],
    tolerances: tuple[Tolerance, ...],
    path_part: str | None = None,
) -> Comparison:
    """Compare a whole returned value; multi-part results are tuples in contract order."""
    if not part_names:
        part = compare_part("result", expected, got, tolerances[0])
        return Comparison(part.kind, (_mark(part, path_part),))
    if not isinstance(got, list | tuple) or len(got) != len(part_names):
        arity = len(got) if isinstance(got, list | tuple) else None
        return Comparison("arity", got_arity=arity, expected_arity=len(part_names))
    parts = tuple(
        _mark(compare_part(name, e, g, t), path_part)
        for name, e, g, t in zip(part_names, expected, got, tolerances, strict=True)
    )
    failed = next((p for p in parts if not p.ok), None)
    return Comparison(failed.kind if failed else "ok", parts)


def _mark(part: PartComparison, path_part: str | None) -> PartComparison:
    return replace(part, is_path=True) if part.part == path_part else part
