"""gdgrade: exercises and automated grading for a course on gradient descent.

In a notebook, `from gdgrade import check` and then `check("sgd")` (one function) or
`check()` (every exercise) checks the functions as currently defined against the public cases,
in the sandbox; the student's code is never called in the notebook's own process.
"""

from __future__ import annotations

import sys
from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "check"]


def check(*exercises: str, lang: str | None = None) -> Any:
    """Check the caller's current definitions of `exercises` (all when none are named).

    Returns a result that Jupyter shows as HTML (text in a terminal); `.ok` is True when
    every checked function passes its public cases. `lang` is "ko" (default) or "en".
    """
    from gdgrade.notebook_check import check_namespace

    caller = sys._getframe(1).f_globals
    return check_namespace(caller, exercises, lang)


def __getattr__(name: str) -> Any:
    # The sandbox runs on this package and withdraws `check` before it loads a submission
    # (checking means nothing while grading): a notebook's `from gdgrade import check`
    # then takes its ImportError fallback, as in a kernel without gdgrade.
    if name == "check":
        raise ImportError("gdgrade's check() is not available while grading")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
