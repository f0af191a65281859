"""What each lesson page shows, as HTML built from the course content.

Each page module has a pure ``render(...) -> str`` (tested without a kernel)
and a ``show()`` that a notebook calls to display it.
"""
