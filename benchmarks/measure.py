"""Run one command and measure it from outside: wall time, CPU, peak memory of its whole
process tree (sampled from /proc), and the per-result timings a batch leaves in its
gradebook. Nothing here knows what is being measured."""

from __future__ import annotations

import itertools
import os
import sqlite3
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

# The benchmarks' own hidden-case seed (gdgrade has no built-in one); GDGRADE_SEED wins.
BENCHMARK_SEED = "6620931841047562213"

SAMPLE_S = 0.1


@dataclass
class Measured:
    command: list[str]
    returncode: int
    wall_s: float
    cpu_s: float  # user + system of the command and every descendant it waited for
    max_rss_mb: float  # the largest single process (getrusage of children)
    peak_tree_rss_mb: float  # the largest sum over the live tree, sampled
    peak_tree_pss_mb: float  # same, proportional set size (shared pages split)
    load_before: float
    load_after: float
    stdout: str = field(repr=False, default="")
    stderr: str = field(repr=False, default="")

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k not in ("stdout", "stderr")}
        data["command"] = " ".join(self.command)
        return data


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(tree.get(p, ()))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(rss, pss) in kB from smaps_rollup; (0, 0) for a process already gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss, pss


class TreeSampler(threading.Thread):
    """Peak summed memory of a process tree, sampled every SAMPLE_S seconds."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = self.peak_pss = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            rss = pss = 0
            for p in descendants(self.pid):
                r, s = _memory_kb(p)
                rss, pss = rss + r, pss + s
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.stopped.wait(SAMPLE_S)


def run_measured(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> Measured:
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out.append(process.stdout.read()), daemon=True),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err.append(process.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    sampler.stopped.set()
    sampler.join()
    for r in readers:
        r.join()
    return Measured(
        command=command,
        returncode=process.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,
        peak_tree_rss_mb=sampler.peak_rss / 1024,
        peak_tree_pss_mb=sampler.peak_pss / 1024,
        load_before=load_before,
        load_after=os.getloadavg()[0],
        stdout=b"".join(out).decode(errors="replace"),
        stderr=b"".join(err).decode(errors="replace"),
    )


def gradebook_timings(gradebook: Path) -> list[dict[str, Any]]:
    """Each current result: student, status, duration_s (grading in the worker, before
    rendering) and graded_at (when the coordinator stored it), oldest first."""
    with sqlite3.connect(gradebook) as db:
        rows = db.execute(
            "SELECT s.student, r.status, r.duration_s, r.graded_at, r.score, r.max_score "
            "FROM results r JOIN submissions s ON s.id = r.submission_id "
            "WHERE r.current = 1 ORDER BY r.graded_at, r.id"
        ).fetchall()
    return [
        {
            "student": student,
            "status": status,
            "duration_s": duration,
            "graded_at": datetime.fromisoformat(stamp).timestamp(),
            "score": score,
            "max_score": max_score,
        }
        for student, status, duration, stamp, score, max_score in rows
    ]


def intervals(timings: list[dict[str, Any]]) -> dict[str, float]:
    """With one worker: the time between two stored results is one submission's whole
    cost in the batch (dispatch, sandbox, judging, rendering, storing). The first result
    has no predecessor and is left out."""
    out = {}
    for before, after in itertools.pairwise(timings):
        out[after["student"]] = after["graded_at"] - before["graded_at"]
    return out


def summary_ms(values: list[float]) -> dict[str, float | None]:
    """median, p95, mean and max of values given in seconds, in milliseconds."""
    if not values:
        return {"n": 0, "median": None, "p95": None, "mean": None, "max": None}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(values),
        "median": round(1000 * statistics.median(ordered), 2),
        "p95": round(1000 * p95, 2),
        "mean": round(1000 * statistics.fmean(ordered), 2),
        "max": round(1000 * ordered[-1], 2),
    }
