"""The hostile corpus's attacks on the trusted side (tests/hostile/input_attacks.json).

These attacks are not code the sandbox runs but what a submissions folder holds: symbolic
links (to a secret, to a full-marks solution, to a classmate, to a folder, in a loop), a
named pipe, names that break file systems, spreadsheets or the display, and files built
to exhaust the grader's own parser. Links and pipes cannot live in git, so each is built
here, in one class folder, and graded by `gdgrade batch` and, file by file, `gdgrade
grade`. Nothing may leak (the secret's text appears in no output), nothing may be forged
(no score for a file that is not the student's own), and nothing may become a grader
fault (no traceback, no exit 3, the batch finishes and writes every output).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent
MANIFEST: list[dict[str, Any]] = json.loads(
    (HERE / "hostile" / "input_attacks.json").read_text(encoding="utf-8")
)
CORRECT = (HERE / "submissions" / "correct" / "lecture_style.py").read_bytes()
SECRET = "gdgrade-hostile-input-secret-5d1e"
LONG = "a" * 250
NON_UTF8 = os.fsdecode(b"kim\xff\xfe")
GRADE = ["--seed", "7", "--exercise", "gradient_step", "--lang", "en"]
LIMITS = ["--call-timeout", "2", "--load-timeout", "5", "--submission-timeout", "20"]


def notebook(cells: list[dict[str, Any]], metadata: str = "{}") -> str:
    body = json.dumps(cells)
    return f'{{"nbformat": 4, "nbformat_minor": 5, "metadata": {metadata}, "cells": {body}}}'


def entry_name(entry: dict[str, Any]) -> str:
    return entry["entry"].replace("LONG", LONG).replace("NONUTF8", NON_UTF8)


def build(base: Path) -> Path:
    """The class folder with every attack of the manifest, beside alice's honest file."""
    (base / "secret.txt").write_text(f"root:{SECRET}:20228:0:99999:7:::\n{SECRET} = 1\n")
    solutions = base / "solutions"
    solutions.mkdir()
    (solutions / "reference.py").write_bytes(CORRECT)
    d = base / "class"
    d.mkdir()
    (d / "alice.py").write_bytes(CORRECT)
    (d / "mallory.py").symlink_to(base / "secret.txt")
    (d / "trent.py").symlink_to(solutions / "reference.py")
    (d / "bob.py").symlink_to("alice.py")
    os.mkfifo(d / "fifo.py")
    (d / "carol").symlink_to(solutions)
    (d / "loop1.py").symlink_to("loop2.py")
    (d / "loop2.py").symlink_to("loop1.py")
    (d / "dave").mkdir()
    (d / "dave" / "hw.py").write_bytes(CORRECT)
    (d / "dave" / "self").symlink_to("../dave")
    for name in (LONG, '=HYPERLINK("evil.example","grade")', "eve\u202egpj", NON_UTF8):
        (d / f"{name}.py").write_bytes(CORRECT)
    deep = d / "frank" / Path(*["d"] * 40)
    deep.mkdir(parents=True)
    (deep / "hw.py").write_bytes(CORRECT)
    code = {"cell_type": "code", "source": "x = 1\n", "metadata": {}, "outputs": []}
    (d / "deep.ipynb").write_text(notebook([], "[" * 100_000 + "]" * 100_000))
    (d / "bignum.ipynb").write_text(notebook([], '{"n": ' + "1" * 5_000 + "}"))
    (d / "cells.ipynb").write_text(notebook([code] * 10_001))
    (d / "stmts.py").write_text("x = 1\n" * 2_000_000)
    return d


def gdgrade(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    base = tmp_path_factory.mktemp("hostile-input")
    directory = build(base)
    out = base / "out"
    run = gdgrade("batch", str(directory), "--out", str(out), "--jobs", "2", *GRADE, *LIMITS)
    return directory, out, run


def output_texts(out: Path) -> dict[str, str]:
    """Every file the batch wrote (the gradebook's stored text decompressed)."""
    texts = {
        str(p.relative_to(out)): p.read_bytes().decode("utf-8", "replace")
        for p in out.rglob("*")
        if p.is_file() and not p.name.startswith("gradebook.sqlite")
    }
    import zlib

    db = sqlite3.connect(f"file:{out / 'gradebook.sqlite'}?mode=ro", uri=True)
    try:
        for n, (report, feedback, error) in enumerate(
            db.execute("SELECT report, feedback, error FROM results")
        ):
            for kind, blob in (("report", report), ("feedback", feedback)):
                if blob is not None:
                    texts[f"gradebook:{n}:{kind}"] = zlib.decompress(blob).decode("utf-8")
            texts[f"gradebook:{n}:error"] = error
        texts["gradebook:runs"] = " ".join(r[0] for r in db.execute("SELECT settings FROM runs"))
    finally:
        db.close()
    return texts


def grades(out: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO((out / "grades.csv").read_bytes().decode("utf-8-sig")))
    return {r["file"]: r for r in rows}


def skipped(out: Path) -> dict[str, str]:
    db = sqlite3.connect(f"file:{out / 'gradebook.sqlite'}?mode=ro", uri=True)
    try:
        (settings,) = db.execute("SELECT settings FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        db.close()
    return {s["path"]: s["reason"] for s in json.loads(settings)["skipped"]}


def test_the_manifest_names_each_attack_once_with_a_known_outcome() -> None:
    names = [e["name"] for e in MANIFEST]
    assert len(names) == len(set(names)) >= 14
    assert {e["batch"] for e in MANIFEST} <= {"skipped", "unreadable", "graded"}


def test_the_batch_finishes_without_a_grader_fault(batch) -> None:
    _, out, run = batch
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr + run.stdout
    page = (out / "class.html").read_text("utf-8")
    assert "<table>" not in page[page.index('id="faults"') :]
    for name in ("grades.csv", "grades_canvas.csv", "grades_gradescope.csv"):
        assert (out / name).is_file()


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["name"] for e in MANIFEST])
def test_each_attack_gets_its_outcome_in_the_batch(batch, entry: dict[str, Any]) -> None:
    _, out, _ = batch
    name = entry_name(entry)
    shown = "".join(c for c in name if unicodedata.category(c) != "Cf").replace("\udcff", "\ufffd")
    shown = shown.replace("\udcfe", "\ufffd")  # the undecodable bytes, as shown
    if entry["batch"] == "skipped":
        reasons = skipped(out)
        assert entry["reason"] in reasons[name]
        assert name not in grades(out)
        page = (out / "class.html").read_text("utf-8")
        section = page[page.index('id="skipped"') : page.index('id="faults"')]
        assert shown.replace('"', "&#34;") in section
    else:
        row = grades(out)["'" + shown if shown[0] in "=+-@" else shown]  # shown as text
        assert row["status"] == entry["batch"]
        if entry["batch"] == "graded":
            assert row["total"] == row["max_score"] == "5"
        else:
            result = (out / "results" / f"{Path(name).stem}.json").read_text("utf-8")
            assert entry["reason"] in result


def test_nothing_leaks_into_any_output(batch) -> None:
    _, out, run = batch
    texts = output_texts(out)
    assert len(texts) > 10
    leaked = [where for where, text in texts.items() if SECRET in text]
    assert leaked == [] and SECRET not in run.stdout + run.stderr


def test_nothing_is_forged_no_score_for_a_file_that_is_not_ones_own(batch) -> None:
    _, out, _ = batch
    scored = {r["student"] for r in grades(out).values() if r["total"] not in ("", "0")}
    formula = '\'=HYPERLINK("evil.example","grade")'
    assert scored == {"alice", "dave", LONG, formula, "evegpj"}
    assert (out / "results" / "alice.json").is_file()


def test_no_output_starts_a_formula_or_hides_a_bidi_control(batch) -> None:
    _, out, _ = batch
    tables = sorted(out.glob("*.csv"))
    assert {"grades.csv", "grades_canvas.csv", "grades_gradescope.csv", "attempts.csv"} <= {
        t.name for t in tables
    }
    for table in tables:
        raw = table.read_bytes().decode("utf-8-sig")
        for row in csv.reader(io.StringIO(raw)):
            assert not [c for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")], row
    hidden = {"\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b"}
    for where, text in output_texts(out).items():
        if not where.startswith("gradebook:"):
            assert not hidden & set(text), where


def test_output_names_from_a_long_file_name_are_bounded(batch) -> None:
    _, out, _ = batch
    for folder in ("reports", "results"):
        names = [p.name for p in (out / folder).iterdir()]
        assert all(len(n.encode()) <= 120 for n in names)
        assert [n for n in names if n.startswith("a" * 20)]


GRADED_ONE_BY_ONE = [e for e in MANIFEST if e["grade"] is not None]


@pytest.mark.parametrize("entry", GRADED_ONE_BY_ONE, ids=[e["name"] for e in GRADED_ONE_BY_ONE])
def test_gdgrade_grade_refuses_the_attack_in_one_line(batch, entry: dict[str, Any]) -> None:
    directory, _, _ = batch
    run = gdgrade("grade", str(directory / entry_name(entry)), *GRADE)
    assert run.returncode == entry["grade"], run.stderr[-2000:]
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("gdgrade: error: ") and entry["reason"] in last
    assert "Traceback" not in run.stderr and SECRET not in run.stdout + run.stderr
