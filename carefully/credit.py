"""Completion rules: what a learner has passed, what is missing, and the credit earned.

The rules come from the course settings (assets/course.yaml): every required
quiz at or above the pass mark (the counting attempt, as the grading keeps it
in the learner's progress), the evaluation done when required, and the
activity not expired. Physicians (MD, DO) earn the credits they claim in the
evaluation, up to the maximum; other learners get a certificate of
participation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from carefully import content, evaluation, learners, progress
from carefully.kinds import forms


@dataclass(frozen=True)
class QuizStanding:
    """One required quiz: its counting score (None if never graded) and whether it passes."""

    assignment: str
    title: str
    percent: float | None
    passed: bool


@dataclass(frozen=True)
class Status:
    """Where a learner stands towards the certificate."""

    profile: learners.Profile | None
    quizzes: tuple[QuizStanding, ...]
    evaluation_done: bool
    missing: tuple[str, ...]  # plain sentences for the learner
    credits: float  # credits to award (0 for participation or when not complete)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def mean_score(self) -> float | None:
        scores = [quiz.percent for quiz in self.quizzes if quiz.percent is not None]
        return sum(scores) / len(scores) if scores else None


def module_of(assignment: str) -> int:
    """The module a quiz belongs to: 02_facebook -> 2."""
    return int(assignment.split("_", 1)[0])


def _quiz_title(course: content.Course, assignment: str) -> str:
    try:
        module = course.module(module_of(assignment))
    except KeyError:
        return assignment
    return f"Module {module.number}: {module.title}"


def counting_percent(learner_id: str, assignment: str, var_dir: Path | None = None) -> float | None:
    """The score that counts for a quiz (recorded by the grading), or None.

    A submission flagged as tampered is never credited.
    """
    done = progress.done(learner_id, module_of(assignment), "quiz", var_dir).get(assignment)
    value = done.get("value") if isinstance(done, dict) else None
    if not isinstance(value, dict) or not value.get("credited", False):
        return None
    percent = value.get("percent")
    return float(percent) if isinstance(percent, (int, float)) else None


def status(learner_id: str, today: dt.date | None = None, var_dir: Path | None = None,
           assets_dir=None) -> Status:
    """Where ``learner_id`` stands, with every missing step in plain words."""
    course = content.course(assets_dir)
    words = forms.forms(assets_dir).certificate
    today = today or dt.date.today()
    profile = learners.profile(learner_id, var_dir)
    missing: list[str] = []
    if profile is None:
        missing.append(words["missing_sign_in"])
    quizzes = []
    for assignment in course.required_quizzes:
        percent = counting_percent(learner_id, assignment, var_dir) if profile else None
        passed = percent is not None and percent >= course.pass_mark
        title = _quiz_title(course, assignment)
        quizzes.append(QuizStanding(assignment, title, percent, passed))
        if profile and not passed:
            if percent is None:
                missing.append(words["missing_quiz_untried"].format(
                    quiz=title, pass_mark=course.pass_mark))
            else:
                missing.append(words["missing_quiz"].format(
                    quiz=title, pass_mark=course.pass_mark, score=f"{percent:.0f}%"))
    record = evaluation.load(learner_id, var_dir) if profile else None
    if profile and course.evaluation_required and record is None:
        missing.append(words["missing_evaluation"])
    if today > course.expiry_date:
        missing.append(words["expired"].format(date=course.expiry_date.isoformat()))
    credits = 0.0
    if not missing and profile and profile.is_physician and record:
        credits = min(float(record.get("credits_claimed") or 0.0), course.max_credits)
    return Status(profile, tuple(quizzes), record is not None, tuple(missing), credits)
