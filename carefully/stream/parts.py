"""The parts of the stream simulator's page, each a thin set of ipywidgets over the model.

Every part builds its widgets once and afterwards only changes their values,
so the number of widget models on a page is fixed, however long the stream
grows: the timeline shows a page of posts in a fixed set of slots. Widgets
share one layout and one style of each kind (all looks come from CSS classes
in ``static/stream.css``), which keeps the page's model count low.
Learner-typed text only ever reaches the page through :mod:`.render`, escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from carefully.pages.common import log, notice

from . import model, parse, render

PAGE_SIZE = 5
TAG_BUTTONS = 3  # hashtag buttons under each post (templates carry at most this many)


class Kit:
    """Makes widgets that share one layout and one style of each kind."""

    def __init__(self) -> None:
        self.layout = widgets.Layout()
        self.button_style = widgets.ButtonStyle()
        self.html_style = HTMLStyle()
        self.text_style = TextStyle(description_width="initial")
        self.pick_style = DescriptionStyle(description_width="initial")

    def html(self, value: str = "", *classes: str) -> widgets.HTML:
        item = widgets.HTML(value, layout=self.layout, style=self.html_style)
        for name in classes:
            item.add_class(name)
        return item

    def button(self, text: str, *classes: str, tooltip: str = "") -> widgets.Button:
        item = widgets.Button(description=text, tooltip=tooltip or None, layout=self.layout,
                              style=self.button_style)
        for name in ("cf-button", *classes):
            item.add_class(name)
        return item

    def box(self, children, *classes: str, row: bool = False) -> widgets.Box:
        item = (widgets.HBox if row else widgets.VBox)(list(children), layout=self.layout)
        for name in classes:
            item.add_class(name)
        return item


def hide(widget: widgets.DOMWidget, hidden: bool) -> None:
    if hidden:
        widget.add_class("cf-hidden")
    else:
        widget.remove_class("cf-hidden")


def safely(where: str, status: widgets.HTML | None = None) -> Callable:
    """Wrap a callback: an error is logged and the learner sees a polite notice, never a traceback."""

    def wrap(function: Callable) -> Callable:
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
                log.exception("the stream simulator failed in %s", where)
                if status is not None:
                    status.value = notice()
        return run

    return wrap


class Composer:
    """A text box with a live character counter, the post checker's findings and a send button."""

    def __init__(self, kit: Kit, page, *, label: str, placeholder: str, send: str,
                 limit: int | None = parse.LIMIT, cancel: bool = False) -> None:
        self.page, self.limit = page, limit
        self.text = widgets.Textarea(description=label, placeholder=placeholder,
                                     continuous_update=True, layout=kit.layout,
                                     style=kit.text_style, rows=3)
        self.text.add_class("cf-compose-text")
        self.counter = kit.html(render.counter_html("", limit) if limit else "", "cf-counter")
        self.why = kit.html("", "cf-limit-why")
        self.checker = kit.html("", "cf-checker-box")
        self.send = kit.button(send, "cf-send", "cf-primary")
        self.send.disabled = True
        self.cancel = kit.button("Cancel", "cf-cancel")
        hide(self.cancel, not cancel)
        self.feedback = kit.html("", "cf-feedback")
        self.widget = kit.box([self.text, self.counter, self.why, self.checker,
                               kit.box([self.send, self.cancel], "cf-row", row=True),
                               self.feedback], "cf-composer")
        self._mentions: tuple[str, ...] = ()
        self.text.observe(safely("typing", self.feedback)(self._typed), names="value")

    def publish(self) -> None:
        """Post the draft as the learner's public post; show what the coach says."""
        outcome = self.page.account.publish(self.text.value)
        self.feedback.value = render.feedback_html(outcome.feedback, outcome.message)
        if outcome.done:
            self.clear()
        self.page.after(outcome)

    def _typed(self, change) -> None:
        text = change["new"]
        if self.limit:
            self.counter.value = render.counter_html(text, self.limit)
            why = model.over_limit_message(text)
            self.why.value = f'<p class="cf-why" role="alert">{escape(why)}</p>' if why else ""
        over = self.limit is not None and parse.remaining(text, self.limit) < 0
        self.send.disabled = over or not text.strip()
        self.checker.value = render.checker_html(text, self.page.findings(text))
        mentions = tuple(parse.key(handle) for handle in parse.mentions(text))
        if mentions != self._mentions:
            self._mentions = mentions
            said = self.page.account.check_mentions(text)
            if said or self.feedback.value:
                self.feedback.value = render.feedback_html(said)

    def clear(self) -> None:
        self.text.value = ""
        self._mentions = ()


class Slot:
    """One place in the timeline where a post is shown, with its hashtags and actions."""

    def __init__(self, kit: Kit, timeline: Timeline, number: int) -> None:
        self.item: model.Item | None = None
        self.post_html = kit.html("", "cf-post-box")
        self.tags = [kit.button("#", "cf-tag") for _ in range(TAG_BUTTONS)]
        self.reply = kit.button("Reply", "cf-act", tooltip="Reply in public to this post")
        self.repost = kit.button("Repost (retweet)", "cf-act", "cf-act-repost",
                                 tooltip="Share this post with your followers; click again to undo")
        self.quote = kit.button("Quote", "cf-act", tooltip="Repost with your own comment on top")
        self.like = kit.button("Like (favorite)", "cf-act", "cf-act-like",
                               tooltip="Like this post; click again to take the like back")
        self.tag_row = kit.box(self.tags, "cf-tags", row=True)
        self.actions = kit.box([self.reply, self.repost, self.quote, self.like], "cf-actions",
                               row=True)
        self.widget = kit.box([self.post_html, self.tag_row, self.actions], "cf-slot")
        guard = safely("a post's button", timeline.status)
        for index, button in enumerate(self.tags):
            button.on_click(guard(lambda _, i=index: timeline.open_tag(self, i)))
        self.reply.on_click(guard(lambda _: timeline.start_reply(self, "reply")))
        self.quote.on_click(guard(lambda _: timeline.start_reply(self, "quote")))
        self.repost.on_click(guard(lambda _: timeline.act(self, "repost")))
        self.like.on_click(guard(lambda _: timeline.act(self, "like")))

    def show(self, item: model.Item | None, account: model.Account) -> None:
        self.item = item
        hide(self.widget, item is None)
        if item is None:
            self.post_html.value = ""
            return
        self.post_html.value = render.item_html(item, account)
        text = item.own.text if item.kind == "own" else item.post.text
        tags = parse.hashtags(text)[:TAG_BUTTONS]
        for index, button in enumerate(self.tags):
            if index < len(tags):
                button.description = f"#{tags[index]}"
                button.tooltip = f"Show everyone's posts tagged #{tags[index]}"
            hide(button, index >= len(tags))
        hide(self.tag_row, not tags)
        hide(self.actions, item.kind == "own")
        if item.kind != "own":
            self.like.description = render.like_label(account, item.post)
            self.repost.description = render.repost_label(account, item.post)


class Timeline:
    """The home timeline (or a hashtag's stream), a page of posts at a time, with "N new posts".

    With ``trending`` hashtags it is the Explore view instead: a row of
    trending hashtags and the stream of the one chosen (everyone's posts).
    """

    MAX_PENDING = 99  # past this the count stops changing and the stream pauses (see view.Clock)

    def __init__(self, kit: Kit, page, trending: tuple[str, ...] = ()) -> None:
        self.page, self.account = page, page.account
        self.explore = bool(trending)
        self.tag: str | None = trending[0] if trending else None
        self.offset = 0
        self.status = kit.html("", "cf-status")
        self.header = kit.html("", "cf-timeline-head")
        self.trending = [kit.button(f"#{tag}", "cf-tag", tooltip=f"Show everyone's posts tagged #{tag}")
                         for tag in trending]
        self.new_posts = kit.button("Show new posts", "cf-new-posts", "cf-primary",
                                    tooltip="Put the posts that arrived since you looked at the top")
        self.home = kit.button("Back to Home timeline", "cf-home")
        self.replying: tuple[str, int] | None = None
        self.context = kit.html("", "cf-reply-context")
        self.composer = Composer(kit, page, label="Your reply", placeholder="Post your reply",
                                 send="Post reply", cancel=True)
        self.reply_box = kit.box([self.context, self.composer.widget], "cf-reply-box")
        self.slots = [Slot(kit, self, number) for number in range(PAGE_SIZE)]
        self.empty = kit.html("", "cf-empty-box")
        self.newer = kit.button("Newer posts", "cf-page")
        self.older = kit.button("Older posts", "cf-page")
        top = ([kit.html('<p class="cf-timeline-title">Trending hashtags</p>'),
                kit.box(self.trending, "cf-tags", row=True)] if self.explore else [])
        self.widget = kit.box(
            [*top, self.header, kit.box([self.new_posts, self.home], "cf-row", row=True),
             self.status, self.empty, *[slot.widget for slot in self.slots],
             kit.box([self.newer, self.older], "cf-row", row=True)],
            "cf-stream", "cf-explore" if self.explore else "cf-timeline")
        guard = safely("the timeline", self.status)
        for button in self.trending:
            button.on_click(guard(lambda b: self.show_tag(b.description.lstrip("#"))))
        self.new_posts.on_click(guard(lambda _: self.reveal()))
        self.home.on_click(guard(lambda _: self.go_home()))
        self.newer.on_click(guard(lambda _: self.turn(-PAGE_SIZE)))
        self.older.on_click(guard(lambda _: self.turn(PAGE_SIZE)))
        self.composer.send.on_click(safely("a reply", self.composer.feedback)(lambda _: self.send()))
        self.composer.cancel.on_click(guard(lambda _: self.stop_reply()))
        self.stop_reply()
        self.refresh()

    # what the learner does

    def reveal(self) -> None:
        self.tag, self.offset = None, 0
        outcome = self.account.reveal()
        self.status.value = render.feedback_html((), outcome.message)
        self.page.after(outcome)

    def go_home(self) -> None:
        self.tag, self.offset = None, 0
        self.status.value = ""
        self.page.after(model.Outcome(True))

    def turn(self, step: int) -> None:
        self.offset = max(0, self.offset + step)
        self.refresh()

    def open_tag(self, slot: Slot, index: int) -> None:
        self.show_tag(slot.tags[index].description.lstrip("#"))

    def show_tag(self, tag: str) -> None:
        self.tag, self.offset = tag, 0
        outcome = self.account.open_tag(tag)
        self.status.value = render.feedback_html((), outcome.message)
        self.page.after(outcome)

    def act(self, slot: Slot, what: str) -> None:
        if slot.item is None or slot.item.post is None:
            return
        outcome = getattr(self.account, what)(slot.item.post.index)
        self.status.value = render.feedback_html(outcome.feedback, outcome.message)
        self.page.after(outcome)

    def start_reply(self, slot: Slot, kind: str) -> None:
        if slot.item is None or slot.item.post is None:
            return
        post = slot.item.post
        self.replying = (kind, post.index)
        verb = "Replying to" if kind == "reply" else "Quoting"
        self.context.value = (f'<p class="cf-post-context">{verb} @{escape(post.source.handle)}:'
                              f"</p>{render.stream_post(post)}")
        self.composer.send.description = "Post reply" if kind == "reply" else "Post quote"
        self.composer.text.description = "Your reply" if kind == "reply" else "Your comment"
        self.composer.clear()
        if kind == "reply":
            self.composer.text.value = f"@{post.source.handle} "
        self.composer.feedback.value = ""
        hide(self.reply_box, False)
        self._hold_reply_box(slot)
        self.status.value = render.feedback_html(
            (), f"{verb} @{post.source.handle}: write in the box under the post.")

    def stop_reply(self) -> None:
        self.replying = None
        self.composer.clear()
        hide(self.reply_box, True)
        self._hold_reply_box(None)

    def _hold_reply_box(self, holder: Slot | None) -> None:
        """Put the reply box under the post being answered (and nowhere else)."""
        for slot in self.slots:
            children = [slot.post_html, slot.tag_row, slot.actions]
            if slot is holder:
                children.append(self.reply_box)
            if list(slot.widget.children) != children:
                slot.widget.children = children

    def send(self) -> None:
        if self.replying is None:
            return
        kind, index = self.replying
        text = self.composer.text.value
        outcome = (self.account.publish(text, reply_to=index) if kind == "reply"
                   else self.account.publish(text, quote=index))
        self.composer.feedback.value = render.feedback_html(outcome.feedback, outcome.message)
        if outcome.done:
            self.stop_reply()
            if not self.explore:
                self.tag, self.offset = None, 0
            self.status.value = render.feedback_html(outcome.feedback, outcome.message)
        self.page.after(outcome)

    # showing the model

    def refresh(self) -> None:
        account = self.account
        if self.tag is None:
            items = account.home(self.offset, PAGE_SIZE)
            size = account.home_size()
        else:
            items = account.tagged(self.tag, self.offset, PAGE_SIZE)
            size = account.tagged_size(self.tag)
        self.header.value = render.timeline_header(self.tag, account)
        self.empty.value = render.empty_timeline(self.tag) if not items else ""
        hide(self.empty, bool(items))
        for slot, item in zip(self.slots, items + [None] * PAGE_SIZE, strict=False):
            slot.show(item, account)
        hide(self.home, self.tag is None or self.explore)
        hide(self.newer, self.offset == 0)
        hide(self.older, self.offset + PAGE_SIZE >= size)
        self.refresh_pending()

    def refresh_pending(self) -> None:
        count = 0 if self.explore else self.account.pending()
        self.new_posts.description = render.new_posts_label(count, self.MAX_PENDING)
        hide(self.new_posts, count == 0)
        for button in self.trending:
            if button.description.lstrip("#") == self.tag:
                button.add_class("cf-open")
            else:
                button.remove_class("cf-open")


class Follow:
    """The who-to-follow list: every source, with a Follow or Unfollow button."""

    def __init__(self, kit: Kit, page) -> None:
        self.page, self.account = page, page.account
        self.sources = self.account.who_to_follow()
        self.status = kit.html("", "cf-status")
        self.rows = [kit.html("", "cf-source-box") for _ in self.sources]
        self.buttons = [kit.button("Follow", "cf-follow") for _ in self.sources]
        guard = safely("the who-to-follow list", self.status)
        for source, button in zip(self.sources, self.buttons, strict=True):
            button.on_click(guard(lambda _, ident=source.id: self.toggle(ident)))
        self.widget = kit.box(
            [kit.html('<p class="cf-timeline-title">Who to follow</p>'), self.status,
             *[kit.box([row, button], "cf-source-row", row=True)
               for row, button in zip(self.rows, self.buttons, strict=True)]],
            "cf-stream", "cf-who")
        self.refresh()

    def toggle(self, ident: str) -> None:
        account = self.account
        outcome = account.unfollow(ident) if ident in account.following else account.follow(ident)
        self.status.value = render.feedback_html(outcome.feedback, outcome.message)
        self.page.after(outcome)

    def refresh(self) -> None:
        for source, row, button in zip(self.sources, self.rows, self.buttons, strict=True):
            following = source.id in self.account.following
            row.value = render.source_html(source, following)
            button.description = f"{'Unfollow' if following else 'Follow'} @{source.handle}"
            button.tooltip = (f"Stop seeing {source.name}'s posts" if following
                              else f"See {source.name}'s posts in your home timeline")
            if following:
                button.remove_class("cf-primary")
            else:
                button.add_class("cf-primary")


class Compose:
    """Your profile (followers), the composer for a new post, and your latest posts."""

    def __init__(self, kit: Kit, page) -> None:
        self.page, self.account = page, page.account
        self.profile = kit.html("", "cf-profile-box")
        self.composer = Composer(kit, page, label="Your post",
                                 placeholder="What's happening? (public: anyone can read it)",
                                 send="Post")
        self.yours = kit.html("", "cf-yours-box")
        self.widget = kit.box([self.profile, self.composer.widget, self.yours],
                              "cf-stream", "cf-compose")
        self.composer.send.on_click(safely("posting", self.composer.feedback)(lambda _: self.send()))
        self.refresh()

    def send(self) -> None:
        self.composer.publish()

    def refresh(self) -> None:
        self.profile.value = render.profile_html(self.account)
        self.yours.value = render.your_posts_html(self.account)


class Reach:
    """How far one of your posts travelled: post, choose a post, see its cascade."""

    def __init__(self, kit: Kit, page) -> None:
        self.page, self.account = page, page.account
        self.shown: model.Own | None = None
        self.composer = Composer(kit, page, label="Your post",
                                 placeholder="A post with a #hashtag (public: anyone can read it)",
                                 send="Post")
        self.choose = widgets.Dropdown(description="Your post", options=[], layout=kit.layout,
                                       style=kit.pick_style)
        self.choose.add_class("cf-reach-pick")
        self.go = kit.button("Show how far it travelled", "cf-primary")
        self.figure = kit.html(render.reach_html(None, self.account), "cf-reach-box")
        self.widget = kit.box([self.composer.widget,
                               kit.box([self.choose, self.go], "cf-row", row=True), self.figure],
                              "cf-stream", "cf-reach-view")
        self.go.on_click(safely("the reach view", self.figure)(lambda _: self.look()))
        self.composer.send.on_click(safely("posting", self.composer.feedback)(lambda _: self.send()))
        self.refresh()

    def send(self) -> None:
        self.composer.publish()

    def look(self) -> None:
        number = self.choose.value
        if number is None:
            return
        self.shown = self.account.own[number - 1]
        self.page.after(self.account.look_at_reach(number))

    def refresh(self) -> None:
        options = [(f"{own.number}. {own.text[:50]}", own.number) for own in reversed(self.account.own)]
        if [value for _, value in options] != [value for _, value in self.choose.options]:
            self.choose.options = options
            self.choose.value = options[0][1] if options else None
        self.choose.disabled = self.go.disabled = not options
        self.figure.value = render.reach_html(self.shown, self.account)


class Messages:
    """Direct messages: an inbox of threads, the open thread, and a reply box."""

    def __init__(self, kit: Kit, page) -> None:
        self.page, self.account = page, page.account
        self.ids = list(self.account.conversations)
        self.open = self.ids[0] if self.ids else None
        self.inbox = [kit.button("", "cf-inbox") for _ in self.ids]
        self.thread = kit.html("", "cf-thread-box")
        self.composer = Composer(kit, page, label="Your reply",
                                 placeholder="Write a direct message", send="Send", limit=None)
        guard = safely("direct messages", self.composer.feedback)
        for ident, button in zip(self.ids, self.inbox, strict=True):
            button.on_click(guard(lambda _, ident=ident: self.pick(ident)))
        self.composer.send.on_click(guard(lambda _: self.send()))
        self.widget = kit.box(
            [kit.html('<p class="cf-timeline-title">Direct messages (DMs)</p>'),
             kit.box(self.inbox, "cf-inbox-row", row=True), self.thread, self.composer.widget],
            "cf-stream", "cf-messages")
        self.refresh()

    def pick(self, ident: str) -> None:
        self.open = ident
        self.composer.clear()
        self.composer.feedback.value = ""
        self.refresh()

    def send(self) -> None:
        if self.open is None:
            return
        outcome = self.account.reply_dm(self.open, self.composer.text.value)
        self.composer.feedback.value = render.feedback_html(outcome.feedback, outcome.message)
        if outcome.done:
            self.composer.clear()
        self.page.after(outcome)

    def refresh(self) -> None:
        for ident, button in zip(self.ids, self.inbox, strict=True):
            talk = self.account.conversations[ident]
            button.description = render.inbox_label(talk)
            button.tooltip = f"Open the conversation with {talk.thread.sender.name}"
            if ident == self.open:
                button.add_class("cf-open")
            else:
                button.remove_class("cf-open")
        if self.open is not None:
            self.thread.value = render.conversation_html(self.account.conversations[self.open],
                                                         self.account)


def explore(kit: Kit, page) -> Timeline:
    """The Explore view: trending hashtags and their streams."""
    return Timeline(kit, page, trending=page.account.setup.trending)


PARTS = {"timeline": Timeline, "explore": explore, "follow": Follow, "compose": Compose,
         "reach": Reach, "messages": Messages}
