"""The trusted side's public API: a Sandbox grades submissions through one zygote.

Nothing the child writes is believed beyond "this is what the student's code produced":
frames are size-capped and validated, values are decoded to plain numbers and arrays,
every wait has a deadline (poll + SIGKILL through a pidfd), and a child that breaks the
protocol, dies or stops answering is killed and, if calls remain, replaced by a fresh
one loaded from the same source (driver.py). The submission's whole process tree dies
with its pid namespace when the run ends.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from typing import Any

from gdgrade.errors import UsageError
from gdgrade.sandbox.driver import SubmissionDriver, SubmissionRun
from gdgrade.sandbox.limits import Limits
from gdgrade.sandbox.zygote_client import SandboxError, ZygoteClient, file_confinement
from gdgrade.submission import Submission

UID_BASE, UID_SLOTS = 60000, 4000  # sandbox uids: 60000..63999, one per live Sandbox
MODES = ("auto", "root", "userns", "none")
MODE_ENV = "GDGRADE_ISOLATION"  # forces a mode where the caller asks for "auto"

__all__ = ["Sandbox", "SandboxError", "SubmissionRun", "run_submission"]


class Sandbox:
    """A clean zygote that grades many submissions, one after another.

    `isolation` is "auto" (root: uid drop + namespaces; otherwise user namespaces if the
    kernel allows, else rlimits only), or one of "root", "userns", "none" to force a mode.
    With "auto", the environment variable GDGRADE_ISOLATION may force one instead (to
    test a container's fallback, or to pin it).
    """

    def __init__(
        self,
        limits: Limits = Limits(),  # noqa: B008 (frozen, never mutated)
        *,
        isolation: str = "auto",
        uid: int | None = None,
    ) -> None:
        isolation = requested_isolation(isolation)
        self.limits = limits
        self.uid = uid if uid is not None else _free_uid()
        self._zygote = ZygoteClient(isolation, self.uid)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zygote.close()

    @property
    def mode(self) -> str:
        """The isolation in force: "root", "userns" or "none"."""
        return self._zygote.ready()["mode"]

    @property
    def file_confinement(self) -> str:
        """What hides the grader's files from student code: "namespaces", "landlock"
        (mode "none" on Linux >= 5.13) or "permissions" (the uid alone)."""
        return file_confinement(self._zygote.ready())

    @property
    def zygote_pid(self) -> int:
        return int(self._zygote.ready()["pid"])

    def run(
        self, submission: Submission, calls: Mapping[str, Sequence[tuple[Any, ...]]]
    ) -> SubmissionRun:
        self._zygote.ready()
        return SubmissionDriver(self._zygote, self.limits, submission, calls).execute()

    def zygote_modules(self) -> list[str]:
        """The zygote's sys.modules (to check that it holds nothing of the grader)."""
        return self._zygote.modules()


def requested_isolation(isolation: str = "auto") -> str:
    """The mode to ask the zygote for: `isolation`, or GDGRADE_ISOLATION when "auto".
    An unknown name is the user's mistake, said in one line."""
    if isolation == "auto":
        isolation = os.environ.get(MODE_ENV, "").strip() or "auto"
    if isolation not in MODES:
        raise UsageError(f"{MODE_ENV}={isolation!r}: use one of {', '.join(MODES)}")
    return isolation


def _free_uid() -> int:
    """A sandbox uid that no process uses now (another Sandbox, on this machine, may be
    running); starting from one derived from our pid keeps parallel workers apart."""
    used = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                used.add(os.stat(f"/proc/{entry}").st_uid)
    start = os.getpid() % UID_SLOTS
    for offset in range(UID_SLOTS):
        uid = UID_BASE + (start + offset) % UID_SLOTS
        if uid not in used:
            return uid
    return UID_BASE + start


def run_submission(
    submission: Submission,
    calls: Mapping[str, Sequence[tuple[Any, ...]]],
    limits: Limits = Limits(),  # noqa: B008 (frozen, never mutated)
) -> SubmissionRun:
    with Sandbox(limits) as sandbox:
        return sandbox.run(submission, calls)
