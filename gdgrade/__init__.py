"""gdgrade: exercises and automated grading for a course on gradient descent."""

from grader import __version__

__all__ = ["__version__"]
