"""The trusted side's view of one submission process: its pipes, pidfd and progress.

Reads are non-blocking and bounded by a deadline; raw output is kept up to a cap and the
pipe is closed when full; the process is killed through its pidfd, which cannot hit a
reused pid. Being pid 1 of its namespace, its death takes everything it started along.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from typing import Any

from gdgrade.sandbox.limits import Limits
from gdgrade.sandbox.protocol import (
    PROGRESS,
    UNKNOWN_POSITION,
    Deadline,
    FrameReader,
    ProtocolError,
    decode_progress,
    pack,
    write_before,
)
from gdgrade.sandbox.zygote_client import SPAWN_S, ZygoteClient


class Gone(Exception):
    """The submission process died."""


class Late(Exception):
    """A deadline passed while waiting for the submission process."""


class SubmissionProcess:
    """One submission process: its pipes, its pidfd and a capped copy of raw output."""

    def __init__(
        self,
        zygote: ZygoteClient,
        limits: Limits,
        workdir: str,
        output: RawOutput,
        source_lines: int = 0,
    ) -> None:
        self.zygote = zygote
        self.limits = limits
        self.output = output
        self.source_lines = source_lines  # bounds the progress record's values
        request_r, self.request = os.pipe()
        self.result, result_w = os.pipe()
        self.out, out_w = os.pipe()
        self.progress = progress_memory()
        try:
            self.pid, self.pidfd = zygote.start(
                limits, [request_r, result_w, out_w, self.progress], workdir
            )
        except BaseException:
            for fd in (self.request, self.result, self.out, self.progress):
                os.close(fd)
            raise
        finally:
            for fd in (request_r, result_w, out_w):
                os.close(fd)
        for fd in (self.request, self.result, self.out):
            os.set_blocking(fd, False)
        self.reader = FrameReader(limits.result_bytes + 1_000_000)
        self.frames: list[dict[str, Any]] = []
        self.dead = False
        self.killed = False
        self.last_position = UNKNOWN_POSITION
        self.out_open = True
        self.status: int | None = None
        self.forgotten = False

    def send(self, message: dict[str, Any], deadline: float) -> None:
        try:
            write_before(self.request, pack(message), deadline)
        except Deadline:
            raise Late from None
        except ProtocolError:
            raise Gone from None

    def next_frame(self, deadline: float) -> dict[str, Any]:
        """The next frame, or Late / Gone / ProtocolError; never waits past deadline."""
        while not self.frames:
            if self.dead:
                self._drain_results()
                if not self.frames:
                    raise Gone
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Late
            poller = select.poll()
            poller.register(self.result, select.POLLIN)
            poller.register(self.pidfd, select.POLLIN)
            if self.out_open:
                poller.register(self.out, select.POLLIN)
            for fd, _ in poller.poll(remaining * 1000):
                if fd == self.out:
                    self._read_output()
                elif fd == self.result:
                    self._read_results()
                elif fd == self.pidfd:
                    self.dead = True
        return self.frames.pop(0)

    def _read_results(self) -> None:
        try:
            data = os.read(self.result, 1 << 20)
        except BlockingIOError:
            return
        if not data:  # nobody can write results any more
            self.dead = True
            return
        self.frames.extend(self.reader.feed(data))

    def _drain_results(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            while data := os.read(self.result, 1 << 20):
                self.frames.extend(self.reader.feed(data))

    def _read_output(self) -> None:
        try:
            data = os.read(self.out, 65536)
        except BlockingIOError:
            return
        if not data or not self.output.add(data):
            os.close(self.out)  # full: later raw writes fail in the child, not here
            self.out_open = False

    def position(self) -> tuple[int, int]:
        """(unit index, source line) the child was running, as it last wrote them;
        UNKNOWN_POSITION if what it wrote cannot be a position in this submission."""
        if self.killed:
            return self.last_position
        try:
            data = os.pread(self.progress, PROGRESS.size, 0)
        except OSError:
            return UNKNOWN_POSITION
        return decode_progress(data, self.source_lines)

    def close(self, grace: float) -> None:
        """The end of a run: no more requests. The process then ends its exercise process
        and exits on its own (so their CPU time is accounted to the zygote's children);
        after `grace` seconds it is killed all the same."""
        if not self.killed:
            with contextlib.suppress(OSError):
                os.close(self.request)
            self.request = -1
            select.select([self.pidfd], [], [], grace)
        self.kill()

    def kill(self) -> None:
        """SIGKILL the process (pid 1 of its namespace: everything it started dies too)."""
        if self.killed:
            return
        with contextlib.suppress(ProcessLookupError, OSError):
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        select.select([self.pidfd], [], [], SPAWN_S)  # its namespace is gone with it
        self.last_position = self.position()
        self.killed = self.dead = True
        for fd in (self.request, self.result, self.pidfd, self.progress):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.out_open:
            with contextlib.suppress(OSError):
                self._read_output()
                os.close(self.out)
            self.out_open = False

    def exit_status(self) -> int | None:
        """How it ended (the zygote reaped it); asked only when it died on its own."""
        if self.status is None and not self.forgotten:
            self.status = self.zygote.exit_status(self.pid, SPAWN_S)
        return self.status

    def forget(self) -> None:
        """Killed by us: its exit status will not be asked for."""
        if self.status is None and not self.forgotten:
            self.forgotten = True
            self.zygote.forget(self.pid)


def progress_memory() -> int:
    """The shared memory the child writes its progress into, sealed at its size.

    The child maps it and may write anything into it, but the seals stop it from
    shrinking or growing the object (a truncated object would make the trusted side's
    read come up short) and from lifting the seals; every read is checked as well.
    """
    fd = os.memfd_create("gdgrade-progress", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    try:
        os.ftruncate(fd, PROGRESS.size)
        os.pwrite(fd, PROGRESS.pack(*UNKNOWN_POSITION), 0)
        import fcntl  # POSIX only: imported here so that this package imports everywhere

        seals = fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, seals)
    except BaseException:
        os.close(fd)
        raise
    return fd


class RawOutput:
    """Raw output (not from print) of every process of one run, kept up to a cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.dropped = False

    def add(self, chunk: bytes) -> bool:
        room = self.limit - len(self.data)
        self.data += chunk[: max(room, 0)]
        if len(chunk) > room:
            self.dropped = True
        return not self.dropped

    def text(self) -> str:
        text = self.data.decode("utf-8", "replace")
        return text + ("\n[... more output not shown]\n" if self.dropped else "")
