"""Records for the CME coordinator: completions CSV, a summary, and backups of var/.

``carefully report`` writes ``completions.csv`` (name, email, license id,
profession, credits, completion date, activity) and ``summary.txt``;
``carefully backup`` writes one archive holding a consistent copy of all
learner data (the gradebook copied with SQLite's online backup, every other
file as last written, since each is replaced atomically).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sqlite3
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from carefully import certificates, content, credit, evaluation, learners, settings, store
from carefully.kinds import forms

COLUMNS = ("name", "email", "license_id", "profession", "birth_month_day", "credits",
           "completion_date", "activity", "certificate_code")


def completion_rows(var_dir: Path | None = None) -> list[dict[str, str]]:
    """One row per learner holding a certificate, in completion order."""
    course = content.course()
    rows = []
    for profile in learners.all_profiles(var_dir):
        certificate = certificates.issued(profile.id, var_dir)
        if certificate is None:
            continue
        birth = (f"{profile.birth_month:02d}-{profile.birth_day:02d}"
                 if profile.birth_month and profile.birth_day else "")
        rows.append({
            "name": profile.name, "email": profile.email, "license_id": profile.license_id,
            "profession": profile.profession, "birth_month_day": birth,
            "credits": content.credits_text(certificate.credits),
            "completion_date": certificate.completed_on,
            "activity": f"{course.title} ({course.activity_format})",
            "certificate_code": certificates.code(certificate, var_dir),
        })
    return sorted(rows, key=lambda row: row["completion_date"])


def completions_csv(var_dir: Path | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in completion_rows(var_dir):
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow({key: ("'" + value if value[:1] in "=+-@" else value)
                         for key, value in row.items()})
    return buffer.getvalue()


def summary(var_dir: Path | None = None) -> str:
    """Learners, completions, mean score and evaluation results, as plain text."""
    course = content.course()
    profiles = learners.all_profiles(var_dir)
    standings = [credit.status(profile.id, var_dir=var_dir) for profile in profiles]
    completions = [row for row in completion_rows(var_dir)]
    scores = [s.mean_score for s in standings if s.mean_score is not None]
    lines = [
        f"{course.title}: completion summary ({dt.date.today().isoformat()})",
        f"Learners signed in: {len(profiles)}",
        f"Completions (certificates issued): {len(completions)}",
        f"Credits awarded: {sum(float(row['credits']) for row in completions):g}",
        "Mean quiz score: " + (f"{sum(scores) / len(scores):.1f}%" if scores else "none yet"),
        "",
        "Evaluation results:",
    ]
    questions = forms.forms().evaluation.questions
    records = [record for profile in profiles
               if (record := evaluation.load(profile.id, var_dir)) is not None]
    lines.append(f"  evaluations received: {len(records)}")
    for question in questions:
        answers = [record["answers"].get(question.id, "") for record in records]
        answers = [answer for answer in answers if answer]
        if question.kind == "text":
            lines.append(f"  {question.text} {len(answers)} written answers")
        else:
            counts = Counter(answers)
            shown = ", ".join(f"{answer}: {count}" for answer, count in counts.most_common())
            lines.append(f"  {question.text} {shown or 'no answers'}")
    return "\n".join(lines) + "\n"


def run_report(args: argparse.Namespace) -> int:
    out = args.out.resolve()
    store.write_text_atomic(out / "completions.csv", completions_csv())
    store.write_text_atomic(out / "summary.txt", summary())
    print(f"Wrote {out / 'completions.csv'} and {out / 'summary.txt'}.")
    return 0


def report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("."), metavar="FOLDER",
                        help="where to write completions.csv and summary.txt (default: here)")


def backup(destination: Path, var_dir: Path | None = None) -> Path:
    """Write a .tar.gz of all learner data to ``destination`` (a file or a folder)."""
    source = var_dir or settings.var_dir()
    if destination.is_dir() or not destination.suffix:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        destination = destination / f"carefully-backup-{stamp}.tar.gz"
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        temporary = Path(scratch) / "backup.tar.gz"
        with tarfile.open(temporary, "w:gz") as archive:
            for path in sorted(source.rglob("*")) if source.is_dir() else ():
                if not path.is_file() or path.name.endswith((".lock", ".tmp")):
                    continue
                name = Path("var") / path.relative_to(source)
                if path.suffix in (".db", ".sqlite"):
                    copy = Path(scratch) / path.name
                    with sqlite3.connect(path) as live, sqlite3.connect(copy) as target:
                        live.backup(target)
                    archive.add(copy, arcname=str(name))
                else:
                    archive.add(path, arcname=str(name))
        store.write_bytes_atomic(destination, temporary.read_bytes())
    return destination


def run_backup(args: argparse.Namespace) -> int:
    written = backup(args.out.resolve())
    print(f"Wrote {written}. It holds learner data and the certificate key: keep it safe.")
    return 0


def backup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("backups"), metavar="PATH",
                        help="the archive to write, or a folder for a dated one (default: backups/)")


def run_verify(args: argparse.Namespace) -> int:
    if args.pdf:
        result = certificates.verify_pdf(args.pdf.read_bytes())
    else:
        result = certificates.verify(args.code or "")
    if result.valid and result.certificate:
        found = result.certificate
        print(f"Valid: {found.name}, {found.title}, completed {found.completed_on}, "
              f"{content.credits_text(found.credits)} credits ({found.kind}).")
        return 0
    print(f"Not valid: {result.reason}.")
    return 1


def verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", nargs="?", help="the code printed on the certificate")
    parser.add_argument("--pdf", type=Path, metavar="FILE",
                        help="check a certificate PDF: its code and what it says")
