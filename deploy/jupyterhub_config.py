"""JupyterHub for the course on one machine: every user gets a server of their own.

For Kubernetes use Zero to JupyterHub and ``z2jh/values.yaml`` instead; both
give each user the same server (``jupyter/`` beside this file). Run as root,
from a folder that keeps the hub's state (its database and cookie secret)::

    mkdir -p /srv/nbgrader/exchange && chmod 1777 /srv/nbgrader/exchange
    cd /srv/jupyterhub
    CAREFULLY_INSTRUCTORS=dr_lee /path/to/course/.venv/bin/jupyterhub \\
        -f /path/to/course/deploy/jupyterhub_config.py

Settings (environment variables of the hub):

* ``CAREFULLY_INSTRUCTORS``: comma-separated user names of the instructors
  (the hub group ``instructors``: JupyterLab and nbgrader's formgrader).
* ``CAREFULLY_LEARNERS_GROUP``: the system group whose members may log in as
  learners (default ``carefully``; users log in with their system password).
* ``CAREFULLY_EXCHANGE``: nbgrader's exchange folder (default
  ``/srv/nbgrader/exchange``; it must exist and be writable by everyone, 1777).
* ``CAREFULLY_HUB_URL``: where the hub listens (default ``http://:8000``, every
  address); ``CAREFULLY_HUB_CERT`` and ``CAREFULLY_HUB_KEY``: a TLS certificate
  and its key, to serve https.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it reads this file)

DEPLOY = Path(__file__).resolve().parent
INSTRUCTORS = "instructors"


def _names(variable: str) -> list[str]:
    return sorted({name.strip() for name in os.environ.get(variable, "").split(",")
                   if name.strip()})


c.JupyterHub.bind_url = os.environ.get("CAREFULLY_HUB_URL", "http://:8000")
# configurable-http-proxy, where `make test` installs it (else the one on PATH).
_proxy = DEPLOY.parent / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
if _proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(_proxy)]
if os.environ.get("CAREFULLY_HUB_CERT"):
    c.JupyterHub.ssl_cert = os.environ["CAREFULLY_HUB_CERT"]
    c.JupyterHub.ssl_key = os.environ.get("CAREFULLY_HUB_KEY", "")

# Who may log in: system users in the learners' group, and the instructors.
# (The default authenticator checks system passwords; any other authenticator
# works the same way, for example an OAuth one for the provider's sign-on.)
c.PAMAuthenticator.allowed_groups = {os.environ.get("CAREFULLY_LEARNERS_GROUP", "carefully")}
c.Authenticator.allowed_users = set(_names("CAREFULLY_INSTRUCTORS"))
c.JupyterHub.load_groups = {INSTRUCTORS: {"users": _names("CAREFULLY_INSTRUCTORS")}}

# Every user's server: the Jupyter server of the course's own Python, set up by
# jupyter/jupyter_server_config.py and jupyter/nbgrader_config.py.
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": str(DEPLOY / "jupyter"),
    "CAREFULLY_EXCHANGE": os.environ.get("CAREFULLY_EXCHANGE", "/srv/nbgrader/exchange"),
    "CAREFULLY_ROLE": "learner",
}
c.Spawner.group_overrides = {
    "10-instructors": {
        "groups": [INSTRUCTORS],
        "spawner_override": {"environment": {"CAREFULLY_ROLE": "instructor"}},
    },
}
# A server starts in a few seconds; a busy machine at the start of a class needs longer.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
