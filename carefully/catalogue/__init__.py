"""Module 5's best-practice catalogue: topics from assets/topics/, searched and filtered.

``model`` holds the data, search and filter (pure Python); ``render`` turns
them into HTML; ``view`` is the thin widget page part.
"""
