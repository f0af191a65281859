"""nbgrader, imported once and run in this process through its Python API.

:class:`Nbgrader` reads the course's ``nbgrader_config.py`` (learner data in
the given ``var/`` folder), makes sure the gradebook knows each quiz (by
letting nbgrader generate it from ``source/`` into a scratch folder, never into
``release/``), runs ``autograde`` for one learner and quiz, and reads or
adjusts that submission's grades. Every gradebook access holds the gradebook
lock, so that only one process writes the gradebook at a time; the lock is set
aside only while a kernel runs the learner's notebook.
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, GenerateAssignment
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from nbgrader.utils import capture_log, temp_attrs
from traitlets.config import LoggingConfigurable, PyFileConfigLoader

from .. import settings
from . import files, kernels
from .feedback import Score
from .locks import lock_for
from .paths import Layout

CONFIG = "nbgrader_config.py"
TIMEOUT_ERRORS = ("CellTimeoutError",)

log = logging.getLogger("carefully.grading")

# nbgrader's gradebook makes SQLAlchemy warn on every autograde; it is harmless noise.
warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session",
                        module=r"nbgrader\.")


class GradingError(RuntimeError):
    """nbgrader could not grade a submission or learn a quiz."""


@dataclass(frozen=True)
class Run:
    success: bool
    log: str


def load_config(course_root: Path, layout: Layout, timeout: float | None = None):
    """The course's nbgrader configuration, for the learner data in ``layout``."""
    os.environ["CAREFULLY_VAR"] = str(layout.var)  # nbgrader_config.py reads it
    config = PyFileConfigLoader(CONFIG, path=str(course_root)).load_config()
    config.CourseDirectory.root = str(course_root)
    processors = [kernels.CourseExecute if p is Execute else p
                  for p in Autograde.autograde_preprocessors.default()]
    config.Autograde.autograde_preprocessors = processors
    if timeout is not None:
        config.Execute.timeout = timeout
    return config


class _Course(LoggingConfigurable):
    """The parent of nbgrader's converters: holds the configuration and course folders.

    (nbgrader's own NbGraderAPI would also open the assignment exchange, which
    grading does not use.)
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.coursedir = CourseDirectory(parent=self)


class Nbgrader:
    """nbgrader for one course folder and one learner-data folder."""

    def __init__(self, layout: Layout, course_root: Path = settings.ROOT,
                 timeout: float | None = None, warm: bool = True) -> None:
        self.layout = layout
        self.course_root = Path(course_root)
        os.environ.update(settings.with_our_scripts_first())
        self.config = load_config(self.course_root, layout, timeout)
        self.course = _Course(config=self.config)
        self.course.log.setLevel(logging.WARNING)
        self.coursedir = self.course.coursedir
        self.db_url = self.coursedir.db_url
        self.course_id = self.coursedir.course_id
        self.lock = lock_for(layout.gradebook_lock)
        self.spare = kernels.SpareKernel(cwd=layout.grading) if warm else None
        if self.spare is not None:
            layout.grading.mkdir(parents=True, exist_ok=True)
            self.spare.warm()

    def close(self) -> None:
        if self.spare is not None:
            self.spare.close()

    def gradebook(self) -> Gradebook:
        return Gradebook(self.db_url, self.course_id)

    # --- the quizzes the gradebook knows ------------------------------------

    def _signature(self, assignment: str) -> str:
        digest = hashlib.sha256()
        for path in sorted((self.course_root / "source" / assignment).glob("*.ipynb")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    def _known(self, assignment: str, signature: str) -> bool:
        record = files.read_json(self.layout.generated / f"{assignment}.json")
        if not record or record.get("source") != signature:
            return False
        with self.gradebook() as gb:
            try:
                gb.find_assignment(assignment)
            except MissingEntry:
                return False
        return True

    def ensure_quiz(self, assignment: str) -> None:
        """Make sure the gradebook holds the quiz as ``source/`` has it now."""
        signature = self._signature(assignment)
        with self.lock:
            if self._known(assignment, signature):
                return
            scratch = self.layout.generated / "release"
            with temp_attrs(self.coursedir, assignment_id=assignment,
                            release_directory=str(scratch)):
                app = GenerateAssignment(coursedir=self.coursedir, parent=self.course)
                app.force, app.create_assignment = True, True
                outcome = capture_log(app)
            if not outcome.get("success"):
                raise GradingError(f"nbgrader could not learn quiz {assignment}:\n"
                                   f"{outcome.get('error') or outcome.get('log')}")
            self._warn_if_release_is_stale(assignment, scratch)
            files.write_json(self.layout.generated / f"{assignment}.json",
                             {"source": signature})

    def _warn_if_release_is_stale(self, assignment: str, scratch: Path) -> None:
        for made in (scratch / assignment).glob("*.ipynb"):
            committed = self.course_root / "release" / assignment / made.name
            if not committed.is_file() or committed.read_bytes() != made.read_bytes():
                log.warning("release/%s/%s differs from what source/ makes now: run "
                            "`make release` so learners get the current quiz", assignment,
                            made.name)

    # --- grading one submission --------------------------------------------

    def autograde(self, learner: str, assignment: str) -> Run:
        """nbgrader autograde for the submission in submitted/<learner>/<assignment>/."""
        kernels.SPARE, kernels.GRADEBOOK_LOCK = self.spare, self.lock
        try:
            with self.lock, temp_attrs(self.coursedir, assignment_id=assignment,
                                       student_id=learner):
                app = Autograde(coursedir=self.coursedir, parent=self.course)
                app.force, app.create_student = True, True
                outcome = capture_log(app)
        finally:
            if self.spare is not None:
                self.spare.reap()
        text = "\n".join(filter(None, (outcome.get("log"), outcome.get("error"))))
        return Run(bool(outcome.get("success")), text)

    def scores(self, learner: str, assignment: str, notebook: str) -> dict[str, Score]:
        """The gradebook's score for each grade cell of this submission."""
        with self.lock, self.gradebook() as gb:
            try:
                submitted = gb.find_submission_notebook(Path(notebook).stem, assignment, learner)
            except MissingEntry:
                return {}
            return {grade.name: Score(grade.auto_score, grade.manual_score,
                                      float(grade.max_score), bool(grade.needs_manual_grade))
                    for grade in submitted.grades}

    def timed_out(self, learner: str, assignment: str, notebook: str,
                  answer_cells: dict[str, str]) -> set[str]:
        """The questions (of ``answer_cells``: cell id to question) whose answer ran too long."""
        path = self.layout.autograded(learner, assignment) / notebook
        try:
            nb = nbformat.read(path, as_version=4)
        except (OSError, ValueError):
            return set()
        found = set()
        for cell in nb.cells:
            question = answer_cells.get(str(cell.get("id")))
            if question and any(output.get("output_type") == "error"
                                and output.get("ename") in TIMEOUT_ERRORS
                                for output in cell.get("outputs", [])):
                found.add(question)
        return found

    def zero(self, learner: str, assignment: str, notebook: str, grade_ids: set[str],
             *, tampered: bool = False, timestamp: str | None = None) -> None:
        """Score these grade cells 0 (all of them, and flag the submission, if tampered)."""
        with self.lock, self.gradebook() as gb:
            try:
                submitted = gb.find_submission_notebook(Path(notebook).stem, assignment, learner)
            except MissingEntry:  # nbgrader gave up on it: record the submission anyway
                gb.update_or_create_student(learner)
                extra = {"timestamp": timestamp} if timestamp else {}
                gb.update_or_create_submission(assignment, learner, **extra)
                submitted = gb.find_submission_notebook(Path(notebook).stem, assignment, learner)
            for grade in submitted.grades:
                if tampered or grade.name in grade_ids:
                    grade.auto_score = 0.0
                    grade.needs_manual_grade = False
                    if tampered:
                        grade.manual_score = None
            if tampered:
                submitted.flagged = True
            gb.db.commit()

    def flag(self, learner: str, assignment: str, notebook: str) -> None:
        """Flag the submission in the gradebook (the formgrader shows the flag)."""
        with self.lock, self.gradebook() as gb:
            try:
                gb.find_submission_notebook(Path(notebook).stem, assignment, learner).flagged = True
            except MissingEntry:
                return
            gb.db.commit()
