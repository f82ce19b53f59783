"""Read a student's `.py` or `.ipynb` into the Python source the sandbox will execute.

This runs on the trusted side and never executes or compiles the student's code: it only
checks the file (a regular file, text, UTF-8, within the limits below), turns a
notebook's code cells into one source with a line map back to (cell, line in cell), and
neutralises IPython-only lines (`%magic`, `!shell`, `x?`) so that they cannot crash the
run. Syntax errors are the sandbox's business: it compiles the source and salvages what
parses.

Limits. A file past one of them is refused up front with one line saying which (exit 2
for `gdgrade grade` and `check`, "unreadable" in a batch), so that nothing a student
writes can exhaust the trusted side or be mistaken for a fault of the grader:

- `MAX_BYTES` (16 MiB): the file. A notebook with plot outputs weighs a few MB.
- `MAX_SOURCE_BYTES` (1 MiB): the Python that would run (the `.py` file, or a notebook's
  code cells). The nine exercises take about 10 kB; a megabyte compiles well within the
  load time limit, a dozen do not.
- `MAX_LINES` (50,000): lines of that Python, for the same reason (a line map entry each).
- `MAX_CELLS` (10,000): notebook cells. Each code cell is compiled and run on its own; ten
  thousand load within the default load time limit.
- `MAX_JSON_DEPTH` (100): nesting of the notebook's JSON. A notebook needs about ten
  levels; Python's JSON parser recurses once per level and fails near a thousand.

Expressions nested too deeply to compile are the sandbox's to report (a syntax error of
the student's); they never reach a compiler on this side.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from gdgrade import i18n
from gdgrade.case import LoadProblem
from gdgrade.errors import UsageError
from gdgrade.files import NotReadable, linked_folder, read_regular, usable_name
from gdgrade.safe_text import display_id

MAX_BYTES = 16 * 1024 * 1024
MAX_SOURCE_BYTES = 1024 * 1024
MAX_LINES = 50_000
MAX_CELLS = 10_000
MAX_JSON_DEPTH = 100

# Cell magics whose body is Python: the body runs once, the magic line is dropped.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})

LineMap = tuple[tuple[int, int | None, int], ...]


class SubmissionError(UsageError):
    """The file cannot be graded at all. Why is a key of the catalogue's "submission"
    section and its parameters, so the student reads it as one line in their language
    (`said`); str() is that line in English."""

    def __init__(self, path: object, key: str, **params: Any) -> None:
        self.path, self.key, self.params = str(path), key, params
        super().__init__(self.said("en"))

    def said(self, lang: str) -> str:
        params = dict(self.params)
        if "files_reason" in params:  # a file that is not a regular one: why, in `lang`
            params["reason"] = NotReadable(params.pop("files_reason"), **params).said(lang)
        return f"{self.path}: {i18n.text(lang, 'submission', self.key, **params)}"


@dataclass(frozen=True)
class Submission:
    """What the sandbox executes, and how to point back into the student's file.

    `line_map[i - 1] == (i, cell, line)`: line i of `source` is line `line` of notebook
    cell `cell` (1-based position among all cells, markdown included, as the student
    scrolls), or line `line` of the `.py` file when `cell` is None.
    """

    path: Path
    kind: Literal["py", "ipynb"]
    source: str
    line_map: LineMap
    notes: tuple[LoadProblem, ...]
    sha256: str

    @property
    def display_name(self) -> str:
        """The file's name as shown (in tracebacks too), without hidden characters."""
        return display_id(self.path.name)

    def cells(self) -> tuple[tuple[int, int, int], ...]:
        """(cell, first source line, last source line) of each code cell, in order."""
        spans: list[tuple[int, int, int]] = []
        for line, cell, _ in self.line_map:
            if cell is None:
                continue
            if spans and spans[-1][0] == cell:
                spans[-1] = (cell, spans[-1][1], line)
            else:
                spans.append((cell, line, line))
        return tuple(spans)


def load_submission(
    path: str | Path, max_bytes: int = MAX_BYTES, *, through_links: bool = True
) -> Submission:
    """Read and check one submission file; raise SubmissionError with one clear line.

    `through_links=False` (grade and check, given a path by a person or a CI job) also
    refuses a relative path whose folders include a symbolic link; a batch has already
    walked its folder without following any.
    """
    p = Path(path)
    folder = None if through_links else linked_folder(p)
    if folder is not None:
        raise SubmissionError(p, "linked_folder", folder=str(folder))
    return parse_submission(p, read_submission(p, max_bytes))


def read_submission(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a submission file, checked as load_submission checks them (suffix,
    name, size, not empty); raise SubmissionError with one clear line."""
    return _read_bytes(Path(path), max_bytes)


def parse_submission(p: Path, data: bytes) -> Submission:
    """A submission from bytes already read (by read_submission, maybe in another
    process): `p` is only the name it is shown and checked by, never opened."""
    text = _decode_text(p, data)
    digest = hashlib.sha256(data).hexdigest()
    if p.suffix.lower() == ".py":
        source = _normalise_newlines(text)
        _check_source(p, source)
        lines = source.split("\n")
        notes = tuple(_ipython_call_notes(lines, None))
        line_map: LineMap = tuple((i, None, i) for i in range(1, len(lines) + 1))
        return Submission(p, "py", source, line_map, notes, digest)
    cells = _notebook_cells(p, text)
    source, line_map, notes = _notebook_source(cells)
    _check_source(p, source)
    return Submission(p, "ipynb", source, line_map, notes, digest)


def _read_bytes(p: Path, max_bytes: int) -> bytes:
    if p.suffix.lower() not in (".py", ".ipynb"):
        raise SubmissionError(p, "not_py")
    if not usable_name(p.name):
        raise SubmissionError(display_id(p), "bad_name")
    try:
        data, size = read_regular(p, max_bytes)
    except NotReadable as exc:
        if exc.key == "missing":
            raise SubmissionError(p, "no_such_file") from None
        if exc.key == "folder":
            raise SubmissionError(p, "is_directory") from None
        raise SubmissionError(p, "not_readable", files_reason=exc.key, **exc.params) from None
    if size > max_bytes or len(data) > max_bytes:
        raise SubmissionError(p, "too_large", size=max(size, len(data)), limit=max_bytes)
    if not data.strip():
        raise SubmissionError(p, "empty")
    return data


def _check_source(p: Path, source: str) -> None:
    """The Python to run stays within what the sandbox loads in time (see the limits)."""
    size = len(source.encode("utf-8", "surrogatepass"))
    if size > MAX_SOURCE_BYTES:
        raise SubmissionError(p, "too_much_code", size=size, limit=MAX_SOURCE_BYTES)
    lines = source.count("\n") + (not source.endswith("\n"))
    if lines > MAX_LINES:
        raise SubmissionError(p, "too_many_lines", lines=lines, limit=MAX_LINES)


def _decode_text(p: Path, data: bytes) -> str:
    if b"\x00" in data:
        raise SubmissionError(p, "binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = f"0x{data[exc.start]:02x}"
        raise SubmissionError(p, "not_utf8", byte=byte, offset=exc.start) from None


def _normalise_newlines(text: str) -> str:
    """Python's own newline rule (\\r\\n, \\r, \\n) so that line numbers agree with it."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- notebooks --------------------------------------------------------------------------


def _notebook_cells(p: Path, text: str) -> list[tuple[int, str]]:
    """(cell number, source) of each code cell; outputs and other cell types ignored."""
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise SubmissionError(p, "json_too_deep", depth=depth, limit=MAX_JSON_DEPTH)
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        where = {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
        raise SubmissionError(p, "invalid_json", **where) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # e.g. a 5,000-digit number
        raise SubmissionError(p, "json_unreadable", error=type(exc).__name__) from None
    if not isinstance(nb, dict) or "nbformat" not in nb:
        raise SubmissionError(p, "no_nbformat")
    if nb.get("nbformat") != 4:
        nb = _upgrade(p, text, nb.get("nbformat"))
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise SubmissionError(p, "cells_not_list")
    if len(cells) > MAX_CELLS:
        raise SubmissionError(p, "too_many_cells", cells=len(cells), limit=MAX_CELLS)
    code: list[tuple[int, str]] = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise SubmissionError(p, "cell_no_type", cell=number)
        if cell["cell_type"] != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise SubmissionError(p, "cell_no_source", cell=number)
        code.append((number, _normalise_newlines(source)))
    return code


def _upgrade(p: Path, text: str, version: Any) -> dict[str, Any]:
    """Older notebook formats, converted by nbformat (imported only here: it is slow)."""
    try:
        import nbformat

        upgraded = nbformat.reads(text, as_version=4)
    except Exception as exc:
        error = type(exc).__name__
        raise SubmissionError(p, "old_format", version=repr(version), error=error) from None
    try:
        return json.loads(nbformat.writes(upgraded))
    except (ValueError, RecursionError, MemoryError) as exc:
        error = type(exc).__name__
        raise SubmissionError(p, "old_format", version=repr(version), error=error) from None


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deeply the JSON text nests arrays and objects, without parsing it (strings
    are dropped first, so brackets inside them do not count)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for c in brackets:
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _notebook_source(
    cells: list[tuple[int, str]],
) -> tuple[str, LineMap, tuple[LoadProblem, ...]]:
    lines: list[str] = []
    line_map: list[tuple[int, int | None, int]] = []
    notes: list[LoadProblem] = []
    for number, text in cells:
        cell_lines, cell_notes = neutralise_cell(text.split("\n"), number)
        notes.extend(cell_notes)
        notes.extend(_ipython_call_notes(cell_lines, number))
        for k, line in enumerate(cell_lines, start=1):
            lines.append(line)
            line_map.append((len(lines), number, k))
    if not cells:
        notes.append(LoadProblem("note", "", key="no_code_cells"))
    return "\n".join(lines) + ("\n" if lines else ""), tuple(line_map), tuple(notes)


# --- IPython-only syntax ----------------------------------------------------------------

_CELL_MAGIC = re.compile(r"^%%(\w+)")
_LINE_MAGIC = re.compile(r"^%(\w+)")
_TIMED = re.compile(r"^%(?:time|timeit|prun)\s+((?:-[a-zA-Z]+(?:\s+\d+)?\s+)*)(.*)$")
_ASSIGNED = re.compile(r"^([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*[%!]")
_HELP = re.compile(r"^(\?\??[\w.]+|[\w.]+\?\??)$")


def neutralise_cell(lines: list[str], cell: int | None) -> tuple[list[str], list[LoadProblem]]:
    """Replace IPython-only lines by plain Python, keeping the line count (numbers stay).

    `%%bash`-like cells are not Python: every line becomes a comment. `%%time`-like cells
    run their body once. Line magics and `!shell` lines become `pass` (or `name = None`
    when their value was assigned); `%time stmt` keeps the statement.
    """
    first = next((i for i, s in enumerate(lines) if s.strip()), None)
    if first is not None:
        m = _CELL_MAGIC.match(lines[first].strip())
        if m and m.group(1) not in PYTHON_CELL_MAGICS:
            said = {"magic": m.group(1)}
            note = LoadProblem("magic", "", first + 1, cell, key="cell_magic_not_run", params=said)
            return ["# " + s if s else s for s in lines], [note]
        if m:
            said = {"magic": m.group(1)}
            note = LoadProblem("magic", "", first + 1, cell, key="cell_magic_removed", params=said)
            lines = list(lines)
            lines[first] = ""
            out, notes = _neutralise_lines(lines, cell)
            return out, [note, *notes]
    return _neutralise_lines(lines, cell)


def _neutralise_lines(lines: list[str], cell: int | None) -> tuple[list[str], list[LoadProblem]]:
    out: list[str] = []
    notes: list[LoadProblem] = []
    state = _ScanState()
    for number, line in enumerate(lines, start=1):
        replaced = None if state.continued() else _replacement(line.strip())
        if replaced is not None:
            text, key, params = replaced
            out.append(line[: len(line) - len(line.lstrip())] + text)
            notes.append(LoadProblem("magic", "", number, cell, key=key, params=params))
        else:
            out.append(line)
            state.scan(line)
    return out, notes


class _ScanState:
    """Just enough tokenizing to know whether a line continues a statement.

    A line inside a triple-quoted string or open brackets, or after a backslash, is
    never a magic: `% b)` there is the modulo operator of a broken-up expression.
    """

    def __init__(self) -> None:
        self.quote = ""  # the open triple quote, if any
        self.depth = 0
        self.backslash = False

    def continued(self) -> bool:
        return bool(self.quote) or self.depth > 0 or self.backslash

    def scan(self, line: str) -> None:
        i, n = 0, len(line)
        self.backslash = False
        while i < n:
            if self.quote:
                end = line.find(self.quote, i)
                if end < 0:
                    return
                self.quote, i = "", end + 3
                continue
            c = line[i]
            if c == "#":
                return
            if c in "\"'":
                if line.startswith(c * 3, i):
                    self.quote, i = c * 3, i + 3
                    continue
                i = _string_end(line, i + 1, c)
                continue
            if c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(0, self.depth - 1)
            elif c == "\\" and i == n - 1:
                self.backslash = True
            i += 1


def _string_end(line: str, i: int, quote: str) -> int:
    while i < len(line):
        if line[i] == "\\":
            i += 2
        elif line[i] == quote:
            return i + 1
        else:
            i += 1
    return i


def _replacement(stripped: str) -> tuple[str, str, dict[str, str]] | None:
    """(plain Python, the note's LOAD key, its parameters) for one IPython-only line (see
    gdgrade.sandbox.reasons), or None for a Python line."""
    shown = {"code": repr(stripped if len(stripped) <= 60 else stripped[:57] + "...")}
    if _HELP.match(stripped):
        return "pass", "help_not_run", shown
    assigned = _ASSIGNED.match(stripped)
    if assigned:
        return f"{assigned.group(1)} = None", "value_replaced", shown
    if stripped.startswith("!"):
        return "pass", "shell_not_run", shown
    if not stripped.startswith("%"):
        return None
    timed = _TIMED.match(stripped)
    if timed and timed.group(2).strip():
        return timed.group(2), "timed_once", shown
    magic = _LINE_MAGIC.match(stripped) or _CELL_MAGIC.match(stripped)
    name = magic.group(0) if magic else stripped.split()[0]
    return "pass", "magic_not_run", {"magic": name}


def _ipython_call_notes(lines: list[str], cell: int | None) -> list[LoadProblem]:
    return [
        LoadProblem("magic", "", number, cell, key="get_ipython")
        for number, line in enumerate(lines, start=1)
        if "get_ipython()" in line.split("#", 1)[0]
    ]
