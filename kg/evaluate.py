"""Score a built graph against gold facts (``kg eval gold``).

The gold format is the one of ``../shared/eval/seeds_gold.tsv`` (its header
gives the matching rules): ``subject<TAB>predicate<TAB>object``, `` | ``
between alternatives, a quoted object for a literal, ``type`` for rdf:type,
and a leading ``!`` for a negative that must not hold.
"""

from __future__ import annotations

import collections

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


# --------------------------------------------------------------------------- CoNLL04

#: ontology predicate -> CoNLL04 relation type. Anything under the predicate counts
#: (commands ⊑ leads ⊑ affiliatedWith in the ontology; leads/commands of an
#: organisation are Work_For in CoNLL04's terms).
CONLL_RELATIONS = {
    "memberOf": "Work_For",
    "leads": "Work_For",
    "commands": "Work_For",
    "livesIn": "Live_In",
    "bornIn": "Live_In",
    "affiliatedWith": "Work_For",
    "locatedIn": "Located_In",
    "basedIn": "OrgBased_In",
    "killed": "Kill",
    # CoNLL04 marks a shooting or stabbing as Kill (its news is of assassinations); the
    # product says only what the text says: attacked
    "attacked": "Kill",
}
_CONLL_TYPES = {
    "Work_For": ({"Person"}, {"Organization", "MilitaryUnit"}),
    "Live_In": ({"Person"}, {"Country", "City", "Region", "Place", "Facility"}),
    "Located_In": ({"Country", "City", "Region", "Place", "Facility"}, {"Country", "City", "Region", "Place", "Facility"}),
    "OrgBased_In": ({"Organization", "MilitaryUnit"}, {"Country", "City", "Region", "Place", "Facility"}),
    "Kill": ({"Person"}, {"Person"}),
}


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_conll04(path) -> list[dict]:
    """Records of a CoNLL04 file in the SpERT JSON layout."""
    import json

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise InputError(path, f"not a CoNLL04 JSON file ({err})") from err
    if not isinstance(data, list) or not all(isinstance(r, dict) and "tokens" in r for r in data):
        raise InputError(path, "not a CoNLL04 JSON file (expected a list of records with 'tokens')")
    return data


def _token_starts(tokens: list[str]) -> list[int]:
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    return starts


def _char_to_token(starts: list[int], tokens: list[str], start: int, end: int) -> tuple[int, int]:
    import bisect

    first = bisect.bisect_right(starts, start) - 1
    last = bisect.bisect_left(starts, end) - 1
    return max(first, 0), max(last, first) + 1


def conll_span(mention: dict, tokens: list[str], starts: list[int], titles: frozenset,
               victim: bool = False) -> tuple[int, int]:
    """Token span of a mention in CoNLL04's convention.

    CoNLL04 puts a person's title inside the person span ("President Lincoln");
    the product keeps titles apart as ``position``. This adapter puts them back:
    a benchmark convention, kept out of the product.
    """
    s, e = _char_to_token(starts, tokens, mention["start"], mention["end"])
    if mention["cls"] == "Person" and victim:
        # the victim of a killing keeps its whole title ("the murder of Dallas Police Officer
        # J.D. Tippit", "assassinated New York Sen. Robert F. Kennedy"): 50 of 50 in the
        # train split, where other people keep only honorifics
        i = s
        while i > 0 and tokens[i - 1][:1].isupper() and _is_title(tokens[i - 1], titles):
            i -= 1
        if i < s:
            while i > 0 and tokens[i - 1][:1].isupper() and tokens[i - 1] not in _NOT_TITLE_PARTS \
                    and not tokens[i - 1].endswith("'s"):
                i -= 1
            s = i
    elif mention["cls"] == "Person":
        # Honorifics always ("Ms. Carpenter", "Rev. Martin Luther King Jr."); a
        # capitalised title only when nothing capitalised precedes it: "President
        # Lincoln", but "US President Bill Clinton" and "Chevron spokesman Jonathan
        # Lifa" give "Bill Clinton" and "Jonathan Lifa".
        i = s
        while i > 0 and tokens[i - 1][:1].isupper() and _is_title(tokens[i - 1], titles):
            i -= 1
        if i < s:
            before = tokens[i - 1] if i > 0 else ""
            if (not before[:1].isupper() or before in ("``", "\"", "(") or i == 0) \
                    and tokens[s - 1].lower() in _KEPT_TITLES:
                s = i
            else:
                while s > i and tokens[s - 1].lower() in _HONORIFICS:
                    s -= 1
    elif len(tokens) <= 6 and e == len(tokens) - 1 and tokens[e] == "." and "." not in tokens[e - 1][-1:]:
        # a bare dateline "MEMPHIS , Tenn .": the split-off period belongs to the abbreviation
        e += 1
    return s, e


_HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "mr", "mrs", "ms", "dr.", "rev.", "prince", "princess", "sir", "lady",
                         "lord", "dame", "sheikh", "pope", "king", "queen"})
#: the titles CoNLL04 mostly keeps in a person span ("President Kennedy", "Gen. X"); it
#: mostly leaves out "Sen.", "Rep.", "Gov.", "Judge", "Lt." (counted on its train split)
_KEPT_TITLES = frozenset({"president", "gen.", "general", "officer", "chief", "sgt.", "emperor"}) | _HONORIFICS


#: capitalised words before a victim's title that are not part of it
_NOT_TITLE_PARTS = frozenset({"``", "\"", "(", "I", "The", "A", "In", "On", "When", "After", "Today"})


def _is_nationality(words: list, lex) -> bool:
    """A nationality adjective that is not also a country's name ("Haitian", "Jordanian"); CoNLL04
    does type "Soviet" as a place (9 relations on its train split)."""
    text = " ".join(words).lower()
    return text in lex.demonyms and text != "soviet" and text not in lex.countries


def _is_title(token: str, titles: frozenset) -> bool:
    low = token.lower()
    return low in titles or low.rstrip(".") + "." in titles or low in _HONORIFICS


def predict_conll04(records: list[dict], nlp=None, batch_size: int = 64):
    """Run the extractor end to end on each sentence; yield prediction dicts.

    Each sentence is its tokens joined by spaces; no gold entities are given.
    """
    from .extract.entities import ABBREVIATIONS
    from .extract.lexicon import lexicon
    from .nlp import load_nlp

    nlp = nlp or load_nlp()
    lex = lexicon()
    titles = frozenset(lex.title_words | set(ABBREVIATIONS))
    texts = (" ".join(r["tokens"]) for r in records)
    for rec, doc in zip(records, nlp.pipe(texts, batch_size=batch_size)):
        data = doc._.kg
        mentions = data["mentions"]
        tokens = rec["tokens"]
        starts = _token_starts(tokens)

        def root(mid):
            # a pronoun or description stands for the name it refers to; a name stands for
            # itself ("... John Wilkes Booth ... after Booth shot Lincoln": CoNLL04 relates the
            # name the relation was read from, not the fuller name it refers to)
            m = mentions[mid]
            steps = 0
            while m["kind"] != "name" and len(m["refers_to"]) == 1 and steps < 10:
                m = mentions[m["refers_to"][0]]
                steps += 1
            return m if m["kind"] == "name" else None

        named = [(conll_span(m, tokens, starts, titles), m) for m in mentions if m["kind"] == "name"]
        city_state = _city_state_pairs(data["relations"], root, named, tokens, starts, titles)
        seen = {}  # (type, head span, tail span) -> None, in the order found

        def add(rtype, head, tail):
            if head != tail:
                seen.setdefault((rtype, head, tail))

        for r in data["relations"]:
            rtype = CONLL_RELATIONS.get(r["pred"])
            if r["open"] or rtype is None or r["modality"] not in _MODALITIES:
                continue
            s, o = root(r["subj"]), root(r["obj"])
            if s is None or o is None:
                continue
            if r["extractor"] in _NOT_WORK_PATTERNS:
                continue
            if r["pred"] == "affiliatedWith" and o["cls"] in ("Country", "City", "Region") and r["extractor"] not in _OFFICE_OF_PATTERNS:
                # "Soviet historian X", "US President X": CoNLL04 calls nationality Live_In
                rtype = "Live_In"
            if rtype == "OrgBased_In" and _is_site(s["text"]):
                # "the Marshall Space Flight Center in Huntsville": CoNLL04 calls a centre,
                # plant or station a place (Located_In 12 to 3 on its train split)
                rtype, s = "Located_In", dict(s, cls="Facility")
            s_types, o_types = _CONLL_TYPES[rtype]
            if s["cls"] not in s_types or o["cls"] not in o_types:
                continue
            if not (_aligned(s, tokens, starts) and _aligned(o, tokens, starts)):
                # "Sen. X , R-S.C. ,": CoNLL04 has no entity inside the token "R-S.C."
                continue
            if r["extractor"] == "org-demonym" and o["text"] != o["name"]:
                # "the Soviet news agency Tass ... in the Soviet Union": CoNLL04 bases the
                # organisation in the country the sentence names, not in the adjective
                o = next((m for _, m in named if m["cls"] == "Country" and m["name"] == o["name"]
                          and m["text"].lower() not in lex.demonyms), None)
                if o is None:
                    continue
            head = conll_span(s, tokens, starts, titles)
            tail = conll_span(o, tokens, starts, titles, victim=rtype == "Kill")
            if any(_is_nationality(tokens[a:b], lex) for a, b in (head, tail)):
                # "Haitian President X": CoNLL04 types a nationality adjective as Other, not as
                # a place (0 of 10 such predictions on its train split were in the gold)
                continue
            if rtype == "Live_In" and tail in city_state:
                # "born in Concord , Mass": CoNLL04 marks a person's "City , State" as one place
                tail = city_state[tail]
            if rtype == "Located_In" and head in city_state and city_state[head] == city_state.get(tail):
                continue
            add(rtype, head, tail)
        for org, place in _dateline_pairs(named, tokens):
            add("OrgBased_In", org, place)
        # "from North Wales , Pa.": CoNLL04 gives a person or organisation every
        # place that contains its place, and a place every place above it
        for rtype, head, tail in _through_containment(seen):
            add(rtype, head, tail)
        # "the Union of Democratic Forces ( SDS )": CoNLL04 annotates the acronym as a
        # second entity with the same relations
        aliases = _acronyms(named, tokens)
        for rtype, head, tail in list(seen):
            add(rtype, aliases.get(head, head), tail)
            add(rtype, head, aliases.get(tail, tail))
        # "... in Israel , says ... with Israel": CoNLL04 repeats a relation for every
        # mention of its argument in the sentence
        same = _repeated_names(named, tokens)
        for rtype, head, tail in list(seen):
            for h in same.get(head, [head]):
                for t in same.get(tail, [tail]):
                    add(rtype, h, t)
        yield {"orig_id": rec.get("orig_id"),
               "relations": [{"type": t, "head": list(h), "tail": list(o)} for t, h, o in seen]}


#: CoNLL04 annotates what a sentence says happened, "allegedly" or not; a negated or planned
#: relation is not one
_MODALITIES = frozenset({"asserted", "hedged"})


def _through_containment(found) -> list:
    """Relations to a place, repeated for each place found to contain it."""
    within = collections.defaultdict(set)
    for rtype, head, tail in found:
        if rtype == "Located_In":
            within[head].add(tail)
    out = []
    for rtype, head, tail in found:
        if rtype not in ("Live_In", "OrgBased_In", "Located_In"):
            continue
        todo, done = list(within.get(tail, ())), {head, tail}
        while todo:
            place = todo.pop()
            if place in done:
                continue
            done.add(place)
            out.append((rtype, head, place))
            todo.extend(within.get(place, ()))
    return out


#: patterns for "the president of X" / "X , a spokesman for Y": CoNLL04 reads a country's
#: office named with "of" as no Live_In ("the 34th president of the United States"), while
#: "Soviet historian X" and "Venezuela 's chief negotiator , X" are (counted on its train split)
_OFFICE_OF_PATTERNS = frozenset({"member-appos-of", "member-appos-of-party-state", "member-appos-conj-of", "job-of-org-appos-person",
                                 "job-of-org-appos-person-on-org", "job-attr-of-org"})


#: last words of an organisation's name that CoNLL04 annotates as a place
_SITE_HEADS = frozenset({"center", "centre", "seashore", "plant", "base", "station", "airport"})


def _is_site(name: str) -> bool:
    words = name.rstrip(".").split()
    return len(words) > 1 and words[-1].lower() in _SITE_HEADS


#: affiliations that CoNLL04's Work_For does not cover: an alumnus does not work for the school
_NOT_WORK_PATTERNS = frozenset({"graduate-from-org"})


def _aligned(mention: dict, tokens: list[str], starts: list[int]) -> bool:
    """The mention starts where a CoNLL04 token starts."""
    import bisect

    k = bisect.bisect_right(starts, mention["start"]) - 1
    return k >= 0 and starts[k] == mention["start"]


def _repeated_names(named, tokens) -> dict:
    """Span -> every span in the sentence with the same words and class, for names said twice."""
    groups = collections.defaultdict(set)
    for (s, e), m in named:
        groups[(tuple(tokens[s:e]), m["cls"])].add((s, e))
    return {span: sorted(spans) for spans in groups.values() if len(spans) > 1 for span in spans}


_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
                    "july august september october november december".split())


def _dateline_pairs(named, tokens):
    """(agency span, place span) for a dateline "DAYTON , Ohio ( AP )".

    CoNLL04 annotates the agency of a dateline as based in each dateline
    place; the product does not claim that (the agency only reported from there).
    """
    place_at = {}
    for (s, e), m in named:
        if m["cls"] in ("City", "Region", "Country"):
            for i in range(s, e):
                place_at[i] = (s, e)
    for (s, e), m in named:
        if m["cls"] != "Organization" or s < 2 or e >= len(tokens) or tokens[s - 1] != "(" or tokens[e] != ")":
            continue
        places, i = [], s - 2
        while i >= 0:
            tok = tokens[i]
            if i in place_at:
                if place_at[i] not in places:
                    places.append(place_at[i])
            elif tok in (")", "--"):
                break
            elif not (tok == "," or tok.isdigit() or tok.lower().rstrip(".") in _MONTHS):
                places = []
                break
            i -= 1
        for place in places:
            yield (s, e), place


def _acronyms(named, tokens) -> dict:
    """Organisation span -> span of its acronym in brackets right after it."""
    spans = {span for span, m in named if m["cls"] in ("Organization", "MilitaryUnit")}
    by_start = {s: (s, e) for s, e in spans}
    out = {}
    for s, e in sorted(spans):
        if e + 2 < len(tokens) and tokens[e] == "(" and (e + 1) in by_start:
            alias = by_start[e + 1]
            if alias[1] < len(tokens) and tokens[alias[1]] == ")" and tokens[e + 1].isupper():
                out[(s, e)] = alias
    return out


_PLACE_CLASSES = frozenset({"City", "Region", "Country", "Place"})


def _city_state_pairs(relations, root, named, tokens, starts, titles) -> dict:
    """City span -> "City , State" span, for the places a person lives in or was born in.

    CoNLL04 annotates "Concord , Mass" as one location when it is where a
    person lives or was born (and then has no Located_In inside it); the
    product keeps the city, the state and their locatedIn fact apart.
    """
    places = {span for span, m in named if m["cls"] in _PLACE_CLASSES}
    homes = set()
    for r in relations:
        if r["open"]:
            continue
        s, o = root(r["subj"]), root(r["obj"])
        if (r["modality"] == "asserted" and r["pred"] in ("livesIn", "bornIn") and s is not None
                and s["cls"] == "Person" and o is not None):
            homes.add(conll_span(o, tokens, starts, titles))
    out = {}
    for city in places:
        for state in places:
            # "Concord , Mass" or the tokeniser's "Akron ,Ohio"
            joined = ((state[0] == city[1] + 1 and tokens[city[1]] == ",")
                      or (state[0] == city[1] and tokens[state[0]].startswith(",")))
            if joined and (city in homes or state in homes):
                out[city] = out[state] = (city[0], state[1])
    return out


def score_conll04(records: list[dict], predictions: list[dict]) -> dict[str, PRF]:
    """Strict micro and per-type scores: type and both argument spans must match."""
    scores: dict[str, PRF] = {"micro": PRF()}
    for rec, pred in zip(records, predictions):
        gold = set()
        for rel in rec["relations"]:
            h, t = rec["entities"][rel["head"]], rec["entities"][rel["tail"]]
            gold.add((rel["type"], (h["start"], h["end"]), (t["start"], t["end"])))
        got = {(r["type"], tuple(r["head"]), tuple(r["tail"])) for r in pred["relations"]}
        for rtype in {x[0] for x in gold | got}:
            g = {x for x in gold if x[0] == rtype}
            p = {x for x in got if x[0] == rtype}
            for bucket in (scores.setdefault(rtype, PRF()), scores["micro"]):
                bucket.tp += len(g & p)
                bucket.fp += len(p - g)
                bucket.fn += len(g - p)
    return scores
