"""Correlation scores per scenario: how much worse than independent the covering cases are.

Definitions
-----------
For scenario ``s`` covered by ``k`` cases with failure probabilities ``P(F_c)``:

coincidence ratio
    ``rho(s) = P(U(s)) / prod_c P(F_c)``, the probability that every covering case fails over
    what it would be if the cases failed independently (Eckhardt and Lee 1985's
    ``E[theta^2] / E[theta]^2`` for two versions). Shared assumptions and shared latent
    variables push it above 1; cases whose failures are negatively associated (a control case
    strongest exactly where interpretability fails) can push it below 1; it is never clipped.
    Undefined (None) when the product is 0 (then ``P(U(s)) = 0`` too).
effective number of independent cases
    ``n_eff(s) = log P(U(s)) / log g`` with ``g = (prod_c P(F_c))^(1/k)`` the geometric mean of
    the case failure probabilities: the number of independent cases, each failing with
    probability ``g``, that would give the same ``P(U(s))``. It equals ``k`` for independent
    cases, 1 when the cases fail together, and exceeds ``k`` under negative association
    (``inf`` when the cases never fail together). Undefined (None) when ``g`` is 0 or 1.
single case
    ``k = 1``: no second line of defence; the ratio is 1 and ``n_eff`` is 1 trivially.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from . import report
from .cutsets import CutSets, minimal_cut_sets
from .errors import UnknownIdError
from .model import Entries
from .probability import all_fail_probability
from .structure import Structure, compile_structure, covering_cases

__all__ = [
    "REPORT_MAX_ORDER",
    "Correlation",
    "PortfolioScore",
    "ScenarioScore",
    "coincidence_ratio",
    "correlation",
    "effective_cases",
    "portfolio_score",
]

#: Cut sets up to this order are listed by :func:`portfolio_score` (more if none is that small).
REPORT_MAX_ORDER = 3


def coincidence_ratio(p_all: float, marginals: list[float]) -> float | None:
    """Return ``p_all / prod(marginals)``, or None when the product is 0.

    Examples
    --------
    >>> round(coincidence_ratio(0.154, [0.28, 0.37]), 12)  # 0.154 / 0.1036 = 385/259
    1.486486486486
    >>> coincidence_ratio(0.0, [0.5, 0.5])  # never clipped
    0.0
    """
    if any(m == 0.0 for m in marginals):
        return None
    if p_all == 0.0:
        return 0.0
    # In logarithms: the product of many small marginals may underflow.
    return math.exp(math.log(p_all) - math.fsum(math.log(m) for m in marginals))


def effective_cases(p_all: float, marginals: list[float]) -> float | None:
    """Return ``log(p_all) / log(geometric mean of marginals)``, or None where undefined.

    Examples
    --------
    >>> effective_cases(0.25, [0.5, 0.5])  # independent: 2 cases
    2.0
    >>> effective_cases(0.5, [0.5, 0.5])  # they always fail together: 1 case
    1.0
    >>> effective_cases(0.0, [0.5, 0.5])
    inf
    """
    k = len(marginals)
    if k == 0 or any(m == 0.0 for m in marginals):
        return None
    log_g = math.fsum(math.log(m) for m in marginals) / k
    if log_g == 0.0:
        return None
    if p_all == 0.0:
        return math.inf
    return math.log(p_all) / log_g


@dataclass(frozen=True)
class Correlation:
    """The correlation scores of one scenario (see the module docstring).

    Attributes
    ----------
    scenario : str
    covering_cases : tuple of str
    p_unprotected : float
        P(every covering case fails), exact.
    case_failure : mapping of str to float
        Each covering case's failure probability.
    independent_product : float
        The product of those: P(unprotected) if the cases failed independently.
    coincidence_ratio : float or None
    effective_cases : float or None
    single_case : bool
        True if a single case covers the scenario.
    """

    scenario: str
    covering_cases: tuple[str, ...]
    p_unprotected: float
    case_failure: Mapping[str, float]
    independent_product: float
    coincidence_ratio: float | None
    effective_cases: float | None
    single_case: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "case_failure", MappingProxyType(dict(self.case_failure)))


@dataclass(frozen=True)
class ScenarioScore(Correlation):
    """Everything the report says about one scenario.

    Adds to :class:`Correlation`:

    Attributes
    ----------
    statement : str
    max_risk : float or None
        The scenario's risk tolerance.
    within_tolerance : bool or None
        ``p_unprotected <= max_risk`` (None without a tolerance).
    cut_sets : CutSets
        Its minimal cut sets (up to ``cut_sets.max_order``).
    """

    statement: str = ""
    max_risk: float | None = None
    within_tolerance: bool | None = None
    cut_sets: CutSets | None = None

    def __repr__(self) -> str:
        ratio = "undefined" if self.coincidence_ratio is None else f"{self.coincidence_ratio:.4g}"
        return (
            f"ScenarioScore({self.scenario!r}, p_unprotected={self.p_unprotected:.4g}, "
            f"cases={len(self.covering_cases)}, coincidence_ratio={ratio}, "
            f"within_tolerance={self.within_tolerance})"
        )


@dataclass(frozen=True, eq=False)
class PortfolioScore(Mapping[str, ScenarioScore]):
    """The scores of every scenario of a portfolio; a read-only mapping from scenario id.

    It is a :class:`collections.abc.Mapping`: ``keys()``, ``values()``, ``items()``, ``get()``
    and ``in`` work as on a dict (two scores compare equal when they hold the same
    :class:`ScenarioScore` objects).

    Attributes
    ----------
    scenarios : mapping of str to ScenarioScore
    title, description, file : str or None
        From the portfolio.
    """

    scenarios: Mapping[str, ScenarioScore]
    title: str | None = None
    description: str | None = None
    file: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "scenarios", MappingProxyType(dict(self.scenarios)))

    def __getitem__(self, scenario: str) -> ScenarioScore:
        if scenario not in self.scenarios:
            known = ", ".join(self.scenarios)
            raise UnknownIdError(None, f"unknown scenario {scenario!r}; known: {known}")
        return self.scenarios[scenario]

    def __iter__(self) -> Iterator[str]:
        return iter(self.scenarios)

    def __len__(self) -> int:
        return len(self.scenarios)

    @property
    def all_within_tolerance(self) -> bool:
        """False if some scenario's P(unprotected) exceeds its max_risk."""
        return all(s.within_tolerance is not False for s in self.scenarios.values())

    def to_dict(self) -> dict[str, Any]:
        """Return plain data (what :meth:`to_json` writes)."""
        return report.score_to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the JSON rendering (non-finite numbers are written as strings)."""
        return report.render_json(self, indent=indent)

    def to_text(self, *, max_listed: int = 5) -> str:
        """Return the plain-text rendering, listing ``max_listed`` cut sets per scenario."""
        return report.render_text(self, max_listed=max_listed)

    def to_markdown(self, *, max_listed: int = 5) -> str:
        """Return the Markdown rendering."""
        return report.render_markdown(self, max_listed=max_listed)

    def __repr__(self) -> str:
        rows = ", ".join(f"{k}: {v.p_unprotected:.3g}" for k, v in self.scenarios.items())
        return f"PortfolioScore({self.title or self.file!r}; P(unprotected) {rows})"


def _correlation_fields(structure: Structure, scenario: str) -> dict[str, Any]:
    cases = covering_cases(structure, scenario)
    p_all = all_fail_probability(structure, list(cases))
    marginals = {c: all_fail_probability(structure, [c]) for c in cases}
    values = list(marginals.values())
    return {
        "scenario": scenario,
        "covering_cases": cases,
        "p_unprotected": p_all,
        "case_failure": marginals,
        "independent_product": float(np.prod(values)),
        "coincidence_ratio": coincidence_ratio(p_all, values),
        "effective_cases": effective_cases(p_all, values),
        "single_case": len(cases) == 1,
    }


def correlation(structure: Structure, scenario: str) -> Correlation:
    """Return the correlation scores of ``scenario`` (see the module docstring).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": 0.1},
    ...                     "B": {"statement": "b", "p_fail": 0.2},
    ...                     "C": {"statement": "c", "p_fail": 0.3}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> c = correlation(P.structure, "S")  # P(U) = 0.154, P(F_X) = 0.28, P(F_Y) = 0.37
    >>> round(c.coincidence_ratio, 6), round(c.independent_product, 12)
    (1.486486, 0.1036)
    """
    return Correlation(**_correlation_fields(structure, scenario))


def portfolio_score(
    entries: Entries,
    *,
    structure: Structure | None = None,
    max_order: int = REPORT_MAX_ORDER,
) -> PortfolioScore:
    """Score every scenario: P(unprotected), correlation scores and cut sets.

    Cut sets are listed up to order ``max_order``; where there is none that small, up to the
    smallest order that has one, so the minimum order is always reported (a scenario that
    cannot be unprotected has none).

    Parameters
    ----------
    entries : Entries
        Validated entries (``Portfolio.entries``): the scenarios' statements and tolerances,
        the title, description and file.
    structure : Structure, optional
        Their compiled structure (``Portfolio.structure``); compiled here if not given.
    max_order : int

    Returns
    -------
    PortfolioScore
        With ``to_text()``, ``to_markdown()`` and ``to_json()`` renderings.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> score = portfolio_score(P.entries, structure=P.structure)
    >>> score["oversight_undermining"].cut_sets.min_order
    1
    """
    if structure is None:
        structure = compile_structure(entries)
    scores = {}
    for s, scenario in entries.scenarios.items():
        fields = _correlation_fields(structure, s)
        cases = fields["covering_cases"]
        order = max_order
        cuts = minimal_cut_sets(structure, cases, max_order=order)
        while not cuts.cut_sets and order < len(structure.events):
            order += 1
            cuts = minimal_cut_sets(structure, cases, max_order=order)
        limit = scenario.max_risk
        scores[s] = ScenarioScore(
            **fields,
            statement=scenario.statement,
            max_risk=limit,
            within_tolerance=None if limit is None else fields["p_unprotected"] <= limit,
            cut_sets=cuts,
        )
    return PortfolioScore(
        scores, title=entries.title, description=entries.description, file=entries.file
    )
