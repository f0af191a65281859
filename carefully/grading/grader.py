"""Grade one attempt: check it, let nbgrader grade it, keep its result.

For an attempt (``var/quiz_attempts/<learner>/<quiz>/<n>/``) the grader, holding
that learner's lock:

1. checks the notebook against the release notebook (:mod:`.integrity`);
2. puts the attempt in nbgrader's submitted folder and runs nbgrader autograde;
3. scores 0 the questions whose answer cell ran too long, or, for a tampered
   attempt, every question, and flags the submission in the gradebook;
4. writes the attempt's result (:mod:`.feedback`) beside it;
5. leaves in the gradebook the attempt that counts (best or last, from the
   course settings), grading it again if another attempt was graded last.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat

from .. import settings
from ..quiz import model
from . import attempts, feedback, integrity
from .autograde import GradingError, Nbgrader
from .locks import lock_for
from .paths import Layout

log = logging.getLogger("carefully.grading")


@dataclass(frozen=True)
class CourseRules:
    """What grading needs from the course settings."""

    attempts: attempts.Rules
    pass_mark: float
    reflections_block_credit: bool = False

    @classmethod
    def from_course(cls, course=None) -> CourseRules:
        if course is None:
            from .. import content

            course = content.course()
        return cls(attempts.Rules.from_course(course), float(course.pass_mark),
                   bool(getattr(course, "reflections_block_credit", False)))


@dataclass(frozen=True)
class QuizFiles:
    quiz: model.Quiz
    release: Any  # the release notebook
    explanations: dict[str, str]


class Grader:
    """Grades attempts for one learner-data folder; nbgrader is imported once."""

    def __init__(self, layout: Layout | None = None, *, course_root: Path = settings.ROOT,
                 rules: CourseRules | None = None, timeout: float | None = None,
                 warm: bool = True) -> None:
        self.layout = layout or Layout.default()
        self.course_root = Path(course_root)
        self.rules = rules or CourseRules.from_course()
        self.nbgrader = Nbgrader(self.layout, self.course_root, timeout=timeout, warm=warm)
        self._quizzes: dict[str, tuple[float, QuizFiles]] = {}

    def close(self) -> None:
        self.nbgrader.close()

    def quiz(self, assignment: str) -> QuizFiles:
        """The quiz as release/ and source/ hold it now (re-read when they change)."""
        release = model.quiz_notebook(self.course_root / "release" / assignment)
        source = self.course_root / "source" / assignment / release.name
        stamp = max(release.stat().st_mtime, source.stat().st_mtime)
        cached = self._quizzes.get(assignment)
        if cached and cached[0] == stamp:
            return cached[1]
        quiz, release_nb = model.load(self.course_root / "release", assignment)
        notes = model.explanations(nbformat.read(source, as_version=4), quiz)
        found = QuizFiles(quiz, release_nb, notes)
        self._quizzes[assignment] = (stamp, found)
        return found

    # --- one attempt ----------------------------------------------------------

    def grade(self, learner: str, assignment: str, number: int) -> dict[str, Any]:
        """Grade attempt ``number`` (once: a graded attempt keeps its result; one that
        could not be graded is tried again)."""
        attempt = attempts.get(self.layout, learner, assignment, number)
        with lock_for(self.layout.learner_lock(learner)):
            if attempts.graded(attempt):
                return attempt.result
            if attempt.notebook is None:
                raise GradingError(f"attempt {number} of {learner}/{assignment} is missing")
            try:
                result = self._grade(attempt)
            except Exception as error:
                log.exception("could not grade %s/%s attempt %s", learner, assignment, number)
                result = feedback.failed(**self._details(attempt), error=str(error)[:2000])
            attempts.write_result(attempt, result)
            if result.get("status") == "graded":
                self._settle(learner, assignment, number)
                self._record_progress(learner, assignment)
            return result

    def _details(self, attempt: attempts.Attempt) -> dict[str, Any]:
        return {"learner": attempt.learner, "assignment": attempt.assignment,
                "attempt": attempt.number, "submitted_at": attempt.timestamp,
                "graded_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "attempts_allowed": self.rules.attempts.allowed,
                "counted": attempt.number <= self.rules.attempts.allowed}

    def _grade(self, attempt: attempts.Attempt) -> dict[str, Any]:
        learner, assignment = attempt.learner, attempt.assignment
        quizfiles = self.quiz(assignment)
        quiz = quizfiles.quiz
        try:
            submitted = nbformat.read(attempt.notebook, as_version=4)
            problems = integrity.problems(quizfiles.release, submitted)
        except Exception:  # noqa: BLE001 (an unreadable notebook is a tampered one)
            problems = ["the notebook could not be read"]
        if attempt.notebook.name != quiz.notebook:
            problems.append(f"the notebook is named {attempt.notebook.name}, not {quiz.notebook}")
        self.nbgrader.ensure_quiz(assignment)
        attempts.install(self.layout, attempt)
        run = self.nbgrader.autograde(learner, assignment)
        if not run.success and not problems:
            raise GradingError(f"nbgrader autograde failed:\n{run.log[-4000:]}")
        timed_out: set[str] = set()
        if problems:
            self.nbgrader.zero(learner, assignment, quiz.notebook, set(), tampered=True,
                               timestamp=attempt.timestamp or None)
        else:
            answer_cells = {q.answer_cell: q.qid for q in quiz.questions if not q.manual}
            timed_out = self.nbgrader.timed_out(learner, assignment, quiz.notebook, answer_cells)
            if timed_out:
                zeroed = {g for q in quiz.questions if q.qid in timed_out for g in q.graded_by}
                self.nbgrader.zero(learner, assignment, quiz.notebook, zeroed)
        scores = self.nbgrader.scores(learner, assignment, quiz.notebook)
        if not attempt.number <= self.rules.attempts.allowed:
            log.warning("%s/%s attempt %s is beyond the %s allowed: kept, not counted",
                        learner, assignment, attempt.number, self.rules.attempts.allowed)
        return feedback.result(
            quiz=quiz, explanations=quizfiles.explanations, scores=scores,
            timed_out=sorted(timed_out), problems=problems, pass_mark=self.rules.pass_mark,
            reflections_block_credit=self.rules.reflections_block_credit,
            **self._details(attempt))

    # --- which attempt the gradebook holds ------------------------------------

    def _settle(self, learner: str, assignment: str, graded: int) -> None:
        """Leave the attempt that counts in the gradebook: nbgrader now holds attempt
        ``graded``; if another one counts, put that one back and grade it again."""
        every = attempts.every(self.layout, learner, assignment)
        target = attempts.counting(every, self.rules.attempts)
        tampered = any(a.result and a.result.get("tampered") for a in every)
        if target is None or target.number == graded:
            return
        quiz = self.quiz(assignment).quiz
        attempts.install(self.layout, target)
        run = self.nbgrader.autograde(learner, assignment)
        if not run.success:
            log.error("could not grade %s/%s attempt %s again:\n%s", learner, assignment,
                      target.number, run.log[-4000:])
            return
        counted = target.result or {}
        timed_out = set(counted.get("timed_out", ()))
        zeroed = {g for q in quiz.questions if q.qid in timed_out for g in q.graded_by}
        if counted.get("tampered"):
            self.nbgrader.zero(learner, assignment, quiz.notebook, set(), tampered=True)
        elif zeroed:
            self.nbgrader.zero(learner, assignment, quiz.notebook, zeroed)
        if tampered:  # the instructor still sees that one attempt was tampered with
            self.nbgrader.flag(learner, assignment, quiz.notebook)

    def _record_progress(self, learner: str, assignment: str) -> None:
        """Tell the learner's progress (which credit reads) the score that counts now."""
        try:
            from .. import learners, progress
        except ImportError:
            return
        if not learners.is_valid_id(learner) or learners.is_guest(learner):
            return
        every = attempts.every(self.layout, learner, assignment)
        target = attempts.counting(every, self.rules.attempts)
        if target is None:
            return
        result = target.result
        waiting = self.rules.reflections_block_credit and result.get("reflection_pending")
        try:
            module = int(assignment.split("_", 1)[0])
            progress.record(learner, module, "quiz", assignment, {
                "percent": result.get("percent"),
                "credited": not result.get("tampered") and not waiting,
                "passed": result.get("passed"),
                "attempt": target.number,
                "attempts_used": len(every),
                "score": result.get("credit_score"),
                "max_score": result.get("credit_max"),
            }, var_dir=self.layout.var)
        except (ValueError, OSError):
            log.exception("could not record %s/%s in the learner's progress", learner, assignment)
