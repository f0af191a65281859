"""Practice tasks: a checklist that ticks itself off as a simulator reports events.

Pure Python: a simulator's model emits :class:`Event` objects; a
:class:`Checklist` says which tasks they complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from carefully.kinds.lessons import Task


@dataclass(frozen=True)
class Event:
    """Something the learner did in a simulator: ``Event("post", {"audience": "friends"})``."""

    kind: str
    details: Mapping[str, Any] = field(default_factory=dict)


def _value_matches(wanted: Any, actual: Any) -> bool:
    if isinstance(wanted, list):
        return any(_value_matches(item, actual) for item in wanted)
    if isinstance(actual, (list, tuple, set, frozenset)):
        return wanted in actual
    return wanted == actual


def completes(task: Task, event: Event) -> bool:
    """True if ``event`` is what ``task`` asks for."""
    conditions = dict(task.done_when)
    if conditions.pop("event") != event.kind:
        return False
    return all(key in event.details and _value_matches(value, event.details[key])
               for key, value in conditions.items())


class Checklist:
    """The tasks of one page and which are done."""

    def __init__(self, tasks: Iterable[Task], done: Iterable[str] = ()) -> None:
        self.tasks = tuple(tasks)
        known = {task.id for task in self.tasks}
        self.done: set[str] = {ident for ident in done if ident in known}

    def observe(self, event: Event) -> list[Task]:
        """Tick off the tasks ``event`` completes; returns the ones newly done."""
        newly = [task for task in self.tasks if task.id not in self.done and completes(task, event)]
        self.done.update(task.id for task in newly)
        return newly

    @property
    def remaining(self) -> list[Task]:
        return [task for task in self.tasks if task.id not in self.done]

    @property
    def complete(self) -> bool:
        return not self.remaining
