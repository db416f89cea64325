"""Turn one parsed ``Doc`` into the article's mentions, relations and events.

The result is a plain dict (the fields of :class:`kg.types.ArticleExtraction`
minus the article), so it survives spaCy's multiprocessing and can be cached.
"""

from __future__ import annotations

import re

from functools import lru_cache

from spacy.tokens import Span
from spacy.util import filter_spans

from .coref import resolve_mentions
from .entities import GOVERNMENT_NOUNS, is_acronym, typed_entities
from .geo import gazetteer
from .lexicon import lexicon
from .tokens import token_list
from .relations import RelationExtractor

__all__ = ["extract_doc", "EVENT_PREDICATES"]

#: binary predicates that also make an n-ary event node
EVENT_PREDICATES = {"met": "Meeting", "visited": "Visit", "inspected": "Inspection", "briefed": "Briefing"}

_CLASS_PARENTS = {
    "Person": ("Entity",), "Organization": ("Entity",), "MilitaryUnit": ("Organization", "Entity"),
    "Place": ("Entity",), "Country": ("Place", "Entity"), "City": ("Place", "Entity"),
    "Region": ("Place", "Entity"), "Facility": ("Place", "Entity"), "Equipment": ("Entity",),
    "Vessel": ("Equipment", "Entity"), "Aircraft": ("Equipment", "Entity"), "Weapon": ("Equipment", "Entity"),
}
_MENTION_FIELDS = ("id", "start", "end", "text", "name", "cls", "sent", "position", "kind",
                   "refers_to", "typed_by", "affiliation")
_OPEN_DEPS = ("dobj", "attr")
_LIGHT_VERBS = frozenset({"be", "have", "do", "make", "take", "pay", "give", "get", "hold", "conduct", "say"})


def is_a(cls: str, allowed) -> bool:
    """True when ``cls`` is one of ``allowed`` or under one of them."""
    if not allowed:
        return True
    return cls in allowed or any(p in allowed for p in _CLASS_PARENTS.get(cls, ()))


def _class_ok(mentions, mid, allowed) -> bool:
    """The pattern's class restriction, unless the class is only the NER model's guess.

    A weakly typed argument ("Vladivostok" tagged PERSON) passes here; the
    graph stage checks the restriction again on the resolved entity's class.
    """
    if not allowed:
        return True
    m = mentions[mid]
    root = m
    seen = 0
    while len(root["refers_to"]) == 1 and seen < 10:
        root = mentions[root["refers_to"][0]]
        seen += 1
    if root["kind"] == "name" and root["typed_by"] in ("ner", "vote"):
        return True
    return is_a(_resolved_cls(m, mentions), allowed)


def _sentence_index(doc):
    sents = []
    sent_of = [0] * len(doc)
    for k, s in enumerate(doc.sents):
        sents.append((s.start_char, s.end_char))
        for i in range(s.start, s.end):
            sent_of[i] = k
    return sents, sent_of


def _mentions(doc, records, sent_of):
    toks = token_list(doc)
    lex = lexicon()
    mentions = []
    taken = set()

    def add(start, end, name, cls, kind, typed_by="ner", position=None, affiliation=None, head_lemma=""):
        span = doc[start:end]
        m = {
            "id": len(mentions), "start": span.start_char, "end": span.end_char, "text": span.text,
            "name": name, "cls": cls, "sent": sent_of[start], "position": position, "kind": kind,
            "refers_to": [], "typed_by": typed_by, "affiliation": affiliation,
            "tok_start": start, "tok_end": end, "dep": span.root.dep_, "head_lemma": head_lemma,
        }
        mentions.append(m)
        taken.update(range(start, end))
        return m

    extra_rel = []
    for r in records:
        aff = r.get("affiliation")
        m = add(r["start"], r["end"], r["name"], r["cls"], "name", r["typed_by"], r["position"],
                aff["name"] if aff else None)
        if r.get("based_in"):
            # a source line's paper or broadcaster (its city's record comes first)
            city = next((x for x in mentions if (x["tok_start"], x["tok_end"]) == tuple(r["based_in"])), None)
            if city is not None:
                extra_rel.append((m["id"], "basedIn", city["id"], "source-line"))
        if aff:
            tok = doc.char_span(aff["start"], aff["end"], alignment_mode="expand")
            c = None
            if tok is not None and not any(i in taken for i in range(tok.start, tok.end)):
                c = add(tok.start, tok.end, aff["name"], "Country", "name", "gazetteer")
            elif tok is not None:
                # "US President X": the country is already a mention of its own
                c = next((x for x in mentions if x["tok_start"] == tok.start and x["tok_end"] == tok.end
                          and x["cls"] == "Country"), None)
                if c is None and r["start"] <= tok.start and tok.end <= r["end"]:
                    # "the Chinese Government": the demonym is inside the name; the country is
                    # linked where the text names it (_named_after_place)
                    continue
            if c is not None and r["cls"] == "Organization":
                extra_rel.append((m["id"], "basedIn", c["id"], "org-demonym"))
            elif c is not None:
                extra_rel.append((m["id"], "affiliatedWith", c["id"], "title-affiliation"))
                pos = " ".join((r["position"] or "").lower().split())
                if pos and any(pos == lp or pos.endswith(" " + lp) for lp in lex.lead_positions):
                    extra_rel.append((m["id"], "leads", c["id"], "title-leader"))
    extra_rel.extend(_named_after_place(mentions))
    # pronouns and definite descriptions
    for tok in toks:
        if tok.i in taken:
            continue
        low = tok.lower_
        if tok.pos_ == "PRON":
            if low in lex.pronouns_person:
                add(tok.i, tok.i + 1, tok.text, "Person", "pronoun")
            elif low in lex.pronouns_plural:
                add(tok.i, tok.i + 1, tok.text, "Person", "pronoun-plural")
            elif low in lex.pronouns_thing:
                add(tok.i, tok.i + 1, tok.text, "Thing", "pronoun")
            continue
        if tok.pos_ != "NOUN":
            continue
        lemma = tok.lemma_.lower()
        dets = [c for c in tok.children if c.dep_ in ("det", "poss", "amod", "compound", "predet")]
        definite = any(c.lower_ in ("the", "this", "that", "both") or c.dep_ == "poss" for c in dets)
        if not definite or tok.dep_ == "compound":
            continue
        # "the Far East region", "the Su-25SM3 attack aircraft": the noun heads a name
        if any(c.i in taken for c in tok.lefts if c.dep_ in ("compound", "nmod", "amod")):
            continue
        # the noun must not sit next to a name it modifies ("the Pacific Fleet frigate Marshal ...")
        nxt = toks[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.i in taken and nxt.pos_ == "PROPN":
            continue
        if tok.tag_ in ("NNS", "NNPS"):
            if low in lex.plural_person_descriptions and any(c.lower_ in ("both", "the", "two") for c in dets):
                start = min([c.i for c in dets] + [tok.i])
                add(start, tok.i + 1, doc[start:tok.i + 1].text, "Person", "plural", head_lemma=lemma)
            continue
        cls = lex.description_classes.get(lemma)
        if cls is None:
            continue
        left = [c for c in tok.lefts if c.dep_ in ("det", "poss", "amod", "compound") and c.i not in taken or c.dep_ == "det"]
        start = min([c.i for c in left] + [tok.i])
        position = None
        affiliation = None
        if cls == "Person":
            mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod") and c.pos_ != "DET"]
            position = " ".join([c.text for c in mods] + [tok.text])
            for c in tok.lefts:
                country = lex.countries.get(c.lower_) or lex.demonyms.get(c.lower_)
                if country:
                    affiliation = country
                    position = " ".join(w for w in position.split() if w.lower() != c.lower_)
        # a possessor that is a name stays its own mention ("Russia's defence minister")
        start = max(start, max([i + 1 for i in range(start, tok.i) if i in taken], default=start))
        while start < tok.i and toks[start].text in ("'s", "’s"):
            start += 1
        add(start, tok.i + 1, doc[start:tok.i + 1].text, cls, "description",
            position=position, affiliation=affiliation, head_lemma=lemma)
    mentions.sort(key=lambda m: m["tok_start"])
    remap = {m["id"]: k for k, m in enumerate(mentions)}
    for k, m in enumerate(mentions):
        m["id"] = k
    for m in mentions:
        root = toks[m["tok_end"] - 1]
        if root.dep_ == "conj":
            first = root.head
            while first.dep_ == "conj" and first.head.i != first.i:
                first = first.head
            for other in mentions:
                if other["tok_start"] <= first.i < other["tok_end"] and other is not m:
                    m["conj_of"] = other["id"]
    extra_rel = [(remap[s], p, remap[o], x) for s, p, o, x in extra_rel]
    return mentions, extra_rel


def _resolved_cls(m, mentions):
    seen = 0
    while len(m["refers_to"]) == 1 and seen < 10:
        m = mentions[m["refers_to"][0]]
        seen += 1
    if m["refers_to"]:
        return mentions[m["refers_to"][0]]["cls"]
    return m["cls"]


_PLAN_VERBS = frozenset({"expect", "plan", "intend", "hope", "want", "aim", "seek", "schedule", "prepare",
                         "promise", "propose", "offer", "agree", "decide", "wish", "try", "attempt", "threaten",
                         # asking someone else to do it: "told / urged / invited X to visit"
                         "tell", "ask", "urge", "invite", "encourage", "persuade", "request", "advise",
                         "instruct"})


def _modality(verb):
    """asserted | negated | hedged | planned, from the trigger's clause."""
    lex = lexicon()
    cur = verb
    for _ in range(4):
        for c in cur.children:
            if c.dep_ == "neg" or c.lower_ in ("never", "not", "n't"):
                return "negated"
            if c.dep_ in ("aux", "advmod") and c.lower_ in lex.hedge_words:
                return "hedged"
            if c.dep_ == "aux" and c.lower_ in lex.future_words:
                return "planned"
        head = cur.head
        if _accused_of(cur):
            # "X was charged with / arrested in the murder of Y", "accused X of killing Y":
            # an accusation, not a finding (a conviction is: "convicted of killing Y")
            return "hedged"
        if cur.dep_ in ("xcomp", "pcomp", "dobj") and (_verb_in(head, _REFUSAL_VERBS) or (
                head.lemma_.lower() == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in head.children))):
            # "refused to meet", "declined to visit", "denied meeting", "ruled out meeting"
            return "negated"
        if cur.dep_ == "xcomp" and any(c.dep_ == "advmod" and c.lower_ == "yet" for c in head.children):
            return "negated"  # "has yet to meet"
        if cur.dep_ == "acl" and head.lemma_.lower() in ("plan", "intention", "intent"):
            # "has plans to meet"; "has no plans to meet"
            return "negated" if any(c.dep_ == "det" and c.lower_ == "no" for c in head.children) else "planned"
        if cur.dep_ in ("dobj", "xcomp") and _verb_in(head, _DEFER_VERBS):
            return "planned"  # "postponed his visit": it may still happen
        if cur.dep_ == "xcomp" and _verb_in(head, _PLAN_VERBS):
            # "is expected to visit", "plans to meet", "hoped to hold talks": not done yet
            return "negated" if any(c.dep_ == "neg" for c in head.children) else "planned"
        if cur.dep_ == "xcomp" and head.lemma_.lower() in lex.hedge_words:
            return "hedged"
        if cur.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children) \
                and cur.head.i != cur.i:
            # "X may visit Y to meet Z": a purpose is not a fact; it takes the main
            # clause's modality, and is at most planned
            head = _modality(cur.head)
            return head if head != "asserted" else "planned"
        if cur.dep_ not in ("xcomp", "conj", "acl") or cur.head.i == cur.i:
            break
        cur = cur.head
    return "asserted"


#: verbs that accuse someone of a deed without finding that they did it
_ACCUSATION_VERBS = frozenset({"accuse", "charge", "suspect", "indict", "arrest", "implicate", "prosecute",
                               "try", "blame", "allege", "question", "detain", "hold", "seek", "want",
                               "capture", "apprehend"})


def _accused_of(tok) -> bool:
    """``tok`` names a deed after "of / for / in / with" on an accusing verb (or on that
    verb's object: the parser hangs "of killing Y" on X in "accused X of killing Y")."""
    prep = tok.head
    if tok.dep_ not in ("pobj", "pcomp") or prep.dep_ != "prep" or \
            prep.lower_ not in ("of", "for", "in", "with", "after", "over", "following"):
        return False
    verb = prep.head
    if verb.dep_ == "dobj" and verb.head.pos_ == "VERB":
        verb = verb.head
    return verb.pos_ == "VERB" and _verb_in(verb, _ACCUSATION_VERBS)


#: verbs that say their complement did not happen
_REFUSAL_VERBS = frozenset({"refuse", "decline", "deny", "fail", "avoid", "reject", "cancel", "forgo"})
#: verbs that put their complement off
_DEFER_VERBS = frozenset({"postpone", "delay", "defer", "reschedule"})


def _verb_in(tok, verbs) -> bool:
    """The token is one of ``verbs``, by lemma or by a regular inflection (the small model
    lemmatises "hoped" as "hop")."""
    return tok.lemma_.lower() in verbs or tok.lower_ in _inflections(verbs)


@lru_cache(maxsize=8)
def _inflections(verbs: frozenset) -> frozenset:
    return frozenset(form for v in verbs for form in (v + "s", v + "es", v + "d", v + "ed", v + "ing", v[:-1] + "ing",
                                                      v + v[-1] + "ed", v + v[-1] + "ing"))


def _attribution(verb):
    """Who said it: "according to X", "X said (that) ...", "as reported by X"."""
    lex = lexicon()
    sent = verb.sent
    words = token_list(verb.doc)[sent.start:sent.end]
    for tok in words:
        if tok.lower_ == "according" and tok.dep_ == "prep":
            for to in tok.children:
                for pobj in to.children:
                    if pobj.dep_ == "pobj":
                        return _source_text(pobj)
    cur, came_from = verb, None
    for _ in range(8):
        if cur.lemma_.lower() in lex.say_verbs and cur.i != verb.i:
            if came_from is not None and came_from.dep_ in ("nsubj", "nsubjpass"):
                # "Rear Admiral Yu , deputy commander of the fleet , said ...": the speaker's
                # own description is not what the speaker said
                return None
            for c in cur.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    return _source_text(c)
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return _source_text(p)
        if cur.head.i == cur.i:
            break
        cur, came_from = cur.head, cur
    # "..., as reported by X" / "X added that ..." hanging off the root
    for tok in words:
        if tok.lemma_.lower() in lex.say_verbs and tok.dep_ in ("advcl", "ROOT", "parataxis") and tok.i != verb.i:
            for c in tok.children:
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return _source_text(p)
                if c.dep_ == "nsubj" and tok.dep_ == "ROOT" and c.pos_ != "PRON" and c.lemma_.lower() in lex.source_nouns | {"ministry"}:
                    return _source_text(c)
    return None


def _source_text(tok):
    # "reports from Russian state media" -> "Russian state media"
    if tok.lemma_.lower() in ("report", "statement") :
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("from", "by", "in"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        return _source_text(p)
    words = [t for t in tok.subtree if t.dep_ not in ("punct",) and not t.is_space]
    while words and words[0].pos_ == "DET":
        words = words[1:]
    text = " ".join(t.text for t in words)
    return text.replace(" 's", "'s").replace(" ’s", "’s") or None


_CLAUSE_DEPS = frozenset({"ROOT", "relcl", "acl", "advcl", "ccomp", "xcomp", "conj"})


_DURATION = re.compile(r"^(?:the\s+)?(?:past\s+|last\s+|next\s+)?(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
                       r"several|many|few|a\s+few)\s+(?:years?|months?|weeks?|days?|decades?|hours?)$", re.I)


def _date_expression(verb):
    """A date expression governing the trigger ("On Saturday", "Sunday")."""
    sent = verb.sent
    best = None
    for ent in sent.ents:
        if ent.label_ != "DATE" or _DURATION.match(ent.text):
            continue  # "his first visit in 24 years": a length of time, not a date
        # the clause the date belongs to: the first clause head above it
        owner = ent.root.head
        while owner.dep_ not in _CLAUSE_DEPS and owner.head.i != owner.i and owner.i != verb.i:
            owner = owner.head
        if owner.i == verb.i:
            score = 0
        elif owner.dep_ in ("relcl", "acl", "advcl", "ccomp"):
            # "Lavrov , who arrived on Monday , held talks": Monday is the arrival's
            continue
        else:
            score = 1
        if best is None or score < best[0]:
            best = (score, ent)
    if best is None:
        return None, "past"
    tense = "future" if any(c.dep_ == "aux" and c.lower_ in lexicon().future_words for c in verb.children) else "past"
    return best[1].text, tense


def extract_doc(doc, relations: RelationExtractor) -> dict:
    """Mentions, relations and events of one parsed article (see module docstring)."""
    records = doc._.kg_entities if doc._.kg_entities is not None else typed_entities(doc)
    sents, sent_of = _sentence_index(doc)
    mentions, title_rels = _mentions(doc, records, sent_of)
    resolve_mentions(doc, mentions)
    mention_of = {}
    spans = []
    for m in mentions:
        for i in range(m["tok_start"], m["tok_end"]):
            mention_of[i] = m["id"]
        cls = _resolved_cls(m, mentions)
        if cls != "Thing":
            spans.append(Span(doc, m["tok_start"], m["tok_end"], label=cls))
    # From here on doc.ents are the mentions, labelled with their (resolved)
    # ontology class, plus the model's dates and numbers; surface patterns match
    # on ENT_TYPE.
    spans += [e for e in doc.ents if not any(i in mention_of for i in range(e.start, e.end))]
    # two mentions on the same tokens (a name that is also an affiliation) must not stop the doc
    doc.ents = filter_spans(spans)

    np_head = _np_heads(doc, mentions, mention_of)
    rels: dict[tuple, dict] = {}
    events: dict[tuple, dict] = {}
    matched_verbs = set()
    for pattern, s_tok, o_tok, verb in relations.matches(doc, mention_of):
        s, o = mention_of.get(s_tok.i), mention_of.get(o_tok.i)
        if pattern.predicate != "partOf":
            s, o = np_head.get(s, s), np_head.get(o, o)
        if s is None or o is None or (s == o and not pattern.reciprocal):
            continue
        for s_id in _group(mentions, s):
            for o_id in _group(mentions, o):
                # (a reciprocal pattern pairs the members of its subject's group)
                if s_id == o_id or _same_referent(mentions, s_id, o_id):
                    continue
                if not _class_ok(mentions, s_id, pattern.subj_class):
                    continue
                predicate, obj_class = pattern.predicate, pattern.obj_class
                if pattern.place_predicate and is_a(_resolved_cls(mentions[o_id], mentions), ("Place",)):
                    predicate, obj_class = pattern.place_predicate, ("Place",)
                if not _class_ok(mentions, o_id, obj_class):
                    continue
                if predicate == "locatedIn" and (_same_level(mentions, s_id, o_id)
                                                 or _listed_together(doc, mentions, mention_of, s_id, o_id)):
                    # "Los Angeles , California and Detroit , Michigan": no state is in another;
                    # "Shizuoka , Aichi , Gifu and Mie": a list, not a chain
                    continue
                matched_verbs.add(verb.i)
                key = (s_id, predicate, o_id)
                if key in rels and rels[key]["sent"] != sent_of[verb.i]:
                    # a group names the same mentions again in a later sentence ("Putin flew to
                    # Pyongyang to meet Kim. The two leaders held talks"): a fact of its own
                    key = (s_id, predicate, o_id, sent_of[verb.i])
                # a typing pattern types its arguments even when another pattern found the fact first
                for role in pattern.types_arguments:
                    _type_argument(mentions, s_id if role == "subj" else o_id,
                                   pattern.subj_class if role == "subj" else pattern.obj_class)
                if key in rels:
                    continue
                modality = _modality(verb)
                rels[key] = {
                    "subj": s_id, "pred": predicate, "obj": o_id, "sent": sent_of[verb.i],
                    "extractor": pattern.name, "modality": modality, "attribution": _attribution(verb),
                    "open": False, "trigger_start": verb.idx,
                    "subj_class": list(pattern.subj_class), "obj_class": list(obj_class),
                }
                if pattern.event:
                    ev = events.get((verb.i, pattern.event))
                    if ev is None:
                        date_text, tense = _date_expression(verb)
                        ev = events[(verb.i, pattern.event)] = {
                            "cls": pattern.event, "trigger": verb.text, "trigger_start": verb.idx,
                            "sent": sent_of[verb.i], "extractor": pattern.name, "date_tense": tense,
                            "agents": [], "participants": [], "places": [], "date": None,
                            "date_text": date_text, "modality": modality,
                            "attribution": rels[key]["attribution"],
                            "subj_class": list(pattern.subj_class), "obj_class": list(pattern.obj_class),
                        }
                    if s_id not in ev["agents"]:
                        ev["agents"].append(s_id)
                        if s_id in ev["participants"]:  # "Kim and Putin met": both are agents
                            ev["participants"].remove(s_id)
                    o_cls = _resolved_cls(mentions[o_id], mentions)
                    # a place object is where the event happened ("visited Pyongyang", "inspected a
                    # factory in Hamhung"), not a participant
                    slot = "places" if is_a(o_cls, ("Place",)) and pattern.event in ("Visit", "Inspection") \
                        else "participants"
                    if o_id not in ev[slot] and o_id not in ev["agents"]:
                        ev[slot].append(o_id)
    for s_id, pred, o_id, name in title_rels:
        rels.setdefault((s_id, pred, o_id), {
            "subj": s_id, "pred": pred, "obj": o_id, "sent": mentions[s_id]["sent"], "extractor": name,
            "modality": "asserted", "attribution": None, "open": False,
            "trigger_start": mentions[s_id]["start"],
        })
    _event_places(doc, events, mention_of, mentions)
    _event_companions(doc, events, mention_of, mentions)
    _open_relations(doc, rels, matched_verbs, mention_of, mentions, sent_of)
    out_mentions = [{k: m[k] for k in _MENTION_FIELDS} for m in mentions]
    return {
        "sentences": sents,
        "mentions": out_mentions,
        "relations": sorted(rels.values(), key=lambda r: (r["sent"], r["trigger_start"], r["subj"], r["obj"], r["pred"])),
        "events": sorted(events.values(), key=lambda e: (e["trigger_start"], e["cls"])),
    }


def _type_argument(mentions, mid, allowed) -> None:
    """The pattern is evidence of its argument's class ("X was born in Y": X is a person).

    Only a name the NER model alone typed is changed, to the pattern's first class, and a
    place name is not made a person (a misparse puts "44 B.C." where a victim should be).
    """
    root = mentions[_root_id(mentions, mid)]
    if not allowed or root["kind"] != "name" or root["typed_by"] not in ("ner", "vote") or is_a(root["cls"], allowed):
        return
    if allowed[0] == "Person" and is_a(root["cls"], ("Place",)) \
            and (root["typed_by"] != "ner" or not root["name"].replace(" ", "").isalpha()):
        # a place the NER model alone guessed may be a person ("Perrin 's assassin");
        # "44 B.C." is not
        return
    if allowed[0] == "Organization" and (gazetteer().population(root["name"])
                                         or root["name"].split()[-1].lower() in lexicon().place_nouns):
        # "Houston oilman X", "Whitefish City Attorney X": a place the gazetteer or its head word
        # names stays a place
        return
    if allowed[0] == "Person" and (any(w.lower() in lexicon().org_heads for w in root["name"].split())
                                   or is_acronym(root["name"])):
        # "the PRD ( Party of the Democratic Revolution )", "the Revolutionary Party ( PRI )": a
        # party or an acronym is no person, whatever the parse hangs on it
        return
    root["cls"], root["typed_by"] = allowed[0], "context"


def _np_heads(doc, mentions, mention_of):
    """A name that only modifies a later name in its noun phrase stands for that name.

    "the Pacific Fleet frigate Marshal Shaposhnikov": the parser often hangs
    the phrase on "Fleet"; the phrase names the frigate.
    """
    toks = token_list(doc)
    lex = lexicon()
    heads = {}
    for m in mentions:
        if m["kind"] != "name" or m["cls"] in ("Person",):
            continue
        i = m["tok_end"]
        if i + 1 < len(doc) and toks[i].lower_ in lex.vessel_nouns and toks[i].pos_ != "PROPN":
            nxt = mention_of.get(i + 1)
            if nxt is not None and mentions[nxt]["kind"] == "name" and mentions[nxt]["cls"] == "Vessel":
                heads[m["id"]] = nxt
    return heads


def _group(mentions, mid):
    """A plural mention stands for each member of its group."""
    m = mentions[mid]
    if m["kind"] in ("plural", "pronoun-plural") and len(m["refers_to"]) > 1:
        return list(m["refers_to"])
    return [mid]


def _root_id(mentions, mid):
    m = mentions[mid]
    seen = 0
    while len(m["refers_to"]) == 1 and seen < 10:
        m = mentions[m["refers_to"][0]]
        seen += 1
    return m["id"]


def _same_referent(mentions, a, b):
    return _root_id(mentions, a) == _root_id(mentions, b)


def _named_after_place(mentions) -> list:
    """An organisation whose name begins with a place, or its demonym, that the text names on its
    own is based there: "the Shanghai Opera ... en route to Shanghai" (org-place-name), "the
    Chinese Government ... growth in China" (org-demonym). So is a well-known national body in
    the country its sentence names: "the FBI said murders in the United States rose"
    (national-body), and the government named after a city in that city's country ("the Phnom
    Penh government ... investment in Cambodia", city-government). Alone, the name links
    nothing."""
    lex = lexicon()
    demonyms = lex.demonyms
    places, countries, in_sentence = {}, {}, {}
    for x in mentions:
        if x["kind"] == "name" and x["cls"] in ("City", "Region", "Country"):
            places.setdefault(x["text"], x)
            if x["cls"] == "Country":
                countries.setdefault(x["name"], x)
                in_sentence.setdefault((x["sent"], x["name"]), x)
    out = []
    for m in mentions:
        if m["kind"] != "name" or m["cls"] != "Organization":
            continue
        country, rule = lex.national_bodies.get(m["name"].lower()), "national-body"
        if country is None:
            country, rule = _seat_country(m["name"]), "city-government"
        if country is not None and (m["sent"], country) in in_sentence:
            out.append((m["id"], "basedIn", in_sentence[(m["sent"], country)]["id"], rule))
            continue
        words = m["text"].split()
        found = next(((places[" ".join(words[:n])], "org-place-name") for n in range(min(3, len(words) - 1), 0, -1)
                      if " ".join(words[:n]) in places), None)
        if found is None and len(words) > 1 and words[0][:1].isupper() and words[0].lower() in demonyms \
                and demonyms[words[0].lower()] in countries:
            found = (countries[demonyms[words[0].lower()]], "org-demonym")
        if found is not None and (found[0]["tok_end"] <= m["tok_start"] or found[0]["tok_start"] >= m["tok_end"]):
            out.append((m["id"], "basedIn", found[0]["id"], found[1]))
    return out


def _seat_country(name: str) -> str | None:
    """The country of the city a "<city> government" is named after ("Phnom Penh government":
    Cambodia), from GeoNames' most populous city of that name."""
    words = name.split()
    if len(words) < 2 or words[-1].lower() not in GOVERNMENT_NOUNS:
        return None
    found = gazetteer().lookup(" ".join(words[:-1]))
    return found[0].country if found else None


_PLACE_RANK = {"Facility": 0, "City": 1, "Region": 2, "Country": 3}


def _listed_together(doc, mentions, mention_of, s_id: int, o_id: int) -> bool:
    """Two names in one list of places, not a place and the place it is in.

    "Dayton , Ohio": a chain; "Shizuoka , Aichi , Gifu and Mie", "Davenport Hill , White Horse
    Lake , May Tank Pocket": a list. A container the gazetteer knows ("Ohio") is always read
    as a chain; otherwise the two are a list when another name or "and" stands between them, or when
    the list goes on after the later one with a name no bigger than the container (unlike
    "Pabnjachel , Solola , Guatemala").
    """
    toks = token_list(doc)
    o = mentions[_root_id(mentions, o_id)]
    first, last = sorted((mentions[s_id], mentions[o_id]), key=lambda m: m["tok_start"])
    if o["typed_by"] == "gazetteer" or first["kind"] != "name" or last["kind"] != "name":
        return False
    between = doc[first["tok_end"]:last["tok_start"]]
    if not len(between) or any(t.text != "," and t.lower_ not in ("and", "or") and not t.ent_type_ for t in between):
        return False
    if any(t.ent_type_ or t.lower_ in ("and", "or") for t in between):
        return True
    j = last["tok_end"]
    if j < len(doc) and toks[j].text == ",":
        j += 1
    if j < len(doc) and toks[j].lower_ in ("and", "or"):
        j += 1
    nxt = mention_of.get(j) if j < len(doc) else None
    if nxt is None or j == last["tok_end"]:
        return False
    rank = _PLACE_RANK.get(_resolved_cls(mentions[nxt], mentions), -1)
    return rank <= _PLACE_RANK.get(_resolved_cls(o, mentions), 3)


def _same_level(mentions, a: int, b: int) -> bool:
    """Both are US states: neither can be located in the other. (Countries can: Serbia was in
    Yugoslavia, Scotland is in the United Kingdom.)"""
    states = _us_states()
    return all(mentions[_root_id(mentions, m)]["name"] in states for m in (a, b))


@lru_cache(maxsize=1)
def _us_states() -> frozenset:
    return frozenset(lexicon().state_abbreviations.values())


def _event_places(doc, events, mention_of, mentions):
    """"met ... at Knevichi airfield" / "in Vladivostok": the place of the event.

    The place phrase may hang on the verb, on its object noun ("held talks with Wang Yi in
    Beijing"), on the person met ("met with Xi Jinping in San Francisco") or on an unnamed
    occasion or building ("during the summit in Astana", "at the Chancellery in Berlin")."""
    toks = token_list(doc)
    for (verb_i, _), ev in events.items():
        verb = toks[verb_i]
        heads = [verb] + [c for c in verb.children if c.dep_ == "dobj"]
        for h in list(heads):
            for prep in h.children:
                if prep.dep_ == "prep" and prep.lower_ in ("with", "during", "at"):
                    # "met with Xi in ...", "during the summit in Astana", "at the Chancellery in Berlin"
                    heads.extend(c for c in prep.children if c.dep_ == "pobj" and
                                 (prep.lower_ == "with" or c.i not in mention_of))
        for prep in (p for h in heads for p in h.children):
            if prep.dep_ == "prep" and prep.lower_ in ("at", "in", "on", "aboard"):
                for pobj in prep.children:
                    mid = mention_of.get(pobj.i)
                    if mid is None:
                        continue
                    if is_a(_resolved_cls(mentions[mid], mentions), ("Place", "Vessel")) and mid not in ev["places"]:
                        ev["places"].append(mid)


_COMPANION_VERBS = frozenset({"accompany", "join", "escort"})


def _event_companions(doc, events, mention_of, mentions):
    """"Kim inspected the bombers, accompanied by Shoigu", "Kim, joined by Shoigu, visited the
    plant": the people who went along take part in the event."""
    toks = token_list(doc)
    for (verb_i, _), ev in events.items():
        verb = toks[verb_i]
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        for part in [c for h in [verb] + subjects for c in h.children]:
            if part.dep_ not in ("advcl", "acl") or part.lemma_.lower() not in _COMPANION_VERBS or part.tag_ != "VBN":
                continue
            for agent in (c for c in part.children if c.dep_ == "agent"):
                for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                    for tok in [pobj] + list(pobj.conjuncts):
                        mid = mention_of.get(tok.i)
                        if mid is None or _resolved_cls(mentions[mid], mentions) != "Person":
                            continue
                        if mid not in ev["agents"] and mid not in ev["participants"]:
                            ev["participants"].append(mid)


def _open_relations(doc, rels, matched_verbs, mention_of, mentions, sent_of):
    """Verb relations between two named entities that no pattern maps."""
    toks = token_list(doc)
    for tok in toks:
        if tok.pos_ != "VERB" or tok.i in matched_verbs or tok.lemma_.lower() in _LIGHT_VERBS:
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.i not in mention_of:
            continue
        objs = [c for c in tok.children if c.dep_ in _OPEN_DEPS]
        for prep in tok.children:
            if prep.dep_ == "prep":
                objs.extend(c for c in prep.children if c.dep_ == "pobj")
        for o in objs:
            if o.i not in mention_of:
                continue
            s_id, o_id = mention_of[subj.i], mention_of[o.i]
            if _same_referent(mentions, s_id, o_id):
                continue
            if mentions[_root_id(mentions, s_id)]["kind"] != "name" or mentions[_root_id(mentions, o_id)]["kind"] != "name":
                continue
            key = (s_id, tok.lemma_.lower(), o_id)
            rels.setdefault(key, {
                "subj": s_id, "pred": tok.lemma_.lower(), "obj": o_id, "sent": sent_of[tok.i],
                "extractor": "open-verb", "modality": _modality(tok), "attribution": _attribution(tok),
                "open": True, "trigger_start": tok.idx,
            })
