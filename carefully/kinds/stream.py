"""The Twitter (now X) stream simulator's content (assets/stream/).

* ``stream/sources/*.yaml``: one file per source (an account whose posts flow
  into the stream), with the templates its posts are made from;
* ``stream/messages/*.yaml``: one file per direct-message (DM) thread;
* ``stream/setup.yaml``: the learner's new account, whom it follows at first,
  the who-to-follow list, the stream's pace and the words templates fill in.

A course author adds a source or a post template by editing YAML;
`carefully validate` names the file and field of anything that does not fit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from carefully import content
from carefully.kinds import coach as coach_kind

LIMIT = 280
"""The most characters a post may have (X's limit since November 2017)."""

SOURCE_KINDS: Mapping[str, tuple[str, str | None]] = {
    # kind: (the coach fact for a post it wrote, the fact for mentioning it)
    "clinician": ("author:colleague", "mentioned:colleague"),
    "journal": ("author:journal", None),
    "medical_society": ("author:medical_society", None),
    "health_department": ("author:health_department", None),
    "hospital": ("author:hospital", None),
    "patient": ("author:patient", "mentioned:patient"),
    "news": ("author:news", "mentioned:journalist"),
    "journalist": ("author:news", "mentioned:journalist"),
    "misinformation": ("author:misinformation", None),
    "drug_company": ("author:drug_company", None),
    "public": ("author:public", None),
}
SENDER_KINDS = ("patient", "patient_relative", "journalist", "public", "drug_rep", "colleague")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
MAX_TAGS = 3
"""Hashtags a post template may carry (the stream shows a button for each)."""


@dataclass(frozen=True)
class Template:
    """A post a source writes, with ``{placeholders}`` filled from the setup's ``fills``."""

    text: str
    facts: tuple[str, ...]  # coach facts about the post, such as post:misinformation
    slots: tuple[str, ...]  # the placeholders, in order


@dataclass(frozen=True)
class Source:
    """An account in the stream: a clinician, a journal, a patient ..."""

    id: str
    name: str
    handle: str  # without the @
    kind: str  # one of SOURCE_KINDS
    label: str  # what it is, as the learner reads it: "County health department"
    bio: str
    followers: int
    weight: int  # how often it posts, relative to the others
    note: str  # a simulation note for the learner ("Lena is your patient"), or ""
    templates: tuple[Template, ...]

    @property
    def author_fact(self) -> str:
        return SOURCE_KINDS[self.kind][0]

    @property
    def mention_fact(self) -> str | None:
        return SOURCE_KINDS[self.kind][1]


@dataclass(frozen=True)
class Sender:
    """Who wrote a DM thread."""

    name: str
    handle: str
    kind: str  # one of SENDER_KINDS

    @property
    def fact(self) -> str:
        return f"sender:{self.kind}"


@dataclass(frozen=True)
class Thread:
    """A direct-message thread waiting for the learner's reply."""

    id: str
    sender: Sender
    note: str
    messages: tuple[str, ...]
    hint: str
    follow_up: str  # the sender's answer to a reply the coach calls good, or ""
    names: tuple[str, ...]  # patients' names in the thread, for the post checker


@dataclass(frozen=True)
class Account:
    """The learner's own new account."""

    name: str
    handle: str


@dataclass(frozen=True)
class Reposter:
    """An account that may repost the learner's posts (besides the sources)."""

    name: str
    handle: str
    followers: int


@dataclass(frozen=True)
class Setup:
    """How the simulator starts and how fast the stream moves."""

    you: Account
    seed: int
    history: int  # posts already in the stream when the page opens
    seconds: float  # the stream moves on every this many seconds ...
    posts: int  # ... by this many posts
    following: tuple[str, ...]  # source ids the new account follows at first
    who_to_follow: tuple[str, ...]  # source ids, in the order the list shows them
    hashtag_audience: int  # people who browse a hashtag and may see a post carrying it
    trending: tuple[str, ...]  # hashtags (without #) the Explore view offers
    fills: Mapping[str, tuple[str, ...]]
    reposters: tuple[Reposter, ...]


def _template(entry) -> Template:
    if isinstance(entry, str):
        text, facts = entry, ()
    else:
        text, facts = entry["text"], tuple(entry.get("facts", ()))
    text = " ".join(text.split())
    return Template(text, facts, tuple(PLACEHOLDER.findall(text)))


def _build_source(doc: content.Document) -> Source:
    data = doc.data
    return Source(
        id=data["id"], name=data["name"].strip(), handle=data["handle"], kind=data["kind"],
        label=data["label"].strip(), bio=" ".join(data["bio"].split()),
        followers=int(data["followers"]), weight=int(data.get("weight", 1)),
        note=" ".join(data.get("note", "").split()),
        templates=tuple(_template(entry) for entry in data["posts"]),
    )


def _build_thread(doc: content.Document) -> Thread:
    data = doc.data
    sender = data["from"]
    return Thread(
        id=data["id"],
        sender=Sender(sender["name"].strip(), sender["handle"], sender["kind"]),
        note=" ".join(data.get("note", "").split()),
        messages=tuple(" ".join(text.split()) for text in data["messages"]),
        hint=" ".join(data.get("hint", "").split()),
        follow_up=" ".join(data.get("follow_up", "").split()),
        names=tuple(data.get("names", ())),
    )


def _build_setup(doc: content.Document) -> Setup:
    data = doc.data
    return Setup(
        you=Account(data["you"]["name"].strip(), data["you"]["handle"]),
        seed=int(data["seed"]), history=int(data["history"]),
        seconds=float(data["pace"]["seconds"]), posts=int(data["pace"]["posts"]),
        following=tuple(data["following"]), who_to_follow=tuple(data["who_to_follow"]),
        hashtag_audience=int(data["hashtag_audience"]),
        trending=tuple(data["trending"]),
        fills={name: tuple(str(value) for value in values)
               for name, values in data["fills"].items()},
        reposters=tuple(Reposter(item["name"].strip(), item["handle"], int(item["followers"]))
                        for item in data["reposters"]),
    )


def _check_facts(doc: content.Document) -> Iterator[content.Problem]:
    posts = doc.data.get("posts") if isinstance(doc.data, dict) else None
    for index, entry in enumerate(posts if isinstance(posts, list) else []):
        facts = entry.get("facts") if isinstance(entry, dict) else None
        for position, fact in enumerate(facts if isinstance(facts, list) else []):
            if isinstance(fact, str) and fact not in coach_kind.FACTS:
                yield doc.problem(("posts", index, "facts", position),
                                  f"one of: {', '.join(coach_kind.FACTS)}")


content.register(content.Kind(
    name="stream-source", pattern="stream/sources/*.yaml", schema="stream-source.schema.json",
    build=_build_source, check=_check_facts, required=False,
    what="a source in the Twitter (now X) stream simulator"))
content.register(content.Kind(
    name="stream-thread", pattern="stream/messages/*.yaml", schema="stream-thread.schema.json",
    build=_build_thread, required=False,
    what="a direct-message thread in the Twitter (now X) stream simulator"))
content.register(content.Kind(
    name="stream-setup", pattern="stream/setup.yaml", schema="stream-setup.schema.json",
    build=_build_setup, required=False,
    what="the Twitter (now X) stream simulator's setup"))


# --- checks across files ----------------------------------------------------


def _data(doc: content.Document) -> dict:
    return doc.data if isinstance(doc.data, dict) else {}


def _posts(doc: content.Document) -> Iterator[tuple[int, str]]:
    posts = _data(doc).get("posts")
    for index, entry in enumerate(posts if isinstance(posts, list) else []):
        text = entry.get("text") if isinstance(entry, dict) else entry
        if isinstance(text, str):
            yield index, " ".join(text.split())


def _check_templates(doc: content.Document, fills: Mapping[str, Sequence]) -> Iterator[content.Problem]:
    from carefully.stream import parse  # the parser is the simulator's; content only uses it

    longest = {name: max((len(str(v)) for v in values), default=0)
               for name, values in fills.items() if isinstance(values, list)}
    for index, text in _posts(doc):
        path = ("posts", index)
        slots = PLACEHOLDER.findall(text)
        unknown = [name for name in slots if name not in longest]
        if unknown:
            yield doc.problem(path, f"placeholders named in stream/setup.yaml under fills "
                                    f"({', '.join(sorted(longest)) or 'none there'}); "
                                    f"there is no {{{unknown[0]}}}")
            continue
        worst = PLACEHOLDER.sub(lambda match: "x" * longest[match.group(1)], text)
        if parse.length(worst) > LIMIT:
            yield doc.problem(path, f"a post of at most {LIMIT} characters with the longest "
                                    f"fills (it can reach {parse.length(worst)})")
        if len(parse.hashtags(text)) > MAX_TAGS:
            yield doc.problem(path, f"at most {MAX_TAGS} hashtags in one post")


def _check_trending(setup: content.Document,
                    sources: Sequence[content.Document]) -> Iterator[content.Problem]:
    from carefully.stream import parse

    used = {parse.key(tag) for doc in sources for _, text in _posts(doc)
            for tag in parse.hashtags(text)}
    values = _data(setup).get("trending")
    for position, tag in enumerate(values if isinstance(values, list) else []):
        if isinstance(tag, str) and parse.key(tag) not in used:
            yield setup.problem(("trending", position),
                                "a hashtag (without #) that some post template in "
                                f"stream/sources/ carries ({tag!r} is in none)")


def _cross_check(docs: Mapping[str, Sequence[content.Document]]) -> Iterator[content.Problem]:
    sources = docs.get("stream-source", ())
    setups = docs.get("stream-setup", ())
    ids: dict[str, str] = {}
    handles: dict[str, str] = {}
    for doc in sources:
        data = _data(doc)
        ident, handle = data.get("id"), data.get("handle")
        if isinstance(ident, str):
            if ident in ids:
                yield doc.problem(("id",), f"an id no other source uses ({ident!r} is also in "
                                           f"{ids[ident]})")
            ids[ident] = doc.file
        if isinstance(handle, str):
            key = handle.casefold()
            if key in handles:
                yield doc.problem(("handle",), f"a handle no other source uses ({handle!r} is "
                                               f"also in {handles[key]})")
            handles[key] = doc.file
    threads: dict[str, str] = {}
    for doc in docs.get("stream-thread", ()):
        ident = _data(doc).get("id")
        if isinstance(ident, str):
            if ident in threads:
                yield doc.problem(("id",), f"an id no other thread uses ({ident!r} is also in "
                                           f"{threads[ident]})")
            threads[ident] = doc.file
    if (sources or docs.get("stream-thread")) and not setups:
        first = (sources or docs["stream-thread"])[0]
        yield content.Problem(first.file.rsplit("/", 2)[0] + "/setup.yaml", None, "(file)",
                              "the stream simulator's setup in this file (the file was not found)")
    for setup in setups:
        data = _data(setup)
        for key in ("following", "who_to_follow"):
            values = data.get(key)
            for position, ident in enumerate(values if isinstance(values, list) else []):
                if isinstance(ident, str) and ident not in ids:
                    yield setup.problem((key, position),
                                        f"the id of a source in stream/sources/ "
                                        f"({', '.join(sorted(ids)) or 'none there'})")
        fills = data.get("fills") if isinstance(data.get("fills"), dict) else {}
        for name, values in fills.items():
            for position, value in enumerate(values if isinstance(values, list) else []):
                if isinstance(value, str) and ("#" in value or "@" in value):
                    yield setup.problem(("fills", name, position),
                                        "words without # or @ (hashtags and mentions belong "
                                        "in the post templates)")
        for doc in sources:
            yield from _check_templates(doc, fills)
        yield from _check_trending(setup, sources)


content.register_cross_check("stream", _cross_check)


def load(assets_dir=None) -> tuple[Setup, tuple[Source, ...], tuple[Thread, ...]]:
    """The stream simulator's setup, sources and DM threads."""
    loaded = content.load(assets_dir)
    setups = loaded.of("stream-setup")
    if not setups:
        raise content.ContentError([content.Problem(
            "assets/stream/setup.yaml", None, "(file)",
            "the stream simulator's setup in this file (the file was not found)")])
    return setups[0], loaded.of("stream-source"), loaded.of("stream-thread")
