"""The class server's door: a session access code for learners, a key for the instructor.

``carefully serve`` keeps one session in ``var/class/session.json``: an
instructor key (always; the instructor page needs it) and, for a live class
(``--class``), an access code the instructor reads out. A browser that gives
the code, or the key, gets a signed cookie naming its role; the server
refuses every other request (see :func:`decide`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

from carefully import settings, store

COOKIE = "carefully_class"
JOIN_PATH = "class/join"
INSTRUCTOR_PAGE = "instructor.ipynb"
LEARNER, INSTRUCTOR = "learner", "instructor"
# Words that are easy to read out to a room and hard to mishear.
_CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"


@dataclass(frozen=True)
class Session:
    """One run of the course server."""

    id: str
    secret: str
    instructor_key: str
    access_code: str = ""  # empty: self-paced, no code needed
    show_names: bool = False

    @property
    def is_class(self) -> bool:
        return bool(self.access_code)


def session_path(var_dir: Path | None = None) -> Path:
    return (var_dir or settings.var_dir()) / "class" / "session.json"


def new_code(length: int = 6) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def start_session(access_code: str | None, class_mode: bool,
                  var_dir: Path | None = None) -> Session:
    """Begin a server session (a new secret: cookies of an earlier run no longer open it)."""
    code = ""
    if class_mode:
        code = (access_code or new_code()).strip().upper()
    session = Session(id=secrets.token_hex(8), secret=secrets.token_hex(32),
                      instructor_key=secrets.token_urlsafe(18), access_code=code)
    store.write_json_atomic(session_path(var_dir), asdict(session))
    return session


def current_session(var_dir: Path | None = None) -> Session | None:
    data = store.read_json(session_path(var_dir), None)
    return Session(**data) if isinstance(data, dict) else None


def _sign(session: Session, role: str) -> str:
    return hmac.new(session.secret.encode(), f"{session.id}:{role}".encode(),
                    hashlib.sha256).hexdigest()


def cookie_value(session: Session, role: str) -> str:
    return f"{role}:{_sign(session, role)}"


def role_of(session: Session, cookie: str | None) -> str | None:
    """The role a cookie proves in this session, or None."""
    if not cookie or ":" not in cookie:
        return None
    role, signature = cookie.split(":", 1)
    if role not in (LEARNER, INSTRUCTOR):
        return None
    return role if hmac.compare_digest(_sign(session, role), signature) else None


def check_code(session: Session, typed: str) -> str | None:
    """The role the typed code opens: the access code (any case, spaces ignored) or the key."""
    cleaned = "".join(typed.split())
    if session.instructor_key and hmac.compare_digest(cleaned, session.instructor_key):
        return INSTRUCTOR
    if session.access_code and hmac.compare_digest(cleaned.upper(), session.access_code):
        return LEARNER
    return None


@dataclass(frozen=True)
class Decision:
    """What the server does with a request: let it through, send it to the door, or refuse it."""

    action: str  # allow, join or refuse
    location: str = ""


def decide(session: Session, path: str, method: str, cookie: str | None, remote_ip: str,
           base_url: str = "/") -> Decision:
    """The door's rule for one request."""
    relative = path[len(base_url):] if path.startswith(base_url) else path.lstrip("/")
    role = role_of(session, cookie)
    if relative.startswith((JOIN_PATH, "voila/templates/carefully/static/")):
        return Decision("allow")
    if relative.startswith("voila/query/"):
        # A preheated page's kernel asks the server for its learner's request.
        return Decision("allow" if remote_ip in ("127.0.0.1", "::1") else "refuse")
    is_instructor_page = relative.split("?")[0].endswith(INSTRUCTOR_PAGE)
    if role == INSTRUCTOR:
        return Decision("allow")
    if is_instructor_page:
        return Decision("refuse")
    if role == LEARNER or not session.is_class:
        return Decision("allow")
    if method == "GET" and (relative == "" or relative.startswith("voila/render/")):
        return Decision("join", f"{base_url}{JOIN_PATH}?next={quote(path, safe='')}")
    return Decision("refuse")
