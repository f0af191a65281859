"""A module quiz on a Voila page, in Chromium: answer by keyboard, submit, see the grade.

The page is a small notebook that calls ``carefully.pages.quiz.show`` as a
lesson's last cell does, served by the real course server from a temporary
notebooks folder, with the course content copied so that two attempts are
allowed. Grading is the real worker and real nbgrader.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from playwright.sync_api import expect
from support.browser import open_page
from support.server import ROOT, start_server

from carefully import learners
from carefully.grading import attempts, worker
from carefully.grading.paths import Layout

pytestmark = pytest.mark.browser

QUIZ = "01_social_media"
PAGE = "quiz_page.ipynb"
LEARNER = learners.new_id()
GRADE_MS = 120_000
SECRETS = ("assert q", "HIDDEN", "BEGIN SOLUTION", "not the right answer", "this one applies",
           "q1_test", "Traceback")


@pytest.fixture(scope="module")
def quiz_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("quiz-page")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [new_code_cell(f'from carefully.pages import quiz\n\nquiz.show("{QUIZ}")')]
    nbformat.write(nb, notebooks / PAGE)
    assets = root / "assets"
    shutil.copytree(ROOT / "assets", assets)
    course = assets / "course.yaml"
    text = course.read_text(encoding="utf-8")
    assert text.count("attempts_allowed: 3") == 1
    course.write_text(text.replace("attempts_allowed: 3", "attempts_allowed: 2"), encoding="utf-8")
    var = root / "var"
    server = start_server(var_dir=var, notebooks=notebooks, assets=assets)
    yield server, Layout(var)
    server.stop()
    worker.stop(Layout(var))


def open_quiz(tab, server):
    return open_page(tab.page, server.page_url(PAGE, f"learner={LEARNER}"), ".cf-quiz")


def press(page, locator, key: str = "Space") -> None:
    locator.focus()
    expect(locator).to_be_focused()
    page.keyboard.press(key)


def assert_no_secrets(page) -> None:
    html = page.content()
    for secret in SECRETS:
        assert secret not in html, f"the page shows {secret!r}"


def test_a_learner_answers_by_keyboard_submits_and_sees_the_grade(quiz_server, tab,
                                                                   assert_accessible):
    server, layout = quiz_server
    page = open_quiz(tab, server)
    expect(page.locator(".cf-quiz-attempts")).to_have_text("Attempts left: 2 of 2.")
    assert page.get_by_role("heading", name="Question 1 of 7").is_visible()
    assert_accessible(page)

    # Every answer given with the keyboard alone.
    press(page, page.get_by_role("radio", name="C. Anyone on the Web"))
    press(page, page.get_by_role("radio", name="B. Spend a few weeks"))
    press(page, page.get_by_role("checkbox", name="B. A professional page"))
    press(page, page.get_by_role("radio", name="True"))
    press(page, page.get_by_role("radio", name="D. Decline on her personal"))
    press(page, page.get_by_role("radio", name="A. About a third"))
    reflection = page.get_by_role("textbox", name="Your reflection (question 7)")
    reflection.focus()
    page.keyboard.type('Patients. "); import os #')
    expect(page.get_by_role("checkbox", name="B. A professional page")).to_be_checked()
    page.keyboard.press("Tab")
    submit = page.get_by_role("button", name="Submit answers")
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")

    result = page.locator(".cf-quiz-result")
    expect(result).to_be_visible(timeout=GRADE_MS)
    text = result.inner_text()
    assert "Attempt 1: 5.5 of 7 points (78.6%)" in text
    assert "Not passed yet. The pass mark is 80%." in text
    assert "Question 1: Right." in text and "Question 3: Partly right, 1.5 of 2 points." in text
    assert "Question 4: Not right." in text
    # An explanation names the answer: not shown while another attempt could copy it.
    assert "Why:" not in text
    assert "Re-read: Three audiences read what you post" in text
    assert "Question 7: Your instructor will read your reflection." in text
    assert_no_secrets(page)
    assert_accessible(page)
    expect(page.locator(".cf-quiz-attempts")).to_have_text("Attempts left: 1 of 2.")

    # The submission on the server is a genuine nbgrader one.
    submitted = layout.submitted(LEARNER, QUIZ)
    assert sorted(p.name for p in submitted.iterdir()) == ["quiz.ipynb", "timestamp.txt"]


def test_the_attempts_rule_holds_across_submits_and_reloads(quiz_server, tab):
    server, layout = quiz_server
    page = open_quiz(tab, server)
    # The last attempt's answers and result are back after a reload.
    expect(page.locator(".cf-quiz-result")).to_contain_text("Attempt 1:")
    expect(page.get_by_role("radio", name="C. Anyone on the Web")).to_be_checked()
    page.get_by_role("radio", name="False").check()
    page.get_by_role("button", name="Submit a new attempt").click()
    result = page.locator(".cf-quiz-result")
    expect(result).to_contain_text("Attempt 2: 6.5 of 7 points (92.9%)", timeout=GRADE_MS)
    expect(result).to_contain_text("You passed.")
    expect(result).to_contain_text("Why:")  # passed: now the explanations are shown
    expect(result).to_contain_text("The attempt that counts: attempt 2, 92.9%.")
    expect(page.locator(".cf-quiz-attempts")).to_have_text(
        "You have used all 2 attempts at this quiz. Your results are below.")
    expect(page.locator(".cf-quiz-submit")).to_be_hidden()
    assert_no_secrets(page)

    page.reload()
    page.wait_for_selector(".cf-quiz", timeout=GRADE_MS)
    expect(page.locator(".cf-quiz-result")).to_contain_text("Attempt 2:")
    expect(page.locator(".cf-quiz-submit")).to_be_hidden()
    for control in page.locator(".cf-quiz input").all():
        expect(control).to_be_disabled()
    assert [a.number for a in attempts.every(layout, LEARNER, QUIZ)] == [1, 2]
