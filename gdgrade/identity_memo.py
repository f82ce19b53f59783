"""Results remembered by the identity of a value nobody changes.

A worker grades every submission of a class against the same case set: the same argument
tuples and expected values, the same objects. What is computed from them alone (their
JSON encoding, the reference's replay drawn in a picture) is the same for every
submission, so it is computed once. Each entry keeps its value alive, so the id it is
found by cannot be given to another object while the entry exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class IdentityMemo(Generic[T]):
    """At most `kept` results; when full it starts again (a course with a case set per
    student makes new values for every submission, and they must not pile up)."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._entries: dict[int, tuple[Any, T]] = {}

    def get(self, value: Any, compute: Callable[[Any], T]) -> T:
        """compute(value), or what it gave for this very object before. An exception is
        raised as compute raised it, and nothing is remembered."""
        entry = self._entry(value)
        if entry is not None:
            return entry[1]
        result = compute(value)
        if len(self._entries) >= self.kept:
            self._entries.clear()
        self._entries[id(value)] = (value, result)
        return result

    def clear(self) -> None:
        self._entries.clear()

    def found(self, value: object) -> T | None:
        """What was kept for this very object, or None when nothing was."""
        entry = self._entry(value)
        return None if entry is None else entry[1]

    def _entry(self, value: object) -> tuple[Any, T] | None:
        entry = self._entries.get(id(value))
        return entry if entry is not None and entry[0] is value else None

    def __contains__(self, value: object) -> bool:
        return self._entry(value) is not None

    def __len__(self) -> int:
        return len(self._entries)
