r"""The usual contract families side by side: best against a known technology, and robustly.

For one technology, each family's best member is found twice: **known**, against the agent's
best response in the technology itself (ties to the principal), and **robust**, for Carroll's
guarantee :math:`V_P(w)` against every technology that contains it
(:func:`~contracts.worstcase.worst_case`). The families (payments to the agent):

============  ===========================================  ======================================
family        contract                                     parameters
============  ===========================================  ======================================
linear        :math:`\alpha (y - y_0)`                     :math:`\alpha \in [0, 1]`
affine        :math:`\alpha y + \beta \ge 0`               :math:`\alpha, \beta`
debt          :math:`\min(y, D)`: the agent holds debt     face value :math:`D \ge 0`
bonus         :math:`b \cdot 1\{y \ge t\}`                 bonus :math:`b \ge 0`, threshold
                                                           :math:`t` (an output)
option        :math:`s \max(y - K, 0)`: calls on output    scale :math:`s \ge 0`, strike
                                                           :math:`K \in [y_0, y_{max}]`
============  ===========================================  ======================================

**How each optimum is computed.** *Known technology.* Where a family's payments are linear in
one parameter :math:`\theta` on a piece (:math:`\alpha`; :math:`D` between two consecutive
outputs; :math:`b` for a fixed threshold), the agent's utilities
are lines in :math:`\theta`, his choice changes only at the breakpoints of their upper envelope
(:mod:`contracts.envelope`), and for a fixed action the principal's payoff falls as
:math:`\theta` rises (payments rise pointwise). So the best :math:`\theta` of a piece is its left
end or a breakpoint, each evaluated with ties to the principal: an **exact** enumeration (linear,
debt, and bonus over every threshold). The affine family reduces to the linear one exactly:
:math:`\beta` shifts every action's utility alike and costs the principal one-for-one, so the
least :math:`\beta = -\alpha y_0` allowed by limited liability is best. The option has two
parameters, but with the strike in a cell :math:`y_j \le K \le y_{j+1}` its payment
:math:`u y - v` on the outputs above :math:`y_j` (:math:`u = s`, :math:`v = s K`) is linear in
:math:`(u, v)` on the cone :math:`u y_j \le v \le u y_{j+1}`. The cheapest way to make action
:math:`i` agent-optimal there is a linear program in two variables, whose optimum is a vertex:
a point where two of its lines (the cone's two rays and the incentive constraints) meet. Every
such vertex of every cell and action is evaluated with ties to the principal: **exact** as well.

*Robust.* Linear and affine: Carroll's :math:`V^*` (:func:`~contracts.linear.optimal_linear`),
the best guarantee of *any* contract. Option: :math:`V^*` as well, exactly, since the family
contains every :math:`\alpha (y - y_0)` (strike :math:`y_0`, scale :math:`\alpha`). Bonus and debt
have closed forms (derived in the explanation), each contract's guarantee being the worst-case
lemma's (:func:`~contracts.worstcase.worst_case`):

* bonus :math:`b\,1\{y \ge t\}`, :math:`t` an output above :math:`y_0`, :math:`T = t - y_0`,
  :math:`P_i = P_i(y \ge t)`: nature's cheapest points are :math:`(0, y_0)` and
  :math:`(b, t - b)`, so :math:`V_P = y_0 + \max_i (P_i - c_i/b)_+ (T - b)` for
  :math:`b \le T`: one-action Carroll problems with mean :math:`P_i T`, each at most
  :math:`[(\sqrt{P_i T} - \sqrt{c_i})_+]^2`, reached at :math:`b = \sqrt{c_i T / P_i}`;
* debt :math:`\min(y, D)`, :math:`D` between outputs :math:`y_a < D < y_b`,
  :math:`u = D - y_a`, :math:`S = y_b - y_a`, :math:`Q_i = P_i(y \ge y_b)`,
  :math:`k_i = y_a (1 - Q_i) - E_i[y\,1\{y \le y_a\}] + c_i`: nature's hull is flat at 0 up to
  :math:`y_a`, so :math:`V_P = \max_i (Q_i - k_i/u)_+ (S - u)`, at most
  :math:`[(\sqrt{Q_i S} - \sqrt{k_i})_+]^2`, at :math:`u = \sqrt{k_i S / Q_i}`.

Free actions (:math:`c_i = 0`, or :math:`k_i = 0`), the degenerate case, a bonus above
:math:`T`, and a face value at an output, below :math:`y_0` or above :math:`y_{max}` never beat
the zero contract, whose guarantee is the best free mean (or :math:`y_0`). So each optimum is
the larger of the zero contract and the best closed form: exact when the roots are rational,
else a float. The tests check each against the guarantee of the returned contract and against a
grid of contracts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

from . import _html
from ._html import HtmlRepr
from ._numbers import Number, fmt, table, to_python
from .agent import best_response
from .contract import Contract
from .envelope import as_fraction, upper_envelope
from .known import best_linear_known, optimal_contract
from .linear import optimal_linear
from .model import Technology

__all__ = ["FAMILIES", "FamilyComparison", "FamilyOptimum", "compare_families"]

#: The families compared, in the order of the table.
FAMILIES = ("linear", "affine", "debt", "bonus", "option")


@dataclass(frozen=True, eq=False)
class FamilyOptimum(HtmlRepr):
    """One family's best contract against the known technology and for the robust guarantee.

    Attributes
    ----------
    family : str
        One of :data:`FAMILIES`.
    known_value : Fraction or float
        The principal's payoff of the family's best contract if the technology is all there is.
    known_parameters : mapping
        The parameters of that contract (e.g. ``{"alpha": 1/5}``), read-only.
    known_contract : Contract
        That contract on the technology's outputs.
    known_method : str
        How it was found.
    robust_value, robust_parameters, robust_contract, robust_method
        The same for the best guarantee :math:`V_P(w)` over every technology containing it.
    """

    family: str
    known_value: Number
    known_parameters: Mapping[str, Number]
    known_contract: Contract
    known_method: str
    robust_value: Number
    robust_parameters: Mapping[str, Number]
    robust_contract: Contract
    robust_method: str

    def __post_init__(self) -> None:
        # read-only views of private copies: the result stays frozen
        object.__setattr__(self, "known_parameters", MappingProxyType(dict(self.known_parameters)))
        object.__setattr__(
            self, "robust_parameters", MappingProxyType(dict(self.robust_parameters))
        )

    def __repr__(self) -> str:
        return (
            f"FamilyOptimum({self.family}: known {fmt(self.known_value)} at "
            f"{_params(self.known_parameters)} ({self.known_method}); robust "
            f"{fmt(self.robust_value)} at {_params(self.robust_parameters)} "
            f"({self.robust_method}))"
        )


def _params(p: Mapping[str, Number]) -> str:
    return ", ".join(f"{k}={fmt(v)}" for k, v in p.items())


@dataclass(frozen=True, eq=False)
class FamilyComparison:
    """Each family's best contract, known and robust, for one technology.

    Attributes
    ----------
    rows : tuple of FamilyOptimum
        One per family of :data:`FAMILIES`.
    known_optimum : Fraction or float
        The known-technology optimum over all contracts: no family earns more.
    robust_optimum : Fraction or float
        Carroll's :math:`V^*`: no (deterministic) contract guarantees more.
    """

    rows: tuple[FamilyOptimum, ...]
    known_optimum: Number
    robust_optimum: Number
    technology: Technology = field(repr=False)

    def __getitem__(self, family: str) -> FamilyOptimum:
        for row in self.rows:
            if row.family == family:
                return row
        raise KeyError(f"no family {family!r}; the families are {FAMILIES}")

    def _repr_html_(self) -> str:
        rows = [
            [
                r.family,
                r.known_value,
                dict(r.known_parameters),
                r.robust_value,
                dict(r.robust_parameters),
            ]
            for r in self.rows
        ]
        caption = (
            f"FamilyComparison: known optimum {fmt(self.known_optimum)}, robust optimum "
            f"V* = {fmt(self.robust_optimum)}"
        )
        header = ["family", "known", "best known contract", "robust", "best robust contract"]
        return _html.table(caption, header, rows)

    def __repr__(self) -> str:
        rows = [["family", "known", "best known contract", "robust", "best robust contract"]]
        for r in self.rows:
            rows.append(
                [
                    r.family,
                    fmt(r.known_value),
                    _params(r.known_parameters),
                    fmt(r.robust_value),
                    _params(r.robust_parameters),
                ]
            )
        head = (
            f"FamilyComparison: known optimum {fmt(self.known_optimum)}, robust optimum "
            f"V* = {fmt(self.robust_optimum)}"
        )
        return "\n".join([head, *table(rows)])


def _num(x: Any, exact: bool) -> Number:
    return Fraction(x) if exact else float(x)


def _best_on_piece(
    tech: Technology, g: np.ndarray, h: np.ndarray, lo: Number, hi: Number | None
) -> tuple[Number, Number, Contract]:
    """Best theta in [lo, hi] for payments theta * g + h, exactly (see the module notes)."""
    y, dists, costs = tech.outputs, tech.dists, tech.costs
    slopes = [as_fraction(v) for v in dists @ g]
    intercepts = [as_fraction(v) for v in dists @ h - costs]
    env = upper_envelope(slopes, intercepts, lo, hi)
    best: tuple[Number, Number, Contract] | None = None
    for theta in (as_fraction(lo), *env.breakpoints):
        t: Number = theta if tech.exact else float(theta)
        contract = Contract(y, t * g + h)
        value = best_response(contract, tech).principal_value
        if best is None or value > best[0]:
            best = (value, t, contract)
    assert best is not None
    return best


def _indicator(y: np.ndarray, keep: np.ndarray, exact: bool) -> np.ndarray:
    one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
    return np.array([one if k else zero for k in keep], dtype=object if exact else float)


def _known_debt(tech: Technology) -> tuple[Number, dict[str, Number], Contract]:
    y, exact = tech.outputs, tech.exact
    zero = y[0] * 0
    pieces: list[tuple[np.ndarray, np.ndarray, Number, Number]] = []
    if y[0] > 0:  # D in [0, y0]: a constant wage D
        pieces.append((_indicator(y, y >= y[0], exact), y * 0, zero, y[0]))
    for j in range(y.size - 1):  # D in [y_j, y_{j+1}]: y below, D above
        g = _indicator(y, y > y[j], exact)
        pieces.append((g, np.where(y <= y[j], y, zero), y[j], y[j + 1]))
    if y.size == 1:
        pieces.append((_indicator(y, y >= y[0], exact), y * 0, zero, y[0]))
    best = max((_best_on_piece(tech, *p) for p in pieces), key=lambda b: b[0])
    return best[0], {"D": to_python(best[1])}, best[2]


def _known_bonus(tech: Technology) -> tuple[Number, dict[str, Number], Contract]:
    y, exact = tech.outputs, tech.exact
    found = []
    for t in y:
        value, b, contract = _best_on_piece(
            tech, _indicator(y, y >= t, exact), y * 0, _num(0, exact), None
        )
        found.append((value, {"b": to_python(b), "t": to_python(t)}, contract))
    return max(found, key=lambda f: f[0])


def _vertices(lines: list[tuple[Fraction, Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """Return the points (u, v) where two of the lines a u + b v = r meet and all a u + b v >= r."""
    points = []
    for p in range(len(lines)):
        a1, b1, r1 = lines[p]
        for q in range(p + 1, len(lines)):
            a2, b2, r2 = lines[q]
            det = a1 * b2 - a2 * b1
            if det == 0:
                continue
            u, v = (r1 * b2 - r2 * b1) / det, (a1 * r2 - a2 * r1) / det
            if all(a * u + b * v >= r for a, b, r in lines):
                points.append((u, v))
    return points


def _known_option(tech: Technology) -> tuple[Number, dict[str, Number], Contract]:
    """Best s (y - K)_+ against the known technology, exactly (see the module notes)."""
    y, exact = tech.outputs, tech.exact
    ys = [as_fraction(v) for v in y]
    f = [[as_fraction(p) for p in row] for row in tech.dists]
    c = [as_fraction(v) for v in tech.costs]
    k = len(f)
    zero = Contract(y, y * 0)
    best: tuple[Number, dict[str, Number], Contract] = (
        best_response(zero, tech).principal_value,
        {"s": to_python(y[0] * 0), "K": to_python(y[-1])},
        zero,
    )
    for j in range(len(ys) - 1):
        # K in [y_j, y_{j+1}]: the payment is u y - v above y_j (u = s, v = s K), linear in
        # (u, v) on the cone u y_j <= v <= u y_{j+1}
        A = [sum((row[t] * ys[t] for t in range(j + 1, len(ys))), Fraction(0)) for row in f]
        B = [sum(row[j + 1 :], Fraction(0)) for row in f]
        for i in range(k):
            lines = [(-ys[j], Fraction(1), Fraction(0)), (ys[j + 1], Fraction(-1), Fraction(0))]
            lines += [(A[i] - A[m], B[m] - B[i], c[i] - c[m]) for m in range(k) if m != i]
            for u, v in _vertices(lines):
                if u <= 0:
                    continue
                s_, K = (u, v / u) if exact else (float(u), float(v / u))
                points = list(y) if exact else [float(t) for t in y]
                contract = Contract(y, [s_ * max(t - K, 0 * t) for t in points])
                value = best_response(contract, tech).principal_value
                if value > best[0]:
                    best = (value, {"s": s_, "K": K}, contract)
    return best


def _root(q: Number) -> Number:
    """Return the square root of q >= 0: a Fraction when it is rational, else a float."""
    if isinstance(q, Fraction):
        p, r = math.isqrt(q.numerator), math.isqrt(q.denominator)
        if p * p == q.numerator and r * r == q.denominator:
            return Fraction(p, r)
    return math.sqrt(q)


def _one_action(m: Number, c: Number) -> tuple[Number, Number] | None:
    """Return (max_u (m/S - c/u)(S - u) as [(sqrt m - sqrt c)_+]^2, sqrt(c/m)), or None if <= 0.

    The maximiser is u = S sqrt(c/m); exact when the roots are rational, a float otherwise.
    """
    if not m > c:
        return None
    root = _root(m * c)
    value = m + c - 2 * root if isinstance(root, Fraction) else (math.sqrt(m) - math.sqrt(c)) ** 2
    return value, _root(c / m)


def _zero_contract(tech: Technology) -> Number:
    """V_P(0): the mean of the best free known action (ties to the principal), else y0."""
    free = [
        to_python(r) for r, c in zip(tech.dists @ tech.outputs, tech.costs, strict=True) if c == 0
    ]
    return max(free) if free else to_python(tech.outputs[0])


def _robust_bonus(tech: Technology) -> tuple[Number, dict[str, Number], Contract]:
    """Return the best guarantee of b 1{y >= t}: the zero contract or a closed form."""
    y, dists, costs = tech.outputs, tech.dists, tech.costs
    y0 = to_python(y[0])
    best: tuple[Number, dict[str, Number], Contract] = (
        _zero_contract(tech),
        {"b": 0 * y0, "t": y0},
        Contract(y, y * 0),
    )
    for j in range(1, y.size):
        T = to_python(y[j]) - y0
        for i in range(dists.shape[0]):
            P, c = to_python(dists[i, j:].sum()), to_python(costs[i])
            if c == 0 or P == 0:  # dominated by the zero contract (see the module notes)
                continue
            found = _one_action(P * T, c)
            if found is None:
                continue
            value, ratio = found
            if y0 + value > best[0]:
                b = T * ratio
                pay = [b if k >= j else 0 * b for k in range(y.size)]
                best = (y0 + value, {"b": b, "t": to_python(y[j])}, Contract(y, pay))
    return best


def _robust_debt(tech: Technology) -> tuple[Number, dict[str, Number], Contract]:
    """Return the best guarantee of min(y, D): the zero contract or a closed form."""
    y, dists, costs = tech.outputs, tech.dists, tech.costs
    best: tuple[Number, dict[str, Number], Contract] = (
        _zero_contract(tech),
        {"D": 0 * to_python(y[0])},
        Contract(y, y * 0),
    )
    for a in range(y.size - 1):
        ya, yb = to_python(y[a]), to_python(y[a + 1])
        S = yb - ya
        for i in range(dists.shape[0]):
            Q = to_python(dists[i, a + 1 :].sum())
            below = to_python(dists[i, : a + 1] @ y[: a + 1])
            k = ya * (1 - Q) - below + to_python(costs[i])
            if k == 0 or Q == 0:  # dominated by the zero contract (see the module notes)
                continue
            found = _one_action(Q * S, k)
            if found is None:
                continue
            value, ratio = found
            if value > best[0]:
                D = ya + S * ratio
                best = (value, {"D": D}, Contract(y, [min(v, D) for v in y]))
    return best


def compare_families(technology: Technology) -> FamilyComparison:
    r"""Compare the best linear, affine, debt, bonus and option contracts, known and robust.

    Parameters
    ----------
    technology : Technology
        Treated both as the whole technology (known) and as the known part :math:`A_0` of an
        unknown one (robust).

    Returns
    -------
    FamilyComparison
        A table with one row per family; each entry says how it was computed.

    Examples
    --------
    The tour's firm: shirk (free, mean 7/8), work (cost 1/3, mean 3; never output 0) and
    overtime (cost 5/4, mean 15/4) on outputs 0..4. Work overtakes shirking under
    :math:`\alpha y` at :math:`3\alpha - \frac13 = \frac78 \alpha`, :math:`\alpha = \frac8{51}`,
    leaving :math:`\frac{43}{51} \cdot 3`; a bonus of :math:`\frac56` at output 4 (probability
    :math:`\frac25` under work, 0 under shirking) costs :math:`\frac13` and reaches the known
    optimum :math:`3 - \frac13`, and so does the option :math:`\frac56 (y - 3)_+`; debt
    :math:`\min(y, \frac23)` pays work :math:`\frac23` for sure and shirking :math:`\frac13`:

    >>> from contracts._tour import example_technology
    >>> compare_families(example_technology())
    FamilyComparison: known optimum 8/3, robust optimum V* = 4/3
      family  known  best known contract  robust  best robust contract
      linear  43/17           alpha=8/51     4/3             alpha=1/3
      affine  43/17   alpha=8/51, beta=0     4/3     alpha=1/3, beta=0
      debt      7/3                D=2/3     7/8                   D=0
      bonus     8/3           b=5/6, t=4     7/8              b=0, t=0
      option    8/3           s=5/6, K=3     4/3            s=1/3, K=0

    Robustly, debt and the bonus do no better than the zero contract here (shirking is free
    and has mean 7/8), while Carroll's :math:`\frac13 y` guarantees :math:`(\sqrt3 -
    \sqrt{1/3})^2 = \frac43`.
    """
    if not isinstance(technology, Technology):
        raise TypeError(f"technology must be a Technology, got {type(technology).__name__}")
    tech = technology
    y = tech.outputs
    y0 = to_python(y[0])
    known = optimal_contract(tech)
    carroll = optimal_linear(tech)
    linear = best_linear_known(tech)
    lin_contract = linear.contract.on(y)
    rob_contract = carroll.contract.on(y)
    rows = [
        FamilyOptimum(
            "linear",
            linear.value,
            {"alpha": linear.alpha},
            lin_contract,
            "exact: alpha = 0 or a critical value",
            carroll.value,
            {"alpha": carroll.alpha},
            rob_contract,
            "exact: Carroll's closed form (a float when irrational)",
        ),
        FamilyOptimum(
            "affine",
            linear.value,
            {"alpha": linear.alpha, "beta": -linear.alpha * y0},
            lin_contract,
            "exact: beta = -alpha y0 is best, then linear",
            carroll.value,
            {"alpha": carroll.alpha, "beta": -carroll.alpha * y0},
            rob_contract,
            "exact: Carroll's theorem (affine improves to linear)",
        ),
    ]
    value, params, contract = _known_debt(tech)
    rvalue, rparams, rcontract = _robust_debt(tech)
    rows.append(
        FamilyOptimum(
            "debt",
            value,
            params,
            contract,
            "exact: D on every piece between outputs",
            rvalue,
            rparams,
            rcontract,
            "exact: the zero contract or a closed form per cell (a float when irrational)",
        )
    )
    value, params, contract = _known_bonus(tech)
    rvalue, rparams, rcontract = _robust_bonus(tech)
    rows.append(
        FamilyOptimum(
            "bonus",
            value,
            params,
            contract,
            "exact: b for every threshold",
            rvalue,
            rparams,
            rcontract,
            "exact: the zero contract or a closed form per threshold (a float when irrational)",
        )
    )
    value, params, contract = _known_option(tech)
    rows.append(
        FamilyOptimum(
            "option",
            value,
            params,
            contract,
            "exact: vertices of the (s, s K) cone per output cell",
            carroll.value,
            {"s": carroll.alpha, "K": y0},
            rob_contract,
            "exact: contains every linear contract (K = y0), so V*",
        )
    )
    return FamilyComparison(
        rows=tuple(rows),
        known_optimum=known.value,
        robust_optimum=carroll.value,
        technology=tech,
    )
