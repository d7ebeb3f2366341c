"""Chained observations: ``p.after("a").after("b")`` and ``p.after({"a", "b"})``.

The problem (values by hand below): a fair coin. Heads: at "a" you go on or stop (utility 0);
going on, at "b" you take x (utility 1/2) or y (1). Tails: another fair coin: you meet "b"
again (x: 1, y: 0), or Omega, who reads "b", pays 1 iff he predicts x.

UDT values of the policies (a, b): (go, x) = 1/2 * 1/2 + 1/4 * 1 + 1/4 * 1 = 3/4;
(go, y) = 1/2 * 1 = 1/2; (stop, x) = 1/2; (stop, y) = 0. Ex ante: (go, x).
"""

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrabayes.problems import Chance, Decision, Outcome, Predictor, Problem, transparent_newcomb
from infrabayes.strategies import problems


def two_observations():
    after_a = Decision("b", {"x": Outcome("a, x", F(1, 2)), "y": Outcome("a, y", 1)})
    heads = Decision("a", {"go": after_a, "stop": Outcome("stop", 0)})
    direct = Decision("b", {"x": Outcome("b, x", 1), "y": Outcome("b, y", 0)})
    omega = Predictor("b", {"x": Outcome("paid", 1), "y": Outcome("unpaid", 0)}, name="Omega")
    tails = Chance({"meet b": (F(1, 2), direct), "Omega": (F(1, 2), omega)}, name="coin 2")
    return Problem(Chance({"H": (F(1, 2), heads), "T": (F(1, 2), tails)}, name="coin"))


def test_udt_values_by_hand():
    p = two_observations()
    values = {str(pol): v for pol, v in zip(p.policies, p.solve("udt").values, strict=True)}
    assert values == {
        "a: go, b: x": F(3, 4),
        "a: go, b: y": F(1, 2),
        "a: stop, b: x": F(1, 2),
        "a: stop, b: y": F(0),
    }


def test_a_chain_conditions_on_both_observations():
    p = two_observations()
    chain = p.after("a").after("b")
    assert chain.observed == ("a", "b")
    assert chain.event == {"a, x", "a, y"}
    r = chain.solve("udt")
    assert r.earlier == ("a",) and r.infoset == "b"
    assert r.policy == p.policy("a: go, b: x")
    # continuations x, y: (go, x) and (go, y); off the event g = U.
    # E0 = min(off-event utility) = min(1/4 + 1/4, 0) = 0; E1 = max(P(L) + off) =
    # max(1/2 + 1/2, 1/2 + 0) = 1; P = 1. Updated: (3/4 - 0) / 1, (1/2 - 0) / 1.
    assert r.prior_values == (F(3, 4), F(1, 2))
    assert r.probability == 1
    assert r.updated_values == (F(3, 4), F(1, 2))
    assert r.updated_choice == ("x",)
    # Naive conditioning on having passed a and b: only the heads subtree, x 1/2 and y 1.
    assert r.naive_values == (F(1, 2), F(1))
    assert r.naive_choice == ("y",)
    assert "at 'b' after observing 'a'" in repr(r)
    assert "after observing 'a' then 'b'" in repr(chain)


def test_one_observation_of_b_is_a_different_event():
    r = two_observations().after("b").solve("udt")
    assert r.event == {"a, x", "a, y", "b, x", "b, y"}
    # Naive: b is reached on heads (1/2) and on tails' first branch (1/4):
    # x: (1/2 * 1/2 + 1/4 * 1) / (3/4) = 2/3; y: (1/2 * 1 + 1/4 * 0) / (3/4) = 2/3.
    assert r.naive_values == (F(2, 3), F(2, 3))
    assert r.naive_choice == ("x", "y")
    # E0 = min(1/4, 0) = 0 (Omega's payment is off the event); E1 = max(3/4 + 1/4, 3/4) = 1.
    assert r.updated_values == (F(3, 4), F(1, 2))


def test_a_set_of_observations_equals_the_chain():
    p = two_observations()
    for spec in ({"b", "a"}, ["b", "a"], ("a", "b")):
        obs = p.after(spec)
        assert obs.observed == ("a", "b")
        assert repr(obs.solve("udt")) == repr(p.after("a").after("b").solve("udt"))
        assert repr(obs.solve("ib")) == repr(p.after("a").after("b").solve("ib"))


def test_bad_chains_are_refused():
    p = two_observations()
    with pytest.raises(ValueError, match="comes before 'b'"):
        p.after("b").after("a")
    with pytest.raises(ValueError, match="observed twice"):
        p.after("a").after("a")
    with pytest.raises(ValueError, match="not an information set"):
        p.after("a").after("c")
    with pytest.raises(ValueError, match="never observed together"):
        transparent_newcomb().after({"full", "empty"})
    with pytest.raises(TypeError, match="nonempty set"):
        p.after(set())
    with pytest.raises(TypeError, match="information set"):
        p.after(3)


@settings(max_examples=40, deadline=None)
@given(problems(max_depth=4), st.data())
def test_updating_twice_is_updating_once_on_the_intersection(p, data):
    # The claim of Observation.after: the raw IB update on "a" then on "a and b" (off-branch
    # utility U both times) is the raw update on "a and b"; conditioning composes likewise.
    pairs = []
    for a in p.infosets:
        for b in p.infosets:
            if a == b:
                continue
            try:
                chain = p.after(a).after(b)
            except ValueError:
                continue
            pairs.append((a, chain))
    if not pairs:
        return
    a, chain = data.draw(st.sampled_from(pairs))
    first = p.after(a).event
    both = chain.event
    assert both <= first
    utility = dict(p.utilities)
    policy = data.draw(st.sampled_from(p.policies))
    h = p.hypothesis(policy).nirvana_free()
    twice = h.raw_update(set(first), utility).raw_update(set(both), utility)
    once = h.raw_update(set(both), utility)
    for f in (utility, 0, 1):
        assert twice.expect(f) == once.expect(f)
    assert chain.solve("udt").event == both


def test_an_absent_minded_information_set_is_not_re_decided_at():
    # The driver at "intersection": every path passes its first node, so the event is every
    # outcome, and "exit here" would also be "exit at the earlier intersection" on the path
    # through the second. Refused, whether observed alone or as the last of a set.
    from infrabayes.problems import absent_minded_driver, sleeping_beauty

    driver = absent_minded_driver()
    for spec in ("intersection", {"intersection"}):
        with pytest.raises(ValueError, match=r"2 decision nodes on one path .* not defined"):
            driver.after(spec).solve("udt")
    with pytest.raises(ValueError, match="mixed=True"):
        driver.after("intersection").solve()
    with pytest.raises(ValueError, match="'awake' has 2 decision nodes on one path"):
        sleeping_beauty(unfolded=True).after("awake").solve()
    folded = sleeping_beauty().after("awake").solve("udt")  # one node per path: re-decided
    assert folded.updated_choice == ("pass",)


def test_an_absent_minded_information_set_may_be_observed_before_another():
    # Heads: "a" twice on the path (go, go reaches "b": x 1, y 0; go, stop 1/4; stop 0).
    # Tails: "b" directly (x 1/2, y 0). UDT: (go, x) = 1/2 + 1/4 = 3/4, (go, y) = 0,
    # (stop, x) = 1/4, (stop, y) = 0. Passing "a" then "b" is the event {x, y} (heads, go, go).
    # Continuations x, y: off-event utility 1/4 and 0, so E0 = 0, E1 = max(1/2 + 1/4, 1/2 + 0)
    # = 3/4; updated 3/4 / (3/4) = 1 and 0. Naive: the heads path alone, x 1 and y 0.
    b = Decision("b", {"x": Outcome("x", 1), "y": Outcome("y", 0)})
    inner = Decision("a", {"go": b, "stop": Outcome("stop late", F(1, 4))})
    heads = Decision("a", {"go": inner, "stop": Outcome("stop", 0)})
    tails = Decision("b", {"x": Outcome("tails x", F(1, 2)), "y": Outcome("tails y", 0)})
    p = Problem(Chance({"H": (F(1, 2), heads), "T": (F(1, 2), tails)}, name="coin"))
    with pytest.raises(ValueError, match="'a' has 2 decision nodes"):
        p.after("a").solve("udt")
    for obs in (p.after("a").after("b"), p.after({"a", "b"})):
        assert obs.event == {"x", "y"}
        r = obs.solve("udt")
        assert r.policy == p.policy("a: go, b: x")
        assert r.prior_values == r.raw_values == (F(3, 4), F(0))
        assert r.probability == F(3, 4)
        assert r.updated_values == (F(1), F(0))
        assert r.naive_values == (F(1), F(0))
