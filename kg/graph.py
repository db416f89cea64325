"""Graph assembly: extractions + identity -> an rdflib ``Dataset``.

See docs/architecture.md for the data model: one named graph per article
(named by the article IRI) holding its facts, evidence and events, and the
identity graph ``kgid:graph/identity`` holding types, labels, positions and
merge records. Nothing run-dependent goes into the graph.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .extract.dates import ground_date
from .ontology import KG, KGID, bind_prefixes
from .resolve import Identity
from .types import ArticleExtraction

__all__ = ["IDENTITY_GRAPH", "SYMMETRIC", "article_iri", "entity_iri", "build_dataset", "identity_triples",
           "article_triples", "identity_signature", "bind_all", "union_graph", "prefix_map"]

IDENTITY_GRAPH = KGID["graph/identity"]
SYMMETRIC = frozenset({"met"})
_INSTANCE_FOLDERS = ("person", "organization", "militaryunit", "place", "country", "city", "region",
                     "facility", "equipment", "vessel", "aircraft", "weapon", "article", "evidence",
                     "event", "merge", "statement")


def article_iri(article_id: str) -> URIRef:
    return KGID[f"article/{article_id}"]


def entity_iri(key: str) -> URIRef:
    return KGID[key]


def _hash(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def bind_all(graph: Graph) -> Graph:
    """Bind kg's prefixes, one per instance folder, so Turtle stays readable."""
    bind_prefixes(graph)
    for folder in _INSTANCE_FOLDERS:
        graph.bind(folder, KGID[f"{folder}/"], override=True, replace=True)
    return graph


@lru_cache(maxsize=2)
def prefix_map(rdflib_defaults: bool = True) -> dict[str, str]:
    """kg's prefixes as ``{prefix: namespace}``, sorted: with rdflib's default bindings too (for
    SPARQL, where ``owl:`` or ``xsd:`` may be used undeclared), or kg's alone (for the files kg
    writes). Do not modify the dict: it is shared."""
    graph = bind_all(Graph() if rdflib_defaults else Graph(bind_namespaces="none"))
    return dict(sorted((p, str(ns)) for p, ns in graph.namespaces() if p))


def build_dataset(extractions: list[ArticleExtraction], identity: Identity) -> Dataset:
    """Assemble the dataset (see module docstring).

    Examples
    --------
    >>> ds = build_dataset([], Identity(entities={}, mention_entity={}))
    >>> len(ds)
    0
    """
    ds = Dataset()
    bind_all(ds)
    ident = ds.graph(IDENTITY_GRAPH)
    for t in identity_triples(identity):
        ident.add(t)
    for ex in sorted(extractions, key=lambda e: e.article.id):
        g = ds.graph(article_iri(ex.article.id))
        for t in article_triples(ex, identity):
            g.add(t)
    return ds


def identity_triples(identity: Identity):
    """Triples of the identity graph: types, labels, positions, merge records."""
    for key in sorted(identity.entities):
        ent = identity.entities[key]
        node = entity_iri(ent.key)
        yield node, RDF.type, KG[ent.cls]
        yield node, RDFS.label, Literal(ent.label)
        for alt in ent.alt_labels:
            yield node, SKOS.altLabel, Literal(alt)
        for pos in ent.positions:
            yield node, KG.position, Literal(pos)
        for m in ent.merges:
            rec = KGID[f"merge/{_hash(ent.key, m.alias)}"]
            yield rec, RDF.type, KG.MergeRecord
            yield rec, KG.mergedInto, node
            yield rec, KG.alias, Literal(m.alias)
            yield rec, KG.rule, Literal(m.rule)
            yield rec, KG.score, Literal(Decimal(str(m.score)), datatype=XSD.decimal)
            if m.context:
                yield rec, KG.context, Literal(m.context)


def identity_signature(ex: ArticleExtraction, identity: Identity) -> str:
    """What an article's graph depends on in the identity layer (entity key and
    class of each mention). Unchanged signature: the article graph is unchanged."""
    parts = []
    for m in ex.mentions:
        e = identity.entity_of(ex.article.id, m.id)
        parts.append(f"{m.id}={e.key}:{e.cls}" if e else f"{m.id}=")
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()


def article_triples(ex: ArticleExtraction, identity: Identity):
    """Triples of one article's named graph: the article node, its facts,
    their evidence, its events and its open relations."""
    art = ex.article
    a_iri = article_iri(art.id)
    yield a_iri, RDF.type, KG.Article
    if art.title:
        yield a_iri, DCTERMS.title, Literal(art.title)
    if art.date:
        yield a_iri, KG.date, Literal(art.date, datatype=XSD.date)
    yield a_iri, KG.sourceFile, Literal(_source_name(art.source))
    yield a_iri, KG.contentHash, Literal(hashlib.sha256(art.text.encode("utf-8")).hexdigest())
    mentions = ex.mentions

    def ent(mid):
        e = identity.entity_of(art.id, mid)
        return entity_iri(e.key) if e else None

    def surface(r):
        return f"{mentions[r.subj].text} … {mentions[r.obj].text}"

    for r in ex.relations:
        s, o = ent(r.subj), ent(r.obj)
        if s is None or o is None or s == o:
            continue
        start, end = ex.sentences[r.sent]
        sentence = art.text[start:end].strip()
        if r.open:
            node = KGID[f"statement/{_hash(art.id, start, s, r.pred, o)}"]
            yield node, RDF.type, KG.OpenRelation
            yield node, RDF.subject, s
            yield node, KG.verb, Literal(r.pred)
            yield node, RDF.object, o
            yield from _evidence_fields(node, a_iri, sentence, start, end, r.extractor, surface(r), r.attribution, r.modality)
            continue
        if not (_allowed(identity, art.id, r.subj, r.subj_class) and _allowed(identity, art.id, r.obj, r.obj_class)):
            continue
        pred = KG[r.pred]
        directions = [(s, o), (o, s)] if r.pred in SYMMETRIC else [(s, o)]
        for subj, obj in directions:
            if r.modality == "asserted":
                yield subj, pred, obj
            ev = KGID[f"evidence/{_hash(art.id, start, end, subj, pred, obj, r.extractor)}"]
            yield ev, RDF.type, KG.Evidence
            yield ev, RDF.subject, subj
            yield ev, RDF.predicate, pred
            yield ev, RDF.object, obj
            yield from _evidence_fields(ev, a_iri, sentence, start, end, r.extractor, surface(r), r.attribution, r.modality)
    for group in _same_events(ex, identity, ent):
        first = group[0]["event"]
        node = KGID[f"event/{_hash(art.id, first.trigger_start, first.cls)}"]
        yield node, RDF.type, KG[first.cls]
        # "may visit", "will meet", "did not meet": the event is kept with how it is stated
        yield node, KG.modality, Literal(first.modality)
        agents = list(dict.fromkeys(x for g in group for x in g["agents"]))
        others = [x for x in dict.fromkeys(x for g in group for x in g["others"]) if x not in agents]
        for x in agents:
            yield node, KG.agent, x
        for x in others:
            yield node, KG.participant, x
        for x in dict.fromkeys(x for g in group for x in g["places"]):
            yield node, KG.place, x
        # the date and its words from one sentence
        dated = next((g for g in group if g["date"]), None) or next((g for g in group if g["when"]), group[0])
        if dated["date"]:
            yield node, KG.date, Literal(dated["date"], datatype=XSD.date)
        if dated["event"].date_text:
            yield node, KG.dateText, Literal(dated["event"].date_text)
        for g in group:
            e = g["event"]
            start, end = ex.sentences[e.sent]
            ev = KGID[f"evidence/{_hash(art.id, start, end, node, e.extractor)}"]
            yield node, KG.evidence, ev
            yield ev, RDF.type, KG.Evidence
            yield ev, RDF.subject, node
            yield ev, RDF.predicate, RDF.type
            yield ev, RDF.object, KG[e.cls]
            yield from _evidence_fields(ev, a_iri, art.text[start:end].strip(), start, end, e.extractor, e.trigger,
                                        e.attribution, e.modality)


def _same_events(ex: ArticleExtraction, identity: Identity, ent) -> list[list[dict]]:
    """The article's events, those that are one event told twice grouped together.

    "Biden and Xi met on Wednesday at Filoli ... The meeting between Biden and Xi produced
    agreements": same class, same way of stating it, the same people, and no date or place
    that tells them apart. Events in text order; each group is one node with every sentence as
    evidence.
    """
    art = ex.article
    groups: list[list[dict]] = []
    for e in ex.events:
        agents = [x for x in (ent(m) for m in e.agents if _allowed(identity, art.id, m, e.subj_class)) if x is not None]
        others = [x for x in (ent(m) for m in e.participants if _allowed(identity, art.id, m, e.obj_class))
                  if x is not None]
        if not agents and not others:
            continue
        date = e.date or ground_date(e.date_text, art.date, e.date_tense)
        item = {"event": e, "agents": agents, "others": others,
                "places": tuple(x for x in map(ent, e.places) if x is not None), "date": date,
                # when it happened: the date, or the words of an undated article ("on Sunday")
                "when": date or (e.date_text or "").lower() or None,
                "people": frozenset(agents) | frozenset(others)}
        for group in groups:
            head = group[0]
            if head["event"].cls != e.cls or head["event"].modality != e.modality or head["people"] != item["people"]:
                continue
            members = group + [item]
            whens = {g["when"] for g in members if g["when"]}
            places = [frozenset(g["places"]) for g in members if g["places"]]
            if len(whens) <= 1 and all(a & b for a in places for b in places):
                group.append(item)
                break
        else:
            groups.append([item])
    return groups


def _allowed(identity: Identity, article_id: str, mention_id: int, classes) -> bool:
    if not classes:
        return True
    from .extract.pipeline import is_a

    ent = identity.entity_of(article_id, mention_id)
    return ent is not None and is_a(ent.cls, classes)


def _evidence_fields(node, a_iri, sentence, start, end, extractor, surface, attribution, modality):
    yield node, PROV.wasDerivedFrom, a_iri
    yield node, KG.sentence, Literal(sentence)
    yield node, KG.charStart, Literal(start)
    yield node, KG.charEnd, Literal(end)
    yield node, KG.extractor, Literal(extractor)
    yield node, KG.surface, Literal(surface)
    yield node, KG.modality, Literal(modality)
    if attribution:
        yield node, KG.attribution, Literal(attribution)


def _source_name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def union_graph(ds: Dataset) -> Graph:
    """All named graphs merged into one plain ``Graph``."""
    g = bind_all(Graph())
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


