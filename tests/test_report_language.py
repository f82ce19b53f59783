"""A report in Korean says everything in Korean: what the grader itself says about a
call that timed out or crashed, about module-level code and about notebook lines it did
not run is worded from the catalogue in the report's language, in the text a student
reads and in the JSON a tool reads. (Python's own words, an exception's message or a
syntax error, stay as Python said them.)"""

from __future__ import annotations

import json
import os
import re
import string
from pathlib import Path

import pytest

from gdgrade.i18n import catalogue, text
from gdgrade.sandbox.limits import Limits
from grader.cli import main

HERE = Path(__file__).parent
SAMPLES = HERE / "submissions"
LIMITS = Limits()


def english_fragments() -> set[str]:
    """The literal pieces (between parameters and punctuation) of every English sentence
    the grader words its own outcomes with: words, not a name such as SystemExit."""
    found = set()
    for section in ("call", "load"):
        for sentence in catalogue("en")[section].values():
            for literal, *_ in string.Formatter().parse(sentence):
                for piece in re.split(r"[.;:()]", literal):
                    if len(piece.strip()) >= 10 and " " in piece.strip():
                        found.add(piece.strip().lower())
    return found


def graded(capsys: pytest.CaptureFixture[str], path: Path, exercise: str, form: str) -> str:
    argv = ["grade", str(path), "--seed", "7", "--lang", "ko", "--exercise", exercise]
    main([*argv, "--format", form])
    return capsys.readouterr().out


def assert_korean_only(output: str) -> None:
    lowered = output.lower()
    left = sorted(f for f in english_fragments() if f in lowered)
    assert left == [], f"English left in a Korean report: {left}"


def test_a_function_that_never_returns_is_explained_in_korean(capsys):
    path = SAMPLES / "any" / "timeout.py"
    seconds = LIMITS.call_wall_s
    timed_out = text("ko", "call", "wall_limit", seconds=seconds)
    skipped = text(
        "ko",
        "call",
        "skipped_after_timeouts",
        count=LIMITS.timeouts_per_exercise,
        seconds=seconds,
    )
    report = graded(capsys, path, "gradient_descent", "json")
    assert_korean_only(report)
    calls = [
        row["call"] for e in json.loads(report)["exercises"] for row in e["cases"] if "call" in row
    ]
    assert {c["error_message"] for c in calls} == {timed_out, skipped}
    assert {c["reason"] for c in calls} == {"wall_limit", "skipped_after_timeouts"}
    shown = graded(capsys, path, "gradient_descent", "text")
    assert timed_out in shown and skipped in shown
    assert_korean_only(shown)


def test_sys_exit_at_module_level_is_noted_in_korean(capsys):
    path = HERE / "hostile" / "sys_exit.py"
    for form in ("text", "html", "json"):
        report = graded(capsys, path, "numerical_derivative", form)
        assert text("ko", "load", "system_exit", code="0") in report, form
        assert_korean_only(report)


def test_notebook_magics_not_run_are_noted_in_korean(capsys):
    report = graded(capsys, SAMPLES / "correct" / "notebook.ipynb", "gradient_step", "text")
    assert text("ko", "load", "magic_not_run", magic="%matplotlib") in report
    assert_korean_only(report)


def test_an_object_that_is_not_data_is_named_in_korean(capsys):
    report = graded(capsys, HERE / "hostile" / "pickle_return.py", "numerical_derivative", "text")
    assert text("ko", "call", "not_plain_data", type="Payload") in report
    assert_korean_only(report)


def test_a_process_that_exits_during_a_call_is_explained_in_korean(capsys):
    report = graded(capsys, HERE / "hostile" / "os_exit.py", "numerical_derivative", "json")
    messages = {row["message"] for e in json.loads(report)["exercises"] for row in e["cases"]}
    assert text("ko", "call", "exited", code=0) in messages
    assert text("ko", "call", "killed", signal="SIGABRT") in messages
    assert_korean_only(report)


def test_output_written_around_print_is_headed_in_korean(capsys):
    report = graded(capsys, HERE / "hostile" / "fake_output.py", "numerical_derivative", "text")
    heading = report.index(text("ko", "ui", "raw_output"))
    assert "PASSED" in report[heading:]  # the bytes it wrote with os.write, under the heading
    assert "outside print()" not in report


@pytest.mark.parametrize(
    "name, content, key, params",
    [
        ("hw.py", "  \n", "empty", {}),
        ("hw.ipynb", '{"cells": [', "invalid_json", {"line": 1, "column": 12, "error": "..."}),
    ],
)
def test_a_file_that_cannot_be_graded_is_refused_in_korean(
    capsys, tmp_path, name, content, key, params
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["grade", str(path), "--seed", "7", "--lang", "ko"]) == 2
    err = capsys.readouterr().err
    words = {lang: text(lang, "submission", key, **params).split("(")[0] for lang in ("ko", "en")}
    assert words["ko"] in err and words["en"] not in err


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_a_file_that_is_not_a_regular_one_is_refused_in_korean(capsys, tmp_path, kind):
    path = tmp_path / "hw.py"
    if kind == "symlink":
        (tmp_path / "real.py").write_text("x = 1\n", encoding="utf-8")
        path.symlink_to(tmp_path / "real.py")
    else:
        os.mkfifo(path)
    assert main(["check", str(path), "--lang", "ko"]) == 2
    err = capsys.readouterr().err
    assert text("ko", "files", kind) in err and text("en", "files", kind) not in err
    assert main(["check", str(path), "--lang", "en"]) == 2
    assert text("en", "files", kind) in capsys.readouterr().err
