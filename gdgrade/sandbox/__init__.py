"""Run a submission in isolation and get back plain data: the public API.

    with Sandbox(Limits(call_wall_s=2.0)) as sandbox:
        run = sandbox.run(load_submission("hw.py"), {"gradient_step": [(1.0, 2.0, 0.1)]})
    run.outcomes["gradient_step"][0].value  # 0.8

The trusted-side machinery (`Sandbox`, `run_submission`, `SubmissionRun`) is imported on
first use, so the zygote, which imports this package for its child runner, loads only
what runs in the child. See docs/sandbox.md for the design.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gdgrade.sandbox.limits import Limits

if TYPE_CHECKING:
    from gdgrade.sandbox.host import Sandbox, SandboxError, SubmissionRun, run_submission

__all__ = ["Limits", "Sandbox", "SandboxError", "SubmissionRun", "run_submission"]

_HOST_NAMES = frozenset({"Sandbox", "SandboxError", "SubmissionRun", "run_submission"})


def __getattr__(name: str) -> Any:
    if name in _HOST_NAMES:
        from gdgrade.sandbox import host

        return getattr(host, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
