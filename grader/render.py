"""Renderers: every format reads the same GradeReport, so every format shows the same scores.

Human formats (terminal text, Markdown, HTML) are jinja2 templates in templates/; they get
the report and helpers — `t` (catalogue text in the report's language), `cases(e)` (the
shared per-case view: points, hidden-case policy, safe text) — and build no text in
Python. Machine formats live in grader/formats/. The HTML report's pictures are drawn
by grader/plots.py (imported only when an HTML report is drawn).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from typing import Any

from gdgrade import templating
from gdgrade.fixes import detail as fix_detail
from gdgrade.fixes import line as fix_line
from gdgrade.messages import problem_message
from gdgrade.report import ExerciseResult, GradeReport
from gdgrade.report_json import to_json
from gdgrade.safe_text import (
    json_text,
)
from gdgrade.visibility import evidence
from grader.formats.view import CaseView, case_views, exercise_stdout, has_hidden


def render(template: str, report: GradeReport, lang: str, **extra: Any) -> str:
    views: dict[int, tuple[CaseView, ...]] = {}

    def cases(exercise: ExerciseResult) -> tuple[CaseView, ...]:
        """Each template asks twice per exercise (summary, details): built once. Keyed by
        id: the report keeps its exercises alive while it is rendered."""
        if id(exercise) not in views:
            views[id(exercise)] = case_views(report, exercise, lang)
        return views[id(exercise)]

    return templating.render(
        template,
        lang,
        report=report,
        detail=lambda e, d: fix_detail(report.shown_diagnosis(e, d, lang), lang),
        fix_line=lambda f: fix_line(report.shown_fix(f, lang), lang),
        cases=cases,
        evidence=lambda e, d: evidence(d, e.cases, report.policy, lang),
        problem=lambda p: problem_message(p, lang),
        exercise_stdout=exercise_stdout,
        has_hidden=has_hidden(report),
        **extra,
    )


def render_text(report: GradeReport, lang: str, color: bool = False) -> str:
    """Terminal text: a summary table first, details after; colour only on a TTY."""
    return render("report.txt.j2", report, lang, paint=templating.painter(color))


def render_markdown(report: GradeReport, lang: str, color: bool = False) -> str:
    """Markdown for GitHub step summaries and LMS comment boxes."""
    return render("report.md.j2", report, lang)


def render_html(report: GradeReport, lang: str, color: bool = False) -> str:
    """One self-contained HTML page: inline CSS, pictures as inline SVG, no network."""
    from grader.plots import figures  # only now: the other formats draw no pictures

    css = resources.files("gdgrade.templates").joinpath("report.css").read_text("utf-8")
    return render("report.html.j2", report, lang, css=css, figures=figures(report, lang))


def render_json(report: GradeReport, lang: str, color: bool = False) -> str:
    """The GradeReport itself, in its documented JSON form."""
    return json_text(to_json(report, lang))


def render_gradescope(report: GradeReport, lang: str, color: bool = False) -> str:
    """Gradescope's results.json; the whole Markdown report is its top-level output, which
    students see before the grades are published: hidden cases at most as verdicts there."""
    from grader.formats import gradescope  # each machine format only when asked for

    shown = report
    if report.hidden_visibility == "published" and not report.reveal_hidden:
        shown = replace(report, hidden_visibility="verdict")
    data = gradescope.results(report, lang, render_markdown(shown, lang))
    return json_text(data)


def render_junit(report: GradeReport, lang: str, color: bool = False) -> str:
    """JUnit XML: a testsuite per exercise, a testcase per case (junit-10.xsd)."""
    from grader.formats import junit

    return junit.render(report, lang)


def render_github(report: GradeReport, lang: str, color: bool = False) -> str:
    """GitHub Classroom's runner result JSON; the Markdown report also goes to the job's
    step summary when GITHUB_STEP_SUMMARY names a file."""
    from grader.formats import github

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
