"""Doctests of the documentation pages: each page runs in its own folder.

A page names the files beside it (``portfolios.load("two-cases.yaml")``), as a reader who
saved them would, so its doctests run with that folder as the working directory. The Sphinx
configuration and the build output are not test modules, and neither is this file.

Every ``conftest.py`` outside a package is imported under the one module name ``conftest``,
and ``--doctest-modules`` imports each again as a module to collect, which pytest accepts only
if the cached ``conftest`` is that very file. So this file is not collected, and ``docs``
comes first in ``testpaths``: the conftest of ``tests/`` is then the last one loaded before
``tests/conftest.py`` is collected, as it was before ``docs`` joined the test paths.
"""

from __future__ import annotations

import pytest

collect_ignore = ["conf.py", "conftest.py"]
collect_ignore_glob = ["_build/*"]


@pytest.fixture(autouse=True)
def _page_directory(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(request.node.path.parent)
