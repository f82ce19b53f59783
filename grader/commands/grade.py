"""`gdgrade grade PATH`: grade one submission and print or write its report."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from gdgrade.commands import exercise_id
from gdgrade.errors import EXIT_BELOW, EXIT_FAULT, EXIT_OK, UsageError
from gdgrade.i18n import LANGUAGES

if TYPE_CHECKING:  # imported once the command line is read (it loads numpy)
    from grader.assignment import Assignment


def add_assignment_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by the commands that grade (grade, batch)."""
    parser.add_argument(
        "--exercise",
        action="append",
        type=exercise_id,
        metavar="ID",
        help="grade only these exercises (repeatable)",
    )
    parser.add_argument(
        "--seed", help="the secret seed of the hidden cases (default: GDGRADE_SEED, or the file)"
    )
    parser.add_argument("--assignment", help="assignment file (TOML): exercises, points, seed")
    parser.add_argument("--lang", choices=LANGUAGES, help="language of the report")
    parser.add_argument(
        "--reveal-hidden",
        action="store_true",
        help="the TA's report: hidden cases in full and the seed (needs it; not for students)",
    )


def assignment_from(args: argparse.Namespace) -> Assignment:
    from grader.assignment import load_assignment, parse_seed

    assignment = load_assignment(args.assignment)
    if args.seed is not None:
        assignment = replace(assignment, seed=parse_seed(args.seed))
    if args.exercise:
        assignment = assignment.only(tuple(args.exercise))
    if getattr(args, "per_student", None) is not None:
        assignment = replace(assignment, per_student=True)
    if args.reveal_hidden:
        assignment = replace(assignment, reveal_hidden=True)
    if args.lang:
        assignment = replace(assignment, lang=args.lang)
    return assignment


def require_seed(assignment: Assignment) -> None:
    """Hidden cases without the instructor's seed: one clear line, before anything runs.

    Failing beats grading the public cases alone: a CI job that lost its secret would
    otherwise post grades that look final."""
    from grader.assignment import NO_SEED

    if assignment.reveal_hidden and assignment.seed is None:
        raise UsageError(
            "--reveal-hidden is the TA's tool and needs the secret seed "
            "(GDGRADE_SEED, the assignment file or --seed)"
        )
    if assignment.hidden and assignment.seed is None:
        raise UsageError(NO_SEED)


def register(commands: argparse._SubParsersAction) -> None:
    from grader.render import FORMATS

    parser = commands.add_parser("grade", help="grade one submission (.py or .ipynb)")
    parser.add_argument("path", help="the submission file")
    add_assignment_options(parser)
    parser.add_argument(
        "--per-student",
        nargs="?",
        const="",
        metavar="ID",
        help="give each student their own hidden cases; ID defaults to the file name",
    )
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="text",
        help="how the report is written (default: text, for a terminal); html is one "
        "self-contained page with pictures, json the documented result",
    )
    parser.add_argument("--out", help="write the report here instead of standard output")
    parser.add_argument("--fail-under", type=float, help="exit 1 when the score is below this")
    add_no_isolation(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gdgrade.sandbox.runners import grading_runner
    from gdgrade.submission import SubmissionError
    from grader.grade import grade_path
    from grader.render import FORMATS
    from grader.secret import derive_key_early

    assignment = assignment_from(args)
    require_seed(assignment)
    if assignment.hidden:  # the receipt's fingerprint, derived while the sandbox works
        derive_key_early(assignment.seed)
    runner = grading_runner(args.no_isolation)
    try:
        with runner as sandbox:
            report = grade_path(args.path, assignment, sandbox, args.per_student or None)
    except SubmissionError as exc:  # why, in the report's language
        raise UsageError(exc.said(assignment.lang)) from None
    color = args.out is None and sys.stdout.isatty()
    output = FORMATS[args.format](report, assignment.lang, color=color)
    write_output(output, args.out)
    for fault in report.grader_errors:
        print(f"gdgrade: grader fault: {fault.splitlines()[0]}", file=sys.stderr)
    if report.grader_errors:
        return EXIT_FAULT
    if args.fail_under is not None and report.score < args.fail_under:
        return EXIT_BELOW
    return EXIT_OK


def add_no_isolation(parser: argparse.ArgumentParser) -> None:
    """The instructor's opt-in to grade where the sandbox is unavailable."""
    parser.add_argument(
        "--no-isolation",
        action="store_true",
        help="where the Linux sandbox is unavailable (Windows, macOS), grade anyway in plain "
        "child processes with time limits but no isolation: only for code you trust",
    )


def write_output(output: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(output)
        return
    try:
        Path(out).write_text(output, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror}") from None
