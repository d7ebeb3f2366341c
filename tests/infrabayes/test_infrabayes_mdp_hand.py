"""Crisp infra-MDPs solved by hand in Fractions: the derivations are in the comments."""

from fractions import Fraction as F

import mdp_reference as ref
import numpy as np
import pytest

from infrabayes.sequential import InfraMDP, compare, evaluate, solve
from infrabayes.sequential.murphy import interval_worst, vertex_worst

# ---------------------------------------------------------------------------------------------
# The machine of the tutorial. States new, worn, broken; gamma = 9/10.
#   new:    run      reward 1     next new in [1/2, 3/4], worn in [1/4, 1/2]
#   worn:   run      reward 3/4   next worn in [1/2, 1], broken in [0, 1/2]
#           service  reward 0     next new (for sure)
#   broken: repair   reward 0     next new in [1/2, 1], broken in [0, 1/2]
# ---------------------------------------------------------------------------------------------

MACHINE = {
    "states": ["new", "worn", "broken"],
    "actions": {"new": ["run"], "worn": ["run", "service"], "broken": ["repair"]},
    "transitions": {
        ("new", "run"): {"new": (F(1, 2), F(3, 4)), "worn": (F(1, 4), F(1, 2))},
        ("worn", "run"): {"worn": (F(1, 2), 1), "broken": (0, F(1, 2))},
        ("worn", "service"): {"new": 1},
        ("broken", "repair"): {"new": (F(1, 2), 1), "broken": (0, F(1, 2))},
    },
    "rewards": {
        ("new", "run"): 1,
        ("worn", "run"): F(3, 4),
        ("worn", "service"): 0,
        ("broken", "repair"): 0,
    },
    "discount": F(9, 10),
}


def machine(**changes):
    spec = {**MACHINE, **changes}
    return InfraMDP(
        spec["states"],
        spec["actions"],
        spec["transitions"],
        spec["rewards"],
        spec["discount"],
        horizon=spec.get("horizon"),
    )


def test_machine_robust_values_by_hand():
    # Guess: values ordered new > worn > broken, policy (run, service, repair). Murphy then sends
    # as much mass as he may to the lower-valued state: new/run -> (new 1/2, worn 1/2) (worn gets
    # its lower bound 1/4 plus the free 1/4); broken/repair -> (new 1/2, broken 1/2).
    #   V_n = 1 + 9/10 (V_n / 2 + V_w / 2),  V_w = 9/10 V_n,  V_b = 9/10 (V_n / 2 + V_b / 2).
    #   V_n (1 - 9/20 - 81/200) = 1  ->  V_n = 200/29;  V_w = 180/29;
    #   V_b (1 - 9/20) = 9/20 V_n    ->  V_b = 9/11 * 200/29 = 1800/319.
    # Check the guess: running a worn machine, Murphy breaks it with probability 1/2:
    #   3/4 + 9/10 (180/29 / 2 + 1800/319 / 2) = 3/4 + 9/20 * 3780/319 = 7761/1276 < 180/29
    # (= 7920/1276), so servicing is strictly better; the order new > worn > broken holds.
    mdp = machine()
    for method in (None, "policy-iteration"):
        sol = solve(mdp, method=method)
        assert sol.exact
        assert list(sol.values) == [F(200, 29), F(180, 29), F(1800, 319)]
        assert sol.policy == ("run", "service", "repair")
        assert sol.ties == (("run",), ("service",), ("repair",))
        assert sol.error_bound == 0
        assert sol.q_values[1, 0] == F(7761, 1276)  # (worn, run)
        assert sol.murphy("new", "run") == {"new": F(1, 2), "worn": F(1, 2)}
        assert sol.murphy("worn", "run") == {"worn": F(1, 2), "broken": F(1, 2)}
        assert sol.murphy("broken", "repair") == {"new": F(1, 2), "broken": F(1, 2)}
    vi = solve(mdp, method="value-iteration", tol=1e-12)
    assert not vi.exact and vi.converged
    assert vi.policy == ("run", "service", "repair")
    exact = np.array([200 / 29, 180 / 29, 1800 / 319])
    assert np.abs(vi.values - exact).max() <= vi.error_bound <= 1e-12 * 10


def test_machine_nominal_policy_by_hand():
    # Midpoints (the point l + t (u - l) summing to 1): new/run: t = (1 - 3/4) / (1/2) = 1/2 ->
    # (new 5/8, worn 3/8); worn/run: t = 1/2 -> (worn 3/4, broken 1/4); broken/repair: (new 3/4,
    # broken 1/4). Running the worn machine under this kernel, with V = values of "run
    # everywhere":
    #   V_n = 1 + 9/10 (5/8 V_n + 3/8 V_w)
    #   V_w = 3/4 + 9/10 (3/4 V_w + 1/4 V_b)
    #   V_b = 9/10 (3/4 V_n + 1/4 V_b)
    # solved by elimination below (ref.solve_linear), and against servicing.
    mdp = machine()
    comp = compare(mdp)
    assert comp.nominal_kernel[0, 0].tolist() == [F(5, 8), F(3, 8), 0]
    assert comp.nominal_kernel[1, 0].tolist() == [0, F(3, 4), F(1, 4)]
    g = F(9, 10)
    run = ref.solve_linear(
        [
            [1 - g * F(5, 8), -g * F(3, 8), 0],
            [0, 1 - g * F(3, 4), -g / 4],
            [-g * F(3, 4), 0, 1 - g / 4],
        ],
        [1, F(3, 4), 0],
    )
    service = ref.solve_linear(
        [[1 - g * F(5, 8), -g * F(3, 8), 0], [-g, 1, 0], [-g * F(3, 4), 0, 1 - g / 4]], [1, 0, 0]
    )
    assert run[1] > service[1]  # nominally, running the worn machine is better
    assert comp.nominal_policy == ("run", "run", "repair")
    assert list(comp.nominal.values) == run
    # What running guarantees against Murphy: he breaks the worn machine with probability 1/2
    # and keeps the others at their worst (as above):
    #   V_n = 1 + 9/10 (V_n + V_w) / 2,  V_w = 3/4 + 9/10 (V_w + V_b) / 2,
    #   V_b = 9/10 (V_n + V_b) / 2
    guarantee = ref.solve_linear(
        [[1 - g / 2, -g / 2, 0], [0, 1 - g / 2, -g / 2], [-g / 2, 0, 1 - g / 2]], [1, F(3, 4), 0]
    )
    assert list(comp.nominal_guarantee.values) == guarantee
    assert guarantee == [F(3905, 602), F(3435, 602), F(3195, 602)]
    assert comp.robust_policy == ("run", "service", "repair")
    assert all(comp.guarantee_gained > 0)
    assert all(comp.price_of_robustness > 0)
    # The robust policy under the nominal kernel: servicing, as solved above.
    assert list(comp.robust_under_nominal.values) == service


def test_machine_evaluate_fixed_policy():
    # "run" everywhere against Murphy: the guarantee computed in the previous test.
    pv = evaluate(machine(), {"new": "run", "worn": "run", "broken": "repair"})
    assert list(pv.values) == [F(3905, 602), F(3435, 602), F(3195, 602)]
    assert pv.murphy("worn") == {"worn": F(1, 2), "broken": F(1, 2)}
    assert pv.error_bound == 0


def test_machine_finite_horizon_by_hand():
    # Horizon 2, gamma = 9/10. Last stage (t = 1): immediate rewards only:
    #   V_1 = (new 1, worn max(3/4, 0) = 3/4 (run), broken 0).
    # First stage (t = 0): Murphy moves mass to the lowest V_1:
    #   new/run:   worn is lower: (new 1/2, worn 1/2): 1 + 9/10 (1/2 + 3/8) = 1 + 63/80 = 143/80
    #   worn/run:  broken lower: (worn 1/2, broken 1/2): 3/4 + 9/10 * 3/8 = 3/4 + 27/80 = 87/80
    #   worn/service: new: 0 + 9/10 * 1 = 9/10 = 72/80 < 87/80: run
    #   broken/repair: broken lower: (new 1/2, broken 1/2): 9/10 * 1/2 = 9/20
    sol = machine(horizon=2).solve()
    assert sol.method == "backward-induction"
    assert list(sol.stage_values[1]) == [1, F(3, 4), 0]
    assert list(sol.values) == [F(143, 80), F(87, 80), F(9, 20)]
    assert sol.stage_policy == (("run", "run", "repair"), ("run", "run", "repair"))
    assert sol.q_values[1, 1] == F(9, 10)
    assert sol.murphy("worn", "run") == {"worn": F(1, 2), "broken": F(1, 2)}
    # At the last stage every next state is worth 0: every distribution is a worst case, and the
    # free mass goes by state order (new has no room, worn takes the 1/2 it may).
    assert sol.murphy("worn", "run", stage=1) == {"worn": 1}
    # Undiscounted horizon 2 (discount 1 is allowed with a horizon): worn/run 3/4 + 3/8 = 9/8,
    # service 0 + 1 = 1: run.
    undiscounted = machine(horizon=2, discount=1).solve()
    assert list(undiscounted.values) == [1 + F(7, 8), F(9, 8), F(1, 2)]


def test_polytope_by_hand():
    # One state pair with a polytope: from "s", "go" leads to a or b by one of two
    # distributions (a 1/2, b 1/2) or (a 1/4, b 3/4); a and b are absorbing with rewards 1 and 0.
    # gamma = 1/2: V_a = 1 / (1 - 1/2) = 2, V_b = 0. Murphy picks the vertex with the lower
    # value: 2/4 < 2/2, so V_s = 0 + 1/2 * 1/2 = 1/4; a "stay" action worth 1/5 forever gives
    # 1/5 / (1 - 1/2) = 2/5 > 1/4.
    mdp = InfraMDP(
        ["s", "a", "b"],
        {"s": ["go", "stay"], "a": ["rest"], "b": ["rest"]},
        {
            ("s", "go"): [{"a": F(1, 2), "b": F(1, 2)}, {"a": F(1, 4), "b": F(3, 4)}],
            ("s", "stay"): {"s": 1},
            ("a", "rest"): {"a": 1},
            ("b", "rest"): {"b": 1},
        },
        {("s", "go"): 0, ("s", "stay"): F(1, 5), ("a", "rest"): 1, ("b", "rest"): 0},
        F(1, 2),
    )
    sol = mdp.solve()
    assert list(sol.values) == [F(2, 5), 2, 0]
    assert sol.policy == ("stay", "rest", "rest")
    assert sol.q_values[0, 0] == F(1, 4)
    assert sol.murphy("s", "go") == {"a": F(1, 4), "b": F(3, 4)}


def test_ties_are_all_listed():
    # Two actions with the same reward and transitions: a tie in every method.
    mdp = InfraMDP(
        ["s"],
        ["x", "y"],
        {("s", "x"): {"s": 1}, ("s", "y"): {"s": 1}},
        {("s", "x"): F(1, 2), ("s", "y"): F(1, 2)},
        F(1, 2),
    )
    assert mdp.solve().ties == (("x", "y"),)
    assert mdp.solve("value-iteration").ties == (("x", "y"),)
    assert mdp.solve("value-iteration").policy == ("x",)


def test_inner_problem_by_hand():
    # Values (3, 1, 2): sorted ascending s1, s2, s0. Lower bounds (1/10, 1/5, 1/5) leave 1/2;
    # s1 may take 1/2 - 1/5 = 3/10 more (all of it goes there: 3/10 < 1/2), then s2 gets
    # 1/2 - 3/10 = 1/5 more (up to 2/5 <= 1/2). p = (1/10, 1/2, 2/5); value 3/10 + 1/2 + 4/5.
    lower = np.array([[F(1, 10), F(1, 5), F(1, 5)]], dtype=object)
    upper = np.array([[F(1, 2), F(1, 2), F(1, 2)]], dtype=object)
    values = np.array([F(3), F(1), F(2)], dtype=object)
    value, kernel = interval_worst(lower, upper, values)
    assert value[0] == F(8, 5)
    assert kernel[0].tolist() == [F(1, 10), F(1, 2), F(2, 5)]
    # A vertex list: the first minimising vertex.
    verts = np.array([[[F(1, 2), F(1, 2), 0], [0, F(1, 2), F(1, 2)], [0, 1, 0]]], dtype=object)
    value, kernel = vertex_worst(verts, values)
    assert value[0] == 1 and kernel[0].tolist() == [0, 1, 0]


@pytest.mark.parametrize("use_floats", [False, True])
def test_reward_range_rescales(use_floats):
    # Rewards in [-1, 3] are 4u - 1 for u in [0, 1]; the values are 4 V_u - 1 / (1 - gamma).
    # (The machine's u-values: 200/29, 180/29, 1800/319, gamma = 9/10.)
    rewards = {k: 4 * v - 1 for k, v in MACHINE["rewards"].items()}
    if use_floats:
        rewards = {k: float(v) for k, v in rewards.items()}
    mdp = InfraMDP(
        MACHINE["states"],
        MACHINE["actions"],
        MACHINE["transitions"],
        rewards,
        MACHINE["discount"],
        reward_range=(-1, 3),
    )
    sol = mdp.solve()
    expected = [4 * F(200, 29) - 10, 4 * F(180, 29) - 10, 4 * F(1800, 319) - 10]
    assert sol.value_range == pytest.approx((-10, 30))
    assert sol.policy == ("run", "service", "repair")
    if use_floats:
        assert np.allclose(sol.values.astype(float), [float(x) for x in expected], atol=1e-7)
        assert sol.error_bound <= 1e-9 * 40
    else:
        assert list(sol.values) == expected
    assert "rewards in [-1, 3]" in repr(sol)
