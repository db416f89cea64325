"""The persistent, incremental store: Oxigraph (pyoxigraph) on disk.

Layout (named graphs):

* one graph per article, named by the article IRI: the article's facts,
  evidence and events (what :func:`kg.graph.article_triples` yields);
* ``kgid:graph/identity``: types, labels, positions, merge records;
* ``kgid:graph/bookkeeping``: per article, its extraction JSON
  (``kg:extraction``), the identity signature its graph was written with
  (``kg:identitySignature``) and the absolute path of every file it was read
  from (``book:sourcePath``); for the store, the aliases in force
  (``book:aliases``, JSON). Not exported. ``book:`` is
  ``kgid:graph/bookkeeping#``: terms of the store, not of the ontology.

The default graph holds the union of the exported graphs (article graphs and
identity graph) as a set of triples: what SPARQL sees without ``GRAPH``, as in a
``graph.trig`` loaded with rdflib (Oxigraph's own union view would repeat a
triple held by two graphs). Every write keeps it in step in the same
transaction: a triple leaves it when no exported graph holds it any more.
``book:unionGraph`` in the bookkeeping graph says a store has it (older stores
get it on their next write).

Every write of one article (its graph plus its bookkeeping) is one Oxigraph
transaction, so a killed build leaves each article either fully in or fully
out. RocksDB's lock makes a second writer fail at once; we turn that into a
clear :class:`~kg.errors.StoreError`. Readers (``kg query`` ...) open the store
read-only and never take the lock. So that they need not open it to learn
whether it is what a ``graph.trig`` shows (opening replays the write-ahead log:
seconds while a big build is writing), the file ``kg-exports.json`` in the
store's folder lists the ``graph.trig`` files written from the store as it is
(path, size, modification time); it is deleted before every change.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from .errors import StoreError
from .graph import IDENTITY_GRAPH, article_iri, article_triples, identity_signature, identity_triples
from .ontology import KG, KGID
from .resolve import Identity
from .types import ArticleExtraction

__all__ = ["BOOKKEEPING_GRAPH", "BOOK", "KGStore", "open_store", "to_ox", "from_ox", "to_dataset", "source_key",
           "store_shows", "EXPORTS_FILE", "in_reader_thread", "SyncPlan"]

BOOKKEEPING_GRAPH = KGID["graph/bookkeeping"]
#: Bookkeeping-only terms (never exported, so not in the ontology).
BOOK = Namespace(str(BOOKKEEPING_GRAPH) + "#")
MEMORY = "memory"


def source_key(path) -> str:
    """How the store records an input file: its absolute path, symlinks resolved."""
    path = os.fspath(path)
    folder, name = os.path.split(path if os.path.isabs(path) else os.path.join(os.getcwd(), path))
    if not name or name in (".", "..") or os.path.islink(os.path.join(folder, name)):
        return os.path.realpath(path)
    return os.path.join(_real_folder(folder), name)


@lru_cache(maxsize=1024)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _open_read_only(path: Path, attempts: int = 12):
    """``pyoxigraph.Store.read_only``, retried: while a writer opens, flushes or compacts, RocksDB
    may replace the manifest or a table file between our reading its name and opening it
    ("Corruption: ... No such file or directory"); a new attempt reads the new names."""
    import time

    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as err:
            last = err
            time.sleep(0.01 * (attempt + 1))
    raise StoreError(f"cannot open the store at {path} for reading: {str(last).splitlines()[0] if str(last) else last}")


class _ReaderThread:
    """One daemon thread that runs reads of on-disk stores (see :func:`in_reader_thread`)."""

    def __init__(self):
        import queue
        import threading

        self._jobs = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread = None
        self.ident = None

    def run(self, fn, args, kwargs):
        import threading

        if threading.get_ident() == self.ident:  # a read inside a read: no deadlock
            return fn(*args, **kwargs)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="kg-store-reader", daemon=True)
                self._thread.start()
        done = threading.Event()
        box: list = []
        self._jobs.put((fn, args, kwargs, box, done))
        done.wait()  # interruptible: Ctrl-C stops waiting; the daemon thread does not keep the process
        value, err = box
        if err is not None:
            raise err
        return value

    def _work(self):
        import threading

        self.ident = threading.get_ident()
        while True:
            fn, args, kwargs, box, done = self._jobs.get()
            try:
                box[:] = [fn(*args, **kwargs), None]
            except BaseException as err:  # noqa: BLE001  (re-raised in the caller's thread)
                _drop_locals(err)
                box[:] = [None, err]
            done.set()
            del fn, args, kwargs, box, done


def _drop_locals(err: BaseException) -> None:
    """Clear the local variables of the frames in ``err``'s tracebacks (and of its causes), here:
    pyoxigraph's lazy results must be freed on the thread that made them, not where the
    exception is re-raised."""
    import traceback

    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        traceback.clear_frames(err.__traceback__)
        err = err.__cause__ or err.__context__


_READER = _ReaderThread()


def in_reader_thread(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` run on kg's store-reader thread; its value, or its exception raised here.

    Reads of an on-disk store go through RocksDB, which allocates and frees memory on every
    index lookup. In a process that has built large Python or in-memory structures (a notebook,
    ``kg serve``, a benchmark), glibc's main malloc arena is fragmented and those allocations
    become slow: a 1M-triple ``facts with evidence`` query took 6.4 s instead of 3.4 s after the
    same process had built an in-memory Oxigraph copy of the graph, with a third of the time in
    ``_int_malloc``. A thread of its own gets a malloc arena of its own, so SPARQL on the store
    (:func:`kg.query.run_query`) is evaluated here, whatever the caller's heap looks like; in a
    fresh ``kg query`` process it changes nothing. Calls from several threads are served one at
    a time; a call made from the reader thread itself runs directly. ``fn`` must consume
    pyoxigraph's lazy results itself: they cannot be used or freed on another thread.
    """
    return _READER.run(fn, args, kwargs)


EXPORTS_FILE = "kg-exports.json"


def _file_stamp(path) -> list | None:
    """``[path, size, mtime_ns]`` of a file (None when it does not exist)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [source_key(path), st.st_size, st.st_mtime_ns]


def _read_exports(store_path) -> list:
    try:
        data = json.loads((Path(store_path) / EXPORTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return data if isinstance(data, list) else []


def store_shows(store_path, trig) -> list | None:
    """The stamp (path, size, mtime) of the file ``trig`` when it was written from the store at
    ``store_path`` as the store is now (read from ``kg-exports.json``, without opening the
    store), else None. The same stamp before and after opening the store means no build wrote
    to it in between: a build deletes ``kg-exports.json`` before it writes anything."""
    stamp = _file_stamp(trig)
    return stamp if stamp is not None and stamp in _read_exports(store_path) else None


def to_ox(term):
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot store {term!r}")


def from_ox(term):
    """pyoxigraph term -> rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"cannot convert {term!r}")


class _Terms:
    """rdflib -> pyoxigraph terms, remembering IRIs (predicates and entities recur in every article).

    A typed literal comes out as Oxigraph stores it: it keeps numbers, dates and booleans as
    values and gives back their canonical form (``"1.0"^^xsd:decimal`` is read back as ``"1"``),
    so quads made here equal the quads read from a store they were written to (the build
    renders its exports from them)."""

    def __init__(self):
        self._iris: dict = {}
        self._typed: dict = {}
        self._probe = None

    def __call__(self, term):
        if type(term) is URIRef:
            node = self._iris.get(term)
            if node is None:
                node = self._iris[term] = ox.NamedNode(term)
            return node
        if type(term) is Literal and term.datatype is not None and term.datatype != XSD.string:
            key = (str(term), term.datatype)
            node = self._typed.get(key)
            if node is None:
                node = self._typed[key] = self._as_stored(to_ox(term))
            return node
        return to_ox(term)

    def _as_stored(self, literal):
        """``literal`` as an Oxigraph store gives it back (written to and read from a memory store)."""
        if self._probe is None:
            self._probe = ox.Store()
        quad = ox.Quad(_PROBE, _PROBE, literal)
        self._probe.add(quad)
        stored = next(iter(self._probe.quads_for_pattern(_PROBE, _PROBE, None))).object
        self._probe.remove(ox.Quad(_PROBE, _PROBE, stored))
        return stored

    def quads(self, triples: Iterable, graph) -> list:
        g = self(graph)
        return [ox.Quad(self(s), self(p), self(o), g) for s, p, o in triples]


_PROBE = ox.NamedNode("urn:kg:probe")


def _quads(triples: Iterable, graph) -> list:
    return _Terms().quads(triples, graph)


class _Rdflib:
    """pyoxigraph -> rdflib terms, remembering IRIs."""

    def __init__(self):
        self._iris: dict = {}

    def __call__(self, term):
        if type(term) is ox.NamedNode:
            node = self._iris.get(term)
            if node is None:
                node = self._iris[term] = URIRef(term.value)
            return node
        return from_ox(term)


def _nt(quad) -> str:
    return f"{quad.subject} {quad.predicate} {quad.object} ."


def _in_union(quads: list) -> list:
    """The default-graph (union) copies of some exported quads."""
    return [ox.Quad(q.subject, q.predicate, q.object) for q in quads]


def _unless_held_elsewhere(*skip) -> str:
    """SPARQL: keep a union triple ?s ?p ?o that some exported graph still holds (the
    bookkeeping graph and the graphs ``skip`` do not count)."""
    others = " && ".join(f"?g != {g}" for g in (*skip, to_ox(BOOKKEEPING_GRAPH)))
    return f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({others}) }}"


@dataclass
class SyncPlan:
    """What :meth:`KGStore.plan_sync` made: the quads of the exported graphs once its writes are
    made, and counts."""

    exported: list
    added: int = 0
    rewritten: int = 0


class KGStore:
    """A kg store at ``path`` (a folder), or in memory when ``path`` is ``"memory"``.

    Examples
    --------
    >>> store = KGStore("memory")
    >>> store.article_ids()
    set()
    """

    def __init__(self, path: str | Path = MEMORY, *, read_only: bool = False):
        self.path = None if str(path) == MEMORY else Path(path)
        self.read_only = read_only and self.path is not None
        try:
            if self.path is None:
                self.ox = ox.Store()
            elif self.read_only:
                if not (self.path / "CURRENT").is_file():
                    raise StoreError(f"no store at {self.path}")
                self.ox = _open_read_only(self.path)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(self.path))
        except OSError as err:
            if "lock" in str(err).lower():
                raise StoreError(
                    f"the store at {self.path} is in use by another kg process; wait for it to finish"
                ) from err
            raise StoreError(f"cannot open the store at {self.path}: {err}") from err
        if not self.read_only:
            self._ensure_union()

    def _ensure_union(self) -> None:
        """Give a store without the union default graph (made by an older kg) one, in one transaction."""
        book = to_ox(BOOKKEEPING_GRAPH)
        if self.has_union():
            return
        self.ox.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != {book}) }} ;\n"
                       f"INSERT DATA {{ GRAPH {book} {{ {book} {to_ox(BOOK.unionGraph)} true }} }}")

    def has_union(self) -> bool:
        """Whether the default graph is the union of the exported graphs (see the module docstring)."""
        book = to_ox(BOOKKEEPING_GRAPH)
        return any(True for _ in self.ox.quads_for_pattern(book, to_ox(BOOK.unionGraph), None, book))

    # -- reading -------------------------------------------------------------------

    def article_ids(self) -> set[str]:
        prefix = str(KGID["article/"])
        pred = to_ox(KG.extraction)
        return {q.subject.value[len(prefix):]
                for q in self.ox.quads_for_pattern(None, pred, None, to_ox(BOOKKEEPING_GRAPH))}

    def extractions(self, ids: Iterable[str] | None = None) -> list[ArticleExtraction]:
        """Stored extraction output of all (or the given) articles."""
        pred = to_ox(KG.extraction)
        book = to_ox(BOOKKEEPING_GRAPH)
        if ids is None:
            quads = self.ox.quads_for_pattern(None, pred, None, book)
        else:
            quads = [q for i in ids for q in self.ox.quads_for_pattern(to_ox(article_iri(i)), pred, None, book)]
        return [ArticleExtraction.from_dict(json.loads(q.object.value)) for q in quads]

    def signatures(self) -> dict[str, str]:
        prefix = str(KGID["article/"])
        pred = to_ox(KG.identitySignature)
        return {q.subject.value[len(prefix):]: q.object.value
                for q in self.ox.quads_for_pattern(None, pred, None, to_ox(BOOKKEEPING_GRAPH))}

    def source_paths(self) -> dict[str, set[str]]:
        """Article id -> the files (:func:`source_key`) it was read from."""
        prefix = str(KGID["article/"])
        paths: dict[str, set[str]] = {}
        for q in self.ox.quads_for_pattern(None, to_ox(BOOK.sourcePath), None, to_ox(BOOKKEEPING_GRAPH)):
            paths.setdefault(q.subject.value[len(prefix):], set()).add(q.object.value)
        return paths

    def aliases(self) -> dict | None:
        """The stored aliases, ``{"force": [[a, b], ...], "veto": [[a, b], ...]}``, or None."""
        book = to_ox(BOOKKEEPING_GRAPH)
        for q in self.ox.quads_for_pattern(book, to_ox(BOOK.aliases), None, book):
            return json.loads(q.object.value)
        return None

    def __len__(self) -> int:
        return len(self.ox)

    def exported_graphs(self) -> list:
        """The names of the exported graphs: every named graph but the bookkeeping graph."""
        book = to_ox(BOOKKEEPING_GRAPH)
        return [g for g in self.ox.named_graphs() if g != book]

    def exported_quads(self) -> list:
        """The quads of the exported graphs (in no particular order)."""
        quads = []
        for g in self.exported_graphs():
            quads.extend(self.ox.quads_for_pattern(None, None, None, g))
        return quads

    # -- writing -------------------------------------------------------------------

    def add_article(self, ex: ArticleExtraction, identity: Identity, terms: _Terms | None = None) -> None:
        """Write one new article (graph + bookkeeping, with its source file) in one transaction."""
        _, quads = self._article_write(ex, identity, terms or _Terms())
        self.ox.extend(quads)

    @staticmethod
    def _article_write(ex: ArticleExtraction, identity: Identity, terms: _Terms) -> tuple[list, list]:
        """A new article's graph, and everything one transaction writes for it (the graph, its
        union copies and its bookkeeping)."""
        a = article_iri(ex.article.id)
        quads = terms.quads(article_triples(ex, identity), a)
        book = terms.quads([(a, KG.extraction, Literal(json.dumps(ex.to_dict(), ensure_ascii=False))),
                            (a, KG.identitySignature, Literal(identity_signature(ex, identity))),
                            (a, BOOK.sourcePath, Literal(source_key(ex.article.source)))],
                           BOOKKEEPING_GRAPH)
        return quads, quads + _in_union(quads) + book

    def add_source_paths(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Record that article ``id`` was (also) read from ``path``, for ``(id, path)`` pairs."""
        book = to_ox(BOOKKEEPING_GRAPH)
        pred = to_ox(BOOK.sourcePath)
        quads = [ox.Quad(to_ox(article_iri(i)), pred, ox.Literal(p), book) for i, p in pairs]
        if quads:
            self.ox.extend(quads)

    def remove_source_path(self, article_id: str, path: str) -> None:
        self.ox.remove(ox.Quad(to_ox(article_iri(article_id)), to_ox(BOOK.sourcePath), ox.Literal(path),
                               to_ox(BOOKKEEPING_GRAPH)))

    def forget_exports(self) -> None:
        """The store is about to change: no ``graph.trig`` shows it any more (call before writing)."""
        if self.path is not None:
            try:
                (self.path / EXPORTS_FILE).unlink()
            except FileNotFoundError:
                pass

    def mark_exported(self, trig) -> None:
        """Record that the file ``trig`` was just written from the store as it is now."""
        stamp = _file_stamp(trig)
        if self.path is None or stamp is None:
            return
        from .export import atomic_write

        kept = [s for s in _read_exports(self.path) if isinstance(s, list) and s and s[0] != stamp[0]]
        atomic_write(self.path / EXPORTS_FILE, json.dumps(kept + [stamp]))

    def set_aliases(self, aliases: dict | None) -> None:
        """Replace the stored aliases (None or no pairs: none stored), in one transaction."""
        book = to_ox(BOOKKEEPING_GRAPH)
        pred = to_ox(BOOK.aliases)
        update = f"DELETE WHERE {{ GRAPH {book} {{ {book} {pred} ?a }} }}"
        if aliases and (aliases.get("force") or aliases.get("veto")):
            text = ox.Literal(json.dumps(aliases, ensure_ascii=False, sort_keys=True))
            update += f" ;\nINSERT DATA {{ GRAPH {book} {{ {book} {pred} {text} }} }}"
        self.ox.update(update)

    def rewrite_article(self, ex: ArticleExtraction, identity: Identity) -> None:
        """Replace an article's graph and signature in one transaction."""
        self.ox.update(self._rewrite(ex, identity, _Terms())[1])

    def _rewrite(self, ex: ArticleExtraction, identity: Identity, terms: _Terms) -> tuple[list, str]:
        """An old article's new graph, and the SPARQL update that puts it in place of the stored one."""
        a = article_iri(ex.article.id)
        quads = terms.quads(article_triples(ex, identity), a)
        book = to_ox(BOOKKEEPING_GRAPH)
        sig = ox.Quad(to_ox(a), to_ox(KG.identitySignature), ox.Literal(identity_signature(ex, identity)), book)
        body = "\n".join(f"GRAPH {q.graph_name} {{ {_nt(q)} }}" for q in quads + [sig])
        union = "\n".join(_nt(q) for q in quads)
        return quads, (
            f"{self._drop_graph(to_ox(a))} ;\n"
            f"DELETE WHERE {{ GRAPH {book} {{ {to_ox(a)} {to_ox(KG.identitySignature)} ?s }} }} ;\n"
            f"INSERT DATA {{ {body}\n{union} }}"
        )

    @staticmethod
    def _drop_graph(g) -> str:
        """SPARQL: drop graph ``g`` and the union triples only it held."""
        return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} {_unless_held_elsewhere(g)} }} ;\n"
                f"DROP SILENT GRAPH {g}")

    def replace_identity(self, identity: Identity, terms: _Terms | None = None) -> dict:
        """Make the identity graph that of ``identity``, writing only the difference, in one
        transaction. Returns ``{"added": n, "removed": n}`` (quads)."""
        write, _, change = self._identity_write(identity, terms or _Terms())
        if write is not None:
            self.apply(write)
        return change

    def _identity_write(self, identity: Identity, terms: _Terms) -> tuple[tuple | None, list, dict]:
        """The write that makes the identity graph that of ``identity`` (None: no change), the
        graph's quads, and ``{"added": n, "removed": n}``."""
        g = to_ox(IDENTITY_GRAPH)
        new = set(terms.quads(identity_triples(identity), IDENTITY_GRAPH))
        old = set(self.ox.quads_for_pattern(None, None, None, g))
        gone, added = old - new, new - old
        write = None
        if gone:
            delete = "\n".join(_nt(q) for q in gone)
            rows = "\n".join(f"({q.subject} {q.predicate} {q.object})" for q in gone)
            insert = "\n".join(_nt(q) for q in added)
            write = ("update", f"DELETE DATA {{ GRAPH {g} {{ {delete} }} }} ;\n"
                               f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} {_unless_held_elsewhere()} }} ;\n"
                               f"INSERT DATA {{ GRAPH {g} {{ {insert} }}\n{insert} }}")
        elif added:
            added = list(added)
            write = ("extend", added + _in_union(added))
        return write, list(new), {"added": len(added), "removed": len(gone)}

    def remove_articles(self, ids: Iterable[str]) -> None:
        """Retract articles: their graph and bookkeeping, one transaction each."""
        book = to_ox(BOOKKEEPING_GRAPH)
        for i in ids:
            a = to_ox(article_iri(i))
            self.ox.update(f"{self._drop_graph(a)} ;\nDELETE WHERE {{ GRAPH {book} {{ {a} ?p ?o }} }}")

    def sync(self, identity: Identity, new: list[ArticleExtraction], old: list[ArticleExtraction]) -> dict:
        """Write new articles, the identity graph, and the old articles whose
        identity signature changed. Returns counts of what was written."""
        plan = self.plan_sync(identity, new, old, emit=self.apply)
        self.flush()
        return {"added": plan.added, "rewritten": plan.rewritten}

    def plan_sync(self, identity: Identity, new: list[ArticleExtraction], old: list[ArticleExtraction], *,
                  emit: Callable[[tuple], None]) -> SyncPlan:
        """Make ready what :meth:`sync` writes (the Python work), handing each write to ``emit``
        as soon as it is ready (:meth:`apply` here, or a writer on another thread), and return
        the quads the exported graphs will hold once the writes are made: the new and rewritten
        article graphs and the identity graph as planned, every other exported graph as stored
        (the writes leave it). Writes are made in the order given; the reads here never look at
        what an earlier write of the same plan changed.
        """
        terms = _Terms()
        exported: list = []
        touched = {to_ox(IDENTITY_GRAPH)}
        for ex in new:
            quads, write = self._article_write(ex, identity, terms)
            emit(("extend", write))
            exported += quads
            touched.add(terms(article_iri(ex.article.id)))
        identity_write, identity_quads, _ = self._identity_write(identity, terms)
        if identity_write is not None:
            emit(identity_write)
        exported += identity_quads
        stored = self.signatures()
        rewritten = 0
        for ex in old:
            if stored.get(ex.article.id) != identity_signature(ex, identity):
                quads, update = self._rewrite(ex, identity, terms)
                emit(("update", update))
                exported += quads
                touched.add(terms(article_iri(ex.article.id)))
                rewritten += 1
        for g in self.exported_graphs():
            if g not in touched:
                exported.extend(self.ox.quads_for_pattern(None, None, None, g))
        # (a graph is a set: an article may state a triple twice)
        return SyncPlan(list(dict.fromkeys(exported)), added=len(new), rewritten=rewritten)

    def apply(self, write: tuple) -> None:
        """Make one write of :meth:`plan_sync`, in one transaction. Nearly all of it runs in Oxigraph without
        the GIL, so another thread can meanwhile go on in Python."""
        kind, arg = write
        if kind == "extend":
            self.ox.extend(arg)
        else:
            self.ox.update(arg)

    def flush(self) -> None:
        if self.path is not None:
            self.ox.flush()

    def dataset(self):
        """The exported graphs as an rdflib ``Dataset``."""
        return to_dataset(self.exported_quads())

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self.ox.flush()
        del self.ox


def to_dataset(quads, ds=None):
    """pyoxigraph quads -> an rdflib ``Dataset`` (``ds``, or a new one with kg's prefixes bound)."""
    if ds is None:
        from rdflib import Dataset

        from .graph import bind_all

        ds = bind_all(Dataset())
    term = _Rdflib()
    graphs = {}
    for q in quads:
        g = graphs.get(q.graph_name)
        if g is None:
            name = q.graph_name
            g = graphs[name] = ds.default_context if isinstance(name, ox.DefaultGraph) else ds.graph(term(name))
        g.add((term(q.subject), term(q.predicate), term(q.object)))
    return ds


def open_store(path: str | Path) -> KGStore:
    return KGStore(path)
