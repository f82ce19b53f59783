"""GitHub Classroom: the runner JSON its reporter adds up, and the Markdown step summary."""

from __future__ import annotations

import json

import pytest
from report_fixtures import REPORTS, crashed_report, hostile_report, partial_report

from grader.formats import github
from grader.render import render_github, render_markdown

STATUS = {"pass", "fail", "error"}
TEST_FIELDS = {"name", "status", "message", "test_code", "filename", "line_no", "duration"}


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_runner_result_has_the_protocols_fields(name):
    data = json.loads(render_github(REPORTS[name](), "ko"))
    assert data["version"] == 3 and data["status"] in STATUS
    assert isinstance(data["max_score"], (int, float))
    for test in data["tests"]:
        assert TEST_FIELDS | {"score"} == set(test)
        assert test["status"] in STATUS
        assert isinstance(test["score"], (int, float)) and isinstance(test["message"], str)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_the_reporters_sum_of_test_scores_is_the_reports_total(name):
    report = REPORTS[name]()
    data = json.loads(render_github(report, "en"))
    assert round(sum(t["score"] for t in data["tests"]), 2) == report.score
    assert data["max_score"] == report.max_score


def test_overall_status_is_fail_when_a_case_fails_and_error_for_grader_faults():
    assert json.loads(render_github(partial_report(), "en"))["status"] == "fail"
    assert json.loads(render_github(hostile_report(), "en"))["status"] == "error"
    crashed = json.loads(render_github(crashed_report(), "en"))
    assert {t["status"] for t in crashed["tests"]} >= {"pass", "error"}


def test_markdown_report_is_appended_to_the_step_summary(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    render_github(partial_report(), "en")
    written = summary.read_text(encoding="utf-8")
    assert written == "earlier step\n" + render_markdown(partial_report(), "en")


def test_step_summary_stays_within_githubs_limit(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * (github.STEP_SUMMARY_LIMIT - 2000))
    markdown = "한글 줄\n" * 1000  # 11 kB of multi-byte text
    github.append_step_summary(markdown, {"GITHUB_STEP_SUMMARY": str(summary)}, "ko")
    data = summary.read_bytes()
    assert len(data) <= github.STEP_SUMMARY_LIMIT
    tail = data.decode("utf-8")[github.STEP_SUMMARY_LIMIT - 2000 :]  # decodes: cut on a char
    assert tail.startswith("한글 줄\n") and "1 MiB" in tail


def test_no_summary_file_is_written_without_the_variable(tmp_path):
    assert github.append_step_summary("# x", {}, "en") is None
