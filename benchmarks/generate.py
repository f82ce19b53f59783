"""A synthetic class of N submissions, deterministic from a seed, built from tests/submissions.

Every file is composed from the hand-written samples, never written by calling reference/:
a correct all-nine file (one of seven styles), with, for a mistake, the functions of one
mistake sample swapped in; notebooks are the same programs cut into cells; hostile ones
swap in an endless loop, a memory bomb or a raising function. Header, comments and blank
lines vary per student so every file has its own content hash (as a real class does).

    python -m benchmarks.generate OUT_DIR -n 100 --seed 1
"""

from __future__ import annotations

import argparse
import ast
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "submissions"
CONTRACT_NAMES = (
    "numerical_derivative",
    "numerical_gradient",
    "gradient_step",
    "gradient_descent",
    "linear_regression_gd",
    "momentum_descent",
    "batch_gradient_descent",
    "sgd",
    "minibatch_gd",
)
HOSTILE = ("any/timeout.py", "any/memory.py", "any/raises.py")
# A file with a syntax error is a mistake of its own kind: the limit harness could not
# import it at all, so it would not be a fair "same work" comparison; hostile files are
# drawn on their own share.
NOT_A_MISTAKE_SAMPLE = (*HOSTILE, "any/syntax_error.py")
SHARES = {"correct": 0.60, "mistake": 0.30, "notebook": 0.05, "hostile": 0.05}

HEADERS = (
    "# 경사하강법 과제 제출",
    "# Gradient descent homework",
    "# 머신러닝 기초 - 과제 3",
    "# HW3: 경사하강법 구현",
    '"""경사하강법 과제입니다. 강의 예제를 참고했습니다."""',
)
REMARKS = (
    "# 여기부터 다음 문제",
    "# TODO: 나중에 다시 확인하기",
    "# 강의 슬라이드 참고",
    "# next exercise",
    "# 테스트는 아래에서 해봄",
    "# (수정함)",
    "# ---------------------------------------------",
    "# 이 부분 조교님께 질문했던 부분",
)


@dataclass(frozen=True)
class Planned:
    """What one generated file is made of (written to the class manifest)."""

    student: str
    file: str  # name inside the class folder
    kind: str  # correct | mistake | notebook | hostile
    base: str  # the correct sample it starts from (tests/submissions relative)
    swapped: str  # the mistake/hostile sample swapped in, "" for none
    exercises: tuple[str, ...]  # the contract functions the swapped sample replaces


def sample_files() -> tuple[list[str], list[str], dict[str, list[str]]]:
    """(correct .py bases, mistake samples, manifest functions of every sample)."""
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    functions = {entry["file"]: sorted(entry["expect"]) for entry in manifest}
    bases = sorted(f for f in functions if f.startswith("correct/") and f.endswith(".py"))
    mistakes = sorted(
        f for f in functions if not f.startswith("correct/") and f not in NOT_A_MISTAKE_SAMPLE
    )
    return bases, mistakes, functions


def counts(n: int, shares: dict[str, float]) -> dict[str, int]:
    """Whole numbers per kind that add up to n (largest remainders get the leftovers)."""
    raw = {k: n * s for k, s in shares.items()}
    out = {k: int(v) for k, v in raw.items()}
    leftover = n - sum(out.values())
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[:leftover]:
        out[k] += 1
    return out


def plan(n: int, seed: int, shares: dict[str, float] | None = None) -> list[Planned]:
    rng = random.Random(seed)
    bases, mistakes, functions = sample_files()
    kinds = [k for k, c in counts(n, shares or SHARES).items() for _ in range(c)]
    rng.shuffle(kinds)
    out = []
    hostile = 0
    for index, kind in enumerate(kinds):
        student = f"2025{index:06d}"
        base = rng.choice(bases)
        swapped = ""
        if kind == "mistake":
            swapped = rng.choice(mistakes)
        elif kind == "hostile":
            swapped = HOSTILE[hostile % len(HOSTILE)]  # each kind in turn
            hostile += 1
        suffix = ".ipynb" if kind == "notebook" else ".py"
        exercises = tuple(functions[swapped]) if swapped else ()
        out.append(Planned(student, student + suffix, kind, base, swapped, exercises))
    return out


def _function_spans(tree: ast.Module, names: set[str]) -> list[tuple[int, int]]:
    """0-based [start, end) line spans of top-level defs of `names`, decorators included."""
    spans = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            spans.append((start, node.end_lineno or node.lineno))
    return spans


def compose(base_source: str, swapped_source: str, replaced: tuple[str, ...]) -> str:
    """The base file without the functions in `replaced`, then the swapped sample whole
    (its imports and module-level code come along; where it defines a function the base
    also keeps, the later definition wins, as in Python)."""
    if not swapped_source:
        return base_source
    lines = base_source.splitlines()
    for start, end in sorted(_function_spans(ast.parse(base_source), set(replaced)), reverse=True):
        del lines[start:end]
    return "\n".join(lines).rstrip() + "\n\n\n" + swapped_source


def vary(source: str, rng: random.Random, student: str) -> str:
    """Same program, different text: a header naming the student, remarks and blank lines
    between top-level statements."""
    tree = ast.parse(source)
    lines = source.splitlines()
    starts = {
        min([n.lineno, *(d.lineno for d in getattr(n, "decorator_list", ()))]) - 1
        for n in tree.body
        if isinstance(n, ast.FunctionDef)
    }
    out = [rng.choice(HEADERS), f"# 학번: {student}", ""]
    for i, line in enumerate(lines):
        if i in starts and rng.random() < 0.5:
            out.extend([""] * rng.randint(0, 2))
            out.append(rng.choice(REMARKS))
        out.append(line.rstrip() if rng.random() < 0.9 else line.rstrip() + "  ")
    if rng.random() < 0.3:
        out += ["", "", 'if __name__ == "__main__":', f'    print("{student} 과제 확인")']
    return "\n".join(out).rstrip() + "\n"


def as_notebook(source: str, student: str) -> str:
    """The program as a notebook: a markdown title, one code cell per top-level statement
    group (imports, each function), and a plotting cell with a magic, as students hand in."""
    tree = ast.parse(source)
    lines = source.splitlines()
    cells = [nbformat.v4.new_markdown_cell(f"# 경사하강법 과제\n\n- 학번: {student}")]
    cells.append(nbformat.v4.new_code_cell("%matplotlib inline\nimport numpy as np"))
    bounds = [n.lineno - 1 for n in tree.body] + [len(lines)]
    for node, start, end in zip(tree.body, bounds, bounds[1:], strict=False):
        if isinstance(node, ast.FunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
        text = "\n".join(lines[start:end]).strip()
        if text:
            cells.append(nbformat.v4.new_code_cell(text))
    for k, cell in enumerate(cells):
        cell.id = f"{student}-{k}"  # nbformat draws random ids; a seed must fix every byte
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nbformat.writes(nb)


def only_functions(source: str, names: tuple[str, ...]) -> str:
    """`import numpy as np` and the last definition of each of `names` (for the peers'
    two-function assignment)."""
    tree = ast.parse(source)
    kept = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            kept[node.name] = ast.get_source_segment(source, node)
    return "import numpy as np\n\n\n" + "\n\n\n".join(kept[n] for n in names if n in kept) + "\n"


def render(item: Planned, rng: random.Random) -> str:
    base = (SAMPLES / item.base).read_text(encoding="utf-8")
    swapped = (SAMPLES / item.swapped).read_text(encoding="utf-8") if item.swapped else ""
    program = vary(compose(base, swapped, item.exercises), rng, item.student)
    return as_notebook(program, item.student) if item.kind == "notebook" else program


def write_class(
    out_dir: Path, n: int, seed: int, shares: dict[str, float] | None = None
) -> list[Planned]:
    """Write N submissions into out_dir (created, must be empty of submissions) and return
    the plan; the same (n, seed, shares) always gives byte-identical files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    items = plan(n, seed, shares)
    for item in items:
        rng = random.Random(f"{seed}:{item.student}")
        (out_dir / item.file).write_text(render(item, rng), encoding="utf-8")
    return items


def manifest(items: list[Planned]) -> list[dict[str, object]]:
    return [asdict(i) for i in items]


def parse_shares(text: str | None) -> dict[str, float] | None:
    """ "correct=0.6,mistake=0.4" -> shares (missing kinds get 0)."""
    if not text:
        return None
    shares = dict.fromkeys(SHARES, 0.0)
    for part in text.split(","):
        key, _, value = part.partition("=")
        if key not in SHARES:
            raise ValueError(f"unknown kind {key!r} (one of {', '.join(SHARES)})")
        shares[key] = float(value)
    return shares


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shares", help="e.g. correct=0.7,mistake=0.3 (default 60/30/5/5)")
    args = parser.parse_args(argv)
    items = write_class(args.out, args.n, args.seed, parse_shares(args.shares))
    (args.out.parent / f"{args.out.name}.manifest.json").write_text(
        json.dumps(manifest(items), indent=1), encoding="utf-8"
    )
    print(f"{len(items)} submissions in {args.out}")


if __name__ == "__main__":
    main()
