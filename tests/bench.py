"""``make bench``: how fast the course's pages are, against a floor page.

One course server serves, in one run, a floor page (one cell, one ipywidgets
button: the least a Voila page can be) and the course's pages. For each page
it prints the median time from navigation to interactive in headless Chromium,
the page kernel's memory (RSS), and each figure's ratio to the floor's.
Figures are printed, never asserted: machines differ, ratios travel.

Later pages add themselves to PAGES below.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from playwright.sync_api import sync_playwright
from support.browser import launch, open_page
from support.server import ROOT, start_server

FLOOR = "floor.ipynb"


@dataclass(frozen=True)
class Page:
    notebook: str
    ready: str  # the element whose appearance makes the page usable


PAGES = [
    Page(FLOOR, "button.jupyter-button"),
    Page("00_start.ipynb", "ol.cf-modules"),
]


@dataclass
class Figures:
    interactive_ms: list[float]
    kernel_mb: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.interactive_ms)

    @property
    def median_mb(self) -> float:
        return statistics.median(self.kernel_mb)


def write_floor(folder: Path) -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [new_code_cell('import ipywidgets\n\nipywidgets.Button(description="Floor")')]
    nbformat.write(nb, folder / FLOOR)


def serve_folder(folder: Path) -> None:
    """The floor page beside copies of the course's pages, on one server."""
    write_floor(folder)
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        (folder / notebook.name).write_bytes(notebook.read_bytes())


def measure(browser, server, page: Page) -> tuple[float, float]:
    """One view: ms from navigation to interactive, and the page kernel's MB."""
    before = {p.pid for p in server.kernel_processes()}
    context = browser.new_context()
    tab = context.new_page()
    start = time.perf_counter()
    open_page(tab, server.page_url(page.notebook), page.ready)
    elapsed = (time.perf_counter() - start) * 1000
    kernels = [p for p in server.kernel_processes() if p.pid not in before]
    rss = kernels[0].memory_info().rss / 2**20 if kernels else float("nan")
    tab.close(run_before_unload=True)
    context.close()
    deadline = time.monotonic() + 20  # let the kernel go before the next view
    while len(server.kernel_processes()) > len(before) and time.monotonic() < deadline:
        time.sleep(0.1)
    return elapsed, rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="views per page (median taken)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="carefully-bench-") as tmp:
        folder = Path(tmp) / "notebooks"
        folder.mkdir()
        serve_folder(folder)
        server = start_server(var_dir=Path(tmp) / "var", notebooks=folder)
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                results: dict[str, Figures] = {}
                for page in PAGES:
                    measure(browser, server, page)  # warm-up view, not counted
                    figures = Figures([], [])
                    for _ in range(args.runs):
                        ms, mb = measure(browser, server, page)
                        figures.interactive_ms.append(ms)
                        figures.kernel_mb.append(mb)
                    results[page.notebook] = figures
                browser.close()
        finally:
            server.stop()

    floor = results[FLOOR]
    print(f"\nPages, {args.runs} views each, median; ratio = page / floor page")
    print(f"{'page':<24}{'interactive ms':>16}{'ratio':>8}{'kernel MB':>12}{'ratio':>8}")
    for name, figures in results.items():
        print(
            f"{name:<24}{figures.median_ms:>16.0f}{figures.median_ms / floor.median_ms:>8.2f}"
            f"{figures.median_mb:>12.1f}{figures.median_mb / floor.median_mb:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
