"""`make lab`: JupyterLab on the course with nbgrader's formgrader, for instructors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

from support.server import ROOT, free_port

from carefully import settings


def lab_arguments() -> list[str]:
    """The arguments `make lab` gives `jupyter lab` (read from the Makefile, not repeated)."""
    text = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lab:.*\n((?:\t.*\n)+)", text, re.MULTILINE).group(1)
    words = recipe.replace("\\\n", " ").split()
    return [word for word in words if word.startswith("--")]


def test_make_lab_serves_the_formgrader_with_the_course_quizzes(tmp_path) -> None:
    port = free_port()
    arguments = [arg.replace("$(CURDIR)", str(ROOT)).replace("$(HOST)", "127.0.0.1")
                 .replace("$(LAB_PORT)", str(port)) for arg in lab_arguments()]
    assert f"--ServerApp.root_dir={ROOT}" in arguments
    env = settings.with_our_scripts_first({**os.environ, "CAREFULLY_VAR": str(tmp_path / "var"),
                                           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")})
    with open(tmp_path / "lab.log", "wb") as log:
        lab = subprocess.Popen([sys.executable, "-m", "jupyterlab", *arguments,
                                "--IdentityProvider.token=course-test"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/formgrader/api/assignments?token=course-test",
                                            timeout=10) as response:
                    assignments = json.loads(response.read())
                break
            except (urllib.error.URLError, ConnectionError):
                assert lab.poll() is None, (tmp_path / "lab.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "lab.log").read_text()
                time.sleep(0.5)
        names = {item["name"] for item in assignments}
        assert {path.name for path in (ROOT / "source").iterdir() if path.is_dir()} <= names
        with urllib.request.urlopen(f"{base}/formgrader?token=course-test", timeout=10) as page:
            assert page.status == 200
        with urllib.request.urlopen(f"{base}/lab?token=course-test", timeout=10) as page:
            assert page.status == 200
    finally:
        lab.terminate()
        lab.wait(20)
