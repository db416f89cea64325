"""The named queries and analytics stay usable on a graph of 1,000 entities and 3,000 facts.

rdflib evaluates correlated subqueries once per row, joins by nested loops and orders triple
patterns at parse time; a query written without care for that ran for minutes here (the
guarded patterns took over 100 s on this graph). The limits are generous; a regression is
100x, not 2x.
"""

from __future__ import annotations

import random
import time

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

import kg
from kg.graph import IDENTITY_GRAPH
from kg.ontology import KG, KGID

LIMIT = 15.0  # seconds, per call


@pytest.fixture(scope="module")
def big():
    rng = random.Random(0)
    ds = Dataset(default_union=True)
    ident = ds.graph(IDENTITY_GRAPH)
    classes = [KG.Person, KG.Organization, KG.City, KG.Country, KG.Weapon]
    ents = [KGID[f"x/e{i}"] for i in range(1000)]
    for i, e in enumerate(ents):
        ident.add((e, RDF.type, classes[i % 5]))
        ident.add((e, RDFS.label, Literal(f"Entity {i}")))
        if i % 3 == 0:
            ident.add((e, SKOS.altLabel, Literal(f"E{i}")))
    preds = [KG.met, KG.visited, KG.inspected, KG.locatedIn, KG.briefed]
    for j in range(3000):
        art = KGID[f"article/{j % 100:016d}"]
        g = ds.graph(art)
        g.add((art, RDF.type, KG.Article))
        g.add((art, DCTERMS.title, Literal(f"Article {j % 100}")))
        g.add((art, KG.date, Literal("2023-09-16", datatype=XSD.date)))
        s, o = rng.sample(ents, 2)
        p = rng.choice(preds)
        g.add((s, p, o))
        ev = KGID[f"evidence/{j}"]
        for pp, oo in [(RDF.type, KG.Evidence), (RDF.subject, s), (RDF.predicate, p), (RDF.object, o),
                       (KG.sentence, Literal(f"Sentence {j}.")), (PROV.wasDerivedFrom, art),
                       (KG.modality, Literal("asserted"))]:
            g.add((ev, pp, oo))
        if j % 5 == 0:
            event = KGID[f"event/{j}"]
            g.add((event, RDF.type, KG.Meeting))
            g.add((event, KG.agent, s))
            g.add((event, KG.participant, o))
            g.add((event, KG.evidence, ev))
            if j % 10 == 0:
                g.add((event, KG.place, rng.choice(ents)))
    return ds


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


@pytest.mark.parametrize("name", sorted(kg.named_queries()))
def test_named_query_is_fast_enough(big, name):
    params = {"entity": "Entity 5"} if kg.named_queries()[name].params else {}
    result, seconds = timed(lambda: list(kg.named_query(big, name, **params)))
    assert seconds < LIMIT, f"{name}: {seconds:.1f} s"
    if name in ("who-met-whom", "timeline", "facts-with-evidence", "entities-by-class", "neighbourhood"):
        assert result, name


@pytest.mark.parametrize("call", ["centrality", "communities", "shortest_path", "entity_card", "graph_stats"])
def test_analytics_is_fast_enough(big, call):
    fn = {"centrality": lambda: kg.centrality(big), "communities": lambda: kg.communities(big),
          "shortest_path": lambda: kg.shortest_path(big, "Entity 1", "Entity 998"),
          "entity_card": lambda: kg.entity_card(big, "E3"), "graph_stats": lambda: kg.graph_stats(big)}[call]
    _, seconds = timed(fn)
    assert seconds < LIMIT, f"{call}: {seconds:.1f} s"
