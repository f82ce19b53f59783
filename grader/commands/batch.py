"""`gdgrade batch DIR --out OUT`: grade a whole class, resumable, into a gradebook."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from gdgrade.errors import EXIT_FAULT, EXIT_OK, UsageError
from grader.commands.grade import add_assignment_options, add_no_isolation, assignment_from

if TYPE_CHECKING:
    from gdgrade.sandbox import Limits


def add_export_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by batch and export: what the grade tables are built from."""
    from grader.batch.standings import ATTEMPT_RULES

    parser.add_argument(
        "--attempt",
        choices=ATTEMPT_RULES,
        help="which of a student's attempts counts (batch default: latest)",
    )
    parser.add_argument("--roster", help="class roster CSV: names, SIS ids, sections, emails")
    parser.add_argument(
        "--canvas-assignment-id",
        help="Canvas assignment id, so the Canvas import fills that column",
    )


def add_extensions_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--extensions",
        metavar="CSV",
        help="per-student due dates: student id, new due date (replaces earlier ones)",
    )


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("batch", help="grade every submission in a directory")
    parser.add_argument("directory", metavar="DIR", help="one submission per student")
    parser.add_argument("--out", required=True, help="output directory (gradebook, reports)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers (default: cores)"
    )
    add_assignment_options(parser)
    parser.add_argument(
        "--per-student",
        action="store_const",
        const="",
        help="give each student their own hidden cases (seeded by the student id)",
    )
    add_export_options(parser)
    parser.add_argument("--call-timeout", type=float, help="seconds per function call")
    parser.add_argument(
        "--load-timeout", type=float, help="seconds for a submission's module-level code"
    )
    parser.add_argument(
        "--submission-timeout", type=float, help="seconds for everything of one submission"
    )
    parser.add_argument(
        "--feedback",
        choices=("html", "text"),
        default="html",
        help="each student's report: html with pictures (default) or text (much faster)",
    )
    parser.add_argument(
        "--times",
        metavar="CSV",
        help="when each file was handed in: student id, time, optional file "
        "(Moodle's grading worksheet works)",
    )
    parser.add_argument(
        "--times-from-mtime",
        action="store_true",
        help="date files with no other time by their modification time "
        "(unreliable: copying and unzipping change it)",
    )
    add_extensions_option(parser)
    parser.add_argument(
        "--progress",
        choices=("auto", "bar", "lines"),
        default="auto",
        help="a progress bar (terminal default) or one line per submission",
    )
    add_no_isolation(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from grader.batch.gradebook import FILENAME
    from grader.batch.runner import start_early, stop_fork_server

    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if not (Path(args.out) / FILENAME).exists():  # a first run: every file is to grade
        start_early()  # so the workers' imports run while this process reads the class
    try:
        return _run(args)
    finally:
        stop_fork_server()


def _run(args: argparse.Namespace) -> int:
    from gdgrade.sandbox.host import requested_isolation
    from gdgrade.sandbox.runners import require_sandbox
    from grader.batch.pipeline import BatchOptions, run_batch
    from grader.batch.roster import load_roster

    requested_isolation()  # a wrong GDGRADE_ISOLATION stops here, not in every worker
    require_sandbox(args.no_isolation)  # refused here, not in every worker
    assignment = assignment_from(args)
    roster = load_roster(Path(args.roster) if args.roster else None)
    options = BatchOptions(
        directory=Path(args.directory),
        out=Path(args.out),
        assignment=assignment,
        jobs=args.jobs,
        attempt=args.attempt or "latest",
        roster=roster,
        limits=limits_from(args),
        canvas_assignment_id=args.canvas_assignment_id or "",
        progress_bar={"auto": None, "bar": True, "lines": False}[args.progress],
        feedback=args.feedback,
        times=Path(args.times) if args.times else None,
        times_from_mtime=args.times_from_mtime,
        extensions=Path(args.extensions) if args.extensions else None,
        unisolated=args.no_isolation,
    )
    summary = run_batch(options)
    print(
        f"gdgrade batch: {summary.students} students, {summary.submissions} submissions: "
        f"{summary.graded} graded now, {summary.reused} unchanged since an earlier run "
        f"({summary.wall_s:.1f} s)"
    )
    for path in summary.outputs:
        print(f"  {path}{os.sep if path.is_dir() else ''}")
    if summary.faults:
        print(
            f"gdgrade: grader fault on {summary.faults} submission(s); see class.html",
            file=sys.stderr,
        )
        return EXIT_FAULT
    return EXIT_OK


def limits_from(args: argparse.Namespace) -> Limits:
    from gdgrade.sandbox import Limits

    limits = Limits()
    try:
        if args.call_timeout is not None:
            limits = replace(limits, call_wall_s=args.call_timeout)
        if args.load_timeout is not None:
            limits = replace(limits, load_wall_s=args.load_timeout)
        if args.submission_timeout is not None:
            limits = replace(limits, submission_wall_s=args.submission_timeout)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return limits
