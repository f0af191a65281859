"""The practice news feed's content (assets/feed/): people, photos, posts, friend requests, settings.

A course author adds a post by adding an entry to a file in ``assets/feed/posts/``;
`carefully validate` names the file and field of anything that does not fit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from carefully import content, settings
from carefully.kinds import coach as coach_kind

YOU = "you"
"""The id that stands for the learner in posts (``author: you``, ``tagged: [you]``)."""

AUDIENCES = ("public", "friends", "friends_except", "specific", "only_me")


@dataclass(frozen=True)
class Person:
    """A synthetic person (or page) in the feed."""

    id: str
    name: str
    role: str  # colleague, family, patient ... (see feed-people.schema.json)
    about: str
    friends: int  # their friends (or followers), for the audience view
    your_friend: bool


@dataclass(frozen=True)
class Photo:
    """A picture drawn for the course, with what the coach should notice in it."""

    id: str
    file: str  # relative to assets/feed/
    alt: str
    shows: tuple[str, ...]  # clinical_area, patient_face, alcohol, screen_or_chart
    metadata: Mapping[str, str]
    yours: bool  # the learner may attach it to a status update


@dataclass(frozen=True)
class Link:
    """A link, shown as a preview card."""

    url: str
    title: str
    site: str
    summary: str


@dataclass(frozen=True)
class Comment:
    author: str
    text: str


@dataclass(frozen=True)
class Post:
    """A post as written in the content (its state in a learner's feed lives in the model)."""

    id: str
    author: str  # a person's id, or YOU
    posted: str
    audience: str
    text: str
    link: Link | None
    photo: str | None
    tagged: tuple[str, ...]
    likes: int
    shares: int
    comments: tuple[Comment, ...]
    facts: tuple[str, ...]
    example: str | None  # bad, safe or None


@dataclass(frozen=True)
class Request:
    """A friend request that arrives after ``arrives_after`` of the learner's actions."""

    id: str
    sender: str
    arrives_after: int
    message: str
    mutual_friends: int


@dataclass(frozen=True)
class AudienceText:
    label: str
    means: str


@dataclass(frozen=True)
class Settings:
    page_size: int
    your_name: str
    your_friends: int
    practice_name: str
    practice_page: str
    audiences: Mapping[str, AudienceText]


def _text(value: str | None) -> str:
    return (value or "").strip()


def _build_people(doc: content.Document) -> tuple[Person, ...]:
    return tuple(Person(item["id"], item["name"].strip(), item["role"], _text(item["about"]),
                        int(item["friends"]), bool(item.get("your_friend", False)))
                 for item in doc.data["people"])


def _build_photos(doc: content.Document) -> tuple[Photo, ...]:
    return tuple(Photo(item["id"], item["file"], _text(item["alt"]), tuple(item.get("shows", ())),
                       {str(k): str(v) for k, v in (item.get("metadata") or {}).items()},
                       bool(item.get("yours", False)))
                 for item in doc.data["photos"])


def _build_posts(doc: content.Document) -> tuple[Post, ...]:
    posts = []
    for item in doc.data["posts"]:
        link = item.get("link")
        posts.append(Post(
            id=item["id"], author=item["author"], posted=item["posted"].strip(),
            audience=item["audience"], text=_text(item["text"]),
            link=Link(link["url"], _text(link["title"]), link["site"].strip(),
                      _text(link.get("summary", ""))) if link else None,
            photo=item.get("photo"), tagged=tuple(item.get("tagged", ())),
            likes=int(item.get("likes", 0)), shares=int(item.get("shares", 0)),
            comments=tuple(Comment(c["author"], _text(c["text"])) for c in item.get("comments", ())),
            facts=tuple(item.get("facts", ())), example=item.get("example"),
        ))
    return tuple(posts)


def _build_requests(doc: content.Document) -> tuple[Request, ...]:
    return tuple(Request(item["id"], item["from"], int(item["arrives_after"]),
                         _text(item.get("message", "")), int(item.get("mutual_friends", 0)))
                 for item in doc.data["requests"])


def _build_settings(doc: content.Document) -> Settings:
    data = doc.data
    return Settings(
        page_size=int(data["page_size"]), your_name=data["you"]["name"].strip(),
        your_friends=int(data["you"]["friends"]), practice_name=data["practice"]["name"].strip(),
        practice_page=_text(data["practice"]["page"]),
        audiences={key: AudienceText(value["label"].strip(), _text(value["means"]))
                   for key, value in data["audiences"].items()},
    )


def _unique_ids(doc: content.Document, key: str) -> Iterator[content.Problem]:
    items = doc.data.get(key) if isinstance(doc.data, dict) else None
    seen: set[str] = set()
    for index, item in enumerate(items if isinstance(items, list) else []):
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str):
            if ident in seen:
                yield doc.problem((key, index, "id"), f"an id used once ({ident!r} repeats)")
            seen.add(ident)


def _check_people(doc: content.Document) -> Iterator[content.Problem]:
    yield from _unique_ids(doc, "people")


def _yaml_path(doc: content.Document) -> Path | None:
    """Where a parsed file lives on disk, when that can be told from its display name."""
    name = Path(doc.file)
    candidates = [name] if name.is_absolute() else [settings.assets_dir().parent / name,
                                                     Path.cwd() / name]
    return next((path for path in candidates if path.is_file()), None)


def _check_photos(doc: content.Document) -> Iterator[content.Problem]:
    yield from _unique_ids(doc, "photos")
    where = _yaml_path(doc)
    photos = doc.data.get("photos") if isinstance(doc.data, dict) else None
    if where is None:
        return
    for index, item in enumerate(photos if isinstance(photos, list) else []):
        file = item.get("file") if isinstance(item, dict) else None
        if isinstance(file, str) and not (where.parent / file).is_file():
            yield doc.problem(("photos", index, "file"),
                              f"a picture file that exists in assets/feed/ ({file} was not found)")


def _check_posts(doc: content.Document) -> Iterator[content.Problem]:
    posts = doc.data.get("posts") if isinstance(doc.data, dict) else None
    for index, post in enumerate(posts if isinstance(posts, list) else []):
        facts = post.get("facts") if isinstance(post, dict) else None
        for position, fact in enumerate(facts if isinstance(facts, list) else []):
            if isinstance(fact, str) and fact not in coach_kind.FACTS:
                yield doc.problem(("posts", index, "facts", position),
                                  f"one of the coach's facts: {', '.join(coach_kind.FACTS)}")
        if isinstance(post, dict) and not str(post.get("text", "")).strip() \
                and not post.get("photo") and not post.get("link"):
            yield doc.problem(("posts", index, "text"), "some text, a photo or a link (the post is empty)")


def _no_checks(doc: content.Document) -> Iterator[content.Problem]:
    return iter(())


def _check_requests(doc: content.Document) -> Iterator[content.Problem]:
    yield from _unique_ids(doc, "requests")


def _ids(docs: Sequence[content.Document], key: str) -> set[str]:
    found = set()
    for doc in docs:
        items = doc.data.get(key) if isinstance(doc.data, dict) else None
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found.add(item["id"])
    return found


def _cross_check(docs: Mapping[str, Sequence[content.Document]]) -> Iterator[content.Problem]:
    people = _ids(docs.get("feed-people", ()), "people")
    photos = _ids(docs.get("feed-photos", ()), "photos")
    people_list = ", ".join(sorted(people)) or "none listed"

    def person(doc, path, value, you_allowed=True):
        if isinstance(value, str) and value not in people and not (you_allowed and value == YOU):
            yield doc.problem(path, f"the id of a person in assets/feed/people.yaml "
                                    f"({people_list}{', or you' if you_allowed else ''})")

    seen: dict[str, str] = {}
    for doc in docs.get("feed-posts", ()):
        posts = doc.data.get("posts") if isinstance(doc.data, dict) else None
        for index, post in enumerate(posts if isinstance(posts, list) else []):
            if not isinstance(post, dict):
                continue
            yield from person(doc, ("posts", index, "author"), post.get("author"))
            tagged = post.get("tagged")
            for position, ident in enumerate(tagged if isinstance(tagged, list) else []):
                yield from person(doc, ("posts", index, "tagged", position), ident)
            comments = post.get("comments")
            for position, comment in enumerate(comments if isinstance(comments, list) else []):
                if isinstance(comment, dict):
                    yield from person(doc, ("posts", index, "comments", position, "author"),
                                      comment.get("author"))
            photo = post.get("photo")
            if isinstance(photo, str) and photo not in photos:
                yield doc.problem(("posts", index, "photo"),
                                  f"the id of a photo in assets/feed/photos.yaml "
                                  f"({', '.join(sorted(photos)) or 'none listed'})")
            ident = post.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    yield doc.problem(("posts", index, "id"),
                                      f"a post id no other post uses ({ident!r} is also in {seen[ident]})")
                seen.setdefault(ident, doc.file)
    for doc in docs.get("feed-requests", ()):
        requests = doc.data.get("requests") if isinstance(doc.data, dict) else None
        for index, request in enumerate(requests if isinstance(requests, list) else []):
            if isinstance(request, dict):
                yield from person(doc, ("requests", index, "from"), request.get("from"),
                                  you_allowed=False)


for _name, _pattern, _schema, _build, _check, _what in (
    ("feed-people", "feed/people.yaml", "feed-people.schema.json", _build_people, _check_people,
     "the people of the news feed"),
    ("feed-photos", "feed/photos.yaml", "feed-photos.schema.json", _build_photos, _check_photos,
     "the photos of the news feed"),
    ("feed-posts", "feed/posts/*.yaml", "feed-posts.schema.json", _build_posts, _check_posts,
     "posts in the news feed"),
    ("feed-requests", "feed/requests.yaml", "feed-requests.schema.json", _build_requests,
     _check_requests, "friend requests in the news feed"),
    ("feed-settings", "feed/settings.yaml", "feed-settings.schema.json", _build_settings,
     _no_checks, "the news feed's settings"),
):
    content.register(content.Kind(name=_name, pattern=_pattern, schema=_schema, build=_build,
                                  check=_check, required=False, what=_what))
content.register_cross_check("feed-references", _cross_check)


@dataclass(frozen=True)
class FeedContent:
    """Everything the feed simulator shows, from one assets folder."""

    folder: Path  # assets/feed
    people: Mapping[str, Person]
    photos: Mapping[str, Photo]
    posts: tuple[Post, ...]
    requests: tuple[Request, ...]
    settings: Settings


def load(assets_dir=None) -> FeedContent:
    """The feed's content (validated; raises content.ContentError when something is wrong)."""
    loaded = content.load(assets_dir)
    found = loaded.of("feed-settings")
    if not found:
        raise content.ContentError([content.Problem("assets/feed/settings.yaml", None, "(file)",
                                                    "the news feed's settings (not found)")])
    return FeedContent(
        folder=loaded.folder / "feed",
        people={person.id: person for group in loaded.of("feed-people") for person in group},
        photos={photo.id: photo for group in loaded.of("feed-photos") for photo in group},
        posts=tuple(post for group in loaded.of("feed-posts") for post in group),
        requests=tuple(request for group in loaded.of("feed-requests") for request in group),
        settings=found[0],
    )
