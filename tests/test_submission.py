"""Loading a submission file: checks, notebook conversion, neutralised IPython lines."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from gdgrade.messages import problem_message
from gdgrade.submission import SubmissionError, load_submission


def notebook(*cells: tuple[str, str | list[str]], version: int = 4) -> str:
    return json.dumps(
        {
            "nbformat": version,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {"cell_type": kind, "source": source, "metadata": {}, "outputs": []}
                for kind, source in cells
            ],
        }
    )


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def test_py_source_is_the_file_with_an_identity_line_map(tmp_path: Path) -> None:
    text = "import numpy as np\n\ndef gradient_step(x, g, lr):\n    return x - lr * g\n"
    sub = load_submission(write(tmp_path, "hw.py", text))
    assert sub.kind == "py"
    assert sub.source == text
    assert sub.line_map[2] == (3, None, 3)
    assert len(sub.line_map) == len(text.split("\n"))
    assert sub.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert sub.notes == ()


def test_windows_newlines_and_bom_do_not_shift_line_numbers(tmp_path: Path) -> None:
    raw = "\ufeffx = 1\r\ny = 2\r\nz = 3\r\n".encode()
    sub = load_submission(write(tmp_path, "hw.py", raw))
    assert sub.source.split("\n")[:3] == ["x = 1", "y = 2", "z = 3"]
    assert sub.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.py", b"", "empty"),
        ("blank.py", b"  \n\n\t\n", "empty"),
        ("binary.py", b"\x7fELF\x02\x01\x00\x00", "binary"),
        ("latin1.py", "x = 'café'\n".encode("latin-1"), "not UTF-8"),
        ("broken.ipynb", b'{"cells": [', "invalid JSON at line 1"),
        ("list.ipynb", b"[1, 2]", "not a valid notebook"),
        ("nocells.ipynb", b'{"nbformat": 4, "cells": 3}', "not a list"),
        ("hw.txt", b"x = 1\n", "not a .py or .ipynb"),
    ],
)
def test_unreadable_files_raise_one_line_submission_errors(
    tmp_path: Path, name: str, content: bytes, fragment: str
) -> None:
    p = write(tmp_path, name, content)
    with pytest.raises(SubmissionError) as info:
        load_submission(p)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message
    assert str(p) in message


def test_missing_path_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SubmissionError, match="no such file"):
        load_submission(tmp_path / "nothing.py")
    folder = tmp_path / "hw.py"
    folder.mkdir()
    with pytest.raises(SubmissionError, match="is a directory"):
        load_submission(folder)


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    p = write(tmp_path, "big.py", "x = 1\n" * 100)
    with pytest.raises(SubmissionError, match=r"too large \(600 bytes; the limit is 500"):
        load_submission(p, max_bytes=500)
    assert load_submission(p, max_bytes=600).source.startswith("x = 1")


def test_notebook_code_cells_run_in_order_with_cell_line_map(tmp_path: Path) -> None:
    text = notebook(
        ("markdown", "# 경사하강법"),
        ("code", ["import numpy as np\n", "a = 1"]),
        ("raw", "not code"),
        ("code", "def gradient_step(x, g, lr):\n    return x - lr * g\n"),
    )
    sub = load_submission(write(tmp_path, "hw.ipynb", text))
    assert sub.kind == "ipynb"
    lines = sub.source.split("\n")
    assert lines[:2] == ["import numpy as np", "a = 1"]
    assert sub.line_map[0] == (1, 2, 1)
    assert sub.line_map[1] == (2, 2, 2)
    third = sub.line_map[2]
    assert third == (3, 4, 1) and lines[2] == "def gradient_step(x, g, lr):"
    assert sub.cells()[0][0] == 2 and sub.cells()[1][:2] == (4, 3)
    compile(sub.source, "hw", "exec")


def test_notebook_without_code_cells_loads_with_a_note(tmp_path: Path) -> None:
    sub = load_submission(write(tmp_path, "hw.ipynb", notebook(("markdown", "only text"))))
    assert sub.source == ""
    assert [n.kind for n in sub.notes] == ["note"]


def test_old_notebook_format_is_upgraded(tmp_path: Path) -> None:
    v3: dict[str, Any] = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": ""},
        "worksheets": [
            {
                "metadata": {},
                "cells": [
                    {"cell_type": "markdown", "source": "intro", "metadata": {}},
                    {
                        "cell_type": "code",
                        "input": "x = 1\ny = x + 1",
                        "language": "python",
                        "outputs": [],
                        "metadata": {},
                        "collapsed": False,
                    },
                ],
            }
        ],
    }
    sub = load_submission(write(tmp_path, "old.ipynb", json.dumps(v3)))
    assert sub.source == "x = 1\ny = x + 1\n"
    assert sub.line_map[1] == (2, 2, 2)


def magic_notebook(tmp_path: Path, *cells: str) -> Any:
    return load_submission(write(tmp_path, "m.ipynb", notebook(*(("code", c) for c in cells))))


def test_line_magics_and_shell_lines_become_pass_with_notes(tmp_path: Path) -> None:
    sub = magic_notebook(
        tmp_path,
        "%matplotlib inline\nimport numpy as np\n!pip install numpy\nif True:\n    %who\n",
    )
    lines = sub.source.split("\n")
    assert lines[0] == "pass" and lines[2] == "pass" and lines[4] == "    pass"
    assert [(n.kind, n.cell, n.line) for n in sub.notes] == [
        ("magic", 1, 1),
        ("magic", 1, 3),
        ("magic", 1, 5),
    ]
    assert "%matplotlib" in problem_message(sub.notes[0], "en")
    assert "pip install" in problem_message(sub.notes[1], "en")
    compile(sub.source, "m", "exec")


def test_timed_statement_keeps_running_and_assigned_shell_value_is_none(tmp_path: Path) -> None:
    sub = magic_notebook(tmp_path, "%time y = 2 * 3\n%timeit -n 10 -r 2 z = y + 1\nfiles = !ls")
    lines = sub.source.split("\n")
    assert lines[:3] == ["y = 2 * 3", "z = y + 1", "files = None"]
    namespace: dict[str, Any] = {}
    exec(compile(sub.source, "m", "exec"), namespace)
    assert namespace["z"] == 7 and namespace["files"] is None


def test_python_cell_magic_runs_its_body_other_cell_magics_do_not_run(tmp_path: Path) -> None:
    sub = magic_notebook(tmp_path, "%%time\na = 1\n", "%%bash\necho hi > /tmp/x\n", "b = a + 1")
    namespace: dict[str, Any] = {}
    exec(compile(sub.source, "m", "exec"), namespace)
    assert namespace["b"] == 2
    messages = [problem_message(n, "en") for n in sub.notes]
    assert any("%%time" in m for m in messages)
    assert any("%%bash" in m and "not run" in m for m in messages)
    assert "echo" not in sub.source.replace("# echo", "")


def test_percent_inside_expressions_and_strings_is_left_alone(tmp_path: Path) -> None:
    cell = 'total = (7\n         % 4)\ndoc = """\n%not a magic\n"""\nr = 5 % 3\n'
    sub = magic_notebook(tmp_path, cell)
    assert sub.notes == ()
    namespace: dict[str, Any] = {}
    exec(compile(sub.source, "m", "exec"), namespace)
    assert namespace["total"] == 3 and "%not a magic" in namespace["doc"]


def test_help_requests_and_get_ipython_calls_are_noted(tmp_path: Path) -> None:
    sub = magic_notebook(tmp_path, "np.sum?\nget_ipython().run_line_magic('pwd', '')\n")
    assert sub.source.split("\n")[0] == "pass"
    assert [n.line for n in sub.notes] == [1, 2]
    assert "get_ipython" in problem_message(sub.notes[1], "en")


def test_get_ipython_in_a_py_file_is_noted_with_its_line(tmp_path: Path) -> None:
    text = "x = 1\nget_ipython().run_line_magic('matplotlib', 'inline')\n"
    sub = load_submission(write(tmp_path, "hw.py", text))
    assert [(n.kind, n.line, n.cell) for n in sub.notes] == [("magic", 2, None)]


# --- entries that are not regular files, and the limits (gdgrade/submission.py) -------------

SECRET = "s3cret-token-of-the-grader"


def test_a_symlink_to_a_file_the_grader_can_read_is_refused_without_reading_it(
    tmp_path: Path,
) -> None:
    secret = write(tmp_path, "secret.txt", f"{SECRET}: only the grader may read this\n")
    link = tmp_path / "mallory.py"
    link.symlink_to(secret)
    with pytest.raises(SubmissionError) as info:
        load_submission(link)
    message = str(info.value)
    assert "symbolic link" in message and "\n" not in message
    assert SECRET not in message and "secret.txt" not in message


def test_a_symlink_to_a_classmates_file_is_not_graded_as_ones_own(tmp_path: Path) -> None:
    alice = write(tmp_path, "alice.py", "def gradient_step(x, g, lr):\n    return x - lr * g\n")
    (tmp_path / "bob.py").symlink_to(alice.name)
    with pytest.raises(SubmissionError, match="symbolic link"):
        load_submission(tmp_path / "bob.py")


def test_a_named_pipe_is_refused_at_once_instead_of_blocking(tmp_path: Path) -> None:
    import os
    import time

    fifo = tmp_path / "fifo.py"
    os.mkfifo(fifo)  # no writer: a plain open() would wait forever
    started = time.monotonic()
    with pytest.raises(SubmissionError, match=r"named pipe \(FIFO\), not a regular file"):
        load_submission(fifo)
    assert time.monotonic() - started < 1.0


def test_a_socket_and_a_device_are_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "sock.py"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(SubmissionError, match="a socket, not a regular file"):
            load_submission(path)
    finally:
        server.close()
    device = tmp_path / "null.py"
    device.symlink_to("/dev/null")  # a link is refused before its target is looked at
    with pytest.raises(SubmissionError, match="symbolic link"):
        load_submission(device)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            '{"nbformat": 4, "metadata": ' + "[" * 100_000 + "]" * 100_000 + ', "cells": []}',
            "JSON nested 100,001 levels deep; the limit is 100",
        ),
        (
            '{"nbformat": 4, "metadata": {"n": ' + "1" * 5_000 + '}, "cells": []}',
            "its JSON cannot be read: ValueError",
        ),
        (notebook(*[("markdown", "")] * 10_001), "too many notebook cells (10,001"),
        (notebook(("code", "x = 1\n" * 60_000)), "too many lines of code (60,001"),
    ],
    ids=["deep", "huge-number", "many-cells", "many-lines"],
)
def test_hostile_notebooks_are_refused_in_one_line(
    tmp_path: Path, text: str, fragment: str
) -> None:
    p = write(tmp_path, "hw.ipynb", text)
    with pytest.raises(SubmissionError) as info:
        load_submission(p)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_too_much_code_is_refused_before_the_sandbox_spends_its_load_time(
    tmp_path: Path,
) -> None:
    p = write(tmp_path, "stmts.py", "x = 1; " * 200_000)
    with pytest.raises(SubmissionError, match=r"too much code \(1,400,000 bytes of Python"):
        load_submission(p)


def test_brackets_inside_notebook_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    p = write(tmp_path, "hw.ipynb", notebook(("code", "s = '" + "[{" * 500 + "'\n")))
    assert load_submission(p).source.startswith("s = '[{[{")


def test_a_file_name_that_is_not_text_is_refused_and_shown_marked(tmp_path: Path) -> None:
    import os

    p = tmp_path / os.fsdecode(b"kim\xff.py")  # bytes of another encoding
    p.write_text("x = 1\n")
    with pytest.raises(SubmissionError) as info:
        load_submission(p)
    assert "kim\ufffd.py: its name is not UTF-8 text" in str(info.value)
    str(info.value).encode("utf-8")  # printable: no lone surrogate left in the message


def test_a_relative_path_through_a_linked_folder_is_refused_where_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside, "hw.py", "x = 1\n")
    work = tmp_path / "checkout"
    (work / "real").mkdir(parents=True)
    write(work / "real", "hw.py", "y = 2\n")
    (work / "src").symlink_to(outside)
    monkeypatch.chdir(work)
    with pytest.raises(SubmissionError, match=r"the folder src is a symbolic link"):
        load_submission("src/hw.py", through_links=False)
    assert load_submission("real/hw.py", through_links=False).source == "y = 2\n"
    assert load_submission("src/hw.py").source == "x = 1\n"  # a batch checked its folders
