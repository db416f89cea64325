"""Identity: from per-article mentions to one node per real-world entity.

This stage reads only :class:`~kg.types.ArticleExtraction` objects, never a
``Doc``, so it can be recomputed over every stored article without NLP.

Steps
-----
1. *Local clusters*: within an article, coreference (``refers_to``) already
   links short names, pronouns and descriptions to a name. Each chain root is
   a local cluster with its names, class, positions, affiliation and
   neighbours.
2. *Class vote*: a name typed only by the NER model takes the class that
   stronger evidence, or the majority, gave the same name across articles.
3. *Merging* (union-find, deterministic order), each merge recorded with its
   rule, score and supporting context:

   ``same-name``      same normalised name and class.
   ``short-name``     a one-part name that is the first or last part of exactly
                      one full name of that class ("Shoigu" -> "Sergei Shoigu").
   ``fuzzy-name``     transliteration/spelling variants (per-part rapidfuzz
                      ratio), same class, plus shared context: a position, an
                      affiliation or a neighbour.
   ``vessel-name``    vessels whose names agree once an honorific is set aside
                      ("Marshal Shaposhnikov" / "Admiral Shaposhnikov"), plus a
                      shared neighbour.
   ``role-description``  an unresolved description ("Russia's defence
                      minister") that matches exactly one person's position
                      and affiliation.
   ``alias-file``     forced by the user's aliases file.

   People who only share a name part (Kim Jong Un, Kim Yo Jong) never merge:
   every part must match.
4. *Canonical name and IRI*: the fullest, most frequent name; the IRI comes
   from that name and the class only.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from rapidfuzz.fuzz import ratio

from .errors import InputError
from .extract.entities import ABBREVIATIONS
from .extract.geo import gazetteer
from .extract.lexicon import lexicon
from .types import ArticleExtraction

__all__ = ["Entity", "Merge", "Identity", "resolve", "normalize_name", "slugify", "read_aliases"]

_STRENGTH = {"ner": 0, "vote": 0, "context": 2, "shape": 3, "gazetteer": 3, "alias": 4}
_FUZZY_PART = 80.0
_FUZZY_SINGLE = 92.0


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Casefolded, accents and punctuation removed, spaces collapsed."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.replace("’", "'").lower()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s\b", "s", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def slugify(name: str) -> str:
    slug = normalize_name(name).replace(" ", "-")
    return slug or hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def _position_key(pos: str) -> str:
    return normalize_name(pos).replace("defence", "defense")


@dataclass
class Merge:
    alias: str  # the surface name merged in
    rule: str
    score: float
    context: str


@dataclass
class Entity:
    key: str  # IRI path: "{class}/{slug}"
    cls: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)


@dataclass
class Identity:
    """The identity layer: entities and which mention belongs to which."""

    entities: dict[str, Entity]
    mention_entity: dict[tuple[str, int], str]  # (article id, mention id) -> entity key

    def entity_of(self, article_id: str, mention_id: int) -> Entity | None:
        key = self.mention_entity.get((article_id, mention_id))
        return self.entities.get(key) if key else None


@dataclass
class _Cluster:
    cid: tuple[str, int]  # (article id, root mention id)
    names: Counter
    cls_votes: Counter
    strong: bool
    positions: set
    affiliations: set
    kind: str  # name | description
    members: list[int]
    neighbours: set = field(default_factory=set)
    cls: str = ""

    @cached_property
    def main_name(self) -> str:
        return max(sorted(self.names), key=lambda n: (len(n.split()), self.names[n]))


def read_aliases(path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Read an aliases TSV: ``A<TAB>B`` forces a merge, ``A<TAB>!B`` forbids one.

    Lines starting with ``#`` and blank lines are ignored.
    """
    force, veto = [], []
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read aliases file ({err})") from err
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip().lstrip("!"):
            raise InputError(path, f"line {n}: expected 'NAME<TAB>NAME' or 'NAME<TAB>!NAME'")
        a, b = parts[0].strip(), parts[1].strip()
        (veto if b.startswith("!") else force).append((a, b.lstrip("!").strip()))
    return force, veto


def _root(mentions, mid):
    m = mentions[mid]
    seen = 0
    while len(m.refers_to) == 1 and seen < 10:
        m = mentions[m.refers_to[0]]
        seen += 1
    return m


def _local_clusters(ex: ArticleExtraction) -> tuple[dict[int, tuple], list[_Cluster]]:
    """Map each resolvable mention to its local cluster; build the clusters."""
    mentions = ex.mentions
    aid = ex.article.id
    clusters: dict[int, _Cluster] = {}
    member_of: dict[int, int] = {}
    for m in mentions:
        root = _root(mentions, m.id)
        if root.kind == "name" or (root.kind == "description" and root.cls == "Person" and root.position):
            c = clusters.get(root.id)
            if c is None:
                c = clusters[root.id] = _Cluster(
                    cid=(aid, root.id), names=Counter(), cls_votes=Counter(), strong=False,
                    positions=set(), affiliations=set(), kind=root.kind, members=[])
            member_of[m.id] = root.id
            c.members.append(m.id)
            if m.kind == "name":
                c.names[m.name] += 1
                c.cls_votes[m.cls] += 1 + _STRENGTH.get(m.typed_by, 0) * 10
                c.strong |= _STRENGTH.get(m.typed_by, 0) > 0
            if m.position and m.cls == "Person":
                c.positions.add(m.position)
            if m.affiliation:
                c.affiliations.add(m.affiliation)
    for c in clusters.values():
        if c.kind == "description":
            root = mentions[c.cid[1]]
            c.names[root.text] += 1
            c.cls_votes["Person"] += 1
    for r in ex.relations:
        a, b = member_of.get(r.subj), member_of.get(r.obj)
        if a is not None and b is not None and a != b:
            clusters[a].neighbours.add(b)
            clusters[b].neighbours.add(a)
    return member_of, list(clusters.values())


class _UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


def _parts_match(a: list[str], b: list[str]) -> float | None:
    """Per-part similarity of two names with the same number of parts, or None."""
    if len(a) != len(b) or not a:
        return None
    scores = [ratio(x, y) for x, y in zip(a, b)]
    if min(scores) < _FUZZY_PART:
        return None
    # a one-part name has no second part to confirm it ("Aselsan" / "Havelsan")
    if len(a) == 1 and scores[0] < _FUZZY_SINGLE:
        return None
    return sum(scores) / len(scores) / 100.0


def _strip_honorific(name: str) -> str:
    lex = lexicon()
    parts = name.split()
    while len(parts) > 1 and (parts[0].lower() in lex.title_words or parts[0].lower() in ABBREVIATIONS):
        parts = parts[1:]
    return normalize_name(" ".join(parts))


def resolve(extractions: list[ArticleExtraction], aliases=None) -> Identity:
    """Cluster the mentions of all articles into entities (see module docstring).

    Parameters
    ----------
    extractions : list of ArticleExtraction
    aliases : path or dict, optional
        An aliases TSV (see :func:`read_aliases`), or the pairs already read, as the store
        keeps them: ``{"force": [[a, b], ...], "veto": [[a, b], ...]}``.

    Returns
    -------
    Identity
    """
    if isinstance(aliases, dict):
        force, veto = [tuple(p) for p in aliases.get("force", ())], [tuple(p) for p in aliases.get("veto", ())]
    else:
        force, veto = read_aliases(aliases) if aliases else ([], [])
    extractions = sorted(extractions, key=lambda e: e.article.id)
    clusters: list[_Cluster] = []
    member_maps: dict[str, dict[int, tuple]] = {}
    for ex in extractions:
        member_of, cl = _local_clusters(ex)
        member_maps[ex.article.id] = {mid: (ex.article.id, root) for mid, root in member_of.items()}
        clusters.extend(cl)
    by_id = {c.cid: c for c in clusters}

    # 2. class vote across articles, per normalised name
    name_votes: dict[str, Counter] = defaultdict(Counter)
    for c in clusters:
        for n in c.names:
            name_votes[normalize_name(n)].update(c.cls_votes)
    for c in clusters:
        votes = Counter(c.cls_votes)
        if not c.strong:
            for n in c.names:
                votes.update(name_votes[normalize_name(n)])
        c.cls = max(sorted(votes), key=votes.get) if votes else "Entity"

    uf = _UnionFind()
    merges: list[tuple[tuple, tuple, str, float, str]] = []
    vetoed = {frozenset((normalize_name(a), normalize_name(b))) for a, b in veto}

    group: dict[tuple, list[_Cluster]] = {c.cid: [c] for c in clusters}

    def names_of(root):
        return {normalize_name(n) for c in group[root] for n in c.names}

    def try_union(a: _Cluster, b: _Cluster, rule, score, context):
        ra, rb = uf.find(a.cid), uf.find(b.cid)
        if ra == rb:
            return
        if vetoed:
            na, nb = names_of(ra), names_of(rb)
            if any(frozenset((x, y)) in vetoed for x in na for y in nb):
                return
        uf.union(a.cid, b.cid)
        keep = uf.find(a.cid)
        gone = rb if keep == ra else ra
        moved = group.pop(gone)
        if len(moved) > len(group[keep]):  # extend the longer list: no quadratic copying
            moved, group[keep] = group[keep], moved
        group[keep].extend(moved)
        merges.append((a.cid, b.cid, rule, score, context))

    ordered = sorted(clusters, key=lambda c: (c.cls, normalize_name(c.main_name), c.cid))
    names = [c for c in ordered if c.kind == "name"]
    # same name + class
    first: dict[tuple, _Cluster] = {}
    for c in names:
        k = (c.cls, normalize_name(c.main_name))
        if k in first:
            try_union(first[k], c, "same-name", 1.0, "")
        else:
            first[k] = c
    def short_names():
        """A one-part name joins the unique full name that starts or ends with it."""
        # person full names by first and by last part
        by_part = defaultdict(list)
        for c in names:
            parts = normalize_name(c.main_name).split()
            if len(parts) > 1 and c.cls == "Person":
                by_part[parts[0]].append(c)
                if parts[-1] != parts[0]:
                    by_part[parts[-1]].append(c)
        for c in names:
            parts = normalize_name(c.main_name).split()
            if len(parts) != 1:
                continue
            # person names only (see coref.py); a name only the NER model typed
            # ("Holloway" as ORG) may join a person
            if c.cls != "Person" and (c.strong or c.cls != "Organization"):
                continue
            cands = {uf.find(fc.cid): fc for fc in by_part.get(parts[0], ())}
            if len(cands) == 1:
                (target,) = cands.values()
                try_union(c, target, "short-name", 1.0, f"'{c.main_name}' is part of '{target.main_name}'")

    short_names()

    def context(a_root, b_root):
        ca, cb = group[a_root], group[b_root]
        pa = {_position_key(p) for c in ca for p in c.positions}
        pb = {_position_key(p) for c in cb for p in c.positions}
        if pa & pb:
            return f"shared position: {sorted(pa & pb)[0]}"
        fa = {f for c in ca for f in c.affiliations}
        fb = {f for c in cb for f in c.affiliations}
        if fa & fb:
            return f"shared affiliation: {sorted(fa & fb)[0]}"
        neigh_a = {uf.find(by_id[(c.cid[0], n)].cid) for c in ca for n in c.neighbours}
        neigh_b = {uf.find(by_id[(c.cid[0], n)].cid) for c in cb for n in c.neighbours}
        shared = (neigh_a & neigh_b) - {a_root, b_root}
        if shared:
            return f"shared neighbour: {by_id[sorted(shared)[0]].main_name}"
        return None

    # fuzzy names and vessel honorifics need context; repeat until nothing changes
    for _ in range(3):
        changed = False
        reps = {}
        for c in names:
            reps.setdefault(uf.find(c.cid), c)
        reps = sorted(reps.values(), key=lambda c: (c.cls, normalize_name(c.main_name), c.cid))
        for a, b in _candidate_pairs(reps):
            if True:
                if a.cls != b.cls or uf.find(a.cid) == uf.find(b.cid):
                    continue
                na, nb = normalize_name(a.main_name), normalize_name(b.main_name)
                if a.cls in ("Vessel", "Facility", "Aircraft") and _strip_honorific(a.main_name) == _strip_honorific(b.main_name) and na != nb:
                    ctx = context(uf.find(a.cid), uf.find(b.cid))
                    if ctx:
                        try_union(a, b, "vessel-name", 1.0, ctx)
                        changed = True
                    continue
                score = _parts_match(na.split(), nb.split())
                if score is None or na == nb:
                    continue
                ctx = context(uf.find(a.cid), uf.find(b.cid))
                if ctx:
                    try_union(a, b, "fuzzy-name", round(score, 3), ctx)
                    changed = True
        if not changed:
            break

    short_names()  # again: spelling variants may have made a full name unique

    # role descriptions -> the unique person with that position and affiliation
    by_position = defaultdict(list)
    for p in names:
        if p.cls == "Person":
            for key in {_position_key(x) for x in p.positions}:
                by_position[key].append(p)
    for c in ordered:
        if c.kind != "description":
            continue
        pos = {_position_key(p) for p in c.positions}
        cands = {}
        for key in sorted(pos):
            for p in by_position.get(key, ()):
                if not c.affiliations or c.affiliations & p.affiliations:
                    cands[uf.find(p.cid)] = p
        if len(cands) == 1:
            (target,) = cands.values()
            try_union(c, target, "role-description", 1.0, f"position {sorted(pos)[0]!r}" + (f", affiliation {sorted(c.affiliations)[0]}" if c.affiliations else ""))

    # forced merges from the aliases file
    by_name = defaultdict(list)
    for c in clusters:
        for n in c.names:
            by_name[normalize_name(n)].append(c)
    for a, b in force:
        for ca in by_name.get(normalize_name(a), [])[:1]:
            for cb in by_name.get(normalize_name(b), [])[:1]:
                try_union(ca, cb, "alias-file", 1.0, f"aliases file: {a} = {b}")

    return _entities(clusters, uf, merges, member_maps, by_id)


def _candidate_pairs(reps):
    """Pairs worth comparing: same class and number of name parts, sharing the
    start of the first part, the end of the last part, or the name without an
    honorific (blocking keeps this far from quadratic)."""
    blocks = defaultdict(list)
    for c in reps:
        parts = normalize_name(c.main_name).split()
        if not parts:
            continue
        blocks[(c.cls, len(parts), "f", parts[0][:2])].append(c)
        blocks[(c.cls, len(parts), "l", parts[-1][-3:])].append(c)
        if c.cls in ("Vessel", "Facility", "Aircraft"):
            blocks[(c.cls, 0, "h", _strip_honorific(c.main_name))].append(c)
    seen = set()
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) > 200:
            continue  # a block this big is a common name part, not a variant
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (a.cid, b.cid)
                if pair not in seen:
                    seen.add(pair)
                    yield a, b


def _place_spelling(name: str, cls: str) -> str | None:
    """How the gazetteers write a place a dateline gives in capitals only ("SEOUL" -> "Seoul")."""
    if cls == "Country":
        return lexicon().countries.get(name.lower())
    if cls in ("City", "Region", "Place"):
        lex = lexicon()
        found = gazetteer().lookup(name)
        return found[0].name if found else lex.regions.get(name.lower()) or lex.cities.get(name.lower())
    return None


def _entities(clusters, uf, merges, member_maps, by_id) -> Identity:
    groups: dict[tuple, list[_Cluster]] = defaultdict(list)
    for c in clusters:
        groups[uf.find(c.cid)].append(c)
    entities: dict[str, Entity] = {}
    root_key: dict[tuple, str] = {}
    for root, members in sorted(groups.items()):
        named = [c for c in members if c.kind == "name"]
        if not named:
            continue  # a description nobody could name is not an entity
        names = Counter()
        for c in named:
            names.update(c.names)
        # most name parts, then not a capitals-only dateline form ("PHNOM PENH" when
        # "Phnom Penh" is there too; short acronyms such as "NATO" count as written), then
        # the commonest, then the shortest
        label = max(sorted(names), key=lambda n: (len(n.split()), not (n.isupper() and len(n) > 4), names[n], -len(n)))
        cls_votes = Counter()
        for c in named:
            cls_votes[c.cls] += sum(c.names.values()) * (10 if c.strong else 1)
        cls = max(sorted(cls_votes), key=cls_votes.get)
        if label.isupper() and len(label) > 4:
            label = _place_spelling(label, cls) or label
        key = f"{cls.lower()}/{slugify(label)}"
        if key in entities:  # two distinct entities, one name (a vetoed merge): stable suffix
            digest = hashlib.sha1(repr(sorted(c.cid for c in members)).encode()).hexdigest()[:6]
            key = f"{key}-{digest}"
        alt = sorted({n for c in named for n in c.names} - {label})
        positions = sorted({p for c in members for p in c.positions})
        entities[key] = Entity(key=key, cls=cls, label=label, alt_labels=alt, positions=positions)
        root_key[root] = key
    for a, b, rule, score, ctx in merges:
        key = root_key.get(uf.find(a))
        if key is None or rule == "same-name":
            continue
        ent = entities[key]
        for cid in (a, b):
            alias = by_id[cid].main_name
            if normalize_name(alias) != normalize_name(ent.label) and all(m.alias != alias for m in ent.merges):
                ent.merges.append(Merge(alias=alias, rule=rule, score=score, context=ctx))
    mention_entity = {}
    for aid, mmap in member_maps.items():
        for mid, cid in mmap.items():
            key = root_key.get(uf.find(cid))
            if key:
                mention_entity[(aid, mid)] = key
    return Identity(entities=entities, mention_entity=mention_entity)
