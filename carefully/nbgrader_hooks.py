"""The course's additions to nbgrader (loaded by nbgrader_config.py)."""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

EXPLANATION = "explanation"


class HideExplanations(NbGraderPreprocessor):
    """Keep each answer's explanation out of the learner's notebook.

    A quiz's explanation says why the right answer is right, so it names the
    answer. It lives in the source notebook's cell metadata
    (``carefully.explanation``) for feedback after grading, and must not reach
    release/.
    """

    def preprocess_cell(self, cell, resources, index):
        notes = cell.metadata.get("carefully")
        if isinstance(notes, dict):
            notes.pop(EXPLANATION, None)
            if not notes:
                del cell.metadata["carefully"]
        return cell, resources
