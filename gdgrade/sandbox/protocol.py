"""Length-prefixed JSON frames: the only format that crosses the sandbox boundary.

A frame is a 4-byte big-endian length and that many bytes of UTF-8 JSON holding one
object. Nothing executable can be expressed in it (no pickle), its size is known before
it is read, and the reader refuses oversized or malformed frames instead of waiting for
"the end of the output" (a daemon the student left behind can keep a pipe open forever).
"""

from __future__ import annotations

import errno
import json
import os
import select
import struct
import time
from typing import Any

HEADER = struct.Struct(">I")
REQUEST_FD, RESULT_FD, PROGRESS_FD = 3, 4, 5  # in the sandbox child (stdout/err: 1, 2)
PROGRESS = struct.Struct("<qq")  # (unit index, source line) the child is running
UNKNOWN_POSITION = (-2, 0)  # before the first unit, or the record cannot be believed


class ProtocolError(Exception):
    """The other side wrote something that is not a well-formed frame."""


class Deadline(Exception):
    """A deadline passed while waiting to read or write."""


def pack(message: dict[str, Any]) -> bytes:
    payload = json.dumps(message, separators=(",", ":"), allow_nan=False).encode()
    return HEADER.pack(len(payload)) + payload


def unpack_payload(payload: bytes) -> dict[str, Any]:
    try:
        message = json.loads(payload, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"malformed frame ({type(exc).__name__})") from None
    if not isinstance(message, dict):
        raise ProtocolError("a frame must hold a JSON object")
    return message


def _no_constant(token: str) -> Any:
    """NaN and Infinity are not JSON; our encoder spells them out, so refuse the literals."""
    raise ValueError(f"{token} is not allowed")


class FrameReader:
    """Accumulates bytes from a non-blocking pipe and splits them into frames."""

    def __init__(self, max_frame: int) -> None:
        self.max_frame = max_frame
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        self._buffer += data
        frames: list[dict[str, Any]] = []
        while len(self._buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self._buffer)
            if size > self.max_frame:
                raise ProtocolError(f"frame of {size} bytes is over the {self.max_frame} limit")
            if len(self._buffer) < HEADER.size + size:
                break
            payload = bytes(self._buffer[HEADER.size : HEADER.size + size])
            del self._buffer[: HEADER.size + size]
            frames.append(unpack_payload(payload))
        return frames

    @property
    def pending(self) -> int:
        return len(self._buffer)


def write_before(fd: int, data: bytes, deadline: float) -> None:
    """Write all of `data` to a non-blocking fd, or raise Deadline: never block forever."""
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Deadline("write")
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            poller = select.poll()
            poller.register(fd, select.POLLOUT)
            poller.poll(remaining * 1000)
            continue
        except BrokenPipeError:
            raise ProtocolError("the other side closed its end") from None
        view = view[written:]


def send(fd: int, message: dict[str, Any]) -> None:
    """Blocking write of one frame (the child's side: it has nothing else to do)."""
    write_all(fd, pack(message))


def write_all(fd: int, data: bytes) -> None:
    """Blocking write of packed frames."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except InterruptedError:
            continue


def receive(fd: int, max_frame: int) -> dict[str, Any] | None:
    """Blocking read of one frame, None at end of file (the child's side)."""
    received = receive_frame(fd, max_frame)
    return None if received is None else received[0]


def receive_frame(fd: int, max_frame: int) -> tuple[dict[str, Any], bytes] | None:
    """`receive`, also returning the frame's bytes as read (header included): a reader
    that passes a message on unchanged writes these instead of encoding it again."""
    header = _read_exactly(fd, HEADER.size)
    if header is None:
        return None
    (size,) = HEADER.unpack(header)
    if size > max_frame:
        raise ProtocolError(f"frame of {size} bytes is over the {max_frame} limit")
    payload = _read_exactly(fd, size)
    if payload is None:
        raise ProtocolError("end of file inside a frame")
    return unpack_payload(payload), header + payload


def decode_progress(data: bytes, lines: int) -> tuple[int, int]:
    """The child's progress record, checked: the child can write anything into it.

    A record of the wrong size or with values no unit can have reads as unknown; the
    caller only uses it to skip a unit of the student's own submission.
    """
    if len(data) != PROGRESS.size:
        return UNKNOWN_POSITION
    index, line = PROGRESS.unpack(data)
    if not (-2 <= index <= max(lines, 0) and 0 <= line <= max(lines, 0)):
        return UNKNOWN_POSITION
    return index, line


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        try:
            chunk = os.read(fd, size - len(chunks))
        except InterruptedError:
            continue
        except OSError as exc:
            if exc.errno == errno.EAGAIN:
                select.select([fd], [], [])
                continue
            raise
        if not chunk:
            if not chunks:
                return None
            raise ProtocolError("end of file inside a frame")
        chunks += chunk
    return bytes(chunks)
