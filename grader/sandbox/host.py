"""The trusted side: start the zygote, drive one submission process, decide outcomes.

Nothing the child writes is believed beyond "this is what the student's code produced":
frames are size-capped and validated, values are decoded to plain numbers and arrays,
every wait has a deadline (poll + SIGKILL through a pidfd), and a child that breaks the
protocol, dies or stops answering is killed and, if calls remain, replaced by a fresh
one loaded from the same source. The submission's whole process tree dies with its
pid namespace when the run ends.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..contract import BY_NAME, EXERCISE_IDS
from ..model import CallOutcome, LoadProblem, LoadReport
from ..submission import Submission
from ..values import encode
from .limits import Limits
from .outcomes import (
    died_outcome,
    exercise_death,
    load_problems,
    result_outcome,
    timeout_outcome,
)
from .protocol import Deadline, FrameReader, ProtocolError, pack, write_before
from .zygote import bootstrap_code

STARTUP_S = 60.0  # zygote start (numpy import) on a loaded machine
SPAWN_S = 10.0  # one submission process: clone + isolation
SLACK_S = 0.25  # fork/teardown allowance on top of each wall
DEFINITIONS_S = 1.0  # the child's definitions-only budget after the load budget
MAX_LOAD_ATTEMPTS = 4
MAX_RESTARTS = 20
UID_BASE, UID_SLOTS = 60000, 4000  # sandbox uids: 60000..63999, one per live Sandbox
NO_RELOAD = "not run: the submission could not be loaded again after a crash"


class SandboxError(RuntimeError):
    """The sandbox itself failed (not the student's code): a grader fault."""


@dataclass(frozen=True)
class SubmissionRun:
    load: LoadReport
    outcomes: dict[str, tuple[CallOutcome, ...]]  # exercise -> one outcome per call, in order


class Sandbox:
    """A clean zygote that grades many submissions, one after another.

    `isolation` is "auto" (root: uid drop + namespaces; otherwise user namespaces if the
    kernel allows, else rlimits only), or one of "root", "userns", "none" to force a mode.
    """

    def __init__(
        self,
        limits: Limits = Limits(),  # noqa: B008 (frozen, never mutated)
        *,
        isolation: str = "auto",
        uid: int | None = None,
    ) -> None:
        self.limits = limits
        self.uid = uid if uid is not None else _free_uid()
        self._zygote = _Zygote(isolation, self.uid)

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
    def zygote_pid(self) -> int:
        return int(self._zygote.ready()["pid"])

    def run(
        self, submission: Submission, calls: Mapping[str, Sequence[tuple[Any, ...]]]
    ) -> SubmissionRun:
        self._zygote.ready()
        return _Run(self._zygote, self.limits, submission, calls).execute()

    def zygote_modules(self) -> list[str]:
        """The zygote's sys.modules (to check that it holds nothing of the grader)."""
        return self._zygote.modules()


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


# --- the zygote ---------------------------------------------------------------------


class _Zygote:
    """Client of the zygote process: spawned at once, waited for on first use."""

    def __init__(self, isolation: str, uid: int) -> None:
        self.mode_requested = isolation
        self.uid = uid
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the zygote)
        config = {"mode": isolation, "uid": uid, "masks": _secret_paths()}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                bootstrap_code(),
                json.dumps(_zygote_path()),
                str(theirs.fileno()),
                json.dumps(config),
            ],
            pass_fds=[theirs.fileno()],
            env=_zygote_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            cwd="/",
        )
        theirs.close()
        self._ready: dict[str, Any] | None = None
        self.exits: dict[int, int] = {}

    def ready(self) -> dict[str, Any]:
        if self._ready is None:
            message, _ = self._receive(time.monotonic() + STARTUP_S, {"ready"})
            self._ready = message
        return self._ready

    def start(self, limits: Limits, fds: list[int], workdir: str) -> tuple[int, int]:
        data = json.dumps({"t": "start", "limits": limits.to_json(), "workdir": workdir})
        try:
            socket.send_fds(self.sock, [data.encode()], fds)
        except OSError as exc:
            raise SandboxError(f"the sandbox zygote is gone ({exc})") from None
        message, pidfds = self._receive(time.monotonic() + SPAWN_S, {"started", "failed"})
        if message["t"] == "failed" or len(pidfds) != 1:
            raise SandboxError(f"cannot start a sandbox process: {message.get('error')}")
        return int(message["pid"]), pidfds[0]

    def exit_status(self, pid: int, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while pid not in self.exits:
            try:
                self._receive(deadline, {"exit"})
            except SandboxError:
                return None
        return self.exits.pop(pid)

    def modules(self) -> list[str]:
        self.ready()
        self.sock.send(json.dumps({"t": "modules"}).encode())
        message, _ = self._receive(time.monotonic() + SPAWN_S, {"modules"})
        return list(message["modules"])

    def _receive(self, deadline: float, wanted: set[str]) -> tuple[dict[str, Any], list[int]]:
        """The next message of a wanted type; exit reports are filed on the way."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.sock], [], [], remaining)[0]:
                raise SandboxError(f"the sandbox zygote did not answer ({self._failure()})")
            data, fds, _, _ = socket.recv_fds(self.sock, 65536, 1)
            if not data:
                raise SandboxError(f"the sandbox zygote exited ({self._failure()})")
            message = json.loads(data)
            if message["t"] == "exit":
                self.exits[int(message["pid"])] = int(message["status"])
            if message["t"] in wanted:
                return message, fds
            for fd in fds:
                os.close(fd)

    def _failure(self) -> str:
        self._stderr.seek(0)
        text = self._stderr.read()[-2000:].decode(errors="replace").strip()
        code = self.process.poll()
        return f"exit code {code}: {text}" if code is not None else text or "no answer"

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._stderr.close()


def _zygote_path() -> list[str]:
    """sys.path of the zygote: the grader package and the site-packages holding numpy."""
    grader_root = str(Path(__file__).resolve().parents[2])
    numpy_root = str(Path(np.__file__).resolve().parents[1])
    paths = [grader_root, numpy_root, sysconfig.get_paths()["purelib"]]
    paths.append(sysconfig.get_paths()["platlib"])
    return list(dict.fromkeys(paths))


def _secret_paths() -> list[str]:
    """Where the grader, the reference and the exercises live: never visible to a child,
    even if they sit inside a directory the child may read (an installed package)."""
    paths = {str(Path(__file__).resolve().parents[2])}
    for name in ("reference", "grader", "gdgrade", "exercises", "templates"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            paths.update(str(Path(p).resolve()) for p in spec.submodule_search_locations)
    return sorted(paths)


def _zygote_environment() -> dict[str, str]:
    """A scrubbed environment; the BLAS thread counts must be set before numpy loads
    (OpenBLAS threads hang under a process limit and cost start-up time)."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMEXPR_NUM_THREADS": "1",
        "VECLIB_MAXIMUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }


# --- one submission process -----------------------------------------------------------


class _Gone(Exception):
    """The submission process died."""


class _Late(Exception):
    """A deadline passed while waiting for the submission process."""


class _Process:
    """One submission process: its pipes, its pidfd and a capped copy of raw output."""

    def __init__(self, zygote: _Zygote, limits: Limits, workdir: str, output: _Output) -> None:
        self.zygote = zygote
        self.limits = limits
        self.output = output
        request_r, self.request = os.pipe()
        self.result, result_w = os.pipe()
        self.out, out_w = os.pipe()
        self.progress = os.memfd_create("gdgrade-progress", os.MFD_CLOEXEC)
        os.ftruncate(self.progress, 16)
        os.pwrite(self.progress, struct.pack("<qq", -2, 0), 0)
        try:
            self.pid, self.pidfd = zygote.start(
                limits, [request_r, result_w, out_w, self.progress], workdir
            )
        finally:
            for fd in (request_r, result_w, out_w):
                os.close(fd)
        for fd in (self.request, self.result, self.out):
            os.set_blocking(fd, False)
        self.reader = FrameReader(limits.result_bytes + 1_000_000)
        self.frames: list[dict[str, Any]] = []
        self.dead = False
        self.killed = False
        self.last_position = (-2, 0)
        self.out_open = True
        self.status: int | None = None

    def send(self, message: dict[str, Any], deadline: float) -> None:
        try:
            write_before(self.request, pack(message), deadline)
        except Deadline:
            raise _Late from None
        except ProtocolError:
            raise _Gone from None

    def next_frame(self, deadline: float) -> dict[str, Any]:
        """The next frame, or _Late / _Gone / ProtocolError; never waits past deadline."""
        while not self.frames:
            if self.dead:
                self._drain_results()
                if not self.frames:
                    raise _Gone
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Late
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
        """(unit index, source line) the child was running, as it last wrote them."""
        if self.killed:
            return self.last_position
        index, line = struct.unpack("<qq", os.pread(self.progress, 16, 0))
        return index, line

    def kill(self) -> None:
        """SIGKILL the process (pid 1 of its namespace: everything it started dies too)."""
        if self.killed:
            return
        with contextlib.suppress(ProcessLookupError, OSError):
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        select.select([self.pidfd], [], [], SPAWN_S)
        self.last_position = self.position()
        self.killed = self.dead = True
        self.status = self.zygote.exit_status(self.pid, SPAWN_S)
        for fd in (self.request, self.result, self.pidfd, self.progress):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.out_open:
            with contextlib.suppress(OSError):
                self._read_output()
                os.close(self.out)
            self.out_open = False

    def exit_status(self) -> int | None:
        if self.status is None:
            self.status = self.zygote.exit_status(self.pid, 1.0)
        return self.status


class _Output:
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


# --- one submission -------------------------------------------------------------------


class _Run:
    """Load one submission, then call each exercise's function on its cases."""

    def __init__(
        self,
        zygote: _Zygote,
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
        self.output = _Output(limits.output_bytes)
        self.process: _Process | None = None
        self.skip: list[int] = []
        self.definitions_from: int | None = None
        self.host_problems: list[tuple[int, dict[str, Any]]] = []
        self.restarts = 0
        self.request_ids = 0
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
                self.process.kill()
            if self.workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
        if self.output.data:
            raw = "\n[output written outside print()]\n" + self.output.text()
            load = replace(load, stdout=load.stdout + raw)
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
        problem = {"kind": "crashed", "message": "the submission could not be loaded"}
        self.host_problems.append((0, problem | {"line": None, "detail": ""}))
        return LoadReport((), self._problems([]), "", 0.0)

    def _spawn_and_load(self) -> tuple[dict[str, Any] | None, bool]:
        """Start a process and load the submission. After a crash or a hang: (None, True)
        if another attempt, skipping the unit that was running, makes sense."""
        process = _Process(self.zygote, self.limits, self.workdir, self.output)
        load_deadline = time.monotonic() + self.limits.load_wall_s + DEFINITIONS_S + SLACK_S
        deadline = min(load_deadline, self.deadline)
        try:
            # sent at once: the child reads it only after confining itself and saying so
            with contextlib.suppress(_Gone):
                process.send(self._load_request(), deadline)
            self._expect_ready(process)
            frame = process.next_frame(deadline)
            if frame.get("t") != "loaded":
                raise ProtocolError("expected the load report")
            self.process = process
            return frame, False
        except _Late:
            kind, message = "timeout", self._hang_message()
        except _Gone:
            process.kill()
            kind, message = died_outcome(process.exit_status(), self.limits, "loading")
        except ProtocolError:
            kind, message = "crashed", "the submission wrote into the sandbox's result channel"
        process.kill()
        index, line = process.position()
        self.host_problems.append(
            (line, {"kind": kind, "message": message, "line": line or None, "detail": ""})
        )
        if index < 0:  # before the first unit or after the last: skipping cannot help
            return None, False
        self.skip.append(index)
        if kind == "timeout" or self.submission.kind == "py":
            start = index + 1
            self.definitions_from = min(start, self.definitions_from or start)
        return None, True

    def _hang_message(self) -> str:
        limit = self.limits.load_wall_s
        return f"module-level code ran past the {limit:g} s load limit and was killed"

    @staticmethod
    def _expect_ready(process: _Process) -> None:
        """The first frame comes before any student code runs, so it can be believed."""
        try:
            ready = process.next_frame(time.monotonic() + SPAWN_S)
        except (_Late, _Gone, ProtocolError):
            process.kill()
            raise SandboxError(
                f"the sandbox process did not start (status {process.exit_status()})"
            ) from None
        if ready.get("t") != "ready":
            process.kill()
            raise SandboxError(f"the sandbox could not isolate the child: {ready.get('error')}")

    def _load_request(self) -> dict[str, Any]:
        sub = self.submission
        return {
            "t": "load",
            "source": sub.source,
            "kind": sub.kind,
            "name": sub.path.name,
            "cells": [list(c) for c in sub.cells()] if sub.kind == "ipynb" else None,
            "names": self.names,
            "limits": self.limits.to_json(),
            "skip": self.skip,
            "definitions_from": self.definitions_from,
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
            duration_s=float(duration) if isinstance(duration, int | float) else 0.0,
        )

    def _problems(self, child: list[dict[str, Any]]) -> tuple[LoadProblem, ...]:
        found = [((p.get("line") or 0), p) for p in child]
        ordered = sorted([*self.host_problems, *found], key=lambda item: item[0] or 0)
        return load_problems([p for _, p in ordered], self.submission.line_map)

    # --- exercises --------------------------------------------------------------------

    def _call_all(self, names: list[str]) -> dict[str, tuple[CallOutcome, ...]]:
        """Every call of every defined exercise. The requests are all sent at once; the
        child runs them in order, one exercise process each, so the only waits are the
        calls themselves. Outcomes are filed by exercise and call index."""
        self.encoded = {n: [[encode(a) for a in args] for args in self.calls[n]] for n in names}
        self.params = {n: _callable_params(n, self.calls[n]) for n in names}
        found: dict[str, list[CallOutcome | None]] = {
            n: [None] * len(args) for n, args in self.calls.items()
        }
        queue = deque(_Request(n, list(range(len(self.calls[n])))) for n in names)
        in_flight: deque[_Request] = deque()
        while queue or in_flight:
            if time.monotonic() >= self.deadline:
                self._settle(found, [*in_flight, *queue], timeout_outcome(self.limits, budget=True))
                break
            process = self._live_process()
            if process is None:
                self._settle(
                    found, [*in_flight, *queue], CallOutcome("crashed", error_message=NO_RELOAD)
                )
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
        self, process: _Process, queue: deque[_Request], in_flight: deque[_Request]
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
        process: _Process,
        in_flight: deque[_Request],
        queue: deque[_Request],
        found: dict[str, list[CallOutcome | None]],
    ) -> None:
        """Wait for the next frame of the exercise at the head and file what it says."""
        head = in_flight[0]
        deadline = min(head.started + self.limits.call_wall_s + SLACK_S, self.deadline)
        try:
            frame = process.next_frame(deadline)
        except _Late:
            found[head.name][head.pending.pop(0)] = timeout_outcome(self.limits)
            if self._abort(process, head):
                self._finish(in_flight, queue)
            else:
                self._requeue(process, in_flight, queue)
            return
        except (_Gone, ProtocolError) as exc:
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
        message = "the submission process died"
        if isinstance(exc, ProtocolError):
            message = "the submission wrote into the sandbox's result channel"
        if head.pending:
            found[head.name][head.pending.pop(0)] = CallOutcome("crashed", error_message=message)

    def _requeue(
        self, process: _Process, in_flight: deque[_Request], queue: deque[_Request]
    ) -> None:
        """Kill the submission process; a fresh one gets every request not finished."""
        self._discard(process)
        unfinished = [_Request(r.name, r.pending) for r in in_flight if r.pending]
        in_flight.clear()
        queue.extendleft(reversed(unfinished))

    def _abort(self, process: _Process, head: _Request) -> bool:
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
        except (_Late, _Gone, ProtocolError):
            return False

    @staticmethod
    def _settle(
        found: dict[str, list[CallOutcome | None]], requests: list[_Request], outcome: CallOutcome
    ) -> None:
        for request in requests:
            for k in request.pending:
                found[request.name][k] = outcome

    def _discard(self, process: _Process) -> None:
        process.kill()
        if self.process is process:
            self.process = None

    def _live_process(self) -> _Process | None:
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


@dataclass
class _Request:
    """Calls of one exercise sent to the child together (one exercise process)."""

    name: str
    pending: list[int]  # call indices not answered yet, in order
    rid: int = 0
    started: float = 0.0  # when the first pending call started, as far as we know
