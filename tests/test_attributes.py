"""kg_attribute_table gives exactly what the model's attribute_ruler gives."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from kg.extract.attributes import TableAttributeRuler, UnsupportedRules
from kg.nlp import DEFAULT_MODEL, load_nlp

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
COLUMNS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [
        "Y'all ain't seen nothin' yet, he said, and I'd say she isn't wrong.",
        "The minister, who'd been there since 1999, won't resign; they're 'gonna' stay.\n\nNew paragraph  here.",
        "Dr. Smith's 3 cats -- and Mrs. O'Neil's dog -- don't like it.  Whether or not it rains...",
    ]
    conll = SHARED / "eval/conll04/conll04_dev.json"
    if conll.exists():
        texts += [" ".join(r["tokens"]) for r in json.loads(conll.read_text(encoding="utf-8"))]
    bench = SHARED / "bench/redocred_dev.json"
    if bench.exists():
        texts += [" ".join(" ".join(s) for s in d["sents"]) for d in json.loads(bench.read_text(encoding="utf-8"))[:60]]
    return texts


def test_same_token_attributes_as_the_model_ruler():
    nlp = spacy.load(DEFAULT_MODEL)
    ruler = nlp.get_pipe("attribute_ruler")
    before = nlp.pipe_names[:nlp.pipe_names.index("attribute_ruler")]
    table = TableAttributeRuler(nlp.vocab)
    table.copy_ruler(ruler)
    texts = _texts()
    assert len(texts) > 5
    with nlp.select_pipes(enable=before):
        parsed = list(nlp.pipe(texts))
    changed = 0
    for doc in parsed:
        a, b = Doc(nlp.vocab).from_bytes(doc.to_bytes()), Doc(nlp.vocab).from_bytes(doc.to_bytes())
        ruler(a)
        table(b)
        assert np.array_equal(a.to_array(COLUMNS), b.to_array(COLUMNS)), doc.text[:80]
        changed += int(not np.array_equal(doc.to_array(COLUMNS), a.to_array(COLUMNS)))
    assert changed == len(parsed)  # the rules did something on every text


def _pair(rules):
    vocab = spacy.blank("en").vocab
    ruler = AttributeRuler(vocab)
    ruler.add_patterns(rules)
    table = TableAttributeRuler(vocab)
    table.copy_ruler(ruler)
    return vocab, ruler, table


def test_later_rule_overrides_earlier_and_index_picks_token():
    rules = [
        {"patterns": [[{"LOWER": "new"}]], "attrs": {"POS": "ADJ", "LEMMA": "novel"}},
        {"patterns": [[{"LOWER": "new"}, {"LOWER": {"IN": ["york", "delhi"]}}]], "attrs": {"POS": "PROPN"}},
        {"patterns": [[{"LOWER": "new"}, {"LOWER": "york"}]], "attrs": {"LEMMA": "York"}, "index": -1},
        {"patterns": [[{"LOWER": {"REGEX": "^ci?ty$"}}]], "attrs": {"MORPH": "Number=Sing"}},
        {"patterns": [[{"LOWER": {"NOT_IN": ["new", "york", "city"]}}]], "attrs": {"POS": "X"}},
    ]
    vocab, ruler, table = _pair(rules)
    words = ["New", "York", "city", "and", "new", "Delhi", "new"]
    a, b = Doc(vocab, words=words), Doc(vocab, words=words)
    ruler(a)
    table(b)
    assert [(t.pos_, t.lemma_, str(t.morph)) for t in b] == [(t.pos_, t.lemma_, str(t.morph)) for t in a]
    assert b[0].pos_ == "PROPN" and b[0].lemma_ == "novel" and b[1].lemma_ == "York"
    assert b[6].pos_ == "ADJ" and b[3].pos_ == "X" and str(b[2].morph) == "Number=Sing"


@pytest.mark.parametrize("pattern", [
    [{"LOWER": "a", "OP": "?"}],
    [{"LENGTH": {">=": 3}}],
    [{"LOWER": {"FUZZY": "new"}}],
    [{"_": {"foo": "bar"}}],
])
def test_rules_it_cannot_express_are_refused(pattern):
    with pytest.raises(UnsupportedRules):
        TableAttributeRuler(spacy.blank("en").vocab, [{"patterns": [pattern], "attrs": {"POS": "X"}}])


def test_load_nlp_uses_the_table_and_can_keep_the_ruler():
    fast = load_nlp()
    assert "kg_attribute_table" in fast.pipe_names and "attribute_ruler" not in fast.pipe_names
    plain = load_nlp(attribute_table=False)
    assert "attribute_ruler" in plain.pipe_names and "kg_attribute_table" not in plain.pipe_names
    text = "Russia's navy commander, Adm. Nikolai Yevmenov, briefed Kim, who didn't comment."
    assert fast(text)._.kg == plain(text)._.kg
