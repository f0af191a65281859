"""How far a post travels through reposts (retweets): the cascade, its reach, its picture.

Pure Python. A post reaches the author's followers; each account that
reposts it passes it on to its own followers, and some of them repost it in
turn: a cascade in waves. The *potential reach* is the number of accounts the
post was put in front of: the author's followers plus the followers of every
account that reposted it. Audiences overlap, so this is an upper bound, the
way platforms count impressions; it is the number the lesson uses.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape

RATES = (0.05, 0.01, 0.004)
"""How readily a post is reposted in waves 1, 2 and 3: an audience of *n* people
gives on average ``rate * sqrt(n)`` reposts (big audiences repost a smaller share)."""
MAX_NODES = 18  # the most reposts a cascade grows (so its picture stays readable)
MAX_CHILDREN = 4  # the most reposts one account's repost leads to
MENTIONED_REPOST = 0.5  # the chance that an account you mention reposts you


@dataclass(frozen=True)
class Candidate:
    """An account that might repost."""

    name: str
    handle: str
    followers: int


@dataclass(frozen=True)
class Node:
    """One repost in the cascade."""

    name: str
    handle: str
    followers: int
    parent: int  # index of the repost it came from in Cascade.nodes; -1: the original post
    wave: int  # 1: reposted the original; 2: reposted a wave-1 repost ...
    at: int  # stream time at which it happened


@dataclass(frozen=True)
class Cascade:
    """A post and the reposts that carried it."""

    followers: int  # the author's followers when the post went out
    posted_at: int
    nodes: tuple[Node, ...] = ()

    def until(self, now: int) -> Cascade:
        """The cascade as it stood at stream time ``now``."""
        return replace(self, nodes=tuple(node for node in self.nodes if node.at <= now))

    @property
    def reposts(self) -> int:
        return len(self.nodes)

    @property
    def waves(self) -> int:
        return max((node.wave for node in self.nodes), default=0)

    @property
    def reach(self) -> int:
        return potential_reach(self)

    def wave(self, number: int) -> tuple[Node, ...]:
        return tuple(node for node in self.nodes if node.wave == number)


def potential_reach(cascade: Cascade) -> int:
    """The author's followers plus the followers of every account that reposted."""
    return cascade.followers + sum(node.followers for node in cascade.nodes)


def _draw(rng: random.Random, expected: float) -> int:
    """A whole number whose average is ``expected``."""
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def grow(rng: random.Random, *, followers: int, posted_at: int, extra_audience: int,
         mentioned: Sequence[Candidate], pool: Sequence[Candidate]) -> Cascade:
    """The whole future cascade of a post, drawn from ``rng`` (so seeded and repeatable).

    ``followers`` see the post, and so do ``extra_audience`` people who browse
    its hashtags; each accounts ``mentioned`` is notified and may repost.
    Reposters come from ``pool``, small accounts first more often than big
    ones; each repost happens 1 to 3 ticks after the one it came from.
    """
    # Small accounts are likelier to pick up a stranger's post than big ones: draw
    # the order in which reposters come with weights 1/sqrt(followers).
    keys = {who: rng.random() ** math.sqrt(who.followers + 1) for who in pool}
    available = sorted((who for who in pool if who not in mentioned), key=keys.__getitem__)
    nodes: list[Node] = []

    def add(who: Candidate, parent: int, wave: int, after: int) -> tuple[int, int, int]:
        node = Node(who.name, who.handle, who.followers, parent, wave, after + rng.randint(1, 3))
        nodes.append(node)
        return len(nodes) - 1, who.followers, node.at

    def spread(parent: int, audience: int, wave: int, at: int) -> list[tuple[int, int, int]]:
        grown = []
        for _ in range(min(MAX_CHILDREN, _draw(rng, math.sqrt(audience) * RATES[wave - 1]))):
            if not available or len(nodes) >= MAX_NODES:
                break
            grown.append(add(available.pop(), parent, wave, at))
        return grown

    frontier = [add(who, -1, 1, posted_at) for who in mentioned[:MAX_NODES]
                if rng.random() < MENTIONED_REPOST]
    frontier += spread(-1, followers + extra_audience, 1, posted_at)
    for wave in range(2, len(RATES) + 1):
        frontier = [grown for parent, audience, at in frontier
                    for grown in spread(parent, audience, wave, at)]
    return Cascade(followers, posted_at, tuple(nodes))


# --- the picture --------------------------------------------------------------

_COLUMN = 150
_ROW = 44
_LEFT = 60


def _radius(followers: int) -> float:
    return 5 + 2.2 * math.log10(followers + 1)


def _fmt(number: int) -> str:
    return f"{number:,}"


def summary(cascade: Cascade) -> str:
    """One or two sentences that say what the picture shows."""
    reach = _fmt(cascade.reach)
    yours = f"{_fmt(cascade.followers)} follower{'' if cascade.followers == 1 else 's'}"
    if not cascade.nodes:
        return (f"No one has reposted this post yet. Its potential reach is your {yours}.")
    times = "once" if cascade.reposts == 1 else f"{cascade.reposts} times"
    waves = "1 wave" if cascade.waves == 1 else f"{cascade.waves} waves"
    return (f"Reposted {times} in {waves}. Potential reach: {reach} accounts "
            f"(your {yours} plus the followers of everyone who reposted it).")


def picture(cascade: Cascade, ident: str, you: str = "You") -> str:
    """The cascade as an SVG image (role img, titled with :func:`summary`)."""
    columns: list[list[int]] = [[] for _ in range(cascade.waves + 1)]
    for index, node in enumerate(cascade.nodes):
        columns[node.wave].append(index)
    rows = max([1] + [len(column) for column in columns])
    height = rows * _ROW + 24
    width = _LEFT + cascade.waves * _COLUMN + 150
    place: dict[int, tuple[float, float]] = {-1: (_LEFT, height / 2)}
    for wave, column in enumerate(columns[1:], start=1):
        top = (height - len(column) * _ROW) / 2 + _ROW / 2
        for row, index in enumerate(column):
            place[index] = (_LEFT + wave * _COLUMN, top + row * _ROW)
    lines, dots = [], []
    parents = {node.parent for node in cascade.nodes}
    for index, node in enumerate(cascade.nodes):
        (x1, y1), (x2, y2) = place[node.parent], place[index]
        radius = _radius(node.followers)
        lines.append(f'<line class="cf-reach-edge" x1="{x1:.0f}" y1="{y1:.0f}" '
                     f'x2="{x2:.0f}" y2="{y2:.0f}"/>')
        label = (f'x="{x2:.0f}" y="{y2 - radius - 3:.0f}" text-anchor="middle"' if index in parents
                 else f'x="{x2 + radius + 4:.0f}" y="{y2 + 4:.0f}"')
        dots.append(f'<circle class="cf-reach-node" cx="{x2:.0f}" cy="{y2:.0f}" r="{radius:.1f}"/>'
                    f'<text class="cf-reach-label" {label}>@{escape(node.handle)}</text>')
    x, y = place[-1]
    root = (f'<circle class="cf-reach-root" cx="{x:.0f}" cy="{y:.0f}" '
            f'r="{_radius(cascade.followers) + 2:.1f}"/>'
            f'<text class="cf-reach-label" x="{x:.0f}" y="{y + _radius(cascade.followers) + 16:.0f}" '
            f'text-anchor="middle">{escape(you)}</text>')
    text = escape(summary(cascade))
    return (f'<svg class="cf-reach-svg" role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" aria-labelledby="{ident}-title">'
            f'<title id="{ident}-title">{text}</title>'
            + "".join(lines) + root + "".join(dots) + "</svg>")


def waves_text(cascade: Cascade) -> list[str]:
    """Each wave in words, for the text beside the picture."""
    said = []
    for number in range(1, cascade.waves + 1):
        who = ", ".join(f"@{node.handle} ({_fmt(node.followers)} followers)"
                        for node in cascade.wave(number))
        what = "reposted your post" if number == 1 else "reposted a repost"
        said.append(f"Wave {number} ({what}): {who}.")
    return said
