"""The command line: the only place that prints or exits. Subcommands live in commands/."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from . import __version__
from .assignment import AssignmentError
from .commands import batch, check, export, grade, gradescope_package, release, similarity
from .errors import EXIT_USAGE, UsageError

COMMANDS = (grade, batch, export, similarity, check, release, gradescope_package)
# Each command's name, so that a run builds only its own parser: building another's
# imports what its options need (the similarity engine, the batch tables), ~50 ms.
NAMES = {
    "grade": grade,
    "batch": batch,
    "export": export,
    "similarity": similarity,
    "check": check,
    "release": release,
    "gradescope-package": gradescope_package,
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or only `command`'s part of it when that is a command."""
    parser = _Parser(prog="gdgrade", description="Grade gradient descent exercises.")
    parser.add_argument("--version", action="version", version=f"gdgrade {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    for module in (NAMES[command],) if command in NAMES else COMMANDS:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(words[0] if words else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except (UsageError, AssignmentError) as exc:
        print(f"gdgrade: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gdgrade: interrupted", file=sys.stderr)
        return 130
