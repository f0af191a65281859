"""The quiz as widgets: a thin view over a :class:`~carefully.quiz.session.QuizSession`.

Each question is a group with a visible heading and its own control: radio
buttons (one choice, or true/false), checkboxes (all that apply) or a text
area (a reflection), each labelled for screen readers. Every change goes into
the session's answers; Submit hands them to the session and waits for the
grade, then shows the score and, for each question not right, why and what to
re-read. All text shown is escaped; no code, test or error ever reaches the page.
"""

from __future__ import annotations

import re
import time
from html import escape

import ipywidgets as widgets
import mistune

from ..grading.attempts import Attempt
from ..kinds.quiz import QuizWords
from ..pages.common import FIELD_STYLE, log, notice
from . import model
from .session import NoAttemptsLeft, QuizSession, Unanswered

WAIT_SECONDS = 90.0
DOUBLE_CLICK_SECONDS = 1.5  # a second click queued while the first was handled is ignored
_markdown = mistune.create_markdown(escape=True)
_QUESTION_PREFIX = re.compile(r"^\*\*Question\s+\d+\.?\*\*\s*")


def _number(value: float) -> str:
    return f"{value:g}"


def prompt_html(question: model.Question) -> str:
    """The question's text as HTML (Markdown rendered; any HTML in it escaped)."""
    return _markdown(_QUESTION_PREFIX.sub("", question.prompt))


class QuizView:
    """The widgets of one quiz for one learner."""

    def __init__(self, session: QuizSession, words: QuizWords, *, pass_mark: float,
                 reflections_block_credit: bool = False,
                 wait_seconds: float = WAIT_SECONDS) -> None:
        self.session = session
        self.words = words
        self.pass_mark = pass_mark
        self.reflections_block_credit = reflections_block_credit
        self.wait_seconds = wait_seconds
        self.controls: list[widgets.Widget] = []
        self._handled = 0.0
        quiz = session.quiz
        self.header = widgets.HTML(self._header_html())
        self.header.add_class("cf-quiz-header")
        groups = [self._question(question, len(quiz.questions)) for question in quiz.questions]
        self.submit = widgets.Button(description=words.say("submit"), button_style="primary",
                                     tooltip=words.say("submit"))
        self.submit.add_class("cf-quiz-submit")
        self.submit.on_click(self._on_submit)
        self.status = widgets.HTML("")
        self.status.add_class("cf-quiz-status")
        self.results = widgets.HTML("")
        self.results.add_class("cf-quiz-results")
        self.widget = widgets.VBox([self.header, *groups, self.submit, self.status,
                                    self.results])
        self.widget.add_class("cf-quiz")
        self._show_history()

    # --- building ------------------------------------------------------------

    def _header_html(self) -> str:
        quiz, rules, say = self.session.quiz, self.session.rules, self.words.say
        counts = say("counts_last" if rules.counts == "last" else "counts_best")
        left = self.session.attempts_left
        attempts = (say("attempts_left", left=left, allowed=rules.allowed) if left
                    else say("no_attempts_left", allowed=rules.allowed))
        return (
            f'<h2 class="cf-quiz-title">{escape(say("heading", title=quiz.title))}</h2>'
            f'<p>{escape(say("intro", pass_mark=_number(self.pass_mark), total=len(quiz.questions)))}</p>'
            f'<p>{escape(say("attempts_rule", allowed=rules.allowed, counts=counts))} '
            f'<strong class="cf-quiz-attempts">{escape(attempts)}</strong></p>'
        )

    def _question(self, question: model.Question, total: int) -> widgets.Widget:
        say = self.words.say
        heading = say("question_heading", number=question.number, total=total)
        text = widgets.HTML(f'<h3 class="cf-quiz-qtitle">{escape(heading)}</h3>'
                            f'<div class="cf-quiz-prompt">{prompt_html(question)}</div>')
        current = self.session.answers.get(question.qid)
        parts: list[widgets.Widget] = [text]
        if question.kind in ("single", "truefalse"):
            if question.kind == "single":
                options = [(f"{c.key}. {c.text}", c.key) for c in question.choices]
                label = say("single_label", number=question.number)
            else:
                options = [(c.text, c.key == "True") for c in question.choices]
                label = say("truefalse_label", number=question.number)
            control = widgets.RadioButtons(options=options, value=current, description=label,
                                           style=FIELD_STYLE,
                                           layout=widgets.Layout(width="100%"))
            control.add_class("cf-quiz-choices")
            control.observe(lambda change, q=question: self._answer(q, change["new"]), "value")
            parts.append(control)
            self.controls.append(control)
        elif question.kind == "multiple":
            chosen = set(current or ())
            label = widgets.HTML(f'<p class="cf-quiz-label">'
                                 f'{escape(say("multiple_label", number=question.number))}</p>')
            boxes = [widgets.Checkbox(value=c.key in chosen, description=f"{c.key}. {c.text}",
                                      indent=False, layout=widgets.Layout(width="100%"))
                     for c in question.choices]
            for box in boxes:
                box.add_class("cf-quiz-check")
                box.observe(lambda change, q=question, bs=boxes: self._answer(
                    q, [c.key for c, b in zip(q.choices, bs, strict=True) if b.value]), "value")
                self.controls.append(box)
            parts += [label, *boxes]
        else:
            note = say("reflection_note_required" if self.reflections_block_credit
                       else "reflection_note")
            control = widgets.Textarea(value=current or "", rows=4,
                                       description=say("reflection_label", number=question.number),
                                       placeholder=say("reflection_placeholder"),
                                       style=FIELD_STYLE,
                                       layout=widgets.Layout(width="100%"))
            control.add_class("cf-quiz-text")
            control.observe(lambda change, q=question: self._answer(q, change["new"]), "value")
            parts += [control, widgets.HTML(f'<p class="cf-quiz-note">{escape(note)}</p>')]
            self.controls.append(control)
        group = widgets.VBox(parts)
        group.add_class("cf-quiz-question")
        return group

    # --- answering and submitting --------------------------------------------

    def _answer(self, question: model.Question, value) -> None:
        try:
            self.session.answers.set(question.qid, value)
            self.status.value = ""
        except model.AnswerError:
            self.status.value = self._status(self.words.say(
                "too_long", characters=model.REFLECTION_MAX_CHARS), alert=True)

    def _status(self, text: str, alert: bool = False) -> str:
        role = 'role="alert"' if alert else 'role="status"'
        return f'<p class="cf-quiz-message" {role}>{escape(text)}</p>'

    def _enable(self, on: bool) -> None:
        for control in self.controls:
            control.disabled = not on
        self.submit.disabled = not on

    def _on_submit(self, _button=None) -> None:
        if time.monotonic() - self._handled < DOUBLE_CLICK_SECONDS:
            return
        number = None
        try:
            number = self._submit()
            if number is not None:
                self._await(number)
        finally:
            self._handled = time.monotonic() if number is not None else 0.0

    def _submit(self) -> int | None:
        """Hand the answers to the session: the new attempt's number, or None (and why)."""
        say = self.words.say
        try:
            return self.session.submit()
        except Unanswered as missing:
            numbers = ", ".join(str(q.number) for q in missing.questions)
            self.status.value = self._status(say("unanswered", numbers=numbers), alert=True)
        except NoAttemptsLeft:
            self._finished()
        except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
            log.exception("a quiz submission could not be saved")
            self.status.value = notice()
        return None

    def _await(self, number: int) -> None:
        """Wait for the attempt's grade, then show it."""
        say = self.words.say
        self._enable(False)
        self.results.value = ""
        self.status.value = self._status(say("grading"))
        try:
            result = self.session.wait(number, self.wait_seconds)
        except Exception:  # noqa: BLE001 (logged; the learner is told the answers are saved)
            log.exception("waiting for a quiz grade failed")
            result = None
        self.header.value = self._header_html()
        self._show(result)

    def _show(self, result: dict | None) -> None:
        say = self.words.say
        if result is None:
            self.status.value = self._status(say("slow"))
            return
        if result.get("status") != "graded":
            self.status.value = self._status(say("failed"))
            return
        self.status.value = ""
        self.results.value = self.result_html(result)
        if self.session.attempts_left:
            self.submit.description = say("submit_again")
            self._enable(True)
        else:
            self._finished()

    def _finished(self) -> None:
        self._enable(False)
        self.submit.layout.display = "none"
        self.header.value = self._header_html()

    def _show_history(self) -> None:
        """On opening: the last attempt's result, and no Submit if none are left."""
        every = self.session.attempts()
        if not every:
            return
        last: Attempt = every[-1]
        result = last.result
        if result is None:
            self.status.value = self._status(self.words.say("pending"))
            try:
                from ..grading import worker

                worker.ensure_running(self.session.layout, wait=0.5)
            except Exception:  # noqa: BLE001 (logged; grading waits for the next page)
                log.exception("could not start the grading worker")
        elif result.get("status") == "graded":
            self.results.value = self.result_html(result)
        else:
            self.status.value = self._status(self.words.say("failed"))
        if self.session.attempts_left:
            self.submit.description = self.words.say("submit_again")
        else:
            self._finished()

    # --- the result ------------------------------------------------------------

    def result_html(self, result: dict) -> str:
        """The score and each question's feedback (no tests, no answer key)."""
        say = self.words.say
        head = say("result_heading", attempt=result.get("attempt"),
                   score=_number(result.get("score", 0)),
                   max_score=_number(result.get("max_score", 0)),
                   percent=_number(result.get("percent", 0)))
        lines = []
        if result.get("tampered"):
            lines.append(f'<p class="cf-quiz-flag" role="alert">{escape(say("tampered"))}</p>')
        elif result.get("passed") is True:
            lines.append(f'<p class="cf-quiz-pass">'
                         f'{escape(say("passed", pass_mark=_number(self.pass_mark)))}</p>')
        elif result.get("passed") is None:
            lines.append(f'<p>{escape(say("reflection_waiting"))}</p>')
        else:
            lines.append(f'<p class="cf-quiz-fail">'
                         f'{escape(say("not_passed", pass_mark=_number(self.pass_mark)))}</p>')
        counting = self.session.counting()
        if counting is not None and counting.result and len(self.session.attempts()) > 1:
            counted = say("counting", attempt=counting.number,
                          percent=_number(counting.result.get("percent", 0)))
            lines.append(f"<p>{escape(counted)}</p>")
        # An explanation names the right answer: shown once it can no longer be copied
        # into another attempt (the quiz passed, or no attempt left).
        reveal = bool(result.get("passed")) or not self.session.attempts_left
        items = "".join(self._question_html(entry, reveal)
                        for entry in result.get("questions", []))
        return (f'<section class="cf-card cf-quiz-result" aria-labelledby="cf-quiz-result-h">'
                f'<h3 id="cf-quiz-result-h">{escape(head)}</h3>{"".join(lines)}'
                f'<ul class="cf-quiz-feedback">{items}</ul></section>')

    def _question_html(self, entry: dict, reveal: bool = True) -> str:
        say = self.words.say
        status = entry.get("status")
        values = {"points": _number(entry.get("points", 0)), "max": _number(entry.get("max", 0))}
        text = {
            "right": "right", "partly": "partly", "wrong": "wrong", "timed_out": "timed_out",
            "not_credited": "not_credited", "pending": "reflection_pending",
            "empty": "reflection_empty", "graded": "reflection_graded",
        }.get(status, "wrong")
        title = say("question_result", number=entry.get("number"))
        parts = [f"<strong>{escape(title)}</strong> {escape(say(text, **values))}"]
        if reveal and entry.get("explanation"):
            parts.append(f'<p><span class="cf-quiz-why">{escape(say("why"))}</span> '
                         f'{escape(entry["explanation"])}</p>')
        if entry.get("reread"):
            parts.append(f'<p class="cf-quiz-reread">'
                         f'{escape(say("reread", section=entry["reread"]))}</p>')
        return f'<li class="cf-quiz-fb cf-quiz-{escape(str(status))}">{"".join(parts)}</li>'
