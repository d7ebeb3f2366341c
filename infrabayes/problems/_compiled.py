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

from infrabayes import limits
from infrabayes._numbers import Number, read_only
from infrabayes.limits import Progress, SizeLimitError, power_of_two
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
    "Compiled",
    "Leaf",
    "Read",
    "Weights",
    "compile_tree",
    "int_matmul",
]

#: int64 products are used only while every partial sum stays below this bound.
INT64_SAFE = 2**62
#: ... and float64 (BLAS) products while they stay below this bound (integers are exact there).
FLOAT_EXACT = 2**53


@dataclass(frozen=True, slots=True)
class Read:
    """A predictor or correlate on a path: it read `infoset` and took the branch `branch`."""

    infoset: int
    branch: int
    epsilon: Number
    n: int  # the number of actions (branches)
    correlate: bool
    base_rate: Number  # the unconditional probability of the branch (correlates only)
    right: Number  # the probability of this branch when it is the prediction: 1 - epsilon
    wrong: Number  # ... and when another branch is: epsilon / (n - 1) (0 when n = 1)


@dataclass(frozen=True, slots=True)
class Leaf:
    """A path to an outcome (``outcome >= 0``) or to NIRVANA by a visible deviation (-1)."""

    outcome: int
    chance: Number  # product of the chance probabilities on the path
    decisions: tuple[tuple[int, int], ...]  # (infoset, action) of the decision nodes on the path
    reads: tuple[Read, ...]
    deviation: tuple[int, int] | None  # (infoset, action): the agent acts against p(infoset)

    def passes(self, infoset: int) -> bool:
        """Whether the path goes through a decision node of `infoset` (the agent acts there)."""
        if self.deviation is not None and self.deviation[0] == infoset:
            return True
        return any(i == infoset for i, _ in self.decisions)


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
    # some information set has two decision nodes on one path (imperfect recall: the absent-minded
    # driver); a leaf's ``decisions`` then name that information set more than once
    absent_minded: bool = False

    def zero(self) -> Number:
        return Fraction(0) if self.exact else 0.0

    def one(self) -> Number:
        return Fraction(1) if self.exact else 1.0

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

    def leaf_weight(
        self, leaf: Leaf, prediction: Sequence[int], column: dict[int, int] | None = None
    ) -> Number:
        r"""Return :math:`w_\ell(p)` for one prediction (indexed like ``self.predicted``).

        `column` maps a predicted information set to its index in `prediction` (computed here
        when not given).
        """
        if column is None:
            column = {infoset: c for c, infoset in enumerate(self.predicted)}
        w: Any = leaf.chance
        if self.exact:  # equal factors are raised to their count: the same exact product
            for (infoset, branch, _, _), (right, wrong, count) in _read_groups(leaf).items():
                if infoset < 0:
                    w = w * right**count
                else:
                    factor = right if prediction[column[infoset]] == branch else wrong
                    w = w * factor**count
        else:  # one factor at a time, in path order (the float rounding of the product)
            for r in leaf.reads:
                if r.correlate:
                    w = w * r.base_rate
                else:
                    w = w * (r.right if prediction[column[r.infoset]] == r.branch else r.wrong)
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
            if not used:  # the same weight for every prediction
                one = self.leaf_weight(leaf, [0] * len(self.predicted), column)
                patterns.append(([one], np.zeros(predictions.shape[0], dtype=np.int64)))
                continue
            keys, inverse = np.unique(predictions[:, used], axis=0, return_inverse=True)
            values = []
            for key in keys:
                full = np.zeros(len(self.predicted), dtype=np.int64)
                full[used] = key
                values.append(self.leaf_weight(leaf, full.tolist(), column))
            patterns.append((values, np.asarray(inverse).reshape(-1)))
        return Weights.build(patterns, self.exact)

    def weight_work(self, leaves: Sequence[Leaf]) -> int:
        """Return the Python operations of :meth:`weights`.

        Per leaf: its distinct predictions (over the predicted information sets on its path)
        times its decisions and factors.
        """
        column = {infoset: c for c, infoset in enumerate(self.predicted)}
        total = 0
        for leaf in leaves:
            infosets = {r.infoset for r in leaf.reads if not r.correlate}
            infosets |= {i for i, _ in leaf.decisions if i in column}
            if leaf.deviation is not None:
                infosets.add(leaf.deviation[0])
            keys = math.prod(len(self.actions[i]) for i in infosets)
            factors = len(_read_groups(leaf)) if self.exact else len(leaf.reads)
            total += len(leaf.reads) + keys * (1 + len(leaf.decisions) + factors)
        return total

    def utility_of_leaves(self, leaves: Sequence[Leaf]) -> np.ndarray:
        return np.array(
            [self.utilities[leaf.outcome] for leaf in leaves], dtype=self.utilities.dtype
        )


def _read_groups(leaf: Leaf) -> dict[tuple[int, int, int, int], tuple[Number, Number, int]]:
    """Count the reads of a leaf by the factors they contribute (correlates: infoset -1).

    Keyed by the identity of the factors: :func:`_flatten` interns them, so equal numbers are one
    object and no Fraction is hashed here.
    """
    groups: dict[tuple[int, int, int, int], tuple[Number, Number, int]] = {}
    for r in leaf.reads:
        if r.correlate:
            key = (-1, 0, id(r.base_rate), 0)
            right, wrong = r.base_rate, r.base_rate
        else:
            key = (r.infoset, r.branch, id(r.right), id(r.wrong))
            right, wrong = r.right, r.wrong
        count = groups[key][2] + 1 if key in groups else 1
        groups[key] = (right, wrong, count)
    return groups


def compile_tree(root: Node, progress: Progress | None = None) -> Compiled:
    """Flatten and validate a tree; raise ValueError naming the path of a bad node.

    Every walk is iterative (no recursion, whatever the depth) and visits each distinct node
    object once before anything is enumerated path by path; a node that is its own descendant
    (a cycle) is an error, a subtree shared by several branches is not. The sizes that grow
    exponentially (policies, predictions, paths) are counted first and refused beyond the
    limits of :mod:`infrabayes.limits`. `progress` is called as ``progress(leaves, total)`` while
    the paths are enumerated.
    """
    tree = _Tree(root)
    infosets, utilities, reads = tree.infosets, tree.utilities, tree.reads
    for infoset, node, key in reads:
        kind = "correlate" if isinstance(node, Correlate) else "predictor"
        if infoset in infosets and set(node.branches) == set(infosets[infoset]):
            continue
        where = tree.where(key)
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
    exact = all(isinstance(x, Fraction) for node in tree.order for x in numbers(node))
    names = tuple(infosets)
    index = {name: i for i, name in enumerate(names)}
    actions = tuple(infosets[name] for name in names)
    predicted = tuple(sorted({index[i] for i, node, _ in reads if not isinstance(node, Correlate)}))
    n_policies = math.prod(len(a) for a in actions)
    if n_policies > limits.MAX_POLICIES:
        raise SizeLimitError(
            f"the problem has {power_of_two(n_policies)} deterministic policies (more than "
            f"MAX_POLICIES = {power_of_two(limits.MAX_POLICIES)}); they are enumerated, so split "
            "the problem"
        )
    n_predictions = math.prod(len(actions[i]) for i in predicted)
    if n_predictions > limits.MAX_PREDICTIONS:
        raise SizeLimitError(
            f"the predictors read {len(predicted)} information sets: "
            f"{power_of_two(n_predictions)} hard-coded predictions (more than MAX_PREDICTIONS = "
            f"{power_of_two(limits.MAX_PREDICTIONS)})"
        )
    n_leaves = tree.check_paths({names[i] for i in predicted})
    for rows, columns, what in (
        (n_policies, len(names), "policies x information sets"),
        (n_policies, n_leaves, "policies x leaves (which policies reach each leaf)"),
        (n_leaves, n_predictions, "leaves x predictions (the environments' weights)"),
    ):
        if rows * columns > limits.MAX_TABLE_ENTRIES:
            raise SizeLimitError(
                f"the problem's table of {what} would hold {rows} x {columns} = {rows * columns} "
                f"entries (more than MAX_TABLE_ENTRIES = {power_of_two(limits.MAX_TABLE_ENTRIES)})"
                "; split the problem"
            )
    outcome_names = tuple(utilities)
    num = (lambda x: Fraction(x)) if exact else (lambda x: float(x))
    leaves, deviations = _flatten(
        root, index, actions, set(predicted), outcome_names, num, n_leaves, progress
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
        absent_minded=tree.absent_minded,
    )


class _Tree:
    """The distinct nodes of a problem tree, checked in one iterative depth-first walk.

    ``order`` holds every distinct node object once, children before parents. The walk checks
    what is local to the tree (one utility per outcome name, one action tuple per information
    set, no cycle), notes whether an information set has two decision nodes on one path
    (``absent_minded``), and collects the information sets (in
    order of first appearance), the utilities and the predictors (``(infoset, node, key)``).
    ``where(key)`` names a node by the path of branch labels by which the walk first reached it.
    """

    def __init__(self, root: Node) -> None:
        self.infosets: dict[str, tuple[str, ...]] = {}
        self.utilities: dict[str, Number] = {}
        self.reads: list[tuple[str, Predictor, int]] = []
        self.order: list[Node] = []
        self._parent: dict[int, tuple[int, str] | None] = {id(root): None}
        self._masks: dict[int, int] = {}  # id -> the information sets below (a bitmask), on demand
        self._bit: dict[str, int] = {}
        self.absent_minded = False  # some information set has two decision nodes on one path
        open_ = {id(root)}  # the nodes on the current path
        done: set[int] = set()
        on_path: dict[str, int] = {}  # information set -> its decision nodes on the current path
        self._enter(root, on_path)
        stack = [(root, iter(list(children(root))))]
        while stack:
            node, branches = stack[-1]
            for label, child in branches:
                key = id(child)
                if key in open_:
                    raise ValueError(
                        f"the tree has a cycle: the node at {self.where(key)} is reached again "
                        f"from its own subtree, by the branch {label!r} at {self.where(id(node))}; "
                        "a decision problem is a finite tree (a subtree may be shared by several "
                        "branches, but no node may be its own descendant)"
                    )
                if key in done:  # a shared subtree, walked already: only its information sets
                    if self._mask(child) & self._path_mask(on_path):
                        self.absent_minded = True
                    continue
                self._parent[key] = (id(node), label)
                self._enter(child, on_path)
                open_.add(key)
                stack.append((child, iter(list(children(child)))))
                break
            else:
                stack.pop()
                open_.discard(id(node))
                done.add(id(node))
                if isinstance(node, Decision):
                    on_path[node.infoset] -= 1
                    if not on_path[node.infoset]:
                        del on_path[node.infoset]
                self.order.append(node)

    def _enter(self, node: Node, on_path: dict[str, int]) -> None:
        """Check a node met for the first time and record what it declares."""
        if isinstance(node, Outcome):
            old = self.utilities.setdefault(node.name, node.utility)
            if old != node.utility:
                raise ValueError(
                    f"outcome {node.name!r} at {self.where(id(node))} has utility {node.utility}, "
                    f"but another leaf of that name has {old}; an outcome has one utility"
                )
        elif isinstance(node, Decision):
            acts = tuple(node.branches)
            old_acts = self.infosets.setdefault(node.infoset, acts)
            self._bit.setdefault(node.infoset, len(self._bit))
            if old_acts != acts:
                raise ValueError(
                    f"the decision node at {self.where(id(node))} offers {acts} at information "
                    f"set {node.infoset!r}, another node of it offers {old_acts}; the agent "
                    "cannot tell them apart, so they must offer the same actions (in the same "
                    "order)"
                )
            if node.infoset in on_path:
                self.absent_minded = True
            on_path[node.infoset] = on_path.get(node.infoset, 0) + 1
        elif isinstance(node, Predictor):
            self.reads.append((node.infoset, node, id(node)))

    def where(self, key: int) -> str:
        """Return the path (branch labels from the root) by which the walk first reached a node."""
        labels = []
        step = self._parent[key]
        while step is not None:
            key, label = step
            labels.append(label)
            step = self._parent[key]
        if not labels:
            return "the root"
        labels.reverse()
        if len(labels) > 12:
            shown = [*labels[:5], "...", *labels[-5:]]
            return f"{'/'.join(shown)} (depth {len(labels)})"
        return "/".join(labels)

    def _path_mask(self, on_path: dict[str, int]) -> int:
        mask = 0
        for infoset in on_path:
            mask |= 1 << self._bit[infoset]
        return mask

    def _mask(self, top: Node) -> int:
        """Return the information sets of the decision nodes under `top` (a bitmask)."""
        masks = self._masks
        stack = [(top, False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in masks:
                continue
            kids = [child for _, child in children(node)]
            if not expanded:
                stack.append((node, True))
                stack.extend((child, False) for child in kids if id(child) not in masks)
                continue
            mask = 1 << self._bit[node.infoset] if isinstance(node, Decision) else 0
            for child in kids:
                mask |= masks[id(child)]
            masks[id(node)] = mask
        return masks[id(top)]

    def check_paths(self, predicted: set[str]) -> int:
        """Return the number of leaves (paths, NIRVANA deviations included); refuse too many steps.

        Counted on the distinct nodes, children first: a node's paths are its children's plus one
        per action at a decision node of a predicted information set (a visible deviation), and
        every path through a node counts it once.
        """
        leaves: dict[int, int] = {}
        steps: dict[int, int] = {}
        for node in self.order:
            kids = [id(child) for _, child in children(node)]
            n = sum(leaves[k] for k in kids) if kids else 1
            if isinstance(node, Decision) and node.infoset in predicted:
                n += len(node.branches)
            leaves[id(node)] = n
            steps[id(node)] = n + sum(steps[k] for k in kids)
        root = id(self.order[-1])
        if steps[root] > limits.MAX_PATH_STEPS:
            raise SizeLimitError(
                f"the tree has {leaves[root]} root-to-leaf paths holding {steps[root]} nodes in "
                f"total (more than MAX_PATH_STEPS = {power_of_two(limits.MAX_PATH_STEPS)}); a "
                "subtree shared by several branches counts once per path through it, and the "
                "problem is evaluated path by path: share fewer subtrees or split the problem"
            )
        return leaves[root]


def _flatten(
    root: Node,
    index: dict[str, int],
    actions: tuple[tuple[str, ...], ...],
    predicted: set[int],
    outcome_names: tuple[str, ...],
    num: Any,
    n_leaves: int,
    progress: Progress | None,
) -> tuple[list[Leaf], list[Leaf]]:
    """Enumerate the paths, depth first in branch order, with an explicit stack."""
    outcome_index = {name: i for i, name in enumerate(outcome_names)}
    action_index = [{a: j for j, a in enumerate(acts)} for acts in actions]
    leaves: list[Leaf] = []
    deviations: list[Leaf] = []
    every = max(1, n_leaves // 1000)
    made = 0
    numbers: dict[Number, Number] = {}

    def intern(x: Number) -> Number:
        """Return one object per number (the exact weights group equal factors by identity)."""
        return numbers.setdefault(x, x)

    # Items are ("node", node, chance, decisions, reads) or ("leaf", leaf, is_deviation).
    stack: list[tuple[Any, ...]] = [("node", root, num(1), (), ())]
    while stack:
        item = stack.pop()
        if item[0] == "leaf":
            (deviations if item[2] else leaves).append(item[1])
            made += 1
            if progress is not None and (made % every == 0 or made == n_leaves):
                progress(made, n_leaves)
            continue
        _, node, chance, decisions, rds = item
        todo: list[tuple[Any, ...]] = []
        if isinstance(node, Outcome):
            leaf = Leaf(outcome_index[node.name], chance, decisions, rds, None)
            todo.append(("leaf", leaf, False))
        elif isinstance(node, Chance):
            for p, child in node.branches.values():
                todo.append(("node", child, chance * num(p), decisions, rds))
        elif isinstance(node, Decision):
            i = index[node.infoset]
            for label, child in node.branches.items():
                a = action_index[i][label]
                if i in predicted:
                    todo.append(("leaf", Leaf(-1, chance, decisions, rds, (i, a)), True))
                todo.append(("node", child, chance, (*decisions, (i, a)), rds))
        else:
            assert isinstance(node, Predictor)
            i = index[node.infoset]
            correlate = isinstance(node, Correlate)
            epsilon, n = intern(num(node.epsilon)), len(actions[i])
            right = intern(1 - epsilon)
            wrong = intern(epsilon / (n - 1) if n > 1 else num(0))
            for label, child in node.branches.items():
                base = node.base_rate[label] if isinstance(node, Correlate) else 0
                rate = intern(num(base))
                r = Read(i, action_index[i][label], epsilon, n, correlate, rate, right, wrong)
                todo.append(("node", child, chance, decisions, (*rds, r)))
        stack.extend(reversed(todo))
    return leaves, deviations


def _product(sizes: Sequence[int]) -> np.ndarray:
    """All index tuples, the first coordinate varying slowest: a ``(prod, len)`` int64 array.

    Built column by column (any number of columns; the caller bounds the entries).
    """
    total = math.prod(sizes)
    out = np.empty((total, len(sizes)), dtype=np.int64)
    inner = total
    for j, n in enumerate(sizes):
        inner //= n
        out[:, j] = np.tile(np.repeat(np.arange(n, dtype=np.int64), inner), total // (n * inner))
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
