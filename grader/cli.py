"""The instructor's `gdgrade` command line: every subcommand, built with the toolkit the
student's command uses too (`gdgrade.commands`), which alone prints errors and exits."""

from __future__ import annotations

from gdgrade import commands
from gdgrade.commands import check
from grader.commands import batch, export, grade, gradescope_package, release, similarity

COMMANDS = (grade, batch, export, similarity, check, release, gradescope_package)


def build_parser() -> commands.Parser:
    return commands.build_parser("Grade gradient descent exercises.", COMMANDS)


def main(argv: list[str] | None = None) -> int:
    return commands.main(build_parser(), argv)
