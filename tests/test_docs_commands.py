"""The shell commands shown in README.md and docs/ run as written.

The Python blocks are doctests; this runs the ``knightian portfolio ...`` lines of the ``sh``
blocks through the CLI's ``main`` (in-process, from the directory of the page that shows them,
so ``two-cases.yaml`` and ``examples/...`` resolve). ``my-portfolio.yaml``, the placeholder of
the how-to pages, stands for the shipped example. ``knightian tour`` lines are covered by
tests/test_cli.py; ``make`` lines are what CI runs.
"""

import io
import re
import shlex
from pathlib import Path

import pytest

from contracts._cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"^```(?:sh|bash|console)\n(.*?)^```", re.M | re.S)
PLACEHOLDER = "my-portfolio.yaml"
EXAMPLE = ROOT / "examples" / "asl4_portfolio.yaml"


def _commands():
    for page in PAGES:
        if "_build" in page.parts:
            continue
        for block in BLOCK.findall(page.read_text(encoding="utf-8")):
            for line in block.splitlines():
                line = line.split("#", 1)[0].strip()
                words = shlex.split(line)
                if words and words[0].endswith("knightian") and words[1:2] == ["portfolio"]:
                    yield pytest.param(page, words[1:], id=f"{page.name}: {line}")


COMMANDS = list(_commands())


def test_the_pages_show_commands():
    assert len(COMMANDS) >= 8


@pytest.mark.parametrize(("page", "argv"), COMMANDS)
def test_command_runs(page, argv, monkeypatch):
    monkeypatch.chdir(page.parent)
    if ">" in argv:  # a redirection: the output is checked here instead
        argv = argv[: argv.index(">")]
    argv = [str(EXAMPLE) if a == PLACEHOLDER else a for a in argv]
    out = io.StringIO()
    code = main(argv, out=out)
    # --check exits 4 when a scenario exceeds its max_risk, as both shipped examples do (the
    # pages say so); the report is printed either way.
    assert code == 0 or ("--check" in argv and code == 4), out.getvalue()
    assert out.getvalue().strip()
