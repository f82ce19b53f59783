"""The one jinja2 set-up every page and text of gdgrade is drawn with — the student's check
and the instructor's reports alike — and the one painter for terminals.

HTML and XML templates are autoescaped by their name. Every printed value passes through
`without_format_controls`: a student's text cannot carry bidi or zero-width controls that
make a page read other than it is. An undefined name in a template is an error, not blank.
"""

from __future__ import annotations

import contextlib
import math
import pickle
import unicodedata
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape

from gdgrade.cache_folder import private_cache_dir
from gdgrade.i18n import text
from gdgrade.safe_text import (
    display_id,
    excerpt,
    markdown_block,
    markdown_inline,
    visible,
    without_format_controls,
)

_ANSI = {"ok": "32", "bad": "31", "warn": "33", "dim": "2", "bold": "1"}


def display_width(s: str) -> int:
    """Terminal columns: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(value: Any, width: int, right: bool = False) -> str:
    s = str(value)
    fill = " " * max(0, width - display_width(s))
    return fill + s if right else s + fill


def number(value: float) -> str:
    """Points as people write them: 10, 7.5, 1.43."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if math.isfinite(value) else str(value)


def breakable(identifier: object) -> Markup:
    """An id such as batch_gradient_descent, escaped, that may wrap after each underscore
    (<wbr>) on a narrow screen instead of at any letter ("batch_gradient_descen" / "t")."""
    return Markup(str(escape(identifier)).replace("_", "_<wbr>"))


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept across runs: compiling one costs 15-100 ms in every new
    process (a `gdgrade grade`, each batch worker), loading it ~1 ms. An entry is used only
    for the very source it was compiled from (jinja checks); a folder that cannot be read
    or written only costs the compile."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


TEMPLATE_CACHE_PATTERN = "template-%s.cache"  # beside the case sets, in the cache folder


def _template_cache() -> jinja2.BytecodeCache | None:
    folder = private_cache_dir()
    return _TemplateCache(str(folder), TEMPLATE_CACHE_PATTERN) if folder is not None else None


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("gdgrade.templates"))),
        bytecode_cache=_template_cache(),
        autoescape=jinja2.select_autoescape(["html", "xml", "html.j2", "xml.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=without_format_controls,
    )
    env.filters.update(
        visible=visible,
        ident=display_id,
        md=markdown_inline,
        md_block=markdown_block,
        excerpt=excerpt,
        num=number,
        pad=pad,
        width=display_width,
        breakable=breakable,
    )
    return env


def painter(color: bool) -> Callable[[str, Any], str]:
    """`paint(style, value)`: ANSI colour on a terminal, the plain value elsewhere."""

    def paint(style: str, value: Any) -> str:
        return f"\x1b[{_ANSI[style]}m{value}\x1b[0m" if color else str(value)

    return paint


def render(template: str, lang: str, **context: Any) -> str:
    """A template with `lang` and `t` (the catalogue's words in that language) in scope."""

    def t(*keys: str, **params: Any) -> str:
        return text(lang, *keys, **params)

    return environment().get_template(template).render(lang=lang, t=t, **context)
