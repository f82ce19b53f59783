"""`check()` from a notebook: grade the current definitions on the public cases, safely.

The student's functions are never called in the kernel. Their source is taken as it is
now (`gdgrade.kernel_source`), written into a submission, and run in the same sandbox
as `gdgrade check file.py`. The result shows itself as HTML in Jupyter and as text in a
terminal.

Limitations (told to the student when they apply): a function whose source the kernel
does not keep (made by `exec`, or pasted in a debugger), a function defined inside
another one, and a global value that is not plain data (an object of a class of your
own, a pandas table) cannot be carried into the sandbox; the check lists those names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from gdgrade.case import LoadProblem
from gdgrade.checker import CheckReport, check_submission
from gdgrade.contract import EXERCISE_IDS
from gdgrade.display import choose_lang
from gdgrade.i18n import text
from gdgrade.kernel_source import Extracted, extract
from gdgrade.submission import Submission

NOTEBOOK_NAME = "notebook"


def chosen_exercises(exercises: Sequence[str]) -> tuple[str, ...]:
    unknown = [e for e in exercises if e not in EXERCISE_IDS]
    if unknown:
        raise ValueError(f"unknown exercise {unknown[0]!r}; choose from: {', '.join(EXERCISE_IDS)}")
    return tuple(exercises)


def as_submission(extracted: Extracted, lang: str) -> Submission:
    """A `.py`-like submission of the extracted source; what could not be carried is
    attached as load notes, so the report says why a name is missing."""
    notes = [
        LoadProblem(
            "note",
            text(
                lang,
                "check",
                "nb_unavailable",
                name=name,
                reason=text(lang, "check", "nb_reason", code),
            ),
        )
        for name, code in extracted.unavailable
    ]
    if extracted.unresolved:
        names = ", ".join(f"{name} ({what})" for name, what in extracted.unresolved)
        notes.append(LoadProblem("note", text(lang, "check", "nb_unresolved", names=names)))
    source = extracted.source
    lines = source.split("\n")
    line_map = tuple((i, None, i) for i in range(1, len(lines) + 1))
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return Submission(Path(NOTEBOOK_NAME), "py", source, line_map, tuple(notes), digest)


class CheckResult:
    """What `check()` returns: rich HTML in Jupyter, text elsewhere; `.ok` for code."""

    def __init__(self, report: CheckReport, lang: str) -> None:
        self.report = report
        self.lang = lang

    @property
    def ok(self) -> bool:
        return self.report.ok

    def _repr_html_(self) -> str:
        from gdgrade.display import render_check_html

        return render_check_html(self.report, self.lang)

    def __str__(self) -> str:
        from gdgrade.display import render_check_text

        return render_check_text(self.report, self.lang)

    def __repr__(self) -> str:
        return str(self)


def check_namespace(
    namespace: Mapping[str, Any],
    exercises: Sequence[str] = (),
    lang: str | None = None,
    sandbox: Any = None,
) -> CheckResult:
    """Check the functions bound in `namespace` (a notebook's globals)."""
    chosen = chosen_exercises(exercises)
    language = choose_lang(lang)
    extracted = extract(namespace, chosen or EXERCISE_IDS)
    submission = as_submission(extracted, language)
    if sandbox is not None:
        report = check_submission(submission, sandbox, chosen, name=NOTEBOOK_NAME)
    else:
        from gdgrade.sandbox.runners import CheckRunner, requested_runner

        with CheckRunner(requested_runner(None)) as fresh:  # sandbox, or portable elsewhere
            report = check_submission(submission, fresh, chosen, name=NOTEBOOK_NAME)
    return CheckResult(report, language)
