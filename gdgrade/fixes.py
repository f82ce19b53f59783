"""What a student reads first: one line per failing exercise saying what to fix — the named
mistake (both, for two at once), or the update rule recovered from the path — and the
words that go with a diagnosis's evidence (which momentum form, which rule)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gdgrade.diagnose import Diagnosis
from gdgrade.i18n import text

if TYPE_CHECKING:
    from gdgrade.report import ExerciseResult

# A behaviour seen directly says less about what to change than a named mistake does.
_GENERIC = ("wrong_shape", "raises")


@dataclass(frozen=True)
class Fix:
    exercise: str
    number: int
    diagnoses: tuple[Diagnosis, ...]  # what to read first: one, or the two of a pair; () when
    # nothing explains the failure

    @property
    def absent(self) -> bool:
        """The function is not defined: summed up in one line for all such exercises."""
        return any(d.id == "not_defined" for d in self.diagnoses)


def summary(exercises: Sequence[ExerciseResult]) -> tuple[Fix, ...]:
    """One Fix per exercise that lost points, in exercise order."""
    out = []
    for e in exercises:
        if e.status == "passed" or not e.cases:  # no cases: the grader's fault, shown apart
            continue
        mistakes = [d for d in e.diagnoses if d.severity == "mistake"]
        named = [d for d in mistakes if d.id not in _GENERIC] or mistakes
        pair = [d for d in named if "pair" in d.evidence]
        out.append(Fix(e.id, e.number, tuple(pair[:2] or named[:1])))
    return tuple(out)


def detail(d: Diagnosis, lang: str) -> str:
    """The sentence a diagnosis's evidence adds to its catalogue text, or ''."""
    form = d.evidence.get("form")
    if form:
        return text(lang, "forms", form)
    rule = d.evidence.get("rule")
    if rule and rule != "shifted":
        params = {k: v for k, v in d.evidence.items() if k not in ("cases", "of", "rule")}
        return text(lang, "rules", rule, **params)
    if rule == "shifted":
        return text(lang, "rules", "shifted")
    return ""


def line(fix: Fix, lang: str) -> str:
    """The one line of the summary (without the exercise's number and name)."""
    if not fix.diagnoses:
        return text(lang, "ui", "fix_unexplained")
    if len(fix.diagnoses) == 2:
        first, second = (text(lang, "mistakes", d.id, "title") for d in fix.diagnoses)
        return text(lang, "rules", "pair", first=first, second=second)
    (d,) = fix.diagnoses
    title = text(lang, "mistakes", d.id, "title")
    more = detail(d, lang)
    return f"{title}: {more}" if more else title
