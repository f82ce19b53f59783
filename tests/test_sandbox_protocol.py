"""Framing between the trusted side and the sandbox child, and the Limits value."""

from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest

from gdgrade.sandbox import Limits
from gdgrade.sandbox.process import progress_memory
from gdgrade.sandbox.protocol import (
    HEADER,
    PROGRESS,
    UNKNOWN_POSITION,
    Deadline,
    FrameReader,
    ProtocolError,
    decode_progress,
    pack,
    receive,
    receive_frame,
    send,
    write_before,
)


def test_frames_split_correctly_whatever_the_chunking() -> None:
    messages = [{"t": "result", "i": k, "value": [1.5, {"float": "nan"}]} for k in range(5)]
    data = b"".join(pack(m) for m in messages)
    for chunk in (1, 3, 7, len(data)):
        reader = FrameReader(1000)
        got = []
        for start in range(0, len(data), chunk):
            got.extend(reader.feed(data[start : start + chunk]))
        assert got == messages
        assert reader.pending == 0


def test_oversized_frame_is_refused_from_its_header_alone() -> None:
    reader = FrameReader(100)
    with pytest.raises(ProtocolError, match="over the 100 limit"):
        reader.feed(HEADER.pack(10**9))


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[1, 2]", b"[" * 100_000 + b"]" * 100_000, b'"text"', b'{"v": NaN}'],
)
def test_malformed_payloads_raise_protocol_errors(payload: bytes) -> None:
    with pytest.raises(ProtocolError):
        FrameReader(10**7).feed(HEADER.pack(len(payload)) + payload)


def test_non_finite_floats_cannot_be_packed_raw() -> None:
    with pytest.raises(ValueError):
        pack({"x": float("nan")})


def test_blocking_send_and_receive_round_trip_through_a_pipe() -> None:
    r, w = os.pipe()
    big = {"t": "run", "data": "x" * 200_000}  # larger than a pipe buffer
    writer = threading.Thread(target=send, args=(w, big))
    writer.start()
    assert receive(r, 10**6) == big
    writer.join()
    os.close(w)
    assert receive(r, 10**6) is None
    os.close(r)


def test_receive_frame_returns_each_frame_as_it_was_written() -> None:
    """What the submission process passes on to its exercise process, unchanged."""
    r, w = os.pipe()
    messages = [{"t": "run", "r": 1, "calls": [{"i": 0, "args": [1.5]}]}, {"t": "abort", "r": 1}]
    written = [pack(m) for m in messages]
    os.write(w, b"".join(written))
    os.close(w)
    assert receive_frame(r, 10**6) == (messages[0], written[0])
    assert receive_frame(r, 10**6) == (messages[1], written[1])
    assert receive_frame(r, 10**6) is None
    os.close(r)


def test_write_before_gives_up_at_its_deadline_when_nobody_reads() -> None:
    r, w = os.pipe()
    os.set_blocking(w, False)
    started = time.monotonic()
    with pytest.raises(Deadline):
        write_before(w, b"x" * 10_000_000, time.monotonic() + 0.2)
    assert time.monotonic() - started < 1.0
    os.close(r)
    os.close(w)


def test_limits_round_trip_and_reject_nonsense() -> None:
    limits = Limits(call_wall_s=1.0, memory_mb=256)
    assert Limits.from_json(limits.to_json()) == limits
    with pytest.raises(ValueError, match="call_wall_s"):
        Limits(call_wall_s=0)
    with pytest.raises(ValueError, match="memory_mb"):
        Limits(memory_mb=True)


def test_progress_memory_cannot_be_resized_or_unsealed_by_its_holder() -> None:
    fd = progress_memory()
    try:
        for size in (0, 3, 1 << 20):
            with pytest.raises(PermissionError):
                os.ftruncate(fd, size)
        with pytest.raises(PermissionError):
            os.pwrite(fd, b"x" * 64, 0)  # writing past the end would grow it
        with pytest.raises(PermissionError):
            fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_WRITE)
        os.pwrite(fd, PROGRESS.pack(3, 12), 0)  # the child's own writes still work
        assert decode_progress(os.pread(fd, PROGRESS.size, 0), lines=20) == (3, 12)
    finally:
        os.close(fd)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x01\x02\x03", PROGRESS.pack(2**62, 5), PROGRESS.pack(1, -7), PROGRESS.pack(-9, 0)],
    ids=["empty", "short", "huge index", "negative line", "negative index"],
)
def test_a_progress_record_no_unit_can_have_reads_as_unknown(data: bytes) -> None:
    assert decode_progress(data, lines=20) == UNKNOWN_POSITION
