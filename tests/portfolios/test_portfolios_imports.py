"""How the modules of portfolios import: siblings at module level, heavy libraries lazily."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "portfolios"
#: The only imports allowed inside a function: heavy optional third-party libraries.
LAZY = ("networkx", "matplotlib", "yaml", "dd", "scipy")


def _imported(node):
    if isinstance(node, ast.ImportFrom):
        return "." * node.level + (node.module or "")
    return node.names[0].name


def _is_type_checking(node):
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_siblings_at_module_level_and_only_heavy_libraries_in_functions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set()
    for node in tree.body:
        top.add(node)
        if isinstance(node, ast.If | ast.Try):
            for child in ast.walk(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    if _is_type_checking(node):
                        name = _imported(child)
                        assert not name.startswith("."), f"{path.name}: {name} only for types"
                        assert not name.startswith("portfolios"), f"{path.name}: {name}"
                    top.add(child)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and node not in top:
            name = _imported(node)
            assert name.split(".")[0] in LAZY, f"{path.name}, line {node.lineno}: {name}"


def test_importing_the_package_imports_no_heavy_library():
    code = (
        "import sys, portfolios, portfolios._cli, portfolios._tour, portfolios.plot; "
        f"print([m for m in {LAZY!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
