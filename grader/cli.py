"""The command line: the only place that prints or exits.

Exit codes (as pytest/click): 0 graded, 1 graded but below --fail-under, 2 usage or
unreadable input, 3 grader fault.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .assignment import AssignmentError, load_assignment, parse_seed
from .contract import EXERCISE_IDS
from .i18n import LANGUAGES

EXIT_OK, EXIT_BELOW, EXIT_USAGE, EXIT_FAULT = 0, 1, 2, 3


class UsageError(Exception):
    """Bad input from the user: one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        print(f"gdgrade: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gdgrade", description="Grade gradient descent exercises.")
    parser.add_argument("--version", action="version", version=f"gdgrade {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    grade = commands.add_parser("grade", help="grade one submission (.py or .ipynb)")
    grade.add_argument("path", help="the submission file")
    grade.add_argument(
        "--exercise",
        action="append",
        choices=EXERCISE_IDS,
        metavar="ID",
        help="grade only these exercises (repeatable)",
    )
    grade.add_argument("--seed", help="seed of the hidden cases (default: GDGRADE_SEED or file)")
    grade.add_argument(
        "--per-student",
        nargs="?",
        const="",
        metavar="ID",
        help="give each student their own hidden cases; ID defaults to the file name",
    )
    grade.add_argument("--assignment", help="assignment file (TOML): exercises, points, seed")
    grade.add_argument("--format", choices=("text", "json"), default="text")
    grade.add_argument("--out", help="write the report here instead of standard output")
    grade.add_argument("--lang", choices=LANGUAGES, help="language of the report")
    grade.add_argument("--fail-under", type=float, help="exit 1 when the score is below this")
    grade.add_argument(
        "--reveal-hidden", action="store_true", help="show hidden cases' inputs and answers"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return _grade(args)
    except (UsageError, AssignmentError) as exc:
        print(f"gdgrade: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gdgrade: interrupted", file=sys.stderr)
        return 130


def _grade(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .grade import grade_path
    from .render import render_text
    from .report import to_json
    from .sandbox import Sandbox
    from .submission import SubmissionError

    assignment = load_assignment(args.assignment)
    if args.seed is not None:
        assignment = replace(assignment, seed=parse_seed(args.seed))
    if args.exercise:
        assignment = assignment.only(tuple(args.exercise))
    if args.per_student is not None:
        assignment = replace(assignment, per_student=True)
    if args.reveal_hidden:
        assignment = replace(assignment, reveal_hidden=True)
    lang = args.lang or assignment.lang
    try:
        with Sandbox() as sandbox:
            report = grade_path(args.path, assignment, sandbox, args.per_student or None)
    except SubmissionError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        output = json.dumps(to_json(report, lang), ensure_ascii=False, indent=2) + "\n"
    else:
        color = args.out is None and sys.stdout.isatty()
        output = render_text(report, lang, color=color)
    _write(output, args.out)
    if report.grader_errors:
        for fault in report.grader_errors:
            print(f"gdgrade: grader fault: {fault.splitlines()[0]}", file=sys.stderr)
        return EXIT_FAULT
    if args.fail_under is not None and report.score < args.fail_under:
        return EXIT_BELOW
    return EXIT_OK


def _write(output: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(output)
        return
    try:
        Path(out).write_text(output, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror}") from None
