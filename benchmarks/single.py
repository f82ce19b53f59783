"""One student at a time, before and after a change, side by side in one run:

    python -m benchmarks.single [--before REF] [--after HEAD] [--repeat 5] [--out FILE]

Each side is a commit, exported with `git archive` into a temporary folder and run from
there (PYTHONPATH; the installed gdgrade's dependencies), so both sides run the same
measurements on the same machine at the same load, their runs interleaved:

- render: one student's HTML report with its pictures (`render_html` of the nine-exercise
  report with mistakes from tests/report_fixtures.py, seven pictures): the first call in a
  fresh process (it imports the drawing code) and the median of the next calls, each with
  what a worker remembers between students (charts, replays, checked texts) forgotten
  first, so that every picture is drawn; `render_found_ms`, the same report drawn again
  with them kept, as a batch finds the charts of the many submissions that return the
  same floats;
- cold: `gdgrade grade FILE` (one full submission) in a new process with an empty case
  cache, as a fresh CI runner starts it; warm: the same with the cache it left;
  warm html: the same writing the HTML report;
- gradescope: the bundle's run_autograder as Gradescope runs it on one submission in a
  new container: the bundle built by that side's `gdgrade gradescope-package`, its
  setup.sh's steps after installing gdgrade run once (the image), then each timed run on
  a fresh copy of that state; gdgrade on PATH is that side's `python -m grader`.

Figures are medians of --repeat runs, in seconds (render in milliseconds), with the CPU
time of the timed processes beside the walls (on a shared machine the wall follows the
load; the CPU time much less); the load average is read before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from .measure import BENCHMARK_SEED

ROOT = Path(__file__).resolve().parents[1]
SUBMISSION = ROOT / "examples" / "class" / "2024123456.py"  # correct, plain loops
RENDER_CALLS = 10

RENDER = """
import json, sys, time
sys.path.insert(0, "tests")
from report_fixtures import partial_report
report = partial_report()
started = time.perf_counter()
from grader.render import render_html
page = render_html(report, "ko")
first = time.perf_counter() - started

def forget():  # what a build keeps between students, where it keeps anything
    import grader.plots, grader.svg, gdgrade.safe_text
    for module, name in ((grader.svg, "_DRAWN"), (grader.plots, "_REPLAYS"),
                         (grader.plots, "_DIVERGING"), (gdgrade.safe_text, "_CLEAN")):
        kept = getattr(module, name, None)
        if kept is not None:
            kept.clear()

again, cpu, found = [], [], []
for _ in range(int(sys.argv[1])):
    forget()
    started, used = time.perf_counter(), time.process_time()
    render_html(report, "ko")
    again.append(time.perf_counter() - started)
    cpu.append(time.process_time() - used)
    started = time.perf_counter()
    render_html(report, "ko")
    found.append(time.perf_counter() - started)
print(json.dumps({"first": first, "again": sorted(again)[len(again) // 2],
                  "cpu": sorted(cpu)[len(cpu) // 2], "found": sorted(found)[len(found) // 2],
                  "pictures": page.count("<svg xmlns="), "bytes": len(page.encode()),
                  "matplotlib": "matplotlib" in sys.modules}))
"""


def export(commit: str, into: Path) -> Path:
    """The commit's files in `into`, laid out as the installed package imports them."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    for data in ("exercises", "templates"):  # gdgrade.exercises, gdgrade.templates
        (into / "gdgrade" / data).symlink_to(into / data, target_is_directory=True)
    return into


def environment(tree: Path, home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GDGRADE_") and k not in ("GITHUB_STEP_SUMMARY", "PYTHONPATH")
    }
    bin_dir = home / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    launcher = bin_dir / "gdgrade"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m grader "$@"\n')
    launcher.chmod(0o755)
    env |= {
        "PYTHONPATH": str(tree),
        "GDGRADE_SEED": BENCHMARK_SEED,
        "XDG_CACHE_HOME": str(home / "cache"),
        "PATH": f"{bin_dir}:{env.get('PATH', '')}",
    }
    return env


CPU = {"s": 0.0}  # CPU seconds (user + system) of the last timed command and what it waited for


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return wall, done.stdout


class Side:
    """One commit's tree and the scratch folders its runs use."""

    def __init__(self, name: str, commit: str, scratch: Path) -> None:
        self.name, self.commit = name, commit
        self.home = scratch / name
        self.tree = export(commit, self.home / "tree")
        self.env = environment(self.tree, self.home)
        self.bundle = self._gradescope_image()

    def grade(self, cache: Path, fmt: str = "text") -> float:
        env = self.env | {"GDGRADE_CACHE_DIR": str(cache)}
        out = self.home / f"report.{fmt}"
        command = [sys.executable, "-m", "grader", "grade", str(SUBMISSION), "--format", fmt]
        return timed([*command, "--out", str(out)], env, self.home)[0]

    def render(self) -> dict[str, Any]:
        _, out = timed([sys.executable, "-c", RENDER, str(RENDER_CALLS)], self.env, self.tree)
        return json.loads(out.strip().splitlines()[-1])

    def _gradescope_image(self) -> Path:
        """The bundle unpacked as /autograder/source, with setup.sh's own steps (after the
        wheel's install, which PYTHONPATH stands in for) run once: the image's state."""
        image = self.home / "image"
        zip_path = self.home / "autograder.zip"
        command = [sys.executable, "-m", "grader", "gradescope-package", "--out", str(zip_path)]
        timed(command, self.env, self.home)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(image / "autograder" / "source")
        for script in ("run_autograder", "setup.sh"):
            (image / "autograder" / "source" / script).chmod(0o700)
        setup = (image / "autograder" / "source" / "setup.sh").read_text(encoding="utf-8")
        steps = setup.split("gdgrade --version", 1)[1]  # what setup.sh does after installing
        env = self.gradescope_env(image)
        for line in steps.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                subprocess.run(
                    ["bash", "-c", line], cwd=image / "autograder" / "source", env=env, check=True
                )
        return image

    def gradescope_env(self, state: Path) -> dict[str, str]:
        """run_autograder's environment; it sets GDGRADE_SEED from the bundle's seed file."""
        env = {k: v for k, v in self.env.items() if k != "GDGRADE_SEED"}
        env |= {"GDGRADE_AUTOGRADER_ROOT": str(state / "autograder")}
        return env | {"XDG_CACHE_HOME": str(state / "cache")}

    def gradescope(self) -> float:
        """run_autograder on one submission, on a fresh copy of the image's state."""
        state = self.home / "container"
        shutil.rmtree(state, ignore_errors=True)
        shutil.copytree(self.bundle, state, symlinks=True)
        submission = state / "autograder" / "submission"
        submission.mkdir(parents=True)
        shutil.copyfile(SUBMISSION, submission / SUBMISSION.name)
        env = self.gradescope_env(state)
        wall, _ = timed(
            [sys.executable, str(state / "autograder" / "source" / "run_autograder")],
            env,
            state,
        )
        results = json.loads((state / "autograder" / "results" / "results.json").read_text())
        if not results.get("tests"):
            raise RuntimeError(f"{self.name}: run_autograder did not grade: {results}")
        return wall


def measure(sides: list[Side], repeat: int) -> dict[str, dict[str, Any]]:
    runs: dict[str, dict[str, list[float]]] = {s.name: {} for s in sides}

    def add(side: Side, key: str, value: float) -> None:
        runs[side.name].setdefault(key, []).append(value)

    renders: dict[str, dict[str, Any]] = {}
    for side in sides:  # compile each tree's bytecode once, as an installed package has it
        side.grade(side.home / "warmup-cache")
    for _ in range(repeat):
        for side in sides:
            found = side.render()
            renders[side.name] = found
            add(side, "render_first_ms", 1000 * found["first"])
            add(side, "render_ms", 1000 * found["again"])
            add(side, "render_cpu_ms", 1000 * found["cpu"])
            add(side, "render_found_ms", 1000 * found["found"])
            cache = Path(tempfile.mkdtemp(dir=side.home, prefix="cache-"))
            add(side, "cold_s", side.grade(cache))
            add(side, "cold_cpu_s", CPU["s"])
            add(side, "warm_s", side.grade(cache))
            add(side, "warm_cpu_s", CPU["s"])
            add(side, "warm_html_s", side.grade(cache, "html"))
            add(side, "gradescope_s", side.gradescope())
            add(side, "gradescope_cpu_s", CPU["s"])
            shutil.rmtree(cache)
    out: dict[str, dict[str, Any]] = {}
    for side in sides:
        medians = {k: round(statistics.median(v), 3) for k, v in runs[side.name].items()}
        out[side.name] = {
            "commit": side.commit,
            **medians,
            "pictures": renders[side.name]["pictures"],
            "page_bytes": renders[side.name]["bytes"],
            "render_imports_matplotlib": renders[side.name]["matplotlib"],
        }
    return out


ROWS = [
    ("render_ms", "one student's HTML report with its pictures (ms, median)", "≤ 50"),
    ("render_cpu_ms", "  its CPU time (ms, median)", ""),
    ("render_first_ms", "  the same, first call in a new process (ms)", ""),
    ("render_found_ms", "  the same report again, its charts kept (ms, median)", ""),
    ("cold_s", "`gdgrade grade` one full submission, empty cache (s)", "< 1.0"),
    ("cold_cpu_s", "  its CPU time, user + system, all processes (s)", ""),
    ("warm_s", "`gdgrade grade`, warm cache (s)", "< 0.5"),
    ("warm_cpu_s", "  its CPU time (s)", ""),
    ("warm_html_s", "`gdgrade grade --format html`, warm cache (s)", ""),
    ("gradescope_s", "Gradescope run_autograder, one submission (s)", "< 1.5"),
    ("gradescope_cpu_s", "  its CPU time (s)", ""),
]


def table(result: dict[str, Any]) -> str:
    before, after = result["sides"]["before"], result["sides"]["after"]
    lines = [
        f"before {before['commit'][:10]}, after {after['commit'][:10]}; "
        f"median of {result['repeat']}; load {result['load_before']} → {result['load_after']}",
        "",
        "| what | before | after | target |",
        "|---|---|---|---|",
    ]
    for key, label, target in ROWS:
        lines.append(f"| {label} | {before[key]} | {after[key]} | {target} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--before", help="commit of the 'before' side (default: where --after left main)"
    )
    parser.add_argument("--after", default="HEAD", help="commit of the 'after' side")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, help="also write the figures here (JSON)")
    args = parser.parse_args(argv)

    def resolve(ref: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{ref}^{{commit}}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40}", done.stdout.strip()):
            parser.error(f"not a commit: {ref}")
        return done.stdout.strip()

    after = resolve(args.after)
    if args.before is None:
        base = subprocess.run(
            ["git", "-C", str(ROOT), "merge-base", after, "main"],
            capture_output=True,
            text=True,
            check=False,
        )
        args.before = base.stdout.strip() or "main"
    commits = {"before": resolve(args.before), "after": after}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="gdgrade-single-") as scratch:
        sides = [Side(name, commit, Path(scratch)) for name, commit in commits.items()]
        figures = measure(sides, args.repeat)
    result = {
        "repeat": args.repeat,
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
        "sides": figures,
    }
    print(table(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
