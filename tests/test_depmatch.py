"""The fast dependency matcher returns exactly what spaCy's DependencyMatcher returns."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc

from kg.extract.depmatch import FastDependencyMatcher, supports
from kg.extract.relations import _compile_dependency, expand_lists, load_spec

ROOT = Path(__file__).resolve().parents[1]

SENTENCES = [
    "General Marcus Holloway met with Foreign Minister Hiroshi Tanaka in Geneva on Tuesday.",
    "The cruiser Pyotr Velikiy, which carries Zircon missiles, was inspected by Admiral Ivan Petrov.",
    "Lena Okafor, a spokeswoman for the Bank of Lagos, said the company was based in Abuja.",
    "Putin and Lukashenko held talks with the leaders of Kazakhstan, Armenia and Kyrgyzstan.",
    "The assassin of President Carlos Mendez was killed by police in Bogota, Colombia.",
    "Kim Yo Jong paid a visit to the Sohae launch site and conducted inspections of the Hwasong-18.",
    "Iraq's Saddam Hussein met the mayor of Monterrey, Jorge Ramirez, in Kassala, in eastern Sudan.",
]


def _doc(words, heads, deps, pos=None, lemmas=None):
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos or ["NOUN"] * len(words),
               lemmas=lemmas or [w.lower() for w in words])


@pytest.mark.parametrize("op, expected", [
    (">", [[1, 0], [1, 2], [2, 3]]),
    ("<", [[0, 1], [2, 1], [3, 2]]),
    (">>", [[1, 0], [1, 2], [1, 3], [2, 3]]),
    ("<<", [[0, 1], [2, 1], [3, 2], [3, 1]]),
    (".", [[0, 1], [1, 2], [2, 3]]),
    (";", [[1, 0], [2, 1], [3, 2]]),
    # spaCy counts a root's children as its siblings; we match spaCy
    ("$+", [[1, 2]]),
    ("$-", [[1, 0]]),
    ("$++", [[0, 2], [1, 2]]),
    ("$--", [[2, 0], [1, 0]]),
])
def test_operators_on_a_hand_built_doc(op, expected):
    # "a b c d": b is the root; a and c hang from b; d hangs from c
    doc = _doc(["a", "b", "c", "d"], heads=[1, 1, 1, 2], deps=["nsubj", "ROOT", "dobj", "prep"])
    pattern = [{"RIGHT_ID": "x", "RIGHT_ATTRS": {}},
               {"LEFT_ID": "x", "REL_OP": op, "RIGHT_ID": "y", "RIGHT_ATTRS": {}}]
    fast = FastDependencyMatcher()
    fast.add("p", [pattern])
    spacy_matcher = DependencyMatcher(doc.vocab)
    spacy_matcher.add("p", [pattern])
    got = sorted(ids for _, ids in fast(doc))
    want = sorted(ids for _, ids in spacy_matcher(doc))
    assert got == want == sorted(expected)


def test_attribute_predicates():
    doc = _doc(["Kim", "met", "Shoigu"], heads=[1, 1, 1], deps=["nsubj", "ROOT", "dobj"],
               pos=["PROPN", "VERB", "PROPN"], lemmas=["Kim", "meet", "Shoigu"])
    fast = FastDependencyMatcher()
    fast.add("in", [[{"RIGHT_ID": "v", "RIGHT_ATTRS": {"LEMMA": {"IN": ["meet", "meet"]}}},
                     {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": "dobj"}}]])
    fast.add("not-in", [[{"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}},
                         {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "o",
                          "RIGHT_ATTRS": {"LOWER": {"NOT_IN": ["kim"]}}}]])
    assert sorted(fast(doc)) == [("in", [1, 2]), ("not-in", [1, 2])]  # a duplicated IN value matches once


def test_unsupported_patterns_are_refused():
    bad = [{"RIGHT_ID": "x", "RIGHT_ATTRS": {"ENT_IOB": "B"}}]
    assert not supports(bad)
    with pytest.raises(ValueError):
        FastDependencyMatcher().add("bad", [bad])


@pytest.mark.model
def test_same_matches_as_spacy_on_real_text():
    from kg.nlp import load_nlp

    nlp = load_nlp()
    spec = load_spec()
    slow, fast = DependencyMatcher(nlp.vocab), FastDependencyMatcher()
    for p in spec["dependency"]:
        compiled = _compile_dependency(p)
        slow.add(p["name"], [compiled])
        fast.add(p["name"], [compiled])
    texts = SENTENCES + [f.read_text(encoding="utf-8") for f in sorted((ROOT / "seeds").glob("*.txt"))]
    total = 0
    for doc in nlp.pipe(texts):
        want = sorted((nlp.vocab.strings[k], ids) for k, ids in slow(doc))
        got = sorted(fast(doc))
        assert got == want
        total += len(got)
    assert total > 20


def test_named_word_lists_expand():
    spec = {"lists": {"a": ["x", "y"], "b": ["@a", "z"], "loop": ["@loop"]},
            "dependency": [{"anchor": {"LEMMA": {"IN": ["@b", "w", "x"]}}, "edges": []}]}
    assert expand_lists(spec)["dependency"][0]["anchor"]["LEMMA"]["IN"] == ["x", "y", "z", "w"]
    for bad in ("@missing", "@loop"):
        spec["dependency"][0]["anchor"]["LEMMA"]["IN"] = [bad]
        with pytest.raises(ValueError):
            expand_lists(spec)
