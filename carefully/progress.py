"""What each learner has done, per module: sections seen, tasks done, quiz results.

Kept in ``var/learners/<id>/progress.json``, updated under a lock and written
atomically (see :mod:`carefully.store`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carefully import class_store, learners, store

KINDS = ("section", "task", "dilemma", "quiz")


def _path(learner_id: str, var_dir: Path | None = None) -> Path:
    return learners.folder(learner_id, var_dir) / "progress.json"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record(learner_id: str, module: int, kind: str, item: str, value: Any = True,
           var_dir: Path | None = None) -> None:
    """Record that the learner did ``item`` (a section, task, dilemma or quiz) in ``module``.

    ``value`` is kept with the time (a dilemma's choices, a quiz score ...).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of progress: {kind!r}")

    def change(data: dict) -> None:
        done = data.setdefault("modules", {}).setdefault(str(module), {}).setdefault(kind, {})
        done[item] = {"at": _now(), "value": value}

    store.update_json(_path(learner_id, var_dir), change)
    class_store.publish("progress", learner_id, var_dir, module=module, what=kind, item=item,
                        value=value if kind == "quiz" else None)


def load(learner_id: str, var_dir: Path | None = None) -> dict[str, Any]:
    """Everything recorded for the learner: ``{"modules": {"2": {"task": {...}}}}``."""
    return store.read_json(_path(learner_id, var_dir), {"modules": {}})


def done(learner_id: str, module: int, kind: str, var_dir: Path | None = None) -> dict[str, Any]:
    """The items of one kind the learner has done in ``module``, with when and what."""
    return load(learner_id, var_dir).get("modules", {}).get(str(module), {}).get(kind, {})
