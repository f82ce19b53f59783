"""The HTML report: one self-contained, well-formed page a student can read on a phone,
with pictures inline, student text escaped and hidden inputs never drawn."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_fixtures import correct_report, hostile_report, notebook_report, partial_report

from gdgrade.i18n import text
from grader import plots
from grader.render import render_html

VOID = {"meta", "link", "br", "img", "input", "hr", "col", "source", "wbr", "area", "base"}
SVG_EMPTY = {"path", "use", "circle", "rect", "line", "stop", "polyline", "polygon", "ellipse"}


class Page(HTMLParser):
    """Elements, attributes and text of a page; fails on a closing tag that does not match."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
            return
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


@cache
def html(name: str, lang: str = "ko") -> str:
    report = {"correct": correct_report, "partial": partial_report, "hostile": hostile_report}
    return render_html(report[name](), lang)


@pytest.mark.parametrize(
    ("name", "lang"), [("partial", "ko"), ("correct", "en"), ("hostile", "en")]
)
def test_page_is_well_formed_utf8_in_the_reports_language(name, lang):
    page = html(name, lang)
    parsed = parse(page)
    assert parsed.errors == [] and parsed.open == []
    assert page.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": lang}) in parsed.tags
    assert ("meta", {"charset": "utf-8"}) in parsed.tags
    assert any(tag == "meta" and a.get("name") == "viewport" for tag, a in parsed.tags)
    assert text(lang, "ui", "heading") in "".join(parsed.text)


@pytest.mark.parametrize("name", ["partial", "hostile"])
def test_page_references_nothing_outside_itself(name):
    page = html(name, "en")
    for tag, attrs in parse(page).tags:
        for key in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(key) or ""
            assert not re.match(r"\s*(https?:|//|data:|file:)", value, re.I), (tag, key, value)
    assert "@import" not in page
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", page, re.I)
    assert not any(
        tag in ("script", "link", "iframe", "img", "object") for tag, _ in parse(page).tags
    )


def test_student_text_is_shown_as_text_never_as_markup():
    page = html("hostile", "en")
    parsed = parse(page)
    assert not any(tag in ("script", "img", "b", "i") for tag, _ in parsed.tags)
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    shown = "".join(parsed.text)
    assert "<script>alert('x')</script>" in shown  # the student's stdout, as text
    assert "<img src=x onerror=alert(1)>" in shown  # the exception's type name, as text
    assert "\\x1b[2J" in shown and "\x1b" not in page and "\x00" not in page


def test_every_exercise_shows_score_diagnosis_and_case_messages():
    report = partial_report()
    shown = "".join(parse(html("partial", "ko")).text)
    for e in report.exercises:
        assert f"{e.number}." in shown and e.id in shown
        for d in e.diagnoses:
            assert text("ko", "mistakes", d.id, "explain") in shown
            assert text("ko", "mistakes", d.id, "hint") in shown
    assert "경로가 처음 1단계까지는 일치하고" in shown  # by how much a path went wrong


def test_crash_shows_the_exception_with_the_students_frames():
    shown = "".join(parse(html("hostile", "en")).text)
    assert 'File "x.py", line 1, in f' in shown
    assert text("en", "ui", "traceback") in shown


def test_pictures_are_inline_svg_for_descent_and_loss_exercises():
    page = html("partial", "ko")
    svgs = re.findall(r"<svg xmlns=.*?</svg>", page, re.S)
    figures = plots.figures(partial_report(), "ko")
    drawn = sum(len(v) for v in figures.values())
    # 2 descent (gradient_descent's path, which starts at x0, also against the step), 3 loss
    # curves, sgd against batch
    assert len(svgs) == drawn == 7
    assert {f.kind for v in figures.values() for f in v} == {
        "descent",
        "steps",
        "momentum",
        "loss",
        "sgd_batch",
    }
    for svg in svgs:
        assert len(svg.encode()) < 40_000
        assert not re.search("[\uac00-\ud7a3]", svg)  # no Hangul: no font needed in matplotlib
        assert "<?xml" not in svg and "<!DOCTYPE" not in svg


def test_pictures_never_use_a_hidden_case_unless_revealed():
    report = partial_report()
    for figs in plots.figures(report, "en").values():
        for f in figs:
            assert not f.case.startswith("hidden_")
    only_hidden = replace(
        report,
        exercises=tuple(
            replace(e, cases=tuple(c for c in e.cases if c.visibility == "hidden"))
            for e in report.exercises
        ),
    )
    assert plots.figures(only_hidden, "en") == {}
    revealed = plots.figures(replace(only_hidden, reveal_hidden=True), "en")
    assert revealed and all(f.case.startswith("hidden_") for v in revealed.values() for f in v)


def test_page_ends_with_the_reproduction_receipt():
    report = partial_report()
    shown = "".join(parse(html("partial", "ko")).text)
    receipt = shown[shown.index(text("ko", "ui", "receipt")) :]
    for part in (report.case_set, report.student_id, report.command, report.versions["numpy"]):
        assert part in receipt
    assert str(report.seed) not in shown


def test_page_has_phone_and_print_layouts():
    page = html("correct", "en")
    assert "@media (max-width:" in page and "@media print" in page


def test_notebook_report_shows_load_problems_by_cell():
    page = render_html(notebook_report(), "en")
    shown = "".join(parse(page).text)
    assert text("en", "ui", "cell", cell=7) in shown and "data.csv" in shown


def test_rendering_any_format_with_its_pictures_never_imports_matplotlib():
    code = (
        "import sys\n"
        "from report_fixtures import crashed_report, partial_report\n"
        "from grader.render import FORMATS\n"
        "for report in (crashed_report(), partial_report()):\n"
        "    pages = {name: fn(report, 'ko') for name, fn in FORMATS.items()}\n"
        "assert pages['html'].count('<svg xmlns=') == 7  # the pictures were drawn\n"
        "print(sorted(m for m in ('matplotlib', 'PIL') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    env["PYTHONPATH"] = str(Path(__file__).parent)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"
