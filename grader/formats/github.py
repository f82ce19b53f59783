"""GitHub Classroom: the runner result JSON its grading reporter reads, and the step summary.

The runner protocol (classroom-resources/autograding-python-grader, version 3): a status
`pass | fail | error`, `max_score`, and tests with `name, status, message, score` (plus
`test_code, filename, line_no, duration`). The reporter adds up the tests' scores, so
each test carries its case's points and they add up to the report's total. A workflow
step passes the JSON on base64-encoded as its `result` output, e.g.
`echo "result=$(base64 -w0 result.json)" >> "$GITHUB_OUTPUT"`.
Tests are the rows gdgrade.visibility allows; the TA's record says in every message that it
is not for students.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gdgrade.i18n import text
from gdgrade.report import GradeReport
from gdgrade.safe_text import visible
from grader.formats.view import case_views

VERSION = 3
STEP_SUMMARY_LIMIT = 1024 * 1024  # GitHub refuses a step summary above 1 MiB
_STATUS = {"passed": "pass", "error": "error"}  # failed, missing: "fail"


def runner_result(report: GradeReport, lang: str) -> dict[str, Any]:
    tests = []
    notice = text(lang, "ui", "ta_only") if report.reveal_hidden else ""
    for e in report.exercises:
        for view in case_views(report, e, lang):
            tests.append(
                {
                    "name": f"{view.number} {e.id}: {view.name}",
                    "status": _STATUS.get(view.status, "fail"),
                    "message": "\n\n".join(p for p in (notice, view.message, view.traceback) if p),
                    "test_code": visible(report.command),
                    "filename": visible(report.submission),
                    "line_no": 0,
                    "duration": round(view.duration_s, 4),
                    "score": view.points,
                }
            )
        if not e.cases:
            status = text(lang, "status", e.status)
            tests.append(
                {
                    "name": f"{e.number} {e.id}",
                    "status": "error",
                    "message": text(lang, "ui", "not_graded", status=status),
                    "test_code": visible(report.command),
                    "filename": visible(report.submission),
                    "line_no": 0,
                    "duration": 0.0,
                    "score": e.score,
                }
            )
    if report.grader_errors:
        status = "error"
    elif all(t["status"] == "pass" for t in tests):
        status = "pass"
    else:
        status = "fail"
    result = {"version": VERSION, "status": status, "max_score": report.max_score, "tests": tests}
    if notice:
        result["notice"] = notice
    return result


def fit(markdown: str, room: int, note: str) -> str:
    """The Markdown cut (at a line end, on a UTF-8 boundary) to fit `room` bytes."""
    data = markdown.encode("utf-8")
    if len(data) <= room:
        return markdown
    budget = max(0, room - len(note.encode("utf-8")) - 2)
    head = data[:budget].decode("utf-8", errors="ignore")
    head = head[: head.rfind("\n") + 1] if "\n" in head else ""
    return f"{head}\n{note}\n"


def append_step_summary(
    markdown: str, environ: Mapping[str, str] | None = None, lang: str = "en"
) -> Path | None:
    """Append to the file GITHUB_STEP_SUMMARY names (if any), within GitHub's size limit.

    A summary that cannot be written is skipped (None): the runner result, which decides
    the grade, must still be produced.
    """
    env = os.environ if environ is None else environ
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    note = text(lang, "ui", "summary_truncated")
    try:
        used = path.stat().st_size if path.exists() else 0
        with path.open("a", encoding="utf-8") as out:
            out.write(fit(markdown, STEP_SUMMARY_LIMIT - used, note))
    except OSError:
        return None
    return path
