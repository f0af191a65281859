"""The post checker's word lists and messages: ``assets/privacy/checker.yaml``.

:mod:`carefully.privacy` combines these words into patterns; every word it
matches and every sentence a learner reads comes from this file, validated
against ``carefully/schemas/privacy.schema.json`` plus the checks below.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from carefully import content

FILE = "privacy/checker.yaml"
"""The one file, inside the assets folder."""

SAFE_HARBOR = "164.514(b)(2)"
"""Every reason given for a direct identifier cites the Safe Harbor rule."""

DIRECT_KINDS: tuple[str, ...] = (
    "name", "geography", "date", "age_over_89", "phone", "fax", "email", "ssn",
    "medical_record", "health_plan", "account", "license", "vehicle", "device", "url",
    "ip_address", "biometric", "full_face_photo", "other_unique_code",
    "wristband", "chart_or_screen",  # what a photo shows: carriers of the identifiers above
)
"""The Safe Harbor identifiers (45 CFR 164.514(b)(2)) the checker reports, by stable id."""

INDIRECT_KINDS: tuple[str, ...] = (
    "rare_condition_with_place_or_time", "recent_encounter", "room_or_bed", "unique_event",
)
"""Details that are not Safe Harbor identifiers but let people work out who the patient is."""

KINDS = DIRECT_KINDS + INDIRECT_KINDS

LIST_SECTIONS = ("context", "names", "places", "dates", "recent", "ages", "contacts",
                 "biometrics", "faces", "features", "rooms", "conditions", "events")
"""Sections of the file that hold only named word lists."""


@dataclass(frozen=True)
class Message:
    """What a learner reads about one kind of identifier."""

    label: str  # short: "Phone number"
    reason: str  # one sentence: why it identifies a patient
    direct: bool  # one of the Safe Harbor identifiers?


@dataclass(frozen=True)
class PhotoRule:
    """A photo's description term or metadata key that reveals an identifier."""

    kind: str
    needs: str  # description: "patient" or "any"; metadata: "any" or "day"
    words: tuple[str, ...]  # description terms, or metadata keys
    label: str
    reason: str


@dataclass(frozen=True)
class Verdicts:
    """The elevator-test sentences."""

    clean: str
    direct: str  # contains {labels}
    indirect: str  # contains {labels}
    list_separator: str
    last_separator: str

    def sentence(self, direct: Sequence[str], indirect: Sequence[str]) -> str:
        """The verdict, given the labels of the direct and indirect identifiers found.

        With any direct identifier the sentence names those; otherwise the
        indirect ones; with nothing found, the clean sentence.
        """
        labels, template = (direct, self.direct) if direct else (indirect, self.indirect)
        if not labels:
            return self.clean
        joined = labels[0] if len(labels) == 1 else (
            self.list_separator.join(labels[:-1]) + self.last_separator + labels[-1])
        return template.format(labels=joined)


@dataclass(frozen=True)
class Wordlists:
    """Everything in the checker's file, ready for :mod:`carefully.privacy` to compile."""

    verdicts: Verdicts
    identifiers: Mapping[str, Message]  # kind -> message
    lists: Mapping[str, tuple[str, ...]]  # "places.cities" -> words
    code_cues: Mapping[str, str]  # cue word -> kind
    photo_description: tuple[PhotoRule, ...]
    photo_metadata: tuple[PhotoRule, ...]

    def words(self, name: str) -> tuple[str, ...]:
        """One word list by its section and name, e.g. ``words("places.cities")``."""
        return self.lists[name]


def _clean(value: str) -> str:
    return " ".join(value.split())


def _build(doc: content.Document) -> Wordlists:
    data = doc.data
    lists = {f"{section}.{name}": tuple(_clean(word) for word in words)
             for section in LIST_SECTIONS for name, words in data[section].items()}
    lists["codes.fillers"] = tuple(_clean(word) for word in data["codes"]["fillers"])
    lists["photo.negations"] = tuple(_clean(word) for word in data["photo"]["negations"])
    photo = data["photo"]
    return Wordlists(
        verdicts=Verdicts(**{key: (value if "separator" in key else _clean(value))
                             for key, value in data["verdicts"].items()}),
        identifiers=MappingProxyType({
            kind: Message(_clean(entry["label"]), _clean(entry["reason"]), kind in DIRECT_KINDS)
            for kind, entry in data["identifiers"].items()}),
        lists=MappingProxyType(lists),
        code_cues=MappingProxyType({_clean(word): cue["kind"] for cue in data["codes"]["cues"]
                                    for word in cue["words"]}),
        photo_description=tuple(
            PhotoRule(rule["kind"], rule["needs"], tuple(map(_clean, rule["terms"])),
                      _clean(rule["label"]), _clean(rule["reason"]))
            for rule in photo["description"]),
        photo_metadata=tuple(
            PhotoRule(rule["kind"], rule["needs"], tuple(map(_clean, rule["keys"])),
                      _clean(rule["label"]), _clean(rule["reason"]))
            for rule in photo["metadata"]),
    )


# --- checks a schema cannot express -------------------------------------------


def _get(data: object, *path: str | int) -> object:
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and step < len(data):
            data = data[step]
        elif isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def _check_verdicts(doc: content.Document) -> Iterator[content.Problem]:
    for key, wanted in (("clean", set()), ("direct", {"labels"}), ("indirect", {"labels"})):
        text = _get(doc.data, "verdicts", key)
        if not isinstance(text, str):
            continue
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            fields = None
        if fields != wanted:
            need = "with {labels} where the labels go" if wanted else "without any {...}"
            yield doc.problem(("verdicts", key),
                              f"one sentence {need}; write {{ and }} only around 'labels' "
                              f"(got {doc.got(('verdicts', key))})")


def _cites_safe_harbor(doc: content.Document, path: content.FieldPath) -> Iterator[content.Problem]:
    reason = doc.value(path)
    if isinstance(reason, str) and SAFE_HARBOR not in reason:
        yield doc.problem(path, f"a reason that names HIPAA Safe Harbor, 45 CFR {SAFE_HARBOR}, "
                                "as this is one of its identifiers (it is not mentioned)")


def _check_reasons(doc: content.Document) -> Iterator[content.Problem]:
    for kind in DIRECT_KINDS:
        yield from _cites_safe_harbor(doc, ("identifiers", kind, "reason"))
    for group in ("description", "metadata"):
        rules = _get(doc.data, "photo", group)
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            if isinstance(rule, dict) and rule.get("kind") in DIRECT_KINDS:
                yield from _cites_safe_harbor(doc, ("photo", group, index, "reason"))


def _check_cues(doc: content.Document) -> Iterator[content.Problem]:
    """A cue word may belong to one kind only: "plate" cannot be a vehicle and a license."""
    first: dict[str, content.FieldPath] = {}
    cues = _get(doc.data, "codes", "cues")
    for index, cue in enumerate(cues if isinstance(cues, list) else []):
        words = _get(cue, "words")
        for position, word in enumerate(words if isinstance(words, list) else []):
            if not isinstance(word, str):
                continue
            path: content.FieldPath = ("codes", "cues", index, "words", position)
            key = _clean(word).casefold()
            if key in first:
                yield doc.problem(path, f"a cue word used once (it is also at "
                                        f"{content.field_name(first[key])}, line "
                                        f"{doc.line(first[key])})")
            else:
                first[key] = path


def _check(doc: content.Document) -> Iterator[content.Problem]:
    yield from _check_verdicts(doc)
    yield from _check_reasons(doc)
    yield from _check_cues(doc)


content.register(content.Kind(name="privacy", pattern=FILE, schema="privacy.schema.json",
                              build=_build, check=_check, what="the post checker's word lists"))


def wordlists(assets_dir: str | Path | None = None) -> Wordlists:
    """The checker's word lists from ``assets_dir`` (default: the course's), loaded once."""
    return content.load(assets_dir).of("privacy")[0]
