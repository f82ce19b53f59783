"""Exit codes and the user-facing error every command may raise.

Exit codes (as pytest/click): 0 graded, 1 graded but below --fail-under, 2 usage or
unreadable input, 3 grader fault.
"""

from __future__ import annotations

EXIT_OK, EXIT_BELOW, EXIT_USAGE, EXIT_FAULT = 0, 1, 2, 3


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit 2."""
