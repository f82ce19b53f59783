"""gdgrade against nbgrader on the same notebooks, in one run, on this machine.

    python -m benchmarks.peers.nbgrader_compare -n 30 [--work DIR]

Builds a two-function assignment (gradient_step, gradient_descent) for nbgrader: a source
notebook with solution cells and autograder test cells, released with `nbgrader
generate_assignment`. Then N student notebooks (the released one with the solution cells
filled by the generated class's code: 70% correct, 30% with one mistake) are graded by
`nbgrader autograde` (a Jupyter kernel per notebook) and, the very same files, by
`gdgrade batch --exercise gradient_step --exercise gradient_descent`. nbgrader lives in
its own venv under the work folder (created on first use; not a dependency of gdgrade).

`--build NAME=GDGRADE` (repeatable) grades the same notebooks with several builds of
gdgrade (e.g. one installed in another venv), their runs interleaved, `--repeat` times
each; the ratio uses each build's median wall.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat

from .. import generate, machine
from ..measure import BENCHMARK_SEED, gradebook_timings, run_measured, summary_ms

EXERCISES = ("gradient_step", "gradient_descent")
ASSIGNMENT = "ps1"
PACKAGES = ("nbgrader", "ipykernel", "numpy")

TEST_STEP = """\
import numpy as np
x, g = np.array([1.0, -2.0, 0.5]), np.array([0.3, 0.1, -4.0])
for lr in (0.1, 0.01, 1.5):
    assert np.allclose(gradient_step(x, g, lr), x - lr * g)
assert np.isclose(gradient_step(2.0, 0.5, 0.1), 2.0 - 0.1 * 0.5)
"""

TEST_DESCENT = """\
import numpy as np

def _f(x):
    return 0.5 * x**4 - 4 * x**3 + 10 * x**2 - 7 * x + 2

def _fp(x):
    return 2 * x**3 - 12 * x**2 + 20 * x - 7

for x0, lr, n in ((4.0, 0.01, 200), (0.0, 0.1, 50), (4.0, 0.2, 200)):
    x, path = x0, []
    for _ in range(n):
        x = x - lr * _fp(x)
        path.append(x)
    xopt, fopt, paths = gradient_descent(_f, _fp, x0, lr, n)
    assert np.isclose(xopt, x) and np.isclose(fopt, _f(x))
    assert np.allclose(np.asarray(paths, dtype=float), path)
"""


def _meta(**fields: Any) -> dict[str, Any]:
    return {"nbgrader": {"schema_version": 3, "locked": False, "solution": False, **fields}}


def source_notebook() -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_markdown_cell("# 경사하강법 과제 (gradient_step, gradient_descent)")]
    for name, test in ((EXERCISES[0], TEST_STEP), (EXERCISES[1], TEST_DESCENT)):
        solution = f"### BEGIN SOLUTION\ndef {name}(*args):\n    raise NotImplementedError\n"
        solution += "### END SOLUTION"
        cells.append(
            nbformat.v4.new_code_cell(
                solution, metadata=_meta(solution=True, grade=False, grade_id=name)
            )
        )
        cells.append(
            nbformat.v4.new_code_cell(
                test,
                metadata=_meta(grade=True, grade_id=f"test_{name}", points=1, locked=True),
            )
        )
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def student_programs(n: int, seed: int) -> list[tuple[str, str]]:
    """(student, "import numpy as np" + the two functions) from the generated class's
    samples: 70% correct bases, 30% with a mistake sample of these two exercises."""
    rng = random.Random(seed)
    bases, mistakes, functions = generate.sample_files()
    ours = [m for m in mistakes if set(functions[m]) <= set(EXERCISES)]
    out = []
    for i in range(n):
        student = f"2025{i:06d}"
        swapped = rng.choice(ours) if rng.random() < 0.3 else ""
        base = (generate.SAMPLES / rng.choice(bases)).read_text(encoding="utf-8")
        text = (generate.SAMPLES / swapped).read_text(encoding="utf-8") if swapped else ""
        replaced = tuple(functions[swapped]) if swapped else ()
        program = generate.compose(base, text, replaced)
        program = generate.vary(program, random.Random(f"{seed}:{student}"), student)
        out.append((student, generate.only_functions(program, EXERCISES)))
    return out


def student_notebook(released: nbformat.NotebookNode, program: str) -> nbformat.NotebookNode:
    """The released notebook with each solution cell replaced by the student's code."""
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    header, *defs = program.split("\n\n\ndef ")
    bodies = {d.split("(", 1)[0]: "def " + d.rstrip() for d in defs}
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and grade_id in EXERCISES:
            body = bodies.get(grade_id, "# (not done)")
            cell.source = (header.strip() + "\n\n\n" + body) if grade_id == EXERCISES[0] else body
    return nb


def venv(work: Path) -> Path:
    env_dir = work / "venv"
    python = env_dir / "bin" / "python"
    if not (env_dir / "bin" / "nbgrader").exists():
        subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    return env_dir


def venv_environment(env_dir: Path) -> dict[str, str]:
    """nbgrader runs `alembic` and the kernel by name: the venv's bin comes first."""
    env = dict(os.environ)
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    env.pop("VIRTUAL_ENV", None)
    return env


def setup_course(course: Path, env_dir: Path) -> nbformat.NotebookNode:
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n", encoding="utf-8"
    )
    nbformat.write(source_notebook(), source / f"{ASSIGNMENT}.ipynb")
    nbgrader = str(env_dir / "bin" / "nbgrader")
    subprocess.run(
        [nbgrader, "generate_assignment", ASSIGNMENT, "--force", "--create"],
        cwd=course,
        env=venv_environment(env_dir),
        check=True,
        capture_output=True,
    )
    return nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def compare(
    n: int, seed: int, work: Path, builds: dict[str, str], repeat: int = 1
) -> dict[str, Any]:
    env_dir = venv(work)
    course = work / f"course{n}"
    if course.exists():
        subprocess.run(["rm", "-rf", str(course)], check=True)
    released = setup_course(course, env_dir)
    gd_class = work / f"notebooks{n}"
    subprocess.run(["rm", "-rf", str(gd_class)], check=True)
    gd_class.mkdir(parents=True)
    for student, program in student_programs(n, seed):
        nb = student_notebook(released, program)
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
        nbformat.write(nb, gd_class / f"{student}.ipynb")
    env = venv_environment(env_dir)
    nb_run = run_measured(
        [str(env_dir / "bin" / "nbgrader"), "autograde", ASSIGNMENT, "--create", "--force"],
        env=env,
        cwd=course,
    )
    nb_failed = nb_run.returncode != 0
    caches = {name: Path(tempfile.mkdtemp(prefix="gdgrade-peer-cache-")) for name in builds}
    envs = {name: gd_environment(cache) for name, cache in caches.items()}
    for name, gdgrade in builds.items():  # each build its own warm case cache
        warm = [build_python(gdgrade), "-c", _WARM, *EXERCISES]
        subprocess.run(warm, env=envs[name], cwd=work, check=True)  # not this checkout
    limit_out = work / f"limit{n}.json"
    limit_command = [sys.executable, "-m", "benchmarks.limit", str(gd_class), "--out"]
    limit_command += [str(limit_out), *(w for e in EXERCISES for w in ("--exercise", e))]
    subprocess.run(
        limit_command,
        env=gd_environment(caches[next(iter(builds))]),
        check=True,
        cwd=Path(__file__).parents[2],
    )
    limit = json.loads(limit_out.read_text(encoding="utf-8"))
    variants: list[tuple[str, list[str]]] = [("default", []), ("1", ["--jobs", "1"])]
    variants.append(("default, feedback text", ["--feedback", "text"]))
    runs: dict[str, dict[str, list[Any]]] = {b: {k: [] for k, _ in variants} for b in builds}
    steady: dict[str, dict[str, Any]] = {b: {} for b in builds}
    for _ in range(repeat):
        for key, extra in variants:
            for name, gdgrade in builds.items():
                out = work / f"gdgrade-out{n}-{name}-{key.replace(', ', '-').replace(' ', '-')}"
                subprocess.run(["rm", "-rf", str(out)], check=True)
                command = [gdgrade, "batch", str(gd_class), "--out", str(out)]
                command += [
                    "--progress",
                    "lines",
                    *(w for e in EXERCISES for w in ("--exercise", e)),
                ]
                runs[name][key].append(run_measured([*command, *extra], env=envs[name]))
                steady[name][key] = _steady(out / "gradebook.sqlite")
    for cache in caches.values():
        shutil.rmtree(cache, ignore_errors=True)
    return {
        "submissions": n,
        "machine": machine.describe(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "nbgrader": {
            **nb_run.to_json(),
            "failed": nb_failed,
            "stderr_tail": nb_run.stderr[-1500:] if nb_failed else "",
            "ms_per_notebook": round(1000 * nb_run.wall_s / n, 1),
        },
        "limit": {
            "what": "the same notebooks' two functions on the same cases, one plain process",
            "wall_s": limit["wall_s"],
            "per_notebook_ms": summary_ms([r["total_s"] for r in limit["per_submission"]]),
        },
        "builds": {
            name: _build_result(nb_run.wall_s, n, runs[name], steady[name]) for name in builds
        },
        "target_20ms_per_notebook_met": all(
            1000 * _median_wall(runs[name]["default"]) / n <= 20 for name in builds
        ),
    }


def gd_environment(cache: Path) -> dict[str, str]:
    """A build's own case cache, and the benchmarks' seed unless GDGRADE_SEED is set (the
    hidden cases need one, and with none a batch would make a new one every run)."""
    env = dict(os.environ, GDGRADE_CACHE_DIR=str(cache), OPENBLAS_NUM_THREADS="1")
    env.setdefault("GDGRADE_SEED", BENCHMARK_SEED)
    return env


def build_python(gdgrade: str) -> str:
    """The interpreter of the venv a `gdgrade` command belongs to (beside it in bin/)."""
    found = shutil.which(gdgrade)
    if found is None:
        raise SystemExit(f"no such command: {gdgrade}")
    python = Path(found).parent / "python"
    return str(python) if python.exists() else sys.executable


def _median_wall(measured: list[Any]) -> float:
    return statistics.median(m.wall_s for m in measured)


def _build_result(
    nbgrader_s: float, n: int, runs: dict[str, list[Any]], steady: dict[str, Any]
) -> dict[str, Any]:
    walls = {key: _median_wall(measured) for key, measured in runs.items()}
    return {
        "runs": {
            key: {
                "walls_s": [round(m.wall_s, 3) for m in measured],
                "cpu_s": [round(m.cpu_s, 3) for m in measured],
                "median_wall_s": round(walls[key], 3),
                "median_cpu_s": round(statistics.median(m.cpu_s for m in measured), 3),
                "ms_per_notebook": round(1000 * walls[key] / n, 1),
                "loads": [round(m.load_before, 2) for m in measured],
                "last": measured[-1].to_json(),
                **steady[key],
            }
            for key, measured in runs.items()
        },
        "ratio_nbgrader_over_gdgrade": round(nbgrader_s / walls["default"], 2),
        "ratio_nbgrader_over_fastest_gdgrade": round(nbgrader_s / min(walls.values()), 2),
    }


def _steady(gradebook: Path) -> dict[str, Any]:
    """Per notebook once the workers run (first to last stored result), and each
    notebook's grading time inside its worker (sandbox + judging, before rendering)."""
    timings = gradebook_timings(gradebook)
    stamps = [t["graded_at"] for t in timings]
    steady = (stamps[-1] - stamps[0]) / (len(stamps) - 1) if len(stamps) > 1 else None
    return {
        "steady_ms_per_notebook": round(1000 * steady, 1) if steady else None,
        "grade_submission_ms": summary_ms([t["duration_s"] for t in timings]),
    }


_WARM = (
    "import sys; from grader.grade import case_set; from grader.assignment import "
    "load_assignment; a = load_assignment(None); "
    "[case_set(e, a.seed, None, a.hidden) for e in sys.argv[1:]]"
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "gdgrade-peers")
    parser.add_argument("--results", type=Path, help="also write the JSON result here")
    parser.add_argument(
        "--build",
        action="append",
        metavar="NAME=GDGRADE",
        help="a gdgrade command to compare, repeatable (default: gdgrade on PATH)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each gdgrade variant")
    args = parser.parse_args(argv)
    builds = dict(b.split("=", 1) for b in args.build or ["gdgrade=gdgrade"])
    args.work.mkdir(parents=True, exist_ok=True)
    result = compare(args.n, args.seed, args.work, builds, args.repeat)
    text = json.dumps(result, indent=1)
    if args.results:
        args.results.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
