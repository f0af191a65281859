"""The Voila application the course runs (see :mod:`carefully.webapp` for why)."""

from __future__ import annotations

import inspect

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from voila.app import Voila
from voila.voila_identity_provider import VoilaIdentityProvider

START_PAGE = "00_start.ipynb"


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


class CourseVoila(Voila):
    """Voila serving the course's lesson pages."""

    name = "carefully"

    def init_handlers(self) -> list:
        target = url_path_join(self.server_url, "voila/render", START_PAGE)
        redirects = [
            (pattern, _StartPageRedirect, {"target": target})
            for pattern in (self.server_url, url_path_join(self.server_url, r"voila/tree.*"))
        ]
        return redirects + super().init_handlers()
