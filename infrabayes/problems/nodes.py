r"""The nodes of a Newcomb-like decision problem: a finite tree read by every decision theory.

Definitions
-----------
A **decision problem** is a finite tree whose leaves are outcomes and whose inner nodes are

* :class:`Chance`: nature picks a branch with fixed probabilities (summing to 1);
* :class:`Decision`: the agent picks an action. Every decision node belongs to an **information
  set** (a name): the agent cannot tell apart the nodes of one information set, so it acts the same
  at all of them; they must offer the same actions. Two nodes of one information set may lie on
  one path (imperfect recall, the absent-minded driver: :mod:`infrabayes.problems.mixed`);
* :class:`Predictor`: a predictor (Omega, the driver, Death) reads the agent's **policy** at a named
  information set and takes the branch of the action it predicts. It errs with probability
  :math:`\varepsilon`, then taking each of the other branches with probability
  :math:`\varepsilon / (n - 1)`. The dependence is *subjunctive*: the predictor computes your
  decision, so changing the policy changes the prediction (Yudkowsky & Soares 2018, section 3);
* :class:`Correlate`: a state correlated with the agent's action at an information set by a
  common cause, not by computing the policy (the lesion of the Smoking Lesion). Among agents who
  take action :math:`a` there, the branch of :math:`a` is taken with probability
  :math:`1 - \varepsilon`; but the policy does not move it: its unconditional probabilities are
  the ``base_rate``;
* :class:`Outcome`: a leaf with a name and a utility in [0, 1].

A **policy** is a deterministic map from information sets to actions
(:class:`~infrabayes.problems.Policy`). How each theory reads the tree is in
:mod:`infrabayes.problems.theories`.

Numbers are exact (``Fraction``) when given as ints or Fractions, float64 otherwise; a problem is
exact when all its numbers are.

Examples
--------
Parfit's Hitchhiker with a perfect predictor (the driver) and a fare of 1/1000 of a life:

>>> from fractions import Fraction as F
>>> tree = Predictor("town", {
...     "pay": Decision("town", {
...         "pay": Outcome("town, pay", F(999, 1000)),
...         "refuse": Outcome("town, refuse", 1),
...     }),
...     "refuse": Outcome("desert", 0),
... }, name="driver")
>>> tree.infoset, tree.epsilon
('town', Fraction(0, 1))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Union

from infrabayes._numbers import Number, format_number, scalar

__all__ = [
    "PROBABILITY_SUM_TOLERANCE",
    "Chance",
    "Correlate",
    "Decision",
    "Node",
    "Outcome",
    "Predictor",
]

#: Float probabilities of a chance node (or base rates) must sum to 1 within this tolerance;
#: exact ones exactly. It is relative to 1, the value the sum is compared with (a sum of a few
#: probabilities carries a rounding error of a few units in the last place of 1); a branch's own
#: probability may be as small as the user likes (1e-300 is kept as given).
PROBABILITY_SUM_TOLERANCE = 1e-9


def _name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{what} must be a nonempty string; got {value!r}")
    return value


def _unit(value: Any, what: str) -> Number:
    x = scalar(value, what)
    if not 0 <= x <= 1:
        raise ValueError(f"{what} is {format_number(x)}, outside [0, 1]")
    return x


def _check_sum(values: Mapping[str, Number], what: str) -> None:
    total = sum(values.values())
    exact = all(isinstance(v, Fraction) for v in values.values())
    ok = total == 1 if exact else abs(float(total) - 1.0) <= PROBABILITY_SUM_TOLERANCE
    if not ok:
        tol = "exactly" if exact else f"within {PROBABILITY_SUM_TOLERANCE}"
        raise ValueError(f"{what} sum to {format_number(total)}, not 1 ({tol})")


def _children(branches: Any, what: str) -> MappingProxyType[str, Node]:
    if not isinstance(branches, Mapping) or not branches:
        raise TypeError(
            f"{what}: branches must be a nonempty mapping label -> node; got {branches!r}"
        )
    out: dict[str, Node] = {}
    for label, child in branches.items():
        _name(label, f"{what}: a branch label")
        if not isinstance(child, NODE_TYPES):
            raise TypeError(
                f"{what}: branch {label!r} leads to {child!r}; expected a node (Outcome, Chance, "
                "Decision, Predictor or Correlate)"
            )
        out[label] = child
    return MappingProxyType(out)


@dataclass(frozen=True, eq=False, repr=False)
class Outcome:
    """A leaf: an outcome with a name and a utility in [0, 1].

    Parameters
    ----------
    name : str
        Outcomes of the same name are the same outcome (they must have the same utility).
    utility : int, Fraction or float
        In [0, 1] (the scale of :mod:`infrabayes`: Murphy's expectation is defined there).
    """

    name: str
    utility: Number

    def __post_init__(self) -> None:
        _name(self.name, "an outcome's name")
        object.__setattr__(self, "utility", _unit(self.utility, f"the utility of {self.name!r}"))

    def __repr__(self) -> str:
        return _shallow_repr(self)


@dataclass(frozen=True, eq=False, repr=False)
class Chance:
    """Nature picks a branch with fixed probabilities.

    Parameters
    ----------
    branches : mapping label -> (probability, node)
        Probabilities in [0, 1] summing to 1 (exactly for exact ones, within
        :data:`PROBABILITY_SUM_TOLERANCE` for floats).
    name : str, default "chance"
        Shown in the tree (e.g. "coin").
    """

    branches: Mapping[str, tuple[Number, Node]]
    name: str = "chance"

    def __post_init__(self) -> None:
        _name(self.name, "a chance node's name")
        what = f"chance node {self.name!r}"
        if not isinstance(self.branches, Mapping) or not self.branches:
            raise TypeError(
                f"{what}: branches must be a nonempty mapping label -> (probability, node); got "
                f"{self.branches!r}"
            )
        probs: dict[str, Number] = {}
        nodes: dict[str, Node] = {}
        for label, pair in self.branches.items():
            _name(label, f"{what}: a branch label")
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise TypeError(
                    f"{what}: branch {label!r} is {pair!r}; expected a pair (probability, node)"
                )
            probs[label] = _unit(pair[0], f"{what}: the probability of branch {label!r}")
            nodes[label] = pair[1]
        _check_sum(probs, f"{what}: the probabilities")
        children = _children(nodes, what)
        object.__setattr__(
            self, "branches", MappingProxyType({k: (probs[k], children[k]) for k in probs})
        )

    def __repr__(self) -> str:
        return _shallow_repr(self)


@dataclass(frozen=True, eq=False, repr=False)
class Decision:
    """The agent acts: one child per action. Nodes of one information set offer the same actions.

    Parameters
    ----------
    infoset : str
        The information set (what the agent knows when acting here).
    branches : mapping action -> node
    """

    infoset: str
    branches: Mapping[str, Node]

    def __post_init__(self) -> None:
        _name(self.infoset, "an information set")
        object.__setattr__(
            self, "branches", _children(self.branches, f"decision node at {self.infoset!r}")
        )

    def __repr__(self) -> str:
        return _shallow_repr(self)


@dataclass(frozen=True, eq=False, repr=False)
class Predictor:
    r"""A predictor reads the agent's policy at `infoset` and takes the branch of its prediction.

    Parameters
    ----------
    infoset : str
        The information set whose action it predicts (a decision node of it must exist).
    branches : mapping action -> node
        One branch per action of that information set: what happens when it predicts the action.
    epsilon : int, Fraction or float, default 0
        Error probability in [0, 1]; an error takes each other branch with probability
        :math:`\varepsilon / (n - 1)`.
    name : str, default "predictor"
    """

    infoset: str
    branches: Mapping[str, Node]
    epsilon: Number = 0
    name: str = "predictor"

    def __post_init__(self) -> None:
        _name(self.infoset, "an information set")
        _name(self.name, "a predictor's name")
        what = f"{type(self).__name__.lower()} {self.name!r}"
        object.__setattr__(self, "branches", _children(self.branches, what))
        object.__setattr__(self, "epsilon", _unit(self.epsilon, f"{what}: epsilon"))
        if len(self.branches) == 1 and self.epsilon != 0:
            raise ValueError(f"{what}: epsilon is {self.epsilon} but there is no other branch")

    def __repr__(self) -> str:
        return _shallow_repr(self)


@dataclass(frozen=True, eq=False, repr=False)
class Correlate(Predictor):
    r"""A state correlated with the act at `infoset` by a common cause (the Smoking Lesion).

    Among agents who take action :math:`a` at `infoset`, the branch :math:`a` is taken with
    probability :math:`1 - \varepsilon`: that is what conditioning on the act (EDT) sees. But the
    policy does not cause it: theories that ask what the *policy* changes (UDT, IB) use the
    unconditional ``base_rate``.

    Parameters
    ----------
    infoset, branches, epsilon, name
        As for :class:`Predictor` (default name "correlate").
    base_rate : mapping action -> probability
        The unconditional probability of each branch; sums to 1.
    states : mapping action -> str, optional
        A name for the state on each branch, for display (``{"smoke": "lesion", ...}``).
    """

    name: str = "correlate"
    base_rate: Mapping[str, Number] = field(default_factory=dict)
    states: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        what = f"correlate {self.name!r}"
        if not isinstance(self.base_rate, Mapping) or set(self.base_rate) != set(self.branches):
            raise ValueError(
                f"{what}: base_rate must give a probability to each branch "
                f"{sorted(self.branches)}; got {self.base_rate!r}"
            )
        rates = {
            k: _unit(self.base_rate[k], f"{what}: the base rate of {k!r}") for k in self.branches
        }
        _check_sum(rates, f"{what}: the base rates")
        object.__setattr__(self, "base_rate", MappingProxyType(rates))
        if not isinstance(self.states, Mapping) or not set(self.states) <= set(self.branches):
            raise ValueError(f"{what}: states must map branches to names; got {self.states!r}")
        states = {k: _name(self.states.get(k, k), f"{what}: a state name") for k in self.branches}
        object.__setattr__(self, "states", MappingProxyType(states))


def _summary(node: Any) -> str:
    """Return a child in a few words, for the repr of its parent: ``decision at 'I'``."""
    if isinstance(node, Outcome):
        return f"outcome {node.name!r} ({format_number(node.utility)})"
    if isinstance(node, Decision):
        return f"decision at {node.infoset!r}"
    if isinstance(node, Correlate):
        return f"correlate {node.name!r} of {node.infoset!r}"
    if isinstance(node, Predictor):
        return f"predictor {node.name!r} of {node.infoset!r}"
    return f"chance {node.name!r}"


def _shallow_repr(node: Any) -> str:
    """Return the repr of a node on one line, its children summarised (a repr never walks the tree).

    The node as the tree view of a problem shows it (:func:`describe`), then each branch as
    ``label -> child``, e.g. ``<Chance 'coin': heads (1/2) -> outcome 'win' (1), tails (1/2) ->
    decision at 'tails'>``.
    """
    head = describe(node)
    head = head[0].upper() + head[1:]
    if isinstance(node, Outcome):
        return f"<{head}>"
    parts = [f"{branch_label(node, b)} -> {_summary(child)}" for b, child in children(node)]
    return f"<{head}: {', '.join(parts)}>"


#: Any node of a decision problem.
Node = Union[Outcome, Chance, Decision, Predictor]  # noqa: UP007 (a runtime alias)

#: The node classes, for isinstance checks (a Correlate is a Predictor).
NODE_TYPES = (Outcome, Chance, Decision, Predictor)


def children(node: Node) -> Iterator[tuple[str, Node]]:
    """Yield ``(label, child)`` of an inner node (nothing for an outcome)."""
    if isinstance(node, Outcome):
        return
    if isinstance(node, Chance):
        for label, (_, child) in node.branches.items():
            yield label, child
        return
    yield from node.branches.items()


def numbers(node: Node) -> Iterator[Number]:
    """Yield every number of a node (not of its children)."""
    if isinstance(node, Outcome):
        yield node.utility
    elif isinstance(node, Chance):
        for p, _ in node.branches.values():
            yield p
    elif isinstance(node, Predictor):
        yield node.epsilon
        if isinstance(node, Correlate):
            yield from node.base_rate.values()


def describe(node: Node) -> str:
    """One line for the tree view of a problem."""
    if isinstance(node, Outcome):
        return f"outcome {node.name!r} (utility {format_number(node.utility)})"
    if isinstance(node, Chance):
        return f"chance {node.name!r}"
    if isinstance(node, Decision):
        return f"decision at {node.infoset!r}"
    error = f"error {format_number(node.epsilon)}"
    if isinstance(node, Correlate):
        rates = ", ".join(f"{k} {format_number(v)}" for k, v in node.base_rate.items())
        return (
            f"correlate {node.name!r} of the act at {node.infoset!r} ({error}; base rate {rates})"
        )
    return f"predictor {node.name!r} reads {node.infoset!r} ({error})"


def branch_label(node: Node, label: str) -> str:
    """How a branch is shown in the tree view."""
    if isinstance(node, Chance):
        return f"{label} ({format_number(node.branches[label][0])})"
    if isinstance(node, Correlate):
        state = node.states[label]
        return f"{state} (goes with {label})" if state != label else f"goes with {label}"
    if isinstance(node, Predictor):
        return f"predicts {label}"
    return label
