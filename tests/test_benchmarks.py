"""Smoke tests of the benchmark harness (benchmarks/): the class generator and the
measuring code run on a tiny N and produce what the report is built from. No timing is
asserted here; speed is what the benchmark reports."""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import generate
from benchmarks.measure import intervals, run_measured, summary_ms
from benchmarks.run import batch, overhead
from gdgrade.submission import load_submission

ROOT = Path(__file__).resolve().parent.parent


def test_the_same_seed_writes_byte_identical_classes(tmp_path: Path) -> None:
    generate.write_class(tmp_path / "a", 12, seed=4)
    generate.write_class(tmp_path / "b", 12, seed=4)
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert a == b
    generate.write_class(tmp_path / "c", 12, seed=5)
    c = {p.name: p.read_bytes() for p in (tmp_path / "c").iterdir()}
    assert c != a


def test_a_class_has_the_asked_mix_and_no_two_files_alike(tmp_path: Path) -> None:
    items = generate.write_class(tmp_path, 40, seed=1)
    kinds = [i.kind for i in items]
    assert {k: kinds.count(k) for k in generate.SHARES} == {
        "correct": 24,
        "mistake": 12,
        "notebook": 2,
        "hostile": 2,
    }
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    assert len(digests) == 40
    for item in items:
        submission = load_submission(tmp_path / item.file)  # every file loads as a submission
        last = _last_definitions(submission.source)
        if item.kind in ("correct", "notebook"):
            assert set(generate.CONTRACT_NAMES) <= set(last), item
        else:  # the swapped sample's functions are the ones that count (defined last)
            swapped = _last_definitions((generate.SAMPLES / item.swapped).read_text("utf-8"))
            assert swapped and all(last[name] == code for name, code in swapped.items()), item


def _last_definitions(source: str) -> dict[str, str]:
    """Top-level function name -> its code (as an AST dump, so comments and trailing
    spaces do not count); a later definition replaces an earlier one, as in Python."""
    tree = ast.parse(source)
    return {n.name: ast.dump(n) for n in tree.body if isinstance(n, ast.FunctionDef)}


def test_a_mistake_replaces_the_base_function_instead_of_adding_a_second_one() -> None:
    base = "import numpy as np\n\n\ndef gradient_step(x, g, lr):\n    return x - lr * g\n"
    swapped = "def gradient_step(x, g, lr):\n    return x + lr * g\n"
    composed = generate.compose(base, swapped, ("gradient_step",))
    assert composed.count("def gradient_step") == 1
    assert "x + lr * g" in composed


def test_share_counts_always_add_up_to_n() -> None:
    for n in (1, 7, 19, 100, 1001):
        assert sum(generate.counts(n, generate.SHARES).values()) == n


def test_the_limit_harness_calls_every_function_on_every_case(tmp_path: Path) -> None:
    generate.write_class(tmp_path / "class", 3, seed=2, shares={"correct": 1.0})
    out = tmp_path / "limit.json"
    command = [sys.executable, "-m", "benchmarks.limit", str(tmp_path / "class")]
    command += ["--out", str(out), "--exercise", "gradient_step"]
    env = {"GDGRADE_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=120)
    data = json.loads(out.read_text())
    assert data["submissions"] == 3
    for row in data["per_submission"]:
        assert row["calls"] == data["calls_per_submission"] > 0
        assert row["statuses"] == {"returned": row["calls"]}


def test_a_measured_command_reports_its_wall_cpu_and_memory() -> None:
    code = 'import time; x = b"x" * (50 * 1024 * 1024); time.sleep(0.4)'
    m = run_measured([sys.executable, "-c", code])
    assert m.returncode == 0
    assert m.wall_s >= 0.4
    assert m.max_rss_mb >= 50
    assert m.peak_tree_rss_mb >= 50


def test_summary_gives_median_and_p95_in_milliseconds() -> None:
    s = summary_ms([i / 1000 for i in range(1, 101)])
    assert s["median"] == pytest.approx(50.5)
    assert s["p95"] == pytest.approx(95.0)
    assert summary_ms([])["median"] is None


def test_a_batch_run_yields_per_submission_timings_and_overhead(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    items = generate.write_class(folder, 2, seed=3, shares={"correct": 1.0})
    cache = tmp_path / "cache"
    run = batch(tmp_path, folder, cache, 1, ["--exercise", "gradient_step"])
    assert run["submissions"] == 2
    assert run["statuses"] == {"graded": 2}
    assert sorted(t["student"] for t in run["timings"]) == sorted(i.student for i in items)
    assert len(intervals(run["timings"])) == 1
    limit = {"per_submission": [{"student": i.student, "total_s": 0.0} for i in items]}
    assert overhead(run, limit, set())["end_to_end_ms"]["n"] == 1


def test_the_startup_harness_splits_a_batch_into_start_results_and_end(tmp_path: Path) -> None:
    from benchmarks import startup

    folder = startup.write_class(tmp_path / "class", 3, seed=3)
    env = startup.environment(tmp_path / "cache")
    wall, cpu, start, results, end = startup.phases("gdgrade", folder, tmp_path / "out", env)
    assert 0 < start < wall and 0 < end < wall and results >= 0
    assert start + results + end == pytest.approx(wall, abs=0.05)
    assert cpu > 0
    rerun = startup.batch("gdgrade", folder, tmp_path / "out", env)
    assert rerun.returncode == 0 and "0 graded now" in rerun.stdout
