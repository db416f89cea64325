"""kg remove | export | validate: maintenance of a built graph and its store."""

from __future__ import annotations

import sys

import click

from . import OUT, cli

STORE = click.option("--store", default=None, help="Store folder (default DIR/store).")


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@OUT
@STORE
@click.option("--aliases", type=click.Path(dir_okay=False), default=None,
              help="Replace the aliases kept in the store (from the last --aliases) with this TSV; "
                   "an empty file clears them.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def remove(articles, out, store, aliases, quiet):
    """Retract ARTICLES (paths, article IRIs or hashes) and refresh DIR's exports.

    \b
    A path retracts every article read from that file (earlier versions too).
    A fact that another article also supports stays, with that article's evidence.
    Example: kg remove seeds/003_da3de08162bbe4eb.txt --out out
    """
    from ..build import remove as run_remove

    result = run_remove(list(articles), out, store=store, aliases=aliases)
    if not quiet:
        click.echo(f"removed: {', '.join(result.removed)}")
        click.echo(f"articles in the graph: {result.articles}")
        click.echo("wrote: " + ", ".join(str(p) for p in result.files.values()))


@cli.command()
@OUT
@STORE
@click.option("--format", "formats", default="ttl,trig,nq,jsonld,graphml,json", show_default=True,
              help="Comma-separated: ttl, trig, nq, jsonld, graphml, json.")
def export(out, store, formats):
    """Write the graph in other formats into DIR.

    \b
    GraphML and node-link JSON have entities as nodes and facts as edges.
    Example: kg export --out out --format ttl,graphml
    """
    from ..build import export as run_export

    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    for path in run_export(out, wanted, store=store).values():
        click.echo(f"wrote: {path}")


@cli.command()
@OUT
def validate(out):
    """Check the built graph against ontology/shapes.ttl (SHACL); exit 1 if it does not conform.

    \b
    Example: kg validate --out out
    """
    from ..graph import union_graph
    from ..query import load_graph
    from ..validate import validate_graph

    report = validate_graph(union_graph(load_graph(out)))
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)
