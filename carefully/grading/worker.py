"""The grading worker: one long-lived process per learner-data folder.

The first page that needs grading starts it (:func:`ensure_running`); it holds
``var/grading/worker.lock`` (``fcntl.flock``) for as long as it lives, so there
is never more than one per folder, and it pays nbgrader's start-up once. It
grades the spool's jobs one after another, oldest first, and leaves after
``CAREFULLY_GRADING_IDLE_SECONDS`` (default 1800) without work; the next page
that needs it starts it again.

Run by hand: ``python -m carefully.grading.worker [VAR_FOLDER]``.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .. import settings
from . import files, spool
from .locks import LockTimeout, is_locked, lock_for, try_lock
from .paths import Layout

IDLE_SECONDS = 1800.0
POLL_SECONDS = 0.03
START_SECONDS = 20.0

log = logging.getLogger("carefully.grading")


def _env_float(name: str, default: float | None) -> float | None:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        return default


def is_running(layout: Layout) -> bool:
    """Whether a worker serves this learner-data folder now."""
    return is_locked(layout.worker_lock)


def ensure_running(layout: Layout, wait: float = START_SECONDS) -> bool:
    """Start the worker unless one is running; True once one is running."""
    if is_running(layout):
        return True
    starter = lock_for(layout.worker_spawn_lock)
    try:
        starter.acquire(timeout=wait)
    except LockTimeout:
        return is_running(layout)
    try:
        if is_running(layout):
            return True
        process = _spawn(layout)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if is_running(layout):
                return True
            if process.poll() is not None:
                return is_running(layout)
            time.sleep(0.02)
        return is_running(layout)
    finally:
        starter.release()


def _spawn(layout: Layout) -> subprocess.Popen:
    layout.grading.mkdir(parents=True, exist_ok=True)
    env = settings.with_our_scripts_first({**os.environ, "CAREFULLY_VAR": str(layout.var)})
    with open(layout.worker_log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "carefully.grading.worker", str(layout.var)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            cwd=layout.grading, env=env, start_new_session=True, close_fds=True)


def worker_pid(layout: Layout) -> int | None:
    info = files.read_json(layout.worker_info)
    try:
        return int(info["pid"])
    except (TypeError, KeyError, ValueError):
        return None


def stop(layout: Layout, wait: float = 20.0) -> bool:
    """Ask this folder's worker to finish its current job and leave; True once it is gone."""
    if not is_running(layout):
        return True
    pid = worker_pid(layout)
    if pid is not None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not is_running(layout):
            return True
        time.sleep(0.05)
    return False


def serve(layout: Layout, idle_seconds: float = IDLE_SECONDS,
          timeout: float | None = None) -> int:
    """Be the worker for ``layout`` until idle for ``idle_seconds`` or told to stop."""
    fd = try_lock(layout.worker_lock)
    if fd is None:
        return 0  # another worker serves this folder
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    files.write_json(layout.worker_info, {"pid": os.getpid(), "started": time.time()})
    try:
        put_back = spool.requeue_claimed(layout)
        if put_back:
            log.warning("put back %d job(s) a stopped worker had claimed", put_back)
        from .grader import Grader  # imports nbgrader: once, here

        grader = Grader(layout, timeout=timeout)
        log.info("grading worker %d ready for %s", os.getpid(), layout.var)
        try:
            idle_since = time.monotonic()
            while not stopping and _still_ours(layout, fd):
                job = spool.claim(layout)
                if job is None:
                    if time.monotonic() - idle_since > idle_seconds:
                        break
                    time.sleep(POLL_SECONDS)
                    continue
                try:
                    grader.grade(job.learner, job.assignment, job.attempt)
                except Exception:
                    log.exception("job %s failed", job.name)
                finally:
                    spool.done(job)
                idle_since = time.monotonic()
        finally:
            grader.close()
    finally:
        layout.worker_info.unlink(missing_ok=True)
        os.close(fd)
    return 0


def _still_ours(layout: Layout, fd: int) -> bool:
    """Whether the lock file this worker holds is still the folder's (it was not removed)."""
    try:
        return os.stat(layout.worker_lock).st_ino == os.fstat(fd).st_ino
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The course's grading worker.")
    parser.add_argument("var", nargs="?", type=Path, help="the learner-data folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="[carefully grading %(asctime)s %(levelname)s] %(message)s")
    layout = Layout(args.var) if args.var else Layout.default()
    return serve(layout, idle_seconds=_env_float("CAREFULLY_GRADING_IDLE_SECONDS", IDLE_SECONDS),
                 timeout=_env_float("CAREFULLY_GRADING_TIMEOUT", None))


if __name__ == "__main__":
    sys.exit(main())

