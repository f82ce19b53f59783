"""Every error reaches the user as one line and the exit code it carries, from either
`gdgrade` command: the command line is the only place that turns an error into a status."""

from __future__ import annotations

import argparse

import pytest

from gdgrade import commands
from gdgrade.errors import EXIT_FAULT, EXIT_USAGE, GdgradeError, GraderFault, UsageError
from gdgrade.sandbox.runners import RunnerError
from gdgrade.sandbox.zygote_client import SandboxError
from gdgrade.submission import SubmissionError
from grader.assignment import AssignmentError
from grader.batch.gradebook import GradebookError
from grader.batch.lock import Busy
from grader.batch.roster import RosterError
from grader.batch.timing import TimingError
from grader.cli import main as instructor_main
from grader.deadline import DeadlineError
from grader.release import ReleaseError


def command_raising(error: BaseException) -> commands.Parser:
    """A parser whose one command raises `error`."""

    class Failing:
        @staticmethod
        def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
            subparsers.add_parser("fail").set_defaults(run=Failing.run)

        @staticmethod
        def run(args: argparse.Namespace) -> int:
            raise error

    return commands.build_parser("test", [Failing])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (SubmissionError("hw.py", "not_readable", reason="not a regular file"), EXIT_USAGE),
        (RunnerError("the sandbox is unavailable here"), EXIT_USAGE),
        (AssignmentError("assignment.toml: points must be positive"), EXIT_USAGE),
        (ReleaseError("out is not empty"), EXIT_USAGE),
        (DeadlineError("bad deadline"), EXIT_USAGE),
        (RosterError("roster.csv: no id column"), EXIT_USAGE),
        (TimingError("times.csv: bad time"), EXIT_USAGE),
        (GradebookError("gradebook.sqlite is damaged"), EXIT_USAGE),
        (Busy("another batch writes to OUT"), EXIT_USAGE),
        (SandboxError("the zygote died\nTraceback (most recent call last): ..."), EXIT_FAULT),
        (GraderFault("cannot render"), EXIT_FAULT),
    ],
)
def test_an_error_is_one_line_and_its_own_exit_code(error, code, capsys):
    assert isinstance(error, GdgradeError) and error.exit_code == code
    assert commands.main(command_raising(error), ["fail"]) == code
    err = capsys.readouterr().err
    assert err == f"gdgrade: error: {str(error).splitlines()[0]}\n"
    assert "Traceback" not in err


def test_an_interrupt_is_one_line_and_130(capsys):
    assert commands.main(command_raising(KeyboardInterrupt()), ["fail"]) == 130
    assert capsys.readouterr().err == "gdgrade: interrupted\n"


def test_the_instructor_command_reports_a_missing_submission_in_one_line(tmp_path, capsys):
    code = instructor_main(["check", str(tmp_path / "missing.py")])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE and err.startswith("gdgrade: error: ") and err.count("\n") == 1


def test_a_usage_error_is_not_a_grader_fault():
    assert UsageError.exit_code == EXIT_USAGE and GraderFault.exit_code == EXIT_FAULT
