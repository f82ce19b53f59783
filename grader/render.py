"""Renderers: templates in templates/ read the GradeReport; this module only wires jinja2.

Templates get the report plus two helpers, `t` (catalogue text in the report's language)
and `message` (a case's comparison message); no report text is built in Python.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from .i18n import text
from .report import GradeReport, case_message, to_json

_ANSI = {"ok": "32", "bad": "31", "warn": "33", "dim": "2", "bold": "1"}


@cache
def environment() -> jinja2.Environment:
    root = resources.files("gdgrade.templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def _painter(color: bool):
    def paint(style: str, value: Any) -> str:
        return f"\x1b[{_ANSI[style]}m{value}\x1b[0m" if color else str(value)

    return paint


def render(template: str, report: GradeReport, lang: str, **extra: Any) -> str:
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
            **extra,
        )
    )


def render_text(report: GradeReport, lang: str, color: bool = False) -> str:
    """Terminal text: a summary table first, details after; colour only on a TTY."""
    return render("report.txt.j2", report, lang, paint=_painter(color))


def render_json(report: GradeReport, lang: str, color: bool = False) -> str:
    """The GradeReport itself, in its documented JSON form."""
    return json.dumps(to_json(report, lang), ensure_ascii=False, indent=2) + "\n"


# Every output format, by its --format name: (report, lang, color=...) -> str.
FORMATS: dict[str, Callable[..., str]] = {"text": render_text, "json": render_json}
