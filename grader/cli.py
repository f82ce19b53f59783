"""The instructor's `gdgrade` command line: every subcommand, built with the toolkit the
student's command uses too (`gdgrade.commands`), which alone prints errors and exits."""

from __future__ import annotations

import sys

from gdgrade import commands
from gdgrade.commands import check
from grader.commands import batch, export, grade, gradescope_package, release, similarity

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


def build_parser(command: str | None = None) -> commands.Parser:
    """The whole command line, or only `command`'s part of it when that is a command."""
    chosen = (NAMES[command],) if command in NAMES else COMMANDS
    return commands.build_parser("Grade gradient descent exercises.", chosen)


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    return commands.main(build_parser(words[0] if words else None), argv)
