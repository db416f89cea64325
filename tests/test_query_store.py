"""kg query (and the exploration commands) reading the store directly: Oxigraph, read-only.

The store path must answer as graph.trig loaded with rdflib does (the default graph is the
union as a set of triples, the bookkeeping graph is invisible, parameters are bindings), fall
back to graph.trig whenever the store is not what graph.trig shows, and never wait for or
block a build.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from kg.build import build
from kg.graph import union_graph
from kg.ontology import KGID
from kg.query import StoreGraph, format_result, load_graph, named_queries, named_query, open_graph, run_query
from kg.store import EXPORTS_FILE, KGStore, store_shows
from test_store import LAVROV_A, MET_A, MET_B, ok, run, write  # the store tests' articles and helpers

# the module (``kg.query`` as an attribute is the function run_query, re-exported by kg/__init__)
kq = importlib.import_module("kg.query")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PY = sys.executable

LAVROV = LAVROV_A
MET = "SELECT ?a ?b WHERE { ?a kg:met ?b } ORDER BY ?a ?b"
INJECTIONS = ['x" } ; DROP ALL ; { "', 'Sergei Shoigu" } UNION { ?node rdfs:label ?label } #', "}"]


def no_trig(*_args, **_kwargs):
    raise AssertionError("graph.trig was parsed although the store could answer")


def rows(result) -> list[tuple]:
    return [tuple(None if v is None else str(v) for v in r) for r in result]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds-store")
    build([SEEDS], out, html=False)
    return out


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    """Two articles that both say Holloway met Tanaka: each fact is in two article graphs."""
    src = tmp_path_factory.mktemp("shared-in")
    write(src / "a.txt", MET_A)
    write(src / "b.txt", MET_B)
    out = tmp_path_factory.mktemp("shared-out")
    build([src], out, html=False)
    return out


# ---------------------------------------------------------------- which source answers


def test_a_fresh_build_is_queried_on_its_store(seeds, monkeypatch):
    assert store_shows(seeds / "store", seeds / "graph.trig")
    graph = open_graph(seeds)
    try:
        assert isinstance(graph, StoreGraph) and graph.store.read_only
    finally:
        graph.close()
    monkeypatch.setattr(kq, "_load_trig", no_trig)
    result = ok(run("query", "who-met-whom", "--out", seeds))
    assert "Kim Jong Un" in result.output and "(1 row)" in result.output


def test_union_is_a_set_of_triples_as_in_graph_trig(shared):
    with open_graph(shared) as graph:
        assert isinstance(graph, StoreGraph)
        on_store = rows(run_query(graph, MET))
        count = rows(run_query(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    on_trig = rows(run_query(kq._load_trig(shared), MET))
    # two articles hold each direction of the fact: still two rows, not four
    assert on_store == on_trig and len(on_store) == 2
    assert count == rows(run_query(kq._load_trig(shared), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(count[0][0]) == len(union_graph(kq._load_trig(shared)))


def test_graph_queries_see_articles_and_identity_never_the_bookkeeping(shared):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    with open_graph(shared) as graph:
        graphs = [g for (g,) in rows(run_query(graph, query))]
        hidden = rows(run_query(graph, f"SELECT * WHERE {{ GRAPH <{KGID['graph/bookkeeping']}> {{ ?s ?p ?o }} }}"))
        extraction = rows(run_query(graph, "SELECT * WHERE { ?s kg:extraction ?x }"))
    assert graphs == [g for (g,) in rows(run_query(kq._load_trig(shared), query))]
    assert len(graphs) == 3 and str(KGID["graph/identity"]) in graphs
    assert hidden == [] and extraction == []


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_answer_as_on_graph_trig(seeds, name):
    params = {"entity": "Sergei Shoigu"} if named_queries()[name].params else {}
    with open_graph(seeds) as graph:
        on_store = named_query(graph, name, **params)
    on_trig = named_query(kq._load_trig(seeds), name, **params)
    assert [str(v) for v in on_store.vars] == [str(v) for v in on_trig.vars]
    a, b = rows(on_store), rows(on_trig)
    assert len(a) == len(b) > 0

    def comparable(row):
        # GROUP_CONCAT lists and SAMPLE values follow each engine's own order
        return tuple(None if v is None else (tuple(sorted(v.split(", "))) if name in ("timeline", "who-met-whom") else v)
                     for i, v in enumerate(row) if not (name == "neighbourhood" and str(on_store.vars[i]) == "sentence"))

    assert [comparable(r) for r in a] == [comparable(r) for r in b]
    # and the output formats work on both
    for fmt in ("table", "csv", "json"):
        assert format_result(on_store, fmt)


@pytest.mark.parametrize("value", INJECTIONS)
def test_parameters_are_bindings_on_the_store_too(seeds, value):
    before = sorted(str(q) for q in KGStore(seeds / "store", read_only=True).ox)
    with open_graph(seeds) as graph:
        assert rows(named_query(graph, "neighbourhood", entity=value)) == []
        assert rows(run_query(graph, "SELECT ?x WHERE { BIND (?v AS ?x) }", {"v": value})) == [(value,)]
    result = ok(run("query", "neighbourhood", "--param", f"entity={value}", "--out", seeds))
    assert "(0 rows)" in result.output
    assert sorted(str(q) for q in KGStore(seeds / "store", read_only=True).ox) == before


@pytest.mark.parametrize("query,message", [
    ("SELEKT ?x WHERE { ?x ?y ?z }", "kg: error: bad SPARQL query"),
    ("SELECT ?x WHERE { ?x nosuchprefix:p ?z }", "kg: error: bad SPARQL query"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "kg: error: bad SPARQL query"),
    ("SELECT ?x WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?x ?y ?z } }", "kg: error: SPARQL query failed"),
])
def test_errors_on_the_store_are_one_line_and_exit_2(seeds, monkeypatch, query, message):
    monkeypatch.setattr(kq, "_load_trig", no_trig)
    result = run("query", query, "--out", seeds)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert "Traceback" not in result.output + result.stderr and result.stdout == ""


def test_ask_construct_and_formats_on_the_store(shared, monkeypatch):
    monkeypatch.setattr(kq, "_load_trig", no_trig)
    ask = ok(run("query", "ASK { ?s kg:met ?o }", "--out", shared, "--format", "json"))
    assert json.loads(ask.stdout)["boolean"] is True
    data = json.loads(ok(run("query", MET, "--out", shared, "--format", "json")).stdout)
    assert data["head"]["vars"] == ["a", "b"] and len(data["results"]["bindings"]) == 2
    assert all(b["a"]["type"] == "uri" for b in data["results"]["bindings"])
    construct = ok(run("query", "CONSTRUCT { ?s kg:met ?o } WHERE { ?s kg:met ?o }", "--out", shared))
    assert "kg:met" in construct.output
    table = ok(run("query", MET, "--out", shared)).output
    assert "(2 rows)" in table and str(KGID["person/marcus-holloway"]) in table


def test_load_graph_from_the_store_equals_graph_trig(seeds, monkeypatch):
    on_trig = kq._load_trig(seeds)
    monkeypatch.setattr(kq, "_load_trig", no_trig)
    on_store = load_graph(seeds)
    assert isomorphic(union_graph(on_store), union_graph(on_trig))
    names = {c.identifier for c in on_store.graphs() if len(c)}
    assert names == {c.identifier for c in on_trig.graphs() if len(c)}
    for name in names:
        assert isomorphic(on_store.graph(name), on_trig.graph(name)), name
    # and the commands built on it
    assert "Kim Jong Un" in ok(run("show", "Kim Jong Un", "--out", seeds)).output
    assert "conforms" in ok(run("validate", "--out", seeds)).output
    assert "most central" in ok(run("stats", "--out", seeds)).output


# ---------------------------------------------------------------- falling back to graph.trig


def test_a_memory_build_over_a_folder_with_a_store_is_answered_from_graph_trig(tmp_path):
    write(tmp_path / "a" / "a.txt", MET_A)
    write(tmp_path / "b" / "b.txt", LAVROV)
    out = tmp_path / "out"
    ok(run("build", tmp_path / "a", "--out", out))
    ok(run("build", tmp_path / "b", "--out", out, "--store", "memory"))  # the store still has a.txt only
    assert not store_shows(out / "store", out / "graph.trig")
    assert not isinstance(open_graph(out), StoreGraph)
    result = ok(run("query", MET, "--out", out))
    assert "sergei-lavrov" in result.output and "marcus-holloway" not in result.output
    # --store asks for the store whatever graph.trig shows
    result = ok(run("query", MET, "--out", out, "--store", out / "store"))
    assert "marcus-holloway" in result.output and "sergei-lavrov" not in result.output


def test_every_write_forgets_the_exports_until_they_are_rewritten(tmp_path, monkeypatch):
    write(tmp_path / "in" / "a.txt", MET_A)
    out = tmp_path / "out"
    ok(run("build", tmp_path / "in", "--out", out))
    assert store_shows(out / "store", out / "graph.trig")
    # a build that fails after writing to the store (here: while writing the exports)
    write(tmp_path / "in" / "b.txt", LAVROV)
    from kg.export import rdf

    def broken(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(rdf, "write_exports", broken)
    with pytest.raises(OSError):
        build([tmp_path / "in"], out, html=False)
    monkeypatch.undo()
    assert not (out / "store" / EXPORTS_FILE).exists()
    assert not isinstance(open_graph(out), StoreGraph)  # graph.trig: the last complete build
    assert "sergei-lavrov" not in ok(run("query", MET, "--out", out)).output
    ok(run("export", "--out", out, "--format", "trig"))  # the exports catch up with the store
    assert store_shows(out / "store", out / "graph.trig")
    assert "sergei-lavrov" in ok(run("query", MET, "--out", out)).output
    # an edited graph.trig is not what the store shows
    os.utime(out / "graph.trig", ns=(time.time_ns(), time.time_ns() + 10**9))
    assert not store_shows(out / "store", out / "graph.trig")


def test_no_graph_at_all_is_a_one_line_error(tmp_path):
    result = run("query", MET, "--out", tmp_path / "nothing")
    assert result.exit_code == 1 and "no built graph" in result.stderr
    result = run("query", MET, "--out", tmp_path / "nothing", "--store", tmp_path / "nothing" / "store")
    assert result.exit_code == 1 and "no store" in result.stderr
    assert not (tmp_path / "nothing").exists()  # a reader creates nothing


def test_store_without_graph_trig_is_still_queried(tmp_path):
    write(tmp_path / "in" / "a.txt", MET_A)
    out = tmp_path / "out"
    build([tmp_path / "in"], out, html=False)
    (out / "graph.trig").unlink()
    assert "(2 rows)" in ok(run("query", MET, "--out", out)).output


# ---------------------------------------------------------------- never waiting for a build

HOLD = ("import sys, time\n"
        "from kg.store import KGStore\n"
        "s = KGStore(sys.argv[1])\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n")


def test_query_while_another_process_holds_the_store(tmp_path, shared):
    holder = subprocess.Popen([PY, "-c", HOLD, str(shared / "store")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        t0 = time.monotonic()
        result = ok(run("query", MET, "--out", shared, "--store", shared / "store"))
        assert "(2 rows)" in result.output and time.monotonic() - t0 < 10
        assert "(2 rows)" in ok(run("query", MET, "--out", shared)).output
    finally:
        holder.kill()
        holder.wait()


def invented(i: int) -> str:
    names = ["Marcus Holloway", "Elena Petrova", "Hiroshi Tanaka", "Amara Okafor", "Pavel Novak", "Ingrid Berger"]
    a, b = names[i % 6], names[(i + 1 + i // 6) % 6]
    lines = [f"date 2024-02-1{i % 10} - Talks {i}"]
    lines += [f"General {a} met Foreign Minister {b} in Geneva on Monday, officials said in statement {i}-{k}."
              for k in range(15)]
    return "\n".join(lines) + "\n"


def test_queries_during_a_build_answer_from_a_complete_graph(tmp_path):
    src = tmp_path / "in"
    write(src / "first.txt", MET_A)
    out = tmp_path / "out"
    ok(run("build", src, "--out", out))
    before = rows(run_query(kq._load_trig(out), MET))
    for i in range(30):
        write(src / f"more{i:02d}.txt", invented(i))
    proc = subprocess.Popen([PY, "-m", "kg", "build", str(src), "--out", str(out), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    answers, sources = [], set()
    try:
        while proc.poll() is None:
            graph = open_graph(out)
            sources.add(type(graph).__name__)
            try:
                answers.append(rows(run_query(graph, MET)))
            finally:
                if isinstance(graph, StoreGraph):
                    graph.close()
    finally:
        proc.wait()
    assert proc.returncode == 0, proc.stderr.read().decode()
    after = rows(run_query(kq._load_trig(out), MET))
    print(f"\n{len(answers)} answers during the build, from {sorted(sources)}")
    assert len(answers) > 3 and len(after) > len(before)
    # every answer is the graph of one whole build: the one before or the one after
    odd = sorted({len(a) for a in answers if a not in (before, after)})
    assert not odd, f"answers of {odd} rows; before {len(before)}, after {len(after)}"
    with open_graph(out) as graph:
        assert rows(run_query(graph, MET)) == after


def test_sparql_on_the_store_is_evaluated_on_the_reader_thread(seeds):
    """kg query's SPARQL runs (and its results are read) on kg's store-reader thread, which has
    a malloc arena of its own (see kg.store.in_reader_thread), not on the caller's thread."""
    import threading

    from kg.store import in_reader_thread

    reader = in_reader_thread(threading.get_ident)
    seen = []

    class Spy:
        def __init__(self, inner):
            self.inner = inner

        def query(self, *args, **kwargs):
            seen.append(threading.get_ident())
            return self.inner.query(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    with open_graph(seeds) as graph:
        assert isinstance(graph, StoreGraph)
        graph.store.ox = Spy(graph.store.ox)
        assert rows(run_query(graph, MET)) and seen == [reader]
        with pytest.raises(kq.QueryError, match="bad SPARQL"):
            run_query(graph, "SELECT ?a WHERE { ?a kg:met }")  # errors still reach the caller
        assert seen == [reader, reader]
