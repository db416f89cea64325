"""Relation patterns as data (``kg/patterns/relations.json``), matched on the parse.

:class:`RelationExtractor` compiles the file into one spaCy
dependency matcher (:class:`~kg.extract.depmatch.FastDependencyMatcher`, spaCy's
``DependencyMatcher`` semantics, faster) and one ``Matcher`` and yields raw matches as
``(pattern, subject token, object token)``. Argument expansion
(conjunctions, "such as" lists, relative pronouns, inherited subjects) lives
here too, so every pattern family gets it for free.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.matcher import Matcher

from .depmatch import FastDependencyMatcher
from .lexicon import lexicon, load_json

__all__ = ["Pattern", "RelationExtractor", "find_subject", "expand_argument"]


_SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_LIST_PREPS = frozenset({"as", "like", "including", "include"})
_QUANTITY_NOUNS = frozenset({"range", "number", "variety", "series", "array", "host", "pair", "dozens",
                             "set", "fleet", "group", "selection", "line", "lineup", "collection"})


@dataclass(frozen=True)
class Pattern:
    name: str
    predicate: str
    subj_class: tuple = ()
    obj_class: tuple = ()
    event: str | None = None
    reverse: bool = False
    anchor_is_subj: bool = False
    context_after: int = 0
    types_arguments: tuple = ()
    # the predicate when the object turns out to be a place ("X, a spokesman for Acme"
    # memberOf; "X, mayor of Monterrey" affiliatedWith)
    place_predicate: str | None = None
    # node name -> words: no match when that node has a modifier among them ("vice president")
    unless_modified: dict = field(default_factory=dict)
    # node name -> dependency labels: no match when that node has a child with one of them
    # ("wrote songs for X" is not "writes for X")
    unless_child: dict = field(default_factory=dict)
    # no object node: the subject is a group whose members did it with each other ("the two
    # leaders held talks")
    reciprocal: bool = False


def _with_abbreviations(attrs: dict) -> dict:
    """A ``LOWER`` list with a title word also matches its abbreviation ("governor": "gov.")."""
    from .entities import ABBREVIATIONS

    low = attrs.get("LOWER")
    if not isinstance(low, dict) or not isinstance(low.get("IN"), list):
        return attrs
    words = set(low["IN"])
    extra = [abbr for abbr, full in ABBREVIATIONS.items() if full.lower() in words and abbr not in words]
    if not extra:
        return attrs
    return {**attrs, "LOWER": {**low, "IN": low["IN"] + sorted(extra)}}


def load_spec(name: str = "relations.json") -> dict:
    """The pattern file ``kg/patterns/NAME``, with its named word lists filled in (:func:`expand_lists`)."""
    return expand_lists(load_json(name))


def expand_lists(spec: dict) -> dict:
    """``spec`` with ``"@name"`` inside every ``IN`` or ``NOT_IN`` list of its patterns replaced
    by the words of ``spec["lists"][name]`` (a list may name other lists)."""
    lists = spec.get("lists", {})

    def words(items, seen=()):
        out = []
        for item in items:
            if isinstance(item, str) and item.startswith("@"):
                key = item[1:]
                if key not in lists or key in seen:
                    raise ValueError(f"relation patterns: unknown or circular word list {item!r}")
                out.extend(words(lists[key], (*seen, key)))
            else:
                out.append(item)
        return list(dict.fromkeys(out))

    def fill(obj):
        if isinstance(obj, dict):
            return {k: words(v) if k in ("IN", "NOT_IN") and isinstance(v, list) else fill(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [fill(x) for x in obj]
        return obj

    return {k: fill(v) if k in ("dependency", "surface") else v for k, v in spec.items()}


def _compile_dependency(p: dict) -> list[dict]:
    out = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": _with_abbreviations(p["anchor"])}]
    for left, op, right, attrs in p["edges"]:
        out.append({"LEFT_ID": left, "REL_OP": op, "RIGHT_ID": right, "RIGHT_ATTRS": _with_abbreviations(attrs)})
    return out


class RelationExtractor:
    """Compiled relation patterns.

    Parameters
    ----------
    vocab : spacy.vocab.Vocab
    spec : dict, optional
        The pattern file's content; defaults to ``kg/patterns/relations.json``.
    """

    def __init__(self, vocab, spec: dict | None = None):
        spec = spec or load_spec()
        self.dep_matcher = FastDependencyMatcher()
        self.surface_matcher = Matcher(vocab, validate=False)
        self.patterns: dict[str, Pattern] = {}
        self.roles: dict[str, list[str]] = {}
        for p in spec.get("dependency", []):
            self._register(p)
            compiled = _compile_dependency(p)
            self.roles[p["name"]] = [node["RIGHT_ID"] for node in compiled]
            self.dep_matcher.add(p["name"], [compiled])
        for p in spec.get("surface", []):
            self._register(p)
            self.surface_matcher.add(p["name"], [[_with_abbreviations(tok) for tok in p["pattern"]]])

    def _register(self, p: dict) -> None:
        if p["name"] in self.patterns:
            raise ValueError(f"duplicate relation pattern name {p['name']!r}")
        self.patterns[p["name"]] = Pattern(
            name=p["name"], predicate=p["predicate"],
            subj_class=tuple(p.get("subj_class") or ()), obj_class=tuple(p.get("obj_class") or ()),
            event=p.get("event"), reverse=bool(p.get("reverse")),
            anchor_is_subj=p.get("anchor_role") == "subj",
            context_after=int(p.get("context_after", 0)),
            types_arguments=tuple(p.get("types_arguments") or ()),
            place_predicate=p.get("place_predicate"),
            unless_modified={k: frozenset(v) for k, v in p.get("unless_modified", {}).items()},
            unless_child={k: frozenset(v) for k, v in p.get("unless_child", {}).items()},
            reciprocal=bool(p.get("reciprocal")),
        )

    def matches(self, doc, mention_of):
        """Yield ``(Pattern, subject token, object token, trigger token)``.

        ``mention_of`` maps a token index to its mention id (or is missing it).
        Subject and object tokens are already expanded to mention tokens.
        """
        for name, token_ids in self.dep_matcher(doc):
            pattern = self.patterns[name]
            nodes = dict(zip(self.roles[name], token_ids))
            if pattern.unless_modified and any(
                    any(c.lower_ in words and c.dep_ in ("amod", "compound", "advmod")
                        for c in doc[nodes[node]].children)
                    for node, words in pattern.unless_modified.items() if node in nodes):
                continue  # "vice president of Acme" does not lead Acme
            if pattern.unless_child and any(
                    any(c.dep_ in deps for c in doc[nodes[node]].children)
                    for node, deps in pattern.unless_child.items() if node in nodes):
                continue
            verb = doc[nodes["verb"]]
            if any(_nearer_subject(doc[nodes[role]], verb) for role in ("subj", "obj") if role in nodes):
                # of two subjects the parser gave the verb, only the nearer counts ("Today 's
                # Highlight in History : ... Caesar was assassinated": not "Highlight")
                continue
            if "subj" in nodes:
                subj = doc[nodes["subj"]]
            else:
                subj = verb if pattern.anchor_is_subj else find_subject(verb)
            if subj is not None and pattern.reciprocal:
                for s in expand_argument(subj, mention_of):
                    yield pattern, s, s, verb
                continue
            if subj is None or "obj" not in nodes:
                continue
            obj = doc[nodes["obj"]]
            prep = doc[nodes["p"]].lower_ if "p" in nodes else None
            owner = _apposition_owner(subj, doc[nodes["n"]]) if pattern.anchor_is_subj and "n" in nodes else None
            for s in expand_argument(subj, mention_of):
                if owner is not None and s.i != owner.i:
                    continue
                if s is not subj and not pattern.anchor_is_subj and subj.i < verb.i < s.i \
                        and verb.dep_ in ("acl", "relcl", "advcl", "pcomp"):
                    # "X , convicted of killing Y ; and Z , a reporter": the clause describes X,
                    # the conjunct after it does not share it
                    continue
                if prep and s is not subj and any(c.dep_ == "prep" and c.lower_ == prep for c in s.children):
                    # "A District in X Province, B District in Y Province": B has its own "in"
                    continue
                if pattern.anchor_is_subj and s.i != subj.i and _own_modifiers(s, subj, token_ids):
                    # "A, the mayor of X, and B, an activist": what hangs off A is A's alone
                    continue
                for o in expand_argument(obj, mention_of):
                    if prep and o is not obj and o.i > obj.i and (
                            any(c.dep_ == "prep" and c.lower_ == prep for c in o.children)
                            or (o.i + 1 < len(doc) and doc[o.i + 1].lower_ == prep)):
                        # "Rome is in Lazio and Naples in Campania": a conjunct with its own "in"
                        # is the subject of a gapped clause, not a second place
                        continue
                    yield pattern, s, o, verb
        if len(self.surface_matcher):
            for match_id, start, end in self.surface_matcher(doc):
                pattern = self.patterns[doc.vocab.strings[match_id]]
                # the last `context_after` tokens are context, not an argument
                first, last = doc[start], doc[end - 1 - pattern.context_after]
                if pattern.reverse:
                    first, last = last, first
                trigger = next((t for t in doc[start + 1:end] if not t.is_punct and not t.ent_type_), doc[start])
                if pattern.predicate in _PLACE_PREDICATES:
                    # "Lakefield , Ontario , ... Montreal , Quebec": the place right there (and its
                    # state: "in Rockville , Md."), not other places the parser conjoined with it
                    for o in expand_argument(last, mention_of):
                        if o.i == last.i or (o.i == last.i + 2 and doc[last.i + 1].text == ","
                                             and o.ent_type_ in ("Region", "Country")):
                            yield pattern, first, o, trigger
                    continue
                for o in expand_argument(last, mention_of):
                    yield pattern, first, o, trigger


_PLACE_PREDICATES = frozenset({"locatedIn", "basedIn", "livesIn", "bornIn"})


def _nearer_subject(arg, verb) -> bool:
    """``arg`` is a subject of ``verb``, and ``verb`` has another subject nearer to it."""
    if arg.dep_ not in _SUBJ_DEPS or arg.head.i != verb.i:
        return False
    return any(c.dep_ in _SUBJ_DEPS and abs(c.i - verb.i) < abs(arg.i - verb.i) for c in verb.children)


def find_subject(verb):
    """The subject of ``verb``'s clause, following control and coordination.

    "he had the opportunity to inspect X": the subject of *inspect* is *he*.
    "X, which carries Y": the subject of *carries* is X.
    """
    seen = 0
    cur = verb
    while cur is not None and seen < 6:
        seen += 1
        subjects = [child for child in cur.children if child.dep_ in _SUBJ_DEPS]
        if subjects:
            # of two subjects the parser gave one verb, the one nearer the verb: "Today 's
            # Highlight in History : ... legend Elvis Presley was born in Tupelo"
            return min(subjects, key=lambda child: abs(cur.i - child.i))
        if cur.dep_ in ("acl",) and (cur.tag_ in ("VBN", "VBG") or cur.lower_.endswith("ing")):
            # (the model may tag a participle after a noun as a noun: "an American living in")
            head = cur.head
            before = cur.doc[cur.i - 1]
            if cur.lemma_ in _SEAT_VERBS and before.pos_ == "PROPN" and before.i > head.i \
                    and any(a.i == head.i for a in before.ancestors):
                # "a spokeswoman for K mart based in Troy": the seat is the name's, not the
                # spokeswoman's (the parser hangs "based" on the noun the name depends on)
                return before
            if head.dep_ == "appos" and head.head.i != head.i:
                # "X , an American living in Paris": the apposition describes X
                return head.head
            return head
        if cur.dep_ == "advcl" and cur.tag_ == "VBN" and cur.i >= 2 and cur.doc[cur.i - 1].text == "," \
                and cur.doc[cur.i - 2].pos_ in ("PROPN", "NOUN"):
            # "X, convicted of murdering Y, ...": a participle right after "Name ," is a
            # reduced relative on the name (the parser often hangs it on the main verb)
            return cur.doc[cur.i - 2]
        if cur.dep_ == "appos" and (cur.pos_ in ("NOUN", "PROPN") or cur.tag_ == "VBN") and cur.head.i != cur.i:
            # "X, the assassin of Y": a noun in apposition describes the noun it follows (and a
            # participle: "X ( 38th President ) : Born July 14 , 1913 , in Omaha")
            return cur.head
        if cur.dep_ in ("relcl",) and cur.head.pos_ in ("NOUN", "PROPN"):
            # "a frigate carrying X": the noun is the subject
            return None
        controller = _object_controller(cur)
        if controller is not None:
            return controller
        if cur.dep_ == "oprd" or (cur.dep_ == "xcomp" and cur.head.lemma_ in _OBJECT_CONTROL_VERBS):
            # "named X publisher of Y", "elected X to be chairman of Y", "told X to leave": the
            # object of the verb is the one the predicate speaks of (not in "used it to shoot Y")
            obj = next((c for c in cur.head.children if c.dep_ == "dobj" and c.i < cur.i
                        and c.pos_ in ("PROPN", "NOUN", "PRON")), None)
            if obj is not None:
                return obj
        if cur.dep_ in ("xcomp", "conj", "advcl", "acl", "pcomp", "ccomp", "prep", "pobj", "dobj", "attr", "acomp", "oprd") \
                and cur.head.i != cur.i:
            # "acomp": "X pleaded guilty to killing Y"
            cur = cur.head
            continue
        return None
    return None


#: verbs whose object does what their "to" clause says: "told X to leave", "elected X to be chairman"
_OBJECT_CONTROL_VERBS = frozenset({
    "name", "appoint", "elect", "make", "tell", "ask", "urge", "order", "invite", "persuade", "force",
    "allow", "encourage", "require", "want", "expect", "choose", "select", "nominate", "declare",
    "consider", "call", "help", "hire", "send", "get", "advise", "instruct", "request", "permit",
    "enable", "convince", "authorize", "pick", "designate"})

#: participles that say where an organisation has its seat
_SEAT_VERBS = frozenset({"base", "headquarter", "locate"})

#: verbs whose object is the doer of the deed they name: "convicted X of killing Y", "accused X of Y's murder"
_ACCUSING_VERBS = frozenset({"convict", "accuse", "charge", "suspect", "acquit", "indict", "blame", "arrest",
                             "sentence", "jail", "try", "clear", "find", "implicate", "prosecute", "execute"})


def _object_controller(tok):
    """The object of "convicted X of killing Y" for *killing* (and "accused X of the
    murder"): the doer of a deed that an accusing verb names after its object."""
    prep = tok.head
    if tok.dep_ not in ("pcomp", "pobj") or prep.dep_ != "prep" or prep.lower_ not in ("of", "for", "with"):
        return None
    verb = prep.head
    if verb.dep_ == "dobj" and verb.head.lemma_ in _ACCUSING_VERBS:
        # the parser hangs "of killing Y" on the object
        return verb
    if verb.pos_ != "VERB" or (verb.lemma_ not in _ACCUSING_VERBS and not (tok.dep_ == "pcomp" and tok.tag_ == "VBG")):
        # any verb's object does the gerund after it ("thanked X for helping"); only an
        # accusing verb's object does the deed a noun names
        return None
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def _named(tok, mention_of):
    """``tok`` if it is a mention, else a name modifying it ("Zircon missiles",
    "the Tu-22M3 long-range bomber"), else None."""
    if tok.i in mention_of:
        return tok
    if tok.pos_ == "NOUN" and lexicon().place_nouns.get(tok.lower_) in ("Region", "City"):
        # "the Louisville suburb of Okolona": the area noun stands for the place named after "of"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                named = next((g for g in c.children if g.dep_ == "pobj" and g.i in mention_of
                              and g.ent_type_ in ("City", "Region", "Place")), None)
                if named is not None:
                    return named
        # "Perugia in Umbria province": the area noun stands for the place named before it
        for c in tok.lefts:
            if c.dep_ == "compound" and c.i == tok.i - 1 and c.i in mention_of \
                    and c.ent_type_ in ("City", "Region", "Country", "Place"):
                return c
    want = _type_noun_class(tok)
    if want is not None:
        for c in reversed(list(tok.lefts)):
            # (or right before it, whatever the parse: "the Shahed-136 drone" with the
            # designation parsed as punctuation)
            if (c.dep_ in ("compound", "nmod", "amod") or c.i == tok.i - 1) and c.i in mention_of \
                    and c.ent_type_ == want:
                return c
    return None


def _type_noun_class(tok):
    """The class a generic head noun names its modifier as: missiles -> Weapon."""
    lex = lexicon()
    low = tok.lower_
    if low in lex.weapon_heads or low in lex.weapon_system_heads:
        return "Weapon"
    if low in lex.aircraft_heads:
        return "Aircraft"
    if low in lex.vessel_nouns:
        return "Vessel"
    return None


def _apposition_owner(anchor, noun):
    """The one conjunct a singular apposition describes: the last one before it ("X , convicted
    of Y ; and Z , a former reporter": the parser may hang the apposition on X), or None when the
    noun is no such apposition or is plural ("A and B , both Acme engineers")."""
    if noun.dep_ != "appos" or noun.tag_ != "NN":
        return None
    before = [t for t in [anchor, *anchor.conjuncts] if t.i < noun.i]
    return max(before, key=lambda t: t.i) if before else None


def _own_modifiers(conjunct, anchor, token_ids) -> bool:
    """A conjunct of the anchor does not share what the pattern matched on the anchor when that
    lies between the two ("A , the mayor of X , and B") or the conjunct has an apposition of its
    own ("A and B , an activist" keeps "activist" for B)."""
    if any(c.dep_ == "appos" for c in conjunct.children):
        return True
    doc, k = conjunct.doc, conjunct.i + 1
    if k + 1 < len(doc) and doc[k].text == "," and doc[k + 1].ent_type_ in ("Region", "Country") \
            and anchor.ent_type_ not in ("Region", "Country"):
        # "Los Angeles , California and Detroit , Michigan": each city has its own state
        return True
    lo, hi = sorted((anchor.i, conjunct.i))
    return any(lo < i < hi for i in token_ids if i != anchor.i)


def expand_argument(tok, mention_of, depth: int = 0):
    """Mention tokens that ``tok`` stands for.

    A mention stands for itself and its conjuncts ("Kim and Shoigu"). A
    generic noun stands for the members of its list: "jets such as the Su-34,
    Su-30SM and Su-35S", "aircraft, including the Tu-160", "weapons, which
    include Kalibr missiles", "a range of aircraft". A noun with a named
    possessor stands for the possessor ("the frigate's command center").
    """
    if tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl":
        # "the Su-57, which X inspected": the object is the noun the clause modifies
        if depth >= 4:
            return []
        ante = tok.head.head
        if ante.dep_ == "appos" and ante.i not in mention_of and ante.head.i < ante.i:
            # "Derwinski , a Republican from Chicago who served in Congress": the clause
            # describes the apposition, which describes the name
            ante = ante.head
        elif ante.i not in mention_of and ante.dep_ in ("attr", "oprd"):
            # "Oswald was the lone gunman who killed Kennedy", "declared Oswald the
            # assassin who ...": the predicate noun is its subject (or the verb's object)
            holder = find_subject(ante.head) if ante.dep_ == "attr" else \
                next((c for c in ante.head.children if c.dep_ == "dobj"), None)
            if holder is not None and holder.lower_ not in _RELATIVE:
                ante = holder
        # "X, who killed Y, and Z": conjuncts after the clause are not its subject
        return [t for t in expand_argument(ante, mention_of, depth + 1) if t.i < tok.i]
    named = _named(tok, mention_of)
    if named is not None:
        out = [named]
        for c in tok.conjuncts:
            c = _named(c, mention_of)
            if c is not None and c not in out:
                out.append(c)
        return out
    if depth > 3:
        return []
    found = []
    for child in tok.children:
        low = child.lower_
        if child.dep_ == "prep" and (low in _LIST_PREPS or (low == "of" and tok.lemma_.lower() in _QUANTITY_NOUNS)):
            for g in child.children:
                if g.dep_ == "pobj":
                    found.extend(expand_argument(g, mention_of, depth + 1))
        elif child.dep_ == "relcl" and child.lemma_ in ("include", "comprise"):
            for g in child.children:
                if g.dep_ == "dobj":
                    found.extend(expand_argument(g, mention_of, depth + 1))
        elif child.dep_ == "appos":
            found.extend(expand_argument(child, mention_of, depth + 1))
    if not found:
        # conjoined list members hanging off a generic head: "jets, Su-34 and Su-35"
        for c in tok.conjuncts:
            c = _named(c, mention_of)
            if c is not None:
                found.append(c)
    if not found and tok.pos_ == "NOUN" and tok.lower_ in lexicon().org_nouns:
        # "leader of the Solidarity union": the organisation noun stands for its name, before
        # any possessor ("an activist in Algeria 's Ettahadi party" is in the party)
        for child in tok.children:
            if child.dep_ in ("compound", "nmod") and child.i in mention_of:
                found.append(child)
                break
    if not found and tok.lower_ not in lexicon().kinship_nouns:
        # (a relative is someone else: "her husband 's killer" did not kill her)
        for child in tok.children:
            if child.dep_ == "poss" and child.i in mention_of:
                found.append(child)
    if not found and tok.dep_ in ("compound", "nmod") and tok.head.i in mention_of:
        found.append(tok.head)
    if not found and tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.head.i in mention_of:
        # "Oswald , the man who had assassinated Kennedy": the apposed noun is the name
        found.extend(expand_argument(tok.head, mention_of, depth + 1))
    # "the frigate's central command center" (possessor of a compound head)
    seen = set()
    return [t for t in found if not (t.i in seen or seen.add(t.i))]
