"""The kg ontology in Python: the ``KG`` vocabulary, the instance namespace and ``ontology/kg.ttl``.

``KG`` is a closed :class:`~rdflib.namespace.DefinedNamespace`: ``KG.met`` is the IRI
``https://w3id.org/kg-news/ontology#met`` and ``KG.NoSuchTerm`` raises ``AttributeError``.
It lists exactly the terms declared in ``ontology/kg.ttl`` (``tests/test_ontology.py`` checks
both directions).

Importing this module reads no file; :func:`load_ontology` and :func:`superclasses` parse
``kg.ttl`` on first use.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from kg.errors import GraphError

__all__ = [
    "KG",
    "KGID",
    "SCHEMA",
    "ONTOLOGY_DIR",
    "ONTOLOGY_FILE",
    "ENTITY_CLASSES",
    "EVENT_CLASSES",
    "load_ontology",
    "bind_prefixes",
    "superclasses",
]


class KG(DefinedNamespace):
    """Terms of ``https://w3id.org/kg-news/ontology#`` (prefix ``kg:``), as declared in kg.ttl."""

    _NS = Namespace("https://w3id.org/kg-news/ontology#")
    _fail = True

    # Classes: entities
    Entity: URIRef  # superclass of everything the graph keeps an identity for
    Person: URIRef
    Organization: URIRef
    MilitaryUnit: URIRef  # ⊑ Organization: navy, fleet, army, regiment
    Place: URIRef
    Country: URIRef  # ⊑ Place
    City: URIRef  # ⊑ Place
    Region: URIRef  # ⊑ Place: province, oblast, named area
    Facility: URIRef  # ⊑ Place: airfield, port, base, factory
    Equipment: URIRef
    Vessel: URIRef  # ⊑ Equipment
    Aircraft: URIRef  # ⊑ Equipment
    Weapon: URIRef  # ⊑ Equipment

    # Classes: events
    Event: URIRef  # n-ary event node
    Meeting: URIRef  # ⊑ Event
    Visit: URIRef  # ⊑ Event
    Inspection: URIRef  # ⊑ Event
    Briefing: URIRef  # ⊑ Event

    # Classes: provenance records
    Article: URIRef  # one cleaned article; its IRI names its graph
    Evidence: URIRef  # reified supporting statement (rdf:Statement, prov:Entity)
    OpenRelation: URIRef  # unmapped verb relation, reified, never asserted
    MergeRecord: URIRef  # why an alias was merged into an entity (prov:Activity)

    # Object properties: facts between entities
    met: URIRef  # symmetric, Person–Person; assert both directions
    briefed: URIRef  # Entity → Entity
    visited: URIRef  # Entity → Entity
    inspected: URIRef  # Entity → Entity
    killed: URIRef  # Entity → Person
    attacked: URIRef  # Entity → Entity (shot, stabbed, wounded: not said to have died)
    carries: URIRef  # Equipment → Equipment
    affiliatedWith: URIRef  # Person → Organization/Country ("Russian Defense Minister X")
    leads: URIRef  # Person → Entity; ⊑ affiliatedWith
    commands: URIRef  # Person → Organization; ⊑ leads
    memberOf: URIRef  # Entity → Organization
    partOf: URIRef  # Entity → Entity
    locatedIn: URIRef  # Entity → Place
    basedIn: URIRef  # Entity → Place
    livesIn: URIRef  # Person → Place
    bornIn: URIRef  # Person → Place (birthplace)

    # Object properties: events
    agent: URIRef  # Event → Entity: who does it
    participant: URIRef  # Event → Entity: who takes part
    place: URIRef  # Event → Place
    evidence: URIRef  # Event → Evidence

    # Object properties: identity
    mergedInto: URIRef  # MergeRecord → Entity

    # Datatype properties: entities and events
    date: URIRef  # xsd:date of an event or article
    dateText: URIRef  # the date expression as written ("On Saturday")
    position: URIRef  # role text of a person ("Defense Minister")

    # Datatype properties: evidence and open relations
    sentence: URIRef  # supporting sentence text
    charStart: URIRef  # xsd:integer, sentence start in the cleaned text
    charEnd: URIRef  # xsd:integer, sentence end (exclusive)
    extractor: URIRef  # pattern name
    surface: URIRef  # original words of the arguments
    attribution: URIRef  # who said it
    modality: URIRef  # "asserted" | "negated" | "hedged"
    verb: URIRef  # lemma of an open relation

    # Datatype properties: articles
    sourceFile: URIRef  # input path
    contentHash: URIRef  # hex SHA-256 of the cleaned text
    extraction: URIRef  # store bookkeeping: the article's extraction JSON
    identitySignature: URIRef  # store bookkeeping: hash of the article's mention -> entity map

    # Datatype properties: merge records
    rule: URIRef  # merge rule name
    score: URIRef  # xsd:decimal
    context: URIRef  # supporting context text
    alias: URIRef  # the surface form merged


KGID = Namespace("https://w3id.org/kg-news/id/")
"""Instance namespace (prefix ``kgid:``); see docs/architecture.md for the IRI scheme."""

SCHEMA = Namespace("http://schema.org/")
"""schema.org as kg.ttl uses it (``http:``; rdflib's ``SDO`` is ``https:``, a different IRI)."""

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"

# Classes at or under kg:Entity / kg:Event. Literal so that importing reads no file;
# tests/test_ontology.py checks them against the rdfs:subClassOf closure of kg.ttl.
ENTITY_CLASSES: frozenset[str] = frozenset(
    {
        "Entity",
        "Person",
        "Organization",
        "MilitaryUnit",
        "Place",
        "Country",
        "City",
        "Region",
        "Facility",
        "Equipment",
        "Vessel",
        "Aircraft",
        "Weapon",
    }
)
EVENT_CLASSES: frozenset[str] = frozenset({"Event", "Meeting", "Visit", "Inspection", "Briefing"})


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    """The parsed kg.ttl, shared: callers here only read it."""
    try:
        text = ONTOLOGY_FILE.read_text(encoding="utf-8")
    except OSError as err:
        raise GraphError(f"cannot read the ontology {ONTOLOGY_FILE}: {err.strerror or err}") from err
    graph = Graph(bind_namespaces="none")
    graph.parse(data=text, format="turtle")
    return bind_prefixes(graph)


def load_ontology() -> Graph:
    """Return kg.ttl as a new graph (a fresh copy each call; the parse itself is cached)."""
    copy = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in _ontology():
        copy.add(triple)
    return copy


def bind_prefixes(graph: Graph) -> Graph:
    """Bind kg, kgid, schema, prov, skos, dcterms, owl, xsd, rdfs, rdf on ``graph``; return it.

    Existing bindings of these prefixes are replaced, so ``schema`` is ``http://schema.org/``
    even on a graph where rdflib pre-bound it to ``https://schema.org/``.
    """
    prefixes = {
        "kg": KG._NS,
        "kgid": KGID,
        "schema": SCHEMA,
        "prov": PROV._NS,
        "skos": SKOS._NS,
        "dcterms": DCTERMS._NS,
        "owl": OWL._NS,
        "xsd": XSD._NS,
        "rdfs": RDFS._NS,
        "rdf": RDF._NS,
    }
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def superclasses(local_name: str) -> list[str]:
    """kg: superclasses of the kg: class ``local_name``, transitively, nearest first.

    Only kg: classes are listed (by local name), not the class itself nor the schema.org / PROV-O
    classes it is aligned with. ``superclasses("Vessel") == ["Equipment", "Entity"]``.
    Raises ``ValueError`` when kg.ttl declares no such class.
    """
    graph = _ontology()
    start = KG._NS[local_name]
    if (start, RDF.type, OWL.Class) not in graph:
        raise ValueError(f"not a class of the kg ontology: {local_name!r}")
    prefix = str(KG._NS)
    found: list[str] = []
    frontier = [start]
    seen = {start}
    while frontier:
        nxt = []
        for cls in frontier:
            for parent in sorted(graph.objects(cls, RDFS.subClassOf)):
                if isinstance(parent, URIRef) and parent not in seen:
                    seen.add(parent)
                    nxt.append(parent)
                    if str(parent).startswith(prefix):
                        found.append(str(parent)[len(prefix):])
        frontier = nxt
    return found
