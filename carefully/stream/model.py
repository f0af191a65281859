"""The stream simulator's model: an endless, seeded stream and the learner's new account.

Pure Python, no widgets. :class:`Stream` makes post number *n* from the
seed and *n* alone (a source chosen by weight, one of its templates, words for
the template's placeholders), so the stream never runs dry and a test can say
in advance what any post will be. :class:`Account` is the learner: a new
source with no followers, following a few accounts, with a home timeline,
likes (favorites), reposts (retweets), posts, replies, quotes and direct
messages. Every action the learner takes is judged by the course's one coach
(:func:`carefully.coach.judge`, ``simulator="stream"``); an action the coach
says ``stop`` to is not carried out. Actions return an :class:`Outcome` with
the coach's feedback and the :class:`carefully.tasks.Event` objects that tick
off practice tasks.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from carefully import coach
from carefully.kinds.stream import PLACEHOLDER, Setup, Source, Thread
from carefully.tasks import Event

from . import parse, reach

SIMULATOR = "stream"
_SEED_STEP = 1_000_003


# --- the stream -------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class Post:
    """A post in the stream; its ``index`` is both its place and its time."""

    index: int
    source: Source
    template: int  # index into source.templates
    values: tuple[str, ...]  # the words that fill the template's placeholders
    likes: int
    reposts: int
    replies: int = 0

    @property
    def text(self) -> str:
        words = iter(self.values)
        return PLACEHOLDER.sub(lambda _: next(words), self.source.templates[self.template].text)

    @property
    def facts(self) -> frozenset[str]:
        """What the coach knows about this post: who wrote it and what it is."""
        return frozenset((self.source.author_fact, *self.source.templates[self.template].facts))

    @property
    def key(self) -> str:
        return f"p{self.index}"


class Stream:
    """Every source's posts, in order, made on demand from the seed."""

    def __init__(self, sources: Sequence[Source], fills, seed: int) -> None:
        if not sources:
            raise ValueError("the stream needs at least one source")
        self.sources = tuple(sources)
        self.fills = {name: tuple(values) for name, values in fills.items()}
        self.seed = seed
        self.by_id = {source.id: source for source in self.sources}
        self.by_handle = {parse.key(source.handle): source for source in self.sources}
        self._weights = list(itertools.accumulate(source.weight for source in self.sources))
        self._tags = {source.id: [tuple(parse.key(tag) for tag in parse.hashtags(t.text))
                                  for t in source.templates] for source in self.sources}
        self.posts: list[Post] = []
        self.by_source: dict[str, list[int]] = {source.id: [] for source in self.sources}
        self.by_tag: dict[str, list[int]] = {}

    @property
    def now(self) -> int:
        """The stream's clock: how many posts it holds (the next post's index)."""
        return len(self.posts)

    def make(self, index: int) -> Post:
        """Post number ``index``, from the seed alone (the same every time)."""
        rng = random.Random(self.seed * _SEED_STEP + index)
        source = self.sources[bisect.bisect_right(self._weights, rng.random() * self._weights[-1])]
        template = rng.randrange(len(source.templates))
        values = tuple(rng.choice(self.fills[slot]) for slot in source.templates[template].slots)
        likes = rng.randint(0, max(2, source.followers // 400))
        reposts = rng.randint(0, likes // 4 + 1)
        return Post(index, source, template, values, likes, reposts, rng.randint(0, likes // 8))

    def advance(self, count: int) -> list[Post]:
        """Add the next ``count`` posts to the stream; returns them."""
        made = []
        for index in range(self.now, self.now + count):
            post = self.make(index)
            self.posts.append(post)
            self.by_source[post.source.id].append(index)
            for tag in self._tags[post.source.id][post.template]:
                self.by_tag.setdefault(tag, []).append(index)
            made.append(post)
        return made

    def tags_of(self, post: Post) -> tuple[str, ...]:
        """The post's hashtags as written (without #)."""
        return tuple(parse.hashtags(post.source.templates[post.template].text))

    def source_by_handle(self, handle: str) -> Source | None:
        return self.by_handle.get(parse.key(handle))


# --- the learner's account ----------------------------------------------------------


@dataclass(eq=False)
class Own:
    """Something the learner published: a post, a reply or a quote."""

    number: int
    kind: str  # post, reply or quote
    text: str
    at: int  # stream time
    target: Post | None  # the post replied to or quoted
    cascade: reach.Cascade
    gained: int  # followers it brought
    seq: int = 0  # orders it among your posts and reposts made at the same stream time

    @property
    def key(self) -> str:
        return f"m{self.number}"


@dataclass(frozen=True)
class Item:
    """One entry of a timeline: a post from the stream, the learner's own, or a repost."""

    kind: str  # post, own or repost
    order: tuple[int, int]
    post: Post | None = None
    own: Own | None = None

    @property
    def key(self) -> str:
        if self.kind == "own":
            return self.own.key
        return ("r" if self.kind == "repost" else "p") + str(self.post.index)


@dataclass
class Conversation:
    """A DM thread and what has been said in it so far."""

    thread: Thread
    said: list[tuple[str, str]] = field(default_factory=list)  # (who: them | you, text)
    answered: bool = False

    def __post_init__(self) -> None:
        self.said = [("them", text) for text in self.thread.messages]

    @property
    def from_them(self) -> str:
        """Everything the sender wrote, as the context the coach reads."""
        return " ".join(text for who, text in self.said if who == "them")


@dataclass(frozen=True)
class Outcome:
    """What came of an action: whether it was carried out, why, the coach's words, events."""

    done: bool
    message: str = ""
    feedback: tuple[coach.Feedback, ...] = ()
    events: tuple[Event, ...] = ()

    @property
    def worst(self) -> str:
        return coach.worst(self.feedback) or "none"


def _rules(feedback: Iterable[coach.Feedback]) -> list[str]:
    return [item.rule for item in feedback]


def over_limit_message(text: str) -> str:
    """Why a draft cannot be posted yet, or "" when it can."""
    over = -parse.remaining(text)
    if over > 0:
        return (f"This post is {over} character{'s' if over > 1 else ''} over the "
                f"{parse.LIMIT}-character limit, so it cannot be posted. Shorten it first.")
    return ""


class Account:
    """The learner's practice account on Twitter (now X)."""

    def __init__(self, setup: Setup, sources: Sequence[Source], threads: Iterable[Thread] = (),
                 *, seed: int | None = None, history: int | None = None) -> None:
        self.setup = setup
        self.stream = Stream(sources, setup.fills, setup.seed if seed is None else seed)
        self.stream.advance(setup.history if history is None else history)
        self.following: set[str] = set(setup.following)
        self.followers = 0
        self.own: list[Own] = []
        self.liked: set[int] = set()
        self.reposted: dict[int, tuple[int, int]] = {}  # post index -> timeline order
        self.seen = self.stream.now  # stream posts before this are shown in the timeline
        self.conversations = {thread.id: Conversation(thread) for thread in threads}
        self._counter = itertools.count(1)
        self.names = tuple(dict.fromkeys(
            [s.name for s in self.stream.sources if s.kind == "patient"]
            + [name for thread in threads for name in thread.names]))

    # --- reading ----------------------------------------------------------------------

    @property
    def now(self) -> int:
        return self.stream.now

    def tick(self) -> list[Post]:
        """The stream moves on by the setup's number of posts."""
        return self.stream.advance(self.setup.posts)

    def pending(self) -> int:
        """Posts from followed sources that arrived since the timeline was last shown."""
        return sum(len(posts) - bisect.bisect_left(posts, self.seen)
                   for ident, posts in self.stream.by_source.items() if ident in self.following)

    def _extras(self, tag: str | None = None) -> list[Item]:
        items = [Item("own", (own.at - 1, own.seq), own=own) for own in self.own
                 if tag is None or tag in {parse.key(t) for t in parse.hashtags(own.text)}]
        if tag is None:
            items += [Item("repost", order, post=self.stream.posts[index])
                      for index, order in self.reposted.items()]
        return sorted(items, key=lambda item: item.order, reverse=True)

    def _newest(self, indexes: list[int], before: int, count: int) -> list[Item]:
        end = bisect.bisect_left(indexes, before)
        return [Item("post", (index, 0), post=self.stream.posts[index])
                for index in reversed(indexes[max(0, end - count):end])]

    def home(self, offset: int = 0, limit: int = 5) -> list[Item]:
        """The home timeline, newest first: followed sources' posts, yours and your reposts."""
        need = offset + limit
        lists = [self._newest(self.stream.by_source[ident], self.seen, need)
                 for ident in sorted(self.following)]
        merged = heapq.merge(*lists, self._extras(), key=lambda item: item.order, reverse=True)
        return list(itertools.islice(merged, offset, need))

    def home_size(self) -> int:
        """How many items the home timeline holds (for paging)."""
        return (sum(bisect.bisect_left(self.stream.by_source[ident], self.seen)
                    for ident in self.following) + len(self.own) + len(self.reposted))

    def tagged(self, tag: str, offset: int = 0, limit: int = 5) -> list[Item]:
        """A hashtag's stream, newest first: everyone's posts that carry it, yours too."""
        need = offset + limit
        posts = self._newest(self.stream.by_tag.get(parse.key(tag), []), self.now, need)
        merged = heapq.merge(posts, self._extras(parse.key(tag)), key=lambda item: item.order,
                             reverse=True)
        return list(itertools.islice(merged, offset, need))

    def tagged_size(self, tag: str) -> int:
        return len(self.stream.by_tag.get(parse.key(tag), [])) + len(self._extras(parse.key(tag)))

    def who_to_follow(self) -> list[Source]:
        """The sources in the who-to-follow list, in the setup's order."""
        return [self.stream.by_id[ident] for ident in self.setup.who_to_follow]

    def likes_of(self, post: Post) -> int:
        return post.likes + (1 if post.index in self.liked else 0)

    def reposts_of(self, post: Post) -> int:
        return post.reposts + (1 if post.index in self.reposted else 0)

    def mentioned_sources(self, text: str) -> list[Source]:
        """The sources ``text`` @mentions (handles nobody has are left out)."""
        found = (self.stream.source_by_handle(handle) for handle in parse.mentions(text))
        return [source for source in found if source is not None]

    def cascade(self, own: Own) -> reach.Cascade:
        """How far ``own`` has travelled by now."""
        return own.cascade.until(self.now)

    # --- acting -----------------------------------------------------------------------

    def _judge(self, kind: str, *, text: str = "", audience: str = "public",
               facts: Iterable[str] = (), context: str = "", names: Sequence[str] = ()):
        return coach.judge(coach.Action(simulator=SIMULATOR, kind=kind, text=text,
                                        audience=audience, facts=frozenset(facts),
                                        context=context, names=tuple(names)))

    def _source_action(self, kind: str, source: Source, **details) -> Outcome:
        feedback = self._judge(kind, facts={source.author_fact})
        event = Event(kind, {"source": source.id, "kind": source.kind, **details,
                             "rules": _rules(feedback)})
        return Outcome(coach.worst(feedback) != "stop", "", feedback, (event,))

    def follow(self, ident: str) -> Outcome:
        """Follow a source: its posts join the home timeline at once."""
        source = self.stream.by_id[ident]
        if ident in self.following:
            return Outcome(False, f"You already follow @{source.handle}.")
        outcome = self._source_action("follow", source)
        if outcome.done:
            self.following.add(ident)
            return Outcome(True, f"You follow @{source.handle} now: their posts are in your "
                                 "home timeline.", outcome.feedback, outcome.events)
        return outcome

    def unfollow(self, ident: str) -> Outcome:
        """Stop following a source: its posts leave the home timeline at once."""
        source = self.stream.by_id[ident]
        if ident not in self.following:
            return Outcome(False, f"You do not follow @{source.handle}.")
        outcome = self._source_action("unfollow", source)
        if outcome.done:
            self.following.discard(ident)
            return Outcome(True, f"You no longer follow @{source.handle}: their posts have left "
                                 "your home timeline.", outcome.feedback, outcome.events)
        return outcome

    def like(self, index: int) -> Outcome:
        """Like (favorite) a post, or take the like back."""
        post = self.stream.posts[index]
        if index in self.liked:
            self.liked.discard(index)
            return Outcome(True, "Like taken back.", (), (Event("unlike", {"kind": post.source.kind}),))
        feedback = self._judge("like", facts=post.facts)
        event = Event("like", {"source": post.source.id, "kind": post.source.kind,
                               "rules": _rules(feedback)})
        if coach.worst(feedback) == "stop":
            return Outcome(False, "Not liked: see the coach's note.", feedback, (event,))
        self.liked.add(index)
        return Outcome(True, f"You liked @{post.source.handle}'s post.", feedback, (event,))

    def repost(self, index: int) -> Outcome:
        """Repost (retweet) a post to your followers, or undo the repost."""
        post = self.stream.posts[index]
        if index in self.reposted:
            del self.reposted[index]
            return Outcome(True, "Repost undone.", (), (Event("unrepost", {"kind": post.source.kind}),))
        feedback = self._judge("repost", facts=post.facts)
        event = Event("repost", {"source": post.source.id, "kind": post.source.kind,
                                 "rules": _rules(feedback)})
        if coach.worst(feedback) == "stop":
            return Outcome(False, "Not reposted: see the coach's note.", feedback, (event,))
        self.reposted[index] = (self.now - 1, next(self._counter))
        return Outcome(True, f"You reposted @{post.source.handle}'s post to your followers.",
                       feedback, (event,))

    def check_mentions(self, text: str) -> tuple[coach.Feedback, ...]:
        """The coach's word on the @mentions in a draft (as the learner types)."""
        facts = {s.mention_fact for s in self.mentioned_sources(text) if s.mention_fact}
        if not facts:
            return ()
        return self._judge("mention", text=text, facts=facts, names=self.names)

    def publish(self, text: str, *, reply_to: int | None = None,
                quote: int | None = None) -> Outcome:
        """Post ``text`` (or reply to, or quote, a post) if it fits and the coach agrees."""
        kind = "reply" if reply_to is not None else "quote" if quote is not None else "post"
        target = self.stream.posts[reply_to if reply_to is not None else quote] if (
            reply_to is not None or quote is not None) else None
        if not text.strip():
            return Outcome(False, "Write something first.")
        too_long = over_limit_message(text)
        if too_long:
            return Outcome(False, too_long)
        mentioned = self.mentioned_sources(text)
        facts = {s.mention_fact for s in mentioned if s.mention_fact}
        if target is not None:
            facts |= target.facts
        feedback = self._judge(kind, text=text, facts=facts, names=self.names,
                               context=target.text if target else "")
        details = {"mentioned": sorted({s.kind for s in mentioned}),
                   "has_hashtag": bool(parse.hashtags(text)), "worst": coach.worst(feedback) or "none",
                   "rules": _rules(feedback)}
        if coach.worst(feedback) == "stop":
            event = Event(kind, {**details, "published": False})
            return Outcome(False, "Not posted: the coach stopped it. Read why, edit, and try again.",
                           feedback, (event,))
        own = self._make_own(kind, text, target, mentioned)
        self.own.append(own)
        self.followers += own.gained
        if kind == "reply":
            target.replies += 1
        event = Event(kind, {**details, "published": True})
        gained = f"{own.gained} new follower{'s' if own.gained != 1 else ''}"
        return Outcome(True, f"Posted. It brought you {gained}; you have {self.followers} now.",
                       feedback, (event,))

    def _make_own(self, kind: str, text: str, target: Post | None,
                  mentioned: Sequence[Source]) -> Own:
        number = len(self.own) + 1
        rng = random.Random(f"{self.stream.seed}:own:{number}:{text}")
        tags = parse.hashtags(text)
        candidates = [reach.Candidate(s.name, s.handle, s.followers) for s in self.stream.sources
                      if s.kind not in ("patient", "misinformation")]
        pool = candidates + [reach.Candidate(r.name, r.handle, r.followers)
                             for r in self.setup.reposters]
        mentioned_candidates = [reach.Candidate(s.name, s.handle, s.followers) for s in mentioned
                                if s.kind not in ("patient", "misinformation")]
        cascade = reach.grow(rng, followers=self.followers, posted_at=self.now,
                             extra_audience=self.setup.hashtag_audience * min(len(tags), 2),
                             mentioned=mentioned_candidates, pool=pool)
        gained = 1 + rng.randint(0, 2) + 2 * min(len(tags), 2) + len(cascade.wave(1))
        return Own(number, kind, text, self.now, target, cascade, gained, next(self._counter))

    def reveal(self) -> Outcome:
        """Show the new posts: the timeline catches up with the stream."""
        count = self.pending()
        self.seen = self.now
        shown = f"{count} new post{'s' if count != 1 else ''} shown." if count else ""
        return Outcome(True, shown, (), (Event("show_new", {"count": count}),))

    def open_tag(self, tag: str) -> Outcome:
        """Look at a hashtag's stream."""
        return Outcome(True, f"Showing posts tagged #{tag}.", (),
                       (Event("hashtag", {"tag": parse.key(tag)}),))

    def look_at_reach(self, number: int) -> Outcome:
        """Look at how far one of your posts travelled."""
        return Outcome(True, "", (), (Event("reach", {"post": number}),))

    def reply_dm(self, ident: str, text: str) -> Outcome:
        """Answer a direct message, if the coach agrees; the sender may write back."""
        talk = self.conversations[ident]
        if not text.strip():
            return Outcome(False, "Write a reply first.")
        thread = talk.thread
        feedback = self._judge("reply_dm", text=text, audience="dm", facts={thread.sender.fact},
                               context=talk.from_them, names=thread.names)
        worst = coach.worst(feedback) or "none"
        details = {"thread": ident, "sender": thread.sender.kind, "worst": worst,
                   "rules": _rules(feedback)}
        if worst == "stop":
            return Outcome(False, "Not sent: the coach stopped this reply. Read why, edit it, "
                                  "and send again.", feedback,
                           (Event("reply_dm", {**details, "sent": False}),))
        talk.said.append(("you", text))
        talk.answered = True
        if worst == "good" and thread.follow_up:
            talk.said.append(("them", thread.follow_up))
        return Outcome(True, "Sent.", feedback, (Event("reply_dm", {**details, "sent": True}),))
