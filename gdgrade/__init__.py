"""gdgrade: exercises and automated grading for a course on gradient descent.

In a notebook, `from gdgrade import check` and then `check("sgd")` (one function) or
`check()` (all nine) checks the functions as currently defined against the public cases,
in the sandbox; the student's code is never called in the notebook's own process.
"""

from __future__ import annotations

import sys
from typing import Any

from grader import __version__

__all__ = ["__version__", "check"]


def check(*exercises: str, lang: str | None = None) -> Any:
    """Check the caller's current definitions of `exercises` (all when none are named).

    Returns a result that Jupyter shows as HTML (text in a terminal); `.ok` is True when
    every checked function passes its public cases. `lang` is "ko" (default) or "en".
    """
    from .notebook_check import check_namespace

    caller = sys._getframe(1).f_globals
    return check_namespace(caller, exercises, lang)
