"""Make the learner versions of the quizzes (release/) from source/ with nbgrader.

nbgrader runs in a throwaway copy of the course, so that generating a release
never writes a gradebook or learner data anywhere in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .settings import ROOT, with_our_scripts_first

CONFIG = "nbgrader_config.py"


class ReleaseError(RuntimeError):
    """nbgrader could not generate an assignment."""


def assignments(source: Path) -> list[str]:
    """The assignment folders in ``source`` (each holds one or more notebooks)."""
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def nbgrader_env(var_dir: Path) -> dict[str, str]:
    """The environment nbgrader runs in: learner data in ``var_dir``, and this
    Python's scripts first on PATH (nbgrader runs alembic as a program)."""
    return with_our_scripts_first({**os.environ, "CAREFULLY_VAR": str(var_dir)})


def generate(source: Path, dest: Path, root: Path = ROOT) -> list[str]:
    """Regenerate ``dest`` from ``source``; returns the assignments generated."""
    names = assignments(source)
    with tempfile.TemporaryDirectory(prefix="carefully-release-") as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(source, course / "source")
        shutil.copy2(root / CONFIG, course / CONFIG)
        env = nbgrader_env(Path(tmp) / "var")
        for name in names:
            result = subprocess.run(
                [sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force"],
                cwd=course,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            output = result.stdout + result.stderr
            # nbgrader logs a broken config file and carries on without it.
            if result.returncode != 0 or "Exception while loading config file" in output:
                raise ReleaseError(f"nbgrader could not generate {name}:\n{output}")
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(course / "release", dest)
    return names


def run(args) -> int:
    """``carefully release``: regenerate release/ from source/."""
    names = generate(ROOT / "source", ROOT / "release")
    print(f"release/ regenerated from source/: {', '.join(names) or 'no assignments'}")
    return 0
