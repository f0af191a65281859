"""``carefully serve``: the course's web server, Voila configured for learners.

``carefully serve`` (and ``make app``) runs ``voila_app.CourseVoila`` over
``notebooks/``. Stock Voila needs three things changed for real use:

* Closing a page sends a shutdown request for its kernel that Voila refuses
  (it carries no ``_xsrf`` value, because Voila never sets that cookie), so
  every page view leaves a kernel behind. ``voila_app.CourseIdentityProvider`` sets
  the cookie on every page view, and culling removes kernels whose page was
  abandoned without closing (a laptop lid shut, a network lost).
* Learners must never see source code or tracebacks.
* Nothing a page needs may come from outside the machine: the course's page
  template (``assets/voila/templates/carefully``) drops the stock template's
  CDN links.

The address ``/`` leads to the start page rather than to a file listing
(``voila_app.CourseVoila``).
"""

from __future__ import annotations

import argparse
import os
import socket
from dataclasses import dataclass

from . import settings

TEMPLATE = "carefully"
ERROR_MESSAGE = (
    "This part of the page could not be shown. Please reload the page; if it happens "
    "again, tell your course coordinator."
)


@dataclass(frozen=True)
class ServerOptions:
    """How the course server runs; every field has a command-line flag."""

    ip: str = "127.0.0.1"
    port: int = 8866
    open_browser: bool = False
    # A kernel whose page is gone (no browser connected) and which has been
    # idle this long is shut down; the check runs every cull_interval seconds.
    cull_idle_timeout: int = 300
    cull_interval: int = 60


def voila_argv(options: ServerOptions) -> list[str]:
    """The Voila settings the course runs with, as command-line arguments."""
    return [
        str(settings.notebooks_dir()),
        f"--Voila.ip={options.ip}",
        f"--Voila.port={options.port}",
        f"--Voila.open_browser={options.open_browser}",
        "--Voila.identity_provider_class=carefully.voila_app.CourseIdentityProvider",
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaExecutor.cell_error_instruction={ERROR_MESSAGE}",
        f"--MappingKernelManager.cull_idle_timeout={options.cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={options.cull_interval}",
        "--MappingKernelManager.cull_connected=False",
    ]


def serve(options: ServerOptions) -> int:
    """Run the course server until interrupted."""
    # The page template lives in assets/ (Voila finds templates on JUPYTER_PATH).
    template_root = str(settings.assets_dir())
    paths = [template_root, *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    # Page kernels start as `python -m ipykernel_launcher`: it must be this Python.
    os.environ.update(settings.with_our_scripts_first())
    host = options.ip if options.ip not in ("", "0.0.0.0", "::") else socket.gethostname()
    host = f"[{host}]" if ":" in host else host
    print(f"The course is at http://{host}:{options.port}/ (Ctrl+C stops it).", flush=True)
    from .voila_app import CourseVoila  # Voila is imported only to serve

    CourseVoila.launch_instance(argv=voila_argv(options))
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``carefully serve`` flags."""
    defaults = ServerOptions()
    parser.add_argument("--ip", default=defaults.ip, help="address to listen on")
    parser.add_argument("--port", type=int, default=defaults.port, help="port to listen on")
    parser.add_argument("--open-browser", action="store_true", help="open a browser tab")
    parser.add_argument(
        "--cull-idle-timeout",
        type=int,
        default=defaults.cull_idle_timeout,
        help="seconds before a kernel whose page is gone is shut down",
    )
    parser.add_argument(
        "--cull-interval",
        type=int,
        default=defaults.cull_interval,
        help="seconds between checks for such kernels",
    )


def run(args: argparse.Namespace) -> int:
    """``carefully serve``."""
    return serve(
        ServerOptions(
            ip=args.ip,
            port=args.port,
            open_browser=args.open_browser,
            cull_idle_timeout=args.cull_idle_timeout,
            cull_interval=args.cull_interval,
        )
    )
