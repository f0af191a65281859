"""The post-checker page: the view without a kernel, then the real module 4 page in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support.browser import PAGE_TIMEOUT_MS, open_page

from carefully import privacy
from carefully.pages import checker

DRAFT = "Mrs. Alvarez in room 12 had her appendix out on March 3, what a night!"
THREE = {"name": "Alvarez", "room_or_bed": "room 12", "date": "March 3"}
ATTACK = "<img src=x onerror=alert(1)>"


# --- the view, without a kernel --------------------------------------------------------


def test_findings_are_marked_inline_and_explained() -> None:
    report = privacy.check(DRAFT)
    assert {f.kind: DRAFT[f.start:f.end] for f in report.findings} == THREE
    html = checker.render_report(DRAFT, report)
    assert html.count("<mark ") == 3
    for number, finding in enumerate(report.findings, 1):
        assert f'data-kind="{finding.kind}" title="Finding {number}: {finding.label}"' in html
        assert f"(finding {number}: {finding.label})</span></mark>" in html
    assert "cf-fail" in html and "Fails the elevator test" in html
    assert "3 things that could identify a patient" in html


def test_what_the_learner_types_is_escaped_everywhere() -> None:
    text = f"{ATTACK} Mrs. Alvarez said <b>hi</b> & left"
    html = checker.render_report(text, privacy.check(text), photo_description="<script>x</script>")
    assert "<img" not in html and "<b>" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&amp; left" in html


def test_overlapping_findings_share_one_mark() -> None:
    text = "Room 12 patient"
    overlapping = (
        privacy.Finding(0, 7, "room_or_bed", "Room or bed number", "r", False, "text"),
        privacy.Finding(5, 7, "other_code", "Unique code", "c", True, "text"),
        privacy.Finding(-1, -1, "full_face_photo", "Face in the photo", "f", True,
                        "photo description"),
    )
    marked = checker.render_marked(text, overlapping)
    assert marked.count("<mark ") == 1
    assert 'data-kind="room_or_bed other_code"' in marked and "1: Room or bed number; 2:" in marked
    listed = checker.render_findings(text, overlapping)
    assert listed.count("<li ") == 3 and "in the photo description" in listed


def test_an_empty_draft_invites_typing() -> None:
    assert "Type a draft above" in checker.render_report("", None)


def test_checks_tick_the_tasks_flagged_then_fixed(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CAREFULLY_VAR", str(tmp_path))
    view = checker.CheckerView(4, learner_id="guest-" + "0" * 24)
    assert [task.id for task in view.checklist.checklist.tasks] == ["flag-a-draft", "fix-a-draft"]
    view.draft.value = "What a night in surgery"  # passes, but nothing was fixed
    assert view.checklist.checklist.done == set()
    view.draft.value = DRAFT
    assert view.checklist.checklist.done == {"flag-a-draft"}
    assert view.result.value.count("<mark ") == 3
    view.draft.value = "A long night"  # a rewrite of three words that passes
    assert view.checklist.checklist.done == {"flag-a-draft", "fix-a-draft"}


def test_a_failing_checker_shows_a_notice_not_a_traceback(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CAREFULLY_VAR", str(tmp_path))
    view = checker.CheckerView(4, learner_id="guest-" + "0" * 24)

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(privacy, "check", broken)
    view.draft.value = "anything"
    assert "cf-notice" in view.result.value and "boom" not in view.result.value


# --- the real page ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def module_4(course_server, browser):
    """The module 4 page, opened once for this file, with the dialogs it opened."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_page(page, course_server.page_url("04_privacy_law.ipynb"), ".cf-checker textarea")
    yield page, dialogs
    context.close()


@pytest.mark.browser
def test_a_draft_with_a_name_a_date_and_a_room_shows_three_findings(module_4):
    page, _ = module_4
    box = page.locator(".cf-checker")
    box.get_by_label("Your draft post").fill(DRAFT)
    marks = box.locator(".cf-draft mark")
    expect(marks).to_have_count(3)
    found = {mark.get_attribute("data-kind"): mark.inner_text() for mark in marks.all()}
    assert {kind: text.split("(finding")[0].strip() for kind, text in found.items()} == THREE
    for mark in marks.all():
        assert mark.get_attribute("title").startswith("Finding ")
    items = box.locator(".cf-findings > li")
    expect(items).to_have_count(3)
    expect(items.filter(has_text="Room or bed number")).to_contain_text("room 12")
    expect(box.locator(".cf-verdict")).to_contain_text("Fails the elevator test")
    expect(box.locator(".cf-checklist")).to_contain_text("1 of 2 done")

    box.get_by_label("Your draft post").fill("What a night in surgery, and what a team.")
    expect(marks).to_have_count(0)
    expect(box.locator(".cf-verdict")).to_contain_text("Passes the elevator test")
    expect(box.locator(".cf-checklist")).to_contain_text("2 of 2 done")


@pytest.mark.browser
def test_typed_html_shows_literally(module_4):
    page, dialogs = module_4
    box = page.locator(".cf-checker")
    box.get_by_label("Your draft post").fill(f"Mrs. Alvarez {ATTACK}")
    box.get_by_label("Photo description (optional)").fill(f"{ATTACK} a chart on the desk")
    draft = box.locator(".cf-draft")
    expect(draft).to_contain_text(ATTACK)
    expect(box.locator(".cf-draft mark")).to_have_count(1)
    assert box.locator(".cf-checker-output img, .cf-checker-output script").count() == 0
    assert dialogs == []


@pytest.mark.browser
def test_module_4_is_accessible_and_shows_no_code(module_4, assert_accessible):
    page, _ = module_4
    body = page.locator("#rendered_cells").inner_text()
    for leak in ("import carefully", "checker.show", "Traceback"):
        assert leak not in body, leak
    for fact in ("as of the 2024 inflation adjustment", "92%", "71%", "56%", "2,134,831 dollars",
                 "45 CFR 164.514(b)(2)", "the patient comes first"):
        assert fact in body, fact
    assert_accessible(page)
