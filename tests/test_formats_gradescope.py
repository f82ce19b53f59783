"""Gradescope's results.json: the documented fields with their types and values, hidden
cases shown only after publication, and valid JSON whatever the student printed."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from report_fixtures import REPORTS, hostile_report, partial_report

from gdgrade.i18n import text
from grader.render import render_gradescope

# From the spec (gradescope-autograders.readthedocs.io, specs): field -> accepted types.
TOP = {
    "score": (int, float),
    "execution_time": (int, float),
    "output": str,
    "output_format": str,
    "test_output_format": str,
    "test_name_format": str,
    "visibility": str,
    "stdout_visibility": str,
    "extra_data": dict,
    "tests": list,
    "leaderboard": list,
}
TEST = {
    "score": (int, float),
    "max_score": (int, float),
    "status": str,
    "name": str,
    "name_format": str,
    "number": str,
    "output": str,
    "output_format": str,
    "tags": list,
    "visibility": str,
    "extra_data": dict,
}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}


def check_results(data: dict) -> None:
    """Fail unless `data` is a results.json Gradescope documents."""
    assert set(data) <= set(TOP), set(data) - set(TOP)
    assert "score" in data or all("score" in t for t in data["tests"])
    for key, kind in TOP.items():
        if key in data:
            assert isinstance(data[key], kind), key
    for key in ("visibility", "stdout_visibility"):
        assert data.get(key, "visible") in VISIBILITY
    for key in ("output_format", "test_output_format", "test_name_format"):
        assert data.get(key, "text") in FORMATS
    for test in data["tests"]:
        assert set(test) <= set(TEST), set(test) - set(TEST)
        for key, kind in TEST.items():
            if key in test:
                assert isinstance(test[key], kind) and not isinstance(test[key], bool), key
        assert test.get("status", "passed") in {"passed", "failed"}
        assert test.get("visibility", "visible") in VISIBILITY
        assert test.get("output_format", "text") in FORMATS
        assert all(isinstance(tag, str) for tag in test.get("tags", []))


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_results_have_gradescopes_fields_and_types(name):
    report = REPORTS[name]()
    data = json.loads(render_gradescope(report, "ko"))
    check_results(data)
    assert data["score"] == report.score
    assert data["stdout_visibility"] == "hidden"


def test_case_tests_add_up_to_the_total_and_carry_their_case_points():
    report = partial_report()
    data = json.loads(render_gradescope(report, "en"))
    scored = [t for t in data["tests"] if "score" in t]
    assert round(sum(t["score"] for t in scored), 2) == report.score
    assert round(sum(t["max_score"] for t in scored), 2) == report.max_score
    # the rng cap scales down even matching cases; the evidence gate, public and trivial ones;
    # the credit policy, every case of an exercise a named mistake explains
    scaled = {
        e.id
        for e in report.exercises
        if e.cap is not None or e.gate is not None or e.kept is not None
    }
    for t in scored:
        if t["tags"][0] not in scaled:
            assert (t["status"] == "passed") == (t["score"] == t["max_score"])


def test_hidden_cases_show_verdicts_at_once_and_detail_only_after_publication():
    data = json.loads(render_gradescope(partial_report(), "en"))
    hidden = [t for t in data["tests"] if "hidden" in t["tags"]]
    assert hidden and all(t["visibility"] == "visible" for t in hidden)
    verdicts = {text("en", "visibility", s) for s in ("passed", "failed", "error", "missing")}
    assert all(t["output"] in verdicts for t in hidden)
    published = replace(partial_report(), hidden_visibility="published")
    data = json.loads(render_gradescope(published, "en"))
    for t in data["tests"]:
        if "hidden" in t["tags"]:
            assert t["visibility"] == "after_published"
        elif "public" in t["tags"]:
            assert t["visibility"] == "visible"
    revealed = json.loads(render_gradescope(replace(partial_report(), reveal_hidden=True), "en"))
    assert all(t["visibility"] == "visible" for t in revealed["tests"])


def test_each_diagnosis_is_explained_in_a_scoreless_test():
    data = json.loads(render_gradescope(partial_report(), "ko"))
    notes = [t for t in data["tests"] if "diagnosis" in t["tags"]]
    assert notes and all("score" not in t and "max_score" not in t for t in notes)
    sgd = next(t for t in notes if "sgd" in t["tags"])
    assert "no_shuffle" in sgd["tags"] and sgd["status"] == "failed"
    assert "rng.permutation(m)" in sgd["output"]


def test_top_level_output_is_the_markdown_report():
    data = json.loads(render_gradescope(partial_report(), "en"))
    assert data["output_format"] == "md"
    assert data["output"].startswith("## gdgrade report")
    assert data["extra_data"]["case_set"] == partial_report().case_set
    assert "seed" not in data["extra_data"]


def test_student_text_keeps_the_json_valid():
    raw = render_gradescope(hostile_report(), "en")
    data = json.loads(raw)
    check_results(data)
    raw.encode("utf-8")  # no lone surrogate
    outputs = " ".join(t["output"] for t in data["tests"])
    assert "<script>alert('x')</script>" in outputs and "\x1b" not in raw
