"""Split a submission's source into units the child runs one after another.

A notebook's unit is a code cell (a cell that does not compile is reported and skipped,
as Jupyter would). A `.py` file's unit is a top-level statement, so that one typo does
not cost every exercise: when the whole file does not parse, it is cut at lines that
start in column 0 and each piece that parses on its own is kept (a piece that ends
inside an open bracket or string is grown with the next ones until it parses).

Pure parsing, no execution: the sandbox child uses it, and tests can call it directly.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass

STUDENT_FILE = "<submission>"  # co_filename of every code object compiled from the student
MAX_GROWTH = 100  # segments a salvaged piece may absorb while looking for its end
_CONTINUES = re.compile(r"^(else|elif|except|finally|case)\b|^[)\]}]")
_INCOMPLETE = (
    "was never closed",
    "unterminated triple-quoted",
    "unexpected EOF",
    "expected an indented block",
    "incomplete input",
)


@dataclass(frozen=True)
class SyntaxProblem:
    line: int  # in the whole source
    message: str  # "SyntaxError: invalid syntax"
    detail: str  # the offending line and a caret under the error


@dataclass(frozen=True)
class Unit:
    index: int
    first_line: int  # in the whole source
    tree: ast.Module | None  # None when the unit does not compile
    problem: SyntaxProblem | None = None


class Locator:
    """Source line -> (cell or None, line in the cell or file), and the line's text."""

    def __init__(self, source: str, cells: Sequence[Sequence[int]] | None) -> None:
        self.lines = source.split("\n")
        self._cells = [tuple(c) for c in cells] if cells is not None else None

    def locate(self, line: int) -> tuple[int | None, int]:
        if self._cells is None:
            return None, line
        for cell, first, last in self._cells:
            if first <= line <= last:
                return cell, line - first + 1
        return None, line

    def text(self, line: int) -> str:
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""

    def where(self, line: int, display_name: str) -> str:
        cell, local = self.locate(line)
        if cell is None:
            return f'File "{display_name}", line {local}'
        return f"Cell [{cell}], line {local}"


def split_units(source: str, cells: Sequence[Sequence[int]] | None) -> list[Unit]:
    if cells is not None:
        lines = source.split("\n")
        return [
            _unit(i, "\n".join(lines[first - 1 : last]) + "\n", first)
            for i, (_, first, last) in enumerate(cells)
        ]
    try:
        tree = ast.parse(source, STUDENT_FILE)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _salvage(source)
    return [
        Unit(i, stmt.lineno, ast.Module([stmt], type_ignores=[]))
        for i, stmt in enumerate(tree.body)
    ]


def _unit(index: int, text: str, first_line: int) -> Unit:
    try:
        tree = ast.parse(text, STUDENT_FILE)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return Unit(index, first_line, None, syntax_problem(exc, first_line - 1))
    ast.increment_lineno(tree, first_line - 1)
    return Unit(index, first_line, tree)


def _salvage(source: str) -> list[Unit]:
    """Top-level statements of a file that does not parse as a whole."""
    lines = source.split("\n")
    starts = _segment_starts(lines)
    bounds = [*starts, len(lines)]
    units: list[Unit] = []
    i = 0
    while i < len(starts):
        first = starts[i]
        unit = None
        for j in range(i + 1, min(len(bounds), i + 1 + MAX_GROWTH)):
            text = "\n".join(lines[first : bounds[j]]) + "\n"
            unit = _unit(len(units), text, first + 1)
            if unit.tree is not None or not _incomplete(unit.problem):
                break
        assert unit is not None
        if unit.tree is None:  # report the piece alone, skip it, go on after it
            alone = "\n".join(lines[first : bounds[i + 1]]) + "\n"
            unit = _unit(len(units), alone, first + 1)
            j = i + 1
        units.extend(_statements(unit, len(units)))
        i = j
    return units


def _statements(unit: Unit, index: int) -> list[Unit]:
    if unit.tree is None:
        return [Unit(index, unit.first_line, None, unit.problem)]
    return [
        Unit(index + k, stmt.lineno, ast.Module([stmt], type_ignores=[]))
        for k, stmt in enumerate(unit.tree.body)
    ]


def _segment_starts(lines: list[str]) -> list[int]:
    starts: list[int] = []
    after_decorator = False
    for n, line in enumerate(lines):
        if not line or line[0].isspace() or line.startswith("#") or _CONTINUES.match(line):
            continue
        if after_decorator:
            after_decorator = line.startswith("@")
            continue
        starts.append(n)
        after_decorator = line.startswith("@")
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return starts


def _incomplete(problem: SyntaxProblem | None) -> bool:
    return problem is not None and any(s in problem.message for s in _INCOMPLETE)


def syntax_problem(exc: BaseException, offset_lines: int = 0) -> SyntaxProblem:
    if not isinstance(exc, SyntaxError):
        return SyntaxProblem(offset_lines + 1, f"SyntaxError: {_reason(exc)}", "")
    line = (exc.lineno or 1) + offset_lines
    text = (exc.text or "").rstrip("\n")
    detail = ""
    if text.strip():
        stripped = text.lstrip()
        shift = len(text) - len(stripped)
        start = max(1, (exc.offset or 1) - shift)
        same_line = exc.end_lineno in (None, exc.lineno)
        end = (exc.end_offset or 0) - shift if same_line else start + 1
        width = max(1, min(end, len(stripped) + 1) - start)
        detail = f"    {stripped}\n    {' ' * (start - 1)}{'^' * width}"
    return SyntaxProblem(line, f"{type(exc).__name__}: {exc.msg}", detail)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError | MemoryError):
        return "the code is nested too deeply to compile"
    return str(exc)[:200]


# --- definitions-only mode --------------------------------------------------------------


def definitions_only(tree: ast.Module) -> ast.Module:
    """The statements of a unit that only define things: def, class, import, and names
    bound to a lambda or a literal. Used once the load budget is spent or, in a .py, once
    module-level code has failed, so that functions defined further down still count."""
    kept = [stmt for stmt in tree.body if _defines(stmt)]
    return ast.Module(kept, type_ignores=[])


def _defines(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return True
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        return True
    value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
    if value is None:
        return False
    if isinstance(value, ast.Lambda):
        return True
    try:
        ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def future_flags(units: list[Unit]) -> int:
    """`from __future__ import ...` flags, to compile later statements with them."""
    import __future__

    flags = 0
    for unit in units:
        for stmt in unit.tree.body if unit.tree else ():
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
                for alias in stmt.names:
                    feature = getattr(__future__, alias.name, None)
                    flags |= getattr(feature, "compiler_flag", 0)
    return flags
