"""Notebook hygiene: clean commits, one kernel, pages that run, release/ up to date."""

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient
from support.server import ROOT

from carefully.release import generate

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LESSONS = [path for path in NOTEBOOKS if path.name != "instructor.ipynb"]  # plus the instructor's
ALL = NOTEBOOKS + sorted((ROOT / "source").rglob("*.ipynb")) + sorted(
    (ROOT / "release").rglob("*.ipynb")
)


def relative(path):
    return str(path.relative_to(ROOT))


def test_there_are_notebooks_to_check():
    assert (ROOT / "notebooks" / "00_start.ipynb") in NOTEBOOKS
    assert any((ROOT / "source").rglob("*.ipynb"))


@pytest.mark.parametrize("path", ALL, ids=relative)
def test_committed_without_outputs_or_execution_counts(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{relative(path)}: a cell has outputs"
            assert cell.execution_count is None, f"{relative(path)}: a cell has a count"


def test_one_kernelspec_everywhere():
    specs = {json.dumps(nbformat.read(p, as_version=4).metadata.get("kernelspec")) for p in ALL}
    assert len(specs) == 1, specs
    assert json.loads(specs.pop())["name"] == "python3"


@pytest.mark.parametrize("path", LESSONS, ids=relative)
def test_page_names_are_lowercase_and_zero_padded(path):
    assert re.fullmatch(r"\d{2}_[a-z0-9_]+\.ipynb", path.name), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=relative)
def test_page_runs_top_to_bottom_without_error(path, tmp_path, monkeypatch):
    monkeypatch.setenv("CAREFULLY_VAR", str(tmp_path / "var"))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{relative(path)}: {output.get('ename')}"
            assert output.get("name") != "stderr", f"{relative(path)}: {output.get('text')}"


def test_release_is_what_nbgrader_makes_from_source_now(tmp_path):
    generated = tmp_path / "release"
    names = generate(ROOT / "source", generated)
    assert names, "source/ holds no assignment"
    committed = ROOT / "release"
    made = sorted(p.relative_to(generated) for p in generated.rglob("*") if p.is_file())
    kept = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert made == kept, "release/ holds other files than nbgrader makes: run `make release`"
    for name in made:
        assert (generated / name).read_bytes() == (committed / name).read_bytes(), (
            f"release/{name} is out of date: run `make release`"
        )
