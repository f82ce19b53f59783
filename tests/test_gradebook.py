"""The SQLite gradebook: what is regraded, what is reused, history, one current result, and
one writer per output directory."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from gdgrade.sandbox import Limits
from grader.assignment import Assignment
from grader.batch.gradebook import FAULT, GRADED, Gradebook, GradebookError, Result, SubmissionRow
from grader.batch.lock import Busy, OutputLock
from grader.batch.settings import settings_for

SETTINGS = settings_for(Assignment(seed=20_480_123_456_789), Limits(), "html")


def row(student: str, sha: str = "a" * 64, path: str | None = None, attempt: int = 1):
    return SubmissionRow(student, path or f"{student}.py", sha, 10, 1.0, "file", attempt)


def result(score: float, status: str = GRADED) -> Result:
    return Result(status, score, 100.0, {"exercises": {}}, "{}", "<p>", "html", "", 0.1)


@pytest.fixture
def book(tmp_path: Path):
    with Gradebook(tmp_path / "gradebook.sqlite") as gradebook:
        yield gradebook


def current_results(book: Gradebook) -> list[tuple[int, float]]:
    return [
        (r["submission_id"], r["score"])
        for r in book.db.execute("SELECT * FROM results WHERE current = 1 ORDER BY id")
    ]


def test_new_submissions_are_pending_and_graded_ones_are_not(book: Gradebook) -> None:
    ids = book.record_discovery([row("s1"), row("s2")])
    run = book.start_run("dir", SETTINGS, {})
    todo, reused = book.pending(ids.values(), SETTINGS.key)
    assert (sorted(todo), reused) == (sorted(ids.values()), 0)
    book.add_result(todo[0], run, SETTINGS, result(50))
    todo_again, _ = book.pending(ids.values(), SETTINGS.key)
    assert todo_again == [todo[1]]


def test_changed_content_is_a_new_submission_and_the_old_one_inactive(book: Gradebook) -> None:
    (old,) = book.record_discovery([row("s1", "a" * 64)]).values()
    book.add_result(old, book.start_run("dir", SETTINGS, {}), SETTINGS, result(40))
    (new,) = book.record_discovery([row("s1", "b" * 64)]).values()
    assert new != old
    assert book.pending([new], SETTINGS.key)[0] == [new]
    active = [r["submission_id"] for r in book.current_rows()]
    assert active == [new]


def test_new_settings_regrade_and_keep_the_old_result_as_history(book: Gradebook) -> None:
    (sid,) = book.record_discovery([row("s1")]).values()
    book.add_result(sid, book.start_run("dir", SETTINGS, {}), SETTINGS, result(40))
    other = settings_for(Assignment(seed=99), Limits(), "html")
    assert other.key != SETTINGS.key
    assert book.pending([sid], other.key)[0] == [sid]
    book.add_result(sid, book.start_run("dir", other, {}), other, result(60))
    scores = [r[0] for r in book.db.execute("SELECT score FROM results ORDER BY id")]
    assert scores == [40, 60]
    assert current_results(book) == [(sid, 60)]


def test_going_back_to_earlier_settings_reuses_their_result(book: Gradebook) -> None:
    (sid,) = book.record_discovery([row("s1")]).values()
    other = settings_for(Assignment(seed=99), Limits(), "html")
    book.add_result(sid, book.start_run("dir", SETTINGS, {}), SETTINGS, result(40))
    book.add_result(sid, book.start_run("dir", other, {}), other, result(60))
    todo, reused = book.pending([sid], SETTINGS.key)
    assert (todo, reused) == ([], 1)
    assert current_results(book) == [(sid, 40)]


def test_grader_faults_are_retried_on_the_next_run(book: Gradebook) -> None:
    (sid,) = book.record_discovery([row("s1")]).values()
    book.add_result(sid, book.start_run("dir", SETTINGS, {}), SETTINGS, result(0, FAULT))
    assert book.pending([sid], SETTINGS.key)[0] == [sid]


def test_a_submission_can_never_have_two_current_results(book: Gradebook) -> None:
    (sid,) = book.record_discovery([row("s1")]).values()
    run = book.start_run("dir", SETTINGS, {})
    book.add_result(sid, run, SETTINGS, result(1))
    book.add_result(sid, run, SETTINGS, result(2))
    assert current_results(book) == [(sid, 2)]
    with pytest.raises(sqlite3.IntegrityError):
        book.db.execute("UPDATE results SET current = 1")


def test_reports_are_stored_compressed_and_read_back(book: Gradebook) -> None:
    (sid,) = book.record_discovery([row("s1")]).values()
    report = '{"score": 1, "이름": "김민지"}' * 100
    stored = replace(result(1), report=report, feedback="<p>피드백</p>")
    rid = book.add_result(sid, book.start_run("dir", SETTINGS, {}), SETTINGS, stored)
    blob = book.db.execute("SELECT report FROM results WHERE id = ?", (rid,)).fetchone()[0]
    assert len(blob) < len(report.encode()) / 5
    assert book.stored(rid) == (report, "<p>피드백</p>")


def test_a_run_killed_before_finishing_is_marked_interrupted(book: Gradebook) -> None:
    first = book.start_run("dir", SETTINGS, {"attempt": "best"})
    book.start_run("dir", SETTINGS, {"attempt": "latest"})
    states = dict(book.db.execute("SELECT id, state FROM runs").fetchall())
    assert states[first] == "interrupted"


def test_the_gradebook_uses_wal_and_passes_the_integrity_check(book: Gradebook) -> None:
    assert book.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert book.integrity() == "ok"


def test_a_file_that_is_not_a_gradebook_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "gradebook.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(GradebookError, match="not a usable gradebook"):
        Gradebook(path)


def test_a_second_writer_on_the_same_output_is_refused(tmp_path: Path) -> None:
    holder = OutputLock(tmp_path).__enter__()
    with pytest.raises(Busy, match="another gdgrade batch or export"), OutputLock(tmp_path):
        pass
    holder.__exit__(None, None, None)
    with OutputLock(tmp_path):  # released when the holder is done
        pass


def test_a_stored_text_is_a_zlib_stream_whichever_compressor_wrote_it(monkeypatch):
    """The gradebook's blobs are read back with the standard zlib, and docs/gradebook.md
    tells TAs to read them so: a faster compressor may write them, not a new format."""
    import zlib

    from grader.batch import gradebook

    text = '{"message": "기대값과 일치합니다.", "path": [4.0, 3.2, 2.56]}\n' * 500
    for compress in {gradebook._compress, zlib.compress}:
        monkeypatch.setattr(gradebook, "_compress", compress)
        blob = gradebook.pack(text)
        assert blob is not None and len(blob) < len(text.encode()) // 10
        assert zlib.decompress(blob).decode("utf-8") == gradebook.unpack(blob) == text
