"""What one worker process does: own a Sandbox, grade the jobs it is sent, send results back.

A worker gets everything it needs through the executor (runner.py): the WorkerConfig once
(the assignment, the limits and the class's case sets, computed by the coordinator) and a
Job per submission (the file's bytes, not a path to open), so it needs no disk or process
shared with the coordinator. The worker is trusted code (student code runs only in its
Sandbox's children). Anything that goes wrong on our side while grading one submission
becomes a `grader_fault` result for that submission, and the worker goes on with a fresh
Sandbox.
"""

from __future__ import annotations

import ctypes
import json
import signal
import time
import traceback
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gdgrade import indented_json
from gdgrade.case_encoding import known
from gdgrade.expectation import Expectation
from gdgrade.report import GradeReport
from gdgrade.report_json import RowMemo, to_json
from gdgrade.sandbox import Limits, Sandbox
from gdgrade.sandbox.runners import grading_runner
from grader.assignment import Assignment
from grader.batch.gradebook import FAULT, GRADED, UNREADABLE, Result
from grader.batch.summary import empty_summary, summarise
from grader.secret import derive_key_early

if TYPE_CHECKING:
    from gdgrade.submission import SubmissionError

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Task:
    submission_id: int
    path: str  # DIR/relative path: where the file is read from
    student: str
    shown: str = ""  # the class folder's name/relative path: how the report names the file


@dataclass(frozen=True)
class Job:
    """One submission as a worker gets it: its content, read by the coordinator."""

    submission_id: int
    name: str  # the path it was read from, as messages about the file name it
    student: str
    shown: str
    content: bytes | Refusal  # the file's bytes, or why they could not be read


@dataclass(frozen=True)
class Refusal:
    """Why the coordinator could not read a file: its SubmissionError as plain data (the
    exception itself does not survive pickling), worded by the worker in the report's
    language."""

    path: str
    key: str
    params: dict[str, Any]

    def error(self) -> SubmissionError:
        from gdgrade.submission import SubmissionError

        return SubmissionError(self.path, self.key, **self.params)


def job_for(task: Task) -> Job:
    """Read the task's file here, in the coordinator: a worker never opens a path."""
    from gdgrade.submission import SubmissionError, read_submission

    try:
        content: bytes | Refusal = read_submission(task.path)
    except SubmissionError as exc:
        content = Refusal(exc.path, exc.key, exc.params)
    return Job(task.submission_id, task.path, task.student, task.shown, content)


@dataclass(frozen=True)
class WorkerConfig:
    assignment: Assignment
    limits: Limits
    feedback_format: str  # a key of grader.render.FORMATS
    unisolated: bool = False  # --no-isolation: the portable runner where the sandbox cannot run
    # exercise -> its shared case set in the case cache's JSON form (computed once by the
    # coordinator); an exercise missing here is computed (or read from the cache) by the worker
    case_sets: Mapping[str, str] = field(default_factory=dict)


def decoded_case_sets(config: WorkerConfig) -> dict[str, tuple[Expectation, ...]]:
    """The coordinator's case sets, decoded once per worker."""
    from gdgrade.expectation import from_json

    return {e: from_json(json.loads(text)) for e, text in config.case_sets.items()}


def grade_job(
    job: Job,
    sandbox: Sandbox,
    config: WorkerConfig,
    case_sets: Mapping[str, tuple[Expectation, ...]] | None = None,
) -> Result:
    """Grade one file; never raises for a submission's sake (unreadable or grader fault)."""
    from gdgrade.submission import SubmissionError, parse_submission
    from grader.grade import grade_submission
    from grader.render import FORMATS

    started = time.monotonic()
    assignment = config.assignment
    try:
        if isinstance(job.content, Refusal):
            raise job.content.error()
        submission = parse_submission(Path(job.name), job.content)
    except SubmissionError as exc:
        why = exc.said(assignment.lang)  # the student's report says it in their language
        return empty_result(UNREADABLE, why, assignment, time.monotonic() - started)
    report = grade_submission(
        submission, assignment, sandbox, job.student, job.shown or None, case_sets
    )
    return result_of(report, config, FORMATS[config.feedback_format])


def result_of(report: GradeReport, config: WorkerConfig, render: Callable[..., str]) -> Result:
    """The stored form of a report: the student's JSON and feedback, and the TA's record
    (everything shown; the summary behind class.html is read from it). A renderer failure
    is our fault, not the student's: the score stands, the result is marked a grader
    fault, and the traceback is kept."""
    lang = config.assignment.lang
    memo: RowMemo = {}  # the rows both show in full are written once
    data = to_json(report, lang, memo)
    record = to_json(replace(report, reveal_hidden=True), lang, memo)
    faults = list(report.grader_errors)
    try:
        feedback: str | None = render(report, lang, color=False)
    except Exception:
        feedback = None
        faults.append(f"rendering {config.feedback_format} feedback: {traceback.format_exc()}")
    summary = summarise(record)
    summary["grader_errors"] = [f.strip() for f in faults]
    return Result(
        status=FAULT if faults else GRADED,
        score=report.score,
        max_score=report.max_score,
        summary=summary,
        report=indented_json.dumps(data, 2, known=known) + "\n",
        feedback=feedback,
        feedback_format=config.feedback_format if feedback is not None else None,
        error="\n\n".join(faults),
        duration_s=report.duration_s,
        # compact, as json.dumps(record, ensure_ascii=False) writes it: only the student's
        # report is a file a person opens
        ta_report=indented_json.dumps(record, None, known=known) + "\n",
    )


def empty_result(status: str, error: str, assignment: Assignment, duration_s: float) -> Result:
    """A result with no report: the file could not be read, or grading it blew up."""
    points = [(e, assignment.points_for(e)) for e in assignment.exercises]
    return Result(
        status=status,
        score=0.0,
        max_score=round(sum(p for _, p in points), 2),
        summary=empty_summary(points),
        report=None,
        feedback=None,
        feedback_format=None,
        error=error,
        duration_s=duration_s,
    )


def main(conn: Connection, config: WorkerConfig) -> None:
    """Worker process entry point: receive Job, send (submission_id, Result), until None."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator decides when we stop
    with ExitStack() as stack:
        sandbox: Sandbox | None = None
        try:  # its zygote starts now, while the first job is on its way
            sandbox = stack.enter_context(grading_runner(config.unisolated, config.limits))
        except Exception:  # tried again, and reported, with the first job
            stack.close()
        if config.assignment.hidden:  # the receipts' fingerprint, while the zygote starts
            derive_key_early(config.assignment.seed)
        case_sets = decoded_case_sets(config)
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return
            if job is None:
                return
            started = time.monotonic()
            try:
                if sandbox is None:
                    runner = grading_runner(config.unisolated, config.limits)
                    sandbox = stack.enter_context(runner)
                result = grade_job(job, sandbox, config, case_sets)
            except Exception:
                elapsed = time.monotonic() - started
                fault = traceback.format_exc(limit=-6).strip()
                result = empty_result(FAULT, fault, config.assignment, elapsed)
                stack.close()  # start from a fresh Sandbox after our own failure
                sandbox = None
            try:
                conn.send((job.submission_id, result))
            except (BrokenPipeError, OSError):
                return


def _die_with_parent() -> None:
    """If the coordinator is killed (even by SIGKILL), its workers must not linger."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
