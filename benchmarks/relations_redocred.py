"""Relation extraction on Re-DocRED: are kg's facts true of text nobody on the project wrote?

Re-DocRED labels document-level relations between entities with Wikidata properties. kg's
predicates that have a Wikidata counterpart are scored against them (``MAPPING``; a property
may be read in either direction: kg's "X leads Acme" is Wikidata's "Acme chairperson X").

* Facts are what a build would assert: every document extracted, identity resolved over all
  of them, and a fact kept only when its arguments' resolved classes fit its pattern.
* An argument of a kg fact is the named mention its coreference chain ends in; it is aligned to
  a gold entity when the character span of that mention, or of another mention in its chain,
  equals a gold mention's span. Facts whose arguments do not both align cannot be judged and are
  counted apart.
* **Precision**: judged facts (per document, distinct (subject, predicate, object) entity
  triples) for which the gold labels hold a mapped property between the two entities.
* **Recall**: gold labels with a mapped property for which kg states some mapped predicate
  between the two entities (in the matching direction), over all such gold labels: most
  document-level labels are never stated in one sentence, so this is low by design.

Nothing here was used for tuning. Usage::

    .venv/bin/python benchmarks/relations_redocred.py               # all 500 documents
    .venv/bin/python benchmarks/relations_redocred.py --show locatedIn:wrong
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

#: kg predicate -> Wikidata properties (subject, object as in kg) and reversed ones (object, subject)
MAPPING = {
    "locatedIn": ({"P131", "P17", "P276", "P706", "P30"}, {"P150"}),
    "basedIn": ({"P159", "P17", "P131", "P740", "P276"}, set()),
    "livesIn": ({"P551", "P27", "P937", "P19", "P20"}, set()),
    "bornIn": ({"P19"}, set()),
    "memberOf": ({"P108", "P463", "P102", "P54", "P1416", "P69"}, set()),
    "leads": ({"P108", "P463", "P102"}, {"P488", "P35", "P6", "P112", "P169"}),
    "commands": ({"P108", "P463"}, {"P488"}),
    "affiliatedWith": ({"P27", "P108", "P463", "P102", "P1416", "P937"}, {"P35", "P6"}),
    "partOf": ({"P361", "P131"}, {"P527", "P150"}),
}


def gold_document(doc: dict) -> tuple[str, dict, set]:
    """Text, {(char start, char end): gold entity index}, {(h, t, P-id)}."""
    from redocred import mention_spans

    text, spans = mention_spans(doc)
    labels = {(lab["h"], lab["t"], lab["r"]) for lab in doc["labels"]}
    return text, {(a, b): e for a, b, _, e in spans}, labels


def _entity_of_roots(mentions: list[dict], spans: dict) -> dict[int, int]:
    """Root mention id -> gold entity (the commonest gold entity among the chain's mentions)."""
    def root(m):
        seen = 0
        while len(m["refers_to"]) == 1 and seen < 10:
            m = mentions[m["refers_to"][0]]
            seen += 1
        return m["id"]

    votes: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    for m in mentions:
        e = spans.get((m["start"], m["end"]))
        if e is not None:
            votes[root(m)][e] += 1
    out = {r: c.most_common(1)[0][0] for r, c in votes.items()}
    return {m["id"]: out[root(m)] for m in mentions if root(m) in out}


def holds(pred: str, h: int, t: int, labels: set) -> bool:
    forward, backward = MAPPING[pred]
    return any((h, t, p) in labels for p in forward) or any((t, h, p) in labels for p in backward)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None, help="use only the first N documents")
    ap.add_argument("--show", default=None, metavar="PRED:right|wrong", help="print the judged facts of one kind")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = ap.parse_args(argv)

    from kg.graph import _allowed
    from kg.nlp import load_nlp
    from kg.resolve import resolve
    from kg.types import Article, ArticleExtraction

    docs = json.loads(args.data.read_text(encoding="utf-8"))[:args.limit]
    golds = [gold_document(d) for d in docs]
    nlp = load_nlp()
    # as a build does: extract every document, resolve identity over all of them, and keep a
    # fact only when its arguments' resolved classes fit the pattern (kg.graph's check)
    extractions = []
    for i, doc in enumerate(nlp.pipe((g[0] for g in golds), batch_size=16)):
        article = Article(id=f"doc{i:04d}", text=golds[i][0], source=f"redocred/{i}")
        extractions.append(ArticleExtraction.from_dict({"article": article.__dict__, **doc._.kg}))
    identity = resolve(extractions)
    judged: collections.Counter = collections.Counter()
    right: collections.Counter = collections.Counter()
    unjudged: collections.Counter = collections.Counter()
    found_labels = 0
    mapped_props = {p for f, b in MAPPING.values() for p in f | b}
    all_labels = sum(1 for _, _, labels in golds for lab in labels if lab[2] in mapped_props)
    for ex, (text, spans, labels), gold_doc in zip(extractions, golds, docs):
        data = ex.to_dict()
        ent = _entity_of_roots(data["mentions"], spans)
        facts = set()
        for rel, r in zip(ex.relations, data["relations"]):
            if r["open"] or r["modality"] != "asserted" or r["pred"] not in MAPPING:
                continue
            if not (_allowed(identity, ex.article.id, rel.subj, rel.subj_class)
                    and _allowed(identity, ex.article.id, rel.obj, rel.obj_class)):
                continue
            h, t = ent.get(r["subj"]), ent.get(r["obj"])
            if h is None or t is None or h == t:
                unjudged[r["pred"]] += 1
                continue
            facts.add((h, r["pred"], t, r["sent"]))
        seen = set()
        for h, pred, t, sent in sorted(facts):
            if (h, pred, t) in seen:
                continue
            seen.add((h, pred, t))
            ok = holds(pred, h, t, labels)
            judged[pred] += 1
            right[pred] += ok
            if args.show == f"{pred}:{'right' if ok else 'wrong'}":
                names = gold_doc["vertexSet"]
                a, b = data["sentences"][sent]
                print(f"{pred}:{'right' if ok else 'wrong'}  {names[h][0]['name']} -> {names[t][0]['name']}"
                      f"  :: {text[a:b][:200]}")
        pairs = {(h, t, p) for h, p, t in seen}
        for h, t, p in labels:
            if p in mapped_props and any(
                    (h, t, pred) in pairs and holds(pred, h, t, {(h, t, p)}) or
                    (t, h, pred) in pairs and holds(pred, t, h, {(h, t, p)}) for pred in MAPPING):
                found_labels += 1
    total, ok = sum(judged.values()), sum(right.values())
    print(f"documents: {len(docs)}  gold labels with a mapped property: {all_labels}")
    print(f"{'predicate':16} {'judged':>7} {'true':>6} {'precision':>9} {'unjudged':>9}")
    for pred in sorted(MAPPING, key=lambda p: -judged[p]):
        if judged[pred] or unjudged[pred]:
            print(f"{pred:16} {judged[pred]:7d} {right[pred]:6d} {right[pred] / max(judged[pred], 1):9.3f} "
                  f"{unjudged[pred]:9d}")
    print(f"{'all':16} {total:7d} {ok:6d} {ok / max(total, 1):9.3f} {sum(unjudged.values()):9d}")
    print(f"recall of mapped gold labels: {found_labels}/{all_labels} = {found_labels / max(all_labels, 1):.3f}")
    if args.json:
        args.json.write_text(json.dumps({"judged": judged, "true": right, "unjudged": unjudged,
                                         "precision": ok / max(total, 1), "labels": all_labels,
                                         "found": found_labels}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
