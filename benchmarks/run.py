"""One command for the whole benchmark; see benchmarks/README.md.

    python -m benchmarks.run --quick          # ~3 min: N=20, the harness end to end
    python -m benchmarks.run                  # full: N=100 and 1,000, --jobs 1/2/4, ...
    python -m benchmarks.run --sizes 100,1000,5000

Everything runs side by side on the same generated class, with the load average taken
with each measurement. Results go to benchmarks/results/latest.json (--results to change);
generated classes, gradebooks and caches go to --work (default: a temp folder).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from . import generate, machine
from .measure import BENCHMARK_SEED, gradebook_timings, intervals, run_measured, summary_ms

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "latest.json"
NO_HOSTILE = {"correct": 0.63, "mistake": 0.32, "notebook": 0.05, "hostile": 0.0}
HOSTILE_ONLY = {"correct": 0.0, "mistake": 0.0, "notebook": 0.0, "hostile": 1.0}
# Hostile submissions are run with short walls so the run stays short; the limit harness
# gets the same walls, so "costs only its own limits" is checked all the same.
HOSTILE_WALLS = ["--call-timeout", "1", "--submission-timeout", "20"]


def environment(cache: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["GDGRADE_CACHE_DIR"] = str(cache)
    env.setdefault("GDGRADE_SEED", BENCHMARK_SEED)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.pop("GDGRADE_SEED", None)
    env.update(extra or {})
    return env


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}] {message}", flush=True)


def make_class(work: Path, name: str, n: int, seed: int, shares: dict[str, float]) -> Path:
    folder = work / name
    if folder.exists():
        shutil.rmtree(folder)
    items = generate.write_class(folder, n, seed, shares)
    (work / f"{name}.manifest.json").write_text(
        json.dumps(generate.manifest(items), indent=1), encoding="utf-8"
    )
    return folder


def kinds(work: Path, name: str) -> dict[str, str]:
    data = json.loads((work / f"{name}.manifest.json").read_text(encoding="utf-8"))
    return {item["student"]: item["kind"] for item in data}


def warm_cache(cache: Path, exercises: list[str] | None = None) -> dict[str, Any]:
    """Compute every case set once (what the first run of a term pays)."""
    code = (
        "import sys; from grader.grade import case_set; from grader.assignment import "
        "load_assignment; a = load_assignment(None); ex = sys.argv[1:] or a.exercises; "
        "[case_set(e, a.seed, None, a.hidden) for e in ex]"
    )
    m = run_measured([sys.executable, "-c", code, *(exercises or [])], environment(cache))
    return m.to_json()


def limit(work: Path, folder: Path, cache: Path, extra: list[str] | None = None) -> dict[str, Any]:
    out = work / f"{folder.name}.limit.json"
    command = [sys.executable, "-m", "benchmarks.limit", str(folder), "--out", str(out)]
    m = run_measured([*command, *(extra or [])], environment(cache), cwd=ROOT.parent)
    if m.returncode != 0:
        raise RuntimeError(f"limit harness failed: {m.stderr[-2000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    data["process"] = m.to_json()
    return data


def batch(
    work: Path,
    folder: Path,
    cache: Path,
    jobs: int | None,
    extra: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    out = work / f"{folder.name}.out.jobs{jobs or 'default'}"
    if out.exists():
        shutil.rmtree(out)
    command = ["gdgrade", "batch", str(folder), "--out", str(out), "--progress", "lines"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    m = run_measured([*command, *(extra or [])], environment(cache, env))
    if m.returncode not in (0, 3):
        raise RuntimeError(f"gdgrade batch failed ({m.returncode}): {m.stderr[-2000:]}")
    timings = gradebook_timings(out / "gradebook.sqlite")
    n = len(timings)
    stamps = [t["graded_at"] for t in timings]
    steady = (n - 1) / (stamps[-1] - stamps[0]) if n > 1 and stamps[-1] > stamps[0] else None
    return {
        "jobs": jobs or os.cpu_count(),
        "submissions": n,
        "process": m.to_json(),
        "per_second": round(n / m.wall_s, 3),
        "per_second_steady": round(steady, 3) if steady else None,
        "ms_per_submission": round(1000 * m.wall_s / n, 1) if n else None,
        "cpu_ms_per_submission": round(1000 * m.cpu_s / n, 1) if n else None,
        "statuses": dict(Counter(t["status"] for t in timings)),
        "timings": timings,
    }


def overhead(batch_run: dict[str, Any], limit_run: dict[str, Any], hostile: set[str]) -> dict:
    """Per submission, the batch's cost minus the limit's, both on the same file. With one
    worker the cost is the time between two stored results; `grading` is the worker's own
    grade_submission time (sandbox + judging, before rendering and storing)."""
    limits = {r["student"]: r["total_s"] for r in limit_run["per_submission"]}
    gaps = intervals(batch_run["timings"])
    whole = [gaps[s] - limits[s] for s in gaps if s in limits and s not in hostile]
    grading = [
        t["duration_s"] - limits[t["student"]]
        for t in batch_run["timings"]
        if t["student"] in limits and t["student"] not in hostile
    ]
    return {"end_to_end_ms": summary_ms(whole), "grade_submission_ms": summary_ms(grading)}


def grade_loop(
    folder: Path, cache: Path, count: int, cold: bool, fmt: str = "text"
) -> dict[str, Any]:
    """`gdgrade grade FILE` once per file, a new process each time (the CI path); cold
    means an empty case cache for each call (a CI runner without a kept cache)."""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".py", ".ipynb"))[:count]
    walls, loads = [], []
    for path in files:
        run_cache = Path(tempfile.mkdtemp(prefix="gdgrade-cold-")) if cold else cache
        m = run_measured(["gdgrade", "grade", str(path), "--format", fmt], environment(run_cache))
        if cold:
            shutil.rmtree(run_cache, ignore_errors=True)
        if m.returncode not in (0, 1):
            raise RuntimeError(f"gdgrade grade failed ({m.returncode}): {m.stderr[-2000:]}")
        walls.append(m.wall_s)
        loads.append(m.load_before)
    return {
        "runs": len(walls),
        "cold_cache": cold,
        "format": fmt,
        "wall_ms": summary_ms(walls),
        "load_average": loads,
    }


def count_expectations(work: Path, folder: Path, n: int) -> dict[str, Any]:
    """A real batch with an empty case cache, counting every expected-value computation
    (reference + every mistake variant on one case) in every process."""
    counter = work / "expect-calls.txt"
    counter.unlink(missing_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="gdgrade-count-"))
    try:
        env = {
            "GDGRADE_BENCH_COUNT": str(counter),
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "counting"), str(ROOT.parent), os.environ.get("PYTHONPATH", "")]
            ),
        }
        run = batch(work, folder, cache, None, env=env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    lines = counter.read_text(encoding="utf-8").split() if counter.exists() else []
    calls = list(zip(lines[0::3], lines[1::3], lines[2::3], strict=True))
    distinct = {(e, c) for _, e, c in calls}
    processes = {p for p, _, _ in calls}
    return {
        "submissions": n,
        "expect_calls": len(calls),
        "distinct_cases": len(distinct),
        "processes_computing": len(processes),
        "per_submission_would_be": n * len(distinct),
        "once_per_case_set": len(calls) == len(distinct),
        "at_most_once_per_worker": max(Counter((e, c) for _, e, c in calls).values(), default=0)
        <= run["jobs"],
        "wall_s": run["process"]["wall_s"],
    }


def stages(work: Path, folder: Path, cache: Path, listing: Path) -> dict[str, Any]:
    out = work / "stages.json"
    command = [sys.executable, "-m", "benchmarks.stages", str(folder), "--out", str(out)]
    m = run_measured([*command, "--profile", str(listing)], environment(cache), cwd=ROOT.parent)
    if m.returncode != 0:
        raise RuntimeError(f"stage profile failed: {m.stderr[-2000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    data["profile_listing"] = listing.name
    return data


def hostile_costs(work: Path, cache: Path, n: int, seed: int) -> dict[str, Any]:
    """Hostile files only, short walls: each one's batch cost next to the limit's cost
    for the same file under the same walls."""
    folder = make_class(work, "hostile", n, seed, HOSTILE_ONLY)
    swapped = {
        i["student"]: i["swapped"]
        for i in json.loads((work / "hostile.manifest.json").read_text(encoding="utf-8"))
    }
    lim = limit(work, folder, cache, HOSTILE_WALLS)
    run = batch(work, folder, cache, 1, HOSTILE_WALLS)
    gaps = intervals(run["timings"])
    limits = {r["student"]: r for r in lim["per_submission"]}
    rows = []
    for t in run["timings"]:
        s = t["student"]
        rows.append(
            {
                "student": s,
                "sample": swapped[s],
                "status": t["status"],
                "batch_grade_s": round(t["duration_s"], 3),
                "batch_interval_s": round(gaps[s], 3) if s in gaps else None,
                "limit_s": round(limits[s]["total_s"], 3),
                "limit_statuses": limits[s]["statuses"],
            }
        )
    return {"walls": " ".join(HOSTILE_WALLS), "submissions": rows, "batch": _brief(run)}


def feedback_choices() -> list[str | None]:
    """The default, plus `--feedback text` where this gdgrade has the option."""
    out = subprocess.run(["gdgrade", "batch", "--help"], capture_output=True, text=True)
    return [None, "text"] if "--feedback" in out.stdout else [None]


def _brief(run: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in run.items() if k != "timings"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small N, a few minutes")
    parser.add_argument("--sizes", help="class sizes for the N scaling, e.g. 100,1000,5000")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", type=Path, help="where classes and gradebooks go")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument(
        "--peers", type=int, default=0, help="also run the nbgrader comparison on N notebooks"
    )
    parser.add_argument(
        "--peers-work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gdgrade-peers",
        help="where the nbgrader venv and course live (kept between runs)",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    sizes = (
        [int(s) for s in args.sizes.split(",")] if args.sizes else ([20] if quick else [100, 1000])
    )
    work = args.work or Path(tempfile.mkdtemp(prefix="gdgrade-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    main_n = sizes[0]
    result: dict[str, Any] = {
        "mode": "quick" if quick else "full",
        "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "git_commit": _git_commit(),
        "machine": machine.describe(),
        "work": str(work),
    }
    log(f"work folder {work}")

    log("case sets computed into an empty cache")
    shutil.rmtree(cache, ignore_errors=True)
    result["case_cache_warm_up"] = warm_cache(cache)

    log(f"class of {main_n} (60% correct, 30% mistake, 5% notebooks, 5% hostile)")
    mixed = make_class(work, f"mixed{main_n}", main_n, args.seed, generate.SHARES)
    hostile = {s for s, k in kinds(work, mixed.name).items() if k == "hostile"}
    walls = HOSTILE_WALLS if quick else []  # quick: one endless loop must not take a minute
    log("the limit")
    lim = limit(work, mixed, cache, walls)
    log("gdgrade batch --jobs 1")
    one = batch(work, mixed, cache, 1, walls)
    log("gdgrade batch (default jobs)")
    default = batch(work, mixed, cache, None, walls)
    more = []
    if not quick:
        log("gdgrade batch --jobs 4")
        more.append(_brief(batch(work, mixed, cache, 4, walls)))
    result["mixed"] = {
        "submissions": main_n,
        "walls": " ".join(walls) or "defaults",
        "hostile": len(hostile),
        "limit": {k: v for k, v in lim.items() if k != "per_submission"},
        "limit_non_hostile_ms": summary_ms(
            [r["total_s"] for r in lim["per_submission"] if r["student"] not in hostile]
        ),
        "batch_jobs1": _brief(one),
        "batch_default": _brief(default),
        "overhead_jobs1": overhead(one, lim, hostile),
        "overhead_default": overhead(default, lim, hostile),
        "batch_more_jobs": more,
    }

    log("scaling with N and --jobs (no hostile submissions)")
    scaling = []
    for n in sizes:
        clean = make_class(work, f"clean{n}", n, args.seed + n, NO_HOSTILE)
        lim_n = limit(work, clean, cache)
        for feedback in feedback_choices():
            log(f"  N={n} (default jobs, feedback {feedback or 'default'})")
            run = batch(work, clean, cache, None, ["--feedback", feedback] if feedback else [])
            entry = _brief(run)
            entry["feedback"] = feedback or "default (html)"
            entry["limit_wall_s"] = round(lim_n["wall_s"], 3)
            entry["limit_non_hostile_ms"] = summary_ms(
                [r["total_s"] for r in lim_n["per_submission"]]
            )
            scaling.append({"n": n, **entry})
    result["scaling"] = scaling

    log("gdgrade grade per submission (CLI start to report)")
    k = 5 if quick else 20
    result["grade_cli"] = {
        "warm_cache": grade_loop(mixed, cache, k, cold=False),
        "cold_cache": grade_loop(mixed, cache, 1 if quick else 3, cold=True),
        "warm_cache_html": grade_loop(mixed, cache, 2 if quick else 5, cold=False, fmt="html"),
    }

    log("counting expected-value computations in a cold-cache batch")
    count_n = min(main_n, 20 if quick else 40)
    count_class = make_class(work, f"count{count_n}", count_n, args.seed + 7, NO_HOSTILE)
    result["expectations_counted"] = count_expectations(work, count_class, count_n)

    log("stages and profile, one process")
    stage_n = 5 if quick else 20
    stage_class = make_class(work, f"stages{stage_n}", stage_n, args.seed + 11, NO_HOSTILE)
    result["stages"] = stages(work, stage_class, cache, args.results.parent / "profile.txt")

    log("hostile submissions")
    result["hostile"] = hostile_costs(work, cache, 3 if quick else 9, args.seed + 13)

    if args.peers:
        from .peers import nbgrader_compare

        log(f"peers: nbgrader and gdgrade on {args.peers} two-function notebooks")
        try:
            result["peers"] = nbgrader_compare.compare(
                args.peers, args.seed, args.peers_work, {"gdgrade": "gdgrade"}
            )
        except (OSError, subprocess.CalledProcessError, RuntimeError) as exc:  # optional part
            result["peers_error"] = f"{type(exc).__name__}: {exc}"

    result["targets"] = targets(result)
    result["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %z")
    args.results.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    log(f"results in {args.results}")
    print(table(result))


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT.parent,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def targets(result: dict[str, Any]) -> dict[str, Any]:
    """Each target of issue 8 with the measured figure next to it (2-core machine)."""
    out: dict[str, Any] = {}
    median = result["mixed"]["overhead_jobs1"]["end_to_end_ms"]["median"]
    out["overhead_median_jobs1_under_30ms"] = {"measured_ms": median, "met": _below(median, 30)}
    big = [s for s in result["scaling"] if s["n"] == 1000 and s["jobs"] == os.cpu_count()]
    if big:
        walls = {s.get("feedback", "default (html)"): round(s["process"]["wall_s"], 1) for s in big}
        best = min(walls.values())
        out["batch_1000_under_60s"] = {"measured_s": walls, "met": best < 60}
    else:
        out["batch_1000_under_60s"] = {"measured_s": None, "met": None, "note": "N=1000 not run"}
    for key in ("warm_cache", "cold_cache"):
        ms = result["grade_cli"][key]["wall_ms"]["median"]
        out[f"grade_cli_{key}_under_1500ms"] = {"measured_ms": ms, "met": _below(ms, 1500)}
    counted = result["expectations_counted"]
    out["expectations_once_per_case_set"] = {
        "measured": f"{counted['expect_calls']} computations for {counted['distinct_cases']} "
        f"cases, {counted['submissions']} submissions, {counted['processes_computing']} "
        "processes",
        "met": counted["once_per_case_set"],
        "not_per_submission": counted["expect_calls"] < counted["per_submission_would_be"],
    }
    rows = result["hostile"]["submissions"]
    excess = [r["batch_grade_s"] - r["limit_s"] for r in rows]
    ratio = [r["batch_grade_s"] / max(r["limit_s"], 0.001) for r in rows if r["limit_s"] > 1]
    out["hostile_cost_only_their_limits"] = {
        "worst_excess_over_limit_s": round(max(excess), 3) if excess else None,
        "worst_ratio_to_limit_where_limit_over_1s": round(max(ratio), 2) if ratio else None,
        "rule": "each hostile file costs at most 1.1 x what its own walls cost + 1 s",
        "met": all(r["batch_grade_s"] <= 1.1 * r["limit_s"] + 1.0 for r in rows),
    }
    peers = result.get("peers")
    if peers:
        build = peers["builds"]["gdgrade"]
        per = {k: v["ms_per_notebook"] for k, v in build["runs"].items()}
        ratio = build["ratio_nbgrader_over_fastest_gdgrade"]
        out["peers_20ms_per_notebook_and_100x_nbgrader"] = {
            "measured_ms": per,
            "ratio_to_fastest": ratio,
            "met": min(per.values()) <= 20 and ratio >= 100,
        }
    return out


def _below(value: float | None, bound: float) -> bool | None:
    return None if value is None else value < bound


def table(result: dict[str, Any]) -> str:
    """The README table: one row per measurement."""
    m = result["machine"]
    lines = [
        f"Machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}, numpy {m['numpy']}, gdgrade {m['gdgrade']} "
        f"(commit {result['git_commit']}), load average at start {m['load_average']}",
        "",
        "| measurement | N | jobs | wall s | subs/s | ms/sub | CPU ms/sub | peak PSS MB | load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    mixed = result["mixed"]
    lim = mixed["limit"]
    lines.append(
        f"| limit (plain process) | {lim['submissions']} | 1 | {lim['wall_s']:.1f} | "
        f"{lim['submissions'] / lim['wall_s']:.1f} | "
        f"{1000 * lim['wall_s'] / lim['submissions']:.1f} | "
        f"{1000 * lim['process']['cpu_s'] / lim['submissions']:.1f} | "
        f"{lim['process']['peak_tree_pss_mb']:.0f} | {lim['load_average']:.2f} |"
    )
    rows = [
        ("batch, mixed class", mixed["batch_jobs1"]),
        ("batch, mixed class", mixed["batch_default"]),
        *(("batch, mixed class", r) for r in mixed.get("batch_more_jobs", [])),
    ]
    rows += [
        (f"batch, no hostile, feedback {s.get('feedback', 'default (html)')}", s)
        for s in result["scaling"]
    ]
    for label, run in rows:
        p = run["process"]
        lines.append(
            f"| {label} | {run['submissions']} | {run['jobs']} | {p['wall_s']:.1f} | "
            f"{run['per_second']:.2f} | {run['ms_per_submission']:.0f} | "
            f"{run['cpu_ms_per_submission']:.0f} | "
            f"{p['peak_tree_pss_mb']:.0f} | {p['load_before']:.2f} |"
        )
    for key, cli in result["grade_cli"].items():
        w = cli["wall_ms"]
        lines.append(
            f"| gdgrade grade ({key}) | {cli['runs']} | 1 | - | "
            f"{1000 / w['median']:.2f} | {w['median']:.0f} (p95 {w['p95']:.0f}) | - | - | "
            f"{cli['load_average'][0]:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
