"""The finalize every template prints through: format controls never reach a page."""

from __future__ import annotations

import sys
import unicodedata

from markupsafe import Markup

from gdgrade.safe_text import without_format_controls

FORMAT_CONTROLS = "".join(
    chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"
)


def _by_category(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def test_every_format_control_is_dropped_and_everything_else_kept() -> None:
    text = "학생\u202e출력 eve\u2066gpj.py\u200b\tline\n" + FORMAT_CONTROLS + "끝 ✓ é"
    assert without_format_controls(text) == _by_category(text) == "학생출력 evegpj.py\tline\n끝 ✓ é"


def test_a_control_is_dropped_however_often_its_neighbours_were_seen_before() -> None:
    # the first call only sees ordinary characters; the second mixes them with a control
    assert without_format_controls("점수 ①") == "점수 ①"
    assert without_format_controls("점\u202e수 ①\u2069") == "점수 ①"
    assert without_format_controls("\u00ad") == ""


def test_plain_ascii_and_non_strings_pass_through() -> None:
    assert all(unicodedata.category(chr(c)) != "Cf" for c in range(128))
    assert without_format_controls("x = 1\t# ok\n") == "x = 1\t# ok\n"
    assert without_format_controls(3.5) == 3.5
    assert without_format_controls(None) is None


def test_markup_stays_marked_safe_after_stripping() -> None:
    stripped = without_format_controls(Markup("<b>점\u202e수</b>"))
    assert isinstance(stripped, Markup)
    assert stripped == Markup("<b>점수</b>")


def test_a_text_once_found_clean_is_passed_on_as_it_is_str_or_markup():
    label = "기대값과 일치합니다 <b>"
    assert without_format_controls(label) is label
    marked = Markup(label)
    assert without_format_controls(marked) is marked  # still Markup: not escaped again
    tricked = label + "\u202e"
    assert without_format_controls(tricked) == label
    assert type(without_format_controls(Markup(tricked))) is Markup
