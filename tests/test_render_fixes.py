"""What a student reads first: the top of every report says what to fix, one line per
exercise that lost points (the mistake's title, both of a pair, or the recovered rule),
and failing cases come before passing ones."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from report_fixtures import grade_report, missing, partial_report, returned_by

import reference
import reference.pairs as composition
from gdgrade.i18n import text
from gdgrade.report_json import to_json
from grader.render import render_html, render_markdown, render_text


def twice_the_rate(f, fp, x0, learning_rate, max_iter):
    return reference.gradient_descent(f, fp, x0, 2 * learning_rate, max_iter)


def explained_report():
    return grade_report(
        "explained.py",
        {
            "gradient_step": returned_by(reference.REFERENCE["gradient_step"]),
            "gradient_descent": returned_by(twice_the_rate),
            "minibatch_gd": returned_by(
                composition.composed("minibatch_gd", ("drops_last_batch", "sum_not_mean"))
            ),
            "sgd": missing(),
        },
    )


def fix_block(rendered: str, lang: str) -> list[str]:
    lines = rendered.splitlines()
    start = next(i for i, line in enumerate(lines) if text(lang, "ui", "fixes") in line)
    block = []
    for line in lines[start + 1 :]:
        if block and not line.strip():
            break
        if line.strip():
            block.append(line)
    return block


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_text_starts_with_one_fix_per_exercise_that_lost_points(lang):
    report = partial_report()
    rendered = render_text(report, lang)
    block = fix_block(rendered, lang)
    lost = [e for e in report.exercises if e.status != "passed"]
    assert len(block) == len(lost)
    for line, e in zip(block, lost, strict=True):
        named = [d for d in e.diagnoses if d.severity == "mistake"]
        assert f"{e.number}. {e.id}" in line
        assert text(lang, "mistakes", named[0].id, "title") in line
    assert rendered.index(text(lang, "ui", "fixes")) < rendered.index(" #  ")


def test_the_fix_says_the_recovered_rule_and_both_mistakes_of_a_pair():
    block = fix_block(render_text(explained_report(), "en"), "en")
    (rule,) = [line for line in block if "gradient_descent" in line]
    # fitted on hidden cases too, the rule's sentence would name a learning rate given
    # there: students get its title, the TA's report the whole sentence
    assert text("en", "mistakes", "update_rule", "title") in rule
    assert "Every step is exactly 2× the learning rate" not in rule
    ta_block = fix_block(render_text(replace(explained_report(), reveal_hidden=True), "en"), "en")
    (ta_rule,) = [line for line in ta_block if "gradient_descent" in line]
    assert "Every step is exactly 2× the learning rate" in ta_rule
    (pair,) = [line for line in block if "minibatch_gd" in line]
    for mistake_id in ("drops_last_batch", "sum_not_mean"):
        assert text("en", "mistakes", mistake_id, "title") in pair
    (absent,) = [line for line in block if "sgd" in line]
    assert text("en", "mistakes", "not_defined", "title") in absent
    assert not any("gradient_step" in line for line in block)  # passed: nothing to fix


def test_markdown_html_and_json_carry_the_same_fixes_first():
    report = explained_report()
    data = to_json(report, "en")
    assert [f["exercise"] for f in data["fixes"]] == ["gradient_descent", "minibatch_gd", "sgd"]
    assert data["fixes"][1]["ids"] == ["drops_last_batch", "sum_not_mean"]
    for rendered in (render_markdown(report, "en"), render_html(report, "en")):
        top = rendered.index(text("en", "ui", "fixes"))
        assert top < rendered.index("ex-gradient_descent" if "<html" in rendered else "### 4.")
        for fix in data["fixes"][:2]:
            assert fix["text"].split(":")[0] in rendered[top:]


def test_html_lists_failing_cases_before_passing_ones():
    html = render_html(partial_report(), "en")
    for section in html.split('<section class="exercise"')[1:]:
        rows = re.findall(r'<tr class="(passed|failed|error|missing)">', section)
        assert rows == sorted(rows, key=lambda status: status == "passed"), rows
