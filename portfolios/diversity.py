r"""Diversity of the cases covering a scenario: how many *different* lines of defence it has.

Definitions
-----------
similarity-sensitive diversity (Leinster and Cobbold 2012, *Ecology* 93:477)
    For relative abundances ``p`` (summing to 1) and a similarity matrix ``Z``
    (``Z_ii = 1``, ``0 <= Z_ij <= 1``), with the *ordinariness* ``(Zp)_i``,

        qD^Z(p) = ( sum_{i: p_i > 0} p_i (Zp)_i^(q-1) )^(1/(1-q)),    q >= 0, q != 1,
        1D^Z(p) = exp( -sum_{i: p_i > 0} p_i log (Zp)_i ),
        infD^Z(p) = 1 / max_{i: p_i > 0} (Zp)_i,

    the limits at ``q = 1`` and ``q = inf`` being the two special forms. ``Z = I`` gives Hill's
    numbers (``q = 0``: the count, ``q = 1``: exp(Shannon), ``q = 2``: inverse Simpson); ``Z``
    all ones (every case the same) gives 1 at every order. The value is an *effective number*
    of completely dissimilar cases: the *dissimilar cases* (``Diversity.dissimilar_cases``;
    not the score's ``independent_cases``, nor the participation ratio).
Rao's quadratic entropy (Rao 1982, *Theor. Popul. Biol.* 21:24)
    ``Q = sum_ij p_i p_j d_ij`` with the dissimilarity ``d = 1 - Z``: the expected
    dissimilarity of two cases drawn by ``p``. Leinster and Cobbold's identity
    ``2D^Z = 1 / (1 - Q)`` links the two.
participation ratio of the case-failure correlation matrix
    ``R_ij`` is the correlation (phi coefficient) of the failure indicators of cases ``i`` and
    ``j``, computed from exact probabilities:
    ``(P(F_i F_j) - P(F_i) P(F_j)) / sqrt(P(F_i)(1 - P(F_i)) P(F_j)(1 - P(F_j)))``. Then
    ``PR = (tr R)^2 / tr(R^2) = n^2 / ||R||_F^2``, between 1 (all failures perfectly
    correlated) and ``n`` (uncorrelated): a count of independent failure modes, the Hill
    number of order 2 of the normalised spectrum (named ``participation_ratio`` everywhere).

Degenerate cases (documented choice)
------------------------------------
A case that never fails or fails surely has no failure variance: its phi coefficients are
``0 / 0``. Such a case is left out of ``R`` (``Diversity.correlated_cases`` lists the
others) and named in ``Diversity.degenerate_cases``; the participation ratio of the
scenario is then *undefined* (None, with the reason in ``Diversity.participation_status``),
since it would count the lines of defence of a subset of the covering cases.

Which cases are degenerate is decided on the scale of each probability, not by comparing a
rounded ``P(F)`` with 0 and 1: ``P(F_c)`` is computed by the chosen method (relative accuracy
near 0) and the *survival* ``P(H_c) = P(c holds) = sum_w P(w) prod_{u in path(c)} (1 - p_u(w))``
directly, as a sum of non-negative products (relative accuracy near 0 as well), never as
``1 - P(F_c)``, which is ``1.1e-16`` for a case that fails surely once the latent states'
weights have been rounded. A case is degenerate when ``P(F_c) = 0`` or ``P(H_c) = 0``. The
covariance of two cases is computed on the side with the smaller products:
``P(F_i F_j) - P(F_i) P(F_j)`` when ``P(F_i) P(F_j) <= P(H_i) P(H_j)``, else the equal
``P(H_i H_j) - P(H_i) P(H_j)``, and the variance of ``F_i`` is ``P(F_i) P(H_i)``: so cases that
fail with probability ``1 - 10^{-15}`` keep their correlations.

The similarity of two cases (documented choice)
-----------------------------------------------
``similarity="hazard"`` (default): the share of the pair's combined failure hazard that comes
from what they share. A case's *support* is everything whose failure fails it: the assumptions
it rests on (directly, through ``requires`` and through the cases it ``rests_on``), the latent
variables those assumptions depend on, and the non-zero soundness errors of itself and the
cases it rests on (:func:`portfolios.network.support`). Each element ``x`` weighs its hazard
``w_x = -log(1 - q_x)`` (``q_x`` its marginal failure probability; ``-log P(all hold)`` is then
additive), and

    Z_ij = sum_{x in support(i) & support(j)} w_x / sum_{x in support(i) | support(j)} w_x,

a weighted Jaccard index: 1 for cases resting on the same things, 0 for cases sharing nothing.
Elements that fail surely (``q_x = 1``, infinite hazard) dominate: then ``Z_ij`` is the share of
such elements that are shared; if the union carries no hazard at all, the plain Jaccard index
of the supports is used. ``similarity="jaccard"``: the plain Jaccard index of the supports.
Or pass an explicit matrix (validated).

Abundances ``p``: uniform over the covering cases by default (each case one line of defence),
or ``weights=`` (non-negative, normalised here).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from . import _html
from ._arrays import readonly
from .bdd import none_fail_probability
from .errors import ComputationLimitError, PortfolioError, UnknownIdError
from .importance import marginal_probability
from .network import support
from .probability import all_fail_probability
from .structure import Structure, covering_cases, latent_states

__all__ = [
    "DEFAULT_ORDERS",
    "SIMILARITY_TOL",
    "Diversity",
    "hold_probability",
    "participation_ratio",
    "phi_correlation",
    "portfolio_diversity",
    "rao_quadratic_entropy",
    "similarity_diversity",
]

#: The orders reported by default.
DEFAULT_ORDERS = (0.0, 1.0, 2.0, math.inf)
#: Tolerance on a similarity matrix (diagonal 1, entries in [0, 1]) and on abundances summing
#: to 1.
SIMILARITY_TOL = 1e-9


def _check(p: Any, Z: Any) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(p, dtype=float)
    Z = np.asarray(Z, dtype=float)
    if p.ndim != 1 or len(p) == 0:
        raise PortfolioError(None, f"abundances must be a non-empty vector, got shape {p.shape}")
    if Z.shape != (len(p), len(p)):
        raise PortfolioError(None, f"similarity must be {len(p)} x {len(p)}, got shape {Z.shape}")
    if not (np.all(np.isfinite(p)) and np.all(np.isfinite(Z))):
        raise PortfolioError(None, "abundances and similarities must be finite (no NaN or inf)")
    if np.any(p < 0) or abs(p.sum() - 1.0) > SIMILARITY_TOL:
        raise PortfolioError(
            None,
            f"abundances must be non-negative and sum to 1 (tolerance {SIMILARITY_TOL}), "
            f"got sum {p.sum()!r}",
        )
    if np.any(Z < -SIMILARITY_TOL) or np.any(Z > 1 + SIMILARITY_TOL):
        raise PortfolioError(None, "similarities must lie in [0, 1]")
    if np.any(np.abs(np.diag(Z) - 1.0) > SIMILARITY_TOL):
        raise PortfolioError(None, "a similarity matrix has ones on its diagonal (Z_ii = 1)")
    return p, np.clip(Z, 0.0, 1.0)


def similarity_diversity(p: Any, Z: Any, q: float) -> float:
    """Return Leinster and Cobbold's diversity of order ``q`` (module docstring).

    Parameters
    ----------
    p : array_like, shape (n,)
        Relative abundances (non-negative, summing to 1).
    Z : array_like, shape (n, n)
        Similarities (``Z_ii = 1``, entries in [0, 1]; need not be symmetric).
    q : float
        The order, ``0 <= q <= inf``.

    Examples
    --------
    Leinster's worked example (n-Category Cafe, "Entropy, diversity and cardinality",
    part 1, 2008): one beetle species with 98% of the individuals and two with 1% each make
    "about 1.12" effective species at order 1; three equally common species make 3.

    >>> import numpy as np
    >>> round(similarity_diversity([0.98, 0.01, 0.01], np.eye(3), 1.0), 2)
    1.12
    >>> similarity_diversity([1/3, 1/3, 1/3], np.eye(3), 2.0)
    3.0
    >>> similarity_diversity([0.5, 0.5], np.ones((2, 2)), 0.0)  # identical: one case
    1.0
    """
    p, Z = _check(p, Z)
    if isinstance(q, bool) or not isinstance(q, int | float) or math.isnan(q) or q < 0:
        raise PortfolioError(None, f"the order q must be a number in [0, inf], got {q!r}")
    present = p > 0
    ordinariness = (Z @ p)[present]
    weights = p[present]
    if math.isinf(q):
        return float(1.0 / ordinariness.max())
    if q == 1.0:
        return float(math.exp(-math.fsum((weights * np.log(ordinariness)).tolist())))
    # p_i (Zp)_i^(q-1) written as (p_i / (Zp)_i) (Zp)_i^q: both factors lie in [0, 1] since
    # (Zp)_i >= p_i, so a tiny abundance cannot overflow the power
    power_mean = math.fsum(((weights / ordinariness) * ordinariness**q).tolist())
    return float(power_mean ** (1.0 / (1.0 - q)))


def rao_quadratic_entropy(p: Any, Z: Any) -> float:
    """Return Rao's quadratic entropy ``sum_ij p_i p_j (1 - Z_ij)`` (module docstring).

    Examples
    --------
    With ``Z = I`` it is the Gini-Simpson index ``1 - sum p_i^2`` (Rao 1982):

    >>> import numpy as np
    >>> round(rao_quadratic_entropy([0.5, 0.3, 0.2], np.eye(3)), 12)
    0.62
    """
    p, Z = _check(p, Z)
    return float(max(0.0, p @ (1.0 - Z) @ p))


def participation_ratio(R: Any) -> float:
    """Return ``(tr R)^2 / tr(R^2)`` of a correlation matrix (``n^2 / ||R||_F^2``).

    Examples
    --------
    >>> import numpy as np
    >>> participation_ratio(np.eye(4)), participation_ratio(np.ones((4, 4)))
    (4.0, 1.0)
    """
    R = np.asarray(R, dtype=float)
    if R.ndim != 2 or R.shape[0] != R.shape[1] or R.shape[0] == 0:
        raise PortfolioError(None, f"expected a non-empty square matrix, got shape {R.shape}")
    if not np.all(np.isfinite(R)):
        raise PortfolioError(None, "the correlation matrix must be finite")
    return float(np.trace(R) ** 2 / np.sum(R * R))


def phi_correlation(p_single: Sequence[float], p_joint: Any) -> np.ndarray:
    """Return the phi coefficients of binary indicators from exact (joint) probabilities.

    Parameters
    ----------
    p_single : sequence of float, length n
        ``P(F_i)``, each strictly between 0 and 1.
    p_joint : array_like, shape (n, n)
        ``P(F_i and F_j)`` (its diagonal is ``P(F_i)``).

    Examples
    --------
    >>> R = phi_correlation([0.5, 0.5], [[0.5, 0.5], [0.5, 0.5]])  # always fail together
    >>> R.tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    s = np.asarray(p_single, dtype=float)
    J = np.asarray(p_joint, dtype=float)
    if np.any(s <= 0) or np.any(s >= 1):
        raise PortfolioError(None, "phi needs probabilities strictly between 0 and 1")
    sd = np.sqrt(s * (1.0 - s))
    R = (J - np.outer(s, s)) / np.outer(sd, sd)
    np.fill_diagonal(R, 1.0)
    return np.clip(R, -1.0, 1.0)


@dataclass(frozen=True, eq=False)
class Diversity:
    """The diversity of the cases covering one scenario (module docstring).

    Attributes
    ----------
    scenario : str
    cases : tuple of str
        The covering cases, in the order of the matrices.
    abundance : ndarray
        Their relative abundances ``p``.
    similarity : ndarray
        The similarity matrix ``Z``.
    similarity_kind : str
        ``"hazard"``, ``"jaccard"`` or ``"given"``.
    orders : tuple of float
        The orders ``q``.
    values : ndarray
        ``qD^Z(p)`` at each order.
    rao : float
        Rao's quadratic entropy with ``d = 1 - Z``.
    correlation : ndarray
        The phi coefficients of the case failures (cases in ``correlated_cases``).
    correlated_cases : tuple of str
        The cases that may fail and may hold (module docstring).
    participation_ratio : float or None
        Of ``correlation``; None (undefined) when a covering case is degenerate or none is
        left, with the reason in ``participation_status``.
    degenerate_cases : mapping of str to str
        The covering cases left out of ``correlation``: ``"never fails"`` or
        ``"fails surely"``.
    participation_status : str
        ``"ok"``, or why the participation ratio is undefined.
    """

    scenario: str
    cases: tuple[str, ...]
    abundance: np.ndarray
    similarity: np.ndarray
    similarity_kind: str
    orders: tuple[float, ...]
    values: np.ndarray
    rao: float
    correlation: np.ndarray
    correlated_cases: tuple[str, ...]
    participation_ratio: float | None
    degenerate_cases: Mapping[str, str] = field(default_factory=dict)
    participation_status: str = "ok"

    def __post_init__(self) -> None:
        for name in ("abundance", "similarity", "values", "correlation"):
            object.__setattr__(self, name, readonly(getattr(self, name), float))
        object.__setattr__(self, "degenerate_cases", MappingProxyType(dict(self.degenerate_cases)))

    @property
    def dissimilar_cases(self) -> dict[float, float]:
        """The effective number of dissimilar cases at each order: ``{q: qD^Z(p)}``."""
        return {q: float(v) for q, v in zip(self.orders, self.values, strict=True)}

    def __getitem__(self, q: float) -> float:
        """Return the diversity of order ``q`` (one of :attr:`orders`)."""
        for order, value in zip(self.orders, self.values, strict=True):
            if order == q:
                return float(value)
        raise UnknownIdError(None, f"order {q!r} was not computed; orders: {self.orders}")

    def to_text(self) -> str:
        """Return three lines: the diversity profile, Rao's entropy, the participation ratio."""
        profile = ", ".join(
            f"q={'inf' if math.isinf(o) else f'{o:g}'}: {v:.3f}"
            for o, v in zip(self.orders, self.values, strict=True)
        )
        if self.participation_ratio is None:
            pr = f"undefined ({self.participation_status})"
        else:
            pr = f"{self.participation_ratio:.3f}"
        return (
            f"effective number of dissimilar cases: {profile}\n"
            f"Rao's quadratic entropy: {self.rao:.4f}\n"
            f"participation ratio of the failure correlations: {pr}"
        )

    def __repr__(self) -> str:
        body = "".join(f"\n  {line}" for line in self.to_text().splitlines())
        return (
            f"Diversity({self.scenario!r}, {len(self.cases)} cases, similarity="
            f"{self.similarity_kind!r}){body}"
        )

    def _repr_html_(self) -> str:
        """Return the HTML tables Jupyter shows: the diversity profile, then the other scores."""
        rows = [
            ["inf" if math.isinf(o) else f"{o:g}", f"{v:.4g}"]
            for o, v in zip(self.orders, self.values, strict=True)
        ]
        pr = self.participation_ratio
        items = [
            ("Rao's quadratic entropy", f"{self.rao:.4g}"),
            ("participation ratio", "undefined" if pr is None else f"{pr:.4g}"),
            ("cases", ", ".join(self.cases)),
        ]
        return _html.document(
            f"Diversity of the {len(self.cases)} cases covering {self.scenario} "
            f"(similarity {self.similarity_kind})",
            _html.table(["order q", "effective number of dissimilar cases"], rows, "rr"),
            _html.pairs(items),
        )


def _hazard_similarity(supports: list[dict[str, float]], weighted: bool) -> np.ndarray:
    n = len(supports)
    Z = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = supports[i], supports[j]
            shared, union = a.keys() & b.keys(), a.keys() | b.keys()
            if not union:
                z = 1.0
            elif weighted:
                w = {x: (a | b)[x] for x in union}
                infinite = [x for x in union if math.isinf(w[x])]
                if infinite:
                    z = sum(1 for x in infinite if x in shared) / len(infinite)
                else:
                    total = math.fsum(w.values())
                    z = (
                        math.fsum(w[x] for x in shared) / total
                        if total > 0
                        else len(shared) / len(union)
                    )
            else:
                z = len(shared) / len(union)
            Z[i, j] = Z[j, i] = z
    return Z


def _supports(structure: Structure, cases: Sequence[str]) -> list[dict[str, float]]:
    out = []
    for c in cases:
        sup = support(structure, c)
        hazards: dict[str, float] = {}
        for kind, section in (("assumptions", "assumption"), ("latent", "latent")):
            for x in sup[kind]:
                q = marginal_probability(structure, section, x)
                hazards[f"{section}:{x}"] = math.inf if q >= 1.0 else -math.log1p(-q)
        for x in sup["soundness"]:
            q = marginal_probability(structure, "soundness", x)
            if q > 0.0:  # a soundness error of 0 (the default) is not modelled
                hazards[f"soundness:{x}"] = math.inf if q >= 1.0 else -math.log1p(-q)
        out.append(hazards)
    return out


def portfolio_diversity(
    structure: Structure,
    scenario: str,
    *,
    q: float | Sequence[float] = DEFAULT_ORDERS,
    similarity: str | Any = "hazard",
    weights: Mapping[str, float] | None = None,
    method: str = "auto",
) -> Diversity:
    """Return the diversity of the cases covering ``scenario`` (module docstring).

    Parameters
    ----------
    structure : Structure
        The compiled portfolio (``Portfolio.structure``).
    scenario : str
    q : float or sequence of float
        The orders (default 0, 1, 2 and inf).
    similarity : {"hazard", "jaccard"} or array_like
        How similar two covering cases are; an explicit matrix is in the order of the
        covering cases (``Portfolio.covering_cases(scenario)``).
    weights : mapping of str to float, optional
        Abundances of the covering cases (default: uniform).
    method : str
        The probability method for the failure correlations (default ``"auto"``: the exact
        programme, or the BDD past its limits, as for ``P(unprotected)``).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": 0.1},
    ...                     "B": {"statement": "b", "p_fail": 0.1}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> d = portfolio_diversity(P.structure, "S")
    >>> d[0.0], d[2.0], d.participation_ratio  # nothing shared: two cases
    (2.0, 2.0, 2.0)
    """
    cases = covering_cases(structure, scenario)
    orders = (q,) if isinstance(q, int | float) else tuple(q)
    if not orders:
        raise PortfolioError(None, "need at least one order q")
    n = len(cases)
    if weights is None:
        p = np.full(n, 1.0 / n)
    else:
        unknown = set(weights) - set(cases)
        if unknown:
            raise PortfolioError(
                None, f"weights for cases not covering {scenario!r}: {sorted(unknown)}"
            )
        raw = np.array([float(weights.get(c, 0.0)) for c in cases])
        if not np.all(np.isfinite(raw)) or np.any(raw < 0) or raw.sum() <= 0:
            raise PortfolioError(None, "weights must be finite, non-negative and not all zero")
        p = raw / raw.sum()
    if isinstance(similarity, str):
        if similarity not in ("hazard", "jaccard"):
            raise PortfolioError(
                None, f"similarity must be 'hazard', 'jaccard' or a matrix, got {similarity!r}"
            )
        Z = _hazard_similarity(_supports(structure, cases), similarity == "hazard")
        kind = similarity
    else:
        Z, kind = np.asarray(similarity, dtype=float), "given"
    p, Z = _check(p, Z)
    values = [similarity_diversity(p, Z, float(order)) for order in orders]
    fail = [float(all_fail_probability(structure, [c], method=method)) for c in cases]
    hold = [hold_probability(structure, [c]) for c in cases]
    degenerate = {
        c: "never fails" if f == 0.0 else "fails surely"
        for c, f, h in zip(cases, fail, hold, strict=True)
        if f == 0.0 or h == 0.0
    }
    keep = [i for i, c in enumerate(cases) if c not in degenerate]
    R = np.eye(len(keep))
    for a, i in enumerate(keep):
        for b in range(a + 1, len(keep)):
            j = keep[b]
            pair = [cases[i], cases[j]]
            if fail[i] * fail[j] <= hold[i] * hold[j]:
                both = float(all_fail_probability(structure, pair, method=method))
                cov = both - fail[i] * fail[j]
            else:
                cov = hold_probability(structure, pair) - hold[i] * hold[j]
            scale = math.sqrt(fail[i] * hold[i]) * math.sqrt(fail[j] * hold[j])
            R[a, b] = R[b, a] = min(1.0, max(-1.0, cov / scale))
    pr: float | None = None
    if degenerate:
        named = ", ".join(f"{c} {why}" for c, why in degenerate.items())
        status = f"undefined: {named} (no failure variance, so no correlation)"
    else:
        status, pr = "ok", participation_ratio(R)
    return Diversity(
        scenario=scenario,
        cases=cases,
        abundance=p,
        similarity=Z,
        similarity_kind=kind,
        orders=tuple(float(o) for o in orders),
        values=np.array(values),
        rao=rao_quadratic_entropy(p, Z),
        correlation=R,
        correlated_cases=tuple(cases[i] for i in keep),
        participation_ratio=pr,
        degenerate_cases=degenerate,
        participation_status=status,
    )


def hold_probability(structure: Structure, cases: Sequence[str]) -> float:
    """Return ``P(every case in cases holds)``, as a sum of non-negative products.

    ``sum_w P(w) prod_{u in union of the paths} (1 - p_u(w))`` over the latent states ``w``
    (:mod:`portfolios.structure`): it keeps its relative accuracy when it is tiny, where
    ``1 - P(F)`` is rounding noise. It is 0 exactly when some case fails surely (then a unit of
    its path fails with probability 1 in every latent state that can occur). Past
    :data:`~portfolios.limits.MAX_LATENT` latent variables it is computed by BDD
    (:func:`portfolios.bdd.none_fail_probability`), the engine ``method="auto"`` switches to.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "latent": {"W": {"statement": "w", "p_fail": 0.3}},
    ...     "assumptions": {"A": {"statement": "a", "p_fail": {"W": {"holds": 1.0, "fails": 1.0}}},
    ...                     "B": {"statement": "b", "p_fail": 1e-300}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> hold_probability(P.structure, ["X"]), hold_probability(P.structure, ["Y"])
    (0.0, 1.0)
    """
    units = sorted(set().union(*(structure.paths[c] for c in _checked_ids(structure, cases))))
    idx = np.asarray(units, dtype=np.intp)
    which = structure.unit_latent[idx]
    try:
        rel, bits, weights = latent_states(structure, which)
    except ComputationLimitError as enumeration:
        # past MAX_LATENT: the BDD, as method="auto" does for P(F)
        try:
            return none_fail_probability(structure, cases)
        except ComputationLimitError as err:
            raise ComputationLimitError(
                None,
                f"P({' and '.join(cases)} hold): latent-state enumeration is refused "
                f"({enumeration.problem}) and so is the BDD ({err.problem}); the effective "
                "numbers of cases need no probabilities (similarity_diversity)",
            ) from err
    position = {j: i for i, j in enumerate(rel)}
    survive = weights.copy()
    for u, j in zip(idx, which, strict=True):
        q = structure.unit_p[u, bits[:, position[int(j)]]] if j >= 0 else structure.unit_p[u, 0]
        survive *= 1.0 - q
    return math.fsum(survive.tolist())


def _checked_ids(structure: Structure, cases: Sequence[str]) -> list[str]:
    """Return ``cases`` after checking that each is a case or assumption of ``structure``."""
    for c in cases:
        if c not in structure.paths:
            raise UnknownIdError(None, f"unknown case or assumption {c!r}")
    return list(cases)
