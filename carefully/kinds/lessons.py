"""Per-module lesson data (assets/lessons/*.yaml): objectives and practice tasks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from carefully import content


@dataclass(frozen=True)
class Task:
    """A short practice task, done when the simulator reports a matching event.

    ``done_when`` holds ``event`` (the event's kind) and optional details that
    must match; a list of values means any of them.
    """

    id: str
    prompt: str
    hint: str
    done_when: Mapping[str, Any]


@dataclass(frozen=True)
class Lesson:
    """What a module page shows besides its text: objectives and tasks."""

    module: int
    objectives: tuple[str, ...]
    tasks: tuple[Task, ...]


def _build(doc: content.Document) -> Lesson:
    data = doc.data
    return Lesson(
        module=data["module"],
        objectives=tuple(item.strip() for item in data["objectives"]),
        tasks=tuple(Task(task["id"], task["prompt"].strip(), task.get("hint", "").strip(),
                         dict(task["done_when"])) for task in data.get("tasks", ())),
    )


def _check(doc: content.Document) -> Iterator[content.Problem]:
    tasks = doc.data.get("tasks") if isinstance(doc.data, dict) else None
    seen: set[str] = set()
    for index, task in enumerate(tasks if isinstance(tasks, list) else []):
        ident = task.get("id") if isinstance(task, dict) else None
        if isinstance(ident, str):
            if ident in seen:
                yield doc.problem(("tasks", index, "id"), f"a task id used once ({ident!r} repeats)")
            seen.add(ident)


content.register(content.Kind(name="lessons", pattern="lessons/*.yaml", schema="lesson.schema.json",
                              build=_build, check=_check, required=False,
                              what="a module's objectives and tasks"))


def lesson(module: int, assets_dir=None) -> Lesson | None:
    """The lesson data of ``module``, or None if it has none."""
    for item in content.load(assets_dir).of("lessons"):
        if item.module == module:
            return item
    return None
