"""Where submission times come from: a manifest (also Moodle's grading worksheet), an LMS
file name, the file's mtime only when asked; bad files are one clear line."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest

from grader.batch.discover import discover
from grader.batch.timing import TimingError, load_extensions, load_manifest, submission_times
from grader.cli import main

KST = timezone(timedelta(hours=9))


def test_file_times_are_used_only_when_asked(tmp_path):
    (tmp_path / "s1.py").write_text("x = 1\n")
    os.utime(tmp_path / "s1.py", (0, 1_764_600_000))
    found = discover(tmp_path).found
    assert submission_times(found, [], KST, use_mtime=False) == {}
    at, source = submission_times(found, [], KST, use_mtime=True)[tmp_path / "s1.py"]
    assert (at.timestamp(), source) == (1_764_600_000, "mtime")


def test_manifest_beats_mtime_and_a_row_without_file_dates_the_latest_attempt(tmp_path):
    for name in ("kim_42_100_hw.py", "kim_42_101_hw.py"):
        (tmp_path / name).write_text("x = 1\n")
    manifest = tmp_path / "t.csv"
    manifest.write_text("student,time\n42,2026-12-02T10:00:00\n", encoding="utf-8")
    stamps = load_manifest(manifest, KST)
    times = submission_times(discover(tmp_path).found, stamps, KST, use_mtime=True)
    assert times[tmp_path / "kim_42_101_hw.py"] == (
        datetime(2026, 12, 2, 10, tzinfo=KST),
        "manifest",
    )
    assert times[tmp_path / "kim_42_100_hw.py"][1] == "mtime"


def test_moodle_grading_worksheet_works_as_a_manifest(tmp_path):
    sheet = tmp_path / "worksheet.csv"
    sheet.write_text(
        "Identifier,Full name,Status,Last modified (submission)\n"
        'Participant 4242,Kim Minji,Submitted,"Wednesday, 2 December 2026, 12:20 AM"\n'
        "Participant 4243,Lee Seoyeon,No submission,-\n",
        encoding="utf-8",
    )
    stamps = load_manifest(sheet, KST)
    assert [(s.student, s.at) for s in stamps] == [
        ("4242", datetime(2026, 12, 2, 0, 20, tzinfo=KST))
    ]


def test_extensions_are_read_by_student(tmp_path):
    ext = tmp_path / "ext.csv"
    ext.write_text("학번,마감\n2024123456,2026-12-04 23:59\n", encoding="utf-8")
    assert load_extensions(ext, KST) == {"2024123456": datetime(2026, 12, 4, 23, 59, tzinfo=KST)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,when\nkim,2026-12-01\n", "needs a student id column"),
        ("student,time\nkim,yesterday\n", "line 2"),
        ("", "is empty"),
    ],
)
def test_a_bad_manifest_is_one_clear_line(tmp_path, text, message):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TimingError, match=message):
        load_manifest(path, KST)


def test_batch_with_a_missing_manifest_exits_2_with_one_line(tmp_path, capsys):
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "s1.py").write_text("x = 1\n")
    code = main(["batch", str(tmp_path / "class"), "--out", str(tmp_path / "out"),
                 "--times", str(tmp_path / "nope.csv")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "nope.csv" in err
