"""Hidden cases stay hidden: a wrong, leaky submission is graded for real (sandbox and all),
and every student-facing format is searched for what the trusted side knows of the hidden
cases — the seed, their ids and titles, inputs, expected values, error sizes, value
counts, shapes, the student's own text on them — including when several parts of a case
fail at once."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdgrade.function_specs import FunctionSpec
from gdgrade.i18n import text
from gdgrade.messages import case_message
from gdgrade.report import GradeReport
from gdgrade.sandbox import Limits, Sandbox
from gdgrade.visibility import LEVELS
from grader.assignment import Assignment
from grader.grade import grade_path
from grader.render import FORMATS

SEED = 6_104_725_389_114_027_339  # as large as a generated seed: no false match
EXERCISES = ("gradient_descent", "linear_regression_gd", "momentum_descent", "sgd")
LEAKY = """
import numpy as np

def gradient_descent(f, fp, x0, learning_rate, max_iter):
    print(f"PRINTED-{x0!r}-{learning_rate!r}-{max_iter!r}")
    x, path = x0, []
    for _ in range(max_iter):
        x = x - learning_rate * fp(x)
        path.append(x)
    # three parts wrong at once: x_opt and f_opt off by one, the path one step short
    return x + 1.0, f(x) + 1.0, path[:-1]

def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    raise ValueError(f"RAISED-{float(x[0])!r}-{float(y[0])!r}")

def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    return np.zeros(n_iter)  # right shape, all zeros: the error size is the expected value

def sgd(X, y, w0, learning_rate, n_epochs, rng):
    return np.zeros_like(w0), np.zeros((n_epochs + 1, len(w0)))
"""
LIMITS = Limits(call_wall_s=5.0, load_wall_s=10.0, submission_wall_s=120.0)
STUDENT_FORMATS = sorted(FORMATS)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> GradeReport:
    path = tmp_path_factory.mktemp("leaky") / "leaky.py"
    path.write_text(LEAKY, encoding="utf-8")
    assignment = Assignment(seed=SEED).only(EXERCISES)
    with Sandbox(LIMITS) as sandbox:
        return grade_path(path, assignment, sandbox)


def _numbers(value: Any) -> Iterator[float]:
    if isinstance(value, FunctionSpec):
        return
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _numbers(v)
        return
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return
    yield from (float(x) for x in array.ravel()[:50] if math.isfinite(x))


def _number_tokens(x: float) -> set[str]:
    """How a number would be written: in full and to 3 and 4 significant digits; only
    forms long enough not to turn up by chance (a score, a version)."""
    forms = {repr(x), f"{x:.3g}", f"{x:.4g}", f"{x:.6g}"}
    return {f for f in forms if sum(ch.isdigit() for ch in f) >= 4}


def _tokens(report: GradeReport, visibility: str) -> set[str]:
    """What the trusted side knows of the cases of one visibility."""
    found: set[str] = set()
    for e in report.exercises:
        for c in e.cases:
            if c.visibility != visibility:
                continue
            found |= {c.id, *c.title.values()}
            if c.status != "passed":
                found |= {case_message(c, lang) for lang in ("en", "ko")}
            for x in (*_numbers(c.args), *_numbers(c.expected)):
                found |= _number_tokens(x)
            for p in c.comparison.parts:
                if p.kind in ("value", "nonfinite"):
                    found |= _number_tokens(p.max_abs) | _number_tokens(p.max_rel)
                    found |= {f"{p.n_bad} of {p.n_total} values", f"{p.n_total}개 중"}
                if p.is_path and p.first_bad:
                    found.add(f"agrees for {p.first_bad} steps")
                if p.kind == "shape":
                    found |= {str(p.expected_shape), str(p.got_shape)}
    return found


def public_only(report: GradeReport) -> GradeReport:
    """The same report without its hidden cases: what may turn up by chance."""
    return replace(
        report,
        exercises=tuple(
            replace(e, cases=tuple(c for c in e.cases if c.visibility == "public"), diagnoses=())
            for e in report.exercises
        ),
    )


def leaks(report: GradeReport, fmt: str, lang: str = "en") -> set[str]:
    """Hidden-case facts and the seed found in the rendered report, but not in the same
    report rendered without its hidden cases (numbers there, in public values or in a
    picture, match a short form of a hidden number by chance)."""
    secret = _tokens(report, "hidden") - _tokens(report, "public")
    rendered = render(report, fmt, lang)
    chance = render(public_only(report), fmt, lang)
    found = {s for s in secret if s and _occurs(s, rendered) and not _occurs(s, chance)}
    return found | {s for s in (str(SEED), f"{SEED:x}") if s in rendered}


def _occurs(token: str, rendered: str) -> bool:
    """The token as a whole: a number not inside a longer one (1.333 is not in 1.3333)."""
    if token not in rendered:
        return False
    pattern = re.escape(token)
    if token[0].isdigit() or token[0] in "-.":
        pattern = r"(?<![\d.])" + pattern
    if token[-1].isdigit():
        pattern += r"(?![\d])"
    return re.search(pattern, rendered) is not None


def render(report: GradeReport, fmt: str, lang: str) -> str:
    return FORMATS[fmt](report, lang, color=False)


def test_the_leaky_submission_fails_hidden_cases_in_several_parts_at_once(graded):
    descent = next(e for e in graded.exercises if e.id == "gradient_descent")
    hidden = [c for c in descent.cases if c.visibility == "hidden"]
    multi = [c for c in hidden if sum(not p.ok for p in c.comparison.parts) >= 2]
    assert any(p.kind == "shape" for c in multi for p in c.comparison.parts if not p.ok)
    assert graded.seed == SEED


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("fmt", STUDENT_FORMATS)
def test_student_facing_output_holds_no_hidden_value_id_shape_count_or_seed(graded, fmt, lang):
    assert leaks(graded, fmt, lang) == set()
    rendered = render(graded, fmt, lang)
    assert graded.case_set in rendered or fmt in ("github",)  # the receipt, where there is one


@pytest.mark.parametrize("fmt", STUDENT_FORMATS)
def test_the_search_finds_what_a_ta_report_shows(graded, fmt):
    """The search is not blind: the TA's record shows the hidden cases and the seed."""
    ta = replace(graded, reveal_hidden=True)
    rendered = render(ta, fmt, "en")
    found = leaks(ta, fmt)
    assert text("en", "ui", "ta_only") in rendered
    if fmt not in ("text", "markdown"):  # these list only the first few failing cases
        assert {c.id for e in ta.exercises for c in e.cases if c.visibility == "hidden"} & found
    if fmt != "github":  # the runner result has no receipt
        assert str(SEED) in found


@pytest.mark.parametrize("level", ["hidden", "verdict"])
@pytest.mark.parametrize("fmt", STUDENT_FORMATS)
def test_every_level_short_of_published_keeps_hidden_cases_hidden(graded, fmt, level):
    report = replace(graded, hidden_visibility=level)
    assert leaks(report, fmt) == set()


def test_published_level_shows_hidden_cases_in_full_but_never_the_seed(graded):
    report = replace(graded, hidden_visibility="published")
    assert leaks(report, "json") - {str(SEED), f"{SEED:x}"}
    assert str(SEED) not in render(report, "json", "en")
    assert LEVELS == ("hidden", "verdict", "published")


def test_json_rows_of_hidden_cases_carry_verdict_and_points_only(graded):
    data = json.loads(render(graded, "json", "en"))
    assert data["audience"] == "student" and "seed" not in data["reproduce"]
    assert "duration_s" not in data  # the total time sums the hidden calls' times
    for e in data["exercises"]:
        hidden = [c for c in e["cases"] if c["visibility"] == "hidden"]
        assert [c["id"] for c in hidden] == [f"hidden_{k}" for k in range(1, len(hidden) + 1)]
        for c in hidden:
            assert set(c) == {
                "id", "visibility", "title", "tags", "status", "score", "max_score", "message"
            }  # fmt: skip
            assert c["tags"] == [] and c["message"] == text("en", "visibility", c["status"])


def test_hidden_level_lists_one_row_that_carries_the_hidden_points(graded):
    report = replace(graded, hidden_visibility="hidden")
    data = json.loads(render(report, "json", "en"))
    for e, shown in zip(report.exercises, data["exercises"], strict=True):
        rows = [c for c in shown["cases"] if c["visibility"] == "hidden"]
        assert [c["id"] for c in rows] == ["hidden"]
        hidden = [c for c in e.cases if c.visibility == "hidden"]
        assert rows[0]["max_score"] == pytest.approx(sum(c.weight for c in hidden))
    github = json.loads(render(report, "github", "en"))
    assert round(sum(t["score"] for t in github["tests"]), 2) == report.score


def test_diagnosis_evidence_names_hidden_cases_only_neutrally(graded):
    data = json.loads(render(graded, "json", "en"))
    true_ids = {c.id for e in graded.exercises for c in e.cases if c.visibility == "hidden"}
    for e in data["exercises"]:
        shown_ids = {c["id"] for c in e["cases"]}
        for d in e["diagnoses"]:
            for key in ("cases", "reached"):
                assert set(d["evidence"].get(key, ())) <= shown_ids
            assert not true_ids & set(json.dumps(d["evidence"]).split('"'))
    raised = next(
        d
        for e in graded.exercises
        if e.id == "linear_regression_gd"
        for d in e.diagnoses
        if d.id == "raises"
    )
    assert "RAISED-" in raised.evidence["message"]  # the trusted side has it ...
    shown = next(e for e in data["exercises"] if e["id"] == "linear_regression_gd")
    evidence = next(d["evidence"] for d in shown["diagnoses"] if d["id"] == "raises")
    assert "message" not in evidence  # ... but a hidden case's exception is not shown


def test_check_output_never_carries_a_seed_from_the_environment(tmp_path):
    import os
    import subprocess
    import sys

    path = tmp_path / "leaky.py"
    path.write_text(LEAKY, encoding="utf-8")
    env = {**os.environ, "GDGRADE_SEED": str(SEED)}
    done = subprocess.run(
        [sys.executable, "-m", "grader", "check", str(path), "--exercise", "gradient_descent"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert str(SEED) not in done.stdout + done.stderr


def test_receipt_fingerprint_is_what_the_instructors_regrade_shows(graded, tmp_path):
    from grader.secret import fingerprint

    assert graded.case_set == fingerprint(SEED)
    assert "--seed" not in graded.command and str(SEED) not in graded.command
    assert Path(graded.submission).name in graded.command


@pytest.mark.parametrize("fmt", STUDENT_FORMATS)
def test_a_grader_fault_shows_students_where_and_what_but_not_its_message(graded, fmt):
    fault = (
        "momentum_descent: Traceback (most recent call last):\n"
        '  File "gdgrade/diagnose.py", line 9, in _scheme\n'
        "ValueError: shapes (37,) and (36,) differ at x0=2.718281828"
    )
    report = replace(graded, grader_errors=(fault,))
    rendered = render(report, fmt, "en")
    assert "2.718281828" not in rendered and "(37,)" not in rendered
    if fmt in ("text", "html", "json", "gradescope"):  # those that list the faults
        assert "momentum_descent: ValueError" in rendered
    assert "2.718281828" in render(replace(report, reveal_hidden=True), "json", "en")


@pytest.mark.parametrize("fmt", STUDENT_FORMATS)
def test_a_recovered_update_rule_does_not_name_a_hidden_learning_rate(graded, fmt):
    """'your steps use a learning rate of 0.279 where 0.1395 was given': when the rule was
    fitted on hidden cases, the rate given there is a hidden input."""
    from gdgrade.diagnose import Diagnosis

    descent = next(e for e in graded.exercises if e.id == "gradient_descent")
    public = {float(c.args[3]) for c in descent.cases if c.visibility == "public"}
    hidden = next(
        c
        for c in descent.cases
        if c.visibility == "hidden" and float(c.args[3]) not in public and len(repr(c.args[3])) > 4
    )
    given = float(hidden.args[3])
    rule = Diagnosis(
        "update_rule",
        "mistake",
        {"cases": [hidden.id], "of": 1, "rule": "effective_rate", "ratio": 2.0,
         "rate": 2 * given, "given": given},
    )  # fmt: skip
    e = replace(descent, status="failed", diagnoses=(rule,))
    report = replace(graded, exercises=(e,))
    assert not _occurs(repr(given), render(report, fmt, "en"))
    assert not _occurs(f"{given:g}", render(report, fmt, "en"))
    ta = replace(report, reveal_hidden=True)
    assert _occurs(f"{given:g}", render(ta, "json", "en"))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_batch_stores_the_students_view_as_json_shows_it_and_the_tas_in_full(graded, lang):
    """The batch worker writes both views of a report in one pass, sharing what both show in
    full: each must still be the view written alone, and the student's shows nothing hidden."""
    from gdgrade import indented_json
    from gdgrade.report_json import to_json
    from grader.batch import worker

    assignment = replace(Assignment(seed=SEED).only(EXERCISES), lang=lang)
    stored = worker.result_of(
        graded, worker.WorkerConfig(assignment, LIMITS, "html"), FORMATS["html"]
    )
    alone = to_json(graded, lang)
    ta = to_json(replace(graded, reveal_hidden=True), lang)
    assert stored.report == indented_json.dumps(alone, 2) + "\n"
    assert stored.ta_report == json.dumps(ta, ensure_ascii=False) + "\n"
    assert alone["audience"] == "student" and ta["audience"] == "ta"
    assert not leaks(graded, "json", lang) and str(SEED) not in stored.report
