"""Load a built graph and run SPARQL over it."""

from __future__ import annotations

import csv
import io

from pathlib import Path

from rdflib import Dataset
from rdflib.query import Result

from .errors import GraphError, QueryError

__all__ = ["load_graph", "run_query", "format_result", "QUERY_DIR"]

QUERY_DIR = Path(__file__).resolve().parent / "queries"


def load_graph(out="out") -> Dataset:
    """The dataset built into ``out`` (``graph.trig``), with the default graph as the union."""
    path = Path(out) / "graph.trig"
    if not path.exists():
        raise GraphError(f"no built graph at {path}; run `kg build PATH --out {out}` first")
    ds = Dataset(default_union=True)
    try:
        ds.parse(path, format="trig")
    except Exception as err:  # rdflib raises many parser-specific types
        msg = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise GraphError(f"{path} is not a valid TriG graph: {msg}") from err
    from .graph import bind_all

    bind_all(ds)
    return ds


def run_query(graph, query: str, bindings: dict | None = None) -> Result:
    """Run SPARQL ``query`` on ``graph``; parse errors become :class:`QueryError`.

    ``bindings`` are passed as ``initBindings``, never pasted into the text.
    """
    from pyparsing import ParseException

    try:
        from rdflib.plugins.sparql import prepareQuery

        from .graph import bind_all
        from rdflib import Graph

        ns = dict(bind_all(Graph()).namespaces())
        prepared = prepareQuery(query, initNs=ns)
    except ParseException as err:
        raise QueryError(f"bad SPARQL query: {err.msg} (line {err.lineno}, column {err.col})") from err
    except Exception as err:
        raise QueryError(f"bad SPARQL query: {str(err).splitlines()[0] if str(err) else type(err).__name__}") from err
    try:
        return graph.query(prepared, initBindings=bindings or {})
    except Exception as err:
        raise QueryError(f"SPARQL query failed: {err}") from err


def _cell(value) -> str:
    if value is None:
        return ""
    return str(value)


def format_result(result: Result, fmt: str = "table") -> str:
    """``table`` (aligned text), ``csv`` or ``json`` (SPARQL 1.1 Query Results JSON)."""
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")
    if result.type == "ASK":
        return "true" if result.askAnswer else "false"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="turtle")
    names = [str(v) for v in result.vars]
    rows = [[_cell(row[i]) for i in range(len(names))] for row in result]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
        return buf.getvalue()
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


