"""Privacy dilemmas as branching scenarios: the graph, a learner's walk, the summary.

Pure Python, no widgets. A dilemma (:class:`carefully.kinds.dilemmas.Dilemma`,
loaded from ``assets/dilemmas/*.yaml``) is a set of steps; each step offers
choices, and each choice has a consequence, the guidance it rests on and the
step that follows (or :data:`END`). :class:`Walk` follows one learner through
a dilemma and :meth:`Walk.summary` sums up their decisions at the end.

:func:`graph_problems` checks the shape of a dilemma as an author wrote it
(every next step exists, every path ends, every step can be reached); the
content loader turns what it finds into problems that name file and field.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carefully import content, tasks

if TYPE_CHECKING:
    from carefully.kinds.dilemmas import Choice, Dilemma, Step

END = "end"
"""The ``next`` of a choice that ends the dilemma."""

QUALITIES = ("best", "acceptable", "risky")

DONE_EVENT = "dilemma_done"
"""The kind of :class:`carefully.tasks.Event` a finished walk reports."""


# --- the graph, as an author wrote it -----------------------------------------


FieldPath = tuple[str | int, ...]


def _steps(data: Any) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """(index, id, [(choice index, next)]) for each step with a usable id, in order."""
    steps = data.get("steps") if isinstance(data, dict) else None
    found = []
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        if not isinstance(step, dict) or not isinstance(step.get("id"), str):
            continue
        choices = step.get("choices") if isinstance(step.get("choices"), list) else []
        nexts = [(position, choice["next"]) for position, choice in enumerate(choices)
                 if isinstance(choice, dict) and isinstance(choice.get("next"), str)]
        found.append((index, step["id"], nexts))
    return found


def graph_problems(data: Any) -> Iterator[tuple[FieldPath, str]]:
    """What is wrong with the shape of one dilemma's steps, as (field path, expected).

    Copes with partly invalid data (the schema reports the rest): duplicate
    step ids, a ``next`` naming no step, a step no choice leads to, and a
    choice that leads back to an earlier step (its path would never end).
    """
    steps = _steps(data)
    first_index: dict[str, int] = {}
    for index, ident, _ in steps:
        if ident in first_index:
            yield (("steps", index, "id"),
                   (f"a step id used once in this dilemma ({ident!r} is also step "
                    f"{first_index[ident] + 1})"))
        else:
            first_index[ident] = index
    if not steps:
        return
    known = sorted(first_index)
    edges: dict[str, list[tuple[int, int, str]]] = {}
    for index, ident, nexts in steps:
        if first_index[ident] != index:
            continue
        for position, target in nexts:
            if target != END and target not in first_index:
                yield (("steps", index, "choices", position, "next"),
                       (f"the id of a step in this dilemma ({', '.join(known)}) or end "
                        f"(got {target!r})"))
            else:
                edges.setdefault(ident, []).append((index, position, target))

    start = steps[0][1]
    reached: set[str] = set()
    state: dict[str, str] = {}  # "open" while on the current path, "done" after

    def visit(ident: str) -> Iterator[tuple[FieldPath, str]]:
        # Depth-first; a choice leading to a step still "open" closes a loop.
        state[ident] = "open"
        reached.add(ident)
        for index, position, target in edges.get(ident, ()):
            if target == END:
                continue
            if state.get(target) == "open":
                yield (("steps", index, "choices", position, "next"),
                       (f"a later step or end: this choice leads back to {target!r}, "
                        "so a learner could go round forever and the dilemma would never end"))
            elif target not in state:
                yield from visit(target)
        state[ident] = "done"

    yield from visit(start)
    for index, ident, _ in steps:
        if first_index[ident] == index and ident not in reached:
            yield (("steps", index, "id"),
                   (f"a step that some choice leads to ({ident!r} cannot be reached from the "
                    f"first step, {start!r}; name it in a choice's next, or remove it)"))


# --- a learner's walk through a dilemma ------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One choice the learner made, at one step."""

    step: Step
    index: int  # which choice, from 0
    choice: Choice

    def record(self) -> dict[str, Any]:
        """What is kept for the learner: the step, the choice and how good it was."""
        return {"step": self.step.id, "choice": self.index, "label": self.choice.label,
                "quality": self.choice.quality}


@dataclass(frozen=True)
class Summary:
    """The learner's decisions in one dilemma, at its end."""

    dilemma: Dilemma
    decisions: tuple[Decision, ...]

    @property
    def best(self) -> int:
        """How many decisions were the best choice."""
        return sum(1 for decision in self.decisions if decision.choice.quality == "best")

    @property
    def all_best(self) -> bool:
        return self.best == len(self.decisions)

    @property
    def risky(self) -> int:
        """How many decisions were risky."""
        return sum(1 for decision in self.decisions if decision.choice.quality == "risky")

    @property
    def guidance(self) -> tuple[str, ...]:
        """The guidance ids the learner's decisions rest on, in the order first met."""
        return tuple(dict.fromkeys(ident for decision in self.decisions
                                   for ident in decision.choice.guidance))

    def record(self) -> list[dict[str, Any]]:
        """The decisions as kept for the learner (JSON-ready)."""
        return [decision.record() for decision in self.decisions]


class WalkError(ValueError):
    """A move the walk does not allow (choosing twice, or after the end)."""


class Walk:
    """One learner's way through one dilemma.

    At each step the learner :meth:`choose`\\ s, reads the consequence
    (:attr:`pending`), then :meth:`advance`\\ s to the next step, until
    :attr:`finished`; then :meth:`summary` sums up.
    """

    def __init__(self, dilemma: Dilemma) -> None:
        self.dilemma = dilemma
        self.restart()

    def restart(self) -> None:
        """Back to the first step, with no decisions."""
        self.step: Step | None = self.dilemma.steps[0]
        self.pending: Decision | None = None
        self.decisions: list[Decision] = []

    @property
    def finished(self) -> bool:
        return self.step is None

    def choose(self, index: int) -> Decision:
        """Take choice ``index`` at the current step; its consequence is now :attr:`pending`."""
        if self.step is None:
            raise WalkError("the dilemma has ended")
        if self.pending is not None:
            raise WalkError("a choice was already made at this step")
        if not 0 <= index < len(self.step.choices):
            raise WalkError(f"step {self.step.id!r} has no choice {index}")
        decision = Decision(self.step, index, self.step.choices[index])
        self.decisions.append(decision)
        self.pending = decision
        return decision

    def advance(self) -> tasks.Event | None:
        """Go on to the step the pending choice leads to.

        Returns the event of a finished dilemma when this was the last step.
        """
        if self.pending is None:
            raise WalkError("make a choice first")
        following = self.pending.choice.next
        self.pending = None
        self.step = None if following == END else self.dilemma.step(following)
        return self.event() if self.step is None else None

    @property
    def number(self) -> int:
        """The current decision's number, from 1."""
        return len(self.decisions) + (0 if self.pending else 1)

    def summary(self) -> Summary:
        """The learner's decisions; complete once :attr:`finished`."""
        return Summary(self.dilemma, tuple(self.decisions))

    def event(self) -> tasks.Event:
        """The practice-task event of a finished dilemma."""
        summary = self.summary()
        return tasks.Event(DONE_EVENT, {"dilemma": self.dilemma.id, "all_best": summary.all_best,
                                        "best": summary.best, "decisions": len(summary.decisions)})


# --- the course's dilemmas -------------------------------------------------------


def dilemmas(module: int | None = None,
             assets_dir: str | Path | None = None) -> tuple[Dilemma, ...]:
    """The course's dilemmas in file-name order; only those of ``module`` if given."""
    found = content.load(assets_dir).of("dilemmas")
    return tuple(item for item in found if module is None or item.module == module)


def get(ident: str, assets_dir: str | Path | None = None) -> Dilemma:
    """The dilemma with id ``ident``; KeyError if there is none."""
    for item in dilemmas(assets_dir=assets_dir):
        if item.id == ident:
            return item
    raise KeyError(f"there is no dilemma {ident!r}")


def chosen(ids: Sequence[str] | None, module: int | None,
           assets_dir: str | Path | None = None) -> tuple[Dilemma, ...]:
    """The dilemmas named in ``ids`` (in that order), or else all of ``module``'s."""
    if ids is None:
        return dilemmas(module, assets_dir)
    return tuple(get(ident, assets_dir) for ident in ids)
