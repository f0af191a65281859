"""What each lesson page shows, as HTML built from the course content.

Each page module has a pure ``render(...) -> str`` (tested without a kernel)
and a ``show()`` that a notebook calls to display it.
"""

import sys

# Every page runs in a fresh kernel, and nbformat (quizzes) imports jsonschema, which
# imports rfc3987_syntax only to check "iri" string formats; building that library's
# grammar takes over a second, and nothing in a page checks formats. Marking it absent
# makes jsonschema skip that one check instead.
sys.modules.setdefault("rfc3987_syntax", None)
