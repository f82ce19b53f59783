"""What a reader may see of each case: the one visibility policy for the JSON report and
every format (text, Markdown, HTML, Gradescope, JUnit, GitHub).

A hidden case's inputs and expected values are the instructor's secret, and everything
the grader measured on it is a window onto them: an error size gives the expected value
(return 0 and read "max abs error 0.911"), a value count or a shape gives a path length,
a descriptive id names the parameters, and what the student's own code printed, raised,
how often it called f or how long it ran are channels the student controls. So, unless
the instructor publishes them, a hidden case shows its verdict and points only, under a
neutral name ("hidden case 3"). The levels, chosen in the assignment file like
Gradescope's visibility settings:

- `hidden`: hidden cases are not listed; one row per exercise carries their points;
- `verdict` (default): each hidden case shows its verdict and points;
- `published`: hidden cases show everything a public case shows (after grades are out).

The TA's own record (`--reveal-hidden`, the gradebook) shows everything and says it is
not for students.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gdgrade.i18n import text

LEVELS = ("hidden", "verdict", "published")
DEFAULT_LEVEL = "verdict"
_CASE_LISTS = ("cases", "reached")  # diagnosis evidence keys that list case ids
# evidence that holds no case's values: where in the file, a setting, a named form
_GIVEN = ("line", "cell", "band", "form")
_NAMED_RULES = ("shifted",)  # update rules whose wording has no numbers in it


@dataclass(frozen=True)
class Policy:
    level: str = DEFAULT_LEVEL
    ta: bool = False  # the TA's record: everything, marked not for students

    def detailed(self, case: Any) -> bool:
        """May the reader see this case's inputs, values and the student's text on it?"""
        return case.visibility == "public" or self.ta or self.level == "published"

    def conceals_any(self, cases: Iterable[Any]) -> bool:
        return any(not self.detailed(c) for c in cases)


@dataclass(frozen=True)
class Row:
    """One line of a report's case list, as its reader may see it.

    `case` is the CaseResult when the reader may see it in full, else None; `members` are
    the positions (in the exercise's case list) of the cases the row stands for: one, or
    every hidden case of the exercise under the `hidden` level.
    """

    id: str
    name: str
    hidden: bool
    status: str
    members: tuple[int, ...]
    case: Any | None = None

    @property
    def detailed(self) -> bool:
        return self.case is not None


def _status(cases: list[Any]) -> str:
    return "passed" if all(c.status == "passed" for c in cases) else "failed"


def rows(cases: tuple[Any, ...], policy: Policy, lang: str) -> tuple[Row, ...]:
    """The rows of one exercise: detailed cases as they are, hidden ones neutrally named."""
    out: list[Row] = []
    pooled: list[int] = []
    k = 0
    for i, case in enumerate(cases):
        hidden = case.visibility == "hidden"
        if policy.detailed(case):
            name = case.title.get(lang) or case.title.get("en") or case.id
            out.append(Row(case.id, name, hidden, case.status, (i,), case))
        elif policy.level == "hidden":
            pooled.append(i)
        else:
            k += 1
            name = text(lang, "ui", "hidden_case", n=k)
            out.append(Row(f"hidden_{k}", name, True, case.status, (i,)))
    if pooled:
        name = text(lang, "ui", "hidden_pooled")
        status = _status([cases[i] for i in pooled])
        out.append(Row("hidden", name, True, status, tuple(pooled)))
    return tuple(out)


def verdict_message(status: str, lang: str) -> str:
    """What a concealed row says: its verdict, nothing measured."""
    return text(lang, "visibility", status)


def shown_ids(cases: tuple[Any, ...], policy: Policy, lang: str) -> dict[str, str]:
    """Each case's true id -> the id its reader sees (absent: not shown on its own)."""
    ids: dict[str, str] = {}
    for row in rows(cases, policy, lang):
        if len(row.members) == 1:
            ids[cases[row.members[0]].id] = row.id
    return ids


def evidence(d: Any, cases: tuple[Any, ...], policy: Policy, lang: str) -> dict[str, Any]:
    """A diagnosis's evidence as the reader may see it.

    Case ids are shown as the case list shows them. What was measured on the cases (an
    exception's message, shapes, a fitted order, an error size) is kept only when every
    case it was seen on is shown in full; evidence that names no case (the difference
    scheme, read from probe series) only when no case of the exercise is concealed.
    """
    if not policy.conceals_any(cases):
        return dict(d.evidence)
    by_id = {c.id: c for c in cases}
    ids = shown_ids(cases, policy, lang)
    seen = [by_id[i] for key in _CASE_LISTS for i in d.evidence.get(key, ()) if i in by_id]
    open_ = "cases" in d.evidence and all(policy.detailed(c) for c in seen)
    dropped = any(i not in ids for key in _CASE_LISTS for i in d.evidence.get(key, ()))
    out: dict[str, Any] = {}
    for key, value in d.evidence.items():
        if key in _CASE_LISTS:
            out[key] = [ids[i] for i in value if i in ids]
            continue
        named = key == "rule" and value in _NAMED_RULES
        if key in _GIVEN or open_ or named or (key == "of" and not dropped):
            out[key] = value
    return out


def fault_line(fault: str) -> str:
    """A grader fault as a student may see it: where it happened and the exception's type.
    Its message and traceback may hold what the grader was computing on a hidden case."""
    where = fault.split(":", 1)[0].strip()
    lines = fault.strip().splitlines()
    kind = lines[-1].split(":", 1)[0].strip() if len(lines) > 1 else ""
    return f"{where}: {kind}" if kind else where
