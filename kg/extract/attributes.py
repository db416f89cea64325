"""The model's ``attribute_ruler`` as lookup tables.

spaCy's AttributeRuler runs a general token Matcher over every token for
rules that are almost all single-token equality tests ("TAG is NN" → POS
NOUN; "LOWER is 's and TAG is POS" → LEMMA 's). In ``en_core_web_sm`` that
Matcher costs about as much as the tagger, parser and lemmatizer together.

:class:`TableAttributeRuler` applies the same rules with the same precedence
(a later rule overrides an earlier one, as in ``AttributeRuler.match``) by
looking up each token's values in dictionaries keyed on the rule's attributes,
and gives the same result (``tests/test_attributes.py`` compares every token
attribute with the original on real text). Rules it cannot express as equality
tests make :func:`compile_rules` raise :class:`UnsupportedRules`, and
``kg.nlp.load_nlp`` then keeps the model's own component.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from spacy.attrs import DEP, IS_SPACE, LOWER, NORM, ORTH, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import normalize_token_attrs, set_token_attrs

__all__ = ["TableAttributeRuler", "UnsupportedRules", "compile_rules"]

# token attributes a rule may test, with the ``Doc.to_array`` column that holds them
_TESTS = {"TAG": TAG, "LOWER": LOWER, "ORTH": ORTH, "TEXT": ORTH, "NORM": NORM, "DEP": DEP, "IS_SPACE": IS_SPACE}


class UnsupportedRules(ValueError):
    """The ruler has a rule that is not a conjunction of equality tests."""


def _ids(attr: str, value) -> frozenset:
    if attr == "IS_SPACE":
        if not isinstance(value, bool):
            raise UnsupportedRules(f"{attr} test with {value!r}")
        return frozenset({int(value)})
    if not isinstance(value, str):
        raise UnsupportedRules(f"{attr} test with {value!r}")
    return frozenset({get_string_id(value)})


def _test(column: int, attr: str, value) -> tuple:
    """``(column, op, data)``: op is "in" (accepted ids), "not_in" or "re" (a compiled regex)."""
    if not isinstance(value, dict):
        return column, "in", _ids(attr, value)
    if len(value) != 1:
        raise UnsupportedRules(f"{attr} test with {value!r}")
    (op, arg), = value.items()
    if op in ("IN", "NOT_IN") and isinstance(arg, (list, tuple)):
        return column, op.lower(), frozenset().union(*(_ids(attr, v) for v in arg))
    if op == "REGEX" and isinstance(arg, str) and attr != "IS_SPACE":
        return column, "re", re.compile(arg)
    raise UnsupportedRules(f"{attr} test with {value!r}")


def compile_rules(rules: list[dict]):
    """``AttributeRuler.patterns`` → (columns, first-token tables).

    A table is keyed by the columns of the first token's "in" tests; it maps
    their values (a tuple) to ``(rule id, remaining tests of the first token,
    tests of each following token, index of the token to change, pattern
    length)`` entries, in rule order. A pattern whose first token has no "in"
    test sits under the empty key and is tried at every token.
    """
    columns: list[int] = []

    def col(attr: str) -> int:
        if attr not in _TESTS:
            raise UnsupportedRules(f"test on {attr}")
        c = _TESTS[attr]
        if c not in columns:
            columns.append(c)
        return columns.index(c)

    tables: dict[tuple[int, ...], dict[tuple, list]] = {}
    for rule_id, rule in enumerate(rules):
        for pattern in rule["patterns"]:
            if not pattern or not all(isinstance(spec, dict) and spec and "OP" not in spec for spec in pattern):
                raise UnsupportedRules("empty token test or operator in a pattern")
            tests = [tuple(_test(col(a), a, v) for a, v in sorted(spec.items())) for spec in pattern]
            index = rule.get("index", 0)
            if not -len(pattern) <= index < len(pattern):
                raise UnsupportedRules(f"index {index} outside a pattern of {len(pattern)} tokens")
            keyed = [t for t in tests[0] if t[1] == "in"]
            others = tuple(t for t in tests[0] if t[1] != "in")
            keyset = tuple(c for c, _, _ in keyed)
            entry = (rule_id, others, tuple(tests[1:]), index % len(pattern), len(pattern))
            for key in itertools.product(*(sorted(ids) for _, _, ids in keyed)):
                tables.setdefault(keyset, {}).setdefault(key, []).append(entry)
    return columns, tables


class TableAttributeRuler:
    """Drop-in for a trained pipeline's ``attribute_ruler`` (see the module docstring)."""

    def __init__(self, vocab, rules: list[dict] | None = None, attrs: list[dict] | None = None):
        self.vocab = vocab
        self.columns: list[int] = []
        self.tables: dict = {}
        self.attrs: list[dict] = []
        self._merged: dict[tuple[int, ...], dict] = {}
        self._regex_cache: dict[tuple[str, int], bool] = {}
        if rules:
            self.set_rules(rules, attrs)

    def set_rules(self, rules: list[dict], attrs: list[dict] | None = None) -> None:
        """Compile ``rules`` (``AttributeRuler.patterns``); ``attrs`` as the ruler stores them."""
        self.columns, self.tables = compile_rules(rules)
        # int keys, MORPH already in the morphology table
        self.attrs = attrs if attrs is not None else [normalize_token_attrs(self.vocab, dict(r["attrs"])) for r in rules]
        self._merged = {}

    def copy_ruler(self, ruler) -> None:
        """Take the rules of a pipeline's AttributeRuler (raises UnsupportedRules)."""
        self.set_rules(ruler.patterns, [dict(a) for a in ruler.attrs])

    def _holds(self, values, i: int, tests) -> bool:
        for c, op, data in tests:
            v = values[c][i]
            if op == "in":
                if v not in data:
                    return False
            elif op == "not_in":
                if v in data:
                    return False
            elif not self._regex_holds(data, v):
                return False
        return True

    def _regex_holds(self, regex, value: int) -> bool:
        key = (regex.pattern, value)
        found = self._regex_cache.get(key)
        if found is None:
            found = self._regex_cache[key] = bool(regex.search(self.vocab.strings[value]))
        return found

    def _keyless_positions(self, values, first) -> Iterable[int]:
        """Tokens where a pattern whose first token has no "in" test may start: its first
        regex test, checked once per distinct value of the document."""
        for c, op, data in first:
            if op == "re":
                col = values[c]
                good = {v for v in set(col) if self._regex_holds(data, v)}
                return [i for i, v in enumerate(col) if v in good] if good else []
        return range(len(values[0]))

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n or not self.tables:
            return doc
        values = doc.to_array(self.columns).reshape(n, len(self.columns)).T.tolist()
        hits: dict[int, list[int]] = {}

        def attempt(i, entry):
            rule_id, first, rest, index, length = entry
            if first and not self._holds(values, i, first):
                return
            if rest and (i + length > n or not all(
                    self._holds(values, i + k, test) for k, test in enumerate(rest, 1))):
                return
            hits.setdefault(i + index, []).append(rule_id)

        for keyset, table in self.tables.items():
            if not keyset:
                for entry in table[()]:
                    for i in self._keyless_positions(values, entry[1]):
                        attempt(i, entry)
                continue
            for i, key in enumerate(zip(*[values[c] for c in keyset])):
                entries = table.get(key)
                if entries is not None:
                    for entry in entries:
                        attempt(i, entry)
        merged = self._merged
        for i, rule_ids in hits.items():
            # AttributeRuler applies matches sorted by rule id: a later rule overrides
            key = tuple(sorted(rule_ids))
            attrs = merged.get(key)
            if attrs is None:
                attrs = merged[key] = {}
                for rule_id in key:
                    attrs.update(self.attrs[rule_id])
            set_token_attrs(doc[i], attrs)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)
