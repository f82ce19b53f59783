"""The registry: every exercise's contract is read from its folder's exercise.json, and
positions (where the start is, which returned part is the path) are found by name."""

from __future__ import annotations

import pytest
from gdgrade.exercises import catalog

from gdgrade.contract import BY_NAME, EXERCISE_IDS, from_json, parameters


def test_exercises_are_listed_in_the_order_of_their_numbers():
    numbers = [BY_NAME[e].number for e in EXERCISE_IDS]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert all(catalog.exercise_dir(e).name == BY_NAME[e].folder for e in EXERCISE_IDS)


@pytest.mark.parametrize(
    ("exercise", "start", "path"),
    [
        ("gradient_descent", 2, 2),  # (f, fp, x0, ...) -> (x_opt, f_opt, paths)
        ("momentum_descent", 1, None),  # (fp, x0, ...) -> the path itself
        ("sgd", 2, 1),  # (X, y, w0, ...) -> (w, path)
        ("gradient_step", None, None),
    ],
)
def test_positions_are_found_by_name(exercise, start, path):
    assert BY_NAME[exercise].start_index == start
    assert BY_NAME[exercise].path_index == path


def test_parameters_are_read_from_the_signature_line():
    assert parameters("def f(X, y, w0, learning_rate=0.1, rng=None)") == (
        "X",
        "y",
        "w0",
        "learning_rate",
        "rng",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": "x_start"}, "start 'x_start' is not a parameter"),
        ({"path": "trajectory"}, "path 'trajectory' is not returned"),
        ({"picture": "3d"}, "unknown picture '3d'"),
        ({"signature": "def descend(f, fp, x0, learning_rate, max_iter)"}, "names another"),
    ],
)
def test_a_declaration_that_contradicts_itself_is_refused(change, message):
    data = dict(catalog.metadata("gradient_descent"))
    data.update(change)
    with pytest.raises(ValueError, match=message):
        from_json(data)
