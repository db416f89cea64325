"""Load a built graph, run SPARQL over it (free text or named queries), format results.

A built folder ``out`` holds ``graph.trig`` and, unless built with ``--store``
elsewhere, its store ``out/store``. Queries run on the store with Oxigraph
(:class:`StoreGraph`, opened read-only: it never takes the store's lock, so it
neither waits for nor blocks a build) when the store holds exactly what
``graph.trig`` shows; otherwise (a build is writing the store, a memory build
rewrote the folder, no store) on ``graph.trig`` loaded with rdflib. Either way
the default graph is the union of all graphs as a set of triples, and the
store's bookkeeping graph is not there.

Named queries live in ``kg/queries/NAME.rq``. The first line of each file is a
comment describing it; parameters are the ``?variables`` that line names. A
parameter is passed to SPARQL as an initial binding (rdflib ``initBindings``,
Oxigraph ``substitutions``), never pasted into the query text, so a value like
``x" } ; DROP ALL ; { "`` is just a string that matches nothing.

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

from .errors import GraphError, QueryError, StoreError

__all__ = ["load_graph", "open_graph", "StoreGraph", "run_query", "format_result", "named_queries", "named_query",
           "NamedQuery", "to_dataframe", "keywords", "QUERY_DIR"]

QUERY_DIR = Path(__file__).resolve().parent / "queries"
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# strings, IRIs and comments: where keywords are not keywords
_LEXEMES = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                      r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
                      r'|<[^<>"{}|^`\\\s]*>' r"|#[^\n]*", re.DOTALL)
_GRAPH_KEYWORD = re.compile(r"(?<![\w:?$])(?:GRAPH|NAMED)(?![\w:\-])", re.IGNORECASE)


def keywords(query: str) -> str:
    """``query`` with strings, IRIs and comments blanked out: what is left are keywords,
    variables and prefixed names."""
    return _LEXEMES.sub(" ", query)


class StoreGraph:
    """A built graph read straight from its store: SPARQL on Oxigraph, read-only.

    The store's default graph is the union of the exported graphs (a set of triples, see
    :mod:`kg.store`); ``GRAPH`` sees the article and identity graphs, never the bookkeeping
    graph. Close it (or use it as a context manager) to release the files.
    """

    def __init__(self, path, *, fallback=None, current=None):
        from .store import KGStore

        self.path = Path(path)
        self.store = None
        #: what to answer from when the store cannot be read (a callable giving an rdflib graph)
        self.fallback = fallback
        #: whether the store still holds one whole build (a callable, checked after each open)
        self.current = current
        store = KGStore(self.path, read_only=True)
        if not store.has_union():
            store.close()
            raise GraphError(f"the store at {self.path} was made by an older kg; run `kg build` once to update it")
        self.store = store
        self._check_current()

    def _check_current(self) -> None:
        if self.current is not None and not self.current():
            self.close()
            raise GraphError(f"the store at {self.path} is being written by a build")

    def reopen(self) -> None:
        """A fresh read-only instance (it sees the store's files as they are now).

        Raises :class:`~kg.errors.GraphError` when a build started writing meanwhile."""
        from .store import KGStore

        self.close()
        self.store = KGStore(self.path, read_only=True)
        self._check_current()

    def quads(self) -> list:
        """The exported quads (pyoxigraph)."""
        for _ in range(3):
            try:
                return self.store.exported_quads()
            except (OSError, RuntimeError) as err:
                failure = _failure(err)
                if not isinstance(failure, _StoreReadError):
                    raise
                self.reopen()
        raise StoreError(f"cannot read the store at {self.path}: {failure}")

    def dataset(self) -> Dataset:
        """The exported graphs as an rdflib ``Dataset`` whose default graph is their union."""
        from .graph import bind_all
        from .store import to_dataset

        try:
            quads = self.quads()
        except GraphError:  # a build started writing while the store was being read
            if self.fallback is None:
                raise
            return self.fallback()
        return to_dataset(quads, bind_all(Dataset(default_union=True)))

    def __len__(self) -> int:
        """Triples in the union."""
        import pyoxigraph as ox

        return sum(1 for _ in self.store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def __enter__(self) -> "StoreGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_graph(out="out", *, store=None):
    """The built graph in ``out``: a :class:`StoreGraph` over ``out/store`` when the store holds
    exactly what ``out/graph.trig`` shows (or there is no ``graph.trig``), else the rdflib
    ``Dataset`` of ``graph.trig`` (as :func:`load_graph`). ``store`` names a store explicitly
    (``kg build --store``): it is used whatever ``graph.trig`` shows.

    Raises
    ------
    kg.errors.GraphError
        Nothing built in ``out`` (or no usable store at ``store``).
    """
    if store is not None:
        try:
            return StoreGraph(store)
        except StoreError as err:
            raise GraphError(f"{err}; run `kg build PATH --out {out} --store {store}` first") from err
    from .store import store_shows

    path = Path(out) / "store"
    trig = Path(out) / "graph.trig"
    if not (path / "CURRENT").is_file():
        return _load_trig(out)
    if not trig.exists():
        try:
            return StoreGraph(path)
        except (StoreError, GraphError):
            return _load_trig(out)
    stamp = store_shows(path, trig)
    if stamp is not None:
        # a read-only open sees the store as it is at that moment; the same stamp afterwards
        # means no build had started writing (a build deletes the stamp first)
        try:
            return StoreGraph(path, fallback=lambda: _load_trig(out),
                              current=lambda: store_shows(path, trig) == stamp)
        except (StoreError, GraphError):
            pass
    return _load_trig(out)


def load_graph(out="out", *, store=None) -> Dataset:
    """The graph built into ``out`` as an rdflib ``Dataset`` whose default graph is the union.

    Read from the store when it holds what ``graph.trig`` shows (faster than parsing TriG), else
    from ``graph.trig``; see :func:`open_graph`. The exploration commands read a built graph here.
    """
    graph = open_graph(out, store=store)
    if isinstance(graph, StoreGraph):
        with graph:
            return graph.dataset()
    return graph


def _load_trig(out) -> Dataset:
    path = Path(out) / "graph.trig"
    if not path.exists():
        raise GraphError(f"no built graph at {path}; run `kg build PATH --out {out}` first")
    ds = Dataset(default_union=True)
    try:
        ds.parse(path, format="trig")
    except Exception as err:  # rdflib raises many parser-specific types
        raise GraphError(f"{path} is not a valid TriG graph: {_first_line(err)}") from err
    from .graph import bind_all

    bind_all(ds)
    return ds


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


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
    graph : StoreGraph, rdflib.Graph or rdflib.Dataset
        Usually :func:`open_graph`, :func:`load_graph` or ``BuildResult.dataset``.
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
    if isinstance(graph, StoreGraph):
        return _run_on_store(graph, query, bindings)
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


_STORE_READ_ERROR = re.compile(r"^(?:Corruption: )*(?:IO error|Corruption)\b")


class _StoreReadError(Exception):
    """Reading the store failed (a writer replaced a file under a read-only instance)."""


def _run_on_store(graph: StoreGraph, query: str, bindings: dict | None) -> Result:
    """:func:`run_query` on Oxigraph; the answer as an evaluated rdflib ``Result``.

    A read-only instance may find a table file gone when a writer compacted the store
    meanwhile (RocksDB calls this undefined behaviour; kg's builds make it rare, see
    :func:`open_graph`): the query is then run again on a freshly opened instance, and at last
    on ``graph.trig`` when :func:`open_graph` chose the store over it.
    """
    import pyoxigraph as ox

    from .store import in_reader_thread, to_ox

    subs = {ox.Variable(str(k).lstrip("?$")): to_ox(_term(v)) for k, v in (bindings or {}).items()}
    for attempt in range(3):
        try:
            # evaluated on the store-reader thread: a malloc arena of its own (see in_reader_thread)
            return in_reader_thread(_ask_store, graph, query, subs, bindings)
        except _StoreReadError as err:
            failure = err
            try:
                graph.reopen()
            except (StoreError, GraphError):
                break
    if graph.fallback is not None:
        return run_query(graph.fallback(), query, bindings)
    raise QueryError(f"SPARQL query failed: cannot read the store at {graph.path}: {failure}")


def _failure(err: Exception) -> Exception:
    text = _first_line(err)
    if isinstance(err, (OSError, RuntimeError)) and _STORE_READ_ERROR.match(text):
        return _StoreReadError(text)
    return QueryError(f"SPARQL query failed: {text}")


def _ask_store(graph: StoreGraph, query: str, subs: dict, bindings: dict | None) -> Result:
    import pyoxigraph as ox

    from .store import _Rdflib

    from .graph import prefix_map

    kwargs = {"prefixes": prefix_map(), "substitutions": subs or None}
    if _GRAPH_KEYWORD.search(keywords(query)):
        kwargs["named_graphs"] = graph.store.exported_graphs()  # never the bookkeeping graph
    term = _Rdflib()
    try:
        answer = graph.store.ox.query(query, **kwargs)
    except SyntaxError as err:
        raise QueryError(f"bad SPARQL query: {_first_line(err)}") from err
    except Exception as err:
        failure = _failure(err)
        if subs and isinstance(failure, QueryError):
            # Oxigraph substitutes only variables the query selects (RDF-dev SEP-0007); rdflib binds
            # any variable: answer such a query as rdflib would, on the store's graph
            return run_query(graph.dataset(), query, bindings)
        raise failure from err
    try:  # Oxigraph evaluates lazily: errors show while iterating
        if isinstance(answer, ox.QueryBoolean):
            result = Result("ASK")
            result.askAnswer = bool(answer)
        elif isinstance(answer, ox.QueryTriples):
            from rdflib import Graph

            from .graph import bind_all

            result = Result("CONSTRUCT")
            result.graph = bind_all(Graph())
            for t in answer:
                result.graph.add((term(t.subject), term(t.predicate), term(t.object)))
        else:
            from rdflib.term import Variable

            names = [Variable(v.value) for v in answer.variables]
            result = Result("SELECT")
            result.vars = names
            result.bindings = [{name: term(sol[i]) for i, name in enumerate(names) if sol[i] is not None}
                               for sol in answer]
    except Exception as err:
        raise _failure(err) from err
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
