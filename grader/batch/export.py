"""`gdgrade export`: rebuild OUT's tables, reports and class page from the gradebook alone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timezone
from pathlib import Path

from gdgrade.errors import UsageError
from grader.batch.gradebook import FILENAME, Gradebook
from grader.batch.lock import OutputLock
from grader.batch.outputs import PARTS, write_all
from grader.batch.pipeline import output_options
from grader.batch.roster import Roster
from grader.batch.similar import SimilarityOptions
from grader.batch.timing import load_extensions


def export(
    out: Path,
    formats: Iterable[str],
    roster: Roster,
    attempt: str | None = None,
    canvas_assignment_id: str | None = None,
    lang: str | None = None,
    similarity: SimilarityOptions | None = None,
    extensions: Path | None = None,
) -> list[Path]:
    """Write the chosen outputs ("all" for every one) with the last batch's settings."""
    path = out / FILENAME
    if not path.is_file():
        raise UsageError(f"{path} not found: run 'gdgrade batch DIR --out {out}' first")
    chosen = set(PARTS) if "all" in formats else set(formats)
    with OutputLock(out), Gradebook(path) as gradebook:
        settings = gradebook.last_settings()
        if settings is None:
            raise UsageError(f"{path} holds no batch run yet")
        if attempt:
            settings["attempt"] = attempt
        if canvas_assignment_id is not None:
            settings["canvas_assignment_id"] = canvas_assignment_id
        options = output_options(settings, roster, lang)
        if extensions is not None:
            zone = options.deadline.zone if options.deadline else timezone.utc
            due = load_extensions(extensions, zone)
            gradebook.set_extensions({s: d.isoformat() for s, d in due.items()})
        if similarity is not None:
            options = replace(options, similarity=similarity)
        _, written = write_all(out, gradebook, options, chosen)
    return written
