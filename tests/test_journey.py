"""A whole learner journey in Chromium, as a physician takes the course for credit.

Sign in on the start page; open every module page from the start page through
the personal link; pass every quiz; take the post-test; fill in the
evaluation; download the certificate, read it back, and verify its code.
"""

from __future__ import annotations

import ast
import datetime as dt
import re

import nbformat
import pytest
from playwright.sync_api import expect
from support.browser import PAGE_TIMEOUT_MS, open_page
from support.server import ROOT, start_server

from carefully import certificates, content
from carefully.kinds import forms
from carefully.quiz import model

COURSE = content.course()
NAME = "Dr. Renata Okonkwo-Baptiste"
GRADE_MS = 120_000


def answer_key(assignment: str) -> dict[str, object]:
    """Each question's model answer, from the instructor's source notebook."""
    quiz, _ = model.load(ROOT / "release", assignment)
    source = nbformat.read(model.quiz_notebook(ROOT / "source" / assignment), as_version=4)
    by_cell = {cell.get("id"): cell for cell in source.cells}
    key = {}
    for question in quiz.questions:
        if question.manual:
            continue
        text = by_cell[question.answer_cell].source
        solution = re.search(r"### BEGIN SOLUTION\n(.*?)\n### END SOLUTION", text, re.DOTALL).group(1)
        key[question.qid] = ast.literal_eval(solution.split("=", 1)[1].strip())
    return key


def pass_quiz(page, assignment: str) -> None:
    quiz, _ = model.load(ROOT / "release", assignment)
    box = page.locator(".cf-quiz")
    box.first.wait_for()
    key = answer_key(assignment)
    for question in quiz.questions:
        if question.manual:
            page.get_by_role("textbox", name=f"Your reflection (question {question.number})") \
                .fill("I will keep my personal profile for family and friends.")
            continue
        value = key[question.qid]
        if question.kind == "truefalse":
            group = page.get_by_role("radio", name=str(value), exact=True)
            group.nth(_truefalse_index(quiz, question)).check()
        elif question.kind == "single":
            text = next(c.text for c in question.choices if c.key == value)
            page.get_by_role("radio", name=f"{value}. {text}", exact=True).check()
        else:
            for choice in question.choices:
                box_ = page.get_by_role("checkbox", name=f"{choice.key}. {choice.text}",
                                        exact=True)
                if choice.key in value:
                    box_.check()
    page.get_by_role("button", name="Submit answers").click()
    result = page.locator(".cf-quiz-result")
    expect(result).to_be_visible(timeout=GRADE_MS)
    expect(result).to_contain_text("You passed.")


def _truefalse_index(quiz, question) -> int:
    """Which True (or False) radio on the page belongs to this question."""
    return sum(1 for q in quiz.questions if q.kind == "truefalse" and q.number < question.number)


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory):
    var = tmp_path_factory.mktemp("journey-var")
    server = start_server(var_dir=var)
    server.var = var
    yield server
    server.stop()


@pytest.mark.browser
def test_a_physician_signs_in_passes_everything_and_gets_a_verifiable_certificate(
        journey_server, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    try:
        open_page(page, journey_server.page_url("00_start.ipynb"), ".cf-sign-in")
        labels = forms.sign_in().labels
        page.get_by_label(labels["name"]).fill(NAME)
        page.get_by_label(labels["email"]).fill("renata.okonkwo@example.org")
        page.get_by_label(labels["profession"]).select_option(label="Physician (MD)")
        page.get_by_label(labels["license_id"]).fill("MD-0047221")
        page.get_by_role("button", name="Sign in").click()
        personal = page.get_by_role("link", name="Your personal link to this course")
        personal.wait_for()
        start = personal.get_attribute("href")
        assert re.fullmatch(r"00_start\.ipynb\?learner=[0-9a-f]{24}", start)

        for module in COURSE.modules[1:-1]:
            open_page(page, journey_server.page_url(start), ".cf-welcome")
            link = page.locator(".cf-my-modules").get_by_role(
                "link", name=f"Module {module.number}: {module.title}")
            link.click()
            page.wait_for_url(f"**/{module.page}?learner=*")
            open_page(page, page.url, ".cf-quiz")
            pass_quiz(page, module.page.removesuffix(".ipynb"))

        open_page(page, journey_server.page_url(start), ".cf-welcome")
        assert "quiz score" in page.locator(".cf-my-modules").inner_text()
        page.locator(".cf-my-modules").get_by_role("link", name=re.compile("^Module 6")).click()
        page.wait_for_url("**/06_finish.ipynb?learner=*")
        open_page(page, page.url, ".cf-quiz")
        expect(page.locator(".cf-missing")).to_contain_text("Module 6")  # post-test not yet
        pass_quiz(page, "06_post_test")

        words = forms.forms().evaluation
        questions = page.locator(".cf-evaluation-question")
        for index, question in enumerate(words.questions):
            field = questions.nth(index)
            if question.kind == "scale":
                field.get_by_role("radio", name="Agree", exact=True).check()
            elif question.kind == "choice":
                field.get_by_role("radio", name="No", exact=True).check()
            elif question.required:
                field.locator("textarea").fill("Stop accepting patients' friend requests.")
        page.get_by_label(re.compile("How many AMA PRA Category 1")).select_option(label="1.75")
        page.get_by_role("button", name=words.button).click()
        download_link = page.get_by_role("link", name="Download your certificate (PDF)")
        download_link.wait_for(timeout=30_000)
        with page.expect_download() as event:
            download_link.click()
        pdf = event.value.path().read_bytes()
    finally:
        context.close()

    text = " ".join(certificates.pdf_text(pdf).split())
    today = dt.date.today()
    for expected in (NAME, COURSE.title, COURSE.provider, f"{today.day} {today:%B %Y}",
                     "1.75 AMA PRA Category 1 Credits"):
        assert expected in text, expected
    code = re.search(r"CF-[A-Z2-7]{8}-[A-Z2-7]{12}", text).group(0)
    assert certificates.verify(code, journey_server.var).valid
    altered = code[:-1] + ("B" if code[-1] != "B" else "C")
    assert not certificates.verify(altered, journey_server.var).valid
    assert certificates.verify_pdf(pdf, journey_server.var).valid
