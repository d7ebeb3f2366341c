"""The documentation reads offline: no page loads a script from the network (MathJax included).

A small Sphinx build with the documentation's own maths settings (docs/conf.py's
``mathjax_path`` and its ``build-finished`` copy of MathJax), on a page with inline and display
maths: every ``<script src>`` of the built page is a file of the build, and MathJax's is there.
"""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REMOTE = re.compile(r"^(https?:)?//", re.I)


def load_conf():
    spec = importlib.util.spec_from_file_location("knightian_docs_conf", ROOT / "docs" / "conf.py")
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return conf


def scripts(html):
    return re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)


def test_conf_points_mathjax_at_a_local_file():
    conf = load_conf()
    assert not REMOTE.match(conf.mathjax_path)
    try:
        source = conf.mathjax_source()
    except RuntimeError as err:
        pytest.skip(str(err))
    assert (source / Path(conf.mathjax_path).name).is_file()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_a_built_page_with_maths_references_no_remote_script(tmp_path):
    sphinx_app = pytest.importorskip("sphinx.application", reason="Sphinx (the docs extra)")
    pytest.importorskip("myst_parser", reason="myst-parser (the docs extra)")
    pytest.importorskip("furo", reason="furo (the docs extra)")
    conf = load_conf()
    try:
        conf.mathjax_source()
    except RuntimeError as err:
        pytest.skip(str(err))
    src = tmp_path / "src"
    src.mkdir()
    docs_conf = str(ROOT / "docs" / "conf.py")
    (src / "conf.py").write_text(
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('docs_conf', {docs_conf!r})\n"
        "docs = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(docs)\n"
        "extensions = ['myst_parser', 'sphinx.ext.mathjax']\n"
        "myst_enable_extensions = docs.myst_enable_extensions\n"
        "mathjax_path = docs.mathjax_path\n"
        "html_theme = docs.html_theme\n"
        "def setup(app):\n"
        "    app.connect('build-finished', docs._copy_mathjax)\n",
        encoding="utf-8",
    )
    (src / "index.md").write_text(
        "# Maths\n\nThe guarantee $V^* = (\\sqrt{m} - \\sqrt{c})^2$ and\n\n"
        "$$\nV_P(w) = \\inf_{A \\supseteq A_0} V_P(w \\mid A).\n$$\n",
        encoding="utf-8",
    )
    out = tmp_path / "html"
    app = sphinx_app.Sphinx(
        str(src),
        str(src),
        str(out),
        str(tmp_path / "doctrees"),
        "html",
        status=None,
        warning=None,
        freshenv=True,
    )
    app.build()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "\\sqrt{m}" in page  # the maths is on the page, for MathJax to typeset
    found = scripts(page)
    assert any(s.endswith(Path(conf.mathjax_path).name) for s in found), found
    for s in found:
        assert not REMOTE.match(s), f"remote script {s}"
        assert (out / s.split("?")[0]).is_file(), f"{s} is not in the build"
    assert (out / "_static" / "mathjax" / "output" / "chtml" / "fonts").is_dir()
