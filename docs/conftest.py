"""Doctests of the documentation pages: each page runs in its own folder.

A page names the files beside it (``portfolios.load("two-cases.yaml")``), as a reader who
saved them would, so its doctests run with that folder as the working directory. The Sphinx
configuration and the build output are not test modules.
"""

from __future__ import annotations

import pytest

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*"]


@pytest.fixture(autouse=True)
def _page_directory(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(request.node.path.parent)
