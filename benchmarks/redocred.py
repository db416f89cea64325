"""Shared reading of the Re-DocRED documents for the benchmarks (text and gold mention spans)."""

from __future__ import annotations


def mention_spans(doc: dict) -> tuple[str, list[tuple[int, int, str, int]]]:
    """The document's text (tokens joined by spaces) and, for every gold mention,
    ``(char start, char end, type, entity index)``."""
    tokens = [t for sent in doc["sents"] for t in sent]
    offsets, pos = [], 0
    for tok in tokens:
        offsets.append(pos)
        pos += len(tok) + 1
    sent_start, k = [], 0
    for sent in doc["sents"]:
        sent_start.append(k)
        k += len(sent)
    spans = []
    for e, entity in enumerate(doc["vertexSet"]):
        for m in entity:
            a = sent_start[m["sent_id"]] + m["pos"][0]
            b = sent_start[m["sent_id"]] + m["pos"][1]
            spans.append((offsets[a], offsets[b - 1] + len(tokens[b - 1]), m["type"], e))
    return " ".join(tokens), spans
