"""One report, many formats: every format shows the same total and the same score for
every exercise, read back from the rendered output itself."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest
from report_fixtures import REPORTS

from grader.render import (
    render_github,
    render_gradescope,
    render_html,
    render_json,
    render_junit,
    render_markdown,
    render_text,
)

Scores = tuple[float, dict[str, float]]  # total, score by exercise id


def from_json(out: str) -> Scores:
    data = json.loads(out)
    return data["score"], {e["id"]: e["score"] for e in data["exercises"]}


def from_text(out: str) -> Scores:
    rows = re.findall(r"^\s?\d+  (\w+)\s+([\d.]+)/[\d.]+ ", out, re.M)
    total = re.search(r"^\S+: ([\d.]+) / [\d.]+$", out, re.M)
    return float(total.group(1)), {e: float(s) for e, s in rows}


def from_markdown(out: str) -> Scores:
    rows = re.findall(r"^\| \d+ \| `(\w+)` \| ([\d.]+) / [\d.]+ \|", out, re.M)
    total = re.search(r"^\*\*[^*]+: ([\d.]+) / [\d.]+\*\*$", out, re.M)
    return float(total.group(1)), {e: float(s) for e, s in rows}


def from_html(out: str) -> Scores:
    code = r'<a href="#ex-(\w+)"><code>(?:[^<]|<wbr>)*</code></a></td>'  # ids wrap at <wbr>
    rows = re.findall(code + r'<td class="n">([\d.]+) / [\d.]+</td>', out)
    total = re.search(r"<strong>([\d.]+)</strong> / [\d.]+", out)
    return float(total.group(1)), {e: float(s) for e, s in rows}


def from_gradescope(out: str) -> Scores:
    data = json.loads(out)
    by_exercise: dict[str, float] = defaultdict(float)
    for test in data["tests"]:
        if "score" in test:
            by_exercise[test["tags"][0]] += test["score"]
    return data["score"], {e: round(s, 2) for e, s in by_exercise.items()}


def from_junit(out: str) -> Scores:
    root = ET.fromstring(out.encode("utf-8"))
    scores = {}
    for suite in root.iter("testsuite"):
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        scores[suite.get("name")] = float(props["score"])
    return round(sum(scores.values()), 2), scores


def from_github(out: str) -> Scores:
    data = json.loads(out)
    by_exercise: dict[str, float] = defaultdict(float)
    for test in data["tests"]:
        exercise = re.match(r"[\d.]+ (\w+)", test["name"]).group(1)
        by_exercise[exercise] += test["score"]
    scores = {e: round(s, 2) for e, s in by_exercise.items()}
    return round(sum(t["score"] for t in data["tests"]), 2), scores


READERS = {
    "json": (render_json, from_json),
    "text": (render_text, from_text),
    "markdown": (render_markdown, from_markdown),
    "gradescope": (render_gradescope, from_gradescope),
    "junit": (render_junit, from_junit),
    "github": (render_github, from_github),
}


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_format_shows_the_same_scores(name, lang):
    report = REPORTS[name]()
    expected = (report.score, {e.id: e.score for e in report.exercises})
    formats = dict(READERS)
    if name in ("partial", "hostile"):  # HTML draws pictures: two reports are enough
        formats["html"] = (render_html, from_html)
    for fmt, (render, read) in formats.items():
        assert read(render(report, lang)) == expected, fmt
