"""The start page: what the course is, for whom, how credit works, the modules."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .. import content, settings
from .common import show_html


def _minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} minutes"
    text = f"{hours} hour{'s' if hours > 1 else ''}"
    return f"{text} {rest} minutes" if rest else text


def render_header(course: content.Course) -> str:
    """The banner: title, subtitle, provider."""
    return (
        '<div class="cf-hero">'
        f"<h1>{escape(course.title)}</h1>"
        f"<p>{escape(course.subtitle)}</p>"
        f'<p class="cf-provider">Offered by {escape(course.provider)}</p>'
        "</div>"
    )


def render_overview(course: content.Course, pages: Path) -> str:
    """About, objectives, time and credit, and the modules with their links.

    Module 0 is this page and is not listed; a module whose page is not in
    ``pages`` yet is listed without a link.
    """
    objectives = "".join(f"<li>{escape(item)}</li>" for item in course.objectives)
    facts = (
        ("Estimated time", _minutes(course.estimated_minutes)),
        ("Passing mark", f"{course.pass_mark}% on each quiz"),
        ("Credit", f"up to {content.credits_text(course.max_credits)} AMA PRA Category 1 Credits\u2122"),
    )
    fact_items = "".join(
        f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>" for label, value in facts
    )
    modules = "".join(
        _module_item(module, pages) for module in course.modules if module.number != 0
    )
    return (
        '<section class="cf-card" aria-labelledby="cf-about">'
        '<h2 id="cf-about">About this course</h2>'
        f"<p>{escape(course.description)}</p>"
        "<h3>Who it is for</h3>"
        f"<p>{escape(course.audience)}</p>"
        "</section>"
        '<section class="cf-card" aria-labelledby="cf-objectives">'
        '<h2 id="cf-objectives">What you will be able to do</h2>'
        f"<ul>{objectives}</ul>"
        "</section>"
        '<section class="cf-card" aria-labelledby="cf-credit">'
        '<h2 id="cf-credit">Time, passing mark and credit</h2>'
        f'<dl class="cf-facts">{fact_items}</dl>'
        f"<p>{escape(course.how_credit_works)}</p>"
        f'<p class="cf-statement">{escape(course.credit_statement)}</p>'
        "</section>"
        '<section class="cf-card" aria-labelledby="cf-modules">'
        '<h2 id="cf-modules">Modules</h2>'
        f'<ol class="cf-modules">{modules}</ol>'
        "</section>"
    )


def _module_item(module: content.Module, pages: Path) -> str:
    label = f"Module {module.number}: {module.title}"
    if (pages / module.page).is_file():
        # A plain link: the page keeps the learner's ?learner= on it when clicked (the
        # page template does), so this part of the page need not wait for the request.
        name = f'<a class="cf-module-link" href="{escape(module.page)}">{escape(label)}</a>'
    else:
        name = f'<span>{escape(label)} <span class="cf-soon">(in preparation)</span></span>'
    return (
        "<li>"
        f'<div class="cf-module-head">{name}'
        f'<span class="cf-minutes">{module.minutes} min</span></div>'
        f"<p>{escape(module.summary)}</p>"
        "</li>"
    )


def render_next(course: content.Course, pages: Path) -> str:
    """What's next: the first module to take, with its link once its page exists."""
    first = next(module for module in course.modules if module.number != 0)
    label = f"Module {first.number}: {first.title}"
    if (pages / first.page).is_file():
        action = (f'Begin with <a class="cf-module-link" href="{escape(first.page)}">'
                  f"{escape(label)}</a>.")
    else:
        action = f"{escape(label)} is in preparation; it will open from the list above."
    return (
        '<section class="cf-card cf-next" aria-labelledby="cf-next">'
        '<h2 id="cf-next">What\'s next</h2>'
        f"<p>{action} It takes about {first.minutes} minutes.</p>"
        "</section>"
    )


def show_header() -> None:
    """Display the banner (called from notebooks/00_start.ipynb)."""
    show_html(lambda: render_header(content.course()))


def show_overview() -> None:
    """Display the overview (called from notebooks/00_start.ipynb)."""
    show_html(lambda: render_overview(content.course(), settings.notebooks_dir()))


def show_next() -> None:
    """Display what's next and the question box (called from notebooks/00_start.ipynb)."""
    from . import ask

    show_html(lambda: render_next(content.course(), settings.notebooks_dir()))
    ask.show(content.course().modules[0].page)
