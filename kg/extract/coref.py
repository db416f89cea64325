"""Rule-based coreference within one article, on the spaCy parse.

No model weights: names, classes, positions, syntax and recency only.

* A short name links to the unique full name of the same class that contains
  it ("Kim" -> "Kim Jong Un", "Admiral Evmenov" -> "Nikolai Evmenov").
* he/she/his/her -> the most recent person, looking back sentence by
  sentence; within the nearest sentence with candidates, a single person or
  the single subject wins, otherwise the pronoun stays unresolved. A
  possessive pronoun in a fronted phrase ("During his visit, Kim ...") points
  forward to the main clause's subject.
* they/their and plural descriptions ("both leaders") -> the persons of the
  most recent sentence that names two or more.
* Definite descriptions ("the frigate", "the minister") -> the most recent
  entity of a matching class or position.

Every mention gets ``refers_to``: a list of mention ids (empty = unresolved,
one = singular, several = a group).
"""

from __future__ import annotations

from .lexicon import lexicon

__all__ = ["resolve_mentions", "name_tokens"]

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def name_tokens(name: str) -> list[str]:
    return [t for t in name.replace("-", " ").lower().split() if t]


def _is_short_form(short: list[str], full: list[str]) -> bool:
    """"kim" of "kim jong un", "evmenov" of "nikolai evmenov"; not "jong"."""
    if len(short) >= len(full) or not short:
        return False
    if short == full[: len(short)] or short == full[-len(short):]:
        return True
    return False


def resolve_mentions(doc, mentions: list[dict]) -> None:
    """Fill ``refers_to`` on each mention dict in place (see module docstring)."""
    lex = lexicon()
    by_sent: dict[int, list[dict]] = {}
    for m in mentions:
        m.setdefault("refers_to", [])
        by_sent.setdefault(m["sent"], []).append(m)
    names = [m for m in mentions if m["kind"] == "name"]

    def root_of(m):
        seen = 0
        while len(m["refers_to"]) == 1 and seen < 10:
            m = mentions[m["refers_to"][0]]
            seen += 1
        return m

    # 1. short names -> unique full name of the same class in the article
    full_by_cls: dict[str, dict[str, dict]] = {}
    for m in names:
        full_by_cls.setdefault(m["cls"], {}).setdefault(" ".join(name_tokens(m["name"])), m)
    for m in names:
        short = name_tokens(m["name"])
        # Short forms are a person-name habit ("Kim", "Shoigu"); for places and
        # organisations a shared word means little ("Calgary" / "Calgary City
        # Council"). A name only the model typed ("Holloway" tagged ORG) may
        # still link to a person.
        # Place names the model found are rarely surnames; organisations often are.
        if m["cls"] != "Person" and (m.get("typed_by") not in ("ner", "vote") or m["cls"] != "Organization"):
            continue
        classes = ["Person"]
        cands = {}
        for cls in classes:
            for key, full in full_by_cls.get(cls, {}).items():
                if full is not m and _is_short_form(short, name_tokens(full["name"])):
                    cands[(cls, key)] = full
        if len(cands) == 1:
            (target,) = cands.values()
            m["refers_to"] = [target["id"]]

    # 2. pronouns and descriptions, in text order
    for m in mentions:
        if m["kind"] == "name":
            continue
        if m["kind"] == "pronoun" and m["cls"] == "Person":
            target = _fronted_possessive(doc, m, by_sent) or _recent_person(doc, m, by_sent, root_of)
            if target is not None:
                m["refers_to"] = [target["id"]]
        elif m["kind"] in ("plural", "pronoun-plural"):
            group = _recent_group(m, by_sent, root_of)
            if group:
                m["refers_to"] = [g["id"] for g in group]
        elif m["kind"] == "pronoun":  # it/its
            target = _recent_thing(m, by_sent)
            if target is not None:
                m["refers_to"] = [target["id"]]
        elif m["kind"] == "description":
            target = _apposed_name(doc, m, mentions) or _description_target(doc, m, mentions, lex)
            if target is not None:
                m["refers_to"] = [root_of(target)["id"]]


def _fronted_possessive(doc, m, by_sent):
    tok = doc[m["tok_start"]]
    if tok.dep_ != "poss":
        return None
    sent = tok.sent
    subj = next((t for t in sent.root.children if t.dep_ in _SUBJECT_DEPS), None)
    if subj is None or subj.i < tok.i:
        return None
    for c in by_sent.get(m["sent"], []):
        if c["kind"] == "name" and c["cls"] == "Person" and c["tok_start"] <= subj.i < c["tok_end"]:
            return c
    return None


def _candidates_before(m, by_sent, pred, max_back=2):
    for s in range(m["sent"], m["sent"] - max_back - 1, -1):
        cands = [c for c in by_sent.get(s, []) if pred(c) and (s < m["sent"] or c["tok_end"] <= m["tok_start"])]
        if cands:
            yield s, cands


def _recent_person(doc, m, by_sent, root_of):
    subject = _own_subject(doc, m)
    own = {root_of(c)["id"] for c in by_sent.get(m["sent"], [])
           if subject is not None and c["tok_start"] <= subject.i < c["tok_end"]}
    for s, cands in _candidates_before(m, by_sent, lambda c: c["cls"] == "Person" and c["kind"] in ("name", "description") or (c["kind"] == "pronoun" and c["cls"] == "Person" and c["refers_to"])):
        roots = {}
        for c in cands:
            r = root_of(c)
            if r["kind"] == "name" or r["kind"] == "description":
                roots.setdefault(r["id"], (r, c))
        # "where Kim greeted him", "He thanked him": an object pronoun is not the subject of its own verb
        roots = {rid: rc for rid, rc in roots.items() if rid not in own}
        if not roots:
            continue
        if len(roots) == 1:
            return next(iter(roots.values()))[0]
        if s == m["sent"]:
            argument = _governing_clause_person(doc, m, roots)
            if argument is not None:
                return argument
        subjects = {rid: rc for rid, rc in roots.items() if rc[1].get("dep") in _SUBJECT_DEPS}
        if len(subjects) > 1:
            # "Putin arrived ..., where Kim greeted him. It was his first visit": the subject of
            # the main clause, not of a clause inside it
            subjects = {rid: rc for rid, rc in subjects.items() if doc[rc[1]["tok_start"]:rc[1]["tok_end"]].root.head.dep_ == "ROOT"}
        if len(subjects) == 1:
            return next(iter(subjects.values()))[0]
        return None
    return None


def _own_subject(doc, m):
    """The subject of the verb an object pronoun depends on ("Kim greeted him": Kim)."""
    tok = doc[m["tok_start"]]
    if tok.dep_ not in ("dobj", "dative", "pobj"):
        return None
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    return next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)


def _governing_clause_person(doc, m, roots):
    """The one person the clause above names, for the subject of an adverbial clause: "the
    ambulance that took Oswald to hospital after he was shot" (he = Oswald, although Kennedy
    was named earlier in the sentence)."""
    tok = doc[m["tok_start"]]
    if tok.dep_ not in _SUBJECT_DEPS or tok.head.dep_ != "advcl":
        return None
    args = [c.i for c in tok.head.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    found = {rid: r for rid, (r, c) in roots.items() if any(c["tok_start"] <= i < c["tok_end"] for i in args)}
    return next(iter(found.values())) if len(found) == 1 else None


def _apposed_name(doc, m, mentions):
    """"the capital, Pyongyang": a description with an apposed name is that name."""
    head = doc[m["tok_end"] - 1]
    apposed = [(c, None) for c in head.children if c.dep_ == "appos"]
    if m["cls"] == "Person":
        # "the 30th president of the United States , Calvin Coolidge ,": the parser hangs
        # the person's name on the place
        apposed += [(g, "Person") for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
                    for o in p.children if o.dep_ == "pobj" for g in o.children if g.dep_ == "appos"]
    for c, cls in apposed:
        for other in mentions:
            if other["kind"] == "name" and other["tok_start"] <= c.i < other["tok_end"] \
                    and cls in (None, other["cls"]):
                return other
    return None


def _recent_group(m, by_sent, root_of):
    for _, cands in _candidates_before(m, by_sent, lambda c: c["cls"] == "Person" and c["kind"] == "name"):
        # prefer a coordinated group: "Kim and Shoigu ... they"
        for c in cands:
            conj = [d for d in cands if d is not c and d.get("conj_of") == c["id"]]
            if conj:
                return [root_of(x) for x in [c] + conj]
        roots = {}
        for c in cands:
            r = root_of(c)
            roots.setdefault(r["id"], r)
        if len(roots) >= 2:
            return list(roots.values())[:4]
    return None


def _recent_thing(m, by_sent):
    for _, cands in _candidates_before(m, by_sent, lambda c: c["cls"] not in ("Person",) and c["kind"] == "name", max_back=1):
        return cands[-1]
    return None


def _description_target(doc, m, mentions, lex):
    cls = m["cls"]
    head_tok = doc[m["tok_end"] - 1]
    if cls != "Person" and any(c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN") for c in head_tok.children):
        # "the city's water company": its owner says which one it is; not the last company named
        return None
    head = m.get("head_lemma", "")
    before = [c for c in mentions if c["kind"] == "name" and c["tok_start"] < m["tok_start"]]
    after = [c for c in mentions if c["kind"] == "name" and c["tok_start"] > m["tok_end"]]
    if cls == "Person":
        def ok(c):
            pos = (c.get("position") or "").lower().replace("defence", "defense")
            want = (m.get("position") or head).lower().replace("defence", "defense")
            if c["cls"] != "Person" or not pos or head not in pos:
                return False
            if want not in pos:
                return False
            aff = m.get("affiliation")
            return not aff or not c.get("affiliation") or aff["name"] == c["affiliation"]["name"]
        pool = [c for c in reversed(before) if ok(c)] or [c for c in after if ok(c)]
        return pool[0] if pool else None
    for c in reversed(before):
        if c["cls"] == cls:
            if cls == "Facility" and head and head not in c["name"].lower():
                continue
            if head in lex.named_descriptions and head not in c["name"].lower().split():
                continue
            return c
    return None
