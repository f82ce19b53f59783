"""Late penalties follow the schedule at every boundary: on time, inside the grace period,
one second past it, past the cap, after the last date; extensions move the due date."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from grader.assignment import AssignmentError, load_assignment
from grader.deadline import Deadline, assess, describe_late, parse_deadline

KST = timezone(timedelta(hours=9))
DUE = datetime(2026, 12, 1, 23, 59, tzinfo=KST)
POLICY = Deadline(
    due=DUE,
    grace=timedelta(minutes=15),
    percent=10,
    per="day",
    cap=30,
    last=DUE + timedelta(days=5),
)


def at(**delta: float) -> datetime:
    return DUE + timedelta(**delta)


@pytest.mark.parametrize(
    ("submitted", "status", "percent"),
    [
        (at(hours=-1), "on_time", 0),
        (at(seconds=0), "on_time", 0),
        (at(minutes=15), "grace", 0),  # the last second of the grace period
        (at(minutes=15, seconds=1), "late", 10),  # one second past it: one started day
        (at(days=1), "late", 10),
        (at(days=1, seconds=1), "late", 20),
        (at(days=3, seconds=1), "late", 30),  # four started days, capped at 30
        (at(days=5), "late", 30),  # the last date itself is still accepted
        (at(days=5, seconds=1), "rejected", 100),
    ],
)
def test_penalty_follows_the_schedule_at_the_boundaries(submitted, status, percent):
    late = assess(POLICY, submitted)
    assert (late.status, late.percent) == (status, percent)


def test_times_in_another_zone_are_compared_as_instants():
    utc = DUE.astimezone(timezone.utc) + timedelta(minutes=16)
    assert assess(POLICY, utc).status == "late"


def test_an_extension_moves_the_due_date_and_the_last_date_with_it():
    extension = DUE + timedelta(days=2)
    assert assess(POLICY, at(days=2), extension=extension).status == "on_time"
    late = assess(POLICY, at(days=2, minutes=16), extension=extension)
    assert (late.status, late.percent, late.extended) == ("late", 10, True)
    assert assess(POLICY, at(days=7), extension=extension).status == "late"
    assert assess(POLICY, at(days=7, seconds=1), extension=extension).status == "rejected"


def test_per_hour_counts_started_hours():
    hourly = Deadline(due=DUE, percent=5, per="hour", cap=100)
    assert assess(hourly, at(hours=2, seconds=1)).percent == 15


def test_without_a_time_only_the_lms_tag_says_late_and_nothing_is_taken_off():
    assert assess(POLICY, None, lms_late=True).status == "unknown_late"
    assert assess(POLICY, None, lms_late=True).percent == 0
    assert assess(POLICY, None).status == "unknown"


def test_penalty_is_a_percent_of_the_raw_score():
    assert assess(POLICY, at(days=1)).penalty(87.5) == 8.75


def test_late_by_is_told_in_days_hours_minutes():
    assert describe_late(timedelta(days=1, hours=2, minutes=3, seconds=1).total_seconds()) == (
        1,
        2,
        4,
    )


def test_the_assignment_file_reads_the_deadline_table(tmp_path):
    path = tmp_path / "hw.toml"
    path.write_text(
        '[deadline]\ndue = 2026-12-01T23:59:00\ntimezone = "Asia/Seoul"\ngrace_minutes = 15\n'
        'penalty_percent = 10\nper = "day"\nmax_penalty_percent = 30\n'
        "last = 2026-12-06T23:59:00+09:00\n",
        encoding="utf-8",
    )
    deadline = load_assignment(path).deadline
    assert deadline is not None
    assert deadline.due == DUE and deadline.last == POLICY.last
    assert (deadline.grace, deadline.percent, deadline.cap) == (timedelta(minutes=15), 10, 30)
    assert Deadline.from_json(deadline.to_json()) == deadline


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("due = 2026-12-01T23:59:00", "no time zone"),
        ('due = "tomorrow"', "not a date"),
        ('due = 2026-12-01T23:59:00+09:00\nper = "week"', "per must be"),
        ("due = 2026-12-01T23:59:00+09:00\npenalty_percent = -5", "penalty_percent"),
        ("due = 2026-12-01T23:59:00+09:00\nlast = 2026-11-01T00:00:00+09:00", "before the due"),
        ('due = 2026-12-01T23:59:00\ntimezone = "Mars/Base"', "unknown time zone"),
        ("grace_minutes = 5", "needs a due date"),
        ("due = 2026-12-01T23:59:00+09:00\ngrace = 5", "unknown key"),
    ],
)
def test_a_bad_deadline_table_is_one_clear_line(tmp_path, table, message):
    path = tmp_path / "hw.toml"
    path.write_text(f"[deadline]\n{table}\n", encoding="utf-8")
    with pytest.raises(AssignmentError, match=message):
        load_assignment(path)


def test_parse_deadline_refuses_a_non_table():
    with pytest.raises(ValueError, match="must be a table"):
        parse_deadline("2026-12-01", "hw.toml")
