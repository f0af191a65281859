"""nbgrader under JupyterHub: the course's own settings plus the shared exchange.

Read by every nbgrader that runs in a user's server (the formgrader, the
assignment list, ``nbgrader`` in an instructor's terminal) through
``JUPYTER_CONFIG_PATH``. The course folder (``CAREFULLY_COURSE``: the
instructor's own copy, or the installed course for a learner) brings the
course id, the gradebook and the learner-data folders; this file adds:

* the exchange (``CAREFULLY_EXCHANGE``): one folder shared by every server,
  where instructors release quizzes and collect what learners submit;
* for a learner: their course learner id as nbgrader's student id (the hub
  user is the learner: ``carefully.learners.hub_learner_id``), and a folder
  of their own for fetched quizzes.
"""

import os
from pathlib import Path

from carefully import learners, settings

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

course = Path(os.environ.get("CAREFULLY_COURSE") or settings.ROOT)
load_subconfig(str(course / "nbgrader_config.py"))  # noqa: F821

c.Exchange.root = os.environ.get("CAREFULLY_EXCHANGE", "/srv/nbgrader/exchange")

if os.environ.get("CAREFULLY_ROLE", "learner") != "instructor":
    learner = learners.hub_learner_id()
    if learner:
        # nbgrader would take the system user name, the same for everyone on
        # Kubernetes (jovyan) or on a test machine.
        c.CourseDirectory.student_id = learner
    c.Exchange.assignment_dir = str(settings.var_dir() / "assignments")
