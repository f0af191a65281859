"""The Facebook page (module 2) for ``make bench``: when it is usable, and one Like's latency.

tests/bench.py opens ``NOTEBOOK``, waits for ``READY`` (time to interactive,
kernel memory) and calls :func:`click_to_update_ms` on the open page.
"""

from __future__ import annotations

import time

NOTEBOOK = "02_facebook.ipynb"
READY = ".cf-feed-posts .cf-post"
"""The first post card of the news feed: the page's last part to be shown."""

TIMEOUT_MS = 30_000


def click_to_update_ms(page) -> float:
    """Click Like (or Unlike) on the first post in the feed; ms until its count changes."""
    count = ".cf-feed-posts .cf-feed-slot .cf-post-likes"  # the first post's like count
    before = page.locator(count).first.inner_text()
    button = page.locator(".cf-feed-posts .cf-feed-slot").first.locator(
        "button", has_text="Like").first  # "Like" or "Unlike"
    start = time.perf_counter()
    button.click()
    page.wait_for_function(
        "([selector, text]) => { const el = document.querySelector(selector);"
        " return el !== null && el.textContent !== text; }",
        arg=[count, before], timeout=TIMEOUT_MS)
    return (time.perf_counter() - start) * 1000
