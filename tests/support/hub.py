"""Start and stop a real JupyterHub on 127.0.0.1 running the course's deploy/ configuration.

The hub reads ``deploy/jupyterhub_config.py`` and then a few test settings:
free ports on 127.0.0.1, configurable-http-proxy from npm (``.venv/node``),
users who are not system users (``SimpleLocalProcessSpawner``, each with a
home folder under the test's temporary folder), one shared password, a
temporary nbgrader exchange, and an API token for the test itself.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
from support.server import ROOT, free_port

from carefully.settings import with_our_scripts_first

DEPLOY_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PROXY_VERSION = "5.2.0"
PROXY_INSTALL = (f"npm install --prefix .venv/node --no-audit --no-fund "
                 f"configurable-http-proxy@{PROXY_VERSION}")

_TEST_CONFIG = """\
c = get_config()  # noqa: F821
load_subconfig({deploy!r})  # noqa: F821

c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {state!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {state!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {state!r} + "/cookie_secret"
c.JupyterHub.pid_file = {state!r} + "/hub.pid"

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.ip = "127.0.0.1"
c.Spawner.args = {server_args!r}  # a test machine may run everything as root

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.Authenticator.allowed_users = set({users!r})

c.JupyterHub.services = [{{"name": "course-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "course-test",
    "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"],
    "services": ["course-test"],
}}]
"""


def proxy_command() -> str:
    """configurable-http-proxy, as ``make test`` installs it (or from PATH)."""
    local = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return str(local)
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    raise FileNotFoundError(
        f"configurable-http-proxy is missing: run `make test` (it installs it) or `{PROXY_INSTALL}`")


@dataclass
class Hub:
    """A running JupyterHub: its address, its users' home folders, and an admin token."""

    process: subprocess.Popen
    url: str  # ends with "/"
    homes: Path
    exchange: Path
    password: str
    token: str
    log_path: Path
    sessions: dict[str, requests.Session] = field(default_factory=dict)  # logged-in users

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to the hub's REST API as the test's service (an admin)."""
        return requests.request(method, f"{self.url}hub/api/{path}", timeout=30,
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def home(self, user: str) -> Path:
        return self.homes / user

    def log_in(self, user: str) -> requests.Session:
        """A browser-like session that logged in through the hub's login form.

        Logging in starts the user's server (the hub sends a new user to spawn it).
        """
        session = requests.Session()
        form = session.get(f"{self.url}hub/login", timeout=30)
        form.raise_for_status()
        reply = session.post(
            f"{self.url}hub/login",
            data={"username": user, "password": self.password,
                  "_xsrf": session.cookies.get("_xsrf", path="/hub/")},
            timeout=60,
        )
        reply.raise_for_status()
        if "jupyterhub-session-id" not in session.cookies and not any(
                cookie.name.startswith("jupyterhub-hub-login") for cookie in session.cookies):
            raise AssertionError(f"{user} could not log in:\n{reply.text[:2000]}")
        return session

    def wait_until_ready(self, users: list[str], timeout: float = 120) -> None:
        """Wait until every user's server answers (started by logging in)."""
        deadline = time.monotonic() + timeout
        waiting = set(users)
        while waiting and time.monotonic() < deadline:
            for user in sorted(waiting):
                model = self.api("GET", f"users/{user}").json()
                server = (model.get("servers") or {}).get("")
                if server and server.get("ready"):
                    waiting.discard(user)
                elif not model.get("pending") and not server:
                    raise RuntimeError(f"{user}'s server is not starting:\n{self.log()}")
            if waiting:
                time.sleep(0.5)
        if waiting:
            raise RuntimeError(f"servers not ready in {timeout} s: {sorted(waiting)}\n{self.log()}")

    def user_token(self, user: str) -> str:
        """An API token of ``user`` (what their browser session may do, for API calls)."""
        reply = self.api("POST", f"users/{user}/tokens", json={"note": "course test"})
        reply.raise_for_status()
        return reply.json()["token"]

    def user_api(self, user: str, token: str, method: str, path: str,
                 **kwargs) -> requests.Response:
        """A request to ``user``'s own server, through the hub's proxy, with their token."""
        return requests.request(method, f"{self.url}user/{user}/{path}", timeout=120,
                                headers={"Authorization": f"token {token}"}, **kwargs)

    def stop(self) -> None:
        """Stop the hub: it stops every user's server and its proxy; then end any left behind."""
        try:
            started = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            started = []
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for process in started:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(started, timeout=10)


def start_hub(tmp: Path, *, learners: list[str], instructors: list[str],
              timeout: float = 60) -> Hub:
    """Start JupyterHub with deploy/'s configuration on free ports; wait until it answers."""
    state, homes, exchange = tmp / "hub", tmp / "homes", tmp / "exchange"
    for folder in (state, homes, exchange):
        folder.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)  # nbgrader's exchange: writable by everyone, as on a real hub
    port = free_port()
    password, token = secrets.token_urlsafe(12), secrets.token_hex(32)
    config = state / "jupyterhub_config.py"
    config.write_text(_TEST_CONFIG.format(
        deploy=str(DEPLOY_CONFIG), port=port, hub_port=free_port(), proxy_api_port=free_port(),
        proxy=proxy_command(), state=str(state), homes=str(homes), password=password,
        users=sorted({*learners, *instructors}), token=token,
        server_args=["--ServerApp.allow_root=True"] if os.geteuid() == 0 else [],
    ))
    env = with_our_scripts_first({
        **{key: value for key, value in os.environ.items() if not key.startswith("CAREFULLY_")},
        "CAREFULLY_INSTRUCTORS": ",".join(instructors),
        "CAREFULLY_EXCHANGE": str(exchange),
        "PYTHONUNBUFFERED": "1",
    })
    log_path = state / "hub.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                   cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT)
    hub = Hub(process, f"http://127.0.0.1:{port}/", homes, exchange, password, token, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited early:\n{hub.log()}")
        try:
            reply = requests.get(f"{hub.url}hub/api/", timeout=2)
            if reply.ok and "version" in json.loads(reply.text):
                return hub
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.3)
    hub.stop()
    raise RuntimeError(f"JupyterHub did not answer in {timeout} s:\n{hub.log()}")
