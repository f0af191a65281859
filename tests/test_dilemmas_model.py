"""Privacy dilemmas without a kernel: the content, the graph, a walk, the summary, validation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from carefully import content, tasks
from carefully.cli import main
from carefully.dilemmas import model
from carefully.kinds import guidance, lessons

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
FRIEND_FILE = "01-friend-request.yaml"

# The dilemmas issue 5 asks for, by id.
REQUIRED = ("friend-request", "negative-review", "colleague-case", "advice-in-dm",
            "colleague-misinformation", "clinical-photo", "crowdfunding", "suicidal-post",
            "online-harassment", "life-first")


def paths(dilemma) -> list[list[tuple[str, int]]]:
    """Every way through ``dilemma``: lists of (step id, choice index), by walking it."""
    found = []

    def go(prefix: list[int]) -> None:
        walk = model.Walk(dilemma)
        for index in prefix:
            walk.choose(index)
            walk.advance()
        assert len(prefix) <= len(dilemma.steps), f"{dilemma.id}: a path does not end"
        if walk.finished:
            found.append([(d.step.id, d.index) for d in walk.decisions])
            return
        for index in range(len(walk.step.choices)):
            go([*prefix, index])

    go([])
    return found


# --- the course's dilemmas -------------------------------------------------------------


def test_the_course_has_the_dilemmas_the_issue_asks_for() -> None:
    module_4 = model.dilemmas(4)
    assert len(module_4) >= 10
    assert set(REQUIRED) <= {item.id for item in module_4}
    assert all(item.module in (1, 4) for item in model.dilemmas())


@pytest.mark.parametrize("ident", [item.id for item in model.dilemmas()])
def test_every_path_ends_and_reaches_every_step(ident: str) -> None:
    dilemma = model.get(ident)
    ways = paths(dilemma)
    assert ways, ident
    reached = {step for way in ways for step, _ in way}
    assert reached == {step.id for step in dilemma.steps}
    for step in dilemma.steps:
        qualities = {choice.quality for choice in step.choices}
        assert "best" in qualities, f"{ident}/{step.id}: no best choice"
        assert len(qualities) > 1, f"{ident}/{step.id}: every choice is equally good"


def test_every_choice_rests_on_guidance_in_the_catalogue() -> None:
    catalogue = guidance.catalogue()
    for dilemma in model.dilemmas():
        for step in dilemma.steps:
            for choice in step.choices:
                assert choice.guidance and set(choice.guidance) <= set(catalogue), choice.label


def test_the_cases_and_figures_are_in_the_dilemmas() -> None:
    review = model.get("negative-review")
    for figure in ("Elite Dental", "2019", "10,000 dollars", "New Vision Dental", "2022", "23,000 dollars",
                   "Manasa Health Center", "2023", "30,000 dollars"):
        assert figure in review.takeaway, figure
    cited = {ident for step in review.steps for choice in step.choices for ident in choice.guidance}
    assert "ocr-review-settlements" in cited

    rhode_island = model.get("colleague-case").takeaway
    for fact in ("Westerly, Rhode Island", "2010", "2011", "privileges", "reprimanded",
                 "500 dollars", "continuing education", "without a name"):
        assert fact in rhode_island, fact

    suicidal = model.get("suicidal-post")
    assert "911" in suicidal.takeaway and "988" in suicidal.takeaway
    best_first = [c for c in suicidal.steps[0].choices if c.quality == "best"]
    assert "911" in best_first[0].label and "988" in best_first[0].label


def test_in_an_emergency_the_patient_comes_first() -> None:
    dilemma = model.get("life-first")
    assert "patient comes first" in dilemma.takeaway
    first = dilemma.steps[0]
    keep_habit = [c for c in first.choices if "Keep your rule" in c.label]
    break_habit = [c for c in first.choices if "call 911" in c.label]
    assert [c.quality for c in keep_habit] == ["risky"]
    assert [c.quality for c in break_habit] == ["best"]


# --- a learner's walk and the summary ------------------------------------------------------


def test_a_walk_goes_step_by_step_to_a_summary() -> None:
    dilemma = model.get("negative-review")
    walk = model.Walk(dilemma)
    assert walk.step.id == "review" and walk.number == 1 and not walk.finished

    first = walk.choose(0)  # the risky public reply
    assert first.choice.quality == "risky" and walk.pending == first
    assert walk.advance() is None
    assert walk.step.id == "shared" and walk.number == 2

    walk.choose(0)  # take it down and tell the privacy officer
    event = walk.advance()
    assert walk.finished and walk.step is None

    summary = walk.summary()
    assert [d.step.id for d in summary.decisions] == ["review", "shared"]
    assert (summary.best, summary.risky, summary.all_best) == (1, 1, False)
    assert summary.guidance[0] == "ocr-review-settlements"
    assert len(summary.guidance) == len(set(summary.guidance))
    assert event == tasks.Event(model.DONE_EVENT, {"dilemma": "negative-review",
                                                   "all_best": False, "best": 1,
                                                   "decisions": 2})
    record = summary.record()
    assert json.loads(json.dumps(record)) == record
    assert record[0] == {"step": "review", "choice": 0, "quality": "risky",
                         "label": dilemma.steps[0].choices[0].label}


def test_the_best_path_is_all_best_and_a_restart_forgets() -> None:
    walk = model.Walk(model.get("negative-review"))
    walk.choose(1)
    walk.advance()
    walk.choose(0)
    walk.advance()
    assert walk.summary().all_best and walk.summary().best == 2
    walk.restart()
    assert walk.step.id == "review" and walk.decisions == [] and walk.pending is None


def test_a_walk_refuses_moves_out_of_turn() -> None:
    walk = model.Walk(model.get("friend-request"))
    with pytest.raises(model.WalkError):
        walk.advance()  # nothing chosen yet
    with pytest.raises(model.WalkError):
        walk.choose(7)
    walk.choose(1)
    with pytest.raises(model.WalkError):
        walk.choose(0)  # already chose at this step
    walk.advance()
    assert walk.finished
    with pytest.raises(model.WalkError):
        walk.choose(0)


def test_finishing_a_dilemma_ticks_the_lesson_task_that_names_it() -> None:
    lesson = lessons.lesson(1)
    checklist = tasks.Checklist(lesson.tasks)
    walk = model.Walk(model.get("three-audiences"))
    event = None
    while not walk.finished:
        walk.choose(0)
        event = walk.advance()
    assert [task.id for task in checklist.observe(event)] == ["sort-audiences"]
    other = tasks.Event(model.DONE_EVENT, {"dilemma": "friend-request"})
    assert checklist.observe(other) == []


# --- the graph as written -----------------------------------------------------------------


def step(ident: str, *nexts: str) -> dict:
    return {"id": ident, "situation": "s",
            "choices": [{"label": "c", "quality": "best", "consequence": "x",
                         "guidance": ["ama-2.3.2"], "next": target} for target in nexts]}


def problems(*steps: dict) -> dict:
    return {tuple(path): expected for path, expected in model.graph_problems({"steps": list(steps)})}


def test_a_sound_graph_has_no_problems() -> None:
    assert problems(step("a", "b", "end"), step("b", "c", "end"), step("c", "end", "end")) == {}


def test_a_next_step_that_does_not_exist_is_named() -> None:
    found = problems(step("a", "b", "nowhere"), step("b", "end", "end"))
    assert list(found) == [("steps", 0, "choices", 1, "next")]
    assert "a, b" in found[("steps", 0, "choices", 1, "next")]
    assert "'nowhere'" in found[("steps", 0, "choices", 1, "next")]


def test_a_step_no_choice_leads_to_is_named() -> None:
    found = problems(step("a", "end", "end"), step("lost", "end", "end"))
    assert list(found) == [("steps", 1, "id")]
    assert "'lost' cannot be reached" in found[("steps", 1, "id")]


def test_a_path_that_never_ends_is_named() -> None:
    found = problems(step("a", "b", "end"), step("b", "c", "end"), step("c", "a", "b"))
    assert set(found) == {("steps", 2, "choices", 0, "next"), ("steps", 2, "choices", 1, "next")}
    assert "never end" in found[("steps", 2, "choices", 0, "next")]


def test_a_step_id_used_twice_is_named() -> None:
    found = problems(step("a", "b", "end"), step("b", "end", "end"), step("b", "end", "end"))
    assert list(found) == [("steps", 2, "id")]


def test_the_graph_check_copes_with_broken_data() -> None:
    assert list(model.graph_problems(None)) == []
    assert list(model.graph_problems({"steps": "none"})) == []
    assert list(model.graph_problems({"steps": [{"situation": "no id"}, 3]})) == []


# --- what a course author sees ------------------------------------------------------------------


def small_copy(tmp_path: Path) -> Path:
    """A copy of the part of assets/ the dilemmas rest on: settings, guidance, dilemmas."""
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS / "dilemmas", folder / "dilemmas")
    for name in ("course.yaml", "guidance.yaml"):
        shutil.copy2(ASSETS / name, folder / name)
    return folder


def dilemma_problems(folder: Path) -> list[content.Problem]:
    """The problems ``carefully validate`` finds in the dilemma files of ``folder``.

    (The small copy lacks other kinds' files; their absence is not what is tested.)
    """
    return [p for p in content.validate(folder) if p.file.startswith("assets/dilemmas/")]


def assets_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A small copy of assets/ whose dilemma file ``name`` has ``old`` replaced by ``new`` once."""
    folder = small_copy(tmp_path)
    path = folder / "dilemmas" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def line_of(folder: Path, name: str, needle: str) -> int:
    lines = (folder / "dilemmas" / name).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if needle in line]
    assert len(found) == 1, found
    return found[0]


def test_real_content_is_valid() -> None:
    assert content.validate(ASSETS) == []


def test_a_dangling_next_step_is_reported_with_file_and_field(tmp_path, capsys) -> None:
    # The friend request's second choice ends the dilemma; point it at a missing step.
    folder = small_copy(tmp_path)
    path = folder / "dilemmas" / FRIEND_FILE
    text = path.read_text(encoding="utf-8")
    marker = "        next: end\n"
    first = text.index(marker)
    text = text[:first] + "        next: nowhere\n" + text[first + len(marker):]
    path.write_text(text, encoding="utf-8")

    found = dilemma_problems(folder)
    assert len(found) == 1, [str(p) for p in found]
    problem = found[0]
    assert problem.file == f"assets/dilemmas/{FRIEND_FILE}"
    assert problem.field == "steps[0].choices[1].next"
    assert problem.line == line_of(folder, FRIEND_FILE, "next: nowhere")
    assert "'nowhere'" in problem.expected and "message, request" in problem.expected

    assert main(["validate", "--assets", str(folder)]) != 0
    out = capsys.readouterr()
    said = out.out + out.err
    assert f"assets/dilemmas/{FRIEND_FILE}:{problem.line}: steps[0].choices[1].next" in said


def test_an_unreachable_step_and_a_loop_are_reported(tmp_path) -> None:
    # The only way into "message" now leads back to "request" itself: that path
    # never ends, and no choice reaches "message" any more.
    folder = assets_copy(tmp_path, FRIEND_FILE, "next: message", "next: request")
    fields = {p.field: p for p in dilemma_problems(folder)}
    assert set(fields) == {"steps[0].choices[0].next", "steps[1].id"}
    assert "never end" in fields["steps[0].choices[0].next"].expected
    assert "'message' cannot be reached" in fields["steps[1].id"].expected


def test_unknown_guidance_a_wrong_quality_and_a_missing_field_are_reported(tmp_path) -> None:
    folder = assets_copy(tmp_path, FRIEND_FILE, "guidance: [acp-fsmb-2013, fsmb-2012, ama-2.3.2]",
                         "guidance: [acp-fsmb-2013, fsmb-2099, ama-2.3.2]")
    text = (folder / "dilemmas" / FRIEND_FILE).read_text(encoding="utf-8")
    text = text.replace("quality: acceptable", "quality: so-so").replace("module: 4\n", "")
    (folder / "dilemmas" / FRIEND_FILE).write_text(text, encoding="utf-8")
    fields = {p.field: p for p in dilemma_problems(folder)}
    assert "steps[0].choices[0].guidance[1]" in fields
    assert "assets/guidance.yaml" in fields["steps[0].choices[0].guidance[1]"].expected
    assert "best, acceptable or risky" in fields["steps[0].choices[2].quality"].expected
    assert "missing" in fields["module"].expected
    assert all(p.file == f"assets/dilemmas/{FRIEND_FILE}" for p in fields.values())


def test_two_dilemmas_with_one_id_are_reported(tmp_path) -> None:
    folder = assets_copy(tmp_path, "02-negative-review.yaml", "id: negative-review",
                         "id: friend-request")
    found = [p for p in dilemma_problems(folder) if p.field == "id"]
    assert len(found) == 1 and "friend-request" in found[0].expected
