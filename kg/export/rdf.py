"""Turtle and TriG output, written atomically."""

from __future__ import annotations

from pathlib import Path

from . import atomic_write

__all__ = ["write_turtle", "write_trig"]


def write_turtle(graph, path) -> Path:
    """The union of all graphs as Turtle."""
    from ..graph import union_graph

    g = union_graph(graph) if hasattr(graph, "graphs") else graph
    return atomic_write(path, g.serialize(format="turtle"))


def write_trig(dataset, path) -> Path:
    """One named graph per article, plus the identity graph, as TriG."""
    return atomic_write(path, dataset.serialize(format="trig"))
