"""The shell commands shown in README.md and docs/ run as written.

The Python blocks are doctests; this runs the ``knightian portfolio ...`` and ``knightian
faulttree ...`` lines of the ``sh`` blocks through the CLI's ``main`` (in-process, from the
directory of the page that shows them, so ``two-cases.yaml``, ``cooling.xml`` and
``examples/...`` resolve). ``my-portfolio.yaml``, the placeholder of the how-to pages, stands
for the shipped example. A line whose comment says ``exit N`` must exit with N; any other
must succeed. ``knightian tour`` lines are covered by tests/test_cli.py; ``make`` lines are
what CI runs.
"""

import io
import re
import shlex
from pathlib import Path

import pytest

from contracts._cli import COMMANDS as SUBCOMMANDS
from contracts._cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"^```(?:sh|bash|console)\n(.*?)^```", re.M | re.S)
COMMANDS_RUN = ("portfolio", "faulttree")
EXIT = re.compile(r"\bexit (\d+)\b")
PLACEHOLDER = "my-portfolio.yaml"
EXAMPLE = ROOT / "examples" / "asl4_portfolio.yaml"


def _commands():
    for page in PAGES:
        if "_build" in page.parts:
            continue
        for block in BLOCK.findall(page.read_text(encoding="utf-8")):
            for line in block.splitlines():
                line, _, comment = line.partition("#")
                line = line.strip()
                words = shlex.split(line)
                if (
                    words
                    and words[0].endswith("knightian")
                    and words[1:2] in ([c] for c in COMMANDS_RUN)
                ):
                    stated = EXIT.search(comment)
                    code = int(stated.group(1)) if stated else None
                    yield pytest.param(page, words[1:], code, id=f"{page.name}: {line}")


COMMANDS = list(_commands())


def test_the_pages_show_commands():
    assert len(COMMANDS) >= 8
    faulttree = [p for p in COMMANDS if p.values[1][0] == "faulttree"]
    assert len(faulttree) >= 10
    # every report style and every analysis is shown on the how-to page
    shown = {word for p in faulttree for word in p.values[1]}
    for option in ("--gate", "--mcs", "--importance", "--uncertainty", "--sequences"):
        assert option in shown, option
    for option in ("--substitutions", "--phases", "markdown", "json", "--limit"):
        assert option in shown, option
    assert {p.values[2] for p in faulttree} == {None, 3}


NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@pytest.mark.parametrize("page", ["README.md", "docs/how-to/use-the-command-line.md"])
def test_the_pages_name_every_subcommand(page):
    text = " ".join((ROOT / page).read_text(encoding="utf-8").split())
    stated = re.search(r"`knightian`,? (?:with|has) (\w+) subcommands", text)
    assert stated, page
    names = ["tour", *SUBCOMMANDS]
    assert NUMBERS[stated.group(1)] == len(names), (page, names)
    assert [n for n in names if f"`{n}`" not in text] == [], page


@pytest.mark.parametrize(("page", "argv", "stated"), COMMANDS)
def test_command_runs(page, argv, stated, monkeypatch, capsys):
    monkeypatch.chdir(page.parent)
    if ">" in argv:  # a redirection: the output is checked here instead
        argv = argv[: argv.index(">")]
    argv = [str(EXAMPLE) if a == PLACEHOLDER else a for a in argv]
    out = io.StringIO()
    try:
        code = main(argv, out=out)
    except SystemExit as exit_:  # a usage error (argparse)
        code = exit_.code
    if stated is not None:
        assert code == stated, (out.getvalue(), capsys.readouterr().err)
        if code == 3:  # the message is on stderr, naming the file
            assert "error: " in capsys.readouterr().err
        return
    # --check exits 4 when a scenario exceeds its max_risk, as both shipped examples do (the
    # pages say so); the report is printed either way.
    assert code == 0 or ("--check" in argv and code == 4), (out.getvalue(), capsys.readouterr())
    assert out.getvalue().strip()
