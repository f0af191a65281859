"""The feed's HTML: post cards, audience views, friend requests, the coach's feedback.

Pure functions from the model's state to HTML strings; every piece of text that
a learner typed or an author wrote is escaped, so HTML or script in it shows
literally. Photos are inlined as ``data:`` images (nothing is fetched from
anywhere).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable
from html import escape
from pathlib import Path

from carefully import coach
from carefully.kinds.feed import YOU

from .model import Audience, Feed, PostState, RequestState

SEVERITY_WORDS = {"stop": "Stop", "caution": "Think again", "good": "Well done"}
ROLE_WORDS = {
    "colleague": "Colleague", "family": "Family", "classmate": "Classmate",
    "medical_society": "Medical society", "patient": "Patient of your practice",
    "patient_relative": "A patient's relative", "public": "Member of the public",
    "drug_rep": "Drug representative", "drug_company": "Drug company",
    "misinformation": "Health page", "news": "Local news", "journalist": "Journalist",
    "journal": "Medical journal", "health_department": "Health department",
    "hospital": "Hospital",
}
COMMENTS_SHOWN = 3


@functools.lru_cache(maxsize=64)
def _data_uri(path: str) -> str:
    data = Path(path).read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def photo_html(model: Feed, photo_id: str | None) -> str:
    photo = model.photo(photo_id)
    if photo is None:
        return ""
    try:
        source = _data_uri(str(model.content.folder / photo.file))
    except OSError:
        return f'<p class="cf-post-photo-missing">[Photo: {escape(photo.alt)}]</p>'
    return (f'<figure class="cf-post-photo"><img src="{source}" alt="{escape(photo.alt)}" '
            'width="400" height="240"></figure>')


def initials(name: str) -> str:
    words = [word for word in name.replace(".", " ").split() if word[:1].isalpha()]
    words = [word for word in words if word.lower() not in {"dr", "np", "md"}] or words
    return "".join(word[0] for word in words[:2]).upper() or "?"


def people_list(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def feedback_html(feedback: Iterable[coach.Feedback], error: str = "", text: str = "",
                  done: str = "") -> str:
    """What happened (``done``), then the coach's feedback, most serious first, each naming
    the guidance it rests on; ``text`` is what the learner wrote (findings quote it)."""
    items = [f'<p class="cf-feed-done">{escape(done)}</p>'] if done else []
    if error:
        items.append(f'<div class="cf-coach cf-coach-error" role="alert"><p>{escape(error)}</p></div>')
    for item in feedback:
        role = "alert" if item.severity == "stop" else "status"
        findings = ""
        if item.findings:
            found = "".join(
                f"<li><strong>{escape(str(getattr(f, 'label', '')))}</strong>"
                f"{excerpt(text, f)}: {escape(str(getattr(f, 'reason', '')))}</li>"
                for f in item.findings)
            findings = f'<ul class="cf-coach-findings">{found}</ul>'
        items.append(
            f'<div class="cf-coach cf-coach-{escape(item.severity)}" role="{role}">'
            f'<p class="cf-coach-title"><span class="cf-coach-badge">'
            f'{escape(SEVERITY_WORDS.get(item.severity, item.severity))}</span> '
            f"{escape(item.title)}</p>"
            f"<p>{escape(item.message)}</p>{findings}"
            f'<p class="cf-coach-sources">Guidance: {escape(item.sources)}</p></div>'
        )
    if not items:
        return ""
    return '<div class="cf-coach-box" aria-label="The coach">' + "".join(items) + "</div>"


def excerpt(text: str, finding) -> str:
    """The words of ``text`` a finding points at, quoted (empty if it is about a photo)."""
    start, end = getattr(finding, "start", None), getattr(finding, "end", None)
    if getattr(finding, "source", "text") not in ("text", "", None):
        return ""
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        return f" &ldquo;{escape(text[start:end])}&rdquo;"
    return ""


def audience_html(audience: Audience, before: Audience | None = None, *,
                  heading: str = "Who can see this") -> str:
    """The audience view: the setting, each group, and the total; growth from tags shown."""
    groups = "".join(
        f'<li class="{"cf-audience-tag" if group.via_tag else ""}">{escape(group.label)}'
        f'{"" if group.count is None else f": {group.count:,}"}'
        f'{" <em>(added by a tag)</em>" if group.via_tag else ""}</li>'
        for group in audience.groups)
    grew = ""
    if before is not None and audience.larger_than(before):
        grew = (f'<p class="cf-audience-grew">The audience grew from '
                f"{escape(before.summary().lower())} to {escape(audience.summary().lower())}.</p>")
    return (
        f'<div class="cf-audience"><p class="cf-audience-head"><strong>{escape(heading)}:</strong> '
        f'{escape(audience.label)}. <span class="cf-audience-total">{escape(audience.summary())}'
        f"</span></p><ul>{groups}</ul>{grew}</div>"
    )


def _header(model: Feed, post: PostState) -> str:
    name = model.name(post.author)
    role = "You" if post.mine else ROLE_WORDS.get(model.role(post.author) or "", "")
    audience = model.settings.audiences[post.audience].label
    return (
        '<header class="cf-post-head">'
        f'<span class="cf-avatar cf-avatar-{escape(model.role(post.author) or "you")}" '
        f'aria-hidden="true">{escape(initials(name))}</span>'
        f'<div><p class="cf-post-author"><strong>{escape(name)}</strong>'
        f'{f" <span class=cf-post-role>{escape(role)}</span>" if role else ""}</p>'
        f'<p class="cf-post-meta">{escape(post.posted)} · '
        f'<span class="cf-post-audience">Shared with: {escape(audience)}</span></p></div></header>'
    )


def _link(post: PostState) -> str:
    link = post.link
    if link is None:
        return ""
    summary = f'<span class="cf-link-summary">{escape(link.summary)}</span>' if link.summary else ""
    return (f'<div class="cf-link-card"><span class="cf-link-site">{escape(link.site)}</span>'
            f'<span class="cf-link-title">{escape(link.title)}</span>{summary}</div>')


def _shared(model: Feed, post: PostState) -> str:
    if not post.shared_from:
        return ""
    try:
        original = model.post(post.shared_from)
    except ValueError:
        return ""
    return (f'<blockquote class="cf-post-shared"><p><strong>{escape(model.name(original.author))}'
            f"</strong></p><p>{escape(original.text)}</p>{_link(original)}"
            f"{photo_html(model, original.photo)}</blockquote>")


def post_html(model: Feed, post: PostState, *, audience_open: bool = False,
              feedback: Iterable[coach.Feedback] = (), error: str = "", text: str = "",
              done: str = "") -> str:
    """One post card."""
    tagged = [model.name(ident) if ident != YOU else "you" for ident in post.tagged]
    with_line = (f'<p class="cf-post-tags">With {escape(people_list(tagged))}</p>'
                 if tagged else "")
    text = f'<p class="cf-post-text">{escape(post.text)}</p>' if post.text else ""
    likes = f"{post.likes:,} like{'' if post.likes == 1 else 's'}"
    if post.liked:
        likes += " (including yours)"
    counts = (f'<p class="cf-post-counts"><span class="cf-post-likes">{likes}</span> · '
              f"{len(post.comments)} comment{'' if len(post.comments) == 1 else 's'} · "
              f"{post.shares:,} share{'' if post.shares == 1 else 's'}</p>")
    shown = post.comments[-COMMENTS_SHOWN:]
    earlier = len(post.comments) - len(shown)
    comments = "".join(
        f'<li class="cf-comment{" cf-comment-yours" if c.author == YOU else ""}">'
        f"<strong>{escape(model.name(c.author))}</strong> "
        f'<span class="cf-comment-text">{escape(c.text)}</span></li>' for c in shown)
    if comments:
        more = f'<p class="cf-comments-more">{earlier} earlier comments</p>' if earlier else ""
        comments = f'{more}<ul class="cf-comments">{comments}</ul>'
    audience = audience_html(model.audience(post.id)) if audience_open else ""
    name = model.name(post.author)
    return (
        f'<article class="cf-post" data-post="{escape(post.id)}" '
        f'aria-label="Post by {escape(name)}">{_header(model, post)}{text}{_shared(model, post)}'
        f"{_link(post)}{photo_html(model, post.photo)}{with_line}{counts}{comments}{audience}"
        f"{feedback_html(feedback, error, text, done)}</article>"
    )


def request_html(model: Feed, state: RequestState | None, waiting: int) -> str:
    """The friend request at the top of the queue (or a note that none are waiting)."""
    if state is None:
        return ('<div class="cf-request cf-request-none"><p>No friend requests waiting. '
                "More arrive as you use the feed.</p></div>")
    request = state.request
    person = model.people.get(request.sender)
    name = person.name if person else request.sender
    about = f'<p class="cf-request-about">{escape(person.about)}</p>' if person else ""
    message = (f'<blockquote class="cf-request-message">{escape(request.message)}</blockquote>'
               if request.message else "")
    mutual = (f'<p class="cf-request-mutual">{request.mutual_friends} mutual '
              f"friend{'' if request.mutual_friends == 1 else 's'}</p>")
    more = waiting - 1
    queue = (f'<p class="cf-request-queue">{more} more request{"" if more == 1 else "s"} '
             "waiting after this one.</p>" if more > 0 else "")
    return (
        f'<div class="cf-request" data-request="{escape(request.id)}">'
        f'<header class="cf-post-head"><span class="cf-avatar" aria-hidden="true">'
        f"{escape(initials(name))}</span><div>"
        f'<p class="cf-post-author"><strong>{escape(name)}</strong> wants to be your friend</p>'
        f"{about}</div></header>{message}{mutual}{queue}</div>"
    )


def findings_html(report, text: str) -> str:
    """The post checker's findings on a draft, as the learner types."""
    if report is None:
        return ""
    findings = tuple(getattr(report, "findings", ()))
    if not findings:
        return ('<div class="cf-feed-checker cf-feed-checker-clear" role="status">'
                "<p>The post checker finds nothing that identifies a patient.</p></div>")
    items = "".join(
        f"<li><strong>{escape(str(getattr(f, 'label', getattr(f, 'kind', ''))))}</strong>"
        f"{excerpt(text, f)}: {escape(str(getattr(f, 'reason', '')))}</li>" for f in findings)
    count = len(findings)
    return (f'<div class="cf-feed-checker cf-feed-checker-found" role="status"><p>The post checker found '
            f"{count} thing{'' if count == 1 else 's'} that could identify a patient:</p>"
            f"<ul>{items}</ul></div>")

