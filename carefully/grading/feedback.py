"""An attempt's result, as the learner may see it: scores and what to re-read.

Built from the gradebook's scores for each nbgrader grade cell, the quiz (from
the release notebook) and the explanations (from the source notebook, which
only the server has). It never holds a test, a test's message or an answer
key: for each question it says right, partly right or wrong and, when not
right, the explanation and the section to re-read.

Pure functions: no files, no nbgrader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

EPSILON = 1e-9


@dataclass(frozen=True)
class Score:
    """One nbgrader grade cell's score for a submission."""

    auto: float | None
    manual: float | None
    max: float
    needs_manual: bool

    @property
    def value(self) -> float:
        if self.manual is not None:
            return self.manual
        return self.auto or 0.0


def _status(points: float, maximum: float) -> str:
    if points >= maximum - EPSILON:
        return "right"
    return "partly" if points > EPSILON else "wrong"


def result(*, quiz, explanations: Mapping[str, str], scores: Mapping[str, Score],
           timed_out: Iterable[str] = (), problems: Iterable[str] = (),
           pass_mark: float, reflections_block_credit: bool = False,
           **details: Any) -> dict[str, Any]:
    """The result of one attempt (a JSON-ready dict).

    ``timed_out`` names the questions whose answer cell ran too long (they score
    0); ``problems`` are integrity problems (the attempt is not credited).
    """
    timed_out, problems = set(timed_out), list(problems)
    tampered = bool(problems)
    questions = []
    auto = auto_max = manual = manual_max = 0.0
    pending = False
    for question in quiz.questions:
        cells = [scores.get(grade_id) for grade_id in question.graded_by]
        maximum = question.points
        entry: dict[str, Any] = {"question": question.qid, "number": question.number,
                                 "kind": question.kind, "max": maximum}
        if question.manual:
            score = cells[0] if cells else None
            manual_max += maximum
            if tampered:
                entry.update(points=0.0, status="not_credited")
            elif score is not None and score.manual is not None:
                entry.update(points=score.manual, status="graded")
                manual += score.manual
            elif score is not None and not score.needs_manual and score.auto is not None:
                entry.update(points=score.auto, status="empty")
                manual += score.auto
            else:
                entry.update(points=0.0, status="pending")
                pending = True
        else:
            points = 0.0 if tampered or question.qid in timed_out else sum(
                s.value for s in cells if s is not None)
            points = max(0.0, min(points, maximum))
            auto += points
            auto_max += maximum
            if tampered:
                status = "not_credited"
            elif question.qid in timed_out:
                status = "timed_out"
            else:
                status = _status(points, maximum)
            entry.update(points=points, status=status)
            if status != "right":
                entry["explanation"] = explanations.get(question.qid, "")
                entry["reread"] = question.reread
        questions.append(entry)

    if reflections_block_credit:
        credit, credit_max = auto + manual, auto_max + manual_max
    else:
        credit, credit_max = auto, auto_max
    percent = 100.0 * credit / credit_max if credit_max else 0.0
    if tampered:
        passed: bool | None = False
    elif reflections_block_credit and pending:
        passed = None  # waits for the instructor
    else:
        passed = percent >= pass_mark - EPSILON
    return {
        "status": "graded",
        "tampered": tampered,
        "problems": problems,
        "score": auto,
        "max_score": auto_max,
        "reflection_points": manual,
        "reflection_max": manual_max,
        "reflection_pending": pending,
        "credit_score": 0.0 if tampered else credit,
        "credit_max": credit_max,
        "percent": 0.0 if tampered else round(percent, 1),
        "pass_mark": pass_mark,
        "passed": passed,
        "questions": questions,
        "timed_out": sorted(timed_out),
        **details,
    }


def failed(**details: Any) -> dict[str, Any]:
    """The result of an attempt nbgrader could not grade (the coordinator is told)."""
    return {"status": "error", "tampered": False, "problems": [], "questions": [],
            "credit_score": 0.0, "passed": None, **details}
