"""Score a built graph against gold facts (``kg eval gold``).

The gold format is the one of ``../shared/eval/seeds_gold.tsv`` (its header
gives the matching rules): ``subject<TAB>predicate<TAB>object``, `` | ``
between alternatives, a quoted object for a literal, ``type`` for rdf:type,
and a leading ``!`` for a negative that must not hold.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS

from .errors import InputError
from .ontology import KG, ONTOLOGY_DIR, SCHEMA

__all__ = ["GoldFact", "GoldReport", "read_gold", "normalize", "score_gold"]

_NAME_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SCHEMA.name,
                    SCHEMA.alternateName, FOAF.name, URIRef("https://schema.org/name"),
                    URIRef("https://schema.org/alternateName"))
_ENTITY_ROOTS = ("Entity", "Person", "Organization", "Place", "Equipment")


def normalize(text: str) -> str:
    """The header's normalisation: NFKC, casefold, ’ as ', drop a leading "the ",
    "'s" as "s", then keep only letters and digits."""
    t = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    t = re.sub(r"^the\s+", "", t.strip())
    t = t.replace("'s", "s")
    return "".join(ch for ch in t if ch.isalnum())


@dataclass
class GoldFact:
    line: int
    subjects: list[str]
    predicates: list[str]
    objects: list[str]
    literal: bool
    negative: bool
    raw: str


@dataclass
class GoldReport:
    results: list[tuple[GoldFact, bool]]

    @property
    def positives(self):
        return [(f, ok) for f, ok in self.results if not f.negative]

    @property
    def negatives(self):
        return [(f, ok) for f, ok in self.results if f.negative]

    @property
    def recall(self) -> float:
        pos = self.positives
        return sum(ok for _, ok in pos) / len(pos) if pos else 1.0

    @property
    def violations(self) -> list[GoldFact]:
        return [f for f, holds in self.negatives if holds]


def read_gold(path) -> list[GoldFact]:
    """Parse a gold TSV file; a malformed line raises :class:`InputError`."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read gold file ({err})") from err
    facts = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        negative = line.startswith("!")
        parts = line.lstrip("!").split("\t")
        if len(parts) != 3:
            raise InputError(path, f"line {n}: expected 3 tab-separated columns, got {len(parts)}")
        s, p, o = (x.strip() for x in parts)
        literal = len(o) >= 2 and o.startswith('"') and o.endswith('"')
        objects = [o[1:-1]] if literal else [x.strip() for x in o.split("|")]
        facts.append(GoldFact(n, [x.strip() for x in s.split("|")], [x.strip() for x in p.split("|")],
                              objects, literal, negative, line))
    return facts


def _local(iri) -> str:
    s = str(iri)
    return re.split(r"[#/:]", s)[-1].lower()


def _closure(graph: Graph, rel: URIRef) -> dict[str, set]:
    """local name of a term -> IRIs at or under it (transitively)."""
    children: dict[URIRef, set] = {}
    for sub, sup in graph.subject_objects(rel):
        children.setdefault(sup, set()).add(sub)
    out: dict[str, set] = {}
    terms = set(children) | {s for v in children.values() for s in v}
    for term in terms:
        seen, stack = {term}, [term]
        while stack:
            for c in children.get(stack.pop(), ()):
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        out.setdefault(_local(term), set()).update(seen)
    return out


def score_gold(graph: Graph, gold: list[GoldFact]) -> GoldReport:
    """Check every gold fact against ``graph`` (plus ``ontology/*.ttl``)."""
    schema = Graph()
    for ttl in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        schema.parse(ttl, format="turtle")
    for t in graph.triples((None, RDFS.subClassOf, None)):
        schema.add(t)
    for t in graph.triples((None, RDFS.subPropertyOf, None)):
        schema.add(t)
    classes = _closure(schema, RDFS.subClassOf)
    props = _closure(schema, RDFS.subPropertyOf)
    entity_classes = set()
    for root in _ENTITY_ROOTS:
        entity_classes |= classes.get(root.lower(), {KG[root]})
    names: dict[str, set] = {}
    for pred in _NAME_PREDICATES:
        for node, label in graph.subject_objects(pred):
            if isinstance(label, Literal):
                names.setdefault(normalize(str(label)), set()).add(node)

    def nodes(name):
        found = names.get(normalize(name), set())
        return {n for n in found if any(c in entity_classes for c in graph.objects(n, RDF.type))}

    results = []
    for fact in gold:
        subjects = set().union(*(nodes(s) for s in fact.subjects))
        holds = False
        for p in fact.predicates:
            if p.lower() == "type":
                wanted = set().union(*(classes.get(o.lower(), set()) | {o.lower()} for o in fact.objects))
                holds = any(c in wanted or _local(c) in wanted for s in subjects for c in graph.objects(s, RDF.type))
            else:
                preds = props.get(p.lower(), set()) | {URIRef(str(KG._NS) + p)}
                preds = {x for x in preds} | {x for x in set(graph.predicates()) if _local(x) == p.lower()}
                if fact.literal:
                    want = normalize(fact.objects[0])
                    holds = any(want in normalize(str(o)) for s in subjects for pr in preds
                                for o in graph.objects(s, pr) if isinstance(o, Literal))
                else:
                    objects = set().union(*(nodes(o) for o in fact.objects))
                    holds = any((s, pr, o) in graph for s in subjects for pr in preds for o in objects)
            if holds:
                break
        results.append((fact, holds))
    return GoldReport(results)
