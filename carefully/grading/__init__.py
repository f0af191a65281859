"""Grading quizzes with real nbgrader, for one learner in seconds or for the whole class.

* :mod:`.worker`: one long-lived grading process per learner-data folder, fed
  through a spool of job files (:mod:`.spool`); pages start it on demand.
* :mod:`.grader`: grades one attempt (integrity check, nbgrader autograde,
  timeouts, result, the attempt that counts).
* :mod:`.batch`: ``carefully grade``: everything submitted and not yet graded,
  in parallel; and the list of tampered submissions.
* :mod:`.attempts`, :mod:`.feedback`, :mod:`.integrity`: every attempt kept,
  results learners may see, tamper checks.

Importing this package does not import nbgrader; the worker and the batch do.
"""
