"""Plain-JSON encoding of case arguments and results.

One format serves the public case files, the sandbox wire protocol and the JSON report:
floats round-trip exactly (json writes repr), non-finite floats are spelled out, arrays
carry their shape, and only numbers, strings, lists, tuples, arrays, test functions and
rng seeds are representable, so nothing executable ever crosses it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdgrade.function_specs import FunctionSpec

_NONFINITE = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}


@dataclass(frozen=True)
class RngSpec:
    """A `numpy.random.Generator` to create in the child: `default_rng(seed)`."""

    seed: int

    def make(self) -> np.random.Generator:
        return np.random.default_rng(self.seed)


class EncodeError(TypeError):
    """The value is not plain data (a student object, an object array, a complex)."""


def _number(x: float) -> Any:
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def encode(value: Any) -> Any:
    """Plain data -> JSON-able; refuses anything else with EncodeError."""
    t = type(value)
    if t is bool:
        return {"bool": value}
    if t is int:
        return value
    if t is float:
        return {"float": _number(value)} if not math.isfinite(value) else value
    if t is str:
        return {"str": value}
    if value is None:
        return None
    if t in (list, tuple):
        items = [encode(v) for v in value]
        return items if t is list else {"tuple": items}
    if isinstance(value, np.generic) and t.__module__ == "numpy":
        return encode(value.item()) if value.dtype.kind in "biuf" else _refuse(value)
    if t is np.ndarray:
        if value.dtype.kind not in "biuf":
            _refuse(value)
        numbers = value.astype(float).ravel()
        flat = numbers.tolist()  # Python floats, as float(v) gives them, in one call
        if not np.isfinite(numbers).all():
            flat = [_number(v) for v in flat]
        return {"array": flat, "shape": list(value.shape)}
    if t is FunctionSpec:
        return {"function": value.to_json()}
    if t is RngSpec:
        return {"rng": value.seed}
    return _refuse(value)


def _refuse(value: Any) -> Any:
    raise EncodeError(f"unsupported value of type {type(value).__name__}")


def decode(data: Any) -> Any:
    """JSON data -> plain values (floats, float64 arrays, tuples, specs)."""
    if isinstance(data, bool) or data is None or isinstance(data, int | float):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, dict) and len(data) >= 1:
        if "float" in data:
            number = data["float"]
            return _NONFINITE[number] if number in _NONFINITE else float(number)
        if "bool" in data:
            return bool(data["bool"])
        if "str" in data:
            return str(data["str"])
        if "tuple" in data:
            return tuple(decode(v) for v in data["tuple"])
        if "array" in data:
            flat = [_NONFINITE.get(v, v) if isinstance(v, str) else v for v in data["array"]]
            return np.array(flat, dtype=float).reshape(data["shape"])
        if "function" in data:
            return FunctionSpec.from_json(data["function"])
        if "rng" in data:
            return RngSpec(int(data["rng"]))
    raise ValueError(f"not an encoded value: {str(data)[:80]}")
