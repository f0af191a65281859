"""Print the course's learner id of each JupyterHub user name given.

Under JupyterHub the hub user is the learner; the course and nbgrader's
gradebook know them by an opaque learner id derived from the user name, so
an instructor grades without names. To find who is who, in a terminal of the
instructor's server::

    python /srv/carefully/deploy/learner_ids.py dr-ng dr-patel

prints one line per user: the user name, a tab, the learner id.
"""

from __future__ import annotations

import argparse
import os
import sys

from carefully import learners


def learner_id(user: str) -> str:
    """The learner id the course uses for hub user ``user``."""
    saved = os.environ.get("JUPYTERHUB_USER")
    os.environ["JUPYTERHUB_USER"] = user
    try:
        return learners.hub_learner_id()
    finally:
        if saved is None:
            del os.environ["JUPYTERHUB_USER"]
        else:
            os.environ["JUPYTERHUB_USER"] = saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("users", nargs="+", metavar="USER", help="JupyterHub user names")
    for user in parser.parse_args(argv).users:
        print(f"{user}\t{learner_id(user)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
