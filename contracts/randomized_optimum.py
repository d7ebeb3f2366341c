r"""The optimal randomised robust contract: a lottery over linear contracts.

Carroll's :math:`V^*` is the best guarantee of a *deterministic* contract. A lottery over
contracts, drawn after nature has chosen the technology, can guarantee strictly more whenever
Carroll's slope is positive (Kambhampati 2023), and the best lottery can be taken over linear
contracts (Kambhampati, Peng, Tang, Toikka and Vohra 2025; Peng and Tang 2024). This module
computes it.

**Reduction** (:mod:`contracts.randomized`). Against a lottery :math:`\Phi` of slopes nature
chooses, for each slope, the mean :math:`m(\alpha)` of the action the agent takes; in every
technology :math:`m` is non-decreasing and the agent's utility
:math:`U(\alpha) = \alpha (m(\alpha) - y_0) - c(\alpha)` satisfies the envelope conditions. The
principal gets :math:`y_0 + \int (1 - \alpha)(m(\alpha) - y_0)\, d\Phi(\alpha)`.

**One known action** :math:`(\mu, c)` with :math:`0 < c < \mu - y_0` (derived here; Peng and
Tang 2024 give the optimal lottery in closed form, and Kambhampati et al. 2025 describe it as
"characterized by a single parameter that bounds its continuous support"; we could not read
their theorem statements, so the formula below is our derivation, checked against the grid LP).
With :math:`\kappa = c / (\mu - y_0)`, let :math:`\beta \in (0, 1)` solve

.. math:: \kappa = \beta + (1 - \beta) \ln(1 - \beta), \qquad \text{i.e.} \qquad
          1 - \beta = \frac{\kappa - 1}{W_{-1}\big((\kappa - 1)/e\big)}

(:math:`W_{-1}` the lower branch of Lambert's function). The optimal lottery has CDF

.. math:: \Phi(\alpha) = \frac{\ln(1 - \alpha)}{\ln(1 - \beta)} \quad (0 \le \alpha \le \beta),

density :math:`\propto 1/(1 - \alpha)` on :math:`[0, \beta]`, and guarantees

.. math:: V_{rand} = y_0 + (\mu - y_0)(1 - \beta).

*Derivation.* Integrating by parts, nature's problem against :math:`\Phi` is a linear program
whose dual has the value :math:`\max_{b \in [\kappa, 1]} (b - \kappa) \min_{s < b}
H(s)/(b - s)` (normalised :math:`\mu - y_0 = 1`), with :math:`H(s) = \int_{[s, 1]} (1 - \alpha)
\, d\Phi`: the dual is supported on one point because the objective only sees the tangent of a
convex function at 0. For fixed :math:`b` the principal's best :math:`\Phi` makes
:math:`H(s) = W (b - s)` on :math:`[0, b]`, i.e. density :math:`W / (1 - \alpha)`, with
:math:`W = 1 / \ln(1/(1 - b))` from total mass 1 (optimal: a matching dual measure with
:math:`\rho([0, \alpha]) = 1/(1 - \alpha)` gives the same value). Maximising
:math:`(b - \kappa) / \ln(1/(1 - b))` gives the equation for :math:`\beta` and the value
:math:`1 - \beta`. Against this :math:`\Phi` nature is indifferent between Carroll's replies
to every slope :math:`t \le \beta` (each gives exactly :math:`W (\beta - \kappa)`). For rational
data with :math:`0 < c < \mu - y_0` the value is irrational (a rational :math:`1 - \beta \ne 1`
would make :math:`\ln(1 - \beta)` rational and non-zero, and :math:`e^q` is irrational for
rational :math:`q \ne 0`), so it is returned as a float (bisection to full double precision).
With :math:`c = 0` the zero contract is optimal (value :math:`\mu`); with
:math:`c \ge \mu - y_0` every lottery guarantees :math:`y_0`: both exact.

**Several known actions: the grid LP.** On slopes :math:`0 = a_0 < \dots < a_N = 1` (plus
Carroll's optimal slopes, so the grid optimum is never below :math:`V^*`), the principal
maximises over weights :math:`p` the value of nature's program. Dualising nature's program
(multipliers for :math:`U_k \ge V_k`, for the cost sign, for the adjacent incentive constraints
and for the bounds on :math:`m_k`) turns "max over :math:`p` of a min" into **one LP** in
:math:`p` and the multipliers: :math:`O(N)` variables and :math:`2N + 1` equality constraints.

*Discretisation bound.* Let :math:`V_N` be the grid optimum and :math:`V` the optimum over all
lotteries. :math:`V_N \le V` (a grid lottery is a lottery). Conversely, nature's minimax
strategy :math:`\hat m` on the grid (the LP "minimise :math:`t \ge (1 - a_k)(\hat m_k - y_0)`")
extends to a technology in which, by monotonicity, every slope
:math:`\alpha \in (a_k, a_{k+1}]` gives at most :math:`(1 - a_k)(\hat m_{k+1} - y_0) + y_0`;
since no lottery beats the best slope against a fixed technology,

.. math:: V_N \le V \le B = y_0 + \max_k (1 - a_k)(\hat m_{k+1} - y_0) \le
          V_N + \max_k (a_{k+1} - a_k)\,(y_{hi} - y_0),

and :math:`B` is reported (``upper_bound``), so the error is stated a posteriori and bounded
a priori by the grid step times the output range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ._exact_lp import LinearProgram, solve_lp
from ._html import HtmlRepr
from ._nature import LinearKnown, linear_known, unscaled
from ._numbers import Number, as_float, fmt, to_python
from .linear import OptimalLinear, optimal_linear
from .mixture import RandomizedContract
from .model import Technology
from .randomized import (
    DEFAULT_GRID,
    DEFAULT_SOLVER,
    RandomizedWorstCase,
    worst_case_randomized,
)
from .tolerances import WEIGHT_FLOOR

__all__ = ["OptimalRandomized", "one_action_optimum", "optimal_randomized"]


def _solve_beta(kappa: float) -> float:
    """Return beta in (0, 1) with kappa = beta + (1 - beta) ln(1 - beta), by bisection."""
    lo, hi = 0.0, 1.0  # f(beta) = beta + (1-beta) ln(1-beta) - kappa: f(0) < 0 < f(1-)
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        x = 1.0 - mid
        if mid + x * math.log(x) - kappa < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def one_action_optimum(mean: Any, cost: Any, lowest: Any = 0) -> tuple[Number, Number]:
    r"""Return ``(value, beta)`` of the optimal lottery for one known action (closed form).

    Parameters
    ----------
    mean, cost : number
        The known action's expected output :math:`\mu` and cost :math:`c`.
    lowest : number, optional
        The lowest output :math:`y_0` (contracts :math:`\alpha (y - y_0)`).

    Returns
    -------
    (value, beta)
        :math:`V_{rand} = y_0 + (\mu - y_0)(1 - \beta)` and the top of the support
        :math:`\beta`. Exact (Fractions) when :math:`c = 0` (value :math:`\mu`, :math:`\beta = 0`:
        the zero contract) or :math:`c \ge \mu - y_0` (value :math:`y_0`); otherwise floats (the
        value is then irrational for rational data).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> value, beta = one_action_optimum(4, 1)   # Carroll: (2 - 1)^2 = 1 at alpha = 1/2
    >>> round(value, 6), round(beta, 6)
    (1.529614, 0.617596)
    >>> one_action_optimum(F(3, 2), 0), one_action_optimum(1, 2)
    ((Fraction(3, 2), Fraction(0, 1)), (Fraction(0, 1), Fraction(0, 1)))
    """
    mu = to_python(mean) if not isinstance(mean, float) else mean
    c = to_python(cost) if not isinstance(cost, float) else cost
    y0 = to_python(lowest) if not isinstance(lowest, float) else lowest
    shifted = mu - y0
    if c < 0:
        raise ValueError(f"cost = {fmt(c)} is negative")
    if shifted <= c:
        return y0, (Fraction(0) if isinstance(y0, Fraction) else 0.0)
    if c == 0:
        return mu, (Fraction(0) if isinstance(mu, Fraction) else 0.0)
    if isinstance(c, Fraction) and isinstance(shifted, Fraction):
        # exact data: kappa as an exact ratio (scale-free at any magnitude), the value rounded once
        beta = _solve_beta(float(c / shifted))
        try:
            return float(y0 + shifted * Fraction(1.0 - beta)), beta
        except OverflowError:
            digits = len(str(shifted.numerator)) - len(str(shifted.denominator))
            raise ValueError(
                f"the optimal lottery's guarantee is irrational and about 1e+{digits}, beyond "
                "the float64 range (about 1.8e308) in which irrational values are reported; "
                "rescale the outputs and costs"
            ) from None
    beta = _solve_beta(float(c) / float(shifted))
    return float(y0) + float(shifted) * (1.0 - beta), beta


def _closed_form_contract(beta: float, origin: Number) -> RandomizedContract:
    log_top = math.log1p(-beta)

    def cdf(alpha: Any) -> Any:
        a = np.clip(np.asarray(alpha, dtype=float), 0.0, beta)
        return np.log1p(-a) / log_top

    def quantile(u: Any) -> Any:
        return -np.expm1(np.asarray(u, dtype=float) * log_top)

    mean = 1.0 - beta / -log_top
    return RandomizedContract.from_cdf(
        cdf,
        origin=origin,
        support=(0.0, beta),
        quantile=quantile,
        mean=mean,
        label=f"ln(1 - a) / ln(1 - {beta:.6g})",
    )


@dataclass(frozen=True, eq=False)
class OptimalRandomized(HtmlRepr):
    r"""The optimal randomised robust contract, with Carroll's deterministic optimum beside it.

    Attributes
    ----------
    value : Fraction or float
        The guarantee of ``contract``: the optimum over all lotteries (``"closed-form"``), or the
        grid optimum :math:`V_N` (``"grid-lp"``).
    upper_bound : Fraction or float
        An upper bound on the optimum over all lotteries: ``value`` for the closed form, the
        bound :math:`B` of the grid (module docstring) for the grid LP.
    grid_error : float
        ``upper_bound - value`` (0 for the closed form).
    contract : RandomizedContract
        The optimal lottery of slopes (continuous for the closed form, discrete on the grid).
    carroll : OptimalLinear
        Carroll's deterministic optimum :math:`V^*` (:func:`contracts.optimal_linear`).
    gain : Fraction or float
        ``value - carroll.value``.
    certificate : RandomizedWorstCase
        :func:`contracts.randomized.worst_case_randomized` of ``contract``: nature's best reply,
        computed from scratch by a different LP (for the closed form, bounds on a grid that must
        contain ``value``).
    method : str
        ``"closed-form"`` (one known action), ``"grid-lp"``, or ``"zero-contract"`` (a free known
        action yields the top output: nothing beats the zero contract).
    exact : bool
        True when ``value`` is an exact Fraction.
    note : str
        How to read ``value`` (exact; irrational, a float; an LP value with HiGHS's tolerance).
    grid : int or None
        Grid slopes used by ``"grid-lp"``.
    solver : str or None
        The cvxpy solver.
    """

    value: Number
    upper_bound: Number
    grid_error: float
    contract: RandomizedContract
    carroll: OptimalLinear
    gain: Number
    certificate: RandomizedWorstCase
    method: str
    exact: bool
    note: str
    grid: int | None
    solver: str | None
    known: Technology = field(repr=False)

    @property
    def ratio(self) -> float:
        """``value / carroll.value`` (inf when Carroll's value is 0 and ours is positive)."""
        if self.carroll.value == 0:
            return math.inf if self.value > 0 else 1.0
        return float(self.value) / float(self.carroll.value)

    def __repr__(self) -> str:
        cert = self.certificate
        if cert.value == cert.upper:
            check = f"certificate {fmt(cert.value)}"
        else:
            check = f"certificate in [{fmt(cert.value)}, {fmt(cert.upper)}] (grid {cert.grid})"
        bound = "" if self.method == "closed-form" else f", upper bound {fmt(self.upper_bound)}"
        lines = [
            f"OptimalRandomized(value={fmt(self.value)}{bound}, method={self.method!r}, "
            f"exact={self.exact}",
            f"  ({self.note}); {check}",
            f"  Carroll's deterministic optimum {fmt(self.carroll.value)} at alpha = "
            f"{fmt(self.carroll.alpha)}; gain {fmt(self.gain)} (x{self.ratio:.4g})",
        ]
        lines += ["  " + line for line in repr(self.contract).split("\n")]
        return "\n".join(lines) + ")"


def _grid(known: Technology, grid: Any, carroll: OptimalLinear) -> np.ndarray:
    if isinstance(grid, int | np.integer) and not isinstance(grid, bool):
        if grid < 1:
            raise ValueError(f"grid must be at least 1 cell, got {grid}")
        points = np.linspace(0.0, 1.0, int(grid) + 1)
    else:
        points = as_float(np.asarray(grid, dtype=float))
        if points.ndim != 1 or points.size == 0 or not np.isfinite(points).all():
            raise ValueError("grid must be a number of cells or a 1-d array of finite slopes")
        if points.min() < 0 or points.max() > 1:
            raise ValueError("grid slopes must lie in [0, 1]")
    extra = [0.0, 1.0]
    if not carroll.trivial:
        extra += [float(s) for s in carroll.slopes]
    return np.union1d(points, extra)


def _principal_lp(
    a: np.ndarray, lk: LinearKnown
) -> tuple[LinearProgram, list[int], list[int], np.ndarray]:
    """Build the principal's LP: max over p of the dual of nature's program (as a min).

    In the normalised units of ``lk`` (outputs and costs divided by :math:`2^e`): the program's
    value is the principal's (shifted) guarantee divided by :math:`2^e`, its ``p`` unchanged.
    """
    N = a.size
    V, mu, lo, hi = lk.V, lk.mu, float(lk.lo), float(lk.hi)
    degenerate = np.array(lk.degenerate, dtype=bool)
    constant = np.zeros(N)
    for j in np.flatnonzero(degenerate):
        constant[j] = (1 - a[j]) * mu[lk.choice[j]]
    E = [int(k) for k in np.flatnonzero(~degenerate)]
    M = len(E)
    # variables: p (N), then per eligible position i: a, b, f, g (4M), then d, e (2(M-1))
    n_var = N + 4 * M + 2 * max(M - 1, 0)
    lp = LinearProgram.empty(n_var, lower=0.0)
    lp.cost = [0.0] * n_var
    lp.lower = [0.0] * n_var

    def A(i: int) -> int:
        return N + 4 * i

    def D(i: int) -> int:
        return N + 4 * M + 2 * i

    for k in range(N):
        if degenerate[k]:
            lp.cost[k] = -constant[k]
    for i, k in enumerate(E):
        # an infinite V (every cost beyond the float range) is a void constraint: multiplier 0
        lp.cost[A(i)] = -V[k] if np.isfinite(V[k]) else 0.0
        if not np.isfinite(V[k]):
            lp.upper[A(i)] = 0.0
        lp.cost[A(i) + 2] = -lo
        lp.cost[A(i) + 3] = hi
    lp.add(dict.fromkeys(range(N), 1.0), 1.0, equality=True)
    for i, k in enumerate(E):
        # U_i column: a_i - b_i - d_i + d_{i-1} + e_i - e_{i-1} = 0
        row: dict[int, float] = {A(i): 1.0, A(i) + 1: -1.0}
        if i + 1 < M:
            row[D(i)] = -1.0
            row[D(i) + 1] = 1.0
        if i > 0:
            row[D(i - 1)] = 1.0
            row[D(i - 1) + 1] = -1.0
        lp.add(row, 0.0, equality=True)
        # m_i column: alpha b - Delta_i d_i + Delta_{i-1} e_{i-1} + f - g - (1 - alpha) p = 0
        row = {A(i) + 1: float(a[k]), A(i) + 2: 1.0, A(i) + 3: -1.0, k: -(1.0 - float(a[k]))}
        if i + 1 < M:
            row[D(i)] = -float(a[E[i + 1]] - a[k])
        if i > 0:
            row[D(i - 1) + 1] = float(a[k] - a[E[i - 1]])
        lp.add(row, 0.0, equality=True)
    return lp, E, [int(k) for k in np.flatnonzero(degenerate)], constant


def _nature_minimax(
    a: np.ndarray,
    lk: LinearKnown,
    E: list[int],
    constant: np.ndarray,
    solver: str,
    options: dict[str, Any] | None,
) -> tuple[float, np.ndarray]:
    """Solve min_t over nature's grid strategies of max_k payoff; return (t, means m - y0).

    In the normalised units of ``lk``, like :func:`_principal_lp`.
    """
    V, lo, hi = lk.V, float(lk.lo), float(lk.hi)
    M = len(E)
    eligible = set(E)
    lp = LinearProgram.empty(1 + 2 * M)
    lp.cost = [1.0] + [0.0] * (2 * M)
    for k in range(a.size):
        if k not in eligible:
            lp.add({0: 1.0}, float(constant[k]))
    for i, k in enumerate(E):
        u, m = 1 + 2 * i, 2 + 2 * i
        lp.lower[m], lp.upper[m] = lo, hi
        lp.add({0: 1.0, m: -(1.0 - a[k])}, 0.0)
        if np.isfinite(V[k]):  # -inf: every cost beyond the float range, no constraint
            lp.add({u: 1.0}, float(V[k]))
        lp.add({m: float(a[k]), u: -1.0}, 0.0)
        if i + 1 < M:
            d = float(a[E[i + 1]] - a[k])
            lp.add({u + 2: 1.0, u: -1.0, m: -d}, 0.0)
            lp.add({u: 1.0, u + 2: -1.0, m + 2: d}, 0.0)
    sol = solve_lp(lp, solver, options, what="nature's minimax strategy on the grid")
    means = np.zeros(a.size)
    for k in range(a.size):
        if k not in eligible:
            means[k] = lk.mu[lk.choice[k]] if a[k] < 1 else hi
    for i, k in enumerate(E):
        means[k] = min(max(float(sol.x[2 + 2 * i]), lo), hi)
    return float(sol.value), means


def optimal_randomized(
    known: Technology,
    *,
    method: str = "auto",
    grid: Any = DEFAULT_GRID,
    solver: str | None = None,
    solver_options: dict[str, Any] | None = None,
) -> OptimalRandomized:
    r"""Return the optimal randomised robust contract (a lottery over linear contracts).

    Parameters
    ----------
    known : Technology
        The known actions.
    method : {"auto", "closed-form", "grid-lp"}
        ``"closed-form"`` needs exactly one known action; ``"auto"`` uses it then, and the grid
        LP otherwise.
    grid : int or array_like
        For the grid LP: a number of equal cells on [0, 1] (default 1000), or the slopes
        themselves; 0, 1 and Carroll's optimal slopes are always added. For the closed form:
        the cells of the certificate's grid.
    solver : str, optional
        cvxpy solver (default ``"HIGHS"``).
    solver_options : dict, optional
        Passed to the solver.

    Returns
    -------
    OptimalRandomized
        The value, the lottery (``contract``), Carroll's optimum and the gain, an upper bound
        on the optimum over all lotteries, and the certificate (nature's best reply to the
        returned lottery, recomputed by :func:`~contracts.randomized.worst_case_randomized`).

    Examples
    --------
    One known action, output 4 for sure at cost 1. Carroll's optimum is :math:`y/2`, worth
    :math:`(2 - 1)^2 = 1`; the optimal lottery spreads the slope over :math:`[0, \beta]` with
    :math:`\beta \approx 0.6176` and guarantees :math:`4 (1 - \beta) \approx 1.5296`
    (the certificate, nature's best reply computed on a grid of 1000 cells, brackets it):

    >>> from contracts import Technology
    >>> known = Technology.from_arrays([0, 1, 2, 3, 4], [[0, 0, 0, 0, 1]], [1])
    >>> best = optimal_randomized(known)
    >>> best
    OptimalRandomized(value=1.52961, method='closed-form', exact=False
      (irrational: beta solves kappa = beta + (1 - beta) ln(1 - beta), to double precision); certificate in [1.52..., 1.53...] (grid 1000)
      Carroll's deterministic optimum 1 at alpha = 1/2; gain 0.529614 (x1.53)
      RandomizedContract: continuous, CDF ln(1 - a) / ln(1 - 0.617596), support [0, 0.617596], mean slope 0.357526)
    >>> round(best.contract.cdf(0.5), 4)   # ln 2 / ln(1 / (1 - beta))
    0.7211
    """  # noqa: E501
    if not isinstance(known, Technology):
        raise TypeError(f"known must be a Technology, got {type(known).__name__}")
    if method not in ("auto", "closed-form", "grid-lp"):
        raise ValueError(f"method must be 'auto', 'closed-form' or 'grid-lp', got {method!r}")
    if method == "closed-form" and len(known) != 1:
        raise ValueError(
            f"the closed form needs exactly one known action, got {len(known)}; use "
            "method='grid-lp'"
        )
    solver_name = solver or DEFAULT_SOLVER
    carroll = optimal_linear(known)
    if method == "closed-form" or (method == "auto" and len(known) == 1):
        return _closed_form(known, carroll, grid, solver_name, solver_options)
    return _grid_lp(known, carroll, grid, solver_name, solver_options)


def _closed_form(
    known: Technology,
    carroll: OptimalLinear,
    grid: Any,
    solver: str,
    options: dict[str, Any] | None,
) -> OptimalRandomized:
    mu = known.means[0]
    c = to_python(known.costs[0])
    y0 = known.lowest_output
    value, beta = one_action_optimum(mu, c, y0)
    cells = grid if isinstance(grid, int | np.integer) else DEFAULT_GRID
    if beta == 0:
        contract = RandomizedContract([0], [1], origin=y0)
        exact = isinstance(value, Fraction)
        note = "exact: the zero contract" + (
            " (ties to the principal)" if c == 0 else "; no lottery guarantees more than y0"
        )
    else:
        contract = _closed_form_contract(float(beta), y0)
        exact = False
        note = "irrational: beta solves kappa = beta + (1 - beta) ln(1 - beta), to double precision"
    certificate = worst_case_randomized(
        contract, known, grid=int(cells), solver=solver, solver_options=options
    )
    return OptimalRandomized(
        value=value,
        upper_bound=value,
        grid_error=0.0,
        contract=contract,
        carroll=carroll,
        gain=value - carroll.value if exact else float(value) - float(carroll.value),
        certificate=certificate,
        method="closed-form",
        exact=exact,
        note=note,
        grid=None,
        solver=solver,
        known=known,
    )


def _grid_lp(
    known: Technology,
    carroll: OptimalLinear,
    grid: Any,
    solver: str,
    options: dict[str, Any] | None,
) -> OptimalRandomized:
    y = known.outputs
    top = y[-1]
    if any(c == 0 and m == top for m, c in zip(known.means, known.costs, strict=True)):
        # a free known action that puts all its mass on the top output (compared exactly: a
        # cost of 1e-13 against outputs of 1 is not free, and the optimum is then below the
        # top output by far more than a rounding): the zero contract guarantees the top
        # output, which no lottery can beat
        return _closed_form_like_zero(known, carroll, solver, options)
    y0 = float(as_float(y)[0])
    a = _grid(known, grid, carroll)
    lk = linear_known(a, known, y0, exact=False)  # outputs and costs divided by 2**lk.exponent
    lp, E, _degenerate, constant = _principal_lp(a, lk)
    sol = solve_lp(lp, solver, options, what="the principal's grid LP")
    p = np.clip(np.array([float(v) for v in sol.x[: a.size]]), 0.0, None)
    p[p < WEIGHT_FLOOR * p.sum()] = 0.0
    p = p / p.sum()
    value = float(unscaled(-float(sol.value), lk.exponent, False)) + y0
    keep = p > 0
    contract = RandomizedContract(a[keep], p[keep], origin=y0)
    _, means = _nature_minimax(a, lk, E, constant, solver, options)
    # sup over alpha in (a_k, a_{k+1}] of (1 - alpha)(m(alpha) - y0) <= (1 - a_k) m_{k+1}
    bound = max(float(means[0]), float(np.max((1 - a[:-1]) * means[1:])))
    upper = max(y0 + float(unscaled(bound, lk.exponent, False)), value)
    certificate = worst_case_randomized(contract, known, solver=solver, solver_options=options)
    return OptimalRandomized(
        value=value,
        upper_bound=upper,
        grid_error=upper - value,
        contract=contract,
        carroll=carroll,
        gain=value - float(carroll.value),
        certificate=certificate,
        method="grid-lp",
        exact=False,
        note=f"grid LP on {a.size} slopes, {solver} precision",
        grid=int(a.size),
        solver=solver,
        known=known,
    )


def _closed_form_like_zero(
    known: Technology, carroll: OptimalLinear, solver: str, options: dict[str, Any] | None
) -> OptimalRandomized:
    y0 = known.lowest_output
    contract = RandomizedContract([0], [1], origin=y0)
    certificate = worst_case_randomized(contract, known, solver=solver, solver_options=options)
    value = to_python(known.outputs[-1])
    return OptimalRandomized(
        value=value,
        upper_bound=value,
        grid_error=0.0,
        contract=contract,
        carroll=carroll,
        gain=value - carroll.value,
        certificate=certificate,
        method="zero-contract",
        exact=known.exact,
        note="exact: a free known action yields the top output; the zero contract keeps it",
        grid=None,
        solver=None,
        known=known,
    )
