"""kg: an offline knowledge-graph builder for news.

>>> import kg
>>> result = kg.build("seeds", "out")          # doctest: +SKIP
>>> kg.query(result.dataset, "SELECT ?a ?b WHERE { ?a kg:met ?b }")  # doctest: +SKIP
"""

from .analytics import (AmbiguousEntityError, EntityNotFoundError, NoPathError, centrality, communities,
                        entity_card, find_entity, graph_stats, shortest_path, to_networkx)
from .build import BuildResult, build, build_graph
from .errors import GraphError, InputError, KGError, ModelError, QueryError, StoreError
from .graph import union_graph
from .ontology import KG, KGID
from .query import format_result, load_graph, named_queries, named_query, to_dataframe
from .query import run_query as query

__all__ = [
    "build", "build_graph", "BuildResult", "load_graph", "query", "format_result", "union_graph",
    "named_query", "named_queries", "to_dataframe",
    "to_networkx", "centrality", "communities", "shortest_path", "find_entity", "entity_card", "graph_stats",
    "KG", "KGID", "KGError", "InputError", "ModelError", "QueryError", "GraphError", "StoreError",
    "EntityNotFoundError", "AmbiguousEntityError", "NoPathError",
]
__version__ = "0.1.0"

