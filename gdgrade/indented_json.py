"""JSON laid out one value a line, exactly as ``json.dumps(data, indent=N)`` lays it out,
without its encoder's cost.

With ``indent`` set, the standard library leaves its C encoder for a pure-Python generator,
about ten times slower; a report of a few hundred kilobytes then costs tens of
milliseconds, paid for every student of a batch. Here the layout is written by a plain
recursive function, strings and numbers are spelled by the C encoder, and a flat list of
numbers (an array's values, most of a report) is encoded by it in one call and split.
Anything this does not know (a key that is not a string, a value json would have to
refuse or convert) is left to ``json.dumps`` itself, so the text is always the one it
would write, errors included.

With ``indent=None`` the text is json.dumps's default compact one (", " and ": "). A
caller may pass ``known``: for a container it returns the texts already written of that
very object (by depth and layout) or None; a batch worker writes a case set's shared
arguments and expected values once, not once per student.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

_SCALARS = (int, float)  # bool is an int; its spelling is handled with None's
_INFINITIES = (float("inf"), float("-inf"))


class _Unusual(Exception):
    """Something json.dumps itself must decide (and may refuse)."""


# Texts of one container, by (indent, depth, ensure_ascii, allow_nan).
Texts = dict[tuple[int | None, int, bool, bool], str]


def dumps(
    data: Any,
    indent: int | None,
    *,
    ensure_ascii: bool = False,
    allow_nan: bool = True,
    known: Callable[[Any], Texts | None] | None = None,
) -> str:
    """``json.dumps(data, indent=indent, ensure_ascii=..., allow_nan=...)``, the same text."""
    writer = _Writer(indent, ensure_ascii, allow_nan, known)
    try:
        writer.value(data, 0)
    except (_Unusual, RecursionError, ValueError, TypeError):
        return json.dumps(data, indent=indent, ensure_ascii=ensure_ascii, allow_nan=allow_nan)
    return "".join(writer.out)


def _compact(ensure_ascii: bool, allow_nan: bool) -> Callable[[Any], str]:
    """json's compact encoder: JSONEncoder.encode runs the C encoder when no indent is set."""
    encoder = json.JSONEncoder(
        ensure_ascii=ensure_ascii, allow_nan=allow_nan, separators=(",", ":")
    )
    return encoder.encode


class _Writer:
    def __init__(
        self,
        indent: int | None,
        ensure_ascii: bool,
        allow_nan: bool,
        known: Callable[[Any], Texts | None] | None,
    ) -> None:
        self.out: list[str] = []
        self.indent = "" if indent is None else " " * indent
        self.string = encode_basestring_ascii if ensure_ascii else encode_basestring
        self.compact = _compact(ensure_ascii, allow_nan)
        self.allow_nan = allow_nan
        # json.dumps: "," and a line break with indent=, ", " on one line without
        self.lines = indent is not None
        self.comma = "," if self.lines else ", "
        self.breaks: list[str] = []  # "\n" and the indent of each depth; "" on one line
        self.known = known
        self.layout = (indent, ensure_ascii, allow_nan)  # what a kept text depends on

    def number(self, o: float) -> str:
        if o != o or o in _INFINITIES:
            if not self.allow_nan:
                raise _Unusual  # json.dumps raises its own ValueError
            return "NaN" if o != o else ("Infinity" if o > 0 else "-Infinity")
        return float.__repr__(o)

    def _break(self, depth: int) -> str:
        while len(self.breaks) <= depth:
            self.breaks.append("\n" + self.indent * len(self.breaks) if self.lines else "")
        return self.breaks[depth]

    def _container(self, o: Any, depth: int, write: Callable[[Any, int], None]) -> None:
        """write(o, depth), or the text `known` keeps of that very container, kept there
        the first time it is written at this depth in this layout."""
        texts = self.known(o) if self.known is not None else None
        if texts is None:
            write(o, depth)
            return
        indent, ensure_ascii, allow_nan = self.layout
        key = (indent, depth, ensure_ascii, allow_nan)
        text = texts.get(key)
        if text is None:
            start = len(self.out)
            known, self.known = self.known, None  # its parts are written, not looked up
            try:
                write(o, depth)
            finally:
                self.known = known
            text = texts[key] = "".join(self.out[start:])
            del self.out[start:]
        self.out.append(text)

    def value(self, o: Any, depth: int) -> None:
        out = self.out
        if isinstance(o, str):
            out.append(self.string(o))
        elif o is None:
            out.append("null")
        elif o is True:
            out.append("true")
        elif o is False:
            out.append("false")
        elif isinstance(o, int):
            out.append(int.__repr__(o))
        elif isinstance(o, float):
            out.append(self.number(o))
        elif isinstance(o, (list, tuple)):
            self._container(o, depth, self.array)
        elif isinstance(o, dict):
            self._container(o, depth, self.object)
        else:
            raise _Unusual

    def array(self, items: list[Any] | tuple[Any, ...], depth: int) -> None:
        if not items:
            self.out.append("[]")
            return
        inner = self._break(depth + 1)
        if isinstance(items[0], _SCALARS):
            flat = self.compact(items)
            if '"' not in flat and "[" not in flat[1:] and "{" not in flat:
                # numbers, true, false and null only: no comma inside any of them
                separator = self.comma + inner
                self.out.append("[" + inner + separator.join(flat[1:-1].split(",")))
                self.out.append(self._break(depth) + "]")
                return
        separator = self.comma + inner
        self.out.append("[" + inner)
        for k, item in enumerate(items):
            if k:
                self.out.append(separator)
            self.value(item, depth + 1)
        self.out.append(self._break(depth) + "]")

    def object(self, members: dict[Any, Any], depth: int) -> None:
        if not members:
            self.out.append("{}")
            return
        inner = self._break(depth + 1)
        out = self.out
        string = self.string
        first = True
        for key, item in members.items():
            if not isinstance(key, str):
                raise _Unusual  # json's own spelling of a non-string key
            head = ("{" if first else self.comma) + inner + string(key) + ": "
            first = False
            kind = type(item)  # the commonest leaves inline: a report has tens of thousands
            if kind is str:
                out.append(head + string(item))
            elif kind is int:
                out.append(head + int.__repr__(item))
            elif kind is float:
                out.append(head + self.number(item))
            else:
                out.append(head)
                self.value(item, depth + 1)
        out.append(self._break(depth) + "}")
