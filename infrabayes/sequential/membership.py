r"""Whether a next-state distribution lies in a state-action pair's credal set.

* Intervals: :math:`\ell_j \le p_j \le u_j` for every next state (and :math:`p` a distribution).
* Vertices: :math:`p = \sum_k w_k v_k` for some weights :math:`w \ge 0` summing to 1, a linear
  feasibility problem solved with :func:`scipy.optimize.linprog` (HiGHS).

Exact inputs are compared exactly, except the linear program, which is solved in float64.
Float comparisons allow :data:`MEMBERSHIP_TOLERANCE`, relative to the total mass 1 (bounds), or
as the residual of the linear program's equality constraints (vertices).
"""

from __future__ import annotations

import numpy as np

from infrabayes.sequential.model import Model

__all__ = ["MEMBERSHIP_TOLERANCE", "contains"]

#: Float tolerance of membership tests, relative to the total mass 1.
MEMBERSHIP_TOLERANCE = 1e-9


def contains(model: Model, row: int, p: np.ndarray) -> bool:
    """Return whether the distribution `p` (S,) lies in the credal set of flat row `row`.

    Examples
    --------
    >>> from infrabayes.sequential import InfraMDP
    >>> mdp = InfraMDP(["a", "b"], ["go"], {("a", "go"): {"a": (0, 0.5), "b": (0.5, 1)},
    ...                                    ("b", "go"): [{"a": 1}, {"b": 1}]},
    ...                {("a", "go"): 0, ("b", "go"): 1}, discount=0.5)
    >>> contains(mdp.model, 0, np.array([0.25, 0.75]))
    True
    >>> contains(mdp.model, 0, np.array([0.75, 0.25]))   # above the upper bound 0.5 of "a"
    False
    """
    kind, first, second = model.credal_set(row)
    exact = model.exact and p.dtype == object
    tol = 0 if exact else MEMBERSHIP_TOLERANCE
    if kind == "interval":
        assert second is not None
        return bool(((p >= first - tol) & (p <= second + tol)).all())
    vertices = first
    if len(vertices) == 1:
        return bool((abs(p - vertices[0]) <= tol).all())
    from scipy.optimize import linprog

    k = len(vertices)
    a_eq = np.vstack([np.asarray(vertices, dtype=np.float64).T, np.ones((1, k))])
    b_eq = np.append(np.asarray(p, dtype=np.float64), 1.0)
    res = linprog(np.zeros(k), A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * k, method="highs")
    if res.status != 0:
        return False
    return bool(np.abs(a_eq @ res.x - b_eq).max() <= MEMBERSHIP_TOLERANCE)
