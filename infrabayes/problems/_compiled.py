r"""A problem tree flattened into leaves, for vectorised evaluation over all policies at once.

Every leaf (path from the root to an outcome) contributes, for a policy :math:`\pi` and a
hard-coded prediction :math:`p` (over the predicted information sets), the mass

.. math:: \chi_\ell(\pi)\, w_\ell(p),

where :math:`\chi_\ell(\pi) \in \{0, 1\}` says whether :math:`\pi` takes the leaf's actions and
:math:`w_\ell(p)` multiplies the chance probabilities, the base rates of correlates, the predictors'
probabilities of the leaf's branches given the prediction :math:`p`, and the indicator that
:math:`p` agrees with the leaf's actions at predicted information sets (otherwise the Nirvana trick
stopped the history earlier). Each decision node :math:`d` at a predicted information set adds one
**deviation leaf** per action :math:`a`, leading to NIRVANA: :math:`\chi` requires
:math:`\pi(I_d) = a` and :math:`w` requires :math:`p(I_d) \ne a`. So the mass of outcome :math:`x`
in the environment :math:`e_p` under :math:`\pi` is
:math:`\sum_{\ell \to x} \chi_\ell(\pi) w_\ell(p)`: two matrix products, ``X @ W``, for every policy
and prediction at once.

Exact problems stay exact without Python-level Fraction arithmetic in the products: the weights
are scaled to integers by their common denominator, multiplied in int64 when that cannot
overflow (checked), and divided back at the end (:class:`Weights`, :func:`int_matmul`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

import numpy as np

from infrabayes._numbers import Number, read_only
from infrabayes.problems.nodes import (
    Chance,
    Correlate,
    Decision,
    Node,
    Outcome,
    Predictor,
    children,
    numbers,
)

__all__ = [
    "FLOAT_EXACT",
    "INT64_SAFE",
    "MAX_POLICIES",
    "MAX_PREDICTIONS",
    "Compiled",
    "Leaf",
    "Read",
    "Weights",
    "compile_tree",
    "int_matmul",
    "predictor_probability",
]

#: Problems with more deterministic policies than this are refused (they are enumerated).
MAX_POLICIES = 2**20
#: ... and with more hard-coded predictions (assignments to the predicted information sets).
MAX_PREDICTIONS = 2**16
#: int64 products are used only while every partial sum stays below this bound.
INT64_SAFE = 2**62
#: ... and float64 (BLAS) products while they stay below this bound (integers are exact there).
FLOAT_EXACT = 2**53


@dataclass(frozen=True)
class Read:
    """A predictor or correlate on a path: it read `infoset` and took the branch `branch`."""

    infoset: int
    branch: int
    epsilon: Number
    n: int  # the number of actions (branches)
    correlate: bool
    base_rate: Number  # the unconditional probability of the branch (correlates only)


@dataclass(frozen=True)
class Leaf:
    """A path to an outcome (``outcome >= 0``) or to NIRVANA by a visible deviation (-1)."""

    outcome: int
    chance: Number  # product of the chance probabilities on the path
    decisions: tuple[tuple[int, int], ...]  # (infoset, action) of the decision nodes on the path
    reads: tuple[Read, ...]
    deviation: tuple[int, int] | None  # (infoset, action): the agent acts against p(infoset)
    labels: tuple[str, ...]  # branch labels from the root, for messages

    def passes(self, infoset: int) -> bool:
        """Whether the path goes through a decision node of `infoset` (the agent acts there)."""
        if self.deviation is not None and self.deviation[0] == infoset:
            return True
        return any(i == infoset for i, _ in self.decisions)


def predictor_probability(epsilon: Number, n: int, predicted: int, branch: int) -> Number:
    r"""Return the probability that a predictor with error :math:`\varepsilon` takes `branch`."""
    if branch == predicted:
        return 1 - epsilon
    return epsilon / (n - 1)


@dataclass(frozen=True, eq=False)
class Compiled:
    """The flattened problem (see the module docstring). Arrays are read-only."""

    exact: bool
    infosets: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    predicted: tuple[int, ...]  # infosets read by predictors (not correlates), in infoset order
    outcomes: tuple[str, ...]
    utilities: np.ndarray  # per outcome (object of Fractions, or float64)
    leaves: tuple[Leaf, ...]  # real leaves
    deviations: tuple[Leaf, ...]  # Nirvana leaves
    policies: np.ndarray  # (n_policies, n_infosets) action indices
    predictions: np.ndarray  # (n_predictions, n_predicted) action indices

    def zero(self) -> Number:
        return Fraction(0) if self.exact else 0.0

    def one(self) -> Number:
        return Fraction(1) if self.exact else 1.0

    def number(self, x: Any) -> Number:
        return Fraction(x) if self.exact else float(x)

    def prediction_index(self, policies: np.ndarray) -> np.ndarray:
        """Return, for each policy (row), the index of its restriction to the predicted sets."""
        index = np.zeros(policies.shape[0], dtype=np.int64)
        for col in self.predicted:
            index = index * len(self.actions[col]) + policies[:, col]
        return index

    def indicators(self, leaves: Sequence[Leaf], policies: np.ndarray) -> np.ndarray:
        r"""Return :math:`\chi_\ell(\pi)`: a ``(policies, leaves)`` 0/1 int64 matrix."""
        out = np.ones((policies.shape[0], len(leaves)), dtype=np.int64)
        for j, leaf in enumerate(leaves):
            steps = leaf.decisions + ((leaf.deviation,) if leaf.deviation is not None else ())
            for infoset, action in steps:
                out[:, j] &= policies[:, infoset] == action
        return out

    def leaf_weight(self, leaf: Leaf, prediction: Sequence[int]) -> Number:
        r"""Return :math:`w_\ell(p)` for one prediction (indexed like ``self.predicted``)."""
        column = {infoset: c for c, infoset in enumerate(self.predicted)}
        w: Any = self.number(leaf.chance)
        for r in leaf.reads:
            if r.correlate:
                w = w * self.number(r.base_rate)
            else:
                guess = prediction[column[r.infoset]]
                w = w * self.number(predictor_probability(r.epsilon, r.n, guess, r.branch))
        for infoset, action in leaf.decisions:
            if infoset in column and prediction[column[infoset]] != action:
                return self.zero()
        if leaf.deviation is not None:
            infoset, action = leaf.deviation
            if prediction[column[infoset]] == action:
                return self.zero()
        return w

    def weights(self, leaves: Sequence[Leaf], predictions: np.ndarray) -> Weights:
        r"""Return :math:`w_\ell(p)` for every leaf and prediction (rows of `predictions`).

        A leaf's weight depends on the prediction only at the predicted information sets on its
        path, so it is computed once per distinct combination there and gathered.
        """
        column = {infoset: c for c, infoset in enumerate(self.predicted)}
        patterns = []
        for leaf in leaves:
            cols = {column[r.infoset] for r in leaf.reads if not r.correlate}
            cols |= {column[i] for i, _ in leaf.decisions if i in column}
            if leaf.deviation is not None:
                cols.add(column[leaf.deviation[0]])
            used = sorted(cols)
            keys, inverse = np.unique(predictions[:, used], axis=0, return_inverse=True)
            values = []
            for key in keys:
                full = np.zeros(len(self.predicted), dtype=np.int64)
                full[used] = key
                values.append(self.leaf_weight(leaf, full.tolist()))
            patterns.append((values, np.asarray(inverse).reshape(-1)))
        return Weights.build(patterns, self.exact)

    def utility_of_leaves(self, leaves: Sequence[Leaf]) -> np.ndarray:
        return np.array(
            [self.utilities[leaf.outcome] for leaf in leaves], dtype=self.utilities.dtype
        )


def compile_tree(root: Node) -> Compiled:
    """Flatten and validate a tree; raise ValueError naming the path of a bad node."""
    exact = all(isinstance(x, Fraction) for x in _all_numbers(root))
    infosets: dict[str, tuple[str, ...]] = {}
    utilities: dict[str, Number] = {}
    reads: list[tuple[str, Predictor, tuple[str, ...]]] = []

    def visit(node: Node, path: tuple[str, ...], seen: frozenset[str]) -> None:
        where = "the root" if not path else "/".join(path)
        if isinstance(node, Outcome):
            old = utilities.setdefault(node.name, node.utility)
            if old != node.utility:
                raise ValueError(
                    f"outcome {node.name!r} at {where} has utility {node.utility}, but another "
                    f"leaf of that name has {old}; an outcome has one utility"
                )
            return
        if isinstance(node, Decision):
            acts = tuple(node.branches)
            old_acts = infosets.setdefault(node.infoset, acts)
            if old_acts != acts:
                raise ValueError(
                    f"the decision node at {where} offers {acts} at information set "
                    f"{node.infoset!r}, another node of it offers {old_acts}; the agent cannot "
                    "tell them apart, so they must offer the same actions (in the same order)"
                )
            if node.infoset in seen:
                raise ValueError(
                    f"information set {node.infoset!r} appears twice on the path to {where}; "
                    "absent-minded problems are not supported (each information set at most "
                    "once per path)"
                )
            seen = seen | {node.infoset}
        if isinstance(node, Predictor):
            reads.append((node.infoset, node, path))
        for label, child in children(node):
            visit(child, (*path, label), seen)

    visit(root, (), frozenset())
    if not utilities:  # pragma: no cover - a tree always has a leaf
        raise ValueError("the problem has no outcome")
    for infoset, node, path in reads:
        where = "the root" if not path else "/".join(path)
        kind = "correlate" if isinstance(node, Correlate) else "predictor"
        if infoset not in infosets:
            raise ValueError(
                f"the {kind} {node.name!r} at {where} reads information set {infoset!r}, but no "
                f"decision node belongs to it; information sets: {sorted(infosets)}"
            )
        if set(node.branches) != set(infosets[infoset]):
            raise ValueError(
                f"the {kind} {node.name!r} at {where} has branches {sorted(node.branches)}, but "
                f"information set {infoset!r} has the actions {sorted(infosets[infoset])}; a "
                "prediction is one of those actions"
            )
    names = tuple(infosets)
    index = {name: i for i, name in enumerate(names)}
    actions = tuple(infosets[name] for name in names)
    action_index = [{a: j for j, a in enumerate(acts)} for acts in actions]
    predicted = tuple(sorted({index[i] for i, node, _ in reads if not isinstance(node, Correlate)}))
    outcome_names = tuple(utilities)
    outcome_index = {name: i for i, name in enumerate(outcome_names)}
    leaves: list[Leaf] = []
    deviations: list[Leaf] = []
    num = (lambda x: Fraction(x)) if exact else (lambda x: float(x))
    predicted_set = set(predicted)

    def flatten(node: Node, chance: Number, decisions: tuple, rds: tuple, labels: tuple) -> None:
        if isinstance(node, Outcome):
            leaves.append(Leaf(outcome_index[node.name], chance, decisions, rds, None, labels))
            return
        if isinstance(node, Chance):
            for label, (p, child) in node.branches.items():
                flatten(child, chance * num(p), decisions, rds, (*labels, label))
            return
        if isinstance(node, Decision):
            i = index[node.infoset]
            for label, child in node.branches.items():
                a = action_index[i][label]
                if i in predicted_set:
                    deviations.append(Leaf(-1, chance, decisions, rds, (i, a), (*labels, label)))
                flatten(child, chance, (*decisions, (i, a)), rds, (*labels, label))
            return
        assert isinstance(node, Predictor)
        i = index[node.infoset]
        correlate = isinstance(node, Correlate)
        for label, child in node.branches.items():
            rate = num(node.base_rate[label]) if isinstance(node, Correlate) else num(0)
            r = Read(i, action_index[i][label], num(node.epsilon), len(actions[i]), correlate, rate)
            flatten(child, chance, decisions, (*rds, r), (*labels, label))

    flatten(root, num(1), (), (), ())
    n_policies = math.prod(len(a) for a in actions)
    if n_policies > MAX_POLICIES:
        raise ValueError(
            f"the problem has {n_policies} deterministic policies (more than MAX_POLICIES = "
            f"{MAX_POLICIES}); they are enumerated, so split the problem"
        )
    n_predictions = math.prod(len(actions[i]) for i in predicted)
    if n_predictions > MAX_PREDICTIONS:
        raise ValueError(
            f"the predictors read {len(predicted)} information sets: {n_predictions} hard-coded "
            f"predictions (more than MAX_PREDICTIONS = {MAX_PREDICTIONS})"
        )
    utility_values = np.empty(len(outcome_names), dtype=object if exact else np.float64)
    utility_values[:] = [num(utilities[x]) for x in outcome_names]
    return Compiled(
        exact=exact,
        infosets=names,
        actions=actions,
        predicted=predicted,
        outcomes=outcome_names,
        utilities=read_only(utility_values),
        leaves=tuple(leaves),
        deviations=tuple(deviations),
        policies=read_only(_product([len(a) for a in actions])),
        predictions=read_only(_product([len(actions[i]) for i in predicted])),
    )


def _product(sizes: Sequence[int]) -> np.ndarray:
    """All index tuples, the first coordinate varying slowest: a ``(prod, len)`` int64 array."""
    if not sizes:
        return np.zeros((1, 0), dtype=np.int64)
    grids = np.meshgrid(*(np.arange(n) for n in sizes), indexing="ij")
    return np.stack([g.reshape(-1) for g in grids], axis=1).astype(np.int64)


def _all_numbers(root: Node) -> list[Number]:
    out: list[Number] = []
    stack = [root]
    while stack:
        node = stack.pop()
        out.extend(numbers(node))
        stack.extend(child for _, child in children(node))
    return out


@dataclass(frozen=True, eq=False)
class Weights:
    """A ``(leaves, predictions)`` weight matrix, exact or float, with its integer scaling.

    For exact weights, ``ints / denominator`` equals ``values`` entry by entry (``ints`` is
    int64 when its entries are below :data:`INT64_SAFE`, else Python ints).
    """

    values: np.ndarray
    ints: np.ndarray | None
    denominator: int

    @classmethod
    def build(cls, patterns: Sequence[tuple[list[Number], np.ndarray]], exact: bool) -> Weights:
        """Gather per-leaf distinct values (``(values, inverse)`` pairs) into matrices."""
        n = patterns[0][1].shape[0] if patterns else 0
        dtype = object if exact else np.float64
        values = np.empty((len(patterns), n), dtype=dtype)
        for j, (vals, inverse) in enumerate(patterns):
            column = np.empty(len(vals), dtype=dtype)
            column[:] = vals
            values[j] = column[inverse]
        if not exact:
            return cls(read_only(values), None, 1)
        # an exact problem's values are all Fractions
        exact_patterns = cast(Sequence[tuple[list[Fraction], np.ndarray]], patterns)
        denominator = math.lcm(1, *{int(v.denominator) for vals, _ in exact_patterns for v in vals})
        scaled = [
            [int(v.numerator) * (denominator // int(v.denominator)) for v in vals]
            for vals, _ in exact_patterns
        ]
        top = max((abs(v) for row in scaled for v in row), default=0)
        int_type: Any = np.int64 if top < INT64_SAFE else object
        ints = np.empty((len(patterns), n), dtype=int_type)
        for j, (row, (_, inverse)) in enumerate(zip(scaled, patterns, strict=True)):
            column = np.empty(len(row), dtype=int_type)
            column[:] = row
            ints[j] = column[inverse]
        return cls(read_only(values), read_only(ints), denominator)


def int_matmul(x: np.ndarray, ints: np.ndarray) -> np.ndarray:
    """Return ``x @ ints`` exactly, for a 0/1 matrix `x` and an integer matrix `ints`.

    By a float64 product (BLAS) when every partial sum is an integer below :math:`2^{53}` (so
    exactly representable, in any summation order), by an int64 product below :math:`2^{62}`,
    else with Python ints.

    Examples
    --------
    >>> int_matmul(np.array([[1, 0], [1, 1]]), np.array([[3], [2]]))
    array([[3],
           [5]])
    """
    top = int(np.abs(ints).max()) if ints.size else 0
    bound = top * max(x.shape[1], 1)
    if bound < FLOAT_EXACT:
        return (x.astype(np.float64) @ ints.astype(np.float64)).astype(np.int64)
    if bound < INT64_SAFE and ints.dtype != object:
        return x.astype(np.int64) @ ints
    return x.astype(object) @ ints.astype(object)
