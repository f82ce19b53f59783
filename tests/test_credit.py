"""One credit policy: a mistake of the table keeps the same share of the points in every
exercise where it occurs, and the README states exactly the table the grader applies."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import case_set, runs_of

import reference
from gdgrade.case import LoadReport
from gdgrade.credit import SHARES, kept_share, table_markdown
from gdgrade.diagnose import diagnose
from gdgrade.exercise_data import load_exercise
from gdgrade.score import score_exercise

LOADED = LoadReport(defined=reference.EXERCISES)
README = Path(__file__).resolve().parents[1] / "README.md"

VARIANTS = [
    pytest.param(v, id=f"{v.exercise}-{v.mistake_id}-{v.label}")
    for v in reference.VARIANTS
    if v.mistake_id in SHARES
]


def test_the_readme_quotes_the_policy_table_the_grader_applies():
    assert table_markdown() in README.read_text(encoding="utf-8")


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_mistake_of_the_table_keeps_its_share_in_every_exercise(variant):
    runs = runs_of(variant.fn, case_set(variant.exercise))
    found = diagnose(variant.exercise, runs, LOADED)
    assert [d.id for d in found if d.severity == "mistake"] == [variant.mistake_id]
    scored = score_exercise(load_exercise(variant.exercise), 20, runs, found)
    assert scored.score == pytest.approx(20 * SHARES[variant.mistake_id].kept)


def test_path_including_start_costs_the_same_in_gradient_descent_and_momentum():
    shares = set()
    for exercise in ("gradient_descent", "momentum_descent"):
        (variant,) = reference.variants_by_id(exercise, "path_includes_start")
        runs = runs_of(variant.fn, case_set(exercise))
        found = diagnose(exercise, runs, LOADED)
        shares.add(score_exercise(load_exercise(exercise), 10, runs, found).score)
    assert shares == {10 * SHARES["path_includes_start"].kept}


def test_a_failure_the_mistake_does_not_explain_keeps_case_by_case_credit():
    """An unexplained failing case means something else is wrong too: no flat share."""
    (variant,) = reference.variants_by_id("gradient_descent", "path_includes_start")
    sets = case_set("gradient_descent")
    runs = runs_of(variant.fn, sets)
    found = diagnose("gradient_descent", runs, LOADED)
    explained = {c for d in found for c in d.evidence.get("cases", ())}
    assert kept_share(runs, found) == SHARES["path_includes_start"].kept
    fewer = [
        d.__class__(d.id, d.severity, d.evidence | {"cases": sorted(explained)[1:]}) for d in found
    ]
    assert kept_share(runs, fewer) is None


def test_every_mistake_id_has_a_row_in_the_readme_table():
    text = README.read_text(encoding="utf-8")
    ids = {v.mistake_id for v in reference.VARIANTS} | {"early_stop", "update_rule"}
    assert not sorted(i for i in ids if f"| `{i}` |" not in text)
