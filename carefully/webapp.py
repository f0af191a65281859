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

from . import classroom, settings

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
    # A live class (--class): an access code at the door, kernels preheated for
    # `size` learners, TLS when given a certificate and its key.
    class_mode: bool = False
    access_code: str = ""
    size: int = 0
    certfile: str = ""
    keyfile: str = ""

    @property
    def start_pool(self) -> int:
        """Kernels kept ready for the start page: the whole class opens it together."""
        return self.size if self.class_mode else 0

    @property
    def page_pool(self) -> int:
        """Kernels kept ready for each module page: learners reach them in a spread."""
        return self.size // 6 if self.class_mode else 0


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
        *(["--VoilaConfiguration.preheat_kernel=True",
           f"--VoilaConfiguration.default_pool_size={options.page_pool}"]
          if options.start_pool else []),
    ]


def pool_config(options: ServerOptions) -> dict:
    """Voila's per-page pool sizes: the start page sized to the class, the others smaller."""
    default = {"pool_size": options.page_pool}
    return {
        "VoilaKernelManager": {
            "kernel_pools_config": {"default": default,
                                    "00_start.ipynb": {"pool_size": options.start_pool}},
            "preheat_denylist": ["instructor.ipynb"],
            # Refill the pool after the room has opened its pages, not while it does:
            # starting kernels would take the processor from the learners' pages.
            "fill_delay": 45.0,
        }
    }


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
    scheme = "https" if options.certfile else "http"
    session = classroom.start_session(options.access_code, options.class_mode)
    url = f"{scheme}://{host}:{options.port}/"
    print(f"The course is at {url} (Ctrl+C stops it).", flush=True)
    if session.is_class:
        print(f"Session code for learners: {session.access_code}", flush=True)
    print(f"Instructor page: {url}{classroom.JOIN_PATH}?key={session.instructor_key}", flush=True)
    from traitlets.config import Config

    from .voila_app import CourseVoila, Door, course_page_config  # imported only to serve

    Door.session, Door.certfile, Door.keyfile = session, options.certfile, options.keyfile
    Door.start_pool, Door.page_pool = options.start_pool, options.page_pool
    config = Config(pool_config(options)) if options.start_pool else Config()
    config.VoilaConfiguration.page_config_hook = course_page_config
    CourseVoila.launch_instance(argv=voila_argv(options), config=config)
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
    parser.add_argument("--class", dest="class_mode", action="store_true",
                        help="a live session: learners need the session code printed at start")
    parser.add_argument("--code", default="",
                        help="the session code to use (default: a new random one)")
    parser.add_argument("--size", type=int, default=30,
                        help="how many learners the class has (kernels kept ready for them)")
    parser.add_argument("--certfile", default="", help="TLS certificate (PEM) to serve https")
    parser.add_argument("--keyfile", default="", help="the certificate's private key (PEM)")


def run(args: argparse.Namespace) -> int:
    """``carefully serve``."""
    if args.keyfile and not args.certfile:
        print("--keyfile needs --certfile as well.")
        return 2
    return serve(
        ServerOptions(
            ip=args.ip,
            port=args.port,
            open_browser=args.open_browser,
            cull_idle_timeout=args.cull_idle_timeout,
            cull_interval=args.cull_interval,
            class_mode=args.class_mode,
            access_code=args.code,
            size=max(0, args.size) if args.class_mode else 0,
            certfile=args.certfile,
            keyfile=args.keyfile,
        )
    )
