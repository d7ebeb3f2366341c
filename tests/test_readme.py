"""The README's account of CI matches what `.ci/run` does."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_readme_names_every_make_target_ci_runs():
    ci, readme = ROOT / ".ci" / "run", ROOT / "README.md"
    if not (ci.exists() and readme.exists()):
        pytest.skip("needs a checkout (.ci/run and README.md)")
    targets = re.findall(r"^make (\w+)\s*$", ci.read_text(), flags=re.MULTILINE)
    assert targets, "no `make` step found in .ci/run"
    paragraph = next(p for p in readme.read_text().split("\n\n") if "CI runs `bash .ci/run`" in p)
    for target in targets:
        assert f"`make {target}`" in paragraph, f".ci/run runs make {target}; the README omits it"
