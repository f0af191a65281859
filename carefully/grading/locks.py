"""Locks shared by every process using one learner-data folder (``fcntl.flock``).

A :class:`FileLock` is re-entrant inside one process and can be set aside for a
while (:meth:`FileLock.suspended`): the grader holds the gradebook lock while
nbgrader reads and writes the gradebook, and sets it aside while a kernel runs
a learner's notebook, so that other graders can use the gradebook meanwhile.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self


class LockTimeout(TimeoutError):
    """The lock was not free in time."""


class FileLock:
    """An exclusive lock on a file, shared between processes; re-entrant within one."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._depth = 0
        self._owner: int | None = None
        self._guard = threading.RLock()

    @property
    def held(self) -> bool:
        return self._depth > 0 and self._owner == threading.get_ident()

    def acquire(self, timeout: float | None = None) -> None:
        """Wait for the lock (for at most ``timeout`` seconds if given)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._guard.acquire(timeout=-1 if timeout is None else timeout):
            raise LockTimeout(self.path)
        try:
            if self._depth == 0:
                self._lock_file(deadline)
                self._owner = threading.get_ident()
            self._depth += 1
        except BaseException:
            self._guard.release()
            raise

    def release(self) -> None:
        if not self.held:
            raise RuntimeError(f"{self.path} is not held by this thread")
        self._depth -= 1
        if self._depth == 0:
            self._unlock_file()
            self._owner = None
        self._guard.release()

    def _lock_file(self, deadline: float | None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if deadline is None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            else:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            raise LockTimeout(self.path) from None
                        time.sleep(0.01)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def _unlock_file(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """Let other processes take the lock for a while, if this thread holds it."""
        if not self.held:
            yield
            return
        depth = self._depth
        self._depth = 0
        self._unlock_file()
        self._owner = None
        try:
            yield
        finally:
            self._lock_file(None)
            self._owner = threading.get_ident()
            self._depth = depth


def try_lock(path: Path) -> int | None:
    """Take the lock on ``path`` without waiting: the open descriptor, or None if taken.

    The lock lasts as long as the descriptor stays open (also across exec),
    which is how the grading worker marks itself alive.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def is_locked(path: Path) -> bool:
    """Whether some process holds the lock on ``path`` now."""
    fd = try_lock(path)
    if fd is None:
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    return False


_LOCKS: dict[Path, FileLock] = {}
_LOCKS_GUARD = threading.Lock()


def lock_for(path: Path) -> FileLock:
    """The one :class:`FileLock` of this process for ``path`` (so nesting never deadlocks)."""
    key = Path(path).resolve()
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = FileLock(key)
        return lock
