"""Kinds of course content beyond the course settings, one module per family.

Each module here calls :func:`carefully.content.register` when imported;
:mod:`carefully.content` imports every module in this package before it reads
the assets folder, so adding a kind of content means adding a module here.
"""
