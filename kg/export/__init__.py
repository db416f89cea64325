"""Exporters: RDF serialisations (``kg.export.rdf``) and the self-contained HTML explorer (``kg.export.html``)."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

__all__ = ["atomic_write", "clean_stale_temp_files", "OUTPUT_NAMES"]

#: Every file kg writes into an output folder.
OUTPUT_NAMES = ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld", "graph.graphml", "graph.json", "graph.html")
_TEMP_SUFFIX = ".tmp"
# atomic_write's temporary names: "." + the final name + "." + mkstemp's 8 random characters + ".tmp"
_TEMP_NAME = re.compile(r"\.(%s)\.[a-z0-9_]{8}%s\Z" % ("|".join(map(re.escape, OUTPUT_NAMES)), re.escape(_TEMP_SUFFIX)))


def clean_stale_temp_files(out, *, min_age: float = 0.0) -> list[Path]:
    """Delete the temporary files a killed kg process left in the folder ``out``.

    Only files named like :func:`atomic_write`'s temporary files for kg's own outputs
    (``.graph.ttl.k3j9x_a2.tmp``), directly in ``out``, and last modified at least
    ``min_age`` seconds ago. Call it while holding the store lock (no other kg process can be
    writing these outputs then), or with a ``min_age`` no live write lasts. Returns what was deleted.
    """
    out = Path(out)
    removed = []
    try:
        entries = list(os.scandir(out))
    except (FileNotFoundError, NotADirectoryError):
        return removed
    now = time.time()
    for entry in entries:
        if not _TEMP_NAME.match(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or now - entry.stat(follow_symlinks=False).st_mtime < min_age:
                continue
            os.unlink(entry.path)
        except FileNotFoundError:
            continue
        removed.append(Path(entry.path))
    return removed


def atomic_write(path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A crash leaves either the old file or the new one, never half of one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path
