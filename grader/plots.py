"""Pictures for the HTML report, drawn on the trusted side as small inline SVG.

- gradient_descent, momentum_descent: the student's path as the lecture draws it (red
  dots joined by a dotted line, 'ro:', labelled x_1, x_2, ...) on the curve f(x), over
  the reference path (blue squares). momentum_descent gets only f', so its curve is f'
  integrated numerically, shifted so its lowest point in the picture is 0.
- batch_gradient_descent, sgd, minibatch_gd: the loss L(w) after each epoch (epoch 0 is
  w0), student against reference, log scale, computed here from the case's X, y and
  the returned path with `reference.least_squares.loss`.
- sgd and batch_gradient_descent both graded on the same data: the student's two loss
  curves per epoch together, under SGD's loss after every single update (replayed with
  the case's generator), as on the lecture's slide: SGD jitters, batch descent is smooth.

Choices: pictures use only cases whose inputs the reader may see — public cases, or
hidden ones when the report reveals them — so hidden inputs never leak through a curve.
One picture per exercise: the first case not passed whose reference path is finite, or
else the first such case (the longest run for the loss curves). Plot text has no words in
any language (x, f(x), L(w), epoch, x_k): the legend and the explanation are HTML
captions in the report's language. Text stays text (the browser's font draws it), points
closer than a pixel or two to the previous one are dropped, coordinates keep one decimal:
each picture stays a few kB.

The pictures are written by grader/svg.py, a small chart writer over numpy: matplotlib
took about a second per report to import and draw the same pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdgrade.compare import as_float_array
from gdgrade.contract import BY_NAME
from gdgrade.identity_memo import IdentityMemo
from gdgrade.losses import loss
from gdgrade.report import CaseResult, ExerciseResult, GradeReport
from grader.formats.view import case_name, concealed
from grader.svg import Axes

STUDENT = "#d62728"
REFERENCE = "#1f77b4"
CURVE = "#555555"
LABELLED_STEPS = 3
# The lecture's 'ro:' for the student, blue open squares joined for the reference (the
# legend's swatches in templates/report.html.j2 are drawn alike).
STUDENT_STYLE: dict[str, Any] = {"line": "dotted", "marker": "o", "width": 1.3, "size": 5}
REFERENCE_STYLE: dict[str, Any] = {
    "line": "solid",
    "marker": "s",
    "width": 1.0,
    "size": 7,
    "fill": "none",
    "alpha": 0.85,
}


@dataclass(frozen=True)
class Figure:
    kind: str  # "descent", "momentum", "loss", "sgd_batch": picks the caption
    case: str  # the case's name, as the report shows it
    svg: str
    readable: bool  # the student's result could be drawn


# --- reading results -------------------------------------------------------------------


def _part(value: Any, index: int | None) -> Any:
    if index is None:
        return value
    if isinstance(value, (tuple, list)) and len(value) > index:
        return value[index]
    return None


def path_of(value: Any, index: int | None, width: int) -> np.ndarray | None:
    """A returned path as rows of `width` numbers, or None when it cannot be read so."""
    arr = as_float_array(_part(value, index))
    if arr is None or arr.size == 0:
        return None
    if width == 1 and arr.ndim == 1:
        return arr.reshape(-1, 1)
    if arr.ndim == 2 and arr.shape[1] == width:
        return arr
    return None


def epoch_losses(X: np.ndarray, y: np.ndarray, w0: np.ndarray, path: np.ndarray) -> np.ndarray:
    """L(w0), L(w_1), ...; non-finite or non-positive losses become NaN (gaps on a log axis)."""
    with np.errstate(all="ignore"):
        values = np.array([loss(X, y, np.asarray(w0, float))] + [loss(X, y, w) for w in path])
    return np.where(np.isfinite(values) & (values > 0), values, np.nan)


# --- choosing cases --------------------------------------------------------------------


CURVES = ("descent", "momentum")  # pictures drawn over f(x); "loss" is drawn per epoch


def _on_a_curve(exercise: str) -> bool:
    return BY_NAME[exercise].picture in CURVES


def _path_index(exercise: str) -> int | None:
    """Where the iterates are in the result: the declared path part, else a part named
    "path"; None when the result is the path itself."""
    signature = BY_NAME[exercise]
    if not signature.returns:
        return None
    return signature.returns.index(signature.path_part or "path")


def _arg(exercise: str, case: CaseResult, name: str) -> Any:
    return case.args[BY_NAME[exercise].params.index(name)]


def _start(exercise: str, case: CaseResult) -> Any:
    index = BY_NAME[exercise].start_index
    assert index is not None  # every exercise with a picture declares its start
    return case.args[index]


def _reference_path(exercise: str, case: CaseResult) -> np.ndarray | None:
    if _on_a_curve(exercise):
        if np.ndim(_start(exercise, case)) != 0:
            return None  # only scalar problems are drawn on a curve
        path = path_of(case.expected, _path_index(exercise), 1)
    else:
        path = path_of(
            case.expected, _path_index(exercise), np.asarray(_start(exercise, case)).size
        )
    if path is None or not np.isfinite(path).all():
        return None
    return path


def _diverges(exercise: str, case: CaseResult, path: np.ndarray) -> bool:
    """A run meant to blow up: a poor picture of anything but the blow-up."""
    if _on_a_curve(exercise):
        return bool(np.abs(path).max(initial=0.0) > 1e6)
    X, y, w0 = _arg(exercise, case, "X"), _arg(exercise, case, "y"), _start(exercise, case)
    losses = epoch_losses(X, y, w0, path)
    return not losses[-1] <= losses[0]  # NaN (overflow) counts as diverged


_DIVERGING: IdentityMemo[bool] = IdentityMemo(1024)


def choose(report: GradeReport, exercise: ExerciseResult) -> CaseResult | None:
    """The case worth a picture: shown to the reader, finite reference path; a case not
    passed first, readable results first, converging runs first; for loss curves the
    longest run."""
    fit = [
        c
        for c in exercise.cases
        if not concealed(c, report) and _reference_path(exercise.id, c) is not None
    ]
    if not fit:
        return None
    loss_curve = not _on_a_curve(exercise.id)

    def rank(c: CaseResult) -> tuple[bool, bool, bool, int]:
        width = 1 if not loss_curve else np.asarray(_start(exercise.id, c)).size
        readable = path_of(c.outcome.value, _path_index(exercise.id), width) is not None
        path = _reference_path(exercise.id, c)
        assert path is not None  # `fit` holds only such cases
        steps = -len(path) if loss_curve else 0
        # the case's own arguments and reference decide it: once per case, by its arguments
        diverges = _DIVERGING.get(c.args, lambda _: _diverges(exercise.id, c, path))
        return (c.status == "passed", not readable, diverges, steps)

    return min(fit, key=rank)  # min keeps the first among equals


# --- drawing ---------------------------------------------------------------------------


def _draw(paint: Callable[[Axes], None]) -> str:
    ax = Axes()
    paint(ax)
    return ax.svg()


def _window(reference: np.ndarray, student: np.ndarray | None, start: float) -> tuple[float, float]:
    """x range: the start and the reference path, and the student's points near them."""
    xs = np.concatenate([[start], reference])
    lo, hi = float(xs.min()), float(xs.max())
    span = max(hi - lo, 1e-9)
    if student is not None:
        near = student[np.isfinite(student) & (student > lo - 2 * span) & (student < hi + 2 * span)]
        lo, hi = min(lo, float(near.min(initial=lo))), max(hi, float(near.max(initial=hi)))
    margin = max(0.1 * (hi - lo), 0.5)
    return lo - margin, hi + margin


def _curve(
    exercise: str, case: CaseResult, lo: float, hi: float
) -> Callable[[np.ndarray], np.ndarray]:
    """f itself, or for momentum_descent f' integrated (lowest point in the window at 0)."""
    if BY_NAME[exercise].picture == "descent":
        f = _arg(exercise, case, "f")

        def values(x: np.ndarray) -> np.ndarray:
            with np.errstate(all="ignore"):
                return np.broadcast_to(np.asarray(f(x), dtype=float), np.shape(x))

        return values
    fp = _arg(exercise, case, "fp")
    grid = np.linspace(lo, hi, 801)
    with np.errstate(all="ignore"):
        slope = np.broadcast_to(np.asarray(fp(grid), dtype=float), grid.shape)
    area = np.concatenate([[0.0], np.cumsum((slope[1:] + slope[:-1]) / 2 * np.diff(grid))])
    area -= area.min()
    return lambda x: np.interp(x, grid, area, left=np.nan, right=np.nan)


LABEL_GAP = 16.0  # px between step labels: closer ones are left out, never drawn on top


def _path_height(
    f: Callable[[np.ndarray], np.ndarray], xs: np.ndarray, curve: np.ndarray
) -> tuple[float, float]:
    """y range around the path's points `xs` (start, reference, the student's points in the
    window), not around the whole curve: a steep far end of f must not squash the path into
    a thin strip. The curve's own range when no point has a finite height."""
    with np.errstate(all="ignore"):
        ys = f(xs) if xs.size else np.asarray([], float)
    ys = ys[np.isfinite(ys)]
    if not ys.size:
        ys = curve[np.isfinite(curve)]
    if not ys.size:
        return 0.0, 1.0
    bottom, top = float(ys.min()), float(ys.max())
    pad = max(0.15 * (top - bottom), 1e-6 * max(abs(top), 1.0), 1e-9)
    return bottom - pad, top + 2 * pad  # room above the points for their labels


def _label_steps(
    ax: Axes,
    f: Callable[[np.ndarray], np.ndarray],
    steps: list[tuple[int, float]],
    lo: float,
    hi: float,
) -> None:
    """x_0 (the start), x_1, ... beside their points, each at least LABEL_GAP px from the
    labels already drawn: steps that land on top of each other share the first label."""
    placed: list[np.ndarray] = []
    for k, x in steps:
        y = f(np.array([x]))[0]
        if not (np.isfinite(y) and lo <= x <= hi):
            continue
        (at,) = ax.to_pixels([x], [y])
        if not np.isfinite(at).all() or any(np.hypot(*(at - p)) < LABEL_GAP for p in placed):
            continue
        placed.append(at)
        ax.annotate(("x", str(k)), (x, y), size=10)


def descent_figure(exercise: str, case: CaseResult, name: str) -> Figure:
    path = _reference_path(exercise, case)
    assert path is not None  # choose() picks only cases with one
    reference = path[:, 0]
    got = path_of(case.outcome.value, _path_index(exercise), 1)
    student = got[:, 0] if got is not None else None
    start = float(_start(exercise, case))
    lo, hi = _window(reference, student, start)
    f = _curve(exercise, case, lo, hi)

    def paint(ax: Axes) -> None:
        grid = np.linspace(lo, hi, 200)
        curve = f(grid)
        ax.set_xlim(lo, hi)
        points = np.concatenate([[start], reference, student if student is not None else []])
        points = points[np.isfinite(points) & (points >= lo) & (points <= hi)]
        ax.set_ylim(*_path_height(f, points, curve))
        ax.plot(grid, curve, CURVE, line="solid", width=1.2)
        ax.plot(reference, f(reference), REFERENCE, **REFERENCE_STYLE, thin=True)
        labelled = student if student is not None else reference
        if student is not None:
            ax.plot(student, f(student), STUDENT, **STUDENT_STYLE, thin=True)
        y0 = f(np.array([start]))[0]
        if np.isfinite(y0):
            ax.plot([start], [y0], "#000000", marker="D", size=8, fill="#ffffff", edge=1.5)
        steps = [(0, start)] + [(k + 1, x) for k, x in enumerate(labelled[:LABELLED_STEPS])]
        _label_steps(ax, f, steps, lo, hi)
        ax.xlabel = "x"
        ax.ylabel = "f(x)" if kind == "descent" else "f(x) \u2212 min f"

    kind = BY_NAME[exercise].picture or "descent"
    return Figure(kind, name, _draw(paint), student is not None)


def look_alike(reference: np.ndarray, student: np.ndarray, lo: float, hi: float) -> bool:
    """On the f(x) picture the two paths would be hard to tell apart: different numbers of
    steps, or every common step within 1% of the window's width of the reference's."""
    if len(student) != len(reference):
        return True
    with np.errstate(all="ignore"):
        gap = np.abs(student - reference)
    return bool(np.all(np.isfinite(gap)) and gap.max(initial=0.0) < 0.01 * (hi - lo))


def steps_figure(exercise: str, case: CaseResult, name: str) -> Figure | None:
    """x_k against k for a failing case whose paths look alike on f(x): a shifted path or
    one step too few or too many shows here, the count of steps written at each end."""
    path = _reference_path(exercise, case)
    if case.status == "passed" or path is None:
        return None
    reference = path[:, 0]
    got = path_of(case.outcome.value, _path_index(exercise), 1)
    if got is None or not len(got):
        return None
    student = got[:, 0]
    start = float(_start(exercise, case))
    lo, hi = _window(reference, student, start)
    if not look_alike(reference, student, lo, hi):
        return None

    def paint(ax: Axes) -> None:
        ks, ms = np.arange(1, len(reference) + 1), np.arange(1, len(student) + 1)
        ax.x.log = True
        ax.set_xlim(0.8, 1.3 * max(len(ks), len(ms)))
        both = np.concatenate([reference, student])
        both = both[np.isfinite(both)]
        if both.size:
            pad = max(0.08 * float(np.ptp(both)), 1e-9)
            ax.set_ylim(float(both.min()) - pad, float(both.max()) + pad)
        ax.plot(ks, reference, REFERENCE, **{**REFERENCE_STYLE, "size": 7}, thin=True)
        ax.plot(ms, student, STUDENT, **{**STUDENT_STYLE, "size": 4}, thin=True)
        for k, x, color, dy in ((ks, reference, REFERENCE, 15), (ms, student, STUDENT, -7)):
            if np.isfinite(x[-1]):
                ax.annotate(f"{len(k)}", (k[-1], x[-1]), (-5, dy), color, anchor="end")
        ax.xlabel = "k"
        ax.ylabel = ("x", "k")

    return Figure("steps", name, _draw(paint), True)


def _loss_axes(ax: Axes) -> None:
    ax.y.log = True
    ax.x.integer = True
    ax.xlabel = "epoch"
    ax.ylabel = "L(w)"


def loss_figure(exercise: str, case: CaseResult, name: str) -> Figure:
    X, y, w0 = _arg(exercise, case, "X"), _arg(exercise, case, "y"), _start(exercise, case)
    width = np.asarray(w0).size
    path = _reference_path(exercise, case)
    assert path is not None  # choose() picks only cases with one
    reference = epoch_losses(X, y, w0, path)
    got = path_of(case.outcome.value, 1, width)
    student = epoch_losses(X, y, w0, got) if got is not None else None

    def paint(ax: Axes) -> None:
        ax.plot(np.arange(len(reference)), reference, REFERENCE, **REFERENCE_STYLE)
        if student is not None and np.isfinite(student).any():
            ax.plot(np.arange(len(student)), student, STUDENT, **STUDENT_STYLE)
        _loss_axes(ax)

    return Figure("loss", name, _draw(paint), student is not None)


def sgd_update_losses(
    X: np.ndarray, y: np.ndarray, w0: Any, learning_rate: float, n_epochs: int, rng: Any
) -> np.ndarray:
    """The loss after every single SGD update (the contract's sgd, replayed with the
    case's generator): the jitter the lecture's slide shows, which per-epoch points hide."""
    generator = rng.make()
    w = np.array(w0, dtype=float)
    values = [loss(X, y, w)]
    with np.errstate(all="ignore"):
        for _ in range(n_epochs):
            for i in generator.permutation(len(y)):
                w = w - learning_rate * X[i] * (X[i] @ w - y[i])
                values.append(loss(X, y, w))
    out = np.array(values)
    return np.where(np.isfinite(out) & (out > 0), out, np.nan)


def _replayed(args: tuple[Any, ...]) -> np.ndarray:
    """The case's own replay, the same for every submission: read-only, as it is shared."""
    out = sgd_update_losses(*args)
    out.flags.writeable = False
    return out


# The replay depends on the case's arguments alone (~1.2 ms of a report's pictures).
_REPLAYS: IdentityMemo[np.ndarray] = IdentityMemo(64)


def _same_data(a: CaseResult, b: CaseResult) -> bool:
    return all(np.array_equal(np.asarray(a.args[i]), np.asarray(b.args[i])) for i in range(3))


def sgd_batch_figure(report: GradeReport, lang: str) -> Figure | None:
    """The student's sgd and batch descent on the same data, if both read as paths."""
    by_id = {e.id: e for e in report.exercises}
    if "sgd" not in by_id or "batch_gradient_descent" not in by_id:
        return None
    pairs = []
    for s in by_id["sgd"].cases:
        for b in by_id["batch_gradient_descent"].cases:
            if concealed(s, report) or concealed(b, report) or not _same_data(s, b):
                continue
            width = np.asarray(s.args[2]).size
            ps, pb = path_of(s.outcome.value, 1, width), path_of(b.outcome.value, 1, width)
            if ps is not None and pb is not None and len(ps) > 1 and len(pb) > 1:
                pairs.append((s, b, ps, pb))
    if not pairs:
        return None
    s, b, ps, pb = max(pairs, key=lambda p: min(len(p[2]), len(p[3])))
    X, y, w0 = s.args[:3]
    updates = _REPLAYS.get(s.args, _replayed)
    sgd, batch = epoch_losses(X, y, w0, ps), epoch_losses(X, y, w0, pb)

    def paint(ax: Axes) -> None:
        steps = np.arange(len(updates)) / len(y)
        ax.plot(steps, updates, STUDENT, line="solid", width=0.9, alpha=0.45)
        ax.plot(np.arange(len(sgd)), sgd, STUDENT, marker="o", size=5)
        ax.plot(np.arange(len(batch)), batch, REFERENCE, **{**REFERENCE_STYLE, "width": 1.3})
        _loss_axes(ax)

    return Figure("sgd_batch", case_name(s, lang), _draw(paint), True)


def figures(report: GradeReport, lang: str) -> dict[str, list[Figure]]:
    """The pictures of each exercise, by exercise id."""
    out: dict[str, list[Figure]] = {}
    for e in report.exercises:
        if BY_NAME[e.id].picture is None:
            continue
        case = choose(report, e)
        if case is None:
            continue
        if _on_a_curve(e.id):
            name = case_name(case, lang)
            steps = steps_figure(e.id, case, name)
            out[e.id] = [descent_figure(e.id, case, name), *([steps] if steps else [])]
        else:
            out[e.id] = [loss_figure(e.id, case, case_name(case, lang))]
    both = sgd_batch_figure(report, lang)
    if both is not None:
        out.setdefault("sgd", []).append(both)
    return out
