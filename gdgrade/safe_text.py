"""Student-controlled text made harmless for every format.

A student's output, exception message or file name may hold anything: terminal escapes
that repaint the screen, NUL bytes that XML refuses, lone surrogates that UTF-8 cannot
encode, pipes and newlines that end a Markdown table row. Such text is shown, never
obeyed: unsafe characters are spelled out (``\\x1b``), and each format escapes the rest.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from gdgrade import indented_json

# C0 controls but tab and newline, DEL and C1 controls, surrogates, XML's two non-characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~&])")
_BACKTICKS = re.compile(r"`+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _spell(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """The text with line ends normalised and every control character spelled out.

    The result is valid in XML 1.0, encodable as UTF-8 and inert in a terminal.
    """
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(_spell, s)


# Categories of characters that are never shown in an id: controls (Cc), format characters
# (Cf: bidi overrides and isolates such as U+202E and U+2066-2069, zero-width spaces and
# joiners), line and paragraph separators. The lone surrogates (Cs) an undecodable file
# name leaves cannot be encoded: each is shown as U+FFFD, so the name still looks altered.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def display_id(text: object) -> str:
    """A student id, name or file name as shown to people: every character that could
    reorder, hide or fake what is displayed (a right-to-left override turning
    ``eve\u202egpj.py`` into "eveyp.jpg") is dropped. Ids stay keys elsewhere; this is
    only for display (reports, class.html, progress lines, CSV cells)."""
    s = _SURROGATE.sub("\ufffd", str(text))
    return "".join(c for c in s if unicodedata.category(c) not in _HIDDEN_CATEGORIES)


def without_format_controls(value: object) -> object:
    """Every value a template prints, with format controls (category Cf: bidi overrides and
    isolates, zero-width characters) dropped, so that no student-chosen text, an id, a file
    name or printed output, can reorder or hide what a page or terminal shows around it.
    Line breaks and tabs stay; non-strings pass through."""
    if not isinstance(value, str) or value.isascii() or value in _CLEAN:  # no ASCII is Cf
        return value
    # Each distinct character is looked up once per process, not each of its occurrences
    # on every page: this runs on every value a template prints.
    unknown = set(value).difference(_NOT_FORMAT_CONTROLS)
    controls = {c for c in unknown if unicodedata.category(c) == "Cf"}
    _NOT_FORMAT_CONTROLS.update(unknown - controls)
    if not controls:
        if len(value) <= CLEAN_LENGTH:  # a page's labels and messages, printed on every page
            if len(_CLEAN) >= CLEAN_KEPT:
                _CLEAN.clear()
            _CLEAN.add(value)
        return value
    # type(value) keeps markupsafe.Markup marked safe: stripping adds nothing to escape
    return type(value)(value.translate(dict.fromkeys(map(ord, controls))))


# Characters already seen in printed values and found not to be format controls (Cf).
_NOT_FORMAT_CONTROLS: set[str] = set()
# Short texts already found free of them (by content: a str and its Markup alike).
_CLEAN: set[str] = set()
CLEAN_LENGTH, CLEAN_KEPT = 200, 4096


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell for a CSV file that a spreadsheet will open: shown as text, never run.

    Excel, LibreOffice and Google Sheets run a cell starting with ``= + - @`` (or a tab or
    carriage return before one) as a formula, e.g. ``=HYPERLINK(...)`` in a file name. Such
    a text cell gets a leading apostrophe (OWASP's advice); a number, negative or not,
    stays a number. Hidden characters are dropped as in `display_id`.
    """
    s = display_id(value) if isinstance(value, str) else str(value)
    if s.startswith(_FORMULA_START) and not _NUMBER.fullmatch(s):
        return "'" + s
    return s


def markdown_inline(text: object) -> str:
    """Literal text inside a Markdown paragraph or table cell: one line, nothing markup."""
    s = visible(text).replace("\n", " ").replace("\t", " ")
    return _MARKDOWN.sub(r"\\\1", s)


def markdown_block(text: object, info: str = "text") -> str:
    """A fenced code block that no backtick run inside the text can close early."""
    body = visible(text).rstrip("\n")
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{body}\n{fence}"


def excerpt(text: object, max_chars: int = 1200, max_lines: int = 25) -> str:
    """The beginning of a long output, marked where it was cut."""
    s = visible(text)
    lines = s.splitlines()
    cut = len(lines) > max_lines or len(s) > max_chars
    s = "\n".join(lines[:max_lines])[:max_chars]
    return s + "\n…" if cut else s


def _finite(data: Any) -> Any:
    """Non-finite floats spelled "nan", "inf", "-inf", as gdgrade.json_values spells them."""
    if isinstance(data, float) and not math.isfinite(data):
        return "nan" if math.isnan(data) else ("inf" if data > 0 else "-inf")
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(v) for v in data]
    return data


def json_text(data: Any) -> str:
    """Strict JSON (no bare NaN) as readable UTF-8 text. A lone surrogate (a student can
    print one) stays a \\uXXXX escape, so the text always encodes and decodes back the same."""
    out = indented_json.dumps(_finite(data), 1, allow_nan=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", out) + "\n"
