"""The `gdgrade` command of the student release: only `check`.

The full install's command line (`grader.cli`) also grades and builds releases; those
need the reference implementations and the hidden-case generator, which a release does
not contain. `check` is the same module in both.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from gdgrade import __version__
from gdgrade.commands import check
from gdgrade.errors import EXIT_USAGE, UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gdgrade", description="Check gradient descent exercises.")
    parser.add_argument("--version", action="version", version=f"gdgrade {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    check.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"gdgrade: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gdgrade: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
