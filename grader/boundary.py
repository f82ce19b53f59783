"""The line between what students get and what only the instructor has, as a rule on imports.

The student package (`gdgrade`) ships whole in the release, so everything it can reach is
public. It must never import the instructor's package (`grader`: hidden cases, the seed,
expected values computed from the answers), the answers themselves (`reference`) or the
source tree's tools (`exercises`, `benchmarks`, `tests`). The instructor's side builds on
the student's, never the reverse.

The graph is read from the source, not from a list of names: every `import` and
`from ... import` at any depth (an import inside a function counts), `importlib.import_module`
and `__import__` with a literal name, and import statements in code kept as a string to be
run by another interpreter (`python -c`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

STUDENT_PACKAGE = "gdgrade"
INSTRUCTOR_ONLY = frozenset({"grader", "reference", "exercises", "benchmarks", "tests"})
_DYNAMIC_IMPORTS = frozenset({"import_module", "__import__"})
# An import statement inside a string of code (run with `python -c` or exec).
_IMPORT_IN_TEXT = re.compile(r"(?:^|;)\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+))", re.M)


@dataclass(frozen=True)
class Import:
    module: str  # absolute dotted name
    path: Path  # the importing file
    line: int
    how: str  # "import", "dynamic" or "in code text"


@dataclass(frozen=True)
class Crossing:
    """A student-side module that imports an instructor-only one."""

    importer: str
    imported: str
    path: Path
    line: int
    how: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.importer} imports {self.imported} ({self.how})"


def module_name(root: Path, path: Path) -> str:
    """`gdgrade/sandbox/child.py` under `root` -> `gdgrade.sandbox.child`."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer if is_package else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    return ".".join(part for part in (base, node.module) if part)


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def imports_in(path: Path, importer: str) -> Iterator[Import]:
    """Every module one source file imports, wherever in the file the import is."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, path, node.lineno, "import")
        elif isinstance(node, ast.ImportFrom):
            yield Import(_absolute(importer, is_package, node), path, node.lineno, "import")
        elif isinstance(node, ast.Call) and _called_name(node) in _DYNAMIC_IMPORTS:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield Import(first.value, path, node.lineno, "dynamic")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for match in _IMPORT_IN_TEXT.finditer(node.value):
                name = match.group(1) or match.group(2)
                yield Import(name, path, node.lineno, "in code text")


Graph = dict[str, tuple[Path, list[Import]]]  # module -> its file, what it imports


def import_graph(root: Path, package: str = STUDENT_PACKAGE) -> Graph:
    """Every module of `package` (a folder under `root`) and what it imports, read once."""
    graph: Graph = {}
    for path in sorted((root / package).rglob("*.py")):
        module = module_name(root, path)
        graph[module] = (path, list(imports_in(path, module)))
    return graph


def crossings(
    root: Path, package: str = STUDENT_PACKAGE, graph: Graph | None = None
) -> list[Crossing]:
    """Every import from `package` into an instructor-only package."""
    found = [
        Crossing(importer, imp.module, imp.path, imp.line, imp.how)
        for importer, (_, imports) in (graph or import_graph(root, package)).items()
        for imp in imports
        if imp.module.split(".")[0] in INSTRUCTOR_ONLY
    ]
    return list(dict.fromkeys(found))
