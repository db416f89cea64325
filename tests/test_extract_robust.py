"""Extraction never stops on odd text: every input gives a JSON-serialisable result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.nlp import load_nlp

SHARED = Path(__file__).resolve().parents[2] / "shared"

ODD = [
    "", " ", "\n\n\n", ".", "'s", "-", "A-", "Mr.", "U.S.", "D-", ", D-Ohio ,", "( AP )", "Briton",
    "Carl Benson , a Briton , was arrested .",  # a name that is also an affiliation (crashed once)
    "the the the", "🙂 émigré Zoë Ørsted — “quoted” «Ĳssel»", "x" * 5000,
    "WASHINGTON (AP) — SEN. ROBERT DOLE, R-KAN., SAID THE BILL WOULD PASS.",
    "kim met shoigu in vladivostok on saturday.",
]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _check(doc):
    data = doc._.kg
    json.dumps(data)
    ids = {m["id"] for m in data["mentions"]}
    assert all(r["subj"] in ids and r["obj"] in ids for r in data["relations"])


@pytest.mark.parametrize("text", ODD)
def test_odd_text(nlp, text):
    _check(nlp(text))


def test_wire_sentences_in_other_cases():
    nlp = load_nlp()
    path = SHARED / "eval/conll04/conll04_dev.json"
    texts = [" ".join(r["tokens"]) for r in json.loads(path.read_text(encoding="utf-8"))[:40]]
    variants = [v for t in texts for v in (t.upper(), t.lower(), t.title(), t[: len(t) // 2])]
    n = 0
    for doc in nlp.pipe(variants):
        _check(doc)
        n += 1
    assert n == len(variants) == 160
