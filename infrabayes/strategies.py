"""Hypothesis strategies for outcomes, a-measures, infradistributions and functions on outcomes.

Requires the ``hypothesis`` package (the ``test`` extra); this module is not imported by
``infrabayes``. Every strategy builds valid objects directly (no filtering), with small defaults
so that properties run fast. ``exact=True`` draws ``Fraction`` s with small denominators;
``exact=False`` draws float64 values on a grid of multiples of 1/1000 (not exactly representable,
so float rounding is exercised).

Examples
--------
>>> from hypothesis import given, settings
>>> from infrabayes.strategies import infradistributions, utilities
>>> @settings(max_examples=20, deadline=None)
... @given(infradistributions().flatmap(lambda h: utilities(h.outcomes).map(lambda f: (h, f))))
... def test_expectation_in_unit_interval(pair):
...     h, f = pair
...     assert 0 <= h.expect(f) <= 1
>>> test_expectation_in_unit_interval()
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from infrabayes.infradistribution import Infradistribution
from infrabayes.measures import AMeasure
from infrabayes.nirvana import NIRVANA, check_nirvana
from infrabayes.problems.nodes import Chance, Correlate, Decision, Outcome, Predictor
from infrabayes.problems.problem import Problem

__all__ = [
    "a_measures",
    "events",
    "infradistributions",
    "likelihoods",
    "numbers",
    "outcomes",
    "probability_measures",
    "problems",
    "utilities",
]

#: Denominators of exact draws are at most this.
MAX_DENOMINATOR = 6
#: Float draws are multiples of 1 / FLOAT_GRID.
FLOAT_GRID = 1000


def numbers(
    *, exact: bool = True, min_value: Any = 0, max_value: Any = 1
) -> st.SearchStrategy[Fraction | float]:
    """Return numbers in ``[min_value, max_value]``: small-denominator fractions or grid floats."""
    if min_value > max_value:
        raise ValueError(f"numbers: min_value {min_value} > max_value {max_value}")
    if exact:
        return st.fractions(
            min_value=Fraction(min_value),
            max_value=Fraction(max_value),
            max_denominator=MAX_DENOMINATOR,
        )
    lo, hi = math.ceil(min_value * FLOAT_GRID), math.floor(max_value * FLOAT_GRID)
    return st.integers(lo, hi).map(lambda k: k / FLOAT_GRID)


def outcomes(
    *, min_size: int = 1, max_size: int = 4, nirvana: bool = False
) -> st.SearchStrategy[tuple[Hashable, ...]]:
    """Return outcome tuples ``("x0", "x1", ...)``, with NIRVANA appended if `nirvana`."""
    if not 1 <= min_size <= max_size:
        raise ValueError(f"outcomes: need 1 <= min_size <= max_size; got {min_size}, {max_size}")
    extra: tuple[Hashable, ...] = (NIRVANA,) if nirvana else ()
    return st.integers(min_size, max_size).map(lambda n: tuple(f"x{i}" for i in range(n)) + extra)


_outcomes_strategy = outcomes  # `outcomes` is also a parameter name below


def _ordinary(outs: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    return tuple(x for x in outs if x is not NIRVANA)


@st.composite
def a_measures(
    draw: st.DrawFn,
    outcomes: tuple[Hashable, ...],
    *,
    exact: bool = True,
    max_mass: Any = 1,
    max_b: Any = 1,
    positive: bool = False,
) -> AMeasure:
    """Return a-measures over `outcomes` with masses in ``[0, max_mass]`` and b in ``[0, max_b]``.

    With ``positive=True`` some ordinary outcome gets a mass of at least 1/MAX_DENOMINATOR (or
    1/FLOAT_GRID), so the total mass is positive.
    """
    masses = [draw(numbers(exact=exact, max_value=max_mass)) for _ in outcomes]
    if positive:
        ordinary = [i for i, x in enumerate(outcomes) if x is not NIRVANA]
        i = draw(st.sampled_from(ordinary))
        masses[i] = masses[i] + (Fraction(1, MAX_DENOMINATOR) if exact else 1 / FLOAT_GRID)
    b = draw(numbers(exact=exact, max_value=max_b))
    return AMeasure(masses, b, outcomes=outcomes)


@st.composite
def probability_measures(
    draw: st.DrawFn,
    outcomes: tuple[Hashable, ...],
    *,
    exact: bool = True,
    full_support: bool = False,
) -> AMeasure:
    """Return probability distributions ``(mu, 0)`` on the ordinary outcomes of `outcomes`."""
    ordinary = [i for i, x in enumerate(outcomes) if x is not NIRVANA]
    weights = [0] * len(outcomes)
    for i in ordinary:
        weights[i] = draw(st.integers(1 if full_support else 0, 6))
    weights[draw(st.sampled_from(ordinary))] += 1  # at least one positive weight
    total = sum(weights)
    masses: list[Any] = [Fraction(w, total) if exact else w / total for w in weights]
    return AMeasure(masses, 0 if exact else 0.0, outcomes=outcomes)


@st.composite
def infradistributions(
    draw: st.DrawFn,
    outcomes: tuple[Hashable, ...] | None = None,
    *,
    exact: bool = True,
    min_generators: int = 1,
    max_generators: int = 4,
    normalized: bool = True,
    crisp: bool = False,
    nirvana: float | None = None,
) -> Infradistribution:
    """Return infradistributions with a few generators.

    Parameters
    ----------
    outcomes : tuple, optional
        Drawn with :func:`outcomes` when not given (with NIRVANA when `nirvana` is set).
    exact : bool
        Fractions (True) or float64 (False).
    min_generators, max_generators : int
        Bounds on the number of generators drawn (normalization may drop generators that touch
        Nirvana under ``nirvana=math.inf``).
    normalized : bool
        Normalize the result (always possible: every generator has positive mass off Nirvana).
    crisp : bool
        Draw a credal set: probability distributions with b = 0 (then always normalized).
    nirvana : {None, math.inf, 1}
        If set, the outcomes include NIRVANA and generators after the first may put mass on it.
    """
    if not 1 <= min_generators <= max_generators:
        raise ValueError("infradistributions: need 1 <= min_generators <= max_generators")
    setting = math.inf if nirvana is None else check_nirvana(nirvana)
    if outcomes is None:
        outcomes = draw(_outcomes_strategy(nirvana=nirvana is not None))
    has_nirvana = NIRVANA in outcomes
    k = draw(st.integers(min_generators, max_generators))
    gens = []
    for i in range(k):
        if crisp:
            gen = draw(probability_measures(outcomes, exact=exact))
        else:
            gen = draw(a_measures(outcomes, exact=exact, positive=True))
        if has_nirvana and i > 0 and not crisp:
            mass = draw(st.one_of(st.just(0), numbers(exact=exact, max_value=Fraction(1, 2))))
            gen = AMeasure({**gen.as_dict(), NIRVANA: mass}, gen.b, outcomes=outcomes)
        elif has_nirvana:
            gen = AMeasure({**gen.as_dict(), NIRVANA: 0}, gen.b, outcomes=outcomes)
        gens.append(gen)
    h = Infradistribution(gens, outcomes=outcomes, nirvana=setting)
    return h.normalize() if normalized and not crisp else h


def utilities(
    outcomes: tuple[Hashable, ...], *, exact: bool = True
) -> st.SearchStrategy[dict[Any, Any]]:
    """Return utility functions: mappings from the ordinary outcomes to [0, 1]."""
    ordinary = _ordinary(outcomes)
    return st.tuples(*(numbers(exact=exact) for _ in ordinary)).map(
        lambda vs: dict(zip(ordinary, vs, strict=True))
    )


def likelihoods(
    outcomes: tuple[Hashable, ...], *, exact: bool = True
) -> st.SearchStrategy[dict[Any, Any]]:
    """Return likelihoods: mappings from every outcome (NIRVANA included) to [0, 1]."""
    return st.tuples(*(numbers(exact=exact) for _ in outcomes)).map(
        lambda vs: dict(zip(outcomes, vs, strict=True))
    )


def events(
    outcomes: tuple[Hashable, ...], *, min_size: int = 0
) -> st.SearchStrategy[frozenset[Any]]:
    """Return events: sets of outcomes (NIRVANA may be among them)."""
    return st.frozensets(st.sampled_from(outcomes), min_size=min_size, max_size=len(outcomes))


#: The pool of information-set names :func:`problems` draws from; every one has actions a, b.
PROBLEM_INFOSETS = ("I0", "I1", "I2")


@st.composite
def problems(
    draw: st.DrawFn,
    *,
    max_depth: int = 3,
    exact: bool = True,
    nested_decisions: bool = True,
    noisy: bool = False,
    correlates: bool = True,
) -> Problem:
    """Return small random decision problems (:class:`infrabayes.problems.Problem`).

    Trees of depth at most `max_depth` over the information sets :data:`PROBLEM_INFOSETS`
    (actions ``a``, ``b``), with chance nodes, decision nodes, predictors and (if `correlates`)
    correlates; every leaf is a distinct outcome. A predictor or correlate that reads an
    information set without a decision node is replaced by a fair coin.

    Parameters
    ----------
    exact : bool
        Fractions (True) or float64 numbers (False).
    nested_decisions : bool
        If False, the children of decision nodes are outcomes: every decision node is then
        reached whatever the policy.
    noisy : bool
        If True, every predictor errs with a probability strictly between 0 and 1 and every
        chance branch has positive probability (so every deviation is visible).
    """
    counter = iter(range(10**6))

    def prob(low_open: bool) -> Any:
        lo = Fraction(1, MAX_DENOMINATOR) if low_open else Fraction(0)
        hi = 1 - lo
        x = draw(st.fractions(min_value=lo, max_value=hi, max_denominator=MAX_DENOMINATOR))
        return x if exact else float(x)

    def utility() -> Any:
        return draw(numbers(exact=exact))

    def leaf() -> Any:
        return Outcome(f"o{next(counter)}", utility())

    def node(depth: int, used: frozenset[str], allow_decision: bool) -> Any:
        kinds = ["outcome"] if depth > 0 or max_depth == 0 else []
        if depth < max_depth:
            kinds += ["chance", "predictor"] + (["correlate"] if correlates else [])
            if allow_decision and len(used) < len(PROBLEM_INFOSETS):
                kinds += ["decision", "decision"]
        kind = draw(st.sampled_from(kinds))
        if kind == "outcome":
            return leaf()
        if kind == "chance":
            p = prob(noisy)
            left = node(depth + 1, used, allow_decision)
            right = node(depth + 1, used, allow_decision)
            return Chance({"h": (p, left), "t": (1 - p if exact else 1.0 - p, right)})
        if kind == "decision":
            infoset = draw(st.sampled_from([i for i in PROBLEM_INFOSETS if i not in used]))
            inner = used | {infoset}
            if nested_decisions:
                kids = {a: node(depth + 1, inner, True) for a in ("a", "b")}
            else:
                kids = {a: leaf() for a in ("a", "b")}
            return Decision(infoset, kids)
        infoset = draw(st.sampled_from(PROBLEM_INFOSETS))
        eps = prob(True) if noisy else draw(st.sampled_from([0, 0, prob(False)]))
        if not exact:
            eps = float(eps)
        kids = {a: node(depth + 1, used, allow_decision) for a in ("a", "b")}
        if kind == "predictor":
            return Predictor(infoset, kids, epsilon=eps)
        rate = prob(noisy)
        rates = {"a": rate, "b": 1 - rate if exact else 1.0 - rate}
        return Correlate(infoset, kids, epsilon=eps, base_rate=rates)

    tree = node(0, frozenset(), True)

    # The walks below are iterative (the generation above recurses at most max_depth deep).
    present = {n.infoset for n in _nodes(tree) if isinstance(n, Decision)}
    repaired: dict[int, Any] = {}
    for n in reversed(_nodes(tree)):  # children before parents
        if isinstance(n, Outcome):
            repaired[id(n)] = n
        elif isinstance(n, Chance):
            branches = {k: (p, repaired[id(c)]) for k, (p, c) in n.branches.items()}
            repaired[id(n)] = Chance(branches)
        else:
            kids = {k: repaired[id(c)] for k, c in n.branches.items()}
            if isinstance(n, Decision):
                repaired[id(n)] = Decision(n.infoset, kids)
            elif n.infoset not in present:
                half = Fraction(1, 2) if exact else 0.5
                repaired[id(n)] = Chance({k: (half, c) for k, c in kids.items()})
            elif isinstance(n, Correlate):
                rates = n.base_rate
                repaired[id(n)] = Correlate(n.infoset, kids, epsilon=n.epsilon, base_rate=rates)
            else:
                repaired[id(n)] = Predictor(n.infoset, kids, epsilon=n.epsilon)
    return Problem(repaired[id(tree)], name="random problem")


def _nodes(root: Any) -> list[Any]:
    """Return the nodes of a tree, parents before children (an explicit stack)."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, Chance):
            stack.extend(c for _, c in node.branches.values())
        elif not isinstance(node, Outcome):
            stack.extend(node.branches.values())
    return out
