"""Learners, completion rules, certificates and records, as a CME coordinator relies on them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from dataclasses import replace
from pathlib import Path

import pytest

from carefully import certificates, content, credit, evaluation, learners, progress

COURSE = content.course()
GOOD_EVALUATION = {"objectives_met": "Agree", "relevance": "Strongly agree",
                   "planned_change": "Decline patients' friend requests on my personal page.",
                   "commercial_bias": "No"}


def sign_in(var: Path, name="Dr. Amara Osei-Lindqvist", email="amara@example.org",
            profession="MD", **more) -> learners.Profile:
    return learners.sign_in(learners.SignIn(name, email, profession, **more), var)


def pass_quizzes(learner_id: str, var: Path, percent: float = 90.0, **overrides) -> None:
    for quiz in COURSE.required_quizzes:
        value = {"percent": overrides.get(quiz, percent), "credited": True}
        progress.record(learner_id, credit.module_of(quiz), "quiz", quiz, value, var_dir=var)


def test_sign_in_checks_the_form_and_a_returning_email_keeps_its_id(tmp_path: Path) -> None:
    wrong = learners.problems(learners.SignIn(" ", "not-an-email", "nurse", "x" * 41, 2, 30))
    assert set(wrong) == {"name", "email", "profession", "license_id", "birth"}
    first = sign_in(tmp_path, license_id="MA-123456", birth_month=2, birth_day=29)
    again = sign_in(tmp_path, email="  AMARA@example.org ")
    assert again.id == first.id and again.license_id == "MA-123456"
    other = sign_in(tmp_path, name="Dr. Tomas Varga", email="tomas@example.org")
    assert other.id != first.id
    assert [p.name for p in learners.all_profiles(tmp_path)] == [first.name, other.name]


@pytest.mark.parametrize("bad", ["../../etc", "", "a" * 10_000, "Dr. Amara Osei-Lindqvist",
                                 "../learners/index", "%2e%2e%2f", "guest-../../x"])
def test_ids_from_links_reach_no_other_data(tmp_path: Path, bad: str) -> None:
    someone = sign_in(tmp_path)
    pass_quizzes(someone.id, tmp_path)
    assert learners.id_from_query(f"learner={bad}") is None
    assert learners.profile(bad, tmp_path) is None
    with pytest.raises(learners.UnknownLearner):
        learners.folder(bad, tmp_path)
    standing = credit.status(bad, var_dir=tmp_path)
    assert standing.profile is None and not standing.complete
    assert all(quiz.percent is None for quiz in standing.quizzes)
    assert certificates.issue(bad, tmp_path) is None


def test_below_the_pass_mark_no_certificate_and_the_learner_is_told_what_is_missing(
        tmp_path: Path) -> None:
    learner = sign_in(tmp_path)
    pass_quizzes(learner.id, tmp_path, **{"03_twitter": 60.0})
    progress.record(learner.id, 6, "quiz", "06_post_test", {"percent": 95, "credited": False},
                    var_dir=tmp_path)  # a tampered post-test: never credited
    standing = credit.status(learner.id, var_dir=tmp_path)
    assert not standing.complete
    text = " | ".join(standing.missing)
    assert "Module 3" in text and "60%" in text and f"{COURSE.pass_mark}%" in text
    assert "Module 6" in text  # the uncredited post-test counts as not taken
    assert "evaluation" in text
    assert certificates.issue(learner.id, tmp_path) is None


def test_a_complete_physician_gets_the_credits_claimed_not_the_maximum(tmp_path: Path) -> None:
    learner = sign_in(tmp_path)
    pass_quizzes(learner.id, tmp_path)
    assert evaluation.save(learner.id, GOOD_EVALUATION, 2.5, True, tmp_path) == ["credits"]
    assert evaluation.save(learner.id, {**GOOD_EVALUATION, "relevance": ""}, 1.5, True,
                           tmp_path) == ["relevance"]
    assert evaluation.save(learner.id, GOOD_EVALUATION, 1.5, True, tmp_path) == []
    certificate = certificates.issue(learner.id, tmp_path, today=dt.date(2026, 11, 25))
    assert certificate is not None and certificate.kind == "credit" and certificate.credits == 1.5
    assert certificates.issue(learner.id, tmp_path) == certificate  # issued once
    text = " ".join(certificates.pdf_text(certificates.render_pdf(certificate, tmp_path)).split())
    for expected in (learner.name, COURSE.title, COURSE.provider, "Enduring material",
                     "25 November 2026", "1.5 AMA PRA Category 1 Credits",
                     certificates.code(certificate, tmp_path)):
        assert expected in text


def test_other_professions_get_a_certificate_of_participation(tmp_path: Path) -> None:
    learner = sign_in(tmp_path, name="Jordan Reyes, RN", email="jordan@example.org",
                      profession="other")
    pass_quizzes(learner.id, tmp_path)
    assert evaluation.save(learner.id, GOOD_EVALUATION, None, False, tmp_path) == []
    certificate = certificates.issue(learner.id, tmp_path)
    assert certificate.kind == "participation" and certificate.credits == 0
    text = certificates.pdf_text(certificates.render_pdf(certificate, tmp_path))
    assert "Certificate of Participation" in text and "Credits awarded" not in text


def test_no_credit_after_the_activity_expires(tmp_path: Path) -> None:
    learner = sign_in(tmp_path)
    pass_quizzes(learner.id, tmp_path)
    evaluation.save(learner.id, GOOD_EVALUATION, 2.0, True, tmp_path)
    late = COURSE.expiry_date + dt.timedelta(days=1)
    assert "expired" in " ".join(credit.status(learner.id, late, tmp_path).missing)
    assert certificates.issue(learner.id, tmp_path, today=late) is None


def issued(tmp_path: Path) -> certificates.Certificate:
    learner = sign_in(tmp_path)
    pass_quizzes(learner.id, tmp_path)
    evaluation.save(learner.id, GOOD_EVALUATION, 2.0, True, tmp_path)
    return certificates.issue(learner.id, tmp_path)


def test_codes_verify_and_altered_codes_or_records_do_not(tmp_path: Path) -> None:
    certificate = issued(tmp_path)
    code = certificates.code(certificate, tmp_path)
    assert certificates.verify(code, tmp_path).valid
    assert certificates.verify(code.lower(), tmp_path).valid  # read out over the phone
    last = "B" if code[-1] == "A" else "A"
    assert not certificates.verify(code[:-1] + last, tmp_path).valid
    assert not certificates.verify("CF-AAAAAAAA-AAAAAAAAAAAA", tmp_path).valid
    assert not certificates.verify("hello", tmp_path).valid
    record = tmp_path / "certificates" / f"{certificate.serial}.json"
    data = json.loads(record.read_text())
    record.write_text(json.dumps({**data, "credits": 20.0}))  # someone edits the record
    assert not certificates.verify(code, tmp_path).valid


def test_a_changed_certificate_pdf_fails_verification(tmp_path: Path) -> None:
    certificate = issued(tmp_path)
    genuine = certificates.render_pdf(certificate, tmp_path)
    assert certificates.verify_pdf(genuine, tmp_path).valid
    forged_record = replace(certificate, name="Dr. Someone Else")
    forged = certificates.render_pdf(forged_record, tmp_path)  # its code is now wrong too
    assert not certificates.verify_pdf(forged, tmp_path).valid


def run_cli(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAREFULLY_VAR": str(var)}
    return subprocess.run([sys.executable, "-m", "carefully", *args], env=env, text=True,
                          capture_output=True, timeout=120, check=False)


def test_the_command_line_verifies_reports_and_backs_up(tmp_path: Path) -> None:
    var = tmp_path / "var"
    certificate = issued(var)
    sign_in(var, name="=HYPERLINK(\"x\")", email="mallory@example.org")  # not complete
    code = certificates.code(certificate, var)
    good = run_cli(var, "verify", code)
    assert good.returncode == 0 and certificate.name in good.stdout
    bad = run_cli(var, "verify", code[:-2] + "22")
    assert bad.returncode == 1 and "Not valid" in bad.stdout
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificates.render_pdf(certificate, var))
    assert run_cli(var, "verify", "--pdf", str(pdf)).returncode == 0

    out = tmp_path / "report"
    assert run_cli(var, "report", "--out", str(out)).returncode == 0
    rows = list(csv.DictReader(io.StringIO((out / "completions.csv").read_text())))
    assert [row["name"] for row in rows] == [certificate.name]
    assert rows[0]["credits"] == "2.0" and rows[0]["email"] == "amara@example.org"
    assert rows[0]["activity"].startswith(COURSE.title)
    summary = (out / "summary.txt").read_text()
    assert "Learners signed in: 2" in summary and "Completions (certificates issued): 1" in summary
    assert "Mean quiz score: 90.0%" in summary and "Agree: 1" in summary

    archive = tmp_path / "backup.tar.gz"
    assert run_cli(var, "backup", "--out", str(archive)).returncode == 0
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert f"var/certificates/{certificate.serial}.json" in names
    assert f"var/learners/{certificate.learner_id}/profile.json" in names
    assert not any(name.endswith((".lock", ".tmp")) for name in names)


WRITER = """
import sys
from pathlib import Path
from carefully import store
path = Path(sys.argv[1])
n = 0
while True:
    n += 1
    store.write_json_atomic(path, {"version": n, "answers": ["x" * 200] * 500})
"""


def test_a_record_survives_the_writer_being_killed_mid_write(tmp_path: Path) -> None:
    path = tmp_path / "learners" / ("a" * 24) / "progress.json"
    seen = set()
    for attempt in range(15):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)])
        time.sleep(0.15 + 0.02 * attempt)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        data = json.loads(path.read_text())  # never half a file
        assert len(data["answers"]) == 500
        seen.add(data["version"])
    assert len(seen) > 1  # the writer really was writing when it was killed


def test_a_returning_learner_is_offered_the_module_where_they_stopped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from carefully.pages import signin

    monkeypatch.setenv("CAREFULLY_VAR", str(tmp_path))
    learner = sign_in(tmp_path)
    for quiz in ("01_social_media", "02_facebook"):
        progress.record(learner.id, credit.module_of(quiz), "quiz", quiz,
                        {"percent": 100, "credited": True}, var_dir=tmp_path)
    progress.record(learner.id, 3, "quiz", "03_twitter", {"percent": 40, "credited": True},
                    var_dir=tmp_path)
    html = signin.render_welcome(learner, returning=True)
    resume = html.split('class="cf-resume"')[1].split("</p>")[0]
    assert f"03_twitter.ipynb?learner={learner.id}" in resume and "Module 3" in resume
    assert "quiz score 40%" in html
    assert "cf-resume" not in signin.render_welcome(learner, returning=False)
