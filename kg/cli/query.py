"""kg query."""

from __future__ import annotations

from pathlib import Path

import click

from . import OUT, cli

@cli.command()
@click.argument("query")
@OUT
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def query(query, out, fmt):
    """Run a SPARQL QUERY (text or a .rq file) on the built graph.

    \b
    Prefixes kg:, kgid:, rdfs:, skos:, prov:, schema: ... are predeclared.
    Example: kg query 'SELECT ?a ?b WHERE { ?a kg:met ?b }' --format csv
    """
    from ..query import format_result, load_graph, run_query

    text = query
    if query.endswith(".rq"):
        try:
            text = Path(query).read_text(encoding="utf-8")
        except OSError as err:
            raise click.FileError(query, hint=str(err.strerror))
    result = run_query(load_graph(out), text)
    click.echo(format_result(result, fmt))
