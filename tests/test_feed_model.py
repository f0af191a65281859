"""The practice news feed's model, content and coach rules, without a kernel."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from carefully import coach, content, tasks
from carefully.feed import render
from carefully.feed.model import Feed, FeedError
from carefully.kinds import feed as feed_kind
from carefully.kinds import lessons

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
SCRIPT = "<img src=x onerror=alert(1)>"


@pytest.fixture
def feed() -> Feed:
    return Feed()


def arrive(feed: Feed, request_id: str) -> None:
    """Work in the feed (like and unlike a post) until a request has arrived."""
    for _ in range(20):
        if any(state.id == request_id for state in feed.requests):
            return
        feed.like("walt-tomatoes")
    raise AssertionError(f"{request_id} never arrived")


# --- content -------------------------------------------------------------------------


def test_the_content_is_big_enough_and_covers_the_cast() -> None:
    loaded = feed_kind.load()
    assert len(loaded.posts) >= 40
    assert len(loaded.people) >= 15
    assert len(loaded.requests) >= 6
    roles = {loaded.people[request.sender].role for request in loaded.requests}
    assert {"patient", "patient_relative", "colleague", "drug_rep"} <= roles
    authors = {loaded.people[post.author].role for post in loaded.posts if post.author != "you"}
    assert {"colleague", "family", "classmate", "medical_society", "patient", "public"} <= authors
    assert any(post.link for post in loaded.posts) and any(post.photo for post in loaded.posts)
    for photo in loaded.photos.values():
        svg = (loaded.folder / photo.file).read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<svg") and "<script" not in svg, photo.file
    mine = ("assets/feed/", "assets/coach/feed.yaml", "assets/lessons/02_facebook.yaml")
    assert [str(p) for p in content.validate() if p.file.startswith(mine)] == []


def copy_assets(tmp_path: Path) -> Path:
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS, folder)
    return folder


def test_a_course_author_adds_a_post_with_yaml_only(tmp_path) -> None:
    folder = copy_assets(tmp_path)
    (folder / "feed" / "posts" / "60_new.yaml").write_text(
        "# A new post.\nposts:\n  - id: walt-zucchini\n    author: walt-rivera\n"
        "    posted: Just now\n    audience: friends\n    text: Now the zucchini won.\n",
        encoding="utf-8")
    feed = Feed(assets_dir=folder)
    post = feed.post("walt-zucchini")
    assert post.text == "Now the zucchini won." and feed.name(post.author) == "Walt Rivera"


def test_a_wrong_reference_is_named_by_file_and_field(tmp_path) -> None:
    folder = copy_assets(tmp_path)
    (folder / "feed" / "posts" / "60_new.yaml").write_text(
        "# A new post.\nposts:\n  - id: walt-zucchini\n    author: walt-riviera\n"
        "    posted: Just now\n    audience: friendz\n    text: Hi\n    photo: nothing\n",
        encoding="utf-8")
    problems = {(p.file, p.field): p.expected for p in content.validate(folder)}
    assert "people.yaml" in problems[("assets/feed/posts/60_new.yaml", "posts[0].author")]
    assert "friends" in problems[("assets/feed/posts/60_new.yaml", "posts[0].audience")]
    assert "photos.yaml" in problems[("assets/feed/posts/60_new.yaml", "posts[0].photo")]


def test_posts_written_as_bad_examples_are_flagged_by_the_post_checker(feed) -> None:
    from carefully import privacy

    examples = [post for post in feed.content.posts if post.example]
    assert any(post.example == "bad" for post in examples)
    for post in examples:
        found = privacy.check(post.text, names=feed.patient_names()).findings
        assert bool(found) == (post.example == "bad"), (post.id, found)


# --- paging, audiences, requests ----------------------------------------------------


def test_the_feed_is_paged(feed) -> None:
    size = feed.page_size
    pages = [feed.page(number) for number in range(feed.page_count())]
    assert all(len(page) == size for page in pages[:-1]) and 0 < len(pages[-1]) <= size
    assert [post.id for page in pages for post in page] == [post.id for post in feed.posts]
    assert feed.page(999) == pages[-1]


def test_audiences_follow_the_setting(feed) -> None:
    friends = feed.friend_count
    assert feed.preview_audience("public").everyone
    assert feed.preview_audience("friends").total == friends
    assert feed.preview_audience("friends_except", excluded=["rosa-rivera"]).total == friends - 1
    assert feed.preview_audience("specific", chosen=["rosa-rivera", "ben-okafor"]).total == 2
    assert feed.preview_audience("only_me").total == 1
    with pytest.raises(FeedError):
        feed.preview_audience("everybody")


def test_tagging_widens_the_audience_by_the_tagged_persons_friends(feed) -> None:
    before = feed.audience("you-hike")
    outcome = feed.tag("you-hike", "maya-chen")
    after = feed.audience("you-hike")
    assert after.total == before.total + feed.people["maya-chen"].friends + 1
    assert after.widened_by_tags and outcome.events[0].details["audience_grew"] is True
    assert outcome.audience_before == before and outcome.audience_after == after
    html = render.audience_html(after, before)
    assert "grew from up to" in html and "Dr. Maya Chen and their friends" in html


def test_being_tagged_shows_a_post_to_your_friends_until_you_untag(feed) -> None:
    before = feed.audience("rosa-asks-advice")
    assert any("because you are tagged" in group.label for group in before.groups)
    feed.untag("rosa-asks-advice")
    after = feed.audience("rosa-asks-advice")
    assert after.total == before.total - feed.friend_count
    with pytest.raises(FeedError):
        feed.untag("rosa-asks-advice")


def test_requests_arrive_as_the_learner_works(feed) -> None:
    first = [state.id for state in feed.waiting]
    assert first == [r.id for r in feed.content.requests if r.arrives_after == 0]
    later = max(r.arrives_after for r in feed.content.requests)
    arrived = []
    for _ in range(later):
        arrived += [state.id for state in feed.like("walt-tomatoes").arrived]
    assert len(feed.waiting) == len(feed.content.requests)
    assert arrived == [r.id for r in feed.content.requests if r.arrives_after > 0]


# --- every action ---------------------------------------------------------------------


def test_like_and_unlike_change_the_count(feed) -> None:
    likes = feed.post("maya-conference-talk").likes
    outcome = feed.like("maya-conference-talk")
    assert outcome.post.likes == likes + 1 and outcome.post.liked
    assert outcome.events[0].kind == "like" and outcome.events[0].details["author"] == "colleague"
    outcome = feed.unlike("maya-conference-talk")
    assert outcome.post.likes == likes and not outcome.post.liked
    with pytest.raises(FeedError):
        feed.unlike("maya-conference-talk")


def test_comment_is_kept_as_typed_and_shown_as_text(feed) -> None:
    outcome = feed.comment("maya-running-club", SCRIPT)
    assert outcome.post.comments[-1].text == SCRIPT
    html = render.post_html(feed, outcome.post)
    assert SCRIPT not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    with pytest.raises(FeedError):
        feed.comment("maya-running-club", "   ")


def test_share_puts_the_post_on_your_timeline(feed) -> None:
    outcome = feed.share("health-dept-heat", "Please check on your neighbours.", "friends")
    assert outcome.post.mine and outcome.post.shared_from == "health-dept-heat"
    assert feed.posts[0] is outcome.post and feed.post("health-dept-heat").shares == 141
    assert "share-trusted-source" in outcome.rules
    with pytest.raises(FeedError):
        feed.share("priya-new-job")  # shared with Priya's friends only


def test_status_update_with_each_audience(feed) -> None:
    for audience in ("public", "friends", "only_me"):
        outcome = feed.publish(f"Back from a lovely walk ({audience}).", audience)
        assert outcome.post.audience == audience and feed.posts[0] is outcome.post
        assert outcome.events[0].details["audience"] == audience
    except_out = feed.publish("Lake weekend", "friends_except", excluded=["walt-rivera"])
    assert except_out.audience_after.total == feed.friend_count - 1
    chosen = feed.publish("Lake weekend", "specific", chosen=["rosa-rivera"])
    assert chosen.audience_after.total == 1
    with pytest.raises(FeedError):
        feed.publish("   ", "friends")
    with pytest.raises(FeedError):
        feed.publish("Hi", "specific")
    with pytest.raises(FeedError):
        feed.publish("Hi", "friends", tagged=["gloria-hendricks"])  # not a friend
    with pytest.raises(FeedError):
        feed.publish("Hi", "friends", photo="xray")  # not one of yours


def test_the_profile_sets_the_default_audience(feed) -> None:
    outcome = feed.set_profile(name=f"  Dr. {SCRIPT} ", kind="professional",
                               future_posts="only_me", friends_list="only_me", tag_review=True)
    assert feed.profile.name == f"Dr. {SCRIPT}" and feed.profile.kind == "professional"
    details = outcome.events[0].details
    assert (details["kind"], details["future_posts"], details["tag_review"]) == (
        "professional", "only_me", "on")
    assert feed.publish("Quiet evening").post.audience == "only_me"
    html = render.post_html(feed, feed.posts[0])
    assert SCRIPT not in html
    for wrong in ({"kind": "secret"}, {"friends_list": "specific"}, {"name": "  "}):
        with pytest.raises(FeedError):
            feed.set_profile(**wrong)


def test_answering_requests(feed) -> None:
    outcome = feed.answer("colleague-grace", "accept")
    assert "grace-liu" in feed.friends and outcome.events[0].details["sender"] == "colleague"
    feed.answer("patient-gloria", "ignore")
    assert "gloria-hendricks" not in feed.friends
    assert [state.id for state in feed.waiting] == ["classmate-lena", "relative-derek"]
    with pytest.raises(FeedError):
        feed.answer("patient-gloria", "accept")
    arrive(feed, "classmate-lena")
    with pytest.raises(FeedError):
        feed.answer("classmate-lena", "maybe")


def test_sending_requests(feed) -> None:
    assert {person.id for person in feed.suggestions()} == {"sanjay-mehta", "linda-park"}
    outcome = feed.send_request("sanjay-mehta")
    assert outcome.events[0].details["recipient"] == "colleague"
    assert "sanjay-mehta" not in {person.id for person in feed.suggestions()}
    for wrong in ("sanjay-mehta", "maya-chen", "lakeside-general", "nobody"):
        with pytest.raises(FeedError):
            feed.send_request(wrong)


def test_tag_and_untag_rules(feed) -> None:
    with pytest.raises(FeedError):
        feed.tag("maya-running-club", "ben-okafor")  # not your post
    with pytest.raises(FeedError):
        feed.tag("you-hike", "gloria-hendricks")  # not a friend
    feed.tag("you-hike", "ben-okafor")
    with pytest.raises(FeedError):
        feed.tag("you-hike", "ben-okafor")
    outcome = feed.untag("lena-reunion-party")
    assert "you" not in outcome.post.tagged and outcome.events[0].details["shows"] == ("alcohol",)


def test_the_audience_view_is_an_event(feed) -> None:
    seen = []
    feed.subscribe(seen.append)
    audience = feed.view_audience("walt-tomatoes")
    assert audience.total == feed.people["walt-rivera"].friends
    assert seen[-1].kind == "audience"


# --- every coach rule --------------------------------------------------------------------


def _accept_after_arrival(request_id: str) -> Callable[[Feed], object]:
    def act(feed: Feed):
        arrive(feed, request_id)
        return feed.answer(request_id, "accept")
    return act


def _professional_then_accept(feed: Feed):
    feed.set_profile(kind="professional")
    return feed.answer("patient-gloria", "accept")


def _friend_then_tag_patient(feed: Feed):
    feed.answer("patient-gloria", "accept")
    return feed.tag("you-hike", "gloria-hendricks")


SCENARIOS: dict[str, Callable[[Feed], object]] = {
    # general.yaml, as the feed meets them
    "public-post-identifies-patient": lambda f: f.publish(
        "Great to see Mrs. Gloria Hendricks recover after her surgery on March 3!", "public"),
    "private-post-identifies-patient": lambda f: f.publish(
        "Saw Mrs. Gloria Hendricks in room 12 today", "friends"),
    "derogatory-about-patients": lambda f: f.comment("omar-noncompliant",
                                                     "Another frequent flyer, ha"),
    "clean-public-post": lambda f: f.publish("Flu shots are in at the clinic this week.", "public"),
    # the crisis rules apply to a comment on a post that suggests a life is at risk
    "dm-emergency-without-help": lambda f: f.comment("sam-no-reason-to-live", "Hang in there"),
    "dm-emergency-answered": lambda f: f.comment("sam-no-reason-to-live",
                                                 "Please call 988 now, or 911 if you are in danger."),
    # feed.yaml
    "accept-patient-personal-profile": lambda f: f.answer("patient-gloria", "accept"),
    "accept-patient-professional-page": _professional_then_accept,
    "decline-patient-request": lambda f: f.answer("patient-gloria", "decline"),
    "decline-point-to-practice": lambda f: f.answer(
        "patient-gloria", "decline", "Please follow the practice page and use the portal."),
    "advice-to-patient-online": lambda f: f.comment("linda-asks-doctor",
                                                    "It's normal, ice it and keep taking the pills"),
    "accept-drug-representative": _accept_after_arrival("drug-rep-kyle"),
    "accept-colleague": lambda f: f.answer("colleague-grace", "accept"),
    "accept-journalist": _accept_after_arrival("journalist-jenna"),
    "accept-stranger": _accept_after_arrival("stranger-sam"),
    "send-request-to-patient": lambda f: f.send_request("linda-park"),
    "send-request-to-colleague": lambda f: f.send_request("sanjay-mehta"),
    "profile-professional-page": lambda f: f.set_profile(kind="professional"),
    "profile-future-posts-public": lambda f: f.set_profile(future_posts="public"),
    "profile-friends-list-public": lambda f: f.set_profile(friends_list="public"),
    "profile-tag-review-on": lambda f: f.set_profile(tag_review=True),
    "profile-tag-review-off": lambda f: f.set_profile(tag_review=False),
    "friends-only-post": lambda f: f.publish("Off to the lake this weekend.", "friends"),
    "like-reveals-patient-relationship": lambda f: f.like("linda-knee-thanks"),
    "unlike-patient-post": lambda f: (f.like("linda-knee-thanks"), f.unlike("linda-knee-thanks"))[1],
    "comment-on-patient-post": lambda f: f.comment("gloria-bake-sale", "Save me a pie!"),
    "reply-to-review": lambda f: f.comment("sam-bad-review", "Sorry, we were very busy that day."),
    "engage-with-case-post": lambda f: f.like("omar-bad-night"),
    "tell-colleague": lambda f: f.comment("omar-bad-night",
                                          "Omar, please take this down: it could identify him."),
    "comment-to-journalist": lambda f: f.comment("jenna-flu-story", "We are seeing a lot of flu."),
    "endorse-industry": lambda f: f.like("veltrix-dinner"),
    "share-trusted-source": lambda f: f.share("health-dept-flu-clinic"),
    "correct-misinformation": lambda f: f.comment(
        "natural-vaccine-claim", "There is no evidence for this; flu shots are safe and effective."),
    "share-misinformation": lambda f: f.share("natural-vaccine-claim"),
    "tag-in-clinical-area": lambda f: f.tag("you-ward-team", "omar-haddad"),
    "tag-patient": _friend_then_tag_patient,
    "tag-widens-audience": lambda f: f.tag("you-hike", "maya-chen"),
    "photo-with-patient-face": lambda f: f.publish("Discharge day!", "friends",
                                                   photo="discharge-selfie"),
    "photo-in-clinical-area": lambda f: f.publish("Long day.", "friends", photo="scrubs-selfie"),
    "photo-with-alcohol": lambda f: f.share("lena-reunion-party"),
    "untag-yourself": lambda f: f.untag("lena-reunion-party"),
}


def test_every_rule_of_the_feed_has_a_scenario() -> None:
    ids = {rule["id"] for name in ("feed", "general")
           for rule in yaml.safe_load((ASSETS / "coach" / f"{name}.yaml").read_text())["rules"]}
    assert ids <= set(SCENARIOS), sorted(ids - set(SCENARIOS))


@pytest.mark.parametrize("rule", sorted(SCENARIOS))
def test_the_coach_rule_speaks_with_its_guidance(rule, feed) -> None:
    if rule not in {item.id for item in coach.rules()}:
        pytest.skip(f"{rule} is not among the coach's rules now")
    outcome = SCENARIOS[rule](feed)
    said = {item.rule: item for item in outcome.feedback}
    assert rule in said, f"{rule} did not speak; the coach said {sorted(said)}"
    item = said[rule]
    assert item.guidance and item.sources and item.message
    assert rule in outcome.events[0].details["rules"]
    html = render.feedback_html(outcome.feedback)
    assert item.sources.split(";")[0] in html


def test_the_right_answer_to_a_patient_gets_only_praise(feed) -> None:
    outcome = feed.answer("patient-gloria", "decline",
                          "Thank you! Please follow the practice page, and use the portal.")
    assert {item.severity for item in outcome.feedback} == {"good"}


def test_a_plain_like_says_nothing(feed) -> None:
    assert feed.like("walt-tomatoes").feedback == ()


# --- the lesson's tasks ----------------------------------------------------------------


def test_every_task_of_the_lesson_can_be_done_in_the_feed(feed) -> None:
    lesson = lessons.lesson(2)
    checklist = tasks.Checklist(lesson.tasks)
    feed.subscribe(checklist.observe)
    feed.set_profile(kind="personal", future_posts="friends", tag_review=True)
    feed.answer("patient-gloria", "decline", "Please follow our practice page.")
    feed.answer("colleague-grace", "accept")
    feed.publish("Lovely evening by the lake.", "friends")
    feed.like("maya-conference-talk")
    feed.view_audience("maya-conference-talk")
    feed.comment("omar-bad-night", "Omar, this could identify him, please take it down.")
    feed.tag("you-hike", "maya-chen")
    feed.untag("lena-reunion-party")
    assert checklist.complete, [task.id for task in checklist.remaining]


def test_the_lesson_yaml_holds_the_practice_tasks_the_issue_names() -> None:
    prompts = " ".join(task.prompt for task in lessons.lesson(2).tasks)
    assert "Post an update only your friends can see." in prompts
    assert "Decline the patient's friend request and point them to the practice page." in prompts


def test_every_yaml_file_starts_with_a_comment_for_authors() -> None:
    files = [*(ASSETS / "feed").rglob("*.yaml"), ASSETS / "coach" / "feed.yaml",
             ASSETS / "lessons" / "02_facebook.yaml"]
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("#"), path
        assert yaml.safe_load(path.read_text(encoding="utf-8"))
