"""The course on JupyterHub (deploy/): two learners and an instructor on a real hub.

A real JupyterHub runs on 127.0.0.1 with the course's own configuration
(``deploy/jupyterhub_config.py`` and ``deploy/jupyter/``), configurable-http-proxy
from npm, a local process spawner and a shared password (``support/hub.py``).
Everything goes through the hub's proxy, as a browser's requests would: the
learners open the start page and submit the module 1 quiz through nbgrader's
exchange (the assignment list of their own server: fetch, then submit); the
instructor releases the quiz, collects both submissions and autogrades them with
nbgrader's formgrader in their own server. The answers are written into the
fetched notebook by the quiz player's own submission writer
(``carefully.quiz.model.build_submission``).

Marked ``hub``: it needs configurable-http-proxy (``make test`` installs it).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import jupyterhub
import nbformat
import pytest
from nbgrader.api import Gradebook
from support.browser import is_local
from support.hub import Hub, proxy_command, start_hub
from support.server import ROOT

from carefully import content, webapp
from carefully.quiz import model
from carefully.voila_app import START_PAGE

pytestmark = pytest.mark.hub

LEARNERS = ("alice", "bob")
INSTRUCTOR = "teacher"
QUIZ = "01_social_media"


def learner_ids(users) -> dict[str, str]:
    """The course's learner id of each hub user, as an instructor looks them up."""
    result = subprocess.run([sys.executable, str(ROOT / "deploy" / "learner_ids.py"), *users],
                            capture_output=True, text=True, check=True)
    return dict(line.split("\t") for line in result.stdout.splitlines())


def data_folder(hub: Hub, user: str) -> Path:
    return hub.home(user) / "carefully-data"


def outside_addresses(html: str) -> list[str]:
    """Addresses off this machine that the page would load (its tags and its page config)."""
    found = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    config = re.search(r'id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*</script>',
                       html, re.DOTALL)
    assert config, "the page carries no Jupyter page config"
    found += [value for value in json.loads(config.group(1)).values()
              if isinstance(value, str) and value.startswith(("http://", "https://"))]
    return [address for address in found if not is_local(address)]


def model_answers(quiz: model.Quiz) -> dict[str, object]:
    """The right answer to every question, from the source notebook's solution cells."""
    source = nbformat.read(ROOT / "source" / quiz.assignment / quiz.notebook, as_version=4)
    cells = {str(cell.get("id")): cell for cell in source.cells}
    answers = {}
    for question in quiz.questions:
        text = cells[question.answer_cell].source
        solution = text.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        answers[question.qid] = ast.literal_eval(ast.parse(solution).body[0].value)
    return answers


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """The hub, with every user logged in through the login form and their server running."""
    try:
        proxy_command()
    except FileNotFoundError as missing:
        pytest.fail(str(missing))
    hub = start_hub(tmp_path_factory.mktemp("hub"), learners=list(LEARNERS),
                    instructors=[INSTRUCTOR])
    try:
        hub.sessions = {user: hub.log_in(user) for user in (*LEARNERS, INSTRUCTOR)}
        hub.wait_until_ready(list(hub.sessions))
        yield hub
    finally:
        hub.stop()


def test_the_image_installs_the_jupyterhub_the_test_runs():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert f"ARG JUPYTERHUB_VERSION={jupyterhub.__version__}\n" in dockerfile


def test_each_learner_opens_the_start_page_through_the_hub(hub):
    title = content.course().title
    for user in LEARNERS:
        page = hub.sessions[user].get(f"{hub.url}user/{user}/", timeout=180)
        assert page.status_code == 200, page.text[:2000]
        assert page.url == f"{hub.url}user/{user}/voila/render/{START_PAGE}"
        assert title in page.text
        assert "templates/carefully/static/course.css" in page.text  # the course's template
        assert "from carefully" not in page.text  # no code
        assert webapp.ERROR_MESSAGE not in page.text and "Traceback" not in page.text
        assert outside_addresses(page.text) == []
        # the learner's data is kept in their own home folder
        assert data_folder(hub, user).is_dir()


def test_a_learner_gets_no_jupyterlab_and_no_one_elses_server(hub):
    alice = hub.sessions["alice"]
    assert alice.get(f"{hub.url}user/alice/lab", timeout=60).status_code == 404
    assert alice.get(f"{hub.url}user/bob/", timeout=60).status_code == 403
    assert alice.get(f"{hub.url}user/{INSTRUCTOR}/formgrader", timeout=60).status_code == 403


def test_the_instructor_collects_and_grades_both_learners_through_the_exchange(hub):
    teacher = hub.user_token(INSTRUCTOR)

    def formgrader(method: str, path: str):
        reply = hub.user_api(INSTRUCTOR, teacher, method, f"formgrader/api/{path}")
        assert reply.status_code == 200, reply.text[:2000]
        return reply.json()

    # The instructor's course folder was made from the course; generate and release the quiz.
    assert (hub.home(INSTRUCTOR) / "carefully-course" / "source" / QUIZ).is_dir()
    for step in ("assign", "release"):
        outcome = formgrader("POST", f"assignment/{QUIZ}/{step}")
        assert outcome["success"], outcome

    quiz, _ = model.load(ROOT / "release", QUIZ)
    right = model_answers(quiz)
    wrong_first = next(key for key in quiz.questions[0].keys if key != right["q1"])
    answers = {"alice": right, "bob": {**right, "q1": wrong_first}}
    for user, chosen in answers.items():
        token = hub.user_token(user)
        courses = hub.user_api(user, token, "GET", "courses").json()
        assert courses["success"] and courses["value"], courses
        course_id = courses["value"][0]
        form = {"course_id": course_id, "assignment_id": QUIZ}
        fetched = hub.user_api(user, token, "POST", "assignments/fetch", data=form)
        assert fetched.status_code == 200, fetched.text[:2000]
        copy = data_folder(hub, user) / "assignments" / QUIZ / quiz.notebook
        release_nb = nbformat.read(copy, as_version=4)
        nbformat.write(model.build_submission(
            release_nb, quiz, model.Answers.from_mapping(quiz, chosen)), copy)
        submitted = hub.user_api(user, token, "POST", "assignments/submit", data=form)
        assert submitted.status_code == 200, submitted.text[:2000]
        listing = submitted.json()
        assert listing.get("success"), listing
        assert any(item["assignment_id"] == QUIZ and item["status"] == "submitted"
                   for item in listing["value"]), listing

    outcome = formgrader("POST", f"assignment/{QUIZ}/collect")
    assert outcome["success"], outcome
    ids = learner_ids(LEARNERS)
    for student in ids.values():
        outcome = formgrader("POST", f"submission/{QUIZ}/{student}/autograde")
        assert outcome["success"], outcome

    # The formgrader shows each learner's score; the gradebook holds it.
    scores = {item["student"]: item for item in formgrader("GET", f"submissions/{QUIZ}")}
    expected = {ids["alice"]: quiz.auto_points, ids["bob"]: quiz.auto_points - 1}
    for student, points in expected.items():
        assert scores[student]["autograded"], scores[student]
        assert scores[student]["score"] == pytest.approx(points)
        assert scores[student]["needs_manual_grade"]  # the reflection waits for the instructor
    gradebook = data_folder(hub, INSTRUCTOR) / "nbgrader" / "gradebook.db"
    with Gradebook(f"sqlite:///{gradebook}", course_id) as gb:
        for student, points in expected.items():
            assert gb.find_submission(QUIZ, student).score == pytest.approx(points)
