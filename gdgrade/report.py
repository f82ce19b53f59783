"""The GradeReport tree — what every renderer reads — and its stable JSON form.

Hidden cases keep everything in the tree (the TA's record shows it), but `to_json`, like
every format, shows what gdgrade.visibility allows: student-facing output never shows
what a hidden case asked or expected, nor the seed that generates the hidden cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from gdgrade import fixes as fix_summary
from gdgrade.case import CallOutcome, LoadProblem, LoadReport
from gdgrade.compare import Comparison, PartComparison
from gdgrade.fixes import Fix, detail, summary
from gdgrade.i18n import text
from gdgrade.json_values import encode
from gdgrade.judge import Diagnosis
from gdgrade.safe_text import visible
from gdgrade.score import Status
from gdgrade.visibility import (
    DEFAULT_LEVEL,
    Policy,
    Row,
    evidence,
    fault_line,
    rows,
    verdict_message,
)

SCHEMA_VERSION = 2  # 2: the seed and hidden cases' detail left student-facing output


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
    # need a working solution; gdgrade.score), when it held a case's credit down
    gate: float | None = None
    kept: float | None = None  # the credit policy's share of a named mistake, when it applied


@dataclass(frozen=True)
class GradeReport:
    submission: str
    sha256: str
    student_id: str | None
    exercises: tuple[ExerciseResult, ...]
    load: LoadReport
    seed: int | None  # the instructor's secret: only the TA's record shows it
    per_student: bool
    versions: dict[str, str]
    command: str
    duration_s: float
    grader_errors: tuple[str, ...] = ()  # our faults, kept apart from the student's
    reveal_hidden: bool = False  # the TA's record: everything, not for students
    extra: dict[str, Any] = field(default_factory=dict)
    case_set: str = ""  # the case set's fingerprint (grader.secret), shown instead of the seed
    hidden_visibility: str = DEFAULT_LEVEL  # what students see of hidden cases

    @property
    def policy(self) -> Policy:
        return Policy(self.hidden_visibility, self.reveal_hidden)

    @property
    def shown_faults(self) -> tuple[str, ...]:
        """The grader's faults as the reader may see them: in full for the TA only."""
        if self.policy.ta:
            return self.grader_errors
        return tuple(fault_line(f) for f in self.grader_errors)

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

    def shown_diagnosis(self, e: ExerciseResult, d: Diagnosis, lang: str) -> Diagnosis:
        """The diagnosis with the evidence its reader may see (gdgrade.visibility.evidence):
        what it says in words (a learning rate that was given) may be a hidden input."""
        return replace(d, evidence=evidence(d, e.cases, self.policy, lang))

    def shown_fix(self, fix: Fix, lang: str) -> Fix:
        e = next(e for e in self.exercises if e.id == fix.exercise)
        return replace(
            fix, diagnoses=tuple(self.shown_diagnosis(e, d, lang) for d in fix.diagnoses)
        )


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


def call_message(o: CallOutcome, lang: str) -> str:
    """Why a call gave no value: the exception as Python said it, the grader's own account
    (a key of the "call" catalogue), or the status's sentence."""
    if o.status == "raised":
        return text(lang, "outcome", "raised", error_type=o.error_type, message=o.error_message)
    if o.reason:
        return text(lang, "call", o.reason, **o.reason_params)
    return text(lang, "outcome", o.status, error_type=o.error_type)


def problem_message(p: LoadProblem, lang: str) -> str:
    """A load problem in words: what Python said, or the grader's own note in `lang`."""
    return text(lang, "load", p.key, **p.params) if p.key else p.message


def case_message(case: CaseResult, lang: str) -> str:
    o = case.outcome
    if o.status != "returned":
        return call_message(o, lang)
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


def row_message(row: Row, lang: str) -> str:
    """A row's message: the full comparison for a case shown in full, else the verdict."""
    if row.case is None:
        return verdict_message(row.status, lang)
    return visible(case_message(row.case, lang))


def diagnosis_json(d: Diagnosis, lang: str) -> dict[str, Any]:
    """`d` as its reader may see it (GradeReport.shown_diagnosis)."""
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


def row_json(row: Row, cases: tuple[CaseResult, ...], lang: str) -> dict[str, Any]:
    """One row of an exercise's case list: in full for a case the reader may see, else
    its neutral id and name, verdict and points only."""
    members = [cases[i] for i in row.members]
    data: dict[str, Any] = {
        "id": row.id,
        "visibility": "hidden" if row.hidden else "public",
        "title": row.name,
        "tags": [],
        "status": row.status,
        "score": round(sum(c.credit * c.weight for c in members), 4),
        "max_score": round(sum(c.weight for c in members), 4),
        "message": row_message(row, lang),
    }
    case = row.case
    if case is None:
        return data
    o = case.outcome
    data["title"] = case.title.get(lang, case.title.get("en", ""))
    data["tags"] = list(case.tags)
    data["comparison"] = _comparison_json(case.comparison)
    data["call"] = {
        "status": o.status,
        "error_type": o.error_type,
        "error_message": o.error_message or (call_message(o, lang) if o.reason else ""),
        "reason": o.reason,
        "traceback": o.traceback,
        "stdout": o.stdout,
        "duration_s": round(o.duration_s, 4),
        "calls": o.calls,
        "mutated_args": list(o.mutated_args),
    }
    data["args"] = _safe_encode(case.args)
    data["expected"] = _safe_encode(case.expected)
    data["got"] = _safe_encode(o.value)
    return data


def _safe_encode(value: Any) -> Any:
    try:
        return encode(value)
    except TypeError:
        return {"str": repr(value)[:200]}


def _exercise_json(e: ExerciseResult, report: GradeReport, lang: str) -> dict[str, Any]:
    return {
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
        "diagnoses": [
            diagnosis_json(report.shown_diagnosis(e, d, lang), lang) for d in e.diagnoses
        ],
        "cases": [row_json(r, e.cases, lang) for r in rows(e.cases, report.policy, lang)],
    }


def to_json(report: GradeReport, lang: str = "ko") -> dict[str, Any]:
    """The documented, stable JSON form (schema in grader/schema/report.schema.json).

    Student-facing unless the report is the TA's record (`reveal_hidden`): then it says so
    in `audience` and `notice`, shows hidden cases in full and carries the seed and the
    total time (which sums the time of hidden calls: a channel the student's code controls).
    """
    policy = report.policy
    reproduce: dict[str, Any] = {
        "case_set": report.case_set,
        "per_student": report.per_student,
        "student_id": report.student_id,
        "versions": report.versions,
        "command": report.command,
    }
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "audience": "ta" if policy.ta else "student",
        "notice": text(lang, "ui", "ta_only") if policy.ta else "",
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
            for f in (report.shown_fix(f, lang) for f in report.fixes)
        ],
        "exercises": [_exercise_json(e, report, lang) for e in report.exercises],
        "load": {
            "defined": list(report.load.defined),
            "problems": [
                {
                    "kind": p.kind,
                    "key": p.key,
                    "message": problem_message(p, lang),
                    "line": p.line,
                    "cell": p.cell,
                    "detail": p.detail,
                }
                for p in report.load.problems
            ],
            "stdout": report.load.stdout,
            "raw_output": report.load.raw_output,
            "duration_s": round(report.load.duration_s, 4),
        },
        "grader_errors": list(report.shown_faults),
        "reproduce": reproduce,
    }
    if policy.ta:
        reproduce["seed"] = report.seed
        data["duration_s"] = round(report.duration_s, 4)
    return data
