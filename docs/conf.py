"""Sphinx configuration for the knightian documentation (Sphinx + MyST, Diataxis layout).

Build with ``make docs`` (``sphinx-build -W --keep-going -n``: warnings are errors and every
internal cross-reference must resolve). The build reaches no network: intersphinx is off, so
references to other projects' objects (numpy, networkx, ...) are rendered as plain text. Nor do
the built pages: the maths is typeset by a copy of MathJax 3 shipped with the site (from the
``docs`` extra's ``django-static-mathjax``, a wheel of MathJax's files and nothing else, despite
its name), so a reader offline sees formulas, not raw LaTeX.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import shutil
import types
from fractions import Fraction
from pathlib import Path
from typing import Any

import contracts

project = "knightian"
author = "The knightian developers"
copyright = "the knightian developers"
release = contracts.__version__
version = release

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "**/README.md"]
nitpicky = True

# MyST: $...$ and $$...$$ maths, \begin{align} environments, ::: fences, definition lists.
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# autodoc + numpydoc. Signatures are shown without annotations: the types are documented in the
# numpydoc "Parameters" sections, and string annotations such as "np.ndarray" cannot resolve
# without intersphinx.
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()
autosummary_generate = False  # numpydoc loads autosummary; no stub pages are generated

# Objects of other projects (intersphinx is off) and private modules named in docstrings.
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(builtins|collections|dataclasses|fractions|math|numbers|pathlib|typing|xml)\..*",
    ),
    (r"py:.*", r"(numpy|np|scipy|cvxpy|networkx|nx|matplotlib|hypothesis|yaml|jsonschema)\..*"),
    (r"py:.*", r"(numpy|scipy|cvxpy|networkx|matplotlib|hypothesis)"),
    (r"py:mod", r"(contracts|infrabayes|portfolios)(\.[a-z]\w*)*\._.*"),
    # Dataclass fields, documented in the class's numpydoc "Attributes" list (not as objects).
    (r"py:attr", r"Structure\.(paths|terms)"),
    (r"py:attr", r"(Solution\.)?values"),
]

#: The parts of MathJax's es5 distribution the pages load: the TeX-to-CommonHTML combined
#: component (``mathjax_path``), the fonts and the lazily loaded extensions, menu and
#: accessibility parts it fetches from beside itself.
MATHJAX_PARTS = ("tex-mml-chtml.js", "input", "output", "ui", "a11y", "adaptors", "sre")


def mathjax_source() -> Path:
    """Return the directory of MathJax 3's es5 distribution installed with the ``docs`` extra."""
    spec = importlib.util.find_spec("mathjax")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        es5 = Path(location) / "static" / "mathjax" / "es5"
        if (es5 / MATHJAX_PARTS[0]).is_file():
            return es5
    raise RuntimeError(
        "the documentation ships MathJax for offline maths and needs its files: "
        "pip install 'knightian[docs]' (the django-static-mathjax wheel)"
    )


# Sphinx reads a relative mathjax_path under _static/; _copy_mathjax puts the files there.
mathjax_path = f"mathjax/{MATHJAX_PARTS[0]}"


def _copy_mathjax(app: Any, exception: BaseException | None) -> None:
    """Copy MathJax into the built site's ``_static/mathjax`` (HTML builders only)."""
    if exception is not None or getattr(app.builder, "format", None) != "html":
        return
    source, target = mathjax_source(), Path(app.outdir) / "_static" / "mathjax"
    target.mkdir(parents=True, exist_ok=True)
    for part in MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            shutil.copy2(source / part, target / part)


html_theme = "furo"
html_title = f"knightian {release}"
html_static_path: list[str] = []
html_show_sourcelink = False

_FUZZY_ROLES = re.compile(r"^(func|class|meth|attr|data|obj|exc|const)$")
_UNDERLINE = re.compile(r"^(-{3,}|={3,}|~{3,})\s*$")


def _python_object(dotted: str) -> Any:
    """Import the object named ``dotted`` (a module path, then attributes), or return None."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _resolve_unqualified(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve a Python reference that Sphinx's exact lookup misses.

    The docstrings name objects as a reader of the REPL would: re-exported from the package
    (``:func:`portfolios.load```, documented as ``portfolios.io.load``) or without their module
    (``:class:`Contract``` from another module of ``contracts``). First import the name (in the
    referring module, then absolutely) and look up the object's defining module and qualified
    name; failing that, take the unique documented object of the right type whose full name ends
    with the name, within the package the reference names (or, for ``Class.method``, whose full
    name ends with it). Ambiguous or absent names stay unresolved, and the nitpicky build reports
    them.
    """
    if node.get("refdomain") != "py" or not _FUZZY_ROLES.match(node.get("reftype", "")):
        return None
    domain = env.get_domain("py")
    target = node["reftarget"].removeprefix("~").removesuffix("()")
    module = node.get("py:module")
    for dotted in ([f"{module}.{target}"] if module else []) + [target]:
        obj = _python_object(dotted)
        name = getattr(obj, "__qualname__", None)
        owner = getattr(obj, "__module__", None)
        if name and owner and f"{owner}.{name}" in domain.objects:
            canonical = f"{owner}.{name}"
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], canonical, node, contnode
            )
    package, _, short = target.rpartition(".")
    matches = domain.find_obj(env, module, node.get("py:class"), short, node["reftype"], 1)
    if package:
        matches = [m for m in matches if m[0].startswith(package.split(".")[0] + ".")]
        if not matches:  # "Problem.solve" from another module: the named class's method
            matches = domain.find_obj(env, module, node.get("py:class"), target, node["reftype"], 1)
    if len(matches) != 1:
        return None
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], matches[0][0], node, contnode
    )


def _module_sections_as_rubrics(
    app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Turn the numpydoc section titles of a module docstring into rubrics.

    numpydoc rewrites the sections of class and function docstrings but leaves module
    docstrings alone; there a title such as ``Definitions`` underlined with dashes would become
    a document section, and every module would add another section of the same name.
    """
    if what != "module":
        return
    out: list[str] = []
    i = 0
    while i < len(lines):
        title = lines[i].strip()
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if title and _UNDERLINE.match(following) and len(following.strip()) >= len(title):
            out += [f".. rubric:: {title}", ""]
            i += 2
            continue
        out.append(lines[i])
        i += 1
    lines[:] = out


def _alias_signature(
    app: Any, what: str, name: str, obj: Any, options: Any, sig: Any, ret: Any
) -> tuple[Any, Any] | None:
    """Keep numpydoc's signature hook away from type aliases such as ``tuple[Any, ...]``.

    A subscripted builtin type is callable, so numpydoc reads it as a function and fails on
    its (absent) signature. Handled here first, the alias keeps autodoc's own rendering.
    """
    if isinstance(obj, types.GenericAlias):
        return sig, ret
    return None


#: Figures drawn at build time with :mod:`contracts.plot` (not kept in git).
FIGURES = Path(__file__).parent / "_generated"


def _draw_figures(app: Any) -> None:
    """Draw the tutorials' figures.

    Contracts: Carroll's argument, the guarantee curve and the optimal lottery, for the
    technology and the bonus contract of ``tutorial/contracts.md``. Robust planning: nominal vs
    robust for the machine of ``tutorial/planning-against-murphy.md``. Learning: the regret
    curves of ``tutorial/learning-in-newcombs-bandit.md``.
    """
    from contracts import Contract, Technology, optimal_randomized, plot

    half, quarter = Fraction(1, 2), Fraction(1, 4)
    known = Technology.from_arrays(
        [0, 1, 2, 3, 4],
        [[half, half, 0, 0, 0], [0, quarter, quarter, quarter, quarter], [0, 0, 0, 0, 1]],
        [0, Fraction(2, 5), Fraction(9, 4)],
    )
    bonus = Contract([0, 1, 2, 3, 4], [0, 0, 0, 1, 1])
    FIGURES.mkdir(exist_ok=True)
    plot.hull(bonus, known).figure.savefig(FIGURES / "contracts-hull-bonus.png", dpi=100)
    plot.guarantee(known).figure.savefig(FIGURES / "contracts-guarantee.png", dpi=100)
    best = optimal_randomized(known)
    plot.randomized(best).figure.savefig(FIGURES / "contracts-randomized.png", dpi=100)
    _draw_planning_figure()
    _draw_portfolio_figures()
    _draw_learning_figure()


def _draw_portfolio_figures() -> None:
    """Draw the bounds and the uncertainty of ``tutorial/portfolios.md``, and the GSN example."""
    import portfolios
    from portfolios import plot as portfolio_plot

    P = portfolios.load(Path(__file__).parent / "tutorial" / "two-cases.yaml")
    data = P.to_dict()
    data["assumptions"]["features_real"]["p_fail"] = {
        "parsimony": {"holds": [0.05, 0.15], "fails": 0.5}
    }
    Q = portfolios.Portfolio.from_dict(data)
    ax = portfolio_plot.bounds(Q)
    ax.figure.savefig(FIGURES / "portfolios-bounds.png", dpi=100)
    data = P.to_dict()
    data["parameters"] = {"soundness": {"beta": [1, 19]}}
    data["latent"]["parsimony"]["p_fail"] = {"beta": [3, 7]}
    data["assumptions"]["elicitation"]["p_fail"] = {"beta": [1, 19]}
    for case in data["cases"].values():
        case["soundness_error"] = {"param": "soundness"}
    R = portfolios.Portfolio.from_dict(data)
    ax = portfolio_plot.uncertainty(R.uncertainty("rnd_sabotage", samples=100_000, rng=0))
    ax.figure.savefig(FIGURES / "portfolios-uncertainty.png", dpi=100)
    from portfolios import gsn

    ax = portfolio_plot.argument(gsn.load(gsn.EXAMPLE_PATH))
    ax.figure.savefig(FIGURES / "portfolios-gsn.png", dpi=100)


def _draw_planning_figure() -> None:
    """Draw the nominal-vs-robust bars of ``tutorial/planning-against-murphy.md``."""
    from infrabayes.sequential import InfraMDP, compare
    from infrabayes.sequential import plot as sequential_plot

    half, quarter, three_quarters = Fraction(1, 2), Fraction(1, 4), Fraction(3, 4)
    machine = InfraMDP(
        ["new", "worn", "broken"],
        {"new": ["run"], "worn": ["run", "service"], "broken": ["repair"]},
        {
            ("new", "run"): {"new": (half, three_quarters), "worn": (quarter, half)},
            ("worn", "run"): {"worn": (half, 1), "broken": (0, half)},
            ("worn", "service"): {"new": 1},
            ("broken", "repair"): {"new": (half, 1), "broken": (0, half)},
        },
        {
            ("new", "run"): 1,
            ("worn", "run"): three_quarters,
            ("worn", "service"): 0,
            ("broken", "repair"): 0,
        },
        Fraction(9, 10),
    )
    ax = sequential_plot.comparison(compare(machine))
    ax.figure.savefig(FIGURES / "infrabayes-planning-comparison.png", dpi=100)


def _draw_learning_figure() -> None:
    """Draw the regret curves of ``tutorial/learning-in-newcombs-bandit.md`` (20 x 2,000 rounds)."""
    from infrabayes.learning import (
        EXP3,
        UCB1,
        BayesAgent,
        IBAgent,
        NewcombBandit,
        ThompsonSampling,
        chance,
        predictor,
        run,
    )
    from infrabayes.learning import plot as learning_plot

    f = Fraction
    env = NewcombBandit()
    hypotheses = [
        predictor(env, errors=[0, f(1, 10), f(1, 5)]),
        chance(env, [[1, 0], [f(9, 10), f(1, 10)], [f(4, 5), f(1, 5)]]),
    ]
    agents = [
        IBAgent(hypotheses),
        BayesAgent(hypotheses),
        UCB1(env.actions),
        ThompsonSampling(env.actions),
        EXP3(env.actions),
    ]
    results = [run(agent, env, steps=2000, seeds=20) for agent in agents]
    ax = learning_plot.regret(results)
    ax.figure.savefig(FIGURES / "infrabayes-learning-regret.png", dpi=100)


def setup(app: Any) -> dict[str, Any]:
    """Register the figures, MathJax's copy, the reference resolver, rubrics, alias signatures."""
    mathjax_source()  # fail early, with the pip command, if MathJax's files are missing
    app.connect("builder-inited", _draw_figures)
    app.connect("build-finished", _copy_mathjax)
    app.connect("missing-reference", _resolve_unqualified)
    app.connect("autodoc-process-docstring", _module_sections_as_rubrics)
    app.connect("autodoc-process-signature", _alias_signature, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
