"""The stream simulator on a lesson page: one practice account, shown in parts, on a clock.

A lesson notebook calls :func:`show` once per section, for example
``view.show("timeline", tasks=["show-new-posts"])``; every part shows the
same account (one :class:`Page` per kernel), and each call makes a new part
for its section. Parts: ``timeline`` (home timeline and hashtag streams),
``explore`` (trending hashtags), ``follow`` (who to follow), ``compose`` (your
profile and a new post), ``reach`` (a post, and how far it travelled) and
``messages`` (direct messages).

The stream moves on while the page is open: :class:`Clock` runs on the
kernel's own event loop (no thread), adds posts every few seconds and updates
the "N new posts" button. It sends the page a message only when something
visible changes, and it pauses once 99 posts are waiting or after 10 minutes
without a click, so a page left open (or closed without a goodbye) goes quiet
and the server's culler can end its kernel. No widget is created after the
parts are built.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from html import escape

import ipywidgets as widgets

from carefully import learners
from carefully.kinds import stream as stream_content
from carefully.pages.checklist import ChecklistView
from carefully.pages.common import log, notice

from . import model, parts

MODULE = 3
IDLE_MINUTES = 10


class Clock:
    """Moves the stream on every few seconds while someone is using the page."""

    def __init__(self, page: Page, seconds: float, loop: asyncio.AbstractEventLoop) -> None:
        self.page, self.seconds, self.loop = page, seconds, loop
        self.idle_ticks = max(1, int(IDLE_MINUTES * 60 / seconds))
        self.quiet = 0  # ticks since the learner last did something
        self.handle: asyncio.TimerHandle | None = None

    @property
    def running(self) -> bool:
        return self.handle is not None

    def start(self) -> None:
        if self.handle is None:
            self.handle = self.loop.call_later(self.seconds, self._tick)

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None

    def touched(self) -> None:
        """The learner did something: keep (or start) the stream moving."""
        self.quiet = 0
        self.start()

    def _tick(self) -> None:
        self.handle = None
        try:
            self.quiet += 1
            if self.quiet > self.idle_ticks:
                return  # the page looks abandoned: stop until the next click
            self.page.tick()
            if self.page.account.pending() >= parts.Timeline.MAX_PENDING:
                return  # the count no longer changes: wait for "Show new posts"
        except Exception:  # noqa: BLE001 (logged; the clock must never take the page down)
            log.exception("the stream's clock failed")
            return
        self.start()


class Page:
    """One learner's practice account and the parts of it shown on the page."""

    def __init__(self, account: model.Account, learner_id: str | None = None) -> None:
        self.account = account
        self.learner_id = learner_id or learners.current_learner_id()
        self.kit = parts.Kit()
        self.parts: list[tuple[str, object]] = []
        self.checklists: list[ChecklistView] = []
        self.clock: Clock | None = None

    @classmethod
    def from_content(cls, assets_dir=None, learner_id: str | None = None) -> Page:
        setup, sources, threads = stream_content.load(assets_dir)
        return cls(model.Account(setup, sources, threads), learner_id)

    def add(self, name: str):
        """A new part called ``name`` (each section of the page has its own)."""
        part = parts.PARTS[name](self.kit, self)
        self.parts.append((name, part))
        return part

    def named(self, name: str) -> list:
        """The parts called ``name``, in the order they were added."""
        return [part for called, part in self.parts if called == name]

    def widget(self, name: str, tasks: Sequence[str] = ()) -> widgets.Widget:
        """A new part, with the practice tasks for it above it."""
        shown = self.add(name).widget
        if not tasks:
            return shown
        checklist = ChecklistView(MODULE, list(tasks), learner_id=self.learner_id)
        self.checklists.append(checklist)
        return self.kit.box([checklist.widget, shown], "cf-practice")

    def findings(self, text: str) -> tuple:
        """The post checker's findings on a draft (none if the checker cannot run)."""
        if not text.strip():
            return ()
        try:
            from carefully import privacy

            return tuple(privacy.check(text, names=self.account.names).findings)
        except Exception:  # noqa: BLE001 (logged; the draft works without the checker)
            log.exception("the post checker failed on a draft")
            return ()

    def after(self, outcome: model.Outcome) -> None:
        """After an action: tick off tasks, then bring every part up to date."""
        for event in outcome.events:
            for checklist in self.checklists:
                checklist.observe(event)
        self.refresh()
        if self.clock is not None:
            self.clock.touched()

    def refresh(self) -> None:
        for _, part in self.parts:
            part.refresh()

    def tick(self) -> None:
        """The stream moves on; only what the clock changes is updated."""
        before = {own.number: own.cascade.until(self.account.now).reposts for own in self.account.own}
        self.account.tick()
        for timeline in self.named("timeline"):
            timeline.refresh_pending()
        grown = any(own.cascade.until(self.account.now).reposts != before[own.number]
                    for own in self.account.own)
        if grown:  # your posts' reach grew: show it wherever they appear
            for name, part in self.parts:
                if name != "follow":
                    part.refresh()

    def start_clock(self) -> None:
        """Start the stream's clock on the kernel's event loop, if there is one."""
        if self.clock is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (a test, a script): the stream moves only when told
        self.clock = Clock(self, self.account.setup.seconds, loop)
        self.clock.start()


_page: Page | None = None


def page() -> Page:
    """This kernel's page (one practice account per page view)."""
    global _page
    if _page is None:
        _page = Page.from_content()
    return _page


def show(name: str, tasks: Sequence[str] = ()) -> None:
    """Display a part of the simulator (timeline, follow, compose, reach, messages)."""
    from IPython.display import HTML, display

    try:
        current = page()
        shown = current.widget(name, tasks)
        current.start_clock()
    except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
        log.exception("the stream simulator could not be shown (%s)", escape(name))
        display(HTML(notice()))
        return
    display(shown)
