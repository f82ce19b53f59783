"""Show a CheckReport to a student: terminal text or notebook HTML, in Korean or English.

The templates (`templates/check.txt.j2`, `templates/check.html.j2`) hold every word and
read the report; this module only hands them the report and small formatting helpers.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from gdgrade import templating
from gdgrade.checker import CheckReport
from gdgrade.errors import UsageError
from gdgrade.i18n import DEFAULT_LANG, LANGUAGES
from gdgrade.messages import case_message, problem_message

LANG_ENV = "GDGRADE_LANG"
SHOWN_ENTRIES = 6  # values with more entries are shown by their ends only


def choose_lang(lang: str | None) -> str:
    """The student's language: as asked, else $GDGRADE_LANG, else Korean."""
    chosen = lang or os.environ.get(LANG_ENV) or DEFAULT_LANG
    if chosen not in LANGUAGES:
        raise UsageError(f"lang must be one of {', '.join(LANGUAGES)}, not {chosen!r}")
    return chosen


def _number(x: float) -> str:
    if not math.isfinite(x):
        return str(x)
    return f"{x:.8g}"


def brief(value: Any) -> str:
    """A short, readable form of a public case's value: 8 significant digits, long
    arrays shortened to their first and last entries with the shape."""
    if value is None:
        return "None"
    if isinstance(value, tuple | list):
        inner = ", ".join(brief(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return type(value).__name__
    if arr.ndim == 0:
        return _number(float(arr))
    flat = [_number(float(v)) for v in arr.ravel()]
    if arr.size <= SHOWN_ENTRIES:
        body = ", ".join(flat)
    else:
        body = ", ".join(flat[:3]) + ", …, " + ", ".join(flat[-2:])
    return f"array[{body}] shape={tuple(arr.shape)}"


def _render(template: str, report: CheckReport, lang: str, **extra: Any) -> str:
    return templating.render(
        template,
        lang,
        report=report,
        message=lambda case: case_message(case, lang),
        problem=lambda p: problem_message(p, lang),
        brief=brief,
        **extra,
    )


def render_check_text(report: CheckReport, lang: str, color: bool = False) -> str:
    return _render("check.txt.j2", report, lang, paint=templating.painter(color))


def render_check_html(report: CheckReport, lang: str) -> str:
    return _render("check.html.j2", report, lang)


def render_exercise_text(report: CheckReport, exercise: str, lang: str) -> str:
    """One function's part of the text report (what a pytest failure shows)."""
    return _render(
        "check_exercise.txt.j2", report, lang, paint=templating.painter(False), only=exercise
    )
