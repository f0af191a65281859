"""Learner ids in links: opaque, checked, and never a way into another folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from carefully import learners, progress


def test_a_new_id_is_opaque_and_valid() -> None:
    first, second = learners.new_id(), learners.new_id()
    assert first != second
    assert learners.is_valid_id(first)
    assert len(first) == 24


@pytest.mark.parametrize("query", [
    "learner=../../etc", "learner=%2e%2e%2fvar", "learner=ABCDEF0123456789abcdef01",
    "learner=", "other=1", "learner=0123456789abcdef0123456/",
])
def test_a_malformed_id_in_the_link_is_ignored(query: str) -> None:
    assert learners.id_from_query(query) is None


def test_a_valid_id_in_the_link_is_the_learner(monkeypatch: pytest.MonkeyPatch) -> None:
    ident = learners.new_id()
    monkeypatch.setenv("QUERY_STRING", f"x=1&learner={ident}")
    assert learners.current_learner_id() == ident
    assert learners.link("02_facebook.ipynb") == f"02_facebook.ipynb?learner={ident}"


def test_without_an_id_the_page_has_a_guest_whose_links_stay_plain(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUERY_STRING", raising=False)
    guest = learners.current_learner_id()
    assert learners.is_guest(guest) and learners.is_valid_id(guest)
    assert learners.link("02_facebook.ipynb") == "02_facebook.ipynb"


def test_folders_refuse_anything_but_an_id(tmp_path: Path) -> None:
    with pytest.raises(learners.UnknownLearner):
        learners.folder("../secrets", tmp_path)
    assert learners.folder("a" * 24, tmp_path) == tmp_path / "learners" / ("a" * 24)


def test_progress_is_kept_per_learner_and_module(tmp_path: Path) -> None:
    one, two = learners.new_id(), learners.new_id()
    progress.record(one, 2, "task", "friends-only-update", var_dir=tmp_path)
    progress.record(one, 3, "quiz", "03_twitter", value={"score": 90}, var_dir=tmp_path)
    assert set(progress.done(one, 2, "task", var_dir=tmp_path)) == {"friends-only-update"}
    assert progress.done(one, 3, "quiz", var_dir=tmp_path)["03_twitter"]["value"] == {"score": 90}
    assert progress.done(two, 2, "task", var_dir=tmp_path) == {}
    with pytest.raises(ValueError):
        progress.record(one, 2, "nonsense", "x", var_dir=tmp_path)
