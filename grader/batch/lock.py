"""One writer per output directory: a second batch or export on the same OUT is refused.

`fcntl.flock` on OUT/.gdgrade.lock: the kernel drops the lock when the holder dies, even by
SIGKILL, so a killed batch never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from gdgrade.errors import UsageError

LOCK_NAME = ".gdgrade.lock"


class Busy(UsageError):
    """Another gdgrade process is writing to the same output directory."""


class OutputLock:
    def __init__(self, out: Path) -> None:
        self.path = out / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise Busy(
                f"another gdgrade batch or export (pid {holder}) is writing to {self.path.parent};"
                " wait for it to finish or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the flock
            self._fd = None
