"""The example notebooks (examples/*.ipynb) run from top to bottom in a fresh kernel.

They ship without outputs (a stored output would rot unseen); this test executes them with
nbclient in a Jupyter kernel running this interpreter, so they cannot drift from the code. Needs
the ``test`` extra (nbclient, ipykernel); skipped, saying why, where no kernel can start.
"""

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "examples").glob("*.ipynb"))


def test_one_notebook_per_package_without_stored_outputs():
    assert [p.stem for p in NOTEBOOKS] == ["contracts", "infrabayes", "portfolios"]
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


def _client(path):
    nbclient = pytest.importorskip(
        "nbclient", reason="nbclient (the 'test' extra) is not installed"
    )
    nbformat = pytest.importorskip(
        "nbformat", reason="nbformat (the 'test' extra) is not installed"
    )
    pytest.importorskip("ipykernel", reason="ipykernel (the 'test' extra) is not installed")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        pytest.skip("no 'python3' Jupyter kernel is installed (ipykernel's kernelspec)")
    nb = nbformat.read(path, as_version=4)
    return nb, nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, monkeypatch):
    # the kernel imports this checkout's packages, as the test process does
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("MPLBACKEND", "agg")
    nb, client = _client(path)
    try:
        client.execute()
    except RuntimeError as err:  # the kernel could not start here (sandbox, no ports)
        if "Kernel died" in str(err) or "kernel" in str(err).lower():
            pytest.skip(f"no Jupyter kernel could start: {err}")
        raise
    # every code cell ran and left no error; results render as HTML tables where they can
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    if path.stem == "contracts":
        assert any('<span class="frac" title="11/15">' in h for h in html)
    assert sys.executable  # the kernel is this interpreter's (ipykernel's default spec)
