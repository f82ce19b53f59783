"""Submissions with no mathematics in them, written from the contract.

Each kind answers every one of the nine functions without computing anything: zeros, the
input itself (x0 / w0 / x, repeated along a path), a constant, an empty array, or the
answer the student release ships for a public case whose input matches (and the input
otherwise). Shapes follow the contract: a path has one row per iteration or epoch, every
other part the start's shape. The grader must give none of them points.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from gdgrade.contract import SIGNATURES, Signature
from gdgrade.expectation import Expectation

KINDS = ("zeros", "input", "constant", "empty", "public_answer")
CONSTANT = 42.0
_STARTS = ("x0", "w0", "x")
_LENGTHS = ("max_iter", "n_iter", "n_epochs")

# The one way of telling inputs apart, used both to build the table and, inside the
# submission, to look it up: every numeric argument, in order, rounded.
KEY_SOURCE = """
def _key(args):
    out = []
    for a in args:
        try:
            values = np.asarray(a, dtype=float).ravel()
        except (TypeError, ValueError):
            continue  # a test function or a generator
        out.extend(round(float(v), 10) for v in values)
    return repr(out)
"""

_HELPERS = '''
import json

import numpy as np

CONSTANT = {constant!r}
TABLE = json.loads({table!r})
{key_source}

def _shaped(kind, like, n=None):
    like = np.asarray(like, dtype=float)
    shape = like.shape if n is None else (int(n), *like.shape)
    if kind == "zeros":
        out = np.zeros(shape)
    elif kind == "constant":
        out = np.full(shape, CONSTANT)
    elif kind == "empty":
        return np.zeros((0,))
    else:  # the input, repeated along a path
        out = np.broadcast_to(like, shape).copy()
    return float(out) if out.ndim == 0 else out


def _answer(kind, exercise, args, parts):
    """parts: (start value, path length or None) per returned part."""
    if kind == "public_answer":
        found = TABLE.get(exercise, {{}}).get(_key(args))
        if found is not None:
            values = [np.asarray(v, dtype=float) for v in found]
            values = [float(v) if v.ndim == 0 else v for v in values]
            return tuple(values) if len(parts) > 1 else values[0]
        kind = "input"
    values = [_shaped(kind, like, n) for like, n in parts]
    return tuple(values) if len(parts) > 1 else values[0]
'''


def _first(names: Iterable[str], params: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in params), None)


def _parts(sig: Signature) -> list[tuple[str, bool]]:
    """(name of the parameter it is shaped like, is it a path) per returned part."""
    start = _first(_STARTS, sig.params)
    if not sig.returns:
        return [(start, sig.path_part == "result")]
    return [
        (name if name in sig.params else start, name in ("path", "paths")) for name in sig.returns
    ]


def _function(sig: Signature, kind: str) -> str:
    length = _first(_LENGTHS, sig.params)
    parts = ", ".join(f"({like}, {length if path else None})" for like, path in _parts(sig))
    params = ", ".join(sig.params)
    return (
        f"\n\ndef {sig.name}({params}):\n"
        f"    return _answer({kind!r}, {sig.name!r}, ({params},), [{parts}])\n"
    )


def key_of(args: tuple[Any, ...]) -> str:
    scope: dict[str, Any] = {"np": np}
    exec(KEY_SOURCE, scope)  # the same code the submission runs
    return scope["_key"](args)


def _plain(value: Any) -> Any:
    parts = value if isinstance(value, tuple) else (value,)
    return [np.asarray(p, dtype=float).tolist() for p in parts]


def lookup_table(shipped: Mapping[str, tuple[Expectation, ...]]) -> dict[str, dict[str, Any]]:
    """exercise -> input key -> the shipped answer, from the release's public expectations."""
    return {
        exercise: {key_of(e.case.args): _plain(e.target) for e in items}
        for exercise, items in shipped.items()
    }


def trivial_source(kind: str, table: Mapping[str, Any] | None = None) -> str:
    """A submission defining all nine functions, each answering the trivial way `kind`."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    header = _HELPERS.format(
        constant=CONSTANT, table=json.dumps(table or {}), key_source=KEY_SOURCE
    )
    return header + "".join(_function(sig, kind) for sig in SIGNATURES)
