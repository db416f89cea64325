"""Entity typing on Re-DocRED: does kg give a name the right coarse class?

For every named kg mention whose character span equals a Re-DocRED mention of
type PER, ORG or LOC, compare kg's class, mapped to PER (Person), ORG
(Organization, MilitaryUnit) or LOC (City, Region, Country, Facility), with the
gold type. Prints the accuracy and the commonest confusions (gold → ours).

The texts are the 500 Re-DocRED dev documents (tokens joined by spaces), the
same as ``benchmarks/throughput.py`` uses; nobody on the project wrote them.

Usage::

    .venv/bin/python benchmarks/typing_redocred.py                # all 500 documents
    .venv/bin/python benchmarks/typing_redocred.py --limit 100 --show LOC:PER
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared/bench/redocred_dev.json"
sys.path.insert(0, str(REPO))

COARSE = {"Person": "PER", "Organization": "ORG", "MilitaryUnit": "ORG", "City": "LOC", "Region": "LOC",
          "Country": "LOC", "Facility": "LOC", "Location": "LOC", "Place": "LOC"}


def gold_spans(doc: dict) -> tuple[str, dict]:
    """The document text and {(char start, char end): gold type} of its PER/ORG/LOC mentions."""
    from redocred import mention_spans

    text, spans = mention_spans(doc)
    return text, {(a, b): t for a, b, t, _ in spans if t in ("PER", "ORG", "LOC")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None, help="use only the first N documents")
    ap.add_argument("--show", default=None, metavar="GOLD:OURS", help="print the mentions of one confusion, e.g. LOC:PER")
    args = ap.parse_args(argv)

    from kg.nlp import load_nlp

    docs = json.loads(args.data.read_text(encoding="utf-8"))[:args.limit]
    pairs = [gold_spans(d) for d in docs]
    nlp = load_nlp()
    matched = correct = 0
    confusions: collections.Counter = collections.Counter()
    for doc, (_, gold) in zip(nlp.pipe((text for text, _ in pairs), batch_size=16), pairs):
        for m in doc._.kg["mentions"]:
            want = gold.get((m["start"], m["end"])) if m["kind"] == "name" else None
            if want is None:
                continue
            got = COARSE.get(m["cls"], "OTHER")
            matched += 1
            correct += got == want
            if got != want:
                confusions[(want, got)] += 1
                if args.show == f"{want}:{got}":
                    print(f"{want}->{got} [{m['typed_by']}] {m['text']} :: "
                          f"{doc.text[max(0, m['start'] - 60):m['end'] + 40]}".replace("\n", " "))
    print(f"documents: {len(docs)}  matched mentions: {matched}  accuracy: {correct / max(matched, 1):.4f}")
    print("confusions (gold -> ours):", ", ".join(f"{a}->{b} {n}" for (a, b), n in confusions.most_common(8)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
