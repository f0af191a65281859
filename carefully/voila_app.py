"""The Voila application the course runs (see :mod:`carefully.webapp` for why)."""

from __future__ import annotations

import inspect
import ssl
import time
from collections import defaultdict, deque
from html import escape
from typing import ClassVar
from urllib.parse import unquote

import tornado.ioloop
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from voila.app import Voila
from voila.voila_identity_provider import VoilaIdentityProvider

from carefully import classroom

START_PAGE = "00_start.ipynb"


class Door:
    """What the running server knows about its session and how it listens (set by webapp)."""

    session: classroom.Session | None = None
    certfile: str = ""
    keyfile: str = ""
    start_pool: int = 0  # preheated kernels for the start page
    page_pool: int = 0  # for every other page


NO_EXTENSIONS = (
    # The course writes dollar amounts, never mathematics: MathJax would read
    # "$141 to $71,162" as a formula.
    "@jupyterlab/mathjax-extension",
    "@jupyterlab/mathjax2-extension",
    # Notebook and nbgrader extensions belong to JupyterLab, not to course pages
    # (in a page they only fail, in the browser's console).
    "@jupyter-notebook/",
    "@jupyter/nbgrader",
    "nbgrader",
)


def course_page_config(page_config: dict, **_kwargs) -> dict:
    """Voila's page settings for a course page: without the extensions above."""
    disabled = list(page_config.get("disabledExtensions") or [])
    page_config["disabledExtensions"] = disabled + [name for name in NO_EXTENSIONS
                                                    if name not in disabled]
    page_config["federated_extensions"] = [
        extension for extension in page_config.get("federated_extensions", [])
        if not any(extension.get("name", "").startswith(name) for name in NO_EXTENSIONS)
    ]
    return page_config


class CourseIdentityProvider(VoilaIdentityProvider):
    """Voila's identity provider, plus the ``_xsrf`` cookie on every page.

    The page's close-time request to shut its kernel down must carry the
    ``_xsrf`` value from this cookie; reading ``handler.xsrf_token`` is how
    Tornado sets it.
    """

    async def get_user(self, handler: web.RequestHandler):
        user = super().get_user(handler)
        if inspect.isawaitable(user):
            user = await user
        if handler.request.method == "GET" and isinstance(handler, JupyterHandler):
            handler.current_user = user  # Tornado reads it while making the cookie
            handler.xsrf_token  # noqa: B018 (reading the property sets the cookie)
        return user


class _StartPageRedirect(web.RequestHandler):
    """Send ``/`` and the file listing to the course's start page."""

    def initialize(self, target: str) -> None:
        self.target = target

    def get(self, *args) -> None:
        query = self.request.query
        self.redirect(self.target + (f"?{query}" if query else ""))


class _Refused(web.RequestHandler):
    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("This page is not open to you. Ask your instructor for the session code.")


class _ToTheDoor(web.RequestHandler):
    def initialize(self, location: str) -> None:
        self.location = location

    def prepare(self) -> None:
        self.redirect(self.location)


_JOIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Join the session: Make Friends With Social Media, Carefully</title>
<link rel="stylesheet" href="{css}"></head>
<body class="cf-join"><main class="cf-card cf-join-card">
<h1>Join the live session</h1>
<p>Type the session code your instructor gives you. You only need it once on this device.</p>
{error}
<form method="post" action="">{xsrf}
<input type="hidden" name="next" value="{next}">
<label for="cf-code">Session code</label>
<input id="cf-code" name="code" type="text" autocomplete="off" autocapitalize="characters"
 autofocus required aria-describedby="cf-code-help">
<p id="cf-code-help" class="cf-help">Letters and digits, for example K7M3RX.</p>
<button type="submit">Join</button>
</form></main></body></html>"""


class JoinHandler(web.RequestHandler):
    """The door: a form for the session code; a right code sets the class cookie."""

    _failures: ClassVar[dict[str, deque]] = defaultdict(deque)
    MAX_FAILURES, WINDOW = 10, 300.0

    def _page(self, error: str = "") -> None:
        base = self.settings.get("base_url", "/")
        css = f"{base}voila/templates/carefully/static/course.css"
        shown = (f'<p class="cf-notice" role="alert">{escape(error)}</p>' if error else "")
        self.finish(_JOIN_PAGE.format(css=escape(css), error=shown, xsrf=self.xsrf_form_html(),
                                      next=escape(self.get_argument("next", ""))))

    def _next(self, role: str) -> str:
        base = self.settings.get("base_url", "/")
        wanted = unquote(self.get_argument("next", ""))
        if role == classroom.INSTRUCTOR and not wanted:
            return f"{base}voila/render/{classroom.INSTRUCTOR_PAGE}"
        if wanted.startswith(base) and not wanted.startswith("//") and "\\" not in wanted:
            return wanted
        return f"{base}voila/render/{START_PAGE}"

    def _let_in(self, role: str) -> None:
        session = Door.session
        self.set_cookie(classroom.COOKIE, classroom.cookie_value(session, role), httponly=True,
                        samesite="Lax", secure=bool(Door.certfile),
                        path=self.settings.get("base_url", "/"))
        self.redirect(self._next(role))

    def get(self) -> None:
        key = self.get_argument("key", "")
        if key and Door.session and classroom.check_code(Door.session, key):
            return self._let_in(classroom.check_code(Door.session, key))
        self._page()

    def post(self) -> None:
        ip = self.request.remote_ip or "?"
        recent = self._failures[ip]
        while recent and time.monotonic() - recent[0] > self.WINDOW:
            recent.popleft()
        if len(recent) >= self.MAX_FAILURES:
            self.set_status(429)
            return self._page("Too many wrong codes. Wait a few minutes, then try again.")
        role = classroom.check_code(Door.session, self.get_argument("code", ""))
        if role is None:
            recent.append(time.monotonic())
            self.set_status(403)
            return self._page("That code is not right. Check it with your instructor.")
        self._let_in(role)


class GatedApplication(web.Application):
    """Tornado's application with the class door in front of every handler."""

    def find_handler(self, request, **kwargs):
        session = Door.session
        if session is None:
            return super().find_handler(request, **kwargs)
        morsel = request.cookies.get(classroom.COOKIE)
        decision = classroom.decide(session, request.path, request.method,
                                    morsel.value if morsel else None, request.remote_ip or "",
                                    self.settings.get("base_url", "/"))
        if decision.action == "allow":
            return super().find_handler(request, **kwargs)
        if decision.action == "join":
            return self.get_handler_delegate(request, _ToTheDoor, {"location": decision.location})
        return self.get_handler_delegate(request, _Refused)


class CourseVoila(Voila):
    """Voila serving the course's lesson pages."""

    name = "carefully"

    def init_handlers(self) -> list:
        target = url_path_join(self.server_url, "voila/render", START_PAGE)
        redirects = [
            (pattern, _StartPageRedirect, {"target": target})
            for pattern in (self.server_url, url_path_join(self.server_url, r"voila/tree.*"))
        ]
        join = [(url_path_join(self.server_url, classroom.JOIN_PATH), JoinHandler)]
        return join + redirects + super().init_handlers()

    def init_settings(self) -> dict:
        settings = super().init_settings()
        if Door.start_pool or Door.page_pool:
            self._keep_handed_over_kernels()
        return settings

    def _keep_handed_over_kernels(self) -> None:
        """A pooled kernel handed to a learner counts as active from that moment.

        It may have sat idle in the pool for longer than the cull timeout; without
        this the culler could take it before the learner's browser connects.
        """
        manager = self.kernel_manager
        handover = manager.get_rendered_notebook

        async def get_rendered_notebook(notebook_name, *args, **kwargs):
            result = await handover(notebook_name, *args, **kwargs)
            kernel = manager._kernels.get(result[2])
            if kernel is not None:
                from jupyter_server._tz import utcnow

                kernel.last_activity = utcnow()
            return result

        manager.get_rendered_notebook = get_rendered_notebook

    def listen(self) -> None:
        """Listen (with TLS when given a certificate) and run until stopped."""
        self.app.__class__ = GatedApplication
        ssl_options = None
        if Door.certfile:
            ssl_options = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ssl_options.load_cert_chain(Door.certfile, Door.keyfile or None)
        self.app.listen(self.port, self.ip, ssl_options=ssl_options)
        self.log.info("The course server is listening on %s:%s", self.ip, self.port)
        self.ioloop = tornado.ioloop.IOLoop.current()
        try:
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            self.stop()
