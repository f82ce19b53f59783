"""The GradeReport tree — what every renderer reads — and its stable JSON form.

Hidden cases keep their inputs and expected values in the tree (TAs may reveal them),
but `to_json` redacts them unless the visibility setting allows: student-facing output
never shows what a hidden case asked or expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import fixes as fix_summary
from .compare import Comparison, PartComparison
from .fixes import Fix, detail, summary
from .formats.safe import visible
from .i18n import text
from .model import CallOutcome, LoadReport
from .results import Diagnosis
from .score import Status
from .values import encode

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class CaseResult:
    id: str
    visibility: str
    weight: float
    tags: tuple[str, ...]
    title: dict[str, str]
    credit: float
    outcome: CallOutcome
    comparison: Comparison
    args: tuple[Any, ...]
    expected: Any

    @property
    def status(self) -> str:
        if self.outcome.status != "returned":
            return "error" if self.outcome.status != "missing" else "missing"
        return "passed" if self.comparison.ok else "failed"


@dataclass(frozen=True)
class ExerciseResult:
    id: str
    number: int
    title: dict[str, str]
    score: float
    max_score: float
    status: Status
    cases: tuple[CaseResult, ...]
    diagnoses: tuple[Diagnosis, ...]
    cap: float | None = None  # the rng fallback's credit cap, when it applied
    # public and degenerate cases earned at most this (the credit earned on the cases that
    # need a working solution; grader.score), when it held a case's credit down
    gate: float | None = None
    kept: float | None = None  # the credit policy's share of a named mistake, when it applied


@dataclass(frozen=True)
class GradeReport:
    submission: str
    sha256: str
    student_id: str | None
    exercises: tuple[ExerciseResult, ...]
    load: LoadReport
    seed: int
    per_student: bool
    versions: dict[str, str]
    command: str
    duration_s: float
    grader_errors: tuple[str, ...] = ()  # our faults, kept apart from the student's
    reveal_hidden: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return round(sum(e.score for e in self.exercises), 2)

    @property
    def max_score(self) -> float:
        return round(sum(e.max_score for e in self.exercises), 2)

    @property
    def fixes(self) -> tuple[Fix, ...]:
        """What to fix, one entry per exercise that lost points: shown first in every report."""
        return summary(self.exercises)


# --- messages ------------------------------------------------------------------------


def part_message(p: PartComparison, lang: str) -> str:
    if p.kind == "type":
        return text(lang, "compare", "type", part=p.part, got_type=p.got_type)
    if p.kind == "shape":
        shapes = {"got": p.got_shape, "expected": p.expected_shape}
        return text(lang, "compare", "shape", part=p.part, **shapes)
    if p.kind in ("value", "nonfinite"):
        message = text(
            lang,
            "compare",
            p.kind,
            part=p.part,
            n_bad=p.n_bad,
            n_total=p.n_total,
            max_abs=p.max_abs,
            max_rel=p.max_rel,
        )
        if p.is_path and p.first_bad is not None:
            if p.first_bad == 0:
                message += " " + text(lang, "compare", "path_first")
            else:
                steps = p.first_bad
                message += " " + text(lang, "compare", "path_agrees", steps=steps, step=steps + 1)
        return message
    return text(lang, "compare", "ok")


def case_message(case: CaseResult, lang: str) -> str:
    o = case.outcome
    if o.status == "raised":
        return text(lang, "outcome", "raised", error_type=o.error_type, message=o.error_message)
    if o.status != "returned":
        return text(lang, "outcome", o.status, error_type=o.error_type)
    if o.value is None:
        return text(lang, "outcome", "none")
    c = case.comparison
    if c.ok:
        return text(lang, "compare", "ok")
    if c.kind == "arity":
        if c.got_arity is None:
            return text(lang, "compare", "arity_unknown", expected=c.expected_arity)
        return text(lang, "compare", "arity", expected=c.expected_arity, got=c.got_arity)
    return " ".join(part_message(p, lang) for p in c.parts if not p.ok)


def concealed(case: CaseResult, report: GradeReport) -> bool:
    """A hidden case whose inputs, and the student's text about them, must stay hidden."""
    return case.visibility == "hidden" and not report.reveal_hidden


def frames_only(traceback: str, error_type: str) -> str:
    """The traceback's header and frame lines, then the exception's type without its message."""
    kept = []
    for line in traceback.splitlines():
        if line.startswith("Traceback") or line.startswith("  "):
            kept.append(line)
        elif kept:
            break
    return "\n".join([*kept, error_type]) if kept else ""


def shown_message(case: CaseResult, lang: str, hide: bool) -> str:
    o = case.outcome
    if hide and o.status == "raised":
        return text(lang, "ui", "raised_concealed", error_type=visible(o.error_type))
    first = case.comparison.first_failure
    if hide and o.status == "returned" and first is not None and first.kind == "shape":
        return text(lang, "compare", "shape_hidden", part=first.part)  # a shape tells the input
    return visible(case_message(case, lang))


def diagnosis_json(d: Diagnosis, lang: str) -> dict[str, Any]:
    return {
        "id": d.id,
        "severity": d.severity,
        "title": text(lang, "mistakes", d.id, "title"),
        "message": text(lang, "mistakes", d.id, "explain"),
        "hint": text(lang, "mistakes", d.id, "hint"),
        "detail": detail(d, lang),
        "evidence": d.evidence,
    }


def _comparison_json(c: Comparison) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "parts": [
            {
                "part": p.part,
                "kind": p.kind,
                "n_total": p.n_total,
                "n_bad": p.n_bad,
                "max_abs": encode(p.max_abs),
                "max_rel": encode(p.max_rel),
                "first_bad": p.first_bad,
            }
            for p in c.parts
        ],
    }


def case_json(case: CaseResult, lang: str, reveal: bool) -> dict[str, Any]:
    o = case.outcome
    shown = reveal or case.visibility == "public"
    hide = not shown
    data: dict[str, Any] = {
        "id": case.id,
        "visibility": case.visibility,
        "title": case.title.get(lang, case.title.get("en", "")),
        "tags": list(case.tags),
        "status": case.status,
        "score": round(case.credit * case.weight, 4),
        "max_score": round(case.weight, 4),
        "message": shown_message(case, lang, hide),
        "comparison": _comparison_json(case.comparison),
        "call": {
            "status": o.status,
            "error_type": o.error_type,
            "error_message": "" if hide else o.error_message,
            "traceback": frames_only(o.traceback, o.error_type) if hide else o.traceback,
            "stdout": "" if hide else o.stdout,
            "duration_s": round(o.duration_s, 4),
            "calls": o.calls,
            "mutated_args": list(o.mutated_args),
        },
    }
    if shown:
        data["args"] = _safe_encode(case.args)
        data["expected"] = _safe_encode(case.expected)
        data["got"] = _safe_encode(o.value)
    return data


def _safe_encode(value: Any) -> Any:
    try:
        return encode(value)
    except TypeError:
        return {"str": repr(value)[:200]}


def to_json(report: GradeReport, lang: str = "ko") -> dict[str, Any]:
    """The documented, stable JSON form (schema in grader/schema/report.schema.json)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "submission": report.submission,
        "sha256": report.sha256,
        "student_id": report.student_id,
        "score": report.score,
        "max_score": report.max_score,
        "lang": lang,
        "fixes": [
            {
                "exercise": f.exercise,
                "ids": [d.id for d in f.diagnoses],
                "text": fix_summary.line(f, lang),
            }
            for f in report.fixes
        ],
        "exercises": [
            {
                "id": e.id,
                "number": e.number,
                "title": e.title.get(lang, e.id),
                "score": e.score,
                "max_score": e.max_score,
                "status": e.status,
                "status_text": text(lang, "status", e.status),
                "rng_fallback_cap": e.cap,
                "evidence_gate": e.gate,
                "mistake_share": e.kept,
                "diagnoses": [diagnosis_json(d, lang) for d in e.diagnoses],
                "cases": [case_json(c, lang, report.reveal_hidden) for c in e.cases],
            }
            for e in report.exercises
        ],
        "load": {
            "defined": list(report.load.defined),
            "problems": [
                {
                    "kind": p.kind,
                    "message": p.message,
                    "line": p.line,
                    "cell": p.cell,
                    "detail": p.detail,
                }
                for p in report.load.problems
            ],
            "stdout": report.load.stdout,
            "duration_s": round(report.load.duration_s, 4),
        },
        "grader_errors": list(report.grader_errors),
        "reproduce": {
            "seed": report.seed,
            "per_student": report.per_student,
            "student_id": report.student_id,
            "versions": report.versions,
            "command": report.command,
        },
        "duration_s": round(report.duration_s, 4),
    }
