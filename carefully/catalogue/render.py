"""The catalogue as HTML: the count of topics shown and the list of topics.

Pure functions over :mod:`carefully.catalogue.model`. Every text is escaped,
including the learner's search words. Each topic opens and closes with the
browser's own ``<details>``/``<summary>``, which keyboards and screen readers
know.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from carefully.kinds.topics import Topic

from .model import Catalogue, Listing, mentions, spans

OPEN_AT_MOST = 3
"""A search that leaves this many topics or fewer shows them opened."""

Pages = Mapping[int, tuple[str, str]]
"""The module pages a topic can link to: number -> (link, name such as "Module 4, ...")."""


def highlight(text: str, words: Iterable[str]) -> str:
    """``text`` escaped, with each occurrence of the search ``words`` in ``<mark>``."""
    out, last = [], 0
    for start, end in spans(text, words):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def _topics(count: int) -> str:
    return f"{count} topic" if count == 1 else f"{count} topics"


def status(listing: Listing) -> str:
    """What the list shows, in words, such as: 3 of 14 topics match "photo"."""
    if not listing.total:
        return "The catalogue has no topics yet."
    query = " ".join(listing.query.split())
    if not listing.words and not listing.tag:
        return f"Showing all {_topics(listing.total)}."
    if not listing.count:
        what = []
        if listing.tag:
            what.append(f"is tagged {listing.tag}")
        if listing.words:
            what.append(f"matches \u201c{query}\u201d")
        return (f"No topic {' and '.join(what)}. Try another word, or show all topics.")
    verb_s = "s" if listing.count == 1 else ""
    what = []
    if listing.tag:
        what.append(f"{'is' if listing.count == 1 else 'are'} tagged {listing.tag}")
    if listing.words:
        what.append(f"match{'es' if verb_s else ''} \u201c{query}\u201d")
    return f"{listing.count} of {_topics(listing.total)} {' and '.join(what)}."


def _items(css: str, lines: Iterable[str], words: tuple[str, ...]) -> str:
    return f'<ul class="{css}">' + "".join(f"<li>{highlight(line, words)}</li>"
                                          for line in lines) + "</ul>"


def _practice(topic: Topic, catalogue: Catalogue, pages: Pages) -> str:
    """The line that sends the learner to the topic's dilemma, on the page that plays it."""
    dilemma = catalogue.dilemma(topic.dilemma or "")
    name = f"the dilemma \u201c{escape(dilemma.title)}\u201d"
    href, where = pages.get(dilemma.module, (None, ""))
    link = f'<a class="cf-topic-dilemma" href="{escape(href)}">{name}</a>' if href else name
    where = f" in {escape(where)}" if where else ""
    return f'<p class="cf-topic-practice">Practise it: play {link}{where}.</p>'


def found_under(topic: Topic, words: tuple[str, ...]) -> tuple[str, ...]:
    """The parts of a closed topic where the search words are, out of sight."""
    parts = (("Do", topic.do), ("Avoid", topic.avoid), ("What the evidence says", topic.evidence))
    return tuple(name for name, lines in parts if words and mentions(lines, words))


def render_topic(topic: Topic, catalogue: Catalogue, words: tuple[str, ...] = (), *,
                 opened: bool = False, pages: Pages | None = None) -> str:
    """One topic as a ``<details>`` card: title and summary, then do, avoid, evidence, sources."""
    parts = [
        '<h3 class="cf-topic-part">Do</h3>', _items("cf-topic-do", topic.do, words),
        '<h3 class="cf-topic-part">Avoid</h3>', _items("cf-topic-avoid", topic.avoid, words),
    ]
    if topic.evidence:
        parts += ['<h3 class="cf-topic-part">What the evidence says</h3>',
                  _items("cf-topic-evidence", topic.evidence, words)]
    sources = [catalogue.source(ident) for ident in topic.sources]
    cited = [f"<li><strong>{escape(s.short)}</strong>"
             + (f": {escape(s.citation)}" if s.citation else "") + "</li>" for s in sources]
    cited += [f"<li>{escape(reference)}</li>" for reference in topic.references]
    parts += ['<h3 class="cf-topic-part">Sources</h3>',
              f'<ul class="cf-topic-sources">{"".join(cited)}</ul>']
    if topic.dilemma:
        parts.append(_practice(topic, catalogue, pages or {}))
    tags = "".join(f'<li class="cf-tag">{escape(tag)}</li>' for tag in topic.tags)
    hidden = () if opened else found_under(topic, words)
    found = (f'<span class="cf-topic-found">Found under: {escape(", ".join(hidden))}</span>'
             if hidden else "")
    return (
        f'<li class="cf-topic" data-topic="{escape(topic.id)}">'
        f'<details{" open" if opened else ""}>'
        f'<summary><span class="cf-topic-title">{highlight(topic.title, words)}</span>'
        f'<span class="cf-topic-lede">{highlight(topic.summary, words)}</span>{found}</summary>'
        f'<div class="cf-topic-body">{"".join(parts)}</div></details>'
        f'<ul class="cf-tag-list" aria-label="Tags">{tags}</ul></li>'
    )


def render_listing(listing: Listing, catalogue: Catalogue, *, pages: Pages | None = None) -> str:
    """The count, announced to screen readers, then the topics of ``listing``."""
    words = listing.words
    opened = bool(words) and 0 < listing.count <= OPEN_AT_MOST
    cards = "".join(render_topic(topic, catalogue, words, opened=opened, pages=pages)
                    for topic in listing.topics)
    return (
        '<div class="cf-catalogue-list">'
        f'<p class="cf-catalogue-count" role="status" aria-live="polite">'
        f"{escape(status(listing))}</p>"
        + (f'<ul class="cf-topics" aria-label="Best-practice topics">{cards}</ul>' if cards else "")
        + "</div>"
    )


def render_card(topic: Topic, catalogue: Catalogue, *, pages: Pages | None = None) -> str:
    """One topic on its own, opened, as a lesson section shows it."""
    card = render_topic(topic, catalogue, opened=True, pages=pages)
    return (f'<div class="cf-catalogue-list cf-topic-alone">'
            f'<p class="cf-kicker">From the best-practice catalogue</p>'
            f'<ul class="cf-topics" aria-label="Best-practice topic">{card}</ul></div>')
