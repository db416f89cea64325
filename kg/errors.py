"""The small exception tree of kg. Every user-facing failure is a KGError with a one-line message."""

__all__ = ["KGError", "InputError", "ModelError", "QueryError", "GraphError", "StoreError"]


class KGError(Exception):
    """Base class. ``str(err)`` is a one-line message fit for the command line."""

    exit_code = 1


class InputError(KGError):
    """An input file is unreadable, binary, undecodable or empty."""

    def __init__(self, path, problem):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ModelError(KGError):
    """The spaCy pipeline cannot be loaded."""


class QueryError(KGError):
    """A SPARQL query does not parse or cannot run."""

    exit_code = 2


class GraphError(KGError):
    """A built graph is missing or malformed."""


class StoreError(KGError):
    """The store is locked, missing or corrupt."""
