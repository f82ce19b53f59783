"""`gdgrade export OUT`: rebuild grade tables and reports from the gradebook, no regrading."""

from __future__ import annotations

import argparse
from pathlib import Path

from gdgrade.errors import EXIT_OK
from gdgrade.i18n import LANGUAGES
from grader.commands.batch import add_export_options, add_extensions_option
from grader.commands.similarity import add_similarity_options, similarity_options

CHOICES = ("csv", "canvas", "gradescope", "class", "reports", "history", "similarity", "all")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export", help="rebuild grades.csv, Canvas/Gradescope files and class.html from OUT"
    )
    parser.add_argument("out", metavar="OUT", help="the --out directory of a batch")
    parser.add_argument(
        "--format",
        choices=CHOICES,
        action="append",
        help="what to rebuild (repeatable; default: all)",
    )
    add_export_options(parser)
    add_extensions_option(parser)
    add_similarity_options(parser)
    parser.add_argument("--lang", choices=LANGUAGES, help="language of class.html")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from grader.batch.export import export
    from grader.batch.roster import load_roster

    roster = load_roster(Path(args.roster) if args.roster else None)
    formats = set(args.format or ["all"])
    written = export(
        Path(args.out),
        formats,
        roster=roster,
        attempt=args.attempt,
        canvas_assignment_id=args.canvas_assignment_id,
        lang=args.lang,
        similarity=similarity_options(args),
        extensions=Path(args.extensions) if args.extensions else None,
    )
    for path in written:
        print(path)
    return EXIT_OK
