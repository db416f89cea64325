"""Helpers shared by the extraction tests: what the pipeline found in a text, by name."""

from __future__ import annotations

def _root(mentions, m):
    """Follow single-referent ``refers_to`` chains to the mention that names the entity."""
    seen = 0
    while len(m["refers_to"]) == 1 and seen < 10:
        m = mentions[m["refers_to"][0]]
        seen += 1
    return m


def extract(nlp, text):
    return nlp(text)._.kg


def relations(nlp, text):
    """Every relation as a dict with the subject/object root names added."""
    data = extract(nlp, text)
    ms = data["mentions"]
    out = []
    for r in data["relations"]:
        out.append({**r, "s": _root(ms, ms[r["subj"]])["name"], "o": _root(ms, ms[r["obj"]])["name"]})
    return out


def triples(nlp, text, modality="asserted"):
    """{(subject name, predicate, object name)} of the mapped (non-open) relations with ``modality``."""
    return {(r["s"], r["pred"], r["o"]) for r in relations(nlp, text)
            if not r["open"] and (modality is None or r["modality"] == modality)}


def mention_classes(nlp, text):
    """{name: class} of the named mentions."""
    return {m["name"]: m["cls"] for m in extract(nlp, text)["mentions"] if m["kind"] == "name"}


def events(nlp, text):
    data = extract(nlp, text)
    ms = data["mentions"]

    def names(ids):
        return {_root(ms, ms[i])["name"] for i in ids}

    return [{**e, "agent_names": names(e["agents"]), "participant_names": names(e["participants"]),
             "place_names": names(e["places"])} for e in data["events"]]


def facts(nlp, text):
    """{(subject name, predicate, object name, extractor)} of the asserted mapped relations."""
    return {(r["s"], r["pred"], r["o"], r["extractor"]) for r in relations(nlp, text)
            if not r["open"] and r["modality"] == "asserted"}


def records(nlp, text):
    """{name: (class, typed_by)} of the typing layer's records."""
    return {r["name"]: (r["cls"], r["typed_by"]) for r in nlp(text)._.kg_entities}
