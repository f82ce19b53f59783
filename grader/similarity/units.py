"""The unit of comparison: one contract function as a student wrote it, with the helpers it
calls, cut out of the submission's source (a notebook's code cells joined, as graded).

Parsing only (`ast`), never executing. A source that does not parse as a whole (a typo in one
function, a broken notebook cell) is salvaged block by block, so one bad function does not
hide the others.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from gdgrade.contract import EXERCISE_IDS

Defs = dict[str, ast.stmt]


@dataclass(frozen=True)
class Unit:
    """One exercise's code: the function, then each helper it calls, as written."""

    exercise: str
    source: str  # the pieces joined by blank lines; token lines refer to this text
    nodes: tuple[tuple[ast.stmt, int], ...] = ()  # each piece's node, and the number to add
    # to its line numbers to count in `source` (parsed once, not again for every exercise)


def units(source: str, exercises: Iterable[str] = EXERCISE_IDS) -> dict[str, Unit]:
    """Each contract function the source defines at top level, with its helpers."""
    defs = _top_level_defs(source)
    found: dict[str, Unit] = {}
    for exercise in exercises:
        if exercise not in defs:
            continue
        names = [exercise, *_helpers(exercise, defs)]
        nodes, line = [], 1
        for name in names:
            node, piece, first = defs[name]
            nodes.append((node, line - first))
            line += piece.count("\n") + 2
        text = "\n\n".join(defs[name][1] for name in names) + "\n"
        found[exercise] = Unit(exercise, text, tuple(nodes))
    return found


def _top_level_defs(source: str) -> dict[str, tuple[ast.stmt, str, int]]:
    """name -> (node, its source text, its first line) for top-level functions and
    `name = lambda ...`;
    a later definition replaces an earlier one, as when the module runs."""
    found: dict[str, tuple[ast.stmt, str, int]] = {}
    for block in _parsable_blocks(source):
        tree = parse(block)
        if tree is None:
            continue
        lines = block.split("\n")
        for node in tree.body:
            name = _defined_name(node)
            if name is not None:
                decorators = getattr(node, "decorator_list", [])
                first = min([node.lineno, *(d.lineno for d in decorators)])
                text = "\n".join(lines[first - 1 : node.end_lineno or node.lineno])
                found[name] = (node, text, first)
    return found


def parse(text: str) -> ast.Module | None:
    """The syntax tree, or None for text that Python cannot parse, including text built to
    exhaust the parser (a 50,000-term sum, NUL bytes)."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _defined_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return node.name
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Lambda)
    ):
        return node.targets[0].id
    return None


def _parsable_blocks(source: str) -> list[str]:
    """The whole source when it parses, else its top-level blocks one by one."""
    if parse(source) is not None:
        return [source]
    blocks: list[list[str]] = []
    for line in source.split("\n"):
        starts = line[:1] not in ("", " ", "\t", "#", ")", "]", "}")
        if starts and not (blocks and blocks[-1] and blocks[-1][-1].startswith("@")):
            blocks.append([])
        if blocks:
            blocks[-1].append(line)
    return ["\n".join(b) for b in blocks]


def _helpers(exercise: str, defs: dict[str, tuple[ast.stmt, str, int]]) -> list[str]:
    """Top-level non-contract functions the exercise's function uses, transitively, in the
    order first reached (a contract function it calls is its own unit)."""
    order: list[str] = []
    todo = [exercise]
    seen = {exercise}
    while todo:
        node = defs[todo.pop(0)][0]
        for name in _names_used(node):
            if name in defs and name not in seen and name not in EXERCISE_IDS:
                seen.add(name)
                order.append(name)
                todo.append(name)
    return order


def _names_used(node: ast.AST) -> list[str]:
    """Global names the function reads: not its parameters, not what it assigns itself
    (a notebook's example cell may define a global `f` beside a parameter `f`)."""
    local: set[str] = set()
    loaded: dict[str, None] = {}  # ordered
    for sub in ast.walk(node):
        if isinstance(sub, ast.arg):
            local.add(sub.arg)
        elif isinstance(sub, ast.Name):
            if isinstance(sub.ctx, ast.Load):
                loaded.setdefault(sub.id)
            else:
                local.add(sub.id)
    return [name for name in loaded if name not in local]


def all_functions(source: str) -> list[Unit]:
    """Every top-level function of a source, each alone: what a base file gives everyone."""
    return [
        Unit(name, text + "\n", ((node, 1 - first),))
        for name, (node, text, first) in _top_level_defs(source).items()
    ]
