"""Shared fixtures: a real course server, real Chromium, a throwaway nbgrader course."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import browser as browser_support
from support.server import ROOT, start_server

from carefully.release import nbgrader_env

NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="session")
def course_server(tmp_path_factory):
    """The course served as ``make app`` serves it, on a free port."""
    server = start_server(var_dir=tmp_path_factory.mktemp("var"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_session():
    from playwright.sync_api import sync_playwright

    if not browser_support.CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make test` (it installs it) "
                    "or `apt-get install chromium`.")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session):
    browser = browser_support.launch(playwright_session)
    yield browser
    browser.close()


@dataclass
class BrowserPage:
    """A fresh browser tab, with every request it made and every dialog it opened."""

    page: object
    requests: list[str]
    dialogs: list[str]

    def external_requests(self) -> list[str]:
        return [url for url in self.requests if not browser_support.is_local(url)]


@pytest.fixture
def tab(browser):
    """A new browser context and page (desktop size) that records requests and dialogs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(browser_support.PAGE_TIMEOUT_MS)
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield BrowserPage(page, requests, dialogs)
    context.close()


@pytest.fixture
def assert_accessible():
    """Fail with the list of axe-core's serious or critical violations, if any."""

    def check(page) -> None:
        found = browser_support.serious_violations(page)
        assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)

    return check


@dataclass
class NbgraderCourse:
    """A throwaway nbgrader course: the course's config and a copy of source/."""

    root: Path
    var_dir: Path

    def nbgrader(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=self.root,
            env=nbgrader_env(self.var_dir),
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result


@pytest.fixture
def nbgrader_course(tmp_path) -> NbgraderCourse:
    root = tmp_path / "course"
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copy2(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    return NbgraderCourse(root=root, var_dir=tmp_path / "var")
