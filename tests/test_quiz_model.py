"""The quiz model, without a kernel: questions from the release notebooks, answers as
safe literals, the submission nbgrader will grade, attempts, the integrity check."""

from __future__ import annotations

import ast
import copy
import json
import re

import nbformat
import pytest
from nbgrader.utils import parse_utc
from support.server import ROOT

from carefully import content
from carefully.grading import attempts, feedback, integrity, spool
from carefully.grading.feedback import Score
from carefully.grading.paths import BadName, Layout
from carefully.kinds import quiz as quiz_kind
from carefully.quiz import model
from carefully.quiz.session import NoAttemptsLeft, QuizSession, Unanswered

MODULES = ["01_social_media", "02_facebook", "03_twitter", "04_privacy_law", "05_best_practices"]
POST_TEST = "06_post_test"
GUIDANCE = re.compile(r"AMA|ACP/FSMB|FSMB|HIPAA|45 CFR|Office for Civil Rights|Greysen|"
                      r"QuantiaMD|Bosslet|Pendergrast|Westerly|Tri-City|Mercy Walworth")
LEARNER = "a0b1c2d3e4f5a6b7c8d9e0f1"


def load(assignment):
    return model.load(ROOT / "release", assignment)


def source(assignment):
    return nbformat.read(ROOT / "source" / assignment / "quiz.ipynb", as_version=4)


def right_answers(assignment) -> dict:
    """The model answers, read from the source notebook's solutions."""
    quiz, _ = load(assignment)
    cells = {cell.get("id"): cell for cell in source(assignment).cells}
    found = {}
    for question in quiz.questions:
        if question.manual:
            continue
        solution = cells[question.answer_cell].source.split("### BEGIN SOLUTION")[1]
        found[question.qid] = ast.literal_eval(solution.split("=", 1)[1].split("\n")[0].strip())
    return found


# --- the course's quizzes -----------------------------------------------------


@pytest.mark.parametrize("assignment", MODULES)
def test_each_module_quiz_has_every_kind_and_one_reflection(assignment):
    quiz, _ = load(assignment)
    kinds = [q.kind for q in quiz.questions]
    assert len(quiz.questions) >= 5
    assert kinds.count("reflection") == 1
    assert {"single", "multiple", "truefalse"} <= set(kinds)


def test_the_post_test_covers_every_module_in_15_or_more_questions():
    quiz, _ = load(POST_TEST)
    assert len(quiz.questions) >= 15
    assert not any(q.manual for q in quiz.questions)
    modules = {q.reread.split(":")[0] for q in quiz.questions}
    assert modules == {f"Module {n}" for n in range(1, 6)}


@pytest.mark.parametrize("assignment", [*MODULES, POST_TEST])
def test_every_question_has_an_explanation_naming_guidance_and_a_section(assignment):
    quiz, release = load(assignment)
    notes = model.explanations(source(assignment), quiz)
    for question in quiz.questions:
        assert question.reread, f"{assignment} {question.qid}: no section to re-read"
        text = notes.get(question.qid, "")
        assert len(text) > 80, f"{assignment} {question.qid}: no explanation"
        if not question.manual:
            assert GUIDANCE.search(text), f"{assignment} {question.qid}: names no guidance"
    released = json.dumps(release)
    assert "explanation" not in released and "HIDDEN TESTS" not in released
    assert "BEGIN SOLUTION" not in released


@pytest.mark.parametrize("assignment", [*MODULES, POST_TEST])
def test_platform_names_come_with_todays_names(assignment):
    quiz, _ = load(assignment)
    notes = model.explanations(source(assignment), quiz)
    cells = {cell.get("id"): cell.source for cell in source(assignment).cells}
    for question in quiz.questions:
        text = cells[question.question_cell] + " " + notes.get(question.qid, "")
        if "became X" in text:
            continue  # the question about the names themselves
        for old, new in (("retweet", "repost"), ("favorite", "like"), ("Twitter", "X")):
            for found in re.finditer(old, text, flags=re.IGNORECASE):
                nearby = text[max(0, found.start() - 60):found.end() + 60]
                nearby = nearby if new == "X" else nearby.lower()
                assert new in nearby, f"{assignment} {question.qid}: '{old}' without '{new}'"


def test_a_question_reads_its_choices_and_points():
    quiz, _ = load("01_social_media")
    q1, q3, q4, q7 = (quiz.question(q) for q in ("q1", "q3", "q4", "q7"))
    assert (q1.kind, q1.keys, q1.points, q1.graded_by) == ("single", ("A", "B", "C", "D"), 1.0,
                                                           ("q1_test",))
    assert q3.kind == "multiple" and q3.points == 2.0 and len(q3.graded_by) == 4
    assert q4.kind == "truefalse" and q4.keys == ("True", "False")
    assert q7.manual and q7.variable == "reflection" and q7.graded_by == ("reflection_answer",)
    assert not q1.prompt.rstrip().endswith("themselves")  # the choice list is not in the prompt
    assert "- **A.**" not in q1.prompt and q1.prompt.startswith("**Question 1.**")


# --- answers are literals, whatever the learner types ---------------------------


INJECTIONS = [
    '"); import os; os.system("touch /tmp/pwned"); ("',
    "'''\nimport os\nos.system('touch /tmp/pwned')\n'''",
    '\\"; __import__("os").system("id") #',
    "line one\nline two\r\n\ttabbed \x00 nul \u202e rtl \udc80 lone surrogate",
    '""" \' " \\ {0} %s',
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_a_text_answer_can_never_become_code(text):
    quiz, _ = load("01_social_media")
    question = quiz.question("q7")
    value = question.check(text)
    source = model.answer_source(question, value)
    tree = ast.parse(source)
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)
    assert isinstance(tree.body[0].value, ast.Constant)
    assert tree.body[0].value.value == value


def test_choices_become_literals_and_anything_else_is_refused():
    quiz, _ = load("01_social_media")
    answers = model.Answers(quiz)
    answers.set("q1", "C")
    answers.set("q3", ["D", "B"])
    answers.set("q4", False)
    assert answers.get("q3") == ("B", "D")
    assert model.answer_source(quiz.question("q1"), "C") == 'q1 = "C"'
    assert model.answer_source(quiz.question("q3"), ("B", "D")) == 'q3 = ["B", "D"]'
    assert model.answer_source(quiz.question("q4"), False) == "q4 = False"
    for qid, bad in (("q1", "E"), ("q1", "C; import os"), ("q1", 3), ("q3", ["B", "Z"]),
                     ("q3", "BD"), ("q4", "False"), ("q7", 7), ("q7", "x" * 3001)):
        with pytest.raises(model.AnswerError):
            answers.set(qid, bad)
    answers.set("q3", [])
    assert answers.get("q3") is None
    assert [q.qid for q in answers.missing()] == ["q2", "q3", "q5", "q6"]


def test_the_submission_is_the_release_with_only_the_answer_cells_set():
    quiz, release = load("02_facebook")
    answers = model.Answers.from_mapping(quiz, {**right_answers("02_facebook"),
                                                "q7": "I will turn Tag Review on."})
    files = model.submission_files(release, quiz, answers)
    assert set(files) == {"quiz.ipynb", "timestamp.txt"}
    assert parse_utc(files["timestamp.txt"].decode().strip()) is not None
    submitted = nbformat.reads(files["quiz.ipynb"].decode(), as_version=4)
    nbformat.validate(submitted)
    answer_cells = {q.answer_cell for q in quiz.questions}
    for before, after in zip(release.cells, submitted.cells, strict=True):
        assert before.id == after.id and before.metadata == after.metadata
        if before.id not in answer_cells:
            assert before.source == after.source
    assert integrity.problems(release, submitted) == []
    assert model.answers_in(submitted, quiz) == answers.values


def test_an_empty_reflection_keeps_the_release_cell():
    quiz, release = load("01_social_media")
    answers = model.Answers.from_mapping(quiz, {**right_answers("01_social_media"), "q7": "  "})
    submitted = model.build_submission(release, quiz, answers)
    cell = next(c for c in submitted.cells if c.id == "reflection-answer")
    assert cell.source == next(c for c in release.cells if c.id == "reflection-answer").source


# --- integrity ---------------------------------------------------------------------


def _tamper(how: str):
    _, release = load("01_social_media")
    nb = copy.deepcopy(release)
    index = next(i for i, c in enumerate(nb.cells) if c.id == "q1-test")
    if how == "edited":
        nb.cells[index].source = '"""Question 1 (1 point)."""\npass'
    elif how == "deleted":
        del nb.cells[index]
    elif how == "added":
        nb.cells.insert(index, nbformat.v4.new_code_cell("q1 = 'C'", id="extra"))
    elif how == "metadata":
        del nb.cells[index].metadata["nbgrader"]
    elif how == "points":
        nb.cells[index].metadata["nbgrader"]["points"] = 10
    elif how == "moved":
        nb.cells.insert(0, nb.cells.pop(index))
    return release, nb


@pytest.mark.parametrize("how", ["edited", "deleted", "added", "metadata", "points", "moved"])
def test_changed_removed_or_added_cells_are_found(how):
    release, nb = _tamper(how)
    assert integrity.problems(release, nb)


# --- results never carry tests or keys -----------------------------------------------


def test_feedback_names_what_to_reread_and_never_the_tests():
    quiz, _ = load("01_social_media")
    notes = model.explanations(source("01_social_media"), quiz)
    scores = {name: Score(0.0, None, 1.0, False) for q in quiz.questions for name in q.graded_by}
    scores["reflection_answer"] = Score(None, None, 1.0, True)
    result = feedback.result(quiz=quiz, explanations=notes, scores=scores, pass_mark=80)
    assert result["percent"] == 0 and result["passed"] is False
    assert result["reflection_pending"] is True
    q1 = result["questions"][0]
    assert q1["status"] == "wrong" and q1["reread"] and q1["explanation"] == notes["q1"]
    text = json.dumps(result)
    assert "assert" not in text and "HIDDEN" not in text and "q1_test" not in text


# --- a learner's session: attempts, atomic submission, the spool ------------------------


def test_submit_writes_a_genuine_submission_an_attempt_and_a_job(tmp_path):
    layout = Layout(tmp_path / "var")
    session = QuizSession("01_social_media", LEARNER, layout=layout,
                          rules=attempts.Rules(2, "best"))
    with pytest.raises(Unanswered) as missing:
        session.submit()
    assert [q.number for q in missing.value.questions] == [1, 2, 3, 4, 5, 6]
    for qid, value in right_answers("01_social_media").items():
        session.answers.set(qid, value)
    assert session.submit() == 1
    submitted = layout.submitted(LEARNER, "01_social_media")
    assert sorted(p.name for p in submitted.iterdir()) == ["quiz.ipynb", "timestamp.txt"]
    kept = attempts.get(layout, LEARNER, "01_social_media", 1)
    assert kept.submission_files() == {p.name: p.read_bytes() for p in submitted.iterdir()}
    assert len(spool.waiting(layout)) == 1
    assert session.submit() == 2
    with pytest.raises(NoAttemptsLeft):
        session.submit()
    assert session.attempts_left == 0
    assert not list(layout.staging.iterdir())  # nothing half-written left behind
    again = QuizSession("01_social_media", LEARNER, layout=layout, rules=attempts.Rules(2, "best"))
    assert again.answers.values == session.answers.values  # the last attempt, filled in


def test_names_that_could_leave_the_folder_are_refused(tmp_path):
    layout = Layout(tmp_path)
    for bad in ("../x", "a/b", "", ".hidden", "x" * 200):
        with pytest.raises(BadName):
            layout.submitted(bad, "01_social_media")


def test_the_quiz_wording_is_valid_and_checks_its_placeholders(tmp_path):
    assert [p for p in content.validate() if p.file.endswith("quiz/wording.yaml")] == []
    words = quiz_kind.words()
    assert words.say("attempts_left", left=1, allowed=3) == "Attempts left: 1 of 3."
    doc = content.Document("assets/quiz/wording.yaml", {"submit": "Send {learner}"}, None)
    assert [p.field for p in quiz_kind._check(doc)] == ["submit"]
