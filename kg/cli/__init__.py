"""The ``kg`` command line: a thin layer over the library, one module per command area.

Every command that reads a built graph finds it through ``--out DIR``.
Library errors (:class:`kg.errors.KGError`) become one line on stderr and an
exit code; no tracebacks for bad input.
"""

from __future__ import annotations

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
    cli.main(args=argv, prog_name="kg")


