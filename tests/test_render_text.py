"""Terminal text and Markdown: summary first, details after, in the chosen language, colour
only when asked, and nothing a student prints can break the layout or drive the terminal."""

from __future__ import annotations

import re

import pytest
from report_fixtures import REPORTS, hostile_report, missing_report, partial_report

from gdgrade.i18n import text
from gdgrade.templating import display_width
from grader.render import render_markdown, render_text

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_text_is_plain_without_colour_and_coloured_with_it():
    report = partial_report()
    plain = render_text(report, "ko", color=False)
    coloured = render_text(report, "ko", color=True)
    assert "\x1b" not in plain
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == plain


def test_text_starts_with_a_summary_table_then_the_details():
    report = partial_report()
    lines = render_text(report, "en").splitlines()
    rows = [i for i, line in enumerate(lines) if re.match(r"^\s?\d+  \w", line)]
    assert len(rows) == len(report.exercises)
    assert rows == list(range(rows[0], rows[0] + len(rows)))  # one block
    details = [i for i, line in enumerate(lines) if line.startswith("── ")]
    assert details and min(details) > max(rows)


def test_summary_columns_line_up_with_korean_headings():
    lines = render_text(partial_report(), "ko").splitlines()
    header = next(line for line in lines if line.startswith(" #  "))
    row = next(line for line in lines if line.startswith(" 4  "))
    e = next(e for e in partial_report().exercises if e.number == 4)
    column = display_width(header[: header.index(text("ko", "ui", "score"))])
    assert row[column:].startswith(f"{e.score:g}/{e.max_score:g} ")  # up to here ASCII
    status = display_width(header[: header.index(text("ko", "ui", "status"))])
    assert display_width(row[: row.index(text("ko", "status", e.status))]) == status


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_report_ends_with_the_reproduction_receipt(lang):
    for make in REPORTS.values():
        report = make()
        for rendered in (render_text(report, lang), render_markdown(report, lang)):
            tail = rendered[rendered.index(text(lang, "ui", "receipt")) :]
            assert report.case_set and report.case_set in tail
            assert str(report.seed) not in rendered
            assert report.versions["python"] in tail and report.versions["numpy"] in tail
            assert text(lang, "ui", "regrade") in tail


def test_languages_differ_only_through_the_catalogue():
    report = partial_report()
    ko, en = render_text(report, "ko"), render_text(report, "en")
    assert text("ko", "ui", "heading") in ko and text("en", "ui", "heading") in en
    assert text("en", "ui", "heading") not in ko
    assert text("ko", "mistakes", "sequential_update", "hint") in ko
    assert text("en", "mistakes", "sequential_update", "hint") in en


def test_student_text_cannot_drive_the_terminal():
    rendered = render_text(hostile_report(), "en", color=False)
    assert "\x1b" not in rendered and "\x00" not in rendered and "\x07" not in rendered
    assert "\\x1b[2J" in rendered  # shown, spelled out


def test_missing_functions_are_reported_with_the_syntax_error_that_hid_them():
    rendered = render_text(missing_report(), "en")
    assert text("en", "mistakes", "syntax_error", "title") in rendered
    assert text("en", "ui", "line", line=12) in rendered
    assert text("en", "status", "missing") in rendered


def outside_code(markdown: str) -> list[str]:
    """The lines that are not inside a fenced code block (a fence closes only on a line of
    at least as many backticks and nothing else, as CommonMark says)."""
    lines, fence = [], ""
    for line in markdown.splitlines():
        stripped = line.strip()
        if not fence and (m := re.match(r"(`{3,})[^`]*$", stripped)):
            fence = m.group(1)
        elif fence and stripped.startswith(fence) and set(stripped) == {"`"}:
            fence = ""
        elif not fence:
            lines.append(line)
    assert fence == "", "a code block is never closed"
    return lines


def _table_rows(markdown: str) -> list[list[str]]:
    """Each table: its rows split on unescaped pipes."""
    tables, current = [], []
    for line in [*outside_code(markdown), ""]:
        if line.startswith("|"):
            current.append(re.split(r"(?<!\\)\|", line)[1:-1])
        elif current:
            tables.append(current)
            current = []
    return tables


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_markdown_tables_stay_tables(name):
    markdown = render_markdown(REPORTS[name](), "en")
    tables = _table_rows(markdown)
    assert tables
    for table in tables:
        width = len(table[0])
        assert all(len(row) == width for row in table), table
        assert all(re.fullmatch(r"-+:?|:?-+", cell.strip()) for cell in table[1])


def test_markdown_escapes_student_text_and_fences_cannot_be_closed_early():
    markdown = render_markdown(hostile_report(), "en")
    prose = "\n".join(outside_code(markdown))  # fails if a student's ``` closed a block
    assert not re.search(r"(?<!\\)<(script|b|i|img)\b", prose)  # no live HTML
    assert "\\<script\\>" in prose  # in a table cell, escaped
    assert "<script>alert('x')</script>" in markdown  # in a code block, verbatim
    assert "\x1b" not in markdown and "\x00" not in markdown


def test_markdown_shows_the_diagnosis_and_how_far_a_case_was_off():
    markdown = render_markdown(partial_report(), "en")
    assert text("en", "mistakes", "path_includes_start", "explain") in markdown.replace("\\", "")
    assert "shape should be (200,), got (201,)" in markdown
