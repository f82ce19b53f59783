"""The student contract as data: the names, parameters and order the statements give, and
what each function returns.

One place for these facts: the sandbox names the call counters after the parameters,
the comparison knows which results are paths, the report lists exercises in this order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signature:
    name: str
    params: tuple[str, ...]
    returns: tuple[str, ...]  # names of the returned parts ("path", "x_opt", ...); () = one value
    callables: tuple[str, ...] = ()  # parameters that are test functions
    number: int = 0
    path_part: str | None = None  # the returned part that is a path of iterates

    @property
    def folder(self) -> str:
        return f"{self.number:02d}_{self.name}"


SIGNATURES: tuple[Signature, ...] = (
    Signature("numerical_derivative", ("f", "x", "h"), (), ("f",), 1),
    Signature("numerical_gradient", ("f", "x", "h"), (), ("f",), 2),
    Signature("gradient_step", ("x", "grad", "learning_rate"), (), (), 3),
    Signature(
        "gradient_descent",
        ("f", "fp", "x0", "learning_rate", "max_iter"),
        ("x_opt", "f_opt", "paths"),
        ("f", "fp"),
        4,
        "paths",
    ),
    Signature(
        "linear_regression_gd",
        ("x", "y", "w0", "w1", "learning_rate", "n_iter"),
        ("w0", "w1"),
        (),
        5,
    ),
    Signature(
        "momentum_descent",
        ("fp", "x0", "learning_rate", "momentum", "n_iter"),
        (),
        ("fp",),
        6,
        "result",
    ),
    Signature(
        "batch_gradient_descent",
        ("X", "y", "w0", "learning_rate", "n_epochs"),
        ("w", "path"),
        (),
        7,
    ),
    Signature(
        "sgd", ("X", "y", "w0", "learning_rate", "n_epochs", "rng"), ("w", "path"), (), 8, "path"
    ),
    Signature(
        "minibatch_gd",
        ("X", "y", "w0", "learning_rate", "n_epochs", "batch_size", "rng"),
        ("w", "path"),
        (),
        9,
        "path",
    ),
)

BY_NAME: dict[str, Signature] = {s.name: s for s in SIGNATURES}
EXERCISE_IDS: tuple[str, ...] = tuple(s.name for s in SIGNATURES)
