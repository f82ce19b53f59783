"""`gdgrade similarity OUT`: compare every pair of students' code in a graded class, on
demand (it is never part of grading); writes OUT/similarity/ and refreshes class.html."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from gdgrade.errors import EXIT_OK, UsageError
from gdgrade.i18n import LANGUAGES

if TYPE_CHECKING:
    from grader.batch.similar import SimilarityOptions


def add_similarity_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `similarity` and `export`."""
    from grader.similarity.compare import THRESHOLD

    parser.add_argument(
        "--threshold",
        type=float,
        default=THRESHOLD,
        help=f"flag pairs whose whole-homework similarity reaches this (0..1, default {THRESHOLD})",
    )
    parser.add_argument(
        "--base",
        action="append",
        default=[],
        metavar="FILE",
        help="code given to everyone (e.g. the lecture's examples), ignored like the starter "
        "files (repeatable; .py or .ipynb)",
    )


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "similarity", help="find similar code across a graded class (OUT of a batch)"
    )
    parser.add_argument("out", metavar="OUT", help="the --out directory of a batch")
    add_similarity_options(parser)
    parser.add_argument("--attempt", choices=("latest", "best", "first"), help="which attempt")
    parser.add_argument("--lang", choices=LANGUAGES, help="language of the pages")
    parser.set_defaults(run=run)


def similarity_options(args: argparse.Namespace) -> SimilarityOptions:
    """SimilarityOptions from the command line; bad values are one line and exit 2."""
    from gdgrade.submission import SubmissionError, load_submission
    from grader.batch.similar import SimilarityOptions
    from grader.similarity.compare import Parameters

    if not 0 < args.threshold <= 1:
        raise UsageError(f"--threshold must be in (0, 1], got {args.threshold}")
    base = []
    for name in args.base:
        try:
            base.append(load_submission(name).source)
        except SubmissionError as exc:
            raise UsageError(f"--base {name}: {exc}") from None
    return SimilarityOptions(Parameters(threshold=args.threshold), tuple(base))


def run(args: argparse.Namespace) -> int:
    from grader.batch.export import export
    from grader.batch.roster import Roster

    out = Path(args.out)
    written = export(
        out,
        {"similarity", "class"},
        roster=Roster(),
        attempt=args.attempt,
        lang=args.lang,
        similarity=similarity_options(args),
    )
    for path in written:
        print(path)
    return EXIT_OK
