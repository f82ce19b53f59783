"""The shared view every format renders: case points that add up, the hidden-case policy,
and student text made safe."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from report_fixtures import HOSTILE_TEXT, REPORTS, hostile_report, partial_report

from gdgrade.i18n import text
from gdgrade.safe_text import excerpt, json_text, markdown_block, markdown_inline, visible
from grader.formats.view import apportion, case_points, case_views
from grader.render import FORMATS


@pytest.mark.parametrize(
    ("total", "shares", "caps"),
    [
        (10, [1, 1, 1], None),
        (10, [1] * 7, None),
        (7.5, [1, 0, 2, 0.5], None),
        (2.92, [0.5, 1, 0, 1], [250, 250, 250, 250]),
        (0, [1, 1], None),
        (15, [0.001, 3, 3], None),
    ],
)
def test_apportioned_parts_add_up_in_hundredths_and_respect_caps(total, shares, caps):
    parts = apportion(total, shares, caps)
    assert sum(parts) == round(total * 100)
    for part, share in zip(parts, shares, strict=True):
        assert part >= 0
        assert share > 0 or part == 0  # nothing for a case that earned nothing
    if caps:
        assert all(p <= c for p, c in zip(parts, caps, strict=True))


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_case_points_add_up_to_each_exercise_score(name):
    for e in REPORTS[name]().exercises:
        points = case_points(e)
        if not e.cases:
            continue
        assert round(sum(p for p, _ in points), 2) == e.score
        assert round(sum(m for _, m in points), 2) == e.max_score
        assert all(0 <= p <= m for p, m in points)
        for (p, m), case in zip(points, e.cases, strict=True):
            held = (
                e.cap is not None or e.kept is not None or (e.gate is not None and case.credit < 1)
            )
            if case.status == "passed" and not held:  # the rng cap or the evidence gate
                assert p == m


def test_points_of_a_capped_exercise_still_add_up_to_its_capped_score():
    sgd = next(e for e in partial_report().exercises if e.id == "sgd")
    assert sgd.cap is not None  # no_shuffle: the rng fallback capped it
    assert round(sum(p for p, _ in case_points(sgd)), 2) == sgd.score


def test_hidden_case_shows_only_its_verdict_under_a_neutral_name():
    report = hostile_report()
    e = next(e for e in report.exercises if e.id == "gradient_descent")
    views = case_views(report, e, "en")
    hidden = [v for v in views if v.hidden]
    assert hidden and all(v.concealed for v in hidden)
    assert [v.name for v in hidden] == [f"hidden case {k}" for k in range(1, len(hidden) + 1)]
    assert {v.id for v in hidden} == {f"hidden_{k}" for k in range(1, len(hidden) + 1)}
    for v in hidden:
        assert v.stdout == "" and v.traceback == "" and v.duration_s == 0 and v.tags == ()
        assert v.message == text("en", "visibility", v.status)
    public = next(v for v in views if not v.hidden and v.stdout)
    assert "alert('x')" in public.stdout


def test_revealed_report_shows_hidden_cases_in_full():
    report = replace(hostile_report(), reveal_hidden=True)
    e = next(e for e in report.exercises if e.id == "gradient_descent")
    hidden = next(v for v in case_views(report, e, "en") if v.id == "hidden_random_0")
    assert not hidden.concealed
    assert "alert('x')" in hidden.message and "alert('x')" in hidden.stdout


def test_visible_spells_out_every_character_xml_and_terminals_must_not_see():
    shown = visible(HOSTILE_TEXT)
    assert "\x1b" not in shown and "\x00" not in shown and "\ud800" not in shown
    assert "\\x1b[2J" in shown and "\\x00" in shown and "\\ud800" in shown
    shown.encode("utf-8")  # encodable: no lone surrogate left
    assert visible("a\r\nb\rc\td") == "a\nb\nc\td"


def test_markdown_inline_is_one_line_with_markup_made_literal():
    cell = markdown_inline("a | b\n<b>c</b> *d* [e](f) `g`")
    assert "\n" not in cell
    assert "\\|" in cell and "\\<b\\>" in cell and "\\*d\\*" in cell and "\\`g\\`" in cell
    assert "|" not in cell.replace("\\|", "")


def test_markdown_block_fence_is_longer_than_any_backtick_run_inside():
    block = markdown_block("x\n````\ny", "text")
    fence = block.splitlines()[0].removesuffix("text")
    assert fence == "`" * 5 and block.endswith("\n" + fence)


def test_excerpt_marks_where_long_output_was_cut():
    long = "\n".join(f"line {k}" for k in range(100))
    cut = excerpt(long, max_lines=5)
    assert cut.splitlines()[:5] == long.splitlines()[:5] and cut.endswith("…")
    assert excerpt("short") == "short"


def test_json_text_always_encodes_and_never_writes_a_bare_nan():
    data = {"s": "a\ud800b 한글", "x": float("nan"), "y": (float("inf"), -float("inf"), 1.5)}
    out = json_text(data)
    out.encode("utf-8")  # a lone surrogate would make this raise
    assert "한글" in out and "NaN" not in out and "Infinity" not in out
    assert json.loads(out) == {"s": "a\ud800b 한글", "x": "nan", "y": ["inf", "-inf", 1.5]}


@pytest.mark.parametrize("fmt", ["json", "gradescope", "github"])
def test_every_json_format_can_be_written_whatever_the_student_printed(fmt, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out = FORMATS[fmt](hostile_report(), "en")
    json.loads(out.encode("utf-8"))
