"""Finding a class's submissions: plain files and folders, Canvas, Moodle and Blackboard
download layouts, several attempts, and what is skipped."""

from __future__ import annotations

import os
from pathlib import Path

from grader.batch.discover import attempts, discover

FULL = "def gradient_step(x, grad, learning_rate):\n    return x - learning_rate * grad\n"
TWO = FULL + "\ndef sgd(X, y, w0, learning_rate, n_epochs, rng):\n    return w0, []\n"


def write(path: Path, text: str = FULL, mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def by_student(directory: Path) -> dict[str, list[str]]:
    found = discover(directory).found
    result: dict[str, list[str]] = {}
    for f in found:
        result.setdefault(f.student, []).append(f.path.relative_to(directory).as_posix())
    return result


def test_plain_files_are_named_by_student_id(tmp_path: Path) -> None:
    write(tmp_path / "2024123456.py")
    write(tmp_path / "2024000001.ipynb", "{}")
    assert by_student(tmp_path) == {
        "2024000001": ["2024000001.ipynb"],
        "2024123456": ["2024123456.py"],
    }


def test_a_student_folder_is_searched_recursively(tmp_path: Path) -> None:
    write(tmp_path / "2024123456" / "hw3" / "submission.py")
    found = discover(tmp_path).found
    assert [(f.student, f.layout) for f in found] == [("2024123456", "folder")]


def test_folder_with_several_files_grades_the_one_defining_most_functions(tmp_path: Path) -> None:
    write(tmp_path / "s1" / "helpers.py", "def gradient_step(x, g, lr):\n    return 0\n", 2e9)
    write(tmp_path / "s1" / "main.py", TWO, 1e9)
    (f,) = discover(tmp_path).found
    assert f.path.name == "main.py"
    assert "helpers.py" in f.note


def test_folder_tie_goes_to_the_most_recent_file(tmp_path: Path) -> None:
    write(tmp_path / "s1" / "old.py", FULL, 1e9)
    write(tmp_path / "s1" / "new.ipynb", FULL, 2e9)
    (f,) = discover(tmp_path).found
    assert f.path.name == "new.ipynb"


def test_canvas_names_give_the_canvas_user_id_name_and_late_marker(tmp_path: Path) -> None:
    write(tmp_path / "kimminji_123456_7891011_hw3.py")
    write(tmp_path / "leejun_LATE_654321_7891099_hw3.ipynb", "{}")
    found = {f.student: f for f in discover(tmp_path).found}
    assert set(found) == {"123456", "654321"}
    assert (found["123456"].layout, found["123456"].name, found["123456"].late) == (
        "canvas",
        "kimminji",
        False,
    )
    assert found["654321"].late


def test_canvas_resubmissions_are_attempts_ordered_by_attachment_id(tmp_path: Path) -> None:
    newer = write(tmp_path / "kimminji_123456_9000000_hw3-1.py", FULL, 1e9)
    older = write(tmp_path / "kimminji_123456_7891011_hw3.py", FULL, 2e9)  # mtime misleads
    numbers = attempts(discover(tmp_path).found)
    assert (numbers[older], numbers[newer]) == (1, 2)


def test_moodle_folders_give_the_participant_id_and_name(tmp_path: Path) -> None:
    write(tmp_path / "Kim Minji_4242_assignsubmission_file_" / "hw3.py")
    (f,) = discover(tmp_path).found
    assert (f.student, f.name, f.layout) == ("4242", "Kim Minji", "moodle")


def test_blackboard_attempts_are_ordered_by_their_timestamp(tmp_path: Path) -> None:
    late = write(tmp_path / "HW 3_kimmj_attempt_2024-03-15-10-22-33_hw3.py", FULL, 1e9)
    early = write(tmp_path / "HW 3_kimmj_attempt_2024-03-14-09-00-00_hw3.py", FULL, 2e9)
    write(tmp_path / "HW 3_kimmj_attempt_2024-03-14-09-00-00.txt", "receipt")
    found = discover(tmp_path)
    assert {f.student for f in found.found} == {"kimmj"}
    numbers = attempts(found.found)
    assert (numbers[early], numbers[late]) == (1, 2)
    assert [s.path.suffix for s in found.skipped] == [".txt"]


def test_plain_attempts_are_ordered_by_modification_time(tmp_path: Path) -> None:
    py = write(tmp_path / "s1.py", FULL, 2e9)
    nb = write(tmp_path / "s1.ipynb", "{}", 1e9)
    numbers = attempts(discover(tmp_path).found)
    assert (numbers[nb], numbers[py]) == (1, 2)


def test_other_files_are_reported_as_skipped_and_hidden_ones_ignored(tmp_path: Path) -> None:
    write(tmp_path / "s1.py")
    write(tmp_path / "notes.pdf", "x")
    write(tmp_path / ".DS_Store", "x")
    write(tmp_path / "__MACOSX" / "s1.py")
    write(tmp_path / "s2" / ".ipynb_checkpoints" / "hw-checkpoint.ipynb", "{}")
    found = discover(tmp_path)
    assert [f.student for f in found.found] == ["s1"]
    assert sorted(s.path.name for s in found.skipped) == ["notes.pdf", "s2"]


def test_the_output_directory_inside_dir_is_not_a_submission(tmp_path: Path) -> None:
    write(tmp_path / "s1.py")
    write(tmp_path / "out" / "results" / "s1.py")
    found = discover(tmp_path, exclude=[tmp_path / "out"])
    assert [f.student for f in found.found] == ["s1"]
    assert found.skipped == ()


def test_the_example_class_is_found_whole(tmp_path: Path) -> None:
    root = Path(__file__).parent.parent / "examples" / "class"
    found = discover(root)
    assert found.skipped == ()
    assert len(found.students()) == len(list(root.iterdir()))
    assert "123456" in found.students()  # the Canvas-named file, by Canvas id


# --- entries that are not regular files inside DIR ----------------------------------------


def reasons(directory: Path) -> dict[str, str]:
    return {s.path.relative_to(directory).as_posix(): s.reason for s in discover(directory).skipped}


def test_symlinks_are_skipped_with_their_reason_and_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside / "secret.py")  # a .py the grader's user can read, outside DIR
    write(outside / "classes" / "other.py")
    root = tmp_path / "class"
    write(root / "alice.py")
    (root / "mallory.py").symlink_to(outside / "secret.py")
    (root / "bob.py").symlink_to("alice.py")  # a classmate's file
    (root / "carol").symlink_to(outside / "classes")  # a folder link
    found = discover(root)
    assert [f.student for f in found.found] == ["alice"]
    why = reasons(root)
    assert set(why) == {"mallory.py", "bob.py", "carol"}
    assert all("symbolic link" in r and "outside" not in r for r in why.values())


def test_links_inside_a_students_folder_are_skipped_too(tmp_path: Path) -> None:
    write(tmp_path / "secret.py")
    root = tmp_path / "class"
    write(root / "dave" / "hw.py")
    (root / "dave" / "extra.py").symlink_to(tmp_path / "secret.py")
    (root / "dave" / "sub").symlink_to(tmp_path)
    (f,) = discover(root).found
    assert f.path == root / "dave" / "hw.py" and f.note == ""
    assert set(reasons(root)) == {"dave/extra.py", "dave/sub"}


def test_symlink_loops_do_not_stop_discovery(tmp_path: Path) -> None:
    root = tmp_path / "class"
    write(root / "alice.py")
    (root / "loop1.py").symlink_to("loop2.py")
    (root / "loop2.py").symlink_to("loop1.py")
    write(root / "dave" / "hw.py")
    (root / "dave" / "self").symlink_to("../dave")
    found = discover(root, exclude=[tmp_path / "out"])
    assert [f.student for f in found.found] == ["alice", "dave"]
    assert set(reasons(root)) == {"loop1.py", "loop2.py", "dave/self"}


def test_pipes_and_sockets_are_skipped_without_being_opened(tmp_path: Path) -> None:
    import socket

    write(tmp_path / "alice.py")
    os.mkfifo(tmp_path / "fifo.py")
    write(tmp_path / "gina" / "placeholder.txt", "")
    os.mkfifo(tmp_path / "gina" / "hw.py")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "sock.py"))
        why = reasons(tmp_path)
    finally:
        server.close()
    assert why["fifo.py"].startswith("a named pipe (FIFO), not a regular file")
    assert why["gina/hw.py"].startswith("a named pipe (FIFO)")
    assert why["sock.py"].startswith("a socket, not a regular file")
    assert why["gina"] == "folder holds no .py or .ipynb file"


def test_folders_nested_too_deep_are_not_searched(tmp_path: Path) -> None:
    from grader.batch.discover import MAX_DEPTH

    deep = tmp_path / "frank" / Path(*["d"] * (MAX_DEPTH + 5))
    write(deep / "hw.py")
    write(tmp_path / "frank" / "d" / "hw.py")
    (f,) = discover(tmp_path).found
    assert f.path == tmp_path / "frank" / "d" / "hw.py"
    (skipped,) = discover(tmp_path).skipped
    assert skipped.reason == f"nested more than {MAX_DEPTH} folders deep; not searched"


def test_an_unreadable_folder_is_skipped_and_the_rest_found(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "alice.py")
    write(tmp_path / "locked" / "hw.py")
    real = os.scandir

    def scandir(path):  # as root every folder is readable: refuse one the way chmod 000 does
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover(tmp_path)
    assert [f.student for f in found.found] == ["alice"]
    assert [(s.path.name, s.reason) for s in found.skipped] == [
        ("locked", "cannot be read (Permission denied)")
    ]


def test_names_that_are_not_text_are_skipped_with_advice(tmp_path: Path) -> None:
    write(tmp_path / "alice.py")
    (tmp_path / os.fsdecode(b"kim\xff\xfe.py")).write_bytes(FULL.encode())  # CP949 bytes
    (tmp_path / "new\nline.py").write_text(FULL)
    found = discover(tmp_path)
    assert [f.student for f in found.found] == ["alice"]
    assert all("rename it" in s.reason for s in found.skipped) and len(found.skipped) == 2
