"""The class store: what happens in a live session, as one journal in ``var/class/``.

Learner pages append events (joined, progress, a dilemma choice, a quiz
result, a question); each append holds the journal's lock, so there is one
writer at a time and nothing is lost when a whole room answers at once. The
instructor page folds the journal into a :class:`ClassView`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carefully import settings, store

MAX_QUESTION = 1000


def journal_path(var_dir: Path | None = None) -> Path:
    return (var_dir or settings.var_dir()) / "class" / "journal.jsonl"


def publish(kind: str, learner_id: str, var_dir: Path | None = None, **details: Any) -> None:
    """Add one event to the class journal."""
    record = {"kind": kind, "learner": learner_id,
              "at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), **details}
    store.append_line(journal_path(var_dir), record)


def ask(learner_id: str, page: str, text: str, anonymous: bool, name: str = "",
        var_dir: Path | None = None) -> str:
    """Send a question to the instructor; returns its id. Empty questions are refused."""
    text = text.strip()[:MAX_QUESTION]
    if not text:
        raise ValueError("empty question")
    ident = secrets.token_hex(6)
    publish("question", "" if anonymous else learner_id, var_dir, id=ident, page=page, text=text,
            name="" if anonymous else name)
    return ident


def mark_answered(question_id: str, var_dir: Path | None = None) -> None:
    publish("answered", "", var_dir, id=question_id)


@dataclass
class Question:
    id: str
    page: str
    text: str
    name: str
    at: str
    answered: bool = False


@dataclass
class ClassView:
    """The room at a glance, folded from the journal."""

    joined: dict[str, str] = field(default_factory=dict)  # learner -> name ("" if unknown)
    opened: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    tasks: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    dilemmas: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    titles: dict[str, str] = field(default_factory=dict)  # dilemma step key -> dilemma title
    quiz_scores: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    questions: list[Question] = field(default_factory=list)

    @property
    def open_questions(self) -> list[Question]:
        return [question for question in self.questions if not question.answered]


def fold(records: list[dict[str, Any]]) -> ClassView:
    """The class view after ``records`` (in journal order)."""
    view = ClassView()
    by_id: dict[str, Question] = {}
    for record in records:
        kind, learner = record.get("kind"), record.get("learner", "")
        if kind == "joined":
            view.joined[learner] = record.get("name") or view.joined.get(learner, "")
        elif kind == "progress":
            view.joined.setdefault(learner, "")
            module = int(record.get("module", -1))
            if record.get("what") == "section":
                view.opened[module].add(learner)
            elif record.get("what") == "task":
                view.tasks[module][learner] += 1
            elif record.get("what") == "quiz":
                value = record.get("value")
                if isinstance(value, dict) and isinstance(value.get("percent"), (int, float)):
                    view.quiz_scores[str(record.get("item"))][learner] = float(value["percent"])
        elif kind == "dilemma":
            # One answer per learner per dilemma step: the latest counts.
            key = f"{record.get('dilemma')}|{record.get('step', '')}"
            view.dilemmas[key][learner] = str(record.get("choice", ""))
            view.titles[key] = str(record.get("title") or record.get("dilemma"))
        elif kind == "quiz":
            view.quiz_scores[str(record.get("quiz"))][learner] = float(record.get("percent", 0))
        elif kind == "question":
            question = Question(record["id"], record.get("page", ""), record.get("text", ""),
                                record.get("name", ""), record.get("at", ""))
            by_id[question.id] = question
            view.questions.append(question)
        elif kind == "answered" and record.get("id") in by_id:
            by_id[record["id"]].answered = True
    return view


def dilemma_counts(view: ClassView, key: str) -> Counter:
    """How many learners chose each choice at one dilemma step (their latest choice)."""
    return Counter(view.dilemmas.get(key, {}).values())


def load(var_dir: Path | None = None) -> ClassView:
    return fold(store.read_lines(journal_path(var_dir)))
