"""Turtle and TriG output, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "write_turtle", "write_trig"]


def atomic_write(path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A crash leaves either the old file or the new one, never half of one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def write_turtle(graph, path) -> Path:
    """The union of all graphs as Turtle."""
    from ..graph import union_graph

    g = union_graph(graph) if hasattr(graph, "graphs") else graph
    return atomic_write(path, g.serialize(format="turtle"))


def write_trig(dataset, path) -> Path:
    """One named graph per article, plus the identity graph, as TriG."""
    return atomic_write(path, dataset.serialize(format="trig"))
