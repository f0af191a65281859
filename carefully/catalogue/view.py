"""The catalogue page part: a search box, tag toggles and the list of topics.

A thin ipywidgets view over :mod:`carefully.catalogue.model`. The number of
widgets does not depend on the number of topics: the list is one HTML widget,
and the tags are one group of radio toggles. Each search or filter is passed
on as a :class:`carefully.tasks.Event` of kind ``catalogue`` with the details
``by`` ("search" or "tag"), ``query``, ``tag``, ``topics`` (ids shown),
``count`` and ``narrowed``.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from carefully import content, learners, tasks
from carefully.pages.common import FIELD_STYLE, log, notice

from . import model
from .render import render_card, render_listing

ALL = ""  # the value of the toggle that shows every tag


def module_pages(learner_id: str | None = None) -> dict[int, tuple[str, str]]:
    """Each module's page as a topic links to it: number -> (link keeping the learner, name)."""
    return {module.number: (learners.link(module.page, learner_id),
                            f"Module {module.number}, {module.title}")
            for module in content.course().modules}


class CatalogueView:
    """Search and filter the topics; ``widget`` is what the page shows."""

    def __init__(self, catalogue: model.Catalogue,
                 on_event: Callable[[tasks.Event], object] | None = None,
                 learner_id: str | None = None) -> None:
        self.catalogue = catalogue
        self.on_event = on_event
        self.pages = module_pages(learner_id)
        self.search = widgets.Text(
            description="Search the topics",
            placeholder="a word, such as review",
            continuous_update=True,
            style=FIELD_STYLE,
            layout=widgets.Layout(width="100%"),
        )
        self.search.add_class("cf-catalogue-search")
        options = [(f"All topics ({len(catalogue)})", ALL)]
        options += [(f"{tag} ({count})", tag) for tag, count in catalogue.tags]
        self.tags = widgets.RadioButtons(
            options=options,
            value=ALL,
            description="Show topics tagged",
            orientation="horizontal",
            style=FIELD_STYLE,
            layout=widgets.Layout(width="100%"),
        )
        self.tags.add_class("cf-catalogue-tags")
        self.list = widgets.HTML(self._render())
        self.list.add_class("cf-catalogue-box")
        self.widget = widgets.VBox([self.search, self.tags, self.list])
        self.widget.add_class("cf-catalogue")
        self.search.observe(lambda change: self._changed("search"), names="value")
        self.tags.observe(lambda change: self._changed("tag"), names="value")

    @property
    def listing(self) -> model.Listing:
        return self.catalogue.listing(self.search.value, self.tags.value or ALL)

    def _render(self, listing: model.Listing | None = None) -> str:
        return render_listing(listing or self.listing, self.catalogue, pages=self.pages)

    def _changed(self, by: str) -> None:
        """Show the topics for the new search or tag, and report what the learner did."""
        try:
            listing = self.listing
            self.list.value = self._render(listing)
            if self.on_event is None or (by == "search" and not listing.words) or (
                    by == "tag" and not listing.tag):
                return
            self.on_event(tasks.Event("catalogue", {
                "by": by, "query": listing.query, "tag": listing.tag, "topics": listing.ids,
                "count": listing.count, "narrowed": listing.narrowed,
            }))
        except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
            log.exception("the catalogue could not be updated")
            self.list.value = notice()


def show(module: int = 5) -> None:
    """Display the module's practice tasks and the catalogue, ticking tasks off as it is used."""
    from IPython.display import HTML, display

    from carefully.pages.checklist import ChecklistView

    try:
        checklist = ChecklistView(module)
        view = CatalogueView(model.load(), on_event=checklist.observe,
                             learner_id=checklist.learner_id)
        box = widgets.VBox([checklist.widget, view.widget])
        box.add_class("cf-catalogue-page")
        display(box)
    except Exception:  # noqa: BLE001 (logged; the learner sees a notice)
        log.exception("the catalogue could not be shown")
        display(HTML(notice()))


def show_topic(ident: str) -> None:
    """Display one topic of the catalogue, opened (nothing if the topic was removed)."""
    from carefully.pages.common import show_html

    def render() -> str:
        catalogue = model.load()
        try:
            topic = catalogue.topic(ident)
        except KeyError:
            log.warning("the catalogue has no topic %r to show", ident)
            return ""
        return render_card(topic, catalogue, pages=module_pages())

    show_html(render)
