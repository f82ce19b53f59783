"""A student's report.json reads exactly as json.dumps(indent=...) would have written it."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

from gdgrade.indented_json import dumps

_circular: list[Any] = [1]
_circular.append(_circular)

VALUES: list[Any] = [
    1,
    -0.0,
    1e16,
    float("nan"),
    -math.inf,
    True,
    None,
    'é \ud800 "quoted" back\\slash\nnew line',
    [],
    {},
    [[]],
    [{}],
    [1, 2.5, True, None, False, float("inf")],
    [1, "a,b", 2],
    [1, [2, 3]],
    [1, {"a": 1}],
    (1, (2,)),
    {"k": {"한국어": ["ü", {"b": [1.0, float("nan")]}]}},
    {1: 2, "a": 1},
    {"a": {2.5: 1}},
    {"a": np.float64(0.1), "b": [np.float64(1e-300), 2]},
    [np.float32(1.5)],
    [1, np.int64(3)],
    {"a": object()},
    _circular,
]


def _outcome(function: Any) -> Any:
    try:
        return function()
    except Exception as exc:  # the same refusal, with the same words
        return type(exc), str(exc)


@pytest.mark.parametrize("indent", [None, 0, 1, 2])
@pytest.mark.parametrize("ensure_ascii", [False, True])
@pytest.mark.parametrize("allow_nan", [True, False])
@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_the_text_or_the_refusal_is_the_standard_librarys(
    value: Any, indent: int | None, ensure_ascii: bool, allow_nan: bool
) -> None:
    expected = _outcome(
        lambda: json.dumps(value, indent=indent, ensure_ascii=ensure_ascii, allow_nan=allow_nan)
    )
    got = _outcome(lambda: dumps(value, indent, ensure_ascii=ensure_ascii, allow_nan=allow_nan))
    assert got == expected


@pytest.mark.parametrize("indent", [None, 2])
def test_a_container_written_from_its_kept_text_reads_as_written_afresh(indent: int | None):
    """A worker keeps the text of a case set's shared values by object, depth and layout;
    every document must still be the standard library's, wherever the value sits."""
    shared = {"tuple": [{"array": [0.1, 2.5, float("nan")], "shape": [3]}, 0.3, {"str": "é"}]}
    kept: dict[int, dict] = {}

    def known(o: Any) -> Any:
        return kept.setdefault(id(o), {}) if o is shared else None

    documents = [
        [shared, {"a": shared}],
        {"rows": [{"args": shared, "got": [1, 2]}, {"args": shared}], "x": shared},
        shared,
    ]
    for ensure_ascii in (False, True):
        for document in documents:
            text = dumps(document, indent, ensure_ascii=ensure_ascii, known=known)
            assert text == json.dumps(document, indent=indent, ensure_ascii=ensure_ascii)
    texts = kept[id(shared)]
    assert len({depth for _, depth, _, _ in texts}) >= 3  # kept at each depth it sat at
