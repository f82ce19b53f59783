"""The portable runner: the check on any system where CPython runs, without the sandbox.

Where the Linux sandbox is unavailable (Windows, macOS, a container without the kernel
features it needs), the student's check still runs their code out of their own
process: in a child interpreter (`python -I`, started, never forked) that runs the
sandbox child's own code (portable_child.py) and speaks its frames over stdin/stdout.
Every wait has a deadline; a call that hangs, a process that dies or a flood of output
ends as the sandbox's verdict for it, and the notebook or terminal carries on.

It is driven like the sandbox (SubmissionDriver: the same load retries, time budgets and
outcome messages), with one difference of shape: there is no fork of the loaded state,
so each exercise gets a fresh child that loads the submission again.

It isolates nothing: use it for the student's own code (the check), not for grading.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, cast

from gdgrade.case import CallOutcome
from gdgrade.case_encoding import encode_arguments
from gdgrade.sandbox.driver import (
    DEFINITIONS_S,
    MAX_RESTARTS,
    NO_RELOAD,
    SLACK_S,
    WROTE_INTO_CHANNEL,
    SubmissionDriver,
    SubmissionRun,
    _callable_params,
)
from gdgrade.sandbox.limits import Limits
from gdgrade.sandbox.outcomes import (
    ended_outcome,
    exercise_death,
    load_problem,
    result_outcome,
    timeout_outcome,
)
from gdgrade.sandbox.process import Gone, Late, RawOutput
from gdgrade.sandbox.protocol import FrameReader, ProtocolError, pack
from gdgrade.sandbox.zygote_client import (
    SPAWN_S,
    STARTUP_S,
    SandboxError,
    zygote_environment,
    zygote_path,
)
from gdgrade.submission import Submission

MODE = "portable"
POLL_S = 0.1  # how often a wait looks whether the child is still alive
EXIT_WAIT_S = 2.0  # after end of file on the result pipe, for the exit status
STDERR_KEPT = 4000  # bytes of the child's error output kept to explain a failed start


class PortableRunner:
    """The Sandbox interface (`run`, `mode`, context manager) without the sandbox."""

    def __init__(self, limits: Limits = Limits()) -> None:  # noqa: B008 (frozen)
        self.limits = limits

    def __enter__(self) -> PortableRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing outlives a run: each child is ended by the run that started it."""

    @property
    def mode(self) -> str:
        return MODE

    def run(
        self, submission: Submission, calls: Mapping[str, Sequence[tuple[Any, ...]]]
    ) -> SubmissionRun:
        return PortableDriver(self.limits, submission, calls).execute()


def bootstrap_code() -> str:
    """The -c program of each child: its sys.path comes as argv[1]."""
    return (
        "import sys, json; sys.path[:0] = json.loads(sys.argv[1]); "
        "from gdgrade.sandbox.portable_child import main; main()"
    )


def child_environment() -> dict[str, str]:
    """The caller's environment (Windows needs it to start a process) with the sandbox's
    settings that change results or start-up: one BLAS thread, a matplotlib backend
    that opens no window."""
    env = dict(os.environ)
    keep_system = ("PATH", "LANG", "LC_ALL")
    env.update({k: v for k, v in zygote_environment().items() if k not in keep_system})
    return env


class ChildProcess:
    """One child interpreter: frames from its stdout, raw output from its stderr, each
    read by a thread into a queue, so that every wait has a deadline on every system."""

    def __init__(self, limits: Limits, workdir: str, output: RawOutput) -> None:
        options: dict[str, Any] = {}
        if os.name == "posix":
            options["start_new_session"] = True  # Ctrl-C in the terminal is not for it
        else:
            options["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
            options["creationflags"] |= getattr(subprocess, "CREATE_NO_WINDOW", 0)
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", bootstrap_code(), json.dumps(zygote_path())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=workdir,
            env=child_environment(),
            **options,
        )
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.position = (-2, 0)  # (unit index, line) it last said it was running
        self.stderr_head = bytearray()
        self.killed = False
        self.exited_at = 0.0
        reader = FrameReader(limits.result_bytes + 1_000_000)
        threading.Thread(target=self._read_frames, args=(reader,), daemon=True).start()
        threading.Thread(target=self._read_output, args=(output,), daemon=True).start()

    def _read_frames(self, reader: FrameReader) -> None:
        stream = cast(io.BufferedReader, self.proc.stdout)  # binary pipe: Popen without text
        try:
            while data := stream.read1(1 << 20):
                for frame in reader.feed(data):
                    if frame.get("t") == "at":
                        self._move(frame)
                    else:
                        self.events.put(("frame", frame))
        except ProtocolError:
            self.events.put(("bad", None))
            return
        except (OSError, ValueError):
            pass
        self.events.put(("eof", None))

    def _move(self, frame: dict[str, Any]) -> None:
        index, line = frame.get("index"), frame.get("line")
        if (
            isinstance(index, int)
            and isinstance(line, int)
            and bool not in (type(index), type(line))
        ):
            self.position = (index, line)

    def _read_output(self, output: RawOutput) -> None:
        stream = cast(io.BufferedReader, self.proc.stderr)
        with contextlib.suppress(OSError, ValueError):
            while data := stream.read1(65536):
                if len(self.stderr_head) < STDERR_KEPT:
                    self.stderr_head += data[: STDERR_KEPT - len(self.stderr_head)]
                if not output.add(data):
                    break  # full: later raw writes fail in the child, not here
        with contextlib.suppress(OSError, ValueError):
            stream.close()

    def expect_ready(self) -> None:
        """The first frame comes before any student code runs: the child works."""
        try:
            ready = self.next_frame(time.monotonic() + STARTUP_S)
        except (Late, Gone, ProtocolError):
            self.kill()
            detail = self.stderr_head.decode("utf-8", "replace").strip()[-600:]
            raise SandboxError(
                f"the check's process did not start (exit code {self.proc.returncode}): "
                f"{detail or 'no output'}"
            ) from None
        if ready.get("t") != "ready":
            self.kill()
            raise SandboxError("the check's process did not start as expected")

    def send(self, message: dict[str, Any]) -> None:
        """The child is waiting for this request: a blocking write cannot hang."""
        stream = self.proc.stdin
        assert stream is not None
        try:
            stream.write(pack(message))
            stream.flush()
        except (OSError, ValueError):
            raise Gone from None

    def next_frame(self, deadline: float) -> dict[str, Any]:
        """The next frame, or Late / Gone / ProtocolError; never waits past deadline."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Late
            try:
                kind, frame = self.events.get(timeout=min(remaining, POLL_S))
            except queue.Empty:
                if self.proc.poll() is None:
                    continue
                # Exited: its last frames may still be on their way to the queue, and
                # end of file follows them, unless something else holds the pipe open.
                self.exited_at = self.exited_at or time.monotonic()
                if time.monotonic() - self.exited_at > EXIT_WAIT_S:
                    raise Gone from None
                continue
            if kind == "frame":
                return frame
            if kind == "bad":
                raise ProtocolError("malformed frame")
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(EXIT_WAIT_S)
            raise Gone

    def returncode(self) -> int | None:
        """How it ended, if it ended on its own (negative: by that signal)."""
        if self.proc.poll() is None:
            self.kill()
            return None
        return self.proc.returncode

    def gone_frame(self) -> dict[str, Any]:
        """What the sandbox child says when an exercise process ends during a call."""
        code = self.returncode()
        if code is not None and code < 0:
            return {"t": "gone", "signal": -code, "exit": None}
        return {"t": "gone", "signal": None, "exit": code}

    def kill(self) -> None:
        if self.killed:
            return
        self.killed = True
        if os.name == "posix":
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(SPAWN_S)
        with contextlib.suppress(OSError, ValueError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()


class PortableDriver(SubmissionDriver):
    """SubmissionDriver's loading, retries and budgets over ChildProcess, one exercise
    per child."""

    def __init__(
        self,
        limits: Limits,
        submission: Submission,
        calls: Mapping[str, Sequence[tuple[Any, ...]]],
    ) -> None:
        super().__init__(None, limits, submission, calls)  # type: ignore[arg-type]
        self.process: ChildProcess | None = None  # type: ignore[assignment]
        self.running: ChildProcess | None = None

    def execute(self) -> SubmissionRun:
        self.workdir = tempfile.mkdtemp(prefix="gdgrade-")
        try:
            load = self._load()
            outcomes = self._call_all([n for n in self.calls if n in load.defined])
        finally:
            for child in (self.process, self.running):
                if child is not None:
                    child.kill()
            shutil.rmtree(self.workdir, ignore_errors=True)
        if self.output.data:
            load = replace(load, raw_output=self.output.text())
        return SubmissionRun(load, outcomes)

    # --- loading ----------------------------------------------------------------------

    def _spawn_and_load(self, quiet: bool = False) -> tuple[dict[str, Any] | None, bool]:
        """As the sandbox's: start a child and load the submission; after a crash or a
        hang, (None, True) if another attempt, skipping the running unit, makes sense."""
        try:
            child = ChildProcess(self.limits, self.workdir, self.output)
        except OSError as exc:
            raise SandboxError(f"the check's process could not be started ({exc})") from None
        load_deadline = time.monotonic() + self.limits.load_wall_s + DEFINITIONS_S + SLACK_S
        deadline = min(load_deadline, self.deadline)
        try:
            child.expect_ready()
            child.send(self._load_request() | {"quiet": quiet})
            frame = child.next_frame(deadline)
            if frame.get("t") != "loaded":
                raise ProtocolError("expected the load report")
            self.process = child
            return frame, False
        except Late:
            kind, key, params = "timeout", "load_limit", {"seconds": self.limits.load_wall_s}
        except Gone:
            kind, key, params = ended_outcome(child.returncode(), self.limits)
        except ProtocolError:
            kind, key, params = "crashed", WROTE_INTO_CHANNEL, {}
        child.kill()
        index, line = child.position
        self.host_problems.append((line, load_problem(kind, key, params, line or None)))
        if index < 0:
            return None, False
        self.skip.append(index)
        if kind == "timeout" or self.submission.kind == "py":
            start = index + 1
            self.definitions_from = min(start, self.definitions_from or start)
        return None, True

    def _loaded_child(self) -> ChildProcess | None:
        """The child the first load left, else a new one loaded the same way (quietly:
        its module-level output was shown once); None if that fails or too many did."""
        child = self.process
        if child is None:
            if self.restarts > MAX_RESTARTS:
                return None
            problems = list(self.host_problems)
            frame, _ = self._spawn_and_load(quiet=True)
            self.host_problems = problems  # a reload's findings repeat the first load's
            child = self.process if frame is not None else None
        self.process = None
        return child

    # --- exercises --------------------------------------------------------------------

    def _call_all(self, names: list[str]) -> dict[str, tuple[CallOutcome, ...]]:
        """Every call of every defined exercise, one child per exercise; a call that
        hangs or kills its child costs that child, and the calls left get a new one."""
        self.encoded = {n: [encode_arguments(args) for args in self.calls[n]] for n in names}
        self.params = {n: _callable_params(n, self.calls[n]) for n in names}
        found: dict[str, list[CallOutcome | None]] = {
            n: [None] * len(args) for n, args in self.calls.items()
        }
        todo = {n: list(range(len(self.calls[n]))) for n in names}
        for name in names:
            pending = todo[name]
            while pending:
                if time.monotonic() >= self.deadline:
                    self._settle_rest(found, todo, timeout_outcome(self.limits, budget=True))
                    break
                child = self._loaded_child()
                if child is None:
                    self._settle_rest(found, todo, CallOutcome("crashed", reason=NO_RELOAD))
                    break
                self.running = child
                try:
                    self._run_exercise(child, name, pending, found)
                finally:
                    child.kill()
                    self.running = None
        return {
            n: tuple(o if o is not None else CallOutcome("missing") for o in outcomes)
            for n, outcomes in found.items()
        }

    def _run_exercise(
        self,
        child: ChildProcess,
        name: str,
        pending: list[int],
        found: dict[str, list[CallOutcome | None]],
    ) -> None:
        """Send the pending calls of one exercise and file the answers until they are
        all in or the child is lost (then the calls left stay in `pending`)."""
        self.request_ids += 1
        rid = self.request_ids
        calls = [{"i": k, "args": self.encoded[name][k]} for k in pending]
        started = time.monotonic()
        try:
            child.send({"t": "run", "r": rid, "ex": name, "calls": calls})
        except Gone:
            found[name][pending.pop(0)] = exercise_death(child.gone_frame(), self.limits, 0.0)
            self.restarts += 1
            return
        while pending:
            deadline = min(started + self.limits.call_wall_s + SLACK_S, self.deadline)
            try:
                frame = child.next_frame(deadline)
            except Late:
                self._timed_out(name, pending, found)
                return
            except Gone:
                elapsed = time.monotonic() - started
                outcome = exercise_death(child.gone_frame(), self.limits, elapsed)
                found[name][pending.pop(0)] = outcome
                self.restarts += 1
                return
            except ProtocolError:
                found[name][pending.pop(0)] = CallOutcome("crashed", reason=WROTE_INTO_CHANNEL)
                self.restarts += 1
                return
            now = time.monotonic()
            if (
                frame.get("t") == "result"
                and frame.get("r") == rid
                and frame.get("i") == pending[0]
            ):
                k = pending.pop(0)
                found[name][k] = result_outcome(
                    frame,
                    now - started,
                    self.params[name][k],
                    len(self.encoded[name][k]),
                    self.limits,
                )
                started = now
            elif frame.get("t") == "gone" and frame.get("r") == rid:  # ended during a call
                found[name][pending.pop(0)] = exercise_death(frame, self.limits, now - started)
                return
            else:
                found[name][pending.pop(0)] = CallOutcome("crashed", reason=WROTE_INTO_CHANNEL)
                self.restarts += 1
                return

    def _timed_out(
        self, name: str, pending: list[int], found: dict[str, list[CallOutcome | None]]
    ) -> None:
        found[name][pending.pop(0)] = timeout_outcome(self.limits)
        self.timeouts[name] = self.timeouts.get(name, 0) + 1
        if self.timeouts[name] >= self.limits.timeouts_per_exercise:
            for k in pending:
                found[name][k] = timeout_outcome(self.limits, skipped=True)
            pending.clear()

    @staticmethod
    def _settle_rest(
        found: dict[str, list[CallOutcome | None]],
        todo: dict[str, list[int]],
        outcome: CallOutcome,
    ) -> None:
        for name, pending in todo.items():
            for k in pending:
                found[name][k] = outcome
            pending.clear()
