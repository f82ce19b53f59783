"""The late policy applied to the gradebook's entries: each submission's time, the student's
own due date, and the penalty the assignment's schedule gives. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from grader.batch.standings import Entry, Standing
from grader.deadline import ON_TIME, UNKNOWN, UNKNOWN_LATE, Deadline, assess, describe_late


def with_lateness(
    entries: Iterable[Entry],
    deadline: Deadline | None,
    times: Mapping[int, tuple[str, str]],
    extensions: Mapping[str, str],
) -> list[Entry]:
    """Entries with their submission time and, under a deadline, their lateness."""
    out = []
    for e in entries:
        at, source = times.get(e.submission_id, ("", ""))
        submitted = datetime.fromisoformat(at) if at else None
        e = replace(e, submitted_at=submitted, time_source=source)
        if deadline is not None:
            extension = extensions.get(e.student)
            new_due = datetime.fromisoformat(extension) if extension else None
            e = replace(e, lateness=assess(deadline, submitted, e.late, new_due))
        out.append(e)
    return out


PenaltyRow = tuple[int, str, str, float | None, float, float, float]


def penalty_rows(entries: Iterable[Entry]) -> list[PenaltyRow]:
    """What the gradebook's penalties table keeps, one row per assessed submission."""
    return [
        (e.submission_id, e.lateness.status, e.lateness.due.isoformat(), e.lateness.late_s,
         e.lateness.percent, e.score, e.penalty)
        for e in entries
        if e.lateness is not None
    ]  # fmt: skip


@dataclass(frozen=True)
class LateRow:
    """One counted submission that was late, in the grace period, rejected, or that the LMS
    marked late without a time: what class.html's late table shows."""

    student: str
    file: str
    status: str
    submitted: str  # 'YYYY-MM-DD HH:MM:SS+09:00' in the deadline's zone, or ''
    due: str
    extended: bool
    late_by: tuple[int, int, int] | None  # days, hours, minutes
    percent: float
    raw: float
    penalty: float
    final: float


def late_rows(counted: Iterable[Standing]) -> tuple[LateRow, ...]:
    rows = []
    for s in counted:
        e, late = s.counted, s.counted.lateness
        if late is None:
            if e.late:  # no deadline in the assignment file, but the LMS said late
                rows.append(LateRow(s.student, e.path, UNKNOWN_LATE, "", "", False, None, 0.0,
                                    e.score, 0.0, e.score))  # fmt: skip
            continue
        if late.status in (ON_TIME, UNKNOWN):
            continue
        zone = late.due.tzinfo
        rows.append(
            LateRow(
                student=s.student,
                file=e.path,
                status=late.status,
                submitted=_when(late.submitted.astimezone(zone)) if late.submitted else "",
                due=_when(late.due),
                extended=late.extended,
                late_by=describe_late(late.late_s) if late.late_s else None,
                percent=late.percent,
                raw=e.score,
                penalty=e.penalty,
                final=e.final,
            )
        )
    return tuple(rows)


def _when(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds")
