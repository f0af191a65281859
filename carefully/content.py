"""Load and validate the course content in ``assets/`` (YAML) into typed objects.

This is the one loader for course content. Each kind of content is registered
as a :class:`Kind`: a file pattern inside the assets folder, a JSON Schema in
``carefully/schemas/``, an optional function with checks a schema cannot
express, and a function that builds a typed object from one valid file.
Adding a kind (posts, dilemmas, topics ...) means calling :func:`register`;
the machinery below stays as it is.

Every problem found is a :class:`Problem` that names the file, the line, the
field and, in plain words for a course author, what was expected there.
:func:`validate` returns all of them and never raises for bad content;
:func:`load` and :func:`course` raise :class:`ContentError` listing them.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from carefully import settings

SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"

FieldPath = tuple[str | int, ...]
"""Where a value sits in a file: keys and list indexes, e.g. ("modules", 2, "page")."""


# --- problems -------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, worded for a course author."""

    file: str  # e.g. "assets/course.yaml"
    line: int | None  # 1-based; None when no line applies
    field: str  # e.g. "modules[2].page", or "(file)" for the whole file
    expected: str  # plain English: what a good value looks like (and what was found)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: expected {self.expected}"


class ContentError(Exception):
    """The course content has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def field_name(path: FieldPath) -> str:
    """Write a field path the way an author reads it: ``modules[2].page``."""
    name = ""
    for step in path:
        name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else str(step))
    return name or "(file)"


# --- one parsed file --------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One parsed YAML file: its data, its node tree (for line numbers), its name."""

    file: str
    data: Any
    node: yaml.Node | None

    def _find(self, path: FieldPath) -> tuple[yaml.Node | None, int | None]:
        """The node at ``path`` (None if absent) and the line that best points at it.

        For a value in a mapping the line is that of its key; for a missing
        value, the line of the nearest enclosing node.
        """
        node = self.node
        line = None if node is None else node.start_mark.line + 1
        for step in path:
            found: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:  # the last one wins, as in the data
                    if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                        found, line = value, key.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and step in range(len(node.value)):
                found = node.value[step]
                line = found.start_mark.line + 1
            if found is None:
                return None, line
            node = found
        return node, line

    def line(self, path: FieldPath) -> int | None:
        """The 1-based line of the field at ``path`` (or of its nearest parent)."""
        return self._find(path)[1]

    def value(self, path: FieldPath) -> Any:
        """The value at ``path``, or None when there is none."""
        value = self.data
        for step in path:
            try:
                value = value[step]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def got(self, path: FieldPath) -> str:
        """Describe the value at ``path`` as the author wrote it: 'twenty', 12, a list."""
        value, (node, _) = self.value(path), self._find(path)
        if isinstance(value, str):
            text = " ".join(value.split())
            return repr(text if len(text) <= 50 else text[:47] + "...")
        if isinstance(value, list):
            return f"a list of {len(value)}"
        if isinstance(value, dict):
            return "a group of fields"
        if value is None:
            return "nothing"
        if isinstance(node, yaml.ScalarNode):
            return node.value
        return repr(value)

    def problem(self, path: FieldPath, expected: str) -> Problem:
        """A problem with the field at ``path``, located at its line."""
        return Problem(self.file, self.line(path), field_name(path), expected)


# --- kinds of content -------------------------------------------------------


def _no_checks(doc: Document) -> Iterable[Problem]:
    return ()


@dataclass(frozen=True)
class Kind:
    """A kind of content file.

    ``pattern`` is a glob inside the assets folder ("course.yaml",
    "posts/*.yaml"); ``schema`` a file name in ``carefully/schemas/``;
    ``build`` turns one valid file into a typed object; ``check`` yields the
    problems a schema cannot find (it must cope with partly invalid data);
    ``required`` says at least one file must exist; ``what`` names the
    content for authors ("the course settings").
    """

    name: str
    pattern: str
    schema: str
    build: Callable[[Document], Any]
    check: Callable[[Document], Iterable[Problem]] = _no_checks
    required: bool = True
    what: str = "course content"


KINDS: dict[str, Kind] = {}
"""Every registered kind of content, by name, in the order they are checked."""


def register(kind: Kind) -> Kind:
    """Add (or replace) a kind of content; returns it."""
    KINDS[kind.name] = kind
    return kind


CrossCheck = Callable[[Mapping[str, Sequence[Document]]], Iterable[Problem]]
CROSS_CHECKS: dict[str, CrossCheck] = {}
"""Checks across files (a rule naming guidance that exists ...), by name.

Each gets the parsed documents of every kind, by kind name, and yields problems.
"""


def register_cross_check(name: str, check: CrossCheck) -> CrossCheck:
    """Add (or replace) a check across files; returns it."""
    CROSS_CHECKS[name] = check
    return check


@dataclass(frozen=True)
class Content:
    """Everything loaded from one assets folder, by kind."""

    folder: Path
    objects: Mapping[str, tuple[Any, ...]]

    def of(self, kind: str) -> tuple[Any, ...]:
        """The typed objects of one kind, one per file, in file-name order."""
        return self.objects[kind]


# --- the loader -------------------------------------------------------------


def assets_folder(assets_dir: str | Path | None = None) -> Path:
    """The resolved assets folder: ``assets_dir``, or the course's (honours CAREFULLY_ASSETS)."""
    folder = settings.assets_dir() if assets_dir is None else Path(assets_dir)
    return folder.expanduser().resolve()


def _display(path: Path, assets: Path) -> str:
    """A file's name in messages: relative to the assets folder's parent if possible."""
    try:
        return path.relative_to(assets.parent).as_posix()
    except ValueError:
        return str(path)


def _files(assets: Path, kind: Kind) -> list[Path]:
    return sorted(path for path in assets.glob(kind.pattern) if path.is_file())


def content_files(assets_dir: str | Path | None = None) -> list[Path]:
    """The content files the registered kinds would check in ``assets_dir``."""
    register_all()
    assets = assets_folder(assets_dir)
    return [path for kind in KINDS.values() for path in _files(assets, kind)]


@functools.cache
def _validator(schema_name: str) -> jsonschema.Draft202012Validator:  # noqa: F821
    import jsonschema  # slow to import (its format checkers): only when validating

    schema = json.loads((SCHEMAS_DIR / schema_name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, reading values as JSON would: dates stay text (checked later)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """Safe-load YAML text, keeping the node tree for line numbers."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (None if node is None else loader.construct_document(node))
    finally:
        loader.dispose()


def _syntax_problem(file: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None)
    reason = getattr(error, "problem", None) or str(error)
    return Problem(
        file,
        None if mark is None else mark.line + 1,
        "(file)",
        f"well-formed YAML (the reader stopped here: {reason}); check the indentation "
        "and the ': ' after each field name, and put text containing ': ' or ' #' in quotes",
    )


def _duplicate_keys(doc: Document, node: yaml.Node | None, path: FieldPath) -> Iterator[Problem]:
    """YAML quietly keeps the last of two equal keys; authors should hear about it."""
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in first:
                yield Problem(
                    doc.file,
                    key.start_mark.line + 1,
                    field_name((*path, name)),
                    f"each field only once (it is also on line {first[name]})",
                )
            first.setdefault(name, key.start_mark.line + 1)
            yield from _duplicate_keys(doc, value, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(doc, item, (*path, index))


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "yes or no",
    "array": "a list",
    "object": "a group of fields",
    "null": "nothing",
}


_RULE_WORDS = {
    "minimum": "a number of at least {}",
    "maximum": "a number of at most {}",
    "exclusiveMinimum": "a number above {}",
    "exclusiveMaximum": "a number below {}",
    "multipleOf": "a multiple of {}",
    "minLength": "text of at least {} character(s)",
    "maxLength": "text of at most {} character(s)",
    "pattern": "text in the form {}",
    "minItems": "a list of at least {} item(s)",
    "maxItems": "a list of at most {} item(s)",
    "uniqueItems": "a list without repeats",
    "const": "exactly {!r}",
}


def _generic_expected(error: jsonschema.ValidationError) -> str:  # noqa: F821
    """Plain words for a schema rule that has no ``x-expected`` text."""
    rule, value = error.validator, error.validator_value
    if rule == "type":
        types = value if isinstance(value, list) else [value]
        return " or ".join(_TYPE_WORDS.get(t, str(t)) for t in types)
    if rule == "enum" and isinstance(value, list):
        return "one of: " + ", ".join(map(str, value))
    return _RULE_WORDS.get(str(rule), "a value of the right form").format(value)


def _explain(doc: Document, error: jsonschema.ValidationError) -> list[Problem]:  # noqa: F821
    """Turn one schema error into problems worded from the schema, never raw messages."""
    path: FieldPath = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    properties = schema.get("properties", {})
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        return [
            Problem(
                doc.file,
                doc.line(path),
                field_name((*path, name)),
                properties.get(name, {}).get("x-expected", "a value here")
                + " (this required field is missing)",
            )
            for name in error.validator_value
            if name not in instance
        ]
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = list(properties)
        problems = []
        for key in instance:
            if key in properties:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else "; check the spelling"
            problems.append(
                doc.problem(
                    (*path, key),
                    f"one of the fields allowed here: {', '.join(allowed)} "
                    f"(there is no field '{key}'{hint})",
                )
            )
        return problems
    expected = schema.get("x-expected") or _generic_expected(error)
    return [doc.problem(path, f"{expected} (got {doc.got(path)})")]


def _check_file(path: Path, assets: Path, kind: Kind,
                trusted: bool = False) -> tuple[Document | None, list[Problem]]:
    """Read, parse and check one file; the document is None if it could not be parsed.

    ``trusted``: these very bytes were validated before (see :func:`_load`): parse only.
    """
    file = _display(path, assets)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(file, None, "(file)", "plain text saved as UTF-8")]
    except OSError as error:
        return None, [Problem(file, None, "(file)", f"a readable file ({error.strerror})")]
    try:
        node, data = _parse(text)
    except yaml.YAMLError as error:
        return None, [_syntax_problem(file, error)]
    doc = Document(file, data, node)
    if trusted:
        return doc, []
    problems = list(_duplicate_keys(doc, node, ()))
    for error in _validator(kind.schema).iter_errors(data):
        problems.extend(_explain(doc, error))
    problems.extend(kind.check(doc))
    problems.extend(_dollar_signs(doc, data, ()))
    return doc, problems


def _dollar_signs(doc: Document, value: Any, path: FieldPath) -> Iterator[Problem]:
    """Text with "$" in it: course pages read text between dollar signs as mathematics."""
    if isinstance(value, str) and "$" in value:
        yield doc.problem(path, "text without the dollar sign: write amounts as "
                                "'10,000 dollars' (pages read text between $ signs as a formula)")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _dollar_signs(doc, item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _dollar_signs(doc, item, (*path, index))


@functools.cache
def register_all() -> None:
    """Import every module of :mod:`carefully.kinds`, each of which registers its kinds."""
    import importlib
    import pkgutil

    from carefully import kinds

    for module in pkgutil.iter_modules(kinds.__path__):
        importlib.import_module(f"{kinds.__name__}.{module.name}")


def _read(assets: Path, trusted: bool = False) -> tuple[list[Problem], Content]:
    """Check every registered kind in ``assets``; build objects for files without problems."""
    register_all()
    if not assets.is_dir():
        missing = Problem(str(assets), None, "(folder)", "a folder of course content (none found)")
        return [missing], Content(assets, {})
    problems: list[Problem] = []
    objects: dict[str, tuple[Any, ...]] = {}
    docs: dict[str, list[Document]] = {}
    for kind in KINDS.values():
        files = _files(assets, kind)
        if not files and kind.required:
            problems.append(Problem(_display(assets / kind.pattern, assets), None, "(file)",
                                    f"{kind.what} in this file (the file was not found)"))
        built = []
        for path in files:
            doc, found = _check_file(path, assets, kind, trusted)
            problems.extend(found)
            if doc is not None:
                docs.setdefault(kind.name, []).append(doc)
            if doc is not None and not found:
                built.append(kind.build(doc))
        objects[kind.name] = tuple(built)
    for check in () if trusted else CROSS_CHECKS.values():
        problems.extend(check(docs))
    unique = dict.fromkeys(problems)  # one schema slip can raise the same problem twice
    ordered = sorted(unique, key=lambda p: (p.file, p.line or 0, p.field))
    return ordered, Content(assets, objects)


def validate(assets_dir: str | Path | None = None) -> list[Problem]:
    """Every problem in the content of ``assets_dir`` (default: the course's assets).

    Reads the files afresh each time; an empty list means all is well.
    """
    return _read(assets_folder(assets_dir))[0]


def fingerprint(assets: Path) -> str:
    """A digest of everything validation depends on: the content, the schemas, the checks."""
    register_all()
    from carefully import kinds

    digest = hashlib.sha256()
    content_files_ = sorted({path for kind in KINDS.values() for path in _files(assets, kind)})
    code = [Path(__file__), *sorted(Path(kinds.__path__[0]).glob("*.py"))]
    for path in [*content_files_, *sorted(SCHEMAS_DIR.glob("*.json")), *code]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _validated_marker(assets: Path) -> Path | None:
    try:
        return settings.var_dir() / "cache" / "content" / f"{fingerprint(assets)}.valid"
    except OSError:
        return None


@functools.cache
def _load(assets: Path) -> Content:
    """Load, validating unless these very files were validated before.

    Every page's kernel loads the content; full validation (and importing the
    schema library) costs it about two seconds, so a successful validation is
    remembered in ``var/cache/content/`` under a digest of the files, the
    schemas and the checking code. Any change to any of them validates afresh.
    """
    marker = _validated_marker(assets)
    trusted = marker is not None and marker.exists()
    problems, content = _read(assets, trusted=trusted)
    if problems:
        raise ContentError(problems)
    if marker is not None and not trusted:
        try:
            from carefully import store

            store.write_text_atomic(marker, "validated\n")
        except OSError:
            pass  # a read-only var/: validate again next time
    return content


def load(assets_dir: str | Path | None = None) -> Content:
    """All the content of ``assets_dir``, read once per process per folder.

    Raises :class:`ContentError` listing every problem if anything is wrong.
    """
    return _load(assets_folder(assets_dir))


# --- the course settings: assets/course.yaml -------------------------------


@dataclass(frozen=True)
class Module:
    """One module of the course: one page of the app."""

    number: int
    title: str
    page: str  # notebook file name, e.g. "02_facebook.ipynb"
    minutes: int
    summary: str


@dataclass(frozen=True)
class Course:
    """The course settings."""

    title: str
    subtitle: str
    provider: str
    description: str
    audience: str
    estimated_minutes: int
    pass_mark: int  # percent
    max_credits: float
    credit_statement: str
    how_credit_works: str
    objectives: tuple[str, ...]
    modules: tuple[Module, ...]
    activity_format: str
    release_date: datetime.date
    expiry_date: datetime.date
    required_quizzes: tuple[str, ...]
    evaluation_required: bool
    reflections_block_credit: bool
    attempts_allowed: int
    attempt_that_counts: str  # best or last

    def module(self, number: int) -> Module:
        """The module with this number; KeyError if there is none."""
        for module in self.modules:
            if module.number == number:
                return module
        raise KeyError(f"the course has no module {number}")

    @property
    def total_minutes(self) -> int:
        """The sum of the modules' minutes."""
        return sum(module.minutes for module in self.modules)


def _text(value: str) -> str:
    return value.strip()


def _build_course(doc: Document) -> Course:
    data = doc.data
    return Course(
        title=_text(data["title"]),
        subtitle=_text(data["subtitle"]),
        provider=_text(data["provider"]),
        description=_text(data["description"]),
        audience=_text(data["audience"]),
        estimated_minutes=int(data["estimated_minutes"]),
        pass_mark=int(data["pass_mark"]),
        max_credits=float(data["max_credits"]),
        credit_statement=_text(data["credit_statement"]),
        how_credit_works=_text(data["how_credit_works"]),
        objectives=tuple(_text(objective) for objective in data["objectives"]),
        modules=tuple(
            Module(
                number=int(module["number"]),
                title=_text(module["title"]),
                page=module["page"],
                minutes=int(module["minutes"]),
                summary=_text(module["summary"]),
            )
            for module in data["modules"]
        ),
        activity_format=data["activity_format"],
        release_date=datetime.date.fromisoformat(data["release_date"]),
        expiry_date=datetime.date.fromisoformat(data["expiry_date"]),
        required_quizzes=tuple(data["required_quizzes"]),
        evaluation_required=bool(data["evaluation_required"]),
        reflections_block_credit=bool(data["reflections_block_credit"]),
        attempts_allowed=int(data["attempts_allowed"]),
        attempt_that_counts=data["attempt_that_counts"],
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def credits_text(credits: float) -> str:
    """Credits as the AMA writes them: 2.0, 1.5, 0.75."""
    return f"{credits:.1f}" if (credits * 2).is_integer() else f"{credits:.2f}"


def _designation_statement(provider: str, credits: float) -> str:
    return (
        f"The {provider} designates this enduring material for a maximum of "
        f"{credits_text(credits)} AMA PRA Category 1 Credits™. Physicians should claim "
        "only the credit commensurate with the extent of their participation in the activity."
    )


def _check_course(doc: Document) -> Iterator[Problem]:
    """Rules the schema cannot express; written to cope with partly invalid data."""
    data = doc.data if isinstance(doc.data, dict) else {}
    modules = data.get("modules") if isinstance(data.get("modules"), list) else []
    for key, what in (("number", "a module number"), ("page", "a page file name")):
        seen: dict[Any, int] = {}
        for index, module in enumerate(modules):
            value = module.get(key) if isinstance(module, dict) else None
            if not isinstance(value, (int, str)) or isinstance(value, bool):
                continue
            if value in seen:
                other = doc.line(("modules", seen[value], key))
                yield doc.problem(("modules", index, key),
                                  f"{what} that no other module uses "
                                  f"({doc.got(('modules', index, key))} is also on line {other})")
            else:
                seen[value] = index

    minutes, credits = data.get("estimated_minutes"), data.get("max_credits")
    credits_ok = _is_number(credits) and credits > 0
    if credits_ok and not float(credits * 4).is_integer():
        credits_ok = False
        yield doc.problem(("max_credits",), "a number of credits in quarter steps, such as 1.75 "
                          f"or 2.0 (got {doc.got(('max_credits',))})")
    if credits_ok and _is_number(minutes):
        allowed = int(minutes * 4 // 60) / 4
        if credits > allowed:
            yield doc.problem(("max_credits",),
                              f"at most {credits_text(allowed)} credits for {minutes} minutes of "
                              "learning (AMA: 1 credit per 60 minutes, in quarter steps) "
                              f"(got {doc.got(('max_credits',))})")

    module_minutes = [m.get("minutes") if isinstance(m, dict) else None for m in modules]
    if modules and _is_number(minutes) and all(_is_number(m) for m in module_minutes):
        total = sum(module_minutes)
        if total != minutes:
            yield doc.problem(("estimated_minutes",),
                              f"the total of the modules' minutes, {total} (got {minutes}); "
                              "change this or a module's minutes so that they agree")

    provider, statement = data.get("provider"), data.get("credit_statement")
    if credits_ok and isinstance(provider, str) and isinstance(statement, str):
        wanted = _designation_statement(" ".join(provider.split()), credits)
        said = " ".join(statement.split())
        parts = (" ".join(provider.split()), "enduring material",
                 f"{credits_text(credits)} AMA PRA Category 1 Credit", "commensurate")
        if not all(part in said for part in parts):
            yield doc.problem(("credit_statement",),
                              "the AMA designation statement naming this provider, the format "
                              f"and the maximum credits, worded like this: {wanted}")

    pass_mark, how = data.get("pass_mark"), data.get("how_credit_works")
    if _is_number(pass_mark) and isinstance(how, str) and f"{pass_mark:g}%" not in how:
        yield doc.problem(("how_credit_works",),
                          f"plain words that tell learners the pass mark, {pass_mark:g}%, "
                          "before they start (the text does not mention it)")

    yield from _check_dates(doc, data)


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _check_dates(doc: Document, data: dict) -> Iterator[Problem]:
    """Real dates; expiry after release and at most 3 years later (an enduring material)."""
    dates = {}
    for key in ("release_date", "expiry_date"):
        value = data.get(key)
        dates[key] = _date(value)
        if isinstance(value, str) and dates[key] is None:
            yield doc.problem((key,), f"a real date written year-month-day (got {doc.got((key,))})")
    release, expiry = dates["release_date"], dates["expiry_date"]
    if release and expiry:
        if expiry <= release:
            yield doc.problem(("expiry_date",), "a date after the release date")
        elif (expiry.year, expiry.month, expiry.day) > (release.year + 3, release.month, release.day):
            yield doc.problem(("expiry_date",), "a date at most 3 years after the release date "
                              "(an enduring material is reviewed at least every 3 years)")


register(Kind(name="course", pattern="course.yaml", schema="course.schema.json",
              build=_build_course, check=_check_course, what="the course settings"))


def course(assets_dir: str | Path | None = None) -> Course:
    """The course settings from ``assets_dir`` (default: the course's assets).

    Read and validated once per process per folder; raises :class:`ContentError`
    listing every problem if anything in the content is wrong.
    """
    return load(assets_dir).of("course")[0]
