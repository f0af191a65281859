"""The post checker: what in a draft post could identify a patient.

``check(text)`` finds the 18 identifiers of HIPAA's Safe Harbor rule
(45 CFR 164.514(b)(2)) and the indirect identifiers that let people work out
who a patient is (a rare condition with a place or time, "the patient I saw
this morning", a bed number, a newsworthy event), and gives the elevator-test
verdict. Pure functions: no widgets, no network, no state between calls.

The rule that keeps it precise: most details identify a patient only in a
post *about a patient*. A post is about a patient when it says so ("my
patient", "a 45-year-old man", "came in", a bed number, a named person ...).
Only then are dates, places, phone numbers, emails, web links, ages over 89,
biometrics, faces, rooms, recent times and events flagged; so "Gave a talk in
Chicago on March 3" or a link to a journal article passes, while in a post
about a patient a link counts too (it may lead to the patient's fundraiser or
a news story). Names after Mr/Mrs/Ms or a cue word, the course's synthetic
patients, labelled codes (MRN, member ID, plate ...), Social Security numbers,
IP addresses, bed numbers and disaster victims are flagged in any post. In a
photo, a wristband or a chart always counts; a face, a distinctive mark and
the file's hidden data (GPS, date, serial number) count in a post about a
patient.

Every word matched and every sentence shown comes from
``assets/privacy/checker.yaml`` (see :mod:`carefully.kinds.privacy`); this
module holds only the patterns that combine them, compiled once per process.
Patterns start with a literal character or character set wherever possible,
so the regular-expression engine skips quickly over text that cannot match:
a check is fast enough to run on every keystroke.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from carefully.kinds import privacy as wordfile

TEXT, DESCRIPTION, METADATA = "text", "photo description", "photo metadata"
"""Where a finding was made."""


# --- what the checker returns ---------------------------------------------------


@dataclass(frozen=True)
class Photo:
    """A photo attached to a post: what it shows, and the hidden data in its file."""

    description: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)  # {"GPSLatitude": "41.37", ...}


@dataclass(frozen=True)
class Finding:
    """One thing in a post that could identify a patient."""

    start: int  # span in the text; -1 (and end -1) for findings in the photo
    end: int
    kind: str  # stable id, one of carefully.kinds.privacy.KINDS, e.g. "phone"
    label: str  # short, for learners: "Phone number"
    reason: str  # one sentence: why it identifies
    direct: bool  # one of the Safe Harbor identifiers?
    source: str  # "text", "photo description" or "photo metadata"


@dataclass(frozen=True)
class Report:
    """What the checker found in one post, and the elevator-test verdict."""

    findings: tuple[Finding, ...]  # sorted by start (photo findings, at -1, first)
    verdict: str  # one sentence for learners

    @property
    def passes_elevator_test(self) -> bool:
        """True when nothing in the post could identify a patient."""
        return not self.findings

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds of identifier found."""
        return frozenset(finding.kind for finding in self.findings)


def check(text: str, *, photo: Photo | None = None, names: Iterable[str] = ()) -> Report:
    """Check a draft post (and its photo) for anything that could identify a patient.

    ``names``: extra known patient names (e.g. a simulator's synthetic
    patients), flagged like the course's roster wherever they appear, in
    full or in part.
    """
    return checker().check(text, photo=photo, names=names)


@functools.cache
def checker(assets_dir: str | Path | None = None) -> Checker:
    """The checker for the word lists in ``assets_dir`` (default: the course's), built once."""
    return Checker(wordfile.wordlists(assets_dir))


# --- patterns from word lists ----------------------------------------------------

_WORD_CHAR = re.compile(r"\w")


def _key(word: str, fold: bool) -> str:
    """A word as the trie keeps it: one space for spaces and hyphens, one kind of apostrophe."""
    word = " ".join(word.replace("-", " ").replace("’", "'").split())
    return word.lower() if fold else word


def _char(char: str, fold: bool) -> str:
    if char == " ":
        return r"[\s\-]+"
    if char == "'":
        return "['’]"
    upper = char.upper()
    if fold and upper != char and len(upper) == 1:
        return "[" + re.escape(char) + re.escape(upper) + "]"
    return re.escape(char)


def words_pattern(words: Iterable[str], *, fold: bool = True, suffix: bool = False) -> str:
    """A regular expression matching any of ``words`` as a whole word, longest first.

    ``fold``: match in any case (the pattern spells out both cases itself, so
    it needs no IGNORECASE flag, which would slow the engine down).
    ``suffix``: the words may follow a letter or digit ("rd" in "3rd").
    A space or a hyphen in a word matches any run of spaces and hyphens; an
    apostrophe matches ' or ’. The words are laid out as a trie, and the
    pattern starts with the set of first characters, so the engine only stops
    where a word could start.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in _key(word, fold):
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict, before: str) -> str:
        branches = [_char(char, fold) + emit(child, char)
                    for char, child in sorted(node.items()) if char]
        if "" in node:  # a word may end here, but not inside a longer word
            branches.append("(?!\\w)" if _WORD_CHAR.match(before) else "")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    starts = sorted(char for char in trie if _WORD_CHAR.match(char))
    others = [_char(char, fold) + emit(trie[char], char) for char in sorted(trie)
              if char not in starts]
    if starts:  # one of the first letters, not inside a word, then the rest by letter
        first = "".join(_char(char, fold).strip("[]") for char in starts)
        rest = [f"(?<={_char(char, fold)})" + emit(trie[char], char) for char in starts]
        body = rest[0] if len(rest) == 1 else "(?:" + "|".join(rest) + ")"
        others.insert(0, f"[{first}]" + ("" if suffix else "(?<!\\w.)") + body)
    return "(?:" + "|".join(others) + ")" if others else "(?!)"


_TOKEN = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"  # a word of letters: Núñez, O'Brien, Mei-Ling
_NAME_TOKEN = re.compile(r"[^\W\d_]\.|" + _TOKEN)  # ... or an initial: "J."
_NAME_RUN_END = re.compile(r"(?<![\w'’\-])(" + _TOKEN + r"(?:[ ]" + _TOKEN + r"){1,2})$")
_CAPITALS = "A-ZÀ-ÖØ-Þ"
_PLACE_NAME_END = re.compile(  # "Elm ", "Martin Luther King ": up to three capitalised words
    rf"(?<![\w'’\-])(?:[{_CAPITALS}][\w'’\-]*[ ]+){{1,3}}$")
_EMAIL_LOCAL_END = re.compile(r"[\w.+\-]+$")
_URL_HOST_END = re.compile(r"(?<![\w@.\-])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)*"
                           r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?$")
_DAY_IN_METADATA = re.compile(r"\d{4}[:/\-.]\d{1,2}[:/\-.]\d{1,2}|\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2}")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_SENTENCE_END = ".!?\n:;\"“(–—"
_WORDS = re.compile(r"\S+")
_NUMBER_90_119 = r"(?:9(?<![\d.,]9)\d|1(?<![\d.,]1)[01]\d)"  # 90 to 119, not inside a number


def _capitalised(word: str) -> bool:
    """Looks like a name: a capital first letter, and not an all-capitals acronym (ICU)."""
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def _sentence_start(text: str, index: int) -> bool:
    """True if only spaces separate ``index`` from the start of a sentence."""
    index -= 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


def _is_day(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


_Hit = tuple[int, int, str]  # start, end, kind

_DIRECT_PRIORITY = {"medical_record": 0, "health_plan": 0, "account": 0, "license": 0,
                    "vehicle": 0, "device": 0, "ssn": 0, "other_unique_code": 0, "email": 1,
                    "ip_address": 1, "url": 2, "phone": 3, "fax": 3, "geography": 4}
"""Which of two overlapping direct identifiers wins (lower first; the others rank 5)."""


def _resolve(hits: Iterable[_Hit]) -> list[_Hit]:
    """One hit where hits overlap, in text order.

    Of two overlapping direct identifiers the more specific kind wins (an
    email over the web address inside it), then the longer. Indirect
    identifiers may overlap other kinds (a rare condition inside "the first
    case in our county") but not their own kind.
    """
    def rank(hit: _Hit) -> tuple[int, int, int]:
        start, end, kind = hit
        return _DIRECT_PRIORITY.get(kind, 5), start - end, start

    kept: list[_Hit] = []
    for start, end, kind in sorted(set(hits), key=rank):
        direct = kind in wordfile.DIRECT_KINDS
        if not any(start < k_end and k_start < end
                   and (k_kind == kind or (direct and k_kind in wordfile.DIRECT_KINDS))
                   for k_start, k_end, k_kind in kept):
            kept.append((start, end, kind))
    return sorted(kept)


# --- the checker --------------------------------------------------------------------


class Checker:
    """The patterns compiled from one set of word lists; :meth:`check` is pure."""

    def __init__(self, lists: wordfile.Wordlists) -> None:
        self.lists = lists
        self._ordinal = words_pattern(lists.words("dates.ordinal_suffixes"), suffix=True)
        self._compile_names()
        self._compile_context()
        self._compile_numbers()
        self._compile_places_and_dates()
        self._compile_ages()
        self._compile_indirect()
        self._compile_photo()
        self._patient_finders: tuple[Callable[[str], Iterator[_Hit]], ...] = (
            self._emails, self._urls, self._phones, self._dates, self._ages, self._places,
            self._appositions, self._rules, self._recent, self._events)

    # --- compiling ---------------------------------------------------------------

    def _any(self, *lists: str, suffix: bool = False) -> str:
        """A pattern for the words of these lists, in any case (``suffix``: see words_pattern)."""
        return words_pattern([word for name in lists for word in self.lists.words(name)],
                             suffix=suffix)

    def _exact(self, *lists: str) -> str:
        """A pattern for the words of these lists, as written."""
        return words_pattern([word for name in lists for word in self.lists.words(name)],
                             fold=False)

    def _compile_names(self) -> None:
        w = self.lists.words
        self.not_names = frozenset(w("names.not_names"))
        self.particles = frozenset(word for phrase in w("names.particles")
                                   for word in phrase.split())
        self.not_lower_names = frozenset(word.lower() for word in self.not_names) | self.particles
        self.titles = frozenset(w("names.titles"))
        self.roster = self._name_list(w("names.roster"))
        self.title = re.compile("(?P<title>" + self._any("names.titles") + r")(?P<dot>\.)?[ \t]+")
        colleague = self._exact("names.colleague_titles") + r"\.?[ \t]+"
        self.colleague_before = re.compile(colleague + "$")
        self.colleague_anywhere = re.compile(colleague)
        self.name_cue = re.compile(self._any("names.cues") + r"\.?[,:]?[ \t]+")
        self.relative = re.compile(self._any("names.relative_owners") + r"[ \t]+"
                                   + self._any("names.relatives") + r"[,:]?[ \t]+")
        self.age_after_name = re.compile(r",[ ]?\d{1,3}(?=[,\s\-])|[ ]\(\d{1,3}\)")

    def _name_list(self, names: Iterable[str]) -> re.Pattern[str] | None:
        """A pattern for known names: each full name and each part ("Delgado", "Rosa")."""
        words: set[str] = set()
        for name in names:
            parts = name.split()
            words.add(" ".join(parts))
            words.update(part for part in parts if len(part) > 1 and part not in self.not_names)
        return re.compile(words_pattern(words, fold=False)) if words else None

    def _compile_context(self) -> None:
        self.patient_word = re.compile(self._any("context.patient_words") + r"(?![ \t]+"
                                       + self._any("context.patient_compounds") + ")")
        self.generic_before = re.compile(self._any("context.generic_determiners") + r"[ \t]+$")
        person = self._any("context.person_determiners") + r"[ \t]+"
        self.context = [re.compile(pattern) for pattern in (
            person + r"(?:[\w'’\-]+[ \t]+){0,2}?" + self._any("context.person_words"),
            self._any("context.person_words") + r"[ \t]+" + self._any("context.person_links"),
            person + r"\d{1,3}[ \t\-]*" + self._any("context.age_units", suffix=True),
            r"\d(?<![\w.]\d)\d{0,2}[ \t]?" + self._any("context.clinical_age_units", suffix=True),
            self._any("context.encounter_phrases"),
        )]

    def _compile_numbers(self) -> None:
        self.code_kinds = {_key(cue, True): kind for cue, kind in self.lists.code_cues.items()}
        separator = r"[\s:#=.\-]"
        self.code = re.compile(
            "(?P<cue>" + words_pattern(self.lists.code_cues) + ")"
            + "(?:" + separator + "+" + self._any("codes.fillers") + ")*" + separator + "*"
            + r"(?P<code>[A-Z]{1,4}[ \-][A-Za-z0-9\-]*\d[A-Za-z0-9\-]*"
            + r"|[A-Za-z0-9\-]*\d[A-Za-z0-9\-]*(?:[ ](?=\w*\d)[A-Za-z0-9\-]{2,}){0,2})"
            + r"(?![\w/]|[.:]\d)")
        self.ssn = re.compile(r"\d(?<![\d\-]\d)\d{2}-\d{2}-\d{4}(?![\d\-])")
        self.ipv4 = re.compile(r"\d(?<![\d.]\d)\d{0,2}(?:\.\d{1,3}){3}(?!\d|\.\d)")
        self.ipv6 = re.compile(r"[0-9A-Fa-f](?<![\w:].)[0-9A-Fa-f]{0,3}(?::[0-9A-Fa-f]{0,4}){2,7}"
                               r"(?![\w:])")
        self.email_domain = re.compile(r"@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
        self.url_scheme = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\s<>\"'()]+")
        self.url_ending = re.compile(r"\." + self._any("contacts.url_endings")
                                     + r"(?:/[^\s<>\"']*)?")
        self.phone = re.compile(r"(?<![\w+])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)[\s.\-]?|\d{3}[\s.\-])"
                                r"\d{3}[\s.\-]\d{4}(?!\w)|(?<![\w\-])\d{3}-\d{4}(?![\w\-])")
        self.fax_before = re.compile(  # a fax word up to six words before the number
            self._any("contacts.fax_cues") + r"[^\w\n.;!?]{0,4}(?:[\w'’]+[^\w\n.;!?]{1,3}){0,6}$")

    def _compile_places_and_dates(self) -> None:
        self.cities = re.compile(self._exact("places.cities"))
        self.addresses = [re.compile(pattern) for pattern in (  # "12 Oak Dr", "Route 9"
            r"\d(?<![\w\-]\d)\d{0,5}[A-Za-z]?[ ]+(?:[NSEW]\.?[ ]+)?(?:(?:[" + _CAPITALS
            + r"][\w'’\-]*|\d{1,3}" + self._ordinal + r")[ ]+){1,3}"
            + self._exact("places.street_types", "places.numbered_street_types") + r"\.?",
            self._exact("places.roads") + r"[ \-]?\d{1,4}[A-Z]?(?!\w)",
        )]
        self.place_types = re.compile(  # "Elm Street", "Marin County": found by the type
            self._exact("places.street_types", "places.regions") + r"\.?")
        self.zips = [re.compile(cue + r"(\d{5}(?:-\d{4})?)(?![\d\-])") for cue in (
            self._any("places.zip_cues") + r"[\s:#]*",
            self._exact("places.states") + r",?[ ]+",
        )]
        ordinal = self._ordinal
        month = self._exact("dates.months", "dates.month_abbreviations") + r"\.?"
        day = r"(?:[12]\d|3[01]|0?[1-9])" + ordinal + "?"
        year = r"(?:,?[ ]+\d{4}(?!\d))?"
        self.dates = [re.compile(pattern) for pattern in (
            month + r"[ ]+" + day + r"(?![\d:])" + year,  # March 3, Mar. 3rd 2025
            month + r",?[ ]+\d{4}(?!\d)",  # March 2025
            self._exact("dates.holidays"),
        )]
        self.day_month = re.compile(  # 3 March, the 3rd of March
            r"(?P<day>\d(?<![\d.]\d)\d?)" + ordinal + r"?[ ]+(?:"
            + self._any("dates.day_month_links") + r"[ ]+)?" + month + year)
        self.month_after = re.compile(self._any("dates.month_prepositions") + r"[ ]+("
                                      + self._exact("dates.months") + ")")
        self.numeric_date = re.compile(
            r"(?P<a>\d(?<![\d/.\-]\d)\d?)(?P<sep>[/\-.])(?P<b>\d{1,2})(?P=sep)(?:\d{4}|\d{2})"
            r"(?![\d/\-]|\.\d)")
        self.iso_date = re.compile(r"\d(?<!\d\d)\d{3}-(?P<a>\d{2})-(?P<b>\d{2})(?!\d)")
        self.cued_date = re.compile(self._any("dates.numeric_cues")
                                    + r"[ :]+((?P<a>\d{1,2})/(?P<b>\d{1,2}))(?![\d/])")

    def _compile_ages(self) -> None:
        number, units = _NUMBER_90_119, self._any("ages.units", suffix=True)
        ordinal = self._ordinal
        self.ages = [re.compile(pattern) for pattern in (
            number + r"[ \-]*" + units + r"(?:[ \-]?[MF](?!\w))?",  # 92-year-old, 94 yo F
            self._any("ages.before") + r"[ :]+(?:9\d|1[01]\d)(?!\d)",  # aged 95, turned 100
            number + ordinal + r"[ ]+" + self._any("ages.after"),  # 95th birthday
            self._any("ages.possessives") + r"[ ]+(?:" + self._any("ages.decade_modifiers")
            + r"[ \-]+)?" + self._any("ages.decades"),  # her late 90s
            self._any("ages.number_words") + r"(?:[ \-]+" + self._any("ages.unit_words")
            + r")?[ \-]+" + units,  # ninety-four-year-old
            self._any("ages.words"),  # centenarian
        )]
        self.age_apposition = re.compile(r",[ ]?(9\d|1[01]\d)(?=,)")  # "Rosa, 94,"

    def _compile_indirect(self) -> None:
        photo = self._any("faces.photo_words")
        number = (r"[ ]*(?:" + self._any("rooms.fillers") + r"\.?)?[ ]*"
                  r"\d{1,4}[A-Za-z]?(?:-\d{1,3})?(?![\w/])")
        self.bed = re.compile(self._any("rooms.beds") + number)
        events, victims = self._any("events.words"), self._any("events.victims")
        self.victims = [re.compile(pattern) for pattern in (
            events + r"[ ]+" + victims,  # bus crash victims
            victims + r"[ ]+" + self._any("events.victim_links")
            + r"[ ]+(?:[\w'’\-]+[ ]+){0,3}?" + events,  # victims of the apartment fire
        )]
        self.rules = [(re.compile(pattern), kind) for pattern, kind in (
            (photo + r"[ ]+" + self._any("faces.photo_links") + r"[ ]+(?:[\w'’\-]+[ ]+){0,3}?"
             + self._any("faces.targets") + r"(?!['’]s)", "full_face_photo"),
            (self._any("faces.phrases"), "full_face_photo"),
            (photo + r"[ ]+" + self._any("faces.together_links") + r"[ ]+"
             + self._any("faces.companions"), "full_face_photo"),
            (self._any("rooms.rooms") + number, "room_or_bed"),
            (self._any("recent.time_phrases"), "recent_encounter"),
            (self._any("events.news_phrases"), "unique_event"),
            (self._any("events.superlatives") + r"[^.!?\n]{0,60}?"
             + self._any("events.place_prepositions") + r"[ ]+(?:"
             + self._any("events.place_determiners") + r"[ ]+)?(?:"
             + self._any("events.place_nouns") + r"|(?:19|20)\d\d(?!\d))", "unique_event"),
            (self._any("biometrics.words"), "biometric"),
            (self._any("features.words"), "other_unique_code"),
        )]
        self.weekday = re.compile(self._exact("recent.weekdays"))
        self.weekday_prefix = re.compile(self._any("recent.weekday_prefixes") + r"[ ]+$")
        self.event = re.compile(
            self._any("events.determiners") + r"[ ]+(?P<mods>(?:[\w'’\-]+[ ]+){0,2}?)"
            + "(?P<event>" + events + r")(?![ ]+" + self._any("events.not_before") + ")"
            + r"(?P<after>[ ]+" + self._any("events.after_words") + ")?")
        self.rare = re.compile(self._any("conditions.rare"))
        self.rare_place = re.compile(self._any("conditions.place_phrases"))
        self.rare_time = re.compile(self._any("conditions.time_phrases"))

    def _compile_photo(self) -> None:
        self.photo_terms = [(rule, re.compile(words_pattern(rule.words)))
                            for rule in self.lists.photo_description]
        self.negation = re.compile(words_pattern(self.lists.words("photo.negations")))
        self.photo_keys = {key.lower(): rule for rule in self.lists.photo_metadata
                           for key in rule.words}

    # --- finders that apply to any post: each yields (start, end, kind) ---------------

    def _always(self, text: str, extra: re.Pattern[str] | None) -> list[_Hit]:
        """What identifies someone in any post."""
        hits = [*self._codes(text), *self._names(text, extra)]
        hits += [(m.start(), m.end(), "ssn") for m in self.ssn.finditer(text)]
        hits += [(m.start(), m.end(), "room_or_bed") for m in self.bed.finditer(text)]
        for pattern in self.victims:
            hits += [(m.start(), m.end(), "unique_event") for m in pattern.finditer(text)
                     if not _YEAR.search(m.group())]  # "victims of the 1995 bombing": history
        for m in self.ipv4.finditer(text):
            if all(int(octet) <= 255 for octet in m.group().split(".")):
                hits.append((m.start(), m.end(), "ip_address"))
        for m in self.ipv6.finditer(text):
            if "::" in m.group() or m.group().count(":") == 7:
                hits.append((m.start(), m.end(), "ip_address"))
        return hits

    def _codes(self, text: str) -> Iterator[_Hit]:
        for m in self.code.finditer(text):
            code = m.group("code").rstrip("-")
            year = code.isdigit() and len(code) == 4 and code[:2] in ("19", "20")
            if sum(char.isdigit() for char in code) >= 3 and not year:
                start = m.start("code")
                yield start, start + len(code), self.code_kinds[_key(m.group("cue"), True)]

    def _name_at(self, text: str, pos: int, lower: bool = False) -> tuple[int, int] | None:
        """The span of the name that starts at ``pos`` ("Maria de la Cruz", "J. Smith").

        ``lower``: the first word may be in lower case ("mr. petrakis").
        """
        start = end = particles = None
        for _ in range(8):
            m = _NAME_TOKEN.match(text, pos)
            if m is None:
                break
            word = m.group()
            if word in self.particles:  # "Mrs. van der Berg"
                particles = m.start() if start is None and particles is None else particles
                pos = m.end() + 1
                if text[m.end():pos] != " ":
                    break
                continue
            bare = word.rstrip(".")
            first_in_lower = lower and start is None and bare.lower() not in self.not_lower_names
            if not first_in_lower and (not _capitalised(bare) or bare in self.not_names):
                break
            if start is None:
                start = m.start() if particles is None else particles
            if len(word) > 3 and word[-2:] in ("'s", "’s"):  # "Mr. Benali's granddaughter"
                end = m.end() - 2
                break
            end = pos = m.end()
            if text[pos:pos + 1] == " ":
                pos += 1
            elif not word.endswith("."):  # "J.S." runs on without a space
                break
        return None if start is None or end is None else (start, end)

    def _name_after(self, text: str, pos: int, lower: bool = False) -> Iterator[_Hit]:
        """The name at ``pos``, if any and if it is not a city ("Little Rock")."""
        span = self._name_at(text, pos, lower)
        if span is not None and not self.cities.fullmatch(text, *span):
            yield *span, "name"

    def _names(self, text: str, extra: re.Pattern[str] | None) -> Iterator[_Hit]:
        for pattern in (self.roster, extra):
            for m in pattern.finditer(text) if pattern else ():
                if not self.colleague_before.search(text, max(0, m.start() - 16), m.start()):
                    yield m.start(), m.end(), "name"
        for m in self.title.finditer(text):
            title, dot = m.group("title"), m.group("dot")
            if title in self.titles or (title.islower() and dot):  # "Mrs", "mrs.", not "MRS"
                yield from self._name_after(text, m.end(), lower=title.islower())
        for m in self.name_cue.finditer(text):
            if text[m.start()].isupper() and not _sentence_start(text, m.start()):
                continue  # "National Patient Safety Week": a title, not a patient
            yield from self._name_after(text, m.end())
        for m in self.relative.finditer(text):  # "her husband, Frank"
            line = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 80)
            if not self.colleague_anywhere.search(text, line, m.start()):
                yield from self._name_after(text, m.end())  # not "Dr. Lee and her husband Tom"

    # --- finders for posts about a patient -------------------------------------------

    def _appositions(self, text: str) -> Iterator[_Hit]:
        """ "Maria Gonzalez, 67, came in": two or three capitalised words and an age."""
        for m in self.age_after_name.finditer(text):
            run = _NAME_RUN_END.search(text, max(0, m.start() - 60), m.start())
            if run is None:
                continue
            words = list(_WORDS.finditer(run.group(1)))
            while words and (not _capitalised(words[0].group())
                             or words[0].group() in self.not_names):
                words.pop(0)
            start = run.start(1) + words[0].start() if words else 0
            if (len(words) >= 2 and all(_capitalised(word.group()) for word in words)
                    and not self.cities.fullmatch(text, start, run.end(1))):
                yield start, run.end(1), "name"

    def _emails(self, text: str) -> Iterator[_Hit]:
        for m in self.email_domain.finditer(text):
            local = _EMAIL_LOCAL_END.search(text, max(0, m.start() - 64), m.start())
            if local is not None:
                yield local.start(), m.end(), "email"

    def _urls(self, text: str) -> Iterator[_Hit]:
        spans = [m.span() for m in self.url_scheme.finditer(text)]
        for m in self.url_ending.finditer(text):
            host = _URL_HOST_END.search(text, max(0, m.start() - 100), m.start())
            if host is not None:
                spans.append((host.start(), m.end()))
        for start, end in spans:
            yield start, start + len(text[start:end].rstrip(".,;:!?)]'\"")), "url"

    def _phones(self, text: str) -> Iterator[_Hit]:
        for m in self.phone.finditer(text):
            fax = self.fax_before.search(text, max(0, m.start() - 60), m.start())
            yield m.start(), m.end(), "fax" if fax else "phone"

    def _dates(self, text: str) -> Iterator[_Hit]:
        for pattern in self.dates:
            yield from ((m.start(), m.end(), "date") for m in pattern.finditer(text))
        for m in self.day_month.finditer(text):
            if 1 <= int(m.group("day")) <= 31:
                yield m.start(), m.end(), "date"
        for m in self.month_after.finditer(text):
            yield m.start(1), m.end(1), "date"
        for pattern, group in ((self.numeric_date, 0), (self.iso_date, 0), (self.cued_date, 1)):
            for m in pattern.finditer(text):
                first, second = int(m.group("a")), int(m.group("b"))
                if _is_day(first, second) or (pattern is not self.iso_date
                                              and _is_day(second, first)):
                    yield m.start(group), m.end(group), "date"

    def _ages(self, text: str) -> Iterator[_Hit]:
        for pattern in self.ages:
            yield from ((m.start(), m.end(), "age_over_89") for m in pattern.finditer(text))
        for m in self.age_apposition.finditer(text):  # "Rosa, 94," and "Hiroshi T., 91,"
            before = text[max(0, m.start() - 2):m.start()].rstrip(".")
            if before[-1:].isalpha():
                yield m.start(1), m.end(1), "age_over_89"

    def _places(self, text: str) -> Iterator[_Hit]:
        yield from ((m.start(), m.end(), "geography") for m in self.cities.finditer(text))
        for pattern in self.addresses:
            yield from ((m.start(), m.end(), "geography") for m in pattern.finditer(text))
        for m in self.place_types.finditer(text):
            name = _PLACE_NAME_END.search(text, max(0, m.start() - 60), m.start())
            words = list(_WORDS.finditer(name.group())) if name else []
            while words and words[0].group() in self.not_names:  # "The County": no place
                words.pop(0)
            if words:
                yield name.start() + words[0].start(), m.end(), "geography"
        for pattern in self.zips:
            yield from ((m.start(1), m.end(1), "geography") for m in pattern.finditer(text))

    def _rules(self, text: str) -> Iterator[_Hit]:
        for pattern, kind in self.rules:
            yield from ((m.start(), m.end(), kind) for m in pattern.finditer(text))

    def _recent(self, text: str) -> Iterator[_Hit]:
        """Weekdays, with the word before them: "on Tuesday", "last Friday"."""
        for m in self.weekday.finditer(text):
            prefix = self.weekday_prefix.search(text, max(0, m.start() - 12), m.start())
            yield (m.start() if prefix is None else prefix.start()), m.end(), "recent_encounter"

    def _events(self, text: str) -> Iterator[_Hit]:
        """ "the house fire", "the fire on Elm Street" (but not "the fire drill")."""
        for m in self.event.finditer(text):
            if m.group("mods") or " " in m.group("event") or m.group("after"):
                yield m.start(), m.end("event"), "unique_event"

    def _rare(self, text: str, hits: list[_Hit]) -> Iterator[_Hit]:
        """Rare conditions, when the post also says where or when."""
        if (any(kind in ("geography", "date", "recent_encounter") for _, _, kind in hits)
                or self.rare_place.search(text) or self.rare_time.search(text)):
            yield from ((m.start(), m.end(), "rare_condition_with_place_or_time")
                        for m in self.rare.finditer(text))

    # --- putting it together -------------------------------------------------------

    def _about_a_patient(self, text: str) -> bool:
        """Does ``text`` speak of a particular patient ("my patient", "a young man" ...)?"""
        if any(pattern.search(text) for pattern in self.context):
            return True
        return any(not self.generic_before.search(text, max(0, m.start() - 16), m.start())
                   for m in self.patient_word.finditer(text))  # not "every patient"

    def _hits(self, text: str, always: list[_Hit], about: bool) -> list[_Hit]:
        """Everything found in ``text``, overlaps resolved."""
        hits = list(always)
        if about:
            for finder in self._patient_finders:
                hits.extend(finder(text))
            hits.extend(self._rare(text, hits))
        return _resolve(hits)

    def _photo_rules(self, photo: Photo, about: bool) -> Iterator[tuple[str, wordfile.PhotoRule]]:
        """(source, rule) for each description or metadata rule the photo triggers."""
        sentences = [s for s in re.split(r"[.!?;\n]+", photo.description) if s.strip()]
        for rule, pattern in self.photo_terms:
            if (rule.needs == "any" or about) and any(
                    pattern.search(s) and not self.negation.search(s) for s in sentences):
                yield DESCRIPTION, rule
        for key, value in photo.metadata.items() if about else ():
            rule = self.photo_keys.get(str(key).lower())
            value = str(value or "").strip()
            if rule is not None and value and (rule.needs != "day" or self._has_day(value)):
                yield METADATA, rule

    def _has_day(self, value: str) -> bool:
        """A date with its month and day ("2024:03:14 09:12:00"), not just a year."""
        return bool(_DAY_IN_METADATA.search(value) or self.dates[0].search(value)
                    or self.day_month.search(value))

    def check(self, text: str, *, photo: Photo | None = None,
              names: Iterable[str] = ()) -> Report:
        """See :func:`carefully.privacy.check`."""
        extra = _extra_names(self, frozenset(" ".join(name.split()) for name in names
                                             if name and name.strip()))
        description = photo.description if photo else ""
        in_text, in_description = self._always(text, extra), self._always(description, extra)
        about = bool(in_text or in_description or self._about_a_patient(text)
                     or self._about_a_patient(description))
        findings = [self._finding(start, end, kind, TEXT)
                    for start, end, kind in self._hits(text, in_text, about)]
        if photo is not None:
            kinds = dict.fromkeys(kind for _, _, kind in self._hits(description, in_description,
                                                                     about))
            findings += [self._finding(-1, -1, kind, DESCRIPTION) for kind in kinds]
            for source, rule in self._photo_rules(photo, about):
                direct = self.lists.identifiers[rule.kind].direct
                findings.append(Finding(-1, -1, rule.kind, rule.label, rule.reason, direct,
                                        source))
        findings.sort(key=lambda finding: (finding.start, finding.end))
        direct = list(dict.fromkeys(f.label for f in findings if f.direct))
        indirect = list(dict.fromkeys(f.label for f in findings if not f.direct))
        return Report(tuple(findings), self.lists.verdicts.sentence(direct, indirect))

    def _finding(self, start: int, end: int, kind: str, source: str) -> Finding:
        message = self.lists.identifiers[kind]
        return Finding(start, end, kind, message.label, message.reason, message.direct, source)


@functools.lru_cache(maxsize=64)
def _extra_names(checker_: Checker, names: frozenset[str]) -> re.Pattern[str] | None:
    """The pattern for a caller's extra names (cached: the same names come with every keystroke)."""
    return checker_._name_list(sorted(names)) if names else None
