"""Everything a batch leaves in OUT besides the gradebook, regenerated from the gradebook.

Every file is rebuilt from the stored results (no regrading), written atomically, and
files of students no longer in the batch are removed from reports/ and results/, so the
outputs after an interrupted-then-resumed batch equal those of an uninterrupted one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gdgrade.i18n import text
from gdgrade.templating import environment
from grader import __version__
from grader.batch.classview import class_view
from grader.batch.gradebook import FAULT, UNREADABLE, Gradebook
from grader.batch.history import history_links, write_history
from grader.batch.late import late_rows, penalty_rows, with_lateness
from grader.batch.similar import FOLDER, SimilarityOptions, SimilarityPage, write_similarity
from grader.batch.standings import PENDING, Entry, Standing, score_text, standings
from grader.batch.tables import EXPORT_FORMATS, ExportContext, write_atomic, write_export
from grader.deadline import Deadline

FEEDBACK_SUFFIX = {"html": ".html", "text": ".txt"}


@dataclass(frozen=True)
class OutputOptions:
    exercises: tuple[str, ...]
    lang: str
    title: str
    attempt: str
    settings: dict[str, Any]  # shown in class.html
    context: ExportContext
    similarity: SimilarityOptions = field(default_factory=SimilarityOptions)
    deadline: Deadline | None = None  # the assignment's late policy, if it has one


def load_entries(gradebook: Gradebook, deadline: Deadline | None = None) -> list[Entry]:
    """Every active submission, with its time and, under a deadline, its lateness."""
    entries = [Entry.from_row(dict(row)) for row in gradebook.current_rows()]
    return with_lateness(entries, deadline, gradebook.times(), gradebook.extensions())


PARTS = (*EXPORT_FORMATS, "reports", "history", "class", "similarity")
BATCH_PARTS = (*EXPORT_FORMATS, "reports", "history", "class")  # similarity: on demand


@contextmanager
def private_umask() -> Iterator[None]:
    """While it lasts, files are created 0600 and folders 0700, whatever the caller's
    umask: OUT holds every student's grades, reports and code, the seed and hidden
    cases' details, and student code may run under another uid on this machine."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


@private_umask()
def write_all(
    out: Path, gradebook: Gradebook, options: OutputOptions, parts: Iterable[str] = PARTS
) -> tuple[list[Standing], list[Path]]:
    """Write the chosen outputs; returns the standings and the paths written."""
    for leftover in out.glob(".*.tmp"):  # from a run killed while writing
        leftover.unlink()
    entries = load_entries(gradebook, options.deadline)
    if options.deadline is not None:
        gradebook.record_penalties(penalty_rows(entries))
    counted = standings(entries, options.attempt)
    chosen = set(parts)
    written = [
        write_export(out, fmt, counted, options.context) for fmt in EXPORT_FORMATS if fmt in chosen
    ]
    if "reports" in chosen:
        write_student_files(out, gradebook, counted)
        written += [out / "reports", out / "results"]
    if "history" in chosen:
        written += write_history(out, gradebook, counted, entries, options.exercises, options.lang)
    similar = None
    if "similarity" in chosen:
        similar = write_similarity(
            out, gradebook, counted, options.exercises, options.similarity, options.lang,
            student_names(counted, options),
        )  # fmt: skip
        written.append(out / FOLDER)
    if "class" in chosen:
        written.append(write_class_page(out, counted, entries, options, similar))
    return counted, written


def student_names(counted: Sequence[Standing], options: OutputOptions) -> dict[str, str]:
    """student id -> name, from the roster or else the LMS file name."""
    roster = options.context.roster
    names = {}
    for s in counted:
        person = roster.find(s.student)
        names[s.student] = (person.name if person else "") or s.name
    return names


def write_student_files(out: Path, gradebook: Gradebook, counted: Sequence[Standing]) -> None:
    reports, results = out / "reports", out / "results"
    reports.mkdir(exist_ok=True)
    results.mkdir(exist_ok=True)
    keep: set[Path] = set()
    for s in counted:
        e = s.counted
        if e.status == PENDING or e.result_id is None:
            continue
        report, feedback = gradebook.stored(e.result_id)
        lang = gradebook.result_lang(e.result_id)
        result_path = results / f"{s.filename}.json"
        write_atomic(result_path, report or _no_report_json(s, lang))
        report_path = out / report_file(s)
        write_atomic(report_path, feedback if feedback is not None else _no_report_text(e, lang))
        keep |= {result_path, report_path}
    for folder in (reports, results):
        for path in folder.iterdir():
            if path.is_file() and path not in keep:
                path.unlink()


def report_file(s: Standing) -> str:
    """Where a student's report is, relative to OUT (reports/<student>.html or .txt)."""
    suffix = FEEDBACK_SUFFIX.get(s.counted.feedback_format or "text", ".txt")
    return f"reports/{s.filename}{suffix}"


def report_links(counted: Sequence[Standing]) -> dict[str, str]:
    """student -> their report, for class.html; none for a student not graded yet."""
    return {
        s.student: report_file(s)
        for s in counted
        if s.counted.status != PENDING and s.counted.result_id is not None
    }


def _no_report_json(s: Standing, lang: str) -> str:
    """What results/<student>.json holds when the file could not be graded at all."""
    e = s.counted
    data = {
        "student_id": s.student,
        "submission": e.path,
        "sha256": e.sha256,
        "status": e.status,
        "score": e.score,
        "max_score": e.max_score,
        "error": _no_report_text(e, lang).strip(),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _no_report_text(e: Entry, lang: str) -> str:
    if e.status == UNREADABLE:
        return text(lang, "batch", "unreadable_report", error=e.error) + "\n"
    if e.status == FAULT:
        return text(lang, "batch", "fault_report") + "\n"
    return ""


def shared_case_set(settings: dict[str, Any]) -> str:
    """The fingerprint the class's reports show, for the TA to compare ("" when each
    student has their own). The page never shows the seed: pages get shared."""
    from grader.secret import fingerprint

    seed = settings.get("seed")
    if seed is None or settings.get("per_student"):
        return ""
    return fingerprint(int(seed))


def write_class_page(
    out: Path,
    counted: Sequence[Standing],
    entries: Sequence[Entry],
    options: OutputOptions,
    similarity: SimilarityPage | None = None,
) -> Path:
    settings = {**options.settings, "attempt": options.attempt}
    settings.setdefault("grader_version", __version__)
    settings["case_set"] = shared_case_set(settings)
    names = student_names(counted, options)
    view = class_view(
        counted, entries, options.exercises, options.lang, options.title, settings, names
    )
    lang = options.lang

    def t(*keys: str, **params: Any) -> str:
        return text(lang, *keys, **params)

    page = (
        environment()
        .get_template("class.html.j2")
        .render(
            view=view,
            t=t,
            fmt=score_text,
            similarity=similarity,
            late=late_rows(counted),
            deadline=options.deadline,
            counted=counted,
            history=history_links(counted),
            reports=report_links(counted),
        )
    )
    path = out / "class.html"
    write_atomic(path, page)
    return path
