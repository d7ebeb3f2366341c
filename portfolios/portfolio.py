"""The :class:`Portfolio` class: one object per portfolio file, for the REPL.

Definitions
-----------
A portfolio is a set of latent variables, assumptions, safety cases and scenarios (see
:mod:`portfolios.model`). Scenario ``s`` is *unprotected* when every case covering it fails;
the methods below compute that probability exactly, the correlation scores, the minimal cut
sets, a full report, and the network views. A portfolio holds its validated entries
(``P.entries``, an :class:`~portfolios.model.Entries`) and their compiled
:class:`~portfolios.structure.Structure` (``P.structure``, computed once); each method is a
thin delegation to a function of those, in the modules below it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from ._data import from_data, to_data
from ._gsndoc import to_gsn_document
from .bounds import Bounds, bounds
from .cutsets import CutSets, minimal_cut_sets
from .diversity import Diversity, portfolio_diversity
from .errors import PortfolioTypeError, UnknownIdError, did_you_mean, quote
from .importance import Importance, portfolio_importance
from .limits import Progress
from .model import Assumption, Case, Entries, Latent, Scenario
from .network import case_projection, portfolio_graph, write_graphml
from .probability import DEFAULT_SAMPLES, MonteCarloEstimate, all_fail_probability
from .scores import REPORT_MAX_ORDER, Correlation, PortfolioScore, correlation, portfolio_score
from .structure import Structure, compile_structure, covering_cases
from .uncertainty import DEFAULT_QUANTILES, Uncertainty, uncertainty
from .validation import check_portfolio
from .whatnext import Ranking, best_addition, most_load_bearing

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["REPORT_MAX_ORDER", "Portfolio"]


class Portfolio:
    """A portfolio of safety cases resting on shared world-model assumptions.

    Build one with :func:`portfolios.load` (a YAML or JSON file), :meth:`from_dict`, or
    directly from the entries of :mod:`portfolios.model`; all three validate the input with
    the same checks (:mod:`portfolios.validation`) and raise a
    :class:`~portfolios.errors.PortfolioError` naming the entry and the field. The sections
    (``P.latent``, ``P.assumptions``, ``P.cases``, ``P.scenarios``) are read-only mappings from
    id to frozen dataclasses; ``P.entries`` holds them with the title, description and file.

    Examples
    --------
    >>> from portfolios import Portfolio
    >>> P = Portfolio.from_dict({
    ...     "latent": {"W": {"statement": "models are parsimonious", "p_fail": 0.3}},
    ...     "assumptions": {
    ...         "A": {"statement": "a", "p_fail": {"W": {"holds": 0.1, "fails": 0.5}}},
    ...         "B": {"statement": "b", "p_fail": {"W": {"holds": 0.2, "fails": 0.6}}}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s", "max_risk": 0.1}},
    ... })
    >>> P
    Portfolio(<dict>: 1 latent, 2 assumptions, 2 cases, 1 scenarios)
    >>> round(P.p_unprotected("S"), 12)  # 0.7 * 0.1 * 0.2 + 0.3 * 0.5 * 0.6
    0.104
    >>> round(P.correlation("S").coincidence_ratio, 6)  # 0.104 / (0.22 * 0.32) = 65/44
    1.477273

    Built directly, a reference to an unknown id is refused:

    >>> from portfolios import Case, Scenario
    >>> Portfolio(latent={}, assumptions={},
    ...           cases={"X": Case("X", "x", assumptions=("A",), covers=("S",))},
    ...           scenarios={"S": Scenario("S", "s")})
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: cases entry 'X', field 'assumptions': unknown assumption 'A'
    """

    def __init__(
        self,
        *,
        latent: Mapping[str, Latent],
        assumptions: Mapping[str, Assumption],
        cases: Mapping[str, Case],
        scenarios: Mapping[str, Scenario],
        title: str | None = None,
        description: str | None = None,
        file: str | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        entries = Entries(
            latent=latent,
            assumptions=assumptions,
            cases=cases,
            scenarios=scenarios,
            title=title,
            description=description,
            file=file,
            parameters=parameters or {},
        )
        check_portfolio(entries.sections(), file=file, parameters=entries.parameters)
        self._entries = entries

    @property
    def entries(self) -> Entries:
        """The validated entries (what the function modules take)."""
        return self._entries

    @property
    def latent(self) -> Mapping[str, Latent]:
        """The latent variables: a read-only mapping from id to entry, in file order."""
        return self._entries.latent

    @property
    def assumptions(self) -> Mapping[str, Assumption]:
        """The assumptions: a read-only mapping from id to entry, in file order."""
        return self._entries.assumptions

    @property
    def cases(self) -> Mapping[str, Case]:
        """The safety cases: a read-only mapping from id to entry, in file order."""
        return self._entries.cases

    @property
    def scenarios(self) -> Mapping[str, Scenario]:
        """The scenarios: a read-only mapping from id to entry, in file order."""
        return self._entries.scenarios

    @property
    def title(self) -> str | None:
        """The title, if any."""
        return self._entries.title

    @property
    def description(self) -> str | None:
        """The description, if any."""
        return self._entries.description

    @property
    def file(self) -> str | None:
        """The file it was read from (``"<dict>"`` for :meth:`from_dict`), if any."""
        return self._entries.file

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, file: str = "<dict>") -> Portfolio:
        """Validate plain data in the file format and return the portfolio.

        Raises :class:`~portfolios.errors.PortfolioError` naming the entry and field at fault.
        """
        entries = from_data(data, file=file)
        return cls(
            latent=entries.latent,
            assumptions=entries.assumptions,
            cases=entries.cases,
            scenarios=entries.scenarios,
            title=entries.title,
            description=entries.description,
            file=entries.file,
            parameters=entries.parameters,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the portfolio as plain data in the file format."""
        return to_data(self._entries)

    def to_gsn(self, path: str | Path | None = None) -> dict[str, Any]:
        """Return the portfolio as a GSN argument in gsn2x YAML (plain data); write it to ``path``.

        One multi-legged goal per scenario over one goal per covering case, each case's goal in
        the context of its assumptions (as ``A`` nodes) and supported by the cases it rests on;
        the latent variables go to ``module.latent`` (see :mod:`portfolios.gsn` for the meaning
        and :func:`portfolios.gsn.parse` to read it back). Every scenario's P(unprotected)
        equals its goal's P(unsupported).
        """
        document = to_gsn_document(self._entries)
        if path is not None:
            import yaml

            text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
            Path(path).write_text(text, encoding="utf-8")
        return document

    @cached_property
    def structure(self) -> Structure:
        """The compiled structure function (computed once)."""
        return compile_structure(self._entries)

    def __repr__(self) -> str:
        return (
            f"Portfolio({self.title or self.file}: {len(self.latent)} latent, "
            f"{len(self.assumptions)} assumptions, {len(self.cases)} cases, "
            f"{len(self.scenarios)} scenarios)"
        )

    # ------------------------------------------------------------------ lookups

    def covering_cases(self, scenario: str) -> tuple[str, ...]:
        """Return the ids of the cases covering ``scenario``."""
        return covering_cases(self.structure, scenario)

    # ------------------------------------------------------------------ probabilities

    def joint_failure(
        self,
        ids: Sequence[str],
        *,
        method: str = "auto",
        n_samples: int = DEFAULT_SAMPLES,
        rng: np.random.Generator | int | None = None,
        level: float = 0.95,
    ) -> float:
        """Return P(every listed case or assumption fails).

        See :func:`portfolios.probability.all_fail_probability` for the methods; the result is
        a float for every method: for ``method="montecarlo"`` a
        :class:`~portfolios.probability.MonteCarloEstimate`, a float equal to the point
        estimate that also carries its confidence interval (``.interval``).
        """
        if isinstance(ids, str):
            raise PortfolioTypeError(None, "ids must be a sequence of ids, not a single string")
        return all_fail_probability(
            self.structure, list(ids), method=method, n_samples=n_samples, rng=rng, level=level
        )

    def case_failure(self, case: str, **kwargs: Any) -> float:
        """Return the probability that ``case`` fails (keywords as :meth:`joint_failure`)."""
        if case not in self.cases:
            raise UnknownIdError(
                None, f"unknown case {quote(case)}{did_you_mean(case, self.cases)}"
            )
        return self.joint_failure([case], **kwargs)

    def assumption_failure(self, assumption: str, **kwargs: Any) -> float:
        """Return the probability that ``assumption`` fails, on its own or through a requirement."""
        if assumption not in self.assumptions:
            hint = did_you_mean(assumption, self.assumptions)
            raise UnknownIdError(None, f"unknown assumption {quote(assumption)}{hint}")
        return self.joint_failure([assumption], **kwargs)

    @overload
    def p_unprotected(
        self, scenario: str, method: Literal["montecarlo"], **kwargs: Any
    ) -> MonteCarloEstimate: ...
    @overload
    def p_unprotected(self, scenario: str, method: str = "auto", **kwargs: Any) -> float: ...
    def p_unprotected(self, scenario: str, method: str = "auto", **kwargs: Any) -> float:
        """Return P(every case covering ``scenario`` fails).

        Parameters
        ----------
        scenario : str
        method : {"auto", "exact", "inclusion-exclusion", "enumerate", "bdd", "montecarlo"}
            ``"auto"`` (default) is ``"exact"``, or ``"bdd"`` where the exact programme's table
            would pass its size limit; ``"exact"`` is a dynamic programme without
            cancellation; ``"enumerate"`` refuses more than 22 events; ``"bdd"`` counts models
            on a binary decision diagram (for many covering cases sharing assumptions);
            ``"montecarlo"`` takes ``n_samples=``, ``rng=`` and ``level=`` and returns an
            estimate with a confidence interval.

        Returns
        -------
        float
            For ``"montecarlo"`` a :class:`~portfolios.probability.MonteCarloEstimate`: a float
            (the point estimate; it compares and computes as one) carrying ``.interval``.
        """
        return self.joint_failure(self.covering_cases(scenario), method=method, **kwargs)

    def bounds(
        self, scenario: str, *, dependence: str = "independent", method: str | None = None
    ) -> Bounds:
        """Return the tightest interval for P(every case covering ``scenario`` fails).

        ``dependence="independent"``: the file's model with every interval probability
        anywhere in its interval; ``"unknown"``: any joint law of the assumption failures
        (and soundness errors) inside each latent state, keeping the latent structure, by
        linear programming (``method="lp"``) or Fréchet intervals (``method="frechet"``). See
        :func:`portfolios.bounds.bounds`.
        """
        return bounds(self.structure, scenario, dependence=dependence, method=method)

    def uncertainty(
        self,
        scenario: str,
        samples: int = 10_000,
        rng: Any = 0,
        *,
        quantiles: Sequence[float] = DEFAULT_QUANTILES,
        workers: Any = 1,
    ) -> Uncertainty:
        """Propagate the distributions on the probabilities to P(``scenario`` unprotected).

        Monte Carlo over the distribution parameters (one draw per shared parameter), the
        exact probability for every draw, vectorised; returns the sample, its mean, standard
        deviation, quantiles and a sensitivity table. ``workers`` follows SciPy's convention
        (an int or a map-like callable); the result does not depend on it. See
        :func:`portfolios.uncertainty.uncertainty`.
        """
        return uncertainty(
            self.structure,
            scenario,
            samples=samples,
            rng=rng,
            quantiles=quantiles,
            workers=workers,
        )

    # ------------------------------------------------------------------ scores

    def correlation(self, scenario: str) -> Correlation:
        """Return the correlation scores of ``scenario`` (see :mod:`portfolios.scores`)."""
        return correlation(self.structure, scenario)

    def minimal_cut_sets(self, scenario: str, *, max_order: int | None = None) -> CutSets:
        """Return the minimal cut sets of ``scenario`` (see :mod:`portfolios.cutsets`)."""
        return minimal_cut_sets(self.structure, self.covering_cases(scenario), max_order=max_order)

    def score(
        self,
        *,
        max_order: int = REPORT_MAX_ORDER,
        dependence: str = "independent",
        method: str | None = None,
        progress: Progress | None = None,
    ) -> PortfolioScore:
        """Score every scenario: P(unprotected), correlation scores and cut sets.

        A scenario that depends on interval probabilities gets its tightest interval instead
        of a point; with ``dependence="unknown"`` every scenario also gets its
        unknown-dependence interval. See :func:`portfolios.scores.portfolio_score`
        (``progress(done, total)`` is called after each scenario).

        Returns
        -------
        PortfolioScore
            With ``to_text()``, ``to_markdown()`` and ``to_json()`` renderings.
        """
        return portfolio_score(
            self._entries,
            structure=self.structure,
            max_order=max_order,
            dependence=dependence,
            method=method,
            progress=progress,
        )

    # ------------------------------------------------------------------ what matters

    def importance(
        self,
        scenario: str,
        *,
        method: str = "exact",
        fussell_vesely: bool = True,
        progress: Progress | None = None,
    ) -> Importance:
        """Return the importance measures of the basic events of ``scenario``.

        Birnbaum, criticality, Fussell-Vesely (cut-set definition), P(e | unprotected), RAW and
        RRW per assumption, latent variable and soundness error; see
        :func:`portfolios.importance.portfolio_importance` (``fussell_vesely=False`` skips the
        one measure that enumerates the minimal cut sets; ``progress(done, total)`` is called
        after each basic event).
        """
        return portfolio_importance(
            self.structure,
            scenario,
            method=method,
            fussell_vesely=fussell_vesely,
            progress=progress,
        )

    def diversity(
        self,
        scenario: str,
        *,
        q: float | Sequence[float] = (0.0, 1.0, 2.0, float("inf")),
        similarity: Any = "hazard",
        weights: Mapping[str, float] | None = None,
        method: str = "auto",
    ) -> Diversity:
        """Return the diversity of the cases covering ``scenario``.

        Leinster-Cobbold effective numbers of order ``q``, Rao's quadratic entropy and the
        participation ratio of the case-failure correlations; see
        :func:`portfolios.diversity.portfolio_diversity`.
        """
        return portfolio_diversity(
            self.structure, scenario, q=q, similarity=similarity, weights=weights, method=method
        )

    def best_addition(
        self,
        scenario: str,
        candidates: Mapping[str, Any],
        *,
        assumptions: Mapping[str, Any] | None = None,
        method: str = "exact",
    ) -> Ranking:
        """Rank candidate cases by the drop in P(unprotected) from adding each.

        See :func:`portfolios.whatnext.best_addition`.
        """
        return best_addition(
            self._entries,
            scenario,
            candidates,
            assumptions=assumptions,
            method=method,
            structure=self.structure,
        )

    def most_load_bearing(self, scenario: str, *, method: str = "exact") -> Ranking:
        """Rank assumptions by the drop in P(unprotected) from shoring each up (p -> 0).

        See :func:`portfolios.whatnext.most_load_bearing`.
        """
        return most_load_bearing(self.structure, scenario, method=method)

    # ------------------------------------------------------------------ network

    def graph(self) -> nx.DiGraph:
        """Return the portfolio as a networkx graph (:func:`portfolios.network.portfolio_graph`)."""
        return portfolio_graph(self._entries, structure=self.structure)

    def case_projection(self, scenario: str | None = None) -> nx.Graph:
        """Return the weighted case-case graph (see :func:`portfolios.network.case_projection`)."""
        cases = None if scenario is None else self.covering_cases(scenario)
        return case_projection(self._entries, cases, structure=self.structure)

    def write_graphml(self, path: str | Path) -> None:
        """Write :meth:`graph` to a GraphML file."""
        write_graphml(self._entries, path, structure=self.structure)
