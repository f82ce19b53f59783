"""Pairs of students whose code for an exercise is too alike to be independent, and the
clusters they form. Pure: sources in, a `Similarity` out.

Per exercise, each student's unit is fingerprinted; fingerprints that the starter file gives
everyone, or that a large part of the class shares (an idiom, MOSS's `-m`), are dropped; a
unit left with too few fingerprints is too short to judge. The others are weighted by how
rare they are in the class (log((n + 1) / students having it)): sharing what a third of the
class wrote is weak evidence, sharing what nobody else wrote is strong. A pair's score is
the weighted Jaccard index of their fingerprints over the whole homework, found through an
inverted index so that only pairs sharing something are ever looked at (a class of 300 has
44,850 pairs per exercise).
"""

from __future__ import annotations

import json
import math
import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from itertools import combinations, repeat
from multiprocessing import get_context

from gdgrade.contract import BY_NAME, EXERCISE_IDS
from grader.similarity.fingerprint import Fingerprints, fingerprints, kgram_hashes, normalise
from grader.similarity.units import Unit, all_functions, units

THRESHOLD = 0.7  # of a pair's whole-homework score; calibrated in docs/similarity.md
MIN_FINGERPRINTS = 8  # fewer left after dropping starter and idioms: too short to judge
MIN_FUNCTIONS = 2  # a pair must be alike in at least this many functions...
ALIKE = 0.5  # ...each scoring at least this (one shared function is weak evidence)
COMMON_STUDENTS = 10  # a fingerprint shared by more students than this is an idiom...
COMMON_SHARE = 0.25  # ...or by more than this share of the class, whichever is larger


@dataclass(frozen=True)
class Parameters:
    threshold: float = THRESHOLD
    min_fingerprints: int = MIN_FINGERPRINTS
    min_functions: int = MIN_FUNCTIONS
    alike: float = ALIKE
    common_students: int = COMMON_STUDENTS
    common_share: float = COMMON_SHARE


@dataclass(frozen=True)
class Match:
    """Two students' units of one exercise and the fingerprints they share."""

    exercise: str
    a: str
    b: str
    score: float  # weighted Jaccard index of the two units' kept fingerprints, 0..1
    shared: frozenset[int]


@dataclass(frozen=True)
class PairView:
    """A flagged pair: the whole-homework score and each exercise they share code in."""

    a: str
    b: str
    score: float  # weight shared over weight of the union, summed over common exercises
    matches: tuple[Match, ...]  # exercise by exercise, in contract order


@dataclass(frozen=True)
class Similarity:
    parameters: Parameters
    students: int
    judged: dict[str, int]  # exercise -> units long enough to judge
    pairs: tuple[PairView, ...]  # score at or above the threshold, best first
    clusters: tuple[tuple[str, ...], ...]  # 3+ students linked by flagged pairs
    sources: Mapping[str, str] = field(repr=False)  # student -> source, for `detail`
    seconds: float = 0.0

    def detail(self, student: str, exercise: str) -> tuple[Unit, Fingerprints]:
        """One student's unit and fingerprints, recomputed (only flagged pairs need them)."""
        unit = units(self.sources[student], (exercise,))[exercise]
        return unit, fingerprints(unit)

    def by_exercise(self, exercise: str) -> tuple[Match, ...]:
        """The flagged pairs' matches in one exercise, best first."""
        found = [m for p in self.pairs for m in p.matches if m.exercise == exercise]
        return tuple(sorted(found, key=lambda m: (-m.score, m.a, m.b)))


def base_hashes(sources: Iterable[str]) -> frozenset[int]:
    """Every k-gram of every function in code given to everyone (MOSS's base files)."""
    return frozenset(
        h for source in sources for unit in all_functions(source)
        for h in kgram_hashes(normalise(unit))
    )  # fmt: skip


@cache
def starter_sources(exercise: str) -> tuple[str, ...]:
    """The exercise's starter file and the starter notebook (its code cells)."""
    root = resources.files("gdgrade.exercises")
    py = (root / BY_NAME[exercise].folder / "starter.py").read_text(encoding="utf-8")
    return (py, _notebook_code(root / "starter.ipynb"))


def _notebook_code(path: Traversable) -> str:
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    return "\n\n".join(
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c.get("cell_type") == "code"
    )


def compare_class(
    sources: Mapping[str, str],
    exercises: Iterable[str] = EXERCISE_IDS,
    parameters: Parameters | None = None,
    base: Iterable[str] = (),
    jobs: int | None = None,
) -> Similarity:
    """Every pair of students, exercise by exercise; `sources` maps student -> source.

    A pair is flagged on the evidence of the whole homework: correct solutions of one short
    function are often identical, a copied homework is alike in function after function.
    `base` is more code given to everyone (the lecture's examples), dropped like the starter.
    `jobs` processes fingerprint the submissions (default: up to two).
    """
    started = time.perf_counter()
    params = parameters or Parameters()
    chosen = tuple(exercises)
    given = base_hashes(base)
    hashes = _all_hashes(sources, chosen, jobs)
    judged: dict[str, int] = {}
    kept: dict[str, dict[str, frozenset[int]]] = {}
    weights: dict[str, dict[int, float]] = {}
    shared: dict[tuple[str, str], dict[str, set[int]]] = {}
    for exercise in chosen:
        mine = {s: h[exercise] for s, h in hashes.items() if exercise in h}
        starter = base_hashes(starter_sources(exercise)) | given
        kept[exercise], weights[exercise] = _kept(mine, starter, params)
        judged[exercise] = len(kept[exercise])
        for pair, both in _shared(kept[exercise]).items():
            shared.setdefault(pair, {})[exercise] = both
    pairs = []
    for (a, b), common in shared.items():
        score = _score(a, b, common, kept, weights)
        if score < params.threshold:
            continue
        matches = tuple(
            Match(x, a, b, _ratio(*_weigh(common[x], kept[x][a], kept[x][b], weights[x])),
                  frozenset(common[x]))
            for x in chosen
            if x in common
        )  # fmt: skip
        if sum(1 for m in matches if m.score >= params.alike) >= params.min_functions:
            pairs.append(PairView(a, b, score, matches))
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return Similarity(
        parameters=params,
        students=len(sources),
        judged=judged,
        pairs=tuple(pairs),
        clusters=clusters((p.a, p.b) for p in pairs),
        sources=sources,
        seconds=time.perf_counter() - started,
    )


PARALLEL_FROM = 60  # students; below this, starting processes costs more than it saves


def _all_hashes(
    sources: Mapping[str, str], exercises: tuple[str, ...], jobs: int | None
) -> dict[str, dict[str, frozenset[int]]]:
    """student -> exercise -> fingerprint hashes; in `jobs` processes for a large class."""
    jobs = jobs or min(2, os.cpu_count() or 1)
    students = list(sources)
    if jobs < 2 or len(students) < PARALLEL_FROM:
        return {s: student_hashes(sources[s], exercises) for s in students}
    chunk = max(1, len(students) // (jobs * 4))
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
        found = pool.map(
            student_hashes, [sources[s] for s in students], repeat(exercises), chunksize=chunk
        )
        return dict(zip(students, found, strict=True))


def student_hashes(source: str, exercises: tuple[str, ...]) -> dict[str, frozenset[int]]:
    """One submission's winnowed fingerprints, exercise by exercise (parsing only)."""
    return {x: fingerprints(u).hashes for x, u in units(source, exercises).items()}


def _kept(
    hashes: Mapping[str, frozenset[int]], starter: frozenset[int], params: Parameters
) -> tuple[dict[str, frozenset[int]], dict[int, float]]:
    """Each student's fingerprints less the starter's and the idioms (short units left out),
    and each fingerprint's weight: the rarer in the class, the heavier."""
    own = {s: h - starter for s, h in hashes.items()}
    counts = Counter(h for hashes in own.values() for h in hashes)
    limit = max(params.common_students, params.common_share * len(own))
    kept = {s: frozenset(h for h in hashes if counts[h] <= limit) for s, hashes in own.items()}
    kept = {s: hashes for s, hashes in kept.items() if len(hashes) >= params.min_fingerprints}
    weights = {h: math.log((len(own) + 1) / n) for h, n in counts.items() if n <= limit}
    return kept, weights


def _shared(kept: Mapping[str, frozenset[int]]) -> dict[tuple[str, str], set[int]]:
    """The fingerprints each pair shares, for the pairs that share any (inverted index)."""
    index: dict[int, list[str]] = {}
    for student in sorted(kept):
        for h in kept[student]:
            index.setdefault(h, []).append(student)
    shared: dict[tuple[str, str], set[int]] = {}
    for h, students in index.items():
        for pair in combinations(students, 2):
            shared.setdefault(pair, set()).add(h)
    return shared


def _score(
    a: str,
    b: str,
    common: Mapping[str, set[int]],
    kept: Mapping[str, Mapping[str, frozenset[int]]],
    weights: Mapping[str, Mapping[int, float]],
) -> float:
    """Weight shared over weight of the union, summed over the exercises both students
    wrote (long enough to judge)."""
    inter = union = 0.0
    for exercise, by_student in kept.items():
        if a in by_student and b in by_student:
            i, u = _weigh(common.get(exercise, set()), by_student[a], by_student[b],
                          weights[exercise])  # fmt: skip
            inter += i
            union += u
    return _ratio(inter, union)


def _weigh(
    common: set[int], a: frozenset[int], b: frozenset[int], weights: Mapping[int, float]
) -> tuple[float, float]:
    shared = sum(weights[h] for h in common)
    return shared, sum(weights[h] for h in a) + sum(weights[h] for h in b) - shared


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 3) if whole > 0 else 0.0


def clusters(edges: Iterable[tuple[str, str]], smallest: int = 3) -> tuple[tuple[str, ...], ...]:
    """Connected groups of `smallest` or more students (union-find over the flagged pairs)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(root(x), []).append(x)
    found = [tuple(sorted(g)) for g in groups.values() if len(g) >= smallest]
    return tuple(sorted(found, key=lambda g: (-len(g), g)))
