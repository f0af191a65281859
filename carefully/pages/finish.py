"""The finish page: the CME evaluation, then the certificate (or what is still missing)."""

from __future__ import annotations

import base64
from html import escape

import ipywidgets as widgets

from carefully import certificates, content, credit, evaluation, learners
from carefully.kinds import forms

from .common import FIELD_STYLE, log, notice, show_html


class EvaluationView:
    """The evaluation form; on a complete submission it tells the certificate panel."""

    def __init__(self, learner_id: str, on_saved=None) -> None:
        self.learner_id = learner_id
        self.profile = learners.profile(learner_id)
        self.on_saved = on_saved
        words = forms.forms().evaluation
        self.words = words
        self.inputs: dict[str, widgets.Widget] = {}
        rows: list[widgets.Widget] = [widgets.HTML(
            f'<h3 id="cf-evaluation">{escape(words.heading)}</h3><p>{escape(words.intro)}</p>')]
        for question in words.questions:
            label = question.text + ("" if question.required else " (optional)")
            if question.kind == "text":
                field = widgets.Textarea(description=label, style=FIELD_STYLE,
                                         layout=widgets.Layout(width="100%", height="5rem"))
            else:
                options = words.scale if question.kind == "scale" else question.choices
                field = widgets.RadioButtons(options=list(options), value=None, description=label,
                                             style=FIELD_STYLE, layout=widgets.Layout(width="100%"))
            field.add_class("cf-evaluation-question")
            self.inputs[question.id] = field
            rows.append(field)
        self.credits = None
        if self.profile is not None and self.profile.is_physician:
            course = content.course()
            steps = evaluation.credit_steps(course.max_credits)
            self.credits = widgets.Dropdown(
                options=[("Choose\u2026", 0.0)] + [(f"{step:g}", step) for step in steps],
                value=0.0, style=FIELD_STYLE,
                description=words.credits_question.format(max_credits=f"{course.max_credits:g}"),
                layout=widgets.Layout(width="100%"))
            rows.append(self.credits)
        self.button = widgets.Button(description=words.button, button_style="primary")
        self.button.on_click(self._submit)
        self.message = widgets.HTML()
        rows += [self.button, self.message]
        self.widget = widgets.VBox(rows)
        self.widget.add_class("cf-card")
        self.widget.add_class("cf-evaluation")
        done = evaluation.load(learner_id)
        if done is not None:
            self.widget.children = [rows[0], widgets.HTML(
                f'<p role="status">{escape(words.thanks)}</p>')]

    def _submit(self, _button=None) -> None:
        try:
            answers = {key: field.value for key, field in self.inputs.items()}
            claimed = self.credits.value if self.credits is not None else None
            physician = self.profile is not None and self.profile.is_physician
            left = evaluation.save(self.learner_id, answers, claimed, physician)
            if left:
                self.message.value = (f'<div class="cf-notice" role="alert">'
                                      f"<p>{escape(self.words.missing)}</p></div>")
                return
            self.widget.children = [self.widget.children[0], widgets.HTML(
                f'<p role="status">{escape(self.words.thanks)}</p>')]
            if self.on_saved:
                self.on_saved()
        except Exception:  # noqa: BLE001 (the learner sees a notice; the log has why)
            log.exception("the evaluation could not be saved")
            self.message.value = notice()


def render_certificate(learner_id: str) -> str:
    """The certificate panel: a download link, or the list of what is missing."""
    words = forms.forms().certificate
    certificate = certificates.issue(learner_id)
    if certificate is None:
        standing = credit.status(learner_id)
        items = "".join(f"<li>{escape(line)}</li>" for line in standing.missing)
        return (f'<section class="cf-card cf-certificate" aria-labelledby="cf-cert">'
                f'<h3 id="cf-cert">{escape(words["missing_heading"])}</h3>'
                f'<ul class="cf-missing">{items}</ul></section>')
    data = base64.b64encode(certificates.render_pdf(certificate)).decode()
    name = f"certificate-{certificate.serial}.pdf"
    code = certificates.code(certificate)
    return (f'<section class="cf-card cf-certificate" aria-labelledby="cf-cert">'
            f'<h3 id="cf-cert">{escape(words["heading"])}</h3>'
            f'<p role="status">{escape(words["ready"])}</p>'
            f'<p><a class="cf-download" download="{escape(name)}" '
            f'href="data:application/pdf;base64,{data}">{escape(words["button"])}</a></p>'
            f'<p class="cf-code">{escape(words["verify_note"].format(code=code))}</p></section>')


def show() -> None:
    """The evaluation and the certificate panel, for the learner of this page."""
    from IPython.display import display

    try:
        learner_id = learners.current_learner_id()
        if learners.profile(learner_id) is None:
            show_html(lambda: notice(forms.sign_in().not_signed_in))
            return
        panel = widgets.HTML(render_certificate(learner_id))

        def refresh() -> None:
            try:
                panel.value = render_certificate(learner_id)
            except Exception:  # noqa: BLE001 (the learner sees a notice; the log has why)
                log.exception("the certificate panel could not be shown")
                panel.value = notice()

        display(widgets.VBox([EvaluationView(learner_id, on_saved=refresh).widget, panel]))
    except Exception:  # noqa: BLE001 (the learner sees a notice; the log has why)
        log.exception("the finish page could not be shown")
        show_html(notice)
