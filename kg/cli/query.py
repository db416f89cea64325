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
@click.option("--store", default=None,
              help="Query this store (kg build --store) instead of DIR's graph.")
def query(query, out, fmt, params, list_, store):
    """Run QUERY on the built graph: a named query, a .rq file or SPARQL text.

    \b
    Prefixes kg:, kgid:, rdfs:, skos:, prov:, schema: ... are predeclared.
    Runs on DIR/store (read-only, Oxigraph) when it holds what DIR/graph.trig
    shows, else on DIR/graph.trig; a running build is never waited for.
    Examples:
      kg query --list
      kg query who-met-whom
      kg query neighbourhood --param entity="Sergei Shoigu"
      kg query 'SELECT ?a ?b WHERE { ?a kg:met ?b }' --format csv
    """
    from ..query import StoreGraph, format_result, is_query_name, named_queries, named_query, open_graph, run_query

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
    graph = open_graph(out, store=store)
    try:
        if query.endswith(".rq"):
            result = run_query(graph, text, bindings)
        elif is_query_name(query):
            result = named_query(graph, query, **bindings)
        else:
            result = run_query(graph, query, bindings)
    finally:
        if isinstance(graph, StoreGraph):
            graph.close()
    click.echo(format_result(result, fmt))


@cli.command()
@OUT
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 exposes the graph to your network).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option("--quiet", "-q", is_flag=True, help="Do not log requests.")
def serve(out, host, port, quiet):
    """Serve the built graph read-only over the SPARQL 1.1 Protocol at /query.

    \b
    GET /query?query=... or POST (application/sparql-query or a form);
    SPARQL JSON results by default, CSV/TSV/XML by Accept header or &format=csv.
    Updates are refused (403). Ctrl-C stops it.
    Example: kg serve --out out
             curl -G http://127.0.0.1:7878/query --data-urlencode 'query=SELECT * { ?s kg:met ?o }'
    """
    import sys

    from ..endpoint import make_server
    from ..query import StoreGraph, open_graph

    graph = open_graph(out)
    try:
        server = make_server(graph, host, port, quiet=quiet)
    finally:
        if isinstance(graph, StoreGraph):
            graph.close()  # copied: a later build need not wait for us
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    click.echo(f"kg serve: http://{shown}:{bound_port}/query  read-only, {len(server.endpoint)} triples "
               f"from {out}; Ctrl-C stops it")
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"kg serve: listening on {host}: anyone who can reach this machine can query the graph", err=True)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("kg serve: stopped")
    finally:
        server.server_close()
