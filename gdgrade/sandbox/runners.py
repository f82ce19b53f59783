"""Which runner runs the student's code: the Linux sandbox, or the portable runner.

The check (`gdgrade check`, `check()` in a notebook, the pytest plugin) uses the sandbox
where it works and the portable runner elsewhere; `--runner` or GDGRADE_RUNNER force
one. Grading uses the sandbox only: where it is unavailable, grading refuses unless the
instructor asks for the unisolated mode by name (`--no-isolation`).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from gdgrade.errors import UsageError
from gdgrade.sandbox.limits import Limits
from gdgrade.submission import Submission

if TYPE_CHECKING:
    from gdgrade.sandbox.driver import SubmissionRun
    from gdgrade.sandbox.host import Sandbox

RUNNERS = ("sandbox", "portable")
CHOICES = ("auto", *RUNNERS)
ENVIRONMENT_VARIABLE = "GDGRADE_RUNNER"
NO_ISOLATION_FLAG = "--no-isolation"
# What the sandbox needs of the system, besides Linux itself (docs/sandbox.md).
NEEDED = (
    (os, "fork"),
    (os, "pidfd_open"),
    (os, "memfd_create"),
    (signal, "pidfd_send_signal"),
    (socket, "send_fds"),
    (socket, "AF_UNIX"),
)


class Runner(Protocol):
    """What runs a submission's calls: a Sandbox, a PortableRunner or a CheckRunner."""

    def run(
        self, submission: Submission, calls: Mapping[str, Sequence[tuple[Any, ...]]]
    ) -> SubmissionRun: ...


class RunnerError(UsageError):
    """The runner asked for cannot run here; one line for the user."""


def sandbox_unavailable() -> str | None:
    """Why the Linux sandbox cannot run on this system, or None if it can."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux; this is {sys.platform}"
    for module, name in NEEDED:
        if getattr(module, name, None) is None:
            return f"{module.__name__}.{name} is not available"
    return None


def requested_runner(flag: str | None) -> str:
    """ "auto", "sandbox" or "portable": the flag, else GDGRADE_RUNNER, else auto."""
    choice = flag or os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower() or "auto"
    if choice not in CHOICES:
        raise RunnerError(
            f"{ENVIRONMENT_VARIABLE}={choice!r} is not a runner; choose {', '.join(CHOICES)}"
        )
    return choice


class CheckRunner:
    """The check's runner: `run` as a Sandbox's, and `used`/`detail` say what ran.

    "auto" starts the sandbox where the system has what it needs; if the sandbox then
    fails to start (a container that refuses it), the check runs again portably.
    """

    def __init__(self, requested: str = "auto", limits: Limits = Limits()) -> None:  # noqa: B008
        self.requested = requested
        self.limits = limits
        self.used = ""
        self.detail = ""
        self._sandbox: Sandbox | None = None
        if requested == "portable":
            self.detail = "forced"
            return
        why = sandbox_unavailable()
        if why is None:
            why = self._start_sandbox()
        if why is not None:
            if requested == "sandbox":
                raise RunnerError(f"the sandbox cannot run here: {why}")
            self.detail = why

    def _start_sandbox(self) -> str | None:
        from gdgrade.sandbox.host import Sandbox
        from gdgrade.sandbox.zygote_client import SandboxError

        try:
            self._sandbox = Sandbox(self.limits)
        except (OSError, SandboxError) as exc:
            return str(exc)
        return None

    def __enter__(self) -> CheckRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None

    def run(
        self, submission: Submission, calls: Mapping[str, Sequence[tuple[Any, ...]]]
    ) -> SubmissionRun:
        from gdgrade.sandbox.portable import PortableRunner
        from gdgrade.sandbox.zygote_client import SandboxError

        if self._sandbox is not None:
            try:
                run = self._sandbox.run(submission, calls)
            except SandboxError as exc:
                if self.requested == "sandbox":
                    raise
                self.close()
                self.detail = str(exc).splitlines()[0][:200]
            else:
                self.used, self.detail = "sandbox", self._sandbox.mode
                return run
        self.used = "portable"
        return PortableRunner(self.limits).run(submission, calls)

    @property
    def mode(self) -> str:
        return self.used or "portable"


def require_sandbox(no_isolation: bool) -> None:
    """Grading runs students' code: RunnerError where the sandbox is unavailable, unless
    the instructor passed --no-isolation."""
    why = sandbox_unavailable()
    if why is not None and not no_isolation:
        raise RunnerError(
            f"{why}: grading runs students' code only in the sandbox "
            f"({NO_ISOLATION_FLAG} grades without isolation, for code you trust)"
        )


def grading_runner(no_isolation: bool, limits: Limits = Limits()) -> Any:  # noqa: B008
    """The sandbox; where it is unavailable, the portable runner if the instructor
    passed --no-isolation (a Sandbox or a PortableRunner: both context managers)."""
    require_sandbox(no_isolation)
    if sandbox_unavailable() is None:
        from gdgrade.sandbox.host import Sandbox

        return Sandbox(limits)
    from gdgrade.sandbox.portable import PortableRunner

    return PortableRunner(limits)
