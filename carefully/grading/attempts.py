"""Every attempt a learner makes at a quiz, kept in ``var/quiz_attempts/``.

nbgrader keeps one submission per learner and quiz; the course keeps them all::

    var/quiz_attempts/<learner>/<assignment>/<n>/quiz.ipynb      the submission, as submitted
    var/quiz_attempts/<learner>/<assignment>/<n>/timestamp.txt   nbgrader's timestamp
    var/quiz_attempts/<learner>/<assignment>/<n>/result.json     its grade, once graded

Attempts are numbered from 1 and never change once written (the result is
added once). The course settings say how many attempts count towards credit
and which one counts (``best`` or ``last``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import files
from .paths import Layout

RESULT = "result.json"
TIMESTAMP = "timestamp.txt"


@dataclass(frozen=True)
class Rules:
    """How many attempts a learner has, and which one counts (``best`` or ``last``)."""

    allowed: int = 3
    counts: str = "best"

    @classmethod
    def from_course(cls, course: Any) -> Rules:
        return cls(int(getattr(course, "attempts_allowed", cls.allowed)),
                   str(getattr(course, "attempt_that_counts", cls.counts)))


@dataclass(frozen=True)
class Attempt:
    learner: str
    assignment: str
    number: int
    folder: Path

    @property
    def notebook(self) -> Path | None:
        found = sorted(self.folder.glob("*.ipynb"))
        return found[0] if found else None

    @property
    def timestamp(self) -> str:
        try:
            return (self.folder / TIMESTAMP).read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    @property
    def result(self) -> dict | None:
        return files.read_json(self.folder / RESULT)

    def submission_files(self) -> dict[str, bytes]:
        """The nbgrader submission: the notebook and timestamp.txt (not the result)."""
        return {p.name: p.read_bytes() for p in sorted(self.folder.iterdir())
                if p.is_file() and (p.suffix == ".ipynb" or p.name == TIMESTAMP)}


def numbers(layout: Layout, learner: str, assignment: str) -> list[int]:
    folder = layout.attempts(learner, assignment)
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit())


def get(layout: Layout, learner: str, assignment: str, number: int) -> Attempt:
    return Attempt(learner, assignment, number, layout.attempt(learner, assignment, number))


def every(layout: Layout, learner: str, assignment: str) -> list[Attempt]:
    return [get(layout, learner, assignment, n) for n in numbers(layout, learner, assignment)]


def record(layout: Layout, learner: str, assignment: str,
           submission: Mapping[str, bytes]) -> Attempt:
    """Keep a new attempt (the caller holds the learner's lock); returns it."""
    with files.staged_folder(layout.staging) as staged:
        files.fill(staged, submission)
        number = (numbers(layout, learner, assignment) or [0])[-1] + 1
        while True:
            try:
                files.publish_new(staged, layout.attempt(learner, assignment, number))
                break
            except FileExistsError:
                number += 1
    return get(layout, learner, assignment, number)


def install(layout: Layout, attempt: Attempt) -> None:
    """Make ``attempt`` the submission nbgrader sees (replacing the folder atomically)."""
    dest = layout.submitted(attempt.learner, attempt.assignment)
    with files.staged_folder(layout.staging) as staged:
        files.fill(staged, attempt.submission_files())
        files.publish_replacing(staged, dest, layout.staging)


def write_result(attempt: Attempt, result: Mapping[str, Any]) -> None:
    files.write_json(attempt.folder / RESULT, dict(result))


def graded(attempt: Attempt) -> bool:
    result = attempt.result
    return bool(result) and result.get("status") == "graded"


def counting(attempts: list[Attempt], rules: Rules) -> Attempt | None:
    """The attempt that counts: among the graded ones within the allowance, the best
    (the later one on a tie) or the last."""
    eligible = [a for a in attempts if a.number <= rules.allowed and graded(a)]
    if not eligible:
        return None
    if rules.counts == "last":
        return max(eligible, key=lambda a: a.number)
    return max(eligible, key=lambda a: (float(a.result.get("credit_score", 0)), a.number))
