"""The best-practice catalogue without a browser: content, search, filter, HTML, validation."""

from __future__ import annotations

import re
import shutil
from html import escape
from pathlib import Path

import pytest
from ipywidgets.widgets import widget as widget_module

from carefully import content, progress
from carefully.catalogue import model, render
from carefully.catalogue.view import CatalogueView
from carefully.kinds import guidance, lessons
from carefully.kinds.topics import Topic
from carefully.pages.checklist import ChecklistView

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
HEADER = (ASSETS / "topics" / "online-reviews.yaml").read_text(encoding="utf-8").split("\ntitle:")[0]

NEW_TOPIC = HEADER + """
title: Podcasts and press interviews
summary: Before a podcast or an interview, agree what you will and will not talk about.
do:
  - Prepare two or three general points, and say that you speak for yourself.
avoid:
  - Stories from the clinic that a listener could tie to one patient.
sources: [ama-2.3.2, hipaa-safe-harbor]
tags: [media, privacy]
"""


def topic(ident: str, title: str, *, summary: str = "A summary.", do=("Do this.",),
          avoid=("Avoid that.",), tags=("misc",), evidence=()) -> Topic:
    return Topic(ident, title, summary, tuple(do), tuple(avoid), ("ama-2.3.2",), tuple(tags),
                 tuple(evidence))


@pytest.fixture
def small() -> model.Catalogue:
    """A hand-made catalogue where each word sits in exactly one field of one topic."""
    return model.Catalogue([
        topic("reviews", "Responding to online Reviews", summary="Never confirm the patient.",
              tags=("privacy", "reputation")),
        topic("resume", "Your résumé online", do=("Keep your CV accurate.",), tags=("reputation",)),
        topic("email", "E-mail with patients", avoid=("Texting lab results.",),
              tags=("communication", "privacy")),
        topic("numbers", "What the numbers say", evidence=("35% had a request (QuantiaMD, 2011).",),
              tags=("evidence",)),
    ])


@pytest.fixture
def assets_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS, folder)
    return folder


def topic_assets(tmp_path: Path, *, dilemmas: bool = False) -> Path:
    """A copy of just the content topics are checked against (fewer files: faster to check)."""
    folder = tmp_path / "assets"
    folder.mkdir()
    for name in ("course.yaml", "guidance.yaml"):
        shutil.copy2(ASSETS / name, folder / name)
    for name in ("topics", "lessons", *(["dilemmas"] if dilemmas else [])):
        shutil.copytree(ASSETS / name, folder / name)
    return folder


def problems_in(folder: Path, file: str) -> list[content.Problem]:
    return [problem for problem in content.validate(folder) if problem.file == file]


# --- the real catalogue --------------------------------------------------------


def test_real_topics_load_sourced_and_sorted():
    catalogue = model.load(ASSETS)
    ids = set(guidance.catalogue(ASSETS))
    assert len(catalogue) >= 8
    titles = [model.fold(t.title) for t in catalogue.topics]
    assert titles == sorted(titles)
    for item in catalogue.topics:
        assert item.do and item.avoid and item.tags, item.id
        assert set(item.sources) <= ids, item.id
        for line in item.evidence:  # every figure is dated
            assert re.search(r"\b(19|20)\d\d\b", line), f"{item.id}: {line}"


def test_topics_the_issue_asks_for_are_there_with_their_figures():
    catalogue = model.load(ASSETS)
    expected = {
        "separate-personas": "acp-fsmb-2013",
        "patient-friend-requests": "fsmb-2012",
        "electronic-communication": "acp-fsmb-2013",
        "monitor-your-online-presence": "ama-2.3.2",
        "online-reviews": "ocr-review-settlements",
        "colleague-posts": "ama-2.3.2",
        "misinformation": "fsmb-2021-misinformation",
        "conflicts-and-credentials": "fsmb-2012",
        "clinical-area-photos": "hipaa-safe-harbor",
        "online-harassment": "acp-fsmb-2013",
        "patient-crowdfunding": "ama-2.3.2",
    }
    for ident, source in expected.items():
        assert source in catalogue.topic(ident).sources, ident
    text = " ".join(" ".join(t.evidence) for t in catalogue.topics)
    for figure in ("23.3%", "QuantiaMD survey, 2011", "Bosslet et al., J Gen Intern Med, 2011",
                   "Chretien et al., JAMA, 2009", "Chretien et al., JAMA, 2011", "23,000 dollars"):
        assert figure in text, figure


def test_topics_link_to_dilemmas_that_exist_on_their_module_page():
    catalogue = model.load(ASSETS)
    linked = [t for t in catalogue.topics if t.dilemma]
    assert len(linked) >= 8
    course = content.course(ASSETS)
    pages = {m.number: (m.page, f"Module {m.number}, {m.title}") for m in course.modules}
    friend = catalogue.topic("patient-friend-requests")
    html = render.render_topic(friend, catalogue, pages=pages)
    dilemma = catalogue.dilemma(friend.dilemma)
    assert dilemma.id in catalogue.dilemmas  # a real dilemma, not a guess from the id
    assert f'href="{course.module(dilemma.module).page}"' in html
    assert f"\u201c{escape(dilemma.title)}\u201d" in html


# --- search and filter ----------------------------------------------------------


def test_search_ignores_case_accents_and_punctuation(small):
    assert [t.id for t in small.search("REVIEWS")] == ["reviews"]
    assert [t.id for t in small.search("resume")] == ["resume"]  # the title says résumé
    assert [t.id for t in small.search("RÉSUMÉ")] == ["resume"]
    assert [t.id for t in small.search("email")] == ["email"]  # the title says E-mail
    assert [t.id for t in small.search("e-mail")] == ["email"]


def test_search_looks_in_every_field_and_needs_every_word(small):
    assert [t.id for t in small.search("confirm")] == ["reviews"]  # summary
    assert [t.id for t in small.search("cv")] == ["resume"]  # do
    assert [t.id for t in small.search("texting")] == ["email"]  # avoid
    assert [t.id for t in small.search("quantiamd")] == ["numbers"]  # evidence
    assert [t.id for t in small.search("communication")] == ["email"]  # tags
    assert [t.id for t in small.search("online reviews")] == ["reviews"]
    assert small.search("online texting") == ()
    assert len(small.search("")) == len(small.search("   ")) == 4


def test_filter_by_tag_and_listing_counts(small):
    assert [t.id for t in small.tagged("privacy")] == ["email", "reviews"]
    assert small.tags == (("communication", 1), ("evidence", 1), ("privacy", 2),
                          ("reputation", 2))
    listing = small.listing("online", "privacy")
    assert listing.ids == ("reviews",) and listing.total == 4 and listing.narrowed
    assert not small.listing().narrowed
    assert small.listing("nothing-like-this").count == 0


def test_status_counts_in_words(small):
    assert render.status(small.listing()) == "Showing all 4 topics."
    assert render.status(small.listing("online")) == "2 of 4 topics match \u201conline\u201d."
    assert render.status(small.listing("cv")) == "1 of 4 topics matches \u201ccv\u201d."
    assert render.status(small.listing("", "privacy")) == "2 of 4 topics are tagged privacy."
    assert render.status(small.listing("cv", "reputation")) == (
        "1 of 4 topics is tagged reputation and matches \u201ccv\u201d.")
    assert render.status(small.listing("zebra")).startswith("No topic matches \u201czebra\u201d.")
    assert render.status(model.Catalogue([]).listing()) == "The catalogue has no topics yet."


def test_highlight_marks_the_words_in_the_original_text():
    assert render.highlight("Your Résumé online", model.terms("resume")) == (
        "Your <mark>Résumé</mark> online")
    assert render.highlight("a <b> & review", model.terms("REVIEW")) == (
        "a &lt;b&gt; &amp; <mark>review</mark>")
    assert render.highlight("straße", model.terms("strasse")) == "<mark>straße</mark>"


def test_learner_text_is_escaped_in_the_list(small):
    attack = "<img src=x onerror=alert(1)>"
    html = render.render_listing(small.listing(attack), small)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_narrow_search_opens_its_topics(small):
    assert "<details open>" in render.render_listing(small.listing("cv"), small)
    assert "<details open>" not in render.render_listing(small.listing(), small)


def test_a_closed_topic_says_where_the_search_words_hide(small):
    email = small.topic("email")
    assert "Found under: Avoid" in render.render_topic(email, small, model.terms("texting"))
    assert "Found under" not in render.render_topic(email, small, model.terms("texting"),
                                                    opened=True)
    assert "Found under" not in render.render_topic(email, small, model.terms("patients"))


# --- a new topic file, no code change --------------------------------------------


def test_new_topic_file_appears_in_the_catalogue_and_its_html(assets_copy):
    (assets_copy / "topics" / "podcasts-and-interviews.yaml").write_text(NEW_TOPIC, "utf-8")
    assert content.validate(assets_copy) == []
    catalogue = model.load(assets_copy)
    assert len(catalogue) == len(model.load(ASSETS)) + 1
    assert ("media", 1) in catalogue.tags
    listing = catalogue.listing("podcast")
    assert listing.ids == ("podcasts-and-interviews",)
    html = render.render_listing(catalogue.listing(), catalogue)
    assert 'data-topic="podcasts-and-interviews"' in html
    assert "Podcasts and press interviews" in html
    assert "AMA Opinion 2.3.2" in html  # the source by name, not by id


# --- validation: what an author sees ---------------------------------------------


def test_unknown_guidance_id_is_reported_with_file_line_and_field(tmp_path):
    assets_copy = topic_assets(tmp_path)
    text = NEW_TOPIC.replace("[ama-2.3.2, hipaa-safe-harbor]", "[ama-2.3.2, ama-9.124]")
    (assets_copy / "topics" / "podcasts-and-interviews.yaml").write_text(text, "utf-8")
    found = problems_in(assets_copy, "assets/topics/podcasts-and-interviews.yaml")
    assert [p.field for p in found] == ["sources[1]"]
    line = text.splitlines().index("sources: [ama-2.3.2, ama-9.124]") + 1
    assert found[0].line == line
    assert "assets/guidance.yaml" in found[0].expected and "acp-fsmb-2013" in found[0].expected
    assert str(found[0]).startswith(f"assets/topics/podcasts-and-interviews.yaml:{line}: sources[1]")


def test_other_mistakes_are_named_field_by_field(tmp_path):
    assets_copy = topic_assets(tmp_path, dilemmas=True)
    text = (NEW_TOPIC.replace("do:\n  - Prepare", "doo:\n  - Prepare")
            .replace("tags: [media, privacy]", "tags: [Media, privacy]\ndilemma: no-such-dilemma"))
    (assets_copy / "topics" / "podcasts-and-interviews.yaml").write_text(text, "utf-8")
    found = {p.field: p.expected for p in
             problems_in(assets_copy, "assets/topics/podcasts-and-interviews.yaml")}
    assert "this required field is missing" in found["do"]
    assert "did you mean 'do'?" in found["doo"]
    assert "lowercase" in found["tags[0]"]
    assert "friend-request" in found["dilemma"] and "no-such-dilemma" in found["dilemma"]


def test_a_file_name_that_cannot_be_an_id_is_reported(tmp_path):
    assets_copy = topic_assets(tmp_path)
    (assets_copy / "topics" / "Podcasts 2.yaml").write_text(NEW_TOPIC, "utf-8")
    found = problems_in(assets_copy, "assets/topics/Podcasts 2.yaml")
    assert [p.field for p in found] == ["(file)"]
    assert "lowercase letters, digits and dashes" in found[0].expected


def test_two_topics_with_one_title_are_reported(tmp_path):
    assets_copy = topic_assets(tmp_path)
    title = model.load(ASSETS).topic("online-reviews").title
    text = NEW_TOPIC.replace("Podcasts and press interviews", title.upper())
    (assets_copy / "topics" / "reviews-again.yaml").write_text(text, "utf-8")
    found = problems_in(assets_copy, "assets/topics/reviews-again.yaml")
    assert [p.field for p in found] == ["title"]
    assert "online-reviews.yaml" in found[0].expected


def test_a_lesson_task_naming_a_missing_tag_or_topic_is_reported(tmp_path):
    assets_copy = topic_assets(tmp_path)
    path = assets_copy / "lessons" / "05_best_practices.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("tag: colleagues}", "tag: colleague}")
    text = text.replace("topics: patient-friend-requests", "topics: friend-requests")
    path.write_text(text, encoding="utf-8")
    found = {p.field: p.expected for p in problems_in(assets_copy, "assets/lessons/05_best_practices.yaml")}
    assert set(found) == {"tasks[1].done_when.topics", "tasks[2].done_when.tag"}
    assert "'colleague'" in found["tasks[2].done_when.tag"] and "colleagues" in found[
        "tasks[2].done_when.tag"]


# --- the view, without a browser -------------------------------------------------


def test_view_narrows_the_list_and_reports_what_the_learner_did(small):
    events = []
    view = CatalogueView(small, on_event=events.append, learner_id="guest-" + "0" * 24)
    assert "Showing all 4 topics." in view.list.value
    view.search.value = "online"
    assert "2 of 4 topics match" in view.list.value
    assert 'data-topic="resume"' in view.list.value and 'data-topic="numbers"' not in view.list.value
    view.tags.value = "privacy"
    assert "1 of 4 topics is tagged privacy and matches" in view.list.value
    assert [(e.kind, e.details["by"], e.details["topics"]) for e in events] == [
        ("catalogue", "search", ("reviews", "resume")), ("catalogue", "tag", ("reviews",))]
    view.search.value = ""  # clearing is not a search
    view.tags.value = ""  # and "all topics" is not a filter
    assert len(events) == 2


def test_view_failure_shows_a_notice_not_a_traceback(small, monkeypatch):
    view = CatalogueView(small)
    monkeypatch.setattr(small, "listing", lambda *a: 1 / 0)
    view.search.value = "review"
    assert "could not be shown just now" in view.list.value
    assert "ZeroDivisionError" not in view.list.value


def test_lesson_tasks_tick_off_and_are_recorded(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREFULLY_VAR", str(tmp_path))
    learner = "a1" * 12
    checklist = ChecklistView(5, learner_id=learner)
    assert {t.id for t in lessons.lesson(5).tasks} == {
        "search-catalogue", "find-friend-requests", "filter-colleagues"}
    view = CatalogueView(model.load(), on_event=checklist.observe, learner_id=learner)
    view.search.value = "friend"
    view.search.value = ""
    view.tags.value = "colleagues"
    assert checklist.checklist.complete
    assert "3 of 3 done" in checklist.widget.value
    assert set(progress.done(learner, 5, "task", tmp_path)) == {
        "search-catalogue", "find-friend-requests", "filter-colleagues"}


def test_widget_count_does_not_grow_with_the_topics():
    def models_made(count: int) -> int:
        before = len(widget_module._instances)
        catalogue = model.Catalogue(topic(f"t{n}", f"Topic {n}", tags=(f"tag{n % 5}",))
                                    for n in range(count))
        CatalogueView(catalogue)
        return len(widget_module._instances) - before

    assert models_made(10) == models_made(300)
