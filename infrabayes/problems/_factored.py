r"""IB's causal values without the policies x predictions table, when the predictions factorise.

Every leaf's weight :math:`w_\ell(p)` reads the prediction :math:`p` only at the predicted
information sets on its path (the predictors' reads, the decisions at predicted information sets,
the deviation). Join two predicted information sets when one leaf reads both; the classes
:math:`C_1, \dots, C_m` split the leaves (a leaf that reads no prediction goes to :math:`C_0`),
and the predictions into independent parts :math:`p = (p_1, \dots, p_m)`. Then the utility and
the Nirvana mass of every environment are sums over the components,

.. math:: V(\pi, p) = V_0(\pi) + \sum_k V_k(\pi, p_k), \qquad
          N(\pi, p) = \sum_k N_k(\pi, p_k),

with every term nonnegative, so Murphy's minimum separates: under ``nirvana=math.inf``,
:math:`N = 0` iff every :math:`N_k = 0`, and

.. math:: \min_{p : N(\pi, p) = 0} V(\pi, p) = V_0(\pi) +
          \sum_k \min_{p_k : N_k(\pi, p_k) = 0} V_k(\pi, p_k)

(under ``nirvana=1`` each term is :math:`\min_{p_k} V_k + N_k`). Murphy's choices are the
products of the components' choices. A component's terms depend on the policy only through the
information sets of its leaves' decisions, so each is a small table over those (its *local
policies*) and its own predictions, and the value of every policy is a sum of gathered entries:
:math:`n_\pi \cdot m` additions instead of :math:`n_\pi \cdot n_p \cdot n_\ell` multiply-adds.
The expected utility in the true problem (UDT's value) is the same sum read on the diagonal
:math:`p_k = \pi|_{C_k}`.

Exact problems stay exact: each component's table is computed in integers with its own
denominator (``_compiled.int_matmul``), the minima are brought to one
common denominator and summed in int64 when that cannot overflow (else Python ints). In float64
a component's ties for Murphy are within :data:`~infrabayes.problems.hypotheses.TIE_TOLERANCE` of
the component's minimum, relative to it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes import limits
from infrabayes._numbers import read_only
from infrabayes.limits import Progress, SizeLimitError, power_of_two
from infrabayes.nirvana import check_nirvana
from infrabayes.problems._compiled import INT64_SAFE, Compiled, Leaf, _product, int_matmul
from infrabayes.problems.hypotheses import TIE_TOLERANCE

__all__ = [
    "FACTOR_MIN_PRODUCTS",
    "Component",
    "components",
    "expected_utilities",
    "ib_values",
    "worthwhile",
]

#: :meth:`Problem.solve` takes the factorised route when the problem has at least two
#: components with predictions and the table of policies x predictions x leaves would hold at
#: least this many multiply-adds (below it the direct products are as fast, and their float ties
#: are the ones documented in :mod:`~infrabayes.problems.hypotheses`).
FACTOR_MIN_PRODUCTS = 2**22


@dataclass(frozen=True)
class Component:
    """A class of predicted information sets and the leaves that read them (module docstring).

    ``leaves`` index ``c.leaves + c.deviations``; ``decide`` are the information sets of their
    decisions (and deviations); ``predict`` the predicted information sets of the class (both as
    indices of ``c.infosets``, sorted). ``predict`` is empty for the leaves that read no
    prediction.
    """

    leaves: tuple[int, ...]
    decide: tuple[int, ...]
    predict: tuple[int, ...]

    def sizes(self, c: Compiled) -> tuple[int, int]:
        """Return (local policies, local predictions)."""
        n_a = math.prod(len(c.actions[i]) for i in self.decide)
        n_q = math.prod(len(c.actions[i]) for i in self.predict)
        return n_a, n_q


def _reads(leaf: Leaf, predicted: set[int]) -> set[int]:
    out = {r.infoset for r in leaf.reads if not r.correlate}
    out |= {i for i, _ in leaf.decisions if i in predicted}
    if leaf.deviation is not None:
        out.add(leaf.deviation[0])
    return out


def components(c: Compiled) -> tuple[Component, ...]:
    """Return the components of a compiled problem, the one without predictions first."""
    predicted = set(c.predicted)
    parent = {i: i for i in c.predicted}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    leaves = c.leaves + c.deviations
    reads = [_reads(leaf, predicted) for leaf in leaves]
    for s in reads:
        ordered = sorted(s)
        for j in ordered[1:]:
            a, b = find(ordered[0]), find(j)
            if a != b:
                parent[b] = a
    groups: dict[int, list[int]] = {}
    for k, s in enumerate(reads):
        groups.setdefault(find(min(s)) if s else -1, []).append(k)
    out = []
    for key in sorted(groups):
        members = groups[key]
        decide: set[int] = set()
        for k in members:
            decide |= {i for i, _ in leaves[k].decisions}
            deviation = leaves[k].deviation
            if deviation is not None:
                decide.add(deviation[0])
        predict = sorted(i for i in c.predicted if key >= 0 and find(i) == key)
        out.append(Component(tuple(members), tuple(sorted(decide)), tuple(predict)))
    return tuple(out)


def worthwhile(c: Compiled, parts: Sequence[Component]) -> bool:
    """Whether :meth:`Problem.solve` should take this route (see FACTOR_MIN_PRODUCTS)."""
    with_predictions = sum(1 for part in parts if part.predict)
    direct = c.policies.shape[0] * c.predictions.shape[0] * (len(c.leaves) + len(c.deviations))
    return with_predictions >= 2 and direct >= FACTOR_MIN_PRODUCTS


@dataclass(frozen=True)
class _Table:
    """A component's utility ``v`` and Nirvana mass ``n``: (local policies, local predictions).

    Exact: integer arrays, ``v / (d * du)`` and ``n / d``; float: float64 and ``d = du = 1``.
    """

    v: np.ndarray
    n: np.ndarray
    d: int
    du: int


def _table(c: Compiled, part: Component, utilities_int: list[int] | None, du: int) -> _Table:
    leaves = c.leaves + c.deviations
    n_real = len(c.leaves)
    n_a, n_q = part.sizes(c)
    local = _product([len(c.actions[i]) for i in part.decide])
    policies = np.zeros((n_a, len(c.infosets)), dtype=np.int64)
    policies[:, list(part.decide)] = local
    q_local = _product([len(c.actions[i]) for i in part.predict])
    column = {infoset: k for k, infoset in enumerate(c.predicted)}
    predictions = np.zeros((n_q, len(c.predicted)), dtype=np.int64)
    predictions[:, [column[i] for i in part.predict]] = q_local
    real = [leaves[k] for k in part.leaves if k < n_real]
    dev = [leaves[k] for k in part.leaves if k >= n_real]
    v = n = None
    d = 1
    if c.exact:
        w_real = c.weights(real, predictions) if real else None
        w_dev = c.weights(dev, predictions) if dev else None
        d = math.lcm(*(w.denominator for w in (w_real, w_dev) if w is not None))
        if w_real is not None:
            assert w_real.ints is not None
            assert utilities_int is not None
            u = np.array([utilities_int[leaf.outcome] for leaf in real], dtype=object)
            scale = d // w_real.denominator
            block = w_real.ints.astype(object) * (u * scale)[:, None]
            v = int_matmul(c.indicators(real, policies), _compact(block))
        if w_dev is not None:
            assert w_dev.ints is not None
            block = w_dev.ints.astype(object) * (d // w_dev.denominator)
            n = int_matmul(c.indicators(dev, policies), _compact(block))
        zero: Any = np.zeros((n_a, n_q), dtype=np.int64)
    else:
        if real:
            w = c.weights(real, predictions).values
            u = c.utility_of_leaves(real)
            v = c.indicators(real, policies).astype(np.float64) @ (w * u[:, None])
        if dev:
            w = c.weights(dev, predictions).values
            n = c.indicators(dev, policies).astype(np.float64) @ w
        zero = np.zeros((n_a, n_q), dtype=np.float64)
        du = 1
    return _Table(zero if v is None else v, zero if n is None else n, d, du)


def _compact(block: np.ndarray) -> np.ndarray:
    """Return an integer object array as int64 when every entry fits (int_matmul then uses BLAS)."""
    top = int(np.abs(block).max()) if block.size else 0
    return block.astype(np.int64) if top < INT64_SAFE else block


def _local_index(c: Compiled, infosets: Sequence[int], rows: np.ndarray) -> np.ndarray:
    """Return the index of each row's restriction to `infosets` (first slowest)."""
    index = np.zeros(rows.shape[0], dtype=np.int64)
    for i in infosets:
        index = index * len(c.actions[i]) + rows[:, i]
    return index


def _check(c: Compiled, parts: Sequence[Component]) -> None:
    for part in parts:
        n_a, n_q = part.sizes(c)
        work = n_a * n_q * len(part.leaves)
        if work > limits.MAX_CAUSAL_PRODUCTS:
            raise SizeLimitError(
                f"a component of the predictions ({len(part.predict)} predicted information sets "
                f"read together, {n_a} local policies x {n_q} predictions x {len(part.leaves)} "
                f"leaves = {work} multiply-adds) exceeds MAX_CAUSAL_PRODUCTS = "
                f"{power_of_two(limits.MAX_CAUSAL_PRODUCTS)}; solve('udt') or "
                "solve('ib', encoding='acausal') need one prediction per policy"
            )


def _utilities(c: Compiled) -> tuple[list[int] | None, int]:
    if not c.exact:
        return None, 1
    du = math.lcm(1, *{int(v.denominator) for v in c.utilities})
    return [int(v.numerator) * (du // int(v.denominator)) for v in c.utilities], du


def _total(
    c: Compiled, terms: list[tuple[np.ndarray, np.ndarray, int]], progress: Progress | None
) -> np.ndarray:
    """Sum per-policy gathered terms ``(values per local policy, local index, denominator)``."""
    n_pol = c.policies.shape[0]
    if not c.exact:
        out = np.zeros(n_pol, dtype=np.float64)
        for done, (values, index, _) in enumerate(terms, start=1):
            out += values[index]
            if progress is not None:
                progress(done, len(terms))
        return read_only(out)
    common = math.lcm(1, *(d for _, _, d in terms))
    scaled = [(values * (common // d), index) for values, index, d in terms]
    top = sum(int(np.abs(values).max()) if values.size else 0 for values, _ in scaled)
    dtype: Any = np.int64 if top < INT64_SAFE else object
    acc = np.zeros(n_pol, dtype=dtype)
    for done, (values, index) in enumerate(scaled, start=1):
        acc = acc + values.astype(dtype)[index]
        if progress is not None:
            progress(done, len(scaled))
    # one Fraction per distinct value (policies often share theirs), gathered
    distinct, inverse = np.unique(acc, return_inverse=True)
    fractions = np.empty(len(distinct), dtype=object)
    fractions[:] = [Fraction(int(v), common) for v in distinct.tolist()]
    return read_only(fractions[np.asarray(inverse).reshape(-1)])


def _min_rows(vals: np.ndarray, exact: bool) -> tuple[np.ndarray, list[np.ndarray]]:
    """Return each row's minimum and the columns attaining it (float ties: TIE_TOLERANCE)."""
    best = vals.min(axis=1)
    if exact:
        tied = vals == best[:, None]
    else:
        tied = vals <= (best + TIE_TOLERANCE * np.abs(best))[:, None]
    return best, [np.flatnonzero(row) for row in tied]


def ib_values(
    c: Compiled,
    nirvana: float,
    parts: Sequence[Component] | None = None,
    progress: Progress | None = None,
) -> tuple[np.ndarray, tuple[tuple[int, ...], ...]]:
    """Return IB's causal value of every policy and Murphy's choices, component by component.

    The same answer as :func:`infrabayes.problems.hypotheses.ib_values` with
    ``encoding="causal"`` (exactly, for exact problems), computed as in the module docstring.
    `progress` is called as ``progress(components done, components)``.
    """
    nirvana = check_nirvana(nirvana)
    parts = components(c) if parts is None else parts
    _check(c, parts)
    utilities_int, du = _utilities(c)
    stride = {}
    step = 1
    for i in reversed(c.predicted):
        stride[i] = step
        step *= len(c.actions[i])
    terms = []
    choices = []  # per component: (local index of every policy, argmin sets, contributions)
    for part in parts:
        t = _table(c, part, utilities_int, du)
        if c.exact:
            v = t.v.astype(object) if t.v.dtype == object else t.v
            vals = (
                np.where(t.n > 0, int(np.abs(v).max()) + 1, v)
                if nirvana == math.inf
                else v + t.n * t.du
            )
        else:
            vals = np.where(t.n > 0, math.inf, t.v) if nirvana == math.inf else t.v + t.n
        best, argmins = _min_rows(vals, c.exact)
        index = _local_index(c, part.decide, c.policies)
        terms.append((best, index, t.d * t.du))
        q_local = _product([len(c.actions[i]) for i in part.predict])
        contrib = sum(
            (q_local[:, k] * stride[i] for k, i in enumerate(part.predict)),
            np.zeros(q_local.shape[0], dtype=np.int64),
        )
        choices.append((index, argmins, contrib))
        if progress is not None:
            progress(len(terms), len(parts))
    values = _total(c, terms, None)
    return values, _murphy(c, choices)


def _murphy(
    c: Compiled, choices: list[tuple[np.ndarray, list[np.ndarray], np.ndarray]]
) -> tuple[tuple[int, ...], ...]:
    """Murphy's choices per policy: the products of the components' (global prediction index)."""
    n_pol = c.policies.shape[0]
    if all(len(a) == 1 for _, argmins, _ in choices for a in argmins):
        total = np.zeros(n_pol, dtype=np.int64)
        for index, argmins, contrib in choices:
            single = contrib[np.array([a[0] for a in argmins], dtype=np.int64)]
            total += single[index]
        return tuple((k,) for k in total.tolist())
    total = np.ones(n_pol, dtype=object)  # Python ints: the products may be huge
    for index, argmins, _ in choices:
        counts = np.array([len(a) for a in argmins], dtype=object)
        total = total * counts[index]
    entries = int(total.sum())
    if entries > limits.MAX_TABLE_ENTRIES:
        raise SizeLimitError(
            f"Murphy's tied choices, the products of the components' ties, number {entries} "
            f"over the {n_pol} policies (more than MAX_TABLE_ENTRIES = "
            f"{power_of_two(limits.MAX_TABLE_ENTRIES)}); solve('udt') or "
            "solve('ib', encoding='acausal') name one prediction per policy"
        )
    out = []
    for row in range(n_pol):
        options = [contrib[argmins[index[row]]].tolist() for index, argmins, contrib in choices]
        out.append(tuple(sorted(sum(combo) for combo in itertools.product(*options))))
    return tuple(out)


def expected_utilities(
    c: Compiled, parts: Sequence[Component] | None = None, progress: Progress | None = None
) -> np.ndarray:
    """Return the expected utility of every policy in the true problem, component by component.

    The same as :func:`infrabayes.problems.hypotheses.expected_utilities`: each component's
    utility table read at the prediction the policy itself makes.
    """
    parts = components(c) if parts is None else parts
    _check(c, parts)
    utilities_int, du = _utilities(c)
    terms = []
    for part in parts:
        t = _table(c, part, utilities_int, du)
        # the diagonal: the local prediction is the local policy's own action there
        position = {i: k for k, i in enumerate(part.decide)}
        local = _product([len(c.actions[i]) for i in part.decide])
        own = np.zeros(local.shape[0], dtype=np.int64)
        for i in part.predict:
            own = own * len(c.actions[i]) + local[:, position[i]]
        diagonal = t.v[np.arange(local.shape[0]), own]
        terms.append((diagonal, _local_index(c, part.decide, c.policies), t.d * t.du))
    return _total(c, terms, progress)
