"""`gdgrade release --out DIR`: build the student package (no answers, no hidden cases)."""

from __future__ import annotations

import argparse
import sys

from gdgrade.errors import EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "release",
        help="build the student package: statements, starters, public cases, checker",
        description="Write the student-facing package into DIR. It contains no reference "
        "implementation, no mistake variant's code, no hidden-case generator and no seed; "
        "students install it with `pip install DIR`.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="where to write it")
    parser.add_argument("--force", action="store_true", help="replace DIR if it is not empty")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from grader.release import build_release

    files = build_release(args.out, force=args.force)
    width = max(len(f.path) for f in files)
    for f in files:
        sys.stdout.write(f"{f.path:<{width}}  {f.size:>9,}\n")
    total = sum(f.size for f in files)
    sys.stdout.write(f"{len(files)} files, {total:,} bytes in {args.out}\n")
    return EXIT_OK
