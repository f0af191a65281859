"""Each user's own server under JupyterHub (read through JUPYTER_CONFIG_PATH).

JupyterHub starts ``jupyterhub-singleuser`` (a Jupyter server) for every user
who logs in, with ``JUPYTER_CONFIG_PATH`` pointing at this folder, and says
who the user is (``JUPYTERHUB_USER``) and their role (``CAREFULLY_ROLE``, set
by the hub's ``group_overrides`` for the ``instructors`` group):

* learner (the default): the course pages with Voila, as ``carefully serve``
  shows them (the course's page template, no code, no tracebacks, culling);
  the hub address leads to the start page; no JupyterLab, no terminal. The
  learner's data lives in their own home folder (``CAREFULLY_VAR``).
* instructor: JupyterLab on the home folder, with nbgrader's formgrader on a
  course folder of their own (``CAREFULLY_COURSE``, made once from the course's
  ``source/``, ``release/`` and ``nbgrader_config.py``).

nbgrader's settings for both roles (the exchange) are in ``nbgrader_config.py``
beside this file.
"""

import os
import shutil
from pathlib import Path

from traitlets.config.loader import KVArgParseConfigLoader

from carefully import settings, webapp
from carefully.voila_app import START_PAGE

c = get_config()  # noqa: F821 (provided by Jupyter when it reads this file)

INSTRUCTOR = "instructor"
role = os.environ.get("CAREFULLY_ROLE", "learner")
home = Path.home()

# Where this user's data lives: their own home folder (a persistent volume on
# Kubernetes). The kernels of the pages inherit these settings.
os.environ.setdefault("CAREFULLY_VAR", str(home / "carefully-data"))
os.environ.setdefault(
    "CAREFULLY_COURSE", str(home / "carefully-course" if role == INSTRUCTOR else settings.ROOT))
# The course's page template lives in assets/ (Voila finds templates on JUPYTER_PATH),
# and page kernels start as `python -m ipykernel_launcher`: it must be the course's Python.
os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(
    [str(settings.assets_dir()), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]))
os.environ.update(settings.with_our_scripts_first())

# Voila as `carefully serve` runs it: the same template, no sources, no
# tracebacks, the same error message and kernel culling (its own settings, reused).
_shared = ("--VoilaConfiguration.", "--VoilaExecutor.", "--MappingKernelManager.")
c.merge(KVArgParseConfigLoader(argv=[
    arg for arg in webapp.voila_argv(webapp.ServerOptions()) if arg.startswith(_shared)
]).load_config())

if role == INSTRUCTOR:
    course = Path(os.environ["CAREFULLY_COURSE"])
    if not (course / "nbgrader_config.py").exists():
        # The instructor's own nbgrader course folder: made once, theirs after that
        # (formgrader writes release/ in it; the gradebook is in CAREFULLY_VAR).
        course.mkdir(parents=True, exist_ok=True)
        for folder in ("source", "release"):
            shutil.copytree(settings.ROOT / folder, course / folder, dirs_exist_ok=True)
        shutil.copy2(settings.ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    # formgrader needs the course folder inside the server's root folder.
    c.ServerApp.root_dir = str(home)
    c.ServerApp.default_url = f"/lab/tree/{os.path.relpath(course, home)}"
    # Nothing reaches outside the machine: no news feed, no update check.
    c.LabApp.news_url = None
    c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
else:
    c.ServerApp.root_dir = str(settings.notebooks_dir())
    c.ServerApp.default_url = f"/voila/render/{START_PAGE}"
    c.ServerApp.terminals_enabled = False
    # Pages load nothing from outside the machine: standalone Voila offers no
    # MathJax address, but inside a Jupyter server it falls back to a CDN's.
    c.ServerApp.tornado_settings = {"mathjax_url": None}
    c.ServerApp.jpserver_extensions = {
        "jupyterlab": False,
        "notebook": False,
        "jupyter_lsp": False,
        "jupyter_server_terminals": False,
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.course_list": False,
        "nbgrader.server_extensions.validate_assignment": False,
    }
    # nbgrader's assignment list stays: it fetches and submits through the exchange,
    # into the learner's own folder (see nbgrader_config.py).
    (Path(os.environ["CAREFULLY_VAR"]) / "assignments").mkdir(parents=True, exist_ok=True)
