"""The instructor's live view of the room, built for a projector.

Who has joined, progress per module, the room's answers to each dilemma as
bars, the quiz score distribution, and the learners' questions in order. It
refreshes itself about once a second while the page is open. Learner names
are hidden unless the instructor turns them on.
"""

from __future__ import annotations

import threading
from html import escape
from pathlib import Path

import ipywidgets as widgets

from carefully import class_store, classroom, content, settings

from .common import log, notice

BINS = ((0, 50, "below 50%"), (50, 70, "50\u201369%"), (70, 80, "70\u201379%"),
        (80, 90, "80\u201389%"), (90, 101, "90\u2013100%"))
QUESTION_SLOTS = 8


def _bars(title: str, counts: list[tuple[str, int]], caption: str) -> str:
    """A bar chart as a table: the numbers for screen readers, the bars for the room."""
    total = max(sum(count for _, count in counts), 1)
    rows = "".join(
        f"<tr><th scope=\"row\">{escape(label)}</th><td>{count}</td>"
        f'<td class="cf-bar-cell"><span class="cf-bar" style="width:{100 * count / total:.0f}%">'
        "</span></td></tr>"
        for label, count in counts
    )
    return (f'<table class="cf-bars"><caption>{escape(title)}'
            f'<span class="cf-bars-note"> {escape(caption)}</span></caption>'
            '<thead><tr><th scope="col">Answer</th><th scope="col">Learners</th>'
            '<th scope="col"><span class="cf-visually-hidden">Share</span></th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def render_room(view: class_store.ClassView, course: content.Course, show_names: bool,
                session: classroom.Session | None) -> str:
    """Joined learners, progress per module, dilemma bars and quiz scores."""
    code = ""
    if session is not None and session.is_class:
        code = (f'<p class="cf-session-code">Session code: '
                f"<strong>{escape(session.access_code)}</strong></p>")
    joined = len(view.joined)
    names = ""
    if show_names and view.joined:
        names = "<ul class=\"cf-names\">" + "".join(
            f"<li>{escape(name or 'a learner not yet signed in')}</li>"
            for name in sorted(view.joined.values())) + "</ul>"
    rows = "".join(
        f"<tr><th scope=\"row\">{module.number}. {escape(module.title)}</th>"
        f"<td>{len(view.opened.get(module.number, ()))}</td>"
        f"<td>{len(view.tasks.get(module.number, {}))}</td></tr>"
        for module in course.modules if module.number != 0
    )
    progress = ('<table class="cf-progress-table"><caption>Progress per module</caption>'
                '<thead><tr><th scope="col">Module</th><th scope="col">Opened</th>'
                '<th scope="col">Did a practice task</th></tr></thead>'
                f"<tbody>{rows}</tbody></table>")
    dilemmas = "".join(
        _bars(view.titles.get(key, key.split("|", 1)[0]),
              sorted(class_store.dilemma_counts(view, key).items(), key=lambda item: -item[1]),
              f"({len(view.dilemmas[key])} answered)")
        for key in sorted(view.dilemmas)
    ) or "<p>No dilemma answers yet.</p>"
    quizzes = "".join(
        _bars(quiz, [(label, sum(1 for score in scores.values() if low <= score < high))
                     for low, high, label in BINS],
              f"({len(scores)} graded; pass mark {course.pass_mark}%)")
        for quiz, scores in sorted(view.quiz_scores.items())
    ) or "<p>No quiz results yet.</p>"
    return (
        f'<section class="cf-card cf-room" aria-labelledby="cf-room">{code}'
        f'<h2 id="cf-room">In the room: <span class="cf-joined">{joined}</span> '
        f"learner{'' if joined == 1 else 's'} joined</h2>{names}{progress}</section>"
        f'<section class="cf-card" aria-labelledby="cf-dilemmas"><h2 id="cf-dilemmas">'
        f"Dilemma answers</h2>{dilemmas}</section>"
        f'<section class="cf-card" aria-labelledby="cf-quizzes"><h2 id="cf-quizzes">'
        f"Quiz scores</h2>{quizzes}</section>"
    )


class InstructorView:
    """The live page: refreshed by a background thread while the kernel lives."""

    def __init__(self, var_dir: Path | None = None, interval: float = 0.75) -> None:
        self.var_dir = var_dir
        self.interval = interval
        self.course = content.course()
        self.show_names = widgets.Checkbox(value=False, description="Show learner names",
                                           indent=False)
        self.room = widgets.HTML()
        self.questions_heading = widgets.HTML()
        self.slots = []
        for _ in range(QUESTION_SLOTS):
            text = widgets.HTML()
            button = widgets.Button(description="Mark answered")
            button.on_click(self._answer)
            row = widgets.HBox([text, button], layout=widgets.Layout(display="none"))
            row.add_class("cf-question-row")
            self.slots.append((row, text, button))
        self.show_names.observe(lambda _change: self.refresh(force=True), names="value")
        questions = widgets.VBox([self.questions_heading] + [row for row, _, _ in self.slots])
        questions.add_class("cf-card")
        self.widget = widgets.VBox([self.show_names, self.room, questions])
        self.widget.add_class("cf-instructor")
        self._seen: tuple | None = None
        self._stop = threading.Event()
        self.refresh(force=True)

    def _journal_state(self) -> tuple:
        path = class_store.journal_path(self.var_dir)
        try:
            stat = path.stat()
            return (stat.st_size, stat.st_mtime_ns)
        except FileNotFoundError:
            return (0, 0)

    def refresh(self, force: bool = False) -> None:
        state = self._journal_state()
        if not force and state == self._seen:
            return
        self._seen = state
        view = class_store.load(self.var_dir)
        session = classroom.current_session(self.var_dir)
        self.room.value = render_room(view, self.course, self.show_names.value, session)
        waiting = view.open_questions
        self.questions_heading.value = (
            '<h2 id="cf-questions">Questions</h2>'
            f'<p class="cf-question-count">{len(waiting)} waiting</p>')
        for index, (row, text, button) in enumerate(self.slots):
            if index < len(waiting):
                question = waiting[index]
                who = question.name if (question.name and self.show_names.value) else (
                    "a learner" if question.name else "anonymous")
                text.value = (f'<p class="cf-question"><span class="cf-question-page">'
                              f"{escape(question.page)}</span> ({escape(who)}): "
                              f"{escape(question.text)}</p>")
                button.tooltip = question.id
                button.description = "Mark answered"
                row.layout.display = "flex"
            else:
                row.layout.display = "none"

    def _answer(self, button: widgets.Button) -> None:
        try:
            class_store.mark_answered(button.tooltip, self.var_dir)
            self.refresh(force=True)
        except Exception:  # noqa: BLE001 (the page shows a notice; the log has why)
            log.exception("could not mark a question answered")
            self.room.value = notice()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
            except Exception:  # noqa: BLE001 (keep refreshing; the log has why)
                log.exception("the instructor page could not refresh")

    def start(self) -> None:
        threading.Thread(target=self._loop, name="instructor-refresh", daemon=True).start()


def show() -> None:
    from IPython.display import display

    try:
        view = InstructorView()
        display(view.widget)
        view.start()
    except Exception:  # noqa: BLE001 (the page shows a notice; the log has why)
        log.exception("the instructor page could not be shown")
        display(widgets.HTML(notice()))


def questions_file() -> Path:
    """Where questions are kept (the class journal), for the course team."""
    return class_store.journal_path(settings.var_dir())


