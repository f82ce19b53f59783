"""The trusted side's reading of what the child sent: nothing but plain data gets through."""

from __future__ import annotations

import signal
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gdgrade.function_specs import FunctionSpec
from gdgrade.json_values import RngSpec, encode
from gdgrade.sandbox import Limits
from gdgrade.sandbox.driver import SubmissionDriver
from gdgrade.sandbox.outcomes import died_outcome, exercise_death, load_problems, result_outcome

LIMITS = Limits(output_bytes=100)
PARAMS = ("f", "x", "h")


def frame(**fields: object) -> dict[str, object]:
    return {"t": "result", "i": 0, "status": "returned", **fields}


def test_plain_values_come_back_decoded() -> None:
    value = (np.array([1.5, np.nan]), 2.0, [1, "s"])
    outcome = result_outcome(frame(value=encode(value)), 0.1, PARAMS, 3, LIMITS)
    assert outcome.status == "returned"
    np.testing.assert_array_equal(outcome.value[0], value[0])
    assert outcome.value[1:] == (2.0, [1, "s"])


def test_encoded_test_functions_and_generators_are_not_results() -> None:
    spec = FunctionSpec(("x",), 0, "scalar").with_source()
    for smuggled in (spec, RngSpec(1), [1.0, spec]):
        outcome = result_outcome(frame(value=encode(smuggled)), 0.1, PARAMS, 3, LIMITS)
        assert (outcome.status, outcome.value) == ("bad_return", None)
        assert outcome.reason == "unreadable_return"


def test_malformed_frames_become_crashed_or_bad_return_never_a_value() -> None:
    assert result_outcome(frame(status="excellent"), 0.1, PARAMS, 3, LIMITS).status == "crashed"
    bad = result_outcome(frame(value={"array": [1, 2], "shape": [5]}), 0.1, PARAMS, 3, LIMITS)
    assert (bad.status, bad.value) == ("bad_return", None)


def test_every_field_is_checked_and_capped() -> None:
    outcome = result_outcome(
        frame(
            value=1.0,
            stdout="x" * 10_000,
            error_type=["not", "text"],
            traceback="t" * 100_000,
            duration=99.0,
            calls={"f": 3, "g": 5, "x": -1, "h": True},
            mutated=[[1, encode(float("inf"))], [7, 1.0], [2, "junk"], "junk"],
        ),
        0.5,
        PARAMS,
        3,
        LIMITS,
    )
    assert len(outcome.stdout) <= LIMITS.output_bytes + 200
    assert outcome.error_type == "" and len(outcome.traceback) == 20_000
    assert outcome.duration_s == 0.5  # longer than we measured: ours is kept
    assert outcome.calls == {"f": 3}
    assert outcome.mutated_args == (1, 2)
    assert outcome.mutated_max_abs == (float("inf"), float("inf"))


def test_deaths_are_named_by_their_signal_or_exit_code() -> None:
    segv = exercise_death({"signal": signal.SIGSEGV}, LIMITS, 0.2)
    assert (segv.status, segv.reason, segv.reason_params) == (
        "crashed",
        "killed",
        {"signal": "SIGSEGV"},
    )
    assert exercise_death({"signal": signal.SIGXCPU}, LIMITS, 0.2).status == "timeout"
    exited = exercise_death({"exit": 0}, LIMITS, 0.2)
    assert (exited.reason, exited.reason_params) == ("exited", {"code": 0})
    assert died_outcome(signal.SIGABRT, LIMITS) == ("crashed", "killed", {"signal": "SIGABRT"})
    assert died_outcome(3 << 8, LIMITS) == ("crashed", "exited", {"code": 3})


def test_load_problems_point_into_cells_and_drop_unknown_kinds() -> None:
    line_map = ((1, 2, 1), (2, 2, 2), (3, 5, 1))
    problems = load_problems(
        [
            {"kind": "raised", "message": "NameError: x", "line": 3, "detail": "d"},
            {"kind": "pwned", "message": "?", "line": 1},
            {"kind": "timeout", "message": "m" * 5000, "line": 99},
        ],
        line_map,
    )
    assert [(p.kind, p.cell, p.line) for p in problems] == [
        ("raised", 5, 1),
        ("timeout", None, None),
    ]
    assert len(problems[1].message) == 600


def test_the_childs_reasons_are_kept_only_when_the_catalogue_can_word_them() -> None:
    said = {"reason": "too_large", "reason_params": {"size": 10}}
    kept = result_outcome(frame(status="bad_return", **said), 0.1, PARAMS, 3, LIMITS)
    assert (kept.reason, kept.reason_params) == ("too_large", {"size": 10})
    forged = {"reason": "too_large", "reason_params": {"size": "{0.__class__}"}}
    dropped = result_outcome(frame(status="bad_return", **forged), 0.1, PARAMS, 3, LIMITS)
    assert (dropped.status, dropped.reason, dropped.reason_params) == ("bad_return", "", {})
    problems = load_problems(
        [
            {
                "kind": "raised",
                "message": "",
                "line": 1,
                "key": "system_exit",
                "params": {"code": "0"},
            },
            {"kind": "note", "message": "m", "line": 1, "key": "pwned", "params": {}},
            {
                "kind": "note",
                "message": "m",
                "line": 1,
                "key": "not_a_function",
                "params": {"name": 1},
            },
        ],
        ((1, None, 1),),
    )
    assert [(p.key, p.params, p.message) for p in problems] == [
        ("system_exit", {"code": "0"}, ""),
        ("", {}, "m"),
        ("", {}, "m"),
    ]


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = ("t", "i", "r", "status", "value", "stdout", "duration", "mutated", "calls")
FIELDS += ("error_type", "error_message", "traceback", "signal", "exit")
FIELDS += ("defined", "problems", "kind", "message", "line", "detail")


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(FIELDS), JSON | st.sampled_from(["returned", "gone"])),
    st.lists(st.dictionaries(st.sampled_from(FIELDS), JSON | st.just("crashed")), max_size=3),
)
def test_any_json_object_the_child_sends_is_read_without_an_exception(
    message: dict[str, object], problems: list[dict[str, object]]
) -> None:
    """The child's frames are the student's to forge: whatever valid JSON arrives, reading
    it gives an outcome or a load report, never a trusted-side exception (a grader fault)."""
    outcome = result_outcome(message, 0.5, PARAMS, 3, LIMITS)
    assert outcome.status in ("returned", "raised", "bad_return", "memory", "crashed")
    assert exercise_death(message, LIMITS, 0.5).status in ("crashed", "timeout")
    line_map = tuple((k, None, k) for k in range(1, 6))
    for problem in load_problems([message, *problems], line_map):
        assert problem.line is None or 1 <= problem.line <= 5
    driver = SubmissionDriver.__new__(SubmissionDriver)
    driver.names, driver.host_problems, driver.limits = ["gradient_step"], [], LIMITS
    driver.submission = SimpleNamespace(line_map=line_map)  # type: ignore[assignment]
    report = driver._report(message | {"problems": problems})
    assert set(report.defined) <= {"gradient_step"} and report.duration_s >= 0
