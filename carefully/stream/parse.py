"""Reading a post the way X does: its length, its @mentions and its #hashtags.

Pure functions, no widgets.

Counting characters: X counts the characters of a post after Unicode NFC
normalisation (so "é" typed as "e" plus a combining accent counts once). For
text in Latin and most other scripts each character (each Unicode code point)
counts 1, which is what :func:`length` does. X also weighs a few things
differently, which this simulator leaves out on purpose: every link counts 23
whatever its length, and Chinese, Japanese and Korean characters and emoji
count 2. The lessons use plain text, where code points are the whole story.

Mentions follow X's rules for handles: ``@`` (or the full-width ``＠``) and 1
to 15 ASCII letters, digits or underscores, not glued to a word before it (so
an e-mail address is no mention) and not running on into more letters. Hashtags
are ``#`` (or ``＃``) and letters, marks, digits or underscores in any script,
with at least one letter: ``#Grippe2024``, ``#São_Paulo``, ``#医療``; ``#2024``,
``C#`` and ``&#39;`` are not hashtags. Punctuation ends both: ``@reyes,`` is
``reyes`` and ``#Measles!`` is ``Measles``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

LIMIT = 280
MENTION_SIGNS = "@\uff20"
HASHTAG_SIGNS = "#\uff03"
_HANDLE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_NOT_BEFORE_MENTION = _HANDLE_CHARS | frozenset("!#$%&*") | frozenset(MENTION_SIGNS)
_TAG_EXTRA = frozenset("_\u200c\u200d\u00b7")  # underscore, zero-width (non-)joiner, middle dot
MAX_HANDLE = 15


@dataclass(frozen=True)
class Entity:
    """A mention or hashtag in a text: where it is and what it names."""

    kind: str  # "mention" or "hashtag"
    start: int  # index of the @ or #
    end: int  # index just after the last character
    value: str  # the handle or tag as written, without its sign

    @property
    def key(self) -> str:
        """What makes two mentions or tags the same: case does not matter."""
        return key(self.value)


def key(name: str) -> str:
    """The form in which handles and hashtags are compared (case-insensitive)."""
    return unicodedata.normalize("NFKC", name.lstrip(MENTION_SIGNS + HASHTAG_SIGNS)).casefold()


def length(text: str) -> int:
    """The characters X counts in ``text``: code points after NFC normalisation."""
    return len(unicodedata.normalize("NFC", text))


def remaining(text: str, limit: int = LIMIT) -> int:
    """Characters left before the limit (negative when over it)."""
    return limit - length(text)


def _is_tag_char(char: str) -> bool:
    return char in _TAG_EXTRA or unicodedata.category(char)[0] in "LM" or (
        unicodedata.category(char) == "Nd")


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _followed_by_link(text: str, end: int) -> bool:
    return text.startswith("://", end)


def _mention_at(text: str, index: int) -> Entity | None:
    if index > 0 and text[index - 1] in _NOT_BEFORE_MENTION:
        return None
    end = index + 1
    while end < len(text) and text[end] in _HANDLE_CHARS:
        end += 1
    size = end - index - 1
    if not 1 <= size <= MAX_HANDLE:
        return None
    if end < len(text) and (text[end] in MENTION_SIGNS or _is_letter(text[end])
                            or _followed_by_link(text, end)):
        return None
    return Entity("mention", index, end, text[index + 1:end])


def _hashtag_at(text: str, index: int) -> Entity | None:
    if index > 0 and (_is_tag_char(text[index - 1]) or text[index - 1] == "&"):
        return None
    end = index + 1
    while end < len(text) and _is_tag_char(text[end]):
        end += 1
    body = text[index + 1:end]
    if not any(_is_letter(char) for char in body):
        return None
    if end < len(text) and (text[end] in HASHTAG_SIGNS or _followed_by_link(text, end)):
        return None
    return Entity("hashtag", index, end, body)


def entities(text: str) -> list[Entity]:
    """Every mention and hashtag in ``text``, in order."""
    found = []
    index = 0
    while index < len(text):
        char = text[index]
        entity = None
        if char in MENTION_SIGNS:
            entity = _mention_at(text, index)
        elif char in HASHTAG_SIGNS:
            entity = _hashtag_at(text, index)
        if entity is not None:
            found.append(entity)
            index = entity.end
        else:
            index += 1
    return found


def _unique(kind: str, text: str) -> list[str]:
    seen: dict[str, str] = {}
    for entity in entities(text):
        if entity.kind == kind:
            seen.setdefault(entity.key, entity.value)
    return list(seen.values())


def mentions(text: str) -> list[str]:
    """The handles ``text`` mentions, without the @, each once, in order."""
    return _unique("mention", text)


def hashtags(text: str) -> list[str]:
    """The hashtags in ``text``, without the #, each once (whatever its case), in order."""
    return _unique("hashtag", text)


def segments(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ("text" | "mention" | "hashtag", piece) for display."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for entity in entities(text):
        if entity.start > position:
            pieces.append(("text", text[position:entity.start]))
        pieces.append((entity.kind, text[entity.start:entity.end]))
        position = entity.end
    if position < len(text):
        pieces.append(("text", text[position:]))
    return pieces
