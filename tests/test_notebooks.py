"""Every notebook in notebooks/ runs top to bottom and is committed without outputs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

# Appended to the in-memory copy only: proves the kernel runs this interpreter (the venv with kg).
PROBE = "import sys\nprint(sys.prefix)"


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory):
    """A ``python3`` kernelspec pinned to ``sys.executable``, put first on ``JUPYTER_PATH``.

    Without it, a user-level ``python3`` kernelspec pointing at another Python could win.
    """
    from ipykernel.kernelspec import write_kernel_spec

    data_dir = tmp_path_factory.mktemp("jupyter")
    write_kernel_spec(data_dir / "kernels" / "python3")
    return data_dir


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks in {NOTEBOOK_DIR}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, cell in enumerate(nb.cells)
             if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
    assert not dirty, f"{path.name}: code cells {dirty} have outputs; clear them before committing"


@pytest.mark.model
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, kernel_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_path))
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:  # message holds the cell and traceback
        pytest.fail(f"{path.name} failed:\n{err}", pytrace=False)
    errors = [(i, out.get("ename"), out.get("evalue")) for i, cell in enumerate(nb.cells)
              if cell.cell_type == "code" for out in cell.outputs if out.output_type == "error"]
    assert not errors, f"{path.name}: cell errors {errors}"
    probe_out = "".join(out.get("text", "") for out in nb.cells[-1].outputs if out.output_type == "stream")
    assert probe_out.strip() == sys.prefix, f"kernel ran {probe_out.strip()!r}, not this interpreter {sys.prefix!r}"
