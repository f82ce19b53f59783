"""JUnit XML that CI reporters accept: valid against junit-10.xsd (Jenkins xunit-plugin,
the schema pytest's output follows), counts that agree, failures that say by how much,
and well-formed whatever the student printed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from report_fixtures import REPORTS, hostile_report, partial_report

from grader.formats.view import case_points
from grader.render import render_junit

# junit-10.xsd, element by element: allowed attributes, required attributes, children.
OUTCOMES = {"skipped", "error", "failure"}
RERUNS = {"rerunFailure", "rerunError", "flakyFailure", "flakyError"}
SCHEMA: dict[str, tuple[set[str], set[str], set[str] | None]] = {
    "testsuites": ({"name", "time", "tests", "failures", "errors"}, set(), {"testsuite"}),
    "testsuite": (
        {"name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp"}
        | {"hostname", "id", "package", "file", "log", "url"},
        {"name", "tests", "failures", "errors"},
        {"testsuite", "properties", "testcase", "system-out", "system-err"},
    ),
    "properties": (set(), set(), {"property"}),
    "property": ({"name", "value"}, {"name", "value"}, set()),
    "testcase": (
        {"name", "time", "classname", "group"},
        {"name"},
        OUTCOMES | RERUNS | {"system-out", "system-err"},
    ),
    "failure": ({"type", "message"}, set(), set()),
    "error": ({"type", "message"}, set(), set()),
    "skipped": ({"type", "message"}, set(), set()),
    "system-out": (set(), set(), set()),
    "system-err": (set(), set(), set()),
}
MIXED = OUTCOMES | {"system-out", "system-err"}  # elements that may hold text
SUREFIRE_TIME = re.compile(r"(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?")


def validate(element: ET.Element, path: str = "") -> None:
    """Fail unless the tree is valid against junit-10.xsd."""
    where = f"{path}/{element.tag}"
    assert element.tag in SCHEMA, where
    allowed, required, children = SCHEMA[element.tag]
    assert set(element.attrib) <= allowed, (where, set(element.attrib) - allowed)
    assert required <= set(element.attrib), (where, required - set(element.attrib))
    if element.tag in ("testsuites", "testsuite") and "time" in element.attrib:
        assert SUREFIRE_TIME.fullmatch(element.get("time")), (where, element.get("time"))
    if element.tag not in MIXED:
        assert not (element.text or "").strip(), (where, element.text)
    for child in element:
        assert child.tag in children, (where, child.tag)
        assert not (child.tail or "").strip(), where
        validate(child, where)


def parse(name: str, lang: str = "en") -> ET.Element:
    return ET.fromstring(render_junit(REPORTS[name](), lang).encode("utf-8"))


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_junit_is_valid_against_junit_10_xsd(name):
    root = parse(name)
    assert root.tag == "testsuites"
    validate(root)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_counts_agree_with_the_testcases(name):
    root = parse(name)
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("errors")) == sum(c.find("error") is not None for c in cases)
    for key in ("tests", "failures", "errors"):
        assert int(root.get(key)) == sum(int(s.get(key)) for s in root.iter("testsuite"))


def test_one_testcase_per_case_named_uniquely_with_its_exercise_as_class():
    report = partial_report()
    root = parse("partial")
    for e, suite in zip(report.exercises, root.iter("testsuite"), strict=True):
        assert suite.get("name") == e.id
        cases = suite.findall("testcase")
        assert len(cases) == len(e.cases)
        assert {c.get("classname") for c in cases} == {f"gdgrade.{e.id}"}
    names = [c.get("name") for c in root.iter("testcase")]
    assert len(names) == len(set(names))  # GitLab keeps only the first of equal names


def test_failures_carry_the_comparison_message_and_pass_fail_matches_the_report():
    report = partial_report()
    root = parse("partial")
    for e, suite in zip(report.exercises, root.iter("testsuite"), strict=True):
        for case, element in zip(e.cases, suite.findall("testcase"), strict=True):
            failure = element.find("failure")
            assert (failure is None) == (case.status == "passed")
    gd = next(s for s in root.iter("testsuite") if s.get("name") == "gradient_descent")
    failure = gd.find("testcase/failure")
    assert failure.get("type") == "shape"
    assert "shape should be (200,), got (201,)" in failure.get("message")


def test_points_are_suite_properties_that_add_up_to_the_exercise_score():
    report = partial_report()
    root = parse("partial")
    for e, suite in zip(report.exercises, root.iter("testsuite"), strict=True):
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert float(props["score"]) == e.score and float(props["max_score"]) == e.max_score
        shown = [v for k, v in props.items() if k.startswith("points ")]
        expected = [f"{p:g}/{m:g}" for p, m in case_points(e)]
        assert shown == expected
        assert props["case_set"] == report.case_set and props["regrade"] == report.command
        assert "seed" not in props


def test_student_text_keeps_the_xml_well_formed():
    xml = render_junit(hostile_report(), "en")
    root = ET.fromstring(xml.encode("utf-8"))  # raises if not well-formed
    validate(root)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)
    messages = " ".join(f.get("message") for f in root.iter("failure"))
    assert "<script>alert('x')</script>" in messages and "\\x1b[2J" in messages


def test_exercise_the_grader_failed_on_is_an_error_not_a_failure():
    root = ET.fromstring(render_junit(hostile_report(), "en").encode("utf-8"))
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "momentum_descent")
    assert suite.get("errors") == "1" and suite.find("testcase/error") is not None


@pytest.mark.parametrize(
    "bad",
    [
        '<testsuites><testsuite name="a" tests="1" failures="0" errors="0">'
        '<testcase name="c"><properties/></testcase></testsuite></testsuites>',
        '<testsuites><testsuite name="a" tests="1" failures="0">'
        '<testcase name="c"/></testsuite></testsuites>',
        '<testsuites><testsuite name="a" tests="0" failures="0" errors="0" time="1.5s"/>'
        "</testsuites>",
        '<testsuites><testsuite name="a" tests="1" failures="0" errors="0">'
        '<testcase classname="x"/></testsuite></testsuites>',
    ],
    ids=["properties in testcase", "no errors count", "time with unit", "testcase without name"],
)
def test_validator_rejects_what_junit_10_xsd_rejects(bad):
    with pytest.raises(AssertionError):
        validate(ET.fromstring(bad))
