"""Hypothesis strategies for random portfolios (requires the ``hypothesis`` package).

Definitions
-----------
:func:`portfolio_dicts` draws plain data in the file format, valid by construction: ids
``W0, W1, ...`` (latent), ``A0, ...`` (assumptions), ``C0, ...`` (cases), ``S0, ...``
(scenarios); requirements point only to earlier assumptions and ``rests_on`` only to earlier
cases (so both are DAGs); every scenario is covered by at least one case. :func:`portfolios`
maps it through :meth:`Portfolio.from_dict`. Probabilities come from :func:`probabilities`: a
grid of twentieths including 0 and 1, mixed with arbitrary floats in [0, 1]. With
``values="intervals"`` or ``values="distributions"`` (:func:`probability_values`), some of them
are intervals ``[lo, hi]``, or distributions (beta, uniform, triangular, lognormal) and
references ``{param: NAME}`` to a drawn ``parameters`` section.

Not imported by ``portfolios/__init__``.

Exactness, the same rule in :mod:`contracts.strategies`, :mod:`infrabayes.strategies` and
:mod:`portfolios.strategies`: every strategy that draws numbers takes the keyword ``exact``,
default True (``Fraction`` s), where the package can compute with them. ``portfolios`` cannot: it
reads every probability as a float64 (a ``Fraction`` ``p_fail`` is converted on reading) and
computes in float64, so an exact draw would test nothing exact; these strategies have no
``exact`` and draw floats (the twentieths of :func:`probabilities` are the "nice" values).

Examples
--------
>>> from portfolios.strategies import portfolios
>>> portfolios(max_cases=3).example()  # doctest: +SKIP
Portfolio(<strategy>: 1 latent, 4 assumptions, 3 cases, 2 scenarios)
"""

from __future__ import annotations

from typing import Any

from ._extras import missing

try:
    from hypothesis import strategies as st
except ImportError:
    raise missing("hypothesis", "test", "portfolios.strategies") from None

from .errors import PortfolioTypeError
from .portfolio import Portfolio

__all__ = ["VALUE_KINDS", "portfolio_dicts", "portfolios", "probabilities", "probability_values"]

#: The kinds of probability values :func:`portfolio_dicts` can draw.
VALUE_KINDS = ("points", "intervals", "distributions")


def probabilities() -> st.SearchStrategy[float]:
    """Return a strategy for probabilities: twentieths (0 and 1 included) or any float in [0, 1]."""
    grid = st.integers(0, 20).map(lambda k: k / 20)
    anything = st.floats(0.0, 1.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return st.one_of(grid, anything)


def _intervals() -> st.SearchStrategy[Any]:
    pairs = st.tuples(probabilities(), probabilities())
    return pairs.map(lambda t: [min(t), max(t)])


def _distributions() -> st.SearchStrategy[Any]:
    shape = st.floats(0.5, 10.0)
    unit = st.floats(0.0, 1.0)
    beta = st.tuples(shape, shape).map(lambda t: {"beta": [t[0], t[1]]})
    uniform = st.tuples(unit, unit).filter(lambda t: t[0] != t[1])
    triangular = st.tuples(unit, unit, unit).filter(lambda t: min(t) < max(t))
    lognormal = st.tuples(st.floats(1.0e-4, 0.05), st.floats(1.2, 3.0))
    return st.one_of(
        beta,
        uniform.map(lambda t: {"uniform": sorted(t)}),
        triangular.map(lambda t: {"triangular": sorted(t)}),
        lognormal.map(lambda t: {"lognormal": {"median": t[0], "error_factor": t[1]}}),
    )


def probability_values(values: str = "points") -> st.SearchStrategy[Any]:
    """Return a strategy for probabilities in the file format.

    ``"points"``: :func:`probabilities`; ``"intervals"``: a point or an interval ``[lo, hi]``;
    ``"distributions"``: a point or a distribution (beta, uniform, triangular, lognormal).
    """
    if values not in VALUE_KINDS:
        raise PortfolioTypeError(None, f"values must be one of {VALUE_KINDS}, got {values!r}")
    if values == "points":
        return probabilities()
    other = _intervals() if values == "intervals" else _distributions()
    return st.one_of(probabilities(), other)


def _check_bounds(**bounds: int) -> None:
    for name, value in bounds.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise PortfolioTypeError(None, f"{name} must be a non-negative int, got {value!r}")


@st.composite
def portfolio_dicts(
    draw: st.DrawFn,
    *,
    min_latent: int = 0,
    max_latent: int = 2,
    min_assumptions: int = 0,
    max_assumptions: int = 5,
    max_cases: int = 4,
    max_scenarios: int = 2,
    requirements: bool = True,
    case_dependencies: bool = True,
    values: str = "points",
) -> dict[str, Any]:
    """Draw a valid portfolio in the file format (see the module docstring).

    Parameters
    ----------
    min_latent, max_latent, min_assumptions, max_assumptions, max_cases, max_scenarios : int
        Size bounds (at least one case and one scenario are always drawn).
    requirements : bool
        Whether assumptions may require earlier ones.
    case_dependencies : bool
        Whether cases may rest on earlier ones.
    values : {"points", "intervals", "distributions"}
        The kinds of probabilities drawn (:func:`probability_values`); with
        ``"distributions"``, a ``parameters`` section of up to two distributions ``P0, P1`` is
        drawn too, and some probabilities name them (``{param: P0}``).
    """
    _check_bounds(
        min_latent=min_latent,
        min_assumptions=min_assumptions,
        max_latent=max_latent,
        max_assumptions=max_assumptions,
        max_cases=max_cases,
        max_scenarios=max_scenarios,
    )
    prob = probability_values(values)
    shared: dict[str, Any] = {}
    if values == "distributions":
        shared = {f"P{i}": draw(_distributions()) for i in range(draw(st.integers(0, 2)))}
        if shared:
            prob = st.one_of(prob, st.sampled_from(sorted(shared)).map(lambda n: {"param": n}))
    n_latent = draw(st.integers(min_latent, max(min_latent, max_latent)))
    n_assumptions = draw(st.integers(min_assumptions, max(min_assumptions, max_assumptions)))
    n_cases = draw(st.integers(1, max(1, max_cases)))
    n_scenarios = draw(st.integers(1, max(1, max_scenarios)))
    latent = {f"W{i}": {"statement": f"w{i}", "p_fail": draw(prob)} for i in range(n_latent)}
    assumptions: dict[str, Any] = {}
    for i in range(n_assumptions):
        entry: dict[str, Any] = {"statement": f"a{i}"}
        if n_latent and draw(st.integers(0, 2)) > 0:
            j = draw(st.integers(0, n_latent - 1))
            entry["p_fail"] = {f"W{j}": {"holds": draw(prob), "fails": draw(prob)}}
        else:
            entry["p_fail"] = draw(prob)
        if requirements and i and draw(st.integers(0, 3)) == 0:
            entry["requires"] = draw(
                st.lists(st.sampled_from([f"A{k}" for k in range(i)]), max_size=2, unique=True)
            )
        assumptions[f"A{i}"] = entry
    cases: dict[str, Any] = {}
    names = list(assumptions)
    for i in range(n_cases):
        entry = {"statement": f"c{i}", "soundness_error": draw(prob)}
        if names:
            entry["assumptions"] = draw(
                st.lists(st.sampled_from(names), max_size=min(3, len(names)), unique=True)
            )
        if case_dependencies and i and draw(st.integers(0, 4)) == 0:
            entry["rests_on"] = [f"C{draw(st.integers(0, i - 1))}"]
        entry["covers"] = []
        cases[f"C{i}"] = entry
    scenarios: dict[str, Any] = {}
    for s in range(n_scenarios):
        sid = f"S{s}"
        covering = draw(
            st.lists(st.sampled_from(list(cases)), min_size=1, max_size=n_cases, unique=True)
        )
        for c in covering:
            cases[c]["covers"].append(sid)
        scenarios[sid] = {"statement": f"s{s}"}
        if draw(st.booleans()):
            scenarios[sid]["max_risk"] = draw(probabilities())
    data: dict[str, Any] = {"cases": cases, "scenarios": scenarios}
    if shared:
        data["parameters"] = shared
    if latent:
        data["latent"] = latent
    if assumptions:
        data["assumptions"] = assumptions
    return data


def portfolios(**bounds: Any) -> st.SearchStrategy[Portfolio]:
    """Return a strategy for :class:`Portfolio` objects (keywords as :func:`portfolio_dicts`)."""
    return portfolio_dicts(**bounds).map(lambda d: Portfolio.from_dict(d, file="<strategy>"))
