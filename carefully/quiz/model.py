"""The quiz, without widgets: questions read from a release notebook, the
learner's answers, and the nbgrader submission built from them.

A quiz is an nbgrader release notebook. Each question is a locked markdown cell
whose ``carefully`` metadata says its kind (``single``, ``multiple``,
``truefalse`` or ``reflection``), its choices and the section to re-read; the
first answer cell (an nbgrader solution cell) after it holds the learner's
answer as one assignment (``q1 = None``); the test cells (nbgrader grade cells)
up to the next question score it. A reflection's answer cell is itself graded,
by the instructor.

Answers become Python literals in the answer cells. Every literal is checked by
parsing it back: an answer cell always holds exactly one assignment of one
literal, whatever the learner typed.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat

KINDS = ("single", "multiple", "truefalse", "reflection")
REFLECTION_MAX_CHARS = 3000
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's own timestamp.txt format

Answer = str | bool | tuple[str, ...]


class QuizFormatError(ValueError):
    """The release notebook is not a quiz this player understands; says which cell."""


class AnswerError(ValueError):
    """An answer that does not fit its question."""


@dataclass(frozen=True)
class Choice:
    key: str  # "A", or "True"/"False" for true/false questions
    text: str


@dataclass(frozen=True)
class Question:
    """One question of a quiz, as the release notebook describes it."""

    qid: str  # the metadata name, e.g. "q3"
    number: int  # 1-based position in the quiz
    kind: str
    prompt: str  # markdown: the question without its list of choices
    choices: tuple[Choice, ...]
    points: float
    reread: str  # the section of the module to re-read
    variable: str  # the name the answer cell assigns, e.g. "q3" or "reflection"
    question_cell: str  # cell ids
    answer_cell: str
    answer_grade_id: str
    graded_by: tuple[str, ...]  # nbgrader grade ids whose points make up this question

    @property
    def manual(self) -> bool:
        """Whether the instructor grades it (a reflection)."""
        return self.kind == "reflection"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(choice.key for choice in self.choices)

    def check(self, value: Any) -> Answer:
        """The answer in its normal form, or AnswerError saying what is wrong."""
        if self.kind == "single":
            if not isinstance(value, str) or value not in self.keys:
                raise AnswerError(f"question {self.number}: choose one of {', '.join(self.keys)}")
            return value
        if self.kind == "multiple":
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise AnswerError(f"question {self.number}: choose a list of letters")
            chosen = list(value)
            if not chosen or any(not isinstance(k, str) or k not in self.keys for k in chosen):
                raise AnswerError(
                    f"question {self.number}: choose one or more of {', '.join(self.keys)}")
            return tuple(k for k in self.keys if k in chosen)
        if self.kind == "truefalse":
            if not isinstance(value, bool):
                raise AnswerError(f"question {self.number}: answer True or False")
            return value
        if not isinstance(value, str):
            raise AnswerError(f"question {self.number}: write your answer as text")
        text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(text) > REFLECTION_MAX_CHARS:
            raise AnswerError(
                f"question {self.number}: at most {REFLECTION_MAX_CHARS} characters, please")
        return text


@dataclass(frozen=True)
class Quiz:
    """A quiz: its name, its notebook's file name, and its questions in order."""

    assignment: str
    notebook: str  # file name inside the assignment folder, e.g. "quiz.ipynb"
    title: str
    questions: tuple[Question, ...]

    def question(self, qid: str) -> Question:
        for question in self.questions:
            if question.qid == qid:
                return question
        raise KeyError(qid)

    @property
    def auto_points(self) -> float:
        return sum(q.points for q in self.questions if not q.manual)

    @property
    def manual_points(self) -> float:
        return sum(q.points for q in self.questions if q.manual)


# --- reading a quiz --------------------------------------------------------


def _nbgrader(cell) -> dict:
    value = cell.get("metadata", {}).get("nbgrader")
    return value if isinstance(value, dict) else {}


def _notes(cell) -> dict:
    value = cell.get("metadata", {}).get("carefully")
    return value if isinstance(value, dict) else {}


_CHOICE_LINE = re.compile(r"^\s*[-*]\s+\*\*")


def _prompt(source: str) -> str:
    """The question's markdown without the list of choices that ends it."""
    lines = source.rstrip().splitlines()
    while lines and (_CHOICE_LINE.match(lines[-1]) or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines).strip()


def _assigned_name(source: str, where: str) -> str:
    """The variable the answer cell's first statement assigns."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise QuizFormatError(f"{where}: the answer cell is not valid Python") from error
    first = tree.body[0] if tree.body else None
    if (not isinstance(first, ast.Assign) or len(first.targets) != 1
            or not isinstance(first.targets[0], ast.Name)):
        raise QuizFormatError(f"{where}: the answer cell must start with 'name = None'")
    return first.targets[0].id


def _choices(notes: dict, where: str) -> tuple[Choice, ...]:
    found = []
    for item in notes.get("choices") or ():
        if not isinstance(item, dict) or not isinstance(item.get("key"), str) or not isinstance(
                item.get("text"), str):
            raise QuizFormatError(f"{where}: each choice needs a key and a text")
        found.append(Choice(item["key"], item["text"]))
    return tuple(found)


def parse(nb, assignment: str, notebook: str) -> Quiz:
    """The quiz in an nbgrader notebook (release or source version)."""
    cells = list(nb.cells)
    starts = [i for i, cell in enumerate(cells) if "question" in _notes(cell)]
    if not starts:
        raise QuizFormatError(f"{assignment}/{notebook}: no question cells (carefully.question)")
    questions = []
    for number, start in enumerate(starts, 1):
        cell = cells[start]
        notes = _notes(cell)
        where = f"{assignment}/{notebook}, cell {cell.get('id')}"
        kind = notes.get("kind")
        if kind not in KINDS:
            raise QuizFormatError(f"{where}: kind must be one of {', '.join(KINDS)}")
        end = starts[number] if number < len(starts) else len(cells)
        block = cells[start + 1:end]
        answers = [c for c in block if c.cell_type == "code" and _nbgrader(c).get("solution")]
        if len(answers) != 1:
            raise QuizFormatError(f"{where}: needs exactly one answer cell after the question")
        answer = answers[0]
        tests = [c for c in block if _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")]
        if kind == "reflection":
            if not _nbgrader(answer).get("grade"):
                raise QuizFormatError(f"{where}: a reflection's answer cell must carry points")
            graded = [answer]
        else:
            if not tests:
                raise QuizFormatError(f"{where}: needs at least one test cell with points")
            graded = tests
        choices = _choices(notes, where)
        if kind == "truefalse":
            choices = choices or (Choice("True", "True"), Choice("False", "False"))
            if {c.key for c in choices} != {"True", "False"}:
                raise QuizFormatError(f"{where}: true/false choices must be True and False")
        elif kind in ("single", "multiple") and len(choices) < 2:
            raise QuizFormatError(f"{where}: needs at least two choices")
        questions.append(Question(
            qid=str(notes["question"]),
            number=number,
            kind=kind,
            prompt=_prompt(cell.source),
            choices=choices,
            points=sum(float(_nbgrader(c).get("points", 0)) for c in graded),
            reread=str(notes.get("reread", "")),
            variable=_assigned_name(answer.source, where),
            question_cell=str(cell.get("id")),
            answer_cell=str(answer.get("id")),
            answer_grade_id=str(_nbgrader(answer).get("grade_id")),
            graded_by=tuple(str(_nbgrader(c)["grade_id"]) for c in graded),
        ))
    title = nb.metadata.get("carefully", {}).get("title") or assignment
    return Quiz(assignment, notebook, str(title), tuple(questions))


def quiz_notebook(folder: Path) -> Path:
    """The one notebook of an assignment folder."""
    notebooks = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if len(notebooks) != 1:
        raise QuizFormatError(f"{folder}: expected one quiz notebook, found {len(notebooks)}")
    return notebooks[0]


def load(release: Path, assignment: str):
    """The quiz of ``release/<assignment>`` and its notebook: (Quiz, NotebookNode)."""
    path = quiz_notebook(Path(release) / assignment)
    nb = nbformat.read(path, as_version=4)
    return parse(nb, assignment, path.name), nb


def explanations(source_nb, quiz: Quiz) -> dict[str, str]:
    """Each question's explanation, from the source notebook's answer-cell metadata."""
    by_id = {str(cell.get("id")): cell for cell in source_nb.cells}
    found = {}
    for question in quiz.questions:
        cell = by_id.get(question.answer_cell)
        text = _notes(cell).get("explanation") if cell is not None else None
        if isinstance(text, str) and text.strip():
            found[question.qid] = text.strip()
    return found


# --- answers and the submission ---------------------------------------------


def quote(text: str) -> str:
    """A Python string literal for ``text``: double quotes where possible, never code."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text and "'" not in text:
        literal = '"' + literal[1:-1] + '"'
    if ast.literal_eval(literal) != text:  # repr never fails this; belt and braces
        raise AnswerError("the answer could not be written safely")
    return literal


def literal(question: Question, value: Answer) -> str:
    """The answer as the literal written into its answer cell."""
    if question.kind == "truefalse":
        return "True" if value is True else "False"
    if question.kind == "multiple":
        return "[" + ", ".join(quote(k) for k in value) + "]"
    return quote(value)


def answer_source(question: Question, value: Answer) -> str:
    """The answer cell's new source: one assignment of one literal, checked by parsing it."""
    source = f"{question.variable} = {literal(question, value)}"
    tree = ast.parse(source)
    node = tree.body[0] if len(tree.body) == 1 else None
    if (not isinstance(node, ast.Assign) or len(node.targets) != 1
            or not isinstance(node.targets[0], ast.Name)
            or node.targets[0].id != question.variable):
        raise AnswerError(f"question {question.number}: the answer could not be written safely")
    written = ast.literal_eval(node.value)
    if isinstance(written, list):
        written = tuple(written)
    if written != value:
        raise AnswerError(f"question {question.number}: the answer could not be written safely")
    return source


@dataclass
class Answers:
    """The learner's answers so far; each is checked as it is set."""

    quiz: Quiz
    values: dict[str, Answer] = field(default_factory=dict)

    def set(self, qid: str, value: Any) -> None:
        """Set (or, with None or an empty choice, clear) the answer to question ``qid``."""
        question = self.quiz.question(qid)
        if value is None or (question.kind == "multiple" and not isinstance(value, str)
                             and isinstance(value, Iterable) and not list(value)):
            self.values.pop(qid, None)
            return
        checked = question.check(value)
        if question.manual and not checked:
            self.values.pop(qid, None)
        else:
            self.values[qid] = checked

    def get(self, qid: str) -> Answer | None:
        return self.values.get(qid)

    def missing(self) -> list[Question]:
        """The automatically graded questions not answered yet (a reflection may stay empty)."""
        return [q for q in self.quiz.questions if not q.manual and q.qid not in self.values]

    @classmethod
    def from_mapping(cls, quiz: Quiz, values: Mapping[str, Any]) -> Answers:
        answers = cls(quiz)
        for qid, value in values.items():
            answers.set(qid, value)
        return answers


def build_submission(release_nb, quiz: Quiz, answers: Answers):
    """A copy of the release notebook with each answered question's answer cell set.

    Unanswered questions keep the release's answer cell, which nbgrader reads as
    "no response".
    """
    nb = copy.deepcopy(release_nb)
    cells = {str(cell.get("id")): cell for cell in nb.cells}
    for question in quiz.questions:
        value = answers.get(question.qid)
        if value is None:
            continue
        cell = cells[question.answer_cell]
        cell.source = answer_source(question, value)
        cell.outputs = []
        cell.execution_count = None
    return nb


def timestamp(now: datetime | None = None) -> str:
    """The text of nbgrader's timestamp.txt for a submission made ``now`` (UTC)."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def submission_files(release_nb, quiz: Quiz, answers: Answers,
                     now: datetime | None = None) -> dict[str, bytes]:
    """The files of an nbgrader submission folder: the notebook and timestamp.txt."""
    nb = build_submission(release_nb, quiz, answers)
    return {
        quiz.notebook: (nbformat.writes(nb) + "\n").encode("utf-8"),
        "timestamp.txt": (timestamp(now) + "\n").encode("utf-8"),
    }


def answers_in(submission_nb, quiz: Quiz) -> dict[str, Answer]:
    """The literal answers a submission holds (for showing a past attempt); others skipped."""
    cells = {str(cell.get("id")): cell for cell in submission_nb.cells}
    found: dict[str, Answer] = {}
    for question in quiz.questions:
        cell = cells.get(question.answer_cell)
        if cell is None:
            continue
        try:
            tree = ast.parse(cell.source)
            node = tree.body[0]
            if not isinstance(node, ast.Assign):
                continue
            value = ast.literal_eval(node.value)
            found[question.qid] = question.check(value)
        except (SyntaxError, ValueError, IndexError, TypeError, AnswerError):
            continue
    return found
