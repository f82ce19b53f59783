"""A case set's arguments and expected values are encoded once per worker, by identity."""

from __future__ import annotations

import numpy as np
import pytest

from gdgrade import case_encoding, json_values
from gdgrade.case_encoding import encode_arguments, encode_constant
from gdgrade.identity_memo import IdentityMemo
from gdgrade.json_values import encode


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch):
    monkeypatch.setattr(case_encoding, "_CONSTANTS", IdentityMemo(1024))


def test_a_remembered_encoding_is_the_encoding_and_is_found_by_identity():
    args = (np.linspace(0.0, 1.0, 7).reshape(7, 1), 0.1, 3, float("nan"))
    first = encode_constant(args)
    assert repr(first) == repr(encode(args))  # repr: nan != nan
    assert encode_constant(args) is first
    equal_but_another = (args[0].copy(), 0.1, 3, float("nan"))
    assert encode_constant(equal_but_another) is not first
    assert len(case_encoding._CONSTANTS) == 2


def test_the_arguments_of_a_call_are_each_argument_encoded():
    args = (np.arange(3.0), 2.5, [1, 2])
    assert encode_arguments(args) == [encode(a) for a in args]
    assert encode_arguments(list(args)) == [encode(a) for a in args]  # not remembered
    assert len(case_encoding._CONSTANTS) == 1
    sent = encode_arguments(args)
    sent.append("changed by its user")
    assert encode_arguments(args) == [encode(a) for a in args]


def test_the_memory_is_bounded():
    memo: IdentityMemo[float] = IdentityMemo(4)
    values = [np.full(3, float(k)) for k in range(10)]
    for v in values:
        memo.get(v, lambda a: float(a.sum()))
    assert len(memo) <= 4
    assert memo.get(values[0], lambda a: float(a.sum())) == 0.0


def test_what_cannot_be_encoded_is_refused_and_not_remembered():
    with pytest.raises(json_values.EncodeError):
        encode_constant((object(),))
    assert len(case_encoding._CONSTANTS) == 0


def test_an_object_that_died_is_never_mistaken_for_a_new_one_with_its_id():
    """Each list below is dropped by its caller at once; were the memory to keep only its
    id, the next list could be given that id and found with the dead one's result."""
    memo: IdentityMemo[str] = IdentityMemo(1000)
    for k in range(200):
        assert memo.get([float(k)], repr) == repr([float(k)])


def test_only_an_encoding_made_for_a_case_set_value_has_texts_kept(monkeypatch):
    monkeypatch.setattr(case_encoding, "_TEXTS", IdentityMemo(1024))
    args = (np.arange(3.0), 0.5)
    encoded = encode_constant(args)
    assert case_encoding.known(encoded) == {}
    assert case_encoding.known(encode(args)) is None  # equal, but not the one made
    assert case_encoding.known(encoded["tuple"]) is None  # a part of it
