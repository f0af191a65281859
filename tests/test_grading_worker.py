"""The grading worker: one per learner-data folder, started on demand; many learners at once.

These run the worker as pages do: a separate, long-lived process started by
the first submission, fed through the spool.
"""

from __future__ import annotations

import os
import threading

import pytest
from nbgrader.api import Gradebook
from test_quiz_model import right_answers

from carefully.grading import attempts, spool, worker
from carefully.grading.paths import Layout
from carefully.quiz.session import QuizSession

QUIZ = "01_social_media"
LEARNERS = 50


@pytest.fixture
def layout(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREFULLY_VAR", str(tmp_path / "var"))
    monkeypatch.setenv("CAREFULLY_GRADING_IDLE_SECONDS", "120")
    layout = Layout(tmp_path / "var")
    yield layout
    assert worker.stop(layout), "the grading worker did not stop"


def _answers(n: int) -> dict:
    """Learner n gets question 1 right when n is even, and everything else right."""
    right = right_answers(QUIZ)
    return {**right, "q1": right["q1"] if n % 2 == 0 else "A"}


def test_fifty_submissions_at_once_are_all_graded_and_in_the_gradebook(layout):
    # A job claimed by a worker that then died is graded by the next one.
    orphan = QuizSession(QUIZ, f"{999:024x}", layout=layout)
    for qid, value in _answers(0).items():
        orphan.answers.set(qid, value)
    number = orphan.submit()
    job = spool.claim(layout)
    assert job is not None and job.attempt == number

    start = threading.Barrier(LEARNERS)
    results: dict[str, dict | None] = {}
    errors: list[BaseException] = []

    def learner(n: int) -> None:
        who = f"{n:024x}"
        try:
            session = QuizSession(QUIZ, who, layout=layout)
            for qid, value in _answers(n).items():
                session.answers.set(qid, value)
            start.wait()
            number = session.submit()
            results[who] = session.wait(number, timeout=240)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=learner, args=(n,)) for n in range(LEARNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert len(results) == LEARNERS and all(results.values()), "some results never came"
    for who, result in results.items():
        n = int(who, 16)
        assert result["status"] == "graded"
        assert result["score"] == (7.0 if n % 2 == 0 else 6.0), who
    assert orphan.result(number)["score"] == 7.0

    # One worker served them all, and nothing is left in the spool.
    log = layout.worker_log.read_text()
    assert log.count("grading worker") == 1, log
    assert worker.is_running(layout)
    assert not spool.waiting(layout) and not list(layout.claimed.glob("*.json"))

    # Every submission is in the gradebook, with its score.
    with Gradebook(f"sqlite:///{layout.gradebook}", "carefully") as gb:
        graded = {s.student.id: s.score for s in gb.find_assignment(QUIZ).submissions}
    assert len(graded) == LEARNERS + 1
    for who in results:
        assert graded[who] == (7.0 if int(who, 16) % 2 == 0 else 6.0)
    for who in results:
        assert len(attempts.every(layout, who, QUIZ)) == 1


def test_only_one_worker_starts_however_many_pages_ask(layout):
    started = []

    def ask() -> None:
        started.append(worker.ensure_running(layout))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(started) and worker.is_running(layout)
    pid = worker.worker_pid(layout)
    assert pid is not None and os.path.exists(f"/proc/{pid}")
    assert worker.stop(layout) and not worker.is_running(layout)
    assert worker.ensure_running(layout) and worker.worker_pid(layout) != pid
