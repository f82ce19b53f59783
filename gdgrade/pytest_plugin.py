"""The public checks as ordinary pytest tests (a pytest plugin of the student release).

    pytest                               # checks solution.py
    pytest --submission=starter.ipynb    # or any .py / .ipynb (with "=": pytest
                                         # takes a separate path for a test path)
    pytest -k sgd --lang en

One test per function; the submission runs once in the sandbox for the whole session.
A failure shows the same explanation as `gdgrade check`; a function not written yet
(missing, or still `raise NotImplementedError`) is skipped and says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gdgrade.checker import CheckReport, check_submission
from gdgrade.contract import EXERCISE_IDS
from gdgrade.display import choose_lang, render_exercise_text
from gdgrade.i18n import text

EXERCISES = EXERCISE_IDS
DEFAULT_SUBMISSION = "solution.py"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gdgrade", "gdgrade public checks")
    group.addoption(
        "--submission",
        default=DEFAULT_SUBMISSION,
        help=f"the .py or .ipynb file to check (default: {DEFAULT_SUBMISSION})",
    )
    group.addoption("--lang", default=None, help="ko (default) or en")


@pytest.fixture(scope="session")
def check_lang(pytestconfig: pytest.Config) -> str:
    return choose_lang(pytestconfig.getoption("--lang"))


@pytest.fixture(scope="session")
def public_check(pytestconfig: pytest.Config) -> CheckReport:
    from gdgrade.sandbox.runners import CheckRunner, requested_runner
    from gdgrade.submission import SubmissionError, load_submission

    path = Path(pytestconfig.getoption("--submission"))
    if not path.is_absolute():
        path = pytestconfig.rootpath / path
    try:
        submission = load_submission(path)
    except SubmissionError as exc:
        pytest.fail(str(exc), pytrace=False)
    with CheckRunner(requested_runner(None)) as runner:  # sandbox, or portable elsewhere
        return check_submission(submission, runner)


def assert_public_cases(report: CheckReport, exercise: str, lang: str) -> None:
    """Pass, fail with the check's explanation, or skip a function not written yet."""
    (check,) = [c for c in report.checks if c.id == exercise]
    if check.verdict == "passed":
        return
    if check.verdict in ("todo", "missing"):
        pytest.skip(
            text(
                lang,
                "check",
                "pytest_skip",
                name=exercise,
                verdict=text(lang, "check", "verdict", check.verdict),
            )
        )
    pytest.fail(render_exercise_text(report, exercise, lang), pytrace=False)
