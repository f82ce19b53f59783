"""Run grading tasks on N worker processes, each owning one Sandbox, and hand every result
to the caller as soon as it arrives.

This is the one interface between the batch and its workers (`Executor`): the coordinator
hands over tasks and a WorkerConfig and stores what comes back. What crosses to a worker
is plain data, a Job per submission with the file's content (worker.job_for reads it
here), so the workers could run elsewhere (another executor, e.g. on a cluster engine)
without a shared disk or process tree. The local process pool is the only one now.

One worker per task at a time, each on its own pipe, so the coordinator always knows which
submission a worker holds: if a worker process dies (our bug, the OOM killer), that one
submission gets a grader-fault result, a new worker takes the dead one's place, and the
batch goes on. Student code never runs here or in the workers, only in sandbox children.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Protocol

from grader.batch import worker
from grader.batch.gradebook import FAULT, Result
from grader.batch.worker import Task, WorkerConfig, job_for

OnResult = Callable[[Task, Result], None]
STOP_GRACE_S = 5.0


class Executor(Protocol):
    """Grades tasks somewhere and calls `on_result` here, once per task, as results come."""

    def run(self, tasks: Iterable[Task], config: WorkerConfig, on_result: OnResult) -> None: ...


@dataclass(frozen=True)
class LocalExecutor:
    """`jobs` worker processes on this machine (spawned: they share nothing with us)."""

    jobs: int

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
        for _ in range(min(jobs, len(queue))):
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
        for w in pool.workers:
            _stop(w)


class _Pool:
    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.context = multiprocessing.get_context("spawn")  # no shared state or fds
        self.workers: list[_Worker] = []

    def start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=worker.main, args=(child, self.config), daemon=True)
        process.start()
        child.close()
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
    message = f"the grading worker process died while grading {task.path}"
    return worker.empty_result(FAULT, message, config.assignment, 0.0)


def _stop(w: _Worker) -> None:
    with contextlib.suppress(BrokenPipeError, OSError):
        w.conn.send(None)
    w.process.join(STOP_GRACE_S if w.task is None else 0)
    if w.process.is_alive():
        w.process.kill()
        w.process.join()
    w.conn.close()
