"""Which cases an answer with no mathematics in it passes — pure, from the expectations.

A case is degenerate when a trivial answer earns credit on it, on any returned part:
zeros, NaN everywhere, one of the case's own numeric arguments (x0, w0, x, ...) repeated
to the part's shape, a constant of the part's shape (an empty path, a path that never
moves), or, for a hidden case, the answer of one of the exercise's public cases (students
have those). Such a case shows nothing about the solution; gdgrade.score decides what it
may earn. Nothing here looks at case names, so it holds for any case set.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from gdgrade.compare import Tolerance
from gdgrade.expectation import Expectation

# A batch grades every student against the same Expectation objects (grader.grade caches
# them): remember the answer per case set. Entries hold the objects, so ids stay theirs.
_KEPT = 64
_seen: OrderedDict[tuple[int, ...], tuple[tuple[Expectation, ...], tuple[bool, ...]]] = (
    OrderedDict()
)


def degenerate_cases(expectations: Sequence[Expectation]) -> tuple[bool, ...]:
    """For each case, in order: does some trivial answer earn credit on it?"""
    key = tuple(id(e) for e in expectations)
    if key in _seen:
        _seen.move_to_end(key)
        return _seen[key][1]
    public = [e for e in expectations if e.case.visibility == "public"]
    found = tuple(
        _degenerate(e, public if e.case.visibility == "hidden" else ()) for e in expectations
    )
    _seen[key] = (tuple(expectations), found)
    if len(_seen) > _KEPT:
        _seen.popitem(last=False)
    return found


def _parts(value: Any, n_parts: int) -> tuple[Any, ...]:
    """The returned parts of a value; () when it is not a tuple of them."""
    if n_parts == 0:
        return (value,)
    ok = isinstance(value, tuple | list) and len(value) == n_parts
    return tuple(value) if ok else ()


def _degenerate(e: Expectation, public: Sequence[Expectation]) -> bool:
    n_parts = len(e.part_names)
    arguments = [a for a in (_numeric(x) for x in e.case.args) if a is not None]
    shipped = [p for p in (_parts(x.target, n_parts) for x in public) if p]
    for target in (e.target, *e.alternatives):
        for k, expected in enumerate(_parts(target, n_parts)):
            exp = _numeric(expected)
            if exp is None:
                continue
            guesses = _guesses(exp, arguments, [answer[k] for answer in shipped])
            if any(_passes(exp, guess, e.tolerances[k]) for guess in guesses):
                return True
    return False


def _guesses(
    exp: np.ndarray, arguments: Sequence[np.ndarray], answers: Sequence[Any]
) -> Iterator[Any]:
    yield np.zeros(exp.shape)
    yield np.full(exp.shape, np.nan)
    if exp.size > 1:  # a constant: one number for every entry
        yield np.full(exp.shape, exp.flat[0])
    for arg in arguments:
        try:
            yield np.broadcast_to(arg, exp.shape)
        except ValueError:
            continue
    for answer in answers:
        guess = _numeric(answer)
        if guess is not None:
            yield guess


def _numeric(value: Any) -> np.ndarray | None:
    if isinstance(value, bool):
        return None
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None  # a test function, a generator


def _passes(expected: np.ndarray, guess: np.ndarray, tol: Tolerance) -> bool:
    """The comparison's rule (same shape, same non-finite pattern, values within tolerance)."""
    if guess.shape != expected.shape:
        return False
    finite = np.isfinite(expected)
    if np.any(finite != np.isfinite(guess)):
        return False
    with np.errstate(all="ignore"):
        diff = np.where(finite, np.abs(guess - expected), 0.0)
        return bool(np.all(diff <= tol.bound(expected)))
