"""Ballotguard: detect, assess and counter interference in elections, together."""

__version__ = "0.1.0"
