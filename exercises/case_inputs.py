"""The public cases: their inputs, chosen by hand; their expected values come from `reference/`.

Each case is small and says in its tags what it probes. Together the cases of an exercise
must tell every known mistake (`reference.variants_for(exercise, "mistake")`) apart from
the correct answer, so the grader can name the mistake from public cases alone; the tags
say which case is there for which mistake. Random data come from fixed seeds and are
rounded to two decimals, so a student can read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gdgrade.function_specs import FunctionSpec
from gdgrade.json_values import RngSpec


@dataclass(frozen=True)
class CaseInput:
    """One public call: its id, a title per language, the positional arguments."""

    id: str
    title_ko: str
    title_en: str
    args: tuple
    tags: tuple[str, ...] = ()
    weight: float = 1.0


def scalar_function(expr: str) -> FunctionSpec:
    """f(x) with its numpy source stored, so the case file is self-contained."""
    return FunctionSpec((expr,)).with_source()


def field_function(expr: str, n: int) -> FunctionSpec:
    """f(x0, ..., x{n-1}) taking a 1-D array."""
    return FunctionSpec((expr,), n).with_source()


def derivative(f: FunctionSpec) -> FunctionSpec:
    """f' (or grad f) exactly (gdgrade.symbolic), with its numpy source."""
    return f.derivative().with_source()


LECTURE_F = scalar_function("0.5*x**4 - 4*x**3 + 10*x**2 - 7*x + 2")
LECTURE_FP = derivative(LECTURE_F)


def rounded(values: np.ndarray) -> np.ndarray:
    return np.round(values, 2)


def regression_data(seed: int, m: int, d: int, bias: bool, scale: float = 2.0) -> tuple:
    """(X, y): X (m, d) with a leading column of ones when `bias`; y linear plus noise."""
    rng = np.random.default_rng(seed)
    features = rounded(rng.uniform(-scale, scale, size=(m, d - 1 if bias else d)))
    X = np.hstack([np.ones((m, 1)), features]) if bias else features
    true_w = rounded(rng.uniform(-2.0, 2.0, size=d))
    y = rounded(X @ true_w + rng.normal(0.0, 0.3, size=m))
    return X, y


# --- 1-2. finite differences ------------------------------------------------------


def scheme_probes(
    f: FunctionSpec, x, steps: tuple[float, ...], slug: str, title_ko: str, title_en: str
) -> list[CaseInput]:
    """The same f and x at shrinking large steps, tagged "probe": the answer must be a
    difference at exactly that h (a step of one's own fails), and how its error shrinks
    with h tells the grader which scheme was used."""
    return [
        CaseInput(
            f"{slug}-h{h}",
            f"{title_ko}, 큰 간격 h = {h}",
            f"{title_en}, large step h = {h}",
            (f, x, h),
            ("probe", "large_h"),
        )
        for h in steps
    ]


# --- 1. numerical_derivative -------------------------------------------------------


def numerical_derivative_cases() -> list[CaseInput]:
    exp = scalar_function("exp(x)")
    cube = scalar_function("x**3")
    sine = scalar_function("sin(x)")
    log = scalar_function("log(x)")
    return [
        CaseInput(
            "lecture-x4-h1e-5",
            "강의 함수, x = 4 (int), h = 1e-5",
            "lecture function, x = 4 (int), h = 1e-5",
            (LECTURE_F, 4, 1e-5),
            ("lecture", "int_x", "small_h"),
        ),
        *scheme_probes(
            LECTURE_F,
            4.0,
            (0.5, 0.2, 0.1, 0.05),
            "lecture-x4",
            "강의 함수, x = 4",
            "lecture function, x = 4",
        ),
        CaseInput(
            "exp-negative-x",
            "exp(x), 음수 x = -3, h = 1e-3",
            "exp(x) at negative x = -3, h = 1e-3",
            (exp, -3.0, 1e-3),
            ("negative_x",),
        ),
        CaseInput(
            "cube-large-x",
            "x**3, 큰 x = 1000, h = 1e-2",
            "x**3 at large x = 1000, h = 1e-2",
            (cube, 1000.0, 1e-2),
            ("large_x", "cancellation"),
        ),
        CaseInput(
            "sin-h0.5",
            "sin(x), x = 2, 큰 간격 h = 0.5",
            "sin(x) at x = 2, large step h = 0.5",
            (sine, 2.0, 0.5),
            ("large_h", "scheme"),
        ),
        CaseInput(
            "log-near-zero",
            "log(x), x = 0.2, h = 0.05",
            "log(x) at x = 0.2, h = 0.05",
            (log, 0.2, 0.05),
            ("curved",),
        ),
    ]


# --- 2. numerical_gradient ---------------------------------------------------------


def numerical_gradient_cases() -> list[CaseInput]:
    quadratic = field_function("x0**2 + 3*x0*x1 + 2*x1**2", 2)
    rosenbrock = field_function("(1 - x0)**2 + 100*(x1 - x0**2)**2", 2)
    mixed = field_function("sin(x0)*exp(x1) + x2**3 - x0*x2", 3)
    quartic = field_function("x0**4", 1)
    large = field_function("x0**2*x1 + x1**3", 2)
    return [
        CaseInput(
            "quadratic-2d",
            "2차식, x = (-1, 0.5), h = 1e-5",
            "quadratic, x = (-1, 0.5), h = 1e-5",
            (quadratic, np.array([-1.0, 0.5]), 1e-5),
            ("n2",),
        ),
        CaseInput(
            "rosenbrock-h1e-5",
            "Rosenbrock 함수, x = (-1.2, 1), h = 1e-5",
            "Rosenbrock function, x = (-1.2, 1), h = 1e-5",
            (rosenbrock, np.array([-1.2, 1.0]), 1e-5),
            ("n2", "small_h"),
        ),
        *scheme_probes(
            rosenbrock,
            np.array([-1.2, 1.0]),
            (0.2, 0.1, 0.05, 0.025),
            "rosenbrock",
            "Rosenbrock 함수, x = (-1.2, 1)",
            "Rosenbrock function, x = (-1.2, 1)",
        ),
        CaseInput(
            "mixed-3d-h0.5",
            "변수 3개, x = (0.5, -1, 2), 큰 간격 h = 0.5",
            "three variables, x = (0.5, -1, 2), large step h = 0.5",
            (mixed, np.array([0.5, -1.0, 2.0]), 0.5),
            ("n3", "large_h", "scheme"),
        ),
        CaseInput(
            "one-variable",
            "변수 1개 (길이 1인 배열), x = (-2), h = 1e-3",
            "one variable (array of length 1), x = (-2), h = 1e-3",
            (quartic, np.array([-2.0]), 1e-3),
            ("n1", "negative_x"),
        ),
        CaseInput(
            "large-coordinates",
            "큰 좌표, x = (100, -50), h = 1e-3",
            "large coordinates, x = (100, -50), h = 1e-3",
            (large, np.array([100.0, -50.0]), 1e-3),
            ("n2", "large_x"),
        ),
    ]


# --- 3. gradient_step --------------------------------------------------------------


def gradient_step_cases() -> list[CaseInput]:
    return [
        CaseInput("scalar", "실수, x = 4, 기울기 9", "numbers, x = 4, gradient 9", (4.0, 9.0, 0.1)),
        CaseInput(
            "int-x",
            "int 위치 x = 4 (정수로 자르면 안 됨)",
            "int point x = 4 (must not be truncated)",
            (4, 9.0, 0.1),
            ("int_x",),
        ),
        CaseInput(
            "negative-gradient",
            "음수 기울기 (x가 커져야 함)",
            "negative gradient (x must grow)",
            (-1.5, -2.25, 0.2),
            ("negative_x",),
        ),
        CaseInput(
            "vector",
            "1차원 배열 3개 원소",
            "1-D arrays of 3 entries",
            (np.array([1.0, -2.0, 0.5]), np.array([0.3, -0.4, 2.0]), 0.5),
            ("array",),
        ),
        CaseInput(
            "matrix",
            "2차원 배열 (2, 2)",
            "2-D arrays (2, 2)",
            (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -0.5], [1.0, -1.0]]), 0.01),
            ("array", "2d"),
        ),
        CaseInput(
            "length-one",
            "길이 1인 배열",
            "arrays of length 1",
            (np.array([3.0]), np.array([6.0]), 0.25),
            ("array",),
        ),
        CaseInput(
            "large-values",
            "큰 값",
            "large values",
            (1e8, -3e9, 1e-3),
            ("large_x",),
        ),
    ]


# --- 4. gradient_descent -----------------------------------------------------------


def gradient_descent_cases() -> list[CaseInput]:
    shifted = scalar_function("(x - 3)**2")
    return [
        CaseInput(
            "lecture-x4-lr0.1",
            "강의 예제: x0 = 4, 학습률 0.1, 200번 (지역 최소값)",
            "lecture: x0 = 4, learning rate 0.1, 200 updates (local minimum)",
            (LECTURE_F, LECTURE_FP, 4, 0.1, 200),
            ("lecture", "int_x0"),
        ),
        CaseInput(
            "lecture-x4-lr0.2",
            "강의 예제: x0 = 4, 학습률 0.2, 200번 (전역 최소값 쪽으로 건너감)",
            "lecture: x0 = 4, learning rate 0.2, 200 updates (crosses to the global basin)",
            (LECTURE_F, LECTURE_FP, 4, 0.2, 200),
            ("lecture", "int_x0"),
        ),
        CaseInput(
            "lecture-x5-lr0.1",
            "강의 예제: x0 = 5, 학습률 0.1, 200번 (전역 최소값)",
            "lecture: x0 = 5, learning rate 0.1, 200 updates (global minimum)",
            (LECTURE_F, LECTURE_FP, 5, 0.1, 200),
            ("lecture", "int_x0"),
        ),
        CaseInput(
            "max-iter-0",
            "갱신 0번: 경로는 비어 있음",
            "zero updates: the path is empty",
            (LECTURE_F, LECTURE_FP, 4, 0.1, 0),
            ("max_iter_0", "int_x0"),
        ),
        CaseInput(
            "max-iter-1",
            "갱신 1번",
            "one update",
            (LECTURE_F, LECTURE_FP, 5.0, 0.1, 1),
            ("max_iter_1",),
        ),
        CaseInput(
            "diverging",
            "너무 큰 학습률 1.0: 발산 (inf, nan)",
            "learning rate 1.0 is too large: diverges (inf, nan)",
            (LECTURE_F, LECTURE_FP, 5.0, 1.0, 10),
            ("diverging",),
        ),
        CaseInput(
            "quadratic-negative-start",
            "(x - 3)**2, 음수 시작점 x0 = -2.5",
            "(x - 3)**2 from a negative start x0 = -2.5",
            (shifted, derivative(shifted), -2.5, 0.1, 25),
            ("negative_x",),
        ),
    ]


# --- 5. linear_regression_gd -------------------------------------------------------


def linear_regression_cases() -> list[CaseInput]:
    exact_x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    rng = np.random.default_rng(501)
    noisy_x = rounded(rng.uniform(0.0, 10.0, size=8))
    noisy_y = rounded(1.5 - 0.8 * noisy_x + rng.normal(0.0, 0.5, size=8))
    wide_x = rounded(rng.uniform(-20.0, 20.0, size=6))
    wide_y = rounded(-3.0 + 2.0 * wide_x + rng.normal(0.0, 1.0, size=6))
    return [
        CaseInput(
            "exact-line-int-start",
            "y = 2 + 3x 데이터 5개, 시작 값 int 0, 0",
            "5 points on y = 2 + 3x, int start 0, 0",
            (exact_x, 2 + 3 * exact_x, 0, 0, 0.05, 100),
            ("int_start",),
        ),
        CaseInput(
            "noisy-8",
            "잡음이 있는 데이터 8개",
            "8 noisy points",
            (noisy_x, noisy_y, 1.5, -0.5, 0.01, 50),
            (),
        ),
        CaseInput(
            "negative-x",
            "음수와 큰 x를 포함한 데이터",
            "data with negative and large x",
            (wide_x, wide_y, 0.0, 0.0, 0.002, 30),
            ("negative_x", "large_x"),
        ),
        CaseInput(
            "n-iter-0",
            "반복 0번: 시작 값 그대로",
            "zero iterations: the start values",
            (exact_x, 2 + 3 * exact_x, 0.5, -1.0, 0.05, 0),
            ("n_iter_0",),
        ),
        CaseInput(
            "n-iter-1",
            "반복 1번 (동시 갱신 확인)",
            "one iteration (checks the simultaneous update)",
            (noisy_x, noisy_y, 0.0, 0.0, 0.01, 1),
            ("n_iter_1",),
        ),
        CaseInput(
            "one-sample",
            "데이터 1개",
            "a single data point",
            (np.array([2.0]), np.array([5.0]), 0.0, 0.0, 0.1, 20),
            ("one_sample",),
        ),
        CaseInput(
            "diverging",
            "너무 큰 학습률 1.0: 발산 (inf, nan)",
            "learning rate 1.0 is too large: diverges (inf, nan)",
            (noisy_x, noisy_y, 0.0, 0.0, 1.0, 200),
            ("diverging",),
        ),
    ]


# --- 6. momentum_descent -----------------------------------------------------------


def momentum_cases() -> list[CaseInput]:
    valley = field_function("0.5*(x0**2 + 10*x1**2)", 2)
    bowl = field_function("(x0 - 1)**2 + 2*(x1 + 2)**2 + 0.5*x2**4", 3)
    return [
        CaseInput(
            "lecture-escapes",
            "강의 함수, x0 = 4 (int), 관성 0.8: 지역 최소값을 넘어감",
            "lecture function, x0 = 4 (int), momentum 0.8: rolls past the local minimum",
            (LECTURE_FP, 4, 0.05, 0.8, 100),
            ("lecture", "int_x0"),
        ),
        CaseInput(
            "lecture-no-momentum",
            "강의 함수, 관성 0 (보통의 경사하강법)",
            "lecture function, momentum 0 (plain gradient descent)",
            (LECTURE_FP, 4.0, 0.05, 0.0, 30),
            ("lecture", "momentum_0"),
        ),
        CaseInput(
            "valley-2d",
            "2차원 좁은 골짜기, x0 = (-3, 1), 관성 0.9",
            "2-D narrow valley, x0 = (-3, 1), momentum 0.9",
            (derivative(valley), np.array([-3.0, 1.0]), 0.05, 0.9, 40),
            ("vector", "d2"),
        ),
        CaseInput(
            "bowl-3d",
            "3차원, x0 = (0, 0, 1.5), 관성 0.5",
            "3-D, x0 = (0, 0, 1.5), momentum 0.5",
            (derivative(bowl), np.array([0.0, 0.0, 1.5]), 0.1, 0.5, 15),
            ("vector", "d3"),
        ),
        CaseInput(
            "n-iter-1",
            "반복 1번",
            "one iteration",
            (LECTURE_FP, 5.0, 0.02, 0.9, 1),
            ("n_iter_1",),
        ),
        CaseInput(
            "n-iter-0",
            "반복 0번: 경로는 비어 있음",
            "zero iterations: the path is empty",
            (LECTURE_FP, 5.0, 0.02, 0.9, 0),
            ("n_iter_0",),
        ),
        CaseInput(
            "diverging",
            "너무 큰 학습률 0.2: 발산 (inf, nan)",
            "learning rate 0.2 is too large: diverges (inf, nan)",
            (LECTURE_FP, 5.0, 0.2, 0.9, 20),
            ("diverging",),
        ),
    ]


# --- 7-9. least squares ------------------------------------------------------------


def unscaled_data(seed: int, m: int) -> tuple:
    """(X, y) with a bias column and one feature between 50 and 100, never rescaled: the
    gradient is large, so an ordinary learning rate makes the weights explode.

    The runs on it stop long before overflow (|w| < 1e150): where a linear iteration
    crosses 1e308, correct codes that sum in another order can overflow one step apart,
    and a public case must not depend on that."""
    rng = np.random.default_rng(seed)
    feature = rounded(rng.uniform(50.0, 100.0, size=m))
    X = np.column_stack([np.ones(m), feature])
    y = rounded(3.0 + 0.5 * feature + rng.normal(0.0, 2.0, size=m))
    return X, y


def _datasets() -> dict[str, tuple]:
    return {
        "unscaled": unscaled_data(706, m=4),
        "d1": regression_data(701, m=7, d=1, bias=False),
        "d3": regression_data(702, m=10, d=3, bias=True),
        "d2": regression_data(703, m=5, d=2, bias=True),
        "one": regression_data(704, m=1, d=2, bias=True),
        "three": regression_data(705, m=3, d=2, bias=True),
    }


def _ls_args(data: tuple, w0: list[float]) -> tuple:
    X, y = data
    return X, y, np.array(w0, dtype=float)


def batch_cases() -> list[CaseInput]:
    data = _datasets()
    return [
        CaseInput(
            "d1-m7",
            "특징 1개 (d = 1), 샘플 7개",
            "one feature (d = 1), 7 samples",
            (*_ls_args(data["d1"], [0.0]), 0.1, 20),
            ("d1",),
        ),
        CaseInput(
            "d3-m10-bias",
            "편향 열 포함 d = 3, 샘플 10개",
            "d = 3 with a bias column, 10 samples",
            (*_ls_args(data["d3"], [0.5, -0.5, 1.0]), 0.1, 30),
            ("d3", "bias"),
        ),
        CaseInput(
            "one-sample",
            "샘플 1개",
            "a single sample",
            (*_ls_args(data["one"], [0.0, 0.0]), 0.2, 10),
            ("one_sample",),
        ),
        CaseInput(
            "one-epoch",
            "에포크 1번",
            "one epoch",
            (*_ls_args(data["d2"], [1.0, 1.0]), 0.1, 1),
            ("n_epochs_1",),
        ),
        CaseInput(
            "diverging",
            "크기를 맞추지 않은 특징(50~100)에 학습률 1.0: 발산 (값이 한없이 커짐)",
            "unscaled feature (50 to 100) with learning rate 1.0: diverges (values explode)",
            (*_ls_args(data["unscaled"], [0.0, 0.0]), 1.0, 25),
            ("diverging",),
        ),
    ]


def sgd_cases() -> list[CaseInput]:
    data = _datasets()
    return [
        CaseInput(
            "d1-m7",
            "특징 1개 (d = 1), 샘플 7개",
            "one feature (d = 1), 7 samples",
            (*_ls_args(data["d1"], [0.0]), 0.05, 10, RngSpec(801)),
            ("d1",),
        ),
        CaseInput(
            "d3-m10-bias",
            "편향 열 포함 d = 3, 샘플 10개",
            "d = 3 with a bias column, 10 samples",
            (*_ls_args(data["d3"], [0.5, -0.5, 1.0]), 0.02, 15, RngSpec(802)),
            ("d3", "bias"),
        ),
        CaseInput(
            "m3-pairs",
            "샘플 3개 (X와 y의 짝 확인)",
            "3 samples (checks that X and y stay paired)",
            (*_ls_args(data["three"], [0.0, 0.0]), 0.1, 8, RngSpec(803)),
            ("pairing",),
        ),
        CaseInput(
            "one-sample",
            "샘플 1개",
            "a single sample",
            (*_ls_args(data["one"], [0.0, 0.0]), 0.2, 5, RngSpec(804)),
            ("one_sample",),
        ),
        CaseInput(
            "one-epoch",
            "에포크 1번",
            "one epoch",
            (*_ls_args(data["d2"], [1.0, 1.0]), 0.1, 1, RngSpec(805)),
            ("n_epochs_1",),
        ),
        CaseInput(
            "diverging",
            "크기를 맞추지 않은 특징(50~100)에 학습률 1.0: 발산 (값이 한없이 커짐)",
            "unscaled feature (50 to 100) with learning rate 1.0: diverges (values explode)",
            (*_ls_args(data["unscaled"], [0.0, 0.0]), 1.0, 6, RngSpec(806)),
            ("diverging",),
        ),
    ]


def minibatch_cases() -> list[CaseInput]:
    data = _datasets()
    return [
        CaseInput(
            "m10-batch3",
            "샘플 10개, 배치 크기 3 (마지막 배치는 1개)",
            "10 samples, batch size 3 (the last batch has 1)",
            (*_ls_args(data["d3"], [0.5, -0.5, 1.0]), 0.05, 12, 3, RngSpec(901)),
            ("d3", "batch_does_not_divide_m"),
        ),
        CaseInput(
            "m7-batch2-d1",
            "특징 1개 (d = 1), 샘플 7개, 배치 크기 2",
            "one feature (d = 1), 7 samples, batch size 2",
            (*_ls_args(data["d1"], [0.0]), 0.05, 10, 2, RngSpec(902)),
            ("d1", "batch_does_not_divide_m"),
        ),
        CaseInput(
            "batch-larger-than-m",
            "배치 크기 8 > 샘플 5개: 배치 하나",
            "batch size 8 > 5 samples: one batch",
            (*_ls_args(data["d2"], [1.0, 1.0]), 0.1, 10, 8, RngSpec(903)),
            ("batch_larger_than_m",),
        ),
        CaseInput(
            "batch-size-1",
            "배치 크기 1 (확률적 경사하강법과 같음)",
            "batch size 1 (the same as SGD)",
            (*_ls_args(data["three"], [0.0, 0.0]), 0.1, 6, 1, RngSpec(904)),
            ("batch_size_1", "pairing"),
        ),
        CaseInput(
            "one-sample",
            "샘플 1개",
            "a single sample",
            (*_ls_args(data["one"], [0.0, 0.0]), 0.2, 5, 2, RngSpec(905)),
            ("one_sample", "batch_larger_than_m"),
        ),
        CaseInput(
            "m10-batch5",
            "샘플 10개, 배치 크기 5 (나누어떨어짐)",
            "10 samples, batch size 5 (divides m)",
            (*_ls_args(data["d3"], [0.0, 0.0, 0.0]), 0.05, 8, 5, RngSpec(906)),
            ("d3",),
        ),
        CaseInput(
            "diverging",
            "크기를 맞추지 않은 특징(50~100)에 학습률 1.0, 배치 크기 3: 발산 (값이 한없이 커짐)",
            "unscaled feature (50-100), learning rate 1.0, batch size 3: values explode",
            (*_ls_args(data["unscaled"], [0.0, 0.0]), 1.0, 14, 3, RngSpec(907)),
            ("diverging", "batch_does_not_divide_m"),
        ),
    ]


CASE_INPUTS: dict[str, Callable[[], list[CaseInput]]] = {
    "numerical_derivative": numerical_derivative_cases,
    "numerical_gradient": numerical_gradient_cases,
    "gradient_step": gradient_step_cases,
    "gradient_descent": gradient_descent_cases,
    "linear_regression_gd": linear_regression_cases,
    "momentum_descent": momentum_cases,
    "batch_gradient_descent": batch_cases,
    "sgd": sgd_cases,
    "minibatch_gd": minibatch_cases,
}


# Last, and here: a folder's definition.py imports this module while it registers.
from gdgrade.exercises.definitions import fill  # noqa: E402

fill(CASE_INPUTS, "PUBLIC_CASES")
