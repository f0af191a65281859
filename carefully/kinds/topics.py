"""Best-practice topics (assets/topics/*.yaml): the catalogue of module 5.

One file is one topic; its id is the file name without ``.yaml``. Adding a
file adds a topic to the catalogue page; no code changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from carefully import content
from carefully.kinds import guidance

PATTERN = "topics/*.yaml"
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Topic:
    """One best-practice topic: what to do, what to avoid, and what it rests on."""

    id: str
    title: str
    summary: str
    do: tuple[str, ...]
    avoid: tuple[str, ...]
    sources: tuple[str, ...]  # guidance ids (assets/guidance.yaml)
    tags: tuple[str, ...]
    evidence: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    dilemma: str | None = None  # a dilemma id (assets/dilemmas/<id>.yaml)


def topic_id(file: str) -> str:
    """A topic's id: its file name without the extension."""
    return PurePosixPath(file).stem


def _lines(values) -> tuple[str, ...]:
    return tuple(" ".join(value.split()) for value in values or ())


def _build(doc: content.Document) -> Topic:
    data = doc.data
    return Topic(
        id=topic_id(doc.file),
        title=" ".join(data["title"].split()),
        summary=" ".join(data["summary"].split()),
        do=_lines(data["do"]),
        avoid=_lines(data["avoid"]),
        sources=tuple(data["sources"]),
        tags=tuple(data["tags"]),
        evidence=_lines(data.get("evidence")),
        references=_lines(data.get("references")),
        dilemma=data.get("dilemma"),
    )


def _check(doc: content.Document) -> Iterator[content.Problem]:
    name = PurePosixPath(doc.file).name
    if not ID.fullmatch(topic_id(doc.file)):
        yield content.Problem(doc.file, None, "(file)",
                              "a file name in lowercase letters, digits and dashes, such as "
                              f"online-reviews.yaml (got {name!r}); the name is the topic's id")


def dilemma_kinds() -> list[content.Kind]:
    """The registered kinds whose files live in assets/dilemmas/ (none until dilemmas exist)."""
    return [kind for kind in content.KINDS.values() if kind.pattern.startswith("dilemmas/")]


def dilemma_ids(docs: Mapping[str, Sequence[content.Document]]) -> set[str] | None:
    """The ids of the dilemmas in ``docs``, or None when no kind of dilemma is registered.

    A dilemma is known by its ``id:`` field, or by its file name without ``.yaml`` if it has none.
    """
    kinds = dilemma_kinds()
    if not kinds:
        return None
    ids: set[str] = set()
    for kind in kinds:
        for doc in docs.get(kind.name, ()):
            ident = doc.data.get("id") if isinstance(doc.data, dict) else None
            ids.add(ident if isinstance(ident, str) else topic_id(doc.file))
    return ids


def _cross_check(docs: Mapping[str, Sequence[content.Document]]) -> Iterator[content.Problem]:
    ids = guidance.known_ids(docs)
    dilemmas = dilemma_ids(docs)
    titles: dict[str, str] = {}
    for doc in docs.get("topics", ()):
        data = doc.data if isinstance(doc.data, dict) else {}
        yield from guidance.check_citations(doc, ids, ("sources",), data.get("sources"))
        dilemma = data.get("dilemma")
        if dilemmas is not None and isinstance(dilemma, str) and dilemma not in dilemmas:
            yield doc.problem(("dilemma",),
                              "the id of a dilemma in assets/dilemmas/ (its id: field) "
                              f"({', '.join(sorted(dilemmas)) or 'none listed'}) "
                              f"(got {doc.got(('dilemma',))})")
        title = data.get("title")
        if isinstance(title, str):
            key = " ".join(title.split()).casefold()
            if key in titles:
                yield doc.problem(("title",), f"a title no other topic uses ({title.strip()!r} "
                                  f"is also the title of {titles[key]})")
            else:
                titles[key] = doc.file


EVENT = "catalogue"
"""The kind of event the catalogue sends when the learner searches or picks a tag."""
BY = ("search", "tag")


def _task_problems(docs: Mapping[str, Sequence[content.Document]], ids: set[str],
                   tags: set[str]) -> Iterator[content.Problem]:
    """Lesson tasks done by using the catalogue must name topics and tags that exist."""
    for doc in docs.get("lessons", ()):
        tasks = doc.data.get("tasks") if isinstance(doc.data, dict) else None
        for index, task in enumerate(tasks if isinstance(tasks, list) else []):
            done = task.get("done_when") if isinstance(task, dict) else None
            if not isinstance(done, dict) or done.get("event") != EVENT:
                continue
            for key, allowed, what in (("topics", ids, "a topic id (a topic's file name)"),
                                       ("tag", tags, "a tag that some topic uses"),
                                       ("by", set(BY), "search or tag")):
                values = done.get(key)
                for value in values if isinstance(values, list) else [values]:
                    if value is not None and value not in allowed:
                        yield doc.problem(("tasks", index, "done_when", key),
                                          f"{what}: {', '.join(sorted(allowed)) or 'none yet'} "
                                          f"(got {value!r})")


def _lesson_check(docs: Mapping[str, Sequence[content.Document]]) -> Iterator[content.Problem]:
    topic_docs = docs.get("topics", ())
    ids = {topic_id(doc.file) for doc in topic_docs}
    tags = {tag for doc in topic_docs if isinstance(doc.data, dict)
            for tag in (doc.data.get("tags") if isinstance(doc.data.get("tags"), list) else [])
            if isinstance(tag, str)}
    yield from _task_problems(docs, ids, tags)


content.register(content.Kind(name="topics", pattern=PATTERN, schema="topic.schema.json",
                              build=_build, check=_check, required=False,
                              what="the best-practice topics"))
content.register_cross_check("topics", _cross_check)
content.register_cross_check("catalogue-tasks", _lesson_check)


def topics(assets_dir=None) -> tuple[Topic, ...]:
    """Every topic in the assets folder, in file-name order."""
    return content.load(assets_dir).of("topics")
