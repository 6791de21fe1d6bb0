"""``python -m ballotguard`` is the ``ballotguard`` command."""

from ballotguard.cli.main import app

app(prog_name="ballotguard")
