"""The pictures' numbers: paths read as the contract allows, losses from the trusted side,
SGD's per-update replay, f recovered from f' for momentum, and SVG fit to inline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import numpy as np
import pytest
from report_fixtures import correct_report, notebook_report, partial_report

import reference
from gdgrade.exercise_data import public_cases
from grader import plots
from grader.hidden_cases import LECTURE_F
from grader.svg import Axes
from reference.least_squares import loss


def test_paths_are_read_as_the_contract_allows():
    assert plots.path_of((1.0, 2.0, [3.0, 4.0]), 2, 1).shape == (2, 1)
    assert plots.path_of(np.ones((5, 1)), None, 1).shape == (5, 1)
    assert plots.path_of((np.ones(2), np.ones((3, 2))), 1, 2).shape == (3, 2)
    assert plots.path_of((np.ones(2), np.ones((3, 4))), 1, 2) is None  # wrong width
    assert plots.path_of(None, 1, 2) is None and plots.path_of((1.0,), 2, 1) is None


def test_epoch_losses_start_at_w0_and_leave_gaps_for_overflow():
    X, y = np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([1.0, 2.0])
    path = np.array([[1.0, 1.0], [np.inf, 0.0]])
    losses = plots.epoch_losses(X, y, np.zeros(2), path)
    assert losses[0] == loss(X, y, np.zeros(2)) and np.isnan(losses[1]) and np.isnan(losses[2])


def test_sgd_replay_passes_through_the_reference_path_after_every_epoch():
    for case in public_cases("sgd"):
        X, y, w0, rate, epochs, rng = case.args
        if epochs < 2:
            continue
        _, path = reference.sgd(X, y, w0, rate, epochs, rng.make())
        updates = plots.sgd_update_losses(X, y, w0, rate, epochs, rng)
        m = len(y)
        assert len(updates) == epochs * m + 1
        ends = updates[m::m]
        expected = plots.epoch_losses(X, y, w0, path)[1:]
        assert np.allclose(ends, expected, rtol=1e-12, equal_nan=True)


def test_momentum_curve_is_an_antiderivative_of_fp():
    momentum = next(e for e in partial_report().exercises if e.id == "momentum_descent")
    case = next(c for c in momentum.cases if c.args[0] == LECTURE_F.derivative())
    curve = plots._curve("momentum_descent", case, -1.0, 5.0)
    x = np.linspace(-1.0, 5.0, 25)
    drawn, exact = curve(x) - curve(x[:1]), LECTURE_F(x) - LECTURE_F(x[:1])
    assert np.allclose(drawn, exact, atol=1e-3 * np.ptp(exact))  # f up to a constant
    assert np.nanmin(curve(np.linspace(-1.0, 5.0, 801))) == 0.0


def test_the_picture_shows_a_failing_public_case_with_a_readable_result():
    report = partial_report()
    gd = next(e for e in report.exercises if e.id == "gradient_descent")
    chosen = plots.choose(report, gd)
    assert chosen.visibility == "public" and chosen.status != "passed"
    assert plots.path_of(chosen.outcome.value, 2, 1) is not None
    batch = next(e for e in correct_report().exercises if e.id == "batch_gradient_descent")
    chosen = plots.choose(correct_report(), batch)
    longest = max(
        (c for c in batch.cases if c.visibility == "public" and "diverging" not in c.id),
        key=lambda c: c.args[4],
    )
    assert chosen.args[4] == longest.args[4]  # the longest converging run


def test_svg_is_inline_ready_and_self_consistent():
    figs = plots.figures(correct_report(), "en")
    svg = figs["gradient_descent"][0].svg
    assert svg.startswith("<svg") and "<?xml" not in svg and "<!--" not in svg
    root = ET.fromstring(svg)
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    referenced = set(re.findall(r'(?:url\(#|href="#)([^")]+)', svg))
    assert referenced <= ids  # every reference still resolves
    assert ids <= referenced  # and no id is left that nothing uses
    assert not re.search(r"\d\.\d{2,}", " ".join(re.findall(r' d="([^"]*)"', svg)))
    # the start is marked (a white diamond) and labelled x_0, the axes named
    assert 'fill="#ffffff" stroke="#000000"' in svg
    assert re.search(r'<tspan font-style="italic">x</tspan><tspan [^>]*>0</tspan>', svg)
    assert ">f(x)</text>" in svg and ">x</text>" in svg


def test_two_pictures_never_share_an_id():
    figs = [f for v in plots.figures(correct_report(), "en").values() for f in v]
    seen: set[str] = set()
    for f in figs:
        ids = set(re.findall(r'\sid="([^"]+)"', f.svg))
        assert not ids & seen
        seen |= ids


WEIRD_VALUES = [
    None,
    {"a": 1},
    (np.nan, np.nan, np.full(200, np.nan)),
    (np.inf, -np.inf, np.array([np.inf, -np.inf, 1e308, -1e308])),
    (1.0, 2.0, np.ones((3, 3, 3))),
    (np.ones(3), np.full((4, 3), 1e300)),
    (np.ones(3), [[1, 2, 3], [4, 5]]),
    [[1e-320]],
]


@pytest.mark.parametrize("value", WEIRD_VALUES, ids=repr)
def test_pictures_survive_whatever_a_student_returns(value):
    report = notebook_report()  # gradient_descent, batch_gradient_descent, sgd
    odd = replace(
        report,
        exercises=tuple(
            replace(
                e,
                cases=tuple(
                    replace(c, outcome=replace(c.outcome, value=value), credit=0.0) for c in e.cases
                ),
            )
            for e in report.exercises
        ),
    )
    figures = plots.figures(odd, "en")
    assert set(figures) == {"gradient_descent", "batch_gradient_descent", "sgd"}
    for figs in figures.values():
        for f in figs:
            ET.fromstring(f.svg)


def test_descent_picture_is_as_tall_as_the_path_not_the_curve():
    # The lecture's example: from x0 = 4 down to about 3.25, where f is nearly flat, while
    # f reaches 14 at the right edge of the window: the path must fill the height.
    xs = np.array([4.0, 3.1, 3.17, 3.22, 3.25])
    curve = LECTURE_F(np.linspace(2.6, 4.6, 200))
    bottom, top = plots._path_height(LECTURE_F, xs, curve)
    heights = LECTURE_F(xs)
    assert bottom < heights.min() and top > heights.max()
    assert np.ptp(heights) > 0.5 * (top - bottom) and top < curve.max() / 2


def test_step_labels_start_at_x0_and_never_overlap():
    ax = Axes()
    ax.set_xlim(2.6, 4.6)
    ax.set_ylim(3.0, 7.0)
    steps = [(0, 4.0), (1, 3.1), (2, 3.17), (3, 3.2), (4, 3.21)]
    plots._label_steps(ax, LECTURE_F, steps, 2.6, 4.6)
    labels = {t.text: ax.to_pixels([t.x], [t.y])[0] for t in ax.texts}
    assert ("x", "0") in labels and ("x", "1") in labels
    placed = list(labels.values())
    gaps = [np.hypot(*(a - b)) for i, a in enumerate(placed) for b in placed[i + 1 :]]
    assert min(gaps) >= plots.LABEL_GAP
    assert len(labels) < len(steps)  # the crowded last steps go unlabelled
    svg = ax.svg()
    assert re.search(r'<tspan font-style="italic">x</tspan><tspan [^>]*>0</tspan>', svg)


def test_paths_that_coincide_on_f_get_a_second_picture_of_x_against_step():
    reference_path = 3.25 - 0.15 * 0.5 ** np.arange(200)
    assert plots.look_alike(reference_path, reference_path[:-1], 2.6, 4.6)  # one step short
    assert plots.look_alike(reference_path, reference_path + 1e-3, 2.6, 4.6)
    assert not plots.look_alike(reference_path, reference_path - 0.5, 2.6, 4.6)
    for report in (partial_report(), correct_report()):
        gd = next(e for e in report.exercises if e.id == "gradient_descent")
        drawn = plots.figures(report, "ko")["gradient_descent"]
        kinds = [f.kind for f in drawn]
        case = plots.choose(report, gd)
        got = plots.path_of(case.outcome.value, 2, 1)
        expected = plots._reference_path("gradient_descent", case)
        lo, hi = plots._window(expected[:, 0], got[:, 0], float(case.args[2]))
        alike = case.status != "passed" and plots.look_alike(expected[:, 0], got[:, 0], lo, hi)
        assert kinds == (["descent", "steps"] if alike else ["descent"])
    assert "steps" not in [
        f.kind for f in plots.figures(correct_report(), "ko")["gradient_descent"]
    ]


def _chart(ys: np.ndarray, label: str = "x") -> Axes:
    ax = Axes()
    ax.plot(np.arange(len(ys)), ys, "#1f77b4", line="solid", marker="o")
    ax.annotate(label, (0.0, float(ys[0])))
    return ax


def test_a_chart_recorded_again_bit_for_bit_is_the_chart_written_afresh(monkeypatch):
    """Workers keep charts they wrote; a kept one must be exactly what writing gives, and
    the smallest difference in what was recorded (one ulp, a label) must write anew."""
    from grader import svg

    monkeypatch.setattr(svg, "_DRAWN", svg.OrderedDict())
    ys = np.linspace(4.0, 0.1, 60) ** 2
    first = _chart(ys).svg()
    assert _chart(ys).svg() == first == _chart(ys)._write()
    assert len(svg._DRAWN) == 1
    nudged = ys.copy()
    nudged[17] = np.nextafter(nudged[17], np.inf)
    for other in (_chart(nudged), _chart(ys, "y"), _chart(ys.astype(np.float32))):
        assert other.svg() == other._write()
    assert len(svg._DRAWN) == 4


def test_the_kept_charts_are_bounded(monkeypatch):
    from grader import svg

    monkeypatch.setattr(svg, "_DRAWN", svg.OrderedDict())
    monkeypatch.setattr(svg, "DRAWN_KEPT", 3)
    for k in range(5):
        _chart(np.arange(5.0) + k).svg()
    assert len(svg._DRAWN) == 3


def test_the_sgd_replay_is_made_once_per_case_and_is_the_replay_made_afresh(monkeypatch):
    from gdgrade.identity_memo import IdentityMemo

    monkeypatch.setattr(plots, "_REPLAYS", IdentityMemo(64))
    report = correct_report()
    first = plots.figures(report, "en")
    assert plots.figures(report, "en") == first and len(plots._REPLAYS) == 1
    sgd = next(e for e in report.exercises if e.id == "sgd")
    args = next(c.args for c in sgd.cases if c.args in plots._REPLAYS)
    kept = plots._REPLAYS.get(args, _unexpected)
    assert not kept.flags.writeable
    np.testing.assert_array_equal(kept, plots.sgd_update_losses(*args))


def _unexpected(args: object) -> np.ndarray:
    raise AssertionError("computed again")
