"""The live class: the door, the class store, the instructor's page and learners' questions."""

from __future__ import annotations

import json
import multiprocessing
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support.browser import open_page
from support.server import start_server

from carefully import class_store, classroom

CODE = "K7M3RX"


# --- the door's rule, without a server --------------------------------------------


def session(code: str = CODE) -> classroom.Session:
    return classroom.Session(id="s1", secret="x" * 64, instructor_key="teacher-key-123",
                             access_code=code)


def test_the_door_sends_strangers_to_the_code_and_refuses_everything_else() -> None:
    room = session()
    assert classroom.decide(room, "/voila/render/00_start.ipynb", "GET", None, "10.0.0.5").action \
        == "join"
    assert classroom.decide(room, "/", "GET", None, "10.0.0.5").action == "join"
    for path, method in (("/api/kernels", "GET"), ("/api/kernels/abc", "DELETE"),
                         ("/voila/static/voila.js", "GET"),
                         ("/api/kernels/abc/channels", "GET")):
        assert classroom.decide(room, path, method, None, "10.0.0.5").action == "refuse", path
    assert classroom.decide(room, "/class/join", "POST", None, "10.0.0.5").action == "allow"


def test_a_learner_cookie_opens_pages_but_not_the_instructor_page() -> None:
    room = session()
    learner = classroom.cookie_value(room, classroom.LEARNER)
    assert classroom.decide(room, "/voila/render/02_facebook.ipynb", "GET", learner, "x").action \
        == "allow"
    assert classroom.decide(room, "/voila/render/instructor.ipynb", "GET", learner, "x").action \
        == "refuse"
    instructor = classroom.cookie_value(room, classroom.INSTRUCTOR)
    assert classroom.decide(room, "/voila/render/instructor.ipynb", "GET", instructor,
                            "x").action == "allow"


def test_forged_or_stale_cookies_and_codes_open_nothing() -> None:
    room = session()
    other = classroom.Session(id="s2", secret="y" * 64, instructor_key="k", access_code=CODE)
    for cookie in ("learner:abc", "instructor:" + "0" * 64, "admin:1", "",
                   classroom.cookie_value(other, classroom.INSTRUCTOR)):
        assert classroom.role_of(room, cookie) is None, cookie
    assert classroom.check_code(room, " k7m 3rx ") == classroom.LEARNER
    assert classroom.check_code(room, "K7M3RY") is None
    assert classroom.check_code(room, "") is None
    assert classroom.check_code(room, "teacher-key-123") == classroom.INSTRUCTOR


def test_only_this_machine_may_ask_for_a_preheated_pages_request() -> None:
    room = session()
    assert classroom.decide(room, "/voila/query/k1", "GET", None, "127.0.0.1").action == "allow"
    assert classroom.decide(room, "/voila/query/k1", "GET", None, "10.0.0.5").action == "refuse"


def test_self_paced_servers_are_open_except_the_instructor_page() -> None:
    open_door = session(code="")
    assert classroom.decide(open_door, "/voila/render/00_start.ipynb", "GET", None, "x").action \
        == "allow"
    assert classroom.decide(open_door, "/voila/render/instructor.ipynb", "GET", None,
                            "x").action == "refuse"


# --- the class store ---------------------------------------------------------------


def _ask_many(var: str, who: int) -> None:
    for number in range(20):
        class_store.ask(f"{who:024x}", "02_facebook.ipynb", f"question {who}-{number}", False,
                        var_dir=Path(var))


def test_a_room_asking_at_once_loses_no_question_and_keeps_their_order(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_ask_many, args=(str(tmp_path), who)) for who in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    view = class_store.load(tmp_path)
    assert len(view.questions) == 120
    for who in range(6):
        mine = [q.text for q in view.questions if q.text.startswith(f"question {who}-")]
        assert mine == [f"question {who}-{n}" for n in range(20)]
    class_store.mark_answered(view.questions[0].id, tmp_path)
    assert len(class_store.load(tmp_path).open_questions) == 119


def test_anonymous_questions_carry_no_learner() -> None:
    view = class_store.fold([{"kind": "question", "learner": "", "id": "q1", "page": "p",
                              "text": "Can I friend a patient's parent?", "name": ""}])
    assert view.questions[0].name == "" and view.open_questions[0].text.startswith("Can I")


def test_each_learners_latest_dilemma_choice_counts_once() -> None:
    records = [{"kind": "dilemma", "learner": "a", "dilemma": "d", "step": "1", "choice": "Accept"},
               {"kind": "dilemma", "learner": "a", "dilemma": "d", "step": "1", "choice": "Decline"},
               {"kind": "dilemma", "learner": "b", "dilemma": "d", "step": "1", "choice": "Decline"}]
    view = class_store.fold(records)
    assert class_store.dilemma_counts(view, "d|1") == {"Decline": 2}


# --- a real class server in Chromium ----------------------------------------------------


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    var = tmp_path_factory.mktemp("class-var")
    server = start_server(var_dir=var, args=["--class", "--code", CODE, "--size", "2"])
    server.var = var
    yield server
    server.stop()


def instructor_key(server) -> str:
    return json.loads((server.var / "class" / "session.json").read_text())["instructor_key"]


def join(page, server, code: str) -> None:
    page.goto(server.page_url("00_start.ipynb"))
    page.get_by_label("Session code").fill(code)
    page.get_by_role("button", name="Join").click()


@pytest.mark.browser
def test_a_wrong_or_missing_code_is_refused_and_the_right_one_lets_the_learner_in(
        class_server, browser, assert_accessible) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(class_server.page_url("06_finish.ipynb"))
        assert "/class/join" in page.url  # no code yet: the door
        assert_accessible(page)
        page.get_by_label("Session code").fill("WRONG1")
        page.get_by_role("button", name="Join").click()
        page.get_by_role("alert").filter(has_text="not right").wait_for()
        api = context.request.get(class_server.url + "api/kernels")
        assert api.status == 403
        page.get_by_label("Session code").fill(CODE.lower())
        page.get_by_role("button", name="Join").click()
        page.wait_for_url("**/voila/render/06_finish.ipynb")
        open_page(page, page.url)
        assert "Post-test" in page.locator("h1").first.inner_text()
        assert context.request.get(class_server.url + "voila/static/voila.js").status == 200
        forbidden = context.request.get(class_server.page_url("instructor.ipynb"))
        assert forbidden.status == 403  # a learner cannot open the instructor page
    finally:
        context.close()


def test_strangers_get_nothing_from_the_class_server(class_server) -> None:
    for path in ("api/kernels", "voila/render/instructor.ipynb", "api/contents"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(class_server.url + path, timeout=10)
        assert refused.value.code == 403


@pytest.mark.browser
def test_the_instructor_sees_a_learner_join_and_their_question_arrive(
        class_server, browser, assert_accessible) -> None:
    teacher = browser.new_context(viewport={"width": 1280, "height": 900})
    learner = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        board = teacher.new_page()
        board.goto(f"{class_server.url}class/join?key={instructor_key(class_server)}")
        open_page(board, board.url, ".cf-room")
        assert board.locator(".cf-session-code").inner_text().endswith(CODE)
        before = int(board.locator(".cf-joined").inner_text())
        assert_accessible(board)

        page = learner.new_page()
        join(page, class_server, CODE)
        open_page(page, page.url, ".cf-sign-in")
        page.get_by_label("Full name, as it should appear on your certificate").fill(
            "Dr. Leila Haddad")
        page.get_by_label("Email address").fill("leila.haddad@example.org")
        page.get_by_label("Profession").select_option(label="Physician (MD)")
        page.get_by_role("button", name="Sign in").click()
        page.locator(".cf-welcome").wait_for()
        board.locator(".cf-joined", has_text=str(before + 1)).wait_for(timeout=2000)
        assert "Leila" not in board.locator(".cf-room").inner_text()  # names hidden by default

        page.get_by_label("Your question").fill("Can I <b>accept</b> a friend request from "
                                                 "a patient's mother?")
        page.get_by_role("button", name="Send question").click()
        page.get_by_role("status").filter(has_text="Sent").wait_for()
        arrived = board.locator(".cf-question", has_text="friend request from a patient's mother")
        arrived.wait_for(timeout=2000)
        assert "<b>accept</b>" in arrived.inner_text()  # shown as typed, not as HTML
        assert "00_start.ipynb" in arrived.inner_text()
        board.get_by_role("button", name="Mark answered").first.click()
        arrived.wait_for(state="hidden", timeout=5000)
    finally:
        teacher.close()
        learner.close()


@pytest.mark.browser
def test_a_dilemma_answer_reaches_the_instructor_page_within_two_seconds(
        class_server, browser) -> None:
    teacher = browser.new_context(viewport={"width": 1280, "height": 900})
    learner = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        board = teacher.new_page()
        board.goto(f"{class_server.url}class/join?key={instructor_key(class_server)}")
        open_page(board, board.url, ".cf-room")
        page = learner.new_page()
        page.goto(class_server.page_url("01_social_media.ipynb"))
        page.get_by_label("Session code").fill(CODE)
        page.get_by_role("button", name="Join").click()
        open_page(page, page.url, ".cf-choice")
        choice = page.locator(".cf-choice").first
        label = choice.inner_text().strip()
        choice.click()
        bars = board.locator(".cf-bars", has_text=label)
        bars.wait_for(timeout=2000)
        assert "1 answered" in bars.inner_text()
    finally:
        teacher.close()
        learner.close()


def test_with_a_certificate_the_class_is_served_over_tls(tmp_path: Path) -> None:
    import ssl
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server = start_server(var_dir=tmp_path / "var", args=["--class", "--code", CODE, "--size",
                                                          "0", "--certfile", str(cert),
                                                          "--keyfile", str(key)])
    try:
        assert server.url.startswith("https://")
        trusting = ssl.create_default_context(cafile=str(cert))
        trusting.check_hostname = False
        with urllib.request.urlopen(server.url + "class/join", timeout=20,
                                    context=trusting) as page:
            assert page.status == 200 and b"Session code" in page.read()
        with pytest.raises(OSError):  # plain http is not served
            urllib.request.urlopen(server.url.replace("https", "http") + "class/join",
                                   timeout=10)
        assert "The course is at https://" in server.log()
    finally:
        server.stop()
