"""The exercise process: calls one student function once per requested case.

It is a fork of the loaded submission process, so whatever the student's function does
to it (exit, crash, patching modules, threads) ends with it. Each call gets freshly
decoded arguments; arrays are copied beforehand to tell whether the call changed them,
and test functions are wrapped to count how often they are called. The result is
encoded with gdgrade.json_values (plain data only) and written as one frame per call.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import json
import math
import os
import struct
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from gdgrade import json_values as values
from gdgrade.contract import BY_NAME
from gdgrade.function_specs import FunctionSpec, build
from gdgrade.json_values import EncodeError, RngSpec, decode, encode
from gdgrade.sandbox.capture import BoundedText, safe_text, student_traceback, type_name
from gdgrade.sandbox.protocol import RESULT_FD, pack, write_all

if TYPE_CHECKING:
    from gdgrade.sandbox.child import Session


class Exercise:
    """The grandchild: calls one student function once per requested case."""

    def __init__(self, session: Session, request: dict[str, Any]) -> None:
        self.session = session
        self.limits = session.limits
        self.name = str(request["ex"])
        self.rid = request.get("r")
        self.calls = request["calls"]
        signature = BY_NAME.get(self.name)
        self.params = signature.params if signature else ()

    def run(self) -> None:
        function = self.session.module.__dict__.get(self.name)
        for call in self.calls:
            write_all(RESULT_FD, self._call(function, call))

    def _call(self, function: Any, call: dict[str, Any]) -> bytes:
        counts: dict[str, int] = {}
        pristine: dict[int, np.ndarray] = {}
        args = [
            self._prepare(pos, decode(a), counts, pristine) for pos, a in enumerate(call["args"])
        ]
        output = BoundedText(self.limits.output_bytes, 1)
        sys.stdout = sys.stderr = output
        frame: dict[str, Any] = {"t": "result", "r": self.rid, "i": call["i"]}
        started = time.perf_counter()
        try:
            value = function(*args)
            frame["status"] = "returned"
        except BaseException as exc:
            value = None
            frame.update(self._failure(exc))
        frame["duration"] = time.perf_counter() - started
        sys.stdout = sys.stderr = BoundedText(0, 1)
        report = (frame, value, output, counts, args, pristine)
        try:
            return self._report(*report)
        except BaseException:  # the call broke what reporting uses (patched builtins...)
            _restore_runner_modules()
        try:
            return self._report(*report)
        except BaseException as exc:
            failed = {"t": "result", "r": self.rid, "i": call["i"], "status": "bad_return"}
            said = {"reason": "not_encoded", "reason_params": {"error": type_name(exc)}}
            return pack(failed | said)

    def _report(
        self,
        frame: dict[str, Any],
        value: Any,
        output: BoundedText,
        counts: dict[str, int],
        args: list[Any],
        pristine: dict[int, np.ndarray],
    ) -> bytes:
        frame = dict(frame)  # a failed first attempt must not leave its pieces behind
        frame["stdout"] = output.text()
        frame["calls"] = dict(counts)
        frame["mutated"] = _mutations(args, pristine)
        if frame["status"] == "returned":
            frame.update(self._encoded(value))
        return self._bounded(frame)

    def _prepare(
        self, pos: int, arg: Any, counts: dict[str, int], pristine: dict[int, np.ndarray]
    ) -> Any:
        name = self.params[pos] if pos < len(self.params) else f"arg{pos}"
        if isinstance(arg, FunctionSpec):
            counts[name] = 0
            return _counted(built(arg.source, arg.n, arg.output), counts, name)
        if isinstance(arg, RngSpec):
            return arg.make()
        if isinstance(arg, np.ndarray):
            pristine[pos] = arg.copy()
        return arg

    def _failure(self, exc: BaseException) -> dict[str, Any]:
        session = self.session
        return {
            "status": "memory" if isinstance(exc, MemoryError) else "raised",
            "error_type": type_name(exc),
            "error_message": safe_text(exc),
            "traceback": student_traceback(exc, session.locator, session.display_name),
        }

    def _encoded(self, value: Any) -> dict[str, Any]:
        try:
            return {"value": encode(value)}
        except EncodeError:
            reason, params = "not_plain_data", {"type": type_name(value)}
        except BaseException as exc:
            reason, params = (
                "unreadable_object",
                {"type": type_name(value), "error": type_name(exc)},
            )
        return {
            "status": "bad_return",
            "error_type": params["type"],
            "reason": reason,
            "reason_params": params,
        }

    def _bounded(self, frame: dict[str, Any]) -> bytes:
        data = pack(frame)
        if len(data) <= self.limits.result_bytes:
            return data
        frame.pop("value", None)
        frame.update(
            status="bad_return",
            error_type="",
            reason="too_large",
            reason_params={"size": len(data)},
        )
        return pack(frame)


def _counted(
    function: Callable[[Any], Any], counts: dict[str, int], name: str
) -> Callable[[Any], Any]:
    def counted(x: Any) -> Any:
        counts[name] += 1
        return function(x)

    counted.__name__ = name
    return counted


def _mutations(args: list[Any], pristine: dict[int, np.ndarray]) -> list[list[Any]]:
    """[position, largest |after - before|] of each array argument changed in place."""
    changed = []
    for pos, before in pristine.items():
        after = args[pos]
        try:
            if after.shape != before.shape or after.dtype != before.dtype:
                size = float("inf")
            else:
                with np.errstate(all="ignore"):
                    same = (after == before) | (np.isnan(after) & np.isnan(before))
                    diff = np.where(same, 0.0, np.abs(after - before))
                    diff = np.where(np.isnan(diff), np.inf, diff)
                size = float(diff.max()) if diff.size else 0.0
        except BaseException:
            size = float("inf")
        if size != 0.0:
            changed.append([pos, encode(size)])
    return changed


_RUNNER_MODULES = (builtins, json, json.encoder, math, struct, os, np, values)
# Taken when the zygote imports this module, so no fork pays for copying it.
_PRISTINE = [(vars(m), dict(vars(m))) for m in _RUNNER_MODULES]


def _restore_runner_modules() -> None:
    """Undo what student code did to the modules this runner relies on (builtins, json,
    math, numpy...), so that patching them breaks the student's result, not the report
    of it. Not a security boundary (ctypes can break anything): robustness only."""
    for namespace, snapshot in _PRISTINE:
        namespace.update(snapshot)


@functools.lru_cache(maxsize=256)
def built(source: str, n: int, output: Any) -> Callable[[Any], Any]:
    """A test function from its source, compiled once per submission process."""
    return build(source, n, output)


def compile_functions(request: dict[str, Any]) -> None:
    for call in request.get("calls", ()):
        for arg in call.get("args", ()):
            if isinstance(arg, dict) and isinstance(arg.get("function"), dict):
                with contextlib.suppress(Exception):
                    spec = FunctionSpec.from_json(arg["function"])
                    built(spec.source, spec.n, spec.output)
