"""Run grading tasks on N worker processes, each owning one Sandbox, and hand every result
to the caller as soon as it arrives.

This is the one interface between the batch and its workers (`Executor`): the coordinator
hands over tasks and a WorkerConfig and stores what comes back. What crosses to a worker
is plain data, a Job per submission with the file's content (worker.job_for reads it
here), so the workers could run elsewhere (another executor, e.g. on a cluster engine)
without a shared disk or process tree. The local process pool is the only one now.

Workers are forked by multiprocessing's fork server: a fresh interpreter this process
starts (`start_early`: on a first run as soon as the command line is read, else once
there is something to grade), which imports what a worker needs once (PRELOAD) while the
coordinator reads the class, and forks each worker ready to grade. Like a spawned
process, it holds nothing of the coordinator: no memory, no open file; each worker gets
the coordinator's environment and umask with its configuration, over its pipe. Its
socket lives in a private (0700) folder of this user, which the sandbox hides from
student code.

One worker per task at a time, each on its own pipe, so the coordinator always knows which
submission a worker holds: if a worker process dies (our bug, the OOM killer), that one
submission gets a grader-fault result, a new worker takes the dead one's place, and the
batch goes on. Student code never runs here or in the workers, only in sandbox children.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # imported by the workers, not here before they are needed
    from multiprocessing.context import ForkServerContext, SpawnContext

    from grader.batch.gradebook import Result
    from grader.batch.worker import Task, WorkerConfig

OnResult = Callable[["Task", "Result"], None]
STOP_GRACE_S = 5.0
MIN_TASKS_PER_WORKER = 4
# What a worker imports before its first job (grader.cli: the `gdgrade` script, which
# multiprocessing imports in each worker as its main module).
PRELOAD = ("grader.cli", "grader.batch.worker", "grader.grade", "grader.render", "grader.plots")


def _context() -> ForkServerContext | SpawnContext:
    """The fork server, started if it is not running, where the system has one; spawn
    where it has none (Windows) or the server cannot start (no temporary folder for its
    socket)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOAD))
        try:
            forkserver.ensure_running()
            return context
        except OSError:
            pass
    return multiprocessing.get_context("spawn")


def start_early() -> None:
    """Start the fork server now, so that its imports overlap the coordinator's own work
    (discovery, the gradebook, the case sets); optional, the pool starts it otherwise.
    A server started for a batch that turns out to have nothing to grade costs ~0.2 s
    of CPU: the batch command starts it this early only on a first run."""
    _context()


def stop_fork_server() -> None:
    """Stop the fork server and wait for it: else it would outlive us briefly, an orphan
    whose CPU time, and its workers', no `time` or rusage of this command would count.
    Killed, not asked: its workers are gone by now, and one still importing (a batch
    with nothing to grade) would otherwise finish its imports first."""
    forkserver = sys.modules.get("multiprocessing.forkserver")
    if forkserver is None:
        return
    server = forkserver._forkserver
    try:
        with server._lock:
            if server._forkserver_pid is not None:
                with contextlib.suppress(OSError):
                    os.kill(server._forkserver_pid, signal.SIGKILL)
                server._stop_unlocked()
    except AttributeError:  # another Python's internals: it stops when we exit
        pass


class Executor(Protocol):
    """Grades tasks somewhere and calls `on_result` here, once per task, as results come."""

    def prepare(self) -> None:
        """Called once there is work, before the configuration is ready: a chance to start
        workers early. Optional: `run` works without it."""

    def run(self, tasks: Iterable[Task], config: WorkerConfig, on_result: OnResult) -> None: ...


@dataclass(frozen=True)
class LocalExecutor:
    """`jobs` worker processes on this machine (forked by a fork server of their own:
    they share nothing with us)."""

    jobs: int

    def prepare(self) -> None:
        start_early()

    def run(self, tasks: Iterable[Task], config: WorkerConfig, on_result: OnResult) -> None:
        run_tasks(tasks, config, self.jobs, on_result)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: Task | None = None


def run_tasks(tasks: Iterable[Task], config: WorkerConfig, jobs: int, on_result: OnResult) -> None:
    """Grade every task; `on_result` runs in this process, one result at a time."""
    queue = deque(tasks)
    pool = _Pool(config)
    try:
        for _ in range(workers_for(jobs, len(queue))):
            pool.workers.append(pool.start())
        for index in range(len(pool.workers)):
            pool.dispatch(index, queue)
        while pool.busy():
            busy = [w for w in pool.workers if w.task is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for w in busy:
                if w.conn not in ready and w.process.sentinel not in ready:
                    continue
                index = pool.workers.index(w)
                task, result = _collect(w)
                if result is None:  # the worker died holding `task`: replace it
                    pool.replace(index)
                    result = _died(task, config)
                # the worker grades its next task while this result is stored, not after
                pool.dispatch(index, queue)
                on_result(task, result)
    finally:
        _stop_all(pool.workers)


def workers_for(jobs: int, tasks: int) -> int:
    """How many workers to start: up to `jobs`, but one per MIN_TASKS_PER_WORKER tasks at
    most, since each worker costs a zygote's start (~0.15 s of CPU) and a few files are
    graded as soon by one worker (measured: 4 files in the same wall either way, 8 files
    ~8% sooner with two)."""
    return min(jobs, tasks, max(1, tasks // MIN_TASKS_PER_WORKER))


class _Pool:
    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.context = _context()
        self.workers: list[_Worker] = []

    def start(self) -> _Worker:
        """A new worker; its configuration follows on the pipe (a large one in the
        process's arguments would hold us until the worker had read it)."""
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(child,), daemon=True)
        process.start()
        child.close()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # seen at dispatch
            parent.send(_Setup(dict(os.environ), _umask(), self.config))
        return _Worker(process, parent)

    def replace(self, index: int) -> _Worker:
        _stop(self.workers[index])
        self.workers[index] = self.start()
        return self.workers[index]

    def dispatch(self, index: int, queue: deque[Task]) -> None:
        """Send the next task; a worker that died while idle is replaced first."""
        task = queue.popleft() if queue else None
        w = self.workers[index]
        w.task = task
        if task is None:
            return
        from grader.batch.worker import job_for

        job = job_for(task)
        try:
            w.conn.send(job)
        except (BrokenPipeError, ConnectionResetError):
            w.task = None
            w = self.replace(index)
            w.task = task
            w.conn.send(job)

    def busy(self) -> bool:
        return any(w.task is not None for w in self.workers)


def _collect(w: _Worker) -> tuple[Task, Result | None]:
    task = w.task
    assert task is not None
    w.task = None
    if w.conn.poll():
        try:
            submission_id, result = w.conn.recv()
        except (EOFError, OSError):
            return task, None
        if submission_id == task.submission_id:
            return task, result
    return task, None


def _died(task: Task, config: WorkerConfig) -> Result:
    from grader.batch.gradebook import FAULT
    from grader.batch.worker import empty_result

    message = f"the grading worker process died while grading {task.path}"
    return empty_result(FAULT, message, config.assignment, 0.0)


def _stop(w: _Worker) -> None:
    _stop_all([w])


def _stop_all(workers: list[_Worker]) -> None:
    """Ask every worker to stop, then wait for them together (each closes its sandbox)."""
    for w in workers:
        with contextlib.suppress(BrokenPipeError, OSError):
            w.conn.send(None)
    for w in workers:
        w.process.join(STOP_GRACE_S if w.task is None else 0)
        if w.process.is_alive():
            w.process.kill()
            w.process.join()
        w.conn.close()


@dataclass(frozen=True)
class _Setup:
    """A worker's first message: what a spawned process would have inherited from the
    coordinator at its start, and its configuration."""

    environ: dict[str, str]
    umask: int
    config: WorkerConfig


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _worker_main(conn: Connection) -> None:
    """A worker process: take the coordinator's environment and umask, then grade."""
    from grader.batch import worker

    try:
        setup = conn.recv()
    except (EOFError, OSError):
        return
    if not isinstance(setup, _Setup):
        return
    os.environ.clear()
    os.environ.update(setup.environ)
    os.umask(setup.umask)
    worker.main(conn, setup.config)
