"""Host details kept out of what a student reads. numpy's RuntimeWarnings name the file that
raised them by its full path in the grader's Python installation, and a C library
(fontconfig, when the student's code imports matplotlib in the sandbox) may print
"Fontconfig error: ..." lines: neither is the student's output, and the paths say where and
how the grader runs. `scrub` drops those lines and shortens such paths to the module's own
(numpy/core/_methods.py); `scrubbed` applies it to everything printed in one run."""

from __future__ import annotations

import re
import sysconfig
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gdgrade.case import CallOutcome
    from gdgrade.sandbox import SubmissionRun

_HOST_LINES = re.compile(r"^Fontconfig (?:error|warning):.*(?:\n|$)", re.MULTILINE)


def _host_prefixes() -> tuple[str, ...]:
    """The grader's Python library folders and its own source folder, longest first."""
    paths = {sysconfig.get_paths().get(k, "") for k in ("purelib", "platlib", "stdlib")}
    paths.add(sysconfig.get_paths().get("platstdlib", ""))
    paths.add(str(Path(__file__).resolve().parent.parent))
    kept = {p.rstrip("/\\") + "/" for p in paths if p and p.rstrip("/\\")}
    return tuple(sorted(kept, key=len, reverse=True))


HOST_PREFIXES = _host_prefixes()


def scrub(text: str) -> str:
    """`text` without fontconfig's lines and with the grader's own paths made relative."""
    if not text:
        return text
    text = _HOST_LINES.sub("", text)
    for prefix in HOST_PREFIXES:
        text = text.replace(prefix, "")
    return text


def scrubbed(run: SubmissionRun) -> SubmissionRun:
    """The run with every printed output, traceback and load problem detail scrubbed."""
    problems = tuple(
        replace(p, message=scrub(p.message), detail=scrub(p.detail)) for p in run.load.problems
    )
    load = replace(
        run.load,
        stdout=scrub(run.load.stdout),
        raw_output=scrub(run.load.raw_output),
        problems=problems,
    )
    outcomes = {
        exercise: tuple(_scrubbed_call(o) for o in calls)
        for exercise, calls in run.outcomes.items()
    }
    return replace(run, load=load, outcomes=outcomes)


def _scrubbed_call(outcome: CallOutcome) -> CallOutcome:
    """The outcome itself when it printed nothing (most calls): a copy costs ~8 us."""
    if not outcome.stdout and not outcome.traceback:
        return outcome
    return replace(outcome, stdout=scrub(outcome.stdout), traceback=scrub(outcome.traceback))
