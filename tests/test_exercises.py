"""What students receive (`exercises/`): metadata, statements, starters, public cases, notebook.

The generated files must be what `exercises/build.py` and `reference/` produce now; the
public cases must be able to tell every known mistake from a correct answer, and must
accept every correct answer, however it is written.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import io
import json
import re
from typing import Any

import nbformat
import numpy as np
import pytest
from gdgrade.exercises import build, catalog

import reference
from gdgrade.contract import BY_NAME, EXERCISE_IDS
from gdgrade.function_specs import FunctionSpec
from gdgrade.json_values import decode

# The course's defaults (the brief of the exercise set): points and graded tolerances.
POINTS = {
    "numerical_derivative": 10,
    "numerical_gradient": 10,
    "gradient_step": 5,
    "gradient_descent": 15,
    "linear_regression_gd": 10,
    "momentum_descent": 10,
    "batch_gradient_descent": 10,
    "sgd": 15,
    "minibatch_gd": 15,
}
FINITE_DIFFERENCE = {"kind": "finite_difference", "safety": 2.0}
PATHS = {"kind": "close", "rtol": 1e-6, "atol": 1e-9}
TOLERANCES = {
    "numerical_derivative": FINITE_DIFFERENCE,
    "numerical_gradient": FINITE_DIFFERENCE,
    "gradient_step": {"kind": "close", "rtol": 1e-9, "atol": 1e-12},
    **{e: PATHS for e in EXERCISE_IDS[3:]},
}
RNG_FALLBACK = {"credit": 0.5, "loss_rtol": 0.05, "seeds": 3}
EPS = 2.2e-16
FD_MISTAKE_GAP = 1e-6  # relative distance a finite-difference mistake must keep from every scheme
DIFFERENCE_EXERCISES = ("numerical_derivative", "numerical_gradient")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


# --- helpers -------------------------------------------------------------------------


def stored_cases(exercise: str) -> list[dict[str, Any]]:
    return json.loads(catalog.cases_path(exercise).read_text(encoding="utf-8"))["cases"]


def call(fn: Any, encoded_args: Any) -> Any:
    with np.errstate(all="ignore"):
        return fn(*build.materialise(decode(encoded_args)))


def parts(value: Any) -> list[np.ndarray]:
    values = value if isinstance(value, tuple) else (value,)
    return [np.asarray(v, dtype=float) for v in values]


def differs(got: Any, want: Any, rtol: float, atol: float) -> bool:
    """True when `got` would fail a comparison with `want` at this tolerance: another
    arity or shape, inf/nan elsewhere, or an entry beyond atol + rtol * |want|."""
    got_parts, want_parts = parts(got), parts(want)
    if len(got_parts) != len(want_parts):
        return True
    for g, w in zip(got_parts, want_parts, strict=True):
        if g.shape != w.shape or np.any(np.isfinite(g) != np.isfinite(w)):
            return True
        finite = np.isfinite(w)
        if np.any(np.abs(g[finite] - w[finite]) > atol + rtol * np.abs(w[finite])):
            return True
    return False


def relative_gap(a: Any, b: Any) -> float:
    a, b = np.ravel(np.asarray(a, dtype=float)), np.ravel(np.asarray(b, dtype=float))
    if a.shape != b.shape:
        return np.inf
    return float(np.max(np.abs(a - b) / (np.abs(b) + 1e-300)))


def spellings(number: float) -> set[str]:
    """How a statement may write a number of exercise.json: 1e-06, 1e-6, 2.0, 0.05."""
    text = repr(number)
    return {text, re.sub(r"e-0(\d)", r"e-\1", text), f"{number:g}"}


def finite_difference_band(f: FunctionSpec, x: Any, h: float, safety: float) -> tuple:
    """(exact derivative, accepted distance) by the statement's formula, per coordinate,
    with sympy's derivatives (not the grader's own differentiator) as the oracle.

    M2 is sampled on 2001 points, which can only underestimate the true maximum, so an
    answer inside this band is inside the graded one too."""
    import sympy

    symbols = [sympy.Symbol(name) for name in f.variables()]
    expr = sympy.sympify(f.exprs[0], locals=dict(zip(f.variables(), symbols, strict=True)))
    point = np.ravel(np.asarray(x, dtype=float))
    at_x = dict(zip(symbols, point, strict=True))
    exact = np.array([float(sympy.diff(expr, s).subs(at_x)) for s in symbols])
    bands = []
    for j, symbol in enumerate(symbols):
        second = sympy.lambdify(symbols, sympy.diff(expr, symbol, 2), "numpy")
        e = np.eye(len(point))[j]
        line = point + np.linspace(-h, h, 2001)[:, None] * e
        m2 = float(np.max(np.abs(np.broadcast_to(second(*line.T), (len(line),)))))
        probes = [point + s * e for s in (-h, 0.0, h)]
        m0 = max(abs(float(f(p[0] if f.n == 0 else p))) for p in probes)
        bands.append(safety * (h / 2 * m2 + 2 * EPS * m0 / h) + 1e-9 * (1 + abs(exact[j])))
    if f.n == 0:
        return float(exact[0]), bands[0]
    return exact, np.array(bands)


def statement(exercise: str, lang: str) -> str:
    return catalog.statement_path(exercise, lang).read_text(encoding="utf-8")


# --- generated files are current -----------------------------------------------------


# Public case files hold full-precision floats, so they are compared with a fresh build
# within build.CASE_RTOL (1e-9) and build.CASE_ATOL (1e-12), not as text. Loose enough:
# another BLAS kernel or numpy version moves the last bits (measured up to 7e-14 relative;
# at most 6e-11 for the finite-difference cases, f's rounding divided by h). Tight enough:
# a real change to a case or to the reference moves some value by 1e-4 or more (the tests
# below change both and must see a stale file), and the paths' graded rtol is 1e-6.


def floats_scaled(data: Any, factor: float) -> Any:
    """Parsed JSON with every float multiplied by `factor`."""
    if isinstance(data, float):
        return data * factor
    if isinstance(data, dict):
        return {k: floats_scaled(v, factor) for k, v in data.items()}
    if isinstance(data, list):
        return [floats_scaled(v, factor) for v in data]
    return data


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_public_cases_are_what_reference_computes_now(exercise):
    stored = json.loads(catalog.cases_path(exercise).read_text(encoding="utf-8"))
    where = build.difference(stored, json.loads(build.case_file_text(exercise)))
    assert where is None, f"stale ({where}): run python exercises/build.py"


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_stored_public_expectations_are_what_reference_computes_now(exercise):
    stored = json.loads(catalog.expectations_path(exercise).read_text(encoding="utf-8"))
    where = build.difference(stored, json.loads(build.expectations_file_text(exercise)))
    assert where is None, f"stale ({where}): run python exercises/build.py"


@pytest.mark.parametrize("exercise", ["gradient_descent", "sgd"])
def test_a_changed_mistake_variant_makes_the_stored_expectations_stale(exercise, monkeypatch):
    path = catalog.expectations_path(exercise)
    assert build.stale({path: build.expectations_file_text(exercise)}) == []
    from reference import registry

    (first, *_) = reference.variants_for(exercise, "mistake")
    fixed = dataclasses.replace(first, fn=reference.REFERENCE[exercise])  # the mistake "fixed"
    monkeypatch.setattr(
        registry, "VARIANTS", [fixed if v is first else v for v in registry.VARIANTS]
    )
    with np.errstate(all="ignore"):
        changed = build.expectations_file_text(exercise)
    assert build.stale({path: changed}) == [path]


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_last_bit_differences_of_another_blas_or_numpy_are_not_stale(exercise):
    now = json.loads(build.case_file_text(exercise))
    assert build.difference(floats_scaled(now, 1 + 6e-11), now) is None
    assert build.difference(floats_scaled(now, 1 - 6e-11), now) is None


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_a_changed_reference_makes_the_stored_case_file_stale(exercise, monkeypatch):
    path = catalog.cases_path(exercise)
    assert build.stale({path: build.case_file_text(exercise)}) == []
    for variant in reference.variants_for(exercise, "mistake"):
        monkeypatch.setitem(reference.REFERENCE, exercise, variant.fn)
        with np.errstate(all="ignore"):
            changed = build.case_file_text(exercise)
        assert build.stale({path: changed}) == [path], variant.mistake_id


def nudged(case: Any) -> Any:
    """The case with its first float input (a start, a step, a learning rate, data) moved
    by one part in a million: less than any edit of a typed input."""
    args = list(case.args)
    for i, arg in enumerate(args):
        if isinstance(arg, float) or (isinstance(arg, np.ndarray) and arg.dtype.kind == "f"):
            args[i] = arg * (1 + 1e-6) + 1e-6
            return dataclasses.replace(case, args=tuple(args))
    raise AssertionError(f"{case.id} has no float input")


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_a_changed_case_input_makes_the_stored_case_file_stale(exercise, monkeypatch):
    path = catalog.cases_path(exercise)
    original = build.CASE_INPUTS[exercise]

    def one_changed() -> list:
        cases = list(original())
        cases[-1] = nudged(cases[-1])
        return cases

    monkeypatch.setitem(build.CASE_INPUTS, exercise, one_changed)
    with np.errstate(all="ignore"):
        assert build.stale({path: build.case_file_text(exercise)}) == [path]


@pytest.mark.parametrize("lang", catalog.LANGUAGES)
@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_statement_examples_are_what_reference_computes_now(exercise, lang):
    assert statement(exercise, lang) == build.statement_text(exercise, lang), (
        "stale example: run python exercises/build.py"
    )


def test_notebook_is_generated_from_the_current_sources():
    stored = catalog.NOTEBOOK_PATH.read_text(encoding="utf-8")
    assert stored == build.notebook_text(), "stale: run python exercises/build.py"


def test_build_check_finds_nothing_stale(capsys):
    assert build.main(["--check"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_public_case_file_is_small_and_well_formed(exercise):
    path = catalog.cases_path(exercise)
    assert path.stat().st_size < 60_000
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["exercise"] == exercise
    ids = [c["id"] for c in data["cases"]]
    assert len(ids) == len(set(ids)) and len(ids) >= 5
    for case in data["cases"]:
        assert set(case) == {"id", "title", "args", "expected", "tags", "weight"}
        assert case["title"]["ko"] and case["title"]["en"] and case["weight"] == 1.0
        args = decode(case["args"])
        assert isinstance(args, tuple) and len(args) == len(BY_NAME[exercise].params)


# --- exercise.json -------------------------------------------------------------------


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_exercise_json_has_the_contract_id_points_and_tolerance(exercise):
    meta = catalog.metadata(exercise)
    signature = BY_NAME[exercise]
    required = {"id", "number", "title", "points", "tolerance", "slide", "signature", "returns"}
    optional = {"path", "start", "picture", "rng_fallback"}
    if exercise in ("sgd", "minibatch_gd"):
        required.add("rng_fallback")
        assert meta["rng_fallback"] == RNG_FALLBACK
    assert required <= set(meta) <= required | optional
    assert meta["id"] == exercise and meta["number"] == signature.number
    assert catalog.exercise_dir(exercise).name == signature.folder
    assert meta["points"] == POINTS.get(exercise, meta["points"])  # the course's published points
    assert meta["tolerance"] == TOLERANCES.get(exercise, meta["tolerance"])
    assert set(meta["title"]) == set(meta["slide"]) == {"ko", "en"}
    assert HANGUL.search(meta["title"]["ko"]) and meta["slide"]["ko"].startswith("❖ ")


def test_every_exercise_is_worth_some_points():
    assert all(catalog.metadata(e)["points"] > 0 for e in EXERCISE_IDS)


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_exercise_json_signature_is_the_contract_signature(exercise):
    text = catalog.metadata(exercise)["signature"]
    (fn,) = ast.parse(text + ": pass").body
    assert fn.name == exercise
    assert tuple(a.arg for a in fn.args.args) == BY_NAME[exercise].params
    defaults = [ast.literal_eval(d) for d in fn.args.defaults]
    assert defaults == ([1e-5] if exercise in DIFFERENCE_EXERCISES else [])


# --- statements ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", catalog.LANGUAGES)
@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_statement_quotes_the_signature_and_every_tolerance_number(exercise, lang):
    text = statement(exercise, lang)
    meta = catalog.metadata(exercise)
    assert meta["signature"] + ":" in text
    numbers = [v for k, v in meta["tolerance"].items() if k != "kind"]
    numbers += list(meta.get("rng_fallback", {}).values())
    for number in numbers:
        assert any(s in text for s in spellings(number)), f"{number} not in {lang} statement"
    if meta["tolerance"]["kind"] == "finite_difference":
        assert "2.2e-16" in text and "1e-9" in text  # the formula's epsilon and floor


@pytest.mark.parametrize("lang", catalog.LANGUAGES)
@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_statement_points_to_its_lecture_slide_near_the_top(exercise, lang):
    slide_title = catalog.metadata(exercise)["slide"]["ko"].split(" › ")[0]
    head = "\n".join(statement(exercise, lang).split("\n")[:5])
    assert slide_title in head


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_korean_statement_is_in_korean_and_english_one_in_english(exercise):
    ko, en = statement(exercise, "ko"), statement(exercise, "en")
    assert len(HANGUL.findall(ko)) > 400
    assert len(HANGUL.findall(en)) < len(HANGUL.findall(ko)) / 5


# --- starter files -------------------------------------------------------------------


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_starter_defines_only_its_function_with_the_contract_signature(exercise):
    source = catalog.starter_path(exercise).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert len(imports) + len(functions) == len(tree.body)
    assert all(isinstance(n, ast.Import) for n in imports)
    assert {alias.name for n in imports for alias in n.names} == {"numpy"}
    (fn,) = functions
    (contract,) = ast.parse(catalog.metadata(exercise)["signature"] + ": pass").body
    assert fn.name == contract.name and ast.dump(fn.args) == ast.dump(contract.args)
    docstring = ast.get_docstring(fn)
    first_line, last_paragraph = docstring.split("\n")[0], docstring.split("\n\n")[-1]
    assert HANGUL.search(first_line) and not HANGUL.search(last_paragraph)  # Korean, then English
    assert "# TODO" in source


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_starter_raises_not_implemented_on_a_public_case(exercise):
    scope: dict[str, Any] = {}
    exec(compile(catalog.starter_path(exercise).read_text("utf-8"), "starter.py", "exec"), scope)
    with pytest.raises(NotImplementedError):
        call(scope[exercise], stored_cases(exercise)[0]["args"])


# --- notebook ------------------------------------------------------------------------


def notebook() -> nbformat.NotebookNode:
    nb = nbformat.read(str(catalog.NOTEBOOK_PATH), as_version=4)
    nbformat.validate(nb)
    return nb


def test_notebook_validates_and_every_code_cell_compiles():
    code = [c for c in notebook().cells if c.cell_type == "code"]
    for cell in code:
        compile(cell.source, cell.id, "exec")
    first = ast.parse(code[0].source)
    assert any(isinstance(n, ast.Import) and n.names[0].name == "numpy" for n in first.body)


def test_notebook_has_each_exercise_in_order_statement_starter_try_then_check_cell():
    cells = notebook().cells
    expected = ["title", "imports"]
    for exercise in EXERCISE_IDS:
        tag = f"ex{BY_NAME[exercise].number}"
        parts = ("statement-ko", "statement-en", "starter", "try", "check")
        expected += [f"{tag}-{part}" for part in parts]
    assert [c.id for c in cells] == expected
    by_id = {c.id: c for c in cells}
    for exercise in EXERCISE_IDS:
        check_cell = by_id[f"ex{BY_NAME[exercise].number}-check"].source
        assert check_cell.splitlines()[-1] == f'check("{exercise}")'
    for exercise in EXERCISE_IDS:
        tag = f"ex{BY_NAME[exercise].number}"
        for lang in catalog.LANGUAGES:
            first_paragraph = statement(exercise, lang).split("\n\n")[2]
            assert first_paragraph in by_id[f"{tag}-statement-{lang}"].source
        starter = ast.parse(by_id[f"{tag}-starter"].source).body
        assert [n.name for n in starter if isinstance(n, ast.FunctionDef)] == [exercise]
        assert f"{exercise}(" in by_id[f"{tag}-try"].source


def test_notebook_try_cells_run_with_the_reference_functions():
    scope: dict[str, Any] = {}
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        for cell in notebook().cells:
            if cell.cell_type != "code":
                continue
            tree = ast.parse(cell.source)
            starter = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
            if starter and starter[0] in EXERCISE_IDS:
                scope[starter[0]] = reference.REFERENCE[starter[0]]  # as a student would fill it
                continue
            exec(compile(cell.source, cell.id, "exec"), scope)
    assert "3.267035" in output.getvalue()  # the lecture's local minimum, printed by a try cell


# --- public cases: diagnose every mistake, accept every correct answer ---------------


def fd_distinguishable(variant, cases) -> bool:
    """Some case where the variant is far from the reference and from every accepted scheme."""
    schemes = [reference.REFERENCE[variant.exercise]]
    schemes += [v.fn for v in reference.variants_for(variant.exercise, "info")]
    for case in cases:
        got = call(variant.fn, case["args"])
        if all(relative_gap(got, call(s, case["args"])) > FD_MISTAKE_GAP for s in schemes):
            return True
    return False


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_every_known_mistake_gives_a_wrong_answer_on_some_public_case(exercise):
    cases = stored_cases(exercise)
    tolerance = catalog.metadata(exercise)["tolerance"]
    hidden_from_public = []
    for variant in reference.variants_for(exercise, "mistake"):
        if tolerance["kind"] == "finite_difference":
            found = fd_distinguishable(variant, cases)
        else:
            rtol, atol = tolerance["rtol"], tolerance["atol"]
            found = any(
                differs(call(variant.fn, c["args"]), decode(c["expected"]), rtol, atol)
                for c in cases
            )
        if not found:
            hidden_from_public.append(f"{variant.mistake_id} ({variant.label})")
    assert not hidden_from_public, f"no public case reveals: {hidden_from_public}"


@pytest.mark.parametrize("exercise", DIFFERENCE_EXERCISES)
def test_forward_backward_and_central_differences_pass_every_public_case(exercise):
    safety = catalog.metadata(exercise)["tolerance"]["safety"]
    schemes = [reference.REFERENCE[exercise]]
    schemes += [v.fn for v in reference.variants_for(exercise, "info")]
    for case in stored_cases(exercise):
        f, x, h = decode(case["args"])
        exact, band = finite_difference_band(f, x, h, safety)
        for scheme in schemes:
            error = np.abs(np.asarray(call(scheme, case["args"]), dtype=float) - exact)
            assert np.all(error <= band), (case["id"], scheme.__name__, error, band)


def test_one_sided_differences_differ_from_central_on_the_large_steps():
    for exercise in DIFFERENCE_EXERCISES:
        probes = [c for c in stored_cases(exercise) if "probe" in c["tags"]]
        assert len(probes) >= 3 and len({json.dumps(c["args"]["tuple"][:2]) for c in probes}) == 1
        for variant in reference.variants_for(exercise, "info"):
            if variant.mistake_id == "central_difference":  # the reference's own scheme
                continue
            gaps = [
                relative_gap(call(variant.fn, c["args"]), decode(c["expected"])) for c in probes
            ]
            assert min(gaps) > FD_MISTAKE_GAP, variant.mistake_id


# Correct solutions written differently from the reference (loops, another summation
# order, rng.shuffle instead of permutation): each must pass every public case.


def lecture_gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = []
    for _ in range(max_iter):
        x1 = x0 - learning_rate * fp(x0)
        x0 = x1
        paths.append(x0)
    return x0, f(x0), np.array(paths)


def step_other_order(x, grad, learning_rate):
    return np.subtract(x, np.multiply(grad, learning_rate))


def regression_python_sums(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for _ in range(n_iter):
        errors = [w0 + w1 * xi - yi for xi, yi in zip(x, y, strict=True)]
        temp0 = w0 - learning_rate * sum(errors) / m
        temp1 = w1 - learning_rate * sum(e * xi for e, xi in zip(errors, x, strict=True)) / m
        w0, w1 = temp0, temp1
    return w0, w1


def momentum_other_order(fp, x0, learning_rate, momentum, n_iter):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    path = []
    for _ in range(n_iter):
        v = -learning_rate * fp(x) + momentum * v
        x = x + v
        path.append(x.copy())
    return np.array(path)


def batch_sample_loop(X, y, w0, learning_rate, n_epochs):
    w, path = w0.copy(), []
    for _ in range(n_epochs):
        total = np.zeros_like(w)
        for i in range(len(y)):
            total += X[i] * (X[i] @ w - y[i])
        w = w - learning_rate * total / len(y)
        path.append(w)
    return w, np.array(path)


def minibatch_shuffled_indices(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    w, path = w0.copy(), []
    for _ in range(n_epochs):
        order = np.arange(len(y))
        rng.shuffle(order)
        for start in range(0, len(y), batch_size):
            batch = order[start : start + batch_size]
            residual = X[batch] @ w - y[batch]
            w = w - learning_rate * np.mean(X[batch] * residual[:, None], axis=0)
        path.append(w)
    return w, np.array(path)


def sgd_shuffled_indices(X, y, w0, learning_rate, n_epochs, rng):
    return minibatch_shuffled_indices(X, y, w0, learning_rate, n_epochs, 1, rng)


ALTERNATIVES = {
    "gradient_step": step_other_order,
    "gradient_descent": lecture_gradient_descent,
    "linear_regression_gd": regression_python_sums,
    "momentum_descent": momentum_other_order,
    "batch_gradient_descent": batch_sample_loop,
    "sgd": sgd_shuffled_indices,
    "minibatch_gd": minibatch_shuffled_indices,
}


@pytest.mark.parametrize("exercise", list(ALTERNATIVES))
def test_a_correct_solution_written_differently_passes_every_public_case(exercise):
    tolerance = catalog.metadata(exercise)["tolerance"]
    for case in stored_cases(exercise):
        got = call(ALTERNATIVES[exercise], case["args"])
        assert not differs(got, decode(case["expected"]), tolerance["rtol"], tolerance["atol"]), (
            case["id"]
        )


# --- public cases cover what the course promises to check ----------------------------


def decoded(exercise: str) -> list[tuple]:
    return [decode(c["args"]) for c in stored_cases(exercise)]


def test_gradient_descent_cases_include_the_lecture_runs_and_the_edges():
    runs = decoded("gradient_descent")
    lecture = "0.5*x**4 - 4*x**3 + 10*x**2 - 7*x + 2"
    for x0, lr in ((4, 0.1), (4, 0.2), (5, 0.1)):
        assert any(
            a[0].exprs == (lecture,) and a[2:] == (x0, lr, 200) and type(a[2]) is int for a in runs
        )
    assert {a[4] for a in runs} >= {0, 1}
    diverging = [c for c in stored_cases("gradient_descent") if "diverging" in c["tags"]]
    assert any(
        not np.all(np.isfinite(np.concatenate([np.ravel(p) for p in parts(decode(c["expected"]))])))
        for c in diverging
    )


def test_derivative_cases_include_large_steps_negative_and_large_points():
    args = decoded("numerical_derivative")
    assert {0.1, 0.5} <= {h for _, _, h in args}
    assert any(x < 0 for _, x, _ in args) and any(abs(x) >= 100 for _, x, _ in args)
    gradient_points = [x for _, x, _ in decoded("numerical_gradient")]
    assert any(x.size == 1 for x in gradient_points) and any(x.size == 3 for x in gradient_points)


def test_momentum_cases_include_a_vector_problem():
    assert any(np.ndim(a[1]) == 1 and np.size(a[1]) >= 2 for a in decoded("momentum_descent"))


@pytest.mark.parametrize("exercise", ["batch_gradient_descent", "sgd", "minibatch_gd"])
def test_least_squares_cases_include_one_sample_and_one_and_three_features(exercise):
    shapes = {a[0].shape for a in decoded(exercise)}
    assert any(m == 1 for m, _ in shapes)
    assert {1, 3} <= {d for _, d in shapes}
    assert any(m >= 3 for m, _ in shapes)


def test_minibatch_cases_include_every_batch_split():
    splits = [(a[0].shape[0], a[5]) for a in decoded("minibatch_gd")]
    assert any(m % b != 0 and b < m for m, b in splits)  # a smaller last batch
    assert any(b > m for m, b in splits)
    assert any(b == 1 for _, b in splits)


def test_korean_texts_say_sarye_for_a_test_case_as_the_reports_do():
    # One word for a test case: the reports and the command line say 사례, so a student
    # who reads "공개 케이스" in a statement must not wonder whether it is something else.
    from pathlib import Path

    import gdgrade

    root = Path(catalog.__file__).parent
    texts = {p: p.read_text("utf-8") for p in root.glob("*/statement.ko.md")}
    texts[root / "starter.ipynb"] = (root / "starter.ipynb").read_text("utf-8")
    locale = Path(gdgrade.__file__).parent / "locale"
    texts[locale / "ko.json"] = (locale / "ko.json").read_text("utf-8")
    assert len(texts) == len(EXERCISE_IDS) + 2
    assert not [str(p) for p, text in texts.items() if "케이스" in text]
    assert "공개 사례" in texts[root / "starter.ipynb"]
