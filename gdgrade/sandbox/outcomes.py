"""Turn what the child sent (or how it died) into CallOutcome / LoadProblem values.

Runs on the trusted side. Every field of a frame is checked for type and size; a value
is decoded with gdgrade.json_values and must then be plain data (numbers, float arrays, lists,
tuples, strings): anything else, including a test function or generator a student
managed to encode, becomes `bad_return`.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from typing import Any, cast

import numpy as np

from gdgrade.case import CallOutcome, CallStatus, LoadProblem
from gdgrade.json_values import decode
from gdgrade.sandbox import reasons
from gdgrade.sandbox.limits import Limits

RESULT_STATUSES: tuple[CallStatus, ...] = ("returned", "raised", "bad_return", "memory")
LOAD_KINDS = ("syntax_error", "raised", "magic", "timeout", "crashed", "memory", "note")
TEXT_CAP = {"error_type": 200, "error_message": 2500, "traceback": 20_000}
MAX_DEPTH = 64


def result_outcome(
    frame: dict[str, Any],
    elapsed: float,
    params: Sequence[str],
    n_args: int,
    limits: Limits,
) -> CallOutcome:
    """A result frame of one call, validated."""
    status = frame.get("status")
    if status not in RESULT_STATUSES:
        return CallOutcome("crashed", reason="malformed_result")
    texts = {key: _text(frame.get(key), cap) for key, cap in TEXT_CAP.items()}
    stdout = _text(frame.get("stdout"), limits.output_bytes + 200)
    reason, reason_params = reasons.checked(
        reasons.CALL, frame.get("reason"), frame.get("reason_params")
    )
    value = None
    if status == "returned":
        try:
            value = _plain(decode(frame.get("value")))
        except Exception as exc:
            status = "bad_return"
            reason, reason_params = "unreadable_return", {"error": _reason(exc)}
    mutated, sizes = _mutations(frame.get("mutated"), n_args)
    return CallOutcome(
        status=cast(CallStatus, status),  # one of RESULT_STATUSES, checked above
        value=value,
        stdout=stdout,
        duration_s=_duration(frame.get("duration"), elapsed),
        mutated_args=mutated,
        mutated_max_abs=sizes,
        calls=_counts(frame.get("calls"), params),
        reason=reason,
        reason_params=reason_params,
        **texts,
    )


def timeout_outcome(limits: Limits, budget: bool = False, skipped: bool = False) -> CallOutcome:
    reason, params = "wall_limit", {"seconds": limits.call_wall_s}
    if budget:
        reason, params = "budget_spent", {"seconds": limits.submission_wall_s}
    elif skipped:
        reason = "skipped_after_timeouts"
        params = {"count": limits.timeouts_per_exercise, "seconds": limits.call_wall_s}
    return CallOutcome(
        "timeout", reason=reason, reason_params=params, duration_s=limits.call_wall_s
    )


def exercise_death(frame: dict[str, Any], limits: Limits, elapsed: float) -> CallOutcome:
    """The exercise process ended during a call; the "gone" frame says how."""
    sig, code = frame.get("signal"), frame.get("exit")
    if isinstance(sig, int) and not isinstance(sig, bool):
        status, reason, params = _signal_outcome(sig, limits)
    elif isinstance(code, int) and not isinstance(code, bool):
        status, reason, params = "crashed", "exited", {"code": code}
    else:
        status, reason, params = "crashed", "ended", {}
    return CallOutcome(status, reason=reason, reason_params=params, duration_s=max(0.0, elapsed))


Said = tuple[str, str, dict[str, Any]]  # (load problem kind, LOAD key, its parameters)


def died_outcome(status: int | None, limits: Limits) -> Said:
    """How a submission process that died on its own while loading is reported."""
    if status is None or status < 0:
        return "crashed", "died", {}
    if os.WIFSIGNALED(status):
        return ended_outcome(-os.WTERMSIG(status), limits)
    return ended_outcome(os.waitstatus_to_exitcode(status), limits)


def ended_outcome(returncode: int | None, limits: Limits) -> Said:
    """As died_outcome, from a subprocess return code (negative: killed by that signal)."""
    if returncode is None:
        return "crashed", "died", {}
    if returncode < 0:
        return _signal_outcome(-returncode, limits)
    return "crashed", "exited", {"code": returncode}


def load_problem(kind: str, key: str, params: dict[str, Any], line: int | None) -> dict[str, Any]:
    """A problem the trusted side found while loading, in the child's problem form."""
    return {"kind": kind, "message": "", "line": line, "detail": "", "key": key, "params": params}


def _signal_outcome(sig: int, limits: Limits) -> tuple[CallStatus, str, dict[str, Any]]:
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = f"signal {sig}"
    if sig == getattr(signal, "SIGXCPU", None):  # POSIX only
        return "timeout", "cpu_limit", {"seconds": limits.cpu_s, "signal": name}
    return "crashed", "killed", {"signal": name}


def load_problems(
    raw: Sequence[dict[str, Any]], line_map: Sequence[tuple[int, int | None, int]]
) -> tuple[LoadProblem, ...]:
    """Child or host problem dicts -> LoadProblems with cell/line in the student's terms."""
    problems = []
    for p in raw:
        kind = p.get("kind")
        if kind not in LOAD_KINDS:
            continue
        line = p.get("line")
        cell, local = None, None
        if isinstance(line, int) and not isinstance(line, bool) and 1 <= line <= len(line_map):
            _, cell, local = line_map[line - 1]
        key, params = reasons.checked(reasons.LOAD, p.get("key"), p.get("params"))
        problems.append(
            LoadProblem(
                kind=kind,
                message="" if key else _text(p.get("message"), 600),
                line=local,
                cell=cell,
                detail=_text(p.get("detail"), 20_000),
                key=key,
                params=params,
            )
        )
    return tuple(problems)


def _text(value: Any, cap: int) -> str:
    return value[:cap] if isinstance(value, str) else ""


def _duration(value: Any, elapsed: float) -> float:
    """The child's own measure if plausible (it excludes the fork), else ours."""
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value <= elapsed:
        return float(value)
    return max(0.0, elapsed)


def _counts(value: Any, params: Sequence[str]) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {
        k: v
        for k, v in value.items()
        if k in params and isinstance(v, int) and not isinstance(v, bool) and v >= 0
    }


def _mutations(value: Any, n_args: int) -> tuple[tuple[int, ...], tuple[float, ...]]:
    found: dict[int, float] = {}
    for item in value if isinstance(value, list) else ():
        if not (isinstance(item, list) and len(item) == 2):
            continue
        pos, size = item
        if not (isinstance(pos, int) and not isinstance(pos, bool) and 0 <= pos < n_args):
            continue
        try:
            amount = float(decode(size))
        except Exception:
            amount = float("inf")
        found[pos] = amount if amount == amount and amount > 0 else float("inf")
    positions = tuple(sorted(found))
    return positions, tuple(found[p] for p in positions)


def _plain(value: Any, depth: int = 0) -> Any:
    """Only numbers, strings, float arrays, lists and tuples may come back."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is np.ndarray and value.dtype == np.float64:
        return value
    if type(value) in (list, tuple):
        for item in value:
            _plain(item, depth + 1)
        return value
    raise ValueError(f"a {type(value).__name__} is not a result")


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text[:200] if text else type(exc).__name__
