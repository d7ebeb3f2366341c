"""The top-level names contracts/infrabayes/portfolios collide with PyPI projects: check ours win.

Each check runs in a fresh interpreter from a neutral directory, because pytest's own collection
imports our packages first and would mask a foreign package in-process.
"""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("name", ["contracts", "infrabayes", "portfolios"])
def test_imported_package_is_ours(name, tmp_path):
    code = f"import {name} as m; print(m.__distribution__); print(m.__version__)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    sentinel, version = done.stdout.split()
    assert sentinel == "knightian"
    assert version != "0+unknown", "package imported from a checkout, not from an install"


def test_import_is_light(tmp_path):
    """`import contracts, infrabayes, portfolios` must not import cvxpy (about 1 s)."""
    code = "import sys, contracts, infrabayes, portfolios; print('cvxpy' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
