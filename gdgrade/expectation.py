"""What a case expects of a student's answer, as data: the judging side reads it, and it
can be stored (the student release ships it) — computing it is grader.expected's job."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gdgrade.case import Case
from gdgrade.compare import Tolerance
from gdgrade.contract import BY_NAME
from gdgrade.json_values import decode, encode
from gdgrade.mistakes import Severity

FORMAT_VERSION = 2


@dataclass(frozen=True)
class VariantResult:
    mistake_id: str
    label: str
    kind: Severity
    value: Any  # None when the variant itself raised on these arguments


@dataclass(frozen=True)
class Expectation:
    case: Case
    reference: Any
    target: Any
    tolerances: tuple[Tolerance, ...]
    variants: tuple[VariantResult, ...]
    alternatives: tuple[Any, ...] = ()  # other accepted answers (another difference scheme)
    loss_range: tuple[float, float] | None = None  # final losses the reference reaches with
    # other shuffles (rng exercises only): what a result that breaks the protocol must reach
    exact: Any = None  # the exact derivative (exercises 1-2), for telling the scheme

    @property
    def part_names(self) -> tuple[str, ...]:
        return BY_NAME[self.case.exercise].returns


# --- JSON form: what the release ships and the grader caches ------------------------


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


def to_json(exercise: str, items: tuple[Expectation, ...]) -> dict[str, Any]:
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
                "exact": encode(e.exact),
            }
            for e in items
        ],
    }


def _atol(data: Any) -> float | tuple[float, ...]:
    value = decode(data)
    return tuple(float(v) for v in value) if isinstance(value, tuple | list) else float(value)


def from_json(data: dict[str, Any]) -> tuple[Expectation, ...]:
    if data.get("format") != FORMAT_VERSION:
        raise ValueError(f"unknown expectations format {data.get('format')!r}")
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
                exact=decode(item.get("exact")),
            )
        )
    return tuple(out)
