"""Similarity in OUT: compare the counted submissions' stored code, write one side-by-side
page per flagged pair (OUT/similarity/), and give class.html what it shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gdgrade.i18n import text
from gdgrade.templating import environment
from grader.batch.gradebook import Gradebook
from grader.batch.standings import Standing, safe_names
from grader.batch.tables import write_atomic
from grader.similarity.compare import PairView, Parameters, Similarity, compare_class
from grader.similarity.view import side_by_side

FOLDER = "similarity"


@dataclass(frozen=True)
class SimilarityOptions:
    parameters: Parameters = field(default_factory=Parameters)
    base: tuple[str, ...] = ()  # code given to everyone besides the starter files


@dataclass(frozen=True)
class SimilarityPage:
    """class.html's section: the result, each pair's page, who had no stored code."""

    result: Similarity
    pages: dict[tuple[str, str], str]  # (a, b) -> path relative to OUT
    missing: tuple[str, ...]  # students whose code is not in the gradebook


def compare_counted(
    gradebook: Gradebook,
    counted: Sequence[Standing],
    exercises: Sequence[str],
    options: SimilarityOptions,
) -> tuple[Similarity, tuple[str, ...]]:
    """Each student's counted submission, compared with every other."""
    shas = {s.student: s.counted.sha256 for s in counted}
    stored = gradebook.sources(shas.values())
    sources = {student: stored[sha] for student, sha in shas.items() if sha in stored}
    missing = tuple(sorted(set(shas) - set(sources)))
    return compare_class(sources, exercises, options.parameters, options.base), missing


def write_similarity(
    out: Path,
    gradebook: Gradebook,
    counted: Sequence[Standing],
    exercises: Sequence[str],
    options: SimilarityOptions,
    lang: str,
    names: dict[str, str],
) -> SimilarityPage:
    result, missing = compare_counted(gradebook, counted, exercises, options)
    folder = out / FOLDER
    folder.mkdir(exist_ok=True)
    files = safe_names(s.student for s in counted)
    pages: dict[tuple[str, str], str] = {}
    keep: set[Path] = set()
    for pair in result.pairs:
        path = folder / f"{files[pair.a]}--{files[pair.b]}.html"
        write_atomic(path, pair_page(result, pair, lang, names))
        pages[(pair.a, pair.b)] = f"{FOLDER}/{path.name}"
        keep.add(path)
    for path in folder.iterdir():
        if path.is_file() and path.suffix == ".html" and path not in keep:
            path.unlink()
    return SimilarityPage(result, pages, missing)


def pair_page(result: Similarity, pair: PairView, lang: str, names: dict[str, str]) -> str:
    def t(*keys: str, **params: Any) -> str:
        return text(lang, *keys, **params)

    return (
        environment()
        .get_template("similarity_pair.html.j2")
        .render(pair=pair, views=side_by_side(result, pair), t=t, lang=lang, names=names)
    )
