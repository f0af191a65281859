"""The post-checker page: type a draft, see what could identify a patient, and why.

A thin view over :func:`carefully.privacy.check`. What the learner types is
shown back as text (HTML-escaped), with each finding marked inline by a
``<mark>`` that names its kind, listed below with its plain-language reason,
and the draft's elevator-test verdict. Drafts are never stored; only the
practice tasks they complete are recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import ipywidgets as widgets

from carefully import learners, tasks
from carefully.kinds import lessons

from .checklist import ChecklistView
from .common import FIELD_STYLE, log, notice

EVENT = "check"
"""The kind of :class:`carefully.tasks.Event` each check reports."""

MIN_WORDS_FOR_A_FIX = 3
"""A draft counts as rewritten to pass only if it still says something."""


# --- HTML (pure functions of a report) -------------------------------------------


def _in_text(finding: Any, text: str) -> bool:
    """True for a finding that points at a span of the draft (not at the photo)."""
    source = getattr(finding, "source", "text")
    return (source in (None, "", "text", "post", "draft")
            and 0 <= finding.start < finding.end <= len(text))


@dataclass(frozen=True)
class _Cluster:
    start: int
    end: int
    numbered: tuple[tuple[int, Any], ...]  # (number in the list, finding)


def _clusters(text: str, findings: Sequence[Any]) -> list[_Cluster]:
    """Findings in the draft grouped where they overlap, in reading order."""
    numbered = [(number, finding) for number, finding in enumerate(findings, 1)
                if _in_text(finding, text)]
    numbered.sort(key=lambda item: (item[1].start, -item[1].end))
    clusters: list[_Cluster] = []
    for number, finding in numbered:
        last = clusters[-1] if clusters else None
        if last is not None and finding.start < last.end:
            clusters[-1] = _Cluster(last.start, max(last.end, finding.end),
                                    (*last.numbered, (number, finding)))
        else:
            clusters.append(_Cluster(finding.start, finding.end, ((number, finding),)))
    return clusters


def _label(finding: Any) -> str:
    return str(getattr(finding, "label", "") or getattr(finding, "kind", "identifier"))


def render_marked(text: str, findings: Sequence[Any]) -> str:
    """The draft as escaped text, each finding in a ``<mark>`` naming its kind."""
    parts, at = [], 0
    for cluster in _clusters(text, findings):
        parts.append(escape(text[at:cluster.start]))
        names = "; ".join(f"{number}: {_label(finding)}" for number, finding in cluster.numbered)
        kinds = " ".join(dict.fromkeys(str(finding.kind) for _, finding in cluster.numbered))
        direct = any(getattr(finding, "direct", True) for _, finding in cluster.numbered)
        numbers = ",".join(str(number) for number, _ in cluster.numbered)
        parts.append(
            f'<mark class="cf-finding {"cf-direct" if direct else "cf-indirect"}" '
            f'data-kind="{escape(kinds)}" title="Finding {escape(names)}">'
            f"{escape(text[cluster.start:cluster.end])}"
            f'<span class="cf-visually-hidden"> (finding {escape(names)})</span></mark>'
            f'<sup class="cf-finding-number" aria-hidden="true">{numbers}</sup>'
        )
        at = cluster.end
    parts.append(escape(text[at:]))
    return "".join(parts)


_SOURCES = {"photo description": "in the photo description",
            "photo metadata": "in the photo's hidden data (its metadata)"}


def _where(finding: Any, text: str) -> str:
    """What was found, in quotes, or where in the photo it was found."""
    if _in_text(finding, text):
        return f'<q class="cf-found">{escape(text[finding.start:finding.end])}</q>'
    source = str(getattr(finding, "source", ""))
    return f'<span class="cf-found">{escape(_SOURCES.get(source, "in the photo"))}</span>'


def render_findings(text: str, findings: Sequence[Any]) -> str:
    """Each finding with its kind, what was found and, in plain words, why it matters."""
    items = []
    for number, finding in enumerate(findings, 1):
        what = ("one of the 18 HIPAA identifiers" if getattr(finding, "direct", True)
                else "a detail that can identify a patient indirectly")
        items.append(
            f'<li class="cf-finding-item" data-kind="{escape(str(finding.kind))}" '
            f'value="{number}">'
            f'<p><strong>{escape(_label(finding))}</strong>: '
            f"{_where(finding, text)} "
            f'<span class="cf-finding-type">({what})</span></p>'
            f'<p class="cf-reason">{escape(str(finding.reason))}</p></li>'
        )
    count = len(findings)
    heading = ("Nothing that could identify a patient was found" if not count
               else f"{count} thing{'s' if count != 1 else ''} that could identify a patient")
    listing = f'<ol class="cf-findings">{"".join(items)}</ol>' if items else ""
    return f'<h3 class="cf-findings-heading">{heading}</h3>{listing}'


def render_report(text: str, report: Any, photo_description: str = "") -> str:
    """The whole result: the verdict, the draft with its findings marked, the list."""
    if not text.strip() and not photo_description.strip():
        return ('<div class="cf-checker-result"><p class="cf-checker-empty">'
                "Type a draft above; the checker marks anything that could identify a "
                "patient as you write.</p></div>")
    passes = bool(report.passes_elevator_test)
    verdict_class = "cf-pass" if passes else "cf-fail"
    verdict = str(report.verdict)
    if not verdict.lower().startswith(("passes", "fails")):
        verdict = ("Passes the elevator test. " if passes else "Fails the elevator test. ") + verdict
    draft = (f'<div class="cf-draft" aria-label="Your draft with findings marked" role="group">'
             f"{render_marked(text, report.findings)}</div>") if text else ""
    return (
        '<div class="cf-checker-result">'
        f'<div class="cf-verdict {verdict_class}" role="status">'
        f'<p><span class="cf-verdict-mark" aria-hidden="true">{"✓" if passes else "✗"}</span> '
        f"{escape(verdict)}</p></div>"
        + draft + render_findings(text, report.findings) + "</div>"
    )


# --- the widget ---------------------------------------------------------------------


def _photo(description: str) -> Any:
    from carefully import privacy

    if not description.strip():
        return None
    return privacy.Photo(description=description)


def _task_ids(module: int) -> list[str]:
    lesson = lessons.lesson(module)
    return [task.id for task in (lesson.tasks if lesson else ())
            if task.done_when.get("event") == EVENT]


class CheckerView:
    """A draft box, an optional photo description, and the live result."""

    def __init__(self, module: int, learner_id: str | None = None,
                 task_ids: Sequence[str] | None = None) -> None:
        self.module = module
        self.learner_id = learner_id or learners.current_learner_id()
        chosen = list(task_ids) if task_ids is not None else _task_ids(module)
        self.checklist = ChecklistView(module, chosen, self.learner_id) if chosen else None
        self.flagged_before = False

        self.draft = widgets.Textarea(
            description="Your draft post", placeholder="Type a post as you would write it",
            continuous_update=True, rows=5, style=FIELD_STYLE,
            layout=widgets.Layout(width="100%"))
        self.draft.add_class("cf-checker-draft")
        self.photo = widgets.Textarea(
            description="Photo description (optional)",
            placeholder="If the post has a photo, say what it shows",
            continuous_update=True, rows=2, style=FIELD_STYLE,
            layout=widgets.Layout(width="100%"))
        self.photo.add_class("cf-checker-photo")
        self.result = widgets.HTML(render_report("", None))
        self.result.add_class("cf-checker-output")
        self.draft.observe(self._on_change, names="value")
        self.photo.observe(self._on_change, names="value")
        parts: list[widgets.Widget] = [self.draft, self.photo, self.result]
        if self.checklist is not None:
            parts.append(self.checklist.widget)
        self.widget = widgets.VBox(parts)
        self.widget.add_class("cf-checker")

    def check(self) -> Any:
        """Check the current draft, show the result and report the event; returns the report."""
        from carefully import privacy

        text, description = self.draft.value, self.photo.value
        report = privacy.check(text, photo=_photo(description))
        self.result.value = render_report(text, report, description)
        if text.strip() or description.strip():
            passes = bool(report.passes_elevator_test)
            fixed = (passes and self.flagged_before
                     and len(text.split()) >= MIN_WORDS_FOR_A_FIX)
            self.flagged_before = self.flagged_before or not passes
            event = tasks.Event(EVENT, {"passes": passes, "fixed": fixed,
                                        "kinds": tuple(f.kind for f in report.findings),
                                        "photo": bool(description.strip())})
            if self.checklist is not None:
                self.checklist.observe(event)
        return report

    def _on_change(self, _change) -> None:
        try:
            self.check()
        except Exception:  # noqa: BLE001 (the learner sees a notice, the server log why)
            log.exception("the post checker failed")
            self.result.value = notice()


def show(module: int = 4, task_ids: Sequence[str] | None = None) -> CheckerView | None:
    """Display the post checker on a module page, with the module's checker tasks."""
    from IPython.display import HTML, display

    try:
        view = CheckerView(module, task_ids=task_ids)
    except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
        log.exception("the post checker could not be shown")
        display(HTML(notice()))
        return None
    display(view.widget)
    return view
