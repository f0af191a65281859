"""``carefully grade``: everything submitted and not yet graded, in parallel; --tampered."""

from __future__ import annotations

import subprocess
import sys

import nbformat
from nbgrader.api import Gradebook
from support.server import ROOT
from test_quiz_model import right_answers

from carefully.grading import files
from carefully.grading.paths import Layout
from carefully.quiz import model
from carefully.release import nbgrader_env

QUIZ = "02_facebook"


def grade(layout: Layout, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "carefully", "grade", "--var", str(layout.var), *args],
        cwd=ROOT, env=nbgrader_env(layout.var), capture_output=True, text=True, timeout=300,
        check=False)


def submit_classic(layout: Layout, who: str, answers: dict, tamper: bool = False) -> None:
    quiz, release = model.load(ROOT / "release", QUIZ)
    nb = model.build_submission(release, quiz, model.Answers.from_mapping(quiz, answers))
    if tamper:
        nb.cells.append(nbformat.v4.new_code_cell("q1 = 'B'", id="added-by-hand"))
    folder = layout.submitted(who, QUIZ)
    folder.mkdir(parents=True)
    files.write_text(folder / "quiz.ipynb", nbformat.writes(nb))
    files.write_text(folder / "timestamp.txt", model.timestamp())


def test_grade_grades_what_is_new_in_parallel_and_lists_tampering(tmp_path):
    layout = Layout(tmp_path / "var")
    right = right_answers(QUIZ)
    for n in range(5):
        submit_classic(layout, f"{n:024x}", {**right, "q1": "A"} if n % 2 else right,
                       tamper=(n == 4))
    first = grade(layout, "--jobs", "2", "--timeout", "5")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Grading 5 submissions with 2 job(s)" in first.stdout
    assert f"{0:024x} {QUIZ} attempt 1: 7 of 7 (100%)" in first.stdout
    assert f"{1:024x} {QUIZ} attempt 1: 6 of 7 (85.7%)" in first.stdout
    assert "TAMPERED" in first.stdout and "Graded 5 of 5; 1 tampered" in first.stdout

    with Gradebook(f"sqlite:///{layout.gradebook}", "carefully") as gb:
        submissions = gb.find_assignment(QUIZ).submissions
        scores = {s.student.id: s.score for s in submissions}
        flagged = {s.student.id for s in submissions if any(n.flagged for n in s.notebooks)}
    assert scores == {f"{n:024x}": (0.0 if n == 4 else 7.0 if n % 2 == 0 else 6.0)
                      for n in range(5)}
    assert flagged == {f"{4:024x}"}

    again = grade(layout)
    assert again.returncode == 0 and "Nothing to grade" in again.stdout

    listed = grade(layout, "--tampered")
    assert listed.returncode == 0
    assert f"{4:024x} {QUIZ} attempt 1" in listed.stdout and "a cell was added" in listed.stdout
    assert "1 tampered submission." in listed.stdout
