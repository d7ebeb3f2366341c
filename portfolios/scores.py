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
independent cases (``independent_cases``)
    ``n_eff(s) = log P(U(s)) / log g`` with ``g = (prod_c P(F_c))^(1/k)`` the geometric mean of
    the case failure probabilities: the number of independent cases, each failing with
    probability ``g``, that would give the same ``P(U(s))``. It equals ``k`` for independent
    cases, 1 when the cases fail together, and exceeds ``k`` under negative association
    (``inf`` when the cases never fail together). Undefined (None) when ``g`` is 0 or 1.
single case
    ``k = 1``: no second line of defence; the ratio is 1 and ``n_eff`` is 1 trivially.

Interval probabilities and unknown dependence
---------------------------------------------
A scenario whose probability depends on an interval (:mod:`portfolios.values`) has no point
value: :func:`portfolio_score` reports ``p_unprotected`` (and the failure probability of each
covering case that depends on one, and the product) as ``nan``, the ratio and ``n_eff`` as
undefined, and the tightest interval instead (:func:`portfolios.bounds.bounds`:
``ScenarioScore.bounds``, ``case_bounds``). With ``dependence="unknown"`` every scenario also
gets its unknown-dependence interval (``unknown_dependence``: the linear programme, or
Fréchet intervals past its size limits; the result says which and whether it is tight).
``within_tolerance`` then compares ``max_risk`` with the most cautious number reported: the
upper end of the unknown-dependence interval if there is one, else of the interval, else the
point value.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from . import _html, report
from .bounds import Bounds, bounds, joint_bounds
from .cutsets import CutSets, minimal_cut_sets, order_lower_bound
from .errors import ComputationLimitError, PortfolioError, UnknownIdError, did_you_mean
from .limits import Progress
from .model import Entries
from .probability import all_fail_probability, interval_parameters
from .structure import Structure, compile_structure, covering_cases

__all__ = [
    "REPORT_MAX_ORDER",
    "Correlation",
    "PortfolioScore",
    "ScenarioScore",
    "coincidence_ratio",
    "correlation",
    "independent_cases",
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


def independent_cases(p_all: float, marginals: list[float]) -> float | None:
    """Return ``log(p_all) / log(geometric mean of marginals)``, or None where undefined.

    The equivalent number of independent cases (module docstring); ``effective_cases`` is a
    deprecated alias of this function.

    Examples
    --------
    >>> independent_cases(0.25, [0.5, 0.5])  # independent: 2 cases
    2.0
    >>> independent_cases(0.5, [0.5, 0.5])  # they always fail together: 1 case
    1.0
    >>> independent_cases(0.0, [0.5, 0.5])
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


#: Deprecated alias of :func:`independent_cases` (the name had three meanings).
effective_cases = independent_cases


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
    independent_cases : float or None
        The equivalent number of independent cases (module docstring); ``effective_cases`` is
        a deprecated alias. Not the diversity's dissimilar cases, nor the participation ratio.
    single_case : bool
        True if a single case covers the scenario.
    """

    scenario: str
    covering_cases: tuple[str, ...]
    p_unprotected: float
    case_failure: Mapping[str, float]
    independent_product: float
    coincidence_ratio: float | None
    independent_cases: float | None
    single_case: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "case_failure", MappingProxyType(dict(self.case_failure)))

    @property
    def effective_cases(self) -> float | None:
        """Deprecated alias of :attr:`independent_cases`."""
        return self.independent_cases


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
        ``max_risk`` against the most cautious number reported (module docstring): the point
        value, or the upper end of an interval (None without a tolerance).
    cut_sets : CutSets
        Its minimal cut sets (up to ``cut_sets.max_order``).
    bounds : Bounds or None
        When the scenario depends on interval probabilities: the tightest interval for
        ``p_unprotected`` (which is then ``nan``).
    unknown_dependence : Bounds or None
        With ``dependence="unknown"``: the interval over every joint law of the units inside
        each latent state.
    case_bounds : mapping of str to Bounds
        The interval of each covering case whose failure depends on an interval probability.
    """

    statement: str = ""
    max_risk: float | None = None
    within_tolerance: bool | None = None
    cut_sets: CutSets | None = None
    bounds: Bounds | None = None
    unknown_dependence: Bounds | None = None
    case_bounds: Mapping[str, Bounds] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "case_bounds", MappingProxyType(dict(self.case_bounds)))

    @property
    def cautious_interval(self) -> tuple[float, float]:
        """The most cautious interval reported: unknown dependence, interval, or the point."""
        for b in (self.unknown_dependence, self.bounds):
            if b is not None:
                return (b.lower, b.upper)
        return (self.p_unprotected, self.p_unprotected)

    def __repr__(self) -> str:
        ratio = "undefined" if self.coincidence_ratio is None else f"{self.coincidence_ratio:.4g}"
        if self.bounds is not None:
            p = f"[{self.bounds.lower:.4g}, {self.bounds.upper:.4g}]"
        else:
            p = f"{self.p_unprotected:.4g}"
        unknown = ""
        if self.unknown_dependence is not None:
            u = self.unknown_dependence
            unknown = f", unknown_dependence=[{u.lower:.4g}, {u.upper:.4g}]"
        return (
            f"ScenarioScore({self.scenario!r}, p_unprotected={p}{unknown}, "
            f"cases={len(self.covering_cases)}, coincidence_ratio={ratio}, "
            f"within_tolerance={self.within_tolerance})"
        )

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows: the scores, then each case's failure."""
        f = report._fmt
        p = report._p(self)
        items = [("P(unprotected)", p)]
        if self.unknown_dependence is not None:
            u = self.unknown_dependence
            items.append(("unknown dependence", f"[{f(u.lower)}, {f(u.upper)}]"))
        items += [
            ("if independent", f(self.independent_product)),
            ("coincidence ratio", f(self.coincidence_ratio)),
            ("independent cases", f"{f(self.independent_cases)} of {len(self.covering_cases)}"),
            (
                "within tolerance",
                "-" if self.within_tolerance is None else str(self.within_tolerance),
            ),
        ]
        cases = [[c, report._case_p(self, c)] for c in self.case_failure]
        return _html.document(
            f"scenario {self.scenario}",
            _html.pairs(items),
            _html.table(["covering case", "P(fails)"], cases, "lr"),
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
            hint = did_you_mean(scenario, self.scenarios)
            raise UnknownIdError(None, f"unknown scenario {scenario!r}{hint}; known: {known}")
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
        def shown(v: ScenarioScore) -> str:
            if v.bounds is not None:
                return f"[{v.bounds.lower:.3g}, {v.bounds.upper:.3g}]"
            return f"{v.p_unprotected:.3g}"

        rows = ", ".join(f"{k}: {shown(v)}" for k, v in self.scenarios.items())
        return f"PortfolioScore({self.title or self.file!r}; P(unprotected) {rows})"

    def _repr_html_(self) -> str:
        """Return the HTML report Jupyter shows (the summary table and the cut sets)."""
        return report.render_html(self)


def _interval_fields(structure: Structure, scenario: str) -> dict[str, Any]:
    """Return the score's fields when P(U) depends on an interval: nan points, intervals."""
    cases = covering_cases(structure, scenario)
    failure, case_bounds = {}, {}
    for c in cases:
        if interval_parameters(structure, [c]):
            failure[c] = math.nan
            case_bounds[c] = joint_bounds(structure, [c])
        else:
            failure[c] = all_fail_probability(structure, [c])
    return {
        "scenario": scenario,
        "covering_cases": cases,
        "p_unprotected": math.nan,
        "case_failure": failure,
        "independent_product": math.nan,
        "coincidence_ratio": None,
        "independent_cases": None,
        "single_case": len(cases) == 1,
        "bounds": bounds(structure, scenario),
        "case_bounds": case_bounds,
    }


def _unknown_dependence(structure: Structure, scenario: str, method: str | None) -> Bounds:
    """Return the unknown-dependence interval: the programme, or Fréchet past its limits."""
    if method is not None:
        return bounds(structure, scenario, dependence="unknown", method=method)
    try:
        return bounds(structure, scenario, dependence="unknown", method="lp")
    except ComputationLimitError:
        return bounds(structure, scenario, dependence="unknown", method="frechet")


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
        "independent_cases": independent_cases(p_all, values),
        "single_case": len(cases) == 1,
    }


def _listed_cut_sets(structure: Structure, cases: tuple[str, ...], max_order: int) -> CutSets:
    """Return the cut sets up to ``max_order``, or up to the smallest order that has one.

    The search starts at the lower bound on the order (:func:`cutsets.order_lower_bound`); a
    scenario whose cut sets are too many to enumerate (:data:`~portfolios.limits.MAX_CUT_SETS`)
    gets none, with the reason in ``CutSets.note``, and the rest of its score.
    """
    clauses = [[sum(1 << e for e in term) for term in structure.terms[c]] for c in cases]
    order = max(max_order, order_lower_bound(clauses))
    try:
        cuts = minimal_cut_sets(structure, cases, max_order=order)
        while not cuts.cut_sets and order < len(structure.events):
            order += 1
            cuts = minimal_cut_sets(structure, cases, max_order=order)
    except ComputationLimitError as err:
        cause = err.__cause__ if isinstance(err.__cause__, ComputationLimitError) else err
        return CutSets(cases, (), order, note=f"not listed: {cause.problem}")
    return cuts


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
    dependence: str = "independent",
    method: str | None = None,
    progress: Progress | None = None,
) -> PortfolioScore:
    """Score every scenario: P(unprotected), correlation scores and cut sets.

    Cut sets are listed up to order ``max_order``; where there is none that small, up to the
    smallest order that has one, so the minimum order is always reported (a scenario that
    cannot be unprotected has none). Where they are too many to enumerate
    (:data:`~portfolios.limits.MAX_CUT_SETS` partial cut sets), none is listed and
    ``cut_sets.note`` says why and bounds their order from below; the rest of the score stands.

    Parameters
    ----------
    entries : Entries
        Validated entries (``Portfolio.entries``): the scenarios' statements and tolerances,
        the title, description and file.
    structure : Structure, optional
        Their compiled structure (``Portfolio.structure``); compiled here if not given.
    max_order : int
    dependence : {"independent", "unknown"}
        With ``"unknown"``, every scenario also gets its unknown-dependence interval (module
        docstring).
    method : {"lp", "frechet"}, optional
        For ``dependence="unknown"``: the method; by default the linear programme, or
        Fréchet intervals where the programme is past its size limits.
    progress : callable, optional
        ``progress(done, total)`` after each scenario (:data:`portfolios.limits.Progress`).

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
    if dependence not in ("independent", "unknown"):
        raise PortfolioError(
            None,
            f"unknown dependence {dependence!r}"
            f"{did_you_mean(dependence, ('independent', 'unknown'))}; choose one of independent, "
            "unknown",
        )
    if dependence == "independent" and method is not None:
        raise PortfolioError(None, "method= goes with dependence='unknown'")
    scores = {}
    for done, (s, scenario) in enumerate(entries.scenarios.items(), start=1):
        if interval_parameters(structure, covering_cases(structure, s)):
            fields = _interval_fields(structure, s)
        else:
            fields = _correlation_fields(structure, s)
        if dependence == "unknown":
            fields["unknown_dependence"] = _unknown_dependence(structure, s, method)
        cuts = _listed_cut_sets(structure, fields["covering_cases"], max_order)
        limit = scenario.max_risk
        cautious = fields["p_unprotected"]
        for key in ("unknown_dependence", "bounds"):
            if fields.get(key) is not None:
                cautious = fields[key].upper
                break
        scores[s] = ScenarioScore(
            **fields,
            statement=scenario.statement,
            max_risk=limit,
            within_tolerance=None if limit is None else cautious <= limit,
            cut_sets=cuts,
        )
        if progress is not None:
            progress(done, len(entries.scenarios))
    return PortfolioScore(
        scores, title=entries.title, description=entries.description, file=entries.file
    )
