"""Deadlines and late penalties: a due date with a time zone, a grace period, a penalty
schedule (a percent per started day or hour late, up to a cap) and a last date after which
nothing is accepted. Pure: times in, a `Lateness` out.

Lateness is counted from the due date (the student's own, after an extension). A
submission within the grace period is on time; one second past it is one started unit late.
The last date moves with an extension by as much as the due date moved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gdgrade.errors import UsageError

UNITS = {"day": 86400.0, "hour": 3600.0}
ON_TIME, GRACE, LATE, REJECTED = "on_time", "grace", "late", "rejected"
UNKNOWN, UNKNOWN_LATE = "unknown", "unknown_late"  # no time; the LMS said late or not


class DeadlineError(UsageError, ValueError):
    """A bad [deadline] table or time; the message is one line for the user."""


@dataclass(frozen=True)
class Deadline:
    due: datetime  # time-zone aware
    grace: timedelta = timedelta(0)
    percent: float = 0.0  # penalty per started unit late, in percent of the raw score
    per: str = "day"  # "day" or "hour"
    cap: float = 100.0  # the penalty never exceeds this percent...
    last: datetime | None = None  # ...but after this date nothing is accepted (100 %)

    @property
    def zone(self) -> tzinfo:
        """Where times without an offset (Blackboard names, manifests) are read."""
        return self.due.tzinfo or ZoneInfo("UTC")

    def to_json(self) -> dict[str, Any]:
        return {
            "due": self.due.isoformat(),
            "grace_s": self.grace.total_seconds(),
            "percent": self.percent,
            "per": self.per,
            "cap": self.cap,
            "last": self.last.isoformat() if self.last else None,
            "zone": getattr(self.zone, "key", None),  # an IANA name, or None for an offset
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Deadline:
        due = datetime.fromisoformat(data["due"])
        if data.get("zone"):
            due = due.astimezone(_zone(data["zone"], "zone"))
        return cls(
            due=due,
            grace=timedelta(seconds=data["grace_s"]),
            percent=data["percent"],
            per=data["per"],
            cap=data["cap"],
            last=datetime.fromisoformat(data["last"]) if data.get("last") else None,
        )


@dataclass(frozen=True)
class Lateness:
    status: str  # on_time | grace | late | rejected | unknown | unknown_late
    due: datetime  # the student's due date (extension included)
    submitted: datetime | None
    late_s: float | None  # seconds after the due date; None when the time is unknown
    percent: float  # penalty in percent of the raw score (100 when rejected)
    extended: bool = False

    def penalty(self, raw: float) -> float:
        """Points taken off a raw score, rounded as the gradebook rounds scores."""
        return round(raw * self.percent / 100, 2)


def assess(
    deadline: Deadline,
    submitted: datetime | None,
    lms_late: bool = False,
    extension: datetime | None = None,
) -> Lateness:
    """How late a submission is, and the penalty the schedule gives it."""
    due = extension or deadline.due
    last = deadline.last
    if extension is not None and last is not None:
        last = max(last + (extension - deadline.due), extension)
    extended = extension is not None
    if submitted is None:
        status = UNKNOWN_LATE if lms_late else UNKNOWN
        return Lateness(status, due, None, None, 0.0, extended)
    late_s = (submitted - due).total_seconds()
    if late_s <= 0:
        return Lateness(ON_TIME, due, submitted, late_s, 0.0, extended)
    if last is not None and submitted > last:
        return Lateness(REJECTED, due, submitted, late_s, 100.0, extended)
    if late_s <= deadline.grace.total_seconds():
        return Lateness(GRACE, due, submitted, late_s, 0.0, extended)
    units = math.ceil(late_s / UNITS[deadline.per])
    percent = min(deadline.cap, units * deadline.percent)
    return Lateness(LATE, due, submitted, late_s, percent, extended)


def parse_deadline(data: Any, where: str) -> Deadline:
    """The assignment file's [deadline] table."""
    if not isinstance(data, dict):
        raise DeadlineError(f"{where}: [deadline] must be a table")
    known = {"due", "timezone", "grace_minutes", "penalty_percent", "per", "max_penalty_percent",
             "last"}  # fmt: skip
    unknown = sorted(set(data) - known)
    if unknown:
        raise DeadlineError(f"{where}: unknown key {unknown[0]!r} in [deadline]")
    zone = _zone(data["timezone"], f"{where}: timezone") if "timezone" in data else None
    if "due" not in data:
        raise DeadlineError(
            f"{where}: [deadline] needs a due date, e.g. due = 2026-12-01T23:59:00+09:00"
        )
    due = parse_time(data["due"], zone, f"{where}: due")
    last = parse_time(data["last"], zone, f"{where}: last") if "last" in data else None
    per = data.get("per", "day")
    if per not in UNITS:
        raise DeadlineError(f'{where}: per must be "day" or "hour", not {per!r}')
    numbers = {}
    defaults = (("grace_minutes", 0), ("penalty_percent", 0), ("max_penalty_percent", 100))
    for key, default in defaults:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise DeadlineError(f"{where}: {key} must be a number ≥ 0")
        numbers[key] = float(value)
    if last is not None and last < due:
        raise DeadlineError(f"{where}: the last date is before the due date")
    return Deadline(
        due=due,
        grace=timedelta(minutes=numbers["grace_minutes"]),
        percent=numbers["penalty_percent"],
        per=per,
        cap=min(100.0, numbers["max_penalty_percent"]),
        last=last,
    )


def parse_time(value: Any, zone: tzinfo | None, where: str) -> datetime:
    """A TOML datetime or an ISO 8601 string; without an offset, read in `zone`."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise DeadlineError(f"{where}: {value!r} is not a date and time (ISO 8601)") from None
    if not isinstance(value, datetime):
        raise DeadlineError(f"{where}: {value!r} is not a date and time")
    if value.tzinfo is None:
        if zone is None:
            raise DeadlineError(
                f"{where}: {value.isoformat()} has no time zone; add an offset such as +09:00 "
                'or a timezone key such as "Asia/Seoul"'
            )
        value = value.replace(tzinfo=zone)
    return value


def _zone(name: Any, where: str) -> tzinfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise DeadlineError(f"{where}: unknown time zone {name!r}") from None


def describe_late(seconds: float) -> tuple[int, int, int]:
    """(days, hours, minutes) of a lateness, for people (rounded up to the minute)."""
    minutes = math.ceil(seconds / 60)
    return minutes // 1440, minutes % 1440 // 60, minutes % 60
