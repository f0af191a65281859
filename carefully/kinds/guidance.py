"""The guidance catalogue (assets/guidance.yaml) that rules, dilemmas and topics cite."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from carefully import content


@dataclass(frozen=True)
class Guidance:
    """One piece of guidance: AMA Opinion 2.3.2, ACP/FSMB 2013, HIPAA Safe Harbor ..."""

    id: str
    short: str
    citation: str
    points: str


def _build(doc: content.Document) -> dict[str, Guidance]:
    return {
        entry["id"]: Guidance(entry["id"], entry["short"].strip(), entry["citation"].strip(),
                              entry["points"].strip())
        for entry in doc.data["guidance"]
    }


def _check(doc: content.Document) -> Iterator[content.Problem]:
    entries = doc.data.get("guidance") if isinstance(doc.data, dict) else None
    seen: set[str] = set()
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        ident = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(ident, str):
            if ident in seen:
                yield doc.problem(("guidance", index, "id"), f"an id no other entry uses ({ident!r} is used twice)")
            seen.add(ident)


content.register(content.Kind(name="guidance", pattern="guidance.yaml",
                              schema="guidance.schema.json", build=_build, check=_check,
                              what="the guidance catalogue"))


def known_ids(docs: Mapping[str, Sequence[content.Document]]) -> set[str]:
    """The guidance ids in the parsed guidance file (for checks across files)."""
    ids: set[str] = set()
    for doc in docs.get("guidance", ()):
        entries = doc.data.get("guidance") if isinstance(doc.data, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                ids.add(entry["id"])
    return ids


def check_citations(doc: content.Document, ids: set[str], path: content.FieldPath,
                    cited: object) -> Iterator[content.Problem]:
    """Problems for each id in ``cited`` (a list at ``path``) that the catalogue lacks."""
    if not isinstance(cited, list):
        return
    for index, ident in enumerate(cited):
        if isinstance(ident, str) and ident not in ids:
            yield doc.problem((*path, index),
                              f"the id of an entry in assets/guidance.yaml "
                              f"({', '.join(sorted(ids)) or 'none listed'})")


def catalogue(assets_dir=None) -> dict[str, Guidance]:
    """The guidance entries by id."""
    return content.load(assets_dir).of("guidance")[0]
