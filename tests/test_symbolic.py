"""gdgrade/symbolic.py: the test functions' derivatives, checked against sympy as the oracle.

sympy differentiates independently of the module under test; both derivatives are
evaluated at many points and must agree to rounding. The functions are those the grader
really uses (drawn from grader/hidden_cases.py's generators, and every public case's), and
random expressions over the whole grammar (hypothesis).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import sympy
from gdgrade.exercises.case_inputs import CASE_INPUTS
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sympy.printing.numpy import NumPyPrinter

from gdgrade.function_specs import FunctionSpec, build
from gdgrade.symbolic import ExpressionError, derivative, parse, to_numpy, to_text
from grader import hidden_cases

FUNCTIONS = {"exp": np.exp, "sin": np.sin, "cos": np.cos, "log": np.log, "sqrt": np.sqrt}


def names(n: int) -> list[str]:
    return ["x"] if n == 0 else [f"x{j}" for j in range(n)]


def sympy_derivative(text: str, n: int, variable: str, order: int = 1) -> str | None:
    """sympy's derivative, as numpy source. The symbols are not declared real, or sympy
    would read (x**2)**0.5 as |x|, whose second derivative numpy cannot evaluate."""
    symbols = {name: sympy.Symbol(name) for name in names(n)}
    expr = sympy.sympify(text, locals=symbols)
    result = sympy.diff(expr, symbols[variable], order)
    if result.has(sympy.zoo, sympy.oo, sympy.nan):
        return None  # x/log(1): nothing to compare (numpy gives inf or nan, as it should)
    return NumPyPrinter({"fully_qualified_modules": True}).doprint(result)


def at(source: str, n: int, points: np.ndarray) -> np.ndarray:
    """`source` (numpy source) at each point: one value per row."""
    f = build(source, n, "scalar")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = [f(p) for p in points]
    return np.asarray(values, dtype=float)


def points_for(n: int, rng: np.random.Generator, count: int = 25) -> np.ndarray:
    return rng.uniform(-3, 3, size=count) if n == 0 else rng.uniform(-2, 2, size=(count, n))


def assert_same_function(ours: str, oracle: str | None, n: int, points: np.ndarray) -> None:
    """Equal to rounding at every point where the oracle is finite.

    `points` are where the function as written is finite: sympy simplifies as it reads
    (log(x**0.5) becomes log(x)/2), so its derivative may exist where the written function,
    which numpy evaluates, is not defined."""
    if oracle is None:
        return
    a, b = at(ours, n, points), at(oracle, n, points)
    finite = np.isfinite(b)
    assert np.all(np.isfinite(a[finite])), (ours, oracle)
    scale = 1 + np.abs(b[finite])
    assert np.all(np.abs(a[finite] - b[finite]) <= 1e-9 * scale), (ours, oracle)


def check_against_sympy(text: str, n: int, rng: np.random.Generator) -> None:
    expr = parse(text, names(n))
    points = points_for(n, rng)
    points = points[np.isfinite(at(to_numpy(expr), n, points))]
    for v in names(n):
        first = derivative(expr, v)
        assert_same_function(to_numpy(first), sympy_derivative(text, n, v), n, points)
        second = derivative(first, v)
        assert_same_function(to_numpy(second), sympy_derivative(text, n, v, 2), n, points)


# --- the functions the grader uses ---------------------------------------------------


def generated_functions(seed: int) -> list[tuple[str, int]]:
    """What the hidden-case generators draw, as (text, n)."""
    rng = np.random.default_rng(seed)
    out = [(hidden_cases.smooth_scalar(rng), 0), (hidden_cases.convex_scalar(rng)[0], 0)]
    for n in (1, 2, 3, 5):
        out.append((hidden_cases.smooth_field(rng, n), n))
        out.append((hidden_cases.bowl(rng, n)[0], n))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_derivatives_of_the_hidden_generators_functions_agree_with_sympy(seed):
    rng = np.random.default_rng(1000 + seed)
    for text, n in generated_functions(seed):
        check_against_sympy(text, n, rng)


def test_every_function_of_every_hidden_case_set_has_sympy_s_derivative():
    rng = np.random.default_rng(7)
    seen = set()
    for exercise in hidden_cases.GENERATORS:
        for seed in (1, 2, 3):
            for case in hidden_cases.hidden_cases(exercise, seed):
                for f in (a for a in case.args if isinstance(a, FunctionSpec)):
                    if f.output == "scalar" and (f.exprs, f.n) not in seen:
                        seen.add((f.exprs, f.n))
                        check_against_sympy(f.exprs[0], f.n, rng)
    assert len(seen) > 50


def public_functions() -> list[FunctionSpec]:
    found = {}
    for inputs in CASE_INPUTS.values():
        for case in inputs():
            for f in (a for a in case.args if isinstance(a, FunctionSpec)):
                found[(f.exprs, f.n)] = f
    return list(found.values())


@pytest.mark.parametrize("f", public_functions(), ids=lambda f: " | ".join(f.exprs))
def test_public_case_functions_agree_with_sympy(f):
    rng = np.random.default_rng(11)
    if f.output == "scalar":
        check_against_sympy(f.exprs[0], f.n, rng)
    for text in f.exprs:  # a gradient's components are in the grammar too
        parse(text, names(f.n))


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("x**0.5", 0),
        ("x**-1", 0),
        ("x**(-2.5) + x**(1/3)", 0),
        ("1/x + 2/(x**2 + 1) - x/(x - 0.5)", 0),
        ("exp(sin(x**2))*log(x**2 + 1)/sqrt(x**2 + 2)", 0),
        ("cos(exp(-x))**3 - sqrt(exp(x))", 0),
        ("-(x - 1)**2 - -x", 0),
        ("log(x)", 0),
        ("sqrt(x)", 0),
        ("x/x + x - x", 0),
        ("x0**2*x1**3/(1 + x0**2) - exp(x0*x1)*sin(x1)", 2),
        ("(x0 - x1)**4 + 0.5*(x0*x1*x2)**2", 3),
    ],
)
def test_edge_cases_agree_with_sympy(text, n):
    check_against_sympy(text, n, np.random.default_rng(3))


# --- random expressions over the whole grammar ---------------------------------------

NUMBERS = st.sampled_from(["0", "1", "2", "3", "0.5", "1.25", "2.5", "10", "1e-3", "0.1"])
EXPONENTS = st.sampled_from(["2", "3", "0.5", "-1", "-2", "1.5", "(-0.5)", "0", "1"])


def expressions(variables: list[str]) -> st.SearchStrategy[str]:
    leaves = st.one_of(NUMBERS, st.sampled_from(variables))

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from([" + ", " - ", "*", "/"]), inner).map(
                lambda t: f"({t[0]}{t[1]}{t[2]})"
            ),
            st.tuples(inner, EXPONENTS).map(lambda t: f"({t[0]})**{t[1]}"),
            inner.map(lambda t: f"-{t}"),
            st.tuples(st.sampled_from(sorted(FUNCTIONS)), inner).map(lambda t: f"{t[0]}({t[1]})"),
        )

    return st.recursive(leaves, extend, max_leaves=8)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def in_grammar(text: str, n: int) -> bool:
    """False for the random texts whose numbers Python cannot evaluate, such as 1/0 or
    (-1)**0.5 (refused; tested below)."""
    try:
        parse(text, names(n))
    except ExpressionError as refused:
        assert "division by zero" in str(refused) or "no real value" in str(refused)
        return False
    return True


# the strategies' own repr is long; hypothesis warns when it builds it for a report
QUIET = pytest.mark.filterwarnings("ignore:Generating overly large repr")


@QUIET
@SETTINGS
@given(text=expressions(["x"]), seed=st.integers(0, 2**16))
def test_random_expressions_differentiate_as_sympy_does(text, seed):
    assume(in_grammar(text, 0))
    check_against_sympy(text, 0, np.random.default_rng(seed))


@QUIET
@SETTINGS
@given(text=expressions(["x0", "x1"]), seed=st.integers(0, 2**16))
def test_random_partial_derivatives_agree_with_sympy(text, seed):
    assume(in_grammar(text, 2))
    check_against_sympy(text, 2, np.random.default_rng(seed))


@QUIET
@SETTINGS
@given(text=expressions(["x"]), x=st.floats(-5, 5))
def test_printing_evaluates_exactly_as_the_text_does(text, x):
    """The numpy source is the text itself, to the last bit: f is evaluated as written."""
    assume(in_grammar(text, 0))
    expr = parse(text, ["x"])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scope = {"x": np.float64(x), **FUNCTIONS}
        try:
            written = eval(text, {"__builtins__": {}}, scope)
        except ZeroDivisionError:
            return
        printed = build(to_numpy(expr), 0, "scalar")(x)
    assert np.array_equal(np.float64(written), np.float64(printed), equal_nan=True)
    assert to_text(parse(to_text(expr), ["x"])) == to_text(expr)  # a fixed point


# --- what a student reads ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("0.5*x**4 - 4*x**3 + 10*x**2 - 7*x + 2", "2.0*x**3 - 12*x**2 + 20*x - 7"),
        ("(x - 3)**2", "2*(x - 3)"),
        ("-0.35*exp(0.29*x) + 2.63*x**1", "-0.1015*exp(0.29*x) + 2.63"),
        ("0.75*log(x**2 + 1)", "1.5*x/(x**2 + 1)"),
        ("-1.14*sqrt(x**2 + 1)", "-1.14*x/sqrt(x**2 + 1)"),
        ("1.53*cos(0.99*x)", "-1.5147*sin(0.99*x)"),
        ("x*sin(x)", "sin(x) + x*cos(x)"),
        ("exp(x)", "exp(x)"),
        ("log(x)", "1/x"),
        ("x/3", "1/3"),
        ("x**0.5", "0.5*x**(-0.5)"),
        ("1/(x + 1)", "-1/(x + 1)**2"),
        ("exp(sin(x**2))", "2*x*cos(x**2)*exp(sin(x**2))"),
    ],
)
def test_derivatives_read_as_one_would_write_them(text, shown):
    assert to_text(derivative(parse(text, ["x"]), "x")) == shown


def test_partial_derivatives_read_as_one_would_write_them():
    f = FunctionSpec(("(1 - x0)**2 + 100*(x1 - x0**2)**2 + 0.4*sin(x0*x1)",), 2)
    assert f.derivative().exprs == (
        "-2*(1 - x0) - 400*x0*(x1 - x0**2) + 0.4*x1*cos(x0*x1)",
        "200*(x1 - x0**2) + 0.4*x0*cos(x0*x1)",
    )
    assert f.second_derivative(1).exprs == ("-0.4*x0**2*sin(x0*x1) + 200",)


CLUTTER = re.compile(r"(?<![\w.])1\*|\*1(?![\w.])|[+-] 0(?![\w.])|(?<![\w.])0\*|--|\+ -|\*1\.0\b")


@pytest.mark.parametrize("seed", range(20))
def test_no_clutter_in_the_derivatives_of_generated_functions(seed):
    for text, n in generated_functions(seed):
        spec = FunctionSpec((text,), n)
        shown = spec.derivative().exprs + tuple(
            spec.second_derivative(j).exprs[0] for j in range(max(n, 1))
        )
        for part in shown:
            assert not CLUTTER.search(part.replace("- -", "")), part


# --- refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n", "says"),
    [
        ("y + 1", 0, "unknown name 'y'"),
        ("x1", 0, "unknown name 'x1'"),
        ("x", 2, "unknown name 'x'"),
        ("x2", 2, "unknown name 'x2'"),
        ("x**x", 0, "exponent"),
        ("2**x", 0, "exponent"),
        ("abs(x)", 0, "call of 'abs'"),
        ("tan(x)", 0, "call of 'tan'"),
        ("numpy.exp(x)", 0, "call of 'numpy.exp'"),
        ("__import__('os').system('true')", 0, "call of \"__import__('os').system\""),
        ("exp(x, 2)", 0, "one argument"),
        ("exp(x=1)", 0, "one argument"),
        ("exp(*x)", 0, "one argument"),
        ("x % 2", 0, "BinOp"),
        ("x // 2", 0, "BinOp"),
        ("+x", 0, "UnaryOp"),
        ("x if x else 1", 0, "IfExp"),
        ("[x]", 0, "List"),
        ("x < 1", 0, "Compare"),
        ("lambda: 1", 0, "Lambda"),
        ("True + x", 0, "constant True"),
        ("1j*x", 0, "constant 1j"),
        ("'x'", 0, "constant 'x'"),
        ("1e999*x", 0, "non-finite"),
        ("x/0", 0, "division by zero"),
        ("x/(1 - 1)", 0, "division by zero"),
        ("1/(x*0)", 0, "division by zero"),
        ("x*0**-1", 0, "division by zero"),
        ("x + (-1)**0.5", 0, "no real value"),
        ("x*10**10**10", 0, "too large a power"),
        ("x*10.0**400", 0, "overflows"),
        ("x + 123456789012345678901234567890", 0, "too large an integer"),
        ("-" * 5000 + "x", 0, "nested too deeply"),
        ("x +", 0, "not a Python expression"),
        ("", 0, "non-empty"),
        ("(" * 300 + "x" + ")" * 300, 0, "not a Python expression"),
    ],
)
def test_text_outside_the_grammar_is_refused_with_one_clear_line(text, n, says):
    with pytest.raises(ExpressionError) as raised:
        parse(text, names(n))
    message = str(raised.value)
    assert says in message and "\n" not in message


def test_a_function_outside_the_grammar_is_refused_before_it_reaches_a_case():
    with pytest.raises(ExpressionError):
        FunctionSpec(("abs(x)",)).with_source()
    with pytest.raises(ExpressionError):
        FunctionSpec(("abs(x)",)).derivative()


def test_only_a_scalar_function_has_a_derivative():
    with pytest.raises(ValueError, match="scalar"):
        FunctionSpec(("x0", "x1"), 2, "vector").derivative()
