"""Hypothesis strategies for outcomes, a-measures, infradistributions and functions on outcomes.

Requires the ``hypothesis`` package (the ``test`` extra); this module is not imported by
``infrabayes``. Every strategy builds valid objects directly (no filtering), with small defaults
so that properties run fast.

Exactness, the same rule in :mod:`contracts.strategies`, :mod:`infrabayes.strategies` and
:mod:`portfolios.strategies`: every strategy that draws numbers takes the keyword ``exact``,
default True. ``exact=True`` draws ``Fraction`` s with small denominators, so every result is exact
and a property can assert equalities; ``exact=False`` draws float64 values on a grid of multiples
of 1/1000 (not exactly representable, so float rounding is exercised). :func:`kernels_in` draws
inside a given model and follows its exactness (``mdp.exact``); :func:`outcomes` and
:func:`events` draw no numbers.

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

from infrabayes._extras import missing

try:
    from hypothesis import strategies as st
except ImportError:
    raise missing("hypothesis", "test", "infrabayes.strategies") from None

from infrabayes.infradistribution import Infradistribution
from infrabayes.learning.hypotheses import Hypothesis, hypothesis
from infrabayes.learning.model import Game, Law, build_game, build_law
from infrabayes.measures import AMeasure
from infrabayes.nirvana import NIRVANA, check_nirvana
from infrabayes.problems.nodes import Chance, Correlate, Decision, Outcome, Predictor
from infrabayes.problems.problem import Problem
from infrabayes.sequential import InfraMDP

__all__ = [
    "a_measures",
    "credal_hypotheses",
    "events",
    "infra_mdps",
    "infradistributions",
    "kernels_in",
    "learning_games",
    "learning_laws",
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


def _distribution(draw: st.DrawFn, n: int, exact: bool) -> list[Any]:
    """Draw a probability distribution on n points with small-denominator (or grid) weights."""
    weights = [draw(st.integers(0, 4)) for _ in range(n)]
    weights[draw(st.integers(0, n - 1))] += 1
    total = sum(weights)
    return [Fraction(w, total) if exact else w / total for w in weights]


@st.composite
def infra_mdps(
    draw: st.DrawFn,
    *,
    exact: bool = True,
    max_states: int = 3,
    max_actions: int = 2,
    kind: str = "mixed",
    horizon: int | None = None,
    point: bool = False,
    all_available: bool = False,
) -> InfraMDP:
    """Return small random infra-MDPs (:class:`infrabayes.sequential.InfraMDP`).

    States ``s0, s1, ...``, actions ``a0, a1, ...`` (each state offers a nonempty subset unless
    `all_available`), rewards in [0, 1], a discount in [0, 5/6] (in [0, 1] with a `horizon`).

    Parameters
    ----------
    exact : bool
        Fractions (True) or floats (False).
    kind : {"mixed", "interval", "vertex"}
        How credal sets are given. Interval bounds are drawn around a distribution, so they
        always admit one; vertex sets have one to three vertices.
    point : bool
        Interval sets of a single distribution (lower = upper): an ordinary MDP.
    """
    if kind not in ("mixed", "interval", "vertex"):
        raise ValueError(f"infra_mdps: kind must be mixed, interval or vertex; got {kind!r}")
    n_s = draw(st.integers(1, max_states))
    n_a = draw(st.integers(1, max_actions))
    states = [f"s{i}" for i in range(n_s)]
    actions = [f"a{i}" for i in range(n_a)]
    offered = {}
    for s in states:
        if all_available:
            offered[s] = actions
        else:
            subset = [a for a in actions if draw(st.booleans())]
            offered[s] = subset or [draw(st.sampled_from(actions))]
    slack = numbers(exact=exact, max_value=Fraction(1, 2))
    transitions: dict[Any, Any] = {}
    rewards: dict[Any, Any] = {}
    for s in states:
        for a in offered[s]:
            rewards[(s, a)] = draw(numbers(exact=exact))
            as_interval = kind == "interval" or point or (kind == "mixed" and draw(st.booleans()))
            if as_interval:
                centre = _distribution(draw, n_s, exact)
                bounds = {}
                for x, p in zip(states, centre, strict=True):
                    if point:
                        bounds[x] = (p, p)
                    else:
                        lo, hi = max(p - draw(slack), 0), min(p + draw(slack), 1)
                        bounds[x] = (lo, hi)
                transitions[(s, a)] = bounds
            else:
                k = draw(st.integers(1, 3))
                transitions[(s, a)] = [
                    dict(zip(states, _distribution(draw, n_s, exact), strict=True))
                    for _ in range(k)
                ]
    top = 1 if horizon is not None else Fraction(5, 6)
    discount = draw(numbers(exact=exact, max_value=top))
    return InfraMDP(states, offered, transitions, rewards, discount, horizon=horizon)


@st.composite
def kernels_in(draw: st.DrawFn, mdp: InfraMDP) -> dict[Any, dict[Any, Any]]:
    """Return kernels inside an infra-MDP's credal sets: ``{(s, a): {next: p}}``.

    Interval pairs: a random mixture of two vertices, each made by giving every next state its
    lower bound and pouring the rest in a random order up to the upper bounds. Vertex pairs: a
    random mixture of the vertices. Exact models get exact kernels.
    """
    states = mdp.states
    exact = mdp.exact
    out = {}
    for s in states:
        for a in mdp.available(s):
            credal = mdp.credal_set(s, a)
            if isinstance(credal, dict):
                corners = []
                for _ in range(2):
                    order = draw(st.permutations(states))
                    p = {x: credal.get(x, (0, 0))[0] for x in states}
                    rest = 1 - sum(p.values())
                    for x in order:
                        add = min(max(rest, 0), credal.get(x, (0, 0))[1] - p[x])
                        p[x] += add
                        rest -= add
                    corners.append(p)
            else:
                corners = [{x: v.get(x, 0) for x in states} for v in credal]
            raw = [draw(st.integers(0, 3)) for _ in corners]
            raw[0] += 1
            weights = [Fraction(w, sum(raw)) if exact else w / sum(raw) for w in raw]
            out[(s, a)] = {
                x: sum(w * c[x] for w, c in zip(weights, corners, strict=True)) for x in states
            }
    return out


@st.composite
def learning_games(
    draw: st.DrawFn, *, max_actions: int = 3, max_observations: int = 3, exact: bool = True
) -> Game:
    """Return small games of :mod:`infrabayes.learning`: actions ``a0..``, observations ``o0..``.

    Rewards are in [0, 1], Fractions (or float64 with ``exact=False``, see :func:`numbers`); no
    observation is absorbing.
    """
    n_a = draw(st.integers(2, max_actions))
    n_o = draw(st.integers(2, max_observations))
    rewards = [[draw(numbers(exact=exact)) for _ in range(n_o)] for _ in range(n_a)]
    return build_game([f"a{i}" for i in range(n_a)], [f"o{i}" for i in range(n_o)], rewards)


@st.composite
def learning_laws(
    draw: st.DrawFn,
    game: Game,
    *,
    max_predictions: int = 2,
    nirvana: bool = False,
    exact: bool = True,
) -> Law:
    """Return policy-dependent laws over `game`, exact (or float64 with ``exact=False``).

    With `nirvana`, some (prediction, action) rows go to NIRVANA with certainty, as when a
    hard-coded prediction is contradicted.
    """
    n_a, n_o = len(game.actions), len(game.observations)
    n_d = draw(st.integers(1, max_predictions))
    predictor = [_distribution(draw, n_d, exact) for _ in range(n_a)]
    emission = []
    for _ in range(n_d):
        rows = []
        for _ in range(n_a):
            if nirvana and draw(st.integers(0, 2)) == 0:
                rows.append([0] * n_o + [1])
            else:
                rows.append([*_distribution(draw, n_o, exact), 0])
        emission.append(rows)
    return build_law(game, predictor=predictor, emission=emission)


@st.composite
def credal_hypotheses(
    draw: st.DrawFn,
    game: Game,
    *,
    max_generators: int = 2,
    max_laws: int = 2,
    nirvana: bool = False,
    name: str = "h",
    exact: bool = True,
) -> Hypothesis:
    """Return hypotheses of 1..`max_generators` generators of 1..`max_laws` laws each.

    The laws are exact (or float64 with ``exact=False``), as in :func:`learning_laws`.
    """
    laws = learning_laws(game, nirvana=nirvana, exact=exact)
    generators = [
        [draw(laws) for _ in range(draw(st.integers(1, max_laws)))]
        for _ in range(draw(st.integers(1, max_generators)))
    ]
    return hypothesis(name, game, generators)
