"""spaCy factories for kg's components.

* ``kg_hardware``: an EntityRuler (before ``ner``) with hardware patterns.
* ``kg_entities``: typed entity records on ``doc._.kg_entities``.
* ``kg_extract``: mentions, coreference, relations and events as a plain dict
  on ``doc._.kg`` (JSON-serialisable, so it survives ``n_process`` > 1).
* ``kg_extraction_only``: swaps the doc for an empty one carrying ``doc._.kg`` (added by
  :func:`kg.build.extract_articles` for worker processes).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .entities import hardware_patterns, typed_entities

__all__ = ["EntityTyper", "Extractor"]

for _name in ("kg_entities", "kg"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.component("kg_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: a title without a full stop is its own sentence.

    Runs before the parser, which keeps sentence starts that are already set.
    """
    starts = [0]
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
            starts.append(tok.i + 1)
    for start in starts:
        end = _dateline_end(doc, start)
        if end is not None:
            doc[end].is_sent_start = True
    return doc


_DATELINE_DASHES = frozenset({"-", "--", "—", "–", "_"})


def _dateline_end(doc: Doc, start: int, longest: int = 12):
    """The first token after a wire dateline at ``start`` ("PHNOM PENH, Cambodia (Reuters) -",
    "BANGKOK , Thailand ( AP ) _"): a place in capitals, commas, a date or an agency in brackets,
    then a dash. The dateline is then a sentence of its own, so the parser does not take the
    place for the subject of the story's first sentence."""
    first = doc[start] if start < len(doc) else None
    if first is None or not first.is_upper or not first.is_alpha:
        return None
    depth = 0
    for tok in doc[start + 1:start + longest]:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text in _DATELINE_DASHES and depth == 0:
            after = tok.i + 1
            if after < len(doc) and doc[after].text[:1].isupper():
                return after
            return None
        elif tok.is_space or (tok.tag_.startswith("VB") and depth == 0 and not tok.text[:1].isupper()):
            # (only the tagger has run: a verb by its tag) "WASHINGTON said ..." is no dateline
            return None
    return None


@Language.factory("kg_hardware", default_config={"overwrite_ents": False})
def make_hardware_ruler(nlp: Language, name: str, overwrite_ents: bool):
    from spacy.pipeline import EntityRuler

    ruler = EntityRuler(nlp, name=name, overwrite_ents=overwrite_ents, validate=False)
    ruler.add_patterns(hardware_patterns())
    return ruler


class EntityTyper:
    """Sets ``doc._.kg_entities`` to typed entity records."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_entities = typed_entities(doc)
        return doc


@Language.factory("kg_entities", requires=["doc.ents"], assigns=["doc._.kg_entities"])
def make_entity_typer(nlp: Language, name: str):
    return EntityTyper()


class Extractor:
    """Sets ``doc._.kg`` to the article's mentions, relations and events."""

    def __init__(self, nlp: Language):
        from .relations import RelationExtractor

        self.relations = RelationExtractor(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        from .pipeline import extract_doc

        doc._.kg = extract_doc(doc, self.relations)
        return doc


@Language.factory("kg_extract", requires=["doc._.kg_entities"], assigns=["doc._.kg"])
def make_extractor(nlp: Language, name: str):
    return Extractor(nlp)


@Language.component("kg_extraction_only", requires=["doc._.kg"])
def extraction_only(doc: Doc) -> Doc:
    """An empty doc that carries only ``doc._.kg``.

    Added last for worker processes whose caller reads nothing else (``kg build --workers N``):
    spaCy sends each doc back to the main process serialised, and the parses, tensors and
    strings of 500 articles come to 55 MB that the main process would decode (0.8 s) on a core
    the workers need.
    """
    slim = Doc(doc.vocab)
    slim._.kg = doc._.kg
    return slim


@Language.factory("kg_attribute_table", assigns=["token.pos", "token.morph", "token.lemma"])
def make_attribute_table(nlp: Language, name: str):
    """Empty; ``kg.nlp.load_nlp`` copies the model's ``attribute_ruler`` rules into it."""
    from .attributes import TableAttributeRuler

    return TableAttributeRuler(nlp.vocab)


@Language.factory("kg_lemma_cache", assigns=["token.lemma"])
def make_lemma_cache(nlp: Language, name: str):
    """Empty; ``kg.nlp.load_nlp`` hands it the model's ``lemmatizer``."""
    from .lemmas import CachedLemmatizer

    return CachedLemmatizer()
