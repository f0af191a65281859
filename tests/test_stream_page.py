"""Module 3's page, the Twitter (now X) stream simulator, as a learner's browser shows it.

One page load for the whole file: the tests run in order on the same page, as
a learner would work through it, and the last one closes it.
"""

from __future__ import annotations

import re
import time

import pytest
from bench_stream import NOTEBOOK, READY
from support.browser import PAGE_TIMEOUT_MS, open_page

pytestmark = pytest.mark.browser

WAIT_MS = 30_000  # a reply from the page's kernel
NEW_POSTS_MS = 60_000  # the stream moves on every few seconds


class Learner:
    """The open page and what it noticed (dialogs) while the tests used it."""

    def __init__(self, page, dialogs, kernels_before):
        self.page, self.dialogs, self.kernels_before = page, dialogs, kernels_before

    def part(self, css: str, index: int = 0):
        return self.page.locator(css).nth(index)


@pytest.fixture(scope="module")
def learner(course_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    before = {process.pid for process in course_server.kernel_processes()}
    open_page(page, course_server.page_url(NOTEBOOK), READY)
    page.wait_for_selector(".cf-messages .cf-dm", timeout=PAGE_TIMEOUT_MS)
    yield Learner(page, dialogs, before)
    context.close()


def timeline(learner):
    return learner.part(".cf-timeline")


SHOWN = ".cf-slot:not(.cf-hidden) article.cf-post"


def sources_shown(part) -> set[str]:
    return set(part.locator(SHOWN).evaluate_all("nodes => nodes.map(n => n.dataset.source)"))


def checklist_beside(learner, part_css: str):
    return learner.page.locator(".cf-practice", has=learner.page.locator(part_css)).locator(
        ".cf-checklist")


def test_page_shows_the_stream_not_code(learner, assert_accessible):
    page = learner.page
    assert page.locator("h1").inner_text().strip().startswith("Twitter (now X)")
    assert timeline(learner).locator(SHOWN).count() == 5
    body = page.locator("#rendered_cells").inner_text()
    for leak in ("Traceback", "import carefully", "stream.show"):
        assert leak not in body
    for label in ("Repost (retweet)", "Like (favorite)", "Reply", "Quote"):
        assert timeline(learner).get_by_role("button", name=re.compile(re.escape(label))).count()
    assert_accessible(page)


def test_new_posts_arrive_while_the_page_is_open(learner):
    part = timeline(learner)
    first = part.locator("article.cf-post").first.get_attribute("data-key")
    button = part.locator(".cf-new-posts:not(.cf-hidden)")
    button.wait_for(state="visible", timeout=NEW_POSTS_MS)
    assert re.fullmatch(r"Show \d+\+? new posts?", button.inner_text().strip())
    assert part.locator("article.cf-post").first.get_attribute("data-key") == first
    button.click()
    learner.page.wait_for_function(
        "([el, key]) => el.querySelector('article.cf-post').dataset.key !== key",
        arg=[part.element_handle(), first], timeout=WAIT_MS)
    assert re.search(r"\d+ new posts? shown", part.locator(".cf-status").inner_text())
    assert "1 of 1 done" in checklist_beside(learner, ".cf-timeline").first.inner_text()


def test_follow_a_source_and_see_its_posts_appear_then_unfollow(learner):
    part = timeline(learner)
    who = learner.part(".cf-who")
    assert "lakeside-health" not in sources_shown(part)
    who.get_by_role("button", name="Follow @LakesideHealth", exact=True).click()
    who.get_by_role("button", name="Unfollow @LakesideHealth", exact=True).wait_for()
    part.locator(".cf-timeline-title", has_text="5 accounts you follow").wait_for()
    for _ in range(12):  # its posts are in the timeline now, on this page or an older one
        if "lakeside-health" in sources_shown(part):
            break
        older = part.get_by_role("button", name="Older posts")
        shown = part.locator("article.cf-post").first.get_attribute("data-key")
        older.click()
        learner.page.wait_for_function(
            "([el, key]) => el.querySelector('article.cf-post').dataset.key !== key",
            arg=[part.element_handle(), shown], timeout=WAIT_MS)
    assert "lakeside-health" in sources_shown(part)

    who.get_by_role("button", name="Unfollow @LakesideHealth", exact=True).click()
    who.get_by_role("button", name="Follow @LakesideHealth", exact=True).wait_for()
    learner.page.wait_for_function(
        "el => ![...el.querySelectorAll('article.cf-post')]"
        ".some(n => n.dataset.source === 'lakeside-health')",
        arg=part.element_handle(), timeout=WAIT_MS)
    assert "lakeside-health" not in sources_shown(part)
    # Follow it again for the tests below (its posts carry hashtags and are safe to repost).
    who.get_by_role("button", name="Follow @LakesideHealth", exact=True).click()
    who.get_by_role("button", name="Unfollow @LakesideHealth", exact=True).wait_for()


def test_like_and_repost_change_the_counts(learner):
    part = learner.part(".cf-timeline", 1)
    slot = part.locator(".cf-slot:not(.cf-hidden)").filter(
        has_not=learner.page.locator("[data-source='natural-truth']")).first
    key = slot.locator("article.cf-post").get_attribute("data-key")
    like = slot.get_by_role("button", name=re.compile(r"^Like \(favorite\)"))
    likes = int(like.inner_text().split("\u00b7")[1].replace(",", ""))
    like.click()
    slot.get_by_role("button", name=f"Liked (favorited) \u00b7 {likes + 1:,}").wait_for()

    repost = slot.get_by_role("button", name=re.compile(r"^Repost \(retweet\)"))
    reposts = int(repost.inner_text().split("\u00b7")[1].replace(",", ""))
    repost.click()
    # The repost now tops your timeline, with the new count.
    top = part.locator(".cf-slot").first
    top.locator(".cf-post-context", has_text="You reposted (retweeted)").wait_for()
    assert top.locator("article.cf-post").get_attribute("data-key") == key
    assert top.get_by_role("button", name=f"Reposted (retweeted) \u00b7 {reposts + 1:,}").count()


def test_reply_opens_under_the_post_and_goes_out_in_public(learner):
    part = learner.part(".cf-timeline", 1)
    slot = part.locator(".cf-slot:not(.cf-hidden)").filter(
        has=learner.page.locator("[data-source='northfield-journal'], [data-source='dr-okafor']"),
    ).first
    handle = slot.locator(".cf-post-handle").first.inner_text().strip()
    slot.get_by_role("button", name="Reply", exact=True).click()
    box = slot.get_by_role("textbox", name="Your reply")
    box.wait_for()
    learner.page.wait_for_function("([el, h]) => el.value.startsWith(h)",
                                   arg=[box.element_handle(), handle])
    box.fill(f"{handle} Thank you for sharing this.")
    send = slot.get_by_role("button", name="Post reply")
    learner.page.wait_for_function("el => !el.disabled", arg=send.element_handle())
    send.click()
    top = part.locator(".cf-slot").first
    top.locator(".cf-post-own .cf-post-context", has_text=f"Replying to {handle}").wait_for()
    assert part.locator(".cf-reply-box:visible").count() == 0


def test_click_a_hashtag_to_see_its_stream(learner):
    part = timeline(learner)
    tag_button = part.locator(".cf-slot:not(.cf-hidden) .cf-tag:not(.cf-hidden)").first
    tag = tag_button.inner_text().strip()
    tag_button.click()
    part.locator(".cf-timeline-title", has_text=f"Posts tagged {tag}").wait_for()
    # The header and the posts arrive as separate updates: wait for the posts too.
    learner.page.wait_for_function(
        """([el, css, tag]) => {
             const texts = [...el.querySelectorAll(css)].map(n => n.innerText.toLowerCase());
             return texts.length > 0 && texts.every(t => t.includes(tag));
           }""",
        arg=[part.element_handle(), f"{SHOWN} .cf-post-text", tag.lower()], timeout=WAIT_MS)
    texts = part.locator(f"{SHOWN} .cf-post-text").all_inner_texts()
    assert texts and all(tag.lower() in text.lower() for text in texts)
    part.get_by_role("button", name="Back to Home timeline").click()
    part.locator(".cf-timeline-title", has_text="Home timeline").wait_for()


def test_a_281_character_draft_cannot_be_posted_and_the_page_says_why(learner):
    compose = learner.part(".cf-compose")
    box = compose.get_by_role("textbox", name="Your post")
    post = compose.get_by_role("button", name="Post", exact=True)
    box.fill("a" * 281)
    compose.locator(".cf-count", has_text="281 / 280").wait_for()
    assert post.is_disabled()
    why = compose.locator(".cf-why")
    assert "1 character over the 280-character limit" in why.inner_text()
    box.fill("a" * 280)
    compose.locator(".cf-count", has_text="280 / 280").wait_for()
    learner.page.wait_for_function("el => !el.disabled", arg=post.element_handle())
    assert compose.locator(".cf-why").count() == 0 or not why.is_visible()


def test_typed_html_shows_literally(learner):
    compose = learner.part(".cf-compose")
    typed = "<img src=x onerror=alert(1)> flu shots are in"
    compose.get_by_role("textbox", name="Your post").fill(typed)
    compose.locator(".cf-count", has_text=f"{len(typed)} / 280").wait_for()
    compose.get_by_role("button", name="Post", exact=True).click()
    compose.locator(".cf-post-own .cf-post-text", has_text=typed).wait_for()
    assert compose.locator("img").count() == 0
    assert learner.page.locator("img[src='x']").count() == 0
    timeline(learner).locator(".cf-post-own .cf-post-text", has_text=typed).first.wait_for()
    assert re.search(r"[1-9]\d* followers?", compose.locator(".cf-followers").inner_text())
    assert learner.dialogs == []


def test_reply_to_the_patients_dm_with_advice_and_see_the_coach_respond(learner):
    messages = learner.part(".cf-messages")
    assert "Lena Marsh" in messages.locator(".cf-thread").inner_text()
    advice = "Take 400 mg ibuprofen and skip physio for a week."
    messages.get_by_role("textbox", name="Your reply").fill(advice)
    send = messages.get_by_role("button", name="Send")
    learner.page.wait_for_function("el => !el.disabled", arg=send.element_handle())
    send.click()
    note = messages.locator(".cf-coach-note[data-rule='dm-clinical-advice']")
    note.wait_for()
    assert "No clinical advice in direct messages" in note.inner_text()
    assert "ACP/FSMB 2013" in note.inner_text()
    assert "Not sent" in messages.locator(".cf-feedback").inner_text()
    assert advice not in messages.locator(".cf-thread").inner_text()

    better = "I'm sorry it hurts. Please message me through the patient portal today."
    messages.get_by_role("textbox", name="Your reply").fill(better)
    learner.page.wait_for_function("el => !el.disabled", arg=send.element_handle())
    send.click()
    messages.locator(".cf-coach-note[data-rule='dm-moved-to-secure-channel']").wait_for()
    messages.locator(".cf-dm-you", has_text=better).wait_for()
    assert "1 of 3 done" in checklist_beside(learner, ".cf-messages").inner_text()


def test_page_still_passes_axe_with_the_coach_and_posts_showing(learner, assert_accessible):
    assert_accessible(learner.page)


def test_closing_the_page_ends_its_kernel(learner, course_server):
    mine = [p for p in course_server.kernel_processes() if p.pid not in learner.kernels_before]
    assert mine, "the page's kernel should be running"
    assert learner.dialogs == [], "typed HTML ran as a page element"
    learner.page.close(run_before_unload=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(p.is_running() and p.status() != "zombie"
                                              for p in mine):
        time.sleep(0.2)
    assert not any(p.is_running() and p.status() != "zombie" for p in mine), \
        "the stream's clock kept a closed page's kernel alive"
