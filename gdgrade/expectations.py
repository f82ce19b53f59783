"""The public cases' expectations, from the trusted grader or from data shipped to students.

`gdgrade check` judges a submission on the public cases only. In the full install their
expected values, tolerances and the known mistakes' outputs are computed from
`reference/`. The student release has no `reference/`: it ships the same expectations,
computed once by the release builder, as plain JSON (`public_expectations.json` in each
exercise's data folder). Public cases are public, so their mistake outputs are data the
students may see; no code of the reference or of the mistakes is shipped.

Both sources give identical `Expectation` values (`values.encode` round-trips floats
exactly), so both installs give the same verdicts.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from grader.compare import Tolerance
from grader.contract import BY_NAME
from grader.expectation import Expectation, VariantResult
from grader.model import Case
from grader.values import decode, encode

STORED_NAME = "public_expectations.json"
CACHE_ENV = "GDGRADE_CACHE_DIR"
FORMAT_VERSION = 1


def stored_path(exercise: str) -> Any:
    return resources.files("gdgrade.exercises") / BY_NAME[exercise].folder / STORED_NAME


def has_stored(exercise: str) -> bool:
    return stored_path(exercise).is_file()


@cache
def public_expectations(exercise: str) -> tuple[Expectation, ...]:
    """Stored expectations when this install has them (the release), else computed from
    the reference (and kept in the user's cache, keyed by everything they depend on)."""
    if has_stored(exercise):
        return load(json.loads(stored_path(exercise).read_text(encoding="utf-8")))
    path = cache_dir() / f"public-{exercise}-{source_digest(exercise)[:24]}.json"
    try:
        return load(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        pass
    items = computed(exercise)
    _write_quietly(path, json.dumps(dump(exercise, items)))
    return items


def computed(exercise: str) -> tuple[Expectation, ...]:
    """From the reference implementations. Only the full install has the module that
    computes them; the release ships stored expectations and never reaches this."""
    from grader.exercises import public_cases

    trusted = importlib.import_module("grader.expected")  # not shipped in the release
    return trusted.expectations(public_cases(exercise))


# --- the full install's cache ----------------------------------------------------------


def cache_dir() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gdgrade"


@cache
def _code_digest() -> str:
    """Every source the computed expectations depend on: the grader and the reference."""
    from importlib.metadata import version

    versions = " ".join(version(d) for d in ("numpy", "sympy"))  # without importing sympy
    h = hashlib.sha256(f"{FORMAT_VERSION} {versions}".encode())
    for package in ("grader", "reference"):
        spec = importlib.util.find_spec(package)
        roots = spec.submodule_search_locations if spec else None
        for root in roots or ():
            for path in sorted(Path(root).rglob("*.py")):
                h.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def source_digest(exercise: str) -> str:
    h = hashlib.sha256(_code_digest().encode())
    folder = resources.files("gdgrade.exercises") / BY_NAME[exercise].folder
    for name in ("exercise.json", "public_cases.json"):
        h.update((folder / name).read_bytes())
    return h.hexdigest()


def _write_quietly(path: Path, text: str) -> None:
    """Best effort: an unwritable cache only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


# --- JSON form --------------------------------------------------------------------------


def _tolerance(t: Tolerance) -> dict[str, Any]:
    return {"rtol": t.rtol, "atol": encode(t.atol)}


def _case(c: Case) -> dict[str, Any]:
    return {
        "id": c.id,
        "exercise": c.exercise,
        "args": encode(tuple(c.args)),
        "visibility": c.visibility,
        "weight": c.weight,
        "tags": list(c.tags),
        "title": dict(c.title),
    }


def dump(exercise: str, items: tuple[Expectation, ...]) -> dict[str, Any]:
    """The stored form of one exercise's public expectations; refuses hidden cases."""
    hidden = [e.case.id for e in items if e.case.visibility != "public"]
    if hidden:
        raise ValueError(f"hidden cases must never be stored for students: {hidden}")
    return {
        "format": FORMAT_VERSION,
        "exercise": exercise,
        "expectations": [
            {
                "case": _case(e.case),
                "reference": encode(e.reference),
                "target": encode(e.target),
                "tolerances": [_tolerance(t) for t in e.tolerances],
                "variants": [
                    {
                        "mistake_id": v.mistake_id,
                        "label": v.label,
                        "kind": v.kind,
                        "value": encode(v.value),
                    }
                    for v in e.variants
                ],
                "alternatives": [encode(a) for a in e.alternatives],
                "loss_range": encode(e.loss_range),
            }
            for e in items
        ],
    }


def _atol(data: Any) -> float | tuple[float, ...]:
    value = decode(data)
    return tuple(float(v) for v in value) if isinstance(value, tuple | list) else float(value)


def load(data: dict[str, Any]) -> tuple[Expectation, ...]:
    if data.get("format") != FORMAT_VERSION:
        raise ValueError(f"unknown public expectations format {data.get('format')!r}")
    out = []
    for item in data["expectations"]:
        c = item["case"]
        case = Case(
            id=c["id"],
            exercise=c["exercise"],
            args=tuple(decode(c["args"])),
            visibility=c["visibility"],
            weight=float(c["weight"]),
            tags=tuple(c["tags"]),
            title=dict(c["title"]),
        )
        variants = tuple(
            VariantResult(v["mistake_id"], v["label"], v["kind"], decode(v["value"]))
            for v in item["variants"]
        )
        loss_range = decode(item["loss_range"])
        out.append(
            Expectation(
                case=case,
                reference=decode(item["reference"]),
                target=decode(item["target"]),
                tolerances=tuple(
                    Tolerance(float(t["rtol"]), _atol(t["atol"])) for t in item["tolerances"]
                ),
                variants=variants,
                alternatives=tuple(decode(a) for a in item["alternatives"]),
                loss_range=tuple(loss_range) if loss_range is not None else None,
            )
        )
    return tuple(out)
