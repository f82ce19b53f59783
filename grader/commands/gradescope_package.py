"""`gdgrade gradescope-package --out autograder.zip`: the bundle to upload as a Gradescope
programming assignment's autograder (see grader/formats/gradescope_bundle.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gdgrade.contract import EXERCISE_IDS
from gdgrade.errors import EXIT_OK, UsageError
from grader.commands.grade import add_assignment_options, assignment_from

DEFAULT_TIMEOUT_S = 540  # under Gradescope's default 10-minute limit, room to write results


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "gradescope-package", help="build the autograder.zip a Gradescope assignment runs"
    )
    parser.add_argument("--out", required=True, help="where to write the zip")
    add_assignment_options(parser)
    parser.add_argument(
        "--per-student",
        dest="by_gradescope_user",
        action="store_true",
        help="give each student their own hidden cases, keyed by Gradescope user id",
    )
    parser.add_argument(
        "--filename", help="the file students must submit (default: any single .py or .ipynb)"
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=DEFAULT_TIMEOUT_S,
        help=f"seconds one submission may take to grade (default {DEFAULT_TIMEOUT_S})",
    )
    parser.set_defaults(run=run)


def _render(template: str, **context: Any) -> str:
    from gdgrade.templating import environment

    return environment().get_template(template).render(**context)


def run(args: argparse.Namespace) -> int:
    from grader.formats.gradescope_bundle import BundleSettings, bundle
    from grader.secret import SEED_WARNING, new_seed, weak

    assignment = assignment_from(args)
    if assignment.reveal_hidden:
        raise UsageError(
            "--reveal-hidden would show every student the hidden cases; to show them after "
            'grading, set hidden_visibility = "published" in the assignment file'
        )
    seed, made = (new_seed(), True) if assignment.seed is None else (assignment.seed, False)
    grade_args = ["--lang", assignment.lang]
    if tuple(assignment.exercises) != EXERCISE_IDS:
        for exercise in assignment.exercises:
            grade_args += ["--exercise", exercise]
    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    settings = BundleSettings(
        grade_args=tuple(grade_args),
        lang=assignment.lang,
        seed=seed,
        per_student=args.by_gradescope_user or assignment.per_student,
        filename=args.filename,
        timeout_s=args.timeout,
        assignment=Path(args.assignment).read_bytes() if args.assignment else None,
    )
    data = bundle(settings, _render)
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"gdgrade: wrote {args.out} ({len(data)} bytes); upload it as the autograder")
    if made:
        print(
            f"gdgrade: no seed given, so a random secret seed was baked into the bundle: {seed}\n"
            f"  Keep it from students (with it, gdgrade regenerates every hidden case); "
            f"regrade a file with GDGRADE_SEED={seed} gdgrade grade FILE"
        )
    elif weak(seed):
        print(f"gdgrade: warning: {SEED_WARNING}")
    return EXIT_OK
