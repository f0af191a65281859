"""The coach: judges a learner's action in any simulator against the guidance.

One engine for every simulator. The rules are course content, in
``assets/coach/*.yaml`` (see the comment at the top of those files); each rule
names the guidance it rests on (``assets/guidance.yaml``). A simulator
describes what the learner did as an :class:`Action` and shows the
:class:`Feedback` that :func:`judge` returns, most serious first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from carefully import content
from carefully.kinds.coach import Rule
from carefully.kinds.guidance import Guidance

SEVERITY_ORDER = {"stop": 0, "caution": 1, "good": 2}


@dataclass(frozen=True)
class Action:
    """What the learner did, as the coach needs to know it.

    ``simulator``: feed, stream or checker. ``kind``: an action name from
    :data:`carefully.kinds.coach.ACTIONS`. ``text``: what the learner wrote.
    ``audience``: who can see it (:data:`carefully.kinds.coach.AUDIENCES`).
    ``facts``: what the simulator knows about the situation
    (:data:`carefully.kinds.coach.FACTS`). ``context``: the message being
    answered, if any. ``photo`` and ``names`` are passed to the post checker.
    """

    simulator: str
    kind: str
    text: str = ""
    audience: str = ""
    facts: frozenset[str] = frozenset()
    context: str = ""
    photo: object | None = None  # a carefully.privacy.Photo
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feedback:
    """One thing the coach says about an action."""

    rule: str
    severity: str  # stop, caution or good
    title: str
    message: str
    guidance: tuple[Guidance, ...]
    findings: tuple = field(default=())  # carefully.privacy.Finding, for rules about identifiers

    @property
    def sources(self) -> str:
        """The guidance it rests on, as the learner reads it: "AMA Opinion 2.3.2; HIPAA Safe Harbor"."""
        return "; ".join(item.short for item in self.guidance)


def rules(assets_dir: str | Path | None = None) -> tuple[Rule, ...]:
    """Every coach rule in the course content, in file and then rule order."""
    return tuple(rule for group in content.load(assets_dir).of("coach") for rule in group)


def _findings(action: Action) -> tuple:
    from carefully import privacy

    text = action.text
    return privacy.check(text, photo=action.photo, names=action.names).findings


def _matches(rule: Rule, action: Action, findings: tuple | None) -> bool:
    when = rule.when
    if when.simulators and action.simulator not in when.simulators:
        return False
    if when.actions and action.kind not in when.actions:
        return False
    if when.audiences and action.audience not in when.audiences:
        return False
    if not when.facts_all <= action.facts:
        return False
    if when.facts_any and not when.facts_any & action.facts:
        return False
    if when.facts_none & action.facts:
        return False
    if when.words_any is not None and not when.words_any.search(action.text):
        return False
    if when.words_none is not None and when.words_none.search(action.text):
        return False
    if when.context_any is not None and not when.context_any.search(action.context):
        return False
    if when.identifiers is not None:
        assert findings is not None
        relevant = [f for f in findings if not when.identifiers or f.kind in when.identifiers]
        if when.identifiers_found != bool(relevant):
            return False
    return True


def judge(action: Action, assets_dir: str | Path | None = None) -> tuple[Feedback, ...]:
    """What the coach says about ``action``: every matching rule, most serious first."""
    catalogue = content.load(assets_dir).of("guidance")[0]
    all_rules = rules(assets_dir)
    needs_checker = any(rule.when.identifiers is not None for rule in all_rules)
    findings = _findings(action) if needs_checker and (action.text or action.photo) else ()
    said = []
    for rule in all_rules:
        if _matches(rule, action, findings):
            shown = findings if rule.when.identifiers is not None and rule.when.identifiers_found else ()
            if rule.when.identifiers:
                shown = tuple(f for f in shown if f.kind in rule.when.identifiers)
            said.append(Feedback(rule.id, rule.severity, rule.title, rule.message,
                                 tuple(catalogue[ident] for ident in rule.guidance), shown))
    return tuple(sorted(said, key=lambda item: SEVERITY_ORDER[item.severity]))


def worst(feedback: Iterable[Feedback]) -> str | None:
    """The most serious severity among ``feedback`` (None if the coach said nothing)."""
    levels = sorted((item.severity for item in feedback), key=SEVERITY_ORDER.__getitem__)
    return levels[0] if levels else None
