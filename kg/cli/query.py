"""kg query."""

from __future__ import annotations

from pathlib import Path

import click

from . import OUT, cli


def _params(values) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        if name in params:
            raise click.BadParameter(f"{name} given twice", param_hint="--param")
        params[name] = value
    return params


@cli.command()
@click.argument("query", required=False)
@OUT
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to the plain literal VALUE (repeatable). Never pasted into the query text.")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
def query(query, out, fmt, params, list_):
    """Run QUERY on the built graph: a named query, a .rq file or SPARQL text.

    \b
    Prefixes kg:, kgid:, rdfs:, skos:, prov:, schema: ... are predeclared.
    Examples:
      kg query --list
      kg query who-met-whom
      kg query neighbourhood --param entity="Sergei Shoigu"
      kg query 'SELECT ?a ?b WHERE { ?a kg:met ?b }' --format csv
    """
    from ..query import format_result, is_query_name, load_graph, named_queries, named_query, run_query

    if list_:
        for q in named_queries().values():
            click.echo(f"{q.name:20}  {q.description}")
        return
    if not query:
        raise click.UsageError("give a QUERY (a named query, a .rq file or SPARQL text), or --list")
    bindings = _params(params)
    if query.endswith(".rq") and not Path(query).is_file() and is_query_name(query[:-3]) \
            and query[:-3] in named_queries():
        query = query[:-3]  # "who-met-whom.rq" names the shipped query when no such file is here
    if query.endswith(".rq"):
        try:
            text = Path(query).read_text(encoding="utf-8")
        except OSError as err:
            raise click.FileError(query, hint=str(err.strerror))
        result = run_query(load_graph(out), text, bindings)
    elif is_query_name(query):
        result = named_query(load_graph(out), query, **bindings)
    else:
        result = run_query(load_graph(out), query, bindings)
    click.echo(format_result(result, fmt))
