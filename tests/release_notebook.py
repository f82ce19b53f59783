"""Execute a student's notebook against the installed release, with the portable runner.

    VENV/bin/python tests/release_notebook.py [release/dist/gdgrade_student-*.whl]

Run it with the interpreter of an environment that has only the release installed (and
nbclient + ipykernel to execute the notebook): it never imports this checkout. The
notebook installs the wheel with %pip when one is given (as the README tells students),
defines the nine functions, runs check() for all nine and then for each one, checks an
endless loop, and proves the kernel is still alive. Exit 0 when all of that holds.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from gdgrade.contract import EXERCISE_IDS

HERE = Path(__file__).resolve().parent
SOLUTION = HERE / "submissions" / "correct" / "loops.py"
RUN_LIMIT_S = 60  # the check's per-file limit (Limits.submission_wall_s)

EVERY_EXERCISE = """
from gdgrade import check
from gdgrade.pytest_plugin import EXERCISES
from gdgrade.sandbox.runners import requested_runner
result = check(lang="en")
each = {e: check(e, lang="en").ok for e in EXERCISES}
print(json.dumps({"all": result.ok, "verdicts": [c.verdict for c in result.report.checks],
                  "each": each, "runner": requested_runner(None)}))
"""
ENDLESS = """
def gradient_step(x, grad, learning_rate):
    while True:
        pass

started = time.monotonic()
stuck = check("gradient_step", lang="en")
print(json.dumps({"seconds": time.monotonic() - started, "ok": stuck.ok,
                  "statuses": [c.outcome.status for c in stuck.report.checks[0].result.cases]}))
"""


def notebook(wheel: str | None) -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_code_cell("import json, os, time")]
    if wheel:
        install = f"%pip install --no-index --no-deps --force-reinstall {wheel}"
        cells.append(nbformat.v4.new_code_cell(install))
    cells += [
        nbformat.v4.new_code_cell(SOLUTION.read_text(encoding="utf-8")),
        nbformat.v4.new_code_cell(EVERY_EXERCISE),
        nbformat.v4.new_code_cell(ENDLESS),
        nbformat.v4.new_code_cell('print("alive", 1 + 1)'),
    ]
    return nbformat.v4.new_notebook(cells=cells)


def last_json(cell: nbformat.NotebookNode) -> dict:
    text = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
    return json.loads(text.strip().splitlines()[-1])


def main() -> int:
    wheel = str(Path(sys.argv[1]).resolve()) if len(sys.argv) > 1 else None
    os.environ["GDGRADE_RUNNER"] = "portable"  # the kernel inherits it
    nb = notebook(wheel)
    with tempfile.TemporaryDirectory() as work:  # not this checkout: only the release
        started = time.monotonic()
        NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": work}}
        ).execute()
        total = time.monotonic() - started
    checks, stuck, alive = (last_json(nb.cells[-3]), last_json(nb.cells[-2]), nb.cells[-1])
    print(f"all exercises: ok={checks['all']} verdicts={checks['verdicts']}")
    print(f"one by one: {checks['each']}")
    print(f"runner the kernel's check() uses: {checks['runner']}")
    print(f"endless loop: {stuck['seconds']:.1f} s, ok={stuck['ok']}, {stuck['statuses']}")
    print(f"after it: {alive.outputs[0]['text'].strip()}  (notebook ran in {total:.0f} s)")
    good = (
        checks["all"]
        and checks["verdicts"] == ["passed"] * len(EXERCISE_IDS)
        and all(checks["each"].values())
        and len(checks["each"]) == len(EXERCISE_IDS)
        and stuck["seconds"] < RUN_LIMIT_S
        and not stuck["ok"]
        and set(stuck["statuses"]) == {"timeout"}
        and alive.outputs[0]["text"].strip() == "alive 2"
    )
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
