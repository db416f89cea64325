"""Identity resolution (kg.resolve) on hand-built extractions: no spaCy model."""

from __future__ import annotations

import hashlib
import random
import re

import pytest

from kg.errors import InputError
from kg.resolve import normalize_name, read_aliases, resolve, slugify
from kg.types import Article, ArticleExtraction, Mention, Relation

# ---------------------------------------------------------------- builders


def M(name, cls="Person", **kw):
    """A mention spec: name, class and any Mention field (position, typed_by, kind, refers_to ...)."""
    return {"name": name, "cls": cls, **kw}


def make_article(tag, mentions, relations=()):
    """An ArticleExtraction whose text is the mentions' surface forms joined by '. '.

    ``relations`` are (subject index, predicate, object index) into ``mentions``.
    The article id is derived from ``tag`` and the text, like a content hash.
    """
    parts, ms, pos = [], [], 0
    for i, spec in enumerate(mentions):
        spec = dict(spec)
        text = spec.pop("text", spec["name"])
        ms.append(Mention(id=i, start=pos, end=pos + len(text), text=text, sent=i,
                          typed_by=spec.pop("typed_by", "context"), **spec))
        parts.append(text)
        pos += len(text) + 2
    text = ". ".join(parts)
    aid = hashlib.sha256(f"{tag}\n{text}".encode()).hexdigest()[:16]
    sentences = [(m.start, m.end) for m in ms]
    rels = [Relation(subj=s, pred=p, obj=o, sent=ms[s].sent, extractor="test") for s, p, o in relations]
    return ArticleExtraction(article=Article(id=aid, text=text, source=f"{tag}.txt"),
                             sentences=sentences, mentions=ms, relations=rels)


def entity_of(identity, ex, mention_index):
    return identity.entity_of(ex.article.id, mention_index)


def key_of(identity, ex, mention_index):
    ent = entity_of(identity, ex, mention_index)
    assert ent is not None, f"mention {mention_index} of {ex.article.source} has no entity"
    return ent.key


def persons(identity):
    return {e.label: e for e in identity.entities.values() if e.cls == "Person"}


# ---------------------------------------------------------------- normalize_name / slugify


@pytest.mark.parametrize("raw, expected", [
    ("Kim Jong Un", "kim jong un"),
    ("  Kim   Jong\tUn ", "kim jong un"),
    ("Sergeï Lavróv", "sergei lavrov"),
    ("Su-35S", "su 35s"),
    ("The Pacific Fleet", "pacific fleet"),
    ("Vladivostok’s Knevichi", "vladivostoks knevichi"),
    ("Vladivostok's Knevichi", "vladivostoks knevichi"),
    ("KIM JONG-UN", "kim jong un"),
])
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


def test_normalize_name_keeps_an_inner_the():
    assert normalize_name("Hotel The Grand") == "hotel the grand"


@pytest.mark.parametrize("raw, expected", [
    ("Kim Jong Un", "kim-jong-un"),
    ("Marshal Shaposhnikov", "marshal-shaposhnikov"),
    ("Su-35S", "su-35s"),
    ("Ñuñoa Café", "nunoa-cafe"),
])
def test_slugify(raw, expected):
    assert slugify(raw) == expected


@pytest.mark.parametrize("raw", ["金正恩", "", "—"])
def test_slugify_falls_back_to_hash(raw):
    slug = slugify(raw)
    assert re.fullmatch(r"[0-9a-f]{12}", slug)
    assert slug == hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def test_slugify_distinct_non_ascii_names_get_distinct_slugs():
    assert slugify("金正恩") != slugify("金與正")


# ---------------------------------------------------------------- same name


def test_same_name_and_class_merge_across_articles():
    a = make_article("a", [M("Olga Petrova", position="Governor"), M("Minsk", "City")])
    b = make_article("b", [M("Olga Petrova")])
    ident = resolve([a, b])
    assert key_of(ident, a, 0) == key_of(ident, b, 0) == "person/olga-petrova"
    ent = ident.entities["person/olga-petrova"]
    assert ent.label == "Olga Petrova" and ent.cls == "Person"
    assert ent.positions == ["Governor"]
    assert ent.merges == []  # same-name merges need no record
    assert len([e for e in ident.entities.values() if e.label == "Olga Petrova"]) == 1


def test_same_name_different_strong_classes_stay_apart():
    a = make_article("a", [M("Pyotr Velikiy", "Vessel")])
    b = make_article("b", [M("Pyotr Velikiy", "Person", position="Tsar")])
    ident = resolve([a, b])
    assert key_of(ident, a, 0) == "vessel/pyotr-velikiy"
    assert key_of(ident, b, 0) == "person/pyotr-velikiy"


def test_weak_class_follows_strong_evidence_for_the_same_name():
    a = make_article("a", [M("Zircon", "Weapon", typed_by="shape")])
    b = make_article("b", [M("Zircon", "Organization", typed_by="ner")])
    ident = resolve([a, b])
    assert key_of(ident, a, 0) == key_of(ident, b, 0) == "weapon/zircon"


def test_short_name_merges_into_unique_full_name():
    a = make_article("a", [M("Olga Petrova", position="Governor")])
    b = make_article("b", [M("Petrova")])
    ident = resolve([a, b])
    assert key_of(ident, b, 0) == key_of(ident, a, 0) == "person/olga-petrova"
    ent = ident.entities["person/olga-petrova"]
    assert "Petrova" in ent.alt_labels
    assert [m.rule for m in ent.merges] == ["short-name"]


def test_coreference_chain_members_share_the_entity():
    a = make_article("a", [M("Olga Petrova"), M("Petrova", refers_to=[0]),
                           M("she", kind="pronoun", refers_to=[1])])
    ident = resolve([a])
    assert key_of(ident, a, 0) == key_of(ident, a, 1) == key_of(ident, a, 2)
    ent = ident.entities[key_of(ident, a, 0)]
    assert "she" not in ent.alt_labels and ent.alt_labels == ["Petrova"]


# ---------------------------------------------------------------- people sharing a name part


def test_kims_stay_three_people_even_with_shared_neighbours():
    a = make_article("a", [M("Kim Jong Un", position="leader"), M("Dmitri Orlov", position="Minister"),
                           M("Kim Yo Jong", position="leader")], [(0, "met", 1), (2, "met", 1)])
    b = make_article("b", [M("Kim Kwang Hyok", position="leader"), M("Dmitri Orlov", position="Minister"),
                           M("Kim Jong Un")], [(0, "met", 1), (2, "met", 1)])
    c = make_article("c", [M("Kim Yo Jong"), M("Kim Kwang Hyok"), M("Dmitri Orlov")],
                     [(0, "met", 2), (1, "met", 2)])
    ident = resolve([a, b, c])
    people = persons(ident)
    kims = {label for label in people if label.startswith("Kim")}
    assert kims == {"Kim Jong Un", "Kim Yo Jong", "Kim Kwang Hyok"}
    for label in kims:
        assert people[label].alt_labels == [], people[label]
        assert people[label].merges == []
    assert key_of(ident, a, 0) == key_of(ident, b, 2) == "person/kim-jong-un"
    assert key_of(ident, a, 2) == key_of(ident, c, 0) == "person/kim-yo-jong"
    assert key_of(ident, b, 0) == key_of(ident, c, 1) == "person/kim-kwang-hyok"


def test_ambiguous_short_name_joins_none_of_the_full_names():
    a = make_article("a", [M("Kim Jong Un"), M("Kim Yo Jong")])
    b = make_article("b", [M("Kim")])
    ident = resolve([a, b])
    kim = entity_of(ident, b, 0)
    assert kim is not None and kim.label == "Kim"
    assert kim.key not in (key_of(ident, a, 0), key_of(ident, a, 1))
    assert "Kim" not in persons(ident)["Kim Jong Un"].alt_labels
    assert "Kim" not in persons(ident)["Kim Yo Jong"].alt_labels


# ---------------------------------------------------------------- transliteration variants


def test_transliteration_variant_merges_with_shared_position():
    a = make_article("a", [M("Sergei Lavrov", position="Foreign Minister")])
    b = make_article("b", [M("Sergey Lavrov", position="Foreign Minister")])
    ident = resolve([a, b])
    assert key_of(ident, a, 0) == key_of(ident, b, 0)
    ent = entity_of(ident, a, 0)
    assert {ent.label, *ent.alt_labels} == {"Sergei Lavrov", "Sergey Lavrov"}
    (merge,) = ent.merges
    assert merge.rule == "fuzzy-name"
    assert merge.alias in ("Sergei Lavrov", "Sergey Lavrov") and merge.alias != ent.label
    assert 0.8 <= merge.score < 1.0
    assert "position" in merge.context and "foreign minister" in merge.context.lower()


def test_transliteration_variant_merges_with_shared_neighbour():
    a = make_article("a", [M("Sergei Lavrov"), M("Dmitri Orlov")], [(0, "met", 1)])
    b = make_article("b", [M("Dmitri Orlov"), M("Sergey Lavrov")], [(1, "met", 0)])
    ident = resolve([a, b])
    assert key_of(ident, a, 0) == key_of(ident, b, 1)
    (merge,) = entity_of(ident, a, 0).merges
    assert merge.rule == "fuzzy-name"
    assert "neighbour" in merge.context and "Dmitri Orlov" in merge.context


def test_transliteration_variant_merges_with_shared_affiliation():
    a = make_article("a", [M("Sergei Lavrov", affiliation="Russia")])
    b = make_article("b", [M("Sergey Lavrov", affiliation="Russia")])
    ident = resolve([a, b])
    assert key_of(ident, a, 0) == key_of(ident, b, 0)
    assert "Russia" in entity_of(ident, a, 0).merges[0].context


def test_transliteration_variant_without_context_stays_apart():
    a = make_article("a", [M("Sergei Lavrov", position="Foreign Minister"), M("Dmitri Orlov")], [(0, "met", 1)])
    b = make_article("b", [M("Sergey Lavrov", position="Ambassador"), M("Anna Volkova")], [(0, "met", 1)])
    ident = resolve([a, b])
    assert key_of(ident, a, 0) != key_of(ident, b, 0)
    assert key_of(ident, a, 0) == "person/sergei-lavrov"
    assert key_of(ident, b, 0) == "person/sergey-lavrov"
    assert all(not e.merges for e in ident.entities.values())


def test_fuzzy_merge_needs_the_same_class():
    a = make_article("a", [M("Sergei Lavrov", position="Foreign Minister", affiliation="Russia")])
    b = make_article("b", [M("Sergey Lavrov", "Vessel", affiliation="Russia")])
    ident = resolve([a, b])
    assert key_of(ident, a, 0) != key_of(ident, b, 0)


def test_every_name_part_must_be_close():
    # same first name and position, different surname: two people
    a = make_article("a", [M("Sergei Lavrov", position="Foreign Minister")])
    b = make_article("b", [M("Sergei Ryabkov", position="Foreign Minister")])
    ident = resolve([a, b])
    assert key_of(ident, a, 0) != key_of(ident, b, 0)


# ---------------------------------------------------------------- vessels


def test_vessel_honorific_variants_merge_with_shared_neighbour():
    a = make_article("a", [M("Olga Petrova", position="Governor"), M("Admiral Vorontsov", "Vessel")],
                     [(0, "visited", 1)])
    b = make_article("b", [M("Marshal Vorontsov", "Vessel"), M("Olga Petrova")], [(1, "visited", 0)])
    ident = resolve([a, b])
    assert key_of(ident, a, 1) == key_of(ident, b, 0)
    ent = entity_of(ident, a, 1)
    assert ent.cls == "Vessel"
    assert {ent.label, *ent.alt_labels} == {"Admiral Vorontsov", "Marshal Vorontsov"}
    (merge,) = ent.merges
    assert merge.rule == "vessel-name"
    assert "Olga Petrova" in merge.context


def test_vessel_honorific_variants_without_context_stay_apart():
    a = make_article("a", [M("Olga Petrova"), M("Admiral Vorontsov", "Vessel")], [(0, "visited", 1)])
    b = make_article("b", [M("Marshal Vorontsov", "Vessel"), M("Anna Volkova")], [(1, "visited", 0)])
    ident = resolve([a, b])
    assert key_of(ident, a, 1) != key_of(ident, b, 0)


def test_people_with_honorific_names_do_not_use_the_vessel_rule():
    a = make_article("a", [M("Olga Petrova"), M("Admiral Vorontsov", "Person")], [(0, "met", 1)])
    b = make_article("b", [M("Marshal Vorontsov", "Person"), M("Olga Petrova")], [(1, "met", 0)])
    ident = resolve([a, b])
    assert key_of(ident, a, 1) != key_of(ident, b, 0)


# ---------------------------------------------------------------- role descriptions


def test_role_description_joins_the_unique_person_with_that_role():
    a = make_article("a", [M("Dmitri Orlov", position="Defence Minister", affiliation="Russia")])
    b = make_article("b", [M("Russia's defense minister", "Person", kind="description",
                             position="defense minister", affiliation="Russia", typed_by="ner")])
    ident = resolve([a, b])
    assert key_of(ident, b, 0) == key_of(ident, a, 0) == "person/dmitri-orlov"
    rules = {m.rule for m in ident.entities["person/dmitri-orlov"].merges}
    assert "role-description" in rules


def test_unmatched_description_is_not_an_entity():
    a = make_article("a", [M("the defense minister", "Person", kind="description",
                             position="defense minister", typed_by="ner")])
    ident = resolve([a])
    assert entity_of(ident, a, 0) is None
    assert ident.entities == {}


# ---------------------------------------------------------------- determinism


def _corpus():
    return [
        make_article("a", [M("Sergei Lavrov", position="Foreign Minister"), M("Dmitri Orlov"),
                           M("Admiral Vorontsov", "Vessel"), M("Kim Jong Un")],
                     [(0, "met", 1), (1, "visited", 2), (3, "met", 1)]),
        make_article("b", [M("Sergey Lavrov", position="Foreign Minister"), M("Marshal Vorontsov", "Vessel"),
                           M("Dmitri Orlov"), M("Kim Yo Jong"), M("Lavrov")],
                     [(2, "visited", 1), (3, "met", 2)]),
        make_article("c", [M("Sergey Lavrov"), M("Anna Volkova", position="Governor"), M("Petrova"),
                           M("Olga Petrova")], [(0, "met", 1)]),
        make_article("d", [M("Zircon", "Weapon", typed_by="shape"), M("Marshal Vorontsov", "Vessel")],
                     [(1, "carries", 0)]),
    ]


def _snapshot(ident):
    ents = {k: (e.cls, e.label, tuple(e.alt_labels), tuple(e.positions),
                tuple(sorted((m.alias, m.rule, m.score, m.context) for m in e.merges)))
            for k, e in ident.entities.items()}
    return ents, dict(ident.mention_entity)


def test_identity_does_not_depend_on_extraction_order():
    corpus = _corpus()
    reference = _snapshot(resolve(list(corpus)))
    assert reference[0], "empty identity"
    rng = random.Random(20240307)
    orders = [list(reversed(corpus))] + [rng.sample(corpus, len(corpus)) for _ in range(6)]
    for order in orders:
        assert _snapshot(resolve(order)) == reference, [ex.article.source for ex in order]


def test_canonical_label_prefers_the_fullest_name():
    corpus = _corpus()
    ident = resolve(corpus)
    lavrov = entity_of(ident, corpus[0], 0)
    # the two-part spelling seen twice wins over the one seen once
    assert lavrov.label == "Sergey Lavrov"
    assert "Sergei Lavrov" in lavrov.alt_labels
    assert lavrov.key == "person/sergey-lavrov"
    assert entity_of(ident, corpus[1], 0).key == entity_of(ident, corpus[2], 0).key == lavrov.key
    petrova = entity_of(ident, corpus[2], 3)
    assert petrova.label == "Olga Petrova" and petrova.alt_labels == ["Petrova"]


def test_every_entity_key_is_class_slash_slug():
    ident = resolve(_corpus())
    for key, ent in ident.entities.items():
        assert key == ent.key
        assert key == f"{ent.cls.lower()}/{slugify(ent.label)}"


# ---------------------------------------------------------------- aliases file


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_read_aliases_force_and_veto(tmp_path):
    p = write(tmp_path, "aliases.tsv",
              "# comment line\n\nIvan Petrov\tVanya Petrov\nSergei Lavrov\t!Sergey Lavrov\n  Anna Volkova \t ! Anya Volkova \n")
    force, veto = read_aliases(p)
    assert force == [("Ivan Petrov", "Vanya Petrov")]
    assert veto == [("Sergei Lavrov", "Sergey Lavrov"), ("Anna Volkova", "Anya Volkova")]


@pytest.mark.parametrize("bad", [
    "Ivan Petrov Vanya Petrov\n",           # no tab
    "Ivan Petrov\tVanya Petrov\tthird\n",   # three columns
    "Ivan Petrov\t!\n",                     # veto without a name
    "\tVanya Petrov\n",                     # empty first name
])
def test_malformed_aliases_line_raises_input_error(tmp_path, bad):
    p = write(tmp_path, "aliases.tsv", "# header\nA One\tA Two\n" + bad)
    with pytest.raises(InputError) as info:
        read_aliases(p)
    msg = str(info.value)
    assert str(p) in msg and "line 3" in msg
    assert "\n" not in msg


def test_missing_aliases_file_raises_input_error(tmp_path):
    with pytest.raises(InputError):
        read_aliases(tmp_path / "nope.tsv")


def test_resolve_with_malformed_aliases_raises(tmp_path):
    p = write(tmp_path, "aliases.tsv", "only one column\n")
    with pytest.raises(InputError):
        resolve(_corpus(), aliases=p)


def test_aliases_force_a_merge(tmp_path):
    a = make_article("a", [M("Ivan Petrov", position="General")])
    b = make_article("b", [M("Vanya Petrov", position="Colonel")])
    assert key_of(resolve([a, b]), a, 0) != key_of(resolve([a, b]), b, 0)
    ident = resolve([a, b], aliases=write(tmp_path, "al.tsv", "Ivan Petrov\tVanya Petrov\n"))
    assert key_of(ident, a, 0) == key_of(ident, b, 0)
    ent = entity_of(ident, a, 0)
    assert {ent.label, *ent.alt_labels} == {"Ivan Petrov", "Vanya Petrov"}
    (merge,) = ent.merges
    assert merge.rule == "alias-file"
    assert "Ivan Petrov" in merge.context and "Vanya Petrov" in merge.context


def test_aliases_force_matches_normalised_names(tmp_path):
    a = make_article("a", [M("Ivan Petrov")])
    b = make_article("b", [M("Vanya Petrov")])
    ident = resolve([a, b], aliases=write(tmp_path, "al.tsv", "IVAN  petrov\tvanya-petrov\n"))
    assert key_of(ident, a, 0) == key_of(ident, b, 0)


def test_aliases_veto_a_merge(tmp_path):
    a = make_article("a", [M("Sergei Lavrov", position="Foreign Minister")])
    b = make_article("b", [M("Sergey Lavrov", position="Foreign Minister")])
    assert key_of(resolve([a, b]), a, 0) == key_of(resolve([a, b]), b, 0)
    for line in ("Sergei Lavrov\t!Sergey Lavrov\n", "Sergey Lavrov\t!Sergei Lavrov\n"):
        ident = resolve([a, b], aliases=write(tmp_path, "al.tsv", line))
        assert key_of(ident, a, 0) == "person/sergei-lavrov"
        assert key_of(ident, b, 0) == "person/sergey-lavrov"
        assert all(not e.merges for e in ident.entities.values())


def test_aliases_veto_blocks_a_transitive_merge(tmp_path):
    # a third spelling close to both must not bridge the vetoed pair
    a = make_article("a", [M("Sergei Lavrov", position="Foreign Minister")])
    b = make_article("b", [M("Sergey Lavrov", position="Foreign Minister")])
    c = make_article("c", [M("Sergej Lavrov", position="Foreign Minister")])
    ident = resolve([a, b, c], aliases=write(tmp_path, "al.tsv", "Sergei Lavrov\t!Sergey Lavrov\n"))
    assert key_of(ident, a, 0) != key_of(ident, b, 0)
    assert key_of(ident, c, 0) in (key_of(ident, a, 0), key_of(ident, b, 0))


# ---------------------------------------------------------------- merge records


def test_merge_records_carry_rule_score_and_context():
    ident = resolve(_corpus())
    records = [m for e in ident.entities.values() for m in e.merges]
    assert records
    rules = {m.rule for m in records}
    assert {"fuzzy-name", "vessel-name", "short-name"} <= rules
    for m in records:
        assert m.alias and isinstance(m.alias, str)
        assert isinstance(m.score, float) and 0.0 < m.score <= 1.0
        assert isinstance(m.context, str) and m.context.strip()
        assert m.rule != "same-name"
    for e in ident.entities.values():
        aliases = [m.alias for m in e.merges]
        assert len(aliases) == len(set(aliases))
        assert all(normalize_name(a) != normalize_name(e.label) for a in aliases)
        assert all(a in e.alt_labels for a in aliases)


# --- regressions found by review ---

def test_short_name_joins_entity_whose_full_name_has_two_spellings():
    a = make_article("a", [M("Sergei Lavrov", position="Foreign Minister")])
    b = make_article("b", [M("Sergey Lavrov", position="Foreign Minister"), M("Lavrov")])
    ident = resolve([a, b])
    assert key_of(ident, a, 0) == key_of(ident, b, 0)
    assert key_of(ident, b, 1) == key_of(ident, a, 0)
