"""The dilemma player: a thin ipywidgets view over :mod:`carefully.dilemmas.model`.

A learner reads the situation, picks a choice (one button each), reads the
consequence and the guidance it rests on, continues, and at the end sees a
summary of their decisions. The decisions are recorded for the learner
(:mod:`carefully.progress`) and tick off the page's practice tasks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import ipywidgets as widgets

from carefully import class_store, learners, progress
from carefully.kinds import guidance as guidance_kind
from carefully.kinds import lessons
from carefully.pages.checklist import ChecklistView
from carefully.pages.common import FIELD_STYLE, log, notice

from . import model

QUALITY_WORDS = {
    "best": "Best choice",
    "acceptable": "Acceptable, but not the best choice",
    "risky": "Risky",
}


# --- HTML (pure functions of the model) ------------------------------------------


def _paragraphs(text: str) -> str:
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    return "".join(f"<p>{escape(part)}</p>" for part in parts)


def _sources(ids: Sequence[str], catalogue: Mapping[str, guidance_kind.Guidance]) -> str:
    return "; ".join(escape(catalogue[ident].short if ident in catalogue else ident)
                     for ident in ids)


def render_step(walk: model.Walk) -> str:
    """The dilemma's title and the situation at the current step."""
    dilemma, step = walk.dilemma, walk.step
    head = (f'<h3 class="cf-dilemma-title">{escape(dilemma.title)}</h3>'
            f'<p class="cf-dilemma-lead">{escape(dilemma.summary)}</p>')
    if step is None:
        return head
    return (head + f'<div class="cf-situation" data-step="{escape(step.id)}">'
            f'<p class="cf-step-number">Decision {walk.number}</p>' + _paragraphs(step.situation) + "</div>")


def render_outcome(decision: model.Decision,
                   catalogue: Mapping[str, guidance_kind.Guidance]) -> str:
    """What the learner chose, how good it was, what follows and the guidance behind it."""
    choice = decision.choice
    return (
        f'<div class="cf-outcome cf-quality-{escape(choice.quality)}" role="status">'
        f'<p class="cf-you-chose"><strong>You chose:</strong> {escape(choice.label)}</p>'
        f'<p class="cf-quality">{escape(QUALITY_WORDS.get(choice.quality, choice.quality))}</p>'
        + _paragraphs(choice.consequence)
        + f'<p class="cf-sources">Rests on: {_sources(choice.guidance, catalogue)}</p></div>'
    )


def render_summary(summary: model.Summary,
                   catalogue: Mapping[str, guidance_kind.Guidance]) -> str:
    """The learner's decisions, what to remember and the guidance, at the end of a dilemma."""
    count = len(summary.decisions)
    items = "".join(
        f'<li class="cf-decision cf-quality-{escape(d.choice.quality)}">'
        f'<p class="cf-decision-situation">{escape(d.step.situation)}</p>'
        f'<p><strong>You chose:</strong> {escape(d.choice.label)} '
        f'<span class="cf-quality">({escape(QUALITY_WORDS.get(d.choice.quality, ""))})</span></p>'
        "</li>"
        for d in summary.decisions
    )
    sources = "".join(
        f"<li><strong>{escape(catalogue[ident].short)}</strong>: "
        f"{escape(catalogue[ident].citation)}</li>"
        for ident in summary.guidance if ident in catalogue
    )
    return (
        '<section class="cf-dilemma-summary" aria-label="Summary of your decisions">'
        f'<h3 class="cf-dilemma-title">{escape(summary.dilemma.title)}: your decisions</h3>'
        f'<p class="cf-score" role="status">You made the best choice at {summary.best} of '
        f'{count} step{"s" if count != 1 else ""}.</p>'
        f'<ol class="cf-decisions">{items}</ol>'
        '<h4>What to remember</h4>' + _paragraphs(summary.dilemma.takeaway)
        + (f'<h4>The guidance behind it</h4><ul class="cf-guidance">{sources}</ul>'
           if sources else "")
        + "</section>"
    )


# --- the widget ------------------------------------------------------------------------


def _task_ids(module: int, shown: Sequence[model.Dilemma]) -> list[str]:
    """The module's tasks about finishing one of the dilemmas shown here."""
    lesson = lessons.lesson(module)
    ids = {item.id for item in shown}
    found = []
    for task in lesson.tasks if lesson else ():
        if task.done_when.get("event") != model.DONE_EVENT:
            continue
        wanted = task.done_when.get("dilemma")
        wanted = wanted if isinstance(wanted, list) else [wanted]
        if wanted == [None] or ids & set(wanted):
            found.append(task.id)
    return found


class DilemmaView:
    """Plays one or more dilemmas (a picker chooses among several)."""

    def __init__(self, dilemmas: Sequence[model.Dilemma], module: int,
                 learner_id: str | None = None, task_ids: Sequence[str] | None = None) -> None:
        if not dilemmas:
            raise ValueError("no dilemma to show")
        self.dilemmas = {item.id: item for item in dilemmas}
        self.module = module
        self.learner_id = learner_id or learners.current_learner_id()
        self.catalogue = guidance_kind.catalogue()
        self.decided: set[str] = set()
        if not learners.is_guest(self.learner_id):
            self.decided = set(progress.done(self.learner_id, module, "dilemma"))
        chosen_tasks = list(task_ids) if task_ids is not None else _task_ids(module, dilemmas)
        self.checklist = ChecklistView(module, chosen_tasks, self.learner_id) if chosen_tasks \
            else None

        self.picker: widgets.Dropdown | None = None
        self._quiet = False
        if len(dilemmas) > 1:
            self.picker = widgets.Dropdown(options=self._options(), value=dilemmas[0].id,
                                           description="Choose a dilemma",
                                           style=FIELD_STYLE)
            self.picker.add_class("cf-dilemma-picker")
            self.picker.observe(self._on_pick, names="value")
        self.situation = widgets.HTML()
        self.situation.add_class("cf-dilemma-step")
        self.choices = widgets.VBox()
        self._buttons: list[widgets.Button] = []
        self.choices.add_class("cf-choices")
        self.outcome = widgets.HTML()
        self.outcome.add_class("cf-dilemma-outcome")
        self.continue_button = widgets.Button(description="Continue", button_style="primary",
                                              tooltip="Go on to the next step")
        self.continue_button.add_class("cf-continue")
        self.continue_button.on_click(self._on_continue)
        self.restart_button = widgets.Button(description="Start this dilemma again",
                                             tooltip="Decide this dilemma again from the start")
        self.restart_button.add_class("cf-restart")
        self.restart_button.on_click(self._on_restart)

        parts: list[widgets.Widget] = [self.picker] if self.picker else []
        parts += [self.situation, self.choices, self.outcome, self.continue_button,
                  self.restart_button]
        if self.checklist is not None:
            parts.append(self.checklist.widget)
        self.widget = widgets.VBox(parts)
        self.widget.add_class("cf-dilemma")
        self.start(dilemmas[0].id)

    # -- state to widgets

    def _options(self) -> list[tuple[str, str]]:
        return [(item.title + (" (decided)" if item.id in self.decided else ""), item.id)
                for item in self.dilemmas.values()]

    def start(self, ident: str) -> None:
        """Begin (or begin again) the dilemma ``ident``."""
        self.walk = model.Walk(self.dilemmas[ident])
        self.outcome.value = ""
        self._show_step()

    def _show_step(self) -> None:
        walk = self.walk
        self.situation.value = render_step(walk)
        labels = ([choice.label for choice in walk.step.choices]
                  if walk.step is not None and walk.pending is None else [])
        while len(self._buttons) < len(labels):  # buttons are kept and reused, step to step
            index = len(self._buttons)
            button = widgets.Button(layout=widgets.Layout(width="100%", height="auto"))
            button.add_class("cf-choice")
            button.on_click(lambda _button, index=index: self._on_choose(index))
            self._buttons.append(button)
        for index, button in enumerate(self._buttons):
            if index < len(labels):
                button.description = button.tooltip = labels[index]
            self._show(button, index < len(labels))
        self.choices.children = tuple(self._buttons)
        self._show(self.choices, bool(labels))
        self._show(self.continue_button, walk.pending is not None)
        self._show(self.restart_button, walk.finished)
        if walk.pending is not None:
            following = walk.pending.choice.next
            self.continue_button.description = ("See your summary" if following == model.END
                                                 else "Continue")

    @staticmethod
    def _show(widget: widgets.Widget, visible: bool) -> None:
        widget.layout.display = None if visible else "none"

    # -- callbacks

    def choose(self, index: int) -> model.Decision:
        """Take choice ``index`` and show its consequence."""
        decision = self.walk.choose(index)
        try:  # the room's answers, live, for the instructor's page
            class_store.publish("dilemma", self.learner_id, dilemma=self.walk.dilemma.id,
                                title=self.walk.dilemma.title, step=decision.step.id,
                                choice=decision.choice.label)
        except OSError:
            log.exception("could not tell the class about a dilemma choice")
        self.outcome.value = render_outcome(decision, self.catalogue)
        self._show_step()
        self.continue_button.focus()
        return decision

    def advance(self) -> None:
        """Go on to the next step, or to the summary at the end."""
        event = self.walk.advance()
        if event is None:
            self.outcome.value = ""
            self._show_step()
            if self._buttons:
                self._buttons[0].focus()
            return
        summary = self.walk.summary()
        self.outcome.value = render_summary(summary, self.catalogue)
        self._show_step()
        self._finished(summary, event)
        self.restart_button.focus()

    def _finished(self, summary: model.Summary, event) -> None:
        ident = summary.dilemma.id
        if not learners.is_guest(self.learner_id):
            try:
                progress.record(self.learner_id, self.module, "dilemma", ident,
                                value=summary.record())
            except OSError:
                log.exception("could not record a dilemma's decisions")
        if self.checklist is not None:
            self.checklist.observe(event)
        if ident not in self.decided:
            self.decided.add(ident)
            if self.picker is not None:
                self._quiet = True
                try:
                    self.picker.options = self._options()
                    self.picker.value = ident
                finally:
                    self._quiet = False

    def _safely(self, action, *args) -> None:
        try:
            action(*args)
        except Exception:  # noqa: BLE001 (the learner sees a notice, the server log why)
            log.exception("the dilemma player failed")
            self.outcome.value = notice()

    def _on_choose(self, index: int) -> None:
        self._safely(self.choose, index)

    def _on_continue(self, _button) -> None:
        self._safely(self.advance)

    def _on_restart(self, _button) -> None:
        self._safely(self.start, self.walk.dilemma.id)

    def _on_pick(self, change) -> None:
        if not self._quiet and change.get("new") in self.dilemmas:
            self._safely(self.start, change["new"])


def show(module: int, ids: Sequence[str] | None = None, *, exclude: Sequence[str] = (),
         task_ids: Sequence[str] | None = None) -> DilemmaView | None:
    """Display the dilemma player on a module page.

    ``ids`` names the dilemmas to offer (default: every dilemma of ``module``
    except those in ``exclude``, such as the ones shown earlier on the page);
    ``task_ids`` the practice tasks shown beneath (default: the module's tasks
    about finishing one of these dilemmas).
    """
    from IPython.display import HTML, display

    try:
        offered = [item for item in model.chosen(ids, module) if item.id not in exclude]
        view = DilemmaView(offered, module, task_ids=task_ids)
    except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
        log.exception("the dilemma player could not be shown")
        display(HTML(notice()))
        return None
    display(view.widget)
    return view
