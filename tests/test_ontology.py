"""ontology/kg.ttl and its Python vocabulary kg.ontology.KG stay well-formed and in step."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg.ontology import (
    ENTITY_CLASSES,
    EVENT_CLASSES,
    KG,
    KGID,
    ONTOLOGY_FILE,
    SCHEMA,
    bind_prefixes,
    load_ontology,
    superclasses,
)

NS = str(KG._NS)
EXTERNAL = (str(SCHEMA), str(PROV._NS), str(RDF._NS))  # what counts as an alignment target

# Properties with no schema.org / PROV-O counterpart. Each must have no external super-property,
# and every other term must have one: adding a term means aligning it or listing it here.
NATIVE_PROPERTIES = {
    # binary shortcuts of events; rdfs:seeAlso points to the event class
    "briefed",
    "visited",
    "inspected",
    "killed",
    "attacked",
    # bookkeeping of events, evidence, open relations, articles and merge records
    "dateText",
    "extraction",
    "identitySignature",
    "sentence",
    "charStart",
    "charEnd",
    "extractor",
    "surface",
    "attribution",
    "modality",
    "verb",
    "sourceFile",
    "rule",
    "score",
    "context",
    "alias",
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def kg_subjects(graph: Graph) -> set[str]:
    return {str(s)[len(NS) :] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}


def kg_terms_used(graph: Graph) -> set[str]:
    """Every kg: IRI anywhere in the file, as subject, predicate or object."""
    return {
        str(t)[len(NS) :] for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)
    }


def python_terms() -> set[str]:
    return {name for name in KG.__annotations__ if not name.startswith("_")}


def ancestors(graph: Graph, term: URIRef, link: URIRef) -> set[URIRef]:
    return set(graph.transitive_objects(term, link)) - {term}


def declared(graph: Graph, kind: URIRef) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, kind) if str(s).startswith(NS)}


def test_parses_and_declares_the_ontology(onto):
    ontology = URIRef("https://w3id.org/kg-news/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in onto
    for predicate in (RDFS.label, RDFS.comment, OWL.versionInfo):
        assert onto.value(ontology, predicate) is not None, predicate


def test_every_term_has_one_plain_label_and_one_comment(onto):
    terms = kg_subjects(onto)
    assert terms
    for name in sorted(terms):
        term = KG._NS[name]
        labels = list(onto.objects(term, RDFS.label))
        comments = list(onto.objects(term, RDFS.comment))
        assert len(labels) == 1, f"kg:{name} has {len(labels)} rdfs:label"
        assert len(comments) == 1, f"kg:{name} has {len(comments)} rdfs:comment"
        (label,) = labels
        assert isinstance(label, Literal) and label.language is None and label.datatype is None, name
        assert str(label).strip() and str(comments[0]).strip(), name


def test_every_term_is_typed(onto):
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for name in kg_subjects(onto):
        types = set(onto.objects(KG._NS[name], RDF.type))
        assert types & kinds, f"kg:{name} is not an owl:Class, owl:ObjectProperty or owl:DatatypeProperty"


def test_python_vocabulary_matches_the_ttl(onto):
    in_ttl = kg_subjects(onto)
    in_py = python_terms()
    assert not in_py - in_ttl, f"in KG but not declared in kg.ttl: {sorted(in_py - in_ttl)}"
    assert not in_ttl - in_py, f"declared in kg.ttl but not in KG: {sorted(in_ttl - in_py)}"
    # no kg: IRI is referenced in the ttl without being declared there
    assert kg_terms_used(onto) <= in_ttl, sorted(kg_terms_used(onto) - in_ttl)


def test_unknown_term_raises():
    with pytest.raises(AttributeError):
        KG.NoSuchTerm  # noqa: B018
    with pytest.raises(AttributeError):
        KG["person"]  # case matters: the class is Person
    assert KG.Person == URIRef(NS + "Person")
    assert KG.met in KG


@pytest.mark.parametrize(
    "child, parent",
    [
        ("MilitaryUnit", "Organization"),
        *[(c, "Place") for c in ("Country", "City", "Region", "Facility")],
        *[(c, "Equipment") for c in ("Vessel", "Aircraft", "Weapon")],
        *[(c, "Event") for c in ("Meeting", "Visit", "Inspection", "Briefing")],
        *[(c, "Entity") for c in ("Person", "Organization", "Place", "Equipment")],
    ],
)
def test_class_hierarchy(onto, child, parent):
    assert (KG[child], RDFS.subClassOf, KG[parent]) in onto
    assert parent in superclasses(child)


def test_record_classes(onto):
    assert (KG.Evidence, RDFS.subClassOf, RDF.Statement) in onto
    assert (KG.Evidence, RDFS.subClassOf, PROV.Entity) in onto
    assert (KG.OpenRelation, RDFS.subClassOf, RDF.Statement) in onto
    assert (KG.MergeRecord, RDFS.subClassOf, PROV.Activity) in onto
    assert (KG.Article, RDFS.subClassOf, SCHEMA.NewsArticle) in onto
    # events are not entities
    assert "Entity" not in superclasses("Meeting")


def test_met_is_symmetric(onto):
    assert (KG.met, RDF.type, OWL.SymmetricProperty) in onto
    assert (KG.met, RDFS.domain, KG.Person) in onto
    assert (KG.met, RDFS.range, KG.Person) in onto


def test_datatype_ranges(onto):
    assert (KG.date, RDFS.range, XSD.date) in onto
    assert (KG.charStart, RDFS.range, XSD.integer) in onto
    assert (KG.charEnd, RDFS.range, XSD.integer) in onto
    assert (KG.score, RDFS.range, XSD.decimal) in onto
    for prop in declared(onto, OWL.DatatypeProperty):
        assert onto.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


def test_properties_are_object_xor_datatype(onto):
    both = declared(onto, OWL.ObjectProperty) & declared(onto, OWL.DatatypeProperty)
    assert not both


def test_alignment(onto):
    """Every class and property is under a schema.org, PROV-O or rdf term, directly or transitively."""

    def aligned(term: URIRef, link: URIRef) -> bool:
        return any(str(t).startswith(EXTERNAL) for t in ancestors(onto, term, link))

    for cls in declared(onto, OWL.Class):
        assert aligned(cls, RDFS.subClassOf), f"{cls} has no schema.org/PROV/rdf superclass"

    unaligned = set()
    for prop in declared(onto, OWL.ObjectProperty) | declared(onto, OWL.DatatypeProperty):
        if not aligned(prop, RDFS.subPropertyOf):
            unaligned.add(str(prop)[len(NS) :])
    assert unaligned == NATIVE_PROPERTIES, (
        f"align these or list them as native: {sorted(unaligned - NATIVE_PROPERTIES)}; "
        f"aligned now, drop from NATIVE_PROPERTIES: {sorted(NATIVE_PROPERTIES - unaligned)}"
    )


def test_specific_alignments(onto):
    assert (KG.met, RDFS.subPropertyOf, SCHEMA.knows) in onto
    assert (KG.memberOf, RDFS.subPropertyOf, SCHEMA.memberOf) in onto
    assert (KG.partOf, RDFS.subPropertyOf, SCHEMA.isPartOf) in onto
    assert (KG.locatedIn, RDFS.subPropertyOf, SCHEMA.containedInPlace) in onto
    assert (KG.participant, RDFS.subPropertyOf, SCHEMA.attendee) in onto
    assert (KG.evidence, RDFS.subPropertyOf, PROV.wasDerivedFrom) in onto
    assert (KG.date, RDFS.subPropertyOf, SCHEMA.startDate) in onto
    assert (KG.position, RDFS.subPropertyOf, SCHEMA.jobTitle) in onto
    assert SCHEMA.affiliation in ancestors(onto, KG.commands, RDFS.subPropertyOf)


def subclass_closure(graph: Graph, root: URIRef) -> set[str]:
    return {str(c)[len(NS) :] for c in graph.transitive_subjects(RDFS.subClassOf, root)}


def test_entity_and_event_classes_match_the_ttl(onto):
    assert ENTITY_CLASSES == subclass_closure(onto, KG.Entity)
    assert EVENT_CLASSES == subclass_closure(onto, KG.Event)
    assert not ENTITY_CLASSES & EVENT_CLASSES


def test_superclasses():
    assert superclasses("Vessel") == ["Equipment", "Entity"]
    assert superclasses("MilitaryUnit") == ["Organization", "Entity"]
    assert superclasses("Entity") == []
    assert superclasses("Evidence") == []
    with pytest.raises(ValueError):
        superclasses("met")
    with pytest.raises(ValueError):
        superclasses("NoSuchClass")


def test_load_ontology_returns_a_fresh_copy(onto):
    first = load_ontology()
    assert len(first) == len(onto)
    first.remove((None, None, None))
    assert len(load_ontology()) == len(onto)


def test_bind_prefixes_overrides_rdflib_defaults():
    graph = bind_prefixes(Graph())  # rdflib pre-binds schema to https://schema.org/
    bound = dict(graph.namespaces())
    assert bound["schema"] == URIRef("http://schema.org/")
    assert bound["kg"] == URIRef(NS)
    assert bound["kgid"] == URIRef(str(KGID))
    for prefix in ("prov", "skos", "dcterms", "owl", "xsd", "rdfs", "rdf"):
        assert prefix in bound
    graph.add((KGID["person/kim-jong-un"], RDF.type, SCHEMA.Person))
    text = graph.serialize(format="turtle")
    assert "schema:Person" in text  # kgid: IRIs with "/" are written in full by rdflib's turtle
