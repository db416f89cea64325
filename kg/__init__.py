"""kg: an offline knowledge-graph builder for news.

>>> import kg
>>> result = kg.build("seeds", "out")          # doctest: +SKIP
>>> kg.query(result.dataset, "SELECT ?a ?b WHERE { ?a kg:met ?b }")  # doctest: +SKIP
"""

from .build import BuildResult, build, build_graph
from .errors import GraphError, InputError, KGError, ModelError, QueryError, StoreError
from .graph import union_graph
from .ontology import KG, KGID
from .query import format_result, load_graph, named_queries, named_query, to_dataframe
from .query import run_query as query

__all__ = [
    "build", "build_graph", "BuildResult", "load_graph", "query", "format_result", "union_graph",
    "named_query", "named_queries", "to_dataframe",
    "to_networkx", "KG", "KGID", "KGError", "InputError", "ModelError", "QueryError", "GraphError", "StoreError",
]
__version__ = "0.1.0"


def to_networkx(graph):
    """Entities as nodes, facts as edges (a ``networkx.MultiDiGraph``)."""
    import networkx as nx
    from rdflib import URIRef
    from rdflib.namespace import RDF, RDFS

    g = union_graph(graph) if hasattr(graph, "graphs") else graph
    out = nx.MultiDiGraph()
    ns = str(KG._NS)
    for node, label in g.subject_objects(RDFS.label):
        types = [str(t)[len(ns):] for t in g.objects(node, RDF.type) if str(t).startswith(ns)]
        out.add_node(str(node), label=str(label), cls=types[0] if types else None)
    for s, p, o in g:
        if str(p).startswith(ns) and isinstance(o, URIRef) and p != RDF.type and str(s) in out and str(o) in out:
            out.add_edge(str(s), str(o), key=str(p)[len(ns):], predicate=str(p)[len(ns):])
    return out
