"""A class to test similarity detection on: independently written correct solutions in
several styles (the bundled samples), plus copies disguised the way students disguise them.

`disguise` renames every variable, swaps adjacent statements that do not depend on each
other and replaces every comment: what a student does to a classmate's file.
"""

from __future__ import annotations

import ast
import random
from pathlib import Path

from gdgrade.submission import load_submission

ROOT = Path(__file__).resolve().parent.parent
# Independently written, different styles (examples/class/2024101010.py is left out: it is the
# lecture's code, as is tests/submissions/correct/lecture_style.py, and the two are alike).
INDEPENDENT = {
    "lecture": "tests/submissions/correct/lecture_style.py",
    "loops": "tests/submissions/correct/loops.py",
    "vectorised": "tests/submissions/correct/vectorised.py",
    "lists": "tests/submissions/correct/lists_not_arrays.py",
    "helpers": "tests/submissions/correct/helpers.py",
    "extra": "tests/submissions/correct/extra_params.py",
    "prints": "tests/submissions/correct/prints_everything.py",
    "notebook": "tests/submissions/correct/notebook.ipynb",
    "minjun": "examples/class/2024123456.py",
    "seoyeon": "examples/class/2024123457.py",
    "hyunwoo": "examples/class/2024177777.py",
    "yuna": "examples/class/2024111222/submission.ipynb",
}
COMMENTS = ("# 여기서 계산", "# 갱신 단계", "# 결과 저장", "# 반복", "# TODO 확인")


def source_of(name: str) -> str:
    """A sample's Python source (a notebook's code cells, as graded)."""
    return load_submission(ROOT / INDEPENDENT[name]).source


def disguise(source: str, seed: int) -> str:
    """The same program with renamed variables, reordered independent statements and other
    comments. Contract names and parameters stay, so it would still be graded the same."""
    rng = random.Random(seed)
    tree = ast.parse(source)
    _Renamer(rng).visit(tree)
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                _swap_independent(block, rng)
    lines = ast.unparse(tree).split("\n")
    out = []
    for line in lines:
        if line.strip() and rng.random() < 0.3 and not line.rstrip().endswith(("(", "[")):
            line = f"{line}  {rng.choice(COMMENTS)}"
        out.append(line)
    return "\n".join(out) + "\n"


class _Renamer(ast.NodeTransformer):
    """Local variables get new names; parameters, globals and calls keep theirs."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: dict[str, str] = {}
        self.local: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        params = {a.arg for a in node.args.args}
        self.local = {
            t.id
            for sub in ast.walk(node)
            if isinstance(sub, ast.Name | ast.arg)
            for t in [sub]
            if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store) and t.id not in params
        }
        self.generic_visit(node)
        return node

    def visit_Name(self, node: ast.Name) -> ast.Name:
        if node.id in self.local:
            if node.id not in self.names:
                self.names[node.id] = f"{self.rng.choice('abcdpqrstuvz')}{len(self.names)}_"
            node.id = self.names[node.id]
        return node


def _swap_independent(block: list[ast.stmt], rng: random.Random) -> None:
    """Swap adjacent simple statements when neither reads or writes what the other writes."""
    i = 0
    while i < len(block) - 1:
        a, b = block[i], block[i + 1]
        if _simple(a) and _simple(b) and _independent(a, b) and rng.random() < 0.8:
            block[i], block[i + 1] = b, a
            i += 2
        else:
            i += 1


def _simple(node: ast.stmt) -> bool:
    return isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)


def _names(node: ast.AST, store: bool) -> set[str]:
    kind = ast.Store if store else ast.Load
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, kind)}


def _independent(a: ast.stmt, b: ast.stmt) -> bool:
    wa, wb = _names(a, True), _names(b, True)
    ra, rb = _names(a, False), _names(b, False)
    if isinstance(a, ast.AugAssign):
        ra |= wa
    if isinstance(b, ast.AugAssign):
        rb |= wb
    return not (wa & (rb | wb) or wb & ra)


def planted_class() -> tuple[dict[str, str], set[frozenset[str]], set[frozenset[str]]]:
    """Sources by student id, the planted pairs and the planted cluster.

    Two disguised copies (of `loops` and `notebook`) and a cluster of three (`helpers` and two
    disguised copies of it); everything else was written independently."""
    sources = {f"s-{name}": source_of(name) for name in INDEPENDENT}
    sources["s-copy-loops"] = disguise(sources["s-loops"], 1)
    sources["s-copy-notebook"] = disguise(sources["s-notebook"], 2)
    sources["s-ring-1"] = disguise(sources["s-helpers"], 3)
    sources["s-ring-2"] = disguise(sources["s-helpers"], 4)
    ring = ["s-helpers", "s-ring-1", "s-ring-2"]
    pairs = {frozenset(("s-loops", "s-copy-loops")), frozenset(("s-notebook", "s-copy-notebook"))}
    pairs |= {frozenset((a, b)) for i, a in enumerate(ring) for b in ring[i + 1 :]}
    return sources, pairs, {frozenset(ring)}


def large_class(n: int, seed: int = 0) -> tuple[dict[str, str], set[frozenset[str]]]:
    """n students whose every function comes from one of the samples' styles, chosen at
    random and written a little differently by each (operands of + and * swapped, a print
    added here and there: otherwise every function would be an idiom shared by n/12
    students, and there would be nothing to tell apart), plus three disguised copies of
    the first three students. Returns the sources (n + 3 students) and the planted pairs."""
    from gdgrade.contract import EXERCISE_IDS
    from grader.similarity.units import units

    rng = random.Random(seed)
    cut = [units(source_of(name)) for name in INDEPENDENT]
    sources = {}
    for i in range(n):
        pieces = ["import numpy as np"]
        for exercise in EXERCISE_IDS:
            styles = [u for u in cut if exercise in u]
            pieces.append(rng.choice(styles)[exercise].source)
        sources[f"s{i:04d}"] = disguise(_vary("\n\n".join(pieces), rng), rng.randrange(1 << 30))
    planted = set()
    for i in range(3):
        original = f"s{i:04d}"
        sources[f"copy{i}"] = disguise(sources[original], rng.randrange(1 << 30))
        planted.add(frozenset((original, f"copy{i}")))
    return sources, planted


def _vary(source: str, rng: random.Random) -> str:
    """The same program as another student might write it: some commutative operands
    swapped and some assignments followed by a print of what was assigned."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        swappable = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mult)
        if swappable and rng.random() < 0.5:
            node.left, node.right = node.right, node.left
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(block, list) and not isinstance(node, ast.Module):
                for i in range(len(block) - 1, -1, -1):
                    stmt = block[i]
                    named = isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name)
                    if named and rng.random() < 0.3:
                        shown = ast.Name(stmt.targets[0].id, ast.Load())
                        call = ast.Call(ast.Name("print", ast.Load()), [shown], [])
                        block.insert(i + 1, ast.Expr(call))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"
