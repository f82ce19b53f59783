"""The portable runner's child: the sandbox child's code, in a plain interpreter.

Started by `portable.py` as `python -I` on any operating system. Its stdin and stdout
carry the sandbox's frames (protocol.py): they are moved to the descriptors the sandbox
child uses for them (3 and 4), so `child.Session` and `exercise.Exercise` run unchanged:
the same unit splitting, load budget, captures, encoding and messages. What differs:

- one process loads the submission and runs one exercise, in itself (no fork): the
  trusted side starts a fresh one, loaded the same way, for the next exercise;
- progress (which unit is running) travels as frames on the result channel;
- where there is no SIGALRM (Windows), the load budget's alarm is a timer thread that
  interrupts the main thread;
- a guard rail, not a boundary: an audit hook refuses to start processes, signal other
  ones or call C functions through ctypes, and on POSIX the sandbox's rlimits are
  applied where the system allows them.

It isolates nothing: on the student's own computer the code checked is their own. It
keeps a hang, a crash or a flood of output from reaching the notebook or the terminal.
"""

from __future__ import annotations

import _thread
import contextlib
import os
import signal
import sys
import threading
from typing import Any, NoReturn

from gdgrade.sandbox.child import MAX_REQUEST, Session
from gdgrade.sandbox.exercise import Exercise
from gdgrade.sandbox.limits import Limits
from gdgrade.sandbox.protocol import REQUEST_FD, RESULT_FD, receive, send

ALARM_REPEAT_S = 0.05  # as the sandbox's interval timer: again, until the code yields
# Audit events that start a process or signal another one (sys.addaudithook, PEP 578),
# and ctypes' way to any C function (ptrace(PTRACE_ATTACH) would stop the checker).
REFUSED_EVENTS = frozenset(
    {
        "ctypes.dlopen",
        "ctypes.dlsym",
        "ctypes.dlsym/handle",
        "ctypes.call_function",
        "os.fork",
        "os.forkpty",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.startfile",
        "os.system",
        "subprocess.Popen",
        "pty.spawn",
    }
)
SIGNAL_EVENTS = frozenset({"os.kill", "os.killpg", "signal.pthread_kill"})


def main() -> NoReturn:
    """Entry point (see portable.bootstrap_code): serve one load and one exercise."""
    try:
        _arrange_fds()
        send(RESULT_FD, {"t": "ready", "pid": os.getpid()})
        request = receive(REQUEST_FD, MAX_REQUEST)
        if request is None or request.get("t") != "load":
            os._exit(0)
        _set_limits(Limits.from_json(request["limits"]))
        sys.meta_path.insert(0, _HideOwnPackages())
        sys.addaudithook(_refuse)
        session = PortableSession(request, "portable")
        quiet = bool(request.get("quiet"))
        with _silenced(quiet):
            loaded = session.load()
        send(RESULT_FD, loaded)
        session.serve()
    finally:
        os._exit(0)


def _arrange_fds() -> None:
    """Frames on 3 (requests) and 4 (results); stdin empty; raw output (fd 1 and 2) on
    the error pipe, which the trusted side reads up to a cap."""
    os.dup2(0, REQUEST_FD)
    os.dup2(1, RESULT_FD)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _silenced(quiet: bool):  # type: ignore[no-untyped-def]
    """A reload (for a later exercise) runs module-level code again: its raw output was
    already shown by the first load, so it goes nowhere this time."""
    if not quiet:
        yield
        return
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    try:
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved:
            os.close(fd)


def _set_limits(limits: Limits) -> None:
    """The sandbox's rlimits (not the process count), each where the system accepts it:
    on Linux a memory bomb ends as MemoryError instead of swapping the student's laptop.
    Windows has none of them: there only the time limits hold."""
    try:
        import resource
    except ImportError:  # Windows: the time limits still hold
        return
    memory = limits.memory_mb * 1024 * 1024
    cpu = max(1, int(limits.cpu_s + 0.999))
    wanted = [
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_CPU, cpu),
        (resource.RLIMIT_FSIZE, limits.file_size_mb * 1024 * 1024),
        (resource.RLIMIT_NOFILE, limits.open_files),
    ]
    if sys.platform.startswith("linux"):  # macOS reserves far more address space than it uses
        wanted.append((resource.RLIMIT_AS, memory))
    for which, value in wanted:
        with contextlib.suppress(ValueError, OSError):
            _, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, hard))


def _refuse(event: str, args: tuple[Any, ...]) -> None:
    """Refuse starting processes, calling C through ctypes, and signalling any process
    but this one."""
    if event in REFUSED_EVENTS:
        raise PermissionError(f"{event} is not available during the check")
    if event in SIGNAL_EVENTS and not (event == "os.kill" and args and args[0] == os.getpid()):
        raise PermissionError(f"{event} is not available during the check")


class _HideOwnPackages:
    """The sandbox hides the grader's files from student code; here they sit beside
    numpy, so what this process has not imported yet cannot be imported from now on
    (the same ModuleNotFoundError as in the sandbox; a notebook's `from gdgrade import
    check` takes its fallback in both)."""

    OWN = frozenset({"grader", "gdgrade", "reference", "exercises", "templates"})

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] in self.OWN and name not in sys.modules:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


class PortableSession(Session):
    """child.Session without fork: the exercise runs in this process, then it ends."""

    def __init__(self, request: dict[str, Any], mode: str) -> None:
        super().__init__(request, mode)
        self.progress = _FrameProgress()
        self._timer: _AlarmThread | None = None

    def _alarm(self, seconds: float) -> None:
        if hasattr(signal, "setitimer"):
            super()._alarm(seconds)
            return
        if self._timer is not None:
            self._timer.stop.set()
            self._timer = None
        if seconds:
            signal.signal(signal.SIGINT, self._on_alarm)
            self._timer = _AlarmThread(seconds)
            self._timer.start()
        else:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    def serve(self) -> None:
        """One exercise: its calls, one result frame each (exercise.py), then exit."""
        request = receive(REQUEST_FD, MAX_REQUEST)
        if request is None or request.get("t") != "run":
            return
        Exercise(self, request).run()
        send(RESULT_FD, {"t": "gone", "r": request.get("r"), "exit": 0, "signal": None})


class _FrameProgress:
    """Which unit is running, as a frame: after a hang or a crash the trusted side knows
    which unit to skip when it loads the submission again (as the sandbox does)."""

    def set(self, index: int, line: int) -> None:
        send(RESULT_FD, {"t": "at", "index": index, "line": line})


class _AlarmThread(threading.Thread):
    """SIGALRM's stand-in: interrupts the main thread after `first` seconds, then every
    50 ms, until stopped (interrupt_main calls the SIGINT handler, `_on_alarm`)."""

    def __init__(self, first: float) -> None:
        super().__init__(daemon=True)
        self.first = first
        self.stop = threading.Event()

    def run(self) -> None:
        if self.stop.wait(self.first):
            return
        while not self.stop.is_set():
            _thread.interrupt_main(signal.SIGINT)
            self.stop.wait(ALARM_REPEAT_S)
