"""What a run pays besides its work, for one or more builds side by side:

    python -m benchmarks.startup --build before=OLD_VENV/bin/gdgrade --build after=gdgrade \\
        [-n 30] [--repeat 7] [--results FILE]

Every measurement runs each build in turn, interleaved, `--repeat` times; medians of wall
and CPU (user + system of the whole process tree, the fork server and sandboxes included):

- `cli_ms`: the build's interpreter importing the command line and building the batch
  command's parser (what runs before argparse), timed inside the process;
- `grade`: `gdgrade grade` of one full submission, warm case cache;
- `batch`: `gdgrade batch` of N two-function files (the peers' programs, as .py), a fresh
  OUT each time, split into start (command start to the first stored result), results
  (first to last) and end (last result to exit); and the same on two files with
  `--jobs 2`, where nearly everything is fixed cost;
- `rerun`: the batch again on the same OUT, nothing left to grade.

Each build keeps its own case cache, warmed first (a build's cache key is its own code).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import machine
from .measure import BENCHMARK_SEED, gradebook_timings, run_measured
from .peers.nbgrader_compare import EXERCISES, build_python, student_programs

SUBMISSION = Path(__file__).resolve().parent.parent / "tests" / "submissions" / "correct"
ONLY = [w for e in EXERCISES for w in ("--exercise", e)]
CLI_PROBE = (
    "import time; t = time.perf_counter(); import grader.cli; "
    "grader.cli.build_parser('batch'); print(1000 * (time.perf_counter() - t))"
)


def write_class(folder: Path, n: int, seed: int) -> Path:
    folder.mkdir(parents=True)
    for student, program in student_programs(n, seed):
        (folder / f"{student}.py").write_text(program, encoding="utf-8")
    return folder


def environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(GDGRADE_CACHE_DIR=str(cache), OPENBLAS_NUM_THREADS="1")
    env.setdefault("GDGRADE_SEED", BENCHMARK_SEED)
    return env


def batch(gdgrade: str, folder: Path, out: Path, env: dict[str, str], *extra: str) -> Any:
    command = [gdgrade, "batch", str(folder), "--out", str(out), "--progress", "lines"]
    return run_measured([*command, *ONLY, *extra], env)


def phases(gdgrade: str, folder: Path, out: Path, env: dict[str, str], *extra: str) -> Any:
    """(wall, cpu, start, results, end) of a batch into a fresh OUT."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.time()
    m = batch(gdgrade, folder, out, env, *extra)
    if m.returncode != 0:
        raise RuntimeError(f"{gdgrade} batch failed ({m.returncode}): {m.stderr[-2000:]}")
    stamps = [t["graded_at"] for t in gradebook_timings(out / "gradebook.sqlite")]
    return (
        m.wall_s,
        m.cpu_s,
        stamps[0] - started,
        stamps[-1] - stamps[0],
        started + m.wall_s - stamps[-1],
    )


def measure(builds: dict[str, str], n: int, repeat: int, seed: int, work: Path) -> dict[str, Any]:
    folder = write_class(work / f"class{n}", n, seed)
    pair = write_class(work / "class2", 2, seed + 1)
    envs = {name: environment(work / f"cache-{name}") for name in builds}
    file = str(SUBMISSION / "loops.py")
    for name, gdgrade in builds.items():  # warm: case cache, bytecode, compiled templates
        subprocess.run([gdgrade, "grade", file], env=envs[name], capture_output=True, check=True)
        phases(gdgrade, folder, work / f"out-{name}", envs[name])
    runs: dict[str, dict[str, list[Any]]] = {name: {} for name in builds}
    for _ in range(repeat):
        for name, gdgrade in builds.items():
            env, add = envs[name], runs[name].setdefault
            probe = subprocess.run(
                [build_python(gdgrade), "-c", CLI_PROBE],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                cwd=work,
            )
            add("cli_ms", []).append(float(probe.stdout))
            m = run_measured([gdgrade, "grade", file], env)
            add("grade", []).append((m.wall_s, m.cpu_s))
            add("batch", []).append(phases(gdgrade, folder, work / f"out-{name}", env))
            m = batch(gdgrade, folder, work / f"out-{name}", env)
            add("rerun", []).append((m.wall_s, m.cpu_s))
            add("two", []).append(phases(gdgrade, pair, work / f"pair-{name}", env, "--jobs", "2"))
    return {name: summary(r) for name, r in runs.items()}


def summary(runs: dict[str, list[Any]]) -> dict[str, Any]:
    def med(values: list[Any], i: int) -> float:
        return round(statistics.median(v[i] for v in values), 3)

    out: dict[str, Any] = {"cli_ms": round(statistics.median(runs["cli_ms"]), 1)}
    for key in ("grade", "rerun"):
        out[key] = {"wall_s": med(runs[key], 0), "cpu_s": med(runs[key], 1)}
    for key in ("batch", "two"):
        out[key] = {
            "wall_s": med(runs[key], 0),
            "cpu_s": med(runs[key], 1),
            "start_s": med(runs[key], 2),
            "results_s": med(runs[key], 3),
            "end_s": med(runs[key], 4),
            "walls_s": [round(v[0], 2) for v in runs[key]],
        }
    return out


def table(result: dict[str, Any], n: int) -> str:
    builds = result["builds"]
    rows = [
        ("CLI: import + batch parser (ms)", lambda b: b["cli_ms"]),
        (
            "`gdgrade grade`, warm: wall / CPU (s)",
            lambda b: f"{b['grade']['wall_s']} / {b['grade']['cpu_s']}",
        ),
        (
            f"`gdgrade batch`, {n} files: wall / CPU (s)",
            lambda b: f"{b['batch']['wall_s']} / {b['batch']['cpu_s']}",
        ),
        (
            "  start / results / end (s)",
            lambda b: "{start_s} / {results_s} / {end_s}".format(**b["batch"]),
        ),
        (
            "`gdgrade batch`, 2 files, --jobs 2: wall / CPU (s)",
            lambda b: f"{b['two']['wall_s']} / {b['two']['cpu_s']}",
        ),
        (
            "re-run, nothing to grade: wall / CPU (s)",
            lambda b: f"{b['rerun']['wall_s']} / {b['rerun']['cpu_s']}",
        ),
    ]
    head = "| what | " + " | ".join(builds) + " |\n|---|" + "---|" * len(builds) + "\n"
    return head + "\n".join(
        f"| {label} | " + " | ".join(str(get(b)) for b in builds.values()) + " |"
        for label, get in rows
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="append", required=True, help="NAME=GDGRADE_COMMAND")
    parser.add_argument("-n", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--results", type=Path, help="also write the JSON result here")
    args = parser.parse_args(argv)
    builds = dict(b.split("=", 1) for b in args.build)
    work = Path(tempfile.mkdtemp(prefix="gdgrade-startup-"))
    try:
        load_before = os.getloadavg()[0]
        started = time.strftime("%Y-%m-%d %H:%M:%S %z")
        measured = measure(builds, args.n, args.repeat, args.seed, work)
        result = {
            "machine": machine.describe(),
            "started": started,
            "load_before": round(load_before, 2),
            "load_after": round(os.getloadavg()[0], 2),
            "repeat": args.repeat,
            "n": args.n,
            "builds": measured,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.results:
        args.results.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(table(result, args.n))
    print(f"load {result['load_before']} -> {result['load_after']}", file=sys.stderr)


if __name__ == "__main__":
    main()
