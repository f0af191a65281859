"""Was a submission tampered with? Compare it with the release notebook.

A learner may change the answer cells and nothing else that nbgrader guards.
Checked against the release notebook, by cell id and nbgrader checksum:

* every nbgrader cell of the release is still there, in the same order, with
  its nbgrader metadata (grade id, points, locked, grade, solution);
* every locked or test cell still has the release's checksum (its source,
  type and metadata are unchanged);
* no cell was added (every cell id is one of the release's).

Pure functions: no nbgrader run, no files.
"""

from __future__ import annotations

from nbgrader.utils import compute_checksum

_GUARDED_FIELDS = ("grade_id", "grade", "solution", "locked", "points")


def _nbgrader(cell) -> dict | None:
    value = cell.get("metadata", {}).get("nbgrader")
    return value if isinstance(value, dict) else None


def _name(cell) -> str:
    meta = _nbgrader(cell) or {}
    return str(meta.get("grade_id") or cell.get("id") or "?")


def _guarded(meta: dict) -> bool:
    """Locked cells and test cells (graded, not an answer) must not change."""
    return bool(meta.get("locked")) or (bool(meta.get("grade")) and not meta.get("solution"))


def _checksum(cell) -> str | None:
    try:
        return compute_checksum(cell)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def problems(release_nb, submission_nb) -> list[str]:
    """What was changed, removed or added that must not be; empty if the submission is sound."""
    found: list[str] = []
    release_cells = [cell for cell in release_nb.cells if _nbgrader(cell) is not None]
    release_ids = [str(cell.get("id")) for cell in release_nb.cells]
    submitted = {}
    order = []
    for cell in submission_nb.cells:
        cell_id = str(cell.get("id"))
        if cell_id not in release_ids:
            found.append(f"a cell was added (id {cell_id})")
            continue
        if cell_id in submitted:
            found.append(f"a cell was added (a second cell with id {cell_id})")
            continue
        submitted[cell_id] = cell
        order.append(cell_id)

    kept = []
    for original in release_cells:
        cell_id, name = str(original.get("id")), _name(original)
        cell = submitted.get(cell_id)
        if cell is None:
            found.append(f"cell {name} was removed")
            continue
        kept.append(cell_id)
        meta, expected = _nbgrader(cell), _nbgrader(original)
        if meta is None:
            found.append(f"cell {name} lost its nbgrader metadata")
            continue
        changed = [key for key in _GUARDED_FIELDS if meta.get(key) != expected.get(key)]
        if changed:
            found.append(f"cell {name}: nbgrader metadata changed ({', '.join(changed)})")
            continue
        if cell.get("cell_type") != original.get("cell_type"):
            found.append(f"cell {name} changed type")
            continue
        if _guarded(expected):
            checksum = expected.get("checksum") or _checksum(original)
            if meta.get("checksum") != checksum or _checksum(cell) != checksum:
                found.append(f"cell {name} was changed")
    if [i for i in order if i in kept] != kept:
        found.append("cells were moved")
    return found
