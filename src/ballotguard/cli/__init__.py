"""The ``ballotguard`` command."""
