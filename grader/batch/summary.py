"""The small, queryable digest of one report that the gradebook keeps beside the full one.

Exports and the class view read only this (the full report is ~200 kB; the digest a few
hundred bytes), and TAs can query it in SQL with json_extract. Pure functions of the
report's documented JSON form (`gdgrade.report_json.to_json`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

INCIDENTS = ("timeout", "memory", "crashed")  # a call the sandbox had to stop or lost
LOAD_INCIDENTS = ("timeout", "memory", "crashed")
MESSAGE_CHARS = 300


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "exercises": {e["id"]: _exercise(e) for e in report["exercises"]},
        "load_problems": [
            {
                "kind": p["kind"],
                "message": p["message"][:MESSAGE_CHARS],
                "line": p["line"],
                "cell": p["cell"],
            }
            for p in report["load"]["problems"]
        ],
        "grader_errors": list(report["grader_errors"]),
    }


def _exercise(e: dict[str, Any]) -> dict[str, Any]:
    incidents: dict[str, list[str]] = {}
    for case in e["cases"]:
        status = case["call"]["status"]
        if status in INCIDENTS:
            incidents.setdefault(status, []).append(case["id"])
    return {
        "score": e["score"],
        "max_score": e["max_score"],
        "status": e["status"],
        "diagnoses": [{"id": d["id"], "severity": d["severity"]} for d in e["diagnoses"]],
        "incidents": incidents,
        "public": _passed(e["cases"], "public"),
        "hidden": _passed(e["cases"], "hidden"),
    }


def _passed(cases: Iterable[dict[str, Any]], visibility: str) -> list[int]:
    """[passed, total] of the cases with this visibility (the class view's integrity flags)."""
    chosen = [c for c in cases if c["visibility"] == visibility]
    return [sum(c["status"] == "passed" for c in chosen), len(chosen)]


def empty_summary(points: Iterable[tuple[str, float]], status: str = "error") -> dict[str, Any]:
    """The digest of a submission that produced no report: every exercise scores zero."""
    return {
        "exercises": {
            e: {"score": 0.0, "max_score": p, "status": status, "diagnoses": [], "incidents": {}}
            for e, p in points
        },
        "load_problems": [],
        "grader_errors": [],
    }


def load_incidents(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [p for p in summary["load_problems"] if p["kind"] in LOAD_INCIDENTS]
