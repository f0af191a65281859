"""The post checker (carefully.privacy): what it finds, where, and what learners read."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from carefully import content, privacy
from carefully.kinds import privacy as wordfile

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
CHECKER_YAML = ASSETS / "privacy" / "checker.yaml"
LABELLED = Path(__file__).resolve().parent / "data" / "privacy_labelled.yaml"
SAFE_HARBOR = "45 CFR 164.514(b)(2)"


def spans(report: privacy.Report, text: str) -> list[tuple[str, str]]:
    """(kind, text found) for each finding in the text, in order."""
    return [(f.kind, text[f.start:f.end]) for f in report.findings if f.source == privacy.TEXT]


def found(text: str, **kwargs) -> set[str]:
    return set(privacy.check(text, **kwargs).kinds)


# --- the labelled set -------------------------------------------------------------


def _labelled() -> list[dict]:
    return yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["posts"]


def _check_post(post: dict) -> privacy.Report:
    photo = None
    if "photo" in post:
        photo = privacy.Photo(post["photo"].get("description", ""),
                              post["photo"].get("metadata", {}))
    return privacy.check(post["text"], photo=photo, names=post.get("names", ()))


def test_labelled_set_is_big_varied_and_uses_known_kinds() -> None:
    posts = _labelled()
    assert len(posts) >= 150
    counts = Counter(kind for post in posts for kind in set(post["kinds"]))
    assert set(counts) <= set(wordfile.KINDS), set(counts) - set(wordfile.KINDS)
    rare = {kind: counts[kind] for kind in wordfile.KINDS if counts[kind] < 5}
    assert not rare, f"kinds labelled fewer than 5 times: {rare}"
    assert sum(1 for post in posts if not post["kinds"]) >= 50  # clean posts to keep precision
    texts = [post["text"] for post in posts]
    assert len(texts) == len(set(texts)), "a post is listed twice"


def test_labelled_set_precision_and_recall() -> None:
    """Findings by kind, per post, against the labels: recall >= 0.95, precision >= 0.90."""
    true_pos = false_pos = false_neg = 0
    per_kind: dict[str, Counter] = {}
    misses = []
    for post in _labelled():
        wanted, got = set(post["kinds"]), set(_check_post(post).kinds)
        true_pos += len(wanted & got)
        false_pos += len(got - wanted)
        false_neg += len(wanted - got)
        for kind in wanted | got:
            tally = per_kind.setdefault(kind, Counter())
            tally["tp" if kind in wanted & got else "fp" if kind in got else "fn"] += 1
        if wanted != got:
            misses.append(f"  {post['text'][:70]!r}: missing {sorted(wanted - got)}, "
                          f"extra {sorted(got - wanted)}")
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(f"\npost checker on {len(_labelled())} labelled posts: "
          f"precision {precision:.3f}, recall {recall:.3f}")
    for kind in sorted(per_kind):
        tally = per_kind[kind]
        print(f"  {kind:36} tp {tally['tp']:3}  fp {tally['fp']:2}  fn {tally['fn']:2}")
    print("differences from the labels:", *misses, sep="\n")
    assert recall >= 0.95
    assert precision >= 0.90


# --- spans ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Mrs. Alvarez came in today with chest pain.",
     [("name", "Alvarez"), ("recent_encounter", "today")]),
    ("Patient's cell is (555) 201-3344, fax 555-290-1188.",
     [("phone", "(555) 201-3344"), ("fax", "555-290-1188")]),
    ("My patient emailed me from tina.marsh77@examplemail.com.",
     [("email", "tina.marsh77@examplemail.com")]),
    ("MRN 00482913, SSN 123-45-6789, member ID W2883412.",
     [("medical_record", "00482913"), ("ssn", "123-45-6789"), ("health_plan", "W2883412")]),
    ("A 92-year-old man from Springfield admitted March 3, 2025 to bed 7.",
     [("age_over_89", "92-year-old"), ("geography", "Springfield"),
      ("date", "March 3, 2025"), ("room_or_bed", "bed 7")]),
    ("The patient lives at 412 Birch Lane, zip 02118.",
     [("geography", "412 Birch Lane"), ("geography", "02118")]),
    ("Please share my patient's fund: gofundme.com/f/help-rosa-walk-again.",
     [("url", "gofundme.com/f/help-rosa-walk-again")]),
    ("Security flagged 10.22.4.119 reading the patient's chart.",
     [("ip_address", "10.22.4.119")]),
    ("Patient left his truck, license plate 7KLM231, in the lot.",
     [("vehicle", "7KLM231")]),
    ("Her pacemaker serial PMX-4471902 was recalled; the patient is fine.",
     [("device", "PMX-4471902")]),
    ("Pt J.R. refused insulin again.", [("name", "J.R.")]),
    ("Mrs. van der Berg likes the food.", [("name", "van der Berg")]),
    ("Mr. Benali's granddaughter drew me a doctor.", [("name", "Benali")]),
    ("Took care of the bus crash victims all night.", [("unique_event", "bus crash victims")]),
    ("A patient with progeria in our town just turned 12.",
     [("rare_condition_with_place_or_time", "progeria")]),
])
def test_each_finding_spans_exactly_the_identifier(text: str, expected: list) -> None:
    report = privacy.check(text)
    assert spans(report, text) == expected
    assert [f.start for f in report.findings] == sorted(f.start for f in report.findings)


def test_non_ascii_names_are_found_whole() -> None:
    for text, name in (("Had to tell Ms. Núñez her biopsy was positive.", "Núñez"),
                       ("Señora Ibáñez brought tamales again.", "Ibáñez"),
                       ("A toddler named Zoë swallowed a magnet.", "Zoë"),
                       ("Mr. Ó Briain asked for the chaplain.", "Ó Briain"),
                       ("mr. petrakis is back, third time this month.", "petrakis"),
                       ("My patient, Jorge Castañeda, wants to share his story.",
                        "Jorge Castañeda")):
        assert ("name", name) in spans(privacy.check(text), text), text


def test_empty_and_blank_text_pass() -> None:
    for text in ("", "   \n\t"):
        report = privacy.check(text)
        assert report.findings == ()
        assert report.passes_elevator_test
        assert report.kinds == frozenset()
        assert report.verdict == wordfile.wordlists().verdicts.clean


# --- what counts, and when ----------------------------------------------------------


def test_details_count_only_in_a_post_about_a_patient() -> None:
    assert found("Speaking at the Boston conference on March 3. Slides: example.org/talk") == set()
    assert found("Saw a patient from Boston on March 3. Her page: example.org/talk") == {
        "geography", "date", "url"}
    assert found("Call our office at 555-201-3344 to book a flu shot.") == set()
    assert found("My patient's daughter keeps calling from 555-201-3344.") == {"phone"}
    assert found("My grandmother turned 95 today. Still beats me at cards.") == set()
    assert found("My patient turned 95 today. Still beats me at cards.") == {
        "age_over_89", "recent_encounter"}


def test_identifiers_that_count_in_any_post() -> None:
    assert found("MRN 4471923 was on the sticky note.") == {"medical_record"}
    assert found("Whose SSN is 078-05-1120? Found it on the printer.") == {"ssn"}
    assert found("Mrs. Whitcombe sends her thanks.") == {"name"}
    assert found("Bed 12 has pressed the call button 40 times tonight.") == {
        "room_or_bed", "recent_encounter"}


def test_colleagues_and_generic_patients_are_not_flagged() -> None:
    assert found("Congratulations to Dr. Okonkwo on her election as chair!") == set()
    assert found("Great talk by Dr. Delgado on sepsis.") == set()  # a roster surname, after Dr.
    assert found("Congrats to Dr. Mensah and her husband Tom on their baby girl!") == set()
    assert found("National Patient Safety Week starts March 10.") == set()
    assert found("Ask every patient about tobacco use today.") == set()
    assert found("The crash cart checklist got a makeover today.") == set()


def test_names_parameter_adds_known_patients() -> None:
    names = ["Benedikt Aurelio Stramm"]
    text = "Quick update: Benedikt ate a full breakfast, and the Stramm family says thanks."
    assert found(text) == set()
    report = privacy.check(text, names=names)
    assert spans(report, text) == [("name", "Benedikt"), ("name", "Stramm")]
    full = "Benedikt Aurelio Stramm is going home."
    assert spans(privacy.check(full, names=names), full) == [("name", full[:23])]
    assert found("Dr. Stramm gave grand rounds.", names=names) == set()
    assert found("The weather is lovely.", names=names) == set()
    assert found(text, names=iter(names)) == {"name"}  # any iterable
    assert found(text, names=["", "  "]) == set()


# --- verdicts and messages ----------------------------------------------------------


def test_verdicts_name_what_was_found() -> None:
    verdicts = wordfile.wordlists().verdicts
    clean = privacy.check("Flu shots are available at our clinic this week.")
    assert clean.passes_elevator_test and clean.verdict == verdicts.clean
    assert "elevator" in clean.verdict

    direct = privacy.check("Mrs. Alvarez (MRN 4471923) came in today.")
    assert not direct.passes_elevator_test
    assert direct.verdict == verdicts.direct.format(
        labels="Name" + verdicts.last_separator + "Medical record number")
    assert "When you saw the patient" not in direct.verdict  # only HIPAA identifiers named

    indirect = privacy.check("The patient I saw this morning had the worst sunburn.")
    assert not indirect.passes_elevator_test
    assert indirect.verdict == verdicts.indirect.format(labels="When you saw the patient")
    for report in (clean, direct, indirect):
        assert report.verdict.count(".") <= 1 and report.verdict.endswith(".")


def test_findings_carry_label_reason_and_safe_harbor() -> None:
    report = privacy.check("Pt Rosa, 94, bed 3, admitted June 2; her cell is 555-201-3344.")
    assert report.kinds == {"name", "age_over_89", "room_or_bed", "date", "phone"}
    messages = wordfile.wordlists().identifiers
    for finding in report.findings:
        assert finding.label == messages[finding.kind].label
        assert finding.reason == messages[finding.kind].reason
        assert finding.direct == (finding.kind in wordfile.DIRECT_KINDS)
        assert finding.source == privacy.TEXT
        assert (SAFE_HARBOR in finding.reason) == finding.direct
    with pytest.raises(AttributeError):
        report.findings[0].kind = "x"  # frozen


def test_every_kind_has_a_message_and_the_schema_requires_it() -> None:
    lists = wordfile.wordlists()
    assert set(lists.identifiers) == set(wordfile.KINDS)
    schema = json.loads((ROOT / "carefully" / "schemas" / "privacy.schema.json").read_text())
    assert schema["properties"]["identifiers"]["required"] == list(wordfile.KINDS)
    for kind in wordfile.DIRECT_KINDS:
        assert SAFE_HARBOR in lists.identifiers[kind].reason, kind


# --- photos -----------------------------------------------------------------------------


def test_photo_description_and_metadata() -> None:
    photo = privacy.Photo(
        "Our patient smiling in her hospital bed, wristband visible, the chart on the tray.",
        {"GPSLatitude": "41.3781", "DateTimeOriginal": "2025:03:14 19:02:11",
         "BodySerialNumber": "44190023", "Make": "Phone"})
    report = privacy.check("Discharge day!", photo=photo)
    by_source = {(f.source, f.kind) for f in report.findings}
    assert by_source == {
        ("photo description", "full_face_photo"), ("photo description", "wristband"),
        ("photo description", "chart_or_screen"), ("photo metadata", "geography"),
        ("photo metadata", "date"), ("photo metadata", "device")}
    assert all(f.start == f.end == -1 and f.direct for f in report.findings)
    assert "GPS" in next(f.label for f in report.findings if f.kind == "geography")
    assert not report.passes_elevator_test


def test_photo_rules_respect_negation_context_and_years() -> None:
    blurred = privacy.Photo("A patient walking down the hall, face blurred.")
    assert privacy.check("Look who's walking again!", photo=blurred).findings == ()
    sunset = privacy.Photo("Sunset over the parking garage.",
                           {"GPSLatitude": "41.37", "DateTimeOriginal": "2025:03:14 19:02:11"})
    assert privacy.check("Sunset from the roof tonight.", photo=sunset).findings == ()
    colleague = privacy.Photo("Dr. Ito smiling at the podium.")
    assert privacy.check("Happy graduation, Dr. Ito!", photo=colleague).findings == ()
    year_only = privacy.Photo("A patient's healed knee.", {"DateTimeOriginal": "2025"})
    assert privacy.check("Nice healing!", photo=year_only).findings == ()
    band = privacy.Photo("A toddler asleep in a crib, ID band around his ankle.")
    assert privacy.check("A brave little guy.", photo=band).kinds == {"wristband"}


def test_photo_description_text_is_checked_too() -> None:
    photo = privacy.Photo("Mrs. Whitcombe in bed 4 giving a thumbs-up.")
    report = privacy.check("Made my day.", photo=photo)
    assert {(f.source, f.kind) for f in report.findings} >= {
        ("photo description", "name"), ("photo description", "room_or_bed")}


def test_photo_defaults() -> None:
    assert privacy.Photo() == privacy.Photo("", {})
    assert privacy.check("Hello", photo=privacy.Photo()).passes_elevator_test


# --- the word lists: patterns and validation -----------------------------------------


def test_words_pattern_matches_whole_words_longest_first() -> None:
    pattern = re.compile(privacy.words_pattern(["fax", "fax number", "year-old", "driver's"]))
    assert [m.group() for m in pattern.finditer(
        "Fax Number: faxes, FAX; a 92 year old; 3-year-old; driver’s")] == [
        "Fax Number", "FAX", "year old", "year-old", "driver’s"]
    exact = re.compile(privacy.words_pattern(["Boston"], fold=False))
    assert exact.findall("Boston boston BOSTON Bostonian") == ["Boston"]
    suffix = re.compile(r"\d+" + privacy.words_pattern(["th", "rd"], suffix=True))
    assert suffix.findall("3rd 95th 4the") == ["3rd", "95th"]
    assert re.compile(privacy.words_pattern([])).search("anything") is None


def test_real_wordlists_are_valid_and_load_through_content() -> None:
    problems = [p for p in content.validate(ASSETS) if "privacy" in p.file]
    assert problems == []
    assert isinstance(content.load(ASSETS).of("privacy")[0], wordfile.Wordlists)
    assert privacy.checker() is privacy.checker()


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of assets/ whose checker.yaml has ``old`` replaced (once) by ``new``."""
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS, folder)
    text = CHECKER_YAML.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text not found exactly once: {old!r}"
    (folder / "privacy" / "checker.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return folder


def _privacy_problems(folder: Path) -> list[content.Problem]:
    return [p for p in content.validate(folder) if p.file == "assets/privacy/checker.yaml"]


@pytest.mark.parametrize(("old", "new", "field", "words"), [
    ("  phone:\n    label: Phone number\n", "  phone:\n    lable: Phone number\n",
     "identifiers.phone.lable", "did you mean 'label'"),
    ("  phone:\n    label: Phone number\n", "  phone:\n", "identifiers.phone.label",
     "required field is missing"),
    ('all, "no", every new', "all, no, every new", "context.generic_determiners[4]",
     "as text"),  # unquoted, YAML reads no as false
    ("it contains HIPAA identifiers ({labels}) that", "it contains HIPAA identifiers that",
     "verdicts.direct", "{labels}"),
])
def test_yaml_problems_name_the_file_and_field(tmp_path: Path, old: str, new: str,
                                               field: str, words: str) -> None:
    problems = _privacy_problems(_broken(tmp_path, old, new))
    matching = [p for p in problems if p.field == field]
    assert len(matching) == 1, [str(p) for p in problems]
    assert words in matching[0].expected
    assert matching[0].line is not None


def test_yaml_reason_without_safe_harbor_and_duplicate_cue(tmp_path: Path) -> None:
    folder = _broken(tmp_path, "are among the 18 identifiers HIPAA's Safe Harbor rule\n"
                     "      (45 CFR 164.514(b)(2)) says must be removed.",
                     "are unique to one body.")
    problems = _privacy_problems(folder)
    assert [p.field for p in problems] == ["identifiers.biometric.reason"]
    assert "164.514(b)(2)" in problems[0].expected

    folder = _broken(tmp_path / "second", "words: [SSN, SS#,", "words: [SSN, MRN, SS#,")
    problems = _privacy_problems(folder)
    assert [p.field for p in problems] == ["codes.cues[6].words[1]"]
    assert "codes.cues[0].words[0]" in problems[0].expected
