"""Exit codes and the errors every command may raise.

Exit codes (as pytest/click): 0 graded, 1 graded but below --fail-under, 2 usage or
unreadable input, 3 grader fault. An error carries its own exit code, the way click's
exceptions do; the command line is the one place that turns it into a message and a status.
"""

from __future__ import annotations

EXIT_OK, EXIT_BELOW, EXIT_USAGE, EXIT_FAULT = 0, 1, 2, 3


class GdgradeError(Exception):
    """An error a person can act on: printed as one line, exit `exit_code`."""

    exit_code = EXIT_USAGE


class UsageError(GdgradeError):
    """Bad input from the user: a wrong option, an unreadable or missing file."""


class GraderFault(GdgradeError):
    """gdgrade's own fault (not the user's input, not the student's code)."""

    exit_code = EXIT_FAULT
