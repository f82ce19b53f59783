"""Renderers: every format reads the same GradeReport, so every format shows the same scores.

Human formats (terminal text, Markdown, HTML) are jinja2 templates in templates/; they get
the report and helpers — `t` (catalogue text in the report's language), `cases(e)` (the
shared per-case view: points, hidden-case policy, safe text) — and build no text in
Python. Machine formats live in grader/formats/. matplotlib is imported only when an
HTML report is drawn, never on the grading path.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from gdgrade.fixes import detail as fix_detail
from gdgrade.fixes import line as fix_line
from gdgrade.i18n import text
from gdgrade.messages import problem_message
from gdgrade.report import GradeReport
from gdgrade.report_json import to_json
from gdgrade.safe_text import (
    display_id,
    excerpt,
    json_text,
    markdown_block,
    markdown_inline,
    visible,
    without_format_controls,
)
from gdgrade.visibility import evidence
from grader.formats import github, gradescope, junit
from grader.formats.view import case_views, exercise_stdout, has_hidden, number

_ANSI = {"ok": "32", "bad": "31", "warn": "33", "dim": "2", "bold": "1"}


def display_width(s: str) -> int:
    """Terminal columns: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(value: Any, width: int, right: bool = False) -> str:
    s = str(value)
    fill = " " * max(0, width - display_width(s))
    return fill + s if right else s + fill


def breakable(identifier: object) -> Markup:
    """An id such as batch_gradient_descent, escaped, that may wrap after each underscore
    (<wbr>) on a narrow screen instead of at any letter ("batch_gradient_descen" / "t")."""
    return Markup(str(escape(identifier)).replace("_", "_<wbr>"))


@cache
def environment() -> jinja2.Environment:
    root = resources.files("gdgrade.templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        autoescape=jinja2.select_autoescape(["html", "xml", "html.j2", "xml.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=without_format_controls,
    )
    env.filters.update(
        visible=visible,
        ident=display_id,
        md=markdown_inline,
        md_block=markdown_block,
        excerpt=excerpt,
        num=number,
        pad=pad,
        width=display_width,
        breakable=breakable,
    )
    return env


def _painter(color: bool) -> Callable[[str, Any], str]:
    def paint(style: str, value: Any) -> str:
        return f"\x1b[{_ANSI[style]}m{value}\x1b[0m" if color else str(value)

    return paint


def render(template: str, report: GradeReport, lang: str, **extra: Any) -> str:
    def t(*keys: str, **params: Any) -> str:
        return text(lang, *keys, **params)

    return (
        environment()
        .get_template(template)
        .render(
            report=report,
            lang=lang,
            t=t,
            detail=lambda e, d: fix_detail(report.shown_diagnosis(e, d, lang), lang),
            fix_line=lambda f: fix_line(report.shown_fix(f, lang), lang),
            cases=lambda exercise: case_views(report, exercise, lang),
            evidence=lambda e, d: evidence(d, e.cases, report.policy, lang),
            problem=lambda p: problem_message(p, lang),
            exercise_stdout=exercise_stdout,
            has_hidden=has_hidden(report),
            **extra,
        )
    )


def render_text(report: GradeReport, lang: str, color: bool = False) -> str:
    """Terminal text: a summary table first, details after; colour only on a TTY."""
    return render("report.txt.j2", report, lang, paint=_painter(color))


def render_markdown(report: GradeReport, lang: str, color: bool = False) -> str:
    """Markdown for GitHub step summaries and LMS comment boxes."""
    return render("report.md.j2", report, lang)


def render_html(report: GradeReport, lang: str, color: bool = False) -> str:
    """One self-contained HTML page: inline CSS, pictures as inline SVG, no network."""
    from grader.plots import figures  # matplotlib, only now

    css = resources.files("gdgrade.templates").joinpath("report.css").read_text("utf-8")
    return render("report.html.j2", report, lang, css=css, figures=figures(report, lang))


def render_json(report: GradeReport, lang: str, color: bool = False) -> str:
    """The GradeReport itself, in its documented JSON form."""
    return json_text(to_json(report, lang))


def render_gradescope(report: GradeReport, lang: str, color: bool = False) -> str:
    """Gradescope's results.json; the whole Markdown report is its top-level output, which
    students see before the grades are published: hidden cases at most as verdicts there."""
    shown = report
    if report.hidden_visibility == "published" and not report.reveal_hidden:
        shown = replace(report, hidden_visibility="verdict")
    data = gradescope.results(report, lang, render_markdown(shown, lang))
    return json_text(data)


def render_junit(report: GradeReport, lang: str, color: bool = False) -> str:
    """JUnit XML: a testsuite per exercise, a testcase per case (junit-10.xsd)."""
    return junit.render(report, lang)


def render_github(report: GradeReport, lang: str, color: bool = False) -> str:
    """GitHub Classroom's runner result JSON; the Markdown report also goes to the job's
    step summary when GITHUB_STEP_SUMMARY names a file."""
    github.append_step_summary(render_markdown(report, lang), lang=lang)
    return json_text(github.runner_result(report, lang))


# Every output format, by its --format name: (report, lang, color=...) -> str.
FORMATS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
    "gradescope": render_gradescope,
    "junit": render_junit,
    "github": render_github,
}
