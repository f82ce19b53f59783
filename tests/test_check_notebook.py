"""`from gdgrade import check` in a notebook: the current definitions, checked in the sandbox.

The notebook is an in-process IPython shell (as in Jupyter, every cell's source is kept),
so these tests run the exact path a student's `check("...")` takes.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from gdgrade.i18n import text
from gdgrade.kernel_source import _Unavailable, extract, global_names, literal

GOOD_DESCENT = """
def gradient_descent(f, fp, x0, learning_rate, max_iter):
    calls.append("kernel")
    x = float(x0)
    path = []
    for _ in range(max_iter):
        x = _update(x, fp(x), learning_rate)
        path.append(x)
    return x, f(x), np.array(path)
"""
DESCENT_WITH_START = """
def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = float(x0)
    path = [x]
    for _ in range(max_iter):
        x = x - learning_rate * fp(x)
        path.append(x)
    return x, f(x), np.array(path)
"""
SETUP = """
import numpy as np
calls = []

def _update(x, g, lr):
    return x - lr * g
"""


@pytest.fixture
def notebook(monkeypatch):
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    # The shell makes its namespace __main__, as in a notebook; put the real one back after
    # the test: a later test in this process (multiprocessing's spawn) reads __main__.
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])
    shell = InteractiveShell.instance()
    shell.reset(new_session=True)
    monkeypatch.setitem(sys.modules, "__main__", shell.user_module)

    def run(*cells: str):
        for cell in cells:
            result = shell.run_cell(cell)
            assert result.success, result.error_in_exec or result.error_before_exec
        return shell.user_ns

    return run


def check_in(notebook, call: str, *cells: str):
    namespace = notebook(*cells, f"from gdgrade import check\n_result = {call}")
    return namespace["_result"], namespace


def verdicts(result) -> dict[str, str]:
    return {c.id: c.verdict for c in result.report.checks}


def test_current_definition_with_its_helper_import_and_list_passes(notebook):
    result, _ = check_in(notebook, 'check("gradient_descent")', SETUP, GOOD_DESCENT)
    assert result.ok
    assert verdicts(result) == {"gradient_descent": "passed"}


def test_the_students_function_is_never_called_in_the_kernel(notebook):
    result, namespace = check_in(notebook, 'check("gradient_descent")', SETUP, GOOD_DESCENT)
    (checked,) = result.report.checks
    assert checked.result.cases and all(c.status == "passed" for c in checked.result.cases)
    assert namespace["calls"] == []  # it ran (the cases passed), but elsewhere


def test_the_last_definition_run_is_the_one_checked(notebook):
    fixed, _ = check_in(
        notebook, 'check("gradient_descent")', SETUP, DESCENT_WITH_START, GOOD_DESCENT
    )
    assert fixed.ok
    broken, _ = check_in(
        notebook, 'check("gradient_descent")', SETUP, GOOD_DESCENT, DESCENT_WITH_START
    )
    assert not broken.ok
    (checked,) = broken.report.checks
    assert "path_includes_start" in [d.id for d in checked.mistakes]
    assert text("ko", "mistakes", "path_includes_start", "hint") in str(broken)


def test_lambda_bound_to_the_name_is_checked(notebook):
    cell = "gradient_step = lambda x, grad, learning_rate: x - learning_rate * grad"
    result, _ = check_in(notebook, 'check("gradient_step")', cell)
    assert verdicts(result) == {"gradient_step": "passed"}


def test_function_made_by_exec_is_named_as_not_checkable(notebook):
    cell = (
        'exec("def gradient_step(x, grad, learning_rate):\\n    return x - learning_rate * grad")'
    )
    result, _ = check_in(notebook, 'check("gradient_step", lang="en")', cell)
    assert verdicts(result) == {"gradient_step": "missing"}
    reason = text("en", "check", "nb_reason", "no_source")
    assert reason in str(result)


def test_global_value_that_cannot_be_copied_is_named(notebook):
    cells = (
        "class Settings:\n    rate = 1.0",
        "settings = Settings()",
        "def gradient_step(x, grad, learning_rate):\n"
        "    return x - settings.rate * learning_rate * grad",
    )
    result, _ = check_in(notebook, 'check("gradient_step")', *cells)
    assert "settings (Settings)" in str(result)
    assert verdicts(result) == {"gradient_step": "failed"}  # NameError in the sandbox


def test_constants_and_arrays_are_carried_with_their_values(notebook):
    cells = (
        "import numpy as np\nSCALE = np.array([1.0, 1.0])\nEPS = 0.0",
        "def numerical_gradient(f, x, h=1e-5):\n"
        "    x = np.array(x, dtype=float)\n"
        "    g = np.zeros_like(x)\n"
        "    for j in range(x.size):\n"
        "        e = np.zeros_like(x); e[j] = h\n"
        "        g[j] = (f(x + e) - f(x - e)) / (2 * h) * SCALE[0] + EPS\n"
        "    return g",
    )
    result, _ = check_in(notebook, 'check("numerical_gradient")', *cells)
    assert verdicts(result) == {"numerical_gradient": "passed"}


def test_check_of_everything_lists_the_functions_not_written(notebook):
    result, _ = check_in(notebook, "check()", SETUP, GOOD_DESCENT)
    v = verdicts(result)
    assert v.pop("gradient_descent") == "passed"
    assert set(v.values()) == {"missing"} and len(v) == 8
    assert result.ok  # what was checked passes


def test_result_shows_itself_as_html_and_as_text(notebook):
    result, _ = check_in(notebook, 'check("gradient_descent")', SETUP, DESCENT_WITH_START)
    html = result._repr_html_()
    assert html.lstrip().startswith("<div") and "<table" in html
    assert text("ko", "mistakes", "path_includes_start", "title") in html
    assert text("ko", "check", "hidden_note") in html
    assert str(result).startswith(text("ko", "check", "heading"))


def test_unknown_exercise_is_refused(notebook):
    from gdgrade import check

    with pytest.raises(ValueError, match="gradient_decent"):
        check("gradient_decent")


# --- the source extraction on its own --------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        -0.0,
        math.inf,
        -math.inf,
        7,
        True,
        None,
        "텍스트",
        (1, 2.5, "a"),
        [1, [2, (3,)]],
        {"a": 1, 2: [0.1]},
        {1, 2},
        complex(1, -2),
        np.float64(0.1),
        np.int32(3),
    ],
)
def test_literal_rebuilds_plain_values_exactly(value):
    rebuilt = eval(literal(value))
    assert type(rebuilt) is type(value)
    assert rebuilt == value


def test_literal_rebuilds_arrays_and_nan():
    array = np.array([[1.0, np.nan], [np.inf, 1e-300]])
    rebuilt = eval(literal(array))
    assert rebuilt.dtype == array.dtype and rebuilt.shape == array.shape
    np.testing.assert_array_equal(rebuilt, array)
    assert math.isnan(eval(literal(math.nan)))


def test_literal_refuses_objects_without_calling_them():
    seen = []

    class Sneaky:
        def __repr__(self):
            seen.append("repr")
            return "0"

        def __eq__(self, other):
            seen.append("eq")
            return True

        __hash__ = object.__hash__

    for value in (Sneaky(), [Sneaky()], {"k": Sneaky()}, np.array(["a"])):
        with pytest.raises(_Unavailable):
            literal(value)
    assert seen == []


def _decorate(fn):
    return fn


DEFAULT_H = 1e-4


@_decorate
def _uses_header_names(x, h=DEFAULT_H) -> Path:
    return np.sqrt(x) + h


def test_global_names_include_decorator_default_and_annotation():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(_uses_header_names))
    names = global_names(_uses_header_names, tree)
    assert {"_decorate", "DEFAULT_H", "Path", "np"} <= set(names)


def test_extract_writes_imports_for_library_objects_and_source_for_own_helpers():
    extracted = extract(globals(), ["_uses_header_names"])
    assert extracted.defined == ("_uses_header_names",)
    assert "import numpy as np" in extracted.source
    assert "from pathlib import Path" in extracted.source
    assert "def _decorate(fn):" in extracted.source
    assert "DEFAULT_H = 0.0001" in extracted.source
    namespace: dict = {}
    exec(compile(extracted.source, "<extracted>", "exec"), namespace)
    assert namespace["_uses_header_names"](4.0) == 2.0 + DEFAULT_H
