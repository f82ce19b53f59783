"""The untrusted side: the submission process and its per-exercise forks.

The zygote clones this process (pid 1 of its own namespaces) and calls `run`. It
confines itself (`isolation.enter`), then receives the submission's source over its
request pipe, runs the module-level code unit by unit, reports what got defined, and
then, for each exercise the trusted side asks for, forks an exercise process from the
loaded state (exercise.py); whatever that does to itself (exit, crash, monkeypatching,
threads) dies with it, and this process, pid 1 of the namespace, kills every process
the exercise left behind before the next exercise starts.

Everything written from here is data the trusted side validates: the student can make
it say anything about their own functions, and nothing about anything else.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import random
import select
import signal
import sys
import time
import types
from collections import deque
from collections.abc import Callable
from typing import Any, NoReturn, Protocol

from gdgrade.sandbox import isolation
from gdgrade.sandbox.capture import (
    BoundedText,
    last_student_line,
    safe_text,
    student_traceback,
    type_name,
)
from gdgrade.sandbox.exercise import (
    Baseline,
    Exercise,
    compile_functions,
    seed_generators,
)
from gdgrade.sandbox.limits import Limits
from gdgrade.sandbox.protocol import (
    PROGRESS,
    PROGRESS_FD,
    REQUEST_FD,
    RESULT_FD,
    FrameReader,
    ProtocolError,
    receive,
    receive_frame,
    send,
)
from gdgrade.sandbox.units import STUDENT_FILE, Locator, definitions_only, future_flags, split_units

MAX_REQUEST = 256 * 1024 * 1024
DEFINITIONS_BUDGET_S = 1.0  # extra time for definitions after the load budget is spent
# The state the global generators (`random`, `np.random`) have when a submission starts to
# load, on every machine and in both runners. Code that draws from them instead of the rng it
# was given cannot match the reference, yet it must get the same grade each time it is graded:
# otherwise the state would be whatever the zygote's numpy drew from the operating system.
# Generators made without a seed draw their entropy from a generator seeded with it too.
GLOBAL_GENERATORS_SEED = 0
ISOLATION_FAILED = 71

ENVIRONMENT = {
    "HOME": isolation.HOME,
    "USER": "student",
    "TMPDIR": "/tmp",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "MPLBACKEND": "Agg",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


class LoadBudgetExceeded(BaseException):
    """Raised into module-level code when the load wall time is spent."""


def run(plan: isolation.Plan) -> NoReturn:
    """Entry point of the submission process; never returns into the zygote's code."""
    try:
        os.umask(0o022)
        isolation.enter(plan)
    except BaseException as exc:
        send(RESULT_FD, {"t": "isolation_failed", "error": f"{type(exc).__name__}: {exc}"})
        os._exit(ISOLATION_FAILED)
    send(RESULT_FD, {"t": "ready", "pid": os.getpid(), "uid": os.getuid(), "gid": os.getgid()})
    try:
        os.environ.clear()
        os.environ.update(ENVIRONMENT)
        if plan.mode == "none":
            os.environ.update(HOME=plan.workdir, TMPDIR=plan.workdir)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        request = receive(REQUEST_FD, MAX_REQUEST)
        if request is None or request.get("t") != "load":
            os._exit(0)
        session = Session(request, plan.mode)
        send(RESULT_FD, session.load())
        session.serve()
    finally:
        os._exit(0)


class Session:
    """One loaded submission: its module namespace and what is needed to call into it."""

    def __init__(self, request: dict[str, Any], mode: str) -> None:
        self.mode = mode
        self.limits = Limits.from_json(request["limits"])
        self.display_name = str(request["name"])
        self.kind = request["kind"]
        cells = request.get("cells")
        self.source = str(request["source"])
        self.cells = cells
        self.locator = Locator(self.source, cells)
        self.names: list[str] = list(request["names"])
        self.skip = set(request.get("skip", ()))
        self.definitions_from = request.get("definitions_from")
        self.module = self._module()
        self.in_student = False
        self.expired = False
        self.progress: ProgressSink = _Progress()
        # One exercise process for every exercise, while it can be reused (exercise.Baseline);
        # otherwise a fresh fork of the loaded submission per exercise.
        self.share = request.get("share_exercise_process", True) is not False
        self.worker: _Worker | None = None
        self.loaded_random: Any = None  # `random`'s state after the load (it reseeds in a fork)

    def _module(self) -> types.ModuleType:
        sys.modules["gdgrade"].__dict__.pop("check", None)  # see gdgrade.__getattr__
        name = "__main__" if self.kind == "ipynb" else "submission"
        module = types.ModuleType(name)
        module.__dict__.update(
            {"__file__": self.display_name, "get_ipython": _ipython, "display": _display}
        )
        sys.modules[name] = module
        sys.argv = [self.display_name]
        return module

    # --- module-level code ----------------------------------------------------------

    def load(self) -> dict[str, Any]:
        """Run the module-level code, unit by unit, within the load budget.

        A unit is a top-level statement of a .py file, or a notebook cell. Two switches
        decide how much of each unit runs:
        - `definitions`: run only the unit's `def`, `class` and imports (definitions_only).
          It turns on when the budget is spent, after a failed unit in a .py file (a script
          stops at its first error; its later functions should still be graded), and from
          `definitions_from` on (units the caller wants defined but not run).
        - `budget_spent`: the load budget (limits.load_wall_s) has run out once. The alarm
          is then restarted for one more budget, in which the remaining units run their
          definitions only; if that second budget runs out too, loading stops.
        A notebook keeps running later cells after a failed one, as Jupyter's "run all"
        with errors allowed would. Every problem is reported with its unit's first line.
        """
        started = time.perf_counter()
        seed_generators(GLOBAL_GENERATORS_SEED)
        output = BoundedText(self.limits.output_bytes, 1)
        sys.stdout = sys.stderr = output
        problems: list[dict[str, Any]] = []
        units = split_units(self.source, self.cells)
        flags = future_flags(units)
        definitions = budget_spent = False
        self._alarm(self.limits.load_wall_s)
        for unit in units:
            self.progress.set(unit.index, unit.first_line)
            if unit.index in self.skip:
                continue
            if self.definitions_from is not None and unit.index >= self.definitions_from:
                definitions = True
            if unit.tree is None:
                p = unit.problem
                assert p is not None
                problems.append(_problem("syntax_error", p.message, p.line, p.detail))
                continue
            if self.expired:  # the budget ran out between two units
                if budget_spent:
                    break
                problems.append(self._budget_spent(unit.first_line))
                budget_spent = definitions = True
                self._restart_alarm()
            tree = definitions_only(unit.tree) if definitions else unit.tree
            if not tree.body:
                continue
            failure = self._execute(tree, flags, unit.first_line)
            if failure is None:
                continue
            problems.append(failure)
            if failure["kind"] == "timeout":
                if budget_spent:
                    break
                budget_spent = definitions = True
                self._restart_alarm()
            elif self.kind == "py":
                definitions = True
        self._alarm(0)
        self.loaded_random = random.getstate()
        self.progress.set(-1, 0)
        gc.freeze()  # forks per exercise then share these pages instead of copying them
        problems.extend(self._undefined_names())
        return {
            "t": "loaded",
            "defined": [n for n in self.names if callable(self.module.__dict__.get(n))],
            "problems": problems,
            "stdout": output.text(),
            "duration": time.perf_counter() - started,
        }

    def _budget_spent(self, line: int) -> dict[str, Any]:
        """Module-level code used up the load limit; later code ran definitions only."""
        return _problem("timeout", "", line, key="budget_spent", seconds=self.limits.load_wall_s)

    def _restart_alarm(self) -> None:
        self.expired = False
        self._alarm(DEFINITIONS_BUDGET_S)

    def _alarm(self, seconds: float) -> None:
        """Call `_on_alarm` after `seconds`, then every 50 ms; 0 stops it. A method so
        that the portable runner can use another clock where there is no SIGALRM."""
        if seconds:
            signal.signal(signal.SIGALRM, self._on_alarm)
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
        else:
            signal.setitimer(signal.ITIMER_REAL, 0, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)

    def _on_alarm(self, signum: int, frame: Any) -> None:
        if self.in_student:
            self.in_student = False
            raise LoadBudgetExceeded
        self.expired = True

    def _execute(self, tree: Any, flags: int, first_line: int) -> dict[str, Any] | None:
        try:
            code = compile(tree, STUDENT_FILE, "exec", flags=flags, dont_inherit=True)
            self.in_student = True
            exec(code, self.module.__dict__)
            self.in_student = False
        except LoadBudgetExceeded as exc:
            self.in_student = False
            line = last_student_line(exc) or first_line
            return self._budget_spent(line)
        except BaseException as exc:
            self.in_student = False
            kind = "memory" if isinstance(exc, MemoryError) else "raised"
            line = last_student_line(exc) or first_line
            detail = student_traceback(exc, self.locator, self.display_name)
            if isinstance(exc, SystemExit):  # ignored at module level
                code = safe_text(exc.code, 100)
                return _problem(kind, "", line, detail, key="system_exit", code=code)
            return _problem(kind, f"{type_name(exc)}: {safe_text(exc, 500)}", line, detail)
        return None

    def _undefined_names(self) -> list[dict[str, Any]]:
        notes = []
        for name in self.names:
            value = self.module.__dict__.get(name)
            if value is not None and not callable(value):
                said = {"name": name, "type": type_name(value)}
                notes.append(_problem("note", "", None, key="not_a_function", **said))
        return notes

    # --- exercises --------------------------------------------------------------------

    def serve(self) -> None:
        """Pass exercise requests on to the exercise process as they come; an abort for
        the exercise it is running kills it. The exercise process reports each exercise's
        end itself; this process speaks only when it ended otherwise.

        The first exercise process is forked at once when something was defined: its fork
        and baseline then overlap with the trusted side encoding and sending the calls."""
        if self.worker is None and any(callable(self.module.__dict__.get(n)) for n in self.names):
            self.worker = self._fork_worker()
        while True:
            worker = self.worker
            watched = [REQUEST_FD]
            if worker is not None:
                watched += [worker.pidfd] if worker.pidfd is not None else []
            writing = [worker.requests] if worker is not None and worker.outgoing else []
            timeout = None if worker is None or worker.pidfd is not None else 0.005
            ready, writable, _ = select.select(watched, writing, [], timeout)
            if writable and worker is not None:
                worker.flush()
            if REQUEST_FD in ready:
                received = receive_frame(REQUEST_FD, MAX_REQUEST)
                if received is None:  # the end: the exercise process is reaped here
                    if self.worker is not None:
                        self._clean_up(self.worker.pid)
                    return
                request, frame = received
                if request.get("t") == "run":
                    self._dispatch(request, frame)
                elif request.get("t") == "abort" and worker is not None:
                    self._abort(worker, request.get("r"))
            if worker is not None and worker is self.worker and worker.ended():
                self._ended(worker, aborted=None)

    def _dispatch(self, request: dict[str, Any], frame: bytes) -> None:
        """Give a request to the exercise process, as the frame it came in (encoding it
        again would cost ~0.1 ms per exercise)."""
        compile_functions(request)  # once here, inherited by this and later forks
        if self.worker is None:
            self.worker = self._fork_worker()
        self.worker.give(request, frame)

    def _abort(self, worker: _Worker, rid: Any) -> None:
        """Kill the exercise process if it is running request `rid`."""
        worker.read_reports()
        running = worker.running()
        if running is not None and running.get("r") == rid:
            self._ended(worker, aborted=rid)

    def _ended(self, worker: _Worker, aborted: Any) -> None:
        """The exercise process is gone, or is to go: kill what it left, say how the
        exercise it was running ended, and give the requests it had not started to a
        fresh fork."""
        self._clean_up(worker.pid)
        status = worker.reap()
        worker.read_reports()
        worker.close()
        self.worker = None
        running = worker.running()
        if running is not None:
            gone: dict[str, Any] = {"t": "gone", "r": running.get("r")}
            gone.update(aborted=aborted is not None, exit=None, signal=None)
            if status is not None and aborted is None:
                if os.WIFSIGNALED(status):
                    gone["signal"] = os.WTERMSIG(status)
                else:
                    gone["exit"] = os.waitstatus_to_exitcode(status)
            send(RESULT_FD, gone)
        for request, frame in worker.not_started():
            self._dispatch(request, frame)

    def _fork_worker(self) -> _Worker:
        request_r, request_w = os.pipe()
        done_r, done_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(request_w)
                os.close(done_r)
                if self.mode == "none":
                    os.setpgid(0, 0)
                if self.loaded_random is not None:
                    random.setstate(self.loaded_random)
                self._serve_exercises(request_r, done_w)
            finally:
                os._exit(0)
        os.close(request_r)
        os.close(done_w)
        return _Worker(pid, request_w, done_r)

    def _serve_exercises(self, requests: int, done: int) -> None:
        """The exercise process: run the exercises it is sent, in order, and after each
        one either restore its state and say that the exercise ended (to the session,
        then to the trusted side), or end (exercise.Baseline), or when the session is gone."""
        baseline = Baseline(self.module, self.limits.cpu_s) if self.share else None
        while True:
            request = receive(requests, MAX_REQUEST)
            if request is None:
                return
            compile_functions(request)
            Exercise(self, request).run()
            if baseline is None or not baseline.restore():
                return  # the session kills what is left, then says the exercise ended
            # nothing else is left that could write after this end: say it here
            send(done, {"t": "done", "r": request.get("r")})
            ended = {"t": "gone", "r": request.get("r"), "aborted": False}
            send(RESULT_FD, ended | {"exit": None, "signal": None})

    def _clean_up(self, pid: int) -> None:
        if self.mode == "none":
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            isolation.reap()
        else:
            isolation.kill_descendants()


class _Worker:
    """The session's handle on its exercise process: its pid and pidfd, the requests it
    was given, the pipe they go through and the one it says "done" on (student code
    can write into that one too: what it says only decides what is given again)."""

    def __init__(self, pid: int, requests: int, done: int) -> None:
        self.pid = pid
        self.requests = requests
        self.done: int | None = done
        # not reported done, in order, each with the frame it came in
        self.given: deque[tuple[dict[str, Any], bytes]] = deque()
        self.outgoing = bytearray()
        self.reader = FrameReader(1024)
        self.status: int | None = None
        try:
            self.pidfd: int | None = os.pidfd_open(pid)
        except OSError:  # out of descriptors: poll instead
            self.pidfd = None
        os.set_blocking(requests, False)
        os.set_blocking(done, False)

    def give(self, request: dict[str, Any], frame: bytes) -> None:
        self.given.append((request, frame))
        self.outgoing += frame
        self.flush()

    def flush(self) -> None:
        """Write what the pipe takes now; the rest when it is writable again."""
        try:
            while self.outgoing:
                del self.outgoing[: os.write(self.requests, self.outgoing)]
        except BlockingIOError:
            pass
        except OSError:  # it is gone: what it was given is given again
            self.outgoing.clear()

    def ended(self) -> bool:
        if self.status is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.status = status
        return self.status is not None

    def reap(self) -> int | None:
        """Its exit status (it was just killed, or ended on its own)."""
        if self.status is None:
            with contextlib.suppress(ChildProcessError):
                _, self.status = os.waitpid(self.pid, 0)
        return self.status

    def read_reports(self) -> None:
        """Drop the requests it says are done (reports come in request order)."""
        while self.done is not None:
            try:
                data = os.read(self.done, 4096)
                frames = self.reader.feed(data)
            except BlockingIOError:
                return
            except (OSError, ProtocolError):
                data, frames = b"", []
            if not data:
                os.close(self.done)
                self.done = None
            for frame in frames:
                if self.given and frame.get("r") == self.given[0][0].get("r"):
                    self.given.popleft()

    def running(self) -> dict[str, Any] | None:
        """The request whose end the trusted side has not been told: the one it died in,
        was aborted in, or left state after."""
        return self.given[0][0] if self.given else None

    def not_started(self) -> list[tuple[dict[str, Any], bytes]]:
        return list(self.given)[1:]

    def close(self) -> None:
        for fd in (self.done, self.pidfd, self.requests):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.done = self.pidfd = None


def _problem(
    kind: str, message: str, line: int | None, detail: str = "", key: str = "", **params: Any
) -> dict[str, Any]:
    """A load problem: what Python said (`message`), or what the grader says (a LOAD key of
    gdgrade.sandbox.reasons and its parameters)."""
    problem = {"kind": kind, "message": message, "line": line, "detail": detail}
    return problem | ({"key": key, "params": params} if key else {})


class ProgressSink(Protocol):
    """Where the child says which unit is running: shared memory here, frames elsewhere."""

    def set(self, index: int, line: int) -> None: ...


class _Progress:
    """Which unit is running, in memory the trusted side can read after a crash."""

    def __init__(self) -> None:
        try:
            self._map: mmap.mmap | None = mmap.mmap(PROGRESS_FD, PROGRESS.size)
        except (OSError, ValueError):
            self._map = None

    def set(self, index: int, line: int) -> None:
        if self._map is not None:
            PROGRESS.pack_into(self._map, 0, index, line)


class _IPythonStub:
    """What get_ipython() returns here: every method exists and does nothing."""

    def __getattr__(self, name: str) -> Callable[..., None]:
        return _nothing


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _ipython() -> _IPythonStub:
    return _IPythonStub()


def _display(*objects: Any, **kwargs: Any) -> None:
    print(*objects)
