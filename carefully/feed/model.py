"""The practice news feed: a Facebook-like account as plain Python (no widgets).

:class:`Feed` holds one learner's account: their profile and privacy settings,
the posts of the news feed (from ``assets/feed/``) and what the learner did to
them, their friends and the friend requests that arrive as they work. Every
action returns an :class:`Outcome`: what the coach said (:mod:`carefully.coach`),
the :class:`carefully.tasks.Event` objects the practice checklist listens to,
and any friend requests that arrived. :meth:`Feed.audience` says who can see a
post, from its audience setting, the people tagged and their friends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from carefully import coach, tasks
from carefully.kinds import coach as coach_kind
from carefully.kinds import feed as feed_kind
from carefully.kinds.feed import YOU, Comment, FeedContent, Link, Person, Photo

AUDIENCES = feed_kind.AUDIENCES
PROFILE_KINDS = ("personal", "professional")
FRIENDS_LIST = ("public", "friends", "only_me")
ANSWERS = {"accept": "accept_request", "decline": "decline_request", "ignore": "ignore_request"}
PAGE_ROLES = frozenset({"medical_society", "health_department", "hospital", "journal", "news",
                        "drug_company", "misinformation"})
"""Roles that are pages: followed, not friended."""
PATIENT_ROLES = frozenset({"patient", "patient_relative"})


class FeedError(ValueError):
    """An action that cannot be done as asked; the message is worded for the learner."""


@dataclass(frozen=True)
class Profile:
    """The learner's profile and privacy settings."""

    name: str
    kind: str = "personal"  # personal or professional
    future_posts: str = "friends"  # the audience new status updates start with
    friends_list: str = "friends"  # who sees the friends list: public, friends, only_me
    tag_review: bool = False  # Facebook's default is off


@dataclass
class PostState:
    """A post as it stands in this learner's feed."""

    id: str
    author: str
    posted: str
    audience: str
    text: str
    link: Link | None = None
    photo: str | None = None
    tagged: list[str] = field(default_factory=list)
    likes: int = 0
    liked: bool = False
    shares: int = 0
    comments: list[Comment] = field(default_factory=list)
    facts: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()  # for friends_except
    chosen: tuple[str, ...] = ()  # for specific
    shared_from: str | None = None  # the id of the post this one shares

    @property
    def mine(self) -> bool:
        return self.author == YOU


@dataclass
class RequestState:
    """A friend request that has arrived, and the learner's answer."""

    request: feed_kind.Request
    status: str = "waiting"  # waiting, accepted, declined, ignored
    note: str = ""

    @property
    def id(self) -> str:
        return self.request.id


@dataclass(frozen=True)
class AudienceGroup:
    """One group of people who can see a post; ``count`` None means anyone at all."""

    label: str
    count: int | None
    via_tag: bool = False


@dataclass(frozen=True)
class Audience:
    """Who can see a post."""

    setting: str
    label: str
    means: str
    groups: tuple[AudienceGroup, ...]

    @property
    def everyone(self) -> bool:
        return any(group.count is None for group in self.groups)

    @property
    def total(self) -> int | None:
        """At most how many people can see it (None: anyone)."""
        if self.everyone:
            return None
        return sum(group.count or 0 for group in self.groups)

    @property
    def widened_by_tags(self) -> bool:
        return any(group.via_tag for group in self.groups)

    def summary(self) -> str:
        """One line: "Anyone on or off Facebook" or "Up to 642 people"."""
        if self.everyone:
            return self.means
        total = self.total or 0
        return f"Up to {total:,} {'person' if total == 1 else 'people'}"

    def larger_than(self, other: Audience) -> bool:
        if self.everyone or other.everyone:
            return self.everyone and not other.everyone
        return (self.total or 0) > (other.total or 0)


@dataclass(frozen=True)
class Outcome:
    """What came of one action."""

    feedback: tuple[coach.Feedback, ...] = ()
    events: tuple[tasks.Event, ...] = ()
    arrived: tuple[RequestState, ...] = ()
    post: PostState | None = None
    audience_before: Audience | None = None
    audience_after: Audience | None = None

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(item.rule for item in self.feedback)


Judge = Callable[[coach.Action], tuple[coach.Feedback, ...]]


class Feed:
    """One learner's practice Facebook account."""

    def __init__(self, feed_content: FeedContent | None = None, *, assets_dir=None,
                 judge: Judge | None = None) -> None:
        self.content = feed_content or feed_kind.load(assets_dir)
        self._assets_dir = assets_dir
        self._judge = judge or (lambda action: coach.judge(action, assets_dir))
        settings = self.content.settings
        self.settings = settings
        self.profile = Profile(name=settings.your_name)
        self.people: dict[str, Person] = dict(self.content.people)
        self.friends: set[str] = {ident for ident, person in self.people.items()
                                  if person.your_friend}
        self.posts: list[PostState] = [self._state(post) for post in self.content.posts]
        self._by_id: dict[str, PostState] = {post.id: post for post in self.posts}
        self.requests: list[RequestState] = []
        self.sent: set[str] = set()
        self.actions = 0
        self.history: list[tasks.Event] = []
        self._listeners: list[Callable[[tasks.Event], object]] = []
        self._new_posts = 0
        self._arrive()

    # --- reading the account -------------------------------------------------

    @staticmethod
    def _state(post: feed_kind.Post) -> PostState:
        return PostState(id=post.id, author=post.author, posted=post.posted,
                         audience=post.audience, text=post.text, link=post.link,
                         photo=post.photo, tagged=list(post.tagged), likes=post.likes,
                         shares=post.shares, comments=list(post.comments), facts=post.facts)

    def post(self, post_id: str) -> PostState:
        try:
            return self._by_id[post_id]
        except KeyError:
            raise FeedError("That post is no longer in the feed.") from None

    def name(self, person_id: str) -> str:
        """The name shown for a person (the learner's profile name for ``you``)."""
        if person_id == YOU:
            return self.profile.name
        person = self.people.get(person_id)
        return person.name if person else person_id

    def role(self, person_id: str) -> str | None:
        person = self.people.get(person_id)
        return person.role if person else None

    def photo(self, photo_id: str | None) -> Photo | None:
        return self.content.photos.get(photo_id) if photo_id else None

    @property
    def your_photos(self) -> list[Photo]:
        """The photos the learner can attach to a status update."""
        return [photo for photo in self.content.photos.values() if photo.yours]

    @property
    def friend_count(self) -> int:
        """How many friends the learner has (people and pages followed aside)."""
        return self.settings.your_friends + sum(
            1 for ident in self.friends if self.role(ident) not in PAGE_ROLES)

    def friend_people(self) -> list[Person]:
        """The learner's friends who are people (pages aside), by name."""
        return sorted((self.people[ident] for ident in self.friends
                       if self.role(ident) not in PAGE_ROLES), key=lambda p: p.name)

    def suggestions(self) -> list[Person]:
        """People you may know: people who are not friends and will not ask the learner."""
        asking = {request.sender for request in self.content.requests}
        return sorted((person for person in self.people.values()
                       if person.role not in PAGE_ROLES and person.id not in self.friends
                       and person.id not in asking and person.id not in self.sent),
                      key=lambda p: p.name)

    @property
    def page_size(self) -> int:
        return self.settings.page_size

    def page_count(self) -> int:
        return max(1, -(-len(self.posts) // self.page_size))

    def page(self, number: int) -> list[PostState]:
        """The posts on page ``number`` (0-based), newest of the learner's own first."""
        number = min(max(number, 0), self.page_count() - 1)
        start = number * self.page_size
        return self.posts[start:start + self.page_size]

    def your_posts(self) -> list[PostState]:
        return [post for post in self.posts if post.mine]

    def tagged_you(self) -> list[PostState]:
        """Posts by others in which the learner is tagged."""
        return [post for post in self.posts if YOU in post.tagged and not post.mine]

    @property
    def waiting(self) -> list[RequestState]:
        """Friend requests not yet answered, oldest first."""
        return [state for state in self.requests if state.status == "waiting"]

    # --- who can see a post ------------------------------------------------

    def audience(self, post_id: str) -> Audience:
        post = self.post(post_id)
        return self._audience(post.author, post.audience, post.tagged, post.excluded, post.chosen)

    def preview_audience(self, audience: str, *, excluded: Iterable[str] = (),
                         chosen: Iterable[str] = (), tagged: Iterable[str] = ()) -> Audience:
        """Who would see a status update posted with these settings."""
        self._check_audience(audience)
        return self._audience(YOU, audience, list(tagged), tuple(excluded), tuple(chosen))

    def _audience(self, author: str, setting: str, tagged: Iterable[str],
                  excluded: tuple[str, ...], chosen: tuple[str, ...]) -> Audience:
        text = self.settings.audiences[setting]
        mine = author == YOU
        owner = "your" if mine else f"{self.name(author)}'s"
        groups: list[AudienceGroup] = []
        if setting == "public":
            groups.append(AudienceGroup(text.means, None))
        elif setting == "only_me":
            groups.append(AudienceGroup("Only you" if mine else f"Only {self.name(author)}", 1))
        else:
            friends = self.friend_count if mine else self.people[author].friends
            if setting == "friends":
                groups.append(AudienceGroup(f"{owner.capitalize()} friends", friends))
            elif setting == "friends_except":
                left_out = len(set(excluded))
                groups.append(AudienceGroup(
                    f"{owner.capitalize()} friends except {left_out} left out",
                    max(friends - left_out, 0)))
            else:
                picked = len(set(chosen))
                groups.append(AudienceGroup(
                    f"{picked} friend{'' if picked == 1 else 's'} picked", picked))
        for ident in tagged:
            if ident == YOU:
                if not mine:
                    groups.append(AudienceGroup("Your friends, because you are tagged",
                                                self.friend_count, via_tag=True))
                continue
            person = self.people.get(ident)
            if person is None:
                continue
            if setting in ("public", "friends", "friends_except"):
                groups.append(AudienceGroup(f"{person.name} and their friends",
                                            person.friends + 1, via_tag=True))
            else:
                groups.append(AudienceGroup(person.name, 1, via_tag=True))
        return Audience(setting, text.label, text.means, tuple(groups))

    # --- what the coach is told ------------------------------------------------

    def _profile_facts(self) -> set[str]:
        return {f"profile:{self.profile.kind}",
                f"tag_review:{'on' if self.profile.tag_review else 'off'}",
                f"friends_list:{self.profile.friends_list}"}

    @staticmethod
    def _known(facts: Iterable[str]) -> frozenset[str]:
        return frozenset(fact for fact in facts if fact in coach_kind.FACTS)

    def _post_facts(self, post: PostState) -> set[str]:
        facts = set(post.facts)
        origin = self._by_id.get(post.shared_from) if post.shared_from else None
        if origin is not None:
            facts |= self._post_facts(origin)
        if not post.mine:
            facts.add(f"author:{self.role(post.author)}")
        photo = self.photo(post.photo)
        if photo:
            facts |= {f"photo:{shown}" for shown in photo.shows}
        facts |= {f"tagged:{self.role(ident)}" for ident in post.tagged if ident != YOU}
        return facts

    def patient_names(self) -> tuple[str, ...]:
        """The names of the practice's patients and their relatives, for the post checker."""
        return tuple(person.name for person in self.people.values() if person.role in PATIENT_ROLES)

    def checker_photo(self, photo_id: str | None):
        """The photo as the post checker takes it (None if there is no photo or no checker)."""
        photo = self.photo(photo_id)
        if photo is None:
            return None
        try:
            from carefully import privacy
        except ImportError:
            return None
        return privacy.Photo(photo.alt, dict(photo.metadata))

    def check_draft(self, text: str, photo_id: str | None = None):
        """The post checker's report on a draft (None when the checker is not installed)."""
        try:
            from carefully import privacy
        except ImportError:
            return None
        return privacy.check(text, photo=self.checker_photo(photo_id), names=self.patient_names())

    def _act(self, kind: str, *, text: str = "", audience: str = "", facts: Iterable[str] = (),
             context: str = "", photo_id: str | None = None, details: dict | None = None,
             **extra) -> Outcome:
        action = coach.Action(simulator="feed", kind=kind, text=text, audience=audience,
                              facts=self._known(set(facts) | self._profile_facts()),
                              context=context, photo=self.checker_photo(photo_id),
                              names=self.patient_names())
        feedback = tuple(self._judge(action))
        rules = tuple(item.rule for item in feedback)
        event = tasks.Event(kind, {**(details or {}), "rules": rules,
                                   "worst": coach.worst(feedback) or "none"})
        self.actions += 1
        arrived = self._arrive()
        self._emit(event)
        return Outcome(feedback=feedback, events=(event,), arrived=tuple(arrived), **extra)

    def subscribe(self, listener: Callable[[tasks.Event], object]) -> None:
        """Call ``listener`` with every event (the practice checklist listens)."""
        self._listeners.append(listener)

    def _emit(self, event: tasks.Event) -> None:
        self.history.append(event)
        for listener in list(self._listeners):
            listener(event)

    def _arrive(self) -> list[RequestState]:
        have = {state.id for state in self.requests}
        arrived = [RequestState(request) for request in self.content.requests
                   if request.id not in have and request.arrives_after <= self.actions
                   and request.sender not in self.friends]
        self.requests.extend(arrived)
        return arrived

    @staticmethod
    def _check_audience(audience: str) -> None:
        if audience not in AUDIENCES:
            raise FeedError("Choose who can see it: " + ", ".join(AUDIENCES) + ".")

    # --- the profile -------------------------------------------------------------

    def set_profile(self, *, name: str | None = None, kind: str | None = None,
                    future_posts: str | None = None, friends_list: str | None = None,
                    tag_review: bool | None = None) -> Outcome:
        """Change the profile and privacy settings (what is left out stays as it is)."""
        changes = {key: value for key, value in (("name", name), ("kind", kind),
                   ("future_posts", future_posts), ("friends_list", friends_list),
                   ("tag_review", tag_review)) if value is not None}
        if "name" in changes:
            changes["name"] = " ".join(str(changes["name"]).split())[:80]
            if not changes["name"]:
                raise FeedError("Your profile needs a name.")
        if changes.get("kind", "personal") not in PROFILE_KINDS:
            raise FeedError("Choose a personal profile or a professional page.")
        if "future_posts" in changes:
            self._check_audience(changes["future_posts"])
        if changes.get("friends_list", "friends") not in FRIENDS_LIST:
            raise FeedError("Choose who can see your friends list.")
        self.profile = replace(self.profile, **changes)
        profile = self.profile
        return self._act("set_privacy", audience=profile.future_posts, details={
            "kind": profile.kind, "future_posts": profile.future_posts,
            "friends_list": profile.friends_list,
            "tag_review": "on" if profile.tag_review else "off"})

    # --- likes, comments, shares ---------------------------------------------------

    def like(self, post_id: str) -> Outcome:
        post = self.post(post_id)
        if post.liked:
            return self.unlike(post_id)
        post.liked, post.likes = True, post.likes + 1
        return self._act("like", facts=self._post_facts(post), context=post.text,
                         details=self._details(post), post=post)

    def unlike(self, post_id: str) -> Outcome:
        post = self.post(post_id)
        if not post.liked:
            raise FeedError("You have not liked this post.")
        post.liked, post.likes = False, max(post.likes - 1, 0)
        return self._act("unlike", facts=self._post_facts(post), context=post.text,
                         details=self._details(post), post=post)

    def comment(self, post_id: str, text: str) -> Outcome:
        post = self.post(post_id)
        text = text.strip()
        if not text:
            raise FeedError("Write a comment first.")
        post.comments.append(Comment(YOU, text))
        audience = self.audience(post_id)
        return self._act("comment", text=text, audience=post.audience,
                         facts=self._post_facts(post), context=post.text,
                         details=self._details(post), post=post, audience_after=audience)

    def share(self, post_id: str, text: str = "", audience: str | None = None) -> Outcome:
        """Share a post to the learner's own timeline, with optional words of their own."""
        original = self.post(post_id)
        audience = audience or self.profile.future_posts
        self._check_audience(audience)
        if original.audience != "public" and not original.mine:
            raise FeedError("Only public posts can be shared; this one was shared with "
                            "the author's friends.")
        original.shares += 1
        shared = self._add_post(text.strip(), audience, shared_from=original.id)
        facts = self._post_facts(shared)
        return self._act("share", text=shared.text, audience=audience, facts=facts,
                         context=original.text, photo_id=original.photo,
                         details={**self._details(original), "audience": audience},
                         post=shared, audience_after=self.audience(shared.id))

    def _details(self, post: PostState) -> dict:
        photo = self.photo(post.photo)
        return {"post": post.id, "author": "you" if post.mine else self.role(post.author),
                "shows": tuple(photo.shows) if photo else (), "photo": photo is not None,
                "facts": tuple(sorted(self._post_facts(post)))}

    # --- status updates and tags ---------------------------------------------------

    def _add_post(self, text: str, audience: str, *, photo: str | None = None,
                  tagged: Iterable[str] = (), excluded: Iterable[str] = (),
                  chosen: Iterable[str] = (), shared_from: str | None = None) -> PostState:
        self._new_posts += 1
        post = PostState(id=f"yours-{self._new_posts}", author=YOU, posted="Just now",
                         audience=audience, text=text, photo=photo, tagged=list(tagged),
                         excluded=tuple(excluded), chosen=tuple(chosen),
                         shared_from=shared_from)
        self.posts.insert(0, post)
        self._by_id[post.id] = post
        return post

    def publish(self, text: str, audience: str | None = None, *, photo: str | None = None,
                tagged: Iterable[str] = (), excluded: Iterable[str] = (),
                chosen: Iterable[str] = ()) -> Outcome:
        """Post a status update (the composer's Post button)."""
        text = text.strip()
        audience = audience or self.profile.future_posts
        self._check_audience(audience)
        if photo is not None and (photo not in self.content.photos
                                  or not self.content.photos[photo].yours):
            raise FeedError("Choose one of your photos.")
        if not text and photo is None:
            raise FeedError("Write something or add a photo first.")
        tagged, excluded, chosen = list(dict.fromkeys(tagged)), tuple(excluded), tuple(chosen)
        for ident in (*tagged, *excluded, *chosen):
            if ident not in self.friends:
                raise FeedError(f"You can only tag or pick your friends ({self.name(ident)} "
                                "is not one).")
        if audience == "specific" and not chosen:
            raise FeedError("Pick at least one friend for Specific friends.")
        post = self._add_post(text, audience, photo=photo, tagged=tagged, excluded=excluded,
                              chosen=chosen)
        after = self.audience(post.id)
        return self._act("post", text=text, audience=audience, facts=self._post_facts(post),
                         photo_id=photo, details={**self._details(post), "audience": audience,
                                                  "tagged": len(tagged)},
                         post=post, audience_after=after)

    def tag(self, post_id: str, person_id: str) -> Outcome:
        """Tag a friend in one of the learner's own posts or photos."""
        post = self.post(post_id)
        if not post.mine:
            raise FeedError("You can tag people in your own posts and photos.")
        if person_id not in self.friends or self.role(person_id) in PAGE_ROLES:
            raise FeedError("You can only tag your friends.")
        if person_id in post.tagged:
            raise FeedError(f"{self.name(person_id)} is already tagged.")
        before = self.audience(post_id)
        post.tagged.append(person_id)
        after = self.audience(post_id)
        facts = self._post_facts(post) - {f"tagged:{self.role(i)}" for i in post.tagged[:-1]}
        return self._act("tag", audience=post.audience, facts=facts,
                         details={**self._details(post), "person": self.role(person_id),
                                  "audience_grew": after.larger_than(before)},
                         post=post, audience_before=before, audience_after=after)

    def untag(self, post_id: str) -> Outcome:
        """Remove the learner's own tag from someone else's post."""
        post = self.post(post_id)
        if YOU not in post.tagged:
            raise FeedError("You are not tagged in this post.")
        before = self.audience(post_id)
        post.tagged.remove(YOU)
        after = self.audience(post_id)
        return self._act("untag", facts=self._post_facts(post), context=post.text,
                         details=self._details(post), post=post,
                         audience_before=before, audience_after=after)

    def view_audience(self, post_id: str) -> Audience:
        """The audience view, as the learner opens it (a task listens for it)."""
        audience = self.audience(post_id)
        post = self.post(post_id)
        self._emit(tasks.Event("audience", {**self._details(post), "audience": post.audience,
                                            "widened": audience.widened_by_tags}))
        return audience

    # --- friends -----------------------------------------------------------------------

    def answer(self, request_id: str, answer: str, note: str = "") -> Outcome:
        """Accept, decline or ignore a friend request, with an optional note to the sender."""
        if answer not in ANSWERS:
            raise FeedError("Accept, decline or ignore the request.")
        state = next((item for item in self.requests if item.id == request_id), None)
        if state is None or state.status != "waiting":
            raise FeedError("That request has already been answered.")
        state.status = {"accept": "accepted", "decline": "declined", "ignore": "ignored"}[answer]
        state.note = note.strip()
        sender = state.request.sender
        if answer == "accept":
            self.friends.add(sender)
        role = self.role(sender)
        return self._act(ANSWERS[answer], text=state.note, audience="dm",
                         facts={f"sender:{role}"}, context=state.request.message,
                         details={"sender": role, "request": state.id,
                                  "note": bool(state.note)})

    def send_request(self, person_id: str) -> Outcome:
        """Ask someone to be the learner's friend."""
        person = self.people.get(person_id)
        if person is None or person.role in PAGE_ROLES:
            raise FeedError("Choose a person to send a friend request to.")
        if person_id in self.friends:
            raise FeedError(f"{person.name} is already your friend.")
        if person_id in self.sent:
            raise FeedError(f"You have already asked {person.name}.")
        self.sent.add(person_id)
        return self._act("send_request", facts={f"recipient:{person.role}"},
                         details={"recipient": person.role, "person": person_id})
