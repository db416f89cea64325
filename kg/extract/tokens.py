"""One list of a doc's tokens, shared by the extraction rules."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["token_list"]

_TOKENS: list = [None, []]


def token_list(doc: Doc) -> list:
    """``list(doc)``, made once per doc (the last doc asked for is kept).

    ``doc[i]`` and ``for t in doc`` make a new ``Token`` object every time; the rules scan and
    index the same doc thousands of times (half of the typing layer's time went to making
    tokens). Nothing in extraction retokenizes a doc, so the tokens stay valid.
    """
    if _TOKENS[0] is not doc:
        _TOKENS[0], _TOKENS[1] = doc, list(doc)
    return _TOKENS[1]
