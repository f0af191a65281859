"""Carefully: the package behind *Make Friends With Social Media, Carefully*."""

__version__ = "0.1.0"
