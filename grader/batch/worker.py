"""What one worker process does: own a Sandbox, grade the tasks it is sent, send results back.

The worker is trusted code (student code runs only in its Sandbox's children). Anything that
goes wrong on our side while grading one submission becomes a `grader_fault` result for that
submission, and the worker goes on with a fresh Sandbox.
"""

from __future__ import annotations

import ctypes
import json
import signal
import time
import traceback
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection

from gdgrade.report import GradeReport
from gdgrade.report_json import to_json
from gdgrade.sandbox import Limits, Sandbox
from gdgrade.sandbox.runners import grading_runner
from grader.assignment import Assignment
from grader.batch.gradebook import FAULT, GRADED, UNREADABLE, Result
from grader.batch.summary import empty_summary, summarise

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Task:
    submission_id: int
    path: str  # DIR/relative path: where the file is read from
    student: str
    shown: str = ""  # the class folder's name/relative path: how the report names the file


@dataclass(frozen=True)
class WorkerConfig:
    assignment: Assignment
    limits: Limits
    feedback_format: str  # a key of grader.render.FORMATS
    unisolated: bool = False  # --no-isolation: the portable runner where the sandbox cannot run


def grade_task(task: Task, sandbox: Sandbox, config: WorkerConfig) -> Result:
    """Grade one file; never raises for a submission's sake (unreadable or grader fault)."""
    from gdgrade.submission import SubmissionError, load_submission
    from grader.grade import grade_submission
    from grader.render import FORMATS

    started = time.monotonic()
    assignment = config.assignment
    try:
        submission = load_submission(task.path)
    except SubmissionError as exc:
        why = exc.said(assignment.lang)  # the student's report says it in their language
        return empty_result(UNREADABLE, why, assignment, time.monotonic() - started)
    report = grade_submission(submission, assignment, sandbox, task.student, task.shown or None)
    return result_of(report, config, FORMATS[config.feedback_format])


def result_of(report: GradeReport, config: WorkerConfig, render: Callable[..., str]) -> Result:
    """The stored form of a report: the student's JSON and feedback, and the TA's record
    (everything shown; the summary behind class.html is read from it). A renderer failure
    is our fault, not the student's: the score stands, the result is marked a grader
    fault, and the traceback is kept."""
    lang = config.assignment.lang
    data = to_json(report, lang)
    record = to_json(replace(report, reveal_hidden=True), lang)
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
        report=json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        feedback=feedback,
        feedback_format=config.feedback_format if feedback is not None else None,
        error="\n\n".join(faults),
        duration_s=report.duration_s,
        ta_report=json.dumps(record, ensure_ascii=False, indent=2) + "\n",
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
    """Worker process entry point: receive Task, send (submission_id, Result), until None."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator decides when we stop
    with ExitStack() as stack:
        sandbox: Sandbox | None = None
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                return
            if task is None:
                return
            started = time.monotonic()
            try:
                if sandbox is None:
                    runner = grading_runner(config.unisolated, config.limits)
                    sandbox = stack.enter_context(runner)
                result = grade_task(task, sandbox, config)
            except Exception:
                elapsed = time.monotonic() - started
                fault = traceback.format_exc(limit=-6).strip()
                result = empty_result(FAULT, fault, config.assignment, elapsed)
                stack.close()  # start from a fresh Sandbox after our own failure
                sandbox = None
            try:
                conn.send((task.submission_id, result))
            except (BrokenPipeError, OSError):
                return


def _die_with_parent() -> None:
    """If the coordinator is killed (even by SIGKILL), its workers must not linger."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
