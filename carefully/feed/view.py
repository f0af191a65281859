"""The practice news feed on the lesson page: thin ipywidgets panels over :class:`Feed`.

One account per page (kernel): the lesson page shows it in parts, each beside
its practice tasks: ``show_profile``, ``show_requests``, ``show_composer``,
``show_feed`` and ``show_tagging``. The feed is paged: a fixed set of widgets
shows one page of posts at a time, however many posts the course holds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from html import escape

import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from carefully import coach
from carefully.pages.checklist import ChecklistView
from carefully.pages.common import NOTICE, log, notice

from . import render
from .model import AUDIENCES, Feed, FeedError, Outcome

MODULE = 2


def _show(widget: widgets.Widget, on: bool) -> None:
    widget.layout.display = None if on else "none"


def _short(text: str, most: int = 60) -> str:
    """The first clause of a sentence, at most ``most`` characters: a menu label."""
    clause = re.split(r"[,;.]", text, maxsplit=1)[0].strip()
    return clause if len(clause) <= most else clause[:most - 3].rstrip() + "..."


def _set_options(choice: widgets.Dropdown, options: list[tuple[str, str]]) -> None:
    """New options for a menu, keeping its choice if it is still there (else the first)."""
    if list(choice.options) == options:
        return
    current = choice.value
    values = [value for _, value in options]
    choice.options = options
    choice.value = current if current in values else (values[0] if values else None)


class _Parts:
    """Makes the panels' widgets, sharing one layout and one style model among those that
    never change them: the page holds fewer widget models and loads faster."""

    def __init__(self) -> None:
        self.layout = widgets.Layout()
        self.html_style = HTMLStyle()
        self.button_style = widgets.ButtonStyle()
        self.wide = DescriptionStyle(description_width="initial")
        self.text_style = TextStyle(description_width="initial")

    def html(self, value: str = "", css: str = "") -> widgets.HTML:
        box = widgets.HTML(value, layout=self.layout, style=self.html_style)
        if css:
            box.add_class(css)
        return box

    def button(self, text: str, css: str = "cf-feed-button", **kwargs) -> widgets.Button:
        button = widgets.Button(description=text, layout=self.layout, style=self.button_style,
                                **kwargs)
        button.add_class(css)
        return button

    def box(self, children: list, css: str, vertical: bool = True,
            hides: bool = False) -> widgets.Box:
        """A row or column; ``hides`` gives it a layout of its own, to show and hide it."""
        layout = widgets.Layout() if hides else self.layout
        box = (widgets.VBox if vertical else widgets.HBox)(children, layout=layout)
        box.add_class(css)
        return box

    def text(self, kind=widgets.Text, hides: bool = False, **kwargs) -> widgets.Widget:
        return kind(layout=widgets.Layout() if hides else self.layout, style=self.text_style,
                    **kwargs)

    def choice(self, kind=widgets.Dropdown, hides: bool = False, **kwargs) -> widgets.Widget:
        return kind(layout=widgets.Layout() if hides else self.layout, style=self.wide, **kwargs)


class FeedView:
    """The widgets over one :class:`Feed`; each panel is built once and kept up to date."""

    def __init__(self, model: Feed) -> None:
        self.model = model
        self.page = 0
        self.open_audience: set[str] = set()
        # what was last said on each post: feedback, error, what the learner wrote, what happened
        self.said: dict[str, tuple[tuple[coach.Feedback, ...], str, str, str]] = {}
        self.checklists: list[ChecklistView] = []
        self._refreshers: list[Callable[[], None]] = []
        self.parts = _Parts()
        model.subscribe(self._tell_checklists)

    # --- plumbing --------------------------------------------------------------------

    def _tell_checklists(self, event) -> None:
        for checklist in self.checklists:
            try:
                checklist.observe(event)
            except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
                log.exception("the practice checklist could not take an event")

    def checklist(self, task_ids: Iterable[str] | None) -> widgets.Widget | None:
        if task_ids is None:
            return None
        view = ChecklistView(MODULE, list(task_ids))
        self.checklists.append(view)
        return view.widget

    def refresh(self) -> None:
        for refresh in self._refreshers:
            try:
                refresh()
            except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
                log.exception("a part of the news feed could not be updated")

    def _run(self, action: Callable[[], Outcome | None], shown: widgets.HTML | None = None,
             text: str = "", done: str = "") -> Outcome | None:
        """Do an action for a callback: feedback into ``shown``, never a traceback."""
        try:
            outcome = action()
        except FeedError as problem:
            if shown is not None:
                shown.value = render.feedback_html((), str(problem))
            return None
        except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
            log.exception("a news feed action failed")
            if shown is not None:
                shown.value = notice()
            return None
        if shown is not None and outcome is not None:
            shown.value = render.feedback_html(outcome.feedback, text=text, done=done)
        self.refresh()
        return outcome

    def _options(self, people) -> list[tuple[str, str]]:
        return [(person.name, person.id) for person in people]

    # --- the profile -----------------------------------------------------------------

    def profile_panel(self) -> widgets.Widget:
        make = self.parts
        model, labels = self.model, self.model.settings.audiences
        profile = model.profile
        name = make.text(value=profile.name, description="Profile name")
        kind = make.choice(
            widgets.RadioButtons, options=[("Personal profile (family and friends)", "personal"),
                     ("Professional page (for patients and the public)", "professional")],
            value=profile.kind, description="Kind of page")
        future = make.choice(options=[(labels[a].label, a) for a in AUDIENCES],
                          value=profile.future_posts,
                          description="Who can see your future posts")
        friends_list = make.choice(
            options=[(labels["public"].label, "public"), (labels["friends"].label, "friends"),
                     (labels["only_me"].label, "only_me")],
            value=profile.friends_list, description="Who can see your friends list")
        review = widgets.Checkbox(value=profile.tag_review, indent=False, layout=make.layout,
                                  description="Tag review (approve tags of you first)")
        save = make.button("Save settings", "cf-feed-primary", button_style="primary")
        said = make.html(css="cf-feed-said")
        summary = make.html(css="cf-profile-summary")

        def show_summary() -> None:
            now = model.profile
            summary.value = (
                f'<p class="cf-profile-now">Your page: <strong>{escape(now.name)}</strong>, '
                f"{'a professional page' if now.kind == 'professional' else 'a personal profile'}"
                f"; future posts: {escape(labels[now.future_posts].label)}; tag review "
                f"{'on' if now.tag_review else 'off'}.</p>")

        def on_save(_) -> None:
            self._run(lambda: model.set_profile(name=name.value, kind=kind.value,
                                                future_posts=future.value,
                                                friends_list=friends_list.value,
                                                tag_review=review.value), said,
                      done="Settings saved.")

        save.on_click(on_save)
        self._refreshers.append(show_summary)
        show_summary()
        return make.box([name, kind, future, friends_list, review, save, summary, said],
                    "cf-feed-profile")

    # --- friend requests ---------------------------------------------------------------

    def requests_panel(self) -> widgets.Widget:
        make = self.parts
        model = self.model
        card = make.html(css="cf-feed-request")
        note = make.text(widgets.Textarea, hides=True, description="Note to the sender (optional)",
                      placeholder="A short, kind note")
        note.add_class("cf-feed-note")
        accept, decline, ignore = (make.button(text) for text in ("Accept", "Decline", "Ignore"))
        answers = make.box([accept, decline, ignore], "cf-feed-actions", vertical=False, hides=True)
        said = make.html(css="cf-feed-said")
        suggestions = make.choice(description="People you may know")
        add = make.button("Send friend request")
        suggest_row = make.box([suggestions, add], "cf-feed-actions", vertical=False, hides=True)
        suggest_said = make.html(css="cf-feed-said")

        def show() -> None:
            waiting = model.waiting
            card.value = render.request_html(model, waiting[0] if waiting else None, len(waiting))
            _show(note, bool(waiting))
            _show(answers, bool(waiting))
            options = self._options(model.suggestions())
            _set_options(suggestions, options)
            _show(suggest_row, bool(options))

        def answer(kind: str) -> Callable:
            def on_click(_) -> None:
                waiting = model.waiting
                if not waiting:
                    return
                text, sender = note.value, model.name(waiting[0].request.sender)
                done = {"accept": f"You accepted {sender}'s friend request.",
                        "decline": f"You declined {sender}'s friend request.",
                        "ignore": f"You left {sender}'s friend request unanswered."}[kind]
                if self._run(lambda: model.answer(waiting[0].id, kind, text), said, text, done):
                    note.value = ""
            return on_click

        for button, kind in ((accept, "accept"), (decline, "decline"), (ignore, "ignore")):
            button.on_click(answer(kind))

        def on_add(_) -> None:
            if suggestions.value:
                person = suggestions.value
                self._run(lambda: model.send_request(person), suggest_said,
                          done=f"Friend request sent to {model.name(person)}.")

        add.on_click(on_add)
        self._refreshers.append(show)
        show()
        return make.box([card, note, answers, said, suggest_row, suggest_said], "cf-feed-requests")

    # --- the composer ----------------------------------------------------------------

    def composer_panel(self) -> widgets.Widget:
        make = self.parts
        model, labels = self.model, self.model.settings.audiences
        text = make.text(widgets.Textarea, description="What's on your mind?",
                      placeholder="Write a status update")
        text.add_class("cf-feed-draft")
        audience = make.choice(options=[(labels[a].label, a) for a in AUDIENCES],
                            value=model.profile.future_posts, description="Audience")
        picked = make.choice(widgets.SelectMultiple, hides=True, description="Friends to leave out",
                          rows=5)
        photo = make.choice(options=[("No photo", "")] + [
            (_short(p.alt), p.id) for p in model.your_photos],
            description="Photo")
        tags = make.choice(widgets.SelectMultiple, description="Tag friends", rows=5)
        live = make.html(css="cf-feed-live")
        post = make.button("Post", "cf-feed-primary", button_style="primary")
        said = make.html(css="cf-feed-said")
        seen_future = [model.profile.future_posts]

        def preview(*_) -> None:
            try:
                chosen = tuple(picked.value)
                view = model.preview_audience(
                    audience.value, tagged=tags.value,
                    excluded=chosen if audience.value == "friends_except" else (),
                    chosen=chosen if audience.value == "specific" else ())
                report = model.check_draft(text.value, photo.value or None) if (
                    text.value.strip() or photo.value) else None
                live.value = (render.audience_html(view, heading="Who will see it")
                              + render.findings_html(report, text.value))
            except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
                log.exception("the composer's preview failed")
                live.value = ""

        def show() -> None:
            friends = self._options(model.friend_people())
            for box in (picked, tags):
                if list(box.options) != friends:
                    kept = tuple(v for v in box.value if v in dict(friends).values())
                    box.options = friends
                    box.value = kept
            if model.profile.future_posts != seen_future[0]:  # Facebook starts with the default
                seen_future[0] = audience.value = model.profile.future_posts
            _show(picked, audience.value in ("friends_except", "specific"))
            picked.description = ("Friends to leave out" if audience.value == "friends_except"
                                  else "Friends who can see it")

        def on_audience(_) -> None:
            show()
            preview()

        def on_post(_) -> None:
            draft = text.value
            chosen = tuple(picked.value)
            outcome = self._run(lambda: model.publish(
                draft, audience.value, photo=photo.value or None, tagged=tags.value,
                excluded=chosen if audience.value == "friends_except" else (),
                chosen=chosen if audience.value == "specific" else ()), said, draft,
                "Posted. Your update is at the top of your news feed.")
            if outcome is not None:
                text.value, photo.value, tags.value, picked.value = "", "", (), ()
                self.page = 0
                self.refresh()

        text.observe(preview, "value")
        photo.observe(preview, "value")
        tags.observe(preview, "value")
        picked.observe(preview, "value")
        audience.observe(on_audience, "value")
        post.on_click(on_post)
        self._refreshers.append(show)
        show()
        preview()
        return make.box([text, audience, picked, photo, tags, live, post, said], "cf-feed-composer")

    # --- the news feed ---------------------------------------------------------------

    def feed_panel(self) -> widgets.Widget:
        make = self.parts
        model = self.model
        where = make.html(css="cf-feed-where")
        slots = [self._slot(index) for index in range(model.page_size)]
        previous, following = make.button("Previous page"), make.button("Next page")

        def show() -> None:
            pages = model.page_count()
            self.page = min(self.page, pages - 1)
            posts = model.page(self.page)
            where.value = (f'<p class="cf-feed-page" role="status">News feed, page {self.page + 1} '
                           f"of {pages}</p>")
            for index, (box, update) in enumerate(slots):
                _show(box, index < len(posts))
                update(posts[index] if index < len(posts) else None)
            previous.disabled = self.page == 0
            following.disabled = self.page >= pages - 1

        def turn(step: int) -> Callable:
            def on_click(_) -> None:
                self.page = min(max(self.page + step, 0), model.page_count() - 1)
                self.refresh()
            return on_click

        previous.on_click(turn(-1))
        following.on_click(turn(1))
        self._refreshers.append(show)
        show()
        return make.box([where, *[box for box, _ in slots],
                     make.box([previous, following], "cf-feed-pager", vertical=False)],
                    "cf-feed-posts")

    def _slot(self, index: int):
        """One post's place on the page: its card and its buttons, reused page after page."""
        view = self
        make = self.parts
        card = make.html(css="cf-feed-card")
        like, share, who = make.button("Like"), make.button("Share"), make.button("Who can see this?")
        comment = make.text(description="Comment", placeholder="Write a comment")
        send = make.button("Send comment")
        showing: list[str | None] = [None]

        def update(post) -> None:
            showing[0] = post.id if post is not None else None
            if post is None:
                return
            feedback, error, typed, done = view.said.get(post.id, ((), "", "", ""))
            card.value = render.post_html(view.model, post,
                                          audience_open=post.id in view.open_audience,
                                          feedback=feedback, error=error, text=typed, done=done)
            like.description = "Unlike" if post.liked else "Like"
            who.description = ("Hide who can see this" if post.id in view.open_audience
                               else "Who can see this?")

        def act(make: Callable[[str], Outcome], text: str = "",
                done: Callable[[Outcome], str] | None = None) -> Outcome | None:
            post_id = showing[0]
            if post_id is None:
                return None
            try:
                outcome = make(post_id)
            except FeedError as problem:
                view.said[post_id] = ((), str(problem), "", "")
                outcome = None
            except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
                log.exception("a news feed action failed")
                view.said[post_id] = ((), NOTICE, "", "")
                outcome = None
            else:
                view.said[post_id] = (outcome.feedback, "", text, done(outcome) if done else "")
            view.refresh()
            return outcome

        def on_like(_) -> None:
            act(lambda ident: (view.model.unlike(ident) if view.model.post(ident).liked
                               else view.model.like(ident)))

        def shared(outcome: Outcome) -> str:
            label = view.model.settings.audiences[outcome.post.audience].label
            return f"Shared to your timeline, with: {label}. It is at the top of your news feed."

        def on_share(_) -> None:
            act(lambda ident: view.model.share(ident), done=shared)

        def on_who(_) -> None:
            post_id = showing[0]
            if post_id is None:
                return
            if post_id in view.open_audience:
                view.open_audience.discard(post_id)
            else:
                try:
                    view.model.view_audience(post_id)
                except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
                    log.exception("the audience view failed")
                view.open_audience.add(post_id)
            view.refresh()

        def on_send(_) -> None:
            text = comment.value
            if act(lambda ident: view.model.comment(ident, text), text) is not None:
                comment.value = ""

        like.on_click(on_like)
        share.on_click(on_share)
        who.on_click(on_who)
        send.on_click(on_send)
        buttons = make.box([like, share, who], "cf-feed-actions", vertical=False)
        talk = make.box([comment, send], "cf-feed-comment", vertical=False)
        box = make.box([card, buttons, talk], "cf-feed-slot", hides=True)
        return box, update

    # --- tagging -----------------------------------------------------------------------

    def tagging_panel(self) -> widgets.Widget:
        make = self.parts
        model = self.model
        yours = make.choice(description="Your post")
        friend = make.choice(description="Friend to tag")
        tag = make.button("Tag")
        card = make.html(css="cf-feed-card")
        tag_said = make.html(css="cf-feed-said")
        tagged_in = make.choice(description="Posts you are tagged in")
        untag = make.button("Remove tag")
        untag_card = make.html(css="cf-feed-card")
        last: dict[str, object] = {}

        def label(post) -> str:
            words = post.text or (model.photo(post.photo).alt if post.photo else "Shared post")
            words = words if len(words) <= 60 else words[:57].rstrip() + "..."
            return f"{words} ({model.settings.audiences[post.audience].label})"

        def show() -> None:
            _set_options(yours, [(label(post), post.id) for post in model.your_posts()])
            _set_options(friend, self._options(model.friend_people()))
            mine = [(f"{model.name(post.author)}: {label(post)}", post.id)
                    for post in model.tagged_you()]
            _set_options(tagged_in, mine)
            untag.disabled = not mine
            if yours.value:
                post = model.post(yours.value)
                outcome = last.get(post.id)
                extra = ""
                if isinstance(outcome, Outcome) and outcome.audience_after is not None:
                    extra = render.audience_html(outcome.audience_after, outcome.audience_before,
                                                 heading="Who can see it now")
                card.value = render.post_html(model, post, audience_open=not extra) + extra

        def on_tag(_) -> None:
            if not (yours.value and friend.value):
                return
            post_id = yours.value
            person = friend.value
            outcome = self._run(lambda: model.tag(post_id, person), tag_said,
                                done=f"You tagged {model.name(person)}.")
            if outcome is not None:
                last[post_id] = outcome
                self.refresh()

        def on_untag(_) -> None:
            if not tagged_in.value:
                return
            outcome = self._run(lambda: model.untag(tagged_in.value), untag_card,
                                done="Your tag is removed.")
            if outcome is not None:
                last["untag"] = outcome

        tag.on_click(on_tag)
        untag.on_click(on_untag)
        yours.observe(lambda _: (show(), setattr(tag_said, "value", "")), "value")
        self._refreshers.append(show)
        show()
        return make.box([make.box([yours, friend, tag], "cf-feed-actions", vertical=False), tag_said,
                     card, make.box([tagged_in, untag], "cf-feed-actions", vertical=False),
                     untag_card],
                    "cf-feed-tagging")


# --- the lesson page's calls ----------------------------------------------------------------


@functools.cache
def session() -> FeedView:
    """This page's account (one per kernel, so one per learner's page)."""
    return FeedView(Feed())


def _display(build: Callable[[FeedView], widgets.Widget], tasks: Iterable[str] | None,
             title: str) -> None:
    from IPython.display import HTML, display

    try:
        view = session()
        panel = build(view)
        parts = [view.parts.html(f'<h3 class="cf-feed-title">{escape(title)}</h3>'), panel]
        checklist = view.checklist(tasks)
        if checklist is not None:
            parts.append(checklist)
        display(view.parts.box(parts, "cf-feed"))
    except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
        log.exception("the news feed could not be shown")
        display(HTML(notice()))


def show_profile(tasks: Iterable[str] | None = None) -> None:
    """The profile and privacy settings."""
    _display(FeedView.profile_panel, tasks, "Your profile and privacy settings")


def show_requests(tasks: Iterable[str] | None = None) -> None:
    """Friend requests, and people you may know."""
    _display(FeedView.requests_panel, tasks, "Friend requests")


def show_composer(tasks: Iterable[str] | None = None) -> None:
    """The status update composer, with the post checker and the audience preview."""
    _display(FeedView.composer_panel, tasks, "Post a status update")


def show_feed(tasks: Iterable[str] | None = None) -> None:
    """The news feed, one page at a time."""
    _display(FeedView.feed_panel, tasks, "Your news feed")


def show_tagging(tasks: Iterable[str] | None = None) -> None:
    """Tag friends in your posts and photos; untag yourself from others'."""
    _display(FeedView.tagging_panel, tasks, "Tag and untag")
