"""The words of one case's result in the reader's language: what a comparison found, how a
call ended, or only the verdict where the case's detail is not the reader's to see."""

from __future__ import annotations

from gdgrade.case import CallOutcome, LoadProblem
from gdgrade.compare import PartComparison
from gdgrade.i18n import text
from gdgrade.report import CaseResult
from gdgrade.safe_text import visible
from gdgrade.visibility import (
    Row,
    verdict_message,
)


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
