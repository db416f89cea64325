"""The persistent store (issue 5): idempotent and incremental builds, retraction,
--store memory, the lock, a SIGKILLed build, SHACL validation and the exports."""

from __future__ import annotations

import glob
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.build import build
from kg.cli import cli
from kg.graph import IDENTITY_GRAPH, article_iri, identity_triples
from kg.ingest import read_article
from kg.ontology import KG, KGID
from kg.store import BOOKKEEPING_GRAPH, KGStore, to_ox

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
PY = sys.executable
# the module (``kg.build`` as an attribute is the function, re-exported by kg/__init__)
BUILD = importlib.import_module("kg.build")
ARTICLE_NS = str(KGID["article/"])

LAVROV_A = (
    "date 2024-03-04 - Lavrov in Beijing\n"
    "Russian Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi in Beijing on Monday.\n"
    "The two ministers discussed trade and security.\n"
)
LAVROV_B = (
    "date 2024-03-08 - Lavrov in Ankara\n"
    "Foreign Minister Sergey Lavrov met Turkish Foreign Minister Hakan Fidan in Ankara on Thursday.\n"
    "Lavrov later visited the port of Mersin.\n"
)
MET_A = (
    "date 2024-05-06 - Talks in Geneva\n"
    "US General Marcus Holloway met Japanese Foreign Minister Hiroshi Tanaka in Geneva on Monday.\n"
    "The talks lasted two hours.\n"
)
MET_B = (
    "date 2024-05-07 - Geneva talks continue\n"
    "Japanese Foreign Minister Hiroshi Tanaka met US General Marcus Holloway in Geneva on Tuesday.\n"
    "Officials described the meeting as constructive.\n"
)
HOLLOWAY = KGID["person/marcus-holloway"]
TANAKA = KGID["person/hiroshi-tanaka"]

# ---------------------------------------------------------------- helpers


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"KG_SPACY_MODEL": None})


def ok(result):
    assert result.exit_code == 0, result.output + result.stderr
    return result


def one_error_line(result) -> str:
    """A failed command: exit code != 0, one `kg: error:` line on stderr, no traceback."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: "), lines[0]
    return lines[0]


def ttl(out: Path) -> Graph:
    return Graph().parse(Path(out) / "graph.ttl", format="turtle")


def trig_quads(out: Path) -> set:
    """graph.trig as a set of (s, p, o, graph name); our graphs have no blank nodes."""
    ds = Dataset()
    ds.parse(Path(out) / "graph.trig", format="trig")
    quads = {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in ds.quads((None, None, None, None))}
    assert not any(isinstance(t, BNode) for q in quads for t in q)
    return quads


def store_quads(path: Path) -> set[str]:
    store = KGStore(path, read_only=True)
    try:
        return {str(q) for q in store.ox}
    finally:
        store.close()


def store_len(path: Path) -> int:
    store = KGStore(path)
    try:
        return len(store)
    finally:
        store.close()


def same_graph(out_a: Path, out_b: Path) -> None:
    """graph.ttl isomorphic, and graph.trig has the same quads in the same named graphs."""
    assert isomorphic(ttl(out_a), ttl(out_b)), f"graph.ttl of {out_a} and {out_b} differ"
    qa, qb = trig_quads(out_a), trig_quads(out_b)
    assert qa == qb, f"only in {out_a}: {sorted(qa - qb)[:5]}; only in {out_b}: {sorted(qb - qa)[:5]}"


def no_nlp(*_args, **_kwargs):
    raise AssertionError("the spaCy model was loaded for articles already in the store")


def copy_built(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


# ---------------------------------------------------------------- shared builds


@pytest.fixture(scope="module")
def seeds_both(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds_both")
    result = build([SEEDS], out, html=False)
    assert result.articles == 2 and result.new == 2
    return out


@pytest.fixture(scope="module")
def seed_alone(tmp_path_factory) -> dict[str, Path]:
    """Each seed built alone, by file name."""
    outs = {}
    for f in SEED_FILES:
        out = tmp_path_factory.mktemp("alone_" + f.stem)
        build([f], out, html=False)
        outs[f.name] = out
    return outs


def test_there_are_two_seeds():
    assert len(SEED_FILES) == 2


# ---------------------------------------------------------------- idempotent builds


def test_building_the_same_input_twice_leaves_the_store_unchanged(tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = build([SEEDS], out, html=False)
    assert first.new == 2
    n_before, quads_before = store_len(out / "store"), store_quads(out / "store")
    graph_before = ttl(out)
    assert n_before > 0 and len(graph_before) > 0

    monkeypatch.setattr(BUILD, "load_nlp", no_nlp)
    second = build([SEEDS], out, html=False)
    assert second.read == 2 and second.new == 0 and second.articles == 2
    assert store_len(out / "store") == n_before
    assert store_quads(out / "store") == quads_before
    assert isomorphic(ttl(out), graph_before)


def test_cli_second_build_reports_no_new_article(tmp_path, monkeypatch):
    write(tmp_path / "in" / "a.txt", MET_A)
    out = tmp_path / "out"
    first = ok(run("build", tmp_path / "in", "--out", out))
    assert "(new: 1, already in the store: 0)" in first.output
    monkeypatch.setattr(BUILD, "load_nlp", no_nlp)
    second = ok(run("build", tmp_path / "in", "--out", out))
    assert "(new: 0, already in the store: 1)" in second.output


# ---------------------------------------------------------------- incremental builds


def test_seeds_in_two_builds_equal_one_build(tmp_path, seeds_both):
    out = tmp_path / "out"
    first = build([SEED_FILES[0]], out, html=False)
    second = build([SEED_FILES[1]], out, html=False)
    assert (first.new, second.new, second.articles) == (1, 1, 2)
    same_graph(out, seeds_both)


def test_two_workers_build_the_same_graph_and_leave_the_pipeline_as_it_was(tmp_path):
    from kg.build import extract_articles
    from kg.ingest import read_articles
    from kg.nlp import load_nlp

    write(tmp_path / "in" / "met_a.txt", MET_A)
    write(tmp_path / "in" / "lavrov_a.txt", LAVROV_A)
    build([tmp_path / "in"], tmp_path / "one", html=False)
    build([tmp_path / "in"], tmp_path / "two", html=False, workers=2)
    same_graph(tmp_path / "one", tmp_path / "two")
    # the workers send back only the extraction; the caller's pipeline is unchanged after
    nlp = load_nlp()
    names = list(nlp.pipe_names)
    articles, _ = read_articles([tmp_path / "in"])
    two = [ex.to_dict() for ex in extract_articles(nlp, articles, workers=2)]
    assert nlp.pipe_names == names
    assert two == [ex.to_dict() for ex in extract_articles(nlp, articles)]
    assert any(ex["relations"] for ex in two)


def test_a_failed_store_write_leaves_the_previous_exports(tmp_path, monkeypatch):
    """The store is written on another thread while the exports render: when that write fails,
    the build fails with its error and no export file is replaced."""
    write(tmp_path / "in" / "met_a.txt", MET_A)
    out = tmp_path / "out"
    build([tmp_path / "in"], out)
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.trig", "graph.html")}
    write(tmp_path / "in" / "lavrov_a.txt", LAVROV_A)

    def full(self, write):
        raise OSError("no space left on device")

    monkeypatch.setattr(KGStore, "apply", full)
    with pytest.raises(OSError, match="no space left"):
        build([tmp_path / "in"], out)
    monkeypatch.undo()
    assert {name: (out / name).read_bytes() for name in before} == before
    assert not [f for f in os.listdir(out) if f.endswith(".tmp")]


def test_adding_an_article_runs_nlp_on_it_alone(tmp_path, monkeypatch):
    write(tmp_path / "in" / "a.txt", LAVROV_A)
    out = tmp_path / "out"
    build([tmp_path / "in"], out, html=False)
    write(tmp_path / "in" / "b.txt", LAVROV_B)
    seen = []
    real = BUILD.extract_articles

    def spy(nlp, articles, **kw):
        seen.extend(a.source for a in articles)
        return real(nlp, articles, **kw)

    monkeypatch.setattr(BUILD, "extract_articles", spy)
    result = build([tmp_path / "in"], out, html=False)
    assert (result.read, result.new, result.articles) == (2, 1, 2)
    assert [Path(s).name for s in seen] == ["b.txt"]


def lavrov_nodes(g: Graph) -> set:
    return {s for pred in (RDFS.label, SKOS.altLabel) for s, o in g.subject_objects(pred)
            if "Lavrov" in str(o) and (s, RDF.type, KG.Person) in g}


def test_cross_article_resolution_across_separate_builds(tmp_path):
    a = write(tmp_path / "in_a" / "lavrov_a.txt", LAVROV_A)
    b = write(tmp_path / "in_b" / "lavrov_b.txt", LAVROV_B)
    inc = tmp_path / "incremental"
    build([a], inc, html=False)
    build([b], inc, html=False)
    once = tmp_path / "once"
    build([a, b], once, html=False)
    same_graph(inc, once)

    g = ttl(inc)
    nodes = lavrov_nodes(g)
    assert len(nodes) == 1, sorted(nodes)
    lavrov = nodes.pop()
    names = {str(x) for x in g.objects(lavrov, RDFS.label)} | {str(x) for x in g.objects(lavrov, SKOS.altLabel)}
    assert {"Sergei Lavrov", "Sergey Lavrov"} <= names
    assert len(list(g.objects(lavrov, RDFS.label))) == 1
    assert (lavrov, KG.met, KGID["person/wang-yi"]) in g
    assert (lavrov, KG.met, KGID["person/hakan-fidan"]) in g
    # both articles' evidence points at the one node
    sources = {g.value(ev, PROV.wasDerivedFrom) for ev in g.subjects(RDF.subject, lavrov)}
    assert sources == {article_iri(read_article(a).id), article_iri(read_article(b).id)}


# ---------------------------------------------------------------- retraction


def _ref(kind: str, path: Path) -> str:
    aid = read_article(path).id
    return {"path": str(path), "hash": aid[:8], "full-hash": aid, "iri": str(article_iri(aid))}[kind]


@pytest.mark.parametrize("kind", ["path", "hash", "iri"])
@pytest.mark.parametrize("removed", [0, 1])
def test_remove_one_seed_equals_building_the_other_alone(tmp_path, seeds_both, seed_alone, kind, removed):
    out = copy_built(seeds_both, tmp_path / "out")
    gone, kept = SEED_FILES[removed], SEED_FILES[1 - removed]
    result = ok(run("remove", _ref(kind, gone), "--out", out))
    assert f"removed: {read_article(gone).id}" in result.output
    same_graph(out, seed_alone[kept.name])
    store = KGStore(out / "store")
    try:
        assert store.article_ids() == {read_article(kept).id}
        assert not store.ox.contains_named_graph(to_ox(article_iri(read_article(gone).id)))
    finally:
        store.close()


def test_remove_full_hash_and_two_at_once(tmp_path, seeds_both):
    out = copy_built(seeds_both, tmp_path / "out")
    ok(run("remove", _ref("full-hash", SEED_FILES[0]), _ref("iri", SEED_FILES[1]), "--out", out))
    g = ttl(out)
    assert not list(g.subjects(RDF.type, KG.Article))
    assert not list(g.subjects(RDF.type, KG.Evidence))
    store = KGStore(out / "store")
    try:
        assert store.article_ids() == set()
        assert store.extractions() == []
    finally:
        store.close()


def test_fact_supported_by_two_articles_survives_removing_one(tmp_path):
    a = write(tmp_path / "in" / "met_a.txt", MET_A)
    b = write(tmp_path / "in" / "met_b.txt", MET_B)
    out = tmp_path / "out"
    build([tmp_path / "in"], out, html=False)
    a_iri, b_iri = article_iri(read_article(a).id), article_iri(read_article(b).id)

    def met_sources(g):
        evs = [ev for ev in g.subjects(RDF.predicate, KG.met)
               if g.value(ev, RDF.subject) == HOLLOWAY and g.value(ev, RDF.object) == TANAKA]
        return {g.value(ev, PROV.wasDerivedFrom) for ev in evs}

    g = ttl(out)
    assert (HOLLOWAY, KG.met, TANAKA) in g and (TANAKA, KG.met, HOLLOWAY) in g
    assert met_sources(g) == {a_iri, b_iri}

    ok(run("remove", a, "--out", out))
    g = ttl(out)
    assert (HOLLOWAY, KG.met, TANAKA) in g and (TANAKA, KG.met, HOLLOWAY) in g
    assert met_sources(g) == {b_iri}
    assert not list(g.triples((a_iri, None, None))) and not list(g.triples((None, None, a_iri)))
    quads = trig_quads(out)
    assert (HOLLOWAY, KG.met, TANAKA, b_iri) in quads
    assert not any(q[3] == a_iri for q in quads)
    alone = tmp_path / "alone"
    build([b], alone, html=False)
    same_graph(out, alone)


def test_removed_article_can_be_built_again(tmp_path, seeds_both):
    out = copy_built(seeds_both, tmp_path / "out")
    ok(run("remove", SEED_FILES[0], "--out", out))
    again = build([SEEDS], out, html=False)
    assert again.new == 1
    same_graph(out, seeds_both)


@pytest.mark.parametrize("refs", [
    ["ffffffffffff"],
    ["https://w3id.org/kg-news/id/article/0000000000000000"],
    ["GOOD", "ffffffffffff"],  # nothing is removed when one ref is unknown
])
def test_remove_unknown_article_is_a_one_line_error(tmp_path, seeds_both, refs):
    out = copy_built(seeds_both, tmp_path / "out")
    before = store_quads(out / "store")
    ttl_before = (out / "graph.ttl").read_bytes()
    refs = [str(SEED_FILES[0]) if r == "GOOD" else r for r in refs]
    line = one_error_line(run("remove", *refs, "--out", out))
    assert "no such article" in line
    assert store_quads(out / "store") == before
    assert (out / "graph.ttl").read_bytes() == ttl_before


def test_remove_an_unstored_file_is_a_one_line_error(tmp_path, seeds_both):
    out = copy_built(seeds_both, tmp_path / "out")
    other = write(tmp_path / "other.txt", MET_A)
    line = one_error_line(run("remove", other, "--out", out))
    assert "no such article" in line and "other.txt" in line


# ---------------------------------------------------------------- --store


def test_store_memory_creates_no_store_folder(tmp_path):
    write(tmp_path / "in" / "a.txt", MET_A)
    out = tmp_path / "out"
    ok(run("build", tmp_path / "in", "--out", out, "--store", "memory"))
    assert not (out / "store").exists()
    assert not (Path.cwd() / "memory").exists()
    assert (HOLLOWAY, KG.met, TANAKA) in ttl(out)
    # nothing persisted: a second memory build runs NLP again
    again = ok(run("build", tmp_path / "in", "--out", out, "--store", "memory"))
    assert "(new: 1, already in the store: 0)" in again.output


def test_store_path_option(tmp_path):
    write(tmp_path / "in" / "a.txt", MET_A)
    out, store = tmp_path / "out", tmp_path / "elsewhere"
    ok(run("build", tmp_path / "in", "--out", out, "--store", store))
    assert store.is_dir() and not (out / "store").exists()
    assert store_len(store) > 0
    ok(run("export", "--out", out, "--store", store, "--format", "nq"))
    assert (out / "graph.nq").stat().st_size > 0


def test_export_without_a_store_is_a_one_line_error(tmp_path):
    line = one_error_line(run("export", "--out", tmp_path / "nothing"))
    assert "no store" in line


# ---------------------------------------------------------------- the lock


HOLD = ("import sys, time\n"
        "from kg.store import KGStore\n"
        "s = KGStore(sys.argv[1])\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n")


def test_build_on_a_store_in_use_fails_clearly(tmp_path):
    write(tmp_path / "in" / "a.txt", MET_A)
    out = tmp_path / "out"
    ok(run("build", tmp_path / "in", "--out", out))
    write(tmp_path / "in" / "b.txt", LAVROV_A)
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.trig")}
    holder = subprocess.Popen([PY, "-c", HOLD, str(out / "store")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        for args in (["build", tmp_path / "in", "--out", out],
                     ["remove", tmp_path / "in" / "a.txt", "--out", out],
                     ["export", "--out", out, "--format", "ttl"]):
            line = one_error_line(run(*args))
            assert "in use" in line, line
            assert str(out / "store") in line
        for name, data in before.items():
            assert (out / name).read_bytes() == data, name
    finally:
        holder.kill()
        holder.wait()
    # released: the build goes through now
    result = ok(run("build", tmp_path / "in", "--out", out))
    assert "(new: 1, already in the store: 1)" in result.output


# ---------------------------------------------------------------- SIGKILL

FIRST = ["Marcus", "Elena", "Hiroshi", "Amara", "Pavel", "Ingrid", "Tomas", "Leila", "Viktor", "Sofia",
         "Rafael", "Mei", "Anders", "Nadia", "Kofi", "Irina", "Jonas", "Yusuf", "Clara", "Dmitri"]
LAST = ["Holloway", "Petrova", "Tanaka", "Okafor", "Novak", "Lindqvist", "Berger", "Haddad", "Sorensen", "Marquez",
        "Chen", "Kowalski", "Mensah", "Ivanova", "Fischer", "Demir", "Moreau", "Volkov", "Santos", "Nakamura"]
TITLES = ["General", "Foreign Minister", "Defense Minister", "Admiral", "President", "Prime Minister"]
CITIES = ["Geneva", "Vienna", "Oslo", "Ankara", "Nairobi", "Lisbon", "Warsaw", "Helsinki", "Seoul", "Manila"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
N_KILL = 40


def invented_article(i: int) -> str:
    import random

    rng = random.Random(i)
    lines = [f"date 2024-0{1 + i % 9}-1{i % 10} - Talks number {i}"]
    for _ in range(12):
        a = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        b = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if a == b:
            continue
        lines.append(f"{rng.choice(TITLES)} {a} met {rng.choice(TITLES)} {b} in {rng.choice(CITIES)} on {rng.choice(DAYS)}.")
        lines.append(f"Later, {a.split()[1]} visited the port of {rng.choice(CITIES)} and inspected the Su-57 fighter jets.")
    return "\n".join(lines) + "\n"


DEFAULT = "(default graph)"


def graphs_of(store: KGStore) -> dict[str, set[str]]:
    out = {}
    for q in store.ox:
        name = DEFAULT if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        out.setdefault(name, set()).add(str(q))
    return out


def assert_union(store: KGStore) -> None:
    """The default graph is the set of triples of the exported graphs."""
    union = {ox.Triple(q.subject, q.predicate, q.object) for q in store.exported_quads()}
    default = {ox.Triple(q.subject, q.predicate, q.object)
               for q in store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert store.has_union()
    assert default == union, f"{len(default - union)} extra, {len(union - default)} missing"


def check_whole_articles(store: KGStore, clean: dict[str, set[str]]) -> int:
    """Every article in the bookkeeping graph has its whole graph (as a clean build
    wrote it), and every article graph has its bookkeeping. Returns the article count."""
    ids = store.article_ids()
    assert set(store.signatures()) == ids
    graphs = graphs_of(store)
    article_graphs = {g for g in graphs if g.startswith(ARTICLE_NS)}
    assert article_graphs == {str(article_iri(i)) for i in ids}
    assert set(graphs) - article_graphs <= {str(IDENTITY_GRAPH), str(BOOKKEEPING_GRAPH), DEFAULT}
    for i in ids:
        g = str(article_iri(i))
        assert graphs[g], g
        assert graphs[g] == clean[g], f"article {i} is not whole: {len(graphs[g])} of {len(clean[g])} quads"
    assert len(store.extractions()) == len(ids)
    # the union has every triple of the stored articles (a killed build may leave the identity
    # graph of the previous one: the next build replaces it)
    default = {ox.Triple(q.subject, q.predicate, q.object)
               for q in store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    for i in ids:
        g = to_ox(article_iri(i))
        assert {ox.Triple(q.subject, q.predicate, q.object)
                for q in store.ox.quads_for_pattern(None, None, None, g)} <= default, g
    return len(ids)


def wal_size(store_dir: Path) -> int:
    return max((os.path.getsize(f) for f in glob.glob(str(store_dir / "*.log"))), default=0)


def test_sigkilled_build_leaves_whole_articles_and_resumes(tmp_path):
    src = tmp_path / "in"
    for i in range(N_KILL):
        write(src / f"art{i:03d}.txt", invented_article(i))
    clean = tmp_path / "clean"
    build([src], clean, html=False)
    cstore = KGStore(clean / "store")
    try:
        clean_graphs = graphs_of(cstore)
        assert len(cstore.article_ids()) == N_KILL
    finally:
        cstore.close()

    # Kill while the articles are being written: the store's write-ahead log grows
    # with each article's transaction, so wait until a few are in (twice, at two depths).
    stored = []
    for k, threshold in enumerate((1_500_000, 4_500_000)):
        out = tmp_path / f"killed{k}"
        proc = subprocess.Popen([PY, "-m", "kg", "build", str(src), "--out", str(out), "-q"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        t0 = time.monotonic()
        try:
            while proc.poll() is None and time.monotonic() - t0 < 120:
                if (out / "store").is_dir() and wal_size(out / "store") > threshold:
                    break
                time.sleep(0.001)
            assert proc.poll() is None, "the build finished before it could be killed: " + proc.stderr.read().decode()
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait()
        assert proc.returncode == -signal.SIGKILL
        store = KGStore(out / "store")
        try:
            n = check_whole_articles(store, clean_graphs)
        finally:
            store.close()
        stored.append(n)
        assert 0 < n < N_KILL, f"the kill did not land while articles were being written: {n} stored"

    # the next build completes the job: NLP only for the articles not in, same graph as a clean build
    proc = subprocess.run([PY, "-m", "kg", "build", str(src), "--out", str(out)], capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    assert f"(new: {N_KILL - stored[-1]}, already in the store: {stored[-1]})" in proc.stdout
    store = KGStore(out / "store")
    try:
        assert check_whole_articles(store, clean_graphs) == N_KILL
        assert graphs_of(store) == clean_graphs
        assert_union(store)
    finally:
        store.close()
    same_graph(out, clean)


# ---------------------------------------------------------------- validation


def test_seeds_build_conforms(seeds_both):
    result = ok(run("validate", "--out", seeds_both))
    assert "conforms" in result.output and "does not conform" not in result.output


def _broken(seeds_both: Path, tmp_path: Path, how: str) -> tuple[Path, str]:
    """A copy of the seeds graph.trig with one deliberate fault; returns (out, expected text)."""
    ds = Dataset()
    ds.parse(seeds_both / "graph.trig", format="trig")
    ident = ds.graph(IDENTITY_GRAPH)
    shoigu = KGID["person/sergei-shoigu"]
    assert (shoigu, RDF.type, KG.Person) in ident
    if how == "no-label":
        assert ident.value(shoigu, RDFS.label) is not None
        ident.remove((shoigu, RDFS.label, None))
        expect = "person:sergei-shoigu (rdfs:label): an entity needs exactly one rdfs:label"
    elif how == "two-labels":
        ident.add((shoigu, RDFS.label, Literal("Shoigu the Second")))
        expect = "person:sergei-shoigu (rdfs:label): an entity needs exactly one rdfs:label"
    elif how == "fact-without-evidence":
        art = next(c for c in ds.graphs() if str(c.identifier).startswith(ARTICLE_NS))
        art.add((shoigu, KG.commands, KGID["vessel/marshal-shaposhnikov"]))
        expect = "has no kg:Evidence record"
    elif how == "string-date":
        found = [(c, ev, d) for c in ds.graphs() for ev, d in c.subject_objects(KG.date)
                 if str(ev).startswith(str(KGID["event/"]))]
        assert found, "the seeds have no dated event"
        c, ev, d = found[0]
        c.remove((ev, KG.date, d))
        c.add((ev, KG.date, Literal(str(d))))
        expect = "(kg:date): an event date must be one xsd:date"
    elif how == "no-identity-graph":  # what a build killed between an article and the identity graph leaves
        ds.remove_graph(ident)
        expect = "person:sergei-shoigu (rdf:type): has no class"
    elif how == "untyped-fact-end":  # a fact with no evidence about an entity nothing types
        art = next(c for c in ds.graphs() if str(c.identifier).startswith(ARTICLE_NS))
        art.add((KGID["person/nobody-at-all"], KG.met, shoigu))
        expect = "person:nobody-at-all (rdf:type): has no class"
    else:
        raise ValueError(how)
    out = tmp_path / "broken"
    out.mkdir()
    (out / "graph.trig").write_text(ds.serialize(format="trig"), encoding="utf-8")
    return out, expect


@pytest.mark.parametrize("how", ["no-label", "two-labels", "fact-without-evidence", "string-date",
                                 "no-identity-graph", "untyped-fact-end"])
def test_broken_graph_fails_validation(tmp_path, seeds_both, how):
    out, expect = _broken(seeds_both, tmp_path, how)
    result = run("validate", "--out", out)
    assert result.exit_code == 1, result.output + result.stderr
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("does not conform: ")
    assert any(ln.startswith("- ") and expect in ln for ln in lines[1:]), result.output


def test_articles_written_without_their_identity_graph_fail_validation(tmp_path):
    """A kill between KGStore.add_article and replace_identity, replayed: the exports of that
    store do not conform, and the next sync makes them conform again."""
    from kg.export.rdf import export_store
    from kg.resolve import resolve

    write(tmp_path / "in" / "a.txt", MET_A)
    built = tmp_path / "built"
    build([tmp_path / "in"], built, html=False)
    store = KGStore(built / "store")
    try:
        exs = store.extractions()
    finally:
        store.close()
    identity = resolve(exs)
    out = tmp_path / "killed"
    store = KGStore(out / "store")
    try:
        store.add_article(exs[0], identity)
        export_store(store, out)
        result = run("validate", "--out", out)
        assert result.exit_code == 1, result.output
        assert "person:marcus-holloway (rdf:type): has no class" in result.output
        store.sync(identity, [], exs)
        export_store(store, out)
    finally:
        store.close()
    ok(run("validate", "--out", out))


def test_validate_without_a_graph_is_a_one_line_error(tmp_path):
    line = one_error_line(run("validate", "--out", tmp_path / "nothing"))
    assert "graph.trig" in line


# ---------------------------------------------------------------- exports


ALL = ("ttl", "trig", "nq", "jsonld", "graphml", "json")
FILES = {"ttl": "graph.ttl", "trig": "graph.trig", "nq": "graph.nq", "jsonld": "graph.jsonld",
         "graphml": "graph.graphml", "json": "graph.json"}


def entity_facts(g: Graph) -> tuple[set, set]:
    """Entity nodes (in the identity graph: labelled, typed in kg:) and entity-to-entity kg: facts."""
    ns = str(KG._NS)
    entities = {str(s) for s, _ in g.subject_objects(RDFS.label)
                if any(str(t).startswith(ns) and t != KG.MergeRecord for t in g.objects(s, RDF.type))}
    facts = {(str(s), str(p)[len(ns):], str(o)) for s, p, o in g
             if str(p).startswith(ns) and str(s) in entities and str(o) in entities}
    return entities, facts


def test_export_writes_six_formats_that_parse(tmp_path, seeds_both):
    import networkx as nx

    out = copy_built(seeds_both, tmp_path / "out")
    for name in ("graph.ttl", "graph.trig"):
        (out / name).unlink()
    result = ok(run("export", "--out", out, "--format", ",".join(ALL)))
    for fmt in ALL:
        assert (out / FILES[fmt]).is_file() and (out / FILES[fmt]).stat().st_size > 0, fmt
        assert f"wrote: {out / FILES[fmt]}" in result.output

    ref = ttl(seeds_both)
    assert isomorphic(ttl(out), ref)
    assert trig_quads(out) == trig_quads(seeds_both)
    nq = Dataset()
    nq.parse(out / "graph.nq", format="nquads")
    assert {(s, p, o, g.identifier if hasattr(g, "identifier") else g)
            for s, p, o, g in nq.quads((None, None, None, None))} == trig_quads(seeds_both)
    assert isomorphic(Graph().parse(out / "graph.jsonld", format="json-ld"), ref)

    entities, facts = entity_facts(ref)
    assert len(entities) > 20 and len(facts) > 20
    kim = str(KGID["person/kim-jong-un"])
    shoigu = str(KGID["person/sergei-shoigu"])
    assert kim in entities and (kim, "met", shoigu) in facts

    gml = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    assert set(gml.nodes) == entities
    assert all(gml.nodes[n].get("label") for n in gml.nodes)
    assert gml.nodes[kim]["label"] == str(ref.value(URIRef(kim), RDFS.label))
    assert {(u, d["predicate"], v) for u, v, d in gml.edges(data=True)} == facts
    assert gml.number_of_edges() == len(facts)

    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == entities
    assert {(e["source"], e["predicate"], e["target"]) for e in data["edges"]} == facts
    assert all(n.get("label") for n in data["nodes"])


def test_export_one_format(tmp_path, seeds_both):
    out = copy_built(seeds_both, tmp_path / "out")
    ok(run("export", "--out", out, "--format", "graphml"))
    assert (out / "graph.graphml").is_file()
    assert not (out / "graph.nq").exists() and not (out / "graph.json").exists()


@pytest.mark.parametrize("fmt", ["xml", "ttl,csv"])
def test_export_unknown_format_is_a_one_line_error(tmp_path, seeds_both, fmt):
    out = copy_built(seeds_both, tmp_path / "out")
    before = sorted(p.name for p in out.iterdir())
    line = one_error_line(run("export", "--out", out, "--format", fmt))
    assert "unknown export format" in line
    assert sorted(p.name for p in out.iterdir()) == before


def test_written_files_are_readable_and_no_temp_files_remain(tmp_path):
    write(tmp_path / "in" / "a.txt", MET_A)
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        ok(run("build", tmp_path / "in", "--out", out))
        ok(run("export", "--out", out, "--format", ",".join(ALL)))
        write(tmp_path / "in" / "b.txt", MET_B)
        ok(run("build", tmp_path / "in", "--out", out))
        ok(run("remove", tmp_path / "in" / "b.txt", "--out", out))
    finally:
        os.umask(old)
    names = sorted(p.name for p in out.iterdir() if p.is_file())
    assert set(names) == {"graph.html", *FILES.values()}, names
    for name in names:
        mode = (out / name).stat().st_mode & 0o777
        assert mode & 0o044 == 0o044, f"{name} is {oct(mode)}"
        assert mode == 0o644, f"{name} is {oct(mode)}"
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp")]
    assert not leftovers, leftovers


# ---------------------------------------------------------------- writing only what changed


def identity_quads(store: KGStore) -> set[str]:
    return {str(q) for q in store.ox.quads_for_pattern(None, None, None, to_ox(IDENTITY_GRAPH))}


def test_identity_graph_writes_only_the_difference(tmp_path):
    from kg.resolve import resolve
    from kg.store import _quads

    a = write(tmp_path / "in" / "a.txt", LAVROV_A)
    b = write(tmp_path / "in" / "b.txt", LAVROV_B)
    out = tmp_path / "out"
    build([a, b], out, html=False)
    store = KGStore(out / "store")
    try:
        exs = store.extractions()
        both = resolve(exs)
        only_a = resolve([e for e in exs if e.article.id == read_article(a).id])
        want_both = {str(q) for q in _quads(identity_triples(both), IDENTITY_GRAPH)}
        assert identity_quads(store) == want_both

        assert store.replace_identity(both) == {"added": 0, "removed": 0}  # unchanged: nothing written
        assert identity_quads(store) == want_both

        change = store.replace_identity(only_a)  # Lavrov loses a name, Fidan goes ...
        assert identity_quads(store) == {str(q) for q in _quads(identity_triples(only_a), IDENTITY_GRAPH)}
        assert change["removed"] > 0 and change["added"] >= 0
        assert change["added"] + change["removed"] < len(want_both)  # ... the rest stays

        bogus = ox.Quad(ox.NamedNode(str(KGID["person/nobody"])), ox.NamedNode(str(RDFS.label)),
                        ox.Literal("Nobody"), to_ox(IDENTITY_GRAPH))
        store.ox.add(bogus)
        back = store.replace_identity(both)
        assert back["removed"] == change["added"] + 1 and back["added"] == change["removed"]
        assert identity_quads(store) == want_both
    finally:
        store.close()


def test_build_result_dataset_is_the_exported_graph(tmp_path):
    write(tmp_path / "in" / "a.txt", MET_A)
    out = tmp_path / "out"
    result = build([tmp_path / "in"], out, html=False)
    assert result._dataset is None  # not made unless asked for
    quads = {(s, p, o, g.identifier if hasattr(g, "identifier") else g)
             for s, p, o, g in result.dataset.quads((None, None, None, None))}
    assert quads == trig_quads(out)
    assert result.facts_by_predicate()["met"] == 2


# ---------------------------------------------------------------- temp files of a killed build

STALE = [".graph.ttl.abcd1234.tmp", ".graph.html.zz_9xy01.tmp", ".graph.trig.0000aaaa.tmp", ".graph.json.q1w2e3r4.tmp"]
NOT_OURS = [".graph.ttl.tmp", ".notes.txt.abcd1234.tmp", "graph.ttl.abcd1234.tmp", ".graph.ttl.ABCD1234.tmp",
            ".graph.ttl.abcd1234.tmp.bak", ".graph.ttl.abc1234.tmp"]


def plant_temp_files(out: Path, age: float = 0.0) -> None:
    for name in STALE + NOT_OURS:
        write(out / name, "half a file")
        if age:
            then = time.time() - age
            os.utime(out / name, (then, then))
    (out / "sub").mkdir(exist_ok=True)
    write(out / "sub" / STALE[0], "not in the out folder itself")
    (out / ".graph.nq.dir00000.tmp").mkdir(exist_ok=True)  # our pattern, but a folder


def left(out: Path) -> set[str]:
    return {p.name for p in out.iterdir()} | {f"sub/{p.name}" for p in (out / "sub").iterdir()}


@pytest.mark.parametrize("command", ["build", "export", "remove"])
def test_stale_temp_files_are_cleaned_on_the_next_write(tmp_path, monkeypatch, command):
    write(tmp_path / "in" / "a.txt", MET_A)
    write(tmp_path / "in" / "b.txt", MET_B)
    out = tmp_path / "out"
    ok(run("build", tmp_path / "in", "--out", out))
    plant_temp_files(out)
    monkeypatch.setattr(BUILD, "load_nlp", no_nlp)
    if command == "build":
        ok(run("build", tmp_path / "in", "--out", out))
    elif command == "export":
        ok(run("export", "--out", out, "--format", "nq"))
    else:
        ok(run("remove", tmp_path / "in" / "b.txt", "--out", out))
    names = left(out)
    assert not names & set(STALE), sorted(names & set(STALE))
    assert set(NOT_OURS) <= names
    assert {"sub/" + STALE[0], ".graph.nq.dir00000.tmp"} <= names


def test_memory_builds_leave_young_temp_files_alone(tmp_path):
    write(tmp_path / "in" / "a.txt", MET_A)
    out = tmp_path / "out"
    out.mkdir()
    plant_temp_files(out)  # just written: could be another memory build's, still writing
    ok(run("build", tmp_path / "in", "--out", out, "--store", "memory"))
    assert set(STALE) <= left(out)
    plant_temp_files(out, age=3600)  # an hour old: stale
    ok(run("build", tmp_path / "in", "--out", out, "--store", "memory"))
    names = left(out)
    assert not names & set(STALE) and set(NOT_OURS) <= names


# ---------------------------------------------------------------- aliases kept in the store


def alias_merges(out: Path) -> set[tuple[str, str]]:
    """(alias, entity) of the merges the aliases file forced, from graph.ttl."""
    g = ttl(out)
    return {(str(g.value(rec, KG.alias)), str(g.value(rec, KG.mergedInto)))
            for rec in g.subjects(KG.rule, Literal("alias-file"))}


def test_aliases_are_kept_until_replaced_or_cleared(tmp_path, monkeypatch):
    a = write(tmp_path / "in" / "a.txt", MET_A)
    write(tmp_path / "in2" / "l.txt", LAVROV_A)
    force = write(tmp_path / "force.tsv", "# one person, say the editors\nMarcus Holloway\tHiroshi Tanaka\n")
    out = tmp_path / "out"
    ok(run("build", tmp_path / "in", "--out", out, "--aliases", force))
    merged = alias_merges(out)
    assert len(merged) == 1, merged
    assert len({TANAKA, HOLLOWAY} & set(ttl(out).subjects(RDF.type, KG.Person))) == 1

    # later builds and removals without --aliases keep the forced merge
    monkeypatch.setattr(BUILD, "load_nlp", no_nlp)
    ok(run("build", tmp_path / "in", "--out", out))
    assert alias_merges(out) == merged
    monkeypatch.undo()
    ok(run("build", tmp_path / "in2", "--out", out))
    assert alias_merges(out) == merged
    ok(run("remove", tmp_path / "in2" / "l.txt", "--out", out))
    assert alias_merges(out) == merged
    # kept in the bookkeeping graph, never exported
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    assert "bookkeeping" not in trig and "Marcus Holloway\tHiroshi Tanaka" not in trig

    # a new file replaces them: a veto keeps the two apart
    veto = write(tmp_path / "veto.tsv", "Marcus Holloway\t!Hiroshi Tanaka\n")
    monkeypatch.setattr(BUILD, "load_nlp", no_nlp)
    ok(run("build", a, "--out", out, "--aliases", veto))
    assert alias_merges(out) == set()
    store = KGStore(out / "store")
    try:
        assert store.aliases() == {"force": [], "veto": [["Marcus Holloway", "Hiroshi Tanaka"]]}
    finally:
        store.close()

    # back to the forced merge, then an empty file clears everything
    ok(run("build", a, "--out", out, "--aliases", force))
    assert alias_merges(out) == merged
    empty = write(tmp_path / "empty.tsv", "# no aliases\n")
    ok(run("remove", tmp_path / "in" / "a.txt", "--out", out, "--aliases", empty))
    store = KGStore(out / "store")
    try:
        assert store.aliases() is None
    finally:
        store.close()


def test_a_bad_aliases_file_changes_nothing(tmp_path):
    write(tmp_path / "in" / "a.txt", MET_A)
    force = write(tmp_path / "force.tsv", "Marcus Holloway\tHiroshi Tanaka\n")
    out = tmp_path / "out"
    ok(run("build", tmp_path / "in", "--out", out, "--aliases", force))
    before = store_quads(out / "store")
    bad = write(tmp_path / "bad.tsv", "just one column\n")
    for args in (["build", tmp_path / "in"], ["remove", tmp_path / "in" / "a.txt"]):
        line = one_error_line(run(*args, "--out", out, "--aliases", bad))
        assert "bad.tsv" in line and "line 1" in line
        assert store_quads(out / "store") == before


# ---------------------------------------------------------------- edited files


def test_an_edited_file_replaces_its_old_version(tmp_path):
    f = write(tmp_path / "in" / "news.txt", MET_A)
    out = tmp_path / "out"
    ok(run("build", tmp_path / "in", "--out", out))
    old_id = read_article(f).id
    write(f, LAVROV_A)  # the same file, edited
    result = ok(run("build", tmp_path / "in", "--out", out))
    assert "(new: 1, already in the store: 0), updated: 1" in result.output
    assert "articles in the graph: 1" in result.output
    store = KGStore(out / "store")
    try:
        assert store.article_ids() == {read_article(f).id} != {old_id}
        assert store.source_paths() == {read_article(f).id: {str(f.resolve())}}
    finally:
        store.close()
    fresh = tmp_path / "fresh"
    build([write(tmp_path / "fresh_in" / "news.txt", LAVROV_A)], fresh, html=False)
    same_graph(out, fresh)
    # unchanged since: nothing updated
    again = ok(run("build", tmp_path / "in", "--out", out))
    assert "updated" not in again.output


def test_an_old_version_another_file_still_holds_stays(tmp_path):
    a = write(tmp_path / "in" / "a.txt", MET_A)
    write(tmp_path / "in" / "copy.txt", MET_A)  # same text in a second file
    out = tmp_path / "out"
    build([tmp_path / "in"], out, html=False)
    write(a, MET_B)
    result = build([tmp_path / "in"], out, html=False)
    assert (result.new, result.updated, result.articles) == (1, 0, 2)
    store = KGStore(out / "store")
    try:
        paths = store.source_paths()
    finally:
        store.close()
    assert paths == {read_article(tmp_path / "in" / "copy.txt").id: {str((tmp_path / "in" / "copy.txt").resolve())},
                     read_article(a).id: {str(a.resolve())}}


def test_remove_by_path_takes_every_version_and_works_after_an_edit_or_deletion(tmp_path):
    f = write(tmp_path / "in" / "news.txt", MET_A)
    other = write(tmp_path / "in" / "other.txt", MET_B)
    out = tmp_path / "out"
    build([tmp_path / "in"], out, html=False)
    stored_a = read_article(f).id

    # edited on disk but not rebuilt: the path still names the stored version
    write(f, LAVROV_A)
    r = ok(run("remove", f, "--out", out))
    assert f"removed: {stored_a}" in r.output

    # deleted from disk: the recorded path is enough
    build([tmp_path / "in"], out, html=False)
    stored_b = read_article(f).id
    f.unlink()
    r = ok(run("remove", f, "--out", out))
    assert f"removed: {stored_b}" in r.output

    # two stored articles read from one file (a store from before files were tracked): both go
    write(f, MET_A)
    build([f], out, html=False)
    store = KGStore(out / "store")
    try:
        store.add_source_paths([(read_article(other).id, str(f.resolve()))])
    finally:
        store.close()
    r = ok(run("remove", f, "--out", out))
    assert f"removed: {', '.join(sorted([read_article(f).id, read_article(other).id]))}" in r.output
    store = KGStore(out / "store")
    try:
        assert store.article_ids() == set() and store.source_paths() == {}
    finally:
        store.close()


# ---------------------------------------------------------------- the union default graph


def test_default_graph_is_the_union_through_every_write(tmp_path, monkeypatch):
    a = write(tmp_path / "in" / "met_a.txt", MET_A)
    write(tmp_path / "in" / "met_b.txt", MET_B)
    out = tmp_path / "out"
    build([a], out, html=False)
    for step in ("second article", "edit", "remove one", "aliases", "remove all"):
        if step == "second article":  # shares the met facts with the first: held by two graphs
            build([tmp_path / "in"], out, html=False)
        elif step == "edit":
            write(a, LAVROV_A)
            assert build([tmp_path / "in"], out, html=False).updated == 1
        elif step == "remove one":
            ok(run("remove", tmp_path / "in" / "met_b.txt", "--out", out))
        elif step == "aliases":  # the identity graph changes under the articles: rewrites
            build([tmp_path / "in"], out, html=False,
                  aliases=write(tmp_path / "al.tsv", "Sergei Lavrov\tWang Yi\n"))
        else:
            ok(run("remove", a, "--out", out))
        store = KGStore(out / "store")
        try:
            assert_union(store)
            # the exports, rendered while the store was written, show the store as written
            # (literals as the store gives them back: "1.0"^^xsd:decimal is "1")
            written = list(ox.parse(path=out / "graph.trig", format=ox.RdfFormat.TRIG))
            assert set(written) == set(store.exported_quads()) and len(set(written)) == len(written), step
            if step == "second article":
                shared = ox.Triple(to_ox(HOLLOWAY), to_ox(KG.met), to_ox(TANAKA))
                holders = {q.graph_name for q in store.ox.quads_for_pattern(shared.subject, shared.predicate,
                                                                             shared.object, None)}
                assert len(holders) == 3  # two articles and the union
        finally:
            store.close()


def test_a_store_without_the_union_gets_it_on_its_next_write(tmp_path, seeds_both):
    out = copy_built(seeds_both, tmp_path / "out")
    store = KGStore(out / "store")
    try:
        book = to_ox(BOOKKEEPING_GRAPH)
        store.ox.update(f"CLEAR DEFAULT ; DELETE WHERE {{ GRAPH {book} {{ {book} <{BOOKKEEPING_GRAPH}#unionGraph> ?x }} }}")
        assert not store.has_union()
    finally:
        store.close()
    reader = KGStore(out / "store", read_only=True)
    try:
        assert not reader.has_union()  # a reader never writes
    finally:
        reader.close()
    store = KGStore(out / "store")
    try:
        assert_union(store)
    finally:
        store.close()


def test_source_key_is_the_resolved_path(tmp_path, monkeypatch):
    from kg.store import source_key

    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere" / "deep").mkdir(parents=True)
    write(tmp_path / "real" / "sub" / "a.txt", MET_A)
    os.symlink(tmp_path / "real", tmp_path / "link")
    os.symlink(tmp_path / "real" / "sub" / "a.txt", tmp_path / "real" / "b.txt")
    os.symlink(tmp_path / "elsewhere" / "deep", tmp_path / "real" / "jump")
    monkeypatch.chdir(tmp_path / "real")
    for path in [tmp_path / "link" / "sub" / "a.txt", tmp_path / "real" / "b.txt", "sub/a.txt", "b.txt",
                 tmp_path / "link" / "sub" / ".." / "sub" / "a.txt", "jump/../x.txt", tmp_path / "link" / "gone.txt",
                 str(tmp_path / "link") + "/"]:
        assert source_key(path) == str(Path(path).resolve()), path


def test_validation_stays_fast_on_thousands_of_facts(tmp_path):
    """pySHACL ran the fact-evidence check once per entity, each run scanning every evidence
    record (about 2.5 minutes on 500 Re-DocRED articles); now it is one query over the graph."""
    import random

    from kg.validate import validate_graph

    rng = random.Random(1)
    g = Graph()
    ents = [KGID[f"person/p{i}"] for i in range(1500)]
    for i, e in enumerate(ents):
        g.add((e, RDF.type, KG.Person))
        g.add((e, RDFS.label, Literal(f"Person {i}")))
    art = KGID["article/0000000000000000"]
    g.add((art, RDF.type, KG.Article))
    g.add((art, KG.sourceFile, Literal("a.txt")))
    g.add((art, KG.contentHash, Literal("0" * 64)))
    for j in range(4000):
        s, o = rng.sample(ents, 2)
        g.add((s, KG.met, o))
        ev = KGID[f"evidence/{j}"]
        for p, v in [(RDF.type, KG.Evidence), (RDF.subject, s), (RDF.predicate, KG.met), (RDF.object, o),
                     (PROV.wasDerivedFrom, art), (KG.sentence, Literal(f"Sentence {j}.")), (KG.charStart, Literal(0)),
                     (KG.charEnd, Literal(9)), (KG.modality, Literal("asserted"))]:
            g.add((ev, p, v))
    t0 = time.perf_counter()
    report = validate_graph(g)
    assert report.conforms, report.text(5)
    g.add((ents[0], KG.commands, ents[1]))  # a fact without evidence
    report = validate_graph(g)
    elapsed = time.perf_counter() - t0
    assert not report.conforms
    assert [v.message for v in report.violations] == [
        f"fact {ents[0]} {KG.commands} {ents[1]} has no kg:Evidence record"]
    assert elapsed < 30, f"validating 1,500 entities and 4,000 facts twice took {elapsed:.0f} s"


# ---------------------------------------------------------------- the store-reader thread


def test_in_reader_thread_runs_elsewhere_returns_and_raises():
    import threading

    from kg.store import in_reader_thread

    here = threading.get_ident()
    first = in_reader_thread(threading.get_ident)
    assert first != here
    assert in_reader_thread(threading.get_ident) == first  # one thread, kept: one malloc arena
    assert in_reader_thread(lambda a, b=0: a + b, 2, b=3) == 5
    with pytest.raises(KeyError, match="gone"):
        in_reader_thread(lambda: {}["gone"])
    assert in_reader_thread(lambda: 7) == 7  # an exception does not stop the thread
    # a read inside a read runs directly instead of waiting for itself
    assert in_reader_thread(lambda: in_reader_thread(threading.get_ident)) == first


def test_in_reader_thread_serves_several_threads():
    import threading

    from kg.store import in_reader_thread

    store = KGStore("memory")
    store.ox.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"),
                         ox.Literal("x")))
    answers, errors = [], []

    def ask():
        try:
            for _ in range(20):
                answers.append(in_reader_thread(lambda: sum(1 for _ in store.ox.query("SELECT * { ?s ?p ?o }"))))
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and answers == [1] * 80


def test_a_failed_read_frees_pyoxigraph_results_on_the_reader_thread(monkeypatch):
    """pyoxigraph's lazy results may only be freed on the thread that made them: an exception
    handed back to the caller must not carry them in its traceback's frames."""
    import gc

    from kg.store import in_reader_thread

    dropped_elsewhere = []
    monkeypatch.setattr(sys, "unraisablehook", dropped_elsewhere.append)
    store = KGStore("memory")

    def fail():
        answer = store.ox.query("SELECT * { ?s ?p ?o }")  # noqa: F841  (held by the frame)
        raise ValueError("after the query")

    with pytest.raises(ValueError, match="after the query") as info:
        in_reader_thread(fail)
    del info
    gc.collect()
    assert not dropped_elsewhere, [str(u.exc_value) for u in dropped_elsewhere]
