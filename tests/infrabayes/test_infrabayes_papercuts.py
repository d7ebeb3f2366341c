"""Small usability fixes: case-insensitive theory names, 'did you mean', infoset names with ', '."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from infrabayes import Infradistribution
from infrabayes.problems import Decision, Outcome, Problem
from infrabayes.problems.library import parfits_hitchhiker


def test_theory_names_are_case_insensitive():
    p = parfits_hitchhiker(epsilon=F(1, 10))
    for name in ("IB", "Ib", "UDT", "Cdt", "EDT"):
        assert p.solve(name).theory == name.lower()
        assert p.solve(name).optimal == p.solve(name.lower()).optimal
    assert p.solve("ib", encoding="ACAUSAL").encoding == "acausal"
    assert p.after("town").solve("IB").updated_choice == ("pay",)


@pytest.mark.parametrize(
    ("call", "suggestion"),
    [
        (lambda p: p.solve("utd"), "did you mean 'udt'"),
        (lambda p: p.solve("ib", encoding="casual"), "did you mean 'causal'"),
        (lambda p: p.after("twon"), "did you mean 'town'"),
        (lambda p: p.solve().value_of("pya"), "did you mean 'pay'"),
        (lambda p: p.solve().value_of({"twon": "pay"}), "did you mean 'town'"),
    ],
    ids=["theory", "encoding", "infoset", "action", "infoset in a policy"],
)
def test_unknown_names_get_a_suggestion(call, suggestion):
    with pytest.raises(ValueError, match=suggestion):
        call(parfits_hitchhiker())


def test_unknown_outcome_and_method_get_a_suggestion():
    H = Infradistribution([{"rain": F(1, 2), "sun": F(1, 2)}])
    with pytest.raises(ValueError, match="did you mean 'rain'"):
        H.expect({"rian": 1, "sun": 0})
    from test_infrabayes_mdp_hand import machine

    from infrabayes.sequential import solve

    with pytest.raises(ValueError, match="did you mean 'value-iteration'"):
        solve(machine(), "value-iteraton")
    assert solve(machine(), "Policy-Iteration").method == "policy-iteration"
    with pytest.raises(ValueError, match=r"got 'zzz'$"):  # nothing close: no suggestion
        parfits_hitchhiker().solve("zzz")


def test_information_set_names_with_comma_and_colon_still_parse():
    """Two information sets whose names contain ', ' and ':'; their policies print and parse."""
    odd, other = "seen: heads, tails", "late, again"
    tree = Decision(
        odd,
        {
            "left, right": Decision(other, {"x": Outcome("a", 1), "y": Outcome("b", 0)}),
            "stop": Outcome("c", F(1, 2)),
        },
    )
    p = Problem(tree, name="odd names")
    sol = p.solve("udt")
    assert len(sol.policies) == 4
    for policy in sol.policies:
        text = str(policy)
        assert sol.value_of(text) == sol.value_of(policy)  # its printed name reads back
    assert sol.value_of(f"{odd}: left, right, {other}: x") == 1
    assert sol.value_of(f"{other}: y, {odd}: stop") == F(1, 2)
    with pytest.raises(ValueError, match="cannot read the policy"):
        sol.value_of("nowhere: x")
