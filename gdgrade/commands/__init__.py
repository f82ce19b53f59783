"""The command-line toolkit both `gdgrade` commands share (the student release's, with
only `check`, and the instructor's), and the student's `check` command itself.

Each command module defines `register(subparsers)` and `run(args)`. `main` is the one
place that prints an error and chooses the exit status: commands raise a GdgradeError,
which carries its exit code.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from gdgrade import __version__
from gdgrade.errors import EXIT_USAGE, GdgradeError

INTERRUPTED = 130  # as a shell reports SIGINT


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser(description: str, commands: Sequence[ModuleType]) -> Parser:
    parser = Parser(prog="gdgrade", description=description)
    parser.add_argument("--version", action="version", version=f"gdgrade {__version__}")
    subparsers = parser.add_subparsers(dest="command", parser_class=Parser)
    for command in commands:
        command.register(subparsers)
    return parser


def main(parser: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Run the chosen command; an error becomes one line on stderr and its exit code."""
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
    except GdgradeError as exc:
        lines = str(exc).splitlines() or [type(exc).__name__]
        print(f"gdgrade: error: {lines[0]}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("gdgrade: interrupted", file=sys.stderr)
        return INTERRUPTED
    return code


def exercise_id(value: str) -> str:
    """An --exercise value: a known id, or an error naming the closest one (a typo)."""
    from gdgrade.contract import EXERCISE_IDS  # only when one is given (~40 ms of imports)

    if value in EXERCISE_IDS:
        return value
    close = difflib.get_close_matches(value, EXERCISE_IDS, n=1, cutoff=0.5)
    hint = f": did you mean '{close[0]}'?" if close else ""
    known = ", ".join(EXERCISE_IDS)
    raise argparse.ArgumentTypeError(f"unknown exercise '{value}'{hint} (known: {known})")
