"""The practice news feed (module 2): a Facebook-like account with a coach beside it.

:mod:`carefully.feed.model` is the account in plain Python; :mod:`carefully.feed.view`
shows it with ipywidgets on the lesson page.
"""
