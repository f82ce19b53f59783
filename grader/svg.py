"""A small SVG chart writer for the report's pictures: one axes box, linear or log scales,
lines, markers, text, ticks and a grid — the little of matplotlib the pictures use.

Why not matplotlib: it took about 160 ms per picture, and half a second to import, so a
report's seven pictures cost more than grading the submission. This module draws the
same pictures in a few milliseconds each with numpy alone.

Drawing is deferred: series are recorded, and the frame (tick labels, margins, the pixel
transform) is fixed when the limits are known — set explicitly or fitted to the data.
Text stays text (the browser's font draws it), lines are clipped to the axes box here
(no clip paths, no ids), points closer than MIN_PIXELS to the previous kept one are
dropped when asked, and coordinates keep one decimal, so a picture stays a few kB.

A chart is a pure function of what was recorded on its axes, and in a class most correct
submissions return the same floats on the case a picture shows: a worker keeps the last
charts it wrote by a digest of everything recorded, and a chart drawn from the very same
record is not written again.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections import OrderedDict
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import numpy as np

WIDTH, HEIGHT = 480.0, 300.0
FONT_SIZE = 12.0
TICK_FONT_SIZE = 11.0
CHAR_WIDTH = 0.6  # of the font size: a generous average advance of DejaVu Sans digits
# The browser's sans-serif, with fonts that have Hangul after it (the page is Korean).
FONT_FAMILY = (
    "DejaVu Sans,Noto Sans CJK KR,Noto Sans KR,Malgun Gothic,Apple SD Gothic Neo,sans-serif"
)
MIN_PIXELS = 1.5
GRID = "#cccccc"
DRAWN_KEPT = 256  # charts a process remembers (~10 kB each)
MINUS = "\u2212"  # a typographic minus in tick labels, as matplotlib writes them

# (base, subscript) text: x_k and the like, the base in italics.
Text = str | tuple[str, str]


def number(value: float) -> str:
    """A coordinate with at most one decimal: the picture cannot show finer."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


# --- scales and ticks ------------------------------------------------------------------


def _nice_step(span: float, count: int, integer: bool) -> float:
    raw = span / max(count, 1)
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = m * power
        if integer and (step < 1 or step != int(step)):
            continue
        if step >= raw:
            return step
    return max(10.0 * power, 1.0)


def _decimals(step: float) -> int:
    if step >= 1 and step == int(step):
        return 0
    text = f"{step:.12g}"
    if "e" in text:
        return max(0, -int(text.split("e")[1]) + 1)
    return len(text.split(".")[1]) if "." in text else 0


def _plain(value: float, decimals: int) -> str:
    text = f"{value:.{min(decimals, 12)}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def linear_ticks(lo: float, hi: float, integer: bool = False) -> list[tuple[float, Text]]:
    """About six round ticks (steps of 1, 2, 2.5 or 5 times a power of ten) in [lo, hi]."""
    step = _nice_step(hi - lo, 6, integer)
    first = math.ceil(lo / step - 1e-9)
    values = [k * step for k in range(first, first + 40) if k * step <= hi + 1e-9 * step]
    big = max(abs(lo), abs(hi)) >= 1e6
    if big or step < 1e-5:
        return [(v, f"{v:.3g}".replace("-", MINUS)) for v in values]
    decimals = _decimals(step)
    return [(v, _plain(v, decimals)) for v in values]


def log_ticks(lo: float, hi: float) -> list[tuple[float, Text]]:
    """Powers of ten as 10 with a superscript; 2 and 5 times them too within one decade."""
    a, b = math.floor(math.log10(lo) - 1e-9), math.ceil(math.log10(hi) + 1e-9)
    decades = [10.0**k for k in range(a, b + 1) if lo <= 10.0**k * (1 + 1e-9) and 10.0**k <= hi]
    every = max(1, math.ceil(len(decades) / 8))
    ticks: list[tuple[float, Text]] = [
        (d, ("10", f"{round(math.log10(d))}".replace("-", MINUS)))
        for i, d in enumerate(decades)
        if i % every == 0
    ]
    if len(decades) < 2:
        for k in range(a, b + 1):
            for m in (2.0, 5.0):
                v = m * 10.0**k
                if lo <= v <= hi:
                    ticks.append((v, f"{v:.3g}"))
        ticks.sort(key=lambda t: t[0])
    return ticks


@dataclass
class Scale:
    """Data to pixels along one axis; log scales map log10 of the value."""

    lo: float = 0.0
    hi: float = 1.0
    log: bool = False
    integer: bool = False  # integer ticks only (epochs)

    def forward(self, values: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            v = np.asarray(values, dtype=float)
            return np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), np.nan) if self.log else v

    def fraction(self, values: np.ndarray) -> np.ndarray:
        a, b = self.forward(np.array([self.lo, self.hi]))
        with np.errstate(all="ignore"):
            return (self.forward(values) - a) / (b - a if b != a else 1.0)

    def ticks(self) -> list[tuple[float, Text]]:
        if self.log:
            return log_ticks(self.lo, self.hi)
        return linear_ticks(self.lo, self.hi, self.integer)


def _text_width(text: Text, size: float) -> float:
    chars = len(text) if isinstance(text, str) else len(text[0]) + 0.7 * len(text[1])
    return CHAR_WIDTH * size * chars


def _tspan(text: Text, italic: bool, superscript: bool = False) -> str:
    if isinstance(text, str):
        return escape(text)
    base, script = text
    shift = -5 if superscript else 3
    style = ' font-style="italic"' if italic else ""
    return (
        f'<tspan{style}>{escape(base)}</tspan><tspan dy="{shift}" font-size="0.72em">'
        f"{escape(script)}</tspan>"
    )


# --- the axes --------------------------------------------------------------------------


@dataclass
class _Series:
    xs: np.ndarray
    ys: np.ndarray
    color: str
    line: str | None = None  # None, "solid" or "dotted"
    marker: str | None = None  # None, "o", "s" or "D"
    width: float = 1.0
    size: float = 6.0  # marker size in pixels
    fill: str | None = None  # marker fill; None: the line's colour
    edge: float = 1.0  # marker stroke width
    alpha: float = 1.0
    thin: bool = False


@dataclass
class _Label:
    x: float
    y: float
    text: Text
    dx: float
    dy: float
    color: str
    anchor: str
    size: float


@dataclass
class _Frame:
    left: float
    right: float
    top: float
    bottom: float
    xticks: list[tuple[float, Text]]
    yticks: list[tuple[float, Text]]


@dataclass
class Axes:
    """One chart: set the limits (or let the data fit them), add series and labels, then
    `svg()`. Pixel positions (`to_pixels`) are known once the limits are."""

    x: Scale = field(default_factory=Scale)
    y: Scale = field(default_factory=Scale)
    xlabel: Text = ""
    ylabel: Text = ""
    series: list[_Series] = field(default_factory=list)
    texts: list[_Label] = field(default_factory=list)
    _fixed: set[str] = field(default_factory=set)
    _frame: _Frame | None = None

    def set_xlim(self, lo: float, hi: float) -> None:
        self.x.lo, self.x.hi = float(lo), float(hi)
        self._fixed.add("x")
        self._frame = None

    def set_ylim(self, lo: float, hi: float) -> None:
        self.y.lo, self.y.hi = float(lo), float(hi)
        self._fixed.add("y")
        self._frame = None

    def plot(self, xs: object, ys: object, color: str, **style: object) -> None:
        """A series: `line` None/"solid"/"dotted", `marker` None/"o"/"s"/"D", and sizes."""
        x = np.asarray(xs, dtype=float).ravel()
        y = np.asarray(ys, dtype=float).ravel()
        n = min(len(x), len(y))
        self.series.append(_Series(x[:n], y[:n], color, **style))  # type: ignore[arg-type]
        self._frame = None

    def annotate(
        self,
        text: Text,
        at: tuple[float, float],
        offset: tuple[float, float] = (4.0, -5.0),
        color: str = "#000000",
        anchor: str = "start",
        size: float = TICK_FONT_SIZE,
    ) -> None:
        """Text beside a data point, `offset` in pixels (y down)."""
        self.texts.append(_Label(at[0], at[1], text, *offset, color, anchor, size))

    # --- layout ------------------------------------------------------------------------

    def _fit(self, scale: Scale, values: list[np.ndarray]) -> None:
        data = np.concatenate(values) if values else np.array([])
        data = data[np.isfinite(data)]
        if scale.log:
            data = data[data > 0]
        if not data.size:
            scale.lo, scale.hi = (1.0, 10.0) if scale.log else (0.0, 1.0)
            return
        lo, hi = float(data.min()), float(data.max())
        if scale.log:
            a, b = math.log10(lo), math.log10(hi)
            pad = 0.05 * (b - a) if b > a else 0.5
            scale.lo, scale.hi = 10.0 ** (a - pad), 10.0 ** (b + pad)
        else:
            pad = 0.05 * (hi - lo) if hi > lo else max(abs(lo) * 0.05, 0.5)
            scale.lo, scale.hi = lo - pad, hi + pad

    def frame(self) -> _Frame:
        if self._frame is None:
            if "x" not in self._fixed:
                self._fit(self.x, [s.xs for s in self.series])
            if "y" not in self._fixed:
                self._fit(self.y, [s.ys for s in self.series])
            xticks, yticks = self.x.ticks(), self.y.ticks()
            widest = max((_text_width(t, TICK_FONT_SIZE) for _, t in yticks), default=0.0)
            # Room for the axis labels whether or not they are set yet: painting may ask
            # for pixels (to place labels apart) before it names the axes.
            left = 8 + FONT_SIZE + 6 + widest + 7
            bottom = 8 + TICK_FONT_SIZE + 6 + FONT_SIZE + 6
            last = max((_text_width(t, TICK_FONT_SIZE) for _, t in xticks[-1:]), default=0.0)
            right = WIDTH - max(10.0, last / 2 + 4)
            self._frame = _Frame(left, right, 8.0 + 4, HEIGHT - bottom, xticks, yticks)
        return self._frame

    def to_pixels(self, xs: object, ys: object) -> np.ndarray:
        """Rows of (px, py) for the data points; NaN where a point has no place."""
        f = self.frame()
        with np.errstate(all="ignore"):
            px = f.left + self.x.fraction(np.asarray(xs, dtype=float)) * (f.right - f.left)
            py = f.bottom - self.y.fraction(np.asarray(ys, dtype=float)) * (f.bottom - f.top)
        out = np.column_stack([np.ravel(px), np.ravel(py)])
        return np.where(np.isfinite(out).all(axis=1, keepdims=True), out, np.nan)

    # --- drawing -----------------------------------------------------------------------

    def _points(self, s: _Series) -> np.ndarray:
        p = self.to_pixels(s.xs, s.ys)
        if not s.thin:
            return p
        p = p[np.isfinite(p).all(axis=1)]
        if len(p) < 3:
            return p
        kept, last = [0], p[0]
        for i in range(1, len(p)):
            if math.hypot(*(p[i] - last)) >= MIN_PIXELS or i == len(p) - 1:
                kept.append(i)
                last = p[i]
        return p[kept]

    def _line(self, p: np.ndarray) -> str:
        f = self.frame()
        if len(p) < 2:
            return ""
        a, b = p[:-1], p[1:]
        ok = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
        a, b = np.where(ok[:, None], a, 0.0), np.where(ok[:, None], b, 0.0)
        d = b - a
        t0, t1 = np.zeros(len(a)), np.ones(len(a))
        with np.errstate(all="ignore"):
            for pk, qk in (
                (-d[:, 0], a[:, 0] - f.left),
                (d[:, 0], f.right - a[:, 0]),
                (-d[:, 1], a[:, 1] - f.top),
                (d[:, 1], f.bottom - a[:, 1]),
            ):
                r = qk / pk
                ok &= ~((pk == 0) & (qk < 0))
                t0 = np.where(pk < 0, np.maximum(t0, r), t0)
                t1 = np.where(pk > 0, np.minimum(t1, r), t1)
        ok &= t0 <= t1
        start, end = (a + t0[:, None] * d).tolist(), (a + t1[:, None] * d).tolist()
        # Python floats from here on: the same values, formatted without numpy's scalars
        drawn, enters, leaves = ok.tolist(), t0.tolist(), t1.tolist()
        parts: list[str] = []
        joined = False
        for i in np.flatnonzero(ok).tolist():
            if not (joined and i > 0 and drawn[i - 1] and enters[i] == 0.0):
                parts.append(f"M{number(start[i][0])} {number(start[i][1])}")
            parts.append(f"L{number(end[i][0])} {number(end[i][1])}")
            joined = leaves[i] == 1.0
        return "".join(parts)

    def _markers(self, p: np.ndarray, shape: str, size: float) -> str:
        f = self.frame()
        inside = (
            np.isfinite(p).all(axis=1)
            & (p[:, 0] >= f.left - 0.5)
            & (p[:, 0] <= f.right + 0.5)
            & (p[:, 1] >= f.top - 0.5)
            & (p[:, 1] <= f.bottom + 0.5)
        )
        h = size / 2
        out = []
        for x, y in p[inside].tolist():
            if shape == "o":
                out.append(
                    f"M{number(x - h)} {number(y)}a{number(h)} {number(h)} 0 1 0 {number(size)} 0"
                    f"a{number(h)} {number(h)} 0 1 0 {number(-size)} 0z"
                )
            elif shape == "s":
                out.append(f"M{number(x - h)} {number(y - h)}h{number(size)}v{number(size)}")
                out.append(f"h{number(-size)}z")
            else:  # "D", a diamond
                out.append(f"M{number(x)} {number(y - h)}l{number(h)} {number(h)}")
                out.append(f"l{number(-h)} {number(h)}l{number(-h)} {number(-h)}z")
        return "".join(out)

    def _series_svg(self, s: _Series) -> list[str]:
        p = self._points(s)
        opacity = f' stroke-opacity="{s.alpha}"' if s.alpha < 1 else ""
        out = []
        if s.line:
            d = self._line(p)
            dash = f' stroke-dasharray="{number(1.2 * s.width)} {number(2.2 * s.width)}"'
            if d:
                out.append(
                    f'<path d="{d}" fill="none" stroke="{s.color}" stroke-width="{s.width}"'
                    f'{dash if s.line == "dotted" else ""}{opacity} stroke-linejoin="round"/>'
                )
        if s.marker:
            d = self._markers(p, s.marker, s.size)
            if d:
                fill = s.fill if s.fill is not None else s.color
                out.append(
                    f'<path d="{d}" fill="{fill}" stroke="{s.color}" stroke-width="{s.edge}"'
                    f"{opacity}/>"
                )
        return out

    def svg(self) -> str:
        """The chart as one inline <svg> element."""
        key = self._record()
        chart = _DRAWN.get(key)
        if chart is None:
            chart = _DRAWN[key] = self._write()
            if len(_DRAWN) > DRAWN_KEPT:
                _DRAWN.popitem(last=False)
        else:
            _DRAWN.move_to_end(key)
        return chart

    def _record(self) -> bytes:
        """A digest of everything the chart is written from: both scales as they stand,
        which are fixed, the labels, every series (its values to the bit, with dtype and
        shape) and text, and the frame if one was laid out."""
        state = (
            self.x,
            self.y,
            sorted(self._fixed),
            self.xlabel,
            self.ylabel,
            self.series,
            self.texts,
            self._frame,
        )
        return hashlib.blake2b(pickle.dumps(state, protocol=5), digest_size=32).digest()

    def _write(self) -> str:
        f = self.frame()
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {number(WIDTH)} '
            f'{number(HEIGHT)}" width="{number(WIDTH)}" height="{number(HEIGHT)}" role="img" '
            f'font-family="{FONT_FAMILY}" font-size="{number(FONT_SIZE)}">',
            f'<rect width="{number(WIDTH)}" height="{number(HEIGHT)}" fill="#ffffff"/>',
        ]
        grid, ticks, labels = [], [], []
        for v, t in f.xticks:
            (px,) = self.to_pixels([v], [self.y.lo])[:, 0]
            if not np.isfinite(px):
                continue
            grid.append(f"M{number(px)} {number(f.top)}V{number(f.bottom)}")
            ticks.append(f"M{number(px)} {number(f.bottom)}v3.5")
            labels.append(
                f'<text x="{number(px)}" y="{number(f.bottom + 5 + TICK_FONT_SIZE)}" '
                f'text-anchor="middle">{_tspan(t, False, True)}</text>'
            )
        for v, t in f.yticks:
            (py,) = self.to_pixels([self.x.lo], [v])[:, 1]
            if not np.isfinite(py):
                continue
            grid.append(f"M{number(f.left)} {number(py)}H{number(f.right)}")
            ticks.append(f"M{number(f.left)} {number(py)}h-3.5")
            labels.append(
                f'<text x="{number(f.left - 6)}" y="{number(py + 4)}" '
                f'text-anchor="end">{_tspan(t, False, True)}</text>'
            )
        if grid:
            out.append(f'<path d="{"".join(grid)}" stroke="{GRID}" stroke-width="0.6"/>')
        for s in self.series:
            out.extend(self._series_svg(s))
        for label in self.texts:
            (at,) = self.to_pixels([label.x], [label.y])
            if not np.isfinite(at).all():
                continue
            color = f' fill="{label.color}"' if label.color != "#000000" else ""
            out.append(
                f'<text x="{number(at[0] + label.dx)}" y="{number(at[1] + label.dy)}" '
                f'font-size="{number(label.size)}" text-anchor="{label.anchor}"{color}>'
                f"{_tspan(label.text, True)}</text>"
            )
        out.append(
            f'<rect x="{number(f.left)}" y="{number(f.top)}" width="{number(f.right - f.left)}" '
            f'height="{number(f.bottom - f.top)}" fill="none" stroke="#000000" '
            'stroke-width="0.8"/>'
        )
        if ticks:
            out.append(f'<path d="{"".join(ticks)}" stroke="#000000" stroke-width="0.8"/>')
        out.append(f'<g font-size="{number(TICK_FONT_SIZE)}">{"".join(labels)}</g>')
        if self.xlabel:
            out.append(
                f'<text x="{number((f.left + f.right) / 2)}" y="{number(HEIGHT - 7)}" '
                f'text-anchor="middle">{_tspan(self.xlabel, True)}</text>'
            )
        if self.ylabel:
            cy = (f.top + f.bottom) / 2
            out.append(
                f'<text transform="translate({number(8 + FONT_SIZE)} {number(cy)}) rotate(-90)" '
                f'text-anchor="middle">{_tspan(self.ylabel, True)}</text>'
            )
        out.append("</svg>")
        return "\n".join(out) + "\n"


_DRAWN: OrderedDict[bytes, str] = OrderedDict()
