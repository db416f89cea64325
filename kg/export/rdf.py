"""RDF and graph exports, written atomically.

Turtle, TriG, N-Quads and JSON-LD come from Oxigraph's own serialisers
(fast); GraphML and node-link JSON come through networkx, with entities as
nodes and facts as edges.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import atomic_write

__all__ = ["FORMATS", "export_store"]

#: format name -> file name
FORMATS = {
    "ttl": "graph.ttl",
    "trig": "graph.trig",
    "nq": "graph.nq",
    "jsonld": "graph.jsonld",
    "graphml": "graph.graphml",
    "json": "graph.json",
}


def _prefixes() -> dict[str, str]:
    from rdflib import Graph

    from ..graph import bind_all

    return dict(sorted((p, str(ns)) for p, ns in bind_all(Graph(bind_namespaces="none")).namespaces() if p))


def export_store(store, out, formats=("ttl", "trig"), *, dataset=None) -> dict[str, Path]:
    """Write ``formats`` of the store's exported graphs into the folder ``out``.

    Parameters
    ----------
    store : kg.store.KGStore
    out : path
    formats : iterable of str
        Keys of :data:`FORMATS`.
    dataset : rdflib.Dataset, optional
        The store as rdflib, if the caller already has it (GraphML/JSON need it).

    Returns
    -------
    dict
        format -> path written.
    """
    import pyoxigraph as ox

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        from ..errors import KGError

        raise KGError(f"unknown export format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    out = Path(out)
    written = {}
    prefixes = _prefixes()
    # sorted, so the serialisers group each subject once and output is stable
    quads = sorted(store.exported_quads(), key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    if "trig" in formats:
        written["trig"] = atomic_write(out / FORMATS["trig"], ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes))
    if "nq" in formats:
        written["nq"] = atomic_write(out / FORMATS["nq"], ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    if any(f in formats for f in ("ttl", "jsonld")):
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                         key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        if "ttl" in formats:
            written["ttl"] = atomic_write(out / FORMATS["ttl"], ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
        if "jsonld" in formats:
            written["jsonld"] = atomic_write(out / FORMATS["jsonld"], ox.serialize(triples, format=ox.RdfFormat.JSON_LD, prefixes=prefixes))
    if any(f in formats for f in ("graphml", "json")):
        import networkx as nx

        from .. import to_networkx

        nxg = to_networkx(dataset if dataset is not None else store.dataset())
        if "graphml" in formats:
            # GraphML has no None values: drop them
            clean = nx.MultiDiGraph()
            clean.add_nodes_from((n, {k: v for k, v in d.items() if v is not None}) for n, d in nxg.nodes(data=True))
            clean.add_edges_from((u, v, k, {a: b for a, b in d.items() if b is not None})
                                 for u, v, k, d in nxg.edges(keys=True, data=True))
            written["graphml"] = atomic_write(out / FORMATS["graphml"], "\n".join(nx.generate_graphml(clean)))
        if "json" in formats:
            data = nx.node_link_data(nxg, edges="edges")
            written["json"] = atomic_write(out / FORMATS["json"], json.dumps(data, indent=1, ensure_ascii=False))
    return written
