"""Load a built graph, run SPARQL over it (free text or named queries), format results.

Named queries live in ``kg/queries/NAME.rq``. The first line of each file is a
comment describing it; parameters are the ``?variables`` that line names. A
parameter is passed to SPARQL as an initial binding (rdflib ``initBindings``),
never pasted into the query text, so a value like ``x" } ; DROP ALL ; { "`` is
just a string that matches nothing.

>>> sorted(named_queries())[:2]
['aliases-and-merges', 'entities-by-class']
>>> named_queries()["neighbourhood"].params
('entity',)
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Literal
from rdflib.query import Result
from rdflib.term import Identifier

from .errors import GraphError, QueryError

__all__ = ["load_graph", "run_query", "format_result", "named_queries", "named_query", "NamedQuery",
           "to_dataframe", "QUERY_DIR"]

QUERY_DIR = Path(__file__).resolve().parent / "queries"
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def load_graph(out="out") -> Dataset:
    """The dataset built into ``out`` (``graph.trig``), with the default graph as the union.

    This is the one place the query, exploration and endpoint commands read a built graph.
    """
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


def _term(value) -> Identifier:
    """A binding value: rdflib terms as given, anything else as a plain literal."""
    if isinstance(value, Identifier):
        return value
    if isinstance(value, (str, int, float, bool)):
        return Literal(value)
    raise QueryError(f"cannot bind a {type(value).__name__} value; give a string or an rdflib term")


def run_query(graph, query: str, bindings: dict | None = None) -> Result:
    """Run SPARQL ``query`` on ``graph``; parse and evaluation errors become :class:`QueryError`.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
        Usually :func:`load_graph` or ``BuildResult.dataset``.
    query : str
        SPARQL 1.1 query text. The prefixes ``kg:``, ``kgid:``, ``rdf:``, ``rdfs:``, ``skos:``,
        ``prov:``, ``schema:``, ``dcterms:``, ``xsd:``, ``owl:`` are predeclared.
    bindings : dict, optional
        ``{variable name: value}`` passed as ``initBindings``, never pasted into the text.
        Strings become plain literals.

    Returns
    -------
    rdflib.query.Result
        Already evaluated, so iterating it cannot fail half way.
    """
    from pyparsing import ParseException

    try:
        from rdflib import Graph
        from rdflib.plugins.sparql import prepareQuery

        from .graph import bind_all

        ns = dict(bind_all(Graph()).namespaces())
        prepared = prepareQuery(query, initNs=ns)
    except ParseException as err:
        raise QueryError(f"bad SPARQL query: {err.msg} (line {err.lineno}, column {err.col})") from err
    except Exception as err:
        raise QueryError(f"bad SPARQL query: {str(err).splitlines()[0] if str(err) else type(err).__name__}") from err
    init = {str(k).lstrip("?$"): _term(v) for k, v in (bindings or {}).items()}
    try:
        result = graph.query(prepared, initBindings=init)
        if result.type == "SELECT":
            result.bindings  # evaluate now: rdflib evaluates lazily, errors would escape later
        elif result.type in ("CONSTRUCT", "DESCRIBE"):
            len(result.graph)
    except Exception as err:
        msg = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise QueryError(f"SPARQL query failed: {msg}") from err
    return result


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped in ``kg/queries``: ``name``, one-line ``description``, ``params``, ``text``."""

    name: str
    description: str
    params: tuple[str, ...]
    text: str
    path: Path


@lru_cache(maxsize=1)
def _load_named() -> dict[str, NamedQuery]:
    queries = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        description = first.lstrip("#").strip() if first.startswith("#") else ""
        params = tuple(dict.fromkeys(re.findall(r"\?([A-Za-z_]\w*)", description)))
        queries[path.stem] = NamedQuery(path.stem, description, params, text, path)
    return queries


def named_queries() -> dict[str, NamedQuery]:
    """The named queries by name (sorted): ``{name: NamedQuery}``."""
    return dict(_load_named())


def _named(name: str) -> NamedQuery:
    queries = _load_named()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known: {', '.join(queries)} (`kg query --list`)")
    return queries[name]


def named_query(graph, name: str, **params) -> Result:
    """Run the named query ``name`` (see :func:`named_queries`) with ``params`` as bindings.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
    name : str
        e.g. ``"who-met-whom"``, ``"neighbourhood"``.
    **params
        The query's parameters, e.g. ``entity="Sergei Shoigu"``. Strings are bound as plain
        literals (never pasted into the query text).

    Raises
    ------
    kg.errors.QueryError
        Unknown query, unknown or missing parameter.

    Examples
    --------
    >>> rows = named_query(load_graph("out"), "neighbourhood", entity="Sergei Shoigu")  # doctest: +SKIP
    """
    q = _named(name)
    unknown = sorted(set(params) - set(q.params))
    if unknown:
        takes = ", ".join(q.params) if q.params else "no parameters"
        raise QueryError(f"{name} has no parameter {', '.join(unknown)}; it takes {takes}")
    missing = [p for p in q.params if p not in params]
    if missing:
        raise QueryError(f"{name} needs the parameter {', '.join(missing)} "
                         f"(e.g. --param {missing[0]}=\"...\")")
    return run_query(graph, q.text, params)


def is_query_name(text: str) -> bool:
    """True when ``text`` looks like a query name rather than SPARQL text."""
    return bool(_NAME.match(text.strip()))


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


def to_dataframe(result: Result):
    """A SELECT result as a ``pandas.DataFrame``: one column per variable, Python values.

    Literals become Python values (``xsd:date`` → ``datetime.date``, numbers → numbers),
    IRIs become strings, unbound cells ``None``. Needs pandas (``pip install pandas``).
    """
    try:
        import pandas as pd
    except ImportError as err:  # pandas is a notebook/dev dependency, not a core one
        raise QueryError("to_dataframe needs pandas: pip install pandas") from err
    if result.type != "SELECT":
        raise QueryError(f"to_dataframe needs a SELECT result, not {result.type}")
    columns = [str(v) for v in result.vars]

    def value(term):
        if term is None:
            return None
        if isinstance(term, Literal):
            return term.toPython()
        return str(term)

    return pd.DataFrame([[value(row[i]) for i in range(len(columns))] for row in result], columns=columns)
