"""The practice checklist beside a simulator: a thin widget over :class:`carefully.tasks.Checklist`.

Tasks done are recorded for the learner (:mod:`carefully.progress`) and are
shown as done when the learner comes back.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from carefully import learners, progress, tasks
from carefully.kinds import lessons

from .common import log


def render(checklist: tasks.Checklist, announcement: str = "") -> str:
    """The checklist as HTML: each task with its state, and a live announcement."""
    items = []
    for task in checklist.tasks:
        done = task.id in checklist.done
        state = "Done" if done else "To do"
        mark = "\u2713" if done else "\u25cb"
        hint = f'<span class="cf-task-hint">{escape(task.hint)}</span>' if task.hint and not done else ""
        items.append(
            f'<li class="cf-task{" cf-task-done" if done else ""}" data-task="{escape(task.id)}">'
            f'<span aria-hidden="true" class="cf-task-mark">{mark}</span> '
            f'<span class="cf-visually-hidden">{state}: </span>{escape(task.prompt)}{hint}</li>'
        )
    count = f"{len(checklist.done)} of {len(checklist.tasks)} done"
    return (
        '<div class="cf-checklist">'
        f'<p class="cf-checklist-count">Practice tasks: {count}</p>'
        f'<ul class="cf-tasks">{"".join(items)}</ul>'
        f'<p class="cf-visually-hidden" role="status" aria-live="polite">{escape(announcement)}</p>'
        "</div>"
    )


class ChecklistView:
    """Shows a module's tasks and ticks them off as events arrive."""

    def __init__(self, module: int, task_ids: list[str] | None = None,
                 learner_id: str | None = None) -> None:
        lesson = lessons.lesson(module)
        chosen = [task for task in (lesson.tasks if lesson else ())
                  if task_ids is None or task.id in task_ids]
        self.module = module
        self.learner_id = learner_id or learners.current_learner_id()
        already = () if learners.is_guest(self.learner_id) else progress.done(
            self.learner_id, module, "task")
        self.checklist = tasks.Checklist(chosen, already)
        self.widget = widgets.HTML(render(self.checklist))
        self.widget.add_class("cf-checklist-box")

    def observe(self, event: tasks.Event) -> list[lessons.Task]:
        """Pass a simulator's event; record and show any task it completes."""
        newly = self.checklist.observe(event)
        if newly:
            if not learners.is_guest(self.learner_id):
                for task in newly:
                    try:
                        progress.record(self.learner_id, self.module, "task", task.id)
                    except OSError:
                        log.exception("could not record a finished task")
            said = " ".join(f"Task done: {task.prompt}" for task in newly)
            self.widget.value = render(self.checklist, said)
        return newly
