"""The CME evaluation: questions from assets/forms.yaml, answers kept per learner."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carefully import content, learners, store
from carefully.kinds import forms


def _path(learner_id: str, var_dir: Path | None) -> Path:
    return learners.folder(learner_id, var_dir) / "evaluation.json"


def credit_steps(max_credits: float) -> list[float]:
    """The credits a physician may claim: quarter credits from 0.25 up to the maximum."""
    return [step / 4 for step in range(1, int(max_credits * 4) + 1)]


def missing(answers: Mapping[str, Any], claimed: float | None, physician: bool,
            assets_dir=None) -> list[str]:
    """The ids of required questions left unanswered ("credits" for a missing claim)."""
    words = forms.forms(assets_dir).evaluation
    left = []
    for question in words.questions:
        value = answers.get(question.id)
        empty = value is None or (isinstance(value, str) and not value.strip())
        if question.required and empty or question.kind == "choice" and not empty and value not in question.choices or question.kind == "scale" and not empty and value not in words.scale:
            left.append(question.id)
    if physician:
        steps = credit_steps(content.course(assets_dir).max_credits)
        if claimed not in steps:
            left.append("credits")
    return left


def save(learner_id: str, answers: Mapping[str, Any], claimed: float | None, physician: bool,
         var_dir: Path | None = None) -> list[str]:
    """Keep the learner's evaluation if it is complete; returns what is missing (empty: saved)."""
    left = missing(answers, claimed, physician)
    if left:
        return left
    known = {question.id for question in forms.forms().evaluation.questions}
    record = {
        "answers": {key: str(value).strip() for key, value in answers.items()
                    if key in known and value is not None},
        "credits_claimed": claimed if physician else 0.0,
        "submitted": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    store.write_json_atomic(_path(learner_id, var_dir), record)
    return []


def load(learner_id: str, var_dir: Path | None = None) -> dict[str, Any] | None:
    """The learner's evaluation, or None if they have not filled it in."""
    if not learners.is_valid_id(learner_id) or learners.is_guest(learner_id):
        return None
    return store.read_json(_path(learner_id, var_dir), None)
