"""The package and its docs stand alone, and the docs' layer tables are import-linter's."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Built from parts so that this file does not match itself.
FORBIDDEN = ("shared" + "/", "the " + "seed")


def test_no_pointer_to_design_notes() -> None:
    hits = []
    for folder in ("contracts", "infrabayes", "portfolios", "docs", "tests", "examples"):
        for path in (ROOT / folder).rglob("*"):
            if "_build" in path.parts or not path.is_file():
                continue
            if path.suffix not in {".py", ".md", ".yaml", ".json", ".xml", ".txt", ".ipynb"}:
                continue
            text = path.read_text(encoding="utf-8", errors="replace").lower()
            hits += [f"{path.relative_to(ROOT)}: {word!r}" for word in FORBIDDEN if word in text]
    assert not hits, hits


# The layer tables of docs/explanation/architecture.md and the import-linter contracts.
PAGE = ROOT / "docs" / "explanation" / "architecture.md"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _contract_layers() -> dict[str, list[frozenset[str]]]:
    """``{container: [layer, ...]}`` of pyproject's layers contracts, top layer first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    out = {}
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract["type"] == "layers":
            for container in contract["containers"]:
                out[container] = [_layer(text) for text in contract["layers"]]
    return out


def _layer(text: str) -> frozenset[str]:
    modules = [m.strip() for m in text.split("|")]
    assert all(NAME.fullmatch(m) for m in modules), text
    return frozenset(modules)


def _doc_tables(text: str) -> dict[str, list[frozenset[str]]]:
    """``{package: [layer, ...]}`` of the page's ``text`` blocks, top layer first.

    A package's table is the first ``text`` block of its ``## package`` section, lowest layer
    first; a line that starts in the first column names a layer (its modules joined by
    `` | ``), then, after two or more spaces, what they hold; indented lines continue the
    description.
    """
    tables = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        title, _, body = section.partition("\n")
        block = re.search(r"^```text\n(.*?)^```", body, flags=re.M | re.S)
        if not block:
            continue
        layers = [
            _layer(re.split(r"\s{2,}", line)[0])
            for line in block.group(1).splitlines()
            if line.strip() and not line[0].isspace()
        ]
        tables[title.strip()] = layers[::-1]
    return tables


def test_the_docs_parser_reads_a_table() -> None:
    page = "## pkg\n\n```text\nb | a      low\n             more\nc\n```\n\n## other\n\nprose\n"
    assert _doc_tables(page) == {"pkg": [frozenset("c"), frozenset("ab")]}


def test_the_architecture_page_shows_the_import_linter_layers() -> None:
    contracts = _contract_layers()
    tables = _doc_tables(PAGE.read_text(encoding="utf-8"))
    # every top-level package has its table; a subpackage may be described in prose instead
    packages = {"contracts", "infrabayes", "portfolios"}
    assert set(tables) == {c for c in contracts if "." not in c} == packages
    for package, layers in tables.items():
        expected = contracts[package]
        missing = set().union(*expected) - set().union(*layers)
        extra = set().union(*layers) - set().union(*expected)
        assert not missing and not extra, (package, sorted(missing), sorted(extra))
        assert layers == expected, (package, [sorted(x) for x in layers])
