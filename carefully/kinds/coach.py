"""The coach's rules (assets/coach/*.yaml): when each applies and what it says."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from re import Pattern

from carefully import content
from carefully.kinds import guidance

SIMULATORS = ("feed", "stream", "checker")
ACTIONS = (
    "post", "comment", "reply", "share", "like", "unlike", "tag", "untag", "photo",
    "accept_request", "decline_request", "ignore_request", "send_request", "set_privacy",
    "mention", "repost", "quote", "follow", "unfollow", "reply_dm", "send_dm",
)
AUDIENCES = ("public", "friends", "friends_except", "specific", "only_me", "followers", "dm")
FACTS = (
    # who sent a request or a message
    "sender:patient", "sender:patient_relative", "sender:colleague", "sender:drug_rep",
    "sender:journalist", "sender:family", "sender:classmate", "sender:public",
    # who wrote the post acted on
    "author:patient", "author:patient_relative", "author:colleague", "author:misinformation",
    "author:drug_company", "author:medical_society", "author:journal", "author:public",
    "author:news", "author:health_department", "author:hospital", "author:family",
    # the learner's own profile
    "profile:personal", "profile:professional", "tag_review:on", "tag_review:off",
    # what the post or photo shows
    "post:reveals_patient_relationship", "post:clinical", "post:misinformation",
    "photo:clinical_area", "photo:patient_face", "photo:alcohol", "photo:screen_or_chart",
    # who is tagged or mentioned
    "tagged:colleague", "tagged:patient", "tagged:family", "mentioned:patient",
    "mentioned:colleague", "mentioned:journalist",
    # the feed: more authors, whom a request goes to, who sees the friends list, reviews
    "author:classmate", "author:drug_rep", "author:journalist",
    "recipient:patient", "recipient:patient_relative", "recipient:colleague",
    "recipient:classmate", "recipient:family", "recipient:drug_rep", "recipient:public",
    "friends_list:public", "friends_list:friends", "friends_list:only_me",
    "post:review", "tagged:classmate",
)


@dataclass(frozen=True)
class When:
    """The conditions of a rule; an empty condition always holds."""

    simulators: frozenset[str]
    actions: frozenset[str]
    audiences: frozenset[str]
    facts_all: frozenset[str]
    facts_any: frozenset[str]
    facts_none: frozenset[str]
    words_any: Pattern[str] | None
    words_none: Pattern[str] | None
    context_any: Pattern[str] | None
    identifiers: frozenset[str] | None  # None: not asked; empty: any kind
    identifiers_found: bool


@dataclass(frozen=True)
class Rule:
    """One coach rule."""

    id: str
    severity: str
    title: str
    message: str
    guidance: tuple[str, ...]
    when: When


def phrases(words: Sequence[str]) -> Pattern[str] | None:
    """One case-insensitive pattern matching any of ``words`` as whole words."""
    if not words:
        return None
    alternatives = "|".join(re.escape(word.strip()) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _when(data: Mapping) -> When:
    def names(key: str) -> frozenset[str]:
        return frozenset(data.get(key, ()))

    identifiers = data.get("identifiers")
    if identifiers is None:
        kinds, found = None, True
    elif identifiers in ("any", "none"):
        kinds, found = frozenset(), identifiers == "any"
    else:
        kinds, found = frozenset(identifiers), True
    return When(
        simulators=names("simulators"), actions=names("actions"), audiences=names("audiences"),
        facts_all=names("facts_all"), facts_any=names("facts_any"), facts_none=names("facts_none"),
        words_any=phrases(data.get("words_any", ())),
        words_none=phrases(data.get("words_none", ())),
        context_any=phrases(data.get("context_any", ())),
        identifiers=kinds, identifiers_found=found,
    )


def _build(doc: content.Document) -> tuple[Rule, ...]:
    return tuple(
        Rule(rule["id"], rule["severity"], rule["title"].strip(), rule["message"].strip(),
             tuple(rule["guidance"]), _when(rule.get("when", {})))
        for rule in doc.data["rules"]
    )


_VOCABULARY = {
    "simulators": SIMULATORS, "actions": ACTIONS, "audiences": AUDIENCES,
    "facts_all": FACTS, "facts_any": FACTS, "facts_none": FACTS,
}


def _check(doc: content.Document) -> Iterator[content.Problem]:
    rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        when = rule.get("when") if isinstance(rule, dict) else None
        if not isinstance(when, dict):
            continue
        for key, allowed in _VOCABULARY.items():
            values = when.get(key)
            for position, value in enumerate(values if isinstance(values, list) else []):
                if isinstance(value, str) and value not in allowed:
                    yield doc.problem(("rules", index, "when", key, position),
                                      f"one of: {', '.join(allowed)}")


def _cross_check(docs: Mapping[str, Sequence[content.Document]]) -> Iterator[content.Problem]:
    ids = guidance.known_ids(docs)
    seen: dict[str, str] = {}
    for doc in docs.get("coach", ()):
        rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            if not isinstance(rule, dict):
                continue
            yield from guidance.check_citations(doc, ids, ("rules", index, "guidance"),
                                                rule.get("guidance"))
            ident = rule.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    yield doc.problem(("rules", index, "id"),
                                      f"a rule id no other rule uses ({ident!r} is also in {seen[ident]})")
                seen[ident] = doc.file


content.register(content.Kind(name="coach", pattern="coach/*.yaml", schema="coach.schema.json",
                              build=_build, check=_check, what="the coach's rules"))
content.register_cross_check("coach-rules", _cross_check)
