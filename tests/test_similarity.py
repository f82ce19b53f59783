"""Similar code across a class: disguised copies and a ring of three are found, and
independently written correct solutions in different styles are not."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from planted_class import disguise, large_class, planted_class, source_of

from gdgrade.sandbox import Limits
from grader.assignment import Assignment
from grader.batch.gradebook import FILENAME, Gradebook, SubmissionRow
from grader.batch.settings import settings_for
from grader.cli import main
from grader.similarity.compare import clusters, compare_class
from grader.similarity.units import units


def make_out(out: Path, sources: dict[str, str]) -> None:
    """An OUT as a batch leaves it, before grading: discovery, stored code, one run."""
    with Gradebook(out / FILENAME) as gradebook:
        rows = []
        for student, code in sources.items():
            sha = hashlib.sha256(code.encode()).hexdigest()
            rows.append(SubmissionRow(student, f"{student}.py", sha, len(code), 0.0, "file", 1))
        gradebook.record_discovery(rows)
        gradebook.store_sources(
            {hashlib.sha256(c.encode()).hexdigest(): c for c in sources.values()}
        )
        settings = settings_for(Assignment(seed=5192837465019283746), Limits(), "text")
        gradebook.start_run("class", settings, {"attempt": "latest", "title": ""})


def flagged_on_page(page: str) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    pairs = {
        frozenset(m)
        for m in re.findall(r'class="similar-pair" data-a="([^"]+)" data-b="([^"]+)"', page)
    }
    rings = {
        frozenset(m.split())
        for m in re.findall(r'class="similar-cluster" data-students="([^"]+)"', page)
    }
    return pairs, rings


def test_class_page_shows_exactly_the_planted_pairs_and_cluster(tmp_path, capsys):
    sources, planted_pairs, planted_clusters = planted_class()
    make_out(tmp_path, sources)
    assert main(["similarity", str(tmp_path), "--lang", "en"]) == 0
    page = (tmp_path / "class.html").read_text(encoding="utf-8")
    pairs, rings = flagged_on_page(page)
    assert pairs == planted_pairs
    assert rings == planted_clusters
    side = tmp_path / "similarity" / "s-copy-loops--s-loops.html"
    assert side.is_file() and "<mark" in side.read_text(encoding="utf-8")
    assert 'href="similarity/s-copy-loops--s-loops.html"' in page


def test_independent_correct_solutions_of_different_styles_are_not_flagged():
    sources, _, _ = planted_class()
    independent = {s: c for s, c in sources.items() if not s.startswith(("s-copy", "s-ring"))}
    result = compare_class(independent)
    assert result.pairs == ()


def test_a_copy_with_renamed_variables_reordered_statements_and_new_comments_is_flagged():
    original = source_of("vectorised")
    copy = disguise(original, 11)
    assert copy != original
    result = compare_class({"a": original, "b": copy, "c": source_of("loops")})
    assert [(p.a, p.b) for p in result.pairs] == [("a", "b")]
    assert result.pairs[0].score >= 0.9


def test_code_given_as_base_is_not_evidence():
    lecture = source_of("lecture")
    near_copy = lecture.replace("tmp_val", "saved").replace("# 관성", "# momentum")
    assert compare_class({"a": lecture, "b": near_copy}).pairs
    assert compare_class({"a": lecture, "b": near_copy}, base=[lecture]).pairs == ()


def test_a_function_with_a_syntax_error_does_not_hide_the_others():
    source = source_of("loops") + "\ndef broken(:\n    retrun 1\n"
    assert set(units(source)) == set(units(source_of("loops")))


def test_helpers_a_function_calls_belong_to_its_unit():
    cut = units(source_of("helpers"))
    assert "def _" in cut["sgd"].source or "\ndef " in cut["sgd"].source.strip()


def test_clusters_are_groups_of_three_or_more_linked_students():
    assert clusters([("a", "b"), ("b", "c"), ("x", "y")]) == (("a", "b", "c"),)


def test_a_class_large_enough_for_two_processes_still_finds_its_planted_copies():
    # Speed is measured by benchmarks/similarity.py (300 students), never asserted here.
    sources, planted = large_class(63)
    result = compare_class(sources)
    assert result.students == 66
    assert planted <= {frozenset((p.a, p.b)) for p in result.pairs}


def test_similarity_on_a_folder_that_is_not_a_batch_is_one_line(tmp_path, capsys):
    assert main(["similarity", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "gdgrade batch" in err


@pytest.mark.parametrize("threshold", ["0", "1.5"])
def test_a_threshold_outside_zero_to_one_is_refused(tmp_path, capsys, threshold):
    make_out(tmp_path, {"a": "x = 1\n"})
    assert main(["similarity", str(tmp_path), "--threshold", threshold]) == 2
    assert "--threshold" in capsys.readouterr().err


def test_code_built_to_exhaust_the_parser_is_skipped_and_the_class_still_compared():
    header = "def sgd(X, y, w0, learning_rate, n_epochs, rng):\n"
    hostile = {
        "sum": header + "    x = " + "+".join(["1"] * 50_000) + "\n    return x\n",
        "nested": header + "    x = " + "-(" * 150 + "1" + ")" * 150 + "\n",
        "nul": "\x00def sgd(:\n",
    }
    original = source_of("loops")
    result = compare_class({**hostile, "a": original, "b": disguise(original, 5)})
    assert [(p.a, p.b) for p in result.pairs] == [("a", "b")]
