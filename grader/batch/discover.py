"""Find one class's submissions in a directory and tell whose each one is.

Supported layouts (documented in docs/gradebook.md), entry by entry at the top of DIR:

- plain files: `<student-id>.py` / `<student-id>.ipynb`;
- plain folders: `<student-id>/` holding the submission (searched recursively);
- Canvas "Download Submissions": `name_[LATE_]userid_attachmentid_file.py`, the student is
  the Canvas user id, attempts are ordered by the attachment id;
- Moodle "Download all submissions": folders `Full Name_participantid_assignsubmission_file_`;
- Blackboard "Assignment File Download": `Assignment_username_attempt_YYYY-MM-DD-HH-MM-SS_file.py`.

Nothing here executes or imports a submission: files are only listed, and, when a folder
holds several candidates, read as text to count the contract functions they define.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..contract import EXERCISE_IDS

SUFFIXES = (".py", ".ipynb")
IGNORED_DIRS = frozenset({"__pycache__", ".ipynb_checkpoints", "__MACOSX"})

CANVAS = re.compile(
    r"^(?P<name>[^_]+)_(?P<late>LATE_)?(?P<user>\d+)_(?P<attachment>\d+)_(?P<file>.+)$"
)
MOODLE = re.compile(r"^(?P<name>.+)_(?P<user>\d+)_assignsubmission_[a-z]+_?$")
BLACKBOARD = re.compile(
    r"^(?P<assignment>.+)_(?P<user>[^_]+)_attempt_"
    r"(?P<stamp>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<file>.+))?$"
)
_NAMES = "|".join(EXERCISE_IDS)
_DEFINES = re.compile(rf"\bdef\s+({_NAMES})\s*\(|\b({_NAMES})\s*=\s*lambda")


@dataclass(frozen=True)
class Found:
    """One submission file and whose it is. `order` sorts one student's attempts, oldest first."""

    student: str
    path: Path
    layout: str  # "file", "folder", "canvas", "moodle", "blackboard"
    order: tuple[float, str]
    name: str = ""  # the student's name when the LMS file name carries it
    late: bool = False  # Canvas's LATE marker
    note: str = ""  # why this file was chosen among several in a folder


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


@dataclass(frozen=True)
class Discovery:
    found: tuple[Found, ...]
    skipped: tuple[Skipped, ...]

    def students(self) -> tuple[str, ...]:
        return tuple(sorted({f.student for f in self.found}))


def discover(directory: Path, exclude: Iterable[Path] = ()) -> Discovery:
    """Every submission at the top of `directory`, sorted by student then attempt order."""
    excluded = {p.resolve() for p in exclude}
    found: list[Found] = []
    skipped: list[Skipped] = []
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith(".") or entry.name in IGNORED_DIRS:
            continue
        if entry.resolve() in excluded:
            continue
        if entry.is_dir():
            item = _from_folder(entry)
        elif entry.is_file() and entry.suffix.lower() in SUFFIXES:
            item = _from_file(entry)
        else:
            item = Skipped(entry, "not a .py or .ipynb file")
        if isinstance(item, Found):
            found.append(item)
        else:
            skipped.append(item)
    found.sort(key=lambda f: (f.student, f.order, str(f.path)))
    return Discovery(tuple(found), tuple(skipped))


def _from_file(path: Path) -> Found:
    mtime = path.stat().st_mtime
    canvas = CANVAS.match(path.name)
    if canvas:
        order = (float(canvas["attachment"]), path.name)
        late = canvas["late"] is not None
        return Found(canvas["user"], path, "canvas", order, canvas["name"], late)
    blackboard = BLACKBOARD.match(path.stem)
    if blackboard:
        return Found(blackboard["user"], path, "blackboard", (_stamp(blackboard["stamp"]), ""))
    return Found(path.stem, path, "file", (mtime, path.name))


def _from_folder(folder: Path) -> Found | Skipped:
    candidates = sorted(_candidates(folder))
    if not candidates:
        return Skipped(folder, "folder holds no .py or .ipynb file")
    chosen, note = choose(candidates)
    moodle = MOODLE.match(folder.name)
    order = (chosen.stat().st_mtime, str(chosen.relative_to(folder)))
    if moodle:
        return Found(moodle["user"], chosen, "moodle", order, moodle["name"], note=note)
    return Found(folder.name, chosen, "folder", order, note=note)


def _candidates(folder: Path) -> Iterable[Path]:
    for path in folder.iterdir():
        if path.name.startswith(".") or path.name in IGNORED_DIRS:
            continue
        if path.is_dir():
            yield from _candidates(path)
        elif path.is_file() and path.suffix.lower() in SUFFIXES:
            yield path


def choose(candidates: list[Path]) -> tuple[Path, str]:
    """The one file of a folder to grade, and a note saying why when there was a choice.

    The rule: the file defining the most contract functions (a helper module or a scratch
    file defines fewer), then the most recently modified, then the first by name.
    """
    if len(candidates) == 1:
        return candidates[0], ""
    counts = {p: defined_count(p) for p in candidates}
    best = min(candidates, key=lambda p: (-counts[p], -p.stat().st_mtime, str(p)))
    others = ", ".join(p.name for p in candidates if p != best)
    return best, f"chose {best.name} ({counts[best]} contract functions) over {others}"


def defined_count(path: Path) -> int:
    """How many contract functions the file's text defines; read as text, never run."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    return len({a or b for a, b in _DEFINES.findall(text)})


def _stamp(stamp: str) -> float:
    moment = datetime.strptime(stamp, "%Y-%m-%d-%H-%M-%S").replace(tzinfo=timezone.utc)
    return moment.timestamp()


def attempts(found: Iterable[Found]) -> dict[Path, int]:
    """1-based attempt number of every file in its student's order (oldest is 1)."""
    numbers: dict[Path, int] = {}
    counts: dict[str, int] = {}
    for f in sorted(found, key=lambda f: (f.student, f.order, str(f.path))):
        counts[f.student] = counts.get(f.student, 0) + 1
        numbers[f.path] = counts[f.student]
    return numbers
