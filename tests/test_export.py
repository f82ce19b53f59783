"""Grade tables from the gradebook's counted results: gdgrade's CSV (Excel-ready), the Canvas
import and the Gradescope upload; which attempt counts; roster names."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from grader.batch.roster import RosterError, load_roster
from grader.batch.standings import Entry, safe_names, standings
from grader.batch.tables import ExportContext, canvas_table, csv_text, write_export

EXERCISES = ("gradient_step", "sgd")
POINTS = {"gradient_step": 5.0, "sgd": 15.0}


def entry(student: str, scores: dict[str, float], attempt: int = 1, **kw) -> Entry:
    summary = {
        "exercises": {
            e: {"score": s, "max_score": POINTS[e], "status": "partial", "diagnoses": []}
            for e, s in scores.items()
        }
    }
    fields = {
        "submission_id": hash((student, attempt)) % 10_000,
        "student": student,
        "name": "",
        "path": f"{student}.py",
        "sha256": "0" * 64,
        "attempt": attempt,
        "late": False,
        "layout": "file",
        "note": "",
        "status": "graded",
        "score": round(sum(scores.values()), 2),
        "max_score": 20.0,
        "summary": summary,
        "feedback_format": "html",
        "error": "",
        "result_id": 1,
    }
    return Entry(**{**fields, **kw})


def read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so that Excel reads Korean"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


ROSTER_CSV = (
    "student_id,name,email,canvas_id,section\n"
    "2024000001,김민준,minjun@example.ac.kr,,A\n"
    "2024000002,김민지,minji@example.ac.kr,123456,B\n"
    "2024000003,결석생,absent@example.ac.kr,,A\n"
)


@pytest.fixture
def roster(tmp_path: Path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    return load_roster(path)


def test_grades_csv_has_one_row_per_student_and_totals_that_add_up(tmp_path: Path) -> None:
    entries = [entry("s1", {"gradient_step": 5, "sgd": 7.25}), entry("s2", {"gradient_step": 2.5})]
    ctx = ExportContext(EXERCISES, 20.0, "HW3")
    rows = read(write_export(tmp_path, "csv", standings(entries), ctx))
    assert [r["student"] for r in rows] == ["s1", "s2"]
    assert rows[0]["total"] == "12.25"
    assert rows[1]["sgd"] == ""
    for r in rows:
        parts = sum(float(r[e]) for e in EXERCISES if r[e])
        assert float(r["total"]) == pytest.approx(parts)


def test_roster_fills_names_and_lists_students_without_a_submission(tmp_path, roster) -> None:
    entries = [entry("2024000001", {"gradient_step": 5}), entry("123456", {"sgd": 15})]
    ctx = ExportContext(EXERCISES, 20.0, "HW3", roster=roster)
    rows = read(write_export(tmp_path, "csv", standings(entries), ctx))
    by_id = {r["student"]: r for r in rows}
    assert by_id["2024000001"]["name"] == "김민준"
    assert by_id["2024000002"]["name"] == "김민지"  # found by Canvas id 123456
    assert by_id["2024000002"]["file"] == "123456.py"
    assert by_id["2024000003"]["status"] == "missing"
    assert by_id["2024000003"]["total"] == ""


@pytest.mark.parametrize(("rule", "attempt"), [("latest", "3"), ("first", "1"), ("best", "2")])
def test_the_attempt_rule_chooses_which_attempt_counts(tmp_path, rule, attempt) -> None:
    entries = [
        entry("s1", {"sgd": 5}, attempt=1),
        entry("s1", {"sgd": 15}, attempt=2),
        entry("s1", {"sgd": 10}, attempt=3),
    ]
    ctx = ExportContext(EXERCISES, 20.0, "")
    (r,) = read(write_export(tmp_path, "csv", standings(entries, rule), ctx))
    assert (r["attempt"], r["attempts"]) == (attempt, "3")
    assert r["sgd"] == {"1": "5", "2": "15", "3": "10"}[attempt]


def test_canvas_import_has_identity_columns_points_possible_and_the_assignment(
    tmp_path, roster
) -> None:
    entries = [
        entry("123456", {"sgd": 15}, layout="canvas", name="kimminji"),
        entry("2024000001", {"gradient_step": 5}),
        entry("2024999999", {"gradient_step": 1}),
    ]
    ctx = ExportContext(EXERCISES, 20.0, "HW3", canvas_assignment_id="777", roster=roster)
    header, rows = canvas_table(standings(entries), ctx)
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "HW3 (777)"]
    assert rows[0][0] == "Points Possible" and rows[0][-1] == "20"
    by_name = {r[0]: r for r in rows[1:]}
    # every student id in SIS User ID, the Canvas id (a download name's) in ID where known
    assert by_name["김민지"][1:3] == ["123456", "2024000002"]
    assert by_name["김민준"][1:3] == ["", "2024000001"]
    assert by_name["2024999999"][1:3] == ["", "2024999999"]
    assert by_name["김민지"][-1] == "15"
    text = csv_text((header, rows))
    assert text.splitlines()[0].endswith("HW3 (777)")


def test_canvas_import_without_a_roster_leaves_sis_empty_where_only_a_canvas_id_is_known():
    entries = [
        entry("123456", {"sgd": 15}, layout="canvas", name="kimminji"),
        entry("2024000001", {"gradient_step": 5}),
    ]
    _, rows = canvas_table(standings(entries), ExportContext(EXERCISES, 20.0, "HW3"))
    ids = {r[0]: r[1:3] for r in rows[1:]}
    assert ids == {"kimminji": ["123456", ""], "2024000001": ["", "2024000001"]}


def test_gradescope_upload_has_name_sid_email_and_total(tmp_path, roster) -> None:
    entries = [entry("2024000001", {"gradient_step": 5, "sgd": 1.5})]
    ctx = ExportContext(EXERCISES, 20.0, "HW3", roster=roster)
    (r,) = read(write_export(tmp_path, "gradescope", standings(entries), ctx))
    assert (r["Name"], r["SID"], r["Email"], r["Total Score"]) == (
        "김민준",
        "2024000001",
        "minjun@example.ac.kr",
        "6.5",
    )


def test_every_student_gets_a_distinct_safe_file_name() -> None:
    names = safe_names(["a b", "a_b", "../x", "김민지", "A_B"])
    assert len(set(map(str.lower, names.values()))) == 5
    assert names["김민지"] == "김민지"
    assert all("/" not in n and not n.startswith(".") for n in names.values())


def test_a_roster_without_an_id_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("name,email\n김,k@x\n", encoding="utf-8")
    with pytest.raises(RosterError, match="no student id column"):
        load_roster(path)


def test_canvas_gradebook_export_works_as_a_roster(tmp_path: Path) -> None:
    path = tmp_path / "canvas.csv"
    path.write_text(
        "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,HW1 (11)\n"
        "    Points Possible,,,,,10\n"
        "김민지,123456,2024000002,minji,B,9\n",
        encoding="utf-8",
    )
    person = load_roster(path).find("2024000002")
    assert person is not None
    assert (person.name, person.canvas_id, person.section) == ("김민지", "123456", "B")


# --- student-controlled text in the tables (gdgrade/safe_text.py) ------------------------

FORMULAS = ['=HYPERLINK("http://x","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


@pytest.mark.parametrize("fmt", ["csv", "canvas", "gradescope"])
def test_no_export_cell_starts_a_spreadsheet_formula(tmp_path: Path, fmt: str) -> None:
    entries = [entry(s, {"gradient_step": 5}, name=s) for s in FORMULAS]
    entries += [entry("\t=1+1", {"gradient_step": 1}), entry("\r=2", {"gradient_step": 1})]
    ctx = ExportContext(EXERCISES, 20.0, "=HW3")
    raw = write_export(tmp_path, fmt, standings(entries), ctx).read_bytes().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(raw)) for c in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [c for c in cells if c.startswith("-") and not _is_number(c)]
    assert '\'=HYPERLINK("http://x","click")' in cells  # shown as the text it was


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_negative_numbers_stay_numbers_in_csv() -> None:
    text = csv_text((["student", "score"], [["s1", "-2.5"], ["s2", "-0"], ["-x", "3"]]))
    assert text.splitlines()[1:] == ["s1,-2.5", "s2,-0", "'-x,3"]


def test_bidi_and_invisible_characters_are_dropped_from_csv_ids(tmp_path: Path) -> None:
    spoof = "eve\u202egpj.py\u2066\u200b"
    ctx = ExportContext(EXERCISES, 20.0, "HW3")
    (r,) = read(write_export(tmp_path, "csv", standings([entry(spoof, {"sgd": 1})]), ctx))
    assert r["student"] == "evegpj.py" and r["file"] == "evegpj.py.py"


def test_output_names_stay_short_enough_to_create(tmp_path: Path) -> None:
    long_ids = ["a" * 250, "a" * 249, "김" * 200]
    names = safe_names([*long_ids, "bob"])
    assert names["bob"] == "bob"
    assert len({n.lower() for n in names.values()}) == 4
    for student in long_ids:
        name = names[student]
        assert len(name.encode("utf-8")) <= 96 and name.startswith(student[:20])
        (tmp_path / f".{name}.html.tmp").write_text("ok")  # what write_atomic creates
