"""The Twitter (now X) stream simulator: module 3's practice account.

* :mod:`.parse`: a post's length, @mentions and #hashtags, read as X reads them;
* :mod:`.model`: the endless, seeded stream and the learner's account (pure Python);
* :mod:`.reach`: how far a post travels through reposts, and its picture;
* :mod:`.render`: the HTML the page shows (every typed text escaped);
* :mod:`.view`: the thin ipywidgets view the lesson page displays.
"""
