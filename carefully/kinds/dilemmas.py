"""Privacy dilemmas (assets/dilemmas/*.yaml): branching scenarios, one file each."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from carefully import content
from carefully.dilemmas import model
from carefully.kinds import guidance


@dataclass(frozen=True)
class Choice:
    """One thing the learner could do at a step, and what follows from it."""

    label: str
    quality: str  # best, acceptable or risky
    consequence: str
    guidance: tuple[str, ...]  # ids in assets/guidance.yaml
    next: str  # a step id, or model.END


@dataclass(frozen=True)
class Step:
    """One moment of decision."""

    id: str
    situation: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Dilemma:
    """A branching scenario; it starts at its first step."""

    id: str
    title: str
    module: int
    summary: str
    takeaway: str
    steps: tuple[Step, ...]
    file: str

    def step(self, ident: str) -> Step:
        """The step with id ``ident``; KeyError if there is none."""
        for step in self.steps:
            if step.id == ident:
                return step
        raise KeyError(f"dilemma {self.id!r} has no step {ident!r}")


def _build(doc: content.Document) -> Dilemma:
    data = doc.data
    return Dilemma(
        id=data["id"],
        title=data["title"].strip(),
        module=data["module"],
        summary=data["summary"].strip(),
        takeaway=data["takeaway"].strip(),
        steps=tuple(
            Step(step["id"], step["situation"].strip(), tuple(
                Choice(choice["label"].strip(), choice["quality"], choice["consequence"].strip(),
                       tuple(choice["guidance"]), choice["next"])
                for choice in step["choices"]))
            for step in data["steps"]
        ),
        file=doc.file,
    )


def _check(doc: content.Document) -> Iterator[content.Problem]:
    for path, expected in model.graph_problems(doc.data):
        yield doc.problem(path, expected)


def _cross_check(docs: Mapping[str, Sequence[content.Document]]) -> Iterator[content.Problem]:
    ids = guidance.known_ids(docs)
    modules: set[int] = set()
    for course in docs.get("course", ()):
        listed = course.data.get("modules") if isinstance(course.data, dict) else None
        for module in listed if isinstance(listed, list) else []:
            if isinstance(module, dict) and isinstance(module.get("number"), int):
                modules.add(module["number"])
    seen: dict[str, str] = {}
    for doc in docs.get("dilemmas", ()):
        data = doc.data if isinstance(doc.data, dict) else {}
        ident = data.get("id")
        if isinstance(ident, str):
            if ident in seen:
                yield doc.problem(("id",), f"a dilemma id no other dilemma uses ({ident!r} is "
                                           f"also the id in {seen[ident]})")
            seen.setdefault(ident, doc.file)
        number = data.get("module")
        if modules and isinstance(number, int) and number not in modules:
            yield doc.problem(("module",), "the number of a module in assets/course.yaml "
                                           f"({', '.join(map(str, sorted(modules)))}) "
                                           f"(got {number})")
        steps = data.get("steps")
        for index, step in enumerate(steps if isinstance(steps, list) else []):
            choices = step.get("choices") if isinstance(step, dict) else None
            for position, choice in enumerate(choices if isinstance(choices, list) else []):
                if isinstance(choice, dict):
                    yield from guidance.check_citations(
                        doc, ids, ("steps", index, "choices", position, "guidance"),
                        choice.get("guidance"))


content.register(content.Kind(name="dilemmas", pattern="dilemmas/*.yaml",
                              schema="dilemma.schema.json", build=_build, check=_check,
                              what="the privacy dilemmas (one file per dilemma)"))
content.register_cross_check("dilemmas", _cross_check)
