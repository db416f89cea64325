"""Graph analytics over a built graph: networkx view, centrality, communities, paths with evidence.

Every function takes the RDF graph as built (:func:`kg.load_graph`, ``BuildResult.dataset`` or
any rdflib ``Graph``); :func:`centrality` and :func:`communities` also take the networkx graph
from :func:`to_networkx`. Entities are the nodes with an ``rdfs:label``; facts are the plain
``kg:`` triples between two entities (negated, hedged and planned statements have evidence
but no triple, so they are not facts here). Entities are named by their canonical name or any
other name (``skos:altLabel``), case-insensitively, or by IRI.

>>> import kg
>>> g = kg.load_graph("out")                                          # doctest: +SKIP
>>> [h.predicate for h in kg.shortest_path(g, "Kim Jong Un", "Kalibr")]  # doctest: +SKIP
['inspected', 'carries']
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from .errors import KGError
from .graph import SYMMETRIC, union_graph
from .ontology import KG

__all__ = [
    "to_networkx", "find_entity", "centrality", "communities", "shortest_path", "entity_card", "graph_stats",
    "EntityRef", "Evidence", "Fact", "Hop", "Event", "Merge", "Centrality", "EntityCard", "GraphStats",
    "EntityNotFoundError", "AmbiguousEntityError", "NoPathError",
]

_NS = str(KG._NS)
_NON_FACT = {KG.agent, KG.participant, KG.place, KG.evidence, KG.mergedInto}


# ---------------------------------------------------------------- errors


class EntityNotFoundError(KGError):
    """No entity has this name (as ``rdfs:label`` or ``skos:altLabel``)."""

    def __init__(self, name: str, suggestions=()):
        self.name = name
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(map(repr, self.suggestions))}?" if self.suggestions else ""
        super().__init__(f"no entity named {name!r}{hint}")


class AmbiguousEntityError(KGError):
    """Several entities have this name; ``candidates`` lists them."""

    def __init__(self, name: str, candidates):
        self.name = name
        self.candidates = list(candidates)
        listed = "; ".join(f"{c.label} ({c.cls or 'untyped'}, {c.iri})" for c in self.candidates)
        super().__init__(f"{name!r} names {len(self.candidates)} entities: {listed}; use the IRI or the full name")


class NoPathError(KGError):
    """The two entities are not connected by facts in either direction."""

    def __init__(self, source: "EntityRef", target: "EntityRef"):
        self.source, self.target = source, target
        super().__init__(f"no path between {source.label} and {target.label}: no chain of facts connects them")


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class EntityRef:
    """An entity: ``iri``, canonical ``label`` and ``cls`` (kg: class local name, or None)."""

    iri: str
    label: str
    cls: str | None = None

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Evidence:
    """One supporting sentence of a fact, with its article and how it was said."""

    sentence: str
    article: str
    title: str | None = None
    date: str | None = None  # article date, ISO
    attribution: str | None = None
    modality: str | None = None
    extractor: str | None = None


@dataclass(frozen=True)
class Fact:
    """``subject predicate object`` (predicate as kg: local name) with its evidence."""

    subject: EntityRef
    predicate: str
    object: EntityRef
    evidence: tuple[Evidence, ...] = ()

    def __str__(self) -> str:
        return f"{self.subject.label} {self.predicate} {self.object.label}"


@dataclass(frozen=True)
class Hop:
    """One step of a path, from ``source`` to ``target``, and every fact linking the two.

    ``predicate``, ``direction`` and ``evidence`` describe the first fact: ``direction`` is
    ``"forward"`` when it reads ``source predicate target`` and ``"backward"`` when it reads
    ``target predicate source``.
    """

    source: EntityRef
    target: EntityRef
    facts: tuple[Fact, ...]

    @property
    def predicate(self) -> str:
        return self.facts[0].predicate

    @property
    def direction(self) -> str:
        return "forward" if self.facts[0].subject == self.source else "backward"

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return self.facts[0].evidence

    def __str__(self) -> str:
        if self.direction == "forward":
            return f"{self.source.label} -{self.predicate}-> {self.target.label}"
        return f"{self.source.label} <-{self.predicate}- {self.target.label}"


@dataclass(frozen=True)
class Event:
    """An event an entity takes part in, and its ``role`` in it: agent, participant or place
    (``"agent and participant"`` when it is both)."""

    iri: str
    cls: str | None
    role: str
    date: str | None = None
    date_text: str | None = None
    others: tuple[EntityRef, ...] = ()
    sentence: str | None = None


@dataclass(frozen=True)
class Merge:
    """A name merged into an entity, by ``rule`` with ``score`` and ``context``."""

    alias: str
    rule: str
    score: float | None = None
    context: str | None = None


@dataclass(frozen=True)
class Centrality:
    """``degree``: distinct neighbours; ``betweenness``: normalised, on the undirected simple view."""

    iri: str
    label: str
    cls: str | None
    degree: int
    betweenness: float


@dataclass(frozen=True)
class EntityCard:
    """Everything the graph says about one entity."""

    entity: EntityRef
    other_names: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    merges: tuple[Merge, ...] = ()
    facts_out: tuple[Fact, ...] = ()
    facts_in: tuple[Fact, ...] = ()
    events: tuple[Event, ...] = ()


@dataclass
class GraphStats:
    """Counts of a built graph and its most central entities."""

    articles: int = 0
    entities: Counter = field(default_factory=Counter)  # by class
    facts: Counter = field(default_factory=Counter)  # by predicate (kg:met counts both directions)
    events: Counter = field(default_factory=Counter)  # by class
    evidence: int = 0
    central: list[Centrality] = field(default_factory=list)


# ---------------------------------------------------------------- the graph as read


def _union(graph) -> Graph:
    """A triple view of ``graph``: the graph itself, or the union of a dataset's graphs."""
    if hasattr(graph, "graphs"):
        if getattr(graph, "default_union", False):
            return graph
        return union_graph(graph)
    return graph


def _local(term) -> str | None:
    s = str(term)
    return s[len(_NS):] if s.startswith(_NS) else None


def _class_of(g, node) -> str | None:
    names = sorted(n for n in (_local(t) for t in g.objects(node, RDF.type)) if n)
    return names[0] if names else None


def _ref(g, node) -> EntityRef | None:
    label = g.value(node, RDFS.label)
    if label is None:
        return None
    return EntityRef(str(node), str(label), _class_of(g, node))


def _entities(g) -> dict[URIRef, EntityRef]:
    out = {}
    for node, label in g.subject_objects(RDFS.label):
        if isinstance(node, URIRef) and node not in out:
            out[node] = EntityRef(str(node), str(label), _class_of(g, node))
    return out


def _is_fact(p, o) -> bool:
    return isinstance(o, URIRef) and str(p).startswith(_NS) and p not in _NON_FACT


# kg: terms whose name starts lower-case are properties; KG is closed, so no other kg: predicate exists
_PROPERTIES = tuple(KG[name] for name in KG.__annotations__ if name[:1].islower())


def _kg_triples(g):
    """Triples with a kg: predicate and an IRI object, one indexed lookup per predicate."""
    for p in _PROPERTIES:
        for s, o in g.subject_objects(p):
            if isinstance(o, URIRef):
                yield s, p, o


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def to_networkx(graph):
    """Entities as nodes, facts as edges.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are entity IRIs with attributes ``label`` and ``cls``; each fact ``s p o`` is an
        edge ``s -> o`` with key and attribute ``predicate`` (kg: local name).
    """
    import networkx as nx

    g = _union(graph)
    out = nx.MultiDiGraph()
    for node, label in g.subject_objects(RDFS.label):
        if str(node) in out:
            continue
        types = [str(t)[len(_NS):] for t in g.objects(node, RDF.type) if str(t).startswith(_NS)]
        out.add_node(str(node), label=str(label), cls=types[0] if types else None)
    for s, p, o in _kg_triples(g):
        if str(s) in out and str(o) in out:
            out.add_edge(str(s), str(o), key=str(p)[len(_NS):], predicate=str(p)[len(_NS):])
    return out


def _simple(graph):
    """The undirected simple view (``networkx.Graph``), nodes and edges in sorted order."""
    import networkx as nx

    multi = graph if isinstance(graph, nx.Graph) else to_networkx(graph)
    simple = nx.Graph()
    simple.add_nodes_from(sorted(multi.nodes(data=True), key=lambda nd: nd[0]))
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in multi.edges() if u != v}))
    return simple


# ---------------------------------------------------------------- lookup


def find_entity(graph, name) -> EntityRef:
    """The entity called ``name``.

    Looks, in order, for an exact ``rdfs:label``, a case-insensitive ``rdfs:label`` and a
    case-insensitive ``skos:altLabel``; the first kind that matches decides. An IRI is
    accepted too.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
    name : str or EntityRef

    Returns
    -------
    EntityRef

    Raises
    ------
    EntityNotFoundError
        No entity has that name (the message suggests close names).
    AmbiguousEntityError
        Several entities have it; ``err.candidates`` lists them.
    """
    if isinstance(name, EntityRef):
        return name
    return _find(_union(graph), name)


def _find(g, name) -> EntityRef:
    name = str(name).strip()
    if not name:
        raise EntityNotFoundError(name)
    if name.startswith(("http://", "https://")):
        ref = _ref(g, URIRef(name))
        if ref is None:
            raise EntityNotFoundError(name)
        return ref
    key = _fold(name)
    exact, folded, alt = set(), set(), set()
    names = set()
    for node, label in g.subject_objects(RDFS.label):
        names.add(str(label))
        if str(label) == name:
            exact.add(node)
        elif _fold(label) == key:
            folded.add(node)
    if not exact and not folded:
        for node, label in g.subject_objects(SKOS.altLabel):
            names.add(str(label))
            if _fold(label) == key and g.value(node, RDFS.label) is not None:
                alt.add(node)
    for tier in (exact, folded, alt):
        if len(tier) == 1:
            return _ref(g, next(iter(tier)))
        if tier:
            cands = sorted((_ref(g, n) for n in tier), key=lambda r: (r.label, r.iri))
            raise AmbiguousEntityError(name, cands)
    by_fold = {}
    for n in sorted(names):
        by_fold.setdefault(_fold(n), n)
    close = difflib.get_close_matches(key, list(by_fold), n=3, cutoff=0.6)
    contains = [f for f in sorted(by_fold) if key in f and f not in close][: 3 - len(close)]
    raise EntityNotFoundError(name, [by_fold[f] for f in close + contains])


# ---------------------------------------------------------------- facts and evidence


def _evidence(g, s, p, o) -> tuple[Evidence, ...]:
    found = []
    for ev in set(g.subjects(RDF.subject, s)):
        if (ev, RDF.predicate, p) not in g or (ev, RDF.object, o) not in g:
            continue
        sentence = g.value(ev, KG.sentence)
        if sentence is None:
            continue
        art = g.value(ev, PROV.wasDerivedFrom)
        title = g.value(art, DCTERMS.title) if art is not None else None
        date = g.value(art, KG.date) if art is not None else None

        def opt(pred):
            v = g.value(ev, pred)
            return None if v is None else str(v)

        found.append(Evidence(str(sentence), str(art) if art is not None else "",
                              None if title is None else str(title), None if date is None else str(date),
                              opt(KG.attribution), opt(KG.modality), opt(KG.extractor)))
    return tuple(sorted(found, key=lambda e: (e.modality != "asserted", e.date or "", e.article, e.sentence)))


def _facts_between(g, u: EntityRef, v: EntityRef) -> tuple[Fact, ...]:
    a, b = URIRef(u.iri), URIRef(v.iri)
    facts = []
    for s, o, ref_s, ref_o in ((a, b, u, v), (b, a, v, u)):
        for p in sorted(set(g.predicates(s, o)), key=str):
            if not _is_fact(p, o):
                continue
            pred = _local(p)
            if pred in SYMMETRIC and s == b and (a, p, b) in g:
                continue  # symmetric facts are asserted both ways; show them once, forward
            facts.append(Fact(ref_s, pred, ref_o, _evidence(g, s, p, o)))
    facts.sort(key=lambda f: (f.subject != u, -len(f.evidence), f.predicate))
    return tuple(facts)


def shortest_path(graph, a, b) -> list[Hop]:
    """The shortest chain of facts from ``a`` to ``b``, each hop with its evidence.

    Facts are followed in either direction (the undirected view): each :class:`Hop` says
    whether its fact reads forward (``a met b``) or backward (``b briefed a``), and carries
    every fact between its two entities with their evidence sentences and article titles.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
    a, b : str or EntityRef
        Names (label or other name, any case) or IRIs, resolved with :func:`find_entity`.

    Returns
    -------
    list of Hop
        Empty when ``a`` and ``b`` are the same entity.

    Raises
    ------
    EntityNotFoundError, AmbiguousEntityError
        A name does not resolve to one entity.
    NoPathError
        No chain of facts connects them.
    """
    import networkx as nx

    g = _union(graph)
    src = a if isinstance(a, EntityRef) else _find(g, a)
    dst = b if isinstance(b, EntityRef) else _find(g, b)
    if src.iri == dst.iri:
        return []
    simple = _simple(g)
    try:
        nodes = nx.shortest_path(simple, src.iri, dst.iri)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        raise NoPathError(src, dst) from None
    ents = {n: EntityRef(n, simple.nodes[n]["label"], simple.nodes[n]["cls"]) for n in nodes}
    return [Hop(ents[u], ents[v], _facts_between(g, ents[u], ents[v])) for u, v in zip(nodes, nodes[1:])]


def entity_card(graph, name) -> EntityCard:
    """Everything about one entity: names, class, positions, merges, facts in and out, events.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
    name : str or EntityRef
        Resolved with :func:`find_entity`.

    Returns
    -------
    EntityCard
        Facts sorted by predicate and the other entity's name, each with its evidence.
    """
    g = _union(graph)
    ent = name if isinstance(name, EntityRef) else _find(g, name)
    node = URIRef(ent.iri)
    refs = {}

    def ref(n):
        if n not in refs:
            refs[n] = _ref(g, n)
        return refs[n]

    out_facts, in_facts = [], []
    for p, o in sorted(set(g.predicate_objects(node)), key=lambda po: (str(po[0]), str(po[1]))):
        if _is_fact(p, o) and ref(o) is not None:
            out_facts.append(Fact(ent, _local(p), ref(o), _evidence(g, node, p, o)))
    for s, p in sorted(set(g.subject_predicates(node)), key=lambda sp: (str(sp[1]), str(sp[0]))):
        if _is_fact(p, node) and ref(s) is not None:
            in_facts.append(Fact(ref(s), _local(p), ent, _evidence(g, s, p, node)))
    out_facts.sort(key=lambda f: (f.predicate, f.object.label))
    in_facts.sort(key=lambda f: (f.predicate, f.subject.label))
    merges = []
    for rec in set(g.subjects(KG.mergedInto, node)):
        score = g.value(rec, KG.score)
        ctx = g.value(rec, KG.context)
        merges.append(Merge(str(g.value(rec, KG.alias)), str(g.value(rec, KG.rule)),
                            None if score is None else float(score.toPython()), None if ctx is None else str(ctx)))
    roles: dict = {}
    for role, pred in (("agent", KG.agent), ("participant", KG.participant), ("place", KG.place)):
        for ev in g.subjects(pred, node):
            roles.setdefault(ev, [])
            if role not in roles[ev]:
                roles[ev].append(role)
    events = []
    for ev, rs in roles.items():
        others = {ref(x) for p2 in (KG.agent, KG.participant, KG.place) for x in g.objects(ev, p2) if x != node}
        date, text = g.value(ev, KG.date), g.value(ev, KG.dateText)
        rec = g.value(ev, KG.evidence)
        sent = g.value(rec, KG.sentence) if rec is not None else None
        events.append(Event(str(ev), _class_of(g, ev), " and ".join(rs), None if date is None else str(date),
                            None if text is None else str(text),
                            tuple(sorted((o for o in others if o is not None), key=lambda r: r.label)),
                            None if sent is None else str(sent)))
    events.sort(key=lambda e: (e.date is None, e.date or "", e.cls or "", e.iri))
    return EntityCard(
        entity=ent,
        other_names=tuple(sorted({str(x) for x in g.objects(node, SKOS.altLabel)} - {ent.label})),
        positions=tuple(sorted({str(x) for x in g.objects(node, KG.position)})),
        merges=tuple(sorted(merges, key=lambda m: m.alias)),
        facts_out=tuple(out_facts),
        facts_in=tuple(in_facts),
        events=tuple(events),
    )


# ---------------------------------------------------------------- network measures


def centrality(graph, top: int | None = 10) -> list[Centrality]:
    """The most central entities: degree and betweenness on the undirected simple view.

    Parameters
    ----------
    graph : rdflib.Graph, rdflib.Dataset or networkx graph (from :func:`to_networkx`)
    top : int or None
        How many to return (None: all).

    Returns
    -------
    list of Centrality
        Sorted by degree, then betweenness (both descending), then label. Betweenness is
        exact up to 1,000 entities; above, estimated from a sample of sources
        (seed 0; 100 sources for 5,000 entities and 15,000 facts).
    """
    import networkx as nx

    simple = _simple(graph)
    n = simple.number_of_nodes()
    if n == 0:
        return []
    # exact up to 1,000 entities; above, sampled sources within a fixed work budget (a few seconds)
    k = None if n <= 1000 else max(50, min(n, 2_000_000 // (n + simple.number_of_edges())))
    between = nx.betweenness_centrality(simple, k=k, seed=0 if k else None, normalized=True)
    rows = [Centrality(node, d.get("label") or node, d.get("cls"), simple.degree(node), round(between[node], 6))
            for node, d in simple.nodes(data=True)]
    rows.sort(key=lambda c: (-c.degree, -c.betweenness, c.label, c.iri))
    return rows if top is None else rows[:top]


def communities(graph, min_size: int = 1) -> list[list[EntityRef]]:
    """Communities of entities: networkx Louvain on the undirected simple view, seed 0.

    Deterministic: the same graph gives the same communities.

    Parameters
    ----------
    graph : rdflib.Graph, rdflib.Dataset or networkx graph (from :func:`to_networkx`)
    min_size : int
        Leave out smaller communities (``2`` drops isolated entities).

    Returns
    -------
    list of list of EntityRef
        Largest community first; members by degree (descending), then label.
    """
    import networkx as nx

    simple = _simple(graph)
    if simple.number_of_edges() == 0:
        groups = [{n} for n in simple.nodes]
    else:
        groups = nx.community.louvain_communities(simple, seed=0)

    def member(n):
        d = simple.nodes[n]
        return EntityRef(n, d.get("label") or n, d.get("cls"))

    out = []
    for grp in groups:
        if len(grp) < min_size:
            continue
        out.append([member(n) for n in sorted(grp, key=lambda n: (-simple.degree(n), simple.nodes[n].get("label") or n, n))])
    out.sort(key=lambda c: (-len(c), c[0].label))
    return out


def graph_stats(graph, top: int = 10) -> GraphStats:
    """Counts by class and predicate, articles, evidence records, events, and the ``top`` central entities."""
    g = _union(graph)
    ents = _entities(g)
    stats = GraphStats()
    stats.entities = Counter(e.cls or "untyped" for e in ents.values())
    stats.articles = len(set(g.subjects(RDF.type, KG.Article)))
    stats.evidence = len(set(g.subjects(RDF.type, KG.Evidence)))
    for s, p, o in _kg_triples(g):
        if s in ents and o in ents and p not in _NON_FACT:
            stats.facts[_local(p)] += 1
    for ev in set(g.subjects(KG.evidence, None)):
        stats.events[_class_of(g, ev) or "Event"] += 1
    stats.central = centrality(g, top=top)
    return stats
