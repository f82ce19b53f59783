"""Every attempt on record: one history page per student (attempt, time, score, what changed
exercise by exercise since the attempt before) and attempts.csv with one row per attempt.

Built from the gradebook's entries (all active submissions, not only the counted one) and
the stored code, so "changed" means the function's normalised code changed, not its bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gdgrade.i18n import text
from gdgrade.templating import environment
from grader.batch.gradebook import Gradebook
from grader.batch.standings import PENDING, Entry, Standing, exercise_cells, score_text
from grader.batch.tables import Table, csv_text, late_cells, late_word, write_atomic
from grader.similarity.fingerprint import normalise
from grader.similarity.units import units

FOLDER = "history"
FILENAME = "attempts.csv"


@dataclass(frozen=True)
class ExerciseChange:
    exercise: str
    score: float | None  # None: no score (not graded yet, or the exercise is missing)
    max_score: float | None
    delta: float | None  # since the previous attempt; None for the first
    code: str  # "new" (first attempt) | "changed" | "same" | "added" | "removed" | "none"


@dataclass(frozen=True)
class AttemptView:
    entry: Entry
    counted: bool
    changes: tuple[ExerciseChange, ...]


@dataclass(frozen=True)
class History:
    student: str
    name: str
    attempts: tuple[AttemptView, ...]


def history(
    standing: Standing,
    entries: Sequence[Entry],
    exercises: Sequence[str],
    sources: Mapping[str, str],
) -> History:
    """The student's attempts, oldest first, each compared with the one before."""
    mine = sorted((e for e in entries if e.student == standing.student), key=lambda e: e.attempt)
    views = []
    previous: Entry | None = None
    prev_code: dict[str, tuple[str, ...]] = {}
    for e in mine:
        # one attempt: nothing to compare, and parsing 300 students' code costs seconds
        code = _normalised(sources.get(e.sha256, ""), exercises) if len(mine) > 1 else {}
        changes = []
        for x in exercises:
            now = e.exercise_scores.get(x) if e.status != PENDING else None
            before = (
                previous.exercise_scores.get(x) if previous and previous.status != PENDING else None
            )
            score = now["score"] if now else None
            delta = None
            if previous is not None and now and before:
                delta = round(now["score"] - before["score"], 2)
            changes.append(
                ExerciseChange(x, score, now["max_score"] if now else None, delta,
                               _code_change(previous is None, prev_code.get(x), code.get(x)))
            )  # fmt: skip
        views.append(AttemptView(e, e.submission_id == standing.counted.submission_id,
                                 tuple(changes)))  # fmt: skip
        previous, prev_code = e, code
    return History(standing.student, standing.name, tuple(views))


def _normalised(source: str, exercises: Sequence[str]) -> dict[str, tuple[str, ...]]:
    return {x: normalise(u).texts for x, u in units(source, exercises).items()}


def _code_change(first: bool, before: tuple[str, ...] | None, now: tuple[str, ...] | None) -> str:
    if first:
        return "new"
    if now is None:
        return "none" if before is None else "removed"
    if before is None:
        return "added"
    return "same" if before == now else "changed"


def attempts_table(
    counted: Sequence[Standing], entries: Sequence[Entry], exercises: Sequence[str]
) -> Table:
    """attempts.csv: one row per attempt of every student, the counted one marked."""
    from grader.batch.tables import LATE_COLUMNS

    chosen = {s.counted.submission_id for s in counted}
    header = ["student", "name", "attempt", "counted", "file", "sha256", "time_source", "late",
              "status", *exercises, "total", "max_score", *LATE_COLUMNS]  # fmt: skip
    rows = []
    for e in sorted(entries, key=lambda e: (e.student, e.attempt)):
        graded = e.status != PENDING
        scores = exercise_cells(e, exercises)
        rows.append(
            [e.student, e.name, str(e.attempt), "yes" if e.submission_id in chosen else "",
             e.path, e.sha256, e.time_source, late_word(e), e.status, *scores,
             score_text(e.score) if graded else "", score_text(e.max_score) if graded else "",
             *late_cells(e)]
        )  # fmt: skip
    return header, rows


def write_history(
    out: Path,
    gradebook: Gradebook,
    counted: Sequence[Standing],
    entries: Sequence[Entry],
    exercises: Sequence[str],
    lang: str,
) -> list[Path]:
    """OUT/history/<student>.html for every student, and OUT/attempts.csv."""
    folder = out / FOLDER
    folder.mkdir(exist_ok=True)
    sources = gradebook.sources(e.sha256 for e in entries)
    template = environment().get_template("history.html.j2")

    def t(*keys: str, **params: Any) -> str:
        return text(lang, *keys, **params)

    keep = set()
    for s in counted:
        page = template.render(
            h=history(s, entries, exercises, sources), t=t, lang=lang, fmt=score_text
        )
        path = folder / f"{s.filename}.html"
        write_atomic(path, page)
        keep.add(path)
    for path in folder.iterdir():
        if path.is_file() and path not in keep:
            path.unlink()
    table = out / FILENAME
    write_atomic(table, csv_text(attempts_table(counted, entries, exercises)), "utf-8-sig")
    return [folder, table]


def history_links(counted: Iterable[Standing]) -> dict[str, str]:
    """student -> the history page, relative to OUT (for class.html)."""
    return {s.student: f"{FOLDER}/{s.filename}.html" for s in counted}
