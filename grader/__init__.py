"""The instructor's side of gdgrade: hidden cases, expected values from the reference,
grading and batch commands, exports and the student release. It builds on the student
package `gdgrade`, which never imports it."""

from gdgrade import __version__

__all__ = ["__version__"]
