"""Run grading tasks on N worker processes, each owning one Sandbox, and hand every result
to the caller as soon as it arrives.

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

from . import worker
from .gradebook import FAULT, Result
from .worker import Task, WorkerConfig

OnResult = Callable[[Task, Result], None]
STOP_GRACE_S = 5.0


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: Task | None = None


def run_tasks(tasks: Iterable[Task], config: WorkerConfig, jobs: int, on_result: OnResult) -> None:
    """Grade every task; `on_result` runs in this process, one result at a time."""
    queue = deque(tasks)
    context = multiprocessing.get_context("spawn")  # workers share no state or fds with us
    workers: list[_Worker] = []
    try:
        for _ in range(min(jobs, len(queue))):
            workers.append(_start(context, config))
        for w in workers:
            _assign(w, queue)
        while any(w.task is not None for w in workers):
            busy = [w for w in workers if w.task is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for w in busy:
                if w.conn not in ready and w.process.sentinel not in ready:
                    continue
                task, result = _collect(w, config)
                if result is None:  # the worker died holding `task`: replace it
                    _stop(w)
                    index = workers.index(w)
                    workers[index] = w = _start(context, config)
                    result = _died(task, config)
                on_result(task, result)
                _assign(w, queue)
    finally:
        for w in workers:
            _stop(w)


def _start(context: multiprocessing.context.BaseContext, config: WorkerConfig) -> _Worker:
    parent, child = context.Pipe()
    process = context.Process(target=worker.main, args=(child, config), daemon=True)
    process.start()
    child.close()
    return _Worker(process, parent)


def _assign(w: _Worker, queue: deque[Task]) -> None:
    w.task = queue.popleft() if queue else None
    if w.task is not None:
        w.conn.send(w.task)


def _collect(w: _Worker, config: WorkerConfig) -> tuple[Task, Result | None]:
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
