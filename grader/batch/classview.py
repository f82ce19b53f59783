"""The picture of a class that class.html shows, as plain data (the template only reads it).

Scores and diagnoses come from the counted submission of each student (the attempt rule);
grader faults are collected from every active submission, and kept apart from what the
students' code did (time-outs, crashes, unreadable files). For the TA's eyes only, two
integrity flags: an exercise that passes every public case but fails most hidden ones
(possibly hard-coded), and the same file (sha256) handed in under different students.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gdgrade.exercise_data import load_exercise
from gdgrade.i18n import text
from grader.batch.gradebook import FAULT, UNREADABLE
from grader.batch.standings import PENDING, Entry, Standing
from grader.batch.summary import load_incidents

BINS = 10
EXAMPLES = 5
STATUS_ORDER = ("passed", "partial", "failed", "missing", "error")


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    share: float  # of the tallest bin, 0..1, for the bar height


@dataclass(frozen=True)
class DiagnosisCount:
    id: str
    severity: str
    title: str
    count: int
    examples: tuple[str, ...]  # student ids, the first few by id


@dataclass(frozen=True)
class ExerciseView:
    id: str
    number: int
    title: str
    max_score: float
    graded: int
    mean: float | None
    median: float | None
    full_marks: int
    statuses: dict[str, int]
    histogram: tuple[Bin, ...]
    diagnoses: tuple[DiagnosisCount, ...]


@dataclass(frozen=True)
class Incident:
    student: str
    file: str
    where: str  # an exercise id, or "load" for the module-level code
    kind: str  # timeout | memory | crashed
    detail: str  # the case ids concerned, or the load problem's message


@dataclass(frozen=True)
class Problem:
    student: str
    file: str
    message: str


@dataclass(frozen=True)
class HardCoded:
    """An exercise that passes every public case and fails most hidden ones."""

    student: str
    exercise: str
    public: tuple[int, int]  # passed, total
    hidden: tuple[int, int]


@dataclass(frozen=True)
class Identical:
    """One file content (sha256) counted for several students."""

    sha256: str
    students: tuple[str, ...]


@dataclass(frozen=True)
class SkippedEntry:
    """An entry of the submissions folder that discovery did not grade, and why."""

    file: str
    reason: str


@dataclass(frozen=True)
class ClassView:
    title: str
    lang: str
    settings: dict[str, Any]
    students: int
    graded: int
    max_score: float
    mean: float | None
    median: float | None
    statuses: dict[str, int]
    histogram: tuple[Bin, ...]
    exercises: tuple[ExerciseView, ...]
    incidents: tuple[Incident, ...]
    unreadable: tuple[Problem, ...]
    pending: tuple[str, ...]
    faults: tuple[Problem, ...]
    names: dict[str, str]  # student id -> name, where the roster or the LMS file name says
    hard_coded: tuple[HardCoded, ...] = ()
    identical: tuple[Identical, ...] = ()
    skipped: tuple[SkippedEntry, ...] = ()  # from the last run's discovery


def histogram(values: Sequence[float], top: float, bins: int = BINS) -> tuple[Bin, ...]:
    """Equal-width bins over [0, top]; the last bin includes `top` (full marks)."""
    if top <= 0:
        return ()
    width = top / bins
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int(v / width)))] += 1
    tallest = max(counts) or 1
    return tuple(
        Bin(round(i * width, 2), round((i + 1) * width, 2), c, c / tallest)
        for i, c in enumerate(counts)
    )


def _mean_median(values: Sequence[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return round(statistics.fmean(values), 2), round(statistics.median(values), 2)


def exercise_view(exercise: str, standings: Sequence[Standing], lang: str) -> ExerciseView:
    meta = load_exercise(exercise)
    scored = [
        (s.student, s.counted.exercise_scores[exercise])
        for s in standings
        if s.counted.status in ("graded", FAULT) and exercise in s.counted.exercise_scores
    ]
    values = [x["score"] for _, x in scored]
    top = max((x["max_score"] for _, x in scored), default=0.0)
    statuses: dict[str, int] = {}
    found: dict[str, list[str]] = {}
    severity: dict[str, str] = {}
    for _, x in scored:
        statuses[x["status"]] = statuses.get(x["status"], 0) + 1
    statuses = {k: statuses[k] for k in sorted(statuses, key=_status_rank)}
    for student, x in scored:
        for d in x["diagnoses"]:
            found.setdefault(d["id"], []).append(student)
            severity[d["id"]] = d["severity"]
    diagnoses = sorted(
        (
            DiagnosisCount(
                i, severity[i], _mistake_title(lang, i), len(s), tuple(sorted(s)[:EXAMPLES])
            )
            for i, s in found.items()
        ),
        key=lambda d: (d.severity != "mistake", -d.count, d.id),
    )
    mean, median = _mean_median(values)
    return ExerciseView(
        id=exercise,
        number=meta.number,
        title=meta.title.get(lang, exercise),
        max_score=top,
        graded=len(values),
        mean=mean,
        median=median,
        full_marks=sum(1 for _, x in scored if x["score"] >= x["max_score"] > 0),
        statuses=statuses,
        histogram=histogram(values, top),
        diagnoses=tuple(diagnoses),
    )


def _status_rank(status: str) -> tuple[int, str]:
    return (STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER), status)


def _mistake_title(lang: str, mistake_id: str) -> str:
    try:
        return text(lang, "mistakes", mistake_id, "title")
    except KeyError:
        return mistake_id


def incidents(standings: Sequence[Standing]) -> tuple[Incident, ...]:
    found: list[Incident] = []
    for s in standings:
        e = s.counted
        if not e.summary:
            continue
        for p in load_incidents(e.summary):
            found.append(Incident(s.student, e.path, "load", p["kind"], p["message"]))
        for exercise, x in e.exercise_scores.items():
            for kind, cases in sorted(x.get("incidents", {}).items()):
                found.append(Incident(s.student, e.path, exercise, kind, _cases(cases)))
    return tuple(found)


def _cases(cases: Sequence[str], shown: int = 4) -> str:
    """The first few case ids and how many more: a whole exercise can time out."""
    more = f" … (+{len(cases) - shown})" if len(cases) > shown else ""
    return ", ".join(cases[:shown]) + more


def faults(entries: Sequence[Entry]) -> tuple[Problem, ...]:
    """Everything the grader itself failed on, in any active submission."""
    found: list[Problem] = []
    for e in entries:
        errors = e.summary.get("grader_errors", []) if e.summary else []
        if errors:
            found += [Problem(e.student, e.path, message) for message in errors]
        elif e.status == FAULT:
            found.append(Problem(e.student, e.path, e.error))
    return tuple(found)


def possibly_hard_coded(scores: Mapping[str, Any]) -> bool:
    """Every public case passed, and more than half of the hidden ones failed."""
    public, hidden = scores.get("public"), scores.get("hidden")
    if not public or not hidden or public[1] == 0 or hidden[1] == 0:
        return False  # a digest from before these counts, or no cases of one kind
    return public[0] == public[1] and 2 * hidden[0] < hidden[1]


def hard_coded(standings: Sequence[Standing], exercises: Sequence[str]) -> tuple[HardCoded, ...]:
    found = []
    for s in standings:
        for exercise in exercises:
            x = s.counted.exercise_scores.get(exercise)
            if x is not None and possibly_hard_coded(x):
                found.append(HardCoded(s.student, exercise, tuple(x["public"]), tuple(x["hidden"])))
    return tuple(found)


def identical(standings: Sequence[Standing]) -> tuple[Identical, ...]:
    """Counted submissions with the same content under different students."""
    by_content: dict[str, set[str]] = {}
    for s in standings:
        if s.counted.sha256:
            by_content.setdefault(s.counted.sha256, set()).add(s.student)
    return tuple(
        Identical(sha, tuple(sorted(students)))
        for sha, students in sorted(by_content.items(), key=lambda kv: sorted(kv[1]))
        if len(students) > 1
    )


def class_view(
    standings: Sequence[Standing],
    entries: Sequence[Entry],
    exercises: Sequence[str],
    lang: str,
    title: str,
    settings: dict[str, Any],
    names: dict[str, str] | None = None,
) -> ClassView:
    graded = [s for s in standings if s.counted.status != PENDING]
    totals = [s.counted.score for s in graded]
    top = max((s.counted.max_score for s in graded), default=0.0)
    statuses: dict[str, int] = {}
    for s in standings:
        statuses[s.counted.status] = statuses.get(s.counted.status, 0) + 1
    mean, median = _mean_median(totals)
    return ClassView(
        title=title,
        lang=lang,
        settings=settings,
        students=len(standings),
        graded=len(graded),
        max_score=top,
        mean=mean,
        median=median,
        statuses=statuses,
        histogram=histogram(totals, top),
        exercises=tuple(exercise_view(x, standings, lang) for x in exercises),
        incidents=incidents(standings),
        unreadable=tuple(
            Problem(s.student, s.counted.path, s.counted.error)
            for s in standings
            if s.counted.status == UNREADABLE
        ),
        pending=tuple(s.student for s in standings if s.counted.status == PENDING),
        faults=faults(entries),
        names=names or {},
        hard_coded=hard_coded(standings, exercises),
        identical=identical(standings),
        skipped=tuple(
            SkippedEntry(str(s.get("path", "")), str(s.get("reason", "")))
            for s in settings.get("skipped", ())
            if isinstance(s, dict)
        ),
    )
