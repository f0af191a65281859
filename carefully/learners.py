"""Who the learner on a page is: opaque learner ids and their folders under ``var/``.

Each Voila page runs in its own kernel, so the learner travels from page to
page in the link: ``02_facebook.ipynb?learner=<id>``. An id is opaque (random
hex, no personal data) and is checked against a strict pattern before it is
used in a path, so nothing in a URL can reach another folder.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from carefully import settings, store

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

    Under JupyterHub, the hub user; else the id in the page's link (Voila
    passes the query string to the kernel as ``QUERY_STRING``); else a guest
    id for this page only.
    """
    _wait_for_the_request()
    return (hub_learner_id() or id_from_query(os.environ.get("QUERY_STRING", ""))
            or _guest_id())


@functools.cache
def _wait_for_the_request() -> None:
    """A preheated page runs before anyone asks for it: wait for the learner's request.

    (Voila then puts the request's query string in the environment.)
    """
    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import wait_for_request

        wait_for_request()


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


# --- sign-in and profiles ----------------------------------------------------

PROFESSIONS = ("MD", "DO", "other")
MAX_NAME = 120
MAX_EMAIL = 254
MAX_LICENSE = 40
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LICENSE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .\-/]*")


@dataclass(frozen=True)
class Profile:
    """A signed-in learner: what the certificate and the completion records need."""

    id: str
    name: str
    email: str
    profession: str  # MD, DO or other
    license_id: str = ""
    birth_month: int | None = None
    birth_day: int | None = None
    signed_in: str = ""

    @property
    def is_physician(self) -> bool:
        return self.profession in ("MD", "DO")


@dataclass(frozen=True)
class SignIn:
    """What the learner typed into the sign-in form, before it is checked."""

    name: str
    email: str
    profession: str
    license_id: str = ""
    birth_month: int | None = None
    birth_day: int | None = None


def problems(form: SignIn) -> dict[str, str]:
    """Field name -> what is wrong, in the words the form shows; empty when all is well.

    The words come from the course content (assets/forms.yaml, ``sign_in.errors``).
    """
    from carefully.kinds import forms

    words = forms.sign_in().errors
    found: dict[str, str] = {}
    name = " ".join(form.name.split())
    if not name:
        found["name"] = words["name_missing"]
    elif len(name) > MAX_NAME:
        found["name"] = words["name_too_long"]
    email = form.email.strip()
    if not _EMAIL.fullmatch(email) or len(email) > MAX_EMAIL:
        found["email"] = words["email"]
    if form.profession not in PROFESSIONS:
        found["profession"] = words["profession"]
    license_id = form.license_id.strip()
    if license_id and (len(license_id) > MAX_LICENSE or not _LICENSE.fullmatch(license_id)):
        found["license_id"] = words["license"]
    if (form.birth_month is None) != (form.birth_day is None):
        found["birth"] = words["birth_both"]
    elif form.birth_month is not None:
        try:
            date(2000, form.birth_month, form.birth_day)  # a leap year: 29 February is allowed
        except (TypeError, ValueError):
            found["birth"] = words["birth_invalid"]
    return found


def _email_key(email: str) -> str:
    return hashlib.sha256(email.strip().casefold().encode("utf-8")).hexdigest()


def _index_path(var_dir: Path | None) -> Path:
    return (var_dir or settings.var_dir()) / "learners" / "index.json"


def _profile_path(learner_id: str, var_dir: Path | None) -> Path:
    return folder(learner_id, var_dir) / "profile.json"


def sign_in(form: SignIn, var_dir: Path | None = None, learner_id: str | None = None) -> Profile:
    """Sign a learner in: a returning email gets its own id back; a new one gets a new id.

    ``learner_id`` (a hub user's id) is used for a new learner instead of a random one.
    Raises ValueError with the problems if the form is not valid.
    """
    found = problems(form)
    if found:
        raise ValueError(found)
    key = _email_key(form.email)
    chosen: dict[str, str] = {}

    def claim(index: dict) -> None:
        chosen["id"] = index.setdefault(key, learner_id or new_id())

    store.update_json(_index_path(var_dir), claim)
    ident = chosen["id"]
    from carefully import class_store

    existing = profile(ident, var_dir)
    if existing is not None:
        class_store.publish("joined", ident, var_dir, name=existing.name)
        return existing
    created = Profile(
        id=ident, name=" ".join(form.name.split()), email=form.email.strip(),
        profession=form.profession, license_id=form.license_id.strip(),
        birth_month=form.birth_month, birth_day=form.birth_day,
        signed_in=datetime.now(UTC).isoformat(timespec="microseconds"),
    )
    store.write_json_atomic(_profile_path(ident, var_dir), asdict(created))
    class_store.publish("joined", ident, var_dir, name=created.name)
    return created


def profile(learner_id: str, var_dir: Path | None = None) -> Profile | None:
    """The learner's profile, or None for a guest or an id nobody signed in with."""
    if not is_valid_id(learner_id) or is_guest(learner_id):
        return None
    data = store.read_json(_profile_path(learner_id, var_dir), None)
    return Profile(**data) if isinstance(data, dict) else None


def all_profiles(var_dir: Path | None = None) -> list[Profile]:
    """Every signed-in learner, in sign-in order."""
    root = (var_dir or settings.var_dir()) / "learners"
    found = []
    for path in sorted(root.glob("*/profile.json")) if root.is_dir() else ():
        if is_valid_id(path.parent.name) and (item := profile(path.parent.name, var_dir)):
            found.append(item)
    return sorted(found, key=lambda item: item.signed_in)


def hub_learner_id() -> str | None:
    """Under JupyterHub, the hub user is the learner: an id derived from the hub user name."""
    user = os.environ.get("JUPYTERHUB_USER")
    if not user:
        return None
    return hashlib.sha256(f"jupyterhub:{user}".encode()).hexdigest()[:24]
