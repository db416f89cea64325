"""kg_lemma_cache gives exactly the lemmas the model's lemmatizer gives."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import LEMMA
from spacy.tokens import Doc
from test_attributes import _texts

from kg.extract.lemmas import CachedLemmatizer, supports
from kg.nlp import DEFAULT_MODEL, load_nlp


def test_same_lemmas_as_the_model_lemmatizer():
    nlp = spacy.load(DEFAULT_MODEL)
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert supports(lemmatizer)
    before = nlp.pipe_names[:nlp.pipe_names.index("lemmatizer")]
    cached = CachedLemmatizer(lemmatizer)
    texts = _texts()
    with nlp.select_pipes(enable=before):
        parsed = list(nlp.pipe(texts))
    # twice over, so the second pass answers from the cache
    for _ in range(2):
        for doc in parsed:
            a, b = Doc(nlp.vocab).from_bytes(doc.to_bytes()), Doc(nlp.vocab).from_bytes(doc.to_bytes())
            lemmatizer(a)
            cached(b)
            assert a.to_array([LEMMA]).tolist() == b.to_array([LEMMA]).tolist(), doc.text[:80]
    assert len(cached.cache) > 1000
    # the lemmas were not all there before the lemmatizer ran
    assert sum(int(not np.array_equal(d.to_array([LEMMA]), lemmatizer(Doc(nlp.vocab).from_bytes(d.to_bytes())).to_array([LEMMA])))
               for d in parsed) == len(parsed)


def test_overwrite_is_respected():
    nlp = spacy.load(DEFAULT_MODEL)
    lemmatizer = nlp.get_pipe("lemmatizer")
    before = nlp.pipe_names[:nlp.pipe_names.index("lemmatizer")]
    with nlp.select_pipes(enable=before):
        doc = nlp("The ministers were meeting in Geneva.")
    doc[1].lemma_ = "MINISTER"  # set earlier in the pipeline: kept unless the lemmatizer overwrites
    for overwrite in (False, True):
        lemmatizer.overwrite = overwrite
        a, b = Doc(nlp.vocab).from_bytes(doc.to_bytes()), Doc(nlp.vocab).from_bytes(doc.to_bytes())
        lemmatizer(a)
        CachedLemmatizer(lemmatizer)(b)
        assert [t.lemma_ for t in a] == [t.lemma_ for t in b]
        assert (b[1].lemma_ == "MINISTER") is (not overwrite)


def test_other_lemmatizers_are_kept():
    from spacy.pipeline import Lemmatizer

    class Custom(Lemmatizer):  # may look at anything: not ours to cache
        pass

    vocab = spacy.blank("en").vocab
    assert supports(Lemmatizer(vocab, None, mode="lookup"))
    assert not supports(Custom(vocab, None, mode="lookup"))


@pytest.mark.parametrize("flag", [True, False])
def test_load_nlp_uses_the_cache_and_can_keep_the_lemmatizer(flag):
    nlp = load_nlp(lemma_cache=flag)
    assert ("kg_lemma_cache" in nlp.pipe_names) is flag
    assert ("lemmatizer" in nlp.pipe_names) is not flag
    text = "Russia's navy commander, Adm. Nikolai Yevmenov, briefed Kim, who didn't comment."
    assert nlp(text)._.kg == load_nlp()(text)._.kg
