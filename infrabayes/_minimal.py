r"""Minimal points on cores: the pruning behind :mod:`infrabayes.minimal`.

The definitions, the dominance LP and the arithmetic (the relative tolerance, the exact
verification, the scaling of the LP) are in the docstring of :mod:`infrabayes.minimal`; this
module computes them on :class:`~infrabayes._core.Core` values.
:meth:`Infradistribution.minimal_points <infrabayes.Infradistribution.minimal_points>`
delegates here.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._core import Core
from infrabayes.limits import Progress

__all__ = ["DOMINANCE_TOLERANCE", "FRACTION_DENOMINATOR_LIMIT", "minimal_points"]

# Documented as infrabayes.minimal.DOMINANCE_TOLERANCE and FRACTION_DENOMINATOR_LIMIT.
DOMINANCE_TOLERANCE = 1e-9
FRACTION_DENOMINATOR_LIMIT = 10**9
# LP weights below this (they sum to 1) are solver noise: the proposal drops them before the
# verification, which alone decides.
_WEIGHT_NOISE = 1e-12


def minimal_points(core: Core, progress: Progress | None = None) -> Core:
    """Return the core of the minimal generators (the same core if every one touches Nirvana).

    A subset of the generators, in their order, with the same expectations (see
    :func:`infrabayes.minimal.minimal_points`). `progress` is called as ``progress(i, k)`` after
    each of the ``k`` generators is decided.
    """
    exact = core.exact
    rows, masses, c = core.effective(exact)
    if rows.size == 0:  # every generator touches Nirvana (inf): all are equally worthless
        return core
    alive = _prune(masses, c, exact, progress)
    keep = rows[alive]
    return core.with_generators(core.masses[keep], core.b[keep])


def _prune(masses: np.ndarray, c: np.ndarray, exact: bool, progress: Progress | None) -> np.ndarray:
    """Return the indices of the rows kept after removing dominated ones, one at a time."""
    lp_masses, lp_c = _lp_data(masses, c, exact)
    k = len(c)
    alive = list(range(k))
    for i in range(k):
        others = np.array([j for j in alive if j != i], dtype=int)
        if others.size and _dominated(i, others, masses, c, lp_masses, lp_c, exact):
            alive.remove(i)
        if progress is not None:
            progress(i + 1, k)
    return np.array(alive, dtype=int)


def _lp_data(masses: np.ndarray, c: np.ndarray, exact: bool) -> tuple[np.ndarray, np.ndarray]:
    r"""Return the generators as float64 for the LP, divided by a power of 2 near the largest value.

    Dominance is invariant under scaling every generator by the same positive factor, so exact
    generators beyond the float64 range (above :math:`1.8 \cdot 10^{308}`) convert without
    overflow (entries tiny next to the largest may round to 0; the exact verification does not
    use these floats). Each LP rescales again around its own generator (:func:`_lp_weights`).
    """
    values = masses.sum(axis=1) + c  # lambda + b: the largest value of each generator
    top = values.max()
    if top == 0:
        return np.zeros(masses.shape), np.zeros(c.shape)
    if exact:
        top = Fraction(top)
        shift = top.numerator.bit_length() - top.denominator.bit_length()
        scale = Fraction(2) ** -shift
        as_float = np.vectorize(lambda v: float(v * scale), otypes=[np.float64])
        return as_float(masses).reshape(masses.shape), as_float(c).reshape(c.shape)
    _, shift = np.frexp(top)
    return np.ldexp(masses, -int(shift)), np.ldexp(c, -int(shift))


def _excess(m_p: Any, c_p: Any, m_q: np.ndarray, c_q: Any, tol: Any) -> Any:
    r"""Return :math:`\max_f q(f) - (1 + t)\,p(f)` over :math:`f: X \to [0, 1]`.

    It is :math:`c_q - (1 + t) c_p + \sum_x \max(m_q(x) - (1 + t) m_p(x), 0)` (the maximum of an
    affine function on the cube is at a vertex); for rows of `m_q` (with `c_q` a vector) one
    value per row, with :math:`t` = `tol`. :math:`\le 0` means :math:`q(f) \le (1 + t) p(f)` for
    every utility :math:`f`.
    """
    grown_m, grown_c = m_p * (1 + tol), c_p * (1 + tol)
    above = m_q - grown_m
    zero: Any = Fraction(0) if isinstance(tol, Fraction) else 0.0
    positive = np.where(above > 0, above, zero)
    return c_q - grown_c + positive.sum(axis=-1)


def _dominated(
    p: int,
    others: np.ndarray,
    masses: np.ndarray,
    c: np.ndarray,
    lp_masses: np.ndarray,
    lp_c: np.ndarray,
    exact: bool,
) -> bool:
    tol: Any = Fraction(0) if exact else DOMINANCE_TOLERANCE
    # One other generator at a time first (cheap, exact in exact mode; catches duplicates).
    single = _excess(masses[p], c[p], masses[others], c[others], tol)
    if (single <= 0).any():
        return True
    if others.size < 2:
        return False
    usable, weights = _lp_weights(p, others, lp_masses, lp_c)
    if weights is None:
        return False
    others = others[usable]
    if exact:
        fractions = _as_fractions(weights)
        if fractions is None:
            return False
        weights = fractions
    # The LP only proposes q = sum_j w_j g_j; the check on the generators themselves decides.
    q_m, q_c = weights @ masses[others], weights @ c[others]
    return bool(_excess(masses[p], c[p], q_m, q_c, tol) <= 0)


def _lp_weights(
    p: int, others: np.ndarray, masses: np.ndarray, c: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None]:
    r"""Solve the dominance LP of generator `p`; return (the others used, their weights or None).

    The data are divided by a power of 2 near :math:`\lambda_p + b_p`, so that what decides the
    domination of `p` is of size 1 for the solver whatever the other generators' sizes (HiGHS's
    tolerances are absolute). Others that this scaling takes beyond the float64 range are left
    out (they could only enter with a negligible weight; leaving them out can only keep `p`).
    The LP has no tolerance: its optimum is a vertex (a combination with simple weights), and
    the check that follows adds the tolerance, so a domination at the edge of the tolerance is
    not decided by rounding.
    """
    from scipy.optimize import linprog  # scipy.optimize costs ~0.6 s to import: only when needed

    top = masses[p].sum() + c[p]
    if top == 0:  # p is the zero a-measure: only zero generators, found one at a time, fit below
        return others, None
    _, shift = np.frexp(top)
    with np.errstate(over="ignore"):
        scaled_m, scaled_c = np.ldexp(masses, -int(shift)), np.ldexp(c, -int(shift))
    finite = np.isfinite(scaled_m[others]).all(axis=1) & np.isfinite(scaled_c[others])
    used = np.flatnonzero(finite)
    if used.size < 2:
        return used, None
    rows = others[used]
    r, n = rows.size, masses.shape[1]
    cost = np.concatenate([scaled_c[rows], np.ones(n)])
    a_ub = np.hstack([scaled_m[rows].T, -np.eye(n)])
    a_eq = np.concatenate([np.ones(r), np.zeros(n)])[None, :]
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=scaled_m[p],
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=(0, None),
        method="highs",
    )
    if res.status != 0:
        raise RuntimeError(
            f"minimal_points: the dominance LP of generator {p} failed in scipy.optimize.linprog "
            f"(HiGHS), status {res.status}: {res.message}"
        )
    weights = np.where(res.x[:r] > _WEIGHT_NOISE, res.x[:r], 0.0)
    total = weights.sum()
    if total <= 0:
        return used, None
    out: np.ndarray = weights / total
    return used, out


def _as_fractions(weights: np.ndarray) -> np.ndarray | None:
    """Round float weights to fractions summing to 1 (None if they are all zero)."""
    rounded = [
        Fraction(max(float(w), 0.0)).limit_denominator(FRACTION_DENOMINATOR_LIMIT) for w in weights
    ]
    total = sum(rounded, Fraction(0))
    if total == 0:
        return None
    out = np.empty(len(rounded), dtype=object)
    out[:] = [w / total for w in rounded]
    return out
