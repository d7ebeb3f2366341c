"""The package and its docs stand alone: no pointer to the developers' design notes."""

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
