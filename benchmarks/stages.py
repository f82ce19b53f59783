"""Where the time of one submission goes, measured in one process (no workers):

    python -m benchmarks.stages CLASS_DIR --out stages.json [--profile profile.txt]

Stages, each timed around the grader's own functions (wrapped here, never edited):
case sets (cold: computed; warm: read from the disk cache; in memory), zygote start,
reading the file, the sandbox run (split into the student's own time as the child
reports it and the rest: forks, isolation, the protocol), judging (judge, diagnose,
score), the stored JSON report, and feedback rendering as text and as HTML.
With --profile, the same loop runs again under cProfile and the top functions are kept.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import importlib
import io
import json
import os
import pstats
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from gdgrade.report_json import to_json
from gdgrade.sandbox import Sandbox
from grader import grade as grade_module
from grader.assignment import Assignment, load_assignment
from grader.case_cache import CACHE_ENV

from .measure import BENCHMARK_SEED, summary_ms

Timings = dict[str, list[float]]


CPU = "cpu:"  # timings under CPU + name: this process's CPU time in the stage


def _timed(timings: Timings, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            timings[name].append(time.perf_counter() - started)
            timings[CPU + name].append(time.process_time() - cpu)

    return wrapper


def _zygote_children_cpu_s(sandbox: Sandbox) -> float | None:
    """CPU of the processes the zygote started and reaped (submission processes and
    their exercise forks), from /proc: the zygote's own start-up is not in it."""
    try:
        pid = sandbox._zygote.process.pid  # a benchmark may look inside
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cutime, cstime = int(fields[13]), int(fields[14])  # stat fields 16 and 17
    except (AttributeError, OSError, IndexError, ValueError):
        return None
    return (cutime + cstime) / os.sysconf("SC_CLK_TCK")


def case_set_costs(assignment: Assignment) -> dict[str, Any]:
    """Seconds per exercise to get a case set: computed (empty cache; wall, and CPU, which
    a shared machine's load moves less), read from the disk cache, and from memory (the
    lru_cache a batch worker keeps)."""
    out: dict[str, Any] = {
        "cold_s": {},
        "cold_cpu_s": {},
        "warm_disk_s": {},
        "memory_s": {},
        "cases": {},
    }
    saved = os.environ.get(CACHE_ENV)
    scratch = tempfile.mkdtemp(prefix="gdgrade-bench-cache-")
    try:
        os.environ[CACHE_ENV] = scratch
        for e in assignment.exercises:
            for key, clear in (("cold_s", True), ("warm_disk_s", True), ("memory_s", False)):
                if clear:
                    grade_module.case_set.cache_clear()
                started, used = time.perf_counter(), time.process_time()
                items = grade_module.case_set(e, assignment.seed, None, assignment.hidden)
                out[key][e] = time.perf_counter() - started
                if key == "cold_s":
                    out["cold_cpu_s"][e] = time.process_time() - used
            out["cases"][e] = len(items)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if saved is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = saved
        grade_module.case_set.cache_clear()
    for key in ("cold_s", "cold_cpu_s", "warm_disk_s", "memory_s"):
        out[key]["total"] = sum(out[key].values())
    return out


def _stage_functions() -> list[tuple[ModuleType, str]]:
    """(module, name) of each stage function, in the namespace it is called from: the
    judging stages moved from grader.grade to gdgrade.exercise_grading; a stage found in neither is
    left out (and missing from the report) rather than guessed."""
    namespaces = [grade_module]
    with contextlib.suppress(ImportError):
        namespaces.insert(0, importlib.import_module("gdgrade.exercise_grading"))
    found = [(grade_module, "load_submission"), (grade_module, "grade_exercise")]
    for name in ("judge", "diagnose", "score_exercise"):
        module = next((m for m in namespaces if hasattr(m, name)), None)
        if module is not None:
            found.append((module, name))
    return found


def grade_all(files: list[Path], assignment: Assignment, timings: Timings) -> None:
    """The worker's work for each file, with every stage timed."""
    from grader.batch import worker
    from grader.render import FORMATS

    originals = {(module, name): getattr(module, name) for module, name in _stage_functions()}
    for (module, name), function in originals.items():
        setattr(module, name, _timed(timings, name, function))
    try:
        started = time.perf_counter()
        sandbox = Sandbox()
        sandbox.mode  # noqa: B018  (waits for the zygote's ready frame)
        timings["zygote_start"].append(time.perf_counter() - started)
        run = sandbox.run
        runs: list[Any] = []

        def timed_run(*args: Any) -> Any:
            result = _timed(timings, "sandbox_run", run)(*args)
            runs.append(result)
            return result

        sandbox.run = timed_run  # type: ignore[method-assign]
        with sandbox:
            for path in files:
                started = time.perf_counter()
                report = grade_module.grade_path(path, assignment, sandbox)
                timings["grade_submission"].append(time.perf_counter() - started)
                student = runs[-1].load.duration_s + sum(
                    o.duration_s for outcomes in runs[-1].outcomes.values() for o in outcomes
                )
                timings["student_code_in_child"].append(student)
                timings["sandbox_overhead"].append(timings["sandbox_run"][-1] - student)
                _timed(timings, "report_json", to_json)(report, assignment.lang)
                for fmt in ("text", "html"):
                    render = FORMATS[fmt]
                    _timed(timings, f"render_{fmt}", render)(report, assignment.lang, color=False)
                config = worker.WorkerConfig(assignment, sandbox.limits, "html")
                _timed(timings, "stored_result_html", worker.result_of)(
                    report, config, FORMATS["html"]
                )
            time.sleep(0.2)  # the zygote reaps the last submission process on SIGCHLD
            children = _zygote_children_cpu_s(sandbox)
            if children is not None:
                timings[CPU + "sandbox_processes"].append(children)
    finally:
        for (module, name), function in originals.items():
            setattr(module, name, function)


def profile(files: list[Path], assignment: Assignment, top: int = 40) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    grade_all(files, assignment, defaultdict(list))
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--profile", type=Path, help="also write a cProfile listing here")
    parser.add_argument("--skip-cold", action="store_true", help="no cold case-set timing")
    args = parser.parse_args(argv)
    os.environ.setdefault("GDGRADE_SEED", BENCHMARK_SEED)
    assignment = load_assignment(None)
    files = sorted(p for p in args.directory.iterdir() if p.suffix in (".py", ".ipynb"))
    result: dict[str, Any] = {"submissions": len(files), "load_average": os.getloadavg()[0]}
    if not args.skip_cold:
        result["case_sets"] = case_set_costs(assignment)
    for e in assignment.exercises:  # warm the memory cache as a batch worker has it
        grade_module.case_set(e, assignment.seed, None, assignment.hidden)
    timings: Timings = defaultdict(list)
    grade_all(files, assignment, timings)
    per_submission = len(files) or 1
    wall = {name: values for name, values in timings.items() if not name.startswith(CPU)}
    result["stages_ms"] = {name: summary_ms(values) for name, values in wall.items()}
    once = {"zygote_start"}  # paid once per Sandbox, not per file
    result["stage_ms_per_submission"] = {
        name: round(1000 * sum(values) / per_submission, 2)
        for name, values in wall.items()
        if name not in once
    }
    # CPU rather than wall: steadier on a shared machine. This process's CPU per stage,
    # and (sandbox_processes) that of every submission process and its forks.
    result["cpu_ms_per_submission"] = {
        name.removeprefix(CPU): round(1000 * sum(values) / per_submission, 2)
        for name, values in timings.items()
        if name.startswith(CPU) and name.removeprefix(CPU) not in once
    }
    result["stage_ms_once"] = {name: round(1000 * sum(timings[name]), 2) for name in once}
    if args.profile:
        args.profile.write_text(profile(files, assignment), encoding="utf-8")
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
