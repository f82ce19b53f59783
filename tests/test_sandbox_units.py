"""Splitting a submission into units: statement salvage after a syntax error, cells,
definitions-only mode, and the student-facing traceback/capture helpers."""

from __future__ import annotations

import ast
import textwrap

from gdgrade.sandbox.capture import BoundedText, safe_text, student_traceback
from gdgrade.sandbox.units import (
    STUDENT_FILE,
    Locator,
    definitions_only,
    split_units,
)


def names_defined(source: str) -> set[str]:
    namespace: dict[str, object] = {}
    for unit in split_units(source, None):
        if unit.tree is not None:
            exec(compile(unit.tree, STUDENT_FILE, "exec"), namespace)
    return {k for k in namespace if not k.startswith("__")}


BROKEN = textwrap.dedent(
    """\
    import math

    def broken(x):
        return x +

    def gradient_step(x, grad, learning_rate):
        return x - learning_rate * grad

    TABLE = [
    [1, 2],
    [3, 4]]

    @staticmethod
    def decorated():
        return 1

    if math.pi > 3:
        flag = True
    else:
        flag = False

    %matplotlib inline

    def after(x):
        return x
    """
)


def test_one_typo_costs_only_its_own_statement() -> None:
    defined = names_defined(BROKEN)
    assert {"math", "gradient_step", "TABLE", "decorated", "flag", "after"} <= defined
    assert "broken" not in defined


def test_each_syntax_error_is_reported_with_its_line_and_a_caret() -> None:
    problems = [u.problem for u in split_units(BROKEN, None) if u.problem]
    assert [(p.line, p.message) for p in problems] == [
        (4, "SyntaxError: invalid syntax"),
        (22, "SyntaxError: invalid syntax"),
    ]
    assert problems[0].detail == "    return x +\n              ^"
    assert problems[1].detail.splitlines()[0] == "    %matplotlib inline"


def test_unclosed_bracket_at_the_end_does_not_hide_earlier_code() -> None:
    source = "def gradient_step(x, g, lr):\n    return x - lr * g\n\nvalues = (1,\n"
    units = split_units(source, None)
    assert units[0].tree is not None
    assert "never closed" in units[-1].problem.message  # type: ignore[union-attr]


def test_a_parsing_file_is_one_unit_per_top_level_statement() -> None:
    units = split_units("import numpy as np\nx = 1\n\ndef f():\n    return x\n", None)
    assert [u.first_line for u in units] == [1, 2, 4]
    assert all(u.problem is None for u in units)


def test_notebook_cells_are_units_with_lines_of_the_whole_source() -> None:
    source = "a = 1\nb = (\nc = a + 1\nraise ValueError('x')\n"
    cells = [(2, 1, 1), (4, 2, 2), (7, 3, 4)]
    units = split_units(source, cells)
    assert [u.tree is None for u in units] == [False, True, False]
    assert units[1].problem.line == 2  # type: ignore[union-attr]
    assert units[2].tree.body[1].lineno == 4  # type: ignore[union-attr]
    locator = Locator(source, cells)
    assert locator.locate(4) == (7, 2)
    assert locator.where(4, "hw.ipynb") == "Cell [7], line 2"
    assert Locator(source, None).where(4, "hw.py") == 'File "hw.py", line 4'


def test_definitions_only_keeps_defs_imports_lambdas_and_literals() -> None:
    tree = ast.parse(
        textwrap.dedent(
            """\
            import numpy as np
            from math import pi
            ETA = 0.1
            SHAPE = (2, 3)
            f = lambda x: x * ETA
            data = np.loadtxt("data.csv")
            print("training...")
            def g(x): return x
            class Model: pass
            for i in range(10**9): pass
            """
        )
    )
    kept = definitions_only(tree)
    kinds = [type(s).__name__ for s in kept.body]
    assert kinds == [
        "Import",
        "ImportFrom",
        "Assign",
        "Assign",
        "Assign",
        "FunctionDef",
        "ClassDef",
    ]


def test_student_traceback_shows_only_student_frames_with_their_lines() -> None:
    source = (
        "import json\n\ndef inner(x):\n    return json.loads(x)\n\n"
        "def outer():\n    return inner('{')\n"
    )
    namespace: dict[str, object] = {}
    for unit in split_units(source, None):
        exec(compile(unit.tree, STUDENT_FILE, "exec"), namespace)  # type: ignore[arg-type]
    try:
        namespace["outer"]()  # type: ignore[operator]
    except ValueError as exc:
        text = student_traceback(exc, Locator(source, None), "hw.py")
    lines = text.splitlines()
    assert lines[1:5] == [
        '  File "hw.py", line 7, in outer',
        "    return inner('{')",
        '  File "hw.py", line 4, in inner',
        "    return json.loads(x)",
    ]
    assert lines[-1].startswith("JSONDecodeError: Expecting property name")
    assert "decoder.py" not in text


def test_bounded_text_keeps_the_head_and_says_how_much_was_dropped() -> None:
    out = BoundedText(10, 1)
    out.write("0123456789abcdef")
    out.buffer.write(b"xyz")
    assert out.text().startswith("0123456789")
    assert "[... 9 more characters not shown]" in out.text()


def test_a_hostile_str_cannot_break_error_reporting() -> None:
    class Nasty(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

    class Huge(Exception):
        def __str__(self) -> str:
            return "x" * 10**6

    assert safe_text(Nasty()) == "<the message could not be printed>"
    assert len(safe_text(Huge())) < 3000
