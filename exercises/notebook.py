"""The starter notebook: every exercise's statement, starter code and worked example in one file.

Built only from the other sources (statements, starter files, examples), with fixed cell
ids, so regenerating it gives the same bytes and a test can tell when it is stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

TITLE = """\
# 경사하강법 실습 / Gradient descent exercises

강의 「경사하강법」의 연습 {count}개입니다. 연습마다 문제 설명(한국어, 그 아래 영어), \
시작 코드 셀, 예시를 실행해 보는 확인 셀이 차례로 있습니다.

- 시작 코드 셀의 `# TODO` 부분을 채우고 `raise NotImplementedError`를 지우세요.
- 함수 이름과 매개변수의 **순서**는 바꾸지 마세요. 채점기는 함수를 위치 인자로 호출하므로 \
매개변수 이름(`lr` 등)은 바꿔도 되고, 기본값이 있는 매개변수를 뒤에 더해도 됩니다.
- `numpy`와 `math`를 쓸 수 있습니다. 보조 함수, `print`, 그래프도 괜찮습니다.
- 이 노트북(`.ipynb`)이나 `.py` 파일 하나로 제출합니다. 구현하지 않은 함수는 그 연습만 0점이고, \
어떤 셀에서 오류가 나도 다른 연습의 채점에는 영향이 없습니다.
- 확인 셀의 주석은 기준 구현이 내는 값입니다. \
공개 사례는 각 연습 폴더의 `public_cases.json`에 있습니다.
- 연습마다 마지막 셀 `check("...")`이 그 함수를 공개 사례로 확인합니다. \
먼저 실습 폴더를 설치하세요: `%pip install <실습 폴더, 그 .zip 또는 dist/의 .whl>` \
(Windows, macOS, Linux, Colab, JupyterHub).

---

The {count} exercises of the lecture on gradient descent. Each has its statement (Korean, then \
English), a cell with the starter code, and a "try it" cell that runs the worked example.

- Fill in the `# TODO` of each starter cell and remove `raise NotImplementedError`.
- Keep each function's name and the **order** of its parameters. The grader calls the functions \
positionally, so renaming a parameter (`lr`) or adding optional ones at the end is fine.
- You may use `numpy` and `math`, helpers, `print` and plots.
- Submit this notebook (`.ipynb`) or one `.py` file. A function you did not write scores 0 for its \
exercise only; a cell that fails does not stop the other exercises from being graded.
- The comments in the "try it" cells are the reference implementation's values. The public cases \
are in each exercise folder's `public_cases.json`.
- The last cell of each exercise, `check("...")`, checks that function on the public cases. First \
install the release: `%pip install <the release folder, its .zip or dist/*.whl>` (Windows, macOS, \
Linux, Colab, JupyterHub).
"""

IMPORTS = """\
import numpy as np

# 공개 사례 확인 / the public check. 설치 / install (once):
# %pip install <the release folder, its .zip or dist/*.whl>
try:
    from gdgrade import check
except ImportError:  # 설치 전, 그리고 채점할 때 / before installing, and while grading

    def check(*exercises, **options):
        print("gdgrade: %pip install <release> 후에 확인할 수 있습니다 / install it to check")
"""

CHECK_HEADER = "# 공개 사례로 확인 / check on the public cases\n"

TRY_HEADER = (
    "# 확인: 문제의 예시를 실행합니다. 주석은 기대값입니다.\n"
    "# Try it: the worked example; the comments are the expected values.\n"
)

_FENCE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True)
class ExerciseCells:
    """What one exercise contributes: statements, starter code, the example to try."""

    number: int
    statement_ko: str
    statement_en: str
    starter: str
    example: str
    function: str  # the contract name, for the check cell


def demote_headings(markdown: str) -> str:
    """One level deeper (# -> ##) outside code fences, under the notebook's own title."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        out.append("#" + line if not fenced and line.startswith("#") else line)
    return "\n".join(out)


def starter_cell_source(starter: str) -> str:
    """The starter file without its numpy import: the notebook's first cell imports numpy."""
    lines = [line for line in starter.split("\n") if not line.startswith("import numpy")]
    return "\n".join(lines).strip("\n") + "\n"


def build(exercises: list[ExerciseCells]) -> NotebookNode:
    title = TITLE.replace("{count}", str(len(exercises)))
    cells = [_markdown("title", title), _code("imports", IMPORTS)]
    for ex in exercises:
        tag = f"ex{ex.number}"
        cells += [
            _markdown(f"{tag}-statement-ko", demote_headings(ex.statement_ko)),
            _markdown(f"{tag}-statement-en", demote_headings(ex.statement_en)),
            _code(f"{tag}-starter", starter_cell_source(ex.starter)),
            _code(f"{tag}-try", TRY_HEADER + ex.example),
            _code(f"{tag}-check", f'{CHECK_HEADER}check("{ex.function}")'),
        ]
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb


def text(nb: NotebookNode) -> str:
    """The notebook as stored: nbformat's own serialisation, validated."""
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def _markdown(cell_id: str, source: str) -> NotebookNode:
    cell = new_markdown_cell(source.rstrip("\n"))
    cell.id = cell_id
    return cell


def _code(cell_id: str, source: str) -> NotebookNode:
    cell = new_code_cell(source.rstrip("\n"))
    cell.id = cell_id
    return cell
