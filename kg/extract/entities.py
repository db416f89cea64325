"""Entity typing for the news/military domain.

Two layers:

* :func:`hardware_patterns` gives EntityRuler patterns (placed before the
  statistical NER) for hardware designations (``Su-35S``, ``Tu-160``,
  ``S-400``) and well-known system names (``Kalibr``).
* :func:`typed_entities` turns the NER spans into typed entity records: it
  trims determiners, splits possessives (``Vladivostok's Knevichi``), extends
  facility names with their head noun (``Knevichi airfield``), strips ranks and
  titles from person names into ``position``, and sets an ontology class from
  general evidence (designation shape, vessel/weapon/unit/facility heads,
  gazetteers), overriding the model where it is wrong.

Every record says how its class was decided (``typed_by``): ``ner`` is weak
evidence that document- and corpus-level voting may override.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .geo import VERY_LARGE_CITY, gazetteer
from .lexicon import lexicon
from .tokens import span_text, token_list

__all__ = ["hardware_patterns", "typed_entities", "NER_CLASS", "ABBREVIATIONS"]

#: spaCy NER labels -> ontology class local names (weak evidence).
NER_CLASS = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "City",
    "LOC": "Region",
    "FAC": "Facility",
    "PRODUCT": "Equipment",
}

#: job titles an organisation name may run into before a person's name ("FAA Administrator X")
_TITLE_NOUNS = frozenset({"administrator", "commissioner", "secretary", "spokesman", "spokeswoman", "chairman",
                          "director", "officer", "superintendent", "inspector"})

#: Abbreviated titles, expanded when kept as ``position``.
ABBREVIATIONS = {
    "adm.": "Admiral", "gen.": "General", "lt.": "Lieutenant", "col.": "Colonel",
    "maj.": "Major", "capt.": "Captain", "sgt.": "Sergeant", "gov.": "Governor",
    "sen.": "Senator", "rep.": "Representative", "prof.": "Professor", "rev.": "Reverend",
    "dr.": "Dr.", "mr.": "Mr.", "mrs.": "Mrs.", "ms.": "Ms.",
}

_SKIP_LABELS = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE", "NORP"}
)
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_ERAS = frozenset({"BC", "AD", "BCE", "CE"})
#: time zones that follow a clock time ("10 p.m. CDT")
_TIME_ZONES = frozenset({"GMT", "UTC", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT",
                         "HST", "AST", "ADT", "BST", "CET", "CEST", "EET", "EEST", "WET", "MSK", "IST", "JST"})
_DIRECTIONS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"})
_HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "dr.", "sir", "lady", "lord", "dame"})




def hardware_patterns() -> list[dict]:
    """EntityRuler patterns for designations and named systems, from the lexicon."""
    lex = lexicon()
    patterns = [
        {"label": "Aircraft", "id": "aircraft-designation",
         "pattern": [{"TEXT": {"REGEX": lex.aircraft_re.pattern}}]},
        {"label": "Weapon", "id": "weapon-designation",
         "pattern": [{"TEXT": {"REGEX": lex.weapon_re.pattern}}]},
    ]
    # names are phrase patterns (strings): the ruler runs them with a PhraseMatcher
    for name in sorted(lex.weapon_names):
        patterns.append({"label": "Weapon", "id": "weapon-gazetteer", "pattern": name})
    for name in sorted(lex.aircraft_names):
        patterns.append({"label": "Aircraft", "id": "aircraft-gazetteer", "pattern": name})
    # news agencies ("BANGKOK, Thailand (AP)"): the small model often misses short ones
    for name in sorted(lex.news_agencies):
        patterns.append({"label": "ORG", "id": "agency-gazetteer", "pattern": name})
    return patterns


def _lower(tok) -> str:
    return tok.lower_


def _head_chain(tok, steps=3):
    """Yield the nominal heads above ``tok`` through compound/nmod/amod links."""
    cur = tok
    for _ in range(steps):
        if cur.dep_ not in ("compound", "nmod", "amod", "npadvmod") or cur.head.i == cur.i:
            return
        cur = cur.head
        yield cur


def _is_weapon_context(span: Span) -> bool:
    lex = lexicon()
    for head in _head_chain(span.root):
        low = head.lower_
        if low in lex.weapon_heads or head.lemma_.lower() in lex.weapon_heads:
            return True
        if low in lex.weapon_system_heads and any(
            c.lower_ in lex.weapon_modifiers for c in head.children
        ):
            return True
    return False


def _is_aircraft_context(span: Span) -> bool:
    lex = lexicon()
    return any(h.lower_ in lex.aircraft_heads for h in _head_chain(span.root))


def _vessel_noun_before(span: Span) -> bool:
    doc = span.doc
    i = span.start - 1
    return i >= 0 and doc[i].lower_ in lexicon().vessel_nouns and doc[i].pos_ != "PROPN"


def _name_start(doc: Doc, start: int, head_end: int, taken) -> int:
    """Where a name begins once the capitalised compound words the model left before it are
    taken in: proper nouns that modify a token in ``start:head_end`` and no other mention owns."""
    toks = token_list(doc)
    while start > 0 and toks[start - 1].pos_ == "PROPN" and toks[start - 1].is_title \
            and toks[start - 1].dep_ == "compound" and start - 1 not in taken \
            and start <= toks[start - 1].head.i < head_end:
        start -= 1
    return start


def _vessel_noun_apposed(span: Span) -> bool:
    """The name is in apposition to a vessel noun: "two corvettes, the Wenshan and the Baoding",
    "the navy's newest frigate, the Admiral Kasatonov"."""
    root = span.root
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head
    return root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.lemma_.lower() in lexicon().vessel_nouns \
        and span.start > 0 and span.doc[span.start - 1].lower_ == "the"


def _vessel_noun_after(span: Span) -> bool:
    doc = span.doc
    i = span.end
    if i >= len(doc) or doc[i].lower_ not in lexicon().vessel_nouns:
        return False
    # "the Pacific Fleet frigate Marshal Shaposhnikov": the noun is followed by
    # the vessel's own name, so the span before it is a modifier, not the ship.
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return not (nxt is not None and nxt.is_title and nxt.pos_ == "PROPN")


def _title_start_after_vessel_noun(doc: Doc, start: int):
    """Start of "Admiral Gorshkov" when the NER span is only "Gorshkov" and a
    vessel noun precedes the title ("the frigate Admiral Gorshkov")."""
    toks = token_list(doc)
    lex = lexicon()
    i = start
    while i > 0 and toks[i - 1].is_title and (toks[i - 1].lower_ in lex.title_words or toks[i - 1].lower_ in ABBREVIATIONS):
        i -= 1
    if i == start or i == 0:
        return None
    prev = toks[i - 1]
    if prev.lower_ in lex.vessel_nouns and prev.pos_ != "PROPN":
        return i
    return None


def _place_inside(doc: Doc, start: int, end: int):
    """``((start, end), class)`` of a known place that ends a longer name after "in": the model's
    one span "Great Hall of the People in Beijing" is a building and the city it stands in."""
    toks = token_list(doc)
    for k in range(start + 1, end - 1):
        if toks[k].lower_ != "in":
            continue
        text = doc[k + 1:end].text
        cls = _place_class(text) or ("City" if gazetteer().population(text) >= 100_000 else None)
        if cls is not None and all(t.is_title or not t.is_alpha for t in doc[k + 1:end]):
            return (k + 1, end), cls
    return None


def _split_possessive(doc: Doc, start: int, end: int):
    """Split ``Vladivostok 's Knevichi`` into (possessor range, rest range)."""
    toks = token_list(doc)
    for i in range(start + 1, end - 1):
        if toks[i].text in _POSSESSIVE and toks[i].dep_ == "case":
            if i + 2 == end and toks[i + 1].lower_ in lexicon().org_heads and toks[i + 1].is_title:
                # "the Croatian People 's Party", "the Democratic Governors ' Association": a
                # name with a possessive inside
                return None
            return (start, i), (i + 1, end)
    return None


def _trim(doc: Doc, start: int, end: int):
    toks = token_list(doc)
    # (punctuation by its characters: the tagger calls "Shahed-136" PUNCT at times)
    while start < end and (toks[start].pos_ == "DET" or toks[start].is_punct or toks[start].is_space):
        start += 1
    if end - start > 1 and toks[start].tag_ == "VBG" and toks[start].pos_ == "VERB":
        # "Evaluating Juppe 's visit": a sentence-opening participle the model took into the name
        start += 1
    while end > start and (toks[end - 1].text in _POSSESSIVE or toks[end - 1].is_punct
                           and toks[end - 1].text != "."):
        end -= 1
    return start, end


def _extend_facility(doc: Doc, end: int, start: int | None = None) -> int:
    """Include a following facility head noun ("Knevichi" + "airfield"). After "the Name" the
    word is a noun whatever the tagger says ("the Knevichi airfield" with *airfield* as a verb)."""
    toks = token_list(doc)
    lex = lexicon()
    in_np = start is not None and start > 0 and toks[start - 1].lower_ in ("the", "a", "an")
    if end + 1 < len(doc) and f"{toks[end].lower_} {toks[end + 1].lower_}" in lex.facility_heads \
            and toks[end + 1].pos_ in ("NOUN", "PROPN"):
        # "the Ream naval base", "the Kursk power plant"
        return end + 2
    if end < len(doc) and toks[end].lower_ in lex.facility_heads and (toks[end].pos_ in ("NOUN", "PROPN") or in_np):
        return end + 1
    return end


def _place_class(name: str) -> str | None:
    lex = lexicon()
    low = name.lower()
    if low.startswith("the "):
        low = low[4:]
    if low in lex.countries:
        return "Country"
    if low in lex.regions:
        return "Region"
    if low in lex.cities:
        return "City"
    return None


def _state_at(doc: Doc, i: int):
    """``(end, canonical name, class)`` of a state, region or country starting
    at token ``i`` ("Ohio", "Conn.", "N.C" before a full stop, "Thailand"), else None.

    Used only right after "Name ," so that "Miss." or "Ind." elsewhere stay words.
    """
    toks = token_list(doc)
    lex = lexicon()
    n = len(doc)
    if i >= n:
        return None
    first = toks[i]
    for size in (3, 2, 1):
        end = i + size
        if end > n:
            continue
        if not first.is_alpha and not first.text[:1].isalpha():
            return None
        low = span_text(doc, i, end).lower()
        if low in lex.state_abbreviations:
            return end, lex.state_abbreviations[low], "Region"
        if size == 1 and low + "." in lex.state_abbreviations and end < n and toks[end].text == ".":
            # "Salisbury, N.C." at the end of a sentence: the full stop is split off
            return end, lex.state_abbreviations[low + "."], "Region"
        if low in lex.ambiguous_states and first.is_title:
            return end, lex.ambiguous_states[low], "Region"
        if low in lex.regions and first.is_title:
            return end, lex.regions[low], "Region"
        if low in lex.countries and (first.is_title or first.is_upper):
            return end, lex.countries[low], "Country"
    return None


def _ent_spans(doc: Doc):
    """``(start, end, label)`` of the NER spans, with names run together split apart:
    "Concord , Mass" (the city and the state), "Union of Democratic Forces ( SDS" (the name and
    its acronym), "Helen , Lewis Stone" (two names). Monitoring source lines are typed before
    these spans are read (`_source_lines`).
    """
    toks = token_list(doc)
    for start, end, label in _org_boundaries(doc):
        if label in ("GPE", "LOC", "ORG", "FAC") and end - start >= 3:
            k = next((j for j in range(start + 1, end - 1) if toks[j].text == ","), None)
            if k is not None:
                hit = _state_at(doc, k + 1)
                if hit is not None and hit[0] == end:
                    yield start, k, "GPE"
                    yield k + 1, end, "GPE"
                    continue
        if label in ("ORG", "GPE", "LOC", "FAC") and end - start >= 3:
            k = next((j for j in range(start + 1, end) if toks[j].text == "("), None)
            if k is not None and not any(toks[j].text == ")" for j in range(k, end)):
                # "Union of Democratic Forces ( SDS" tagged as one span: the name and its acronym
                yield start, k, label
                if k + 1 < end:
                    yield k + 1, end, label
                continue
        if label == "ORG" and end - start >= 3:
            k = next((j for j in range(start + 1, end - 1) if toks[j].lower_ == "for"), None)
            after = next((j for j in range(k + 1, end) if toks[j].text in _POSSESSIVE), end) if k else end
            if k is not None and not any(t.lower_ in lexicon().org_heads or t.lower_ in _PURPOSE_HEADS
                                         or t.lower_ in _BODY_HEADS for t in doc[start:k]) \
                    and (toks[start].lower_ == "the" or (start > 0 and toks[start - 1].lower_ == "the")) \
                    and any(t.is_title and (t.lower_ in lexicon().org_heads or t.lower_ in _BODY_HEADS)
                            for t in doc[k + 1:after]):
                # "the Arrow for Bar-Ilan University": a thing done for an organisation, not one
                # name (unlike "the Center for Strategic Studies", "the Agency for Development")
                yield (k + 2 if toks[k + 1].lower_ == "the" else k + 1), end, label
                continue
        if label in ("ORG", "PERSON") and end - start >= 3:
            k = next((j for j in range(start + 1, end - 1) if toks[j].text == ","), None)
            if k is not None and toks[k + 1].text[:1].isupper() \
                    and toks[k + 1].lower_.rstrip(".") not in _COMPANY_SUFFIXES and _state_at(doc, k + 1) is None:
                # "Helen , Lewis Stone", "Fear Factor , Deal": two names in one span (not
                # "Atari , Inc.", not "Dayton , Ohio")
                yield start, k, label
                yield k + 1, end, label
                continue
        yield start, end, label


_COMPANY_SUFFIXES = frozenset({"inc", "ltd", "co", "corp", "llc", "plc", "s.a", "sa", "ag", "gmbh", "nv", "bv", "jr", "sr"})

_ORG_LINKS = frozenset({"for", "of", "and", "on", "de", "del", "des", "du", "la", "le"})


def _title_run(doc: Doc, i: int, limit: int) -> int:
    """End of the run of capitalised words (linked by "of", "for", "and", ...) from token ``i``."""
    toks = token_list(doc)
    end = i
    while end < len(doc) and end - i < limit:
        tok = toks[end]
        if tok.is_title or (tok.is_upper and tok.is_alpha and len(tok) > 1):
            end += 1
        elif tok.lower_ in _ORG_LINKS and end + 1 < len(doc) and toks[end + 1].is_title:
            end += 1
        else:
            break
    while end > i and toks[end - 1].lower_ in _ORG_LINKS:
        end -= 1
    return end


#: heads of public bodies, whose names often join two subjects with "and"
_BODY_HEADS = frozenset({"council", "committee", "commission", "board", "department", "ministry", "bureau",
                         "agency", "authority", "institute", "association", "union", "society", "foundation",
                         "center", "centre", "service", "services", "administration", "office"})


#: organisation heads a "for the ..." purpose may follow ("the Carnegie Foundation for the
#: Advancement of Teaching", "the Center for the Study of Democracy")
_PURPOSE_HEADS = frozenset({"foundation", "center", "centre", "institute", "council", "society", "association",
                            "fund", "committee", "commission", "league", "alliance", "coalition", "office",
                            "bureau", "academy", "endowment", "federation", "movement", "front", "union"})


def _org_boundaries(doc: Doc):
    """The model's entity spans, with organisation names it cut short put back together.

    * a name that ends in a link word: "United States Agency for" + "International
      Development";
    * a name with "of"/"for" followed by "and" and more capitalised words: "Federal
      Service for Television" + "and Radio Broadcasting" ("Ministry of Trade and Industry");
    * capitalised words, "and", and an organisation name with an organisation head: "Crime
      Victim" + "and" + "Witness Advisory Council".
    """
    toks = token_list(doc)
    ents = [(e.start, e.end, e.label_) for e in doc.ents]
    out = []
    i = 0
    while i < len(ents):
        start, end, label = ents[i]
        new_end = end
        if label == "ORG":
            if toks[end - 1].lower_ in _ORG_LINKS and end < len(doc) and toks[end].is_title:
                new_end = _title_run(doc, end, 6)
            elif end + 1 < len(doc) and toks[end].lower_ == "and" and toks[end + 1].is_title \
                    and any(t.lower_ in ("of", "for") for t in doc[start + 1:end - 1]) \
                    and not (i + 1 < len(ents) and ents[i + 1][:1] == (end + 1,) and ents[i + 1][2] == "PERSON"):
                # (not a person after "and": "Li at the Institute of Physics and Zhao Wei at ...")
                run = _title_run(doc, end + 1, 4)
                if all(t.is_title for t in doc[end + 1:run]):
                    new_end = run
            elif toks[end - 1].lower_ in _PURPOSE_HEADS and i + 1 < len(ents) and ents[i + 1][2] == "ORG" \
                    and end + 1 < len(doc) and toks[end].lower_ in ("for", "of") \
                    and ents[i + 1][0] in (end + 1, end + 1 + (toks[end + 1].lower_ == "the")):
                # "Carnegie Foundation" + "for the" + "Advancement of Teaching"
                new_end = ents[i + 1][1]
        elif label in ("ORG", "PERSON") and i + 1 < len(ents) and ents[i + 1][2] == "ORG" \
                and ents[i + 1][0] == end + 1 and toks[end].lower_ == "and" \
                and toks[ents[i + 1][1] - 1].lower_ in _BODY_HEADS and all(t.is_title for t in doc[start:end]) \
                and (label == "ORG" or (start > 0 and toks[start - 1].is_lower and toks[start - 1].is_alpha)):
            # "the Crime Victim" + "and" + "Witness Advisory Council": one council, not a person
            # and a council ("Carl Benson and Acme Corp." stay two)
            new_end, label = ents[i + 1][1], "ORG"
        if new_end > end:
            # the spans the longer name now covers are part of it
            while i + 1 < len(ents) and ents[i + 1][0] < new_end:
                new_end = max(new_end, ents[i + 1][1])
                i += 1
            end = new_end
        out.append((start, end, label))
        i += 1
    return out


def _title_prefix(doc: Doc, start: int, end: int):
    """Leading title tokens of a person span: returns (new start, title tokens)."""
    toks = token_list(doc)
    lex = lexicon()
    i = start
    while i < end - 1:
        low = toks[i].lower_
        if low in lex.title_words or low in lex.title_modifiers or low in ABBREVIATIONS:
            i += 1
            continue
        if toks[i].text in ("-",) or (low in ("in", "of") and i + 1 < end and toks[i + 1].lower_ in lex.title_words):
            i += 1
            continue
        break
    return i, list(doc[start:i])


def _left_titles(doc: Doc, start: int, stop: int):
    """Title tokens and a demonym just left of a person name.

    "Russian Defense Minister Sergei Shoigu" -> (["Defense", "Minister"], Russian).
    """
    toks = token_list(doc)
    lex = lexicon()
    titles = []
    demonym = None
    i = start - 1
    of_title = _title_of_before(doc, start, stop)
    if of_title is not None:
        # "Secretary of State Antony Blinken", "Minister of Foreign Affairs X"
        titles = list(doc[of_title:start])
        i = of_title - 1
    while i >= stop:
        tok = toks[i]
        low = tok.lower_
        if low in lex.title_words or low in lex.title_modifiers or low in ABBREVIATIONS:
            titles.insert(0, tok)
        elif i == start - 1 and tok.is_lower and low in lex.occupation_nouns:
            # "Soviet historian Roy Medvedev": an occupation noun carries a demonym too
            titles.insert(0, tok)
        elif low in ("-", "in") and titles:
            titles.insert(0, tok)
        elif titles and (low in lex.demonyms or low in lex.countries):
            if _for_or_against(tok):
                break  # "pro-Russian leader X"
            demonym = (i, i + 1)
            # "North Korean": two-token demonyms
            if i - 1 >= stop and f"{toks[i - 1].lower_} {low}" in lex.demonyms:
                demonym = (i - 1, i + 1)
            break
        elif titles and tok.text in _POSSESSIVE and i - 1 >= stop:
            # "Russia's defence minister X"
            prev = toks[i - 1]
            if prev.lower_ in lex.countries:
                demonym = (i - 1, i)
            break
        else:
            break
        i -= 1
    # A title run must end in a title noun ("Defense Minister"), not only modifiers, unless
    # it ends in the "of" part of one ("Secretary of State").
    while of_title is None and titles and titles[-1].lower_ not in lex.title_words and titles[-1].lower_ not in ABBREVIATIONS \
            and not (titles[-1].is_lower and titles[-1].lower_ in lex.occupation_nouns):
        titles.pop()
    return titles, demonym


#: words inside the "of" part of a title: "Minister of Foreign Affairs and Trade", "Chief of the General Staff"
_TITLE_OF_WORDS = frozenset({"the", "and", "for", "&"})


def _title_of_before(doc: Doc, start: int, stop: int, longest: int = 5):
    """Start of a "<title> of <Capitalised words>" run ending right before ``start``, or None."""
    toks = token_list(doc)
    lex = lexicon()
    j = start - 1
    while j >= stop and start - j <= longest and (toks[j].is_title or toks[j].lower_ in _TITLE_OF_WORDS) \
            and toks[j].lower_ != "of":
        j -= 1
    if j == start - 1 or j - 1 < stop or toks[j].lower_ != "of" or not toks[j + 1].is_title:
        return None
    if not toks[start - 1].is_title or toks[start - 1].lower_ in _TITLE_OF_WORDS:
        return None
    head = toks[j - 1]
    if head.lower_ not in lex.title_words or not head.is_title:
        return None
    return j - 1


def _position_text(tokens) -> str | None:
    words = [ABBREVIATIONS.get(t.lower_, t.text) for t in tokens]
    text = " ".join(words).replace(" - ", "-").replace(" -", "-").replace("- ", "-").strip()
    return text or None


def _affiliation(doc: Doc, rng):
    """(country name, start_char, end_char) for a demonym/country token range."""
    if rng is None:
        return None
    lex = lexicon()
    span = doc[rng[0]:rng[1]]
    low = span.text.lower()
    country = lex.demonyms.get(low) or lex.countries.get(low)
    if not country:
        return None
    return {"name": country, "start": span.start_char, "end": span.end_char, "text": span.text}


def typed_entities(doc: Doc) -> list[dict]:
    """Typed entity records for ``doc`` (see module docstring).

    Each record: ``start``/``end`` (token indexes), ``name``, ``cls``,
    ``typed_by``, ``position`` (or None), ``affiliation`` (or None).
    """
    toks = token_list(doc)
    lex = lexicon()
    records: list[dict] = []
    taken = set()

    def add(start, end, cls, typed_by, position=None, affiliation=None, name=None):
        if start >= end or any(i in taken for i in range(start, end)):
            return
        span = doc[start:end]
        text = name or span.text
        if not any(ch.isalpha() for ch in text):
            return
        taken.update(range(start, end))
        records.append({
            "start": start, "end": end, "name": " ".join(text.split()), "cls": cls,
            "typed_by": typed_by, "position": position, "affiliation": affiliation,
        })

    _source_lines(doc, records, add)
    for ent_start, ent_end, label in _ent_spans(doc):
        if label == "NORP" and doc[ent_start:ent_end].text.lower() not in lex.demonyms:
            # "a Memphis native" tagged NORP: a place the gazetteer knows is no nationality
            start, end = _trim(doc, ent_start, ent_end)
            pcls = _place_class(doc[start:end].text) or \
                ("City" if _gazetteer_city(doc, start, end, label) else None)
            if pcls is not None:
                add(start, end, pcls, "gazetteer")
            continue
        if label in _SKIP_LABELS:
            continue
        start, end = _trim(doc, ent_start, ent_end)
        if end - start == 1 and _is_era(toks[start]):
            continue  # "44 B.C.": a year, not a place
        if label == "ORG":
            # "Coast Guard Lt. Steve Hardy", "FAA Administrator Allan McArtor": the title before
            # a name is the person's, not the end of the organisation's name
            while end - start > 1:
                title = toks[end - 1].lower_
                after = end + 1 if end < len(doc) and toks[end].text == "." else end
                if not (after < len(doc) and toks[after].text[:1].isupper() and toks[after].pos_ == "PROPN"
                        and (title in lex.title_words or title in _TITLE_NOUNS or title + "." in ABBREVIATIONS
                             or title in ABBREVIATIONS)):
                    break
                end -= 1
        if start >= end:
            continue
        if label in ("PERSON", "ORG", "GPE", "LOC", "FAC") and all(t.is_lower or not t.is_alpha for t in doc[start:end]) \
                and any(t.is_alpha for t in doc[start:end]):
            # "blues rock", "antennas", "sandy beach" tagged as names: a name has a capital
            continue
        place = _place_inside(doc, start, end)
        if place is not None:
            # "Great Hall of the People in Beijing": the building, and the city it is in
            (ps, pe), pcls = place
            add(ps, pe, pcls, "gazetteer")
            end = ps - 1
        split = _split_possessive(doc, start, end)
        if split is not None:
            (ps, pe), (start, end) = split
            pname = doc[ps:pe].text
            pcls = _place_class(pname) or ("City" if label in ("GPE", "FAC", "LOC") else NER_CLASS.get(label, "Organization"))
            add(ps, pe, pcls, "gazetteer" if _place_class(pname) else "ner")
        span = doc[start:end]
        if label in ("Aircraft", "Weapon"):
            j = end
            while j < len(doc) and toks[j].is_title and toks[j].pos_ == "PROPN":
                j += 1
            if j > end and toks[j - 1].lower_ in lex.org_heads:
                # "the Shahed Aviation Industries plant": a company named after its product
                fac_end = _extend_facility(doc, j, start)
                add(start, fac_end, "Facility" if fac_end > j else "Organization", "context")
                continue
            cls = label
            if label == "Aircraft" and _is_weapon_context(span):
                cls = "Weapon"
            add(start, end, cls, "shape")
            continue
        # Vessels keep title words in their names ("the frigate Admiral Gorshkov").
        vstart = _title_start_after_vessel_noun(doc, start)
        if vstart is not None and label in ("PERSON", "ORG", "GPE", "PRODUCT", "FAC", "LOC"):
            add(vstart, end, "Vessel", "context")
            continue
        unit = span[-1].lower_ in lex.unit_heads or doc[start:end].text.lower().endswith("air force")
        if not unit and label in ("PERSON", "ORG", "GPE", "PRODUCT", "FAC", "LOC") and _vessel_noun_apposed(span):
            # "the Admiral Kasatonov": the title is part of a ship's name
            add(_name_start(doc, start, end, taken), end, "Vessel", "context")
            continue
        if not unit and (_vessel_noun_before(span) or _vessel_noun_after(span)) and label in ("PERSON", "ORG", "GPE", "PRODUCT", "FAC", "LOC"):
            # ships are often named after cities: "the submarine Kazan" is a ship, while
            # "the Vladivostok frigate" may be a frigate from Vladivostok
            if _vessel_noun_before(span) or _place_class(span.text) is None:
                add(start, end, "Vessel", "context")
                continue
        if _is_weapon_context(span) and label in ("PERSON", "ORG", "GPE", "PRODUCT", "LOC", "FAC"):
            add(start, end, "Weapon", "context")
            continue
        if label in ("PERSON", "ORG", "PRODUCT") and _is_aircraft_context(span) and any(c.isdigit() for c in span.text):
            add(start, end, "Aircraft", "context")
            continue
        if unit and label in ("ORG", "GPE", "LOC", "PERSON", "FAC", "NORP"):
            add(start, end, "MilitaryUnit", "context", name=_unit_name(span))
            continue
        if label in ("PERSON", "ORG", "FAC", "GPE", "LOC") and _feature_noun_after(span) and not _org_head(span) \
                and not _place_class(span.text) and not gazetteer().population(span.text):
            add(start, end, "Region", "context")
            continue
        if label in ("PERSON", "ORG", "FAC", "PRODUCT", "NORP", "EVENT") and _area_noun_after(span) and not _org_head(span) \
                and not _place_class(span.text):
            # "Preah Sihanouk province" with "Sihanouk" tagged PERSON: the province, and the
            # capitalised words the model left out of its name
            add(_name_start(doc, start, end + 1, taken), end, "Region", "context")
            continue
        if label in ("PRODUCT", "EVENT", "WORK_OF_ART") and _place_class(span.text):
            # "Russia's Kursk region" with "Kursk" tagged a product: the gazetteer knows the place
            add(start, end, _place_class(span.text), "gazetteer")
            continue
        if label in ("PRODUCT", "EVENT", "WORK_OF_ART") and (pcls := _place_noun_class(span)):
            # "the northwestern department of Solola" with "Solola" tagged a product
            add(start, end, pcls, "context")
            continue
        if label in ("PERSON", "GPE", "LOC", "FAC") and (_org_noun_after(span) or _org_noun_before(span)) \
                and not _place_class(span.text) \
                and not gazetteer().population(span.text):
            add(start, end, "Organization", "context")
            continue
        fac_end = _extend_facility(doc, end, start)
        if fac_end == end + 1 and toks[end].lower_ == "headquarters":
            # "NRC headquarters", "the Dallas headquarters of Acme": the seat of an
            # organisation, or the place it is in, not a facility named after either
            fac_end = end
        if fac_end > end and label in ("FAC", "PERSON", "ORG", "GPE", "LOC"):
            add(start, fac_end, "Facility", "context")
            continue
        if label in ("GPE", "LOC") and len(span) == 2 and span[0].lower_ in lex.title_words \
                and span[1].lower_ in lex.first_names and _place_head_class(span) is None \
                and not _place_class(span.text) and not gazetteer().population(span.text):
            # "Britain 's Prince Charles" tagged GPE: a title and a first name make a person
            label = "PERSON"
        if label == "GPE" and _city_government(doc, start, end):
            # "the Phnom Penh government", "the Kabul regime": the government seated in the
            # city, an organisation
            add(start, end + 1, "Organization", "context")
            continue
        if label in ("GPE", "LOC"):
            if len(span) == 1 and span[0].lower_ in _DIRECTIONS:
                continue
            if span.text.lower() in lex.demonyms and span.text.lower() not in lex.countries:
                # "Ukrainian officials" tagged GPE: the country, not a city called "Ukrainian"
                add(start, end, "Country", "gazetteer", name=lex.demonyms[span.text.lower()])
                continue
            pcls = _place_class(span.text)
            name = lex.countries.get(span.text.lower(), span.text) if pcls == "Country" else None
            typed_by = "gazetteer" if pcls else "ner"
            if pcls is None:
                pcls = _place_head_class(span) or _place_noun_class(span)
                typed_by = "context" if pcls else "ner"
            add(start, end, pcls or NER_CLASS[label], typed_by, name=name)
            continue
        if label in ("PERSON", "ORG"):
            if label == "PERSON" and span.text.lower() in lex.demonyms:
                continue  # "a Briton": a nationality (the apposed-demonym affiliation), not a name
            if label == "PERSON" and _acronym_in_text(span):
                # "the OFLC of Australia" tagged PERSON: an acronym in running text names a body
                add(start, end, "Organization", "context")
                continue
            pcls = _place_class(span.text)
            if pcls is not None and not _left_titles(doc, start, max(0, start - 3))[0] \
                    and not (start > 0 and toks[start - 1].text in _POSSESSIVE):
                # "Yerevan" tagged PERSON, "Japan" tagged ORG: the gazetteer knows better
                name = lex.countries.get(span.text.lower(), span.text) if pcls == "Country" else None
                add(start, end, pcls, "gazetteer", name=name)
                continue
            if _gazetteer_city(doc, start, end, label):
                add(start, end, "City", "gazetteer")
                continue
            if _after_direction_of(doc, start) and not _org_head(span):
                # "north of Rügen", "15 km east of Møn": only a place lies in a direction of something
                add(start, end, _place_class(span.text) or _place_head_class(span) or "City", "context")
                continue
            if _based_after(span) or _home_of_before(span) or _native_after(span):
                # "Dayton-based Acme", "Acme Co. of Dayton", "Ann Lee , 30 , of Dayton", "a Dayton
                # native": only a place is something based in, a company's or a person's home
                add(start, end, _place_class(span.text) or "City", "context")
                continue
            if label == "ORG" and len(span) >= 2 and span[-1].text[:1].isupper() \
                    and span[-1].lower_ in lex.facility_heads and span[-1].lower_ not in _INSTITUTION_HEADS:
                # "the Rocky Flats Plant", "the Hanford Site", "Brushy Mountain Penitentiary": a
                # place named by its head noun, whatever runs it
                add(start, end, "Facility", "context")
                continue
            if _org_head(span):
                # "National Football League", "Defense Ministry": an organisation's head noun
                # outweighs the model's label and the title-like words in the name
                add(start, end, "Organization", "context")
                continue
            pcls = _place_head_class(span) or _place_noun_class(span)
            if pcls is not None and not _left_titles(doc, start, max(0, start - 3))[0]:
                add(start, end, pcls, "context")
                continue
            nstart, inner_titles = _title_prefix(doc, start, end)
            name_tokens = doc[nstart:end]
            low = name_tokens[0].lower_ if len(name_tokens) == 1 else ""
            if low and (low in lex.facility_heads or low in lex.org_heads or low in _BUILDING_WORDS
                                          or lex.place_heads.get(low) == "Facility"):
                # "the Ambassador Hotel", "the Senator Theatre": a title word naming a building or
                # an organisation, not a person called "Hotel"
                left = _left_titles(doc, start, max(0, start - 3))[0]
                if inner_titles or left:
                    add(left[0].i if left and not inner_titles else start, end,
                        "Organization" if low in lex.org_heads and low not in lex.facility_heads else "Facility",
                        "context")
                    continue
            proper_name = all(t.pos_ == "PROPN" and t.is_title for t in name_tokens) \
                and name_tokens[-1].lower_ not in lex.unit_heads
            is_named_person = (
                label == "PERSON"
                or (proper_name and any(t.lower_ in lex.title_words or t.lower_ in ABBREVIATIONS for t in inner_titles)
                    # "General Motors", "General Electric" tagged ORG: "General" is also an
                    # adjective, and with one word after it a company name; "General Marcus
                    # Holloway", "Gen. Holloway", "Admiral Evmenov" are people
                    and (label != "ORG" or len(name_tokens) >= 2 or inner_titles[-1].text != "General"))
                # "General Marcus Holloway" with the model's ORG span on the name alone; not
                # "publisher Enix" (a job that companies also have)
                or (proper_name and len(name_tokens) <= 3 and not inner_titles
                    and any(not (t.is_lower and t.lower_ in lex.org_nouns)
                            for t in _left_titles(doc, start, max(0, start - 3))[0]))
            )
            if label == "PERSON" and not inner_titles and _said_to_be_org(span):
                # "Roketsan is a Turkish weapons manufacturer", "Roketsan , a weapons maker ,"
                add(start, end, "Organization", "context")
                continue
            if is_named_person:
                left, demonym = _left_titles(doc, start, max(0, start - 6))
                if demonym is None:
                    demonym = _apposed_demonym(doc[nstart:end])
                titles = left + [t for t in inner_titles if t.lower_ not in _HONORIFICS]
                # drop NER fragments inside the title ("Defense" tagged ORG)
                records[:] = [r for r in records if not (left and r["start"] >= left[0].i and r["end"] <= start)]
                taken.difference_update(range(left[0].i, start) if left else ())
                add(nstart, end, "Person", "context" if (inner_titles or left) else "ner",
                    position=_position_text(titles), affiliation=_affiliation(doc, demonym))
                continue
            add(start, end, NER_CLASS[label], "ner")
            continue
        if label == "FAC":
            add(start, end, "Facility", "ner")
        elif label in NER_CLASS:
            add(start, end, NER_CLASS[label], "ner")
    _unnamed_hardware(doc, add)
    _untagged_cities(doc, add)
    for r in records:
        if r["cls"] == "Organization" and r["affiliation"] is None:
            # "the Soviet news agency Tass", "Renault, the French carmaker": based in that country
            r["affiliation"] = _affiliation(doc, _org_demonym(doc[r["start"]:r["end"]]))
        if r["cls"] == "Organization" and r["affiliation"] is None and r["end"] - r["start"] > 1 \
                and toks[r["start"]].text[:1].isupper() and toks[r["start"]].lower_ in lex.demonyms:
            # "the Chinese Government", "the German Foreign Ministry": a name that begins with a
            # demonym belongs to that country (the country is linked where the text names it)
            r["affiliation"] = _affiliation(doc, (r["start"], r["start"] + 1))
    records.sort(key=lambda r: r["start"])
    _city_state(doc, records, add)
    _party_state(doc, records, add)
    _names_again(doc, records, add)
    _titled_names(doc, records, add)
    _person_name_heads(doc, records)
    _persons_by_role(doc, records, add)
    _acronyms_before_titles(doc, records, add)
    _persons_by_first_name(doc, records)
    _particle_names(doc, records)
    records.sort(key=lambda r: r["start"])
    _doc_vote(doc, records)
    return records


#: facility heads that also name the institution run there ("Mercy Hospital said")
_INSTITUTION_HEADS = frozenset({"academy", "university", "center", "centre", "hospital", "museum", "embassy",
                                "headquarters", "estate"})

#: a monitoring service's item number before its source line: "OW1102132994", "94WD0125D"
_ITEM_NUMBER = re.compile(r"^(?=(?:.*\d){4})(?=(?:.*[A-Z]){2})[A-Z0-9]{8,14}$")
#: words that make a capitalised run after a city a broadcaster's or a paper's name
_MEDIA_WORDS = frozenset({"radio", "television", "tv", "network", "service", "agency", "press", "news",
                          "database", "channel", "broadcasting", "daily", "times", "post", "herald"})


def _source_lines(doc: Doc, records: list[dict], add) -> None:
    """A monitoring source line: "[item number] Moscow IZVESTIYA [in Russian 23 Mar 94]".

    Translated-press services (FBIS, BBC Monitoring) head each item with the city and
    the paper or broadcaster it comes from, in the paper's own capitals. The model
    misses such names or runs the city into them ("Beirut Radio Lebanon"). The line is
    recognised at the start of a sentence or right after an item number, when a known
    city is followed by a run of capitalised words that ends the sentence, or meets
    "in <language>" or a date; the run must be in capitals or name a medium ("Radio").
    """
    toks = token_list(doc)
    lex = lexicon()
    n = len(doc)
    # (the sentence splitter may cut the line after the city: "London | THE SUNDAY TIMES")
    starts = sorted({s.start for s in doc.sents} | {t.i + 1 for t in toks if _ITEM_NUMBER.match(t.text)})
    for i in starts:
        if i >= n:
            continue
        stop = toks[i].sent.end
        city = next((i + size for size in (3, 2, 1) if i + size <= stop and i + size < n
                     and (span_text(doc, i, i + size).lower() in lex.cities
                          or (toks[i].is_title and gazetteer().population(span_text(doc, i, i + size))))), None)
        if city is None:
            continue
        end = toks[city].sent.end
        j = city
        while j < end and j - city < 8 and not toks[j].like_num and (
                (any(ch.isalpha() for ch in toks[j].text) and (toks[j].is_upper or toks[j].is_title))
                # "Radio Bosnia - Herzegovina Network"
                or (toks[j].text == "-" and j > city and j + 1 < end and toks[j + 1].text[:1].isupper())):
            j += 1
        run = doc[city:j]
        ends = j == end or toks[j].like_num or toks[j].text in ("--", ";", "(") \
            or (toks[j].lower_ == "in" and j + 1 < n and (toks[j + 1].lower_ in lex.languages
                                                         or doc[j + 1:j + 4].text.lower() in lex.languages))
        named = any(t.is_upper and len(t.text) > 1 for t in run) or any(t.lower_ in _MEDIA_WORDS for t in run)
        if len(run) and ends and named and not (j == end and toks[j - 1].is_punct):
            before = len(records)
            add(i, city, "City", "gazetteer")
            add(city, j, "Organization", "context")
            if len(records) == before + 2:
                # the paper or broadcaster is based in the city its source line names
                records[-1]["based_in"] = (i, city)
    for tok in toks:
        # a dateline's agency: "Seoul , May 3 ( YONHAP ) --", "Knin , 12 Feb ( TANJUG ) --"
        k = tok.i
        if tok.text == "(" and 0 < k and k + 3 < n and (toks[k - 1].like_num or toks[k - 1].ent_type_ in ("GPE", "DATE")):
            close = next((j for j in range(k + 2, min(k + 5, n)) if toks[j].text == ")"), None)
            if close is not None and close + 1 < n and toks[close + 1].text in ("--", "-", "_", "—") \
                    and all(t.is_upper and t.is_alpha for t in doc[k + 1:close]):
                add(k + 1, close, "Organization", "context")


#: building words a title word may name ("the Ambassador Hotel", "the Senator Theatre")
_BUILDING_WORDS = frozenset({"hotel", "theater", "theatre", "cinema", "hall", "tower", "building", "bridge"})

#: lower-case words inside personal names ("Fradique de Menezes", "Ludwig van Beethoven")
_NAME_PARTICLES = frozenset({"de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der",
                             "den", "ter", "la", "le", "bin", "ibn", "al", "el", "y"})


def _person_name_heads(doc: Doc, records: list[dict]) -> None:
    """A person's name the model ended before its head word: "actor John Wilkes" + "Booth", when
    the parser makes the untagged proper noun after the name the head of the name's words."""
    toks = token_list(doc)
    taken = {i for r in records for i in range(r["start"], r["end"])}
    n = len(doc)
    for r in records:
        end = r["end"]
        if r["cls"] != "Person" or end >= n or end in taken:
            continue
        nxt = toks[end]
        if toks[end - 1].dep_ == "compound" and toks[end - 1].head.i == end and nxt.pos_ == "PROPN" \
                and nxt.is_title and not nxt.ent_type_ and nxt.lower_.rstrip(".") not in ABBREVIATIONS:
            r["end"], r["name"] = end + 1, doc[r["start"]:end + 1].text
            taken.add(end)


def _particle_names(doc: Doc, records: list[dict]) -> None:
    """A person's name the model cut at a lower-case particle: "Ursula von" + "der" + "Leyen"
    (tagged a city) is "Ursula von der Leyen"; "Ludwig van" + "Beethoven"."""
    toks = token_list(doc)
    n = len(doc)
    for r in [r for r in records if r["cls"] == "Person"]:
        end = k = r["end"]
        while k < n and toks[k].is_lower and toks[k].lower_ in _NAME_PARTICLES:
            k += 1
        ends_in_particle = toks[end - 1].is_lower and toks[end - 1].lower_ in _NAME_PARTICLES
        if not (k > end or ends_in_particle) or k >= n or not toks[k].is_title or toks[k].pos_ != "PROPN":
            continue
        last = k + 1
        while last < n and toks[last].is_title and toks[last].pos_ == "PROPN":
            last += 1
        others = [o for o in records if o is not r and o["start"] < last and o["end"] > end]
        if any(o["typed_by"] not in ("ner", "vote") or o["start"] < end for o in others):
            continue
        records[:] = [o for o in records if o not in others]
        r["end"], r["name"] = last, doc[r["start"]:last].text


def _persons_by_first_name(doc: Doc, records: list[dict]) -> None:
    """A name the model alone called an organisation or a place is a person when it begins with
    a common first name and nothing in it or around it says otherwise ("Celine Dion",
    "Hal Wallis"): no organisation or place word in it, not a known place or an eponymous
    company ("Morgan Stanley"), no article before it ("the Anna Karenina") and no company suffix
    after it. A person whose first name the model left out gets it back ("Anna" + "Sandhu Ray")."""
    toks = token_list(doc)
    lex = lexicon()
    taken = {i for r in records for i in range(r["start"], r["end"])}
    for r in records:
        start, end = r["start"], r["end"]
        if r["cls"] == "Person":
            first = toks[start - 1] if start > 0 else None
            if first is not None and first.i not in taken and first.is_title and first.pos_ == "PROPN" \
                    and first.lower_ in lex.first_names and first.dep_ == "compound" \
                    and start <= first.head.i < end and not first.is_sent_start:
                r["start"] = start - 1
                r["name"] = doc[start - 1:end].text
                taken.add(start - 1)
            continue
        if r["typed_by"] != "ner" or r["cls"] not in ("Organization", "City", "Region", "Facility", "Place"):
            continue
        span = doc[start:end]
        if span[0].lower_ not in lex.first_names:
            continue
        words = [t for t in span if t.lower_ not in _NAME_PARTICLES and t.text not in ("-", ".")]
        if not 2 <= len(words) <= 4:  # ("Jean-Marie Le Pen": four words)
            continue
        if not all(t.text[:1].isupper() and not t.is_upper and t.text.replace("'", "").isalpha()
                   or len(t.text) == 2 and t.text[1] == "." for t in words):
            # capitalised words ("McBride", "O'Neill") or initials, no acronym
            continue
        if span[-1].tag_ == "NNPS" or any(
                t.lower_ in lex.org_heads or t.lower_ in lex.org_nouns or t.lower_ in lex.place_nouns
                or t.lower_ in lex.place_heads or t.lower_ in lex.facility_heads or t.lower_ in lex.unit_heads
                for t in span):
            # "Sun Hung Kai Properties", "Morgan City", "Carey Business School"
            continue
        text = span.text
        if text.lower() in lex.eponymous_companies or _place_class(text) or gazetteer().population(text):
            continue
        if start > 0 and toks[start - 1].lower_ in ("the", "a", "an"):
            continue
        if end < len(doc) and (toks[end].lower_.rstrip(".") in _COMPANY_SUFFIXES or toks[end].text == "&"
                               or toks[end].lower_ in lex.org_heads or toks[end].lower_ in lex.org_nouns):
            continue
        r["cls"], r["typed_by"] = "Person", "context"


def _name_parts(doc: Doc, records: list[dict]):
    """(token, record) for the first and last word of every person named in full: either may be
    the family name ("Paul Robeson" ... "Robeson"; "Wang Yi" ... "Wang")."""
    toks = token_list(doc)
    for r in records:
        if r["cls"] == "Person" and r["end"] - r["start"] > 1:
            yield toks[r["start"]], r
            yield toks[r["end"] - 1], r


def _names_again(doc: Doc, records: list[dict], add) -> None:
    """A person named in full is later called by one part of the name, which the
    model often misses: "Sergei Lavrov ... Lavrov may visit", "Wang Yi ... Wang
    said". Such a token (a proper noun, capitalised, not a common or title word)
    after the full name becomes a Person mention.
    """
    toks = token_list(doc)
    lex = lexicon()
    first_seen: dict[str, int] = {}
    for tok, r in _name_parts(doc, records):
        if r["end"] - r["start"] <= 3 and tok.is_title and tok.is_alpha and len(tok) >= 3:
            first_seen[tok.text] = min(first_seen.get(tok.text, r["end"]), r["end"])
    if not first_seen:
        return
    taken = {i for r in records for i in range(r["start"], r["end"])}
    for tok in toks:
        start = first_seen.get(tok.text)
        if start is None or tok.i < start or tok.i in taken or tok.pos_ != "PROPN" or tok.is_stop:
            continue
        low = tok.lower_
        if low in lex.title_words or low in lex.demonyms or low in lex.countries or _place_class(tok.text):
            continue
        if (tok.i > 0 and toks[tok.i - 1].is_title and toks[tok.i - 1].pos_ == "PROPN") or \
                (tok.i + 1 < len(doc) and toks[tok.i + 1].is_title and toks[tok.i + 1].pos_ == "PROPN"):
            continue  # part of a longer name the model did not tag ("Lavrov Street")
        add(tok.i, tok.i + 1, "Person", "context")


def _titled_names(doc: Doc, records: list[dict], add) -> None:
    """A name the model missed after a title ("Defence Minister Rustem Umerov met ...", with only
    "Defence" tagged, as an organisation): one to three capitalised words that end a noun phrase
    right after a title noun are a person, the title is the position. Fragments of the title the
    model tagged are dropped."""
    toks = token_list(doc)
    lex = lexicon()
    by_token = {i: r for r in records for i in range(r["start"], r["end"])}
    for tok in toks:
        if not tok.is_title or tok.lower_ not in lex.title_words or tok.i in by_token and by_token[tok.i]["cls"] == "Person":
            continue
        j = k = tok.i + 1
        while k < len(doc) and toks[k].pos_ == "PROPN" and toks[k].is_title and k not in by_token \
                and toks[k].lower_ not in lex.title_words and toks[k].lower_ not in ABBREVIATIONS:
            k += 1
        if not 1 <= k - j <= 3 or toks[k - 1].dep_ == "compound" and toks[k - 1].head.i >= k:
            continue
        text = doc[j:k].text
        if _place_class(text) or text.lower() in lex.demonyms or gazetteer().population(text):
            continue
        titles, demonym = _left_titles(doc, j, max(0, j - 6))
        if not titles:
            continue
        first = titles[0].i
        records[:] = [r for r in records if not (first <= r["start"] and r["end"] <= j and r["cls"] != "Country")]
        add(j, k, "Person", "context", position=_position_text(titles), affiliation=_affiliation(doc, demonym))
        by_token.update(dict.fromkeys(range(j, k), {"cls": "Person"}))


def _add_missing(doc: Doc, name, by_token: dict, cls: str, add) -> None:
    """Add the capitalised name ending at token ``name`` (with its compound proper nouns) as a
    ``cls`` mention, unless it is typed already, not a name, or a known place or demonym."""
    toks = token_list(doc)
    lex = lexicon()
    # the model may tag a lone unknown name as an interjection ("Tal , a ... official")
    if name.i in by_token or name.pos_ not in ("PROPN", "INTJ", "X") or not name.is_title or name.is_stop:
        return
    start = name.i
    while start > 0 and toks[start - 1].dep_ == "compound" and toks[start - 1].head.i == name.i \
            and toks[start - 1].pos_ == "PROPN" and toks[start - 1].is_title and toks[start - 1].i not in by_token:
        start -= 1
    text = doc[start:name.i + 1].text
    if _place_class(text) or text.lower() in lex.demonyms or gazetteer().population(text):
        return
    position = None
    if cls == "Person":
        # "Police Major Pramot Pansakun": the rank is the position, not part of the name
        start, titles = _title_prefix(doc, start, name.i + 1)
        position = _position_text([t for t in titles if t.lower_ not in _HONORIFICS])
    add(start, name.i + 1, cls, "context", position=position)


_PERSON_VICTIM_VERBS = frozenset({"assassinate", "murder", "marry"})
#: verbs of violence between people: one named side makes the other a person
_VIOLENT_VERBS = frozenset({"kill", "shoot", "stab", "strangle", "slay", "wound"})


def _clause_subject(verb):
    """The subject of ``verb``, or of the verb it is conjoined with or subordinate to
    ("Booth sneaked in and shot Lincoln", "Booth escaped after shooting Lincoln")."""
    for _ in range(3):
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None or verb.dep_ not in ("conj", "advcl", "pcomp", "xcomp") or verb.head.i == verb.i:
            return subj
        verb = verb.head if verb.dep_ != "pcomp" else verb.head.head
    return None


def _life_dates_after(doc: Doc, i: int) -> bool:
    """Token ``i`` opens a bracket of life dates: "( born ...", "( 1874 – 1943 )",
    "( 11 October 1874 , in Liegnitz – ...": what follows a person's name in a biography."""
    nxt = doc[i + 1:i + 8]
    if not len(nxt):
        return False
    if nxt[0].lower_ in ("born", "b.", "née", "nee"):
        return True
    # full dates on both sides of a dash: a company's "( 1990 – 2005 )" has only years
    dash = next((t.i for t in nxt if t.text in ("–", "-", "—")), None)
    return dash is not None and any(t.lower_ in _MONTH_NAMES for t in doc[i + 1:dash]) \
        and any(t.like_num and len(t.text) == 4 for t in doc[i + 1:dash]) \
        and any(t.like_num and len(t.text) == 4 for t in doc[dash + 1:dash + 6])


_MONTH_NAMES = frozenset("january february march april may june july august september october november "
                         "december".split())
_KILLER_NOUNS = frozenset({"assassin", "killer", "murderer"})
_KILLING_NOUNS = frozenset({"murder", "assassination", "slaying", "killing"})
#: nouns that describe a person when "of" follows them in apposition
_PERSON_OF_NOUNS = frozenset({"leader", "native", "founder", "son", "daughter", "widow", "candidate"})


#: nouns for a person of a people that are not the adjective ("an Arab", "a Briton")
_NATIONALITY_NOUNS = frozenset({"arab", "kurd", "scot", "dane", "swede", "pole", "finn", "turk", "serb", "croat",
                                "jew", "spaniard"})  # (the demonym table has "Briton", "Thai", "Filipino" ...)
#: verbs of saying and thinking: who says or thinks "he" of himself is a person
_SPEECH_VERBS = frozenset({"say", "tell", "add", "insist", "deny", "claim", "explain", "admit", "recall",
                           "think", "believe", "feel", "fear", "realize", "know"})


def _acronyms_before_titles(doc: Doc, records: list[dict], add) -> None:
    """An acronym the model missed right before a title and a person's name is the person's
    organisation: "CNTP Secretary Luis Cobos", "NRC Chairman Lando Zech" (not a country's
    abbreviation: "UK Ambassador X")."""
    toks = token_list(doc)
    lex = lexicon()
    taken = {i for r in records for i in range(r["start"], r["end"])}
    for start in [r["start"] for r in records if r["cls"] == "Person" and r["start"] >= 2]:
        tok, title = toks[start - 2], toks[start - 1]
        if tok.i in taken or not is_acronym(tok.text) \
                or tok.lower_ in lex.countries or tok.lower_ in lex.demonyms or tok.lower_ in lex.state_abbreviations:
            continue
        if title.lower_ in lex.title_words and title.is_title:
            add(tok.i, tok.i + 1, "Organization", "context")


def _persons_by_role(doc: Doc, records: list[dict], add) -> None:
    """What the sentence says makes a name a person:

    * a job in apposition ("Tal , a senior Defense Ministry official ,"; not jobs that companies
      also have, "a leading producer");
    * a kinship noun ("Sohn 's wife", "the son of X", "his daughter X");
    * being assassinated, murdered or married ("Caesar was assassinated", "married to X");
    * an assassin named after it ("Lincoln assassin John Wilkes Booth");
    * life dates after it ("X ( born ...", "X ( 11 October 1874 – 6 January 1915 )");
    * being conjoined with a person ("Modi and Sharif");
    * a relative clause with "who" ("Hinckley , who shot President Reagan");
    * shooting or killing a person, or being shot by one; two untagged names in a shooting
      ("Ruby fatally shot Oswald"); being "the murder of" victim;
    * saying or thinking "he" of oneself ("Kravchuk said he would sign");
    * a nationality in apposition ("Sirhan , a Christian Arab ,").

    A lone title word that is shot or murdered is a surname ("King was shot by Ray").
    A name the model missed becomes a Person mention; one it alone called an organisation or a
    place (not a known place) is retyped. An organisation noun in apposition ("Acme , a Dayton
    company ,") adds the organisation the model missed.
    """
    toks = token_list(doc)
    lex = lexicon()
    by_token = {i: r for r in records for i in range(r["start"], r["end"])}
    for tok in toks:
        low = tok.lower_
        if tok.pos_ == "PROPN" and tok.i not in by_token \
                and tok.dep_ in ("nsubj", "conj", "nsubjpass", "dobj", "pobj") and any(by_token.get(c.i, {}).get("cls") == "Person" for c in tok.conjuncts):
            # "Modi and Sharif did not meet": a name the model missed, conjoined with a person
            _add_missing(doc, tok, by_token, "Person", add)
            continue
        if tok.lower_ == "born" and tok.pos_ == "VERB":
            # "Aldrin was born in Montclair": only people are born (the model may not tag the name)
            name = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        elif tok.pos_ in ("VERB", "ADJ") and (tok.lemma_ in _PERSON_VICTIM_VERBS or tok.lower_ == "married"):
            # "Caesar was assassinated by Brutus": only people are assassinated, murdered, married
            name = _nearest_child(tok, ("dobj", "nsubjpass"))
            if name is None and tok.lower_ in ("married", "marry", "marries", "marrying"):
                to = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"), None)
                name = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        elif tok.pos_ == "VERB" and tok.lemma_ in _VIOLENT_VERBS:
            # "Booth shot Lincoln", "Chapman killed Lennon": a name done to, or doing it to, a
            # person is a person
            obj = _nearest_child(tok, ("dobj", "nsubjpass"))
            if obj is not None and obj.dep_ == "nsubjpass":
                # "Lincoln was shot by Booth"
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                subj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            else:
                subj = _clause_subject(tok)
            if subj is None or obj is None:
                continue
            if by_token.get(subj.i, {}).get("cls") == "Person":
                name = obj
            elif by_token.get(obj.i, {}).get("cls") == "Person":
                name = subj
            elif subj.i not in by_token and by_token.get(obj.i, {}).get("typed_by", "ner") == "ner" \
                    and subj.pos_ == obj.pos_ == "PROPN" and subj.is_title and obj.is_title:
                # "Ruby fatally shot Oswald": two names the model missed or alone typed, one
                # shooting the other ("Booth ... shot Lincoln" with "Lincoln" taken for a company)
                _add_missing(doc, subj, by_token, "Person", add)
                name = obj
            else:
                continue
            if name.pos_ != "PROPN" or len(by_token.get(name.i, {}).get("name", "").split()) > 1:
                continue
            r = by_token.get(name.i)
            if r is not None and r["typed_by"] == "ner" and r["cls"] in ("Organization", "Equipment"):
                # (even a name a city has: a city is not shot; "Booth shot Lincoln"; the model
                # takes "Mendes" for a product)
                r["cls"], r["typed_by"] = "Person", "context"
                continue
        elif tok.pos_ == "VERB" and tok.lemma_ in _SPEECH_VERBS and any(
                c.dep_ == "ccomp" and any(g.dep_ == "nsubj" and g.lower_ in ("he", "she") for g in c.children)
                for c in tok.children):
            # "Walesa said he would run", "X resigned and told friends he ...": the one who speaks
            # of himself as "he" is a person
            name = _clause_subject(tok)
            name = name if name is not None and name.pos_ == "PROPN" else None
            if name is not None and len(by_token.get(name.i, {}).get("name", "").split()) > 2:
                continue
        elif tok.dep_ == "appos" and tok.head.i < tok.i and tok.head.pos_ == "PROPN" \
                and (low in lex.demonyms or low in _NATIONALITY_NOUNS) and tok.pos_ in ("NOUN", "PROPN") \
                and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children):
            # "Sirhan , a Christian Arab ,", "Hale , a 45-year-old American ,": a person
            name = tok.head
        elif tok.text == "(" and tok.i > 0 and _life_dates_after(doc, tok.i):
            # "Leone Marucci ( born March 28 , 1973", "Georg Jochmann ( 11 October 1874 – 1943 )"
            name = toks[tok.i - 1]
        elif low in ("who", "whom") and tok.head.dep_ == "relcl" and tok.head.head.i < tok.i \
                and tok.head.head.tag_ == "NNP" and not any(c.dep_ == "det" for c in tok.head.head.children) \
                and by_token.get(tok.head.head.i, {}).get("cls", "Organization") == "Organization":
            # "Hinckley , who shot President Reagan": "who" speaks of a person (an organisation
            # the model saw, or a name it missed; never a place: the parser often hangs the
            # clause on the wrong name), even one that shares its name with a small town
            name = tok.head.head
            r = by_token.get(name.i)
            if r is not None:
                if r["typed_by"] == "ner" and not _place_class(r["name"]) and not _org_head(doc[r["start"]:r["end"]]):
                    r["cls"], r["typed_by"] = "Person", "context"
                continue
        elif tok.pos_ != "NOUN":
            continue
        elif tok.dep_ == "appos" and tok.tag_ == "NN" and low in lex.person_appos_nouns and tok.head.i < tok.i:
            name = tok.head
        elif tok.dep_ == "appos" and tok.tag_ == "NN" and low in _PERSON_OF_NOUNS and tok.head.i < tok.i \
                and any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            # "Chornovil , leader of the Rukh ,", "Rogers , a native of Fort Worth ," (not "Intel ,
            # a leader in chips")
            name = tok.head
        elif tok.dep_ == "appos" and tok.tag_ == "NN" and low in lex.org_nouns and tok.head.i < tok.i \
                and any(c.dep_ == "det" for c in tok.children):
            # "Acme , a Dayton company ,": an organisation the model missed
            _add_missing(doc, tok.head, by_token, "Organization", add)
            continue
        elif low in lex.person_owned_nouns:
            # "Sohn 's wife", "the son of Louis Mousseau", "his daughter Lucie"
            name = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
            if name is None:
                of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                name = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if name is None:
                name = next((c for c in tok.children if c.dep_ == "appos" and c.i == tok.i + 1), None)
        elif low in _KILLER_NOUNS:
            # "Lincoln assassin John Wilkes Booth"
            name = next((c for c in tok.children if c.dep_ in ("compound", "poss")), None)
        elif low in _KILLING_NOUNS:
            # "the murder of King", "the slaying of Ames": only people are murdered
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            name = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None) \
                if of is not None else None
        else:
            continue
        if name is not None and name.lower_ in lex.title_words and name.i not in by_token \
                and (tok.lemma_ in _PERSON_VICTIM_VERBS or tok.lemma_ in _VIOLENT_VERBS or low in _KILLING_NOUNS) \
                and name.pos_ == "PROPN" and not any(c.dep_ in ("det", "compound", "poss") for c in name.children) \
                and (name.i + 1 == len(doc) or toks[name.i + 1].pos_ != "PROPN"):
            # "King was shot by Ray", "the murder of King": a lone title word done to is a surname
            add(name.i, name.i + 1, "Person", "context")
            continue
        if name is None or not name.is_title or name.is_stop or name.lower_ in lex.title_words:
            continue
        r = by_token.get(name.i)
        if r is None:
            _add_missing(doc, name, by_token, "Person", add)
        elif r["typed_by"] == "ner" and r["cls"] in ("Organization", "City", "Region") \
                and not _place_class(r["name"]) and not gazetteer().population(r["name"]) \
                and not _org_head(doc[r["start"]:r["end"]]):
            r["cls"], r["typed_by"] = "Person", "context"


#: nouns for a government that a capital's name before them stands for
GOVERNMENT_NOUNS = frozenset({"government", "regime", "administration", "authorities"})


def _city_government(doc: Doc, start: int, end: int) -> bool:
    """ "the Phnom Penh government": "the", a city GeoNames knows (not a country, region or
    state: "the Iraqi government", "the Texas government" are not this), and a government noun
    the city's name modifies."""
    toks = token_list(doc)
    if start == 0 or end >= len(doc) or toks[start - 1].lower_ != "the" or toks[end].lower_ not in GOVERNMENT_NOUNS:
        return False
    text = doc[start:end].text
    if _place_class(text) in ("Country", "Region") or not gazetteer().population(text):
        return False
    return all(t.head.i == end or start <= t.head.i < end for t in doc[start:end])


def is_acronym(text: str) -> bool:
    """One all-capital word of two to six letters: "OFLC", "PRI", "CNTP"."""
    return text.isalpha() and text.isupper() and 2 <= len(text) <= 6


def _acronym_in_text(span: Span) -> bool:
    """An acronym that is no first name, in a sentence that is not itself written in capitals (a
    headline or dateline)."""
    if len(span) != 1 or not is_acronym(span.text) or span[0].lower_ in lexicon().first_names \
            or span.text in _TIME_ZONES:
        return False
    words = [t for t in span.sent if t.is_alpha]
    return sum(t.is_upper for t in words) * 3 < len(words)


def _nearest_child(tok, deps):
    """The child of ``tok`` with one of ``deps`` nearest to it: of two passive subjects the parser
    gave one verb ("Today 's Highlight in History : ... Caesar was assassinated"), the nearer."""
    found = [c for c in tok.children if c.dep_ in deps]
    if not found:
        return None
    near = min(found, key=lambda c: abs(c.i - tok.i))
    if _is_era(near):
        # "44 B.C. , Roman Emperor Julius Caesar was assassinated": the name in apposition
        return next((c for c in near.children if c.dep_ == "appos"), None)
    return near


def _is_era(tok) -> bool:
    """ "B.C." in "44 B.C.": a year, not a name."""
    return tok.text.upper().replace(".", "") in _ERAS and tok.i > 0 and tok.doc[tok.i - 1].like_num


def _said_to_be_org(span: Span) -> bool:
    """The sentence calls the name an organisation: "X is a Turkish weapons manufacturer",
    "X , a Japanese company ,"."""
    org_nouns = lexicon().org_nouns
    root = span.root
    head = root.head
    if root.dep_ == "nsubj" and head.lemma_ == "be":
        return any(c.dep_ == "attr" and c.pos_ == "NOUN" and c.lower_ in org_nouns for c in head.children)
    # the apposition right after the name's comma, not a later one the parser hung on it
    return any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.lower_ in org_nouns and c.left_edge.i == span.end + 1
               and any(d.dep_ == "det" for d in c.children) for c in root.children)


def _after_direction_of(doc: Doc, start: int) -> bool:
    """The name follows "<direction> of": "north of Rügen", "three miles south-east of Highlaws"."""
    toks = token_list(doc)
    if start < 2 or toks[start - 1].lower_ != "of":
        return False
    word = toks[start - 2].lower_
    if word in _DIRECTIONS:
        return True
    # "south - east of": the parts of a hyphenated direction
    return start >= 4 and toks[start - 3].text == "-" and toks[start - 4].lower_ in _DIRECTIONS and word in _DIRECTIONS


def _based_after(span: Span) -> bool:
    """The name is written "X-based": "Dayton-based Acme", "a London-based bank"."""
    doc, end = span.doc, span.end
    return end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ == "based" \
        and not span[-1].whitespace_ and not doc[end].whitespace_


def _home_of_before(span: Span) -> bool:
    """ "of" or "in" after a company suffix, "of" after a person's age: "Acme Co. of Dayton",
    "Cox Packing Co. in Devine", "Ann Lee , 30 , of Dayton"."""
    doc, i = span.doc, span.start
    if i < 2 or doc[i - 1].lower_ not in ("of", "in"):
        return False
    if doc[i - 2].lower_.rstrip(".") in _COMPANY_SUFFIXES - {"jr", "sr"} and doc[i - 2].text[:1].isupper():
        return True  # "Acme Co. of Dayton", "Cox Packing Co. in Devine"
    if doc[i - 1].lower_ != "of":
        return False
    return i >= 5 and doc[i - 2].text == "," and doc[i - 3].like_num and doc[i - 4].text == "," \
        and doc[i - 5].ent_type_ == "PERSON"


def _native_after(span: Span) -> bool:
    """The name modifies "native" or "resident": "a Fargo native", "Wilmington residents"."""
    doc, end = span.doc, span.end
    return end < len(doc) and doc[end].lower_ in ("native", "natives", "resident", "residents") \
        and span.root.dep_ in ("compound", "nmod", "amod") and span.root.head.i == end


def _feature_noun_after(span: Span) -> bool:
    """The name modifies a natural-feature noun: "the Sierra Nevada foothills"."""
    doc, end = span.doc, span.end
    return end < len(doc) and doc[end].lower_ in lexicon().feature_nouns and span.root.dep_ == "compound" \
        and span.root.head.i == end


def _area_noun_after(span: Span) -> bool:
    """The name modifies a lower-case word for an administrative area: "Preah Sihanouk province"."""
    doc, end = span.doc, span.end
    return end < len(doc) and doc[end].is_lower and lexicon().place_nouns.get(doc[end].lower_) == "Region" \
        and doc[end].lower_ not in ("area", "state", "island", "peninsula") \
        and span.root.dep_ == "compound" and span.root.head.i == end


def _org_noun_before(span: Span) -> bool:
    """An organisation noun stands right before the name: "the publisher Enix", "the band Riff"."""
    if span.start == 0 or (span.end < len(span.doc) and span.doc[span.end].pos_ in ("VERB", "AUX")):
        return False  # "The company John Smith founded": the name is the subject of a clause
    prev = span.doc[span.start - 1]
    # the name hangs on the noun, or the noun on the name ("The company John Smith founded" neither);
    # not a noun that also names a person's job ("producer Bob Crewe")
    return prev.pos_ == "NOUN" and prev.is_lower and prev.lower_ in lexicon().org_nouns_not_jobs \
        and (span.root.head.i == prev.i or prev.head.i == span.root.i)


def _org_noun_after(span: Span) -> bool:
    """The name modifies an organisation noun: "Peru 's Solidaridad party", "the Tass agency"."""
    doc, end = span.doc, span.end
    while end < len(doc) and doc[end].pos_ == "ADJ":  # "the Ettahadi political party"
        end += 1
    # (not a noun that also names a person's job: "named Ann Hale publisher of the Herald")
    return end < len(doc) and doc[end].lower_ in lexicon().org_nouns_not_jobs \
        and span.root.dep_ in ("compound", "nmod") and span.root.head.i == end


_DESIGNATION = re.compile(r"^[A-Z][A-Za-z]{1,14}-\d{1,4}[A-Z]{0,3}$")


def _hardware_head_class(head) -> str | None:
    """The class a hardware noun gives the designation before it: missiles and drones make a Weapon,
    jets and "unmanned aerial vehicle" an Aircraft."""
    lex = lexicon()
    low, lemma = head.lower_, head.lemma_.lower()
    if low in lex.weapon_heads or lemma in lex.weapon_heads:
        return "Weapon"
    if low in lex.aircraft_heads or lemma in lex.aircraft_heads:
        return "Aircraft"
    if lemma == "vehicle" and any(c.lower_ == "aerial" for c in head.children):
        return "Aircraft"
    return None


def _untagged_cities(doc: Doc, add) -> None:
    """A city of ``VERY_LARGE_CITY`` people the model did not tag, right after a place
    preposition ("may travel to Kyiv"): one capitalised word standing alone."""
    toks = token_list(doc)
    n = len(doc)
    for tok in toks:
        if tok.ent_type_ or not tok.is_title or tok.pos_ != "PROPN" or tok.i == 0 \
                or toks[tok.i - 1].lower_ not in _PLACE_PREPOSITIONS:
            continue
        if tok.i + 1 < n and toks[tok.i + 1].is_title and toks[tok.i + 1].pos_ == "PROPN":
            continue
        if gazetteer().population(tok.text) >= VERY_LARGE_CITY:
            add(tok.i, tok.i + 1, "City", "gazetteer")


def _unnamed_hardware(doc: Doc, add) -> None:
    """Capitalised names the NER missed next to a vessel noun ("the frigate Admiral Gorshkov") or
    before a facility word ("the Knevichi airfield")."""
    toks = token_list(doc)
    lex = lexicon()
    n = len(doc)
    for tok in toks:
        if tok.lower_ not in lex.vessel_nouns or tok.pos_ == "PROPN":
            continue
        j = tok.i + 1
        while j < n and toks[j].is_title and toks[j].pos_ == "PROPN" and not toks[j].ent_type_ in ("DATE", "TIME"):
            j += 1
        if j - tok.i - 1 >= 1:
            add(tok.i + 1, j, "Vessel", "context")
    # "the Shahed-136 drone", "the Mohajer-6 unmanned aerial vehicle": a designation (name, hyphen,
    # number) of no known maker, named as hardware by the noun it modifies
    for tok in toks:
        if tok.ent_type_ or not _DESIGNATION.match(tok.text):
            continue
        for head in _head_chain(tok):
            cls = _hardware_head_class(head)
            if cls is not None:
                add(tok.i, tok.i + 1, cls, "shape")
                break
    # "the Knevichi airfield", "the Vostochny cosmodrome": a name the NER missed before a facility word
    for tok in toks:
        if tok.lower_ not in lex.facility_heads or tok.is_title or tok.i < 2:
            continue
        i = tok.i
        while i > 0 and toks[i - 1].is_title and toks[i - 1].pos_ == "PROPN" and not toks[i - 1].ent_type_:
            i -= 1
        if i < tok.i and i > 0 and toks[i - 1].lower_ == "the" and not _place_class(doc[i:tok.i].text):
            add(i, tok.i + 1, "Facility", "context")


def _unit_name(span: Span) -> str | None:
    """"Russia's navy" names the Russian Navy; a bare lowercase "navy" keeps its text."""
    if len(span) != 1 or not span[0].is_lower:
        return None
    lex = lexicon()
    head = span[0]
    for c in head.children:
        country = lex.countries.get(c.lower_)
        if c.dep_ == "poss" and country and country in lex.demonym_of:
            return f"{lex.demonym_of[country]} {head.text.title()}"
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].text in _POSSESSIVE:
        country = lex.countries.get(doc[span.start - 2].lower_)
        if country and country in lex.demonym_of:
            return f"{lex.demonym_of[country]} {head.text.title()}"
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ in lex.demonyms:
        return f"{prev.text} {head.text.title()}"
    return None


def _doc_vote(doc: Doc, records: list[dict]) -> None:
    """Within a document, one name has one class.

    A record typed only by the NER model takes the class that stronger
    evidence gave the same name elsewhere in the document; among weak records
    the majority wins. A bare single name conjoined with a person is a person
    ("Kim and Shoigu").
    """
    toks = token_list(doc)
    strong: dict[str, str] = {}
    weak: dict[str, dict[str, int]] = {}
    for r in records:
        key = r["name"].lower()
        if r["typed_by"] != "ner":
            strong.setdefault(key, r["cls"])
        else:
            weak.setdefault(key, {}).setdefault(r["cls"], 0)
            weak[key][r["cls"]] += 1
    by_token = {}
    for r in records:
        for i in range(r["start"], r["end"]):
            by_token[i] = r
    _coordinated_places(doc, records, by_token)
    surnames = {tok.text for tok, _ in _name_parts(doc, records)}
    for r in records:
        if r["typed_by"] != "ner" or r["cls"] == "Person":
            continue
        if r["end"] - r["start"] == 1 and r["cls"] in ("City", "Region", "Organization"):
            root = toks[r["start"]]
            partners = [by_token.get(c.i) for c in list(root.conjuncts)]
            if any(p is not None and p["cls"] == "Person" for p in partners) and not _place_class(r["name"]):
                r["cls"], r["typed_by"] = "Person", "context"
                strong.setdefault(r["name"].lower(), "Person")
            elif root.dep_ == "dative" and not _place_class(r["name"]):
                r["cls"], r["typed_by"] = "Person", "context"
                strong.setdefault(r["name"].lower(), "Person")
            elif not _place_class(r["name"]) and ((root.is_title and r["name"] in surnames) or _apposed_age(root)):
                # "Paul Robeson ... Robeson said": the family name of a person the document
                # names in full; "Brandt, 45, of Denver"
                r["cls"], r["typed_by"] = "Person", "context"
                strong.setdefault(r["name"].lower(), "Person")
    for r in records:
        if r["typed_by"] != "ner":
            continue
        key = r["name"].lower()
        if key in strong:
            r["cls"] = strong[key]
            r["typed_by"] = "vote"
        elif len(weak.get(key, {})) > 1:
            votes = weak[key]
            r["cls"] = max(sorted(votes), key=votes.get)


def _known_place(r: dict) -> bool:
    """A place on evidence other than the model's guess, or a well-known place name."""
    if r["typed_by"] not in ("ner", "vote"):
        return r["cls"] in _PLACE_CLASSES
    return _place_class(r["name"]) is not None or gazetteer().population(r["name"]) >= 100_000


_PLACE_CLASSES = frozenset({"City", "Region", "Country"})


def _coordinated_places(doc: Doc, records: list[dict], by_token: dict) -> None:
    """A coordination lists things of one kind: in "offices in Harrogate , Hull ,
    Sheffield and York", a name the model alone called a person or an
    organisation is a city when most of the other names are known places and
    none is a person on stronger evidence.
    """
    toks = token_list(doc)
    place_nouns = lexicon().place_nouns
    for r in records:
        if r["typed_by"] not in ("ner", "context") or r["cls"] not in ("Person", "Organization"):
            continue
        root = doc[r["start"]:r["end"]].root
        others = []
        for c in root.conjuncts:
            o = by_token.get(c.i)
            if o is not None and o is not r and o not in others:
                others.append(o)
        if others and any(m["end"] < len(doc) and toks[m["end"]].tag_ == "NNS" and toks[m["end"]].is_lower
                          and place_nouns.get(toks[m["end"]].lemma_) == "Region" for m in [r, *others]):
            # "Shizuoka , Aichi , Gifu and Mie prefectures": the plural area noun names them all
            r["cls"], r["typed_by"] = "Region", "context"
            continue
        if r["typed_by"] != "ner":
            continue
        other = others[0] if len(others) == 1 else None
        if other is not None and other["typed_by"] in ("context", "gazetteer") \
                and other["cls"] in ("City", "Region") and _place_head_class(doc[other["start"]:other["end"]]):
            # "the Pwani and Lindi Regions": the place word ending the pair names both
            r["cls"], r["typed_by"] = other["cls"], "context"
            continue
        if len(others) < 2 or any(o["cls"] == "Person" and (o["typed_by"] not in ("ner", "vote") or o["end"] - o["start"] > 1)
                                  for o in others):
            continue  # a person named in full or typed on evidence: a list of people
        places = [o for o in others if _known_place(o)]
        if 2 * len(places) > len(others):
            own = _place_class(r["name"])
            r["cls"], r["typed_by"] = own or "City", "context"


def _apposed_age(tok) -> bool:
    """``tok`` is followed by an apposed age: "Kessler, 45, of Denver"."""
    for c in tok.rights:
        if c.dep_ != "appos":
            continue
        if c.like_num and c.i == tok.i + 2 and c.i + 1 < len(tok.doc) and tok.doc[c.i + 1].text == "," \
                and c.text.isdigit() and 1 < int(c.text) < 120:
            return True
    return False


def _bare_name_token(tok) -> bool:
    """A capitalised word the NER left untagged ("BANGKOK", "Saint-Gall")."""
    return (tok.is_title or tok.is_upper) and tok.ent_type_ == "" and any(c.isalpha() for c in tok.text)


def _city_state(doc: Doc, records: list[dict], add) -> None:
    """"Bethany , Conn .", "DAYTON , Ohio ( AP )", "Saint-Gall , Switzerland": a city and its state.

    The name before the comma is a City (the model often calls a capitalised
    dateline an organisation, or misses it); the state or abbreviation after it
    is a Region (a country stays a Country), added when the model missed it.
    Only comma tokens are visited (found with one array comparison).
    """
    toks = token_list(doc)
    import numpy

    from spacy.attrs import ORTH

    comma = doc.vocab.strings[","]
    positions = numpy.nonzero(doc.to_array([ORTH]) == comma)[0] if len(doc) else ()
    if not len(positions):
        return
    by_start = {r["start"]: r for r in records}
    by_end = {r["end"]: r for r in records}
    for k in positions:
        k = int(k)
        if k == 0 or k + 1 >= len(doc):
            continue
        hit = _state_at(doc, k + 1)
        if hit is None:
            continue
        end, state_name, state_cls = hit
        if end < len(doc) and toks[end].text in _POSSESSIVE:
            continue  # "Saddam Hussein , Iraq 's president": an apposition, not a place
        left = by_end.get(k)
        if left is None:
            # an untagged capitalised name at a sentence start or after a bracket/dash:
            # "BANGKOK , Thailand", "( Text ) Saint-Gall , Switzerland"
            i = k
            while i > 0 and k - i < 5 and (_bare_name_token(toks[i - 1]) or (
                    toks[i - 1].text == "-" and not toks[i - 1].whitespace_ and i - 1 > 0
                    and not toks[i - 2].whitespace_ and _bare_name_token(toks[i - 2]))):
                i -= 1
                if toks[i].is_sent_start:
                    break
            boundary = i == 0 or toks[i].is_sent_start or toks[i - 1].text in (")", "--", "-", "\n")
            if i < k and boundary and _place_class(doc[i:k].text) not in ("Country", "Region"):
                add(i, k, "City", "context")
                left = by_end[k] = records[-1]
        elif left["cls"] in ("Person",) and left["typed_by"] != "ner":
            continue
        elif _place_class(left["name"]) in ("Country", "Region"):
            pass
        elif left["cls"] != "City":
            left["cls"], left["typed_by"] = "City", "context"
        if left is None:
            continue
        if state_name == "District of Columbia" and left["name"].lower() == "washington":
            # "Washington , D.C." names the city itself
            right = by_start.get(k + 1)
            if right is not None and right["end"] == end:
                records.remove(right)
            left["end"], left["name"], left["cls"], left["typed_by"] = end, "Washington, D.C.", "City", "gazetteer"
            continue
        right = by_start.get(k + 1)
        if right is not None:
            if right["end"] == end and right["typed_by"] not in ("gazetteer",):
                right["cls"], right["typed_by"], right["name"] = state_cls, "gazetteer", state_name
        else:
            add(k + 1, end, state_cls, "gazetteer", name=state_name)


_PARTIES = frozenset({"D", "R", "I"})


def _party_state(doc: Doc, records: list[dict], add) -> None:
    """"Sen. Howard Metzenbaum , D-Ohio ,": a politician's party and state, as US news writes
    them. The state after the party letter is a Region (the model rarely tags it)."""
    toks = token_list(doc)
    by_end = {r["end"]: r for r in records}
    for tok in doc[2:-2]:
        i = tok.i
        if tok.text not in _PARTIES or toks[i + 1].text != "-" or toks[i - 1].text != "," or tok.whitespace_:
            continue
        left = by_end.get(i - 1)
        hit = _state_at(doc, i + 2)
        if left is None or left["cls"] != "Person" or hit is None or hit[2] != "Region":
            continue
        end, state_name, _ = hit
        existing = [r for r in records if i + 2 <= r["start"] < end]
        for r in existing:
            records.remove(r)
        add(i + 2, end, "Region", "gazetteer", name=state_name)


#: place words that are also common surnames
_SURNAME_PLACE_HEADS = frozenset({"lake", "park", "lane", "castle", "hill", "bay", "forest"})
#: words that begin a place's name
_PLACE_WORDS_FIRST = {"fort": "Facility", "camp": "Facility", "mount": "Region", "mt.": "Region",
                      "lake": "Region", "cape": "Region"}


def _place_head_class(span: Span) -> str | None:
    """"Dan Sai District", "Loei Province", "Mekong River", "Nelson Street": a capitalised name
    ending in a place word (``place_heads`` in ``lexicon.json``) is that kind of place; so is one
    that begins with a polity or place word and "of" ("the Duchy of Prussia", "Gulf of Mexico")
    or with Fort, Camp, Mount, Lake, Cape ("Fort Hamilton"). "Ricki Lake" stays a person."""
    if len(span) < 2 or not span[0].is_title:
        return None
    lex = lexicon()
    if len(span) >= 3 and span[1].lower_ == "of" and span[2].text[:1].isupper():
        # "the Duchy of Milan", "Castle of Crupet": the head comes first
        first = span[0].lower_
        return "Region" if first in lex.polity_nouns else lex.place_heads.get(first)
    if span[0].lower_ in _PLACE_WORDS_FIRST and span[1].is_title and span[-1].lower_ not in lex.place_heads \
            and not any(t.lower_ in lex.org_heads for t in span):  # (not "Mount Sinai School of Medicine")
        # "Fort Hamilton", "Mount Blanc", "Lake Victoria", "Camp David" ("Fort Worth" is a city)
        return "City" if gazetteer().population(span.text) else _PLACE_WORDS_FIRST[span[0].lower_]
    if span[-1].is_lower and _area_noun_after(span[:-1]):
        return "Region"  # "Prey Veng province"
    if not span[-1].is_title:
        return None
    if len(span) == 2 and span[-1].lower_ in _SURNAME_PLACE_HEADS and span[0].lower_ in lex.first_names:
        return None  # "Ricki Lake", "Jane Park", "Lois Lane"
    return lex.place_heads.get(span[-1].lower_)


def _place_noun_class(span: Span) -> str | None:
    """The class a place noun gives a name: "the town of Mola", "Mola is a town",
    "Mola , a town in Apulia", "cities such as Lutsk and Rivne", "the main towns
    are Lutsk , Rivne and Lviv" (City); "the province of Loei" (Region).

    Only "the NOUN of X" names X: "a district of Ethiopia" and "the capital of
    France" say where something is, not what X is.
    """
    nouns = lexicon().place_nouns

    def is_noun(tok):  # (the tagger may call a lower-case noun a proper one: "the department of")
        return tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.is_lower)

    def cls(tok):
        return nouns.get(tok.lemma_.lower()) if is_noun(tok) else None

    root = span.root
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head  # "X , Y and Z": the first conjunct's context
    head = root.head
    if root.dep_ == "pobj" and head.lower_ == "of" and is_noun(head.head) and head.head.lower_ != "capital":
        noun = head.head
        if noun.i + 1 == head.i and any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children):
            return cls(noun)
    if root.dep_ == "pobj" and head.lower_ in ("as", "including") and head.head.pos_ in ("NOUN", "ADJ"):
        noun = head.head if head.lower_ == "including" or head.head.pos_ == "NOUN" else head.head.head
        if head.lower_ == "including" or any(c.lower_ == "such" for c in noun.subtree if c.i < head.i):
            return cls(noun)
    if root.dep_ in ("nsubj", "attr") and head.lemma_ == "be":
        other = "attr" if root.dep_ == "nsubj" else "nsubj"
        for tok in head.children:
            if tok.dep_ == other:
                return cls(tok)
    for appos in root.children:
        if appos.dep_ == "appos" and appos.i > root.i and any(c.dep_ == "det" for c in appos.children):
            return cls(appos)
    if root.dep_ in ("compound", "nmod") and head.tag_ == "NNS" and head.i > root.i:
        # "Aichi , Gifu and Mie prefectures", "the Pwani and Lindi regions"
        return cls(head)
    return None


_LOCATIVE = frozenset({"in", "from", "into", "near", "outside", "across", "throughout"})
#: a place preposition, or one of going somewhere ("travel to Kyiv")
_PLACE_PREPOSITIONS = _LOCATIVE | {"to", "at", "via"}
_AREA_ADJECTIVES = frozenset({"central", "northern", "southern", "eastern", "western", "northeastern", "northwestern",
                              "southeastern", "southwestern", "upstate", "downstate", "rural", "coastal"})


def _gazetteer_city(doc: Doc, start: int, end: int, label: str) -> bool:
    """A name the model tagged ORG or PERSON that GeoNames knows as a city.

    A city of ``VERY_LARGE_CITY`` people is one when tagged ORG or after "of"
    ("mayor of Monterrey"); any known city is one after a place preposition
    ("from Salamanca", "70 miles northeast of Boise") or before ", State"
    ("Aiken , S.C."). A title before it, an
    organisation head in it or a possessive after it keeps the model's label
    ("Toyota" alone stays a company, "from Sousa 's book" a person).
    """
    toks = token_list(doc)
    span = doc[start:end]
    if not all(t.text[:1].isupper() for t in span if t.is_alpha) or _org_head(span):
        return False
    population = gazetteer().population(span.text)
    if not population or _left_titles(doc, start, max(0, start - 3))[0]:
        return False
    prev = toks[start - 1].lower_ if start > 0 else ""
    locative = prev in _LOCATIVE or (prev == "of" and start > 1 and toks[start - 2].lower_ in _DIRECTIONS)
    if not locative and end + 1 < len(doc) and toks[end].text == ",":
        locative = _state_at(doc, end + 1) is not None
    if not locative and end + 1 < len(doc) and toks[end].lower_ == "in":
        # "Oxford in central Massachusetts": a place inside a state
        j = end + 2 if toks[end + 1].lower_ in _AREA_ADJECTIVES and end + 2 < len(doc) else end + 1
        state = _state_at(doc, j)
        locative = state is not None and state[2] == "Region"
    if not locative and end + 2 < len(doc) and toks[end].text == "," and toks[end + 1].lower_ == "in" \
            and toks[end + 2].lower_ in _AREA_ADJECTIVES:
        # "Kassala , in eastern Sudan ,": a place in part of a state or country
        locative = end + 3 < len(doc) and _state_at(doc, end + 3) is not None
    if end < len(doc) and toks[end].text in _POSSESSIVE:
        return False  # "from Sousa 's book"
    # "mayor of Monterrey" tagged PERSON: "of" before a very large city
    return locative or (population >= VERY_LARGE_CITY and (label == "ORG" or prev == "of"))


def _org_head(span: Span) -> bool:
    """A capitalised name ending in an organisation head ("Acme Corp.", "Labor Party").

    One-word spans do not count ("Congress" alone may be a surname), nor
    names whose head is lower case ("the state oil company").
    """
    if len(span) < 2:
        return False
    last = span[-1]
    if last.lower_ not in lexicon().org_heads:
        return False
    return last.text[:1].isupper() and span[0].text[:1].isupper()


def _apposed_nouns(span: Span) -> list:
    """The nouns in apposition to a name: "X , a French diplomat ," / "a Soviet historian , X"."""
    root = span.root
    nouns = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        nouns.append(root.head)
    return nouns


def _for_or_against(tok) -> bool:
    """The demonym is the end of "pro-Iranian" / "anti-American"."""
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in ("pro", "anti")


def _demonym_modifier(noun):
    """Token range of the demonym modifying ``noun`` ("Soviet", "South Korean"), else None."""
    lex = lexicon()
    for mod in noun.lefts:
        if mod.dep_ in ("amod", "compound", "nmod") and mod.lower_ in lex.demonyms and mod.text[:1].isupper():
            if _for_or_against(mod):
                continue  # "a pro-Iranian group" supports Iran, it is not Iranian
            prev = mod.doc[mod.i - 1] if mod.i > 0 else None
            if prev is not None and f"{prev.lower_} {mod.lower_}" in lex.demonyms:
                return (mod.i - 1, mod.i + 1)
            return (mod.i, mod.i + 1)
    return None


def _org_demonym(span: Span):
    """"the Soviet news agency Tass" / "Tass , the official Soviet news agency": the token range
    of the demonym modifying an organisation noun apposed to the name."""
    for noun in _apposed_nouns(span):
        if noun.pos_ == "NOUN" and noun.lower_ in lexicon().org_nouns:
            found = _demonym_modifier(noun)
            if found is not None:
                return found
    return None


def _apposed_demonym(span: Span):
    """"X, a French diplomat," / "a Soviet historian, X" / "X, a Salvadoran,": the demonym of an
    apposed occupation, or an apposed demonym."""
    lex = lexicon()
    for noun in _apposed_nouns(span):
        low = noun.lower_
        if low in lex.demonyms and noun.text[:1].isupper() and any(c.dep_ == "det" for c in noun.children):
            return (noun.i, noun.i + 1)  # "Hector Ramos , a Salvadoran ,"
        if noun.pos_ == "NOUN" and (low in lex.occupation_nouns or low in lex.title_words):
            found = _demonym_modifier(noun)
            if found is not None:
                return found
    return None
