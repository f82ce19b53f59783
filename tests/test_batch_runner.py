"""The worker pool: every task answered exactly once, whatever happens to a worker."""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path

from gdgrade.sandbox import Limits
from grader.assignment import Assignment
from grader.batch.runner import _collect, _Pool, _stop, run_tasks
from grader.batch.worker import Task, WorkerConfig

ROOT = Path(__file__).resolve().parent.parent
CONFIG = WorkerConfig(
    Assignment(seed=20_480_123_456_789).only(("gradient_step",)),
    Limits(call_wall_s=1.0, submission_wall_s=5.0),
    "text",
)


def tasks(tmp_path: Path, n: int) -> list[Task]:
    source = (ROOT / "tests" / "submissions" / "correct" / "loops.py").read_text()
    found = []
    for i in range(n):
        path = tmp_path / f"s{i}.py"
        path.write_text(source)
        found.append(Task(i, str(path), f"s{i}"))
    return found


def test_every_task_gets_exactly_one_result(tmp_path: Path) -> None:
    seen: list[tuple[int, str, float]] = []
    run_tasks(
        tasks(tmp_path, 5),
        CONFIG,
        2,
        lambda t, r: seen.append((t.submission_id, r.status, r.score)),
    )
    assert sorted(seen) == [(i, "graded", 5.0) for i in range(5)]


def test_a_worker_that_died_while_idle_is_replaced_before_its_next_task(tmp_path: Path) -> None:
    pool = _Pool(CONFIG)
    pool.workers.append(pool.start())
    try:
        dead = pool.workers[0].process
        os.kill(dead.pid, signal.SIGKILL)
        dead.join(10)
        (task,) = tasks(tmp_path, 1)
        pool.dispatch(0, deque([task]))
        w = pool.workers[0]
        assert w.process is not dead and w.task == task
        wait([w.conn], timeout=60)
        answered, result = _collect(w)
        assert answered == task and result is not None and result.status == "graded"
    finally:
        for w in pool.workers:
            _stop(w)


def test_stopping_the_pool_leaves_no_worker_behind(tmp_path: Path) -> None:
    pool = _Pool(CONFIG)
    pool.workers.append(pool.start())
    process = pool.workers[0].process
    _stop(pool.workers[0])
    deadline = time.monotonic() + 10
    while process.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not process.is_alive()
