"""Graph assembly: extractions + identity -> an rdflib ``Dataset``.

See docs/architecture.md for the data model: one named graph per article
(named by the article IRI) holding its facts, evidence and events, and the
identity graph ``kgid:graph/identity`` holding types, labels, positions and
merge records. Nothing run-dependent goes into the graph.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .extract.dates import ground_date
from .ontology import KG, KGID, bind_prefixes
from .resolve import Identity
from .types import ArticleExtraction

__all__ = ["IDENTITY_GRAPH", "SYMMETRIC", "article_iri", "entity_iri", "build_dataset", "bind_all", "union_graph"]

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
    for ent in identity.entities.values():
        node = entity_iri(ent.key)
        ident.add((node, RDF.type, KG[ent.cls]))
        ident.add((node, RDFS.label, Literal(ent.label)))
        for alt in ent.alt_labels:
            ident.add((node, SKOS.altLabel, Literal(alt)))
        for pos in ent.positions:
            ident.add((node, KG.position, Literal(pos)))
        for m in ent.merges:
            rec = KGID[f"merge/{_hash(ent.key, m.alias)}"]
            ident.add((rec, RDF.type, KG.MergeRecord))
            ident.add((rec, KG.mergedInto, node))
            ident.add((rec, KG.alias, Literal(m.alias)))
            ident.add((rec, KG.rule, Literal(m.rule)))
            ident.add((rec, KG.score, Literal(Decimal(str(m.score)), datatype=XSD.decimal)))
            if m.context:
                ident.add((rec, KG.context, Literal(m.context)))
    for ex in sorted(extractions, key=lambda e: e.article.id):
        _add_article(ds, ex, identity)
    return ds


def _add_article(ds: Dataset, ex: ArticleExtraction, identity: Identity) -> None:
    art = ex.article
    a_iri = article_iri(art.id)
    g = ds.graph(a_iri)
    g.add((a_iri, RDF.type, KG.Article))
    if art.title:
        g.add((a_iri, DCTERMS.title, Literal(art.title)))
    if art.date:
        g.add((a_iri, KG.date, Literal(art.date, datatype=XSD.date)))
    g.add((a_iri, KG.sourceFile, Literal(_source_name(art.source))))
    g.add((a_iri, KG.contentHash, Literal(hashlib.sha256(art.text.encode("utf-8")).hexdigest())))
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
            g.add((node, RDF.type, KG.OpenRelation))
            g.add((node, RDF.subject, s))
            g.add((node, KG.verb, Literal(r.pred)))
            g.add((node, RDF.object, o))
            _evidence_fields(g, node, a_iri, sentence, start, end, r.extractor, surface(r), r.attribution, r.modality)
            continue
        if not (_allowed(identity, art.id, r.subj, r.subj_class) and _allowed(identity, art.id, r.obj, r.obj_class)):
            continue
        pred = KG[r.pred]
        directions = [(s, o), (o, s)] if r.pred in SYMMETRIC else [(s, o)]
        for subj, obj in directions:
            if r.modality == "asserted":
                g.add((subj, pred, obj))
            ev = KGID[f"evidence/{_hash(art.id, start, end, subj, pred, obj, r.extractor)}"]
            g.add((ev, RDF.type, KG.Evidence))
            g.add((ev, RDF.subject, subj))
            g.add((ev, RDF.predicate, pred))
            g.add((ev, RDF.object, obj))
            _evidence_fields(g, ev, a_iri, sentence, start, end, r.extractor, surface(r), r.attribution, r.modality)
    for e in ex.events:
        agents = [ent(m) for m in e.agents if _allowed(identity, art.id, m, e.subj_class)]
        others = [ent(m) for m in e.participants if _allowed(identity, art.id, m, e.obj_class)]
        agents = [x for x in agents if x is not None]
        others = [x for x in others if x is not None]
        places = [x for x in map(ent, e.places) if x is not None]
        if not agents and not others:
            continue
        node = KGID[f"event/{_hash(art.id, e.trigger_start, e.cls)}"]
        g.add((node, RDF.type, KG[e.cls]))
        for x in agents:
            g.add((node, KG.agent, x))
        for x in others:
            g.add((node, KG.participant, x))
        for x in places:
            g.add((node, KG.place, x))
        date = e.date or ground_date(e.date_text, art.date, e.date_tense)
        if date:
            g.add((node, KG.date, Literal(date, datatype=XSD.date)))
        if e.date_text:
            g.add((node, KG.dateText, Literal(e.date_text)))
        start, end = ex.sentences[e.sent]
        ev = KGID[f"evidence/{_hash(art.id, start, end, node, e.extractor)}"]
        g.add((node, KG.evidence, ev))
        g.add((ev, RDF.type, KG.Evidence))
        g.add((ev, RDF.subject, node))
        g.add((ev, RDF.predicate, RDF.type))
        g.add((ev, RDF.object, KG[e.cls]))
        _evidence_fields(g, ev, a_iri, art.text[start:end].strip(), start, end, e.extractor, e.trigger,
                         e.attribution, e.modality)


def _allowed(identity: Identity, article_id: str, mention_id: int, classes) -> bool:
    if not classes:
        return True
    from .extract.pipeline import is_a

    ent = identity.entity_of(article_id, mention_id)
    return ent is not None and is_a(ent.cls, classes)


def _evidence_fields(g, node, a_iri, sentence, start, end, extractor, surface, attribution, modality):
    g.add((node, PROV.wasDerivedFrom, a_iri))
    g.add((node, KG.sentence, Literal(sentence)))
    g.add((node, KG.charStart, Literal(start)))
    g.add((node, KG.charEnd, Literal(end)))
    g.add((node, KG.extractor, Literal(extractor)))
    g.add((node, KG.surface, Literal(surface)))
    g.add((node, KG.modality, Literal(modality)))
    if attribution:
        g.add((node, KG.attribution, Literal(attribution)))


def _source_name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def union_graph(ds: Dataset) -> Graph:
    """All named graphs merged into one plain ``Graph``."""
    g = bind_all(Graph())
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


