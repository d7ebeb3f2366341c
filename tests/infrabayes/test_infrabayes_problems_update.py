"""Re-deciding after an observation: the IB update keeps the ex-ante decision, naive conditioning
does not. Worked examples by hand (the property over random problems is in
test_infrabayes_problems_properties.py)."""

import math
from fractions import Fraction as F

import pytest

from infrabayes.problems import (
    Chance,
    Decision,
    Outcome,
    Problem,
    counterfactual_mugging,
    parfits_hitchhiker,
)
from infrabayes.problems.after import redecide


def test_parfit_noisy_update_at_town_by_hand():
    p = parfits_hitchhiker(epsilon=F(1, 10))
    r = p.after("town").solve()
    assert r.policy == {"town": "pay"}
    assert r.event == {"town, pay", "town, refuse"}
    # Continuations (Nirvana-free generators under inf):
    #   pay:    e_pay . pay       = (town, pay) 9/10 + desert 1/10
    #   refuse: e_refuse . refuse = desert 9/10 + (town, refuse) 1/10
    # g = U off town = U(desert) = 0, so the raw updates are (town,pay) 9/10, b = 0 and
    # (town,refuse) 1/10, b = 0, with values 9/10 * 999/1000 = 8991/10000 and 1/10.
    assert r.prior_values == r.raw_values == (F(8991, 10000), F(1, 10))
    # Shared normaliser: E0 = min(0, 0) = 0, E1 = max(9/10, 1/10) = 9/10, P = 9/10.
    assert r.probability == F(9, 10)
    # Updated: pay (8991/10000) / (9/10) = 999/1000; refuse (1/10) / (9/10) = 1/9.
    assert r.updated_values == (F(999, 1000), F(1, 9))
    assert r.updated_choice == ("pay",)
    assert r.consistent
    # Naive conditioning on town: pay -> (town, pay) for sure: 999/1000; refuse -> (town, refuse):
    # 1. The naive agent, safely in town, refuses: it changes the ex-ante decision.
    assert r.naive_values == (F(999, 1000), 1)
    assert r.naive_choice == ("refuse",)
    assert r.naive_consistent is False
    text = repr(r)
    assert "IB update (P = 9/10): pay (keeps the ex-ante decision)" in text
    assert "naive conditioning: refuse (changes the ex-ante decision)" in text
    # The posterior of each continuation is an ordinary infradistribution of the core.
    post = r.posterior("pay")
    assert post.expect(dict(p.utilities)) == F(999, 1000)
    assert list(post.b) == [0]


def test_parfit_perfect_update_is_undefined_in_the_causal_encoding():
    # The open question: after reaching town, is e_refuse "logically impossible"? Under the
    # causal hypothesis: pay has e_pay . pay = (town, pay) and e_refuse . pay = desert; refuse has
    # only e_refuse . refuse = desert. Raw updates (g = U(desert) = 0): E(0 *g) = 0 for both and
    # E(1 *g) = min(1, 0) = 0 and 0, so P = 0: Murphy can keep you out of town whatever you do
    # there, and the update is undefined.
    p = parfits_hitchhiker()
    r = p.after("town").solve()
    assert r.probability is None
    assert r.updated_values == (None, None)
    assert r.consistent is None
    with pytest.raises(ValueError, match="undefined"):
        r.posterior("pay")
    assert "IB update: undefined" in repr(r)
    # The acausal hypothesis (the driver reads the actual policy) updates fine and keeps paying:
    # pay -> (town, pay) 1, b = 0; refuse -> desert: (0, b = 0). P = 1 - 0 = 1.
    a = p.after("town").solve(encoding="acausal")
    assert a.probability == 1
    assert a.updated_values == (F(999, 1000), 0)
    assert a.updated_choice == ("pay",)
    # Naive conditioning on town uses the limit of a slightly erring driver (town is reached
    # only by an error when you refuse): refusing there gets 1 > 999/1000.
    assert a.naive_values == (F(999, 1000), 1)
    assert a.naive_choice == ("refuse",)
    # "udt" is IB with the acausal hypothesis.
    assert p.after("town").solve("udt").updated_values == a.updated_values


def test_counterfactual_mugging_after_tails_by_hand():
    p = counterfactual_mugging()
    r = p.after("tails").solve()
    # pay: e_pay . pay = (heads, rewarded) 1/2 + (tails, paid) 1/2; raw update with g = U off
    # tails: ((tails, paid) 1/2, b = 1/2 * 1 = 1/2): value 1/2, E(0*g) = 1/2, E(1*g) = 1.
    # refuse: e_refuse . refuse = (heads, not rewarded) 1/2 + (tails, refused) 1/2; raw:
    # ((tails, refused) 1/2, b = 1/2 * 1/101 = 1/202): value 1/101, E(0*g) = 1/202,
    # E(1*g) = 1/202 + 1/2 = 51/101.
    assert r.raw_values == (F(1, 2), F(1, 101))
    # P = max(1, 51/101) - min(1/2, 1/202) = 201/202; updated pay (1/2 - 1/202) / P = 100/201,
    # refuse (1/101 - 1/202) / P = 1/201.
    assert r.probability == F(201, 202)
    assert r.updated_values == (F(100, 201), F(1, 201))
    assert r.updated_choice == ("pay",)
    # Naive: given tails, pay 0 < refuse 1/101.
    assert r.naive_values == (0, F(1, 101))
    assert r.naive_choice == ("refuse",)


def test_normalising_each_continuation_separately_would_break_consistency():
    # The core's H.update normalises one infradistribution by its own P. Used per continuation it
    # rescales them differently: pay (1/2 - 1/2) / (1/2) = 0 < refuse (1/101 - 1/202) / (1/2)
    # = 1/101, so the agent would refuse after tails. after() normalises the belief function as a
    # whole (one shared affine map) and keeps paying.
    p = counterfactual_mugging()
    u = dict(p.utilities)
    tails = {"tails, paid", "tails, refused"}
    separate = {
        a: p.hypothesis(a).nirvana_free().update(tails, u).expect(u) for a in ("pay", "refuse")
    }
    assert separate == {"pay": 0, "refuse": F(1, 101)}
    assert p.after("tails").solve().updated_choice == ("pay",)


def test_update_with_nirvana_one():
    # Parfit e = 1/10, nirvana = 1: the ex-ante optimum is a tie (1/10 each); continuing "pay":
    # pay: gens e_pay.pay = ((town,pay) 9/10, desert 1/10) and e_refuse.pay = (desert 9/10,
    #      Nirvana 1/10) -> Nirvana-free: ((town,pay) 9/10, b 0), ((), b 1/10) (Nirvana worth 1).
    #      raw (g = 0 off town): same; values min(8991/10000, 1/10) = 1/10.
    # refuse: e_pay.refuse = (Nirvana 9/10, desert 1/10) -> ((), b 9/10); e_refuse.refuse =
    #      (desert 9/10, (town,refuse) 1/10): value min(9/10, 1/10) = 1/10.
    p = parfits_hitchhiker(epsilon=F(1, 10))
    r = p.after("town").solve("ib", 1, policy="pay")
    assert r.prior_values == r.raw_values == (F(1, 10), F(1, 10))
    # E0 = min(min(0, 1/10), min(9/10, 0)) = 0; E1 = max(min(9/10, 1/10), min(9/10, 1/10)) = 1/10.
    assert r.probability == F(1, 10)
    assert r.updated_values == (1, 1)
    assert r.updated_choice == ("pay", "refuse")
    assert r.consistent


def test_after_errors():
    p = parfits_hitchhiker()
    with pytest.raises(ValueError, match="not an information set"):
        p.after("desert")
    with pytest.raises(ValueError, match="CDT already decides"):
        p.after("town").solve("cdt")
    with pytest.raises(ValueError, match="leave nirvana and encoding alone"):
        p.after("town").solve("udt", nirvana=1)
    with pytest.raises(ValueError, match="theory must be one of"):
        p.after("town").solve("fdt")
    with pytest.raises(ValueError, match="not an action"):
        p.after("town").solve(policy="tip")
    # An outcome reached both after the information set and elsewhere is not an event.
    shared = Problem(
        Chance(
            {
                "left": (F(1, 2), Decision("I", {"a": Outcome("same", 1), "b": Outcome("x", 0)})),
                "right": (F(1, 2), Outcome("same", 1)),
            }
        )
    )
    with pytest.raises(ValueError, match="reached both after 'I' and elsewhere"):
        shared.after("I")
    assert "after observing 'town'" in repr(p.after("town"))


def test_redecision_on_float_problem():
    p = parfits_hitchhiker(epsilon=0.1, cost=0.001)
    r = p.after("town").solve()
    assert isinstance(r.probability, float)
    assert math.isclose(r.updated_values[0], 0.999)
    assert r.updated_choice == ("pay",)
    assert r.naive_choice == ("refuse",)


def test_redecide_is_after_then_solve_and_results_give_the_problem_back():
    p = parfits_hitchhiker(epsilon=F(1, 10))
    for settings in ({}, {"nirvana": 1}, {"encoding": "acausal"}, {"theory": "udt"}):
        direct = redecide(p, "town", **settings)
        via = p.after("town").solve(**settings)
        assert direct.problem is via.problem is p
        fields = ("policy", "ex_ante", "prior_values", "raw_values", "probability")
        fields += ("updated_values", "naive_values", "updated_choice", "naive_choice")
        assert all(getattr(direct, f) == getattr(via, f) for f in fields)
        assert repr(direct) == repr(via)
        ib = {"encoding": "acausal"} if settings.get("theory") == "udt" else settings
        assert via.ex_ante == p.solve("ib", **ib).optimal
    assert p.after("town").problem is p
    assert p.solve().problem is p and p.compare().problem is p
