"""The quiz player: an nbgrader release notebook shown as accessible widgets.

* :mod:`.model`: questions read from the release notebook, answers, and the
  nbgrader submission built from them (pure; tested without a kernel).
* :mod:`.session`: one learner's attempts: submit, wait for the grade.
* :mod:`.view`: the thin ipywidgets view over a session; its words come from
  ``assets/quiz/wording.yaml`` (:mod:`carefully.kinds.quiz`).
"""
