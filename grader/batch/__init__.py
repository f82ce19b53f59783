"""Grading a whole class: find submissions, grade them in parallel into a SQLite gradebook,
resume after any interruption, and export grades and a class summary."""
