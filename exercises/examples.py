"""The worked example of each exercise: one runnable snippet, its numbers from `reference/`.

The same snippet appears in both statements and in the notebook's "try it" cell, so a
student sees a call, then the value the reference implementation prints for it. Values
are never typed: `render` runs the snippet against the reference and writes them in as
comments under each `print`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

SIGNIFICANT = 8  # digits shown; the graded tolerances are far tighter than the display

LECTURE_F = """\
def f(x):
    return 0.5 * x**4 - 4 * x**3 + 10 * x**2 - 7 * x + 2


def fp(x):
    return 2 * x**3 - 12 * x**2 + 20 * x - 7


"""
LINE_DATA = """\
X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
y = np.array([1.0, 3.0, 5.0, 7.0])
w0 = np.zeros(2)

"""


@dataclass(frozen=True)
class Example:
    """`setup` defines the inputs, `steps` call the function, each of `shows` is printed.

    The code is written as `ruff format` would write it, because it lands in the notebook.
    """

    setup: str
    steps: tuple[str, ...]
    shows: tuple[str, ...]


EXAMPLES: dict[str, Example] = {
    "numerical_derivative": Example(
        LECTURE_F,
        (),
        ("numerical_derivative(f, 4, 1e-5)", "numerical_derivative(f, 4, 0.1)", "fp(4)"),
    ),
    "numerical_gradient": Example(
        "def f(x):\n"
        "    return x[0] ** 2 + 3 * x[0] * x[1] + 2 * x[1] ** 2\n\n\n"
        "x = np.array([1.0, 2.0])\n\n",
        (),
        ("numerical_gradient(f, x, 1e-5)", "x"),
    ),
    "gradient_step": Example(
        "",
        (),
        (
            "gradient_step(4.0, 9.0, 0.1)",
            "gradient_step(np.array([1.0, 2.0]), np.array([8.0, 11.0]), 0.1)",
        ),
    ),
    "gradient_descent": Example(
        LECTURE_F,
        ("x_opt, f_opt, paths = gradient_descent(f, fp, 4, 0.1, 200)",),
        (
            "x_opt",
            "f_opt",
            "len(paths)",
            "paths[:3]",
            "gradient_descent(f, fp, 4, 0.2, 200)[0]",
            "gradient_descent(f, fp, 5, 0.1, 200)[0]",
        ),
    ),
    "linear_regression_gd": Example(
        "x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])\ny = 2 + 3 * x\n\n",
        (),
        (
            "linear_regression_gd(x, y, 0, 0, 0.05, 1)",
            "linear_regression_gd(x, y, 0, 0, 0.05, 2000)",
        ),
    ),
    "momentum_descent": Example(
        LECTURE_F,
        ("path = momentum_descent(fp, 4, 0.05, 0.8, 100)",),
        ("path[:3]", "path[-1]", "momentum_descent(fp, 4, 0.05, 0.0, 100)[-1]"),
    ),
    "batch_gradient_descent": Example(
        LINE_DATA,
        ("w, path = batch_gradient_descent(X, y, w0, 0.1, 200)",),
        ("path[:2]", "path.shape", "w"),
    ),
    "sgd": Example(
        LINE_DATA,
        ("w, path = sgd(X, y, w0, 0.05, 3, np.random.default_rng(0))",),
        ("np.random.default_rng(0).permutation(4)", "path", "w"),
    ),
    "minibatch_gd": Example(
        "X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0], [1.0, 4.0]])\n"
        "y = np.array([1.0, 3.0, 5.0, 7.0, 9.0])\nw0 = np.zeros(2)\n\n",
        ("w, path = minibatch_gd(X, y, w0, 0.1, 3, 2, np.random.default_rng(0))",),
        ("np.random.default_rng(0).permutation(5)", "path", "w"),
    ),
}


# Last, and here: a folder's definition.py imports this module while it registers.
from gdgrade.exercises.definitions import fill  # noqa: E402

fill(EXAMPLES, "EXAMPLE")


def _number(v: float) -> str:
    text = f"{v:.{SIGNIFICANT}g}"
    return text if any(c in text for c in ".en") else text + ".0"  # 9.0, not 9


def show(value: Any) -> str:
    """A short, stable text of a value: floats to SIGNIFICANT digits, arrays as lists."""
    if isinstance(value, tuple):
        inner = ", ".join(show(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iub":
            return np.array2string(value, separator=", ")
        return np.array2string(value, separator=", ", formatter={"float_kind": _number})
    if isinstance(value, float | np.floating):
        return _number(float(value))
    return str(value)


def run(exercise: str) -> list[str]:
    """Run the example with the reference implementation; the text of each shown value."""
    example = EXAMPLES[exercise]
    import reference  # here: a folder's definition.py imports this module while registering

    scope: dict[str, Any] = {"np": np, exercise: reference.REFERENCE[exercise]}
    exec(example.setup, scope)
    for step in example.steps:
        exec(step, scope)
    return [show(eval(expression, scope)) for expression in example.shows]


def render(exercise: str, imports: bool = True) -> str:
    """The runnable snippet with each expected value as `#` comments under its print.

    Without `imports` it relies on numpy being imported already (the notebook's first cell).
    """
    example = EXAMPLES[exercise]
    code = example.setup
    if imports:
        code = "import numpy as np\n\n" + ("\n" if code.startswith("def") else "") + code
    lines = list(example.steps)
    for expression, text in zip(example.shows, run(exercise), strict=True):
        lines.append(f"print({expression})")
        lines += [f"# {line}" for line in text.split("\n")]
    return code + "\n".join(lines) + "\n"
