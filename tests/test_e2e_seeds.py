"""End to end on the two seed articles: build, gold facts, identity, evidence, determinism."""

from __future__ import annotations

import csv
import importlib.util
import io
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.build import build
from kg.cli import cli
from kg.evaluate import read_gold, score_gold
from kg.graph import IDENTITY_GRAPH, union_graph
from kg.ingest import read_article
from kg.ontology import KG

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds_gold.tsv"  # our full gold, with negatives
PUBLIC_GOLD = ROOT / "tests" / "data" / "seeds_gold_public.tsv"  # the shared 15-fact sample
HTML = bool(importlib.util.find_spec("kg.export.html"))
NON_FACT = {KG.agent, KG.participant, KG.place, KG.evidence, KG.mergedInto}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds_out")
    return build([SEEDS], out, html=HTML)


@pytest.fixture(scope="module")
def out_dir(result):
    return Path(result.files["ttl"]).parent


@pytest.fixture(scope="module")
def graph(out_dir):
    """The written graph.ttl, parsed (what a user of the output sees)."""
    return Graph().parse(out_dir / "graph.ttl", format="turtle")


def fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text).casefold() if ch.isalnum())


def nodes_named(graph, *needles):
    """Entity nodes with a label or alt label containing any of ``needles`` (case/punctuation-folded)."""
    wanted = [fold(n) for n in needles]
    found = set()
    for pred in (RDFS.label, SKOS.altLabel):
        for node, label in graph.subject_objects(pred):
            if isinstance(label, Literal) and any(w in fold(str(label)) for w in wanted):
                if (node, RDF.type, KG.MergeRecord) not in graph:
                    found.add(node)
    return found


def the_node(graph, *needles):
    found = nodes_named(graph, *needles)
    assert len(found) == 1, f"{needles}: {sorted(found)}"
    return found.pop()


def all_names(graph, node):
    return {str(x) for x in graph.objects(node, RDFS.label)}, {str(x) for x in graph.objects(node, SKOS.altLabel)}


# ---------------------------------------------------------------- the build


def test_build_reads_both_seeds_and_writes_rdf(result, out_dir):
    assert result.articles == 2
    assert not result.skipped
    assert (out_dir / "graph.ttl").is_file() and (out_dir / "graph.trig").is_file()
    if HTML:
        assert (out_dir / "graph.html").is_file()


def test_graph_ttl_parses(graph):
    assert len(graph) > 100
    assert len(set(graph.subjects(RDF.type, KG.Article))) == 2


def test_every_public_gold_fact_holds(graph):
    report = score_gold(graph, read_gold(PUBLIC_GOLD))
    assert len(report.positives) == 15
    missed = [f.raw for f, ok in report.positives if not ok]
    assert report.recall == 1.0, "missed:\n" + "\n".join(missed)


def test_full_gold_recall_and_no_negative_holds(graph):
    report = score_gold(graph, read_gold(GOLD))
    assert len(report.positives) >= 50 and len(report.negatives) >= 20
    missed = [f.raw for f, ok in report.positives if not ok]
    assert report.recall >= 0.95, "missed:\n" + "\n".join(missed)
    assert not report.violations, "violated:\n" + "\n".join(f.raw for f in report.violations)


def test_cli_query_who_met_shoigu(out_dir, graph):
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?who WHERE { "
             "?who <https://w3id.org/kg-news/ontology#met> ?x . ?x rdfs:label \"Sergei Shoigu\" }")
    res = CliRunner().invoke(cli, ["query", query, "--out", str(out_dir), "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0] == ["who"]
    who = {r[0] for r in rows[1:] if r}
    kim = the_node(graph, "Kim Jong Un")
    assert str(kim) in who


# ---------------------------------------------------------------- identity


@pytest.mark.parametrize("names", [
    ("Kim Jong Un",),
    ("Sergei Shoigu", "Shoigu"),
    ("Nikolai Evmenov", "Nikolai Yevmenov", "Evmenov", "Yevmenov"),
    ("Marshal Shaposhnikov", "Admiral Shaposhnikov", "Shaposhnikov"),
])
def test_one_node_per_real_entity(graph, names):
    node = the_node(graph, *names)
    labels, alts = all_names(graph, node)
    assert len(labels) == 1
    full = {n for n in names if len(n.split()) > 1}
    # every full-name spelling the articles use is the label or an alt label of this node
    present = {n for n in full if any(fold(n) == fold(x) for x in labels | alts)}
    assert present, (labels, alts)


def test_evmenov_spellings_are_label_and_alt_label(graph):
    node = the_node(graph, "Evmenov", "Yevmenov")
    labels, alts = all_names(graph, node)
    assert (graph.value(node, RDF.type)) == KG.Person
    assert {"Nikolai Evmenov", "Nikolai Yevmenov"} <= labels | alts
    assert len(labels & {"Nikolai Evmenov", "Nikolai Yevmenov"}) == 1


def test_frigate_spellings_are_label_and_alt_label(graph):
    node = the_node(graph, "Shaposhnikov")
    labels, alts = all_names(graph, node)
    assert graph.value(node, RDF.type) == KG.Vessel
    assert {"Marshal Shaposhnikov", "Admiral Shaposhnikov"} <= labels | alts


def test_shoigu_and_kim_have_short_names_as_alt_labels(graph):
    _, shoigu_alts = all_names(graph, the_node(graph, "Shoigu"))
    assert "Shoigu" in shoigu_alts
    kim = the_node(graph, "Kim Jong Un")
    assert graph.value(kim, RDFS.label) == Literal("Kim Jong Un")
    assert graph.value(kim, RDF.type) == KG.Person


def test_kim_inspected_the_fighter_jets(graph):
    kim = the_node(graph, "Kim Jong Un")
    for jet in ("Su-34", "Su-30SM", "Su-35S", "Su-25SM3"):
        node = _exact(graph, jet)
        assert (kim, KG.inspected, node) in graph, jet
        assert graph.value(node, RDF.type) == KG.Aircraft, jet


def _exact(graph, name):
    found = {n for n in graph.subjects(RDFS.label, Literal(name))}
    assert len(found) == 1, found
    return found.pop()


def test_evmenov_briefed_kim(graph):
    kim = the_node(graph, "Kim Jong Un")
    evmenov = the_node(graph, "Evmenov", "Yevmenov")
    assert (evmenov, KG.briefed, kim) in graph
    assert (kim, KG.briefed, evmenov) not in graph


def test_kim_and_shoigu_met_both_ways(graph):
    kim = the_node(graph, "Kim Jong Un")
    shoigu = the_node(graph, "Sergei Shoigu")
    assert (kim, KG.met, shoigu) in graph and (shoigu, KG.met, kim) in graph


def test_yevmenov_merge_record_is_queryable(graph):
    evmenov = the_node(graph, "Evmenov", "Yevmenov")
    label = str(graph.value(evmenov, RDFS.label))
    q = """
    PREFIX kg: <https://w3id.org/kg-news/ontology#>
    SELECT ?rec ?alias ?rule ?score ?context WHERE {
      ?rec a kg:MergeRecord ; kg:mergedInto ?e ; kg:alias ?alias ; kg:rule ?rule .
      OPTIONAL { ?rec kg:score ?score }
      OPTIONAL { ?rec kg:context ?context }
    }"""
    rows = [r for r in graph.query(q, initBindings={"e": evmenov})]
    variant = {"Nikolai Evmenov", "Nikolai Yevmenov"} - {label}
    recs = [r for r in rows if str(r.alias) in variant]
    assert len(recs) == 1, rows
    rec = recs[0]
    assert str(rec.rule).strip()
    assert rec.score is not None and 0 < float(rec.score.toPython()) <= 1
    assert rec.context is not None and str(rec.context).strip()


# ---------------------------------------------------------------- evidence


def _article_texts(result):
    texts = {}
    for ex in result.extractions:
        path = SEEDS / Path(ex.article.source).name
        art = read_article(path)
        texts[art.id] = art.text
    return texts


def test_every_fact_has_evidence_pointing_into_the_article(result):
    ds = result.dataset
    texts = _article_texts(result)
    assert len(texts) == 2
    checked = 0
    for ctx in ds.graphs():
        gname = ctx.identifier
        if "/article/" not in str(gname):
            continue
        art_id = str(gname).rsplit("/", 1)[-1]
        assert art_id in texts, gname
        text = texts[art_id]
        g = ds.graph(gname)
        for s, p, o in g:
            if not str(p).startswith(str(KG._NS)) or p in NON_FACT or not isinstance(o, URIRef):
                continue
            evs = set(g.subjects(RDF.subject, s)) & set(g.subjects(RDF.predicate, p)) & set(g.subjects(RDF.object, o))
            evs = {e for e in evs if (e, RDF.type, KG.Evidence) in g}
            assert evs, f"no evidence for {s} {p} {o} in {gname}"
            for ev in evs:
                assert (ev, PROV.wasDerivedFrom, gname) in g
                sentence = str(g.value(ev, KG.sentence))
                start, end = int(g.value(ev, KG.charStart)), int(g.value(ev, KG.charEnd))
                assert 0 <= start < end <= len(text)
                assert sentence and sentence in text[start:end], (sentence, text[start:end])
                assert text[start:end].strip() == sentence
                assert str(g.value(ev, KG.modality)) == "asserted"
                assert g.value(ev, KG.extractor) is not None
            checked += 1
    assert checked >= 10


def test_article_nodes_carry_source_and_hash(result):
    import hashlib

    g = union_graph(result.dataset)
    for ex in result.extractions:
        node = URIRef(f"https://w3id.org/kg-news/id/article/{ex.article.id}")
        assert (node, RDF.type, KG.Article) in g
        assert str(g.value(node, KG.sourceFile)) == Path(ex.article.source).name
        assert str(g.value(node, KG.contentHash)) == hashlib.sha256(ex.article.text.encode("utf-8")).hexdigest()
        assert ex.article.id == hashlib.sha256(ex.article.text.encode("utf-8")).hexdigest()[:16]


def test_identity_graph_holds_labels_and_types(result):
    ident = result.dataset.graph(IDENTITY_GRAPH)
    assert len(ident) > 0
    for ent in result.identity.entities.values():
        node = URIRef(f"https://w3id.org/kg-news/id/{ent.key}")
        assert (node, RDF.type, KG[ent.cls]) in ident
        assert (node, RDFS.label, Literal(ent.label)) in ident


# ---------------------------------------------------------------- determinism


def test_reverse_input_order_gives_an_isomorphic_graph(result, tmp_path):
    # same file names, in folders that make them sort the other way round
    files = sorted(SEEDS.glob("*.txt"))
    assert len(files) == 2
    src = tmp_path / "reversed"
    for prefix, f in zip(("b", "a"), files):
        (src / prefix).mkdir(parents=True)
        shutil.copy(f, src / prefix / f.name)
    other = build([src], tmp_path / "out", html=False)
    assert [Path(e.article.source).name for e in other.extractions] == [f.name for f in reversed(files)]
    assert isomorphic(union_graph(result.dataset), union_graph(other.dataset))
    names_a = {c.identifier for c in result.dataset.graphs() if len(c)}
    names_b = {c.identifier for c in other.dataset.graphs() if len(c)}
    assert names_a == names_b
    for name in names_a:
        assert isomorphic(result.dataset.graph(name), other.dataset.graph(name)), name
    reparsed = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    assert isomorphic(reparsed, Graph().parse(Path(result.files["ttl"]), format="turtle"))
