"""Fuzzing the decision-problem language: random trees, valid and invalid.

Random small trees are built from the node language with hostile choices mixed in: numbers
outside [0, 1], NaN, bools and strings; probabilities that do not sum to 1; empty branches and
bad labels; outcome names with two utilities; information sets offering different actions or
met twice on a path; predictors of unknown information sets; shared subtrees; cycles; deep
chains. Every tree must give a *documented* error (``TypeError`` or ``ValueError``, with a
message; the limits' ``SizeLimitError`` is a ``ValueError``) or a valid answer, and on valid
answers the theories agree where they must: UDT is IB with the acausal hypothesis, the causal
values are at most UDT's, and an exact problem and its float twin choose the same policies.
The examples are bounded by the hypothesis profile (``ci`` derandomizes them).
"""

import math
import os
from fractions import Fraction as F
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from infrabayes.problems import Chance, Correlate, Decision, Outcome, Predictor, Problem

INFOSETS = {"I0": ("a", "b"), "I1": ("a", "b", "c"), "I2": ("a",)}
THEORIES = [
    ("ib", math.inf, "causal"),
    ("ib", 1, "causal"),
    ("ib", math.inf, "acausal"),
    ("udt", math.inf, "causal"),
    ("cdt", math.inf, "causal"),
    ("edt", math.inf, "causal"),
]
BAD_NUMBERS = [F(-1, 3), F(3, 2), math.nan, math.inf, -0.5, True, "1/2", None]


class Builder:
    """Draw one random tree (or raise a documented error while building it)."""

    def __init__(self, data, exact):
        self.data, self.exact, self.count, self.made = data, exact, 0, []

    def draw(self, strategy):
        return self.data.draw(strategy)

    def hostile(self):
        return self.draw(st.integers(0, 19)) == 0  # one choice in 20 is a bad one

    def number(self, low=0, high=1):
        if self.hostile():
            return self.draw(st.sampled_from(BAD_NUMBERS))
        x = self.draw(st.fractions(low, high, max_denominator=6))
        return x if self.exact else float(x)

    def split(self, n):
        """n probabilities summing to 1 (or not, now and then)."""
        if n == 0:
            return []
        if self.hostile():
            return [self.number() for _ in range(n)]
        cuts = sorted(self.draw(st.fractions(0, 1, max_denominator=6)) for _ in range(n - 1))
        parts = [b - a for a, b in zip([F(0), *cuts], [*cuts, F(1)], strict=True)]
        return parts if self.exact else [float(p) for p in parts]

    def labels(self, actions):
        if self.hostile():
            return self.draw(st.sampled_from([(), ("",), (3,), ("a", "z"), ("a", "b", "c")]))
        return actions

    def node(self, depth):
        kinds = ["outcome"] if depth >= 3 else ["outcome", "chance", "decision", "predictor"]
        if depth < 3:
            kinds.append("correlate")
        if self.made and self.draw(st.integers(0, 9)) == 0:  # share an existing subtree
            return self.draw(st.sampled_from(self.made))
        kind = self.draw(st.sampled_from(kinds))
        if kind == "outcome":
            self.count += 1
            name = f"o{self.draw(st.integers(0, self.count)) if self.hostile() else self.count}"
            node = Outcome(name, self.number())
        elif kind == "chance":
            n = self.draw(st.integers(0 if self.hostile() else 1, 3))
            probs = self.split(max(n, 1))[:n]
            node = Chance({f"c{k}": (p, self.node(depth + 1)) for k, p in enumerate(probs)})
        else:
            infoset = self.draw(
                st.sampled_from([*INFOSETS, "J"] if self.hostile() else [*INFOSETS])
            )
            actions = self.labels(INFOSETS.get(infoset, ("a", "b")))
            kids = {a: self.node(depth + 1) for a in actions}
            if kind == "decision":
                node = Decision(infoset, kids)
            elif kind == "predictor":
                eps = self.number() if len(kids) > 1 else 0
                node = Predictor(infoset, kids, epsilon=eps)
            else:
                eps = self.number() if len(kids) > 1 else 0
                rates = dict(zip(kids, self.split(len(kids)), strict=True))
                node = Correlate(infoset, kids, epsilon=eps, base_rate=rates)
        self.made.append(node)
        return node

    def tree(self):
        root = self.node(0)
        chain = self.draw(st.sampled_from([0, 0, 0, 1, 3, 1500]))  # sometimes a deep chain
        for i in range(chain):
            root = Chance({"on": (1 if self.exact else 1.0, root)}, name=f"link {i}")
        inner = [n for n in self.made if not isinstance(n, Outcome)]
        if inner and self.draw(st.integers(0, 9)) == 0:  # a cycle: a node points back up
            node = self.draw(st.sampled_from(inner))
            target = self.draw(st.sampled_from([root, *inner]))
            _point(node, target)
        return root


def _raised_by_the_library(error):
    """Whether the innermost frame of the error's traceback is in the infrabayes package."""
    tb = error.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return f"{os.sep}infrabayes{os.sep}" in tb.tb_frame.f_code.co_filename


def _point(node, target):
    """Make a node's first branch lead to `target` (frozen nodes: only a hostile caller can)."""
    branches = dict(node.branches)
    first = next(iter(branches))
    if isinstance(node, Chance):
        branches[first] = (branches[first][0], target)
    else:
        branches[first] = target
    object.__setattr__(node, "branches", MappingProxyType(branches))


def to_float(root):
    """The float twin of an exact tree (shared subtrees stay shared), built without recursion."""
    twins = {}
    stack = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in twins:
            continue
        kids = [] if isinstance(node, Outcome) else _children(node)
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in kids)
            continue
        if isinstance(node, Outcome):
            twins[id(node)] = Outcome(node.name, float(node.utility))
        elif isinstance(node, Chance):
            branches = {k: (float(p), twins[id(c)]) for k, (p, c) in node.branches.items()}
            twins[id(node)] = Chance(branches, name=node.name)
        elif isinstance(node, Decision):
            twins[id(node)] = Decision(
                node.infoset, {k: twins[id(c)] for k, c in node.branches.items()}
            )
        else:
            kids_ = {k: twins[id(c)] for k, c in node.branches.items()}
            eps = float(node.epsilon)
            if isinstance(node, Correlate):
                rates = {k: float(v) for k, v in node.base_rate.items()}
                twins[id(node)] = Correlate(node.infoset, kids_, epsilon=eps, base_rate=rates)
            else:
                twins[id(node)] = Predictor(node.infoset, kids_, epsilon=eps, name=node.name)
    return twins[id(root)]


def _mixed(problem, infoset):
    """Whether some outcome is reached both after `infoset` and elsewhere (by the reference)."""
    sides = {}
    for leaf_path in _paths(problem.root):
        names = {n.infoset for n in leaf_path if isinstance(n, Decision)}
        sides.setdefault(leaf_path[-1].name, set()).add(infoset in names)
    return any(len(s) > 1 for s in sides.values())


def _twice_on_a_path(problem, infoset):
    """Whether two decision nodes of `infoset` lie on one path (by the reference)."""
    return any(
        sum(isinstance(n, Decision) and n.infoset == infoset for n in path) > 1
        for path in _paths(problem.root)
    )


def _paths(root):
    """Every root-to-leaf path as a list of nodes (small trees only)."""
    stack = [[root]]
    while stack:
        path = stack.pop()
        if isinstance(path[-1], Outcome):
            yield path
        else:
            stack.extend([*path, child] for child in _children(path[-1]))


def _children(node):
    if isinstance(node, Chance):
        return [c for _, c in node.branches.values()]
    return list(node.branches.values())


def check(problem, twin):
    """The theories agree where they must."""
    solutions = {theory: problem.solve(*theory) for theory in THEORIES}
    for solution in solutions.values():
        assert all(0 <= v <= 1 for v in solution.values)
        assert all(0 <= v <= 1 for v in solution.expected_utilities)
    udt = solutions["udt", math.inf, "causal"]
    acausal = solutions["ib", math.inf, "acausal"]
    causal = solutions["ib", math.inf, "causal"]
    assert list(udt.values) == list(acausal.values)
    assert udt.optimal == acausal.optimal and udt.optimal
    for mine, best in zip(causal.values, udt.values, strict=True):
        assert mine <= best * (1 + 1e-12)
    if twin is not None:
        for theory, solution in solutions.items():
            other = twin.solve(*theory)
            assert other.optimal == solution.optimal, theory
            assert other.status == solution.status
    for infoset in problem.infosets:
        if _twice_on_a_path(problem, infoset):  # imperfect recall: no re-deciding there
            if not _mixed(problem, infoset):
                with pytest.raises(ValueError, match="decision nodes on one path"):
                    problem.after(infoset).solve()
            continue
        if _mixed(problem, infoset):  # the observation is not an event on outcomes
            with pytest.raises(ValueError, match="reached both after"):
                problem.after(infoset)
            continue
        redecision = problem.after(infoset).solve()
        assert set(redecision.updated_choice) <= set(problem.actions[infoset])


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data(), st.booleans())
def test_random_trees_give_a_documented_error_or_a_valid_answer(data, exact):
    builder = Builder(data, exact)
    problem, refused = None, None
    try:
        root = builder.tree()
        problem = Problem(root)
    except (TypeError, ValueError) as error:
        if isinstance(error, HypothesisException):  # the strategy's own mistake, not ours
            raise
        refused = error
    if refused is not None:
        assert str(refused)  # a message naming what is wrong
        assert _raised_by_the_library(refused), refused
        event(f"refused: {type(refused).__name__}")
        return
    event("valid")
    assert problem is not None
    twin = Problem(to_float(root)) if problem.exact else None
    check(problem, twin)
