"""Read a file a student controls without trusting what it is.

The grader's own process may be able to read files the student cannot (`/etc/shadow` as
root, a classmate's submission, the assignment's secrets). A submission folder can hold
a symbolic link to any of them, a named pipe that blocks a reader forever, or a device.
So every read of a submission goes through here: the name is looked at without following
links (`lstat`), opened with `O_NOFOLLOW | O_NONBLOCK` (a link swapped in after the look
fails, a pipe cannot block) and checked again on the open descriptor (`fstat`). Only
regular files are read. The reasons given name the kind of entry, never its target.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gdgrade.i18n import text

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


class NotReadable(Exception):
    """The entry is not a regular file we may read. Why is a key of the catalogues' "files"
    section and its parameters (`said(lang)`); str() is the English line. No target."""

    def __init__(self, key: str, **params: str) -> None:
        self.key, self.params = key, params
        super().__init__(self.said("en"))

    def said(self, lang: str) -> str:
        return text(lang, "files", self.key, **self.params)


def kind_of(mode: int) -> str:
    """What a directory entry is: a key of the catalogues' "files" section."""
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special"


def refused(mode: int) -> NotReadable:
    """Why a non-regular entry is not read (for a symbolic link: it is never followed)."""
    return NotReadable(kind_of(mode))


def refusal(mode: int) -> str:
    """The same, as an English line (the TA's list of skipped entries)."""
    return str(refused(mode))


BAD_NAME = text("en", "submission", "bad_name")


def usable_name(name: str) -> bool:
    """A name that can be a student id and be shown: valid UTF-8 (os.listdir and argv
    escape other bytes as lone surrogates, which cannot be encoded again) and without
    control characters (a newline in a name would forge a line of a log)."""
    return not any("\ud800" <= c <= "\udfff" or ord(c) < 0x20 or c == "\x7f" for c in name)


def linked_folder(path: Path) -> Path | None:
    """The first folder of a relative `path` (below the current directory, the folder a
    CI checkout or a student's work is in) that is a symbolic link, if any: `gdgrade grade
    src/hw.py` must not read through a `src` that points elsewhere. An absolute path is the
    caller's own choice and is not checked."""
    if path.is_absolute():
        return None
    for folder in reversed(path.parents[:-1]):  # src, then src/sub, ...; not "."
        try:
            if stat.S_ISLNK(os.lstat(folder).st_mode):
                return folder
        except OSError:
            return None
    return None


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def read_regular(path: Path, limit: int) -> tuple[bytes, int]:
    """Up to `limit + 1` bytes of a regular file (one more shows it is too large) and the
    file's size, never following a symbolic link and never blocking on a pipe.

    Raises NotReadable with a one-line reason for anything else.
    """
    try:
        before = os.lstat(path)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise NotReadable("missing") from None
        raise NotReadable("os_error", reason=_os_reason(exc)) from None
    if not stat.S_ISREG(before.st_mode):
        raise refused(before.st_mode)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:  # ELOOP: replaced by a link since the lstat
        raise NotReadable("cannot_open", reason=_os_reason(exc)) from None
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode):
            raise refused(now.st_mode)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise NotReadable("cannot_read", reason=_os_reason(exc)) from None
    finally:
        os.close(fd)
    return b"".join(chunks), now.st_size
