"""General domain vocabulary, loaded once from ``kg/patterns/*.json``."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

__all__ = ["PATTERN_DIR", "lexicon", "load_json"]

PATTERN_DIR = Path(__file__).resolve().parent.parent / "patterns"


def load_json(name: str):
    with open(PATTERN_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


def _lower_set(items):
    return frozenset(s.lower() for s in items)


@lru_cache(maxsize=1)
def lexicon() -> SimpleNamespace:
    """All word lists as frozensets and dicts (lower-cased where matching is caseless)."""
    lex = load_json("lexicon.json")
    places = load_json("places.json")
    ns = SimpleNamespace()
    for key in (
        "vessel_nouns", "weapon_heads", "weapon_system_heads", "weapon_modifiers",
        "aircraft_heads", "facility_heads", "lead_positions", "command_positions",
        "person_descriptions", "pronouns_plural", "pronouns_thing", "plural_person_descriptions",
        "hedge_words", "future_words", "say_verbs", "source_nouns", "languages",
    ):
        setattr(ns, key, _lower_set(lex[key]))
    ns.unit_heads = _lower_set(lex["unit_heads"])
    ns.org_heads = _lower_set(lex.get("org_heads", ()))
    # common nouns that name a kind of organisation ("the Solidarity union", "the Soviet news agency Tass")
    ns.org_nouns = _lower_set(lex.get("org_nouns", ()))
    ns.title_words = _lower_set(lex["title_words"])
    ns.occupation_nouns = _lower_set(lex.get("occupation_nouns", ()))
    # organisation nouns that do not also name a person's job ("the band Riff", not "producer X")
    ns.org_nouns_not_jobs = ns.org_nouns - ns.occupation_nouns
    # a relative is a person other than the possessor ("her husband 's killer")
    ns.kinship_nouns = _lower_set(lex.get("kinship_nouns", ()))
    # nouns whose possessor is a person ("Sohn 's wife", "Kennedy 's funeral")
    ns.person_owned_nouns = ns.kinship_nouns | _lower_set(lex.get("person_event_nouns", ()))
    # nouns in apposition that say the name is a person
    ns.person_appos_nouns = (ns.occupation_nouns | _lower_set(lex["person_descriptions"])) \
        - _lower_set(lex.get("appos_not_person", ()))
    ns.feature_nouns = _lower_set(lex.get("feature_nouns", ()))
    ns.title_modifiers = _lower_set(lex["title_modifiers"])
    ns.place_nouns = {k.lower(): v for k, v in lex.get("place_nouns", {}).items()}
    # a capitalised name ending in one of these is that kind of place ("Loei Province", "Mekong River"):
    # the place nouns, except those that also end other names ("Kansas City", "Defense Department"),
    # and words that only end names
    skip = _lower_set(lex.get("place_nouns_not_name_heads", ()))
    ns.place_heads = {k: v for k, v in ns.place_nouns.items() if k not in skip}
    ns.place_heads.update({k.lower(): v for k, v in lex.get("place_name_heads", {}).items()})
    # "the Duchy of Milan", "the Kingdom of Bohemia": a name that begins with one of these and "of" is a
    # region (place words that also end names, "Province of Ontario", are in place_heads)
    ns.polity_nouns = _lower_set(lex.get("polity_nouns", ()))
    ns.pronouns_person = dict(lex["pronouns_person"])
    ns.description_classes = dict(lex["description_classes"])
    # "the foundation", "the party": a description that stands only for a name with that word in it
    # ("the Halvorsen Foundation"), never for the last organisation of any kind
    ns.named_descriptions = {k.lower(): v for k, v in lex.get("named_descriptions", {}).items()}
    ns.description_classes.update({k: v for k, v in ns.named_descriptions.items() if k not in ns.description_classes})
    ns.weapon_names = frozenset(lex["weapon_names"])
    ns.aircraft_names = frozenset(lex["aircraft_names"])
    ns.aircraft_re = re.compile(
        r"^(?:%s)-\d{1,3}[A-Z0-9]{0,4}$" % "|".join(map(re.escape, lex["aircraft_prefixes"]))
    )
    ns.weapon_re = re.compile(
        r"^(?:%s)-\d{1,4}[A-Z0-9]{0,4}$" % "|".join(map(re.escape, lex["weapon_prefixes"]))
    )
    ns.countries = {c.lower(): c for c in places["countries"]}
    ns.countries.update({a.lower(): c for a, c in places["country_aliases"].items()})
    ns.demonyms = {d.lower(): c for d, c in places["demonyms"].items()}
    ns.demonym_of = {}
    for d, c in places["demonyms"].items():
        ns.demonym_of.setdefault(c, d)
    ns.national_bodies = {b.lower(): c for b, c in places.get("national_bodies", {}).items()}
    ns.regions = {r.lower(): r for r in places["regions"]}
    ns.cities = {c.lower(): c for c in places.get("cities", ())}
    ns.state_abbreviations = {a.lower(): st for a, st in places.get("us_state_abbreviations", {}).items()}
    ns.ambiguous_states = {r.lower(): r for r in places.get("us_states_ambiguous", ())}
    ns.news_agencies = frozenset(lex.get("news_agencies", ()))
    ns.eponymous_companies = _lower_set(lex.get("eponymous_companies", ()))
    with open(PATTERN_DIR / "first_names.txt", encoding="utf-8") as fh:
        ns.first_names = frozenset(line.strip().lower() for line in fh if line.strip() and not line.startswith("#"))
    return ns
