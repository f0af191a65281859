"""The best-practice catalogue as data: the topics, their tags, search and filter.

Pure Python, no widgets. Search ignores case, accents ("resume" finds
"résumé") and punctuation ("email" finds "e-mail"); every word typed must
appear in a topic's title, summary, do, avoid, evidence or tags.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from carefully import content
from carefully.kinds import guidance, topics
from carefully.kinds.topics import Topic

DILEMMA_MODULE = 4
"""The module whose page plays a dilemma, when the dilemma does not say."""


# --- folding text for search ----------------------------------------------------


def _fold_char(char: str) -> str:
    """One character as search sees it: no accents, no case; punctuation becomes a space."""
    if not char.isalnum():
        return " "
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare.casefold() or " "


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` folded for search, and for each folded character the index it came from."""
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        folded.append(piece)
        positions.extend([index] * len(piece))
    return "".join(folded), positions


def fold(text: str) -> str:
    """``text`` folded for search: lowercase, without accents, punctuation as spaces."""
    return "".join(_fold_char(char) for char in text)


def terms(query: str) -> tuple[str, ...]:
    """The words of a query, folded, without repeats."""
    return tuple(dict.fromkeys(fold(query or "").split()))


def spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Where any of ``words`` (folded) occurs in ``text``: merged (start, end) index pairs."""
    folded, positions = fold_with_positions(text)
    found: list[tuple[int, int]] = []
    for word in words:
        start = folded.find(word)
        while word and start != -1:
            end = start + len(word)
            found.append((positions[start], positions[end - 1] + 1))
            start = folded.find(word, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_JOINERS = str.maketrans("", "", "-'\u2019\u2010\u2011")


def folded_for_search(text: str) -> str:
    """``text`` folded, and again without hyphens and apostrophes (so "email" finds "e-mail")."""
    return fold(text) + " \n " + fold(text.translate(_JOINERS))


def mentions(texts: Iterable[str], words: Iterable[str]) -> bool:
    """True if any of ``words`` (folded) appears in any of ``texts``."""
    text = folded_for_search(" \n ".join(texts))
    return any(word in text for word in words)


def searchable(topic: Topic) -> str:
    """All the text search looks at in a topic, folded."""
    return folded_for_search(" \n ".join((topic.title, topic.summary, *topic.do, *topic.avoid,
                                          *topic.evidence, *topic.tags)))


# --- the catalogue --------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A topic's source as the page names it: AMA Opinion 2.3.2, and the full citation."""

    id: str
    short: str
    citation: str


@dataclass(frozen=True)
class DilemmaRef:
    """What a topic needs to link to a dilemma: its title and the module that plays it."""

    id: str
    title: str
    module: int = DILEMMA_MODULE


@dataclass(frozen=True)
class Listing:
    """The topics shown for a search and a tag."""

    topics: tuple[Topic, ...]
    query: str
    tag: str  # "" for every tag
    total: int  # topics in the whole catalogue

    @property
    def words(self) -> tuple[str, ...]:
        return terms(self.query)

    @property
    def count(self) -> int:
        return len(self.topics)

    @property
    def narrowed(self) -> bool:
        """True when the search or the tag leaves out some topics."""
        return self.count < self.total

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(topic.id for topic in self.topics)


class Catalogue:
    """The topics, sorted by title, with their tags, sources and dilemma titles."""

    def __init__(self, items: Iterable[Topic], sources: Mapping[str, Source] | None = None,
                 dilemmas: Mapping[str, DilemmaRef] | None = None) -> None:
        self.topics: tuple[Topic, ...] = tuple(sorted(items, key=lambda t: (fold(t.title), t.id)))
        self.sources: Mapping[str, Source] = dict(sources or {})
        self.dilemmas: Mapping[str, DilemmaRef] = dict(dilemmas or {})
        self._text = {topic.id: searchable(topic) for topic in self.topics}
        counts = Counter(tag for topic in self.topics for tag in topic.tags)
        self.tags: tuple[tuple[str, int], ...] = tuple(sorted(counts.items()))

    def __len__(self) -> int:
        return len(self.topics)

    def topic(self, ident: str) -> Topic:
        """The topic with this id; KeyError if there is none."""
        for topic in self.topics:
            if topic.id == ident:
                return topic
        raise KeyError(ident)

    def search(self, query: str) -> tuple[Topic, ...]:
        """The topics containing every word of ``query`` (all topics for an empty query)."""
        words = terms(query)
        return tuple(t for t in self.topics if all(w in self._text[t.id] for w in words))

    def tagged(self, tag: str) -> tuple[Topic, ...]:
        """The topics carrying ``tag`` (all topics for an empty tag)."""
        return tuple(t for t in self.topics if not tag or tag in t.tags)

    def listing(self, query: str = "", tag: str = "") -> Listing:
        """The topics that match ``query`` and carry ``tag``."""
        tagged = {topic.id for topic in self.tagged(tag)}
        found = tuple(topic for topic in self.search(query) if topic.id in tagged)
        return Listing(found, query or "", tag or "", len(self.topics))

    def source(self, ident: str) -> Source:
        """A source by guidance id (the bare id if the guidance is not loaded)."""
        return self.sources.get(ident, Source(ident, ident, ""))

    def dilemma(self, ident: str) -> DilemmaRef:
        """A dilemma by id; if it is not loaded, its id in words, played in module 4."""
        return self.dilemmas.get(ident) or DilemmaRef(ident, ident.replace("-", " ").capitalize())


def _dilemmas(loaded: content.Content) -> dict[str, DilemmaRef]:
    """The loaded dilemmas by id, as far as their objects tell (none if there are no dilemmas)."""
    found: dict[str, DilemmaRef] = {}
    for kind in topics.dilemma_kinds():
        for item in loaded.objects.get(kind.name, ()):
            ident, title, module = (getattr(item, key, None) for key in ("id", "title", "module"))
            if isinstance(ident, str) and isinstance(title, str) and title.strip():
                number = module if isinstance(module, int) else DILEMMA_MODULE
                found[ident] = DilemmaRef(ident, " ".join(title.split()), number)
    return found


def load(assets_dir=None) -> Catalogue:
    """The catalogue from the course content (validated by :mod:`carefully.content`)."""
    loaded = content.load(assets_dir)
    sources = {ident: Source(ident, entry.short, entry.citation)
               for ident, entry in guidance.catalogue(assets_dir).items()}
    return Catalogue(loaded.of("topics"), sources, _dilemmas(loaded))
