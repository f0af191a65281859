"""The words of the course's forms (assets/forms.yaml): sign-in, evaluation, certificate."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from carefully import content

CERTIFICATE_WORDS = (
    "heading", "physician_title", "participation_title", "participation_note", "format",
    "verify_note", "ready", "button", "missing_heading", "missing_sign_in", "missing_quiz",
    "missing_quiz_untried", "missing_evaluation", "expired",
)


@dataclass(frozen=True)
class SignInWords:
    heading: str
    intro: str
    labels: Mapping[str, str]
    professions: Mapping[str, str]
    button: str
    errors: Mapping[str, str]
    welcome: str
    returning: str
    personal_link: str
    not_signed_in: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # scale, text or choice
    text: str
    required: bool
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvaluationWords:
    heading: str
    intro: str
    scale: tuple[str, ...]
    questions: tuple[Question, ...]
    credits_question: str
    button: str
    missing: str
    thanks: str


@dataclass(frozen=True)
class Forms:
    sign_in: SignInWords
    evaluation: EvaluationWords
    certificate: Mapping[str, str]


def _clean(value: str) -> str:
    return " ".join(value.split())


def _build(doc: content.Document) -> Forms:
    sign, evaluation = doc.data["sign_in"], doc.data["evaluation"]
    return Forms(
        sign_in=SignInWords(**{key: (_clean(value) if isinstance(value, str)
                                     else {k: _clean(v) for k, v in value.items()})
                               for key, value in sign.items()}),
        evaluation=EvaluationWords(
            heading=_clean(evaluation["heading"]), intro=_clean(evaluation["intro"]),
            scale=tuple(evaluation["scale"]),
            questions=tuple(Question(q["id"], q["kind"], _clean(q["text"]), q["required"],
                                     tuple(q.get("choices", ()))) for q in evaluation["questions"]),
            credits_question=_clean(evaluation["credits_question"]),
            button=_clean(evaluation["button"]), missing=_clean(evaluation["missing"]),
            thanks=_clean(evaluation["thanks"]),
        ),
        certificate={key: _clean(value) for key, value in doc.data["certificate"].items()},
    )


def _check(doc: content.Document) -> Iterator[content.Problem]:
    data = doc.data if isinstance(doc.data, dict) else {}
    words = data.get("certificate")
    if isinstance(words, dict):
        for key in CERTIFICATE_WORDS:
            if key not in words:
                yield doc.problem(("certificate",), f"a '{key}:' line among the certificate's words")
    evaluation = data.get("evaluation")
    questions = evaluation.get("questions") if isinstance(evaluation, dict) else None
    for index, question in enumerate(questions if isinstance(questions, list) else []):
        if isinstance(question, dict) and question.get("kind") == "choice" and "choices" not in question:
            yield doc.problem(("evaluation", "questions", index), "a 'choices:' list for a choice question")


content.register(content.Kind(name="forms", pattern="forms.yaml", schema="forms.schema.json",
                              build=_build, check=_check, what="the words of the course's forms"))


def forms(assets_dir=None) -> Forms:
    return content.load(assets_dir).of("forms")[0]


def sign_in(assets_dir=None) -> SignInWords:
    return forms(assets_dir).sign_in
