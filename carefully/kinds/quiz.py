"""The quiz player's words (assets/quiz/wording.yaml).

Each line is a template; the words in {braces} it may use are listed in
:data:`PLACEHOLDERS`, and the check names any other as a problem.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from carefully import content

_NONE: tuple[str, ...] = ()
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "heading": ("title",),
    "intro": ("pass_mark", "total"),
    "attempts_rule": ("allowed", "counts"),
    "counts_best": _NONE,
    "counts_last": _NONE,
    "attempts_left": ("left", "allowed"),
    "no_attempts_left": ("allowed",),
    "question_heading": ("number", "total"),
    "single_label": ("number",),
    "truefalse_label": ("number",),
    "multiple_label": ("number",),
    "reflection_label": ("number",),
    "reflection_placeholder": _NONE,
    "reflection_note": _NONE,
    "reflection_note_required": _NONE,
    "too_long": ("characters",),
    "submit": _NONE,
    "submit_again": _NONE,
    "unanswered": ("numbers",),
    "grading": _NONE,
    "slow": _NONE,
    "failed": _NONE,
    "pending": _NONE,
    "result_heading": ("attempt", "score", "max_score", "percent"),
    "passed": ("pass_mark",),
    "not_passed": ("pass_mark",),
    "tampered": _NONE,
    "reflection_waiting": _NONE,
    "counting": ("attempt", "percent", "score", "max_score"),
    "question_result": ("number",),
    "right": ("points", "max"),
    "partly": ("points", "max"),
    "wrong": ("points", "max"),
    "timed_out": ("points", "max"),
    "not_credited": _NONE,
    "reflection_pending": _NONE,
    "reflection_empty": _NONE,
    "reflection_graded": ("points", "max"),
    "why": _NONE,
    "reread": ("section",),
}


@dataclass(frozen=True)
class QuizWords:
    """The player's words; ``say(name, **values)`` fills one in."""

    words: Mapping[str, str]

    def say(self, name: str, **values: object) -> str:
        return self.words[name].format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _fields(text: str) -> Iterator[str]:
    for _, field, _, _ in string.Formatter().parse(text):
        if field is not None:
            yield field


def _build(doc: content.Document) -> QuizWords:
    return QuizWords({key: " ".join(value.split()) for key, value in doc.data.items()})


def _check(doc: content.Document) -> Iterator[content.Problem]:
    data = doc.data if isinstance(doc.data, dict) else {}
    for key, text in data.items():
        if key not in PLACEHOLDERS or not isinstance(text, str):
            continue
        try:
            fields = list(_fields(text))
        except ValueError:
            yield doc.problem((key,), "text whose { and } come in pairs (write {{ or }} "
                              "for a brace itself)")
            continue
        allowed = PLACEHOLDERS[key]
        for field in fields:
            if field not in allowed:
                choices = ", ".join("{" + name + "}" for name in allowed) or "none"
                yield doc.problem((key,), f"only these words in braces: {choices} "
                                  f"(got {{{field}}})")


content.register(content.Kind(name="quiz_words", pattern="quiz/wording.yaml",
                              schema="quiz-wording.schema.json", build=_build, check=_check,
                              what="the quiz player's words"))


def words(assets_dir=None) -> QuizWords:
    """The quiz player's words from the course content."""
    return content.load(assets_dir).of("quiz_words")[0]
