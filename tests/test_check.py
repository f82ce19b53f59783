"""`gdgrade check`: the student's quick check on the public cases, as the student sees it."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pytest

from gdgrade.checker import check_submission
from gdgrade.commands import check as check_command
from gdgrade.contract import EXERCISE_IDS
from gdgrade.exercise_data import public_cases
from gdgrade.i18n import text
from gdgrade.sandbox import Sandbox
from gdgrade.submission import load_submission
from grader.hidden_cases import hidden_cases

SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT = SUBMISSIONS / "correct" / "loops.py"
SOME_SEED = 7_391_204_583  # hidden case ids name the same parameters under any seed
PATH_INCLUDES_START = SUBMISSIONS / "gradient_descent" / "path_includes_start.py"

GRADIENT_STEP_ONLY = """
import numpy as np

def gradient_step(x, grad, learning_rate):
    return np.asarray(x, dtype=float) - learning_rate * np.asarray(grad, dtype=float)
"""


def run_check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    import argparse

    parser = argparse.ArgumentParser()
    check_command.register(parser.add_subparsers())
    args = parser.parse_args(["check", *argv])
    code = args.run(args)
    return code, capsys.readouterr().out


def verdict_lines(out: str, symbol: str, verdict: str) -> int:
    """How many functions the summary shows with this symbol and verdict."""
    return sum(
        1 for line in out.splitlines() if line.startswith(symbol + " ") and line.endswith(verdict)
    )


def written(tmp_path: Path, source: str, name: str = "hw.py") -> str:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as box:
        yield box


def test_correct_submission_passes_every_function_and_exits_0(capsys):
    code, out = run_check(capsys, str(CORRECT))
    assert code == 0
    for exercise in EXERCISE_IDS:
        n = len(public_cases(exercise))
        line = next(line for line in out.splitlines() if f" {exercise} " in line)
        assert line.lstrip().startswith("✓")
        assert text("ko", "check", "cases_passed", passed=n, total=n) in line
    assert text("ko", "check", "all_passed", n=9) in out
    assert text("ko", "check", "hidden_note") in out


def test_buggy_function_is_explained_with_mistake_hint_and_values(capsys):
    code, out = run_check(capsys, str(PATH_INCLUDES_START))
    assert code == 1
    assert text("ko", "mistakes", "path_includes_start", "title") in out
    assert text("ko", "mistakes", "path_includes_start", "hint") in out
    assert text("ko", "check", "expected") + ": " in out
    assert "shape=(201,)" in out  # the returned path, one entry too long
    assert text("ko", "check", "hidden_note") in out


def test_english_on_request(capsys):
    code, out = run_check(capsys, str(PATH_INCLUDES_START), "--lang", "en")
    assert code == 1
    assert text("en", "mistakes", "path_includes_start", "title") in out
    assert text("en", "check", "hidden_note") in out
    assert not re.search("[가-힣]", out.split("── ")[0])  # the summary is all English


def test_functions_not_written_are_listed_but_do_not_fail(capsys, tmp_path):
    code, out = run_check(capsys, written(tmp_path, GRADIENT_STEP_ONLY))
    assert code == 0
    assert text("ko", "check", "all_passed", n=1) in out
    assert verdict_lines(out, "-", text("ko", "check", "verdict", "missing")) == 8
    assert text("ko", "check", "missing_hint") in out


def test_a_named_function_that_is_missing_fails(capsys, tmp_path):
    code, out = run_check(capsys, written(tmp_path, GRADIENT_STEP_ONLY), "--exercise", "sgd")
    assert code == 1
    assert "sgd" in out and "gradient_step" not in out


def test_untouched_starters_are_not_implemented_yet_and_exit_1(capsys, tmp_path):
    from gdgrade.exercises import catalog

    starters = [catalog.starter_path(e).read_text(encoding="utf-8") for e in EXERCISE_IDS]
    code, out = run_check(capsys, written(tmp_path, "\n\n".join(starters)))
    assert code == 1
    assert verdict_lines(out, "…", text("ko", "check", "verdict", "todo")) == len(EXERCISE_IDS)
    assert text("ko", "check", "nothing_checked") in out
    assert text("ko", "check", "todo_hint") in out


def test_syntax_error_is_shown_with_its_line(capsys):
    code, out = run_check(capsys, str(SUBMISSIONS / "any" / "syntax_error.py"))
    assert code == 1
    assert text("ko", "ui", "load_problems") in out
    assert "SyntaxError" in out


def test_notebook_file_is_checked_like_a_py_file(capsys):
    code, out = run_check(capsys, str(SUBMISSIONS / "correct" / "notebook.ipynb"))
    assert code == 0, out


@pytest.mark.parametrize("path", ["no/such/file.py", "README.md"])
def test_unreadable_input_exits_2(capsys, path):
    from gdgrade.errors import UsageError

    with pytest.raises(UsageError):
        run_check(capsys, path)


def test_a_symlink_or_a_pipe_is_refused_in_one_line_without_its_target(capsys, tmp_path):
    import os

    from grader.cli import main

    secret = tmp_path / "secret.txt"
    secret.write_text("grader_secret = 'not for students'\n")
    (tmp_path / "link.py").symlink_to(secret)
    os.mkfifo(tmp_path / "pipe.py")
    for name, key, kind in (
        ("link.py", "symlink", "a symbolic link"),
        ("pipe.py", "fifo", "a named pipe (FIFO)"),
    ):
        assert main(["check", str(tmp_path / name), "--lang", "en"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"{name}: {kind}, not a regular file" in err
        assert "secret" not in err
        assert main(["check", str(tmp_path / name), "--lang", "ko"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "secret" not in err
        said = text("ko", "submission", "not_readable", reason=text("ko", "files", key))
        assert f"{name}: {said}" in err  # the nested reason in Korean too


def test_gdgrade_check_command_exits_0_then_2_for_an_unknown_exercise(capsys):
    from grader.cli import main

    assert main(["check", str(CORRECT), "--exercise", "gradient_step", "--lang", "en"]) == 0
    assert text("en", "check", "all_passed", n=1) in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["check", str(CORRECT), "--exercise", "gradient_decent"])
    assert exc.value.code == 2
    assert "gradient_decent" in capsys.readouterr().err


def test_never_reveals_a_hidden_case(capsys, sandbox):
    """Only public cases are run and shown; no hidden case id or input appears."""
    submission = load_submission(PATH_INCLUDES_START)
    report = check_submission(submission, sandbox)
    from gdgrade.display import render_check_html, render_check_text

    shown = render_check_text(report, "ko") + render_check_html(report, "en")
    for check in report.checks:
        public = [c.id for c in public_cases(check.id)]
        assert [c.id for c in check.result.cases] in ([], public)
        assert all(c.visibility == "public" for c in check.result.cases)
        hidden = {c.id for c in hidden_cases(check.id, SOME_SEED)} - set(public)
        assert not [h for h in hidden if re.search(rf"\b{re.escape(h)}\b", shown)]


def test_whole_correct_submission_is_checked_fast(sandbox):
    """Measured here after start-up (imports, first sandbox run): the check itself."""
    submission = load_submission(CORRECT)
    check_submission(submission, sandbox)  # warm: sympy, caches
    started = time.monotonic()
    report = check_submission(submission, sandbox)
    elapsed = time.monotonic() - started
    assert report.ok
    # about 0.3 s on an idle 2-core machine; the bound leaves room for a busy one
    assert elapsed < 1.5, f"the check took {elapsed:.2f} s"


def test_html_is_escaped_and_lists_every_function(sandbox, tmp_path):
    source = GRADIENT_STEP_ONLY + "\nraise ValueError('<b>not bold</b>')\n"
    report = check_submission(load_submission(written(tmp_path, source)), sandbox)
    from gdgrade.display import render_check_html

    html = render_check_html(report, "ko")
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html and "<b>not bold</b>" not in html
    for exercise in EXERCISE_IDS:
        assert f"<code>{exercise}</code>" in html


def test_the_check_judges_with_the_stored_expectations_and_never_the_reference(monkeypatch):
    import reference
    from gdgrade import public_expectations as expectations

    def no_reference(*args):
        raise AssertionError("the check reached the reference")

    for exercise in EXERCISE_IDS:
        monkeypatch.setitem(reference.REFERENCE, exercise, no_reference)
    expectations.public_expectations.cache_clear()
    loaded = expectations.public_expectations("gradient_step")
    assert [e.case.id for e in loaded] == [c.id for c in public_cases("gradient_step")]
    assert all(e.case.visibility == "public" for e in loaded)


def test_a_case_that_changes_its_input_is_not_shown_as_passing(capsys):
    code, out = run_check(capsys, str(SUBMISSIONS / "any" / "mutates_input.py"))
    assert code == 1
    line = next(line for line in out.splitlines() if " gradient_step " in line)
    assert line.startswith("✗")
    cases = public_cases("gradient_step")
    arrays = [c for c in cases if isinstance(c.args[0], np.ndarray)]  # what x -= ... changes
    assert arrays
    passing = len(cases) - len(arrays)
    assert text("ko", "check", "cases_passed", passed=passing, total=len(cases)) in line
    changed = text("ko", "mistakes", "mutates_input", "title") + ": x"
    assert out.count(changed) >= min(len(arrays), 3)  # the first three are listed


def test_the_check_drops_format_controls_a_student_message_carries(tmp_path, capsys):
    """A right-to-left override in an exception message would make the check read otherwise;
    the check's text, like every report, is drawn without such controls."""
    source = (
        'def gradient_step(x, grad, learning_rate):\n    raise ValueError("ok\\u202etxt.exe")\n'
    )
    code, out = run_check(capsys, written(tmp_path, source), "--exercise", "gradient_step")
    assert code == 1 and "oktxt.exe" in out
    assert "\u202e" not in out
