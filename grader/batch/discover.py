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

Only regular files inside DIR are submissions. Symbolic links (to a file, a folder, a
classmate's submission, or round in a loop) are never followed, named pipes, devices and
sockets are never opened, and a folder is searched at most `MAX_DEPTH` levels and
`MAX_ENTRIES` entries deep: each such entry is `Skipped` with its reason, for the TA, and
discovery goes on. No reason names a link's target.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from gdgrade.contract import EXERCISE_IDS
from gdgrade.files import BAD_NAME, NotReadable, read_regular, refusal, usable_name
from gdgrade.submission import MAX_BYTES

SUFFIXES = (".py", ".ipynb")
IGNORED_DIRS = frozenset({"__pycache__", ".ipynb_checkpoints", "__MACOSX"})
MAX_DEPTH = 8  # folder levels searched below a student's folder (hw3/src/... is 2)
MAX_ENTRIES = 5_000  # entries looked at in one student's folder (a virtualenv has more)

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
    excluded = {identity for p in exclude if (identity := _identity(p)) is not None}
    found: list[Found] = []
    skipped: list[Skipped] = []
    for entry in _entries(directory, skipped):
        path = Path(entry.path)
        if (info := _lstat(entry, skipped)) is None:
            continue
        if (info.st_dev, info.st_ino) in excluded:
            continue
        if not usable_name(entry.name):
            skipped.append(Skipped(path, BAD_NAME))
        elif stat.S_ISDIR(info.st_mode):
            item, inside = _from_folder(path)
            found.extend([item] if isinstance(item, Found) else [])
            skipped.extend([item] if isinstance(item, Skipped) else [])
            skipped.extend(inside)
        elif not stat.S_ISREG(info.st_mode):
            skipped.append(Skipped(path, refusal(info.st_mode)))
        elif path.suffix.lower() in SUFFIXES:
            found.append(_from_file(path, info.st_mtime))
        else:
            skipped.append(Skipped(path, "not a .py or .ipynb file"))
    found.sort(key=lambda f: (f.student, f.order, str(f.path)))
    return Discovery(tuple(found), tuple(skipped))


def _lstat(entry: os.DirEntry[str], skipped: list[Skipped]) -> os.stat_result | None:
    """The entry itself, never what a link points to; one that cannot be read is skipped."""
    try:
        return entry.stat(follow_symlinks=False)
    except OSError as exc:
        skipped.append(Skipped(Path(entry.path), _cannot(exc)))
        return None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _cannot(exc: OSError) -> str:
    return f"cannot be read ({exc.strerror or type(exc).__name__})"


def _entries(folder: Path, skipped: list[Skipped]) -> list[os.DirEntry[str]]:
    """The folder's entries by name, hidden and tool folders left out; an unreadable
    folder is recorded as skipped."""
    try:
        with os.scandir(folder) as it:
            entries = [e for e in it if not e.name.startswith(".") and e.name not in IGNORED_DIRS]
    except OSError as exc:
        skipped.append(Skipped(folder, _cannot(exc)))
        return []
    return sorted(entries, key=lambda e: e.name)


def _from_file(path: Path, mtime: float) -> Found:
    canvas = CANVAS.match(path.name)
    if canvas:
        order = (float(canvas["attachment"]), path.name)
        late = canvas["late"] is not None
        return Found(canvas["user"], path, "canvas", order, canvas["name"], late)
    blackboard = BLACKBOARD.match(path.stem)
    if blackboard:
        return Found(blackboard["user"], path, "blackboard", (_stamp(blackboard["stamp"]), ""))
    return Found(path.stem, path, "file", (mtime, path.name))


def _from_folder(folder: Path) -> tuple[Found | Skipped, list[Skipped]]:
    """The folder's submission (or why there is none), and the entries skipped inside it."""
    skipped: list[Skipped] = []
    candidates = _candidates(folder, skipped)
    if not candidates:
        unreadable = [s for s in skipped if s.path == folder]  # the folder itself
        if unreadable:
            return unreadable[0], [s for s in skipped if s.path != folder]
        return Skipped(folder, "folder holds no .py or .ipynb file"), skipped
    chosen, note = choose(sorted(candidates), candidates)
    moodle = MOODLE.match(folder.name)
    order = (candidates[chosen], str(chosen.relative_to(folder)))
    if moodle:
        return Found(moodle["user"], chosen, "moodle", order, moodle["name"], note=note), skipped
    return Found(folder.name, chosen, "folder", order, note=note), skipped


def _candidates(folder: Path, skipped: list[Skipped]) -> dict[Path, float]:
    """Regular .py/.ipynb files under `folder` and their mtimes, walked without following
    a link, at most MAX_DEPTH folders down and MAX_ENTRIES entries in all."""
    found: dict[Path, float] = {}
    stack = [(folder, 0)]
    seen = 0
    while stack:
        current, depth = stack.pop()
        for entry in _entries(current, skipped):
            seen += 1
            if seen > MAX_ENTRIES:
                skipped.append(
                    Skipped(
                        folder, f"more than {MAX_ENTRIES:,} entries; the rest were not searched"
                    )
                )
                return found
            path = Path(entry.path)
            if (info := _lstat(entry, skipped)) is None:
                continue
            mode = info.st_mode
            if stat.S_ISDIR(mode):
                if depth + 1 >= MAX_DEPTH:
                    skipped.append(
                        Skipped(path, f"nested more than {MAX_DEPTH} folders deep; not searched")
                    )
                else:
                    stack.append((path, depth + 1))
            elif stat.S_ISLNK(mode):
                skipped.append(Skipped(path, refusal(mode)))
            elif path.suffix.lower() not in SUFFIXES:
                continue
            elif not usable_name(entry.name):
                skipped.append(Skipped(path, BAD_NAME))
            elif stat.S_ISREG(mode):
                found[path] = info.st_mtime
            else:
                skipped.append(Skipped(path, refusal(mode)))
    return found


def choose(candidates: list[Path], mtimes: dict[Path, float]) -> tuple[Path, str]:
    """The one file of a folder to grade, and a note saying why when there was a choice.

    The rule: the file defining the most contract functions (a helper module or a scratch
    file defines fewer), then the most recently modified, then the first by name.
    """
    if len(candidates) == 1:
        return candidates[0], ""
    counts = {p: defined_count(p) for p in candidates}
    best = min(candidates, key=lambda p: (-counts[p], -mtimes[p], str(p)))
    others = ", ".join(p.name for p in candidates if p != best)
    return best, f"chose {best.name} ({counts[best]} contract functions) over {others}"


def defined_count(path: Path) -> int:
    """How many contract functions the file's text defines; read as text, never run, and
    only if it is still a regular file."""
    try:
        data, _ = read_regular(path, MAX_BYTES)
    except NotReadable:
        return 0
    text = data.decode("utf-8", errors="replace")
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
