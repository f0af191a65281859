"""The HTML the stream simulator shows. Pure functions of the model.

Every text a learner typed, and every text from the content, is escaped here:
an ipywidgets ``HTML`` widget renders what it is given, so nothing reaches it
unescaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from carefully import coach

from . import parse, reach
from .model import Account, Conversation, Item, Own, Post

BADGES = {"stop": "Stop", "caution": "Think again", "good": "Well done"}
SEVERITY_CLASS = {"stop": "cf-coach-stop", "caution": "cf-coach-caution", "good": "cf-coach-good"}


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def text_html(text: str) -> str:
    """A post's text, escaped, with its @mentions and #hashtags marked."""
    parts = []
    for kind, piece in parse.segments(text):
        if kind == "text":
            parts.append(escape(piece))
        else:
            parts.append(f'<span class="cf-{kind}">{escape(piece)}</span>')
    return "".join(parts)


def _head(name: str, handle: str, label: str = "") -> str:
    extra = f' <span class="cf-post-label">\u00b7 {escape(label)}</span>' if label else ""
    return (f'<p class="cf-post-head"><span class="cf-post-name">{escape(name)}</span> '
            f'<span class="cf-post-handle">@{escape(handle)}</span>{extra}</p>')


def _quoted(post: Post) -> str:
    return (f'<blockquote class="cf-post-quote">{_head(post.source.name, post.source.handle)}'
            f'<p class="cf-post-text">{text_html(post.text)}</p></blockquote>')


def stream_post(post: Post, context: str = "") -> str:
    """A post from the stream (with a line above it, such as "You reposted (retweeted)")."""
    above = f'<p class="cf-post-context">{escape(context)}</p>' if context else ""
    replies = f'<p class="cf-post-stats">{plural(post.replies, "reply", "replies")}</p>'
    return (f'<article class="cf-post" data-key="p{post.index}" data-source="{escape(post.source.id)}" '
            f'aria-label="Post by {escape(post.source.name)}">{above}'
            f"{_head(post.source.name, post.source.handle, post.source.label)}"
            f'<p class="cf-post-text">{text_html(post.text)}</p>{replies}</article>')


def own_post(own: Own, account: Account) -> str:
    """One of the learner's posts, replies or quotes, with how far it travelled."""
    you = account.setup.you
    above = ""
    if own.kind == "reply" and own.target is not None:
        above = f'<p class="cf-post-context">Replying to @{escape(own.target.source.handle)}</p>'
    quoted = _quoted(own.target) if own.kind == "quote" and own.target is not None else ""
    cascade = account.cascade(own)
    stats = (f"{plural(cascade.reposts, 'repost')} \u00b7 potential reach "
             f"{plural(cascade.reach, 'account')}")
    return (f'<article class="cf-post cf-post-own" data-key="{own.key}" data-source="you" '
            f'aria-label="Your {escape(own.kind)}">{above}{_head(you.name, you.handle)}'
            f'<p class="cf-post-text">{text_html(own.text)}</p>{quoted}'
            f'<p class="cf-post-stats">{escape(stats)}</p></article>')


def item_html(item: Item, account: Account) -> str:
    if item.kind == "own":
        return own_post(item.own, account)
    context = "You reposted (retweeted)" if item.kind == "repost" else ""
    return stream_post(item.post, context)


def like_label(account: Account, post: Post) -> str:
    if post.index in account.liked:
        return f"Liked (favorited) \u00b7 {account.likes_of(post):,}"
    return f"Like (favorite) \u00b7 {account.likes_of(post):,}"


def repost_label(account: Account, post: Post) -> str:
    if post.index in account.reposted:
        return f"Reposted (retweeted) \u00b7 {account.reposts_of(post):,}"
    return f"Repost (retweet) \u00b7 {account.reposts_of(post):,}"


def feedback_html(feedback: Sequence[coach.Feedback], message: str = "") -> str:
    """The coach's notes, most serious first (praise is left out when something must stop)."""
    shown = list(feedback)
    if any(item.severity == "stop" for item in shown):
        shown = [item for item in shown if item.severity != "good"]
    notes = "".join(
        f'<div class="cf-coach-note {SEVERITY_CLASS[item.severity]}" data-rule="{escape(item.rule)}">'
        f'<p class="cf-coach-title"><span class="cf-coach-badge">{BADGES[item.severity]}</span> '
        f"{escape(item.title)}</p><p>{escape(item.message)}</p>"
        + _findings(item.findings)
        + (f'<p class="cf-coach-sources">Guidance: {escape(item.sources)}</p>' if item.guidance else "")
        + "</div>"
        for item in shown)
    said = f'<p class="cf-stream-said">{escape(message)}</p>' if message else ""
    if not notes and not said:
        return ""
    role = "alert" if any(item.severity == "stop" for item in shown) else "status"
    heading = '<p class="cf-coach-heading">The coach says</p>' if notes else ""
    return f'<div class="cf-coach" role="{role}">{said}{heading}{notes}</div>'


def _findings(findings: Iterable) -> str:
    items = "".join(f"<li><strong>{escape(f.label)}</strong>: {escape(f.reason)}</li>"
                    for f in findings)
    return f'<ul class="cf-findings">{items}</ul>' if items else ""


def checker_html(text: str, findings: Sequence) -> str:
    """The post checker's findings on a draft, as the learner types."""
    if not findings:
        return ""
    items = "".join(
        f"<li><mark>{escape(text[f.start:f.end]) if f.start >= 0 else 'photo'}</mark> "
        f"<strong>{escape(f.label)}</strong>: {escape(f.reason)}</li>" for f in findings)
    return (f'<div class="cf-checker-live"><p class="cf-checker-title">The post checker found '
            f"{plural(len(findings), 'detail')} that could identify a patient:</p>"
            f"<ul>{items}</ul></div>")


def counter_html(text: str, limit: int = parse.LIMIT) -> str:
    """The live character counter: used and left (negative when over)."""
    left = parse.remaining(text, limit)
    state = "cf-count-over" if left < 0 else "cf-count-near" if left <= 20 else ""
    return (f'<p class="cf-count {state}"><span class="cf-count-used">{parse.length(text):,}</span>'
            f" / {limit:,} characters \u00b7 {left:,} left</p>")


def profile_html(account: Account) -> str:
    you = account.setup.you
    own = len(account.own)
    return (f'<div class="cf-profile"><p class="cf-post-head"><span class="cf-post-name">'
            f'{escape(you.name)}</span> <span class="cf-post-handle">@{escape(you.handle)}</span></p>'
            f'<p class="cf-profile-counts"><strong class="cf-followers">'
            f'{plural(account.followers, "follower")}</strong> \u00b7 '
            f'{plural(len(account.following), "account")} followed \u00b7 '
            f'{plural(own, "post")}</p></div>')


def source_html(source, following: bool) -> str:
    """A row of the who-to-follow list."""
    note = f'<p class="cf-source-note">{escape(source.note)}</p>' if source.note else ""
    state = '<span class="cf-following">Following</span>' if following else ""
    return (f'<div class="cf-source" data-source="{escape(source.id)}">'
            f"{_head(source.name, source.handle, source.label)}"
            f'<p class="cf-source-bio">{escape(source.bio)} '
            f'<span class="cf-source-followers">{plural(source.followers, "follower")}</span> '
            f"{state}</p>{note}</div>")


def timeline_header(tag: str | None, account: Account) -> str:
    if tag is None:
        return (f'<p class="cf-timeline-title">Home timeline \u00b7 newest first \u00b7 posts '
                f'from the {plural(len(account.following), "account")} you follow, and yours</p>')
    return (f'<p class="cf-timeline-title">Posts tagged <span class="cf-hashtag">#{escape(tag)}</span>'
            " \u00b7 from everyone, followed or not \u00b7 newest first</p>")


def empty_timeline(tag: str | None) -> str:
    if tag is None:
        return ('<p class="cf-empty">Your home timeline is empty: follow a few accounts '
                "and their posts will appear here.</p>")
    return '<p class="cf-empty">No posts carry this hashtag yet.</p>'


def new_posts_label(count: int, cap: int) -> str:
    shown = f"{cap}+" if count >= cap else f"{count:,}"
    return f"Show {shown} new post{'' if count == 1 else 's'}"


def conversation_html(talk: Conversation, account: Account) -> str:
    """A DM thread: who wrote, a note about them, and every message."""
    sender = talk.thread.sender
    note = f'<p class="cf-source-note">{escape(talk.thread.note)}</p>' if talk.thread.note else ""
    lines = "".join(
        f'<li class="cf-dm cf-dm-{who}"><span class="cf-dm-who">'
        f'{escape(sender.name) if who == "them" else "You"}:</span> {escape(text)}</li>'
        for who, text in talk.said)
    hint = (f'<p class="cf-dm-hint">Hint: {escape(talk.thread.hint)}</p>'
            if talk.thread.hint and not talk.answered else "")
    return (f'<div class="cf-thread" data-thread="{escape(talk.thread.id)}">'
            f"{_head(sender.name, sender.handle)}{note}"
            f'<ol class="cf-dm-list">{lines}</ol>{hint}</div>')


def inbox_label(talk: Conversation) -> str:
    state = "answered" if talk.answered else "new"
    return f"{talk.thread.sender.name} ({state})"


def reach_html(own: Own | None, account: Account) -> str:
    """The reach view: the cascade's picture, with the same facts in words beside it."""
    if own is None:
        return ('<p class="cf-empty">Publish a post first; then choose it here to see how '
                "far it travels.</p>")
    cascade = account.cascade(own)
    waves = "".join(f"<li>{escape(line)}</li>" for line in reach.waves_text(cascade))
    excerpt = own.text if len(own.text) <= 80 else own.text[:77] + "..."
    return (f'<figure class="cf-reach" data-post="{own.number}">'
            f"{reach.picture(cascade, f'cf-reach-{own.number}', 'You')}"
            f'<figcaption><p class="cf-reach-post">Your post: \u201c{escape(excerpt)}\u201d</p>'
            f'<p class="cf-reach-summary">{escape(reach.summary(cascade))}</p>'
            f'<ol class="cf-reach-waves">{waves}</ol></figcaption></figure>')


def your_posts_html(account: Account, count: int = 3) -> str:
    if not account.own:
        return ('<p class="cf-empty">You have not posted yet. You are a new source with no '
                "followers: your first posts reach almost no one.</p>")
    items = "".join(own_post(own, account) for own in reversed(account.own[-count:]))
    return f'<div class="cf-your-posts"><p class="cf-timeline-title">Your latest posts</p>{items}</div>'
