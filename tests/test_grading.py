"""Grading with real nbgrader: scores, partial credit, tampering, injection, timeouts, attempts.

One grader (nbgrader imported once, as in the worker) grades every case here in
a throwaway learner-data folder. Submissions arrive the two ways learners make
them: from the quiz player (:class:`QuizSession`) and the classic way, a
notebook edited in JupyterLab and put in nbgrader's submitted folder.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import nbformat
import pytest
from nbgrader.api import Gradebook
from support.server import ROOT
from test_quiz_model import right_answers

from carefully import credit
from carefully.grading import attempts, batch, files
from carefully.grading.grader import CourseRules, Grader
from carefully.grading.paths import Layout
from carefully.quiz import model
from carefully.quiz.session import QuizSession

# nbgrader's own noise: its gradebook session, and the cells it puts back without an id
pytestmark = [pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
              pytest.mark.filterwarnings("ignore::nbformat.validator.MissingIDFieldWarning")]

QUIZ = "01_social_media"
TIMEOUT = 2  # seconds an answer cell may run here (the course's is 10)
WRONG = {"q1": "A", "q2": "A", "q3": ["A", "C"], "q4": True, "q5": "A", "q6": "B"}


@pytest.fixture(scope="module")
def grading(tmp_path_factory):
    var = tmp_path_factory.mktemp("grading") / "var"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAREFULLY_VAR", str(var))
        layout = Layout(var)
        grader = Grader(layout, rules=CourseRules(attempts.Rules(3, "best"), 80.0),
                        timeout=TIMEOUT)
        yield grader
        grader.close()


def learner(n: int) -> str:
    return f"{n:024x}"


def play(grader: Grader, who: str, answers: dict, assignment: str = QUIZ,
         rules: attempts.Rules | None = None) -> dict:
    """Answer with the quiz player, submit, and grade that attempt."""
    session = QuizSession(assignment, who, layout=grader.layout,
                          rules=rules or grader.rules.attempts)
    for qid, value in answers.items():
        session.answers.set(qid, value)
    number = session.submit()
    return grader.grade(who, assignment, number)


def release_nb(assignment: str = QUIZ):
    return nbformat.read(ROOT / "release" / assignment / "quiz.ipynb", as_version=4)


def classic(grader: Grader, who: str, nb, assignment: str = QUIZ) -> dict:
    """Submit ``nb`` the JupyterLab way (straight into submitted/), then grade what came in."""
    folder = grader.layout.submitted(who, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    files.write_text(folder / "quiz.ipynb", nbformat.writes(nb))
    files.write_text(folder / "timestamp.txt", model.timestamp(datetime.now(UTC)))
    tasks = [t for t in batch.collect(grader.layout) if t.learner == who]
    assert len(tasks) == 1
    return grader.grade(who, assignment, tasks[0].attempt)


def answered(assignment: str = QUIZ, **sources: str):
    """The release notebook with answer cells set (JupyterLab-style edits)."""
    nb = release_nb(assignment)
    for cell in nb.cells:
        if cell.get("id") in sources:
            cell.source = sources[cell.get("id")]
    return nb


def all_right_classic(**extra: str):
    sources = {f"{qid}-answer": f"{qid} = {value!r}"
               for qid, value in right_answers(QUIZ).items()}
    return answered(**{**sources, **extra})


def gradebook_grades(grader: Grader, who: str, assignment: str = QUIZ) -> tuple[dict, bool]:
    with Gradebook(grader.nbgrader.db_url, grader.nbgrader.course_id) as gb:
        submitted = gb.find_submission_notebook("quiz", assignment, who)
        return {g.name: g.score for g in submitted.grades}, bool(submitted.flagged)


def statuses(result: dict) -> dict:
    return {q["question"]: q["status"] for q in result["questions"]}


def no_tests_or_keys(result: dict) -> None:
    text = json.dumps(result)
    for secret in ("assert", "HIDDEN", "_test", "not the right answer", "this one applies"):
        assert secret not in text


# --- scores --------------------------------------------------------------------


def test_all_right_scores_full_marks_and_passes(grading):
    who = learner(1)
    result = play(grading, who, {**right_answers(QUIZ), "q7": "Patients worry me most."})
    assert result["status"] == "graded" and not result["tampered"]
    assert (result["score"], result["max_score"], result["percent"]) == (7.0, 7.0, 100.0)
    assert result["passed"] is True and result["reflection_pending"] is True
    assert set(statuses(result).values()) == {"right", "pending"}
    assert not any("explanation" in q for q in result["questions"])
    scores, flagged = gradebook_grades(grading, who)
    assert sum(v for k, v in scores.items() if k != "reflection_answer") == 7.0 and not flagged
    # the learner's progress holds the score that counts, which credit reads
    assert credit.counting_percent(who, QUIZ, var_dir=grading.layout.var) == 100.0


def test_wrong_answers_score_zero_and_say_why_and_what_to_reread(grading):
    result = play(grading, learner(2), WRONG)
    assert result["score"] == 0.0 and result["passed"] is False
    for entry in result["questions"][:6]:
        assert entry["status"] == "wrong"
        assert len(entry["explanation"]) > 80 and entry["reread"]
    assert statuses(result)["q7"] == "empty"  # no reflection written: nothing to grade
    no_tests_or_keys(result)


def test_a_partly_right_multiple_select_gets_partial_credit(grading):
    result = play(grading, learner(3), {**right_answers(QUIZ), "q3": ["B"]})
    q3 = result["questions"][2]
    assert (q3["status"], q3["points"], q3["max"]) == ("partly", 1.5, 2.0)
    assert result["score"] == 6.5
    scores, _ = gradebook_grades(grading, learner(3))
    assert [scores[f"q3_test_{c}"] for c in "abcd"] == [0.5, 0.5, 0.5, 0.0]


def test_a_classic_jupyterlab_submission_is_graded_the_same_way(grading):
    result = classic(grading, learner(4), all_right_classic())
    assert result["score"] == 7.0 and not result["tampered"]


# --- tampering -------------------------------------------------------------------


def _tampered(how: str):
    nb = all_right_classic()
    index = next(i for i, c in enumerate(nb.cells) if c.get("id") == "q5-test")
    if how == "edited test cell":
        nb.cells[index].source = '"""Question 5: (1 point)."""\nassert True'
    elif how == "deleted test cell":
        del nb.cells[index]
    elif how == "added cell":
        nb.cells.insert(index, nbformat.v4.new_code_cell('q5 = "D"', id="my-extra-cell"))
    elif how == "missing metadata":
        del nb.cells[index].metadata["nbgrader"]
    return nb


@pytest.mark.parametrize("how", ["edited test cell", "deleted test cell", "added cell",
                                 "missing metadata"])
def test_a_tampered_submission_is_flagged_not_credited_and_listed(grading, how):
    who = learner(10 + ["edited test cell", "deleted test cell", "added cell",
                        "missing metadata"].index(how))
    result = classic(grading, who, _tampered(how))
    assert result["tampered"] and result["problems"]
    assert result["credit_score"] == 0.0 and result["percent"] == 0.0
    assert result["passed"] is False
    assert set(statuses(result).values()) == {"not_credited"}
    scores, flagged = gradebook_grades(grading, who)
    assert flagged and set(scores.values()) == {0.0}
    listed = [(r["learner"], r["attempt"]) for r in batch.tampered(grading.layout)]
    assert (who, 1) in listed
    assert credit.counting_percent(who, QUIZ, var_dir=grading.layout.var) is None


# --- answers that try to do more than answer -----------------------------------------


def test_code_typed_as_a_reflection_stays_text(grading, tmp_path):
    marker = tmp_path / "pwned"
    attack = (f'"); open({str(marker)!r}, "w").write("x"); ("\n'
              f"__import__('os').system('touch {marker}')\n")
    who = learner(20)
    result = play(grading, who, {**right_answers(QUIZ), "q7": attack})
    assert not marker.exists()
    assert result["score"] == 7.0 and statuses(result)["q7"] == "pending"
    graded = nbformat.read(grading.layout.autograded(who, QUIZ) / "quiz.ipynb", as_version=4)
    cell = next(c for c in graded.cells if c.get("id") == "reflection-answer")
    assert cell.source == "reflection = " + model.quote(attack.strip())
    assert not any(o.get("output_type") == "error" for c in graded.cells
                   for o in c.get("outputs", []))


def test_an_answer_cell_that_runs_too_long_is_stopped_and_scores_zero(grading):
    nb = all_right_classic(**{"q2-answer": 'q2 = "B"\nwhile True:\n    pass'})
    result = classic(grading, learner(21), nb)
    assert statuses(result)["q2"] == "timed_out" and result["questions"][1]["points"] == 0.0
    assert result["score"] == 6.0 and result["timed_out"] == ["q2"] and not result["tampered"]
    scores, _ = gradebook_grades(grading, learner(21))
    assert scores["q2_test"] == 0.0 and scores["q1_test"] == 1.0


# --- attempts ----------------------------------------------------------------------------


@pytest.mark.parametrize("counts", ["best", "last"])
def test_every_attempt_is_kept_and_the_one_that_counts_is_in_the_gradebook(grading, counts):
    who = learner(30 if counts == "best" else 31)
    rules = attempts.Rules(3, counts)
    grading.rules = CourseRules(rules, 80.0)
    try:
        first = play(grading, who, right_answers(QUIZ), rules=rules)
        second = play(grading, who, WRONG, rules=rules)
    finally:
        grading.rules = CourseRules(attempts.Rules(3, "best"), 80.0)
    assert (first["score"], second["score"]) == (7.0, 0.0)
    kept = attempts.every(grading.layout, who, QUIZ)
    assert [a.number for a in kept] == [1, 2] and all(a.result for a in kept)
    scores, _ = gradebook_grades(grading, who)
    total = sum(v for k, v in scores.items() if k != "reflection_answer")
    assert total == (7.0 if counts == "best" else 0.0)
    counted = credit.counting_percent(who, QUIZ, var_dir=grading.layout.var)
    assert counted == (100.0 if counts == "best" else 0.0)


def test_a_result_is_written_once(grading):
    who = learner(40)
    result = play(grading, who, right_answers(QUIZ))
    again = grading.grade(who, QUIZ, 1)
    assert again == result
    assert copy.deepcopy(attempts.get(grading.layout, who, QUIZ, 1).result) == result
