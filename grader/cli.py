"""The command line: the only place that prints or exits. Subcommands live in commands/."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from gdgrade.commands import check
from gdgrade.errors import EXIT_USAGE, UsageError
from grader import __version__
from grader.assignment import AssignmentError
from grader.commands import batch, export, grade, gradescope_package, release, similarity

COMMANDS = (grade, batch, export, similarity, check, release, gradescope_package)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gdgrade", description="Grade gradient descent exercises.")
    parser.add_argument("--version", action="version", version=f"gdgrade {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
