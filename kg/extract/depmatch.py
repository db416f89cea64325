"""A fast matcher for the subset of spaCy ``DependencyMatcher`` patterns kg uses.

Our relation patterns (``kg/patterns/relations.json``) are ordinary spaCy
DependencyMatcher patterns, and ``tests/test_depmatch.py`` checks that this
matcher returns exactly what spaCy's returns on real text. We run this one
because spaCy's runs a token ``Matcher`` with one pattern per node (about 150
for our file) over every token, which cost more than the rest of extraction.
Here each pattern is indexed by its anchor's lemma/lower/POS, so a token only
meets the patterns that can start at it, and the tree is walked through the
token's children. The doc's attributes and tree are read once into plain lists
(``Doc.to_array``) and compared as string ids, so matching creates no ``Token``
objects (this halved the matcher's time on the benchmark texts).

Supported: the ``REL_OP``s ``>`` ``<`` ``>>`` ``<<`` ``.`` ``;`` ``$+`` ``$-``
``$++`` ``$--`` (spaCy's meanings) and the token attributes ``LEMMA``,
``LOWER``, ``TEXT``, ``DEP``, ``POS``, ``TAG``, ``ENT_TYPE`` with a string, ``IN`` or
``NOT_IN``. :func:`supports` says whether a pattern fits.
"""

from __future__ import annotations

from collections import defaultdict

from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, ORTH, POS, TAG
from spacy.strings import get_string_id

__all__ = ["FastDependencyMatcher", "supports"]

#: pattern attribute -> spaCy attribute id (values are compared as string ids, as spaCy's
#: token attributes hold them: symbol ids for built-in labels and POS, hashes otherwise)
_ATTRS = {"LEMMA": LEMMA, "LOWER": LOWER, "TEXT": ORTH, "ORTH": ORTH, "DEP": DEP, "POS": POS, "TAG": TAG,
          "ENT_TYPE": ENT_TYPE}
_COLUMNS = tuple(dict.fromkeys(_ATTRS.values()))
_COLUMN = {attr: _COLUMNS.index(a) for attr, a in _ATTRS.items()}
_INDEXABLE = ("LEMMA", "LOWER", "POS")


class _Tree:
    """One doc's token attributes (string ids) and dependency tree as plain lists, read once with
    ``Doc.to_array``, so matching never creates spaCy ``Token`` objects."""

    __slots__ = ("cols", "heads", "children", "n")

    def __init__(self, doc):
        n = self.n = len(doc)
        arr = doc.to_array(list(_COLUMNS) + [HEAD])
        self.cols = [arr[:, k].tolist() for k in range(len(_COLUMNS))]
        # HEAD is a signed offset stored in uint64
        self.heads = [i + off for i, off in enumerate(arr[:, -1].astype("int64").tolist())]
        children = self.children = [[] for _ in range(n)]
        for i, h in enumerate(self.heads):
            if h != i:
                children[h].append(i)

    def subtree(self, i):
        """``Token.subtree``, in spaCy's order: the left children's subtrees, ``i``, the right
        children's subtrees."""
        kids = self.children[i]
        for c in kids:
            if c < i:
                yield from self.subtree(c)
        yield i
        for c in kids:
            if c > i:
                yield from self.subtree(c)

    def ancestors(self, i):
        heads = self.heads
        while heads[i] != i:
            i = heads[i]
            yield i

    def siblings(self, i):
        # as spaCy does: the "siblings" of a root are its own children
        return self.children[self.heads[i]]


#: REL_OP -> candidate token indices for the right node, given the tree and the left node's index
_OPS = {
    ">": lambda t, i: t.children[i],
    "<": lambda t, i: () if t.heads[i] == i else (t.heads[i],),
    ">>": lambda t, i: (d for d in t.subtree(i) if d != i),
    "<<": lambda t, i: t.ancestors(i),
    ".": lambda t, i: (i + 1,) if i + 1 < t.n else (),
    ";": lambda t, i: (i - 1,) if i > 0 else (),
    "$+": lambda t, i: [c for c in t.siblings(i) if c == i + 1],
    "$-": lambda t, i: [c for c in t.siblings(i) if c == i - 1],
    "$++": lambda t, i: [c for c in t.siblings(i) if c > i],
    "$--": lambda t, i: [c for c in t.siblings(i) if c < i],
}


def supports(pattern: list[dict]) -> bool:
    """True when every node uses only ``>`` and supported attributes."""
    for node in pattern:
        if node.get("REL_OP", ">") not in _OPS:
            return False
        for attr, value in node["RIGHT_ATTRS"].items():
            if attr not in _ATTRS:
                return False
            if isinstance(value, dict) and set(value) - {"IN", "NOT_IN"}:
                return False
    return True


def _predicate(attrs: dict):
    """A test on a token index, given the tree's attribute columns: ``pred(cols, i)``."""
    checks = []
    for attr, value in attrs.items():
        col = _COLUMN[attr]
        if isinstance(value, dict):
            if "IN" in value:
                allowed = frozenset(map(get_string_id, value["IN"]))
                checks.append(lambda c, i, k=col, a=allowed: c[k][i] in a)
            if "NOT_IN" in value:
                banned = frozenset(map(get_string_id, value["NOT_IN"]))
                checks.append(lambda c, i, k=col, b=banned: c[k][i] not in b)
        else:
            checks.append(lambda c, i, k=col, v=get_string_id(value): c[k][i] == v)
    if not checks:
        return lambda c, i: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda c, i: first(c, i) and second(c, i)
    return lambda c, i: all(check(c, i) for check in checks)


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
                    need = need | frozenset(map(get_string_id, dep["IN"] if isinstance(dep, dict) and "IN" in dep
                                                else [dep] if isinstance(dep, str) else []))
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
                for v in dict.fromkeys(map(get_string_id, values)):
                    self._index[attr][v].append(entry)
                break
            else:
                self._unindexed.append(entry)

    def __call__(self, doc) -> list[tuple[str, list[int]]]:
        out = []
        lemma_idx, lower_idx, pos_idx = (self._index[a] for a in _INDEXABLE)
        unindexed = self._unindexed
        tree = _Tree(doc)
        cols, children = tree.cols, tree.children
        lemmas, lowers, poses, deps = (cols[_COLUMN[a]] for a in ("LEMMA", "LOWER", "POS", "DEP"))
        for i in range(tree.n):
            cands = []
            for found in (lemma_idx.get(lemmas[i]), lower_idx.get(lowers[i]), pos_idx.get(poses[i]), unindexed):
                if found:
                    cands.extend(found)
            if not cands:
                continue
            child_deps = None
            for key, nodes, need in cands:
                if need:
                    # cheap precheck: the anchor needs a child with one of these deps
                    if child_deps is None:
                        child_deps = {deps[c] for c in children[i]}
                    if not (need & child_deps):
                        continue
                if nodes[0][2](cols, i):
                    if len(nodes) == 1:
                        out.append((key, [i]))
                    else:
                        self._extend(tree, key, nodes, [i], out)
        return out

    def _extend(self, tree, key, nodes, bound, out):
        k = len(bound)
        parent, op, pred = nodes[k]
        last = k + 1 == len(nodes)
        cols = tree.cols
        for child in op(tree, bound[parent]):
            if child in bound or not pred(cols, child):
                continue
            if last:
                out.append((key, bound + [child]))
                continue
            bound.append(child)
            self._extend(tree, key, nodes, bound, out)
            bound.pop()
