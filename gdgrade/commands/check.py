"""`gdgrade check PATH`: the student's quick check on the public cases only.

Exit 0 when every checked function passes (a function not written yet is listed, not
failed, unless it was named with --exercise), 1 otherwise, 2 for unreadable input,
3 for a grader fault. The same command exists in the student release.
"""

from __future__ import annotations

import argparse
import sys

from gdgrade.commands import exercise_id
from gdgrade.errors import EXIT_BELOW, EXIT_FAULT, EXIT_OK, UsageError
from gdgrade.i18n import LANGUAGES, text
from gdgrade.sandbox.runners import CHOICES, ENVIRONMENT_VARIABLE, CheckRunner


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "check",
        help="check a submission on the public cases (fast; for students)",
        description="Run the public cases on a .py or .ipynb submission and explain "
        "what fails. The final grade also uses hidden cases.",
    )
    parser.add_argument("path", help="the submission file (.py or .ipynb)")
    parser.add_argument(
        "--exercise",
        action="append",
        type=exercise_id,
        metavar="ID",
        help="check only this function (repeatable); default: every function",
    )
    parser.add_argument("--lang", choices=LANGUAGES, help="ko (default) or en")
    parser.add_argument(
        "--runner",
        choices=CHOICES,
        help="where the code runs: the Linux sandbox, or the portable runner (a separate "
        f"process with time limits, any system); default: {ENVIRONMENT_VARIABLE} or auto",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gdgrade.display import choose_lang
    from gdgrade.sandbox.runners import requested_runner
    from gdgrade.submission import SubmissionError, load_submission

    lang = choose_lang(args.lang)
    try:
        submission = load_submission(args.path, through_links=False)
    except SubmissionError as exc:  # why, in the student's language
        raise UsageError(exc.said(lang)) from None
    runner = CheckRunner(requested_runner(args.runner))  # the sandbox starts now
    with runner:
        from gdgrade.checker import check_submission
        from gdgrade.display import render_check_text

        report = check_submission(submission, runner, tuple(args.exercise or ()))
    sys.stdout.write(render_check_text(report, lang, color=sys.stdout.isatty()))
    sys.stdout.write(runner_line(runner, lang) + "\n")
    if report.grader_errors:
        return EXIT_FAULT
    return EXIT_OK if report.ok else EXIT_BELOW


def runner_line(runner: CheckRunner, lang: str) -> str:
    """One line: which runner ran the code, and its isolation or why it was chosen."""
    detail = runner.detail
    if runner.used == "portable" and runner.requested == "portable":
        detail = text(lang, "check", "runner_forced")
    return text(lang, "check", f"runner_{runner.used}", detail=detail)
