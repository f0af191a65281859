"""The course server cleans up after its pages and serves only what a learner needs."""

import re
import time
import urllib.request

import nbformat
import pytest
from support.browser import open_page
from support.server import start_server

pytestmark = pytest.mark.browser

START = "00_start.ipynb"


def wait_for_kernels(server, at_most: int, seconds: float) -> int:
    """Poll the server's kernel count until it is at most ``at_most``; return the last count."""
    deadline = time.monotonic() + seconds
    while True:
        count = len(server.kernel_processes())
        if count <= at_most or time.monotonic() > deadline:
            return count
        time.sleep(0.5)


def view_page(browser, server, close_tab: bool) -> None:
    """One page view: open the start page, then close the tab or just drop it."""
    context = browser.new_context()
    page = open_page(context.new_page(), server.page_url(START), "h1")
    if close_tab:
        page.close(run_before_unload=True)  # the learner closes the tab
    context.close()  # otherwise the page is abandoned: the connection just drops


def test_closing_a_page_shuts_its_kernel_down_at_once(tmp_path, browser):
    # Culling is set far off, so only the page's own close-time request can do it.
    server = start_server(var_dir=tmp_path, args=["--cull-idle-timeout", "600"])
    try:
        for _ in range(3):
            view_page(browser, server, close_tab=True)
        assert wait_for_kernels(server, at_most=0, seconds=10) == 0
        assert not re.search(r"\b403 POST", server.log()), "a shutdown request was refused"
    finally:
        server.stop()


def test_twenty_page_views_leave_no_more_kernels_than_the_pool(tmp_path, browser):
    idle, interval = 4, 2
    server = start_server(
        var_dir=tmp_path,
        args=["--cull-idle-timeout", str(idle), "--cull-interval", str(interval)],
    )
    try:
        for view in range(20):
            view_page(browser, server, close_tab=view % 2 == 0)
        # The pool is empty by default: after the cull interval nothing is left.
        left = wait_for_kernels(server, at_most=0, seconds=idle + 3 * interval + 10)
        assert left == 0, f"{left} kernels left behind after 20 page views"
    finally:
        server.stop()


def test_an_open_page_keeps_its_kernel_through_culling(tmp_path, browser):
    server = start_server(
        var_dir=tmp_path, args=["--cull-idle-timeout", "2", "--cull-interval", "1"]
    )
    try:
        context = browser.new_context()
        open_page(context.new_page(), server.page_url(START), "h1")
        time.sleep(5)  # several cull intervals pass while the learner reads
        assert len(server.kernel_processes()) == 1
        context.close()
    finally:
        server.stop()


def test_no_file_listing_and_no_source(course_server):
    with urllib.request.urlopen(course_server.url + "voila/tree") as response:
        assert response.url.endswith("/voila/render/00_start.ipynb")
        html = response.read().decode()
    assert "from carefully" not in html and "show_header" not in html


def test_the_page_is_served_with_the_course_title(course_server):
    """What `make app` promises: the printed address answers with the course."""
    from carefully import content

    with urllib.request.urlopen(course_server.url) as response:
        assert response.status == 200
        html = response.read().decode()
    assert content.course().title in html
    assert f"The course is at http://127.0.0.1:{course_server.port}/" in course_server.log()


def test_a_failing_page_shows_a_polite_notice_not_a_traceback(tmp_path, browser):
    pages = tmp_path / "notebooks"
    pages.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from carefully.pages.common import show_html\n"
            "show_html(lambda: 1 / 0)", id="polite"
        ),
        nbformat.v4.new_code_cell("raise ValueError('secret internals')", id="raw"),
    ]
    nbformat.write(nb, pages / "00_start.ipynb")
    server = start_server(var_dir=tmp_path / "var", notebooks=pages)
    try:
        context = browser.new_context()
        page = open_page(context.new_page(), server.page_url(START), ".cf-notice")
        text = page.locator("#rendered_cells").inner_text()
        assert "tell your course coordinator" in text
        for leak in ("ZeroDivisionError", "ValueError", "secret internals", "Traceback", "1 / 0"):
            assert leak not in text and leak not in page.content(), leak
        context.close()
        # The reason reaches the course team, in the server's log.
        assert "ZeroDivisionError" in server.log()
    finally:
        server.stop()
