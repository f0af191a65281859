"""One learner taking one quiz: answers, attempts, submitting, waiting for the grade.

No widgets here (the view is :mod:`carefully.quiz.view`). Submitting keeps the
attempt in ``var/quiz_attempts/``, writes the nbgrader submission (the release
notebook with the learner's literals, and timestamp.txt) atomically into
``var/nbgrader/submitted/<learner>/<quiz>/``, and queues the attempt for the
grading worker; all of it under the learner's lock, so the attempts rule holds
even with two pages open.
"""

from __future__ import annotations

from pathlib import Path

from .. import settings
from ..grading import attempts, spool
from ..grading.locks import lock_for
from ..grading.paths import Layout, checked_name
from . import model


class NoAttemptsLeft(Exception):
    """The learner has used every attempt the course allows."""


class Unanswered(Exception):
    """Some automatically graded questions have no answer yet."""

    def __init__(self, questions: list[model.Question]) -> None:
        self.questions = questions
        super().__init__(", ".join(str(q.number) for q in questions))


class QuizSession:
    """A learner's session with one quiz."""

    def __init__(self, assignment: str, learner: str, *, layout: Layout | None = None,
                 course_root: Path = settings.ROOT, rules: attempts.Rules | None = None) -> None:
        self.assignment = checked_name(assignment, "quiz")
        self.learner = checked_name(learner, "learner")
        self.layout = layout or Layout.default()
        self.quiz, self.release = model.load(Path(course_root) / "release", assignment)
        self.rules = rules or attempts.Rules()
        self.answers = model.Answers(self.quiz)
        last = self.attempts()[-1:]
        if last and last[0].notebook is not None:
            self._prefill(last[0])

    def _prefill(self, attempt: attempts.Attempt) -> None:
        try:
            import nbformat

            values = model.answers_in(nbformat.read(attempt.notebook, as_version=4), self.quiz)
        except (OSError, ValueError):
            return
        for qid, value in values.items():
            try:
                self.answers.set(qid, value)
            except model.AnswerError:
                continue

    # --- attempts -----------------------------------------------------------

    def attempts(self) -> list[attempts.Attempt]:
        return attempts.every(self.layout, self.learner, self.assignment)

    @property
    def attempts_left(self) -> int:
        return max(0, self.rules.allowed - len(self.attempts()))

    def counting(self) -> attempts.Attempt | None:
        return attempts.counting(self.attempts(), self.rules)

    # --- submitting ---------------------------------------------------------

    def submit(self) -> int:
        """Submit the current answers as a new attempt; returns its number."""
        missing = self.answers.missing()
        if missing:
            raise Unanswered(missing)
        submission = model.submission_files(self.release, self.quiz, self.answers)
        with lock_for(self.layout.learner_lock(self.learner)):
            if len(attempts.numbers(self.layout, self.learner, self.assignment)) >= \
                    self.rules.allowed:
                raise NoAttemptsLeft()
            attempt = attempts.record(self.layout, self.learner, self.assignment, submission)
            attempts.install(self.layout, attempt)
        spool.add(self.layout, self.learner, self.assignment, attempt.number)
        return attempt.number

    def wait(self, number: int, timeout: float) -> dict | None:
        """The attempt's result, starting the grading worker if needed; None after timeout."""
        from ..grading import worker

        worker.ensure_running(self.layout)
        return spool.wait_for_result(self.layout, self.learner, self.assignment, number,
                                     timeout, every_few_seconds=lambda: worker.ensure_running(
                                         self.layout, wait=0.5))

    def result(self, number: int) -> dict | None:
        return attempts.get(self.layout, self.learner, self.assignment, number).result
