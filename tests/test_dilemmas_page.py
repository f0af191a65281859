"""The dilemma player on the module 1 and 4 pages, as a learner's browser shows it."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect
from support.browser import PAGE_TIMEOUT_MS, open_page

from carefully import learners
from carefully.dilemmas import model, view
from carefully.kinds import guidance

LEARNER = learners.new_id()
CATALOGUE = guidance.catalogue()


def progress_of(course_server) -> dict:
    """The learner's progress file, as the server wrote it (its var folder holds its log)."""
    path = course_server.log_path.parent / "learners" / LEARNER / "progress.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    yield context
    context.close()


def open_module(context, course_server, notebook: str):
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_page(page, course_server.page_url(notebook, f"learner={LEARNER}"), ".cf-choice")
    return page, dialogs


def best_index(step) -> int:
    return next(i for i, choice in enumerate(step.choices) if choice.quality == "best")


# --- the view, without a kernel --------------------------------------------------------


def test_the_view_records_the_decisions_for_a_learner_only(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CAREFULLY_VAR", str(tmp_path))
    learner = learners.new_id()
    player = view.DilemmaView(model.dilemmas(4), 4, learner_id=learner)
    assert player.picker is not None and player.walk.dilemma.id == "friend-request"
    player.picker.value = "crowdfunding"
    while not player.walk.finished:
        player.choose(0)
        player.advance()
    assert "cf-dilemma-summary" in player.outcome.value
    kept = json.loads((tmp_path / "learners" / learner / "progress.json").read_text())
    decisions = kept["modules"]["4"]["dilemma"]["crowdfunding"]["value"]
    assert decisions == player.walk.summary().record()
    assert dict(player.picker.options)["A patient's crowdfunding page (decided)"] == "crowdfunding"

    guest = view.DilemmaView([model.get("friend-request")], 4, learner_id="guest-" + "0" * 24)
    assert guest.picker is None and guest.checklist is None
    guest.choose(1)
    guest.advance()
    assert not (tmp_path / "learners" / ("guest-" + "0" * 24)).exists()


def test_a_failing_step_shows_a_notice_not_a_traceback(monkeypatch) -> None:
    player = view.DilemmaView([model.get("friend-request")], 4, learner_id="guest-" + "1" * 24)
    player._on_continue(None)  # nothing chosen yet: the model refuses
    assert "cf-notice" in player.outcome.value and "WalkError" not in player.outcome.value


def test_the_summary_escapes_what_it_shows() -> None:
    walk = model.Walk(model.get("life-first"))
    walk.choose(1)
    walk.advance()
    walk.choose(0)
    walk.advance()
    html = view.render_summary(walk.summary(), CATALOGUE)
    assert "You made the best choice at 2 of 2 steps" in html
    assert "&quot;Chest feels crushed" in html and '"Chest' not in html


# --- the real pages --------------------------------------------------------------------------


@pytest.mark.browser
def test_module_1_walks_a_dilemma_to_its_summary(context, course_server, assert_accessible):
    page, dialogs = open_module(context, course_server, "01_social_media.ipynb")
    dilemma = model.get("three-audiences")
    box = page.locator(".cf-dilemma").filter(has_text=dilemma.title)
    expect(box).to_have_count(1)
    expect(box.locator(".cf-checklist")).to_contain_text("0 of 1 done")

    # The best choice at every step but the last, where the learner errs.
    for number, step in enumerate(dilemma.steps):
        expect(box.locator(f'.cf-situation[data-step="{step.id}"]')).to_be_visible()
        last = number == len(dilemma.steps) - 1
        index = next(i for i, c in enumerate(step.choices) if c.quality == "risky") if last \
            else best_index(step)
        box.get_by_role("button", name=step.choices[index].label, exact=True).click()
        outcome = box.locator(".cf-outcome")
        expect(outcome).to_contain_text("Risky" if last else "Best choice")
        expect(outcome).to_contain_text(step.choices[index].consequence[:40])
        sources = "; ".join(CATALOGUE[ident].short for ident in step.choices[index].guidance)
        expect(outcome).to_contain_text(f"Rests on: {sources}")
        expect(box.locator(".cf-choice:visible")).to_have_count(0)
        box.get_by_role("button", name="See your summary" if last else "Continue").click()

    summary = box.locator(".cf-dilemma-summary")
    steps = len(dilemma.steps)
    expect(summary).to_contain_text(f"You made the best choice at {steps - 1} of {steps} steps")
    expect(summary.locator(".cf-decision")).to_have_count(steps)
    expect(summary).to_contain_text("What to remember")
    expect(summary).to_contain_text(dilemma.takeaway[:60])
    expect(box.get_by_role("button", name="Start this dilemma again")).to_be_focused()
    expect(box.locator(".cf-checklist")).to_contain_text("1 of 1 done")

    # The decisions are kept for the learner, with the task they completed.
    module = progress_of(course_server)["modules"]["1"]
    kept = module["dilemma"]["three-audiences"]["value"]
    assert [item["step"] for item in kept] == [step.id for step in dilemma.steps]
    assert [item["quality"] for item in kept] == ["best"] * (steps - 1) + ["risky"]
    assert "sort-audiences" in module["task"]

    # Starting again shows the first step once more.
    box.get_by_role("button", name="Start this dilemma again").click()
    expect(box.locator(f'.cf-situation[data-step="{dilemma.steps[0].id}"]')).to_be_visible()
    expect(summary).to_have_count(0)

    # The keyboard alone decides the other dilemma's first step, and focus follows.
    other = page.locator(".cf-dilemma").filter(has_text=model.get("concierge-start").title)
    first = model.get("concierge-start").steps[0]
    other.get_by_role("button", name=first.choices[best_index(first)].label).focus()
    page.keyboard.press("Enter")
    expect(other.locator(".cf-outcome")).to_contain_text("Best choice")
    expect(other.get_by_role("button", name="Continue")).to_be_focused()

    assert dialogs == []
    assert_accessible(page)
    page.close()


@pytest.mark.browser
def test_module_4_offers_the_dilemmas_in_a_list(context, course_server, assert_accessible):
    page, dialogs = open_module(context, course_server, "04_privacy_law.ipynb")
    boxes = page.locator(".cf-dilemma").filter(has=page.get_by_label("Choose a dilemma"))
    box = boxes.last
    picker = box.get_by_label("Choose a dilemma")
    offered = [text.replace("\xa0", " ") for text in picker.locator("option").all_inner_texts()]
    assert "Online harassment" in offered and "A public one-star review" not in offered

    dilemma = model.get("online-harassment")
    picker.select_option(index=offered.index(dilemma.title))
    for step in dilemma.steps:
        expect(box.locator(f'.cf-situation[data-step="{step.id}"]')).to_be_visible()
        box.get_by_role("button", name=step.choices[best_index(step)].label, exact=True).click()
        expect(box.locator(".cf-outcome")).to_contain_text("Best choice")
        box.locator(".cf-continue").click()
    summary = box.locator(".cf-dilemma-summary")
    steps = len(dilemma.steps)
    expect(summary).to_contain_text(f"You made the best choice at {steps} of {steps} steps")
    words = f"{dilemma.title} (decided)".split()  # the list shows spaces as no-break spaces
    expect(picker.locator("option:checked")).to_have_text(
        re.compile(r"\s".join(map(re.escape, words))))

    kept = progress_of(course_server)["modules"]["4"]["dilemma"]["online-harassment"]["value"]
    assert all(item["quality"] == "best" for item in kept) and len(kept) == steps

    assert dialogs == []
    assert_accessible(page)
    page.close()
