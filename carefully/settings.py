"""Where the course's files live.

Three places matter, each one setting:

* ``CAREFULLY_ASSETS``: the course content (YAML, images, the page template);
  defaults to ``assets/`` beside the package.
* ``CAREFULLY_VAR``: runtime learner data (sign-ins, submissions, gradebook,
  certificates); defaults to ``var/`` beside the package. Never in git.
* ``CAREFULLY_NOTEBOOKS``: the lesson pages served by Voila; defaults to
  ``notebooks/`` beside the package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dir(variable: str, default: str) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser().resolve() if value else ROOT / default


def assets_dir() -> Path:
    """The folder holding the course content."""
    return _dir("CAREFULLY_ASSETS", "assets")


def var_dir() -> Path:
    """The folder holding runtime learner data (created on first use)."""
    return _dir("CAREFULLY_VAR", "var")


def notebooks_dir() -> Path:
    """The folder of lesson pages served by Voila."""
    return _dir("CAREFULLY_NOTEBOOKS", "notebooks")


def with_our_scripts_first(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) with this Python's scripts first on PATH.

    Kernels start as ``python -m ipykernel_launcher`` and nbgrader runs
    ``alembic``; both must be the course's own, not whatever else is on PATH.
    """
    env = dict(os.environ if env is None else env)
    scripts = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([scripts, *filter(None, env.get("PATH", "").split(os.pathsep))])
    return env
