"""The Facebook page (module 2) and its news feed, as a learner's browser shows it."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect
from support.browser import PAGE_TIMEOUT_MS, is_local, open_page
from support.server import start_server

from carefully import learners
from carefully.feed.model import Feed
from carefully.feed.view import FeedView

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
NOTEBOOK = "02_facebook.ipynb"
READY = ".cf-feed-posts .cf-post"
SCRIPT = "<img src=x onerror=alert(1)>"
LEARNER = learners.new_id()
WIDGET_VIEWS = ".jupyter-widgets"
FRIENDS = Feed().friend_count  # the learner's friends when the page opens


def tenfold_assets(tmp_path: Path) -> Path:
    """A copy of the course's assets with every post file copied nine more times."""
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS, folder)
    posts = folder / "feed" / "posts"
    for path in sorted(posts.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for copy in range(1, 10):
            copied = [{**post, "id": f"{post['id']}-copy{copy}"} for post in data["posts"]]
            (posts / f"{path.stem}-copy{copy}.yaml").write_text(
                "# A copy of the posts, for the test of paging.\n"
                + yaml.safe_dump({"posts": copied}, allow_unicode=True), encoding="utf-8")
    return folder


def slot_of(page, post_id: str):
    return page.locator(".cf-feed-slot", has=page.locator(f"[data-post='{post_id}']"))


# --- the view, without a kernel ------------------------------------------------------


def widget_models(assets_dir: Path | None) -> tuple[int, int]:
    """Widget models made by every panel of the feed, and the number of posts it holds."""
    from ipywidgets.widgets.widget import _instances

    before = set(_instances)
    feed = Feed(assets_dir=assets_dir)
    view = FeedView(feed)
    for panel in (view.profile_panel, view.requests_panel, view.composer_panel,
                  view.feed_panel, view.tagging_panel):
        panel()
    made = len(set(_instances) - before)
    return made, len(feed.posts)


def test_widget_models_do_not_grow_with_the_posts(tmp_path) -> None:
    normal, posts = widget_models(None)
    tenfold, more_posts = widget_models(tenfold_assets(tmp_path))
    assert more_posts == 10 * posts
    assert tenfold == normal, (normal, tenfold)
    assert normal < 150, normal


# --- the page in Chromium --------------------------------------------------------------


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    yield context
    context.close()


@dataclass
class Opened:
    """The page, the dialogs it opened, the requests it made, its widget views when loaded."""

    page: object
    dialogs: list[str]
    requests: list[str]
    widget_views: int


@pytest.fixture(scope="module")
def opened(context, course_server) -> Opened:
    """The module 2 page, opened once for a signed-in learner (the tests below run in order)."""
    page = context.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    open_page(page, course_server.page_url(NOTEBOOK, f"learner={LEARNER}"), READY)
    return Opened(page, dialogs, requests, page.locator(WIDGET_VIEWS).count())


@pytest.fixture
def facebook(opened: Opened):
    return opened.page


def recorded_tasks(course_server) -> dict:
    path = course_server.log_path.parent / "learners" / LEARNER / "progress.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["modules"].get("2", {}).get("task", {})


def test_the_page_shows_the_lesson_and_the_feed_not_code(facebook) -> None:
    page = facebook
    expect(page.locator("h1")).to_have_text("Facebook, the filtered water cooler")
    expect(page.get_by_role("heading", name="Facebook, a filtered water cooler")).to_be_visible()
    expect(page.locator(".cf-feed-posts .cf-feed-slot:visible")).to_have_count(5)
    expect(page.locator(".cf-feed-page")).to_contain_text("page 1 of")
    body = page.locator("#rendered_cells").inner_text()
    for leak in ("from carefully", "show_feed", "Traceback"):
        assert leak not in body, leak
    assert page.locator(".jp-OutputArea-output[data-mime-type*='error']").count() == 0


def test_liking_a_post_changes_its_count_and_ticks_the_task(facebook, course_server) -> None:
    slot = slot_of(facebook, "maya-heart-failure-guideline")
    likes = slot.locator(".cf-post-likes")
    expect(likes).to_have_text("58 likes")
    slot.get_by_role("button", name="Like", exact=True).click()
    expect(likes).to_have_text("59 likes (including yours)")
    expect(slot.get_by_role("button", name="Unlike", exact=True)).to_be_visible()
    task = facebook.locator(".cf-task[data-task='like-colleague']")
    expect(task).to_have_class(re.compile("cf-task-done"))
    assert "like-colleague" in recorded_tasks(course_server)


def test_a_friends_only_update_appears_in_the_feed_with_its_audience(facebook) -> None:
    composer = facebook.locator(".cf-feed-composer")
    expect(composer.get_by_label("Audience")).to_have_value("Friends")
    composer.get_by_label("What's on your mind?").fill("Lovely evening by the lake.")
    expect(composer.locator(".cf-audience-total")).to_have_text(f"Up to {FRIENDS} people")
    composer.get_by_role("button", name="Post", exact=True).click()
    expect(composer.locator(".cf-coach-good")).to_contain_text("friends-only post")
    first = facebook.locator(".cf-feed-posts .cf-feed-slot").first
    expect(first.locator(".cf-post-text")).to_have_text("Lovely evening by the lake.")
    expect(first.locator(".cf-post-audience")).to_have_text("Shared with: Friends")
    expect(facebook.locator(".cf-task[data-task='friends-only-update']")).to_have_class(
        re.compile("cf-task-done"))


def test_tagging_a_friend_makes_the_audience_grow(facebook) -> None:
    tagging = facebook.locator(".cf-feed-tagging")
    tagging.get_by_label("Your post").select_option(label="Lovely evening by the lake. (Friends)")
    expect(tagging.locator(".cf-audience-total")).to_have_text(f"Up to {FRIENDS} people")
    tagging.get_by_label("Friend to tag").select_option(label="Dr. Maya Chen")
    tagging.get_by_role("button", name="Tag", exact=True).click()
    grew = tagging.locator(".cf-audience-grew")
    expect(grew).to_be_visible()
    before, after = (int(n.replace(",", "")) for n in re.findall(r"[\d,]+", grew.inner_text()))
    assert after > before == FRIENDS
    expect(tagging.locator(".cf-post-tags")).to_have_text("With Dr. Maya Chen")
    expect(tagging.locator(".cf-coach-caution")).to_contain_text("tagged person's friends")


def test_accepting_the_patients_request_brings_the_coachs_warning(facebook) -> None:
    requests = facebook.locator(".cf-feed-requests")
    expect(requests.locator(".cf-request")).to_contain_text("Gloria Hendricks wants to be your friend")
    requests.get_by_role("button", name="Accept", exact=True).click()
    warning = requests.locator(".cf-coach-stop")
    expect(warning).to_contain_text("Do not friend patients on your personal profile")
    expect(warning).to_contain_text("ACP/FSMB 2013")
    expect(requests.locator(".cf-request")).not_to_contain_text("Gloria Hendricks")


def test_a_comment_with_html_shows_as_text_and_runs_nothing(facebook, opened) -> None:
    slot = slot_of(facebook, "omar-bad-night")
    slot.get_by_label("Comment").fill(SCRIPT)
    slot.get_by_role("button", name="Send comment").click()
    yours = slot.locator(".cf-comment-yours .cf-comment-text")
    expect(yours).to_have_text(SCRIPT)
    assert facebook.locator("#rendered_cells img[src='x']").count() == 0
    composer = facebook.locator(".cf-feed-composer")
    composer.get_by_label("What's on your mind?").fill(SCRIPT)
    expect(composer.locator(".cf-feed-live")).to_contain_text("Who will see it")
    composer.get_by_label("What's on your mind?").fill("")
    assert opened.dialogs == []


def test_the_page_passes_axe_core_and_stays_on_this_machine(facebook, opened,
                                                           assert_accessible) -> None:
    slot = facebook.locator(".cf-feed-posts .cf-feed-slot").nth(1)
    slot.get_by_role("button", name="Who can see this?").click()
    expect(slot.locator(".cf-audience")).to_be_visible()
    assert_accessible(facebook)
    assert [url for url in opened.requests if not is_local(url)] == []


def test_the_next_page_reuses_the_same_widgets(facebook, opened) -> None:
    facebook.get_by_role("button", name="Next page").click()
    expect(facebook.locator(".cf-feed-page")).to_contain_text("page 2 of")
    expect(facebook.locator(".cf-feed-posts .cf-feed-slot:visible")).to_have_count(5)
    assert facebook.locator(WIDGET_VIEWS).count() == opened.widget_views


def test_widgets_on_the_page_do_not_grow_with_ten_times_the_posts(opened, context,
                                                                  tmp_path_factory) -> None:
    tmp = tmp_path_factory.mktemp("tenfold")
    server = start_server(var_dir=tmp / "var", assets=tenfold_assets(tmp))
    try:
        page = context.new_page()
        open_page(page, server.page_url(NOTEBOOK), READY)
        expect(page.locator(".cf-feed-posts .cf-feed-slot:visible")).to_have_count(5)
        pages = int(re.search(r"of (\d+)", page.locator(".cf-feed-page").inner_text()).group(1))
        assert pages >= 80
        assert page.locator(WIDGET_VIEWS).count() == opened.widget_views
        page.close()
    finally:
        server.stop()
