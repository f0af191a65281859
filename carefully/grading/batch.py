"""``carefully grade``: grade everything submitted and not yet graded; list tampering.

Submissions reach ``var/nbgrader/submitted/`` from the quiz pages (each one is
already kept as an attempt) or the classic nbgrader way (JupyterLab and
``nbgrader collect``): those are first kept as a new attempt. Every attempt
without a result is then graded, by ``--jobs`` processes at once; each imports
nbgrader once, and they share the gradebook through its lock.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from . import attempts
from .locks import lock_for
from .paths import BadName, Layout, checked_name


@dataclass(frozen=True)
class Task:
    learner: str
    assignment: str
    attempt: int


def _quizzes(course_root: Path) -> set[str]:
    release = course_root / "release"
    return {p.name for p in release.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))} \
        if release.is_dir() else set()


def _submissions(layout: Layout, quizzes: set[str]) -> Iterator[tuple[str, str, Path]]:
    root = layout.nbgrader / "submitted"
    if not root.is_dir():
        return
    for learner_dir in sorted(root.iterdir()):
        for quiz_dir in sorted(learner_dir.iterdir()) if learner_dir.is_dir() else ():
            if not quiz_dir.is_dir() or quiz_dir.name not in quizzes:
                continue
            try:
                yield checked_name(learner_dir.name), checked_name(quiz_dir.name), quiz_dir
            except BadName:
                continue


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and (p.suffix == ".ipynb" or p.name == attempts.TIMESTAMP)}


def collect(layout: Layout, course_root: Path = settings.ROOT) -> list[Task]:
    """Keep each submission not kept yet as an attempt; every attempt not graded yet."""
    quizzes = _quizzes(course_root)
    for learner, assignment, folder in _submissions(layout, quizzes):
        with lock_for(layout.learner_lock(learner)):
            try:
                submission = _files(folder)
            except OSError:
                continue
            if not any(name.endswith(".ipynb") for name in submission):
                continue
            kept = attempts.every(layout, learner, assignment)
            if not any(a.submission_files() == submission for a in kept):
                attempts.record(layout, learner, assignment, submission)
    tasks = []
    root = layout.var / "quiz_attempts"
    for learner_dir in sorted(root.iterdir()) if root.is_dir() else ():
        for quiz_dir in sorted(learner_dir.iterdir()) if learner_dir.is_dir() else ():
            if quiz_dir.name not in quizzes:
                continue
            for attempt in attempts.every(layout, learner_dir.name, quiz_dir.name):
                if not attempts.graded(attempt) and attempt.notebook is not None:
                    tasks.append(Task(attempt.learner, attempt.assignment, attempt.number))
    return tasks


# --- grading many ------------------------------------------------------------


def _grade_serially(layout: Layout, tasks: Iterable[Task], timeout: float | None,
                    course_root: Path, out) -> None:
    from .grader import Grader

    grader = Grader(layout, course_root=course_root, timeout=timeout)
    try:
        for task in tasks:
            out(task, grader.grade(task.learner, task.assignment, task.attempt))
    finally:
        grader.close()


def _child(var: str, course_root: str, timeout: float | None, todo, done) -> None:
    layout = Layout(Path(var))

    def tasks() -> Iterator[Task]:
        while True:
            try:
                task = todo.get_nowait()
            except queue.Empty:
                return
            yield task

    def out(task: Task, result: dict) -> None:
        done.put((task, result))

    try:
        _grade_serially(layout, tasks(), timeout, Path(course_root), out)
    finally:
        done.put(None)


def grade(layout: Layout, tasks: list[Task], jobs: int = 1, timeout: float | None = None,
          course_root: Path = settings.ROOT, report=None) -> list[tuple[Task, dict]]:
    """Grade ``tasks`` with ``jobs`` processes; returns (task, result) in finishing order."""
    results: list[tuple[Task, dict]] = []

    def out(task: Task, result: dict) -> None:
        results.append((task, result))
        if report is not None:
            report(task, result)

    if not tasks:
        return results
    jobs = max(1, min(jobs, len(tasks)))
    if jobs == 1:
        _grade_serially(layout, tasks, timeout, course_root, out)
        return results
    from . import grader  # noqa: F401  (import nbgrader once, before the processes fork)

    context = multiprocessing.get_context("fork")
    todo, done = context.Queue(), context.Queue()
    for task in tasks:
        todo.put(task)
    children = [context.Process(target=_child, args=(str(layout.var), str(course_root),
                                                     timeout, todo, done))
                for _ in range(jobs)]
    for child in children:
        child.start()
    running = len(children)
    while running:
        try:
            item = done.get(timeout=1)
        except queue.Empty:
            if not any(child.is_alive() for child in children):
                break  # a process died without saying so: its tasks stay ungraded
            continue
        if item is None:
            running -= 1
        else:
            out(*item)
    for child in children:
        child.join()
    return results


# --- the command -------------------------------------------------------------


def _line(task: Task, result: dict) -> str:
    head = f"{task.learner} {task.assignment} attempt {task.attempt}: "
    if result.get("status") != "graded":
        return head + "could not be graded (see the log)"
    text = f"{result['score']:g} of {result['max_score']:g} ({result['percent']:g}%)"
    if result.get("tampered"):
        text += ", TAMPERED: not credited"
    elif result.get("timed_out"):
        text += f", ran too long: {', '.join(result['timed_out'])}"
    if result.get("reflection_pending"):
        text += ", reflection to grade"
    return head + text


def tampered(layout: Layout) -> list[dict]:
    """Every attempt found tampered with, oldest learner folder first."""
    found = []
    root = layout.var / "quiz_attempts"
    for learner_dir in sorted(root.iterdir()) if root.is_dir() else ():
        for quiz_dir in sorted(learner_dir.iterdir()) if learner_dir.is_dir() else ():
            for attempt in attempts.every(layout, learner_dir.name, quiz_dir.name):
                result = attempt.result
                if result and result.get("tampered"):
                    found.append(result)
    return found


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                        metavar="N", help="grade N submissions at once (default: up to 4)")
    parser.add_argument("--tampered", action="store_true",
                        help="only list the submissions found tampered with")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="stop an answer cell after this long (default: nbgrader_config.py)")
    parser.add_argument("--var", type=Path, metavar="PATH",
                        help="the learner-data folder (default: var/, or CAREFULLY_VAR)")


def run(args: argparse.Namespace) -> int:
    """``carefully grade``."""
    layout = Layout(args.var) if args.var else Layout.default()
    if args.tampered:
        found = tampered(layout)
        for result in found:
            print(f"{result.get('learner')} {result.get('assignment')} attempt "
                  f"{result.get('attempt')} (submitted {result.get('submitted_at')}): "
                  + "; ".join(result.get("problems") or ()))
        print(f"{len(found)} tampered submission{'' if len(found) == 1 else 's'}.")
        return 0
    tasks = collect(layout)
    if not tasks:
        print("Nothing to grade: every submission is graded.")
        return 0
    print(f"Grading {len(tasks)} submission{'' if len(tasks) == 1 else 's'} "
          f"with {max(1, min(args.jobs, len(tasks)))} job(s)...", flush=True)
    results = grade(layout, tasks, jobs=args.jobs, timeout=args.timeout,
                    report=lambda task, result: print(_line(task, result), flush=True))
    failed = sum(1 for _, result in results if result.get("status") != "graded")
    flagged = sum(1 for _, result in results if result.get("tampered"))
    print(f"Graded {len(results) - failed} of {len(tasks)}; {flagged} tampered "
          f"(`carefully grade --tampered` lists them).")
    return 1 if failed else 0
