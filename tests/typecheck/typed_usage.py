"""The documented calls of the three packages, as a typed user writes them.

The packages ship ``py.typed``, so a user's type checker reads our annotations. ``make test`` runs
mypy on this file: the calls of the README and the tutorials must type-check as written (lists
and Fractions included), and the attributes keep their precise types (``assert_type``).
``test_typed_usage.py`` runs the same functions, so the calls are also known to work.
"""

from __future__ import annotations

import pathlib
import tempfile
from fractions import Fraction as F
from typing import assert_type

import numpy as np

Number = F | float


def contracts_usage() -> None:
    """The contracts quickstart (README) and the several-observables tutorial."""
    from contracts import (
        Action,
        AffineContract,
        AffineSignalContract,
        Contract,
        LinearContract,
        SignalContract,
        SignalTechnology,
        Technology,
        best_response,
        improve,
        improve_signals,
        optimal_linear,
        price_of_robustness,
        worst_case,
        worst_case_signals,
    )
    from contracts.costs import LinearCost, MaxAffineCost, QuadraticCost

    known = Technology.from_arrays([0, 1, 2, 3], [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])
    bonus = Contract([0, 1, 2, 3], [0, 0, 1, 1])
    assert_type(bonus.outputs, np.ndarray)
    assert_type(bonus.payments, np.ndarray)
    floats = Contract(np.array([0.0, 1.0, 2.0, 3.0]), (0.0, 0.0, 0.5, 0.5))
    assert_type(floats.payments, np.ndarray)
    wc = worst_case(bonus, known)
    assert_type(wc.value, Number)
    assert best_response(bonus, wc.witness(F(1, 1000))).principal_value == F(67, 400)
    assert improve(bonus, known).linear_value == F(1, 2)
    assert optimal_linear(known).value == F(1, 2)
    price_of_robustness(known)
    assert LinearContract(F(1, 2), origin=1).on([1, 2, 3]).payments[-1] == 1
    assert AffineContract(0.5, 1)(4) == 3.0

    action = Action([F(1, 4), 0, 0, F(3, 4)], F(1, 2))
    assert_type(action.dist, np.ndarray)
    assert_type(action.cost, Number)
    tech = Technology([0, 1, 2, 3], [action])
    assert_type(tech.actions, tuple[Action, ...])
    assert_type(tech.dists, np.ndarray)

    audit = SignalTechnology([[0, 0], [1, 0], [0, 1], [1, 1]], [action])
    assert_type(audit.signals, np.ndarray)
    assert_type(audit.actions, tuple[Action, ...])
    assert_type(audit.value, np.ndarray)
    by_vector = SignalTechnology(np.eye(2), (Action([0.5, 0.5], 0),), value=[1, 0])
    assert_type(by_vector.with_action(Action([1, 0], 0)), SignalTechnology)

    cost_bound = LinearCost([0, F(1, 2)])
    assert_type(cost_bound.weights, np.ndarray)
    assert_type(cost_bound.constant, float)
    quadratic = QuadraticCost([1.0, 0.0], linear=[0.0, 0.5])
    assert_type(quadratic.linear, np.ndarray)
    assert quadratic.numeric(np.array([2.0, 1.0])) == 4.5
    pieces = MaxAffineCost([[0, 0.5], [0, 1]], [0, -0.25])
    assert_type(pieces.intercepts, np.ndarray)

    assert (
        round(worst_case_signals([0, 0, 1, 1], audit, cost_bound).value, 6) == -1.0
    )  # the tutorial's value
    worst_case_signals(SignalContract([0, 0, 1, 1]), audit, pieces)
    worst_case_signals(AffineSignalContract([0, 1], 0), audit)
    improve_signals([0.0, 0.5, 0.25, 0.75], audit, cost_bound)

    # randomised contracts (the tutorial's section)
    from contracts import (
        ContractMixture,
        RandomizedContract,
        one_action_optimum,
        optimal_randomized,
        worst_case_randomized,
    )

    four = Technology.from_arrays([0, 1, 2, 3, 4], [[0, 0, 0, 0, 1]], [1])
    lottery = RandomizedContract([F(3, 8), F(5, 8)], [F(1, 2), F(1, 2)])
    assert worst_case_randomized(lottery, four).value == F(7, 6)
    assert_type(lottery.sample(np.random.default_rng(0)), LinearContract)
    assert_type(lottery.mean_contract(), LinearContract)
    mix = ContractMixture([0.5, 0.5], [bonus, LinearContract(F(1, 2))])
    assert_type(worst_case_randomized(mix, known).payoffs, np.ndarray)
    best = optimal_randomized(four, grid=50)
    assert_type(best.value, Number)
    assert_type(best.contract, RandomizedContract)
    assert_type(one_action_optimum(4, 1), tuple[Number, Number])
    RandomizedContract.from_cdf(lambda a: a)
    RandomizedContract.from_breakpoints([0, 0.5, 1], [0, 1, 1])

    # the known-technology landscape and combinatorial actions (the tutorial's sections)
    from contracts import (
        FamilyOptimum,
        approximation_ratio,
        compare_families,
        linear_breakpoints,
    )
    from contracts.combinatorial import critical_values, demand, unit_demand
    from contracts.families import equal_revenue

    land = linear_breakpoints(known)
    assert_type(land.breakpoints, tuple[Number, ...])
    assert_type(land.action_at(F(1, 2)), int)
    assert approximation_ratio(equal_revenue(3, F(1, 2))).ratio == 2
    assert_type(approximation_ratio(known).ratio, Number)
    table = compare_families(known)
    assert_type(table["debt"], FamilyOptimum)
    tasks = unit_demand([F(1, 2), F(3, 4)], [F(1, 20), F(1, 8)], base=F(1, 10))
    assert_type(demand(tasks, F(1, 2)).items, frozenset[int])
    found = critical_values(tasks, method="demand")
    assert_type(found.breakpoints, tuple[Number, ...])
    assert_type(found.set_at(0.5), frozenset[int])


def infrabayes_usage() -> None:
    """The infrabayes quickstart (README)."""
    from infrabayes import Infradistribution
    from infrabayes.problems import Chance, Decision, Outcome, Predictor, parfits_hitchhiker

    H = Infradistribution(
        [
            {"x1": F(1, 2), "x2": F(1, 4), "x3": F(1, 4)},
            {"x1": F(1, 10), "x2": F(3, 5), "x3": F(3, 10)},
        ]
    )
    assert (H.lower_probability({"x1", "x2"}), H.upper_probability({"x1", "x2"})) == (
        F(7, 10),
        F(3, 4),
    )
    assert H.probability({"x1", "x2"}, F(1, 2)) == F(29, 40)
    posterior = H.update({"x1", "x2"}, 1)
    assert posterior.lower_probability({"x1"}) == F(1, 5)

    hitchhiker = parfits_hitchhiker(epsilon=F(1, 10))
    hitchhiker.compare()
    hitchhiker.after("town").solve()
    parfits_hitchhiker().solve()

    tree = Predictor(
        "town",
        {
            "pay": Decision(
                "town",
                {"pay": Outcome("town, pay", F(999, 1000)), "refuse": Outcome("town, refuse", 1)},
            ),
            "refuse": Chance(
                {"lost": (F(1, 2), Outcome("desert", 0)), "found": (0.5, Outcome("found", 0.5))}
            ),
        },
        name="driver",
    )
    assert tree.epsilon == 0


def sequential_usage() -> None:
    """The robust-planning tutorial (infrabayes.sequential)."""
    from infrabayes.sequential import InfraMDP, compare, evaluate, solve

    machine = InfraMDP(
        states=["new", "worn", "broken"],
        actions={"new": ["run"], "worn": ["run", "service"], "broken": ["repair"]},
        transitions={
            ("new", "run"): {"new": (F(1, 2), F(3, 4)), "worn": (F(1, 4), F(1, 2))},
            ("worn", "run"): {"worn": (F(1, 2), 1), "broken": (0, F(1, 2))},
            ("worn", "service"): {"new": 1},
            ("broken", "repair"): {"new": (F(1, 2), 1), "broken": (0, F(1, 2))},
        },
        rewards={
            ("new", "run"): 1,
            ("worn", "run"): F(3, 4),
            ("worn", "service"): 0,
            ("broken", "repair"): 0,
        },
        discount=F(9, 10),
    )
    plan = solve(machine)
    assert_type(plan.values, np.ndarray)
    assert_type(plan.error_bound, Number)
    assert plan.value("worn") == F(180, 29)
    assert plan.policy == ("run", "service", "repair")
    assert compare(machine).robust_policy == plan.policy
    guarantee = evaluate(machine, {"new": "run", "worn": "run", "broken": "repair"})
    assert guarantee.value("worn") == F(3435, 602)
    assert machine.with_horizon(2).solve().value("worn") == F(87, 80)
    floats = InfraMDP(["s"], ["a"], {("s", "a"): {"s": 1.0}}, {("s", "a"): 0.5}, 0.9)
    assert abs(solve(floats, tol=1e-8).value("s") - 5.0) < 1e-6


def learning_usage() -> None:
    """The learning tutorial (infrabayes.learning)."""
    from infrabayes.learning import (
        UCB1,
        BayesAgent,
        IBAgent,
        NewcombBandit,
        RunResult,
        chance,
        predictor,
        run,
        sweep,
    )

    env = NewcombBandit()
    assert env.best_policy().value == F(9, 11)
    hypotheses = [predictor(env, [0, F(1, 10)]), chance(env, [[F(9, 10), F(1, 10)]])]
    learner = IBAgent(hypotheses, exact=True).start(0)
    policy, action = learner.act()
    assert action == "one-box"
    learner.observe(policy, action, "full", F(10, 11))
    assert_type(learner.values(), dict[str, Number])
    result = run(IBAgent(hypotheses), env, steps=20, seeds=2, seed=1)
    assert_type(result, RunResult)
    assert_type(result.regret, np.ndarray)
    assert float(result.final_regret.max()) == 0.0
    table = sweep([BayesAgent(hypotheses), UCB1(env.actions)], [env], steps=10, seeds=2)
    assert len(table.results) == 2


def portfolios_usage() -> None:
    """The portfolios quickstart (README)."""
    import portfolios
    import portfolios.io

    P = portfolios.Portfolio.from_dict(
        {
            "latent": {"parsimony": {"statement": "interpretability works", "p_fail": 0.3}},
            "assumptions": {
                "features": {
                    "statement": "features are real",
                    "p_fail": {"parsimony": {"holds": 0.1, "fails": 0.5}},
                },
                "probe": {
                    "statement": "a linear probe suffices",
                    "p_fail": {"parsimony": {"holds": 0.2, "fails": 0.6}},
                },
            },
            "cases": {
                "interp": {
                    "statement": "monitoring catches it",
                    "assumptions": ["features"],
                    "covers": ["rnd"],
                },
                "control": {
                    "statement": "control contains it",
                    "assumptions": ["probe"],
                    "covers": ["rnd"],
                },
            },
            "scenarios": {"rnd": {"statement": "internal R&D agent", "max_risk": 0.05}},
        }
    )
    assert round(P.p_unprotected("rnd"), 6) == 0.104
    corr = P.correlation("rnd")
    assert_type(corr.independent_product, float)
    assert corr.coincidence_ratio is not None
    assert round(corr.coincidence_ratio, 4) == 1.4773
    cuts = [
        (cut.order, round(cut.probability, 4), ", ".join(cut.labels))
        for cut in P.minimal_cut_sets("rnd")
    ]
    assert cuts[0] == (2, 0.02, "features|alone, probe|alone")  # each fails on its own
    mc = P.p_unprotected("rnd", method="montecarlo", n_samples=1000, rng=0)
    assert_type(mc, portfolios.MonteCarloEstimate)
    assert mc.interval.low <= mc <= mc.interval.high  # a float carrying its interval
    imp = P.importance("rnd")
    assert round(imp["parsimony"].birnbaum, 6) == 0.28
    d = P.diversity("rnd")
    assert round(d[0.0], 4) == 1.4706
    r = P.best_addition(
        "rnd",
        {"audit": {"statement": "an external audit", "assumptions": ["auditor"]}},
        assumptions={"auditor": {"statement": "the auditor is honest", "p_fail": 0.5}},
    )
    assert {k: round(v, 6) for k, v in r.as_dict().items()} == {"audit": 0.052}
    assert P.most_load_bearing("rnd").best == "features"
    with tempfile.TemporaryDirectory() as tmp:
        tops = portfolios.openpsa.dump(P, pathlib.Path(tmp) / "rnd.xml")
        T = portfolios.openpsa.load(pathlib.Path(tmp) / "rnd.xml")
    assert round(T.probability(tops["rnd"]), 6) == 0.104
    # A fault tree's uncertainty is the portfolios' result type (constants: no deviates).
    tree_spread = T.uncertainty(tops["rnd"], samples=100, rng=0)
    assert_type(tree_spread, portfolios.Uncertainty)
    assert tree_spread.targets == (tops["rnd"],) and tree_spread.parameters == ()
    # Loading is typed: load and parse return a Portfolio, to_dict plain data.
    E = portfolios.load(portfolios.EXAMPLE_PATH)
    assert_type(E, portfolios.Portfolio)
    again = portfolios.io.parse(portfolios.io.to_dict(E), file="<again>")
    assert_type(again, portfolios.Portfolio)
    assert again.covering_cases("oversight_undermining") == E.covering_cases(
        "oversight_undermining"
    )
    assert_type(E.entries, portfolios.Entries)
    assert_type(E.structure, portfolios.Structure)
    # What the file does not know: intervals, unknown dependence, distributions (README).
    data = P.to_dict()
    data["assumptions"]["features"]["p_fail"] = {"parsimony": {"holds": [0.05, 0.15], "fails": 0.5}}
    Q = portfolios.Portfolio.from_dict(data)
    b = Q.bounds("rnd")
    assert_type(b, portfolios.Bounds)
    assert_type(b.lower, float)
    assert round(b.lower, 6) == 0.097 and round(b.upper, 6) == 0.111
    u = Q.bounds("rnd", dependence="unknown", method="lp")
    assert round(u.lower, 6) == 0.03 and u.tight
    a = portfolios.Assumption("A", "a", portfolios.Interval(0.05, 0.15))
    assert a.p_fail == portfolios.Interval(0.05, 0.15)
    data = P.to_dict()
    data["assumptions"]["probe"]["p_fail"] = {"beta": [2, 8]}
    spread = portfolios.Portfolio.from_dict(data).uncertainty("rnd", 1_000, rng=0)
    assert_type(spread, portfolios.Uncertainty)
    assert_type(spread.mean, float)
    assert 0.0 <= spread.quantiles[0.5] <= 1.0


def problems_catalog_usage() -> None:
    """The catalog, chained observations, pictures, the XML dilemmas, speed options (issue 18)."""
    import io

    from infrabayes.problems import (
        Catalog,
        Entry,
        Problem,
        catalog,
        dilemma_xml,
        transparent_newcomb,
    )
    from infrabayes.problems.progress import bar

    entries = catalog()
    assert_type(entries, Catalog)
    entry = entries["newcomb"]
    assert_type(entry, Entry)
    newcomb = entry.make(epsilon=F(1, 10))
    assert_type(newcomb, Problem)
    assert str(newcomb.solve("edt", workers=map).optimal[0]) == "one-box"
    text: str = newcomb.to_dot()
    assert text.startswith("digraph")
    transparent_newcomb().after({"full"}).solve()
    read = dilemma_xml.read(dilemma_xml.write(newcomb))
    assert_type(read, dilemma_xml.Dilemma)
    assert read.solve("udt", progress=bar(stream=io.StringIO())).value is not None
