"""The worker pool: every task answered exactly once, whatever happens to a worker."""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from dataclasses import replace
from multiprocessing.connection import wait
from pathlib import Path

import pytest

from gdgrade.i18n import text
from gdgrade.sandbox import Limits
from gdgrade.submission import SubmissionError, load_submission
from grader.assignment import Assignment
from grader.batch.runner import _collect, _Pool, _stop, run_tasks, workers_for
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


def said_by_batch(files: list[Task], config: WorkerConfig) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    run_tasks(files, config, 1, lambda t, r: found.update({t.path: (r.status, r.error)}))
    return found


def test_a_file_the_coordinator_cannot_read_is_refused_in_the_reports_language(
    tmp_path: Path,
) -> None:
    """The coordinator reads each file; why one cannot be read crosses to the worker as a
    catalogue key, so the report says what grading the file alone says, in the
    assignment's language (an empty file; a named pipe, whose reason is nested)."""
    empty, pipe = tmp_path / "empty.py", tmp_path / "pipe.py"
    empty.write_text("   \n")
    os.mkfifo(pipe)
    files = [Task(i, str(path), f"s{i}") for i, path in enumerate((empty, pipe))]
    for lang in ("ko", "en"):
        config = replace(CONFIG, assignment=replace(CONFIG.assignment, lang=lang))
        found = said_by_batch(files, config)
        for task in files:
            with pytest.raises(SubmissionError) as alone:
                load_submission(task.path)
            assert found[task.path] == ("unreadable", alone.value.said(lang))
        assert text(lang, "files", "fifo") in found[str(pipe)][1]


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


def test_a_class_of_a_few_files_gets_one_worker_and_a_larger_one_all_jobs() -> None:
    """Each worker starts its own sandbox; a second one for three files would cost more
    than it saves."""
    assert [workers_for(2, n) for n in (0, 1, 3, 4, 7, 8, 30)] == [0, 1, 1, 1, 1, 2, 2]
    assert workers_for(8, 9) == 2 and workers_for(8, 100) == 8 and workers_for(1, 100) == 1
