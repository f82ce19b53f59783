"""gdgrade's grader: load, run in isolation, compare, diagnose, score, report."""

__version__ = "0.1.0"
