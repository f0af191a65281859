"""The coach: one rules engine, rules in assets/coach/, feedback that names its guidance."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from carefully import coach, content
from carefully.kinds.lessons import Task
from carefully.tasks import Checklist, Event

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"


def said(action: coach.Action) -> list[str]:
    return [item.rule for item in coach.judge(action)]


def test_every_rule_cites_guidance_the_catalogue_holds() -> None:
    catalogue = content.load().of("guidance")[0]
    rules = coach.rules()
    assert len(rules) >= 20
    for rule in rules:
        assert rule.guidance and all(ident in catalogue for ident in rule.guidance), rule.id


def test_feedback_names_its_guidance_most_serious_first() -> None:
    feedback = coach.judge(coach.Action("feed", "accept_request",
                                        facts=frozenset({"sender:patient", "profile:personal"})))
    assert feedback[0].severity == "stop"
    assert "ACP/FSMB 2013" in feedback[0].sources
    assert coach.worst(feedback) == "stop"


def test_the_same_request_answered_well_is_praised() -> None:
    feedback = coach.judge(coach.Action("feed", "decline_request",
                                        facts=frozenset({"sender:patient", "profile:personal"})))
    assert [item.severity for item in feedback] == ["good"]


def test_a_public_post_naming_a_patient_is_stopped_and_shows_the_finding() -> None:
    action = coach.Action("feed", "post", text="Great to see Mrs. Delphine Okafor recover "
                          "after her surgery on March 3!", audience="public",
                          names=("Delphine Okafor",))
    feedback = coach.judge(action)
    top = feedback[0]
    assert top.rule == "public-post-identifies-patient"
    assert {finding.kind for finding in top.findings} >= {"name"}
    assert "clean-public-post" not in said(action)


def test_the_same_details_to_friends_only_are_still_stopped() -> None:
    action = coach.Action("feed", "post", text="Saw Mrs. Delphine Okafor in room 12 today",
                          audience="friends", names=("Delphine Okafor",))
    assert said(action)[0] == "private-post-identifies-patient"


def test_a_clean_public_post_passes_the_elevator_test() -> None:
    action = coach.Action("stream", "post", audience="public",
                          text="Flu shots are available at our clinic this week. #flu")
    assert said(action) == ["clean-public-post"]


def test_derogatory_words_are_caught_whole_and_in_any_case() -> None:
    assert "derogatory-about-patients" in said(
        coach.Action("stream", "post", audience="public", text="Another FREQUENT FLYER tonight."))
    assert "derogatory-about-patients" not in said(
        coach.Action("stream", "post", audience="public", text="Frequent flyers miles expire soon"))


def test_an_emergency_message_needs_the_emergency_answer() -> None:
    context = "I have crushing chest pain and my left arm is numb, what should I take?"
    wrong = coach.Action("stream", "reply_dm", text="Try an aspirin and rest.", audience="dm",
                         facts=frozenset({"sender:patient"}), context=context)
    right = coach.Action("stream", "reply_dm", text="Call 911 now, do not wait.", audience="dm",
                         facts=frozenset({"sender:patient"}), context=context)
    assert said(wrong)[0] == "dm-emergency-without-help"
    assert "dm-emergency-answered" in said(right)
    assert "dm-emergency-without-help" not in said(right)


def copy_assets(tmp_path: Path) -> Path:
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS, folder)
    return folder


def test_a_rule_citing_unknown_guidance_is_reported_with_file_and_field(tmp_path: Path) -> None:
    folder = copy_assets(tmp_path)
    path = folder / "coach" / "general.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("guidance: [fsmb-2012, ama-2.3.2]",
                                 "guidance: [fsmb-2012, ama-9.9.9]", 1), encoding="utf-8")
    problems = content.validate(folder)
    assert [(p.file, p.field) for p in problems] == [
        ("assets/coach/general.yaml", "rules[2].guidance[1]")
    ]
    assert "ama-2.3.2" in problems[0].expected
    with pytest.raises(content.ContentError):
        coach.rules(folder)


def test_a_misspelt_fact_is_reported(tmp_path: Path) -> None:
    folder = copy_assets(tmp_path)
    path = folder / "coach" / "feed.yaml"
    text = path.read_text(encoding="utf-8")
    assert "facts_all: [sender:drug_rep]" in text
    path.write_text(text.replace("facts_all: [sender:drug_rep]", "facts_all: [sender:drugrep]"),
                    encoding="utf-8")
    problems = content.validate(folder)
    assert len(problems) == 1
    assert problems[0].file == "assets/coach/feed.yaml"
    assert problems[0].field.endswith("when.facts_all[0]")
    assert "sender:drug_rep" in problems[0].expected


def test_a_checklist_ticks_off_only_matching_events() -> None:
    tasks = [Task("friends-only", "Post an update only your friends can see.", "",
                  {"event": "post", "audience": "friends"}),
             Task("decline", "Decline the patient's request.", "",
                  {"event": "answer_request", "answer": ["decline", "ignore"], "sender": "patient"})]
    checklist = Checklist(tasks)
    assert checklist.observe(Event("post", {"audience": "public"})) == []
    assert [t.id for t in checklist.observe(Event("post", {"audience": "friends"}))] == ["friends-only"]
    assert checklist.observe(Event("post", {"audience": "friends"})) == []  # already done
    assert checklist.observe(Event("answer_request", {"answer": "accept", "sender": "patient"})) == []
    assert [t.id for t in checklist.observe(
        Event("answer_request", {"answer": "ignore", "sender": "patient"}))] == ["decline"]
    assert checklist.complete
