"""The exercise process: calls one student function once per requested case.

It is a fork of the loaded submission process and runs the submission's exercises in
turn, as long as it can be reused (`Baseline`, below); whatever else the student's
function does to it (exit, crash, threads) ends with it. Each call gets freshly
decoded arguments; arrays are copied beforehand to tell whether the call changed them,
and test functions are wrapped to count how often they are called. The result is
encoded with gdgrade.json_values (plain data only) and written as one frame per call.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # the C half of `signal`: no stub
import builtins
import contextlib
import functools
import gc
import hashlib
import json
import math
import os
import random
import signal
import struct
import sys
import threading
import time
import types
import warnings
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from gdgrade import json_values as values
from gdgrade.contract import BY_NAME
from gdgrade.function_specs import FunctionSpec, build
from gdgrade.json_values import EncodeError, RngSpec, decode, encode
from gdgrade.sandbox.capture import BoundedText, safe_text, student_traceback, type_name
from gdgrade.sandbox.protocol import RESULT_FD, pack, write_all

try:
    import resource
except ImportError:  # not POSIX: the portable child, which runs one exercise and ends
    resource = None  # type: ignore[assignment]

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
            elif after.tobytes() == before.tobytes():  # the common case, in one comparison:
                size = 0.0  # every entry equal, or the very same NaN
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


# --- reusing the exercise process ------------------------------------------------------
#
# Whether an exercise process may run the next exercise too, and what it must undo first.
#
# Forking a fresh exercise process for each exercise costs more than most students' own
# code (fork, copy-on-write faults, exit), so one exercise process runs the exercises of a
# submission in turn. That must not let one exercise change another's result, so after
# each exercise the process compares itself with the state it started from (the loaded
# submission) and either restores it in place or says it cannot be reused:
#
# * restored in place: the module namespaces the student's code reaches (its own, those
#   its globals name, builtins, numpy's public modules, the runner's own: a patched
#   `np.sum`, a rebound global, a replaced builtin), `sys.modules` entries, numpy's and
#   `random`'s global generators and the entropy of unseeded ones (ENTROPY), numpy's
#   error and print options, the recursion limit,
#   warning filters, `sys.path`, the working directory, the environment and the umask;
# * not reusable (the next exercise gets a fresh fork): a thread or a child process is
#   left, a signal handler, timer, trace function or resource limit was changed, an
#   object reachable from the student's globals was changed in place (a list appended
#   to, an array written, a generator drawn from, a mutable default filled), or that
#   state holds something this module cannot fingerprint, or the process has used half
#   of its CPU limit. A death, a timeout or an abort always ends the process.
#
# This runs inside the sandbox, in code the student can reach: like the runner's own
# module restore it is robustness, not a security boundary. A student who wants to can
# only change their own results, which the fork-per-exercise design allowed as well (the
# scratch directory is shared by a submission's exercises).

MAX_OBJECTS = 20_000  # objects fingerprinted per check; beyond, the state is not checked
MAX_ARRAY_BYTES = 64 * 1024 * 1024  # array bytes hashed per check
RLIMITS = tuple(
    getattr(resource, name)
    for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC")
    if resource is not None and hasattr(resource, name)
)
_ATOMS = (int, float, complex, str, bytes, bool, type(None), range, slice, type(Ellipsis))
# Objects that hold no state of their own worth comparing: counted by identity.
_FIXED = (
    types.ModuleType,
    types.BuiltinFunctionType,
    types.BuiltinMethodType,
    types.GetSetDescriptorType,
    types.MemberDescriptorType,
    types.WrapperDescriptorType,
    types.MethodDescriptorType,
    types.MethodWrapperType,
    types.ClassMethodDescriptorType,
    np.ufunc,
    np.dtype,
)
_FIXED_TYPE_NAMES = {("numpy", "_ArrayFunctionDispatcher")}  # np.linalg.norm and friends


# The entropy numpy draws for a generator made without a seed (`np.random.default_rng()`,
# `PCG64()`, `SeedSequence()`, `RandomState()`): numpy takes it from the operating system, so
# a submission that makes its own generator instead of using the rng it was given would get
# another grade each time. Here it comes from this generator, seeded before every load: the
# same file, the same values, in both runners. Not `random`'s own generator: that one reseeds
# itself in every fork.
ENTROPY = random.Random()


def seed_generators(seed: int) -> None:
    """Start `random`, `np.random` and ENTROPY at `seed`, numpy's unseeded generators
    drawing from ENTROPY."""
    random.seed(seed)
    np.random.seed(seed)
    ENTROPY.seed(seed)
    _numpy_draws_from_entropy()


def _numpy_draws_from_entropy() -> None:
    # numpy looks `randbits` up in its module at each unseeded SeedSequence
    setattr(np.random.bit_generator, "randbits", ENTROPY.getrandbits)  # noqa: B010


class Unverifiable(Exception):
    """The student's state holds something whose changes cannot be seen."""


class Baseline:
    """The exercise process's state before its first exercise: the loaded submission."""

    def __init__(self, student: types.ModuleType, cpu_limit_s: float) -> None:
        self.student = student
        self.cpu_budget_s = cpu_limit_s / 2
        self.namespaces = [(vars(m), dict(vars(m))) for m in _reachable_modules(student)]
        self.modules = dict(sys.modules)
        self.globals = {k: v for k, v in vars(student).items() if k != "__builtins__"}
        try:
            self.fingerprint: list[Any] | None = fingerprint(self.globals, student.__name__)
        except Unverifiable:
            self.fingerprint = None
        self.np_random = np.random.get_state()
        self.random = random.getstate()
        self.entropy = ENTROPY.getstate()
        self.np_err = np.geterr()
        self.np_print = np.get_printoptions()
        self.recursion = sys.getrecursionlimit()
        self.switch = sys.getswitchinterval()
        self.warnings = list(warnings.filters)
        self.sys_lists = {n: list(getattr(sys, n)) for n in ("path", "meta_path", "path_hooks")}
        self.cwd = os.getcwd()
        self.environ = dict(os.environ)
        self.umask = _umask()
        self.gc = (gc.isenabled(), gc.get_threshold())
        self.signals = _handlers()
        self.rlimits = [resource.getrlimit(r) for r in RLIMITS]
        self.figures = _figures()

    def restore(self) -> bool:
        """Undo what an exercise did; False when this process must not run another."""
        try:
            if not self._reusable():
                return False
            self._restore_namespaces()
            self._restore_globals()
            if self.fingerprint is None:
                return False
            return fingerprint(self.globals, self.student.__name__) == self.fingerprint
        except BaseException:  # whatever the student broke, a fresh fork repairs it
            return False

    def _reusable(self) -> bool:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return (
            usage.ru_utime + usage.ru_stime < self.cpu_budget_s
            and threading.active_count() == 1
            and _alone()
            and sys.gettrace() is None
            and sys.getprofile() is None
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
            and _handlers() == self.signals
            and [resource.getrlimit(r) for r in RLIMITS] == self.rlimits
            and _figures() == self.figures
        )

    def _restore_namespaces(self) -> None:
        for namespace, snapshot in self.namespaces:
            if not _same(namespace, snapshot):
                for name in namespace.keys() - snapshot.keys():
                    del namespace[name]
                namespace.update(snapshot)
        modules = sys.modules
        if not all(modules.get(k) is v for k, v in self.modules.items()):
            modules.update(self.modules)  # modules imported since stay: importing is no state

    def _restore_globals(self) -> None:
        np.random.set_state(self.np_random)
        random.setstate(self.random)
        ENTROPY.setstate(self.entropy)
        _numpy_draws_from_entropy()
        np.seterr(**self.np_err)
        np.set_printoptions(**self.np_print)
        sys.setrecursionlimit(self.recursion)
        sys.setswitchinterval(self.switch)
        warnings.filters[:] = self.warnings  # type: ignore[index]  # a list at run time
        warnings._filters_mutated()  # type: ignore[attr-defined]
        for name, items in self.sys_lists.items():
            getattr(sys, name)[:] = items
        os.chdir(self.cwd)
        if dict(os.environ) != self.environ:
            os.environ.clear()
            os.environ.update(self.environ)
        os.umask(self.umask)
        if gc.isenabled() != self.gc[0]:
            gc.enable() if self.gc[0] else gc.disable()
        gc.set_threshold(*self.gc[1])


def fingerprint(roots: dict[str, Any], module: str) -> list[Any]:
    """What changes when an object reachable from the student's globals changes in place:
    containers by their items, arrays by their bytes, generators by their state, the
    student's own functions, classes and instances by their attributes and defaults.
    Library functions, classes and modules count by identity (their namespaces are
    restored separately); any other object raises Unverifiable."""
    out: list[Any] = []
    seen: set[int] = set()
    budget = [MAX_OBJECTS, MAX_ARRAY_BYTES]
    todo: deque[Any] = deque(roots.values())
    while todo:
        obj = todo.popleft()
        if id(obj) in seen or isinstance(obj, _ATOMS):
            continue
        seen.add(id(obj))
        budget[0] -= 1
        if budget[0] < 0:
            raise Unverifiable("too many objects")
        out.append(id(obj))
        out.append(_shallow(obj, module, todo, budget))
    return out


def _shallow(obj: Any, module: str, todo: deque[Any], budget: list[int]) -> Any:
    """One object's own state; what it refers to is queued for the caller."""
    if isinstance(obj, list | tuple | deque):
        todo.extend(obj)
        return tuple(map(id, obj))
    if isinstance(obj, set | frozenset):
        todo.extend(obj)
        return frozenset(map(id, obj))
    if isinstance(obj, dict):
        todo.extend(obj.values())
        return tuple((id(k), k if isinstance(k, str) else None, id(v)) for k, v in obj.items())
    if isinstance(obj, np.ndarray):
        return _array(obj, budget)
    if isinstance(obj, np.generic):
        return obj.tobytes()
    if isinstance(obj, np.random.Generator):
        return repr(obj.bit_generator.state)
    if isinstance(obj, np.random.RandomState):
        return hashlib.sha256(repr(obj.get_state(legacy=False)).encode()).hexdigest()
    if isinstance(obj, random.Random):
        return obj.getstate()
    if isinstance(obj, _FIXED) or _fixed_type(type(obj)):
        return None
    if isinstance(obj, types.FunctionType):
        return _function(obj, module, todo)
    if isinstance(obj, type):
        if obj.__module__ != module:
            return None
        todo.extend(vars(obj).values())
        return tuple((k, id(v)) for k, v in vars(obj).items())
    if isinstance(obj, property | staticmethod | classmethod):
        todo.extend((getattr(obj, "fget", None), getattr(obj, "__func__", None)))
        return None
    if type(obj).__module__ == module and hasattr(obj, "__dict__"):
        attributes = vars(obj)
        todo.append(attributes)
        return (id(type(obj)), id(attributes))
    raise Unverifiable(type(obj).__name__)


def _function(fn: types.FunctionType, module: str, todo: deque[Any]) -> Any:
    if fn.__module__ != module:
        return None
    parts = [fn.__defaults__, fn.__kwdefaults__, fn.__dict__]
    cells = [c.cell_contents for c in fn.__closure__ or () if _filled(c)]
    todo.extend(p for p in parts if p is not None)
    todo.extend(cells)
    return (id(fn.__code__), *(id(p) for p in parts), tuple(map(id, cells)))


def _array(a: np.ndarray, budget: list[int]) -> Any:
    if a.dtype.hasobject:
        raise Unverifiable("an object array")
    budget[1] -= a.nbytes
    if budget[1] < 0:
        raise Unverifiable("too many array bytes")
    digest = hashlib.blake2b(np.ascontiguousarray(a).view(np.uint8).tobytes(), digest_size=16)
    return (a.shape, a.dtype.str, a.strides, digest.digest())


def _fixed_type(kind: type) -> bool:
    owner = kind.__module__
    return (owner, kind.__name__) in _FIXED_TYPE_NAMES or owner == "typing"


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 (an empty cell raises)
    except ValueError:
        return False
    return True


# Namespaces restored besides those the student's globals name. Not every loaded module:
# comparing a namespace touches each of its objects, and in a fresh fork every touched
# page is copied (all ~11,000 entries of a numpy process: ~25 ms per exercise process).
_WATCHED = (
    *("builtins", "math", "random", "json", "json.encoder", "struct", "os"),
    *("numpy", "numpy.linalg", "numpy.random", "numpy.fft"),
)


def _reachable_modules(student: types.ModuleType) -> list[types.ModuleType]:
    """The student's module, the modules its globals name (np, plt, math...), the ones
    their code reaches by the usual names (builtins, numpy's public parts), and this
    runner's own (gdgrade.*), which reports the next exercise's results."""
    found = {id(student): student}
    runner = [m for name, m in list(sys.modules.items()) if name.split(".")[0] == "gdgrade"]
    watched = [sys.modules.get(n) for n in _WATCHED]
    for value in [*vars(student).values(), *watched, *runner]:
        if isinstance(value, types.ModuleType):
            found.setdefault(id(value), value)
    return list(found.values())


def _same(namespace: dict[str, Any], snapshot: dict[str, Any]) -> bool:
    """Every entry the same; dict equality checks identity first, in C (an object put in
    place of another that compares equal to it passes: harmless by its own definition)."""
    try:
        return bool(namespace == snapshot)
    except BaseException:
        return False


# The signal numbers, and the C function that reads a handler: `signal.getsignal` and
# `signal.valid_signals` wrap every value in an enum, which made each check cost ~0.1 ms.
_SIGNALS = tuple(sorted(int(s) for s in signal.valid_signals() if s < signal.NSIG))
_getsignal = _signal.getsignal


def _handlers() -> list[Any]:
    """Every signal's handler, compared before and after an exercise."""
    return [_getsignal(s) for s in _SIGNALS]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _alone() -> bool:
    """No thread besides this one, no child process, and no process but this one left
    with the session (orphans are reparented to it: pid 1 of the namespace, or a
    subreaper), as the kernel sees it."""
    tid = threading.get_native_id()
    parent = os.getppid()
    try:
        tasks = os.listdir("/proc/self/task")
        # utf-8, which the interpreter has loaded: "ascii" would import a codec per process
        with open(f"/proc/self/task/{tid}/children", encoding="utf-8") as handle:
            children = handle.read().split()
        with open(f"/proc/{parent}/task/{parent}/children", encoding="utf-8") as handle:
            siblings = handle.read().split()
    except OSError:
        return False  # no /proc here: cannot tell, so never reuse
    return tasks == [str(tid)] and not children and siblings == [str(os.getpid())]


def _figures() -> Any:
    pyplot = sys.modules.get("matplotlib.pyplot")
    return pyplot.get_fignums() if pyplot is not None else None
