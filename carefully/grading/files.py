"""Write learner data so that a reader never sees half of it.

A file is written beside its destination under a hidden temporary name,
flushed to disk, then renamed over the destination. A folder is filled in the
staging folder, then renamed into place; a folder it replaces is first moved
aside, so the destination is either the old folder or the new one, complete.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from carefully import store

# Files are written by the course's one atomic writer (carefully.store).
write_bytes = store.write_bytes_atomic
write_text = store.write_text_atomic
write_json = store.write_json_atomic
_fsync_dir = store.fsync_folder


def read_json(path: Path) -> Any | None:
    """The JSON in ``path``, or None if it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@contextmanager
def staged_folder(staging: Path) -> Iterator[Path]:
    """A new empty folder in ``staging``; removed afterwards unless it was moved away."""
    staging.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="stage-", dir=staging))
    try:
        yield folder
    finally:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)


def fill(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (name to content) into ``folder`` and flush them to disk."""
    for name, data in files.items():
        with open(folder / name, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    _fsync_dir(folder)


def publish_new(staged: Path, dest: Path) -> None:
    """Rename the filled folder ``staged`` to ``dest``, which must not exist yet.

    Raises FileExistsError if ``dest`` exists (someone else took that name first).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        raise FileExistsError(dest)
    try:
        os.rename(staged, dest)
    except OSError as error:  # a folder that appeared in between: not empty
        raise FileExistsError(dest) from error
    _fsync_dir(dest.parent)


def publish_replacing(staged: Path, dest: Path, staging: Path) -> None:
    """Rename the filled folder ``staged`` to ``dest``, replacing what is there."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    aside = staging / f"old-{uuid.uuid4().hex}"
    moved = False
    try:
        os.rename(dest, aside)
        moved = True
    except FileNotFoundError:
        pass
    try:
        os.rename(staged, dest)
    except BaseException:
        if moved:
            os.rename(aside, dest)
        raise
    _fsync_dir(dest.parent)
    if moved:
        shutil.rmtree(aside, ignore_errors=True)


def copy_folder_replacing(source: Path, dest: Path, staging: Path) -> None:
    """Make ``dest`` an exact copy of the files in ``source`` (one level), atomically."""
    files = {p.name: p.read_bytes() for p in sorted(source.iterdir()) if p.is_file()}
    with staged_folder(staging) as staged:
        fill(staged, files)
        publish_replacing(staged, dest, staging)
