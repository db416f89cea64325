"""kg.analytics (networkx view, lookup, centrality, communities, paths with evidence, cards)
and the commands on top of it: kg show, kg path, kg stats."""

from __future__ import annotations

import warnings
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

import kg
from kg import analytics
from kg.analytics import AmbiguousEntityError, EntityNotFoundError, NoPathError
from kg.cli import cli
from kg.errors import KGError
from kg.graph import IDENTITY_GRAPH
from kg.ontology import KG, KGID

KIM = "https://w3id.org/kg-news/id/person/kim-jong-un"


@pytest.fixture(scope="module")
def built(seeds_build):
    return seeds_build


@pytest.fixture(scope="module")
def graph(built):
    return kg.load_graph(built[1])


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """A hand-made graph: A -met- B -carries-> C, D alone; 'Ace' is another name of A and of E."""
    ds = Dataset(default_union=True)
    ident = ds.graph(IDENTITY_GRAPH)
    art = KGID["article/0000000000000001"]
    g = ds.graph(art)
    ents = {}
    for key, label, cls, alts in [("a", "Alpha One", KG.Person, ["Ace", "Alpha"]), ("b", "Bravo", KG.Person, []),
                                  ("c", "Charlie", KG.Weapon, []), ("d", "Delta", KG.Country, []),
                                  ("e", "Echo", KG.Person, ["Ace"])]:
        node = KGID[f"x/{key}"]
        ents[key] = node
        ident.add((node, RDF.type, cls))
        ident.add((node, RDFS.label, Literal(label)))
        for alt in alts:
            ident.add((node, SKOS.altLabel, Literal(alt)))
    g.add((art, RDF.type, KG.Article))
    g.add((art, DCTERMS.title, Literal("Toy news")))
    for i, (s, p, o, sentence) in enumerate([("a", KG.met, "b", "Alpha met Bravo."), ("b", KG.met, "a", "Alpha met Bravo."),
                                             ("b", KG.carries, "c", "Bravo carries Charlie.")]):
        g.add((ents[s], p, ents[o]))
        ev = KGID[f"evidence/{i}"]
        for pred, obj in [(RDF.type, KG.Evidence), (RDF.subject, ents[s]), (RDF.predicate, p), (RDF.object, ents[o]),
                          (KG.sentence, Literal(sentence)), (PROV.wasDerivedFrom, art), (KG.modality, Literal("asserted"))]:
            g.add((ev, pred, obj))
    return ds


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"KG_SPACY_MODEL": None})


# ---------------------------------------------------------------- public API


def test_public_api():
    for name in ("to_networkx", "centrality", "communities", "shortest_path", "find_entity", "entity_card",
                 "graph_stats", "EntityNotFoundError", "AmbiguousEntityError", "NoPathError"):
        assert getattr(kg, name) is getattr(analytics, name), name
        assert name in kg.__all__ and name in analytics.__all__
    for err in (EntityNotFoundError, AmbiguousEntityError, NoPathError):
        assert issubclass(err, KGError)


def test_to_networkx_moved_and_unchanged(graph):
    nxg = kg.to_networkx(graph)
    assert isinstance(nxg, nx.MultiDiGraph)
    assert nxg.nodes[KIM]["label"] == "Kim Jong Un" and nxg.nodes[KIM]["cls"] == "Person"
    shoigu = "https://w3id.org/kg-news/id/person/sergei-shoigu"
    assert nxg.has_edge(KIM, shoigu, key="met") and nxg.has_edge(shoigu, KIM, key="met")
    assert all(d["predicate"] == k for _, _, k, d in nxg.edges(keys=True, data=True))


# ---------------------------------------------------------------- find_entity


@pytest.mark.parametrize("name", ["Kim Jong Un", "kim jong un", "  KIM  JONG UN ", "Kim", KIM])
def test_find_entity_by_label_alt_label_any_case_or_iri(graph, name):
    ref = kg.find_entity(graph, name)
    assert (ref.iri, ref.label, ref.cls) == (KIM, "Kim Jong Un", "Person")


def test_find_entity_by_a_merged_spelling(graph):
    assert kg.find_entity(graph, "Nikolai Yevmenov") == kg.find_entity(graph, "Nikolai Evmenov")


def test_find_entity_not_found_suggests(graph):
    with pytest.raises(EntityNotFoundError, match="Kim Jong Un") as err:
        kg.find_entity(graph, "Kim Jung Un")
    assert "no entity named 'Kim Jung Un'" in str(err.value)
    assert "\n" not in str(err.value)


def test_find_entity_ambiguous_lists_candidates(toy):
    with pytest.raises(AmbiguousEntityError) as err:
        kg.find_entity(toy, "ace")
    assert sorted(c.label for c in err.value.candidates) == ["Alpha One", "Echo"]
    assert "Alpha One" in str(err.value) and "Echo" in str(err.value)


def test_a_canonical_name_beats_another_entitys_alt_label(toy):
    assert kg.find_entity(toy, "Alpha").label == "Alpha One"
    assert kg.find_entity(toy, "echo").label == "Echo"


# ---------------------------------------------------------------- centrality, communities


def test_centrality_ranks_kim_first(graph):
    top = kg.centrality(graph, top=5)
    assert len(top) == 5
    assert top[0].label == "Kim Jong Un"
    assert [(-c.degree, -c.betweenness) for c in top] == sorted((-c.degree, -c.betweenness) for c in top)
    assert all(0.0 <= c.betweenness <= 1.0 for c in top)
    simple = nx.Graph(kg.to_networkx(graph).to_undirected())
    assert top[0].degree == simple.degree(KIM)


def test_centrality_from_networkx_equals_from_rdf(graph):
    assert kg.centrality(kg.to_networkx(graph), top=None) == kg.centrality(graph, top=None)


def test_communities_partition_the_entities_deterministically(graph):
    comms = kg.communities(graph)
    assert comms == kg.communities(graph)
    members = [e.iri for c in comms for e in c]
    assert len(members) == len(set(members)) == kg.to_networkx(graph).number_of_nodes()
    assert [len(c) for c in comms] == sorted((len(c) for c in comms), reverse=True)
    assert all(len(c) >= 2 for c in kg.communities(graph, min_size=2))
    assert any(KIM in {e.iri for e in c} for c in kg.communities(graph, min_size=2))


def test_communities_of_a_graph_without_facts(tmp_path):
    ds = Dataset(default_union=True)
    ds.graph(IDENTITY_GRAPH).add((KGID["x/a"], RDFS.label, Literal("A")))
    assert [[e.label for e in c] for c in kg.communities(ds)] == [["A"]]
    assert kg.centrality(Dataset()) == []


# ---------------------------------------------------------------- paths


def test_path_kim_to_kalibr_with_evidence(graph):
    hops = kg.shortest_path(graph, "Kim Jong Un", "Kalibr")
    assert hops[0].source.label == "Kim Jong Un" and hops[-1].target.label == "Kalibr"
    assert all(h.target == n.source for h, n in zip(hops, hops[1:]))
    nxlen = nx.shortest_path_length(nx.Graph(kg.to_networkx(graph).to_undirected()), KIM,
                                    kg.find_entity(graph, "Kalibr").iri)
    assert len(hops) == nxlen
    for hop in hops:
        assert hop.facts and hop.direction in ("forward", "backward")
        for fact in hop.facts:
            assert {fact.subject, fact.object} == {hop.source, hop.target}
            assert fact.evidence, f"{fact} has no evidence"
            for ev in fact.evidence:
                assert ev.sentence and ev.article.startswith(str(KGID["article/"]))


def test_path_reads_facts_backwards(graph):
    (hop,) = kg.shortest_path(graph, "Kalibr", "Marshal Shaposhnikov")
    assert (hop.predicate, hop.direction) == ("carries", "backward")
    assert str(hop) == "Kalibr <-carries- Marshal Shaposhnikov"
    assert any("Kalibr" in ev.sentence for ev in hop.evidence)


def test_symmetric_facts_appear_once_per_hop(graph):
    (hop,) = kg.shortest_path(graph, "Kim Jong Un", "Sergei Shoigu")
    met = [f for f in hop.facts if f.predicate == "met"]
    assert len(met) == 1 and met[0].subject.label == "Kim Jong Un" and hop.direction == "forward"
    assert any(ev.attribution == "Russian state media" for ev in met[0].evidence)


def test_path_toy_and_no_path(toy):
    hops = kg.shortest_path(toy, "Alpha", "Charlie")
    assert [(h.source.label, h.predicate, h.direction, h.target.label) for h in hops] == [
        ("Alpha One", "met", "forward", "Bravo"), ("Bravo", "carries", "forward", "Charlie")]
    assert hops[1].evidence[0].sentence == "Bravo carries Charlie." and hops[1].evidence[0].title == "Toy news"
    assert kg.shortest_path(toy, "Bravo", "bravo") == []
    with pytest.raises(NoPathError, match="no path between Alpha One and Delta"):
        kg.shortest_path(toy, "Alpha", "Delta")


# ---------------------------------------------------------------- card and stats


def test_entity_card(graph):
    card = kg.entity_card(graph, "shoigu")
    assert card.entity.label == "Sergei Shoigu"
    assert "Shoigu" in card.other_names
    assert any(m.alias == "Shoigu" and m.rule == "short-name" for m in card.merges)
    out = {(f.predicate, f.object.label) for f in card.facts_out}
    assert ("met", "Kim Jong Un") in out
    assert ("met", "Kim Jong Un") in {(f.predicate, f.subject.label) for f in card.facts_in}
    assert all(f.evidence for f in card.facts_out + card.facts_in)
    assert any(e.cls == "Meeting" for e in card.events)


def test_stats_match_the_build(built, graph):
    result, _ = built
    st = kg.graph_stats(graph, top=3)
    assert st.articles == result.articles
    assert st.entities == result.entities_by_class()
    assert st.facts == result.facts_by_predicate()
    assert st.evidence > 0 and sum(st.events.values()) > 0
    assert len(st.central) == 3 and st.central[0].label == "Kim Jong Un"


def test_the_build_dataset_works_like_the_loaded_graph(built, graph):
    ds = built[0].dataset
    assert kg.graph_stats(ds) == kg.graph_stats(graph)
    assert kg.shortest_path(ds, "Kim Jong Un", "Kalibr") == kg.shortest_path(graph, "Kim Jong Un", "Kalibr")


# ---------------------------------------------------------------- command line


def test_cli_show(built):
    result = invoke("show", "sergei shoigu", "--out", built[1])
    assert result.exit_code == 0, result.output + result.stderr
    out = result.output
    assert out.startswith("Sergei Shoigu  (Person)")
    for needle in ("other names: Shoigu", "facts out", "facts in", "met -> Kim Jong Un", "short-name"):
        assert needle in out, needle
    assert '"' in out and "Vladivostok" in out  # an evidence snippet


def test_cli_path(built):
    result = invoke("path", "Kim Jong Un", "Kalibr", "--out", built[1])
    assert result.exit_code == 0, result.output + result.stderr
    lines = result.output.splitlines()
    assert lines[0].startswith("Kim Jong Un to Kalibr:")
    assert any(line.startswith("1. Kim Jong Un ") for line in lines)
    assert "carries" in result.output and "Kalibr cruise missiles" in result.output


def _write_trig(ds, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():  # rdflib's TriG serialiser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        (out / "graph.trig").write_text(ds.serialize(format="trig"), encoding="utf-8")
    return out


def test_cli_path_without_a_connection(toy, tmp_path):
    out = _write_trig(toy, tmp_path / "toy")
    result = invoke("path", "Alpha", "Delta", "--out", out)
    assert result.exit_code == 1
    assert result.stderr.strip() == "kg: error: no path between Alpha One and Delta: no chain of facts connects them"


@pytest.mark.parametrize("args, message", [
    (["show", "Nobody"], "no entity named 'Nobody'"),
    (["show", "Ace"], "'Ace' names 2 entities"),
    (["path", "Alpha", "Nobody"], "no entity named 'Nobody'"),
])
def test_cli_lookup_errors_are_one_line(toy, tmp_path, args, message):
    out = _write_trig(toy, tmp_path / "toy")
    result = invoke(*args, "--out", out)
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and message in lines[0], result.stderr


def test_cli_stats(built):
    result = invoke("stats", "--out", built[1], "--top", "3")
    assert result.exit_code == 0, result.output + result.stderr
    out = result.output
    assert "articles: 2" in out and "entities:" in out and "facts:" in out and "most central (top 3)" in out
    central = out.split("most central")[1].splitlines()
    assert central[2].strip().startswith("Kim Jong Un")
    assert len([ln for ln in central[2:] if ln.strip()]) == 3


@pytest.mark.parametrize("cmd", [["show", "x"], ["path", "x", "y"], ["stats"]])
def test_cli_without_a_built_graph(tmp_path, cmd):
    result = invoke(*cmd, "--out", tmp_path / "nothing")
    assert result.exit_code == 1
    assert "no built graph" in result.stderr and "Traceback" not in result.output
