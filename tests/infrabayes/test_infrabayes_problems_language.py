"""The problem language: building, checking, naming, policies, hypotheses, results, bad input."""

import math
import pickle
import sys
from fractions import Fraction as F

import numpy as np
import pytest

from infrabayes import NIRVANA, Infradistribution
from infrabayes.problems import (
    Chance,
    Correlate,
    Decision,
    Outcome,
    Policy,
    Predictor,
    Problem,
    newcomb,
    parfits_hitchhiker,
    transparent_newcomb,
)

# ---------------------------------------------------------------------------------------------
# Policies
# ---------------------------------------------------------------------------------------------


def test_policy_is_a_readable_hashable_mapping():
    p = Policy({"full": "one-box", "empty": "two-box"})
    assert str(p) == "full: one-box, empty: two-box"
    assert repr(p) == "Policy({'full': 'one-box', 'empty': 'two-box'})"
    assert p == {"empty": "two-box", "full": "one-box"}
    assert hash(p) == hash(Policy({"empty": "two-box", "full": "one-box"}))
    assert p["full"] == "one-box"
    assert len(p) == 2
    assert p.replace("full", "two-box") == {"full": "two-box", "empty": "two-box"}
    assert pickle.loads(pickle.dumps(p)) == p
    assert str(Policy({"town": "pay"})) == "pay"
    assert str(Policy({})) == "(no choice)"
    with pytest.raises(KeyError):
        p["town"]
    with pytest.raises(KeyError, match="not an information set"):
        p.replace("town", "pay")
    with pytest.raises(TypeError, match="mapping"):
        Policy(["pay"])
    assert (p == 3) is False


def test_problem_names_its_policies():
    p = transparent_newcomb()
    assert p.infosets == ("full", "empty")
    assert dict(p.actions) == {"full": ("one-box", "two-box"), "empty": ("one-box", "two-box")}
    assert p.predicted == ("full",)
    assert [str(q) for q in p.predictions] == ["one-box", "two-box"]
    assert [str(q) for q in p.policies] == [
        "full: one-box, empty: one-box",
        "full: one-box, empty: two-box",
        "full: two-box, empty: one-box",
        "full: two-box, empty: two-box",
    ]
    # A policy by its printed name, a mapping, or itself.
    q = p.policy("full: one-box, empty: two-box")
    assert q == p.policy({"empty": "two-box", "full": "one-box"}) == p.policy(q)
    assert parfits_hitchhiker().policy("pay") == {"town": "pay"}
    with pytest.raises(ValueError, match="exactly the information sets"):
        p.policy({"full": "one-box"})
    with pytest.raises(ValueError, match="not an action at 'full'"):
        p.policy("full: three-box, empty: two-box")
    with pytest.raises(ValueError, match="cannot read the policy"):
        p.policy("one-box")
    with pytest.raises(TypeError, match="a policy is"):
        p.policy(3)


def test_problem_structure_and_repr():
    p = newcomb()
    assert p.outcomes == (
        "B full, one-box",
        "B full, two-box",
        "B empty, one-box",
        "B empty, two-box",
    )
    assert dict(p.utilities) == {
        "B full, one-box": F(1000, 1001),
        "B full, two-box": 1,
        "B empty, one-box": 0,
        "B empty, two-box": F(1, 1001),
    }
    assert p.exact
    assert p.parameters == {"epsilon": 0, "small": 1000, "big": 1000000}
    text = repr(p)
    assert text.splitlines()[0] == (
        "Newcomb (epsilon=0, small=1000, big=1000000): 1 information set, 2 policies, "
        "4 outcomes (exact)"
    )
    assert "predictor 'Omega' reads 'choose' (error 0)" in text
    assert "predicts two-box: decision at 'choose'" in text
    assert p.distribution("one-box") == {
        "B full, one-box": 1,
        "B full, two-box": 0,
        "B empty, one-box": 0,
        "B empty, two-box": 0,
    }
    assert p.expected_utility("two-box") == F(1, 1001)


def test_a_problem_without_decisions_has_one_empty_policy():
    p = Problem(Chance({"h": (F(1, 3), Outcome("x", 1)), "t": (F(2, 3), Outcome("y", 0))}))
    assert p.infosets == ()
    assert p.policies == (Policy({}),)
    for theory in ("ib", "udt", "cdt", "edt"):
        sol = p.solve(theory)
        assert sol.optimal == (Policy({}),)
        assert sol.expected_utility_of({}) == F(1, 3)


# ---------------------------------------------------------------------------------------------
# Hypotheses
# ---------------------------------------------------------------------------------------------


def test_causal_hypothesis_generators_by_hand():
    p = parfits_hitchhiker(epsilon=F(1, 10))
    h = p.hypothesis("pay")
    assert isinstance(h, Infradistribution)
    assert h.outcomes == ("town, pay", "town, refuse", "desert", NIRVANA)
    # Row i is the environment of prediction i: e_pay . pay and e_refuse . pay.
    assert [str(q) for q in p.predictions] == ["pay", "refuse"]
    assert h[0].as_dict() == {
        "town, pay": F(9, 10),
        "town, refuse": 0,
        "desert": F(1, 10),
        NIRVANA: 0,
    }
    assert h[1].as_dict() == {
        "town, pay": 0,
        "town, refuse": 0,
        "desert": F(9, 10),
        NIRVANA: F(1, 10),
    }
    assert h.nirvana == math.inf
    assert p.hypothesis("pay", nirvana=1).nirvana == 1
    acausal = p.hypothesis("refuse", "acausal")
    assert acausal.outcomes == ("town, pay", "town, refuse", "desert")
    assert [g.as_dict() for g in acausal] == [
        {"town, pay": 0, "town, refuse": F(1, 10), "desert": F(9, 10)}
    ]


def test_correlates_take_their_base_rate_in_the_hypotheses():
    tree = Correlate(
        "I",
        {"a": Decision("I", {"a": Outcome("x", 1), "b": Outcome("y", 0)}), "b": Outcome("z", 0)},
        epsilon=F(1, 10),
        base_rate={"a": F(1, 4), "b": F(3, 4)},
        states={"a": "sick"},
    )
    p = Problem(tree)
    assert p.predicted == ()  # a correlate is not a prediction: one environment
    assert [g.as_dict() for g in p.hypothesis("a", "acausal")] == [
        {"x": F(1, 4), "y": 0, "z": F(3, 4)}
    ]
    assert len(p.hypothesis("a")) == 1
    assert "sick (goes with a): decision at 'I'" in repr(p)
    assert "goes with b: outcome 'z'" in repr(p)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


def test_solution_is_frozen_with_read_only_arrays_and_python_scalars():
    sol = parfits_hitchhiker().solve("ib")
    with pytest.raises(ValueError, match="read-only"):
        sol.values[0] = 1
    with pytest.raises(ValueError, match="read-only"):
        sol.expected_utilities[0] = 1
    with pytest.raises(AttributeError):
        sol.theory = "udt"
    assert type(sol.value_of("pay")) is F
    assert sol.value == 0
    assert sol.status == "optimal"
    assert sol.encoding == "causal"
    assert sol.nirvana == math.inf
    float_sol = parfits_hitchhiker(epsilon=0.1).solve("ib")
    assert type(float_sol.value_of("pay")) is float
    assert type(float_sol.value) is float
    with pytest.raises(ValueError, match="only under theory='ib'"):
        parfits_hitchhiker().solve("udt").murphy_of("pay")
    with pytest.raises(ValueError, match="CDT's and EDT's"):
        sol.action_values_of("pay")
    cdt = parfits_hitchhiker().solve("cdt")
    with pytest.raises(ValueError, match="read-only"):
        cdt.action_values[0, 0, 0] = 1
    assert cdt.value is None


def test_solution_repr_shows_values_murphy_and_ties():
    text = repr(parfits_hitchhiker().solve())
    assert (
        text.splitlines()[0] == "Parfit's Hitchhiker solved by IB, causal, nirvana=inf: 2 policies"
    )
    assert "Murphy predicts" in text
    assert text.splitlines()[-1] == "optimal: pay / refuse (a tie), value 0"
    cdt = repr(parfits_hitchhiker().solve("cdt"))
    assert "town: pay" in cdt
    assert cdt.splitlines()[-1] == "chooses: refuse (expected utility 0)"
    from infrabayes.problems import death_in_damascus

    assert repr(death_in_damascus().solve("cdt")).endswith(
        "chooses: nothing: no policy is ratifiable (no stable choice)"
    )


def test_compare_table():
    c = parfits_hitchhiker().compare()
    assert [label for label, _ in c.rows] == [
        "IB, causal, nirvana=inf",
        "IB, causal, nirvana=1",
        "IB, acausal",
        "UDT",
        "CDT",
        "EDT",
    ]
    assert c["UDT"].optimal == ({"town": "pay"},)
    with pytest.raises(KeyError, match="the rows are"):
        c["FDT"]
    lines = repr(c).splitlines()
    assert lines[0] == "Parfit's Hitchhiker: what each theory chooses"
    assert lines[1].split() == ["theory", "chooses", "value", "expected", "utility"]
    assert lines[2].split() == [
        "IB,",
        "causal,",
        "nirvana=inf",
        "pay",
        "/",
        "refuse",
        "0",
        "999/1000,",
        "0",
    ]
    assert lines[4].split() == ["IB,", "acausal", "pay", "999/1000", "999/1000"]
    assert lines[6].split() == ["CDT", "refuse", "-", "0"]


def test_long_solutions_are_truncated_in_the_repr():
    branches = {
        f"room {k}": (
            F(1, 6),
            Decision(f"I{k}", {"a": Outcome(f"a{k}", 1), "b": Outcome(f"b{k}", 0)}),
        )
        for k in range(6)
    }
    p = Problem(Chance(branches))
    sol = p.solve("udt")
    assert len(sol.policies) == 64
    text = repr(sol)
    assert "... (48 more policies)" in text
    assert "I0: a, I1: a, I2: a, I3: a, I4: a, I5: a" in text  # the optimal policy is shown


# ---------------------------------------------------------------------------------------------
# Bad input: a clear error naming what and where
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: Outcome("x", F(3, 2)), ValueError, r"utility of 'x' is 3/2, outside \[0, 1\]"),
        (lambda: Outcome("x", math.nan), ValueError, "expected a finite number"),
        (lambda: Outcome("x", True), TypeError, "bool"),
        (lambda: Outcome("", 0), TypeError, "nonempty string"),
        (
            lambda: Chance({"h": (F(1, 2), Outcome("x", 0)), "t": (F(1, 3), Outcome("y", 0))}),
            ValueError,
            "sum to 5/6, not 1 \\(exactly\\)",
        ),
        (
            lambda: Chance({"h": (0.5, Outcome("x", 0)), "t": (0.4, Outcome("y", 0))}),
            ValueError,
            "not 1 \\(within 1e-09\\)",
        ),
        (lambda: Chance({"h": (-1, Outcome("x", 0))}), ValueError, "branch 'h' is -1, outside"),
        (lambda: Chance({"h": Outcome("x", 0)}), TypeError, "expected a pair"),
        (lambda: Chance({}), TypeError, "nonempty mapping"),
        (lambda: Decision("I", {"a": 3}), TypeError, "expected a node"),
        (
            lambda: Predictor("I", {"a": Outcome("x", 0)}, epsilon=F(1, 2)),
            ValueError,
            "no other branch",
        ),
        (lambda: Predictor("I", {"a": Outcome("x", 0)}, epsilon=2), ValueError, "epsilon is 2"),
        (
            lambda: Correlate(
                "I", {"a": Outcome("x", 0), "b": Outcome("y", 0)}, base_rate={"a": 1}
            ),
            ValueError,
            "base_rate must give a probability to each branch",
        ),
    ],
)
def test_bad_nodes(build, error, match):
    with pytest.raises(error, match=match):
        build()


def dec(infoset, **kids):
    return Decision(infoset, kids)


@pytest.mark.parametrize(
    ("tree", "match"),
    [
        (
            Chance({"h": (F(1, 2), Outcome("x", 0)), "t": (F(1, 2), Outcome("x", 1))}),
            "outcome 'x' at t has utility 1, but another leaf of that name has 0",
        ),
        (
            Chance(
                {
                    "h": (F(1, 2), dec("I", a=Outcome("x", 0))),
                    "t": (F(1, 2), dec("I", b=Outcome("y", 0))),
                }
            ),
            r"offers \('b',\) at information set 'I', another node of it offers \('a',\)",
        ),
        (
            Predictor(
                "J", {"a": dec("I", a=Outcome("x", 0), b=Outcome("y", 0)), "b": Outcome("z", 0)}
            ),
            "reads information set 'J', but no decision node belongs to it",
        ),
        (
            Predictor(
                "I", {"a": dec("I", a=Outcome("x", 0), c=Outcome("y", 0)), "b": Outcome("z", 0)}
            ),
            r"has branches \['a', 'b'\], but information set 'I' has the actions \['a', 'c'\]",
        ),
    ],
)
def test_bad_trees(tree, match):
    with pytest.raises(ValueError, match=match):
        Problem(tree)


def test_bad_problem_arguments():
    with pytest.raises(TypeError, match="root must be a node"):
        Problem({"x": 1})
    with pytest.raises(TypeError, match="name must be a nonempty string"):
        Problem(Outcome("x", 0), name="")
    p = parfits_hitchhiker()
    with pytest.raises(ValueError, match="theory must be one of"):
        p.solve("fdt")
    with pytest.raises(ValueError, match=r"nirvana must be math\.inf"):
        p.solve("ib", nirvana=0)
    with pytest.raises(ValueError, match="encoding must be 'causal'"):
        p.solve("ib", encoding="pseudocausal")
    with pytest.raises(ValueError, match="leave them at their defaults"):
        p.solve("cdt", nirvana=1)
    with pytest.raises(ValueError, match="leave them at their defaults"):
        p.solve("udt", encoding="acausal")
    with pytest.raises(ValueError, match="weights sum to 1/2, not 1"):
        p.mixed_value({"pay": F(1, 2)})
    with pytest.raises(ValueError, match=">= 0"):
        p.mixed_value({"pay": F(3, 2), "refuse": F(-1, 2)})
    with pytest.raises(ValueError, match="names a policy twice"):
        p.mixed_value({"pay": F(1, 2), Policy({"town": "pay"}): F(1, 2)})
    with pytest.raises(TypeError, match="nonempty mapping"):
        p.mixed_value({})


def test_too_many_policies_is_refused(monkeypatch):
    import infrabayes.limits as limits

    monkeypatch.setattr(limits, "MAX_POLICIES", 3)
    with pytest.raises(limits.SizeLimitError, match=r"4 \(2\^2\) deterministic policies"):
        transparent_newcomb()


def test_solutions_are_cached_and_inputs_not_mutated():
    p = parfits_hitchhiker()
    assert p.solve("ib") is p.solve("ib")
    weights = {"pay": F(1, 2), "refuse": F(1, 2)}
    p.mixed_value(weights)
    assert weights == {"pay": F(1, 2), "refuse": F(1, 2)}
    arr = p.solve("udt").values
    assert isinstance(arr, np.ndarray)


def test_importing_the_problems_does_not_import_cvxpy():
    import subprocess

    code = "import infrabayes.problems, sys; print('cvxpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_information_set_twice_on_a_path_is_accepted_as_imperfect_recall():
    # The absent-minded driver's shape: a pure policy acts the same at both nodes.
    tree = dec("I", a=dec("I", a=Outcome("x", 1), b=Outcome("y", 0)), b=Outcome("z", 0))
    p = Problem(tree)
    assert p.infosets == ("I",)
    assert p.expected_utility({"I": "a"}) == 1
    assert p.expected_utility({"I": "b"}) == 0
