"""nbgrader settings for the course.

The course folder is this repository: quizzes are authored in ``source/`` and
the learner versions are generated into ``release/`` (``make release``). Every
runtime folder (submissions, autograded copies, feedback, the gradebook) lives
under the learner-data folder, ``var/`` unless ``CAREFULLY_VAR`` says otherwise,
so learner data never enters git.
"""

import os
from pathlib import Path

from nbgrader.converters import GenerateAssignment

from carefully.nbgrader_hooks import HideExplanations

_here = Path(__file__).resolve().parent
_var = Path(os.environ.get("CAREFULLY_VAR") or _here / "var").resolve()

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "carefully"
c.CourseDirectory.root = str(_here)
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = str(_var / "nbgrader" / "submitted")
c.CourseDirectory.autograded_directory = str(_var / "nbgrader" / "autograded")
c.CourseDirectory.feedback_directory = str(_var / "nbgrader" / "feedback")
c.CourseDirectory.db_url = "sqlite:///" + str(_var / "nbgrader" / "gradebook.db")
(_var / "nbgrader").mkdir(parents=True, exist_ok=True)  # nbgrader does not make it

# The learner's copy of a quiz carries no explanation (it would name the answer).
c.GenerateAssignment.preprocessors = [
    *GenerateAssignment.preprocessors.default(),
    HideExplanations,
]

# Answer cells keep the line the learner edits ("q1 = None"); the model answer
# between the solution markers is replaced by this reminder.
c.ClearSolutions.code_stub = {"python": "# Put your answer in the line above."}
c.ClearSolutions.text_stub = "Write your answer here."

# A learner's answer cell must never run for long.
c.ExecutePreprocessor.timeout = 10

# A test cell deleted from a submission is put back and run, so that deleting
# it never keeps an earlier score (carefully's grading also flags the attempt).
c.OverwriteCells.add_missing_cells = True
