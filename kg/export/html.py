"""Self-contained, offline, interactive HTML explorer for a built graph.

The page is pyvis's page (its template rendered as ``Network(cdn_resources="in_line").generate_html()``
would, without importing pyvis, which pulls in networkx and IPython) post-processed so that it
makes no network request at all: every ``<link>``/``<script src>`` pointing at a CDN is removed,
vis-network's JS and CSS come inlined from pyvis's bundled copy, and a Content-Security-Policy
``<meta>`` forbids any other load.

What is drawn
    * nodes: entities (a ``kg:`` type that is not Article/Evidence/OpenRelation/MergeRecord and an
      ``rdfs:label``), coloured by their most specific class; events (``kg:Event`` and subclasses)
      as small diamonds;
    * edges: ``kg:`` triples between two drawn nodes, labelled by the predicate's local name;
      symmetric predicates (``kg:met``, or any ``owl:SymmetricProperty`` in the graph), asserted
      both ways, are drawn once without arrows.

Untrusted text (labels, sentences, article titles) never reaches the page as markup: the explorer's
data is JSON inside ``<script type="application/json" id="kg-data">`` with ``<``, ``>`` and ``&``
escaped as ``\\u003c`` ..., pyvis's own node/edge JSON goes through Jinja's html-safe ``tojson``,
static HTML is escaped with :func:`html.escape`, and the inlined explorer script writes to the
DOM with ``textContent`` only. Nodes and edges carry no ``title`` (vis may render it as HTML).

Above ``max_nodes`` drawable nodes only the best-connected ones are kept (``#kg-notice`` says so);
above :data:`LAYOUT_THRESHOLD` drawn nodes the layout is precomputed in Python (a vectorised
Fruchterman-Reingold with a fixed seed; no scipy needed) and physics is off. Smaller graphs use
vis physics with stabilisation, switched off once stabilised. When the network is ready the page
sets ``window.kgReady = true`` and exposes ``window.kgNetwork`` and ``window.kgExplorer``.
"""

from __future__ import annotations

import html as _html
import json
import math
import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable, Iterator

from rdflib import Literal, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from . import atomic_write

__all__ = ["write_html", "render_html", "DEFAULT_MAX_NODES", "LAYOUT_THRESHOLD", "PALETTE"]

KG_NS = "https://w3id.org/kg-news/ontology#"
# Local constant (not kg.ontology.KG) so this module does not depend on the ontology's term list.
KG = Namespace(KG_NS)

DEFAULT_MAX_NODES = 1000
LAYOUT_THRESHOLD = 300  # above this many drawn nodes the layout is computed in Python
LAYOUT_ITERATIONS = 50
LAYOUT_SEED = 42

#: Fixed colour per class local name; unknown classes inherit from a known ancestor, else FALLBACK_COLOR.
PALETTE: dict[str, str] = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "MilitaryUnit": "#e15759",
    "Place": "#76b7b2",
    "Country": "#59a14f",
    "City": "#8cd17d",
    "Region": "#b6992d",
    "Facility": "#9c755f",
    "Equipment": "#bab0ac",
    "Vessel": "#17becf",
    "Aircraft": "#b07aa1",
    "Weapon": "#ff9da7",
    "Event": "#edc948",
    "Meeting": "#f1ce63",
    "Visit": "#d4a6c8",
    "Inspection": "#d37295",
    "Briefing": "#fabfd2",
}
FALLBACK_COLOR = "#c7c7c7"

# Mirrors ontology/kg.ttl; used because instance data carries no rdfs:subClassOf triples
# (any kg: subClassOf triples in the input graph are added to these).
_BUILTIN_PARENTS: dict[str, tuple[str, ...]] = {
    "Person": ("Entity",),
    "Organization": ("Entity",),
    "Place": ("Entity",),
    "Equipment": ("Entity",),
    "MilitaryUnit": ("Organization",),
    "Country": ("Place",),
    "City": ("Place",),
    "Region": ("Place",),
    "Facility": ("Place",),
    "Vessel": ("Equipment",),
    "Aircraft": ("Equipment",),
    "Weapon": ("Equipment",),
    "Meeting": ("Event",),
    "Visit": ("Event",),
    "Inspection": ("Event",),
    "Briefing": ("Event",),
}
_NOT_DRAWN = frozenset({"Article", "Evidence", "OpenRelation", "MergeRecord"})
_EVENT_ROOT = "Event"
_BUILTIN_SYMMETRIC = frozenset({"met"})
_HIDDEN_LITERALS = frozenset({"position"})  # shown separately in the panel
_MAX_LABEL = 48

_EXTERNAL_REF = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


# --------------------------------------------------------------------------- public API


def render_html(graph, *, max_nodes: int = DEFAULT_MAX_NODES, title: str = "kg") -> str:
    """Return the explorer page for ``graph`` as a string: an rdflib Graph, ConjunctiveGraph or
    Dataset, or an iterable of pyoxigraph triples or quads (their union is drawn)."""
    page, _ = _render(graph, max_nodes=max_nodes, title=title)
    return page


def write_html(graph, path, *, max_nodes: int = DEFAULT_MAX_NODES, title: str = "kg") -> dict[str, Any]:
    """Write the explorer page for ``graph`` (as for :func:`render_html`) to ``path`` atomically
    and return small stats.

    Stats: ``nodes`` and ``edges`` drawn, ``total_nodes`` drawable before truncation,
    ``truncated``, ``layout`` (``"physics"`` or ``"precomputed"``), ``bytes`` and ``seconds``.
    """
    start = time.perf_counter()
    page, stats = _render(graph, max_nodes=max_nodes, title=title)
    data = page.encode("utf-8")
    atomic_write(Path(path), data)
    stats["bytes"] = len(data)
    stats["seconds"] = round(time.perf_counter() - start, 3)
    return stats


# --------------------------------------------------------------------------- reading the graph


def _local(term) -> str | None:
    text = str(term)
    return text[len(KG_NS):] if text.startswith(KG_NS) else None


class _Text(str):
    """A literal's lexical form, for triples read from pyoxigraph (only ``str()`` of literals is used)."""


_LITERAL = (Literal, _Text)


def _iter_triples(graph) -> Iterator[tuple]:
    """Every triple of the union of all graphs (Dataset/ConjunctiveGraph: all named graphs + default),
    or of an iterable of pyoxigraph triples/quads (IRIs become rdflib ``URIRef``s)."""
    if hasattr(graph, "quads"):
        for quad in graph.quads((None, None, None, None)):
            yield quad[0], quad[1], quad[2]
    elif hasattr(graph, "triples"):
        yield from graph.triples((None, None, None))
    else:
        yield from _from_oxigraph(graph)


def _from_oxigraph(items) -> Iterator[tuple]:
    from pyoxigraph import BlankNode, NamedNode

    from rdflib import BNode, URIRef

    iris: dict = {}

    def term(t):
        if type(t) is NamedNode:
            node = iris.get(t)
            if node is None:
                node = iris[t] = URIRef(t.value)
            return node
        if type(t) is BlankNode:
            return BNode(t.value)
        return _Text(t.value)

    for t in items:
        yield term(t.subject), term(t.predicate), term(t.object)


# what _Index does with a triple, by predicate
_TYPE, _LABEL, _ALT, _SUBJ, _PRED, _OBJ, _DERIVED, _TITLE, _SUBCLASS = range(9)
_DISPATCH = {RDF.type: _TYPE, RDFS.label: _LABEL, SKOS.altLabel: _ALT, RDF.subject: _SUBJ,
             RDF.predicate: _PRED, RDF.object: _OBJ, PROV.wasDerivedFrom: _DERIVED, DCTERMS.title: _TITLE,
             RDFS.subClassOf: _SUBCLASS}


class _Index:
    """One pass over the union graph, keeping only what the page needs."""

    def __init__(self, graph):
        self.types: dict[Any, set[str]] = defaultdict(set)
        self.labels: dict[Any, set[str]] = defaultdict(set)
        self.alts: dict[Any, set[str]] = defaultdict(set)
        self.lits: dict[Any, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.links: set[tuple[Any, str, Any]] = set()
        self.reif: dict[Any, dict[str, Any]] = defaultdict(dict)
        self.derived: dict[Any, set] = defaultdict(set)
        self.titles: dict[Any, set[str]] = defaultdict(set)
        self.parents: dict[str, set[str]] = defaultdict(set)
        self.symmetric: set[str] = set(_BUILTIN_SYMMETRIC)
        for child, parents in _BUILTIN_PARENTS.items():
            self.parents[child].update(parents)

        local_names: dict = {}
        for s, p, o in _iter_triples(graph):
            kind = _DISPATCH.get(p)
            if kind is None:
                name = local_names.get(p, "")
                if name == "":
                    name = local_names[p] = _local(p)
                if name is None:
                    continue
                if isinstance(o, _LITERAL):
                    self.lits[s][name].add(str(o))
                else:
                    self.links.add((s, name, o))
            elif kind == _TYPE:
                cls = _local(o)
                if cls is not None:
                    self.types[s].add(cls)
                elif o == OWL.SymmetricProperty and _local(s) is not None:
                    self.symmetric.add(_local(s))
            elif kind == _LABEL:
                self.labels[s].add(str(o))
            elif kind == _ALT:
                self.alts[s].add(str(o))
            elif kind == _SUBJ:
                self.reif[s]["s"] = o
            elif kind == _PRED:
                self.reif[s]["p"] = _local(o) or str(o)
            elif kind == _OBJ:
                self.reif[s]["o"] = o
            elif kind == _DERIVED:
                self.derived[s].add(o)
            elif kind == _TITLE:
                self.titles[s].add(str(o))
            else:  # rdfs:subClassOf
                child, parent = _local(s), _local(o)
                if child is not None and parent is not None:
                    self.parents[child].add(parent)

        self._ancestors: dict[str, frozenset[str]] = {}
        self._depth: dict[str, int] = {}

    # class hierarchy -------------------------------------------------------------------------
    def ancestors(self, cls: str) -> frozenset[str]:
        """``cls`` and all its superclasses."""
        if cls not in self._ancestors:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self.parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            self._ancestors[cls] = frozenset(seen)
        return self._ancestors[cls]

    def depth(self, cls: str, _stack: frozenset = frozenset()) -> int:
        if cls not in self._depth:
            parents = [p for p in self.parents.get(cls, ()) if p not in _stack and p != cls]
            self._depth[cls] = 1 + max((self.depth(p, _stack | {cls}) for p in parents), default=-1)
        return self._depth[cls]

    def most_specific(self, classes: Iterable[str]) -> str:
        return min(classes, key=lambda c: (-self.depth(c), c))

    def color(self, cls: str) -> str:
        if cls in PALETTE:
            return PALETTE[cls]
        for anc in sorted(self.ancestors(cls), key=lambda c: (-self.depth(c), c)):
            if anc in PALETTE:
                return PALETTE[anc]
        return FALLBACK_COLOR

    # literals --------------------------------------------------------------------------------
    def lit(self, node, name: str) -> str:
        values = self.lits.get(node, {}).get(name)
        return "; ".join(sorted(values)) if values else ""

    def evidence_record(self, ev) -> dict[str, str]:
        articles = sorted(self.derived.get(ev, ()), key=str)
        article = articles[0] if articles else None
        return {
            "iri": str(ev),
            "sentence": self.lit(ev, "sentence"),
            "article": "; ".join(sorted(self.titles.get(article, ()))) if article is not None else "",
            "articleIri": str(article) if article is not None else "",
            "date": self.lit(article, "date") if article is not None else "",
            "source": self.lit(article, "sourceFile") if article is not None else "",
            "attribution": self.lit(ev, "attribution"),
            "modality": self.lit(ev, "modality"),
        }


# --------------------------------------------------------------------------- building the view


def _short(label: str) -> str:
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1].rstrip() + "\u2026"


def _darker(color: str, factor: float = 0.7) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#%02x%02x%02x" % (int(r * factor), int(g * factor), int(b * factor))


def _sort_key(term) -> tuple[str, str]:
    return (type(term).__name__, str(term))


def _build(graph, max_nodes: int) -> dict[str, Any]:
    idx = _Index(graph)

    # candidate nodes ---------------------------------------------------------------------------
    cand: dict[Any, dict[str, Any]] = {}
    for node, classes in idx.types.items():
        if any(idx.ancestors(c) & _NOT_DRAWN for c in classes):
            continue
        cls = idx.most_specific(classes)
        is_event = any(_EVENT_ROOT in idx.ancestors(c) for c in classes)
        labels = sorted(idx.labels.get(node, ()))
        if is_event:
            when = idx.lit(node, "date") or idx.lit(node, "dateText")
            label = labels[0] if labels else (f"{cls} {when}".strip())
        elif labels:
            label = labels[0]
        else:
            continue  # structural record of an unknown kind: not an entity
        names = sorted((set(labels[1:]) | idx.alts.get(node, set())) - {label})
        if is_event and idx.lit(node, "dateText"):
            names = sorted(set(names) | {idx.lit(node, "dateText")})
        cand[node] = {"class": cls, "event": is_event, "label": label or str(node), "names": names}

    # edges between candidates (symmetric predicates once) ----------------------------------------
    edge_map: dict[tuple, tuple[Any, str, Any]] = {}
    for s, p, o in sorted(idx.links, key=lambda t: (_sort_key(t[0]), t[1], _sort_key(t[2]))):
        if s == o or s not in cand or o not in cand:
            continue
        if p in idx.symmetric:
            a, b = sorted((s, o), key=_sort_key)
            key = (p, a, b)
        else:
            key = (p, s, o)
        edge_map.setdefault(key, (s, p, o))
    all_edges = list(edge_map.values())
    degree: Counter = Counter()
    for s, _, o in all_edges:
        degree[s] += 1
        degree[o] += 1

    # truncation ------------------------------------------------------------------------------------
    ordered = sorted(cand, key=lambda n: (-degree[n], cand[n]["label"].casefold(), _sort_key(n)))
    kept_list = ordered[:max_nodes]
    kept = set(kept_list)
    edges = [e for e in all_edges if e[0] in kept and e[2] in kept]

    # evidence ------------------------------------------------------------------------------------
    ev_by_spo: dict[tuple, set] = defaultdict(set)
    for ev, r in idx.reif.items():
        if "s" in r and "p" in r and "o" in r:
            ev_by_spo[(r["s"], r["p"], r["o"])].add(ev)
    event_evidence: dict[Any, set] = defaultdict(set)
    for s, p, o in idx.links:
        if p == "evidence" and s in cand:
            event_evidence[s].add(o)

    def records(evs: Iterable) -> list[dict[str, str]]:
        # A symmetric fact gets one record per direction for the same sentence: show it once.
        unique: dict[tuple, dict[str, str]] = {}
        for ev in sorted(evs, key=_sort_key):
            rec = idx.evidence_record(ev)
            key = (rec["articleIri"], idx.lit(ev, "charStart"), rec["sentence"], rec["attribution"], rec["modality"])
            unique.setdefault(key, rec)
        return sorted(unique.values(), key=lambda r: (r["date"], r["article"], r["sentence"], r["iri"]))

    # per-node facts (other end may be an undrawn entity) -----------------------------------------
    facts: dict[Any, dict[tuple, dict[str, Any]]] = defaultdict(dict)
    for s, p, o in all_edges:
        sym = p in idx.symmetric
        for me, other, direction in ((s, o, "out"), (o, s, "in")):
            if me in kept:
                facts[me][(p, str(other))] = {
                    "p": p,
                    "dir": "both" if sym else direction,
                    "other": cand[other]["label"],
                    "id": str(other) if other in kept else None,
                }

    ids = {n: str(n) for n in kept_list}
    nodes_out: dict[str, dict[str, Any]] = {}
    for n in kept_list:
        info = cand[n]
        attrs = [
            {"p": name, "value": "; ".join(sorted(values))}
            for name, values in sorted(idx.lits.get(n, {}).items())
            if name not in _HIDDEN_LITERALS
        ]
        node_facts = sorted(facts[n].values(), key=lambda f: (f["p"], f["other"].casefold(), f["dir"]))
        nodes_out[ids[n]] = {
            "label": info["label"],
            "class": info["class"],
            "event": info["event"],
            "names": info["names"],
            "positions": sorted(idx.lits.get(n, {}).get("position", ())),
            "attrs": attrs,
            "facts": node_facts,
            "degree": degree[n],
            "evidence": records(event_evidence[n]) if info["event"] else [],
        }

    edges_out: list[dict[str, Any]] = []
    for i, (s, p, o) in enumerate(edges):
        evs = set(ev_by_spo.get((s, p, o), ()))
        sym = p in idx.symmetric
        if sym:
            evs |= ev_by_spo.get((o, p, s), set())
        if not evs and cand[s]["event"]:
            evs = event_evidence[s]
        edges_out.append(
            {"id": f"e{i}", "from": ids[s], "to": ids[o], "p": p, "symmetric": sym, "evidence": records(evs)}
        )

    class_counts = Counter(cand[n]["class"] for n in kept_list)
    classes = [
        {"name": c, "color": idx.color(c), "count": class_counts[c], "event": any(cand[n]["event"] for n in kept_list if cand[n]["class"] == c)}
        for c in sorted(class_counts)
    ]
    pred_counts = Counter(e["p"] for e in edges_out)
    predicates = [{"name": p, "count": pred_counts[p]} for p in sorted(pred_counts)]
    return {
        "index": idx,
        "kept": kept_list,
        "ids": ids,
        "cand": cand,
        "degree": degree,
        "nodes": nodes_out,
        "edges": edges_out,
        "classes": classes,
        "predicates": predicates,
        "total": len(cand),
        "truncated": len(cand) > len(kept_list),
    }


# --------------------------------------------------------------------------- layout


def _layout(n: int, pairs: list[tuple[int, int]], *, iterations: int = LAYOUT_ITERATIONS, seed: int = LAYOUT_SEED):
    """Fruchterman-Reingold on dense numpy arrays (same model as networkx's, without its scipy path).

    ~5 ms per iteration for 1000 nodes. Returns pixel coordinates (lists of x and y)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.random(n).astype(np.float32)
    y = rng.random(n).astype(np.float32)
    # The attraction term adj * sqrt(d2) * -1/k is zero off the edges, and adding a zero to the
    # repulsion k2/d2 leaves it unchanged: compute it only at the edge entries (same float32
    # operations in the same order there, so the layout is bit for bit that of the dense form).
    rows = cols = np.zeros(0, dtype=np.intp)
    if pairs:
        a = np.fromiter((i for i, _ in pairs), dtype=np.intp, count=len(pairs))
        b = np.fromiter((j for _, j in pairs), dtype=np.intp, count=len(pairs))
        adj = np.zeros((n, n), dtype=bool)
        adj[a, b] = True
        adj[b, a] = True
        rows, cols = np.nonzero(adj)
        del adj
    k = np.float32(math.sqrt(1.0 / max(n, 1)))
    k2, inv_k = k * k, np.float32(1.0) / k
    minus_inv_k = -inv_k
    temp = 0.1
    step = temp / (iterations + 1)
    dx = np.empty((n, n), dtype=np.float32)
    dy = np.empty((n, n), dtype=np.float32)
    d2 = np.empty((n, n), dtype=np.float32)
    force = np.empty((n, n), dtype=np.float32)
    for _ in range(iterations):
        np.subtract(x[:, None], x[None, :], out=dx)
        np.subtract(y[:, None], y[None, :], out=dy)
        np.multiply(dx, dx, out=d2)
        np.multiply(dy, dy, out=force)
        d2 += force
        np.maximum(d2, np.float32(1e-4), out=d2)
        np.divide(k2, d2, out=force)
        if rows.size:
            e2 = d2[rows, cols]
            force[rows, cols] = np.sqrt(e2) * minus_inv_k + k2 / e2
        np.multiply(dx, force, out=dx)
        np.multiply(dy, force, out=dy)
        _move(x, y, dx.sum(axis=1), dy.sum(axis=1), temp)
        temp -= step
    return _pixels(x, y, n)


def _move(x, y, px, py, temp: float) -> None:
    """One layout step: move each node along its net force, by at most ``temp``."""
    import numpy as np

    length = np.sqrt(px * px + py * py)
    np.maximum(length, np.float32(0.01), out=length)
    scale = np.float32(temp) / length
    x += px * scale
    y += py * scale


def _pixels(x, y, n: int):
    """Layout coordinates centred and scaled to pixels (lists of x and y)."""
    import numpy as np

    x -= x.mean()
    y -= y.mean()
    extent = float(max(np.abs(x).max(initial=0.0), np.abs(y).max(initial=0.0))) or 1.0
    size = 40.0 * math.sqrt(n)
    return [round(float(v) / extent * size, 1) for v in x], [round(float(v) / extent * size, 1) for v in y]


# --------------------------------------------------------------------------- page assembly


def _pyvis_templates() -> Path:
    """pyvis's template folder, found without importing pyvis (its import pulls in networkx and
    IPython: about 0.15 s of every build)."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed: pip install 'pyvis>=0.3.2,<0.4'")
    return Path(list(spec.submodule_search_locations)[0]) / "templates"


def _pyvis_page(nodes: list[dict], edges: list[dict], options: dict[str, Any]) -> str:
    """What ``pyvis.network.Network(height="100%", width="100%", directed=True,
    cdn_resources="in_line", heading="")`` with ``options`` and these nodes and edges returns
    from ``generate_html()``: pyvis's own template, rendered with the values pyvis passes
    (tests/test_html.py checks the two pages are equal byte for byte)."""
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(str(_pyvis_templates()) + "/"))
    return env.get_template("template.html").render(
        height="100%", width="100%", nodes=nodes, edges=edges, heading="", options=json.dumps(options),
        physics_enabled=options["physics"]["enabled"], use_DOT=False, dot_lang="", widget=False,
        bgcolor="#ffffff", conf=False, tooltip_link=False, neighborhood_highlight=False, select_menu=False,
        filter_menu=False, notebook=False, cdn_resources="in_line")


def _options(physics: bool, large: bool) -> dict[str, Any]:
    return {
        "autoResize": True,
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -80,
                "centralGravity": 0.01,
                "springLength": 140,
                "springConstant": 0.06,
                "avoidOverlap": 0.5,
            },
            "stabilization": {"enabled": physics, "iterations": 600, "updateInterval": 25, "fit": True},
        },
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": not large},
        "interaction": {
            "hover": True,
            "tooltipDelay": 300,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": False,
        },
        "nodes": {
            "shape": "dot",
            "borderWidth": 1.5,
            "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#222", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"min": 10, "max": 34, "label": {"enabled": True, "min": 12, "max": 22, "drawThreshold": 6 if large else 4}},
        },
        "edges": {
            "width": 1.4,
            "selectionWidth": 2.5,
            "color": {"color": "#9aa4ad", "highlight": "#2b2b2b", "hover": "#5b6670", "inherit": False},
            "font": {"size": 11, "face": "system-ui, sans-serif", "color": "#555", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
            "smooth": {"enabled": False},
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}},
        },
    }


def _json_for_html(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _e(text: Any) -> str:
    return _html.escape(str(text), quote=True)


def _render(graph, *, max_nodes: int, title: str) -> tuple[str, dict[str, Any]]:
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive integer, not {max_nodes!r}")
    start = time.perf_counter()
    view = _build(graph, max_nodes)
    kept, ids, cand = view["kept"], view["ids"], view["cand"]
    idx: _Index = view["index"]
    n_drawn = len(kept)
    large = n_drawn > LAYOUT_THRESHOLD
    physics = not large

    positions = None
    if large:
        where = {ids[n]: i for i, n in enumerate(kept)}
        positions = _layout(n_drawn, [(where[e["from"]], where[e["to"]]) for e in view["edges"]])

    # the node and edge records pyvis's add_node/add_edge would make (Node/Edge options)
    vis_nodes: list[dict[str, Any]] = []
    for i, n in enumerate(kept):
        info = cand[n]
        color = idx.color(info["class"])
        node: dict[str, Any] = {
            "color": {
                "background": color,
                "border": _darker(color),
                "highlight": {"background": color, "border": "#111111"},
                "hover": {"background": color, "border": "#111111"},
            },
            "value": 0 if info["event"] else view["degree"][n],
            "kgClass": info["class"],
        }
        if positions is not None:
            node.update(x=positions[0][i], y=positions[1][i])
        node.update(id=ids[n], label=_short(info["label"]) or ids[n], shape="diamond" if info["event"] else "dot")
        vis_nodes.append(node)
    # Several edges between the same pair: curve them apart so each stays clickable.
    per_pair: Counter = Counter()
    pair_seen: Counter = Counter()
    for e in view["edges"]:
        per_pair[frozenset((e["from"], e["to"]))] += 1
    vis_edges: list[dict[str, Any]] = []
    for e in view["edges"]:
        pair = frozenset((e["from"], e["to"]))
        edge: dict[str, Any] = {
            "id": e["id"],
            "label": e["p"],
            "kgPred": e["p"],
            "arrows": {"to": {"enabled": not e["symmetric"], "scaleFactor": 0.5}},
        }
        if per_pair[pair] > 1:
            pair_seen[pair] += 1
            k = pair_seen[pair]
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if k % 2 else "curvedCCW", "roundness": 0.15 * ((k + 1) // 2)}
        edge.update({"from": e["from"], "to": e["to"]})
        vis_edges.append(edge)

    page = _pyvis_page(vis_nodes, vis_edges, _options(physics, large))

    data = {
        "nodes": view["nodes"],
        "edges": {e["id"]: {k: v for k, v in e.items() if k != "id"} for e in view["edges"]},
        "classes": view["classes"],
        "predicates": view["predicates"],
        "meta": {
            "physics": physics,
            "drawn": n_drawn,
            "total": view["total"],
            "truncated": view["truncated"],
            "colors": {c["name"]: c["color"] for c in view["classes"]},
        },
    }
    page = _assemble(page, data, view, title=title, max_nodes=max_nodes)
    stats = {
        "nodes": n_drawn,
        "edges": len(view["edges"]),
        "total_nodes": view["total"],
        "truncated": view["truncated"],
        "layout": "precomputed" if large else "physics",
        "seconds": round(time.perf_counter() - start, 3),
    }
    return page, stats


def _chrome(data: dict[str, Any], view: dict[str, Any], *, title: str, max_nodes: int) -> str:
    """The explorer's static HTML: header with search, notice, legend + filters, side panel, data, script."""
    parts = [
        '<div id="kg-header">',
        f'<span id="kg-title">{_e(title)}</span>',
        '<input type="search" id="kg-search" placeholder="Find an entity by any name\u2026" '
        'autocomplete="off" spellcheck="false" aria-label="Find an entity by any of its names">',
        '<span id="kg-search-status" aria-live="polite"></span>',
        f'<span id="kg-stats">{len(view["kept"])} entities \u00b7 {len(view["edges"])} relations</span>',
        "</div>",
    ]
    if view["truncated"]:
        parts.append(
            f'<div id="kg-notice" role="status">Showing the {len(view["kept"])} most connected of '
            f'{view["total"]} entities; rebuild with --max-nodes to change</div>'
        )
    parts.append('<div id="kg-sidebar"><h3>Classes</h3><ul id="kg-legend">')
    for c in view["classes"]:
        shape = " kg-swatch-event" if c["event"] else ""
        parts.append(
            f'<li class="kg-legend-item" data-class="{_e(c["name"])}"><label>'
            f'<input type="checkbox" class="kg-class-filter" value="{_e(c["name"])}" checked>'
            f'<span class="kg-swatch{shape}" style="background:{_e(c["color"])}"></span>'
            f'<span class="kg-legend-name">{_e(c["name"])}</span> <span class="kg-count">{c["count"]}</span>'
            "</label></li>"
        )
    parts.append('</ul><h3>Relations</h3><ul id="kg-predicates">')
    for p in view["predicates"]:
        parts.append(
            f'<li class="kg-pred-item" data-predicate="{_e(p["name"])}"><label>'
            f'<input type="checkbox" class="kg-pred-filter" value="{_e(p["name"])}" checked>'
            f'<span class="kg-legend-name">{_e(p["name"])}</span> <span class="kg-count">{p["count"]}</span>'
            "</label></li>"
        )
    parts.append("</ul></div>")
    empty = "" if view["kept"] else '<p id="kg-empty">No entities to draw.</p>'
    parts.append(
        '<div id="kg-panel" aria-live="polite"><p class="kg-hint">Click an entity or a relation to see '
        f"its names, facts and evidence.</p>{empty}</div>"
    )
    parts.append(f'<script type="application/json" id="kg-data">{_json_for_html(data)}</script>')
    parts.append(f"<script>{_EXPLORER_JS}</script>")
    return "\n".join(parts)


def _assemble(page: str, data: dict[str, Any], view: dict[str, Any], *, title: str, max_nodes: int) -> str:
    # 1. No network: drop every tag that loads from a URL (pyvis adds bootstrap from a CDN even in
    #    in_line mode) and the commented-out node_modules block.
    page = re.sub(r"<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>", "", page, flags=re.I)
    page = re.sub(
        r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>\s*</script\s*>", "", page, flags=re.I
    )
    page = re.sub(r"<!--(?:(?!-->).)*?node_modules(?:(?!-->).)*?-->", "", page, flags=re.S)
    page = re.sub(r"//# sourceMappingURL=[^\s<'\"]+", "", page)  # DevTools would try to fetch the map
    # 2. pyvis's empty <h1> headings.
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)

    head_open = page.find('<meta charset="utf-8">')
    head_close = page.rfind("</head>")
    body_open = page.find("<body>", head_close)
    draw_call = page.rfind("drawGraph();")
    if min(head_open, head_close, body_open, draw_call) < 0 or not (head_open < head_close < body_open < draw_call):
        raise RuntimeError("unexpected pyvis template: cannot assemble the HTML explorer")

    top = 48 + (30 if view["truncated"] else 0)
    head_extra = (
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
    )
    style = f"<style>:root{{--kg-top:{top}px}}\n{_EXPLORER_CSS}</style>\n"
    meta_end = head_open + len('<meta charset="utf-8">')
    body_end = body_open + len("<body>")
    draw_end = draw_call + len("drawGraph();")
    page = (
        "<!DOCTYPE html>\n"
        + page[:meta_end]
        + "\n"
        + head_extra
        + page[meta_end:head_close]
        + style
        + page[head_close:body_end]
        + "\n"
        + _chrome(data, view, title=title, max_nodes=max_nodes)
        + page[body_end:draw_end]
        + "\n              kgInit(network);"
        + page[draw_end:]
    )
    if _EXTERNAL_REF.search(page):
        raise RuntimeError("HTML explorer would reference an external resource")
    return page


# Everything the page needs is inline; nothing may be fetched. 'unsafe-eval' is only there so that
# tools evaluating strings in the page (Playwright's wait_for_function, devtools snippets) keep working;
# the page itself never evaluates strings.
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)

_EXPLORER_CSS = r"""
html, body { margin: 0; padding: 0; height: 100%; overflow: hidden;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; background: #fff; }
#kg-header { position: fixed; top: 0; left: 0; right: 0; height: 48px; box-sizing: border-box;
  display: flex; align-items: center; gap: 12px; padding: 0 14px; background: #263238; color: #eceff1; z-index: 3; }
#kg-title { font-weight: 600; font-size: 16px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 30%; }
#kg-search { flex: 0 1 340px; min-width: 160px; padding: 6px 10px; border-radius: 4px; border: 1px solid #90a4ae; font-size: 14px; }
#kg-search-status { font-size: 12px; color: #b0bec5; white-space: nowrap; }
#kg-stats { margin-left: auto; font-size: 12px; color: #b0bec5; white-space: nowrap; }
#kg-notice { position: fixed; top: 48px; left: 0; right: 0; height: 30px; line-height: 30px; box-sizing: border-box;
  padding: 0 14px; background: #fff3cd; color: #664d03; border-bottom: 1px solid #ffe69c; font-size: 13px; z-index: 3;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#kg-sidebar { position: fixed; top: var(--kg-top); bottom: 0; left: 0; width: 210px; box-sizing: border-box;
  overflow: auto; padding: 8px 12px; border-right: 1px solid #e0e0e0; background: #fafafa; z-index: 2; }
#kg-sidebar h3, #kg-panel h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: #607d8b; margin: 12px 0 6px; }
#kg-sidebar ul { list-style: none; margin: 0; padding: 0; }
#kg-sidebar li label { display: flex; align-items: center; gap: 6px; padding: 2px 0; cursor: pointer; }
.kg-swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%; border: 1px solid rgba(0,0,0,.35); flex: none; }
.kg-swatch-event { border-radius: 1px; transform: rotate(45deg) scale(.85); }
.kg-count { color: #90a4ae; font-size: 12px; margin-left: auto; }
.kg-legend-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#mynetwork { position: fixed !important; top: var(--kg-top) !important; left: 210px !important; right: 360px !important;
  bottom: 0 !important; width: auto !important; height: auto !important; float: none !important; border: 0 !important; }
#loadingBar { position: fixed !important; top: var(--kg-top) !important; left: 210px !important; right: 360px !important;
  bottom: 0 !important; width: auto !important; height: auto !important; z-index: 2; }
#loadingBar div.outerBorder { top: 40%; width: 80%; max-width: 600px; }
#kg-panel { position: fixed; top: var(--kg-top); bottom: 0; right: 0; width: 360px; box-sizing: border-box; overflow: auto;
  padding: 10px 14px 24px; border-left: 1px solid #e0e0e0; background: #fff; z-index: 2; overflow-wrap: anywhere; }
#kg-panel h2 { font-size: 18px; margin: 4px 0 8px; }
#kg-panel ul { margin: 0; padding-left: 18px; }
#kg-panel li { margin: 2px 0; }
.kg-hint, #kg-empty { color: #78909c; }
.kg-panel-head { display: flex; align-items: center; gap: 6px; color: #546e7a; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.kg-pred { color: #37474f; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; background: #eceff1; padding: 0 4px; border-radius: 3px; }
.kg-dir { color: #90a4ae; margin: 0 4px; }
.kg-link { background: none; border: 0; padding: 0; color: #1565c0; cursor: pointer; font: inherit; text-align: left; text-decoration: underline dotted; }
.kg-evidence { border-left: 3px solid #b0bec5; margin: 8px 0 12px; padding: 2px 0 2px 10px; }
.kg-sentence { margin: 0 0 4px; font-style: italic; }
.kg-source, .kg-meta { font-size: 12px; color: #546e7a; }
.kg-modality-negated, .kg-modality-hedged { color: #b71c1c; font-weight: 600; }
.kg-iri { font-size: 11px; color: #90a4ae; margin-top: 16px; }
"""

_EXPLORER_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var network = null, nodeSet = null, edgeSet = null;
  var classOn = {}, predOn = {};
  var panel = document.getElementById("kg-panel");
  var status = document.getElementById("kg-search-status");

  // DOM helpers: all data goes through textContent, never innerHTML.
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function section(title) {
    var s = el("section", "kg-section");
    s.appendChild(el("h3", null, title));
    panel.appendChild(s);
    return s;
  }
  function swatch(cls, isEvent) {
    var s = el("span", "kg-swatch" + (isEvent ? " kg-swatch-event" : ""));
    s.style.background = DATA.meta.colors[cls] || "#c7c7c7";
    return s;
  }
  function nodeRef(id, text) {
    if (id && DATA.nodes[id]) {
      var b = el("button", "kg-link", text);
      b.type = "button";
      b.addEventListener("click", function () { selectNode(id, true); });
      return b;
    }
    return el("span", null, text);
  }
  function evidenceList(parent, evidence) {
    if (!evidence.length) { parent.appendChild(el("p", "kg-hint", "No evidence records.")); return; }
    evidence.forEach(function (ev) {
      var box = el("div", "kg-evidence");
      box.appendChild(el("p", "kg-sentence", ev.sentence || "(no sentence)"));
      var src = [ev.article || ev.source || "(untitled article)"];
      if (ev.date) src.push(ev.date);
      box.appendChild(el("div", "kg-source", src.join(" \u00b7 ")));
      if (ev.attribution) box.appendChild(el("div", "kg-meta kg-attribution", "Attribution: " + ev.attribution));
      if (ev.modality) {
        var m = el("div", "kg-meta", "Modality: ");
        m.appendChild(el("span", "kg-modality-" + String(ev.modality).replace(/[^a-z]/gi, ""), ev.modality));
        box.appendChild(m);
      }
      parent.appendChild(box);
    });
  }

  function showHelp() {
    clear(panel);
    panel.appendChild(el("p", "kg-hint", "Click an entity or a relation to see its names, facts and evidence."));
  }

  function showNode(id) {
    var n = DATA.nodes[id];
    if (!n) return;
    clear(panel);
    panel.setAttribute("data-kind", "node");
    panel.setAttribute("data-id", id);
    var head = el("div", "kg-panel-head");
    head.appendChild(swatch(n["class"], n.event));
    head.appendChild(el("span", "kg-class", n["class"]));
    panel.appendChild(head);
    panel.appendChild(el("h2", "kg-name", n.label));
    if (n.names.length) {
      var ul = el("ul", "kg-names");
      n.names.forEach(function (name) { ul.appendChild(el("li", null, name)); });
      section("Other names").appendChild(ul);
    }
    if (n.positions.length) {
      var pl = el("ul", "kg-positions");
      n.positions.forEach(function (p) { pl.appendChild(el("li", null, p)); });
      section(n.positions.length > 1 ? "Positions" : "Position").appendChild(pl);
    }
    if (n.attrs.length) {
      var al = el("ul", "kg-attrs");
      n.attrs.forEach(function (a) {
        var li = el("li");
        li.appendChild(el("span", "kg-pred", a.p));
        li.appendChild(el("span", null, " " + a.value));
        al.appendChild(li);
      });
      section("Details").appendChild(al);
    }
    var fs = section("Facts (" + n.facts.length + ")");
    if (!n.facts.length) fs.appendChild(el("p", "kg-hint", "No relations."));
    else {
      var fl = el("ul", "kg-facts");
      n.facts.forEach(function (f) {
        var li = el("li");
        li.appendChild(el("span", "kg-pred", f.p));
        li.appendChild(el("span", "kg-dir", f.dir === "in" ? "\u2190" : (f.dir === "both" ? "\u2194" : "\u2192")));
        li.appendChild(nodeRef(f.id, f.other));
        fl.appendChild(li);
      });
      fs.appendChild(fl);
    }
    if (n.event) evidenceList(section("Evidence (" + n.evidence.length + ")"), n.evidence);
    panel.appendChild(el("div", "kg-iri", id));
  }

  function showEdge(eid) {
    var e = DATA.edges[eid];
    if (!e) return;
    clear(panel);
    panel.setAttribute("data-kind", "edge");
    panel.setAttribute("data-id", eid);
    var head = el("div", "kg-panel-head");
    head.appendChild(el("span", null, "Relation"));
    panel.appendChild(head);
    var h = el("h2", "kg-name");
    h.appendChild(nodeRef(e.from, DATA.nodes[e.from] ? DATA.nodes[e.from].label : e.from));
    h.appendChild(el("span", "kg-dir", e.symmetric ? "\u2194" : "\u2192"));
    h.appendChild(el("span", "kg-pred", e.p));
    h.appendChild(el("span", "kg-dir", e.symmetric ? "\u2194" : "\u2192"));
    h.appendChild(nodeRef(e.to, DATA.nodes[e.to] ? DATA.nodes[e.to].label : e.to));
    panel.appendChild(h);
    evidenceList(section("Evidence (" + e.evidence.length + ")"), e.evidence);
  }

  // ---- search: any name (label or altLabel), case- and accent-insensitive substring.
  function fold(s) { return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var searchIndex = Object.keys(DATA.nodes).map(function (id) {
    var n = DATA.nodes[id];
    return { id: id, label: fold(n.label), names: n.names.map(fold) };
  });
  function scoreName(name, q) {
    if (name === q) return 100;
    var i = name.indexOf(q);
    if (i < 0) return 0;
    if (i === 0) return 80;
    return /[\s\-'\u2019.(]/.test(name.charAt(i - 1)) ? 60 : 40;
  }
  function isHidden(id) { var n = nodeSet && nodeSet.get(id); return !!(n && n.hidden); }
  function findBest(query) {
    var q = fold(query).trim();
    if (!q) return null;
    var best = null;
    searchIndex.forEach(function (entry) {
      var s = scoreName(entry.label, q);
      if (s) s += 1;  // the canonical name wins a tie with another name
      entry.names.forEach(function (name) { s = Math.max(s, scoreName(name, q)); });
      if (!s) return;
      var cand = { id: entry.id, score: s, visible: !isHidden(entry.id), degree: DATA.nodes[entry.id].degree, label: DATA.nodes[entry.id].label };
      if (!best || better(cand, best)) best = cand;
    });
    return best;
  }
  function better(a, b) {
    if (a.visible !== b.visible) return a.visible;
    if (a.score !== b.score) return a.score > b.score;
    if (a.degree !== b.degree) return a.degree > b.degree;
    if (a.label.length !== b.label.length) return a.label.length < b.label.length;
    return a.label < b.label;
  }
  function selectNode(id, focus) {
    if (!network || !DATA.nodes[id]) return;
    network.selectNodes([id]);
    if (focus) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(id);
  }
  function runSearch() {
    var input = document.getElementById("kg-search");
    var q = input.value;
    if (!q.trim()) { status.textContent = ""; return; }
    var best = findBest(q);
    if (!best) { status.textContent = "no match"; return; }
    if (!best.visible) { status.textContent = "\u201c" + best.label + "\u201d is hidden by a filter"; return; }
    status.textContent = "";
    selectNode(best.id, true);
  }

  // ---- filters: hide/show through DataSet updates.
  function applyFilters() {
    var hiddenNode = {}, nUpd = [], eUpd = [];
    nodeSet.forEach(function (n) {
      var h = !classOn[n.kgClass];
      hiddenNode[n.id] = h;
      if (!!n.hidden !== h) nUpd.push({ id: n.id, hidden: h });
    });
    if (nUpd.length) nodeSet.update(nUpd);
    edgeSet.forEach(function (e) {
      var h = !predOn[e.kgPred] || !!hiddenNode[e.from] || !!hiddenNode[e.to];
      if (!!e.hidden !== h) eUpd.push({ id: e.id, hidden: h });
    });
    if (eUpd.length) edgeSet.update(eUpd);
  }
  function wireFilters() {
    Array.prototype.forEach.call(document.querySelectorAll("input.kg-class-filter"), function (box) {
      classOn[box.value] = box.checked;
      box.addEventListener("change", function () { classOn[box.value] = box.checked; applyFilters(); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("input.kg-pred-filter"), function (box) {
      predOn[box.value] = box.checked;
      box.addEventListener("change", function () { predOn[box.value] = box.checked; applyFilters(); });
    });
  }

  function markReady() {
    if (window.kgReady) return;
    window.kgReady = true;
    document.documentElement.setAttribute("data-kg-ready", "true");
  }

  window.kgInit = function (net) {
    network = net;
    nodeSet = net.body.data.nodes;
    edgeSet = net.body.data.edges;
    window.kgNetwork = net;
    window.kgExplorer = { data: DATA, showNode: showNode, showEdge: showEdge, findBest: findBest, selectNode: selectNode, applyFilters: applyFilters };
    wireFilters();
    var input = document.getElementById("kg-search");
    input.addEventListener("input", runSearch);
    input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); runSearch(); } });
    net.on("click", function (p) {
      if (p.nodes && p.nodes.length) showNode(p.nodes[0]);
      else if (p.edges && p.edges.length) showEdge(p.edges[0]);
      else showHelp();
    });
    var settled = false;
    function settle() {
      if (settled) return;
      settled = true;
      net.setOptions({ physics: { enabled: false } });
      net.once("afterDrawing", markReady);
      net.redraw();
    }
    if (DATA.meta.physics && nodeSet.length > 0) {
      net.once("stabilizationIterationsDone", settle);
      setTimeout(settle, 15000);  // never leave the page moving (or the tests waiting) forever
    } else {
      net.once("afterDrawing", markReady);
      net.redraw();
    }
  };
})();
"""
