"""The ``kg`` command line: a thin layer over the library, one module per command area.

Every command that reads a built graph finds it through ``--out DIR``.
Library errors (:class:`kg.errors.KGError`) become one line on stderr and an
exit code; no tracebacks for bad input.
"""

from __future__ import annotations

import os
import sys

import click

from ..errors import KGError

__all__ = ["main", "cli", "OUT"]

OUT = click.option("--out", "out", default="out", show_default=True, type=click.Path(file_okay=False),
                   help="Output folder of the built graph.")


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as err:
            click.echo(f"kg: error: {err}", err=True)
            sys.exit(err.exit_code)


@click.group(cls=_Group)
@click.version_option(package_name="kg")
def cli():
    """kg: build a knowledge graph of who did what, where and when, from news articles.

    \b
    Example:
      kg build seeds/ --out out
      kg query 'SELECT ?s ?o WHERE { ?s kg:met ?o }'
    """


from . import build, evaluate, explore, query, store  # noqa: E402,F401  (register the commands)


def main(argv=None):
    """The ``kg`` script: run the command, then end the process at once.

    By the time a command returns, everything it writes is written (files renamed into place, the
    store flushed and closed), so the process ends with ``os._exit`` after flushing stdout and
    stderr instead of freeing a loaded spaCy model and a build's objects one by one (0.4 s of a
    500-article build). Errors keep their exit codes; an unexpected exception still prints its
    traceback the usual way.
    """
    try:
        cli.main(args=argv, prog_name="kg")
        code = 0
    except SystemExit as exit:
        code = exit.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (kg ... | head): nothing left to show
            pass
    os._exit(code)


