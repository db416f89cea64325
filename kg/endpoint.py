"""A read-only SPARQL 1.1 Protocol endpoint over a built graph (``kg serve``).

The graph is copied once into an in-memory Oxigraph store (``pyoxigraph``): straight from the
built folder's store when it holds what ``graph.trig`` shows (:func:`kg.query.open_graph`; the
store is closed again before serving, so a later build is never held up), else from
``graph.trig``. A standard-library ``ThreadingHTTPServer`` serves it:

- ``GET /query?query=...``, ``POST /query`` with ``application/sparql-query`` or
  ``application/x-www-form-urlencoded`` (``query=...``); optional ``default-graph-uri`` /
  ``named-graph-uri``. Without them the default graph is the union of all graphs, as in
  ``kg query``, and the ``kg:``, ``kgid:``, ``rdfs:`` ... prefixes are predeclared.
- Results: SPARQL JSON by default; XML, CSV, TSV by ``Accept``. CONSTRUCT/DESCRIBE: Turtle by
  default; N-Triples, RDF/XML, JSON-LD by ``Accept``.
- Read-only: ``/update``, an ``update=`` form field or an update request body get **403**;
  PUT/DELETE/PATCH get 405. ``SERVICE`` (federated queries, which would make the server fetch
  URLs) is refused with 400.
- ``GET /`` is a small query form (no scripts, no external resources).
"""

from __future__ import annotations

import html
import re
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

from .errors import KGError
from .query import keywords

__all__ = ["Endpoint", "ServeError", "make_server", "serve_in_thread", "MAX_BODY"]

MAX_BODY = 1 << 20  # bytes of a POSTed query

_RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
_GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
}
_UPDATE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.\-]*:\s*|BASE\s*))*(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
                     re.IGNORECASE)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:\-])", re.IGNORECASE)


class ServeError(KGError):
    """The endpoint cannot start (e.g. the port is taken)."""


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _negotiate(accept: str | None, table: dict[str, str], default: str) -> str:
    """The media type of ``table`` the ``Accept`` header prefers (``default`` when none fits)."""
    ranked = []
    for i, part in enumerate((accept or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0] and q > 0:
            ranked.append((-q, i, fields[0].lower()))
    for _, _, media in sorted(ranked):
        if media in table:
            return media
        if media == "*/*":
            return default
        if media.endswith("/*"):
            prefix = media[:-1]
            if default.startswith(prefix):
                return default
            for known in table:
                if known.startswith(prefix):
                    return known
    return default


def _ox_quads(ox, graph) -> list:
    """The quads of an rdflib graph or dataset as pyoxigraph quads."""
    from .store import to_ox

    if not hasattr(graph, "graphs"):
        return [ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]
    quads = []
    for s, p, o, g in graph.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        if name is None or str(name) == "urn:x-rdflib:default":
            quads.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o)))
        else:
            quads.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(name)))
    return quads


class Endpoint:
    """SPARQL queries over a graph held in an in-memory Oxigraph store. Thread-safe for reads.

    Parameters
    ----------
    dataset : kg.query.StoreGraph, rdflib.Dataset or rdflib.Graph
        The graph to serve, e.g. :func:`kg.query.open_graph` ``(out)``; it is copied once.
    """

    def __init__(self, dataset):
        try:
            import pyoxigraph as ox
        except ImportError as err:  # a declared dependency; say so if an install lacks it
            raise ServeError("kg serve needs pyoxigraph: pip install 'pyoxigraph>=0.5,<0.6'") from err
        from .graph import prefix_map
        from .query import StoreGraph

        self._ox = ox

        self.store = ox.Store()
        # named graphs as built, and their union (a set of triples, as in `kg query`) as the
        # default graph: Oxigraph's own union view would repeat a triple held by two graphs
        if isinstance(dataset, StoreGraph):
            quads = dataset.quads()
            self.store.extend(quads)
            self.store.extend(dataset.store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        else:
            self.store.extend(_ox_quads(ox, dataset))
            self.store.extend([ox.Quad(q.subject, q.predicate, q.object) for q in self.store])
        self.triples = len(list(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
        self.prefixes = prefix_map()

    def __len__(self) -> int:
        """Triples in the default graph (the union of all graphs)."""
        return self.triples

    def answer(self, query: str, accept: str | None = None, default_graphs=(), named_graphs=()):
        """Run ``query``; return ``(status, content type, body bytes)``. Never raises for bad input."""
        ox = self._ox
        bare = keywords(query)
        if _UPDATE.match(bare):
            return 403, "text/plain; charset=utf-8", b"read-only endpoint: SPARQL updates are refused\n"
        if _SERVICE.search(bare):
            return 400, "text/plain; charset=utf-8", b"SERVICE (federated query) is not allowed on this endpoint\n"
        kwargs = {"prefixes": self.prefixes}
        try:
            if default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(u) for u in default_graphs]
            if named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(u) for u in named_graphs]
            result = self.store.query(query, **kwargs)
            if isinstance(result, ox.QueryTriples):
                media = _negotiate(accept, _GRAPH_TYPES, "text/turtle")
                fmt = getattr(ox.RdfFormat, _GRAPH_TYPES[media])
                body = result.serialize(format=fmt)
            else:
                media = _negotiate(accept, _RESULT_TYPES, "application/sparql-results+json")
                body = result.serialize(format=getattr(ox.QueryResultsFormat, _RESULT_TYPES[media]))
        except (SyntaxError, ValueError, TypeError) as err:
            return 400, "text/plain; charset=utf-8", f"bad SPARQL query: {err}\n".encode("utf-8")
        except OSError as err:
            return 500, "text/plain; charset=utf-8", f"query failed: {err}\n".encode("utf-8")
        charset = "; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else ""
        return 200, media + charset, body


def _form_page(queries) -> bytes:
    links = []
    for q in queries.values():
        if q.params:
            continue
        href = "/query?query=" + quote(q.text, safe="")
        links.append(f'<li><a href="{html.escape(href)}">{html.escape(q.name)}</a> '
                     f'(<a href="{html.escape(href)}&amp;format=csv">csv</a>): {html.escape(q.description)}</li>')
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}textarea{{width:100%;font-family:monospace}}</style>
</head><body>
<h1>kg SPARQL endpoint (read-only)</h1>
<p>SPARQL 1.1 Protocol at <code>/query</code> (GET <code>?query=</code>, or POST). The default graph is the
union of all graphs; the prefixes <code>kg: kgid: rdf: rdfs: skos: prov: schema: dcterms: xsd: owl:</code>
are predeclared. Updates are refused.</p>
<form action="/query" method="get">
<textarea name="query" rows="10">SELECT ?person ?metWith WHERE {{
  ?a kg:met ?b . ?a rdfs:label ?person . ?b rdfs:label ?metWith .
}} LIMIT 100</textarea>
<p><label>Results as <select name="format"><option value="json">JSON</option><option value="csv">CSV</option>
<option value="tsv">TSV</option><option value="xml">XML</option></select></label>
<button type="submit">Run</button></p>
</form>
<h2>Named queries</h2>
<ul>{''.join(links)}</ul>
</body></html>
"""
    return page.encode("utf-8")


_FORMAT_PARAM = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
                 "xml": "application/sparql-results+xml", "turtle": "text/turtle", "ttl": "text/turtle",
                 "nt": "application/n-triples", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-serve"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    endpoint: Endpoint
    quiet = False
    page = b""

    # -- plumbing

    def _send(self, status: int, ctype: str, body: bytes, extra: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str, extra: dict | None = None):
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), extra)

    def log_message(self, fmt, *args):
        if not self.quiet:
            sys.stderr.write(f"{self.address_string()} {fmt % args}\n")

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            raise _Refused(411, "a POST needs a Content-Length")
        try:
            n = int(length)
        except ValueError:
            raise _Refused(400, "bad Content-Length") from None
        if n < 0 or n > MAX_BODY:
            raise _Refused(413, f"request body over {MAX_BODY} bytes")
        return self.rfile.read(n)

    def _query(self, query: str | None, params: dict):
        if "update" in params:
            return self._text(403, "read-only endpoint: SPARQL updates are refused")
        if not query or not query.strip():
            return self._text(400, "missing query: give ?query=... (GET) or a SPARQL body (POST)")
        accept = self.headers.get("Accept")
        fmt = (params.get("format") or [None])[0]
        if fmt:
            if fmt.lower() not in _FORMAT_PARAM:
                return self._text(400, f"unknown format {fmt!r}; use one of {', '.join(_FORMAT_PARAM)}")
            accept = _FORMAT_PARAM[fmt.lower()]
        status, ctype, body = self.endpoint.answer(query, accept, params.get("default-graph-uri", []),
                                                   params.get("named-graph-uri", []))
        self._send(status, ctype, body)

    def _route(self):
        """The parsed URL, or None when the request was answered (updates are refused)."""
        url = urlsplit(self.path)
        if url.path.rstrip("/") == "/update":
            self._drain()
            self._text(403, "read-only endpoint: SPARQL updates are refused")
            return None
        return url

    def _drain(self):
        length = self.headers.get("Content-Length")
        if length and length.isdigit() and int(length) <= MAX_BODY:
            self.rfile.read(int(length))
        else:
            self.close_connection = True

    # -- methods

    def do_GET(self):
        url = self._route()
        if url is None:
            return
        if url.path in ("", "/"):
            return self._send(200, "text/html; charset=utf-8", self.page)
        if url.path.rstrip("/") != "/query":
            return self._text(404, "not found: the SPARQL endpoint is /query")
        params = parse_qs(url.query, keep_blank_values=True)
        self._query((params.get("query") or [None])[0], params)

    do_HEAD = do_GET

    def do_POST(self):
        url = self._route()
        if url is None:
            return
        if url.path.rstrip("/") != "/query":
            self._drain()
            return self._text(404, "not found: the SPARQL endpoint is /query")
        try:
            body = self._body()
        except _Refused as err:
            self.close_connection = True
            return self._text(err.status, str(err))
        params = parse_qs(url.query, keep_blank_values=True)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._text(400, "the request body is not UTF-8")
        if ctype == "application/sparql-query":
            return self._query(text, params)
        if ctype == "application/sparql-update":
            return self._text(403, "read-only endpoint: SPARQL updates are refused")
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(text, keep_blank_values=True)
            for k, v in params.items():
                form.setdefault(k, v)
            return self._query((form.get("query") or [None])[0], form)
        return self._text(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")

    def _not_allowed(self):
        self._drain()
        url = urlsplit(self.path)
        if url.path.rstrip("/") == "/update":
            return self._text(403, "read-only endpoint: SPARQL updates are refused")
        self._text(405, "read-only endpoint: only GET and POST queries", {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = _not_allowed


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Server6(_Server):
    address_family = socket.AF_INET6


def make_server(dataset, host: str = "127.0.0.1", port: int = 7878, *, quiet: bool = False):
    """An HTTP server answering SPARQL over ``dataset``, bound to ``host:port`` (not yet serving).

    Call ``serve_forever()`` on it (and ``shutdown()`` from another thread to stop). ``port=0``
    picks a free port: read it from ``server.server_address[1]``.

    Raises
    ------
    ServeError
        The address cannot be bound.
    """
    from .query import named_queries

    endpoint = Endpoint(dataset)
    handler = type("Handler", (_Handler,), {"endpoint": endpoint, "quiet": quiet,
                                            "page": _form_page(named_queries())})
    cls = _Server6 if ":" in host else _Server
    try:
        server = cls((host, port), handler)
    except OSError as err:
        raise ServeError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err
    server.endpoint = endpoint
    return server


def serve_in_thread(dataset, host: str = "127.0.0.1", port: int = 0):
    """Start a quiet server in a daemon thread (for notebooks and tests); return it."""
    server = make_server(dataset, host, port, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
