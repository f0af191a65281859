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
    """Regenerate ``dest`` from ``source``; returns the assignments generated.

    One nbgrader process generates every assignment (nbgrader's start-up is paid
    once), in a throwaway copy of the course.
    """
    names = assignments(source)
    with tempfile.TemporaryDirectory(prefix="carefully-release-") as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(source, course / "source")
        shutil.copy2(root / CONFIG, course / CONFIG)
        result = subprocess.run(
            [sys.executable, "-m", "carefully.release", *names],
            cwd=course,
            env=nbgrader_env(Path(tmp) / "var"),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise ReleaseError(f"nbgrader could not generate the quizzes:\n"
                               f"{result.stdout}{result.stderr}")
        if dest.exists():
            shutil.rmtree(dest)
        if names:
            shutil.copytree(course / "release", dest)
        else:
            dest.mkdir(parents=True)
    return names


def _generate_here(names: list[str]) -> int:
    """Generate ``names`` with nbgrader's converter, for the course in this folder."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log, temp_attrs
    from traitlets.config import LoggingConfigurable, PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG, path=os.getcwd()).load_config()
    parent = LoggingConfigurable(config=config)
    coursedir = CourseDirectory(parent=parent)
    for name in names:
        with temp_attrs(coursedir, assignment_id=name):
            app = GenerateAssignment(coursedir=coursedir, parent=parent)
            app.force, app.create_assignment = True, True
            outcome = capture_log(app)
        if not outcome.get("success"):
            print(f"nbgrader could not generate {name}:\n"
                  f"{outcome.get('log', '')}{outcome.get('error', '')}", file=sys.stderr)
            return 1
    return 0


def run(args) -> int:
    """``carefully release``: regenerate release/ from source/."""
    names = generate(ROOT / "source", ROOT / "release")
    print(f"release/ regenerated from source/: {', '.join(names) or 'no assignments'}")
    return 0


if __name__ == "__main__":  # run by generate(), inside the throwaway course folder
    sys.exit(_generate_here(sys.argv[1:]))
