"""The Twitter (now X) stream simulator's model, content and coach rules, without a kernel."""

from __future__ import annotations

import random

import pytest
import yaml
from ipywidgets.widgets.widget import _instances as widget_models

from carefully import content, progress, settings, tasks
from carefully.kinds import lessons
from carefully.kinds import stream as stream_content
from carefully.stream import model, parse, reach, render, view

LEARNER = "0123456789abcdef01234567"


@pytest.fixture(scope="module")
def loaded():
    return stream_content.load()


@pytest.fixture
def account(loaded):
    setup, sources, threads = loaded
    return model.Account(setup, sources, threads)


def post_from(account: model.Account, ident: str, fact: str | None = None) -> model.Post:
    """The newest post from source ``ident`` (with ``fact``, if given), ticking until there is one."""
    wanted = fact
    while True:
        for index in reversed(account.stream.by_source[ident]):
            post = account.stream.posts[index]
            if wanted is None or wanted in post.facts:
                return post
        account.tick()


def rule_ids(outcome: model.Outcome) -> list[str]:
    return [item.rule for item in outcome.feedback]


# --- content ----------------------------------------------------------------------


def test_content_has_the_sources_templates_and_threads_the_lesson_needs(loaded):
    _, sources, threads = loaded
    assert len(sources) >= 12
    assert sum(len(source.templates) for source in sources) >= 60
    assert len(threads) >= 4
    kinds = {source.kind for source in sources}
    assert {"clinician", "journal", "health_department", "hospital", "patient", "news",
            "misinformation", "drug_company"} <= kinds
    senders = {thread.sender.kind for thread in threads}
    assert {"patient", "journalist"} <= senders
    assert any("symptom" in thread.id or "swollen" in " ".join(thread.messages)
               for thread in threads if thread.sender.kind == "patient")


def test_the_content_validates_and_names_a_bad_field(tmp_path):
    assert not [p for p in content.validate() if "stream" in p.file or "03_twitter" in p.file]
    copy = tmp_path / "assets"
    import shutil

    shutil.copytree(settings.assets_dir(), copy)
    source = copy / "stream" / "sources" / "dr-reyes.yaml"
    data = yaml.safe_load(source.read_text())
    data["handle"] = "not a handle!"
    data["posts"].append("An unknown {placeholder} here.")
    source.write_text(yaml.safe_dump(data))
    problems = [str(p) for p in content.validate(copy) if "dr-reyes" in p.file]
    assert any("handle" in p and "1 to 15 letters" in p for p in problems), problems
    assert any("{placeholder}" in p for p in problems), problems


# --- the stream ---------------------------------------------------------------------


def test_the_stream_is_seeded_and_predictable(loaded):
    setup, sources, _ = loaded
    one = model.Stream(sources, setup.fills, seed=7)
    two = model.Stream(sources, setup.fills, seed=7)
    other = model.Stream(sources, setup.fills, seed=8)
    made = one.advance(300)
    assert [p.text for p in made] == [p.text for p in two.advance(300)]
    assert [p.text for p in made] != [p.text for p in other.advance(300)]
    # Post n depends on the seed and n alone: it can be predicted without the others.
    assert model.Stream(sources, setup.fills, seed=7).make(250).text == made[250].text
    assert made[250].source.id == one.make(250).source.id


def test_the_stream_never_runs_dry_and_every_post_fits(account):
    posts = account.stream.advance(100_000)
    assert account.now == 100_000 + account.setup.history
    assert {post.source.id for post in posts} == {source.id for source in account.stream.sources}
    sample = random.Random(1).sample(posts, 3000)
    assert all(parse.length(post.text) <= parse.LIMIT for post in sample)
    assert all("{" not in post.text for post in sample)


def test_home_timeline_is_followed_sources_newest_first(account):
    items = account.home(0, 40)
    assert items, "the new account follows a few sources at first"
    assert {item.post.source.id for item in items} <= account.following
    times = [item.post.index for item in items]
    assert times == sorted(times, reverse=True)


def test_follow_adds_a_sources_posts_at_once_and_unfollow_removes_them(account):
    ident = "lakeside-health"
    assert ident not in account.following
    before = account.home(0, 1000)
    assert not [i for i in before if i.post.source.id == ident]

    outcome = account.follow(ident)
    assert outcome.done
    after = account.home(0, 1000)
    theirs = [i.post.index for i in after if i.post.source.id == ident]
    expected = [i for i in account.stream.by_source[ident] if i < account.seen]
    assert sorted(theirs) == expected and expected
    assert account.home_size() == len(before) + len(expected)
    assert outcome.events[0] == tasks.Event("follow", {"source": ident, "kind": "health_department",
                                                       "rules": []})

    outcome = account.unfollow(ident)
    assert outcome.done
    assert [i.key for i in account.home(0, 1000)] == [i.key for i in before]
    assert not account.unfollow(ident).done


def test_new_posts_wait_behind_the_button_until_shown(account):
    shown = [item.key for item in account.home()]
    followed_before = account.pending()
    made = []
    while account.pending() == followed_before:
        made += account.tick()
    assert [item.key for item in account.home()] == shown, "the timeline does not move by itself"
    expected = sum(1 for post in made if post.source.id in account.following)
    assert account.pending() == expected
    outcome = account.reveal()
    assert outcome.events == (tasks.Event("show_new", {"count": expected}),)
    assert account.pending() == 0
    newest = [p for p in made if p.source.id in account.following][-1]
    assert account.home()[0].post is newest


def test_hashtag_stream_holds_everyones_posts_with_that_tag(account):
    items = account.tagged("MEASLES", 0, 50)
    assert items
    assert all("#measles" in item.post.text.lower() for item in items)
    assert {item.post.source.id for item in items} - account.following, \
        "a hashtag's stream is not limited to the accounts you follow"
    assert account.tagged_size("#Measles") == len(account.stream.by_tag["measles"])


# --- composing -------------------------------------------------------------------------


def test_counter_allows_280_and_refuses_281(account):
    at_limit = "a" * 280
    assert parse.length(at_limit) == 280 and parse.remaining(at_limit) == 0
    assert model.over_limit_message(at_limit) == ""
    assert account.publish(at_limit).done

    over = "a" * 281
    assert parse.remaining(over) == -1
    outcome = account.publish(over)
    assert not outcome.done
    assert outcome.message == model.over_limit_message(over)
    assert "1 character over the 280-character limit" in outcome.message
    assert len(account.own) == 1


def test_counter_counts_code_points_after_nfc():
    combining = "e\u0301" * 280  # é typed as e + accent counts once, as X counts it
    assert len(combining) == 560 and parse.length(combining) == 280
    assert parse.remaining(combining + "e\u0301") == -1
    assert parse.length("São Paulo ☕") == 11


@pytest.mark.parametrize(("text", "mentions", "hashtags"), [
    ("Thanks @ReyesEDdoc, great talk! #MedEd.", ["ReyesEDdoc"], ["MedEd"]),
    ("(@AmaraChenRN) #PatientSafety!!", ["AmaraChenRN"], ["PatientSafety"]),
    ("@a_b: yes; #Grippe2024, #São_Paulo? #Gesundheit…", ["a_b"], ["Grippe2024", "São_Paulo",
                                                                  "Gesundheit"]),
    ("#医療 と ＃ワクチン and ＠fullwidth", ["fullwidth"], ["医療", "ワクチン"]),
    ("#हिन्दी and #Ελλάδα.", [], ["हिन्दी", "Ελλάδα"]),
    ("mail dr@example.org, C# and &#39; or #2024 are not tags", [], []),
    ("@toolonghandle12345 and @josé are not mentions", [], []),
    ("#Measles #measles #MEASLES", [], ["Measles"]),
    ("@reyes@other #foo#bar", [], []),
])
def test_mentions_and_hashtags_are_read_as_x_reads_them(text, mentions, hashtags):
    assert parse.mentions(text) == mentions
    assert parse.hashtags(text) == hashtags


def test_segments_rebuild_the_text_and_mark_entities():
    text = "Hi @ReyesEDdoc, see #Measles!"
    pieces = parse.segments(text)
    assert "".join(piece for _, piece in pieces) == text
    assert ("mention", "@ReyesEDdoc") in pieces and ("hashtag", "#Measles") in pieces


def test_learner_starts_with_no_followers_and_gains_them_by_posting(account):
    assert account.followers == 0
    outcome = account.publish("Flu shots are in at the clinic this week. #VaccinesWork")
    assert outcome.done
    own = account.own[0]
    assert own.gained >= 1 and account.followers == own.gained
    assert account.home()[0].own is own, "your post tops your home timeline"
    assert account.tagged("VaccinesWork")[0].own is own
    event = outcome.events[0]
    assert event.kind == "post" and event.details["published"] and event.details["has_hashtag"]
    account.publish("Second post")
    assert account.followers == own.gained + account.own[1].gained


def test_reply_and_quote_point_at_their_post(account):
    post = post_from(account, "dr-reyes")
    replies = post.replies
    outcome = account.publish("@ReyesEDdoc Well said.", reply_to=post.index)
    assert outcome.done and outcome.events[0].kind == "reply"
    assert outcome.events[0].details["mentioned"] == ["clinician"]
    assert post.replies == replies + 1 and account.own[-1].target is post
    outcome = account.publish("Worth reading.", quote=post.index)
    assert outcome.done and account.own[-1].kind == "quote"
    assert "Worth reading." in render.own_post(account.own[-1], account)
    assert post.text.split()[0] in render.own_post(account.own[-1], account)


def test_like_and_repost_change_the_counts_and_can_be_undone(account):
    post = post_from(account, "northfield-journal")
    likes, reposts = account.likes_of(post), account.reposts_of(post)
    assert account.like(post.index).done and account.likes_of(post) == likes + 1
    assert render.like_label(account, post) == f"Liked (favorited) \u00b7 {likes + 1:,}"
    assert account.repost(post.index).done and account.reposts_of(post) == reposts + 1
    assert render.repost_label(account, post) == f"Reposted (retweeted) \u00b7 {reposts + 1:,}"
    assert account.home()[0].kind == "repost" and account.home()[0].post is post
    account.like(post.index)
    account.repost(post.index)
    assert (account.likes_of(post), account.reposts_of(post)) == (likes, reposts)
    assert render.like_label(account, post).startswith("Like (favorite)")


def test_typed_html_is_shown_as_text(account):
    typed = "<img src=x onerror=alert(1)> & <b>bold</b>"
    account.publish(typed)
    html = render.own_post(account.own[-1], account)
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img" in render.your_posts_html(account)
    account.reply_dm("patient-symptom", typed + " Please use the patient portal.")
    thread = render.conversation_html(account.conversations["patient-symptom"], account)
    assert "<img" not in thread and "&lt;img" in thread


# --- reach ---------------------------------------------------------------------------


def cascade_by_hand() -> reach.Cascade:
    node = reach.Node
    return reach.Cascade(followers=12, posted_at=100, nodes=(
        node("A", "a", 1_000, -1, 1, 102),
        node("B", "b", 300, -1, 1, 103),
        node("C", "c", 5_000, 0, 2, 104),
        node("D", "d", 40, 2, 3, 107),
    ))


def test_reach_adds_your_followers_and_every_reposters():
    cascade = cascade_by_hand()
    assert reach.potential_reach(cascade) == 12 + 1_000 + 300 + 5_000 + 40 == cascade.reach
    assert (cascade.reposts, cascade.waves) == (4, 3)
    assert cascade.until(103).reach == 12 + 1_000 + 300
    assert cascade.until(100).reach == 12 and cascade.until(100).waves == 0
    assert reach.summary(cascade) == ("Reposted 4 times in 3 waves. Potential reach: 6,352 "
                                      "accounts (your 12 followers plus the followers of "
                                      "everyone who reposted it).")
    assert reach.waves_text(cascade)[1] == "Wave 2 (reposted a repost): @c (5,000 followers)."


def test_reach_picture_is_an_image_with_a_text_alternative():
    svg = reach.picture(cascade_by_hand(), "cf-reach-9")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="cf-reach-9-title"' in svg and "Potential reach: 6,352" in svg
    assert svg.count("<circle") == 5 and svg.count("<line") == 4


def test_cascades_are_seeded_and_hashtags_carry_a_post_further():
    pool = [reach.Candidate(f"P{i}", f"p{i}", 2_000 * (i + 1)) for i in range(30)]

    def grown(seed, audience):
        return reach.grow(random.Random(seed), followers=0, posted_at=0, extra_audience=audience,
                          mentioned=(), pool=pool)

    assert grown(3, 400) == grown(3, 400)
    assert grown(3, 0).reposts == 0, "no followers and no hashtag: nobody sees it"
    assert sum(grown(seed, 800).reposts for seed in range(40)) > 0
    assert all(grown(seed, 800).reposts <= reach.MAX_NODES for seed in range(40))


def test_your_posts_cascade_unfolds_as_the_stream_moves_on(account):
    account.publish("Walk-in flu shots at the clinic on Friday. #VaccinesWork #PublicHealth")
    own = account.own[-1]
    assert account.cascade(own).reposts == 0
    for _ in range(20):
        account.tick()
    assert account.cascade(own) == own.cascade
    assert account.look_at_reach(own.number).events == (tasks.Event("reach", {"post": own.number}),)


# --- the coach (one engine for every simulator; rules in assets/coach/stream.yaml) ------


def _dm(thread: str, text: str):
    return lambda account: account.reply_dm(thread, text)


SCENARIOS = {
    # rule id: (what the learner does, whether it is carried out)
    "mention-patient": (lambda a: a.publish("Great run today @lena_runs_5k!"), False),
    "dm-emergency-without-help": (_dm("crisis-message", "Sorry you feel low. Let's talk tomorrow."),
                                  False),
    "dm-emergency-answered": (_dm("crisis-message", "Please call or text 988 right now."), True),
    "dm-clinical-advice": (_dm("patient-symptom", "Take 400 mg ibuprofen and rest."), False),
    "dm-moved-to-secure-channel": (_dm("patient-symptom", "I'm sorry it hurts. Please send me a "
                                       "message through the patient portal."), True),
    "dm-journalist-patient-details": (_dm("journalist-comment", "Mr. Torres is doing better."),
                                      False),
    "dm-journalist-comment": (_dm("journalist-comment", "The outbreak is worrying."), True),
    "dm-journalist-media-office": (_dm("journalist-comment", "Please contact our media office."),
                                   True),
    "dm-industry-offer": (_dm("industry-invitation", "Sounds great, count me in!"), True),
    "dm-industry-declined": (_dm("industry-invitation", "No thank you."), True),
    "public-reply-clinical-advice": (
        lambda a: a.publish("Try taking a double dose tonight.",
                            reply_to=post_from(a, "tomas-t1d").index), False),
    "follow-patient": (lambda a: a.follow("lena-marsh"), True),
    "like-patient-post": (lambda a: a.like(post_from(a, "lena-marsh").index), True),
    "repost-drug-promotion": (lambda a: a.repost(post_from(a, "veridian-pharma").index), True),
    "repost-reliable-source": (lambda a: a.repost(post_from(a, "lakeside-health").index), True),
    "unfollow-misinformation": (lambda a: a.unfollow("natural-truth"), True),
}


def test_every_stream_rule_has_a_scenario():
    data = yaml.safe_load((settings.assets_dir() / "coach" / "stream.yaml").read_text())
    assert {rule["id"] for rule in data["rules"]} == set(SCENARIOS)


@pytest.mark.parametrize("rule", sorted(SCENARIOS))
def test_each_stream_rule(rule, account):
    act, carried_out = SCENARIOS[rule]
    outcome = act(account)
    assert rule in rule_ids(outcome), rule_ids(outcome)
    assert outcome.done is carried_out
    severity = next(item.severity for item in outcome.feedback if item.rule == rule)
    assert (severity == "stop") is (not carried_out)
    said = next(item for item in outcome.feedback if item.rule == rule)
    assert said.sources, "every rule names the guidance it rests on"


def test_a_stopped_reply_is_not_sent_and_a_good_one_gets_an_answer(account):
    talk = account.conversations["patient-symptom"]
    before = list(talk.said)
    assert not account.reply_dm("patient-symptom", "Sounds like a sprain, ice it.").done
    assert talk.said == before
    assert account.reply_dm("patient-symptom", "Please call the office this morning.").done
    assert talk.said[-2] == ("you", "Please call the office this morning.")
    assert talk.said[-1] == ("them", talk.thread.follow_up)


def test_emergency_wording_in_any_message_of_the_thread_is_heard(account):
    outcome = account.reply_dm("relative-chest-pain", "Give him an aspirin.")
    assert not outcome.done
    assert {"dm-emergency-without-help", "dm-clinical-advice"} <= set(rule_ids(outcome))
    assert account.reply_dm("relative-chest-pain", "Call 911 now.").done


def test_reposting_misinformation_is_stopped_by_the_shared_rules(account):
    post = post_from(account, "natural-truth", fact="post:misinformation")
    outcome = account.repost(post.index)
    assert not outcome.done and "share-misinformation" in rule_ids(outcome)
    assert post.index not in account.reposted


def test_feedback_shows_the_stop_and_leaves_out_praise(account):
    outcome = account.publish("Great run today @lena_runs_5k!")
    html = render.feedback_html(outcome.feedback, outcome.message)
    assert 'data-rule="mention-patient"' in html and 'role="alert"' in html
    assert "cf-coach-good" not in html


# --- tasks ------------------------------------------------------------------------------


def test_the_lessons_tasks_are_completed_by_the_simulators_events(account):
    lesson = lessons.lesson(3)
    checklist = tasks.Checklist(lesson.tasks)
    actions = [account.follow("lakeside-health")]
    while not account.pending():
        account.tick()
    actions += [
        account.reveal(),
        account.follow("northfield-med-society"),
        account.unfollow("natural-truth"),
        account.publish("Grand rounds today were excellent."),
        account.publish("Thanks @ReyesEDdoc for the teaching session!"),
        account.publish("Agreed.", reply_to=post_from(account, "dr-okafor").index),
        account.like(post_from(account, "dr-okafor").index),
        account.repost(post_from(account, "lakeside-health").index),
        account.open_tag("Measles"),
        account.publish("Check your MMR status. #Measles"),
        account.look_at_reach(1),
        account.reply_dm("patient-symptom", "Please message me through the portal."),
        account.reply_dm("journalist-comment", "Please contact our media office."),
        account.reply_dm("crisis-message", "Please call or text 988 now, or 911."),
    ]
    for outcome in actions:
        for event in outcome.events:
            checklist.observe(event)
    assert checklist.remaining == []


# --- the page, without a browser: bounded widgets, the clock, recorded tasks -----------


PARTS = [("timeline", ["show-new-posts"]), ("follow", ["follow-health-department"]),
         ("compose", ["first-post"]), ("timeline", ["like-post"]), ("explore", ["open-hashtag"]),
         ("reach", ["see-reach"]), ("messages", ["dm-patient"])]


def build_page(loaded, learner_id="guest-" + "a" * 24) -> view.Page:
    setup, sources, threads = loaded
    page = view.Page(model.Account(setup, sources, threads), learner_id)
    for name, task_ids in PARTS:
        page.widget(name, task_ids)
    return page


def test_a_stream_of_100000_posts_keeps_the_widget_models_bounded(loaded):
    before = len(widget_models)
    page = build_page(loaded)
    models = len(widget_models)
    assert models - before < 500, f"the page has {models - before} widget models"
    page.account.follow("lakeside-health")
    page.account.stream.advance(100_000)
    assert page.account.now > 100_000
    timeline = page.named("timeline")[0]
    timeline.reveal()
    for _ in range(30):
        page.tick()
    for _ in range(20):
        timeline.turn(5)
    timeline.open_tag(timeline.slots[0], 0)
    timeline.slots[1].like.click()
    compose = page.named("compose")[0]
    for number in range(5):
        compose.composer.text.value = f"Clinic note number {number}. #PublicHealth"
        compose.send()
    reach_part = page.named("reach")[0]
    reach_part.look()
    assert len(widget_models) == models, "the page made widgets as the stream grew"


def test_the_page_shows_posts_and_updates_every_part_after_a_click(loaded):
    page = build_page(loaded)
    timeline, again = page.named("timeline")
    follow = page.named("follow")[0]
    button = follow.buttons[follow.sources.index(page.account.stream.by_id["lakeside-health"])]
    assert button.description == "Follow @LakesideHealth"
    button.click()
    assert button.description == "Unfollow @LakesideHealth"
    assert "5 accounts you follow" in timeline.header.value
    assert timeline.header.value == again.header.value
    compose = page.named("compose")[0]
    compose.composer.text.value = "x" * 281
    assert compose.composer.send.disabled
    assert "1 character over" in compose.composer.why.value
    compose.composer.text.value = "x" * 280
    assert not compose.composer.send.disabled and compose.composer.why.value == ""


def test_typing_a_patients_handle_calls_the_coach_at_once(loaded):
    page = build_page(loaded)
    composer = page.named("compose")[0].composer
    composer.text.value = "Proud of you @lena_runs_5k"
    assert 'data-rule="mention-patient"' in composer.feedback.value
    composer.text.value = "Proud of our team"
    assert composer.feedback.value == ""


def test_done_tasks_are_recorded_for_a_signed_in_learner(loaded, tmp_path, monkeypatch):
    monkeypatch.setenv("CAREFULLY_VAR", str(tmp_path))
    page = build_page(loaded, LEARNER)
    timeline = page.named("timeline")[0]
    while not page.account.pending():
        page.tick()
    timeline.reveal()
    assert "show-new-posts" in progress.done(LEARNER, 3, "task")
    assert "1 of 1 done" in page.checklists[0].widget.value


class FakeLoop:
    """Stands in for the kernel's event loop: remembers what the clock scheduled."""

    def __init__(self) -> None:
        self.scheduled = []

    def call_later(self, delay, callback):
        handle = FakeHandle(callback)
        self.scheduled.append(handle)
        return handle


class FakeHandle:
    def __init__(self, callback) -> None:
        self.callback, self.cancelled = callback, False

    def cancel(self) -> None:
        self.cancelled = True


def run(loop: FakeLoop, ticks: int) -> int:
    """Fire the clock's pending call ``ticks`` times; returns how many fired."""
    fired = 0
    for _ in range(ticks):
        live = [h for h in loop.scheduled if not h.cancelled]
        loop.scheduled.clear()
        if not live:
            break
        live[-1].callback()
        fired += 1
    return fired


def test_the_clock_moves_the_stream_and_goes_quiet_when_nobody_is_there(loaded):
    page = build_page(loaded)
    loop = FakeLoop()
    page.clock = view.Clock(page, 6, loop)
    page.clock.start()
    start = page.account.now
    assert run(loop, 3) == 3 and page.account.now == start + 3 * page.account.setup.posts
    # No click for IDLE_MINUTES: the clock stops (and so does every message to the page).
    run(loop, page.clock.idle_ticks + 5)
    assert not page.clock.running
    stopped_at = page.account.now
    assert run(loop, 5) == 0 and page.account.now == stopped_at
    # A click starts it again.
    page.named("timeline")[0].go_home()
    assert page.clock.running


def test_the_clock_pauses_once_the_new_posts_count_stops_changing(loaded):
    page = build_page(loaded)
    loop = FakeLoop()
    page.clock = view.Clock(page, 6, loop)
    page.clock.idle_ticks = 10**6  # a learner who keeps reading, and never shows the posts
    page.clock.start()
    assert run(loop, 2000) < 2000
    assert not page.clock.running
    assert page.account.pending() >= view.parts.Timeline.MAX_PENDING
    assert page.named("timeline")[0].new_posts.description == "Show 99+ new posts"
    page.named("timeline")[0].reveal()
    assert page.clock.running and page.account.pending() == 0
