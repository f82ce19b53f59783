"""Gradescope's results.json (gradescope-autograders.readthedocs.io, "specs").

One test per row of the case list (gdgrade.visibility), numbered "exercise.row", with its
share of its exercise's points. A concealed hidden case is a visible test with its verdict
and points only; under the `published` level a hidden case's full detail goes into a test
Gradescope shows only once the grades are published ("after_published"). Each exercise
with a diagnosis also gets a scoreless test that explains it. The top-level `score` is the
report's total (Gradescope then ignores the sum of the tests), and the top-level output is
the whole Markdown report, which students see at once and so never holds more than verdicts.
"""

from __future__ import annotations

from typing import Any

from gdgrade.i18n import text
from gdgrade.report import ExerciseResult, GradeReport
from gdgrade.safe_text import visible
from grader.formats.view import CaseView, case_views


def _case_output(view: CaseView, lang: str) -> str:
    parts = [view.message]
    if view.traceback:
        parts.append(view.traceback)
    if view.stdout:
        parts.append(f"{text(lang, 'ui', 'stdout')}:\n{view.stdout}")
    return "\n\n".join(parts)


def _visibility(view: CaseView, reveal: bool) -> str:
    """A hidden case in full detail (the `published` level) waits for the grades."""
    return "after_published" if view.hidden and not view.concealed and not reveal else "visible"


def _case_test(view: CaseView, lang: str, reveal: bool) -> dict[str, Any]:
    e = view.exercise
    return {
        "name": f"{e.number}. {e.id}: {view.name}",
        "name_format": "text",
        "number": view.number,
        "score": view.points,
        "max_score": view.max_points,
        "status": "passed" if view.passed else "failed",
        "output": _case_output(view, lang),
        "output_format": "text",
        "visibility": _visibility(view, reveal),
        "tags": [e.id, "hidden" if view.hidden else "public", *view.tags],
    }


def _diagnosis_test(e: ExerciseResult, lang: str) -> dict[str, Any]:
    """The diagnoses' titles, explanations and hints: catalogue text, no evidence."""
    blocks = []
    for d in e.diagnoses:
        title = text(lang, "mistakes", d.id, "title")
        explain = text(lang, "mistakes", d.id, "explain")
        hint = text(lang, "mistakes", d.id, "hint")
        blocks.append(f"[{d.id}] {title}\n{explain}\n{text(lang, 'ui', 'hint')}: {hint}")
    if e.cap is not None:
        blocks.append(text(lang, "ui", "capped", percent=round(e.cap * 100)))
    if e.gate is not None:
        blocks.append(text(lang, "ui", "gated", percent=round(e.gate * 100)))
    return {
        "name": f"{e.number}. {e.id}: {text(lang, 'ui', 'diagnoses')}",
        "name_format": "text",
        "number": f"{e.number}.0",
        "status": "passed" if e.status == "passed" else "failed",
        "output": "\n\n".join(blocks),
        "output_format": "text",
        "visibility": "visible",
        "tags": [e.id, "diagnosis", *(d.id for d in e.diagnoses)],
    }


def _ungraded_test(e: ExerciseResult, lang: str) -> dict[str, Any]:
    """An exercise without case results (the grader failed on it): its points, and why."""
    return {
        "name": f"{e.number}. {e.id}",
        "name_format": "text",
        "number": f"{e.number}.1",
        "score": e.score,
        "max_score": e.max_score,
        "status": "passed" if e.status == "passed" else "failed",
        "output": text(lang, "ui", "not_graded", status=text(lang, "status", e.status)),
        "output_format": "text",
        "visibility": "visible",
        "tags": [e.id],
    }


def results(report: GradeReport, lang: str, output: str) -> dict[str, Any]:
    """results.json; `output` is the Markdown report, rendered by the caller at a level no
    more open than `verdict` unless this is the TA's record."""
    tests: list[dict[str, Any]] = []
    for e in report.exercises:
        if e.diagnoses or e.cap is not None or e.gate is not None:
            tests.append(_diagnosis_test(e, lang))
        if not e.cases:
            tests.append(_ungraded_test(e, lang))
        for view in case_views(report, e, lang):
            tests.append(_case_test(view, lang, report.reveal_hidden))
    data: dict[str, Any] = {
        "score": report.score,
        "output": output,
        "output_format": "md",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {
            "max_score": report.max_score,
            "submission": visible(report.submission),
            "sha256": report.sha256,
            "case_set": report.case_set,
            "audience": "ta" if report.reveal_hidden else "student",
            "student_id": visible(report.student_id) if report.student_id else None,
            "versions": report.versions,
            "command": visible(report.command),
            "grader_errors": [visible(g) for g in report.shown_faults],
        },
        "tests": tests,
    }
    if report.reveal_hidden:  # the total time sums hidden calls' times: the student's channel
        data["execution_time"] = round(report.duration_s, 2)
    return data
