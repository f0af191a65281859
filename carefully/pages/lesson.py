"""The parts every module page shares: its header, its practice checklist, what's next.

A lesson notebook follows one skeleton: ``show_header(n)`` (title, time
estimate, objectives), its sections in Markdown with a simulator after each
idea, a summary, and ``show_next(n)``.
"""

from __future__ import annotations

from html import escape

from carefully import content, learners, progress
from carefully.kinds import lessons

from .common import log, show_html


def _minutes(minutes: int) -> str:
    return f"About {minutes} minutes"


def render_header(course: content.Course, number: int,
                  lesson: lessons.Lesson | None) -> str:
    """The page's banner and its objectives."""
    module = course.module(number)
    last = max(item.number for item in course.modules)
    objectives = ""
    if lesson is not None:
        items = "".join(f"<li>{escape(item)}</li>" for item in lesson.objectives)
        objectives = (
            '<section class="cf-card" aria-labelledby="cf-objectives">'
            '<h2 id="cf-objectives">By the end of this module you will be able to</h2>'
            f"<ul>{items}</ul></section>"
        )
    return (
        '<div class="cf-hero">'
        f'<p class="cf-kicker">{escape(course.title)} \u00b7 Module {number} of {last}</p>'
        f"<h1>{escape(module.title)}</h1>"
        f'<p class="cf-time">{escape(_minutes(module.minutes))}. {escape(module.summary)}</p>'
        "</div>" + objectives
    )


def render_next(course: content.Course, number: int, learner_id: str) -> str:
    """What's next: the following module (or the finish), and the way back to the start."""
    later = [module for module in course.modules if module.number > number]
    start = course.modules[0]
    back = (f'<a class="cf-module-link" href="{escape(learners.link(start.page, learner_id))}">'
            "Back to the start page</a>")
    if later:
        following = later[0]
        label = f"Module {following.number}: {following.title}"
        ahead = (f'Continue with <a class="cf-module-link" '
                 f'href="{escape(learners.link(following.page, learner_id))}">{escape(label)}</a>, '
                 f"about {following.minutes} minutes.")
    else:
        ahead = "You have reached the end of the course."
    return (
        '<section class="cf-card cf-next" aria-labelledby="cf-next">'
        '<h2 id="cf-next">What\'s next</h2>'
        f"<p>{ahead}</p><p>{back}</p></section>"
    )


def show_header(number: int) -> None:
    """Display the module's banner and objectives."""
    show_html(lambda: render_header(content.course(), number, lessons.lesson(number)))


def _record_visit(number: int, learner_id: str) -> None:
    if not learners.is_guest(learner_id):
        try:
            progress.record(learner_id, number, "section", "opened")
        except OSError:
            log.exception("could not record a page visit")


def show_next(number: int) -> None:
    """Display what's next for the module page ``number``, and the question box."""
    from . import ask

    learner_id = learners.current_learner_id()
    _record_visit(number, learner_id)
    show_html(lambda: render_next(content.course(), number, learner_id))
    try:
        ask.show(content.course().module(number).page)
    except Exception:  # noqa: BLE001 (the learner sees a notice; the log has why)
        log.exception("the question box could not be shown")
