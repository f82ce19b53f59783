"""Compiled templates kept in the private cache folder: a report reads the same from a
fresh compile, from the cache, and from a cache that is stale, broken, unwritable or
open to others (the last two are never used)."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest
from report_fixtures import partial_report

from gdgrade import templating
from gdgrade.cache_folder import CACHE_ENV, private_cache_dir
from grader.render import render_text


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    templating.environment.cache_clear()
    yield tmp_path / "cache"
    templating.environment.cache_clear()


def compiled(cache: Path) -> list[Path]:
    return sorted(cache.glob("template-*.cache"))


def fresh_text() -> str:
    """The report as a new process renders it (one environment per process)."""
    templating.environment.cache_clear()
    return render_text(partial_report(), "en")


def test_a_report_reads_the_same_compiled_afresh_and_from_the_cache(cache: Path) -> None:
    first = fresh_text()
    assert compiled(cache), "the compiled template was kept"
    assert oct(cache.stat().st_mode & 0o777) == oct(0o700)
    assert fresh_text() == first


def test_a_broken_cache_entry_is_compiled_again(cache: Path) -> None:
    first = fresh_text()
    for entry in compiled(cache):
        entry.write_bytes(entry.read_bytes()[:40])  # cut short: a crash while writing
    assert fresh_text() == first


def test_an_entry_compiled_from_another_source_is_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "compiled"
    folder.mkdir(mode=0o700)

    def render(source: str) -> str:
        loader = jinja2.DictLoader({"page.txt": source})
        env = jinja2.Environment(
            loader=loader, bytecode_cache=templating._TemplateCache(str(folder))
        )
        return env.get_template("page.txt").render()

    assert render("old {{ 1 + 1 }}") == "old 2"
    assert render("new {{ 2 + 2 }}") == "new 4"


def test_an_unwritable_cache_folder_only_costs_the_compile(cache: Path) -> None:
    if os.geteuid() == 0:  # root writes anywhere: a file where the folder should be
        cache.write_text("not a folder")
    else:
        cache.mkdir(parents=True, mode=0o500)
    expected = render_text(partial_report(), "en")
    assert fresh_text() == expected


def test_a_cache_folder_others_may_write_to_is_not_used(cache: Path) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o777)  # anyone could plant compiled code here
    assert private_cache_dir() is None
    fresh_text()
    assert compiled(cache) == []
