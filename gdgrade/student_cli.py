"""The `gdgrade` command of the student release: only `check`.

The full install's command line (`grader.cli`) also grades and builds releases; those
need the reference implementations and the hidden-case generator, which a release does
not contain. Both are built with the same toolkit (`gdgrade.commands`).
"""

from __future__ import annotations

import sys

from gdgrade import commands
from gdgrade.commands import check


def main(argv: list[str] | None = None) -> int:
    parser = commands.build_parser("Check gradient descent exercises.", [check])
    return commands.main(parser, argv)


if __name__ == "__main__":
    sys.exit(main())
