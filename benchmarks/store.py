"""The store: Oxigraph (pyoxigraph) against rdflib's default in-memory Dataset on
a synthetic graph of about 1M triples shaped like kg's.

The graph (deterministic for a given ``--seed``) has, like a real build:

* ``kgid:graph/identity``: entities with ``rdf:type``, ``rdfs:label``,
  ``skos:altLabel``, ``kg:position`` and a few ``kg:MergeRecord``s;
* one named graph per article: the article node (title, date, source file,
  content hash), facts between entities (``kg:met`` in both directions), one
  ``kg:Evidence`` record per supporting sentence (``rdf:subject/predicate/object``,
  ``kg:sentence``, ``prov:wasDerivedFrom``, ``kg:charStart/charEnd``, extractor,
  surface, modality, sometimes attribution; hedged/negated/planned statements
  have evidence but no fact) and events (``kg:agent``, ``kg:participant``,
  ``kg:place``, ``kg:date``, ``kg:dateText``, ``kg:evidence``).

Measured in one run, on the same quads:

1. load: parsing the same N-Quads document into (a) rdflib ``Dataset(default_union=True)``,
   (b) ``pyoxigraph.Store()`` in memory (``load``), (c) kg's on-disk store: the quads, their
   union as the default graph and the store's marker, with ``bulk_load`` (a build writes the
   same through transactions);
2. Turtle export of the union of all graphs: rdflib's serializer (after building the
   union ``Graph``, as ``kg.export.rdf.write_turtle`` does) against
   ``pyoxigraph.serialize`` of the union triples; and the product's
   ``kg.export.rdf.export_store(store, dir, ("ttl",))`` on the on-disk store;
3. five SPARQL queries, union-of-graphs semantics, median of 3 runs each; the row counts
   of every engine must agree. Engines: rdflib ``default_union=True``; Oxigraph in memory
   with ``use_default_graph_as_union=True`` ("ox mem"); kg's store on disk, opened
   read-only and queried on its default graph as ``kg query`` does, on kg's store-reader
   thread (``kg.store.in_reader_thread``, as ``kg.query.run_query`` evaluates SPARQL on the
   store; "ox disk"); the same store queried from the benchmark's main thread ("ox main",
   how this benchmark measured "ox disk" until 2026-11-23: the process then holds rdflib's
   dataset and three other stores, its main malloc arena is fragmented and RocksDB's
   per-lookup allocations there slow, see ``in_reader_thread``); an on-disk
   store of the bare quads through ``use_default_graph_as_union=True`` ("ox view", the
   layout before the store kept the union); the union loaded into an in-memory default
   graph ("ox dflt", as ``kg serve`` holds it);
4. adding one real article (``seeds/000``, extracted once with ``kg.nlp.load_nlp``)
   through ``KGStore.add_article`` on the 1M-triple on-disk store and on an empty
   one (median of 5; the article is retracted between runs); the export refresh
   ``export_store(store, dir, ("ttl", "trig"))`` on the 1M store, the whole
   ``kg.build.refresh`` with the HTML page, ``KGStore.dataset()`` (the rdflib copy
   ``kg show/path/stats/validate`` load), and ``python -m kg query who-met-whom`` on the
   1M store (a subprocess, start-up included); and building that article alone
   (``kg.build.build(..., store="memory")``, model already loaded, so model load
   excluded; plus one ``python -m kg build`` subprocess with everything).

Usage::

    .venv/bin/python benchmarks/store.py                       # 1M triples
    .venv/bin/python benchmarks/store.py --triples 100000      # quick run
    .venv/bin/python benchmarks/store.py --json store.json --rdflib-triples 300000
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pyoxigraph as ox

KGNS = "https://w3id.org/kg-news/ontology#"
ID = "https://w3id.org/kg-news/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = f"""PREFIX kg: <{KGNS}>
PREFIX rdf: <{RDF}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCT}>
PREFIX xsd: <{XSD}>
"""

# ---------------------------------------------------------------- the synthetic graph

CLASSES = [  # class, share of entities, folder
    ("Person", 0.40, "person"), ("Organization", 0.08, "organization"), ("Country", 0.02, "country"),
    ("City", 0.14, "city"), ("Facility", 0.08, "facility"), ("Vessel", 0.07, "vessel"),
    ("Aircraft", 0.09, "aircraft"), ("Weapon", 0.07, "weapon"), ("MilitaryUnit", 0.05, "militaryunit"),
]
RELATIONS = [  # predicate, subject classes, object classes, weight, verb
    ("met", ("Person",), ("Person",), 5, "met"),
    ("visited", ("Person",), ("City", "Facility"), 3, "visited"),
    ("inspected", ("Person",), ("Aircraft", "Weapon", "Vessel"), 3, "inspected"),
    ("affiliatedWith", ("Person",), ("Country", "Organization"), 2, "of"),
    ("commands", ("Person",), ("MilitaryUnit", "Vessel"), 1, "commands"),
    ("memberOf", ("Person",), ("Organization", "MilitaryUnit"), 1, "of"),
    ("leads", ("Person",), ("Organization", "Country"), 1, "leads"),
    ("locatedIn", ("City", "Facility"), ("Country",), 1, "in"),
    ("briefed", ("Person",), ("Person",), 1, "briefed"),
]
EVENTS = [("Meeting", "Person", "Person"), ("Visit", "Person", "City"), ("Inspection", "Person", "Aircraft")]
SYLLABLES = ["ka", "ro", "mi", "sha", "vel", "dor", "an", "ti", "lu", "ber", "gon", "ya", "zen", "o", "ric",
             "mar", "el", "ni", "pet", "sov", "ha", "dim", "ku", "ra"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EXTRACTORS = ["met-with-prep", "subj-verb-obj", "surface-meet", "appos-title", "visit-prep", "inspect-obj"]
MODALITIES = ["asserted"] * 17 + ["hedged", "negated", "planned"]
DATE0 = 738521  # date(2023, 1, 1).toordinal()


def _name(rng: random.Random, parts: int) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                    for _ in range(parts))


def synthetic_quads(target: int, seed: int = 7) -> tuple[list, dict]:
    """About ``target`` quads shaped like a kg build; returns (quads, facts about them)."""
    from datetime import date

    rng = random.Random(seed)
    N = ox.NamedNode

    def P(local, ns=KGNS):
        return N(ns + local)

    T_TYPE, T_LABEL, T_ALT = N(RDF + "type"), N(RDFS + "label"), N(SKOS + "altLabel")
    T_SUBJ, T_PRED, T_OBJ = N(RDF + "subject"), N(RDF + "predicate"), N(RDF + "object")
    T_DERIVED, T_TITLE = N(PROV + "wasDerivedFrom"), N(DCT + "title")
    K = {k: P(k) for k in ("Article", "Evidence", "MergeRecord", "position", "mergedInto", "alias", "rule", "score",
                           "date", "dateText", "sourceFile", "contentHash", "sentence", "charStart", "charEnd",
                           "extractor", "surface", "modality", "attribution", "agent", "participant", "place",
                           "evidence")}
    D_DATE, D_INT, D_DEC = N(XSD + "date"), N(XSD + "integer"), N(XSD + "decimal")
    ident = N(ID + "graph/identity")
    quads: list = []
    add = quads.append

    n_articles = max(10, target // 150)
    n_entities = max(60, n_articles * 3)
    # entities, Zipf-like popularity per class
    by_class: dict[str, list] = {}
    labels: dict = {}
    for cls, share, folder in CLASSES:
        ents = []
        for i in range(max(5, int(n_entities * share))):
            parts = 2 if cls == "Person" else rng.randint(1, 2)
            label = _name(rng, parts)
            node = N(f"{ID}{folder}/{label.lower().replace(' ', '-')}-{i}")
            ents.append(node)
            labels[node] = label
            add(ox.Quad(node, T_TYPE, P(cls), ident))
            add(ox.Quad(node, T_LABEL, ox.Literal(label), ident))
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                alt = label.split()[-1] if rng.random() < 0.5 else label + "s"
                add(ox.Quad(node, T_ALT, ox.Literal(alt), ident))
                if rng.random() < 0.2:
                    rec = N(f"{ID}merge/{rng.getrandbits(64):016x}")
                    add(ox.Quad(rec, T_TYPE, K["MergeRecord"], ident))
                    add(ox.Quad(rec, K["mergedInto"], node, ident))
                    add(ox.Quad(rec, K["alias"], ox.Literal(alt), ident))
                    add(ox.Quad(rec, K["rule"], ox.Literal("fuzzy-name"), ident))
                    add(ox.Quad(rec, K["score"], ox.Literal(f"{rng.randint(80, 99)}.0", datatype=D_DEC), ident))
            if cls == "Person" and rng.random() < 0.3:
                add(ox.Quad(node, K["position"], ox.Literal(rng.choice(["General", "Foreign Minister", "Admiral",
                                                                        "Defense Minister", "President"])), ident))
        by_class[cls] = ents
    cum = {cls: list(_cumulative([1.0 / (r + 1) ** 0.9 for r in range(len(ents))])) for cls, ents in by_class.items()}

    def pick(classes):
        cls = rng.choice(classes)
        return rng.choices(by_class[cls], cum_weights=cum[cls])[0]

    rel_cum = list(_cumulative([r[3] for r in RELATIONS]))
    stats = {"articles": 0, "entities": sum(map(len, by_class.values())), "facts": 0, "evidence": 0, "events": 0}

    def evidence(g, ev, art, sentence, start, extractor, surface, modality):
        add(ox.Quad(ev, T_TYPE, K["Evidence"], g))
        add(ox.Quad(ev, T_DERIVED, art, g))
        add(ox.Quad(ev, K["sentence"], ox.Literal(sentence), g))
        add(ox.Quad(ev, K["charStart"], ox.Literal(str(start), datatype=D_INT), g))
        add(ox.Quad(ev, K["charEnd"], ox.Literal(str(start + len(sentence)), datatype=D_INT), g))
        add(ox.Quad(ev, K["extractor"], ox.Literal(extractor), g))
        add(ox.Quad(ev, K["surface"], ox.Literal(surface), g))
        add(ox.Quad(ev, K["modality"], ox.Literal(modality), g))
        if rng.random() < 0.2:
            add(ox.Quad(ev, K["attribution"], ox.Literal("Russian state media"), g))
        stats["evidence"] += 1

    a = 0
    while len(quads) < target:
        aid = f"{rng.getrandbits(64):016x}"
        art = N(f"{ID}article/{aid}")
        g = art
        day = DATE0 + rng.randrange(0, 3 * 365)
        add(ox.Quad(art, T_TYPE, K["Article"], g))
        add(ox.Quad(art, T_TITLE, ox.Literal(f"Talks number {a}: {_name(rng, 2)}"), g))
        add(ox.Quad(art, K["date"], ox.Literal(date.fromordinal(day).isoformat(), datatype=D_DATE), g))
        add(ox.Quad(art, K["sourceFile"], ox.Literal(f"{a:06d}_{aid}.txt"), g))
        add(ox.Quad(art, K["contentHash"], ox.Literal(aid * 4), g))
        offset = 0
        for _ in range(rng.randint(4, 12)):
            pred, sc, oc, _w, verb = rng.choices(RELATIONS, cum_weights=rel_cum)[0]
            s, o = pick(sc), pick(oc)
            if s == o:
                continue
            modality = rng.choice(MODALITIES)
            sentence = f"{labels[s]} {verb} {labels[o]} in {rng.choice(WEEKDAYS)} talks, officials said."
            extractor = rng.choice(EXTRACTORS)
            p = P(pred)
            for subj, obj in ([(s, o), (o, s)] if pred == "met" else [(s, o)]):
                if modality == "asserted":
                    add(ox.Quad(subj, p, obj, g))
                    stats["facts"] += 1
                ev = N(f"{ID}evidence/{rng.getrandbits(64):016x}")
                add(ox.Quad(ev, T_SUBJ, subj, g))
                add(ox.Quad(ev, T_PRED, p, g))
                add(ox.Quad(ev, T_OBJ, obj, g))
                evidence(g, ev, art, sentence, offset, extractor, f"{labels[s]} … {labels[o]}", modality)
            offset += len(sentence) + 1
        for _ in range(rng.randint(1, 3)):
            cls, ac, pc = rng.choice(EVENTS)
            node = N(f"{ID}event/{rng.getrandbits(64):016x}")
            agent, other = pick((ac,)), pick((pc,))
            add(ox.Quad(node, T_TYPE, P(cls), g))
            add(ox.Quad(node, K["agent"], agent, g))
            add(ox.Quad(node, K["participant"] if pc == "Person" else K["place"], other, g))
            if pc == "Person" and rng.random() < 0.7:
                add(ox.Quad(node, K["place"], pick(("City",)), g))
            weekday = rng.randrange(7)
            if rng.random() < 0.85:
                add(ox.Quad(node, K["date"], ox.Literal(date.fromordinal(day - rng.randrange(7)).isoformat(),
                                                        datatype=D_DATE), g))
            add(ox.Quad(node, K["dateText"], ox.Literal("On " + WEEKDAYS[weekday]), g))
            ev = N(f"{ID}evidence/{rng.getrandbits(64):016x}")
            add(ox.Quad(node, K["evidence"], ev, g))
            add(ox.Quad(ev, T_SUBJ, node, g))
            add(ox.Quad(ev, T_PRED, T_TYPE, g))
            add(ox.Quad(ev, T_OBJ, P(cls), g))
            sentence = f"On {WEEKDAYS[weekday]}, {labels[agent]} and {labels[other]} held talks."
            evidence(g, ev, art, sentence, offset, "surface-" + cls.lower(), cls.lower(), "asserted")
            offset += len(sentence) + 1
            stats["events"] += 1
        a += 1
    stats["articles"] = a
    # a mid-popularity person with a real neighbourhood, for query 4
    stats["focus"] = by_class["Person"][10].value
    stats["focus_label"] = labels[by_class["Person"][10]]
    return list(dict.fromkeys(quads)), stats  # a fact two sentences support is one quad


def _cumulative(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


# ---------------------------------------------------------------- the queries


def queries(focus: str) -> dict[str, str]:
    """The five queries, written plainly. DISTINCT where a fact held by several article
    graphs would otherwise repeat: Oxigraph's union view is a bag over the graphs,
    rdflib's a set (kg's own named queries use DISTINCT for the same reason)."""
    return {
        "1 who met whom, with dates": PREFIXES + """
SELECT DISTINCT ?aLabel ?bLabel ?date WHERE {
  ?m a kg:Meeting ; kg:agent ?a ; kg:participant ?b .
  OPTIONAL { ?m kg:date ?date }
  ?a rdfs:label ?aLabel . ?b rdfs:label ?bLabel .
}""",
        "2 facts with evidence sentence and article": PREFIXES + """
SELECT DISTINCT ?subject ?p ?object ?modality ?sentence ?article ?title WHERE {
  ?e a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     kg:sentence ?sentence ; kg:modality ?modality ; prov:wasDerivedFrom ?article .
  ?s rdfs:label ?subject . ?o rdfs:label ?object .
  ?article dcterms:title ?title .
}""",
        "3 events in a date range": PREFIXES + """
SELECT ?event ?class ?date ?agentLabel WHERE {
  ?event kg:evidence ?ev ; kg:date ?date ; a ?class ; kg:agent ?agent .
  FILTER (?date >= "2024-03-01"^^xsd:date && ?date < "2024-05-01"^^xsd:date)
  ?agent rdfs:label ?agentLabel .
}""",
        "4 two-hop neighbourhood of one entity": PREFIXES + f"""
SELECT DISTINCT ?n1 ?p1 ?n2 ?p2 WHERE {{
  {{ <{focus}> ?p1 ?n1 FILTER (STRSTARTS(STR(?p1), STR(kg:)) && isIRI(?n1)) }}
  UNION {{ ?n1 ?p1 <{focus}> FILTER (STRSTARTS(STR(?p1), STR(kg:))) }}
  ?n1 rdfs:label ?l1 .
  {{ ?n1 ?p2 ?n2 FILTER (STRSTARTS(STR(?p2), STR(kg:)) && isIRI(?n2)) }}
  UNION {{ ?n2 ?p2 ?n1 FILTER (STRSTARTS(STR(?p2), STR(kg:))) }}
  ?n2 rdfs:label ?l2 .
  FILTER (?n2 != <{focus}>)
}}""",
        "5 entities by class": PREFIXES + """
SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a ?class ; rdfs:label ?label .
} GROUP BY ?class ORDER BY DESC(?n) ?class""",
    }


NAMED = ("who-met-whom", "facts-with-evidence", "timeline", "entities-by-class")


def named_queries() -> dict[str, str]:
    """kg's own named queries (kg/queries/*.rq), for reference."""
    return {name: PREFIXES + (REPO / "kg" / "queries" / f"{name}.rq").read_text(encoding="utf-8") for name in NAMED}


# ---------------------------------------------------------------- timing helpers


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - t, value


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the parts


def forked(fn, timeout: float):
    """Run ``fn()`` in a forked child (it inherits the loaded rdflib Dataset); return
    (seconds, value), or (None, None) when it takes longer than ``timeout``."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def child():
        try:
            t = time.perf_counter()
            value = fn()
            send.send((time.perf_counter() - t, value, None))
        except BaseException as err:  # noqa: BLE001  (report it, do not hang the parent)
            send.send((None, None, repr(err)))

    proc = ctx.Process(target=child)
    proc.start()
    try:
        if not recv.poll(timeout):
            return None, None
        secs, value, err = recv.recv()
        if err:
            raise RuntimeError(err)
        return secs, value
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()


def bench_query(run, q, runs: int, *, timeout: float | None = None, slow: float = 120.0) -> dict:
    """Median of ``runs``; with ``timeout``, each run is a forked child that may be cut off;
    a first run slower than ``slow`` s is not repeated."""
    times, rows = [], None
    for i in range(runs):
        if timeout is None:
            t, rows = timed(run, q)
        else:
            t, value = forked(lambda: run(q), timeout)
            if t is None:
                return {"seconds": None, "rows": None, "runs": i + 1, "timeout": timeout}
            rows = value
        times.append(t)
        if i == 0 and t > slow:
            break
    return {"seconds": statistics.median(times), "rows": rows, "runs": len(times)}


def bench_sparql(engines: dict, qs: dict, runs: int, timeout: float) -> dict:
    out = {}
    for name, q in qs.items():
        row = {}
        for engine, run in engines.items():
            res = bench_query(run, q, runs, timeout=timeout if engine == "rdflib" else None)
            row[engine] = res
            shown = f"{res['seconds']:9.4f} s" if res["seconds"] is not None else f"> {timeout:.0f} s (cut off)"
            log(f"  {name:<45} {engine:<20} {shown}  {res['rows']} rows ({res['runs']} run(s))")
        out[name] = row
    return out


def check_rows(name: str, row: dict, same_graph: dict) -> None:
    """Engines on the same graph return the same number of rows (``same_graph``: engine -> group)."""
    seen: dict = {}
    for engine, res in row.items():
        if res["rows"] is None:
            continue
        group = same_graph[engine]
        if group in seen and seen[group][1] != res["rows"]:
            raise SystemExit(f"row counts differ for {name}: {seen[group][0]} {seen[group][1]}, {engine} {res['rows']}")
        seen.setdefault(group, (engine, res["rows"]))


def add_ratios(table: dict, rdflib_ref: dict) -> None:
    """For each oxigraph engine, rdflib time / its time; a cut-off rdflib run gives a lower bound.

    ``rdflib_ref``: oxigraph engine -> True when it holds the same graph as rdflib (else no ratio)."""
    for row in table.values():
        rd = row["rdflib"]
        lower = rd["seconds"] is None
        rd_secs = rd["timeout"] if lower else rd["seconds"]
        row["ratios"] = {e: rd_secs / row[e]["seconds"] for e, same in rdflib_ref.items() if same and e in row}
        row["ratio_is_lower_bound"] = lower


def median_ratios(table: dict) -> dict:
    engines = {e for row in table.values() for e in row["ratios"]}
    order = ["ox_memory", "ox_disk", "ox_disk_main_thread", "ox_disk_view", "ox_memory_default",
             "ox_memory_same_size"]
    return {e: statistics.median(row["ratios"][e] for row in table.values()) for e in order if e in engines}


def rdflib_rows(ds, q) -> int:
    return sum(1 for _ in ds.query(q))


def ox_rows(store, q) -> int:
    return sum(1 for _ in store.query(q, use_default_graph_as_union=True))


def ox_default_rows(store, q) -> int:
    """On a store whose default graph holds the union (as ``kg serve`` loads it)."""
    return sum(1 for _ in store.query(q))


def ox_store_rows(store, q) -> int:
    """kg's store: the union is the default graph (``kg query`` passes no union flag)."""
    return sum(1 for _ in store.query(q))


def union_in_default_graph(quads) -> ox.Store:
    store = ox.Store()
    store.extend({ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads})
    return store


def ox_union_turtle(store) -> bytes:
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE)


def extract_seed(seed_file: Path):
    from kg.build import extract_articles
    from kg.ingest import read_article
    from kg.nlp import load_nlp, model_name

    t, nlp = timed(load_nlp, model_name(None))
    ex = next(iter(extract_articles(nlp, [read_article(seed_file)])))
    return ex, t


def bench_add_article(path: Path, ex, identity, runs: int = 5) -> dict:
    """``KGStore.add_article`` (and add + flush) on the store at ``path``; the article is retracted between runs."""
    from kg.store import KGStore

    store = KGStore(path)
    before = len(store)
    adds, flushes, removes = [], [], []
    try:
        for _ in range(runs):
            t, _ = timed(store.add_article, ex, identity)
            adds.append(t)
            t2, _ = timed(store.ox.flush)
            flushes.append(t + t2)
            assert len(store) > before
            t3, _ = timed(store.remove_articles, [ex.article.id])
            removes.append(t3)
            assert len(store) == before
        store.add_article(ex, identity)  # leave it in, for the export refresh
        added = len(store) - before
    finally:
        store.close()
    return {"store_triples": before, "quads_added": added, "add_article": statistics.median(adds),
            "add_article_and_flush": statistics.median(flushes), "remove_articles": statistics.median(removes),
            "runs": runs}


def bench_sync(path: Path, ex, identity) -> float:
    """The whole ``KGStore.sync(identity, [ex], [])``: add, replace the identity graph, signatures, flush.

    On the synthetic store this replaces its identity graph with the article's (the last measurement)."""
    from kg.store import KGStore

    store = KGStore(path)
    try:
        store.remove_articles([ex.article.id])
        t, _ = timed(store.sync, identity, [ex], [])
    finally:
        store.close()
    return t


def bench_resolve(ex, sizes) -> dict:
    """``kg.resolve.resolve`` over n stored extractions (copies of ``ex`` under distinct article ids):
    what every incremental build recomputes, without NLP."""
    import copy

    from kg.resolve import resolve
    from kg.types import ArticleExtraction

    base = ex.to_dict()
    out = {}
    for n in sizes:
        exs = []
        for i in range(n):
            d = copy.deepcopy(base)
            d["article"]["id"] = f"{i:016x}"
            exs.append(ArticleExtraction.from_dict(d))
        out[n], _ = timed(resolve, exs)
        log(f"  resolve over {n} articles: {out[n]:.2f} s")
    return out


def bench_build_one(seed_file: Path, tmp: Path, runs: int = 3) -> dict:
    from kg.build import build

    secs, timings = [], None
    for i in range(runs):
        out = tmp / f"one{i}"
        result = build([seed_file], out, store="memory", html=False)
        secs.append(result.seconds - result.timings.get("load_model", 0.0))
        timings = result.timings
    html = build([seed_file], tmp / "one_html", store="memory", html=True)
    env = dict(os.environ)
    t, proc = timed(subprocess.run, [sys.executable, "-m", "kg", "build", str(seed_file), "--out", str(tmp / "one_cli"),
                                     "--store", "memory", "-q"], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return {"build_without_html": statistics.median(secs), "timings": timings,
            "build_with_html": html.seconds - html.timings.get("load_model", 0.0),
            "cli_subprocess_with_model_load": t, "runs": runs}


# ---------------------------------------------------------------- main


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph (default 1M)")
    ap.add_argument("--rdflib-triples", type=int, default=None,
                    help="size for the rdflib side if it must be smaller (default: the same graph)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3, help="runs per query (median)")
    ap.add_argument("--article", type=Path, default=REPO / "seeds" / "000_b80377fabe601009.txt")
    ap.add_argument("--rdflib-timeout", type=float, default=600.0,
                    help="cut an rdflib query run off after this many seconds (the ratio is then a lower bound)")
    ap.add_argument("--named", action=argparse.BooleanOptionalAction, default=True,
                    help="also time kg's named queries (kg/queries/*.rq)")
    ap.add_argument("--named-timeout", type=float, default=120.0, help="rdflib cut-off for the named queries")
    ap.add_argument("--resolve-sizes", type=lambda v: [int(x) for x in v.split(",") if x], default=[100, 300, 1000],
                    help="article counts for timing resolve() over stored extractions (comma-separated; '' for none)")
    ap.add_argument("--tmp", type=Path, default=None, help="folder for the on-disk stores (default: a temp dir)")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = ap.parse_args(argv)

    from rdflib import Dataset

    from kg.build import refresh as kg_refresh
    from kg.export.rdf import export_store
    from kg.graph import union_graph
    from kg.resolve import resolve
    from kg.store import KGStore, in_reader_thread

    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-store-", dir=args.tmp))
    report: dict = {"python": platform.python_version(), "machine": platform.machine(),
                    "cpus": os.cpu_count(), "pyoxigraph": ox.__version__ if hasattr(ox, "__version__") else None}
    try:
        import rdflib

        report["rdflib"] = rdflib.__version__
        log(f"generating about {args.triples:,} quads (seed {args.seed}) ...")
        t, (quads, stats) = timed(synthetic_quads, args.triples, args.seed)
        report["graph"] = {**stats, "quads": len(quads), "generate_seconds": t}
        nq = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        report["graph"]["nquads_mb"] = len(nq) / 1e6
        log(f"  {len(quads):,} quads, {stats['articles']:,} articles, {stats['entities']:,} entities, "
            f"{stats['facts']:,} facts, {stats['evidence']:,} evidence, {stats['events']:,} events; "
            f"N-Quads {len(nq) / 1e6:.0f} MB")
        qs = queries(stats["focus"])
        report["queries"] = {k: " ".join(v[len(PREFIXES):].split()) for k, v in qs.items()}

        # -- load
        log("load ...")
        t_mem, mem = timed(lambda: _ox_load_memory(nq))
        disk_path = tmp / "store"
        t_disk, n_disk = timed(lambda: _kg_store_bulk_load(disk_path, quads, nq))
        t_open, disk = timed(KGStore, disk_path, read_only=True)
        view_path = tmp / "view"
        t_view, view = timed(lambda: _ox_bulk_load(view_path, nq))
        assert len(mem) == len(view) == len(quads), (len(mem), len(view), len(quads))
        report["load"] = {"oxigraph_memory": t_mem, "oxigraph_disk_bulk_load": t_disk, "kg_store_quads": n_disk,
                          "kg_store_open_read_only": t_open, "oxigraph_disk_view_bulk_load": t_view}
        log(f"  oxigraph memory {t_mem:.2f} s, kg store on disk bulk_load {t_disk:.2f} s ({n_disk:,} quads with "
            f"the union; read-only open {t_open:.3f} s), bare quads on disk {t_view:.2f} s")

        rdflib_quads = quads
        rdflib_nq = nq
        if args.rdflib_triples and args.rdflib_triples < len(quads):
            rdflib_quads, _ = synthetic_quads(args.rdflib_triples, args.seed)
            rdflib_nq = ox.serialize(rdflib_quads, format=ox.RdfFormat.N_QUADS)
        report["rdflib_quads"] = len(rdflib_quads)
        gc.collect()
        t_rdf, ds = timed(lambda: _rdflib_load(Dataset, rdflib_nq))
        report["load"]["rdflib"] = t_rdf
        report["load"]["rdflib_quads"] = len(rdflib_quads)
        report["rss_mb_after_loads"] = rss_mb()
        log(f"  rdflib {t_rdf:.2f} s ({len(rdflib_quads):,} quads); peak RSS {rss_mb():.0f} MB")
        same_size = len(rdflib_quads) == len(quads)

        # -- queries
        log(f"SPARQL (median of {args.runs}) ...")
        t_dflt, dflt = timed(union_in_default_graph, quads)
        report["load"]["oxigraph_memory_union_in_default_graph"] = t_dflt
        engines = {"rdflib": lambda q: rdflib_rows(ds, q),
                   "ox_memory": lambda q: ox_rows(mem, q),
                   "ox_disk": lambda q: in_reader_thread(ox_store_rows, disk.ox, q),
                   "ox_disk_main_thread": lambda q: ox_store_rows(disk.ox, q),
                   "ox_disk_view": lambda q: ox_rows(view, q),
                   "ox_memory_default": lambda q: ox_default_rows(dflt, q)}
        graph_of = {"rdflib": "rdflib", "ox_memory": "full", "ox_disk": "full", "ox_disk_main_thread": "full",
                    "ox_disk_view": "full", "ox_memory_default": "full"}
        if not same_size:  # oxigraph on the rdflib-sized graph too, for the ratios
            small = ox.Store()
            small.load(rdflib_nq, format=ox.RdfFormat.N_QUADS)
            engines["ox_memory_same_size"] = lambda q: ox_rows(small, q)
            graph_of["ox_memory_same_size"] = "rdflib"
        else:
            graph_of["rdflib"] = "full"
        same = {e: graph_of[e] == graph_of["rdflib"] for e in engines if e != "rdflib"}
        sparql = bench_sparql(engines, qs, args.runs, args.rdflib_timeout)
        for name, row in sparql.items():
            check_rows(name, row, graph_of)
        add_ratios(sparql, same)
        report["sparql"] = sparql
        report["sparql_median_ratios"] = median_ratios(sparql)
        if args.named:
            log(f"kg's named queries (rdflib cut off at {args.named_timeout:.0f} s) ...")
            named_engines = {e: f for e, f in engines.items() if e not in ("ox_disk_view", "ox_disk_main_thread")}
            named = bench_sparql(named_engines, named_queries(), args.runs, args.named_timeout)
            for name, row in named.items():
                check_rows(name, row, graph_of)
            add_ratios(named, same)
            report["named_queries"] = named
        dflt = None

        # -- Turtle export
        log("Turtle export ...")
        t_union, union = timed(union_graph, ds)
        t_ser, text = timed(union.serialize, format="turtle")
        t_ox, data = timed(ox_union_turtle, mem)
        t_ox_disk, _ = timed(ox_union_turtle, view)
        report["turtle"] = {"rdflib_union_graph": t_union, "rdflib_serialize": t_ser,
                            "rdflib_total": t_union + t_ser, "rdflib_mb": len(text.encode("utf-8")) / 1e6,
                            "oxigraph_memory": t_ox, "oxigraph_disk": t_ox_disk, "oxigraph_mb": len(data) / 1e6,
                            "union_triples_rdflib": len(union)}
        if same_size:
            report["turtle"]["ratio_memory"] = (t_union + t_ser) / t_ox
            report["turtle"]["ratio_disk"] = (t_union + t_ser) / t_ox_disk
        union = text = data = None
        log(f"  rdflib {t_union:.2f} + {t_ser:.2f} s, oxigraph {t_ox:.2f} s (disk {t_ox_disk:.2f} s)")
        ds = mem = small = None
        gc.collect()

        # -- product export from the 1M on-disk store
        disk.close()
        disk = view = None
        gc.collect()
        kgstore = KGStore(disk_path)
        try:
            t_exp_ttl, _ = timed(export_store, kgstore, tmp / "export_ttl", ("ttl",))
        finally:
            kgstore.close()
        report["turtle"]["export_store_ttl"] = t_exp_ttl
        log(f"  export_store(ttl) on the on-disk store {t_exp_ttl:.2f} s")

        # -- one article
        log("one article ...")
        ex, t_model = extract_seed(args.article)
        identity = resolve([ex])
        report["model_load_seconds"] = t_model
        empty_path = tmp / "empty"
        KGStore(empty_path).close()
        add_empty = bench_add_article(empty_path, ex, identity)
        add_big = bench_add_article(disk_path, ex, identity)
        kgstore = KGStore(disk_path)
        try:
            t_refresh, _ = timed(export_store, kgstore, tmp / "refresh", ("ttl", "trig"))
            t_refresh_html, refreshed = timed(kg_refresh, kgstore, tmp / "refresh_html")
            t_dataset, dset = timed(kgstore.dataset)
            n_dataset = len(dset)
            dset = None
        finally:
            kgstore.close()
        log(f"  refresh with html {t_refresh_html:.2f} s ({refreshed.timings})")
        t_cli_query, proc = timed(subprocess.run, [sys.executable, "-m", "kg", "query", "who-met-whom", "--out",
                                                   str(tmp / "refresh_html"), "--store", str(disk_path), "--format",
                                                   "csv"], capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        cli_rows = len(proc.stdout.splitlines()) - 1
        gc.collect()
        sync_empty = bench_sync(empty_path, ex, identity)
        sync_big = bench_sync(disk_path, ex, identity)
        build_one = bench_build_one(args.article, tmp)
        resolve_times = bench_resolve(ex, args.resolve_sizes) if args.resolve_sizes else {}
        report["one_article"] = {
            "empty_store": add_empty, "big_store": add_big,
            "sync_empty_store": sync_empty, "sync_big_store": sync_big,
            "export_refresh_ttl_trig_big_store": t_refresh,
            "refresh_with_html_big_store": t_refresh_html, "refresh_timings": refreshed.timings,
            "cli_query_who_met_whom_big_store": t_cli_query, "cli_query_rows": cli_rows,
            "kgstore_dataset_big_store": t_dataset, "kgstore_dataset_quads": n_dataset,
            "build_alone": build_one,
            "resolve_over_stored_articles": resolve_times,
            "add_ratio_big_vs_empty": add_big["add_article"] / add_empty["add_article"],
            "add_big_vs_build_alone": add_big["add_article_and_flush"] / build_one["build_without_html"],
        }
        report["peak_rss_mb"] = rss_mb()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.json}")
    return report


def _ox_load_memory(nq: bytes):
    store = ox.Store()
    store.load(nq, format=ox.RdfFormat.N_QUADS)
    return store


def _kg_store_bulk_load(path: Path, quads, nq: bytes) -> int:
    """kg's store layout (see kg.store): the quads, their union in the default graph, the marker."""
    from kg.store import BOOK, BOOKKEEPING_GRAPH

    store = ox.Store(str(path))
    store.bulk_load(nq, format=ox.RdfFormat.N_QUADS)
    store.bulk_extend({ox.Quad(q.subject, q.predicate, q.object) for q in quads})
    book = ox.NamedNode(str(BOOKKEEPING_GRAPH))
    store.extend([ox.Quad(book, ox.NamedNode(str(BOOK.unionGraph)), ox.Literal(True), book)])
    store.flush()
    n = len(store)
    del store
    return n


def _ox_bulk_load(path: Path, nq: bytes):
    store = ox.Store(str(path))
    store.bulk_load(nq, format=ox.RdfFormat.N_QUADS)
    store.flush()
    return store


def _rdflib_load(Dataset, nq: bytes):
    ds = Dataset(default_union=True)
    ds.parse(data=nq.decode("utf-8"), format="nquads")
    return ds


ENGINE_TITLES = {"ox_memory": "ox mem", "ox_disk": "ox disk", "ox_disk_main_thread": "ox main", "ox_disk_view": "ox view",
                 "ox_memory_default": "ox dflt", "ox_memory_same_size": "ox same"}


def sparql_table(table: dict) -> None:
    first = next(iter(table.values()))
    oxs = [e for e in ENGINE_TITLES if e in first]
    ratios = [e for e in oxs if e in first["ratios"]]
    head = f"  {'query':<45} {'rows':>7} {'rdflib':>9} " + " ".join(f"{ENGINE_TITLES[e]:>8}" for e in oxs)
    head += "  " + " ".join(f"{ENGINE_TITLES[e] + ' x':>10}" for e in ratios)
    print(head)
    for name, row in table.items():
        rd = row["rdflib"]
        mark = ">" if row["ratio_is_lower_bound"] else " "
        rows = next(r["rows"] for r in row.values() if r["rows"] is not None)
        rd_text = f"{rd['seconds']:9.3f}" if rd["seconds"] is not None else f"{'>' + format(rd['timeout'], '.0f'):>9}"
        line = f"  {name:<45} {rows:>7} {rd_text} " + " ".join(f"{row[e]['seconds']:8.3f}" for e in oxs)
        line += "  " + " ".join(f"{mark + format(row['ratios'][e], '.1f'):>10}" for e in ratios)
        print(line)


def print_table(r: dict) -> None:
    g = r["graph"]
    print(f"\nsynthetic graph: {g['quads']:,} quads ({g['articles']:,} article graphs, {g['entities']:,} entities, "
          f"{g['facts']:,} facts, {g['evidence']:,} evidence records, {g['events']:,} events); "
          f"rdflib side: {r['rdflib_quads']:,} quads")
    load = r["load"]
    print("\nload (same N-Quads document)")
    print(f"  rdflib Dataset            {load['rdflib']:9.2f} s")
    print(f"  oxigraph memory (load)    {load['oxigraph_memory']:9.2f} s   ({load['rdflib'] / load['oxigraph_memory']:.1f}x)")
    print(f"  kg store on disk (bulk_load, with the union) {load['oxigraph_disk_bulk_load']:9.2f} s   "
          f"({load['rdflib'] / load['oxigraph_disk_bulk_load']:.1f}x; {load['kg_store_quads']:,} quads)")
    t = r["turtle"]
    print("\nTurtle export of the union")
    print(f"  rdflib (union graph + serializer) {t['rdflib_total']:9.2f} s ({t['rdflib_union_graph']:.2f} + {t['rdflib_serialize']:.2f})")
    rm = f"   ({t['ratio_memory']:.1f}x)" if t.get("ratio_memory") else ""
    rdk = f"   ({t['ratio_disk']:.1f}x)" if t.get("ratio_disk") else ""
    print(f"  oxigraph memory serialize         {t['oxigraph_memory']:9.2f} s{rm}")
    print(f"  oxigraph disk serialize (quads)   {t['oxigraph_disk']:9.2f} s{rdk}")
    print(f"  kg export_store(ttl), disk store  {t['export_store_ttl']:9.2f} s (sorted, atomic write)")
    print("\nSPARQL, union of all graphs, median seconds; x = rdflib time / oxigraph time ('>': rdflib cut off)")
    print("  ox mem/ox view: use_default_graph_as_union=True (memory / bare quads on disk); ox disk: kg's store,"
          " read-only, union in its default graph, evaluated on kg's store-reader thread as kg query does;"
          " ox main: the same from this process's main thread (this benchmark's method before 2026-11-23);"
          " ox dflt: the union in an in-memory default graph")
    sparql_table(r["sparql"])
    print("  median ratio: " + ", ".join(f"{ENGINE_TITLES[e]} {v:.1f}x" for e, v in r["sparql_median_ratios"].items())
          + "  (target >= 20x)")
    if "named_queries" in r:
        print("\nkg's named queries (kg/queries/*.rq), same graph")
        sparql_table(r["named_queries"])
    o = r["one_article"]
    b = o["build_alone"]
    print("\nadding one article (seeds/000)")
    print(f"  KGStore.add_article, empty store         {o['empty_store']['add_article'] * 1000:9.1f} ms "
          f"(+flush {o['empty_store']['add_article_and_flush'] * 1000:.1f} ms; {o['empty_store']['quads_added']} quads)")
    print(f"  KGStore.add_article, {o['big_store']['store_triples']:,}-quad store {o['big_store']['add_article'] * 1000:9.1f} ms "
          f"(+flush {o['big_store']['add_article_and_flush'] * 1000:.1f} ms; ratio {o['add_ratio_big_vs_empty']:.2f})")
    print(f"  KGStore.remove_articles, big store       {o['big_store']['remove_articles'] * 1000:9.1f} ms")
    print(f"  export refresh (ttl+trig), big store     {o['export_refresh_ttl_trig_big_store']:9.2f} s")
    print(f"  kg.build.refresh with html, big store    {o['refresh_with_html_big_store']:9.2f} s "
          f"({', '.join(f'{k} {v:.2f} s' for k, v in o['refresh_timings'].items())})")
    print(f"  KGStore.dataset() (rdflib copy), big     {o['kgstore_dataset_big_store']:9.2f} s (kg show/path/stats/validate load it)")
    print(f"  python -m kg query who-met-whom, big     {o['cli_query_who_met_whom_big_store']:9.2f} s "
          f"({o['cli_query_rows']} rows; start-up included)")
    print(f"  KGStore.sync (add + identity + flush)    {o['sync_empty_store'] * 1000:9.1f} ms empty store, "
          f"{o['sync_big_store'] * 1000:.1f} ms big store")
    print(f"  build of that article alone (no html)    {b['build_without_html'] * 1000:9.1f} ms "
          f"(model load excluded; with html {b['build_with_html'] * 1000:.0f} ms)")
    print(f"  python -m kg build, one article, memory  {b['cli_subprocess_with_model_load']:9.2f} s (with model load)")
    print(f"  model load                               {r['model_load_seconds']:9.2f} s")
    for n, secs in o["resolve_over_stored_articles"].items():
        print(f"  resolve() over {n:>5} stored articles     {secs:9.2f} s (every build recomputes identity)")
    print(f"\npeak RSS {r['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
