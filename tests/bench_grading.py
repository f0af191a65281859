"""How fast grading is, against stock nbgrader measured in the same run.

Two figures, each a ratio to a floor measured here and now (machines differ,
ratios travel); nothing is asserted:

* submit-to-score latency: a learner's submission through the grading worker
  (spool, nbgrader in-process, a kernel started ahead), against
  ``nbgrader autograde --student`` on the same submission;
* batch grading: ``carefully grade --jobs 2`` on 100 submissions, against one
  serial ``nbgrader autograde`` of 100 identical submissions.

``report()`` returns the printable lines; ``python tests/bench_grading.py``
prints them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from carefully.grading import attempts, files, worker
from carefully.grading.autograde import Nbgrader
from carefully.grading.paths import Layout
from carefully.quiz import model
from carefully.quiz.session import QuizSession
from carefully.release import nbgrader_env

QUIZ = "01_social_media"
ANSWERS = {"q1": "C", "q2": "B", "q3": ["B"], "q4": False, "q5": "D", "q6": "A",
           "q7": "Patients read what I post; I will keep a separate professional page."}


def _learner(n: int) -> str:
    return f"{n:024x}"


def _run(command: list[str], var: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=nbgrader_env(var), capture_output=True,
                            text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def _learn_quiz(layout: Layout) -> None:
    """Put the quiz in a fresh gradebook (nbgrader generates it into var/, not release/)."""
    nbgrader = Nbgrader(layout, warm=False)
    try:
        nbgrader.ensure_quiz(QUIZ)
    finally:
        nbgrader.close()


def latency(folder: Path, runs: int = 5) -> tuple[float, float]:
    """Median seconds from Submit to score through the worker, and for nbgrader --student."""
    layout = Layout(folder / "var")
    sessions = []
    for n in range(runs + 1):
        session = QuizSession(QUIZ, _learner(n), layout=layout, rules=attempts.Rules(1, "last"))
        for qid, value in ANSWERS.items():
            session.answers.set(qid, value)
        sessions.append(session)
    try:
        sessions[0].wait(sessions[0].submit(), timeout=300)  # starts the worker, learns the quiz
        ours = []
        for session in sessions[1:]:
            time.sleep(1.0)  # a learner's pace: the worker is idle when the submission comes
            start = time.perf_counter()
            result = session.wait(session.submit(), timeout=300)
            ours.append(time.perf_counter() - start)
            if not result or result.get("status") != "graded":
                raise RuntimeError(f"the worker did not grade: {result}")
    finally:
        worker.stop(layout)
    command = [sys.executable, "-m", "nbgrader", "autograde", QUIZ, "--student", _learner(runs),
               "--force"]
    stock = [_run(command, layout.var) for _ in range(3)]
    return statistics.median(ours), statistics.median(stock)


def _submissions(layout: Layout, count: int) -> None:
    quiz, release = model.load(ROOT / "release", QUIZ)
    answers = model.Answers.from_mapping(quiz, ANSWERS)
    notebook = nbformat.writes(model.build_submission(release, quiz, answers))
    for n in range(count):
        folder = layout.submitted(_learner(100 + n), QUIZ)
        folder.mkdir(parents=True)
        files.write_text(folder / "quiz.ipynb", notebook)
        files.write_text(folder / "timestamp.txt", model.timestamp())


def batch(folder: Path, count: int = 100, jobs: int = 2) -> tuple[float, float]:
    """Seconds for ``carefully grade --jobs`` and for serial ``nbgrader autograde``."""
    ours, stock = Layout(folder / "ours"), Layout(folder / "stock")
    for layout in (ours, stock):
        _learn_quiz(layout)
        _submissions(layout, count)
    ours_s = _run([sys.executable, "-m", "carefully", "grade", "--jobs", str(jobs), "--var",
                   str(ours.var)], ours.var)
    stock_s = _run([sys.executable, "-m", "nbgrader", "autograde", QUIZ], stock.var)
    graded = sum(1 for n in range(count)
                 if attempts.get(ours, _learner(100 + n), QUIZ, 1).result)
    if graded != count:
        raise RuntimeError(f"carefully grade graded {graded} of {count}")
    return ours_s, stock_s


def report(submissions: int = 100, jobs: int = 2, runs: int = 5) -> list[str]:
    """The grading figures, as printable lines."""
    with tempfile.TemporaryDirectory(prefix="carefully-bench-grading-") as tmp:
        ours_latency, stock_latency = latency(Path(tmp) / "latency", runs)
        ours_batch, stock_batch = batch(Path(tmp) / "batch", submissions, jobs)
    return [
        "",
        "Grading: figures measured in this run; ratio = stock nbgrader / carefully",
        f"{'':<44}{'carefully s':>12}{'nbgrader s':>12}{'ratio':>8}",
        (f"{'submit to score, one submission (median)':<44}{ours_latency:>12.2f}"
         f"{stock_latency:>12.2f}{stock_latency / ours_latency:>8.2f}"),
        (f"{f'batch of {submissions}, --jobs {jobs} vs serial':<44}{ours_batch:>12.1f}"
         f"{stock_batch:>12.1f}{stock_batch / ours_batch:>8.2f}"),
        (f"{'  per submission':<44}{ours_batch / submissions:>12.2f}"
         f"{stock_batch / submissions:>12.2f}"),
    ]


if __name__ == "__main__":
    print("\n".join(report()))
