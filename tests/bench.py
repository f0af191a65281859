"""``make bench``: how fast the course is, always against a floor measured in the same run.

Printed, never asserted: machines differ, ratios travel.

1. Pages: a floor page (one ipywidgets button and a label: the least a Voila
   page can be) and the course's pages, served by one server. For each: the
   median time from navigation to interactive in headless Chromium, the page
   kernel's memory (RSS), and, for simulator pages, one click's time until the
   page visibly updates, each as a ratio to the floor's.
2. Parts measured by their own modules (the post checker, grading) when present:
   ``tests/bench_<part>.py`` with a ``report() -> list[str]``.
3. A live class: 30 learners opening the start page within one second on a class
   server sized 30, against one learner alone on the same server; the server's
   and its kernels' memory.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from playwright.sync_api import sync_playwright
from support.browser import CHROMIUM, CHROMIUM_ARGS, launch, open_page
from support.server import ROOT, start_server

FLOOR = "floor.ipynb"
FLOOR_READY = "button.jupyter-button"


def floor_click_ms(page) -> float:
    """Click the floor page's button and wait for its label to change."""
    label = page.locator(".floor-count")
    before = label.inner_text()
    start = time.perf_counter()
    page.locator(FLOOR_READY).first.click()
    page.wait_for_function(
        "before => document.querySelector('.floor-count').innerText !== before", arg=before)
    return (time.perf_counter() - start) * 1000


@dataclass(frozen=True)
class Page:
    notebook: str
    ready: str  # the element whose appearance makes the page usable
    click_ms: Callable | None = None  # one interaction's time until the page updates


def _optional(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def pages() -> list[Page]:
    found = [Page(FLOOR, FLOOR_READY, floor_click_ms), Page("00_start.ipynb", "ol.cf-modules")]
    for name in ("bench_feed", "bench_stream"):
        part = _optional(name)
        if part is not None and (ROOT / "notebooks" / part.NOTEBOOK).is_file():
            found.append(Page(part.NOTEBOOK, part.READY, part.click_to_update_ms))
    for notebook in ("01_social_media.ipynb", "04_privacy_law.ipynb",
                     "05_best_practices.ipynb", "06_finish.ipynb"):
        if (ROOT / "notebooks" / notebook).is_file():
            found.append(Page(notebook, ".cf-hero"))
    return found


@dataclass
class Figures:
    interactive_ms: list[float] = field(default_factory=list)
    kernel_mb: list[float] = field(default_factory=list)
    click_ms: list[float] = field(default_factory=list)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def write_floor(folder: Path) -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [new_code_cell(
        "import ipywidgets\n"
        "count = ipywidgets.Label('0')\n"
        "count.add_class('floor-count')\n"
        "button = ipywidgets.Button(description='Floor')\n"
        "button.on_click(lambda _: setattr(count, 'value', str(int(count.value) + 1)))\n"
        "ipywidgets.VBox([button, count])")]
    nbformat.write(nb, folder / FLOOR)


def serve_folder(folder: Path) -> None:
    """The floor page beside copies of the course's pages, on one server."""
    write_floor(folder)
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        (folder / notebook.name).write_bytes(notebook.read_bytes())


def measure(browser, server, page: Page) -> tuple[float, float, float | None]:
    """One view: ms to interactive, the page kernel's MB, and one click's ms."""
    before = {p.pid for p in server.kernel_processes()}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    start = time.perf_counter()
    open_page(tab, server.page_url(page.notebook), page.ready)
    elapsed = (time.perf_counter() - start) * 1000
    clicked = page.click_ms(tab) if page.click_ms else None
    kernels = [p for p in server.kernel_processes() if p.pid not in before]
    rss = kernels[0].memory_info().rss / 2**20 if kernels else float("nan")
    tab.close(run_before_unload=True)
    context.close()
    deadline = time.monotonic() + 20  # let the kernel go before the next view
    while len(server.kernel_processes()) > len(before) and time.monotonic() < deadline:
        time.sleep(0.1)
    return elapsed, rss, clicked


def bench_pages(runs: int) -> None:
    chosen = pages()
    results: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory(prefix="carefully-bench-") as tmp:
        folder = Path(tmp) / "notebooks"
        folder.mkdir()
        serve_folder(folder)
        server = start_server(var_dir=Path(tmp) / "var", notebooks=folder)
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                for page in chosen:
                    measure(browser, server, page)  # warm-up view, not counted
                    figures = results.setdefault(page.notebook, Figures())
                    for _ in range(runs):
                        ms, mb, clicked = measure(browser, server, page)
                        figures.interactive_ms.append(ms)
                        figures.kernel_mb.append(mb)
                        if clicked is not None:
                            figures.click_ms.append(clicked)
                browser.close()
        finally:
            server.stop()
    floor = results[FLOOR]
    print(f"\nPages, {runs} views each, median; ratio = page / floor page")
    print(f"{'page':<26}{'interactive ms':>15}{'ratio':>7}{'kernel MB':>11}{'ratio':>7}"
          f"{'click ms':>10}{'ratio':>7}")
    for name, figures in results.items():
        click = median(figures.click_ms)
        click_text = (f"{click:>10.0f}{click / median(floor.click_ms):>7.2f}"
                      if figures.click_ms else f"{'':>10}{'':>7}")
        print(f"{name:<26}{median(figures.interactive_ms):>15.0f}"
              f"{median(figures.interactive_ms) / median(floor.interactive_ms):>7.2f}"
              f"{median(figures.kernel_mb):>11.1f}"
              f"{median(figures.kernel_mb) / median(floor.kernel_mb):>7.2f}{click_text}")


def bench_parts() -> None:
    for name in ("bench_privacy", "bench_grading"):
        part = _optional(name)
        if part is not None:
            print()
            for line in part.report():
                print(line)


async def _open_as_learner(browser, url: str, cookie: dict, delay: float) -> float:
    await asyncio.sleep(delay)
    context = await browser.new_context()
    await context.add_cookies([cookie])
    page = await context.new_page()
    page.set_default_timeout(180_000)
    start = time.perf_counter()
    await page.goto(url)
    await page.wait_for_selector("#loading", state="detached")
    await page.wait_for_selector("ol.cf-modules", state="visible")
    elapsed = (time.perf_counter() - start) * 1000
    await context.close()
    return elapsed


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _class_run(server, size: int, cookie: dict) -> tuple[float, list[float], float]:
    from playwright.async_api import async_playwright

    url = server.page_url("00_start.ipynb")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                   args=CHROMIUM_ARGS)
        alone = await _open_as_learner(browser, url, cookie, 0)
        await asyncio.sleep(5)  # the pool refills
        alone = min(alone, await _open_as_learner(browser, url, cookie, 0))
        await asyncio.sleep(10)
        delays = sorted(random.uniform(0, 1) for _ in range(size))
        before = _cpu_seconds(server)
        room = await asyncio.gather(*(_open_as_learner(browser, url, cookie, delay)
                                      for delay in delays))
        after = _cpu_seconds(server)
        memory = sum(p.memory_info().rss for p in [server.process_info(), *server.kernel_processes()]
                     if p is not None) / 2**20
        await browser.close()
    return alone, list(room), memory, (after[0] - before[0], after[1] - before[1])


def _cpu_seconds(server) -> tuple[float, float]:
    """CPU seconds used so far by the server process and by its kernels."""
    def used(process) -> float:
        try:
            times = process.cpu_times()
        except Exception:  # noqa: BLE001 (a kernel that just ended)
            return 0.0
        return times.user + times.system

    main = server.process_info()
    return (used(main) if main else 0.0,
            sum(used(kernel) for kernel in server.kernel_processes()))


def bench_class(size: int) -> None:
    with tempfile.TemporaryDirectory(prefix="carefully-class-") as tmp:
        folder = Path(tmp) / "notebooks"
        folder.mkdir()
        (folder / "00_start.ipynb").write_bytes((ROOT / "notebooks" / "00_start.ipynb").read_bytes())
        var = Path(tmp) / "var"
        server = start_server(var_dir=var, notebooks=folder,
                              args=["--class", "--size", str(size)], timeout=120)
        try:
            deadline = time.monotonic() + 300  # the pool fills: one kernel per learner
            while len(server.kernel_processes()) < size and time.monotonic() < deadline:
                time.sleep(1)
            time.sleep(5)
            from carefully import classroom

            session = classroom.Session(**json.loads((var / "class" / "session.json").read_text()))
            cookie = {"name": classroom.COOKIE, "url": server.url,
                      "value": classroom.cookie_value(session, classroom.LEARNER)}
            alone, room, memory, cpu = asyncio.run(_class_run(server, size, cookie))
        finally:
            server.stop()
    print(f"\nA live class: {size} learners open the start page within one second, on a class "
          f"server sized {size}")
    print(f"  one learner alone:      {alone:>7.0f} ms")
    print(f"  the room, p50:          {_percentile(room, 0.5):>7.0f} ms  "
          f"(ratio {_percentile(room, 0.5) / alone:.2f})")
    print(f"  the room, p95:          {_percentile(room, 0.95):>7.0f} ms  "
          f"(ratio {_percentile(room, 0.95) / alone:.2f})")
    print(f"  server and kernels:     {memory:>7.0f} MB")
    print(f"  CPU while the room opened: server {cpu[0]:.1f} s, kernels {cpu[1]:.1f} s "
          "(the browsers share this machine's cores too)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="views per page (median taken)")
    parser.add_argument("--class-size", type=int, default=30, help="learners in the class run")
    parser.add_argument("--only", choices=("pages", "parts", "class"), help="run one part")
    args = parser.parse_args()
    if args.only in (None, "pages"):
        bench_pages(args.runs)
    if args.only in (None, "parts"):
        bench_parts()
    if args.only in (None, "class"):
        bench_class(args.class_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
