"""The start page, as a learner's browser shows it."""

import re

import pytest
from support.browser import open_page, wait_until_rendered

from carefully import content, settings

pytestmark = pytest.mark.browser


def test_root_address_leads_to_the_start_page(course_server, tab):
    tab.page.goto(course_server.url)
    wait_until_rendered(tab.page, "h1")
    assert tab.page.url.endswith("/voila/render/00_start.ipynb")


def test_start_page_shows_the_course_not_a_notebook(course_server, tab, assert_accessible):
    course = content.course()
    page = open_page(tab.page, course_server.page_url("00_start.ipynb"), "h1")

    assert page.locator("h1").inner_text().strip() == course.title
    body = page.locator("#rendered_cells").inner_text()
    assert f"{course.pass_mark}%" in body
    assert course.objectives[0] in body

    # Every module after the start page is listed; those with a page link to it.
    items = page.locator("ol.cf-modules > li")
    assert items.count() == len(course.modules) - 1
    for module in course.modules[1:]:
        entry = items.filter(has_text=module.title)
        assert entry.count() == 1, module.title
        link = entry.locator("a.cf-module-link")
        if (settings.notebooks_dir() / module.page).exists():
            assert link.get_attribute("href") == module.page
        else:
            assert link.count() == 0 and "in preparation" in entry.inner_text()

    # No code, no prompts, no tracebacks.
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor").count() == 0
    assert page.locator(".jp-OutputArea-output[data-mime-type*='error']").count() == 0
    html = page.content()
    for leak in ("import carefully", "from carefully", "show_overview", "Traceback"):
        assert leak not in body and leak not in html, leak
    assert not re.search(r"In \[\d*\]", body)

    # Nothing was fetched from outside this machine.
    assert tab.external_requests() == []
    assert_accessible(page)


def test_start_page_reads_on_a_phone(course_server, browser, assert_accessible):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page = open_page(context.new_page(), course_server.page_url("00_start.ipynb"), "h1")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"the page is {overflow}px wider than a phone screen"
        assert_accessible(page)
    finally:
        context.close()


def test_start_page_scrolls_by_keyboard(course_server, tab):
    page = open_page(tab.page, course_server.page_url("00_start.ipynb"), "h1")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "rendered_cells":
            break
    else:
        pytest.fail("Tab never reached the page's content")
    before = page.evaluate("document.getElementById('rendered_cells').scrollTop")
    page.keyboard.press("End")
    page.wait_for_function(
        f"document.getElementById('rendered_cells').scrollTop > {before}", timeout=5000
    )
    assert page.get_by_role("heading", name="What's next").is_visible()
