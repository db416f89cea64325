"""SHACL validation of a built graph with pySHACL (``ontology/shapes.ttl``)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import SH

from .errors import GraphError
from .ontology import ONTOLOGY_DIR, load_ontology

__all__ = ["SHAPES_FILE", "Violation", "ValidationReport", "validate_graph"]

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


@dataclass
class Violation:
    focus: str
    path: str
    message: str
    shape: str


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]

    def text(self, limit: int = 50) -> str:
        """A readable report: one line per violation."""
        if self.conforms:
            return "conforms: the graph satisfies every shape in ontology/shapes.ttl"
        lines = [f"does not conform: {len(self.violations)} violation(s)"]
        for v in self.violations[:limit]:
            where = f" ({v.path})" if v.path else ""
            lines.append(f"- {v.focus}{where}: {v.message}")
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines)


def _short(term, graph) -> str:
    if term is None:
        return ""
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:
        return str(term)


def validate_graph(graph: Graph) -> ValidationReport:
    """Validate ``graph`` (a union graph) against the shapes, with the ontology mixed in."""
    import pyshacl

    try:
        shapes = Graph().parse(SHAPES_FILE, format="turtle")
    except Exception as err:
        raise GraphError(f"cannot read the shapes {SHAPES_FILE}: {err}") from err
    conforms, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes, ont_graph=load_ontology(), inference="none",
        advanced=True, allow_warnings=False, meta_shacl=False,
    )
    from .graph import bind_all

    bind_all(results)
    violations = []
    for res in results.subjects(SH.resultSeverity, None):
        focus = results.value(res, SH.focusNode)
        path = results.value(res, SH.resultPath)
        msg = results.value(res, SH.resultMessage)
        shape = results.value(res, SH.sourceShape)
        violations.append(Violation(_short(focus, results), _short(path, results), str(msg or "constraint violated"),
                                    _short(shape, results)))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), violations)
