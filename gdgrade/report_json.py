"""The stable JSON form of a GradeReport (schema in grader/schema/report.schema.json).

Like every format it shows what gdgrade.visibility allows: student-facing output never
shows what a hidden case asked or expected, nor the seed that generates the hidden cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gdgrade import fixes as fix_summary
from gdgrade.case_encoding import encode_constant
from gdgrade.compare import Comparison
from gdgrade.diagnose import Diagnosis
from gdgrade.fixes import detail
from gdgrade.i18n import text
from gdgrade.json_values import encode
from gdgrade.messages import call_message, problem_message, row_message
from gdgrade.report import CaseResult, ExerciseResult, GradeReport
from gdgrade.visibility import (
    Row,
    rows,
)

SCHEMA_VERSION = 2  # 2: the seed and hidden cases' detail left student-facing output


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
    data["args"] = _safe_encode(case.args, encode_constant)
    data["expected"] = _safe_encode(case.expected, encode_constant)
    data["got"] = _safe_encode(o.value)
    return data


def _safe_encode(value: Any, encoder: Callable[[Any], Any] = encode) -> Any:
    try:
        return encoder(value)
    except TypeError:
        return {"str": repr(value)[:200]}


# A detailed row's JSON by what it is made from: the row's fields and its case object.
RowMemo = dict[tuple[Any, ...], dict[str, Any]]


def _row_json(
    row: Row, cases: tuple[CaseResult, ...], lang: str, memo: RowMemo | None
) -> dict[str, Any]:
    """row_json, or the same row already written for another reader of the same report
    (a public case reads the same to the student and in the TA's record)."""
    if memo is None or row.case is None:
        return row_json(row, cases, lang)
    key = (row.id, row.name, row.hidden, row.status, row.members, id(row.case), lang)
    if key not in memo:
        memo[key] = row_json(row, cases, lang)
    return memo[key]


def _exercise_json(
    e: ExerciseResult, report: GradeReport, lang: str, memo: RowMemo | None
) -> dict[str, Any]:
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
        "cases": [_row_json(r, e.cases, lang, memo) for r in rows(e.cases, report.policy, lang)],
    }


def to_json(report: GradeReport, lang: str = "ko", memo: RowMemo | None = None) -> dict[str, Any]:
    """The documented, stable JSON form (schema in grader/schema/report.schema.json).

    Student-facing unless the report is the TA's record (`reveal_hidden`): then it says so
    in `audience` and `notice`, shows hidden cases in full and carries the seed and the
    total time (which sums the time of hidden calls: a channel the student's code controls).
    One `memo` passed to both views of a report writes each row both show in full once:
    the rows are shared between the two dicts, which are for encoding, not for editing.
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
        "exercises": [_exercise_json(e, report, lang, memo) for e in report.exercises],
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
