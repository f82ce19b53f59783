"""The limit: the same student functions called on the same cases in one plain process.

No sandbox, no fork, no comparison, no report: each submission is imported with importlib
and its functions are called on the case arguments the grader uses (rebuilt as the
sandbox child rebuilds them: test functions compiled from their numpy source, a fresh
generator per call, arrays copied). Grading cannot be faster than this. It runs student
code directly, so run it in a throwaway process (benchmarks.run does):

    python -m benchmarks.limit CLASS_DIR --out limit.json [--exercise ID ...]

The same walls as the grader apply (a timer per call and for the load, RLIMIT_AS), so a
hostile submission costs its limits here too.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import signal
import statistics
import sys
import time
import types
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from gdgrade.function_specs import FunctionSpec, build
from gdgrade.json_values import RngSpec
from gdgrade.sandbox import Limits
from gdgrade.submission import load_submission
from grader.assignment import Assignment, load_assignment
from grader.grade import case_set

from .measure import BENCHMARK_SEED


class Wall(BaseException):
    """Raised into student code when its time is up (like the grader's kill)."""


class _Discard:
    """Where printed output goes: nowhere, as cheaply as possible."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@cache
def built(source: str, n: int, output: Any) -> Callable[[Any], Any]:
    return build(source, n, output)


def fresh(args: tuple[Any, ...]) -> list[Any]:
    """Arguments as the sandbox child hands them to the student."""
    out: list[Any] = []
    for a in args:
        if isinstance(a, FunctionSpec):
            out.append(built(a.numpy_source(), a.n, a.output))
        elif isinstance(a, RngSpec):
            out.append(a.make())
        elif isinstance(a, np.ndarray):
            out.append(a.copy())
        else:
            out.append(a)
    return out


def _on_alarm(signum: int, frame: Any) -> None:
    raise Wall


def _timed(action: Callable[[], Any], wall_s: float) -> str:
    """Run `action` under a wall; its status as the grader would name it."""
    signal.setitimer(signal.ITIMER_REAL, wall_s)
    try:
        action()
        return "returned"
    except Wall:
        return "timeout"
    except MemoryError:
        return "memory"
    except BaseException:
        return "raised"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def import_submission(path: Path, source: str | None) -> types.ModuleType:
    """importlib's own loading for a .py file; a notebook's code (magics neutralised,
    converted before the clock starts) is executed into a module made by importlib."""
    name = f"submission_{abs(hash(path))}"
    if source is None:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        module_box[0] = module
        spec.loader.exec_module(module)
        return module
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module_box[0] = module
    exec(compile(source, str(path), "exec"), module.__dict__)
    return module


module_box: list[types.ModuleType | None] = [None]  # what got defined before a failure


def run_one(path: Path, calls: dict[str, list[tuple[Any, ...]]], limits: Limits) -> dict[str, Any]:
    source = load_submission(path).source if path.suffix == ".ipynb" else None
    statuses: dict[str, int] = {}
    started = time.perf_counter()
    module_box[0] = None
    load_status = _timed(lambda: import_submission(path, source), limits.load_wall_s)
    module = module_box[0]
    loaded = time.perf_counter()
    namespace = module.__dict__ if module is not None else {}
    n_calls = 0
    for name, cases in calls.items():
        function = namespace.get(name)
        if not callable(function):
            statuses["missing"] = statuses.get("missing", 0) + len(cases)
            continue
        for args in cases:
            if time.perf_counter() - started > limits.submission_wall_s:
                statuses["budget"] = statuses.get("budget", 0) + 1
                continue
            prepared = fresh(args)
            with np.errstate(all="ignore"):
                status = _timed(lambda f=function, a=prepared: f(*a), limits.call_wall_s)
            statuses[status] = statuses.get(status, 0) + 1
            n_calls += 1
    ended = time.perf_counter()
    return {
        "file": path.name,
        "student": path.stem,
        "load_status": load_status,
        "load_s": loaded - started,
        "calls_s": ended - loaded,
        "total_s": ended - started,
        "calls": n_calls,
        "statuses": statuses,
    }


def case_calls(assignment: Assignment) -> dict[str, list[tuple[Any, ...]]]:
    """The case arguments the grader sends, from its own (cached) case sets."""
    return {
        e: [x.case.args for x in case_set(e, assignment.seed, None, assignment.hidden)]
        for e in assignment.exercises
    }


def measure(files: list[Path], assignment: Assignment, limits: Limits) -> dict[str, Any]:
    calls = case_calls(assignment)
    for spec_args in calls.values():  # compile test functions before the clock, once
        for args in spec_args:
            fresh(args)
    signal.signal(signal.SIGALRM, _on_alarm)
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, resource.getrlimit(resource.RLIMIT_AS)[1]))
    sys.dont_write_bytecode = True
    real_stdout, real_stderr = sys.stdout, sys.stderr
    results = []
    wall_started = time.perf_counter()
    try:
        for path in files:
            sys.stdout = sys.stderr = _Discard()
            results.append(run_one(path, calls, limits))
    finally:
        sys.stdout, sys.stderr = real_stdout, real_stderr
    wall = time.perf_counter() - wall_started
    totals = [r["total_s"] for r in results]
    return {
        "submissions": len(results),
        "calls_per_submission": sum(len(c) for c in calls.values()),
        "wall_s": wall,
        "median_ms": 1000 * statistics.median(totals) if totals else None,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "per_submission": results,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--exercise", action="append")
    parser.add_argument("--call-timeout", type=float)
    parser.add_argument("--submission-timeout", type=float)
    args = parser.parse_args(argv)
    os.environ.setdefault("GDGRADE_SEED", BENCHMARK_SEED)
    assignment = load_assignment(None)
    if args.exercise:
        assignment = assignment.only(tuple(args.exercise))
    limits = Limits()
    if args.call_timeout:
        limits = Limits(**{**limits.to_json(), "call_wall_s": args.call_timeout})
    if args.submission_timeout:
        limits = Limits(**{**limits.to_json(), "submission_wall_s": args.submission_timeout})
    files = sorted(p for p in args.directory.iterdir() if p.suffix in (".py", ".ipynb"))
    result = measure(files, assignment, limits)
    result["load_average"] = os.getloadavg()[0]
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
