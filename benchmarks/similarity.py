"""Similarity: gdgrade's own detector against copydetect and pycode_similar, on the planted
class of tests/planted_class.py (precision and recall of the flagged pairs) and on 300
students (wall time of all pairs).

    python -m benchmarks.similarity [--students 300] [--results FILE]

copydetect and pycode_similar are not dependencies of gdgrade; install them to include
them (`pip install copydetect pycode_similar`), else they are reported as not installed.
Each library is given its most favourable threshold on the planted class (the best F1),
and its default threshold is reported too.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from planted_class import large_class, planted_class  # noqa: E402

from gdgrade.contract import EXERCISE_IDS  # noqa: E402
from grader.similarity.compare import THRESHOLD, Parameters, compare_class, starter_sources  # noqa: E402

Pair = frozenset[str]
Scorer = Callable[[dict[str, str]], dict[Pair, float]]


def gdgrade_scores(sources: dict[str, str]) -> dict[Pair, float]:
    result = compare_class(sources, parameters=Parameters(threshold=1e-9))
    return {frozenset((p.a, p.b)): p.score for p in result.pairs}


def copydetect_scores(sources: dict[str, str]) -> dict[Pair, float]:
    """copydetect's file-level winnowing with its command-line defaults (k=25, window 6),
    the starter files as boilerplate; a pair's score is the larger of its two shares."""
    from copydetect import CodeFingerprint, compare_files

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp, "boilerplate.py")
        base.write_text("\n\n".join(s for x in EXERCISE_IDS for s in starter_sources(x)))
        boiler = list(CodeFingerprint(str(base), 25, 6).hashes)
        prints = {}
        for student, code in sources.items():
            path = Path(tmp, f"{student}.py")
            path.write_text(code, encoding="utf-8")
            prints[student] = CodeFingerprint(str(path), 25, 6, boilerplate=boiler)
        scores = {}
        for a, b in combinations(sorted(sources), 2):
            _, shares, _ = compare_files(prints[a], prints[b])
            scores[frozenset((a, b))] = float(max(shares))
    return scores


def pycode_similar_scores(sources: dict[str, str]) -> dict[Pair, float]:
    """pycode_similar's function-level AST diff (UnifiedDiff); a pair's score is the share
    of the second program's function lines found in the first, the larger way round."""
    import pycode_similar

    def one_way(a: str, b: str) -> float:
        try:
            result = pycode_similar.detect([sources[a], sources[b]])
        except Exception:  # it refuses some programs (e.g. no function at all)
            return 0.0
        return float(pycode_similar.summarize(result[0][1])[0])

    return {
        frozenset((a, b)): max(one_way(a, b), one_way(b, a))
        for a, b in combinations(sorted(sources), 2)
    }


SCORERS: dict[str, tuple[Scorer, float, int | None]] = {
    # name: (scorer, default threshold, students timed on the large class: None = all)
    "gdgrade (tokenize + winnowing)": (gdgrade_scores, THRESHOLD, None),
    "copydetect 0.5": (copydetect_scores, 0.33, None),  # its report's default threshold
    # pycode_similar compares two programs at a time (~0.05 s a pair): timed on 40
    # students and scaled by the number of pairs, as all pairs would take about an hour
    "pycode_similar 1.4": (pycode_similar_scores, 0.8, 40),
}


def precision_recall(
    scores: dict[Pair, float], planted: set[Pair], t: float
) -> tuple[float, float]:
    flagged = {p for p, s in scores.items() if s >= t}
    hits = len(flagged & planted)
    return (hits / len(flagged) if flagged else 1.0), hits / len(planted)


def best_threshold(scores: dict[Pair, float], planted: set[Pair]) -> tuple[float, float, float]:
    best = (0.0, 0.0, 0.0, 0.0)
    for t in sorted(set(scores.values())):
        p, r = precision_recall(scores, planted, t)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best[0]:
            best = (f1, t, p, r)
    return best[1], best[2], best[3]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--results", default=str(ROOT / "benchmarks/results/similarity.json"))
    args = parser.parse_args(argv)
    sources, planted, _ = planted_class()
    independent = {p for p in map(frozenset, combinations(sorted(sources), 2))} - planted
    big, _ = large_class(args.students - 3)
    rows = []
    for name, (scorer, default, timed) in SCORERS.items():
        try:
            started = time.perf_counter()
            scores = scorer(sources)
            planted_s = time.perf_counter() - started
        except ImportError:
            rows.append({"tool": name, "installed": False})
            print(f"{name}: not installed")
            continue
        p, r = precision_recall(scores, planted, default)
        t, bp, br = best_threshold(scores, planted)
        row = {
            "tool": name,
            "installed": True,
            "planted_seconds": round(planted_s, 2),
            "default_threshold": default,
            "precision_at_default": round(p, 3),
            "recall_at_default": round(r, 3),
            "best_threshold": round(t, 3),
            "precision_at_best": round(bp, 3),
            "recall_at_best": round(br, 3),
            "lowest_planted": round(min(scores.get(x, 0.0) for x in planted), 3),
            "highest_independent": round(max(scores.get(x, 0.0) for x in independent), 3),
        }
        subset = dict(list(big.items())[:timed]) if timed else big
        started = time.perf_counter()
        scorer(subset)
        seconds = time.perf_counter() - started
        if timed:
            seconds *= (len(big) * (len(big) - 1)) / (timed * (timed - 1))
            row["extrapolated_from_students"] = timed
        row[f"seconds_{len(big)}_students"] = round(seconds, 1)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False))
    Path(args.results).parent.mkdir(parents=True, exist_ok=True)
    Path(args.results).write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
