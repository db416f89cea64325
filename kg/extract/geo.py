"""World cities from GeoNames (``kg/patterns/cities.tsv``, made by ``tools/make_cities.py``).

General geographic knowledge, used in two places:

* typing (``kg.extract.entities``): a name the NER model tagged as an
  organisation or a person is a city when GeoNames knows a very large city of
  that name, or a smaller one and the text says it is a place ("from Salamanca").

(Linking a city to a country named in the same sentence from GeoNames alone was
tried and dropped: CoNLL04 precision for Located_In fell from 0.88 to 0.62.)

Only cities of at least 15,000 people (GeoNames ``cities15000``) are loaded,
by name as GeoNames spells it and in ASCII.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import PATTERN_DIR

__all__ = ["City", "Gazetteer", "gazetteer"]

# a bare name typed ORG by the model is a city from this population on (Toyota City has
# 420,000 people, Monterrey 1.1 million)
VERY_LARGE_CITY = 500_000


@dataclass(frozen=True)
class City:
    name: str
    population: int
    country: str                # our canonical country name
    state: str | None = None    # US state name


@dataclass
class Gazetteer:
    cities: dict[str, list[City]] = field(default_factory=dict)

    def lookup(self, name: str) -> list[City]:
        """Cities called ``name`` (case and accents ignored), most populous first."""
        return self.cities.get(_key(name), [])

    def population(self, name: str) -> int:
        found = self.lookup(name)
        return found[0].population if found else 0


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.lower().replace(".", "").split())


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Load ``kg/patterns/cities.tsv`` once (written by ``tools/make_cities.py``)."""
    cities: dict[str, list[City]] = {}
    with open(PATTERN_DIR / "cities.tsv", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            name, population, country, state = line.rstrip("\n").split("\t")
            city = City(name, int(population), country, state or None)
            key = _key(name)
            if key:
                cities.setdefault(key, []).append(city)
    for found in cities.values():
        found.sort(key=lambda city: -city.population)
    return Gazetteer(cities)
