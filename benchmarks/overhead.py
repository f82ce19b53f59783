"""The batch's overhead over the limit, for one or more builds of gdgrade side by side:

    python -m benchmarks.overhead -n 30 --build after=gdgrade \\
        --build before=/path/to/old-venv/bin/gdgrade [--jobs 1,2] [--feedback text,html]

One clean class (no hostile files), the limit once (benchmarks.limit, this checkout), then
for each (jobs, feedback) every build in turn, alternating, each with its own case cache
warmed beforehand (a build's cache key is its own code). Per run: wall, CPU of the whole
tree per submission, peak memory of the tree (PSS) per worker and of the largest process,
the load average, and, per submission, the overhead over the limit: the class's
`(wall - sum of the limits) / n`, at any --jobs, as the issue that set the target counts
it; with one worker also the time between two stored results (everything a TA waits for)
minus the limit for the same file; and the worker's own grading time (`duration_s`) minus
the limit.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import generate, machine
from .measure import BENCHMARK_SEED, gradebook_timings, intervals, run_measured, summary_ms

ROOT = Path(__file__).resolve().parent
CLEAN = {"correct": 0.63, "mistake": 0.32, "notebook": 0.05, "hostile": 0.0}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}] {message}", flush=True)


def environment(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(GDGRADE_CACHE_DIR=str(cache), OPENBLAS_NUM_THREADS="1")
    env.setdefault("GDGRADE_SEED", BENCHMARK_SEED)
    return env


def batch(gdgrade: str, folder: Path, out: Path, cache: Path, jobs: int, feedback: str) -> Any:
    shutil.rmtree(out, ignore_errors=True)
    command = [gdgrade, "batch", str(folder), "--out", str(out), "--progress", "lines"]
    command += ["--jobs", str(jobs), "--feedback", feedback]
    m = run_measured(command, environment(cache))
    if m.returncode not in (0, 3):
        raise RuntimeError(f"{gdgrade} batch failed ({m.returncode}): {m.stderr[-2000:]}")
    return m


def measure(
    name: str,
    gdgrade: str,
    folder: Path,
    work: Path,
    jobs: int,
    feedback: str,
    limits: dict[str, float],
) -> dict[str, Any]:
    out = work / f"out-{name}-{jobs}-{feedback}"
    m = batch(gdgrade, folder, out, work / f"cache-{name}", jobs, feedback)
    timings = gradebook_timings(out / "gradebook.sqlite")
    n = len(timings)
    gaps = intervals(timings)
    row = {
        "build": name,
        "jobs": jobs,
        "feedback": feedback,
        "submissions": n,
        "wall_s": round(m.wall_s, 2),
        "ms_per_submission": round(1000 * m.wall_s / n, 1),
        "cpu_ms_per_submission": round(1000 * m.cpu_s / n, 1),
        "peak_tree_pss_mb": round(m.peak_tree_pss_mb, 1),
        "peak_pss_mb_per_worker": round(m.peak_tree_pss_mb / jobs, 1),
        "largest_process_rss_mb": round(m.max_rss_mb, 1),
        "load_before": round(m.load_before, 2),
        "load_after": round(m.load_after, 2),
        "statuses": sorted({t["status"] for t in timings}),
        # the whole command against the students' code alone, one plain process
        "class_over_limit_ms": round(1000 * (m.wall_s - sum(limits.values())) / n, 1),
        "grading_over_limit_ms": summary_ms(
            [t["duration_s"] - limits[t["student"]] for t in timings if t["student"] in limits]
        ),
    }
    if jobs == 1:  # with one worker, the gap between two results is one submission's cost
        row["end_to_end_over_limit_ms"] = summary_ms(
            [gaps[s] - limits[s] for s in gaps if s in limits]
        )
    return row


def scores(work: Path, name: str, jobs: int, feedback: str) -> list[tuple[str, str, float]]:
    timings = gradebook_timings(work / f"out-{name}-{jobs}-{feedback}" / "gradebook.sqlite")
    return sorted((t["student"], t["status"], t["score"]) for t in timings)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="class size (no hostile files)")
    parser.add_argument("--seed", type=int, default=2040)
    parser.add_argument(
        "--shares",
        help="kinds of file, e.g. correct=1 (default: the clean mix, "
        + ",".join(f"{k}={v}" for k, v in CLEAN.items())
        + ")",
    )
    parser.add_argument(
        "--build", action="append", required=True, help="NAME=GDGRADE_COMMAND, repeatable"
    )
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--feedback", default="text")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of each build per setting, in turn (A B A B ...); medians, and each "
        "build's wall and CPU against the first build's of the same round",
    )
    parser.add_argument("--work", type=Path)
    parser.add_argument("--results", type=Path, default=ROOT / "results" / "overhead.json")
    args = parser.parse_args(argv)
    builds = dict(b.split("=", 1) for b in args.build)
    work = args.work or Path(tempfile.mkdtemp(prefix="gdgrade-overhead-"))
    work.mkdir(parents=True, exist_ok=True)
    folder = work / "class"
    shutil.rmtree(folder, ignore_errors=True)
    shares = generate.parse_shares(args.shares) or CLEAN
    if shares.get("hostile"):
        parser.error("--shares: no hostile files here (their time limits are not overhead)")
    generate.write_class(folder, args.n, args.seed, shares)
    result: dict[str, Any] = {
        "machine": machine.describe(),
        "n": args.n,
        "shares": shares,
        "builds": builds,
    }
    log("the limit (this checkout, one plain process)")
    limit_json = work / "limit.json"
    command = [sys.executable, "-m", "benchmarks.limit", str(folder), "--out", str(limit_json)]
    lim = run_measured(command, environment(work / "cache-limit"), cwd=ROOT.parent)
    if lim.returncode != 0:
        raise RuntimeError(f"limit harness failed: {lim.stderr[-2000:]}")
    per = json.loads(limit_json.read_text(encoding="utf-8"))["per_submission"]
    limits = {r["student"]: r["total_s"] for r in per}
    result["limit"] = {
        "per_submission_ms": summary_ms(list(limits.values())),
        "load_before": round(lim.load_before, 2),
    }
    warm = work / "warm"
    warm.mkdir(exist_ok=True)
    shutil.copy(next(iter(sorted(folder.glob("*.py")))), warm)
    for name, gdgrade in builds.items():
        log(f"{name}: case cache warmed by a one-file batch")
        batch(gdgrade, warm, work / f"warm-out-{name}", work / f"cache-{name}", 1, "text")
    rows, summaries = [], []
    first = next(iter(builds))
    for jobs in (int(j) for j in args.jobs.split(",")):
        for feedback in args.feedback.split(","):
            rounds = []
            for r in range(args.repeat):
                measured = {}
                for name, gdgrade in builds.items():
                    log(f"{name}: --jobs {jobs} --feedback {feedback} (round {r + 1})")
                    measured[name] = measure(name, gdgrade, folder, work, jobs, feedback, limits)
                    rows.append(measured[name] | {"round": r + 1})
                same = all(
                    scores(work, n, jobs, feedback) == scores(work, first, jobs, feedback)
                    for n in builds
                )
                rows[-1]["same_scores_as_" + first] = same
                rounds.append(measured)
            summaries += [summarise(name, first, rounds) for name in builds]
    result["runs"] = rows
    result["medians"] = summaries
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(table(result))
    print()
    print(median_table(result))
    log(f"results in {args.results}")


MEDIAN_OF = (
    "wall_s",
    "ms_per_submission",
    "cpu_ms_per_submission",
    "class_over_limit_ms",
    "peak_pss_mb_per_worker",
)


def summarise(name: str, first: str, rounds: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """One build over the rounds: medians, and its wall and CPU over the first build's in
    each round (pairs measured next to each other hold when the machine's speed drifts)."""
    mine = [r[name] for r in rounds]
    out: dict[str, Any] = {"build": name, "jobs": mine[0]["jobs"], "feedback": mine[0]["feedback"]}
    out["rounds"] = len(mine)
    for key in MEDIAN_OF:
        out[key] = round(statistics.median(m[key] for m in mine), 1)
    e2e = [m["end_to_end_over_limit_ms"] for m in mine if "end_to_end_over_limit_ms" in m]
    if e2e:
        out["end_to_end_over_limit_ms"] = {
            k: round(statistics.median(e[k] for e in e2e), 1) for k in ("median", "mean")
        }
    for key in ("wall_s", "cpu_ms_per_submission"):
        ratios = sorted(r[name][key] / r[first][key] for r in rounds)
        out[f"{key}_over_{first}"] = {
            "median": round(statistics.median(ratios), 3),
            "min": round(ratios[0], 3),
            "max": round(ratios[-1], 3),
        }
    out["loads"] = [m["load_before"] for m in mine]
    return out


def median_table(result: dict[str, Any]) -> str:
    first = next(iter(result["builds"]))
    lines = [
        f"medians of {result['medians'][0]['rounds']} rounds; ratios to {first}, round by round",
        "",
        "| build | jobs | feedback | wall s | CPU ms/sub | class over limit ms/sub | over limit, "
        f"end to end (median / mean ms) | wall / {first}'s (min–max) | CPU / {first}'s (min–max) "
        "| peak PSS MB per worker |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in result["medians"]:
        e2e = m.get("end_to_end_over_limit_ms")
        whole = f"{e2e['median']} / {e2e['mean']}" if e2e else "-"
        w, c = m[f"wall_s_over_{first}"], m[f"cpu_ms_per_submission_over_{first}"]
        lines.append(
            f"| {m['build']} | {m['jobs']} | {m['feedback']} | {m['wall_s']} | "
            f"{m['cpu_ms_per_submission']} | {m['class_over_limit_ms']} | {whole} | "
            f"{w['median']} ({w['min']}–{w['max']}) | {c['median']} ({c['min']}–{c['max']}) | "
            f"{m['peak_pss_mb_per_worker']} |"
        )
    return "\n".join(lines)


def table(result: dict[str, Any]) -> str:
    lim = result["limit"]["per_submission_ms"]
    lines = [
        f"limit per submission: median {lim['median']} ms, mean {lim['mean']} ms",
        "",
        "| build | jobs | feedback | wall s | ms/sub | CPU ms/sub | class over limit ms/sub "
        "| over limit, end to end (median / mean ms) | grading over limit (median / mean ms) "
        "| peak PSS MB per worker | largest process MB | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["runs"]:
        e2e = r.get("end_to_end_over_limit_ms")
        whole = f"{e2e['median']} / {e2e['mean']}" if e2e else "-"
        g = r["grading_over_limit_ms"]
        lines.append(
            f"| {r['build']} | {r['jobs']} | {r['feedback']} | {r['wall_s']} | "
            f"{r['ms_per_submission']} | {r['cpu_ms_per_submission']} | "
            f"{r['class_over_limit_ms']} | {whole} | "
            f"{g['median']} / {g['mean']} | {r['peak_pss_mb_per_worker']} | "
            f"{r['largest_process_rss_mb']} | {r['load_before']}–{r['load_after']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
