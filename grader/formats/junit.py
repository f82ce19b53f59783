"""JUnit XML as CI reporters read it (Jenkins xunit-plugin junit-10.xsd, pytest's dialect).

A testsuite per exercise, a testcase per case: classname `gdgrade.<exercise>` (GitLab's
"Suite" column), name `<exercise>.<case> <case id>` (unique, GitLab keeps only the first
of equal names). A case that is not fully right carries a `failure` with the comparison
message; `error` is kept for the grader's own faults. junit-10.xsd allows `properties`
only on a testsuite, so the points live there: the exercise's score and maximum and one
`points <case>` property per case, beside the reproduction receipt (the case-set
fingerprint, never the seed). Cases are the rows gdgrade.visibility allows: a concealed
hidden case is named neutrally and carries no time nor message beyond its verdict.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from gdgrade.i18n import text
from gdgrade.messages import problem_message
from gdgrade.report import ExerciseResult, GradeReport
from gdgrade.safe_text import visible
from gdgrade.templating import number
from grader.formats.view import CaseView, case_views


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _properties(suite: ET.Element, pairs: list[tuple[str, str]]) -> None:
    props = ET.SubElement(suite, "properties")
    for name, value in pairs:
        ET.SubElement(props, "property", name=name, value=visible(value))


def _receipt(report: GradeReport, lang: str) -> list[tuple[str, str]]:
    v = report.versions
    notice = []
    if report.reveal_hidden:  # the TA's record
        notice = [("audience", text(lang, "ui", "ta_only")), ("seed", str(report.seed))]
    return [
        *notice,
        ("case_set", report.case_set),
        ("student_id", report.student_id or ""),
        ("gdgrade", v.get("gdgrade", "")),
        ("python", v.get("python", "")),
        ("numpy", v.get("numpy", "")),
        ("regrade", report.command),
    ]


def _testcase(suite: ET.Element, view: CaseView) -> str:
    """Add one testcase; return its outcome: "passed" or "failure"."""
    e = view.exercise
    element = ET.SubElement(
        suite,
        "testcase",
        name=f"{view.number} {view.id}",
        classname=f"gdgrade.{e.id}",
        time=_seconds(view.duration_s),
    )
    if view.passed:
        return "passed"
    failure = ET.SubElement(element, "failure", type=view.failure_kind, message=view.message)
    failure.text = "\n\n".join(p for p in (view.message, view.traceback) if p)
    if view.stdout:
        ET.SubElement(element, "system-out").text = view.stdout
    return "failure"


def _suite(root: ET.Element, report: GradeReport, e: ExerciseResult, lang: str) -> ET.Element:
    suite = ET.SubElement(root, "testsuite", name=e.id)
    views = case_views(report, e, lang)
    pairs = [
        ("title", e.title.get(lang, e.id)),
        ("score", number(e.score)),
        ("max_score", number(e.max_score)),
        ("status", e.status),
    ]
    pairs += [(f"points {v.number}", f"{number(v.points)}/{number(v.max_points)}") for v in views]
    pairs += [(f"diagnosis {d.id}", text(lang, "mistakes", d.id, "title")) for d in e.diagnoses]
    _properties(suite, pairs + _receipt(report, lang))
    outcomes = [_testcase(suite, v) for v in views]
    if not e.cases:  # the grader failed on this exercise: our error, not a failed test
        element = ET.SubElement(
            suite, "testcase", name=f"{e.number} {e.id}", classname=f"gdgrade.{e.id}"
        )
        status = text(lang, "status", e.status)
        ET.SubElement(
            element, "error", type="grader", message=text(lang, "ui", "not_graded", status=status)
        )
        outcomes.append("error")
    if e.status in ("missing", "error") and report.load.problems:
        ET.SubElement(suite, "system-err").text = "\n".join(
            visible(f"[{p.kind}] {problem_message(p, lang)}") for p in report.load.problems
        )
    suite.set("tests", str(len(outcomes)))
    suite.set("failures", str(outcomes.count("failure")))
    suite.set("errors", str(outcomes.count("error")))
    suite.set("skipped", "0")
    suite.set("time", _seconds(sum(v.duration_s for v in views)))
    return suite


def render(report: GradeReport, lang: str) -> str:
    root = ET.Element("testsuites", name=f"gdgrade {visible(report.submission)}")
    suites = [_suite(root, report, e, lang) for e in report.exercises]
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.set("time", _seconds(sum(float(s.get("time", "0")) for s in suites)))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
