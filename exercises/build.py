"""Regenerate the generated part of what students receive, from the hand-written sources.

    python exercises/build.py           # rewrite what is stale: cases, expectations, examples
    python exercises/build.py --check   # only report stale files (exit 1 if any)

Hand-written: exercise.json, the statements' prose, starter.py, the case inputs (case_inputs.py)
and the examples (examples.py). Generated: every expected value (`public_cases.json`, and
`public_expectations.json`, what the student's check judges with: tolerances and the known
mistakes' outputs on each public case), every number in a worked example, and
starter.ipynb. Each function below returns the text a file should have, so a test can
regenerate in memory and compare with what is stored.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
from gdgrade.exercises import catalog, examples, notebook, statements
from gdgrade.exercises.case_inputs import CASE_INPUTS, CaseInput

import reference
from gdgrade import public_expectations
from gdgrade.contract import BY_NAME, EXERCISE_IDS
from gdgrade.exercise_data import cases_from_json
from gdgrade.json_values import RngSpec, decode, encode

# A public case file is current when its structure, strings and integers are what the
# reference gives now and every float is within this tolerance of the fresh value
# (|stored - now| <= CASE_ATOL + CASE_RTOL * |now|). Text equality would make the files
# depend on the machine: another BLAS kernel or numpy version adds in another order or
# evaluates exp and log differently, so the last bits move. Measured on the public cases:
# 8e-16 relative between OpenBLAS kernels, 7e-14 between numpy 1.24 and 2.4 (finite
# differences, which divide f's rounding by h); the worst case these cases allow, a few
# ulps of f(x) over h, is 6e-11. A real change moves values far more: each known-mistake
# variant of the reference moves some value of its file by 10 % or more, and a case input
# is typed with a few significant digits, so editing one moves it by 1e-4 or more.
# CASE_RTOL also stays a thousand times below the paths' graded rtol (1e-6), so a file
# accepted here judges a student's answer as a freshly built one would.
CASE_RTOL = 1e-9
CASE_ATOL = 1e-12


def materialise(args: tuple) -> tuple:
    """Arguments ready to call: a fresh generator per RngSpec, copies of arrays."""
    return tuple(
        a.make() if isinstance(a, RngSpec) else a.copy() if isinstance(a, np.ndarray) else a
        for a in args
    )


def expected(exercise: str, encoded_args: Any) -> Any:
    """The reference result for the arguments exactly as stored (decoded from the file's form)."""
    return reference.REFERENCE[exercise](*materialise(decode(encoded_args)))


def case_entry(exercise: str, case: CaseInput) -> dict[str, Any]:
    args = encode(tuple(case.args))
    return {
        "id": case.id,
        "title": {"ko": case.title_ko, "en": case.title_en},
        "args": args,
        "expected": encode(expected(exercise, args)),
        "tags": list(case.tags),
        "weight": case.weight,
    }


def case_file(exercise: str) -> dict[str, Any]:
    """The content of one `public_cases.json`."""
    return {
        "exercise": exercise,
        "cases": [case_entry(exercise, case) for case in CASE_INPUTS[exercise]()],
    }


def case_file_text(exercise: str) -> str:
    """JSON with one case per line, so a diff shows which case changed."""
    data = case_file(exercise)
    lines = [json.dumps(case, ensure_ascii=False) for case in data["cases"]]
    head = f'{{"exercise": {json.dumps(data["exercise"])}, "cases": [\n'
    return head + ",\n".join(lines) + "\n]}\n"


def expectations_file_text(exercise: str) -> str:
    """The public cases' expectations, computed from the case file as built now; one
    expectation per line, so a diff shows which case changed."""
    from grader.expected import expectations

    cases = cases_from_json(exercise, case_file(exercise))
    data = public_expectations.dump(exercise, expectations(cases))
    lines = [json.dumps(item, ensure_ascii=False) for item in data["expectations"]]
    head = f'{{"format": {data["format"]}, "exercise": {json.dumps(exercise)}, "expectations": [\n'
    return head + ",\n".join(lines) + "\n]}\n"


def statement_text(exercise: str, lang: str) -> str:
    return statements.statement(exercise, lang)


def notebook_text() -> str:
    parts = [
        notebook.ExerciseCells(
            number=BY_NAME[exercise].number,
            statement_ko=statement_text(exercise, "ko"),
            statement_en=statement_text(exercise, "en"),
            starter=catalog.starter_path(exercise).read_text(encoding="utf-8"),
            example=examples.render(exercise, imports=False),
            function=exercise,
        )
        for exercise in EXERCISE_IDS
    ]
    return notebook.text(notebook.build(parts))


SCHEMA_PATH = catalog.ROOT.parent / "grader" / "schema" / "report.schema.json"
_SCHEMA_IDS = re.compile(r'("id": \{"enum": \[)[^\]]*(\]\})')


def schema_text() -> str:
    """The report schema with the exercise ids of the registry as its enum."""
    ids = ", ".join(json.dumps(e) for e in EXERCISE_IDS)
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    return _SCHEMA_IDS.sub(lambda m: m.group(1) + ids + m.group(2), text, count=1)


def generated_files() -> dict[Path, str]:
    """Every generated file and the text it should have now."""
    files: dict[Path, str] = {}
    for exercise in EXERCISE_IDS:
        files[catalog.cases_path(exercise)] = case_file_text(exercise)
        files[catalog.expectations_path(exercise)] = expectations_file_text(exercise)
        for lang in catalog.LANGUAGES:
            files[catalog.statement_path(exercise, lang)] = statement_text(exercise, lang)
    files[catalog.NOTEBOOK_PATH] = notebook_text()
    files[SCHEMA_PATH] = schema_text()
    return files


def difference(stored: Any, now: Any, where: str = "") -> str | None:
    """Where two parsed case files first differ beyond CASE_RTOL/CASE_ATOL, or None."""
    if isinstance(stored, float) and isinstance(now, float):
        if abs(stored - now) <= CASE_ATOL + CASE_RTOL * abs(now):
            return None
    elif isinstance(stored, dict) and isinstance(now, dict) and stored.keys() == now.keys():
        found = (difference(stored[k], now[k], f"{where}.{k}") for k in now)
        return next((d for d in found if d is not None), None)
    elif isinstance(stored, list) and isinstance(now, list) and len(stored) == len(now):
        found = (difference(a, now[i], f"{where}[{i}]") for i, a in enumerate(stored))
        return next((d for d in found if d is not None), None)
    elif type(stored) is type(now) and stored == now:
        return None
    return f"{where or 'file'}: stored {str(stored)[:60]}, now {str(now)[:60]}"


def is_current(path: Path, text: str) -> bool:
    """A case file within the tolerance above; any other generated file exactly as built."""
    if not path.exists():
        return False
    stored = path.read_text("utf-8")
    if stored == text or path.suffix != ".json":
        return stored == text
    try:
        return difference(json.loads(stored), json.loads(text)) is None
    except json.JSONDecodeError:
        return False


def stale(files: dict[Path, str]) -> list[Path]:
    return [p for p, text in files.items() if not is_current(p, text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report stale files, write nothing")
    options = parser.parse_args(argv)
    files = generated_files()
    outdated = stale(files)
    for path in outdated:
        if not options.check:
            path.write_text(files[path], encoding="utf-8")
        print(f"{'stale' if options.check else 'wrote'} {path.relative_to(catalog.ROOT.parent)}")
    return 1 if options.check and outdated else 0


if __name__ == "__main__":
    sys.exit(main())
