"""The catalogue page (module 5) in Chromium, served from a copy of assets/ with one topic added.

One server and one page load for the whole file: each test first puts the
page back to "all topics, no search".
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect
from support.browser import PAGE_TIMEOUT_MS, open_page
from support.server import ROOT, CourseServer, start_server
from test_catalogue_model import NEW_TOPIC

from carefully import progress
from carefully.catalogue import model

pytestmark = pytest.mark.browser

PAGE = "05_best_practices.ipynb"
LEARNER = "c5" * 12
NEW_ID = "podcasts-and-interviews"
ATTACK = "<img src=x onerror=alert(1)>"
WAIT = 30_000  # ms for the kernel to answer a keystroke on a busy machine


@dataclass
class Served:
    server: CourseServer
    assets: Path
    var: Path
    page: object = None
    dialogs: list[str] = field(default_factory=list)

    @property
    def catalogue(self) -> model.Catalogue:
        return model.load(self.assets)


@pytest.fixture(scope="module")
def view(tmp_path_factory, browser):
    """Module 5 served from a copy of assets/ holding one more topic file, open in Chromium."""
    root = tmp_path_factory.mktemp("catalogue")
    assets = root / "assets"
    shutil.copytree(ROOT / "assets", assets)
    (assets / "topics" / f"{NEW_ID}.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    server = start_server(var_dir=root / "var", assets=assets)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        served = Served(server, assets, root / "var", context.new_page())
        served.page.set_default_timeout(PAGE_TIMEOUT_MS)

        def on_dialog(dialog):
            served.dialogs.append(dialog.message)
            dialog.dismiss()

        served.page.on("dialog", on_dialog)
        open_page(served.page, server.page_url(PAGE, f"learner={LEARNER}"), ".cf-catalogue-count")
        yield served
    finally:
        context.close()
        server.stop()


def listed(page, selector: str = ""):
    """Topics in the catalogue (not the single topics shown in the lesson's sections)."""
    return page.locator(f".cf-catalogue .cf-topic{selector}")


def count(page):
    return page.locator(".cf-catalogue .cf-catalogue-count")


def search_box(page):
    return page.get_by_label("Search the topics")


def shown(page) -> tuple[str, ...]:
    return tuple(listed(page).evaluate_all("items => items.map(i => i.dataset.topic)"))


def reset(page) -> None:
    """No search, all tags."""
    search_box(page).fill("")
    page.get_by_role("radio", name=re.compile(r"^All topics")).check()
    expect(count(page)).to_have_text(re.compile(r"^Showing all \d+ topics\.$"), timeout=WAIT)


def task_done(view: Served, task: str) -> None:
    """The task is ticked on the page and recorded for the learner."""
    expect(view.page.locator(f'[data-task="{task}"]')).to_have_class(
        re.compile(r"\bcf-task-done\b"), timeout=WAIT)
    assert task in progress.done(LEARNER, 5, "task", view.var)


def test_a_new_topic_file_is_listed_with_no_code_change(view, assert_accessible):
    page, catalogue = view.page, view.catalogue
    reset(page)
    assert len(catalogue) == len(model.load()) + 1
    expect(count(page)).to_have_text(f"Showing all {len(catalogue)} topics.")
    assert shown(page) == catalogue.listing().ids
    new = listed(page, f'[data-topic="{NEW_ID}"]')
    expect(new.locator("summary")).to_contain_text("Podcasts and press interviews")
    expect(page.get_by_role("radio", name="media (1)")).to_be_visible()

    body = page.locator("#rendered_cells").inner_text()
    assert "Traceback" not in body and "from carefully" not in body
    assert page.locator(".jp-OutputArea-output[data-mime-type*='error']").count() == 0
    assert_accessible(page)


def test_search_narrows_the_list_and_announces_the_count(view):
    page, catalogue = view.page, view.catalogue
    reset(page)
    expected = catalogue.listing("Review")
    assert 0 < expected.count < expected.total

    search_box(page).click()
    page.keyboard.type("Review")
    expect(count(page)).to_have_text(
        f"{expected.count} of {expected.total} topics match \u201cReview\u201d.", timeout=WAIT)
    expect(count(page)).to_have_attribute("role", "status")
    assert shown(page) == expected.ids
    expect(listed(page).locator("summary mark").first).to_be_visible()
    task_done(view, "search-catalogue")

    search_box(page).fill("RÉVIEW")  # capitals and accents do not matter
    expect(count(page)).to_have_text(re.compile(rf"^{expected.count} of .* \u201cRÉVIEW\u201d"),
                                     timeout=WAIT)
    assert shown(page) == expected.ids

    search_box(page).fill("friend request")
    found = catalogue.listing("friend request")
    expect(listed(page)).to_have_count(found.count, timeout=WAIT)
    assert "patient-friend-requests" in shown(page)
    task_done(view, "find-friend-requests")


def test_filter_by_tag_with_the_keyboard(view):
    page, catalogue = view.page, view.catalogue
    reset(page)
    tagged = catalogue.listing("", "colleagues")
    radio = page.get_by_role("radio", name=f"colleagues ({tagged.count})")
    radio.focus()
    page.keyboard.press("Space")
    expect(count(page)).to_have_text(
        f"{tagged.count} of {tagged.total} topics are tagged colleagues.", timeout=WAIT)
    expect(radio).to_be_checked()
    assert shown(page) == tagged.ids
    task_done(view, "filter-colleagues")

    both = catalogue.listing("misinformation", "colleagues")
    search_box(page).fill("misinformation")
    expect(count(page)).to_have_text(re.compile(
        rf"^{both.count} of {both.total} topics? (is|are) tagged colleagues and match"),
        timeout=WAIT)
    assert shown(page) == both.ids


def test_open_a_topic_by_keyboard_and_find_its_dilemma(view, assert_accessible):
    page = view.page
    reset(page)
    card = listed(page, '[data-topic="patient-friend-requests"]')
    expect(card.locator(".cf-topic-body")).to_be_hidden()
    card.locator("summary").focus()
    page.keyboard.press("Enter")
    body = card.locator(".cf-topic-body")
    expect(body).to_be_visible()
    expect(body).to_contain_text("QuantiaMD survey, 2011")
    expect(body).to_contain_text("ACP/FSMB 2013")
    link = body.get_by_role("link", name=re.compile(r"^the dilemma "))
    assert link.get_attribute("href") == f"04_privacy_law.ipynb?learner={LEARNER}"
    assert_accessible(page)


def test_typed_markup_is_shown_as_text(view):
    page = view.page
    reset(page)
    search_box(page).fill(ATTACK)
    expect(count(page)).to_have_text(f"No topic matches \u201c{ATTACK}\u201d. Try another word, "
                                     "or show all topics.", timeout=WAIT)
    assert page.locator(".cf-catalogue img").count() == 0
    assert view.dialogs == []


def test_catalogue_fits_a_phone_screen(view):
    page = view.page
    reset(page)
    page.set_viewport_size({"width": 375, "height": 740})
    try:
        page.get_by_role("radio", name=re.compile(r"^privacy ")).scroll_into_view_if_needed()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"the page is {overflow}px wider than a phone screen"
        wide = page.locator(".cf-catalogue").evaluate("box => box.scrollWidth - box.clientWidth")
        assert wide <= 1, f"the catalogue is {wide}px wider than its box"
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
