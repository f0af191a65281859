"""Certificates: issued once per learner, as a PDF with a verification code.

A certificate's record is kept in ``var/certificates/<serial>.json``. Its
verification code is the serial plus an HMAC of the record's contents under a
key kept in ``var/`` (created on first use, readable by the server only), so
a code that was altered, or a record changed after issue, does not verify.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import re
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from carefully import content, credit, learners, settings, store
from carefully.kinds import forms

_CODE = re.compile(r"CF-([A-Z2-7]{8})-([A-Z2-7]{12})")


@dataclass(frozen=True)
class Certificate:
    """What a certificate says (and what completion records report)."""

    serial: str
    learner_id: str
    name: str
    kind: str  # credit (MD, DO) or participation
    provider: str
    title: str
    activity_format: str
    completed_on: str  # year-month-day
    credits: float
    statement: str
    issued_at: str


def _folder(var_dir: Path | None) -> Path:
    return (var_dir or settings.var_dir()) / "certificates"


def _key(var_dir: Path | None) -> bytes:
    """The signing key: made once, atomically, never rewritten."""
    path = (var_dir or settings.var_dir()) / "secrets" / "certificate.key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes()
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(32))
            stream.flush()
            os.fsync(stream.fileno())
        return path.read_bytes()


_KEYS: dict[str, bytes] = {}


def _mac(certificate: Certificate, var_dir: Path | None = None) -> str:
    folder = str(var_dir or settings.var_dir())
    key = _KEYS.get(folder) or _KEYS.setdefault(folder, _key(var_dir))
    message = json.dumps(asdict(certificate), sort_keys=True, ensure_ascii=False).encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:12]


def code(certificate: Certificate, var_dir: Path | None = None) -> str:
    """The certificate's verification code: CF-<serial>-<signature>."""
    return f"CF-{certificate.serial}-{_mac(certificate, var_dir)}"


def _record_path(serial: str, var_dir: Path | None) -> Path:
    return _folder(var_dir) / f"{serial}.json"


def _pointer(learner_id: str, var_dir: Path | None) -> Path:
    return learners.folder(learner_id, var_dir) / "certificate.json"


def issued(learner_id: str, var_dir: Path | None = None) -> Certificate | None:
    """The certificate already issued to the learner, if any."""
    if learners.profile(learner_id, var_dir) is None:
        return None
    pointer = store.read_json(_pointer(learner_id, var_dir), None)
    if not isinstance(pointer, dict):
        return None
    data = store.read_json(_record_path(pointer["serial"], var_dir), None)
    return Certificate(**data) if isinstance(data, dict) else None


def issue(learner_id: str, var_dir: Path | None = None, today: dt.date | None = None,
          assets_dir=None) -> Certificate | None:
    """Issue the learner's certificate if the course is complete (once; later calls return it)."""
    if learners.profile(learner_id, var_dir) is None:
        return None
    with store.locked(_pointer(learner_id, var_dir)):
        existing = issued(learner_id, var_dir)
        if existing is not None:
            return existing
        standing = credit.status(learner_id, today, var_dir, assets_dir)
        if not standing.complete or standing.profile is None:
            return None
        course = content.course(assets_dir)
        physician = standing.profile.is_physician
        certificate = Certificate(
            serial=base64.b32encode(secrets.token_bytes(5)).decode(),
            learner_id=learner_id,
            name=standing.profile.name,
            kind="credit" if physician else "participation",
            provider=course.provider,
            title=course.title,
            activity_format=course.activity_format,
            completed_on=(today or dt.date.today()).isoformat(),
            credits=standing.credits if physician else 0.0,
            statement=course.credit_statement,
            issued_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        store.write_json_atomic(_record_path(certificate.serial, var_dir), asdict(certificate))
        store.write_json_atomic(_pointer(learner_id, var_dir), {"serial": certificate.serial})
        return certificate


@dataclass(frozen=True)
class Verification:
    valid: bool
    reason: str
    certificate: Certificate | None = None


def verify(code: str, var_dir: Path | None = None) -> Verification:
    """Check a verification code against the records."""
    match = _CODE.fullmatch(code.strip().upper())
    if not match:
        return Verification(False, "not a certificate code (they look like CF-XXXXXXXX-XXXXXXXXXXXX)")
    serial, mac = match.groups()
    data = store.read_json(_record_path(serial, var_dir), None)
    if not isinstance(data, dict):
        return Verification(False, "no certificate was issued with this code")
    certificate = Certificate(**data)
    if not hmac.compare_digest(_mac(certificate, var_dir), mac):
        return Verification(False, "the code does not match the certificate on record")
    return Verification(True, "valid", certificate)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, as a PDF reader extracts it."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def verify_pdf(data: bytes, var_dir: Path | None = None) -> Verification:
    """Check a certificate PDF: its code verifies and what it says matches the record."""
    text = pdf_text(data)
    found = _CODE.search(" ".join(text.split()))
    if not found:
        return Verification(False, "no certificate code found in the file")
    checked = verify(found.group(0), var_dir)
    if not checked.valid or checked.certificate is None:
        return checked
    flat = " ".join(text.split())
    for value in expected_lines(checked.certificate):
        if " ".join(value.split()) not in flat:
            return Verification(False, f"the file was changed: it no longer says {value!r}",
                                 checked.certificate)
    return checked


def completion_date_text(certificate: Certificate) -> str:
    return dt.date.fromisoformat(certificate.completed_on).strftime("%d %B %Y").lstrip("0")


def expected_lines(certificate: Certificate) -> list[str]:
    """The facts a genuine certificate's text must hold."""
    lines = [certificate.name, certificate.title, completion_date_text(certificate)]
    if certificate.kind == "credit":
        lines.append(f"{content.credits_text(certificate.credits)} AMA PRA Category 1 Credits")
    return lines


def render_pdf(certificate: Certificate, var_dir: Path | None = None, assets_dir=None) -> bytes:
    """The certificate as a one-page PDF (A4 landscape would not print on US Letter: Letter)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    words = forms.forms(assets_dir).certificate
    ink, accent = HexColor("#1d2733"), HexColor("#0b5c8a")
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=12, leading=16, textColor=ink,
                          alignment=1)
    big = ParagraphStyle("big", parent=base, fontName="Helvetica-Bold", fontSize=26, leading=32,
                         textColor=accent)
    name = ParagraphStyle("name", parent=base, fontName="Helvetica-Bold", fontSize=22, leading=28)
    small = ParagraphStyle("small", parent=base, fontSize=9.5, leading=12)
    physician = certificate.kind == "credit"
    heading = words["physician_title"] if physician else words["participation_title"]
    story = [
        Paragraph(escape(certificate.provider), base), Spacer(1, 14),
        Paragraph(escape(heading), big), Spacer(1, 10),
        Paragraph("This certifies that", base), Spacer(1, 6),
        Paragraph(escape(certificate.name), name), Spacer(1, 6),
        Paragraph("completed the activity", base),
        Paragraph(f"<b>{escape(certificate.title)}</b>", base),
        Paragraph(f"Format: {escape(words['format'])}", base),
        Paragraph(f"Completion date: {escape(completion_date_text(certificate))}", base),
        Spacer(1, 8),
    ]
    if physician:
        story += [
            Paragraph(f"Credits awarded: <b>{content.credits_text(certificate.credits)} AMA PRA Category 1 "
                      "Credits\u2122</b>", base), Spacer(1, 8),
            Paragraph(escape(certificate.statement), small),
        ]
    else:
        story += [Paragraph(escape(words["participation_note"]), small)]
    story += [Spacer(1, 16), Paragraph(escape(words["verify_note"].format(code=code(certificate, var_dir))),
                                       small)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(letter), title=heading,
                                 author=certificate.provider, subject=certificate.title,
                                 leftMargin=54, rightMargin=54, topMargin=54, bottomMargin=40)
    document.build(story)
    return buffer.getvalue()
