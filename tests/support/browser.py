"""Drive Debian's Chromium with Playwright, and check pages with axe-core.

Playwright never downloads a browser here: it launches /usr/bin/chromium.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PAGE_TIMEOUT_MS = 90_000
LOCAL_SCHEMES = {"data", "blob", "about"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def launch(playwright):
    """Headless Debian Chromium."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def wait_until_rendered(page, ready_selector: str | None = None) -> None:
    """Wait until Voila has shown the page's cells (and ``ready_selector``, if given)."""
    page.wait_for_selector("#rendered_cells", state="visible", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector("#loading", state="detached", timeout=PAGE_TIMEOUT_MS)
    if ready_selector:
        page.wait_for_selector(ready_selector, state="visible", timeout=PAGE_TIMEOUT_MS)


def open_page(page, url: str, ready_selector: str | None = None):
    """Navigate to a Voila page and wait until it is rendered."""
    page.goto(url, timeout=PAGE_TIMEOUT_MS)
    wait_until_rendered(page, ready_selector)
    return page


def is_local(url: str) -> bool:
    """Whether a request stays on this machine."""
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOCAL_HOSTS


_axe = Axe()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    results = _axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    return found
