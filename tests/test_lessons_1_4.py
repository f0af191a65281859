"""The module 1 and 4 pages as written: the lesson skeleton, their facts, their tasks."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from carefully import content
from carefully.dilemmas import model
from carefully.kinds import lessons

ROOT = Path(__file__).resolve().parent.parent
PAGES = {1: "01_social_media.ipynb", 4: "04_privacy_law.ipynb"}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def notebook(module: int):
    return nbformat.read(ROOT / "notebooks" / PAGES[module], as_version=4)


def markdown(module: int) -> str:
    return "\n".join(cell.source for cell in notebook(module).cells if cell.cell_type == "markdown")


def code(module: int) -> str:
    return "\n".join(cell.source for cell in notebook(module).cells if cell.cell_type == "code")


@pytest.mark.parametrize("module", sorted(PAGES))
def test_page_follows_the_lesson_skeleton(module: int) -> None:
    nb = notebook(module)
    title = content.course().module(module).title
    assert nb.metadata["kernelspec"] == KERNELSPEC
    assert nb.metadata["title"] == f"{title}: Make Friends With Social Media, Carefully"
    cells = nb.cells
    assert cells[0].cell_type == "code" and f"lesson.show_header({module})" in cells[0].source
    assert cells[-1].cell_type == "code" and cells[-1].source == f"lesson.show_next({module})"
    assert cells[-2].cell_type == "markdown" and cells[-2].source.startswith("## Summary")
    ids = [cell.get("id") for cell in cells]
    assert all(ids) and len(set(ids)) == len(ids)
    sections = [cell for cell in cells[1:-2] if cell.cell_type == "markdown"]
    assert len(sections) >= 2
    for index, cell in enumerate(cells[1:-2], 1):
        if cell.cell_type == "markdown":
            assert cell.source.startswith("## "), cell.id
            assert "**What to do:**" in cell.source, f"{cell.id}: lead with what to do"
            assert cells[index + 1].cell_type == "code", f"{cell.id}: no exercise after it"
        else:
            assert cell.outputs == [] and cell.execution_count is None
            assert len([line for line in cell.source.splitlines() if line.strip()]) <= 2
            assert "def " not in cell.source and "class " not in cell.source


@pytest.mark.parametrize("module", sorted(PAGES))
def test_tasks_name_dilemmas_of_the_page(module: int) -> None:
    lesson = lessons.lesson(module)
    assert lesson is not None and lesson.tasks
    shown = set(re.findall(r'"([a-z0-9-]+)"', code(module)))
    for task in lesson.tasks:
        if task.done_when["event"] == model.DONE_EVENT:
            dilemma = model.get(task.done_when["dilemma"])
            assert dilemma.module == module
            assert dilemma.id in shown, f"{task.id}: the page does not show {dilemma.id}"
    for ident in shown:
        assert model.get(ident).module == module


def test_module_1_teaches_the_three_audiences_and_learning_first() -> None:
    text = markdown(1)
    for phrase in ("The Web at large", "Colleagues", "Patients", "concierge practice",
                   "Learn before you connect", "do not start connecting with patients right away",
                   "Twitter (now X)", "AMA Opinion 2.3.2", "ACP/FSMB 2013"):
        assert phrase in text, phrase


def test_module_4_has_the_identifiers_the_cases_and_the_dated_penalties() -> None:
    text = markdown(4)
    identifiers = re.findall(r"^(\d+)\. ", text, flags=re.MULTILINE)
    assert identifiers[:18] == [str(n) for n in range(1, 19)]
    for fact in ("45 CFR 164.514(b)(2)", "elevator", "92%", "71%", "56%", "Greysen",
                 "Mercy Walworth", "Tri-City", "Oakwood", "Naval Hospital Jacksonville",
                 "Westerly Hospital, Rhode Island", "fined her 500 dollars",
                 "as of the 2024 inflation adjustment", "141 to 71,162 dollars",
                 "1,424 to 71,162 dollars", "14,232 to 71,162 dollars",
                 "71,162 to 2,134,831 dollars",
                 "Elite Dental Associates", "10,000 dollars", "New Vision Dental", "23,000 dollars",
                 "Manasa Health Center", "30,000 dollars", "the patient comes first", "911", "988"):
        assert fact in text, fact


@pytest.mark.parametrize("module", sorted(PAGES))
def test_dollar_signs_are_not_read_as_mathematics(module: int) -> None:
    # Course pages read $...$ as a formula (even written \$); amounts are "141 dollars".
    assert "$" not in markdown(module)
