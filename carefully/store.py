"""Learner data on disk: atomic writes and one writer at a time.

Everything a learner produces lives under ``var/`` (see :mod:`carefully.settings`).
Files are replaced atomically (written to a temporary file in the same folder,
flushed, then renamed over the old one), so a reader never sees half a file and
a server killed mid-write leaves the previous version intact. Read-modify-write
updates hold an exclusive lock on a companion ``.lock`` file, so many kernels
updating the same file at once all land.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk, where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (creating its folder if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    fsync_folder(path.parent)


def write_text_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` as indented JSON, atomically."""
    write_text_atomic(path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def read_json(path: Path, default: T) -> Any | T:
    """The JSON in ``path``, or ``default`` when the file does not exist yet."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock tied to ``path`` (its ``.lock`` companion) while inside."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def update_json(path: Path, change: Callable[[Any], Any], default: Callable[[], Any] = dict) -> Any:
    """Read ``path`` (or ``default()``), apply ``change``, write the result atomically.

    ``change`` may modify its argument in place and return None, or return a
    new value. The whole update holds the file's lock. Returns what was written.
    """
    with locked(path):
        data = read_json(path, None)
        if data is None:
            data = default()
        result = change(data)
        if result is not None:
            data = result
        write_json_atomic(path, data)
        return data


def append_line(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON record as a line to ``path`` under its lock (a journal)."""
    line = json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n"
    with locked(path), open(path, "a", encoding="utf-8") as stream:
        stream.write(line)
        stream.flush()
        os.fsync(stream.fileno())


def read_lines(path: Path) -> list[dict[str, Any]]:
    """The records of a journal written by :func:`append_line` (a torn last line is skipped)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    records = []
    for line in text.splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records
