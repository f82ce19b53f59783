"""One submission, start to end: load it (with retries), then run every call.

Loading retries in a new process, skipping the unit that was running, when the process
hangs past the load limit, dies or breaks the protocol. Calls are sent all at once; the
child runs the exercises in turn in an exercise process forked from the loaded submission
(a new one after any death, abort or state it cannot undo) and the deadlines here decide
timeouts. A process that does not obey an abort, dies or breaks the protocol is killed
and a new one, loaded the same way, gets the calls that remain.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from gdgrade.case import CallOutcome, LoadProblem, LoadReport
from gdgrade.case_encoding import encode_arguments
from gdgrade.contract import BY_NAME, EXERCISE_IDS
from gdgrade.sandbox.limits import Limits
from gdgrade.sandbox.outcomes import (
    died_outcome,
    exercise_death,
    load_problem,
    load_problems,
    result_outcome,
    timeout_outcome,
)
from gdgrade.sandbox.process import Gone, Late, RawOutput, SubmissionProcess
from gdgrade.sandbox.protocol import Deadline, ProtocolError, pack, write_before
from gdgrade.sandbox.zygote_client import SPAWN_S, SandboxError, ZygoteClient
from gdgrade.submission import Submission

SLACK_S = 0.25  # fork/teardown allowance on top of each wall
DEFINITIONS_S = 1.0  # the child's definitions-only budget after the load budget
MAX_LOAD_ATTEMPTS = 4
MAX_RESTARTS = 20
# keys of gdgrade.sandbox.reasons (CALL; WROTE_INTO_CHANNEL is a LOAD key too)
NO_RELOAD = "not_reloaded"
WROTE_INTO_CHANNEL = "wrote_into_channel"
# "each": a fresh fork of the loaded submission for every exercise, as before exercises
# shared one exercise process (exercise.Baseline); for comparing the two, results are the same.
EXERCISE_PROCESS_ENV = "GDGRADE_EXERCISE_PROCESS"


@dataclass(frozen=True)
class SubmissionRun:
    load: LoadReport
    outcomes: dict[str, tuple[CallOutcome, ...]]  # exercise -> one outcome per call, in order


class SubmissionDriver:
    """Load one submission, then call each exercise's function on its cases."""

    def __init__(
        self,
        zygote: ZygoteClient,
        limits: Limits,
        submission: Submission,
        calls: Mapping[str, Sequence[tuple[Any, ...]]],
    ) -> None:
        self.zygote = zygote
        self.limits = limits
        self.submission = submission
        self.calls = {name: list(args) for name, args in calls.items()}
        self.deadline = time.monotonic() + limits.submission_wall_s
        self.names = sorted(set(EXERCISE_IDS) | set(self.calls))
        self.output = RawOutput(limits.output_bytes)
        self.process: SubmissionProcess | None = None
        self.skip: list[int] = []
        self.definitions_from: int | None = None
        self.host_problems: list[tuple[int, dict[str, Any]]] = []
        self.restarts = 0
        self.request_ids = 0
        self.timeouts: dict[str, int] = {}  # per exercise: a function that hangs once hangs again
        self.workdir = ""
        self.encoded: dict[str, list[list[Any]]] = {}
        self.params: dict[str, list[tuple[str, ...]]] = {}

    def execute(self) -> SubmissionRun:
        if self.zygote.ready()["mode"] == "none":
            self.workdir = tempfile.mkdtemp(prefix="gdgrade-")
            if os.geteuid() == 0:
                os.chown(self.workdir, self.zygote.uid, self.zygote.uid)
        try:
            load = self._load()
            outcomes = self._call_all([n for n in self.calls if n in load.defined])
        finally:
            if self.process is not None:
                self.process.close(SLACK_S)
                self.process.forget()
            if self.workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
        if self.output.data:
            load = replace(load, raw_output=self.output.text())
        return SubmissionRun(load, outcomes)

    # --- loading ----------------------------------------------------------------------

    def _load(self) -> LoadReport:
        for _ in range(MAX_LOAD_ATTEMPTS):
            if time.monotonic() >= self.deadline:
                break
            frame, retry = self._spawn_and_load()
            if frame is not None:
                return self._report(frame)
            if not retry:
                break
        self.host_problems.append((0, load_problem("crashed", "not_loaded", {}, None)))
        return LoadReport((), self._problems([]), "", 0.0)

    def _spawn_and_load(self) -> tuple[dict[str, Any] | None, bool]:
        """Start a process and load the submission. After a crash or a hang: (None, True)
        if another attempt, skipping the unit that was running, makes sense."""
        process = SubmissionProcess(
            self.zygote, self.limits, self.workdir, self.output, len(self.submission.line_map)
        )
        load_deadline = time.monotonic() + self.limits.load_wall_s + DEFINITIONS_S + SLACK_S
        deadline = min(load_deadline, self.deadline)
        try:
            # sent at once: the child reads it only after confining itself and saying so
            with contextlib.suppress(Gone):
                process.send(self._load_request(), deadline)
            self._expect_ready(process)
            frame = process.next_frame(deadline)
            if frame.get("t") != "loaded":
                raise ProtocolError("expected the load report")
            self.process = process
            return frame, False
        except Late:
            kind, key, params = "timeout", "load_limit", {"seconds": self.limits.load_wall_s}
        except Gone:
            process.kill()
            kind, key, params = died_outcome(process.exit_status(), self.limits)
        except ProtocolError:
            kind, key, params = "crashed", WROTE_INTO_CHANNEL, {}
        _end(process)
        index, line = process.position()
        self.host_problems.append((line, load_problem(kind, key, params, line or None)))
        if index < 0:  # before the first unit or after the last: skipping cannot help
            return None, False
        self.skip.append(index)
        if kind == "timeout" or self.submission.kind == "py":
            start = index + 1
            self.definitions_from = min(start, self.definitions_from or start)
        return None, True

    @staticmethod
    def _expect_ready(process: SubmissionProcess) -> None:
        """The first frame comes before any student code runs, so it can be believed."""
        try:
            ready = process.next_frame(time.monotonic() + SPAWN_S)
        except (Late, Gone, ProtocolError):
            process.kill()
            raise SandboxError(
                f"the sandbox process did not start (status {process.exit_status()})"
            ) from None
        if ready.get("t") != "ready":
            _end(process)
            raise SandboxError(f"the sandbox could not isolate the child: {ready.get('error')}")

    def _load_request(self) -> dict[str, Any]:
        sub = self.submission
        return {
            "t": "load",
            "source": sub.source,
            "kind": sub.kind,
            "name": sub.display_name,
            "cells": [list(c) for c in sub.cells()] if sub.kind == "ipynb" else None,
            "names": self.names,
            "limits": self.limits.to_json(),
            "skip": self.skip,
            "definitions_from": self.definitions_from,
            "share_exercise_process": os.environ.get(EXERCISE_PROCESS_ENV) != "each",
        }

    def _report(self, frame: dict[str, Any]) -> LoadReport:
        defined = frame.get("defined")
        if not isinstance(defined, list):
            defined = []
        names = tuple(n for n in self.names if n in defined)
        raw = frame.get("problems")
        child = [p for p in raw if isinstance(p, dict)] if isinstance(raw, list) else []
        stdout = frame.get("stdout")
        duration = frame.get("duration")
        return LoadReport(
            defined=names,
            problems=self._problems(child),
            stdout=stdout[: self.limits.output_bytes + 200] if isinstance(stdout, str) else "",
            duration_s=_seconds(duration),
        )

    def _problems(self, child: list[dict[str, Any]]) -> tuple[LoadProblem, ...]:
        found = [(_line(p.get("line")), p) for p in child]  # the child's: any JSON
        ordered = sorted([*self.host_problems, *found], key=lambda item: item[0] or 0)
        return load_problems([p for _, p in ordered], self.submission.line_map)

    # --- exercises --------------------------------------------------------------------

    def _call_all(self, names: list[str]) -> dict[str, tuple[CallOutcome, ...]]:
        """Every call of every defined exercise. The requests are all sent at once; the
        child runs them in order, one exercise process each, so the only waits are the
        calls themselves. Outcomes are filed by exercise and call index."""
        self.encoded = {n: [encode_arguments(args) for args in self.calls[n]] for n in names}
        self.params = {n: _callable_params(n, self.calls[n]) for n in names}
        found: dict[str, list[CallOutcome | None]] = {
            n: [None] * len(args) for n, args in self.calls.items()
        }
        queue = deque(_Request(n, list(range(len(self.calls[n])))) for n in names)
        in_flight: deque[_Request] = deque()
        while any(r.pending for r in (*queue, *in_flight)):  # not waiting for the last "gone"
            if time.monotonic() >= self.deadline:
                self._settle(found, [*in_flight, *queue], timeout_outcome(self.limits, budget=True))
                break
            process = self._live_process()
            if process is None:
                self._settle(found, [*in_flight, *queue], CallOutcome("crashed", reason=NO_RELOAD))
                break
            if not in_flight:
                self._send_all(process, queue, in_flight)
                if not in_flight:
                    continue
            self._step(process, in_flight, queue, found)
        return {
            n: tuple(o if o is not None else CallOutcome("missing") for o in outcomes)
            for n, outcomes in found.items()
        }

    def _send_all(
        self, process: SubmissionProcess, queue: deque[_Request], in_flight: deque[_Request]
    ) -> None:
        data = b""
        started = time.monotonic()
        while queue:
            request = queue.popleft()
            self.request_ids += 1
            request.rid, request.started = self.request_ids, started
            data += pack(
                {
                    "t": "run",
                    "r": request.rid,
                    "ex": request.name,
                    "calls": [
                        {"i": k, "args": self.encoded[request.name][k]} for k in request.pending
                    ],
                }
            )
            in_flight.append(request)
        deadline = min(started + self.limits.call_wall_s, self.deadline)
        with contextlib.suppress(Deadline, ProtocolError):  # the head's deadline catches it
            write_before(process.request, data, deadline)

    def _step(
        self,
        process: SubmissionProcess,
        in_flight: deque[_Request],
        queue: deque[_Request],
        found: dict[str, list[CallOutcome | None]],
    ) -> None:
        """Wait for the next frame of the exercise at the head and file what it says."""
        head = in_flight[0]
        deadline = min(head.started + self.limits.call_wall_s + SLACK_S, self.deadline)
        try:
            frame = process.next_frame(deadline)
        except Late:
            found[head.name][head.pending.pop(0)] = timeout_outcome(self.limits)
            self.timeouts[head.name] = self.timeouts.get(head.name, 0) + 1
            if self.timeouts[head.name] >= self.limits.timeouts_per_exercise:
                skipped = timeout_outcome(self.limits, skipped=True)
                self._settle(found, [head], skipped)
                head.pending.clear()
            if self._abort(process, head):
                self._finish(in_flight, queue)
            else:
                self._requeue(process, in_flight, queue)
            return
        except (Gone, ProtocolError) as exc:
            self._crash(head, found, exc)
            self._requeue(process, in_flight, queue)
            return
        now = time.monotonic()
        kind, rid = frame.get("t"), frame.get("r")
        if kind == "result" and rid == head.rid and frame.get("i") == head.pending[0]:
            k = head.pending.pop(0)
            found[head.name][k] = result_outcome(
                frame,
                now - head.started,
                self.params[head.name][k],
                len(self.encoded[head.name][k]),
                self.limits,
            )
            head.started = now
        elif kind == "gone" and rid == head.rid:
            if head.pending:  # the exercise process ended during this call
                found[head.name][head.pending.pop(0)] = exercise_death(
                    frame, self.limits, now - head.started
                )
            self._finish(in_flight, queue)
        else:
            self._crash(head, found, ProtocolError("unexpected frame"))
            self._requeue(process, in_flight, queue)

    def _finish(self, in_flight: deque[_Request], queue: deque[_Request]) -> None:
        """The head's exercise process is gone: the rest of its calls go to a new one."""
        head = in_flight.popleft()
        if head.pending:
            queue.append(_Request(head.name, head.pending))
        if in_flight:
            in_flight[0].started = time.monotonic()

    def _crash(
        self, head: _Request, found: dict[str, list[CallOutcome | None]], exc: Exception
    ) -> None:
        reason = WROTE_INTO_CHANNEL if isinstance(exc, ProtocolError) else "died"
        if head.pending:
            found[head.name][head.pending.pop(0)] = CallOutcome("crashed", reason=reason)

    def _requeue(
        self, process: SubmissionProcess, in_flight: deque[_Request], queue: deque[_Request]
    ) -> None:
        """Kill the submission process; a fresh one gets every request not finished."""
        self._discard(process)
        unfinished = [_Request(r.name, r.pending) for r in in_flight if r.pending]
        in_flight.clear()
        queue.extendleft(reversed(unfinished))

    def _abort(self, process: SubmissionProcess, head: _Request) -> bool:
        """Ask the submission process to kill the exercise process at the head; True once
        it confirms. Results that arrive late for the head are dropped."""
        try:
            process.send({"t": "abort", "r": head.rid}, time.monotonic() + SLACK_S)
            while True:
                frame = process.next_frame(time.monotonic() + 2 * SLACK_S)
                if frame.get("t") == "gone" and frame.get("r") == head.rid:
                    return True
                if frame.get("r") != head.rid:
                    return False
        except (Late, Gone, ProtocolError):
            return False

    @staticmethod
    def _settle(
        found: dict[str, list[CallOutcome | None]], requests: list[_Request], outcome: CallOutcome
    ) -> None:
        for request in requests:
            for k in request.pending:
                found[request.name][k] = outcome

    def _discard(self, process: SubmissionProcess) -> None:
        _end(process)
        if self.process is process:
            self.process = None

    def _live_process(self) -> SubmissionProcess | None:
        if self.process is not None:
            return self.process
        if self.restarts >= MAX_RESTARTS:
            return None
        self.restarts += 1
        problems = list(self.host_problems)
        frame, _ = self._spawn_and_load()
        self.host_problems = problems  # a reload's findings repeat the first load's
        return self.process if frame is not None else None


def _callable_params(name: str, calls: list[tuple[Any, ...]]) -> list[tuple[str, ...]]:
    """For each call, the names under which calls to passed functions are counted."""
    signature = BY_NAME.get(name)
    params = signature.params if signature else ()
    return [
        tuple(params[i] if i < len(params) else f"arg{i}" for i in range(len(args)))
        for args in calls
    ]


def _line(value: Any) -> int:
    """A line number to sort by, 0 when the child sent something that is not one."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _seconds(value: Any) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok and 0 <= value < 1e6 else 0.0


def _end(process: SubmissionProcess) -> None:
    """Kill a process whose exit status nobody needs (we killed it)."""
    process.kill()
    process.forget()


@dataclass
class _Request:
    """Calls of one exercise sent to the child together (one exercise process)."""

    name: str
    pending: list[int]  # call indices not answered yet, in order
    rid: int = 0
    started: float = 0.0  # when the first pending call started, as far as we know
