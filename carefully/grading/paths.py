"""Where grading keeps its files inside the learner-data folder (``var/``).

::

    var/nbgrader/submitted/<learner>/<assignment>/   nbgrader's submission (the latest attempt)
    var/nbgrader/autograded/...                      nbgrader's graded copies
    var/nbgrader/gradebook.db                        nbgrader's gradebook
    var/nbgrader/gradebook.lock                      one writer on the gradebook at a time
    var/quiz_attempts/<learner>/<assignment>/<n>/    every attempt: notebook, timestamp, result
    var/grading/jobs/                                the worker's spool: one file per job
    var/grading/claimed/                             jobs the worker is grading now
    var/grading/staging/                             folders being written, before their rename
    var/grading/locks/<learner>.lock                 one change at a time per learner
    var/grading/worker.lock, worker.json, worker.log the grading worker (one per var/ folder)

The nbgrader folders are the ones ``nbgrader_config.py`` sets from the same
folder, so the course's nbgrader commands and this package agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import settings

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}")


class BadName(ValueError):
    """A learner or assignment name that cannot safely name a folder."""


def checked_name(name: str, what: str = "name") -> str:
    """``name`` if it is safe as one folder name (letters, digits, ``_ . @ -``), else BadName."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name:
        raise BadName(f"{what} {name!r} is not usable: use letters, digits, '_', '.', '@' or '-'")
    return name


@dataclass(frozen=True)
class Layout:
    """The grading files of one learner-data folder."""

    var: Path

    @classmethod
    def default(cls) -> Layout:
        """The layout of the course's learner-data folder (honours CAREFULLY_VAR)."""
        return cls(settings.var_dir())

    def __post_init__(self) -> None:
        object.__setattr__(self, "var", Path(self.var).expanduser().resolve())

    # nbgrader's folders (as nbgrader_config.py sets them)
    @property
    def nbgrader(self) -> Path:
        return self.var / "nbgrader"

    @property
    def gradebook(self) -> Path:
        return self.nbgrader / "gradebook.db"

    @property
    def gradebook_lock(self) -> Path:
        return self.nbgrader / "gradebook.lock"

    def submitted(self, learner: str, assignment: str) -> Path:
        return self.nbgrader / "submitted" / checked_name(learner, "learner") / checked_name(
            assignment, "assignment")

    def autograded(self, learner: str, assignment: str) -> Path:
        return self.nbgrader / "autograded" / checked_name(learner, "learner") / checked_name(
            assignment, "assignment")

    # every attempt
    def attempts(self, learner: str, assignment: str) -> Path:
        return self.var / "quiz_attempts" / checked_name(learner, "learner") / checked_name(
            assignment, "assignment")

    def attempt(self, learner: str, assignment: str, number: int) -> Path:
        return self.attempts(learner, assignment) / str(int(number))

    # the worker and its spool
    @property
    def grading(self) -> Path:
        return self.var / "grading"

    @property
    def jobs(self) -> Path:
        return self.grading / "jobs"

    @property
    def claimed(self) -> Path:
        return self.grading / "claimed"

    @property
    def staging(self) -> Path:
        return self.grading / "staging"

    @property
    def generated(self) -> Path:
        """Where the worker lets nbgrader write the copies it generates to learn a quiz."""
        return self.grading / "generated"

    def learner_lock(self, learner: str) -> Path:
        return self.grading / "locks" / f"{checked_name(learner, 'learner')}.lock"

    @property
    def worker_lock(self) -> Path:
        return self.grading / "worker.lock"

    @property
    def worker_spawn_lock(self) -> Path:
        return self.grading / "worker-start.lock"

    @property
    def worker_info(self) -> Path:
        return self.grading / "worker.json"

    @property
    def worker_log(self) -> Path:
        return self.grading / "worker.log"
