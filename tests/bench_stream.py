"""``make bench`` figures for module 3's page, the Twitter (now X) stream simulator.

tests/bench.py opens :data:`NOTEBOOK`, counts it interactive once :data:`READY`
shows, and calls :func:`click_to_update_ms` on the open page.
"""

from __future__ import annotations

import re
import time

NOTEBOOK = "03_twitter.ipynb"
READY = ".cf-timeline article.cf-post"
"""The home timeline's first post: the stream is on screen and its buttons work."""

_TIMEOUT_MS = 30_000
_HEADER = ".cf-timeline .cf-timeline-head"  # the widget (its content is replaced on change)


def click_to_update_ms(page) -> float:
    """Press Follow (or, once all are followed, Unfollow) on a source in the who-to-follow
    list and return the milliseconds until the home timeline shows the change."""
    who = page.locator(".cf-who").first
    button = who.locator("button", has_text=re.compile(r"^Follow @")).first
    if not button.count():
        button = who.locator("button", has_text=re.compile(r"^Unfollow @")).first
    header = page.locator(_HEADER).first
    before = header.inner_text()
    handle = header.element_handle()
    start = time.perf_counter()
    button.click()
    page.wait_for_function("([el, text]) => el.innerText !== text", arg=[handle, before],
                           timeout=_TIMEOUT_MS)
    return (time.perf_counter() - start) * 1000
