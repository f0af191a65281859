"""Who the learner on a page is: opaque learner ids and their folders under ``var/``.

Each Voila page runs in its own kernel, so the learner travels from page to
page in the link: ``02_facebook.ipynb?learner=<id>``. An id is opaque (random
hex, no personal data) and is checked against a strict pattern before it is
used in a path, so nothing in a URL can reach another folder.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from carefully import settings

PARAMETER = "learner"
_ID = re.compile(r"(?:guest-)?[0-9a-f]{24}")


class UnknownLearner(ValueError):
    """An id that is not a well-formed learner id."""


def new_id() -> str:
    """A fresh opaque learner id."""
    return secrets.token_hex(12)


def is_valid_id(value: str) -> bool:
    """True if ``value`` has the shape of a learner id (and so is safe in a path)."""
    return bool(_ID.fullmatch(value or ""))


def id_from_query(query: str) -> str | None:
    """The learner id carried in a page's query string, if a valid one is there."""
    values = parse_qs(query.lstrip("?")).get(PARAMETER, [])
    return values[0] if values and is_valid_id(values[0]) else None


@functools.cache
def _guest_id() -> str:
    return "guest-" + new_id()


def current_learner_id() -> str:
    """The learner of this page's kernel.

    The id in the page's link (Voila passes the query string to the kernel as
    ``QUERY_STRING``), else a guest id for this page only.
    """
    return id_from_query(os.environ.get("QUERY_STRING", "")) or _guest_id()


def is_guest(learner_id: str) -> bool:
    """True for a page-only guest id (nothing the learner does is kept across pages)."""
    return learner_id.startswith("guest-")


def folder(learner_id: str, var_dir: Path | None = None) -> Path:
    """The learner's own folder under ``var/learners/``; refuses anything but a valid id."""
    if not is_valid_id(learner_id):
        raise UnknownLearner(learner_id)
    return (var_dir or settings.var_dir()) / "learners" / learner_id


def link(page: str, learner_id: str | None = None) -> str:
    """A link to another course page that keeps the learner (guests get a plain link)."""
    learner_id = learner_id or current_learner_id()
    if is_guest(learner_id):
        return page
    return f"{page}?{urlencode({PARAMETER: learner_id})}"
