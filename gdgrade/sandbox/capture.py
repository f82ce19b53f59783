"""Bounded capture of what student code prints, and its tracebacks restricted to itself.

Both run inside the sandbox child. Nothing here may trust the objects it is handed: an
exception's `__str__` is student code, so it is called defensively and its result cut.
"""

from __future__ import annotations

import io
import traceback
from types import TracebackType
from typing import Any

from gdgrade.sandbox.units import STUDENT_FILE, Locator

MESSAGE_CHARS = 2000
TRACEBACK_FRAMES = 30


class BoundedText(io.TextIOBase):
    """A stdout/stderr stand-in keeping the first `limit` characters written to it."""

    def __init__(self, limit: int, fd: int) -> None:
        super().__init__()
        self.limit = limit
        self._fd = fd
        self._parts: list[str] = []
        self._kept = 0
        self.dropped = 0
        self.buffer = _ByteSink(self)

    def write(self, s: Any) -> int:
        if type(s) is not str:
            if not isinstance(s, str):
                raise TypeError(f"write() argument must be str, not {type(s).__name__}")
            s = str.__str__(s)
        room = self.limit - self._kept
        if len(s) <= room:  # the common case: all of it kept (print writes twice per call)
            self._parts.append(s)
            self._kept += len(s)
            return len(s)
        if room <= 0:  # the common case of a flood: keep counting, nothing else
            self.dropped += len(s)
            return len(s)
        if room > 0:
            piece = s[:room]
            self._parts.append(piece)
            self._kept += len(piece)
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._fd

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def text(self) -> str:
        kept = "".join(self._parts)
        if self.dropped:
            kept += f"\n[... {self.dropped} more characters not shown]\n"
        return kept


class _ByteSink:
    def __init__(self, target: BoundedText) -> None:
        self._target = target

    def write(self, b: Any) -> int:
        data = bytes(b)
        self._target.write(data.decode("utf-8", "replace"))
        return len(data)

    def flush(self) -> None:
        pass


def safe_text(obj: Any, limit: int = MESSAGE_CHARS) -> str:
    """str(obj), or a placeholder if the student's __str__ misbehaves."""
    try:
        text = str(obj)
        if not isinstance(text, str):
            raise TypeError
    except BaseException:
        return "<the message could not be printed>"
    return text if len(text) <= limit else text[:limit] + "..."


def type_name(obj: Any) -> str:
    try:
        name = type(obj).__name__
        return name if isinstance(name, str) else "<unknown>"
    except BaseException:
        return "<unknown>"


def student_frames(tb: TracebackType | None) -> list[tuple[int, str]]:
    """(source line, function name) of the frames that run the student's own code."""
    frames: list[tuple[int, str]] = []
    for frame, line in traceback.walk_tb(tb):
        code = frame.f_code
        if code.co_filename == STUDENT_FILE:
            frames.append((line, code.co_name))
    return frames


def student_traceback(exc: BaseException, locator: Locator, display_name: str) -> str:
    """A Python-style traceback of the student's frames, pointing into their file/cells."""
    frames = student_frames(exc.__traceback__)
    if len(frames) > TRACEBACK_FRAMES:
        half = TRACEBACK_FRAMES // 2
        skipped = len(frames) - 2 * half
        frames = [*frames[:half], (0, f"... {skipped} more frames ..."), *frames[-half:]]
    lines = ["Traceback (most recent call last):"]
    for line, name in frames:
        if line == 0:
            lines.append(f"  [{name}]")
            continue
        lines.append(f"  {locator.where(line, display_name)}, in {name}")
        text = locator.text(line).strip()
        if text:
            lines.append(f"    {text}")
    lines.append(f"{type_name(exc)}: {safe_text(exc)}")
    return "\n".join(lines)


def last_student_line(exc: BaseException) -> int | None:
    frames = student_frames(exc.__traceback__)
    return frames[-1][0] if frames else None
