"""Result objects (reprs, accessors, read-only arrays) and the comparison figure."""

from fractions import Fraction as F

import numpy as np
import pytest
from test_infrabayes_mdp_hand import machine

from infrabayes.sequential import Comparison, InfraMDP, PolicyValue, Solution, compare, solve


def test_solution_repr_and_accessors():
    sol = solve(machine())
    assert isinstance(sol, Solution)
    lines = repr(sol).splitlines()
    assert lines[0] == (
        "Robust solution by policy-iteration (discount 9/10, rewards in [0, 1]): 2 iterations, "
        "exact"
    )
    assert lines[2].split() == ["new", "200/29", "run", "new", "1/2,", "worn", "1/2"]
    assert sol.value("worn") == F(180, 29)
    assert sol.action("worn") == "service" and sol.tied("worn") == ("service",)
    assert sol.value_range == (0, 10)
    with pytest.raises(ValueError, match="unknown state 'old'"):
        sol.value("old")
    with pytest.raises(ValueError, match="stages exist only with a finite horizon"):
        sol.action("new", stage=1)
    assert np.isnan(solve(machine(), "value-iteration").q_values[0, 1])  # new offers only run
    assert solve(machine()).q_values[0, 1] is None


def test_finite_horizon_stages():
    sol = machine(horizon=3).solve()
    assert sol.stage_values.shape == (4, 3) and sol.stage_kernel.shape == (3, 3, 3, 3)
    assert sol.action("worn", stage=2) == "run"  # last decision: 3/4 now beats 0
    with pytest.raises(ValueError, match=r"stage 3 is outside 0..2"):
        sol.action("worn", stage=3)
    assert "horizon 3" in repr(sol) and "3 iterations, exact" in repr(sol)


def test_policy_value_repr():
    pv = machine().evaluate(["run", "run", "repair"])
    assert isinstance(pv, PolicyValue)
    assert repr(pv).splitlines()[3].split() == [
        "worn",
        "run",
        "3435/602",
        "worn",
        "1/2,",
        "broken",
        "1/2",
    ]
    markov = machine(horizon=2).evaluate(
        [
            {"new": "run", "worn": "service", "broken": "repair"},
            {"new": "run", "worn": "run", "broken": "repair"},
        ]
    )
    assert markov.policy[0] == ("run", "service", "repair")
    # Stage 0 in worn: service -> new (worth 1 at the last stage): 9/10.
    assert markov.value("worn") == F(9, 10)


def test_comparison_repr_and_fields():
    comp = compare(machine())
    assert isinstance(comp, Comparison)
    rows = [line.split() for line in repr(comp).splitlines()[2:]]
    assert rows[1] == ["worn", "run", "25995/3772", "3435/602", "service", "720/107", "180/29"]
    assert not comp.nominal_kernel.flags.writeable
    # A chosen nominal kernel: Murphy's own worst case makes the nominal plan the robust one.
    worst = {
        ("new", "run"): {"new": F(1, 2), "worn": F(1, 2)},
        ("worn", "run"): {"worn": F(1, 2), "broken": F(1, 2)},
        ("worn", "service"): {"new": 1},
        ("broken", "repair"): {"new": F(1, 2), "broken": F(1, 2)},
    }
    same = machine().compare(worst)
    assert same.nominal_policy == same.robust_policy
    assert list(same.nominal.values) == list(same.robust.values)


def test_float_models_show_their_error_bound():
    mdp = InfraMDP(["s"], ["a"], {("s", "a"): {"s": 1.0}}, {("s", "a"): 0.5}, 0.9)
    sol = mdp.solve()
    assert sol.method == "value-iteration" and not sol.exact
    assert "error bound" in repr(sol)
    assert abs(sol.value("s") - 5.0) <= sol.error_bound


def test_comparison_figure():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from infrabayes.sequential import plot

    comp = compare(machine())
    ax = plot.comparison(comp)
    assert [c.get_label() for c in ax.containers] == [label for label, _, _ in plot.SERIES]
    heights = [[bar.get_height() for bar in c] for c in ax.containers]
    assert heights[1] == pytest.approx([3905 / 602, 3435 / 602, 3195 / 602])  # nominal guarantee
    assert heights[3] == pytest.approx([200 / 29, 180 / 29, 1800 / 319])  # robust guarantee
    assert [t.get_text() for t in ax.get_xticklabels()] == ["new", "worn", "broken"]
    fig = Figure()
    given = fig.subplots()
    assert plot.comparison(comp, ax=given) is given
