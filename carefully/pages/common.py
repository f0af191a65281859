"""Helpers every page uses: display HTML, and fail politely."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from html import escape


def _server_log() -> logging.Logger:
    """The course's log, written to the kernel's own stderr: the server's terminal.

    (A page's sys.stderr would show in the page itself, which learners must not see.)
    """
    logger = logging.getLogger("carefully")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.__stderr__)
        handler.setFormatter(logging.Formatter("[carefully %(levelname)s] %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    return logger


log = _server_log()

FIELD_STYLE = {"description_width": "initial"}
"""A form field's style: its label at full width, beside or above the field."""

NOTICE = (
    "This part of the course could not be shown just now. Please reload the page; "
    "if it happens again, tell your course coordinator."
)


def notice(text: str = NOTICE) -> str:
    """A learner-facing notice in place of something that failed."""
    return f'<div class="cf-notice" role="alert"><p>{escape(text)}</p></div>'


def show_html(render: Callable[[], str]) -> None:
    """Display what ``render`` returns; if it fails, log why and show a notice.

    Learners never see a traceback: the reason goes to the server's log, where
    the course team can read it.
    """
    from IPython.display import HTML, display

    try:
        html = render()
    except Exception:  # any failure becomes the same polite notice
        log.exception("a course page could not be rendered")
        html = notice()
    display(HTML(html))
