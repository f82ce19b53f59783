"""A case set's arguments and expected values are encoded once per worker, by identity."""

from __future__ import annotations

import numpy as np
import pytest

from gdgrade import json_values
from gdgrade.json_values import encode, encode_arguments, encode_constant


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch):
    monkeypatch.setattr(json_values, "_CONSTANTS", {})


def test_a_remembered_encoding_is_the_encoding_and_is_found_by_identity():
    args = (np.linspace(0.0, 1.0, 7).reshape(7, 1), 0.1, 3, float("nan"))
    first = encode_constant(args)
    assert first == encode(args) or repr(first) == repr(encode(args))  # nan != nan
    assert encode_constant(args) is first
    equal_but_another = (args[0].copy(), 0.1, 3, float("nan"))
    assert encode_constant(equal_but_another) is not first
    assert len(json_values._CONSTANTS) == 2


def test_the_arguments_of_a_call_are_each_argument_encoded():
    args = (np.arange(3.0), 2.5, [1, 2])
    assert encode_arguments(args) == [encode(a) for a in args]
    assert encode_arguments(list(args)) == [encode(a) for a in args]  # not remembered
    assert len(json_values._CONSTANTS) == 1
    sent = encode_arguments(args)
    sent.append("changed by its user")
    assert encode_arguments(args) == [encode(a) for a in args]


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(json_values, "CONSTANTS_KEPT", 4)
    values = [np.full(3, float(k)) for k in range(10)]
    for v in values:
        encode_constant(v)
    assert len(json_values._CONSTANTS) <= 4
    assert encode_constant(values[0]) == encode(values[0])


def test_what_cannot_be_encoded_is_refused_and_not_remembered():
    with pytest.raises(json_values.EncodeError):
        encode_constant((object(),))
    assert json_values._CONSTANTS == {}
