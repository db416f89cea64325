"""A fast matcher for the subset of spaCy ``DependencyMatcher`` patterns kg uses.

Our relation patterns (``kg/patterns/relations.json``) are ordinary spaCy
DependencyMatcher patterns, and ``tests/test_depmatch.py`` checks that this
matcher returns exactly what spaCy's returns on real text. We run this one
because spaCy's runs a token ``Matcher`` with one pattern per node (about 150
for our file) over every token, which cost more than the rest of extraction.
Here each pattern is indexed by its anchor's lemma/lower/POS, so a token only
meets the patterns that can start at it, and the tree is walked through the
token's children.

Supported: the ``REL_OP``s ``>`` ``<`` ``>>`` ``<<`` ``.`` ``;`` ``$+`` ``$-``
``$++`` ``$--`` (spaCy's meanings) and the token attributes ``LEMMA``,
``LOWER``, ``TEXT``, ``DEP``, ``POS``, ``TAG``, ``ENT_TYPE`` with a string, ``IN`` or
``NOT_IN``. :func:`supports` says whether a pattern fits.
"""

from __future__ import annotations

from collections import defaultdict
from operator import attrgetter

__all__ = ["FastDependencyMatcher", "supports"]

_GETTERS = {
    "LEMMA": attrgetter("lemma_"),
    "LOWER": attrgetter("lower_"),
    "TEXT": attrgetter("text"),
    "ORTH": attrgetter("text"),
    "DEP": attrgetter("dep_"),
    "POS": attrgetter("pos_"),
    "TAG": attrgetter("tag_"),
    "ENT_TYPE": attrgetter("ent_type_"),
}
_INDEXABLE = ("LEMMA", "LOWER", "POS")


def _siblings(tok):
    # as spaCy does: the "siblings" of a root are its own children
    return tok.head.children


def _right(tok, k):
    j = tok.i + k
    return (tok.doc[j],) if 0 <= j < len(tok.doc) else ()


#: REL_OP -> candidate tokens for the right node, given the left node's token
_OPS = {
    ">": lambda t: t.children,
    "<": lambda t: () if t.head.i == t.i else (t.head,),
    ">>": lambda t: (d for d in t.subtree if d.i != t.i),
    "<<": lambda t: t.ancestors,
    ".": lambda t: _right(t, 1),
    ";": lambda t: _right(t, -1),
    "$+": lambda t: (c for c in _siblings(t) if c.i == t.i + 1),
    "$-": lambda t: (c for c in _siblings(t) if c.i == t.i - 1),
    "$++": lambda t: (c for c in _siblings(t) if c.i > t.i),
    "$--": lambda t: (c for c in _siblings(t) if c.i < t.i),
}


def supports(pattern: list[dict]) -> bool:
    """True when every node uses only ``>`` and supported attributes."""
    for node in pattern:
        if node.get("REL_OP", ">") not in _OPS:
            return False
        for attr, value in node["RIGHT_ATTRS"].items():
            if attr not in _GETTERS:
                return False
            if isinstance(value, dict) and set(value) - {"IN", "NOT_IN"}:
                return False
    return True


def _predicate(attrs: dict):
    checks = []
    for attr, value in attrs.items():
        get = _GETTERS[attr]
        if isinstance(value, dict):
            if "IN" in value:
                allowed = frozenset(value["IN"])
                checks.append(lambda t, g=get, a=allowed: g(t) in a)
            if "NOT_IN" in value:
                banned = frozenset(value["NOT_IN"])
                checks.append(lambda t, g=get, b=banned: g(t) not in b)
        else:
            checks.append(lambda t, g=get, v=value: g(t) == v)
    if not checks:
        return lambda t: True
    if len(checks) == 1:
        return checks[0]
    return lambda t: all(c(t) for c in checks)


class FastDependencyMatcher:
    """Match DependencyMatcher patterns (the operators listed in the module docstring).

    ``matcher(doc)`` returns ``[(key, [token index per node])]``, nodes in
    the order the pattern lists them, like spaCy's ``DependencyMatcher``.
    """

    def __init__(self):
        self._patterns: dict[str, list] = {}
        self._index = {attr: defaultdict(list) for attr in _INDEXABLE}
        self._unindexed: list = []

    def __len__(self) -> int:
        return len(self._patterns)

    def add(self, key: str, patterns: list[list[dict]]) -> None:
        for pattern in patterns:
            if not supports(pattern):
                raise ValueError(f"pattern {key!r} uses operators or attributes the fast matcher lacks")
            ids = [node["RIGHT_ID"] for node in pattern]
            nodes = []
            for k, node in enumerate(pattern):
                parent = ids.index(node["LEFT_ID"]) if k else -1
                if parent >= k:
                    raise ValueError(f"pattern {key!r}: node {node['RIGHT_ID']!r} comes before its parent")
                nodes.append((parent, _OPS[node.get("REL_OP", ">")], _predicate(node["RIGHT_ATTRS"])))
            need = frozenset()
            for node in pattern[1:]:
                dep = node["RIGHT_ATTRS"].get("DEP")
                if node["LEFT_ID"] == ids[0] and node.get("REL_OP", ">") == ">" and dep is not None:
                    need = need | frozenset(dep["IN"] if isinstance(dep, dict) and "IN" in dep else
                                            [dep] if isinstance(dep, str) else [])
                    break
            entry = (key, nodes, need)
            self._patterns.setdefault(key, []).append(entry)
            anchor = pattern[0]["RIGHT_ATTRS"]
            for attr in _INDEXABLE:
                value = anchor.get(attr)
                if value is None:
                    continue
                values = value["IN"] if isinstance(value, dict) and "IN" in value else (
                    [value] if isinstance(value, str) else None)
                if values is None:
                    continue
                for v in dict.fromkeys(values):
                    self._index[attr][v].append(entry)
                break
            else:
                self._unindexed.append(entry)

    def __call__(self, doc) -> list[tuple[str, list[int]]]:
        out = []
        lemma_idx, lower_idx, pos_idx = (self._index[a] for a in _INDEXABLE)
        unindexed = self._unindexed
        for tok in doc:
            cands = []
            for found in (lemma_idx.get(tok.lemma_), lower_idx.get(tok.lower_), pos_idx.get(tok.pos_), unindexed):
                if found:
                    cands.extend(found)
            if not cands:
                continue
            child_deps = None
            for key, nodes, need in cands:
                if need:
                    # cheap precheck: the anchor needs a child with one of these deps
                    if child_deps is None:
                        child_deps = {c.dep_ for c in tok.children}
                    if not (need & child_deps):
                        continue
                if nodes[0][2](tok):
                    if len(nodes) == 1:
                        out.append((key, [tok.i]))
                    else:
                        self._extend(key, nodes, [tok.i], [tok], out)
        return out

    def _extend(self, key, nodes, bound, toks, out):
        k = len(bound)
        parent, op, pred = nodes[k]
        last = k + 1 == len(nodes)
        for child in op(toks[parent]):
            if child.i in bound or not pred(child):
                continue
            if last:
                out.append((key, bound + [child.i]))
                continue
            bound.append(child.i)
            toks.append(child)
            self._extend(key, nodes, bound, toks, out)
            bound.pop()
            toks.pop()
