"""Within-document clustering of named mentions, scored against Re-DocRED.

Gold: the ``vertexSet`` clusters of each Re-DocRED dev document, keeping only
mentions typed PER, ORG or LOC (mentions of other types are ignored). A gold
mention's ``pos`` is a [start, end) token range within sentence ``sent_id``.

Text: a document's tokens joined with spaces (sentences joined with " "), so
each gold mention maps to a character span of that text.

Predicted (the product path): ``kg.nlp.load_nlp()`` over the text, then
``ArticleExtraction.from_dict({"article": ..., **doc._.kg})`` and
``kg.resolve.resolve([extraction])`` on that single article; the entity key
``identity.mention_entity[(article.id, mention.id)]`` of each ``kind == "name"``
mention is its cluster. This is what the builder does inside one article:
coreference chains (``refers_to``) plus the same-name / short-name / fuzzy
merges of ``kg.resolve``.

Alignment of predicted name mentions to gold mentions:

* exact:   identical character span;
* relaxed: exact, else overlapping spans that end on the same token (same last
  token, e.g. "President Barack Obama" / "Barack Obama").

Scores, over the gold mentions that were aligned (so detection errors do not
count as clustering errors; mention recall is reported separately):

* pairwise P/R/F1 over pairs of aligned gold mentions in a document: a pair is
  predicted-coreferent when both are in one predicted cluster, gold-coreferent
  when both are in one vertexSet entry; micro-averaged over all pairs;
* B³ P/R/F1, micro-averaged over all aligned mentions.

Systems scored on the same aligned mentions:

* product:       kg.resolve identity clusters (above);
* chains only:   extraction's ``refers_to`` chains alone, without kg.resolve;
* exact string:  baseline, mentions cluster iff their surface strings are equal;
* singletons:    every mention alone (reference point for B³).

Usage::

    .venv/bin/python benchmarks/coref_redocred.py               # 500 docs
    .venv/bin/python benchmarks/coref_redocred.py --limit 50 --json out.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared/bench/redocred_dev.json"
sys.path.insert(0, str(REPO))

GOLD_TYPES = ("PER", "ORG", "LOC")


# --------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------


def doc_text(doc: dict) -> tuple[str, list[list[tuple[int, int]]]]:
    """Text of a Re-DocRED document and the character span of every token."""
    pieces, offsets, pos = [], [], 0
    for sent in doc["sents"]:
        spans = []
        for tok in sent:
            if pieces:
                pieces.append(" ")
                pos += 1
            spans.append((pos, pos + len(tok)))
            pieces.append(tok)
            pos += len(tok)
        offsets.append(spans)
    return "".join(pieces), offsets


def gold_mentions(doc: dict, offsets) -> list[dict]:
    """PER/ORG/LOC gold mentions as char spans; a span listed twice is kept once."""
    out, seen = [], set()
    for ent, mentions in enumerate(doc["vertexSet"]):
        for m in mentions:
            if m["type"] not in GOLD_TYPES:
                continue
            s, e = m["pos"]
            toks = offsets[m["sent_id"]]
            if not (0 <= s < e <= len(toks)):
                continue
            span = (toks[s][0], toks[e - 1][1])
            if span in seen:
                continue
            seen.add(span)
            out.append({"entity": ent, "start": span[0], "end": span[1], "type": m["type"]})
    return out


# --------------------------------------------------------------------------
# prediction
# --------------------------------------------------------------------------


def predicted(nlp_doc, text: str, title: str):
    """Name mentions of the document with their product cluster and chain cluster."""
    from kg.resolve import resolve
    from kg.types import Article, ArticleExtraction

    article = Article(id=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], text=text,
                      source=f"redocred:{title}")
    ex = ArticleExtraction.from_dict({"article": dict(article.__dict__), **nlp_doc._.kg})
    identity = resolve([ex])
    mentions = ex.mentions

    def chain_root(mid):
        m, seen = mentions[mid], 0
        while len(m.refers_to) == 1 and seen < 10:
            m = mentions[m.refers_to[0]]
            seen += 1
        return m.id

    out = []
    for m in mentions:
        if m.kind != "name":
            continue
        out.append({
            "id": m.id, "start": m.start, "end": m.end, "text": m.text, "name": m.name, "cls": m.cls,
            "product": identity.mention_entity.get((article.id, m.id), f"_single/{m.id}"),
            "chain": chain_root(m.id),
        })
    return out


def align(golds: list[dict], preds: list[dict], relaxed: bool) -> dict[int, dict]:
    """Gold index -> the predicted mention aligned to it."""
    by_span = {(p["start"], p["end"]): p for p in preds}
    out = {}
    for i, g in enumerate(golds):
        p = by_span.get((g["start"], g["end"]))
        if p is None and relaxed:
            cands = [q for q in preds if q["end"] == g["end"] and q["start"] < g["end"] and g["start"] < q["end"]]
            if cands:
                p = max(cands, key=lambda q: min(q["end"], g["end"]) - max(q["start"], g["start"]))
        if p is not None:
            out[i] = p
    return out


# --------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------


class Scores:
    """Pairwise and B³ counts accumulated over documents."""

    def __init__(self):
        self.tp = self.pred_pairs = self.gold_pairs = 0
        self.b3_p = self.b3_r = 0.0
        self.n = 0

    def add(self, gold: list, pred: list) -> None:
        """``gold[i]``, ``pred[i]``: cluster labels of the i-th aligned mention of one document."""
        for i, j in combinations(range(len(gold)), 2):
            g, p = gold[i] == gold[j], pred[i] == pred[j]
            self.gold_pairs += g
            self.pred_pairs += p
            self.tp += g and p
        for i in range(len(gold)):
            same_p = [j for j in range(len(gold)) if pred[j] == pred[i]]
            same_g = [j for j in range(len(gold)) if gold[j] == gold[i]]
            both = sum(1 for j in same_p if gold[j] == gold[i])
            self.b3_p += both / len(same_p)
            self.b3_r += both / len(same_g)
        self.n += len(gold)

    @staticmethod
    def _prf(p, r):
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def figures(self) -> dict:
        pp = self.tp / self.pred_pairs if self.pred_pairs else 0.0
        pr = self.tp / self.gold_pairs if self.gold_pairs else 0.0
        bp = self.b3_p / self.n if self.n else 0.0
        br = self.b3_r / self.n if self.n else 0.0
        pw, b3 = self._prf(pp, pr), self._prf(bp, br)
        return {
            "pairwise": {"p": pw[0], "r": pw[1], "f1": pw[2], "tp": self.tp,
                         "pred_pairs": self.pred_pairs, "gold_pairs": self.gold_pairs},
            "b3": {"p": b3[0], "r": b3[1], "f1": b3[2], "mentions": self.n},
        }


SYSTEMS = ("product", "chains only", "exact string", "singletons")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Re-DocRED json (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N documents")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: kg's default model)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--json", type=Path, default=None, metavar="OUT", help="write the figures as JSON")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="print N example product errors (wrong merges / missed links)")
    args = ap.parse_args(argv)

    from kg.nlp import load_nlp

    t_start = time.perf_counter()
    docs = json.loads(args.data.read_text(encoding="utf-8"))
    if args.limit:
        docs = docs[: args.limit]
    prepared = []
    for d in docs:
        text, offsets = doc_text(d)
        prepared.append((d, text, gold_mentions(d, offsets)))

    nlp = load_nlp(args.model)
    scores = {mode: {s: Scores() for s in SYSTEMS} for mode in ("exact", "relaxed")}
    found = {mode: Counter() for mode in ("exact", "relaxed")}
    gold_by_type = Counter()
    pred_names = 0
    wrong_merge, missed_link = [], []
    t_nlp = time.perf_counter()
    for (d, text, golds), nlp_doc in zip(prepared, nlp.pipe((p[1] for p in prepared), batch_size=args.batch_size)):
        preds = predicted(nlp_doc, text, d["title"])
        pred_names += len(preds)
        gold_by_type.update(g["type"] for g in golds)
        for mode in ("exact", "relaxed"):
            al = align(golds, preds, relaxed=mode == "relaxed")
            found[mode].update(golds[i]["type"] for i in al)
            idx = sorted(al)
            gold = [golds[i]["entity"] for i in idx]
            surface = [text[golds[i]["start"]:golds[i]["end"]] for i in idx]
            labels = {
                "product": [al[i]["product"] for i in idx],
                "chains only": [al[i]["chain"] for i in idx],
                "exact string": surface,
                "singletons": list(range(len(idx))),
            }
            for s in SYSTEMS:
                scores[mode][s].add(gold, labels[s])
            if mode == "exact" and args.errors:
                for a, b in combinations(range(len(idx)), 2):
                    g_same, p_same = gold[a] == gold[b], labels["product"][a] == labels["product"][b]
                    if g_same != p_same and surface[a] != surface[b]:
                        cls_a, cls_b = al[idx[a]]["cls"], al[idx[b]]["cls"]
                        (missed_link if g_same else wrong_merge).append(
                            (d["title"], surface[a], surface[b], cls_a, cls_b))
    t_end = time.perf_counter()

    total_gold = sum(gold_by_type.values())
    print(f"data: {args.data}  docs: {len(docs)}  gold PER/ORG/LOC mentions: {total_gold} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(gold_by_type.items()))})  predicted name mentions: {pred_names}")
    print(f"time: {t_end - t_start:.1f}s total, {t_end - t_nlp:.1f}s NLP + resolve + scoring")
    print()
    print("mention detection recall (gold PER/ORG/LOC mentions matched by a predicted name mention):")
    results = {"docs": len(docs), "gold_mentions": total_gold, "gold_by_type": dict(gold_by_type),
               "predicted_name_mentions": pred_names, "seconds": t_end - t_start, "recall": {}, "scores": {}}
    for mode in ("exact", "relaxed"):
        rec = sum(found[mode].values()) / total_gold if total_gold else 0.0
        per_type = {t: found[mode][t] / gold_by_type[t] for t in sorted(gold_by_type)}
        results["recall"][mode] = {"all": rec, **per_type, "matched": sum(found[mode].values())}
        print(f"  {mode:8} {rec:6.1%}  (" + ", ".join(f"{t} {v:.1%}" for t, v in per_type.items()) + ")")
    for mode in ("exact", "relaxed"):
        print()
        first = scores[mode]["product"].figures()
        print(f"clustering over {mode}-aligned gold mentions: {first['b3']['mentions']} mentions, "
              f"{first['pairwise']['gold_pairs']} gold-coreferent pairs")
        print(f"  {'system':14} {'pair P':>7} {'pair R':>7} {'pair F1':>7}   {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}")
        results["scores"][mode] = {}
        for s in SYSTEMS:
            f = scores[mode][s].figures()
            results["scores"][mode][s] = f
            pw, b3 = f["pairwise"], f["b3"]
            print(f"  {s:14} {pw['p']:7.3f} {pw['r']:7.3f} {pw['f1']:7.3f}   {b3['p']:6.3f} {b3['r']:6.3f} {b3['f1']:6.3f}")
    if args.errors:
        print()
        for label, rows in (("wrong merges (product)", wrong_merge), ("missed links (product)", missed_link)):
            cross = sum(1 for r in rows if r[3] != r[4])
            print(f"{label}: {len(rows)} pairs with different surfaces "
                  f"({cross} of them with different predicted classes); examples:")
            for title, a, b, ca, cb in rows[: args.errors]:
                print(f"  [{title}] {a!r} ({ca}) ~ {b!r} ({cb})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
