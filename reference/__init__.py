"""Reference implementations of the contract functions, and their known mistakes.

Only the trusted grader imports this package; it is never shipped to students.
"""

from gdgrade.exercises.definitions import definitions

from . import derivatives, descent, least_squares, momentum, regression  # noqa: F401  (registers)
from .derivatives import numerical_derivative, numerical_gradient
from .descent import gradient_descent, gradient_step
from .least_squares import batch_gradient_descent, minibatch_gd, sgd
from .momentum import momentum_descent
from .registry import EXERCISES, REFERENCE, VARIANTS, Variant, variants_by_id, variants_for
from .regression import linear_regression_gd

# Exercises declared whole in their folder register their functions when loaded.
definitions()

__all__ = [
    "EXERCISES",
    "REFERENCE",
    "VARIANTS",
    "Variant",
    "batch_gradient_descent",
    "gradient_descent",
    "gradient_step",
    "linear_regression_gd",
    "minibatch_gd",
    "momentum_descent",
    "numerical_derivative",
    "numerical_gradient",
    "sgd",
    "variants_by_id",
    "variants_for",
]
