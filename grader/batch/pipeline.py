"""`gdgrade batch` as a short list of steps: lock OUT, discover, record, grade what is
missing, write the outputs. Prints only through `Progress`; raises UsageError for bad input.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import timezone
from pathlib import Path
from typing import Any, TextIO

from gdgrade.errors import UsageError
from gdgrade.files import NotReadable, read_regular
from gdgrade.safe_text import display_id
from gdgrade.sandbox import Limits
from gdgrade.submission import MAX_BYTES
from grader.assignment import Assignment
from grader.batch.discover import Discovery, Found, attempts, discover
from grader.batch.gradebook import (
    FAULT,
    FILENAME,
    Gradebook,
    Result,
    Settings,
    SubmissionRow,
)
from grader.batch.lock import OutputLock
from grader.batch.outputs import BATCH_PARTS, OutputOptions, private_umask, write_all
from grader.batch.progress import Progress
from grader.batch.roster import Roster
from grader.batch.settings import settings_for
from grader.batch.standings import Standing
from grader.batch.tables import ExportContext
from grader.batch.timing import load_extensions, load_manifest, submission_times
from grader.batch.worker import Task, WorkerConfig
from grader.deadline import Deadline
from grader.secret import SEED_WARNING, new_seed, weak


@dataclass(frozen=True)
class BatchOptions:
    directory: Path
    out: Path
    assignment: Assignment
    jobs: int
    attempt: str = "latest"
    roster: Roster = field(default_factory=Roster)
    limits: Limits = field(default_factory=Limits)
    canvas_assignment_id: str = ""
    progress_bar: bool | None = None  # None: a bar on a terminal, plain lines otherwise
    feedback: str = "html"  # each student's report: "html" (with pictures) or "text"
    times: Path | None = None  # a timestamp manifest (CSV)
    times_from_mtime: bool = False  # date files without another time by their mtime
    extensions: Path | None = None  # per-student due dates (CSV)
    unisolated: bool = False  # --no-isolation: where the sandbox is unavailable, grade anyway


@dataclass(frozen=True)
class BatchSummary:
    students: int
    submissions: int
    graded: int  # graded in this run
    reused: int  # results kept from earlier runs (same content, same settings)
    faults: int  # submissions whose current result is a grader fault
    skipped: tuple[str, ...]
    standings: tuple[Standing, ...]
    wall_s: float
    outputs: tuple[Path, ...] = ()  # every file and folder written into OUT


def check_directory(directory: Path) -> None:
    """DIR is a folder (one submission per student), said plainly when it is a file."""
    if directory.is_file():
        raise UsageError(
            f"{directory} is a file: gdgrade batch grades a folder with one submission per "
            f"student (for one file: gdgrade grade {directory})"
        )
    if not directory.is_dir():
        raise UsageError(f"{directory}: no such directory")


def check_paths(directory: Path, out: Path) -> None:
    check_directory(directory)
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
        _close_earlier_outputs(out)
    except OSError as exc:
        raise UsageError(f"cannot create output directory {out}: {exc.strerror}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UsageError(f"output directory {out} is not writable")


def _close_earlier_outputs(out: Path) -> None:
    """An OUT left by an earlier batch may be open to others (files from before outputs
    were private): close it to its owner. Any other existing folder keeps its mode (it
    may be /tmp or a home), as what this batch writes into it is private anyway."""
    mode = out.stat()
    if (out / FILENAME).is_file() and mode.st_mode & 0o077 and mode.st_uid == os.geteuid():
        out.chmod(mode.st_mode & 0o700)


@private_umask()
def run_batch(options: BatchOptions, progress_stream: TextIO | None = None) -> BatchSummary:
    """Grade what is missing or changed in DIR into OUT; see docs/gradebook.md."""
    started = time.monotonic()
    check_directory(options.directory)
    # Found before OUT is made: a folder with nothing to grade leaves no OUT behind.
    found = discover(options.directory, exclude=[options.out])
    if not found.found:
        raise UsageError(f"no submissions (.py, .ipynb) found in {options.directory}")
    check_paths(options.directory, options.out)
    with OutputLock(options.out), Gradebook(options.out / FILENAME) as gradebook:
        assignment, made = batch_seed(gradebook, options.assignment)
        options = replace(options, assignment=assignment)
        settings = settings_for(options.assignment, options.limits, options.feedback)
        ids = gradebook.record_discovery(submission_rows(found, options.directory))
        gradebook.store_sources(read_sources(found))
        record_timing(gradebook, found, ids, options)
        run_options = {**_run_options(options), "skipped": skipped_entries(found, options)}
        run_id = gradebook.start_run(str(options.directory), settings, run_options)
        todo, _ = gradebook.pending(ids.values(), settings.key)
        progress = Progress(len(todo), progress_stream, options.progress_bar)
        try:
            if made:
                progress.note(new_seed_note(options.out, assignment.seed))
            elif assignment.seed is not None and weak(assignment.seed):
                progress.note(f"gdgrade batch: warning: {SEED_WARNING}")
            _report_discovery(found, progress)
            graded = _grade(gradebook, todo, options, settings, run_id, progress)
        except KeyboardInterrupt:
            gradebook.interrupt_run(run_id)
            raise
        finally:
            progress.close()
        described = {**settings.described, **run_options}
        counted, written = write_all(
            options.out, gradebook, output_options(described, options.roster), BATCH_PARTS
        )
        faults = sum(1 for row in gradebook.current_rows() if row["status"] == FAULT)
        gradebook.finish_run(run_id, graded, len(ids) - len(todo), faults)
    return BatchSummary(
        students=len(counted),
        submissions=len(found.found),
        graded=graded,
        reused=len(ids) - len(todo),
        faults=faults,
        skipped=tuple(f"{s.path}: {s.reason}" for s in found.skipped),
        standings=tuple(counted),
        wall_s=time.monotonic() - started,
        outputs=tuple(written),
    )


def batch_seed(gradebook: Gradebook, assignment: Assignment) -> tuple[Assignment, bool]:
    """The seed this run uses: the one given, else the one kept in the gradebook, else a
    new random one (then True: the TA must be told once). The gradebook keeps it."""
    seed, made = assignment.seed, False
    if seed is None:
        seed = gradebook.kept_seed()
    if seed is None:
        seed, made = new_seed(), True
    if seed != gradebook.kept_seed():
        gradebook.keep_seed(seed)
    return replace(assignment, seed=seed), made


def new_seed_note(out: Path, seed: int | None) -> str:
    """Shown once, on the TA's terminal: the new secret and where it is kept."""
    return (
        f"gdgrade batch: no seed given, so a random secret seed was made and kept in "
        f"{out / FILENAME} (later runs reuse it): {seed}\n"
        f"  Keep it from students: with it, gdgrade regenerates every hidden case. "
        f"Regrade one file with GDGRADE_SEED={seed} gdgrade grade FILE"
    )


def skipped_entries(found: Discovery, options: BatchOptions) -> list[dict[str, str]]:
    """What discovery skipped and why, kept with the run so class.html lists it."""
    entries = []
    for s in found.skipped:
        try:
            path = s.path.relative_to(options.directory).as_posix()
        except ValueError:
            path = s.path.as_posix()
        entries.append({"path": path, "reason": s.reason})
    return entries


def _report_discovery(found: Discovery, progress: Progress) -> None:
    for s in found.skipped:
        progress.note(f"skipped {display_id(str(s.path))}: {s.reason}")
    for f in found.found:
        if f.note:
            progress.note(display_id(f"{f.student}: {f.note}"))


def _grade(
    gradebook: Gradebook,
    todo: list[int],
    options: BatchOptions,
    settings: Settings,
    run_id: int,
    progress: Progress,
) -> int:
    """Grade the pending submissions, committing each result as it arrives."""
    from grader.batch.runner import LocalExecutor

    tasks = tasks_for(gradebook, todo, options.directory)
    feedback_format = settings.described["feedback_format"]

    def on_result(task: Task, result: Result) -> None:
        gradebook.add_result(task.submission_id, run_id, settings, result)
        progress.update(task.student, result.status, result.score, result.max_score)

    if tasks:
        executor = LocalExecutor(options.jobs)
        executor.prepare()  # its workers get ready while the case sets are read
        config = WorkerConfig(
            options.assignment,
            options.limits,
            feedback_format,
            options.unisolated,
            shared_case_sets(options.assignment),
        )
        executor.run(tasks, config, on_result)
    return len(tasks)


def shared_case_sets(assignment: Assignment) -> dict[str, str]:
    """The class's case sets (expected values and mistake variants' outputs), computed
    once, here, and handed to every worker (the case cache's JSON form); per-student sets
    are each used once, so their student's worker computes them."""
    import json

    from gdgrade.expectation import to_json
    from grader.grade import case_set

    if assignment.per_student:
        return {}
    return {
        e: json.dumps(to_json(e, case_set(e, assignment.seed, None, assignment.hidden)))
        for e in assignment.exercises
    }


def _run_options(options: BatchOptions) -> dict[str, Any]:
    deadline = options.assignment.deadline
    return {
        "attempt": options.attempt,
        "title": options.assignment.title,
        "canvas_assignment_id": options.canvas_assignment_id,
        "deadline": deadline.to_json() if deadline else None,
    }


def record_timing(
    gradebook: Gradebook,
    found: Discovery,
    ids: dict[tuple[str, str, str], int],
    options: BatchOptions,
) -> None:
    """Store when each submission was handed in and, if given, the extensions."""
    deadline = options.assignment.deadline
    zone = deadline.zone if deadline else timezone.utc
    stamps = load_manifest(options.times, zone) if options.times else []
    times = submission_times(found.found, stamps, zone, options.times_from_mtime)
    if options.extensions is not None:
        due = load_extensions(options.extensions, zone)
        gradebook.set_extensions({s: d.isoformat() for s, d in due.items()})
    by_path = {(student, path): sid for (student, path, _), sid in ids.items()}
    gradebook.record_times(
        {
            by_path[(f.student, f.path.relative_to(options.directory).as_posix())]: (
                at.isoformat(),
                source,
            )
            for f in found.found
            if f.path in times
            for at, source in [times[f.path]]
        }
    )


def output_options(
    settings: dict[str, Any], roster: Roster, lang: str | None = None
) -> OutputOptions:
    """What the outputs need, from a run's stored settings (so export needs no arguments)."""
    exercises = tuple(settings["exercises"])
    context = ExportContext(
        exercises=exercises,
        max_score=round(sum(settings["points"][e] for e in exercises), 2),
        title=settings.get("title", ""),
        canvas_assignment_id=settings.get("canvas_assignment_id", ""),
        roster=roster,
    )
    deadline = settings.get("deadline")
    return OutputOptions(
        deadline=Deadline.from_json(deadline) if deadline else None,
        exercises=exercises,
        lang=lang or settings["lang"],
        title=settings.get("title", ""),
        attempt=settings.get("attempt", "latest"),
        settings=settings,
        context=context,
    )


def submission_rows(found: Discovery, directory: Path) -> Iterable[SubmissionRow]:
    numbers = attempts(found.found)
    for f in found.found:
        yield _row(f, numbers[f.path], directory)


def _row(f: Found, attempt: int, directory: Path) -> SubmissionRow:
    digest, size = file_digest(f.path)
    return SubmissionRow(
        student=f.student,
        path=f.path.relative_to(directory).as_posix(),
        sha256=digest,
        size=size,
        mtime=_mtime(f.path),
        layout=f.layout,
        attempt=attempt,
        late=f.late,
        note=f.note,
        name=f.name,
    )


def read_sources(found: Discovery) -> dict[str, str]:
    """sha256 -> Python source of each readable submission (read as text, never run)."""
    from gdgrade.submission import SubmissionError, load_submission

    code: dict[str, str] = {}
    for f in found.found:
        try:
            submission = load_submission(f.path)
        except SubmissionError:
            continue
        code[submission.sha256] = submission.source
    return code


def file_digest(path: Path) -> tuple[str, int]:
    """sha256 and size of a regular file, read without following a link; a file we cannot
    read (or one too large to grade) gets a marker digest and fails to load later."""
    try:
        data, size = read_regular(path, MAX_BYTES)
    except NotReadable:
        return "unreadable", -1
    if size != len(data):
        return "unreadable:size", -1
    return hashlib.sha256(data).hexdigest(), size


def _mtime(path: Path) -> float:
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return 0.0


def tasks_for(gradebook: Gradebook, submission_ids: list[int], directory: Path) -> list[Task]:
    tasks = []
    folder = Path(os.path.abspath(directory)).name  # its name only: no host path in a report
    for sid in submission_ids:
        row = gradebook.submission(sid)
        shown = str(Path(folder) / row["path"])
        tasks.append(Task(sid, str(directory / row["path"]), row["student"], shown))
    return sorted(tasks, key=lambda t: (t.student, t.path))
