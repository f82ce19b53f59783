"""What the side-by-side page shows for a flagged pair: both students' code of each exercise,
line by line, with the matching regions numbered alike on both sides. Pure data."""

from __future__ import annotations

from dataclasses import dataclass

from grader.similarity.compare import Match, PairView, Similarity
from grader.similarity.fingerprint import WINDOW, Fingerprints, K


@dataclass(frozen=True)
class CodeLine:
    number: int
    text: str
    region: int | None  # matching region, numbered in the left-hand code's order


@dataclass(frozen=True)
class SideBySide:
    exercise: str
    score: float
    regions: int
    left: tuple[CodeLine, ...]
    right: tuple[CodeLine, ...]


def side_by_side(similarity: Similarity, pair: PairView) -> tuple[SideBySide, ...]:
    return tuple(_exercise(similarity, pair, m) for m in pair.matches)


def _exercise(similarity: Similarity, pair: PairView, match: Match) -> SideBySide:
    left_unit, left = similarity.detail(pair.a, match.exercise)
    right_unit, right = similarity.detail(pair.b, match.exercise)
    regions = _regions(left, match.shared)
    return SideBySide(
        exercise=match.exercise,
        score=match.score,
        regions=len(set(regions.values())),
        left=_lines(left_unit.source, left, regions),
        right=_lines(right_unit.source, right, regions),
    )


def _regions(prints: Fingerprints, shared: frozenset[int]) -> dict[int, int]:
    """hash -> region number: shared k-grams close together on the left form one region."""
    starts = sorted((p, h) for h, ps in prints.selected.items() if h in shared for p in ps)
    regions: dict[int, int] = {}
    region, last = 0, None
    for position, h in starts:
        if last is None or position - last > K + WINDOW:
            region += 1
        regions.setdefault(h, region)
        last = position
    return regions


def _lines(source: str, prints: Fingerprints, regions: dict[int, int]) -> tuple[CodeLine, ...]:
    marks: dict[int, int] = {}
    spans = prints.tokens.lines
    for h, positions in prints.selected.items():
        if h not in regions:
            continue
        for p in positions:
            for first, last in spans[p : p + K]:
                for line in range(first, last + 1):
                    marks.setdefault(line, regions[h])
    return tuple(
        CodeLine(i, text, marks.get(i)) for i, text in enumerate(source.rstrip("\n").split("\n"), 1)
    )
