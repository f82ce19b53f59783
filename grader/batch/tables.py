"""Grade tables: gdgrade's own CSV, a Canvas gradebook import, a Gradescope score upload.

Tables are built as plain rows from the standings (pure), then written as CSV in UTF-8 with
a byte-order mark: without it Excel reads a UTF-8 CSV as the local code page and Korean
names turn into mojibake; Canvas and Gradescope accept the mark. Every cell goes through
`csv_cell`: a student id or file name such as `=HYPERLINK(...)` stays text, not a formula.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gdgrade.safe_text import csv_cell
from grader.batch.roster import Person, Roster
from grader.batch.standings import PENDING, Entry, Standing, exercise_cells, score_text

Table = tuple[list[str], list[list[str]]]  # header, rows
EXPORT_FORMATS = ("csv", "canvas", "gradescope")
FILENAMES = {
    "csv": "grades.csv",
    "canvas": "grades_canvas.csv",
    "gradescope": "grades_gradescope.csv",
}


@dataclass(frozen=True)
class ExportContext:
    exercises: tuple[str, ...]
    max_score: float  # of the assignment, for "Points Possible"
    title: str  # the assignment's title, for Canvas's column
    canvas_assignment_id: str = ""
    roster: Roster = field(default_factory=Roster)


def grades_table(standings: Sequence[Standing], ctx: ExportContext) -> Table:
    """One row per student: the counted file, its status, each exercise's score, the total.

    `student` is the roster's student id when the roster knows the submitter (a Canvas
    download names files by Canvas id), else the id the submission was found under."""
    header = ["student", "name", "section", "file", "attempt", "attempts", "late", "status"]
    header += [*ctx.exercises, "total", "max_score", *LATE_COLUMNS]
    rows = []
    for s in standings:
        e = s.counted
        person = ctx.roster.find(s.student) or Person(s.student)
        graded = e.status != PENDING
        scores = exercise_cells(e, ctx.exercises)
        rows.append(
            [person.student, person.name or e.name, person.section, e.path, str(e.attempt),
             str(s.attempts), late_word(e), e.status, *scores,
             score_text(e.score) if graded else "", score_text(e.max_score) if graded else "",
             *late_cells(e)]
        )  # fmt: skip
    rows += _absent_rows(standings, ctx, len(header))
    return header, sorted(rows, key=lambda row: row[0])


LATE_COLUMNS = ("submitted_at", "late_minutes", "penalty_percent", "raw", "penalty", "final")


def late_word(e: Entry) -> str:
    """'yes' when late (by the schedule, or by the LMS's own tag), 'grace' inside the grace
    period, 'rejected' after the last date; '' when on time or not known to be late."""
    if e.lateness is None:
        return "yes" if e.late else ""
    status = e.lateness.status
    return {"late": "yes", "unknown_late": "yes", "grace": "grace", "rejected": "rejected"}.get(
        status, ""
    )


def late_cells(e: Entry) -> list[str]:
    """submitted_at, late_minutes, penalty_percent, raw, penalty, final: the raw score and
    the penalty stay apart, `final` is what counts (`total` is the raw score too)."""
    if e.status == PENDING:
        return [""] * len(LATE_COLUMNS)
    late = e.lateness
    minutes = ""
    if late is not None and late.late_s is not None and late.late_s > 0:
        minutes = str(math.ceil(late.late_s / 60))
    return [
        e.submitted_at.isoformat() if e.submitted_at else "",
        minutes,
        score_text(late.percent) if late is not None else "",
        score_text(e.score),
        score_text(e.penalty),
        score_text(e.final),
    ]


def _absent_rows(standings: Sequence[Standing], ctx: ExportContext, width: int) -> list[list[str]]:
    """Roster students with no submission at all: listed, status 'missing', scores empty."""
    present = {s.student for s in standings}
    present |= {p.student for s in standings if (p := ctx.roster.find(s.student))}
    rows = []
    for p in ctx.roster.people:
        if p.student not in present and p.canvas_id not in present:
            row = [p.student, p.name, p.section, "", "", "0", "", "missing"]
            rows.append(row + [""] * (width - len(row)))
    return rows


def canvas_column(ctx: ExportContext) -> str:
    title = ctx.title or "gdgrade"
    return f"{title} ({ctx.canvas_assignment_id})" if ctx.canvas_assignment_id else title


def canvas_table(standings: Sequence[Standing], ctx: ExportContext) -> Table:
    """Canvas's gradebook import: identity columns, a Points Possible row, one score column.

    Canvas matches rows by ID (Canvas user id) or SIS User ID, and its own gradebook export
    fills both. ID is the Canvas id, from the roster or from Canvas's own download file
    names. SIS User ID is the roster's SIS id, else the student's id (the 학번 of a file
    name or the roster), for every student whose id is known as more than a Canvas id: one
    column holds every such student's id, not only of those without a Canvas id.
    """
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", canvas_column(ctx)]
    rows = [["Points Possible", "", "", "", "", score_text(ctx.max_score)]]
    for s in standings:
        e = s.counted
        p = ctx.roster.find(s.student)
        canvas_id = (
            p.canvas_id if p and p.canvas_id else (s.student if e.layout == "canvas" else "")
        )
        student = p.student if p else s.student
        sis = p.sis_user_id if p and p.sis_user_id else ("" if student == canvas_id else student)
        name = (p.name if p else "") or e.name or s.student
        score = score_text(e.final) if e.status != PENDING else ""
        rows.append([name, canvas_id, sis, p.sis_login_id if p else "", p.section if p else "",
                     score])  # fmt: skip
    return header, rows


def gradescope_table(standings: Sequence[Standing], ctx: ExportContext) -> Table:
    """Gradescope's score upload: Name, SID, Email, one column per exercise, Total Score."""
    header = ["Name", "SID", "Email", *ctx.exercises, "Total Score"]
    rows = []
    for s in standings:
        e = s.counted
        p = ctx.roster.find(s.student) or Person(s.student)
        graded = e.status != PENDING
        scores = exercise_cells(e, ctx.exercises)
        rows.append([p.name or e.name or s.student, p.student, p.email, *scores,
                     score_text(e.final) if graded else ""])  # fmt: skip
    return header, rows


TABLES = {"csv": grades_table, "canvas": canvas_table, "gradescope": gradescope_table}


def csv_text(table: Table) -> str:
    """The table as CSV, every cell made safe to open in a spreadsheet (`csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in table[0]])
    writer.writerows([csv_cell(c) for c in row] for row in table[1])
    return buffer.getvalue()


def write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Readers (Excel, a web browser) never see half a file, even if we are killed."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding=encoding, newline="") as handle:
        handle.write(text)
    os.replace(tmp, path)


def write_export(out: Path, fmt: str, standings: Sequence[Standing], ctx: ExportContext) -> Path:
    path = out / FILENAMES[fmt]
    write_atomic(path, csv_text(TABLES[fmt](standings, ctx)), encoding="utf-8-sig")
    return path
