"""RDF and graph exports, written atomically.

Turtle, TriG, N-Quads and JSON-LD come from Oxigraph's own serialisers
(fast); GraphML and node-link JSON come through networkx, with entities as
nodes and facts as edges.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import atomic_write

__all__ = ["FORMATS", "export_store", "render_exports", "write_exports", "sorted_quads", "union_triples"]

#: Without a store lock (``--store memory``), temporary files younger than this are left alone.
STALE_SECONDS = 600.0

#: format name -> file name
FORMATS = {
    "ttl": "graph.ttl",
    "trig": "graph.trig",
    "nq": "graph.nq",
    "jsonld": "graph.jsonld",
    "graphml": "graph.graphml",
    "json": "graph.json",
}


def sorted_quads(quads) -> list:
    """Quads sorted by graph, subject, predicate, object, so the serialisers group each subject
    once and the output is stable."""
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def union_triples(quads) -> list:
    """The distinct triples of ``quads`` (the union of their graphs), sorted by subject,
    predicate, object."""
    import pyoxigraph as ox

    seen = {}
    for q in quads:
        key = (str(q.subject), str(q.predicate), str(q.object))
        if key not in seen:
            seen[key] = q
    return [ox.Triple(q.subject, q.predicate, q.object) for _, q in sorted(seen.items(), key=lambda kv: kv[0])]


def export_store(store, out, formats=("ttl", "trig"), *, dataset=None, quads=None, triples=None) -> dict[str, Path]:
    """Write ``formats`` of the store's exported graphs into the folder ``out``.

    Parameters
    ----------
    store : kg.store.KGStore
    out : path
    formats : iterable of str
        Keys of :data:`FORMATS`.
    dataset : rdflib.Dataset, optional
        The store as rdflib, if the caller already has it (GraphML/JSON need it).
    quads, triples : list, optional
        ``store.exported_quads()`` and their :func:`union_triples`, if the caller already has them.

    Returns
    -------
    dict
        format -> path written.
    """
    check_formats(formats)
    if quads is None:
        quads = store.exported_quads()
    return write_exports(out, render_exports(quads, formats, dataset=dataset, triples=triples),
                         locked=getattr(store, "path", None) is not None)


def check_formats(formats) -> None:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        from ..errors import KGError

        raise KGError(f"unknown export format {unknown[0]!r}; choose from {', '.join(FORMATS)}")


def render_exports(quads, formats=("ttl", "trig"), *, dataset=None, triples=None) -> dict[str, bytes | str]:
    """format -> the file's content, for ``formats`` of the graphs whose quads are ``quads``
    (``triples``: their :func:`union_triples`, if the caller has them)."""
    import pyoxigraph as ox

    check_formats(formats)
    from ..graph import prefix_map

    prefixes = prefix_map(rdflib_defaults=False)
    rendered: dict[str, bytes | str] = {}
    if any(f in formats for f in ("trig", "nq")):
        ordered = sorted_quads(quads)
        if "trig" in formats:
            rendered["trig"] = ox.serialize(ordered, format=ox.RdfFormat.TRIG, prefixes=prefixes)
        if "nq" in formats:
            rendered["nq"] = ox.serialize(ordered, format=ox.RdfFormat.N_QUADS)
    if any(f in formats for f in ("ttl", "jsonld")):
        if triples is None:
            triples = union_triples(quads)
        if "ttl" in formats:
            rendered["ttl"] = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        if "jsonld" in formats:
            rendered["jsonld"] = ox.serialize(triples, format=ox.RdfFormat.JSON_LD, prefixes=prefixes)
    if any(f in formats for f in ("graphml", "json")):
        import networkx as nx

        from .. import to_networkx
        from ..store import to_dataset

        nxg = to_networkx(dataset if dataset is not None else to_dataset(quads))
        if "graphml" in formats:
            # GraphML has no None values: drop them
            clean = nx.MultiDiGraph()
            clean.add_nodes_from((n, {k: v for k, v in d.items() if v is not None}) for n, d in nxg.nodes(data=True))
            clean.add_edges_from((u, v, k, {a: b for a, b in d.items() if b is not None})
                                 for u, v, k, d in nxg.edges(keys=True, data=True))
            rendered["graphml"] = "\n".join(nx.generate_graphml(clean))
        if "json" in formats:
            data = nx.node_link_data(nxg, edges="edges")
            rendered["json"] = json.dumps(data, indent=1, ensure_ascii=False)
    return rendered


def write_exports(out, rendered: dict, *, locked: bool = True) -> dict[str, Path]:
    """Write :func:`render_exports`' contents into the folder ``out``, each file atomically.
    ``locked``: the caller holds an on-disk store's lock (no other kg process writes these
    outputs now), so every stale temporary file can go."""
    from . import clean_stale_temp_files

    out = Path(out)
    clean_stale_temp_files(out, min_age=0.0 if locked else STALE_SECONDS)
    return {fmt: atomic_write(out / FORMATS[fmt], data) for fmt, data in rendered.items()}
