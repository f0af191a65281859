""""Ask the instructor": a question box at the foot of every learner page."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from carefully import class_store, learners

from .common import FIELD_STYLE, log, notice


class AskView:
    """A question box; questions reach the instructor page with the page they came from."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.text = widgets.Textarea(
            description="Your question", placeholder="Stuck? Ask here and we'll help you out.",
            style=FIELD_STYLE, layout=widgets.Layout(width="100%", height="4.5rem"))
        self.anonymous = widgets.Checkbox(value=False, description="Ask without my name",
                                          indent=False)
        self.button = widgets.Button(description="Send question")
        self.message = widgets.HTML()
        self.button.on_click(self._send)
        heading = widgets.HTML('<h2 id="cf-ask">Ask the instructor</h2>'
                               "<p>Questions go to your instructor during a live session, "
                               "and to the course team otherwise.</p>")
        self.widget = widgets.VBox([heading, self.text, self.anonymous, self.button,
                                    self.message])
        self.widget.add_class("cf-card")
        self.widget.add_class("cf-ask")

    def _send(self, _button=None) -> None:
        try:
            text = self.text.value.strip()
            if not text:
                self.message.value = ('<p class="cf-notice" role="alert">Please type your '
                                      "question first.</p>")
                return
            learner_id = learners.current_learner_id()
            profile = learners.profile(learner_id)
            class_store.ask(learner_id, self.page, text, self.anonymous.value,
                            name=profile.name if profile else "")
            self.text.value = ""
            self.message.value = (f'<p role="status">Sent: \u201c{escape(text[:120])}\u201d. '
                                  "Your instructor will answer it.</p>")
        except Exception:  # noqa: BLE001 (the learner sees a notice; the log has why)
            log.exception("a question could not be sent")
            self.message.value = notice()


def show(page: str) -> None:
    """Display the question box for ``page`` (a notebook file name)."""
    from IPython.display import display

    display(AskView(page).widget)
