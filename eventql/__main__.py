"""`python -m eventql`: the `eventql` command line, for when the script is not on PATH."""

from eventql.cli import app

app(prog_name="eventql")
