"""Plain data passed between the stages: ingest -> extract -> resolve -> graph.

Everything here is JSON-serialisable (:meth:`ArticleExtraction.to_dict`), so the
extraction output of an article can be cached and the identity layer recomputed
without rerunning NLP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

__all__ = ["Article", "Mention", "Relation", "Event", "ArticleExtraction"]


@dataclass(frozen=True)
class Article:
    """One cleaned article.

    ``id`` is the first 16 hex digits of the SHA-256 of ``text``, so the same
    text is the same article wherever the file lies.
    """

    id: str
    text: str
    source: str
    title: Optional[str] = None
    date: Optional[str] = None  # ISO YYYY-MM-DD
    body_start: int = 0  # offset of the body in text (after the title line)


@dataclass
class Mention:
    """A span of text that names (or refers to) an entity."""

    id: int  # index within the article
    start: int  # character offsets in Article.text
    end: int
    text: str  # surface form as written
    name: str  # the name with titles stripped ("Nikolai Yevmenov")
    cls: str  # ontology class local name ("Person")
    sent: int  # sentence index
    position: Optional[str] = None  # role text ("Defense Minister")
    kind: str = "name"  # name | pronoun | pronoun-plural | description | plural
    refers_to: list[int] = field(default_factory=list)  # coreference: mention ids (empty = unresolved)
    typed_by: str = "ner"  # how cls was decided: ner | shape | gazetteer | context | vote
    affiliation: Optional[str] = None  # country name from a demonym/possessive ("Russia")


@dataclass
class Relation:
    """A binary statement between two mentions of one article."""

    subj: int  # Mention.id
    pred: str  # ontology property local name ("met"), or verb lemma for open relations
    obj: int
    sent: int
    extractor: str  # pattern name
    modality: str = "asserted"  # asserted | negated | hedged | planned (future tense)
    attribution: Optional[str] = None
    open: bool = False  # True: verb relation with no ontology mapping
    trigger_start: int = -1  # character offset of the trigger word
    subj_class: list[str] = field(default_factory=list)  # classes the pattern allows (checked on entities)
    obj_class: list[str] = field(default_factory=list)


@dataclass
class Event:
    """An n-ary event: who, with whom, where, when."""

    cls: str  # Meeting | Visit | Inspection | Briefing ...
    trigger: str
    trigger_start: int
    sent: int
    extractor: str
    date_tense: str = "past"  # past | future: how a weekday is grounded
    agents: list[int] = field(default_factory=list)
    participants: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    date: Optional[str] = None  # ISO date when grounded
    date_text: Optional[str] = None
    modality: str = "asserted"
    attribution: Optional[str] = None
    subj_class: list[str] = field(default_factory=list)  # the pattern's class limits for agents
    obj_class: list[str] = field(default_factory=list)  # ... and for participants


@dataclass
class ArticleExtraction:
    """Everything extraction found in one article, before identity resolution."""

    article: Article
    sentences: list[tuple[int, int]]  # (start, end) character offsets
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict:
        """A JSON-ready dict (what :meth:`from_dict` reads back)."""
        return {
            "article": dict(vars(self.article)),
            "sentences": [list(s) for s in self.sentences],
            "mentions": [dict(vars(m)) for m in self.mentions],
            "relations": [dict(vars(r)) for r in self.relations],
            "events": [dict(vars(e)) for e in self.events],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "ArticleExtraction":
        return cls(
            article=Article(**d["article"]),
            sentences=[tuple(s) for s in d["sentences"]],
            mentions=[Mention(**m) for m in d["mentions"]],
            relations=[Relation(**r) for r in d["relations"]],
            events=[Event(**e) for e in d["events"]],
        )
