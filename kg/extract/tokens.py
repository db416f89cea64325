"""One list of a doc's tokens, and its text, shared by the extraction rules."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["token_list", "span_text"]

_LAST: list = [None, [], ""]


def _cache(doc: Doc) -> list:
    if _LAST[0] is not doc:
        _LAST[:] = [doc, list(doc), doc.text]
    return _LAST


def token_list(doc: Doc) -> list:
    """``list(doc)``, made once per doc (the last doc asked for is kept).

    ``doc[i]`` and ``for t in doc`` make a new ``Token`` object every time; the rules scan and
    index the same doc thousands of times (half of the typing layer's time went to making
    tokens). Nothing in extraction retokenizes a doc, so the tokens stay valid.
    """
    return _cache(doc)[1]


def span_text(doc: Doc, start: int, end: int) -> str:
    """``doc[start:end].text`` for ``0 <= start <= end <= len(doc)``, without making the span
    and its tokens (a slice of the doc's text, which is made once per doc too)."""
    if end <= start:
        return ""
    _, toks, text = _cache(doc)
    last = toks[end - 1]
    return text[toks[start].idx:last.idx + len(last.text)]
