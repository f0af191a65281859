"""The grading worker's spool: one small JSON file per job, in ``var/grading/jobs/``.

A page adds a job (written atomically) and waits for the attempt's result
file. The worker claims the oldest job by renaming it into ``claimed/``, grades
it and deletes it; a job claimed by a worker that died is put back when the
next worker starts, so no job is lost.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import attempts, files
from .paths import Layout, checked_name

MAX_POLL = 0.25  # seconds between looks for a result, at most


@dataclass(frozen=True)
class Job:
    learner: str
    assignment: str
    attempt: int
    path: Path  # where the job file is now

    @property
    def name(self) -> str:
        return self.path.name


def add(layout: Layout, learner: str, assignment: str, attempt: int) -> Job:
    """Queue attempt ``attempt`` for grading."""
    checked_name(learner, "learner")
    checked_name(assignment, "assignment")
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.json"
    path = layout.jobs / name
    files.write_json(path, {"learner": learner, "assignment": assignment,
                            "attempt": int(attempt)})
    return Job(learner, assignment, int(attempt), path)


def _read(path: Path) -> Job | None:
    data = files.read_json(path)
    try:
        return Job(checked_name(data["learner"]), checked_name(data["assignment"]),
                   int(data["attempt"]), path)
    except (TypeError, KeyError, ValueError):
        return None


def waiting(layout: Layout) -> list[Path]:
    """The queued job files, oldest first (temporary files excluded)."""
    try:
        names = sorted(n for n in os.listdir(layout.jobs) if n.endswith(".json")
                       and not n.startswith("."))
    except FileNotFoundError:
        return []
    return [layout.jobs / n for n in names]


def claim(layout: Layout) -> Job | None:
    """Take the oldest queued job (moving it to claimed/), or None if there is none."""
    layout.claimed.mkdir(parents=True, exist_ok=True)
    for path in waiting(layout):
        target = layout.claimed / path.name
        try:
            os.rename(path, target)
        except FileNotFoundError:
            continue  # another worker took it
        job = _read(target)
        if job is None:  # unreadable: keep it aside for the coordinator
            os.rename(target, target.with_suffix(".bad"))
            continue
        return job
    return None


def done(job: Job) -> None:
    job.path.unlink(missing_ok=True)


def requeue_claimed(layout: Layout) -> int:
    """Put back the jobs a stopped worker had claimed; returns how many."""
    if not layout.claimed.is_dir():
        return 0
    count = 0
    for path in sorted(layout.claimed.glob("*.json")):
        layout.jobs.mkdir(parents=True, exist_ok=True)
        os.rename(path, layout.jobs / path.name)
        count += 1
    return count


def wait_for_result(layout: Layout, learner: str, assignment: str, attempt: int,
                    timeout: float, poll: float = 0.05,
                    every_few_seconds: Callable[[], None] | None = None) -> dict | None:
    """The attempt's result once it is written, or None after ``timeout`` seconds.

    ``every_few_seconds`` is called now and then while waiting (the page uses it
    to make sure a worker is running).
    """
    target = attempts.get(layout, learner, assignment, attempt)
    deadline = time.monotonic() + timeout
    nudge = time.monotonic() + 3
    while True:
        result = target.result
        if result is not None:
            return result
        now = time.monotonic()
        if now >= deadline:
            return None
        if every_few_seconds is not None and now >= nudge:
            every_few_seconds()
            nudge = now + 3
        time.sleep(poll)
        poll = min(poll * 1.3, MAX_POLL)  # many pages may be waiting: ask less often
