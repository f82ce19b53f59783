"""Show a CheckReport to a student: terminal text or notebook HTML, in Korean or English.

The templates (`templates/check.txt.j2`, `templates/check.html.j2`) hold every word and
read the report; this module only hands them the report and small formatting helpers.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import numpy as np

from gdgrade.checker import CheckReport
from gdgrade.errors import UsageError
from gdgrade.i18n import DEFAULT_LANG, LANGUAGES, text
from gdgrade.messages import case_message, problem_message

_ANSI = {"ok": "32", "bad": "31", "warn": "33", "dim": "2", "bold": "1"}
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


@cache
def environment() -> jinja2.Environment:
    """HTML templates (`*.html.j2`) are autoescaped; the text ones are not."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("gdgrade.templates"))),
        autoescape=lambda name: name is not None and ".html" in name,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def _painter(color: bool) -> Callable[[str, Any], str]:
    def paint(style: str, value: Any) -> str:
        return f"\x1b[{_ANSI[style]}m{value}\x1b[0m" if color else str(value)

    return paint


def _render(template: str, report: CheckReport, lang: str, **extra: Any) -> str:
    def t(*keys: str, **params: Any) -> str:
        return text(lang, *keys, **params)

    return (
        environment()
        .get_template(template)
        .render(
            report=report,
            lang=lang,
            t=t,
            message=lambda case: case_message(case, lang),
            problem=lambda p: problem_message(p, lang),
            brief=brief,
            **extra,
        )
    )


def render_check_text(report: CheckReport, lang: str, color: bool = False) -> str:
    return _render("check.txt.j2", report, lang, paint=_painter(color))


def render_check_html(report: CheckReport, lang: str) -> str:
    return _render("check.html.j2", report, lang)


def render_exercise_text(report: CheckReport, exercise: str, lang: str) -> str:
    """One function's part of the text report (what a pytest failure shows)."""
    return _render("check_exercise.txt.j2", report, lang, paint=_painter(False), only=exercise)
