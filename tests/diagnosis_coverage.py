"""How much of what goes wrong in the sample corpus the grader can name.

Grades every file of tests/submissions/manifest.json through the sandbox, as the corpus
test does, and reports for the wrong (file, exercise) pairs how many carry a named mistake
or a recovered rule, how many get full marks although the manifest says they are wrong
(false full marks), and what trying pairs and fitting rules cost per failing exercise.

    python tests/diagnosis_coverage.py [--seed S] [--list] [--examples]

--examples reads the example class instead (examples/expected.json, same format).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grader.grade as grade_module
from gdgrade.sandbox import Limits, Sandbox
from grader.assignment import Assignment
from grader.grade import grade_path

SUBMISSIONS = Path(__file__).parent / "submissions"
EXAMPLES = Path(__file__).parents[1] / "examples"
GENERIC = {"wrong_shape", "raises", "timeout", "memory", "crashed", "returns_none"}


def timed(fn: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--list", action="store_true", help="one line per wrong pair")
    parser.add_argument("--examples", action="store_true", help="the example class instead")
    options = parser.parse_args()
    if options.examples:
        folder, manifest_file = EXAMPLES / "class", EXAMPLES / "expected.json"
    else:
        folder, manifest_file = SUBMISSIONS, SUBMISSIONS / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    spent: list[float] = []  # seconds per failing exercise that no single variant explained
    grade_module.explain = timed(grade_module.explain, spent)  # called only for those
    wrong = named = strict = false_full = 0
    rows = []
    limits = Limits(call_wall_s=2.0, load_wall_s=5.0, submission_wall_s=60.0)
    with Sandbox(limits) as sandbox:
        for entry in manifest:
            assignment = Assignment(seed=options.seed).only(tuple(entry["expect"]))
            report = grade_path(folder / entry["file"], assignment, sandbox)
            for e in report.exercises:
                if entry["expect"][e.id]["full_marks"]:
                    continue
                wrong += 1
                ids = [d.id for d in e.diagnoses if d.severity == "mistake"]
                false_full += e.score == e.max_score
                named += bool(ids)
                strict += bool(set(ids) - GENERIC)
                rows.append((entry["file"], e.id, f"{e.score:g}/{e.max_score:g}", ids))
    if options.list:
        for row in rows:
            print(*row, sep="\t")
    print(f"wrong (file, exercise) pairs: {wrong}")
    print(f"false full marks: {false_full}")
    print(f"with a named mistake or recovered rule: {named} ({100 * named / wrong:.1f} %)")
    print(f"  not counting generic ids {sorted(GENERIC)}: {strict} ({100 * strict / wrong:.1f} %)")
    if spent:
        ms = sorted(1000 * s for s in spent)
        print(
            f"pairs and rules, tried on {len(ms)} failing exercises no single variant explained: "
            f"median {ms[len(ms) // 2]:.0f} ms, max {ms[-1]:.0f} ms"
        )
    return 0 if wrong and named >= 0.95 * wrong and not false_full else 1


if __name__ == "__main__":
    raise SystemExit(main())
