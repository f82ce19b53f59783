"""The JSON encoding of a case set's values, made once per worker, and their texts.

A worker sends and reports the same case-set arguments and expected values for every
submission it grades: each is encoded once, and the text of each encoding, as a report
lays it out, is written once (`known`, for gdgrade.indented_json). Kept apart from
gdgrade.json_values, which the sandbox's processes import: a submission's process holds
no memory of what the worker encoded.
"""

from __future__ import annotations

from typing import Any

from gdgrade.identity_memo import IdentityMemo
from gdgrade.indented_json import Texts
from gdgrade.json_values import encode

# A shared case set has ~200 values to encode (~0.35 MB encoded).
_CONSTANTS: IdentityMemo[Any] = IdentityMemo(1024)


def encode_constant(value: Any) -> Any:
    """encode() of a value nobody changes: a case set's arguments and expected values,
    which a worker sends and reports for every submission it grades. Remembered by
    identity; the encoding returned is shared, for serialising only."""
    return _CONSTANTS.get(value, _encoded)


def _encoded(value: Any) -> Any:
    encoded = encode(value)
    if isinstance(encoded, (list, dict)):
        _TEXTS.get(encoded, _no_texts_yet)
    return encoded


def _no_texts_yet(encoded: Any) -> Texts:
    return {}


# The texts of each encoding encode_constant made, by layout and depth; an entry keeps
# its encoding alive, so no other object is ever taken for it.
_TEXTS: IdentityMemo[Texts] = IdentityMemo(1024)


def known(o: Any) -> Texts | None:
    """For indented_json.dumps: the texts of an encoding encode_constant made, else None."""
    return _TEXTS.found(o)


def encode_arguments(args: Any) -> list[Any]:
    """Each argument of one call encoded: a case's argument tuple, remembered as a whole."""
    if type(args) is tuple:
        return list(encode_constant(args)["tuple"])
    return [encode(a) for a in args]
