"""The pages `gdgrade batch` writes, opened in headless Chromium at a phone's width (390 px)
and a desktop's (1280 px): nothing wider than the screen (no sideways scrolling), and a report
with mistakes shows its first failing case above its first passing one. Skipped, with the
reason, where chromium, chromedriver or selenium is missing."""

from __future__ import annotations

from pathlib import Path

import browser
import pytest

WHY = browser.missing()
pytestmark = pytest.mark.skipif(WHY is not None, reason=f"no headless browser: {WHY}")
WIDTHS = (browser.PHONE, browser.DESKTOP)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    return browser.grade_class(tmp / "class", tmp / "out")


@pytest.fixture(scope="module")
def driver():
    with browser.chromium() as opened:
        yield opened


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", ["class.html", f"reports/{browser.MISTAKES}.html"])
def test_page_fits_the_screen_without_sideways_scrolling(graded, driver, page, width):
    browser.show(driver, graded / page, width)
    assert driver.execute_script("return window.innerWidth") == width
    wider = driver.execute_script(
        "return [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))"
    )
    assert browser.overflow(driver, width) == 0, f"{page} at {width}px sticks out: {wider}"


# Page y of the first failing and the first passing case row: of each exercise (`each`), or
# among the rows one sees on the page as it opens (folded rows have no box).
ROW_TOPS = """
const top = (root, s) => {
  const row = [...root.querySelectorAll(s)].find(e => e.checkVisibility());
  return row ? row.getBoundingClientRect().top + window.scrollY : null;
};
const tops = root => [top(root, 'tr.failed, tr.missing, tr.error'), top(root, 'tr.passed')];
if (arguments[0]) {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  return [...document.querySelectorAll('section.exercise')].map(tops);
}
return [tops(document)];
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_report_shows_first_failing_case_above_first_passing_one(graded, driver, width):
    browser.show(driver, graded / "reports" / f"{browser.MISTAKES}.html", width)
    ((failing, passing),) = driver.execute_script(ROW_TOPS, False)
    assert failing is not None, "no failing case visible in a report with mistakes"
    assert passing is None or failing < passing, (failing, passing)
    sections = driver.execute_script(ROW_TOPS, True)
    mixed = [(f, p) for f, p in sections if f is not None and p is not None]
    assert mixed, "the sample report has no exercise with both failing and passing cases"
    assert all(f < p for f, p in mixed), mixed


def test_class_page_lists_students_sortable_filterable_linked_to_reports(graded, driver):
    browser.show(driver, graded / "class.html", browser.DESKTOP)
    ids = "return [...document.querySelectorAll('#student-table tbody tr')].filter(r => !r.hidden)"
    ids += ".map(r => r.cells[0].textContent.trim())"
    final = driver.find_element("css selector", "#student-table th:nth-child(7)")
    final.click()
    final.click()  # second click: highest final score first
    scores = {s: float(x) for s, x in browser.final_scores(graded).items()}
    shown = driver.execute_script(ids)
    assert [scores[s] for s in shown] == sorted(scores.values(), reverse=True)
    driver.find_element("id", "student-filter").send_keys(browser.MISTAKES[-3:])
    assert driver.execute_script(ids) == [browser.MISTAKES]
    links = driver.execute_script(
        "return [...document.querySelectorAll('a[href^=\"reports/\"]')].map(a => a.href)"
    )
    assert {Path(href.removeprefix("file://")).name for href in links} == {
        f"{s}.html" for s in browser.CLASS
    }
    assert all(Path(href.removeprefix("file://")).is_file() for href in links)


def test_class_histogram_shows_every_count_and_the_full_marks_edge(graded, driver):
    browser.show(driver, graded / "class.html", browser.DESKTOP)
    hidden = driver.execute_script(
        "return [...document.querySelectorAll('svg.hist text.n')].filter(t => {"
        " const s = t.closest('svg').getBoundingClientRect(), r = t.getBoundingClientRect();"
        " return r.top < s.top || r.bottom > s.bottom; }).length"
    )
    assert hidden == 0
    edges = driver.execute_script(
        "return [...document.querySelector('svg.hist').querySelectorAll('text.axis')]"
        ".map(t => t.textContent)"
    )
    assert edges[0] == "0" and edges[-1] == "100"


# For each exercise id in the report's contents table and headings: its text and the
# characters after which the browser started a new line ("batch_gradient_" / "descent"
# gives ["_"], "batch_gradient_descen" / "t" gives ["n"]).
ID_BREAKS = """
return [...document.querySelectorAll('nav code, h2 code')].map(code => {
  const chars = [];
  const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode;
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      chars.push([node.data[i], range.getBoundingClientRect().top]);
    }
  }
  const breaks = chars.filter((c, i) => i > 0 && c[1] > chars[i - 1][1] + 1)
    .map(c => chars[chars.indexOf(c) - 1][0]);
  return [code.textContent, breaks];
});
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_long_exercise_ids_wrap_only_after_an_underscore(graded, driver, width):
    browser.show(driver, graded / "reports" / f"{browser.MISTAKES}.html", width)
    ids = driver.execute_script(ID_BREAKS)
    assert any(name == "batch_gradient_descent" for name, _ in ids)
    broken = [(name, after) for name, after in ids if set(after) - {"_"}]
    assert broken == [], f"ids cut inside a word at {width}px: {broken}"


@pytest.mark.parametrize("width", WIDTHS)
def test_class_student_list_shows_every_final_score_without_scrolling(graded, driver, width):
    browser.show(driver, graded / "class.html", width)
    box = driver.find_element("css selector", "#students .wide-table")
    assert driver.execute_script("return arguments[0].scrollWidth", box) <= box.size["width"]
    final = driver.find_element("css selector", "#student-table th:nth-child(7)")
    assert final.is_displayed() and final.location["x"] + final.size["width"] <= width
