"""The instructor's `gdgrade` command line: every subcommand, built with the toolkit the
student's command uses too (`gdgrade.commands`), which alone prints errors and exits."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

from gdgrade import commands

# Each command's module, imported only when it is chosen (or for the whole help): a
# module imports what its options need at import time (numpy, the similarity engine, the
# batch tables), and a run should pay for its own command alone.
MODULES = {
    "grade": "grader.commands.grade",
    "batch": "grader.commands.batch",
    "export": "grader.commands.export",
    "similarity": "grader.commands.similarity",
    "check": "gdgrade.commands.check",
    "release": "grader.commands.release",
    "gradescope-package": "grader.commands.gradescope_package",
}


def command_modules(command: str | None = None) -> tuple[ModuleType, ...]:
    """`command`'s module when it is a command, else every command's (in help order)."""
    names = (MODULES[command],) if command in MODULES else tuple(MODULES.values())
    return tuple(importlib.import_module(name) for name in names)


def build_parser(command: str | None = None) -> commands.Parser:
    """The whole command line, or only `command`'s part of it when that is a command."""
    return commands.build_parser("Grade gradient descent exercises.", command_modules(command))


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    return commands.main(build_parser(words[0] if words else None), argv)
