"""NIRVANA under its two conventions: expectation, Nirvana-free translation, update."""

import math
import pickle
from fractions import Fraction as F

import ib_reference as ref
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from infrabayes import NIRVANA, AMeasure, Infradistribution, NullUpdateError
from infrabayes.strategies import infradistributions, likelihoods, utilities

X = ("good", "bad", NIRVANA)
SAFE = {"good": 1}
RISKY = {"bad": F(1, 2), NIRVANA: F(1, 2)}
U = {"good": F(3, 4), "bad": 0}


def hypothesis(nirvana):
    return Infradistribution([SAFE, RISKY], outcomes=X, nirvana=nirvana)


def test_expectation_by_hand():
    # inf: RISKY touches Nirvana, so Murphy must take SAFE: 3/4.
    assert hypothesis(math.inf).expect(U) == F(3, 4)
    assert hypothesis(math.inf).murphy_choice(U) == (0,)
    assert hypothesis(math.inf).generator_values(U) == (F(3, 4), math.inf)
    # 1: RISKY is worth 1/2 * 0 + 1/2 * 1 = 1/2 < 3/4, so Murphy takes it.
    assert hypothesis(1).expect(U) == F(1, 2)
    assert hypothesis(1).murphy_choice(U) == (1,)


def test_nirvana_free_by_hand():
    dropped = hypothesis(math.inf).nirvana_free()
    assert dropped.outcomes == ("good", "bad")
    assert list(dropped) == [AMeasure({"good": 1, "bad": 0})]
    booked = hypothesis(1).nirvana_free()
    assert list(booked) == [
        AMeasure({"good": 1, "bad": 0}),
        AMeasure({"good": 0, "bad": F(1, 2)}, F(1, 2)),
    ]
    assert dropped.expect(U) == F(3, 4)
    assert booked.expect(U) == F(1, 2)
    # Moving the mass into b under inf would be wrong: Murphy could then pick RISKY.
    wrong = Infradistribution([SAFE, ({"bad": F(1, 2)}, F(1, 2))], outcomes=("good", "bad"))
    assert wrong.expect(U) != hypothesis(math.inf).expect(U)


def test_all_generators_touch_nirvana():
    h = Infradistribution([RISKY], outcomes=X)
    assert h.expect(U) == math.inf
    assert h.murphy_choice(U) == ()
    with pytest.raises(ValueError, match="every generator reaches Nirvana"):
        h.nirvana_free()
    with pytest.raises(ValueError, match="every generator reaches Nirvana"):
        h.normalize()
    with pytest.raises(NullUpdateError, match="every generator reaches Nirvana"):
        h.update({"good"}, 0)
    assert not h.is_crisp()
    assert not h.is_homogeneous()
    assert len(h.minimal_points()) == 1
    # Under nirvana=1 the same hypothesis is an ordinary one: 1/2 * U(bad) + 1/2 = 1/2.
    assert h.with_nirvana(1).expect(U) == F(1, 2)


def test_utility_may_not_change_nirvanas_value():
    h = hypothesis(1)
    assert h.expect({**U, NIRVANA: 1}) == F(1, 2)  # stating the fixed value is allowed
    with pytest.raises(ValueError, match="Nirvana's utility is fixed"):
        h.expect({**U, NIRVANA: 0})
    with pytest.raises(ValueError, match="Nirvana's utility is fixed"):
        hypothesis(math.inf).expect({**U, NIRVANA: 1})
    # Arrays: per ordinary outcome, or per outcome with the fixed value at NIRVANA.
    assert h.expect([F(3, 4), 0]) == h.expect([F(3, 4), 0, 1]) == F(1, 2)
    with pytest.raises(ValueError, match="Nirvana's utility is fixed"):
        h.expect([F(3, 4), 0, 0])
    with pytest.raises(ValueError, match="probabilities are of sets of ordinary outcomes"):
        h.lower_probability({"good", NIRVANA})
    with pytest.raises(ValueError, match=r"nirvana must be math\.inf"):
        Infradistribution([SAFE], outcomes=X, nirvana=0)


def parfit(epsilon, policy, nirvana):
    """Parfit's Hitchhiker by the Nirvana trick, built by hand (utilities below).

    Outcomes: desert (0), town_pay (9/10: the fare costs 1/10), town_refuse (1). One environment
    per hard-coded prediction; with probability epsilon it acts against its prediction. The
    agent acts only in town; acting against the environment's prediction there gives NIRVANA.
      policy pay:    e_pay    -> (1-eps) town_pay + eps desert
                     e_refuse -> (1-eps) desert   + eps NIRVANA  (taken to town, pays: caught)
      policy refuse: e_pay    -> (1-eps) NIRVANA  + eps desert   (taken to town, refuses: caught)
                     e_refuse -> (1-eps) desert   + eps town_refuse
    """
    outs = ("desert", "town_pay", "town_refuse", NIRVANA)
    if policy == "pay":
        gens = [
            {"town_pay": 1 - epsilon, "desert": epsilon},
            {"desert": 1 - epsilon, NIRVANA: epsilon},
        ]
    else:
        gens = [
            {NIRVANA: 1 - epsilon, "desert": epsilon},
            {"desert": 1 - epsilon, "town_refuse": epsilon},
        ]
    return Infradistribution(gens, outcomes=outs, nirvana=nirvana)


PARFIT_U = {"desert": 0, "town_pay": F(9, 10), "town_refuse": 1}


def test_parfit_noisy_predictor_by_hand():
    eps = F(1, 10)
    # inf: pay -> min(9/10 * 9/10 + 1/10 * 0, inf) = 81/100; refuse -> min(inf, 1/10 * 1) = 1/10.
    assert parfit(eps, "pay", math.inf).expect(PARFIT_U) == F(81, 100)
    assert parfit(eps, "refuse", math.inf).expect(PARFIT_U) == F(1, 10)
    # 1: pay -> min(81/100, 9/10 * 0 + 1/10 * 1) = 1/10; refuse -> min(9/10 + 0, 1/10) = 1/10.
    # Murphy now takes the misprediction that is caught only with probability 1/10: a tie.
    assert parfit(eps, "pay", 1).expect(PARFIT_U) == F(1, 10)
    assert parfit(eps, "refuse", 1).expect(PARFIT_U) == F(1, 10)


def test_parfit_perfect_predictor_by_hand():
    # eps = 0: pay -> min(9/10, 0) = 0 (e_refuse leaves the agent in the desert, never caught);
    # refuse -> min(inf or 1, 0) = 0. Indifferent under either convention: the causal encoding
    # cannot represent the perfect predictor (the misprediction is never visible).
    for nirvana in (math.inf, 1):
        assert parfit(0, "pay", nirvana).expect(PARFIT_U) == 0
        assert parfit(0, "refuse", nirvana).expect(PARFIT_U) == 0


def test_update_keeps_or_drops_touched_generators():
    h = hypothesis(math.inf)
    # Nirvana on the branch (L(N) = 1): RISKY stays, with its Nirvana mass; g = 1/2 off the branch.
    # SAFE -> (delta_good, 0); RISKY -> ((0, 0, 1/2), 1/2 * 1/2 = 1/4). E(0 *g) = 0 (SAFE),
    # E(1 *g) = 1, P = 1; RISKY's b stays 1/4 >= 0, so it is kept.
    on_branch = h.update({"good", NIRVANA}, F(1, 2))
    assert len(on_branch) == 2
    assert on_branch[1] == AMeasure({NIRVANA: F(1, 2)}, F(1, 4), outcomes=X)
    # Nirvana off the branch: RISKY's image has b = +inf (no a-measure) and is dropped.
    off_branch = h.update({"good"}, F(1, 2))
    assert list(off_branch) == [AMeasure({"good": 1}, outcomes=X)]
    # Under nirvana=1 all Nirvana mass is booked into b: RISKY -> ((0, 0, 0), 1/4 + 1/2 = 3/4).
    booked = hypothesis(1).raw_update({"good", NIRVANA}, F(1, 2))
    assert booked[1] == AMeasure({}, F(3, 4), outcomes=X)


@st.composite
def nirvana_case(draw):
    setting = draw(st.sampled_from([math.inf, 1]))
    h = draw(infradistributions(nirvana=setting, max_generators=4))
    likelihood = draw(likelihoods(h.outcomes))
    g = draw(utilities(h.outcomes))
    fs = draw(st.lists(utilities(h.outcomes), min_size=2, max_size=2))
    return h, likelihood, g, fs


@given(nirvana_case())
def test_nirvana_free_preserves_every_expectation(case):
    h, _, _, fs = case
    free = h.nirvana_free()
    assert NIRVANA not in free.outcomes
    for f in fs:
        assert free.expect(f) == h.expect(f) == ref.expect(ref.gens_of(h), f, h.nirvana)


@given(nirvana_case())
def test_touched_generators_never_murphys_choice_under_inf(case):
    h, _, _, fs = case
    h = h.with_nirvana(math.inf)
    for f in fs:
        assert all(h[i].mass(NIRVANA) == 0 for i in h.murphy_choice(f))


@given(nirvana_case())
def test_update_with_nirvana_follows_functional_form(case):
    h, likelihood, g, fs = case
    gens = ref.gens_of(h)
    ordinary = [x for x in h.outcomes if x is not NIRVANA]
    zero, one = ref.const(ordinary, 0), ref.const(ordinary, 1)
    e0 = ref.expect(gens, ref.glue(zero, likelihood, g), h.nirvana)
    p = ref.expect(gens, ref.glue(one, likelihood, g), h.nirvana) - e0
    assume(p != 0)
    post = h.update(likelihood, g)
    assert post.is_normalized()
    for f in fs:
        expected = (ref.expect(gens, ref.glue(f, likelihood, g), h.nirvana) - e0) / p
        assert post.expect(f) == expected
    assert post.nirvana_free().expect(fs[0]) == post.expect(fs[0])


def test_nirvana_is_a_picklable_singleton():
    assert pickle.loads(pickle.dumps(NIRVANA)) is NIRVANA
    assert type(NIRVANA)() is NIRVANA
    assert repr(NIRVANA) == "NIRVANA"
