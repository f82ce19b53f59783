"""The two catalogues say the same things: every key in both, the same parameters in both,
and every key the grader words its own outcomes with (gdgrade.sandbox.reasons) present in
each with exactly the parameters it is given."""

from __future__ import annotations

import string
from typing import Any

import pytest

from gdgrade.i18n import LANGUAGES, catalogue, text
from gdgrade.sandbox import reasons

SAMPLE = {float: 2.5, int: 3, str: "SIGSEGV"}


def leaves(node: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    if isinstance(node, dict):
        found: dict[tuple[str, ...], str] = {}
        for key, child in node.items():
            found |= leaves(child, (*path, key))
        return found
    return {path: node}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_korean_and_english_catalogues_have_the_same_keys_and_parameters():
    ko, en = leaves(catalogue("ko")), leaves(catalogue("en"))
    assert sorted(ko) == sorted(en)
    differ = [k for k in ko if placeholders(ko[k]) != placeholders(en[k])]
    assert differ == []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "section, table", [("call", reasons.CALL), ("load", reasons.LOAD)], ids=["call", "load"]
)
def test_every_reason_the_grader_gives_is_worded_with_its_own_parameters(lang, section, table):
    worded = catalogue(lang)[section]
    assert sorted(worded) == sorted(table)  # no key without words, no words never used
    for key, params in table.items():
        assert placeholders(worded[key]) == set(params), key
        said = text(lang, section, key, **{name: SAMPLE[kind] for name, kind in params.items()})
        assert "{" not in said, key


def test_reasons_from_the_child_are_kept_only_when_the_catalogue_can_word_them():
    ok = reasons.checked(reasons.CALL, "skipped_after_timeouts", {"count": 2, "seconds": 5})
    assert ok == ("skipped_after_timeouts", {"count": 2, "seconds": 5.0})
    assert reasons.checked(reasons.CALL, "too_large", {"size": 10}) == ("too_large", {"size": 10})
    long = reasons.checked(reasons.LOAD, "system_exit", {"code": "x" * 10_000})
    assert len(long[1]["code"]) == reasons.MAX_TEXT
    forged = [
        ("__class__", {}),  # not a key
        (["too_large"], {"size": 1}),  # not a string
        ("too_large", {}),  # a parameter missing
        ("too_large", {"size": 1, "extra": 2}),  # one too many
        ("too_large", {"size": "{0.__class__}"}),  # text where {size:,} needs a number
        ("too_large", {"size": True}),  # a bool is no count
        ("wall_limit", {"seconds": "5"}),
        ("wall_limit", ["seconds"]),
    ]
    for key, params in forged:
        assert reasons.checked(reasons.CALL, key, params) == ("", {}), (key, params)
