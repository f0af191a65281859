"""Learner data on disk: atomic replacement, locked updates, many writers at once."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from carefully import store


def _bump_many(path: str, times: int) -> None:
    def change(data: dict) -> None:
        data["count"] = data.get("count", 0) + 1

    for _ in range(times):
        store.update_json(Path(path), change)


def test_many_processes_updating_one_file_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "learners" / "progress.json"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_bump_many, args=(str(path), 25)) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert json.loads(path.read_text())["count"] == 200


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    store.write_json_atomic(path, {"score": 80})
    try:
        store.write_json_atomic(path, {"bad": object()})  # not JSON: fails before replacing
    except TypeError:
        pass
    assert json.loads(path.read_text()) == {"score": 80}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_journal_keeps_every_record_and_skips_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    for number in range(3):
        store.append_line(path, {"n": number})
    with open(path, "a", encoding="utf-8") as stream:
        stream.write('{"n": 3')  # a writer killed mid-line
    assert [record["n"] for record in store.read_lines(path)] == [0, 1, 2]


def test_reading_a_missing_file_gives_the_default(tmp_path: Path) -> None:
    assert store.read_json(tmp_path / "none.json", {"modules": {}}) == {"modules": {}}
