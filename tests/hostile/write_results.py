"""Attack: write a results/score file directly: into the directory the grader writes to,
into /tmp, and into the grader's repository (found through gdgrade.__file__)."""

from pathlib import Path

import gdgrade

OUT_DIR = "__SENTINEL_DIR__"
REPORT = '{"score": 100, "max_score": 100, "exercises": []}'


def numerical_derivative(f, x, h=1e-5):
    repo = Path(gdgrade.__file__).resolve().parents[1]
    written = []
    targets = [
        Path(OUT_DIR) / "results.json",
        Path(OUT_DIR) / "sentinel.txt",
        Path("/tmp/gdgrade-hostile-results.json"),
        repo / "gdgrade-hostile-results.json",
        repo / "out" / "results.json",
    ]
    for target in targets:
        try:
            target.write_text(REPORT)
            written.append(str(target))
        except OSError:
            pass
    return written


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
