"""A module's graded quiz, shown at the end of its page: ``quiz.show("02_facebook")``.

The quiz is the nbgrader release notebook ``release/<quiz>/``, played as widgets
(:mod:`carefully.quiz.view`); the rules (pass mark, attempts, which attempt
counts) come from the course settings. Learners never see code or errors: if
anything fails, the reason goes to the server's log and the page shows a notice.
"""

from __future__ import annotations

from .. import content, learners, settings
from .common import log, notice


def build(assignment: str, learner: str | None = None):
    """The quiz's widget for ``learner`` (default: this page's learner)."""
    from ..grading.attempts import Rules
    from ..kinds.quiz import words
    from ..quiz.session import QuizSession
    from ..quiz.view import QuizView

    course = content.course()
    session = QuizSession(assignment, learner or learners.current_learner_id(), rules=Rules.from_course(course),
                          course_root=settings.ROOT)
    view = QuizView(session, words(), pass_mark=course.pass_mark,
                    reflections_block_credit=bool(getattr(course, "reflections_block_credit",
                                                          False)))
    return view.widget


def show(assignment: str, learner: str | None = None) -> None:
    """Display the quiz ``assignment`` (a folder of release/) for ``learner``."""
    from IPython.display import HTML, display

    try:
        widget = build(assignment, learner)
    except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
        log.exception("the quiz %r could not be shown", assignment)
        display(HTML(notice()))
        return
    display(widget)
