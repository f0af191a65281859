"""Sign-in on the start page, and the learner's own progress once signed in."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from carefully import content, learners, progress, settings
from carefully.kinds import forms, lessons

from .common import FIELD_STYLE, log, notice, show_html


def _field_layout() -> widgets.Layout:
    return widgets.Layout(width="100%", max_width="34rem")


def module_progress(learner_id: str, course: content.Course) -> list[tuple[content.Module, str]]:
    """Each module (but the start) with a short line on what the learner has done there."""
    rows = []
    for module in course.modules:
        if module.number == 0:
            continue
        done = progress.load(learner_id).get("modules", {}).get(str(module.number), {})
        parts = []
        lesson = lessons.lesson(module.number)
        if lesson and lesson.tasks:
            count = sum(1 for task in lesson.tasks if task.id in done.get("task", {}))
            parts.append(f"{count} of {len(lesson.tasks)} practice tasks done")
        for name, record in sorted(done.get("quiz", {}).items()):
            value = record.get("value") if isinstance(record, dict) else None
            if isinstance(value, dict) and isinstance(value.get("percent"), (int, float)):
                parts.append(f"quiz score {value['percent']:.0f}%")
        if not parts:
            parts.append("opened" if done else "not started")
        rows.append((module, "; ".join(parts)))
    return rows


def next_module(learner_id: str, course: content.Course) -> content.Module | None:
    """Where the learner left off: the first module whose quiz is not yet passed."""
    from carefully import credit

    for module in course.modules:
        if module.number == 0:
            continue
        quizzes = [q for q in course.required_quizzes if credit.module_of(q) == module.number]
        percents = [credit.counting_percent(learner_id, quiz) for quiz in quizzes]
        if not quizzes or any(p is None or p < course.pass_mark for p in percents):
            opened = progress.load(learner_id).get("modules", {}).get(str(module.number))
            if quizzes or not opened:
                return module
    return None


def render_welcome(profile: learners.Profile, returning: bool, base_url: str = "") -> str:
    """The signed-in learner's panel: welcome, personal link, progress with personal links."""
    words = forms.sign_in()
    course = content.course()
    greeting = (words.returning if returning else words.welcome).format(name=profile.name)
    personal = learners.link(course.modules[0].page, profile.id)
    items = "".join(
        f'<li><a class="cf-module-link" href="{escape(learners.link(module.page, profile.id))}">'
        f"Module {module.number}: {escape(module.title)}</a>"
        f'<span class="cf-progress-line"> \u2014 {escape(line)}</span></li>'
        for module, line in module_progress(profile.id, course)
        if (settings.notebooks_dir() / module.page).is_file()
    )
    ahead = next_module(profile.id, course)
    resume = ""
    if returning and ahead is not None:
        resume = (f'<p class="cf-resume">Continue where you stopped: <a class="cf-module-link" '
                  f'href="{escape(learners.link(ahead.page, profile.id))}">Module {ahead.number}: '
                  f"{escape(ahead.title)}</a></p>")
    return (
        '<section class="cf-card cf-welcome" aria-labelledby="cf-welcome" role="status">'
        f'<h2 id="cf-welcome">{escape(greeting)}</h2>{resume}'
        f"<p>{escape(words.personal_link)}</p>"
        f'<p><a class="cf-personal-link" href="{escape(personal)}">Your personal link to this '
        "course</a></p>"
        '<h3>Your modules</h3>'
        f'<ul class="cf-my-modules">{items}</ul>'
        "</section>"
    )


class SignInView:
    """The sign-in form; once signed in, the learner's panel in its place."""

    def __init__(self) -> None:
        words = forms.sign_in()
        self.words = words
        labels = words.labels
        self.name = widgets.Text(description=labels["name"], style=FIELD_STYLE, layout=_field_layout())
        self.email = widgets.Text(description=labels["email"], style=FIELD_STYLE,
                                  layout=_field_layout())
        self.profession = widgets.Dropdown(
            options=[("Choose\u2026", "")] + [(label, key) for key, label in words.professions.items()],
            value="", description=labels["profession"], style=FIELD_STYLE)
        self.license_id = widgets.Text(description=labels["license_id"], style=FIELD_STYLE,
                                       layout=_field_layout())
        self.birth_month = widgets.Dropdown(
            options=[("\u2014", 0)] + [(f"{m:02d}", m) for m in range(1, 13)], value=0,
            description=labels["birth_month"], style=FIELD_STYLE)
        self.birth_day = widgets.Dropdown(
            options=[("\u2014", 0)] + [(f"{d:02d}", d) for d in range(1, 32)], value=0,
            description=labels["birth_day"], style=FIELD_STYLE)
        self.button = widgets.Button(description=words.button, button_style="primary")
        self.button.add_class("cf-primary")
        self.message = widgets.HTML()
        self.button.on_click(self._submit)
        intro = widgets.HTML(
            f'<h2 id="cf-sign-in">{escape(words.heading)}</h2><p>{escape(words.intro)}</p>')
        self.form = widgets.VBox([intro, self.name, self.email, self.profession, self.license_id,
                                  widgets.HBox([self.birth_month, self.birth_day]),
                                  self.button, self.message])
        self.form.add_class("cf-card")
        self.form.add_class("cf-sign-in")
        self.widget = widgets.VBox([self.form])

    def form_values(self) -> learners.SignIn:
        return learners.SignIn(
            name=self.name.value, email=self.email.value, profession=self.profession.value,
            license_id=self.license_id.value,
            birth_month=self.birth_month.value or None, birth_day=self.birth_day.value or None)

    def _submit(self, _button=None) -> None:
        try:
            form = self.form_values()
            found = learners.problems(form)
            if found:
                items = "".join(f"<li>{escape(text)}</li>" for text in found.values())
                self.message.value = f'<div class="cf-notice" role="alert"><ul>{items}</ul></div>'
                return
            profile = learners.sign_in(form, learner_id=learners.hub_learner_id())
            returning = bool(progress.load(profile.id).get("modules"))
            self.widget.children = [widgets.HTML(render_welcome(profile, returning))]
        except Exception:  # noqa: BLE001 (the learner sees a notice; the log has why)
            log.exception("sign-in failed")
            self.message.value = notice()


def show() -> None:
    """On the start page: the welcome panel for a known learner, else the sign-in form."""
    from IPython.display import display

    try:
        learner_id = learners.current_learner_id()
        profile = learners.profile(learner_id)
        if profile is not None:
            show_html(lambda: render_welcome(profile, returning=True))
            return
        display(SignInView().widget)
    except Exception:  # noqa: BLE001 (the learner sees a notice; the log has why)
        log.exception("the sign-in form could not be shown")
        show_html(notice)
