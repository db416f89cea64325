"""The model's lemmatizer with every answer cached and its word lists as sets.

spaCy's rule ``Lemmatizer`` keeps its lists of known words (``lemma_index``: 57,528
nouns in ``en_core_web_sm``) as Python lists and tests each candidate form with
``form in index``, a scan of the list; its own cache keeps only the answers that
reach the end of the rules, so proper nouns, punctuation and base forms (most
tokens) go through ``is_base_form`` and the lookups again every time. On the 500
benchmark texts that cost 1.5 s in a fresh process (0.3 s once warm), a tenth of
the whole pipeline.

In spaCy's ``Lemmatizer`` (modes "rule" and "lookup") and ``EnglishLemmatizer``
the lemma depends only on the token's text, part of speech and morphology.
:class:`CachedLemmatizer` reads those three ids with one ``Doc.to_array`` call,
keeps every answer in a dictionary keyed on them, and writes the lemmas back
with one ``Doc.from_array``. New answers come from a copy of the lemmatizer
whose ``lemma_index`` lists are frozensets (membership is all the rules ask of
them). The same lemmas (``tests/test_lemmas.py`` compares
them with the original's on real text). Any other lemmatizer is kept as it is
(:func:`supports`).
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.lookups import Lookups, Table
from spacy.tokens import Doc

__all__ = ["CachedLemmatizer", "supports"]


def supports(lemmatizer) -> bool:
    """Whether ``lemmatizer``'s answers depend only on text, part of speech and morphology."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    return type(lemmatizer) in (Lemmatizer, EnglishLemmatizer) and lemmatizer.mode in ("rule", "lookup")


def _with_index_sets(lemmatizer):
    """A shallow copy of ``lemmatizer`` whose ``lemma_index`` word lists are frozensets."""
    import copy

    clone = copy.copy(lemmatizer)
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        if name == "lemma_index":
            sets = Table(name=name)
            for key, words in table.items():
                sets[key] = frozenset(words)
            table = sets
        lookups.set_table(name, table)
    clone.lookups = lookups
    clone.cache = {}
    clone.lemmatize = getattr(clone, f"{clone.mode}_lemmatize")  # bound to the copy, not the original
    return clone


class CachedLemmatizer:
    """Sets ``token.lemma`` as the wrapped lemmatizer would, from a cache of its answers."""

    def __init__(self, lemmatizer=None):
        self.cache: dict[tuple[int, int, int], int] = {}
        self._lemmatizer = None
        self.lemmatizer = lemmatizer

    @property
    def lemmatizer(self):
        return self._lemmatizer

    @lemmatizer.setter
    def lemmatizer(self, lemmatizer) -> None:
        self._lemmatizer = lemmatizer
        self._fast = _with_index_sets(lemmatizer) if lemmatizer is not None else None
        self.cache.clear()

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        lemmatizer, cache, strings = self._fast, self.cache, doc.vocab.strings
        overwrite = lemmatizer.overwrite
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not overwrite:
                lemmas.append(lemma)  # set earlier (by the attribute rules): kept, as spaCy does
                continue
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                value = cache[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
            lemmas.append(value)
        doc.from_array([LEMMA], np.array(lemmas, dtype=np.uint64).reshape(n, 1))
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)
