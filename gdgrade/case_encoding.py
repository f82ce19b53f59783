"""The JSON encoding of a case set's values, made once per worker.

A worker sends and reports the same case-set arguments and expected values for every
submission it grades. Kept apart from gdgrade.json_values, which the sandbox's processes
import: a submission's process holds no memory of what the worker encoded.
"""

from __future__ import annotations

from typing import Any

from gdgrade.identity_memo import IdentityMemo
from gdgrade.json_values import encode

# A shared case set has ~200 values to encode (~0.35 MB encoded).
_CONSTANTS: IdentityMemo[Any] = IdentityMemo(1024)


def encode_constant(value: Any) -> Any:
    """encode() of a value nobody changes: a case set's arguments and expected values,
    which a worker sends and reports for every submission it grades. Remembered by
    identity; the encoding returned is shared, for serialising only."""
    return _CONSTANTS.get(value, encode)


def encode_arguments(args: Any) -> list[Any]:
    """Each argument of one call encoded: a case's argument tuple, remembered as a whole."""
    if type(args) is tuple:
        return list(encode_constant(args)["tuple"])
    return [encode(a) for a in args]
