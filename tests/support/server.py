"""Start and stop the real course server (``carefully serve``) for tests and the bench."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class CourseServer:
    """A running ``carefully serve`` process on 127.0.0.1."""

    process: subprocess.Popen
    port: int
    log_path: Path
    extra_args: list[str] = field(default_factory=list)
    var_dir: Path | None = None
    scheme: str = "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/"

    def page_url(self, notebook: str, query: str = "") -> str:
        return f"{self.url}voila/render/{notebook}" + (f"?{query}" if query else "")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def process_info(self) -> psutil.Process | None:
        """The server process itself (None once it has gone)."""
        try:
            return psutil.Process(self.process.pid)
        except psutil.NoSuchProcess:
            return None

    def kernel_processes(self) -> list[psutil.Process]:
        """The kernels this server runs (one per open page, plus any pool)."""
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        kernels = []
        for child in children:
            try:
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    kernels.append(child)
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
        return kernels

    def stop(self) -> None:
        if self.var_dir is not None:  # the grading worker its pages started leaves with it
            from carefully.grading import worker
            from carefully.grading.paths import Layout

            worker.stop(Layout(self.var_dir))
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_server(
    *,
    var_dir: Path,
    notebooks: Path | None = None,
    assets: Path | None = None,
    args: list[str] | None = None,
    log_dir: Path | None = None,
    timeout: float = 60,
) -> CourseServer:
    """Start ``python -m carefully serve`` on a free port and wait until it answers."""
    port = free_port()
    env = dict(os.environ, CAREFULLY_VAR=str(var_dir), PYTHONUNBUFFERED="1")
    if notebooks is not None:
        env["CAREFULLY_NOTEBOOKS"] = str(notebooks)
    if assets is not None:
        env["CAREFULLY_ASSETS"] = str(assets)
    log_path = (log_dir or var_dir) / f"server-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "carefully", "serve", "--port", str(port), *(args or [])]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    tls = "--certfile" in (args or [])
    server = CourseServer(process, port, log_path, list(args or []), var_dir,
                          "https" if tls else "http")
    # A test's self-signed certificate is not one the system trusts.
    context = ssl._create_unverified_context() if tls else None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the course server exited early:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url + "voila/static/voila.js", timeout=2,
                                        context=context):
                return server
        except urllib.error.HTTPError:
            return server  # it answered: a class server refuses strangers
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"the course server did not answer in {timeout} s:\n{server.log()}")
