"""The plain data that flows between grading stages (docs/architecture.md shows the flow).

Every stage takes and returns these frozen dataclasses; none holds behaviour beyond
small derived properties, so each stage can be tested with hand-built values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Visibility = Literal["public", "hidden"]
CallStatus = Literal[
    "returned",  # the function returned plain data
    "raised",  # it raised an exception
    "timeout",  # it did not finish within its wall/CPU limit
    "memory",  # it exceeded its memory limit
    "crashed",  # the child died (signal, os._exit, segfault) without answering
    "missing",  # the function is not defined by the submission
    "bad_return",  # it returned something that is not plain data (an object, a lambda)
]


@dataclass(frozen=True)
class Case:
    """One call a student function must answer.

    `args` are plain values: floats, ints, float64 arrays, `FunctionSpec` test functions
    and `RngSpec` generators, in the contract's positional order.
    """

    id: str
    exercise: str
    args: tuple[Any, ...]
    visibility: Visibility = "public"
    weight: float = 1.0
    tags: tuple[str, ...] = ()
    title: dict[str, str] = field(default_factory=dict, compare=False)  # {"ko": ..., "en": ...}


@dataclass(frozen=True)
class CallOutcome:
    """What happened when the sandbox called one student function on one case."""

    status: CallStatus
    value: Any = None  # decoded plain data, only when status == "returned"
    error_type: str = ""
    error_message: str = ""
    traceback: str = ""  # the student's own frames only
    stdout: str = ""  # bounded excerpt
    duration_s: float = 0.0
    mutated_args: tuple[int, ...] = ()  # positions of arguments modified in place
    # for each entry of mutated_args, the largest |after - before| over its elements (inf
    # when its shape or dtype changed or a value became non-finite): a restore by
    # subtraction leaves ~1e-16, a real overwrite much more; the grader decides
    mutated_max_abs: tuple[float, ...] = ()
    calls: dict[str, int] = field(default_factory=dict)  # calls made to f / fp, by name
    # an outcome the grader made itself (a timeout, a process that died, a result it could
    # not read) says why as a key of the "call" catalogue and its parameters
    # (gdgrade.sandbox.reasons), never as a sentence: each report words it in its language
    reason: str = ""
    reason_params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadProblem:
    """Something that went wrong (or was neutralised) while loading a submission."""

    kind: Literal["syntax_error", "raised", "magic", "timeout", "crashed", "memory", "note"]
    message: str
    line: int | None = None  # in the student's file, or in the cell
    cell: int | None = None  # notebook cell number (1-based), None for .py files
    detail: str = ""  # caret line, student traceback
    # what the grader says itself (a magic not run, a load limit reached) is a key of the
    # "load" catalogue and its parameters (gdgrade.sandbox.reasons), and `message` is empty;
    # `message` holds only what Python said (the exception or syntax error)
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadReport:
    """The result of running the submission's module-level code in the sandbox."""

    defined: tuple[str, ...]  # contract function names bound after loading
    problems: tuple[LoadProblem, ...] = ()
    stdout: str = ""
    duration_s: float = 0.0
    raw_output: str = ""  # written to the output descriptors directly, not through print()
