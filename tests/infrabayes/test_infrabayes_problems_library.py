"""The library's problems under every theory: values derived by hand, and the literature's verdicts.

Conventions (see infrabayes.problems.theories): UDT = expected utility of the policy when the
predictors read it; IB causal = min over hard-coded predictions p of E[U] under e_p, where acting
against p at a predicted information set gives NIRVANA (worth inf, or 1); IB acausal = UDT; CDT and
EDT = the ratifiable policies, the prediction held at the agent's policy (CDT) or read from the act
(EDT), zero-probability observations by the limit of trembles.
"""

import math
from fractions import Fraction as F

import pytest

from infrabayes.problems import (
    counterfactual_mugging,
    death_in_damascus,
    newcomb,
    parfits_hitchhiker,
    smoking_lesion,
    transparent_newcomb,
    xor_blackmail,
)


def values(sol):
    return {str(p): sol.value_of(p) for p in sol.policies}


def chosen(sol):
    return {str(p) for p in sol.optimal}


# ---------------------------------------------------------------------------------------------
# Parfit's Hitchhiker. Utilities: desert 0, (town, refuse) 1, (town, pay) 1 - c, c = 1/1000.
# The driver reads "town": predicts pay -> town; predicts refuse -> desert.
# ---------------------------------------------------------------------------------------------


def test_parfit_perfect_driver_by_hand():
    p = parfits_hitchhiker()
    # UDT: pay -> town, pays: 999/1000; refuse -> desert: 0.
    assert values(p.solve("udt")) == {"pay": F(999, 1000), "refuse": 0}
    assert values(p.solve("ib", encoding="acausal")) == {"pay": F(999, 1000), "refuse": 0}
    # IB causal, nirvana inf. pay: e_pay . pay = town, pay (999/1000); e_refuse . pay = desert (0):
    # the agent never reaches town under e_refuse, so its disposition to pay is never seen and
    # nothing is refuted. min = 0, Murphy predicts refuse.
    # refuse: e_pay . refuse = town, refuses against the prediction: NIRVANA (excluded);
    # e_refuse . refuse = desert (0). min = 0.
    ib = p.solve("ib")
    assert values(ib) == {"pay": 0, "refuse": 0}
    assert chosen(ib) == {"pay", "refuse"}  # the causal encoding fails: indifferent
    assert ib.murphy_of("pay") == ({"town": "refuse"},)
    assert ib.murphy_of("refuse") == ({"town": "refuse"},)
    # nirvana = 1: pay -> min(999/1000, 0) = 0; refuse -> min(1 (all Nirvana), 0) = 0.
    assert values(p.solve("ib", 1)) == {"pay": 0, "refuse": 0}
    # CDT: in town the prediction (pay: he took you) is held fixed: pay 999/1000 < refuse 1, for
    # either belief sigma (under sigma = refuse, town is reached by the tremble limit).
    for theory in ("cdt", "edt"):
        sol = p.solve(theory)
        for sigma in ("pay", "refuse"):
            assert sol.action_values_of(sigma) == {"town": {"pay": F(999, 1000), "refuse": 1}}
        assert chosen(sol) == {"refuse"}
        assert sol.expected_utility_of("refuse") == 0


def test_parfit_noisy_driver_by_hand():
    p = parfits_hitchhiker(epsilon=F(1, 10))
    # UDT: pay -> 9/10 town (999/1000) + 1/10 desert = 8991/10000; refuse -> 1/10 town (1).
    assert values(p.solve("udt")) == {"pay": F(8991, 10000), "refuse": F(1, 10)}
    # IB causal inf: pay: e_refuse . pay reaches town w.p. 1/10 and pays against "refuse": Nirvana
    # with positive probability, so Murphy must take e_pay: 8991/10000. refuse: e_pay . refuse
    # refuses in town w.p. 9/10: excluded; e_refuse . refuse = 1/10 * 1 = 1/10.
    ib = p.solve("ib")
    assert values(ib) == {"pay": F(8991, 10000), "refuse": F(1, 10)}
    assert chosen(ib) == {"pay"}
    # nirvana = 1: pay -> min(8991/10000, 9/10 * 0 + 1/10 * 1) = 1/10;
    #              refuse -> min(9/10 * 1 + 1/10 * 0, 1/10 * 1) = 1/10: a tie, the trick fails.
    one = p.solve("ib", 1)
    assert values(one) == {"pay": F(1, 10), "refuse": F(1, 10)}
    assert chosen(one) == {"pay", "refuse"}
    assert one.murphy_of("pay") == ({"town": "refuse"},)
    # CDT/EDT: given town, the driver predicted pay; refusing gets 1 > 999/1000.
    assert chosen(p.solve("cdt")) == chosen(p.solve("edt")) == {"refuse"}


def test_parfit_float_parameters_give_floats():
    p = parfits_hitchhiker(epsilon=0.1, cost=0.001)
    assert not p.exact
    v = p.solve("ib").value_of("pay")
    assert isinstance(v, float)
    assert math.isclose(v, 0.8991, rel_tol=1e-12)
    assert chosen(p.solve("ib")) == {"pay"}


# ---------------------------------------------------------------------------------------------
# Newcomb. Dollars / 1,001,000: (B full, one-box) 1000/1001, (B full, two-box) 1,
# (B empty, one-box) 0, (B empty, two-box) 1/1001.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("eps", "one", "two"),
    [
        # one-box: (1 - e) 1000/1001; two-box: (1 - e)/1001 + e.
        (0, F(1000, 1001), F(1, 1001)),
        # e = 1/10: 9/10 * 1000/1001 = 900/1001; 9/10010 + 1/10 = 1010/10010 = 101/1001.
        (F(1, 10), F(900, 1001), F(101, 1001)),
    ],
)
def test_newcomb_by_hand(eps, one, two):
    p = newcomb(epsilon=eps)
    expected = {"one-box": one, "two-box": two}
    assert values(p.solve("udt")) == expected
    # The choice is made in both box states, so any misprediction is visible: Murphy is left with
    # the true prediction (inf), and a refuted environment is worth 1 >= these values (nirvana 1).
    assert values(p.solve("ib")) == expected
    assert values(p.solve("ib", 1)) == expected
    assert chosen(p.solve("ib")) == {"one-box"}
    # CDT with belief sigma = two-box (prediction two-box w.p. 1 - e): one-box e * 1000/1001,
    # two-box e + (1 - e)/1001: two-box is better by 1/1001 whatever the belief.
    cdt = p.solve("cdt")
    av = cdt.action_values_of("two-box")["choose"]
    assert av["two-box"] - av["one-box"] == F(1, 1001)
    assert chosen(cdt) == {"two-box"}
    # EDT: the act is evidence of the prediction: one-box (1 - e) 1000/1001 vs two-box as UDT.
    assert p.solve("edt").action_values_of("one-box")["choose"] == expected
    assert chosen(p.solve("edt")) == {"one-box"}


# ---------------------------------------------------------------------------------------------
# Transparent Newcomb: Omega reads "full"; predicts one-box -> B full (infoset "full"),
# predicts two-box -> B empty (infoset "empty"). Same utilities as Newcomb.
# ---------------------------------------------------------------------------------------------


def test_transparent_newcomb_perfect_by_hand():
    p = transparent_newcomb()
    # UDT(f, e): f = one-box -> full -> 1000/1001; f = two-box -> empty -> e.
    assert values(p.solve("udt")) == {
        "full: one-box, empty: one-box": F(1000, 1001),
        "full: one-box, empty: two-box": F(1000, 1001),
        "full: two-box, empty: one-box": 0,
        "full: two-box, empty: two-box": F(1, 1001),
    }
    # IB causal: e_two-box . (f, e) = empty, e (not predicted: no Nirvana; the box is never seen
    # full, so one-boxing on full is never shown): 0 or 1/1001. e_one-box . (one-box, e) =
    # 1000/1001; e_one-box . (two-box, e) = Nirvana. Murphy: min over the unrefuted ones.
    ib = p.solve("ib")
    assert values(ib) == {
        "full: one-box, empty: one-box": 0,
        "full: one-box, empty: two-box": F(1, 1001),
        "full: two-box, empty: one-box": 0,
        "full: two-box, empty: two-box": F(1, 1001),
    }
    assert chosen(ib) == {"full: one-box, empty: two-box", "full: two-box, empty: two-box"}
    assert chosen(p.solve("ib", encoding="acausal")) == {
        "full: one-box, empty: one-box",
        "full: one-box, empty: two-box",
    }
    # CDT/EDT on full: 1 (two-box) > 1000/1001 (EDT: two-boxing makes "full" an error of order
    # t, where it still pays 1); on empty: 1/1001 > 0. Both two-box everywhere.
    for theory in ("cdt", "edt"):
        sol = p.solve(theory)
        av = sol.action_values_of("full: one-box, empty: two-box")
        assert av == {
            "full": {"one-box": F(1000, 1001), "two-box": 1},
            "empty": {"one-box": 0, "two-box": F(1, 1001)},
        }
        assert chosen(sol) == {"full: two-box, empty: two-box"}


def test_transparent_newcomb_noisy_by_hand():
    p = transparent_newcomb(epsilon=F(1, 10))
    # UDT: (one, one) 9/10 * 1000/1001 = 900/1001; (one, two) 9000/10010 + 1/10010 = 9001/10010;
    # (two, one) 1/10 * 1 = 1/10; (two, two) 9/10 * 1/1001 + 1/10 = 101/1001.
    expected = {
        "full: one-box, empty: one-box": F(900, 1001),
        "full: one-box, empty: two-box": F(9001, 10010),
        "full: two-box, empty: one-box": F(1, 10),
        "full: two-box, empty: two-box": F(101, 1001),
    }
    assert values(p.solve("udt")) == expected
    # IB causal inf: with e = 1/10 every environment but the true one is refuted with positive
    # probability (Omega's error shows you the other box state), so IB = UDT: one-box on full.
    assert values(p.solve("ib")) == expected
    assert chosen(p.solve("ib")) == {"full: one-box, empty: two-box"}
    # nirvana = 1: (one, two) -> min(9001/10010, e_two: 9/10 * 1/1001 + 1/10 * 1 = 101/1001);
    # (two, two) -> min(e_one: 9/10 + 1/10010, 101/1001) = 101/1001: a tie, the trick fails.
    one = p.solve("ib", 1)
    assert one.value_of("full: one-box, empty: two-box") == F(101, 1001)
    assert chosen(one) == {"full: one-box, empty: two-box", "full: two-box, empty: two-box"}


# ---------------------------------------------------------------------------------------------
# Counterfactual Mugging. Dollars (x + 100) / 10,100: rewarded 1, not rewarded 1/101,
# tails paid 0, tails refused 1/101. Fair coin; Omega reads "tails" on heads.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("eps", "pay", "refuse"),
    [
        # pay: 1/2 * 1 + 1/2 * 0; refuse: 1/2 * 1/101 + 1/2 * 1/101.
        (0, F(1, 2), F(1, 101)),
        # pay: 1/2 (9/10 + 1/1010) = 1/2 * 910/1010 = 91/202;
        # refuse: 1/2 (9/1010 + 1/10) + 1/202 = 55/1010 + 5/1010 = 6/101.
        (F(1, 10), F(91, 202), F(6, 101)),
    ],
)
def test_counterfactual_mugging_by_hand(eps, pay, refuse):
    p = counterfactual_mugging(epsilon=eps)
    expected = {"pay": pay, "refuse": refuse}
    for sol in (p.solve("udt"), p.solve("ib"), p.solve("ib", 1), p.solve("ib", encoding="acausal")):
        assert values(sol) == expected  # tails is seen w.p. 1/2: every misprediction is refuted
        assert chosen(sol) == {"pay"}
    # CDT and EDT decide after tails: pay 0 < refuse 1/101.
    for theory in ("cdt", "edt"):
        assert p.solve(theory).action_values_of("pay") == {"tails": {"pay": 0, "refuse": F(1, 101)}}
        assert chosen(p.solve(theory)) == {"refuse"}


# ---------------------------------------------------------------------------------------------
# XOR Blackmail. Dollars (x + 1,001,000) / 1,001,000: (termites, no letter) 1/1001,
# (termites, letter, pay) 0, (termites, letter, refuse) 1/1001, (no termites, letter, pay)
# 1000/1001, (no termites, letter, refuse) 1, (no termites, no letter) 1. Termites w.p. 1/2.
# ---------------------------------------------------------------------------------------------


def test_xor_blackmail_by_hand():
    p = xor_blackmail()
    # pay: termites -> no letter (1/1001); no termites -> letter, pay (1000/1001): 1/2.
    # refuse: termites -> letter, refuse (1/1001); no termites -> no letter (1): 501/1001.
    expected = {"pay": F(1, 2), "refuse": F(501, 1001)}
    for sol in (p.solve("udt"), p.solve("ib"), p.solve("ib", 1)):
        assert values(sol) == expected
        assert chosen(sol) == {"refuse"}
    # CDT: sigma = pay -> the letter means no termites: pay 1000/1001 < refuse 1 (not ratifiable);
    # sigma = refuse -> the letter means termites: pay 0 < refuse 1/1001 (ratifiable).
    cdt = p.solve("cdt")
    assert cdt.action_values_of("pay") == {"letter": {"pay": F(1000, 1001), "refuse": 1}}
    assert cdt.action_values_of("refuse") == {"letter": {"pay": 0, "refuse": F(1, 1001)}}
    assert chosen(cdt) == {"refuse"}
    # EDT: paying is evidence of no termites (1000/1001), refusing of termites (1/1001): pays.
    edt = p.solve("edt")
    assert edt.action_values_of("refuse") == {
        "letter": {"pay": F(1000, 1001), "refuse": F(1, 1001)}
    }
    assert chosen(edt) == {"pay"}


# ---------------------------------------------------------------------------------------------
# Death in Damascus: Death reads "warned" and waits where he predicts.
# ---------------------------------------------------------------------------------------------


def test_death_in_damascus_by_hand():
    p = death_in_damascus()
    # Without a fee: survive 1, die 0. Each policy meets Death (prediction = policy): 0.
    for sol in (p.solve("udt"), p.solve("ib"), p.solve("ib", 1), p.solve("edt")):
        assert chosen(sol) == {"stay", "flee"}
    assert values(p.solve("ib")) == {"stay": 0, "flee": 0}
    # CDT: believing stay, Death is in Damascus: flee 1 > stay 0; believing flee: stay 1 > 0.
    cdt = p.solve("cdt")
    assert cdt.action_values_of("stay") == {"warned": {"stay": 0, "flee": 1}}
    assert cdt.action_values_of("flee") == {"warned": {"stay": 1, "flee": 0}}
    assert cdt.optimal == ()
    assert cdt.status == "no ratifiable policy"
    assert cdt.value is None

    fee = death_in_damascus(fee=1000)
    # Dollars (x + 1000) / 1,001,000: stay & die 1/1001, flee & live 1000/1001, stay & live 1,
    # flee & die 0. UDT/IB/EDT: stay 1/1001 > flee 0.
    for sol in (fee.solve("udt"), fee.solve("ib"), fee.solve("edt")):
        assert chosen(sol) == {"stay"}
    assert values(fee.solve("ib")) == {"stay": F(1, 1001), "flee": 0}
    assert fee.solve("cdt").optimal == ()


def test_death_in_damascus_mixed_policy():
    # Murphy moves once, after the mixed policy 1/2 stay + 1/2 flee. With nirvana = 1:
    # e_stay: 1/2 * u(stay, die) + 1/2 * Nirvana(1) = 1/2; e_flee likewise 1/2 -> min = 1/2.
    # Letting Murphy answer each action separately gives 1/2 min(0, 1) + 1/2 min(1, 0) = 0.
    from infrabayes import mixture

    p = death_in_damascus()
    half = {"stay": F(1, 2), "flee": F(1, 2)}
    assert p.mixed_value(half, nirvana=1) == F(1, 2)
    separate = mixture(
        [p.hypothesis("stay", nirvana=1), p.hypothesis("flee", nirvana=1)], [F(1, 2)] * 2
    )
    assert separate.expect(dict(p.utilities)) == 0
    # nirvana = inf: every hard-coded prediction is refuted with probability 1/2: no environment
    # is left to Murphy (the Nirvana trick presumes deterministic policies).
    assert p.mixed_value(half) == math.inf
    # Acausal (the predictor reads the drawn policy): 1/2 * 0 + 1/2 * 0.
    assert p.mixed_value(half, encoding="acausal") == 0


# ---------------------------------------------------------------------------------------------
# Smoking Lesion. Dollars (x + 1,000,000) / 1,001,000: (lesion, smoke) 1/1001, (lesion, refrain)
# 0, (no lesion, smoke) 1, (no lesion, refrain) 1000/1001. Base rate of the lesion 1/2.
# ---------------------------------------------------------------------------------------------


def test_smoking_lesion_by_hand():
    p = smoking_lesion()
    # UDT/IB: the lesion ignores the policy: smoke 1/2 (1/1001 + 1) = 501/1001,
    # refrain 1/2 (0 + 1000/1001) = 500/1001.
    for sol in (p.solve("udt"), p.solve("ib"), p.solve("ib", 1), p.solve("ib", encoding="acausal")):
        assert values(sol) == {"smoke": F(501, 1001), "refrain": F(500, 1001)}
        assert chosen(sol) == {"smoke"}
    # CDT: the lesion is held at the belief; smoking adds 1/1001 either way.
    cdt = p.solve("cdt")
    assert cdt.action_values_of("smoke") == {"choose": {"smoke": F(1, 1001), "refrain": 0}}
    assert cdt.action_values_of("refrain") == {"choose": {"smoke": 1, "refrain": F(1000, 1001)}}
    assert chosen(cdt) == {"smoke"}
    # EDT: smoking is evidence of the lesion: 1/1001 vs refraining 1000/1001.
    assert chosen(p.solve("edt")) == {"refrain"}
    # e = 1/10: smoke 9/10 * 1/1001 + 1/10 = 101/1001; refrain 9/10 * 1000/1001 = 900/1001.
    noisy = smoking_lesion(epsilon=F(1, 10)).solve("edt")
    assert noisy.action_values_of("smoke") == {
        "choose": {"smoke": F(101, 1001), "refrain": F(900, 1001)}
    }


# ---------------------------------------------------------------------------------------------
# The literature's verdicts (settled ones), with a near-perfect predictor (e = 1/100).
# ---------------------------------------------------------------------------------------------

EPS = F(1, 100)
VERDICTS = [
    # Yudkowsky & Soares, "Functional Decision Theory", arXiv:1710.05060 (2018), section 2;
    # Arbital, "Newcomb's Problem": CDT two-boxes, EDT and FDT one-box.
    (newcomb, "cdt", {"two-box"}),
    (newcomb, "edt", {"one-box"}),
    (newcomb, "udt", {"one-box"}),
    # FDT paper section 4; Arbital, "Parfit's Hitchhiker": CDT and EDT refuse in town (and so die
    # in the desert), FDT pays.
    (parfits_hitchhiker, "cdt", {"refuse"}),
    (parfits_hitchhiker, "edt", {"refuse"}),
    (parfits_hitchhiker, "udt", {"pay"}),
    # Arbital, "Transparent Newcomb's Problem": CDT and EDT two-box on seeing B full; FDT one-boxes.
    (transparent_newcomb, "cdt", {"full: two-box, empty: two-box"}),
    (transparent_newcomb, "edt", {"full: two-box, empty: two-box"}),
    (transparent_newcomb, "udt", {"full: one-box, empty: two-box"}),
    # Nesov, "Counterfactual Mugging" (LessWrong, 2009) and the LessWrong tag page: UDT pays,
    # CDT and EDT refuse.
    (counterfactual_mugging, "cdt", {"refuse"}),
    (counterfactual_mugging, "edt", {"refuse"}),
    (counterfactual_mugging, "udt", {"pay"}),
    # FDT paper section 6 (XOR blackmail, quoted by Stampy): EDT pays; CDT and FDT refuse.
    (xor_blackmail, "cdt", {"refuse"}),
    (xor_blackmail, "edt", {"pay"}),
    (xor_blackmail, "udt", {"refuse"}),
    # FDT paper section 2: EDT refrains; CDT and FDT smoke.
    (smoking_lesion, "cdt", {"smoke"}),
    (smoking_lesion, "edt", {"refrain"}),
    (smoking_lesion, "udt", {"smoke"}),
]


@pytest.mark.parametrize(("make", "theory", "verdict"), VERDICTS)
def test_literature_verdicts(make, theory, verdict):
    assert chosen(make(epsilon=EPS).solve(theory)) == verdict


def test_death_in_damascus_verdicts():
    # FDT paper section 6; Arbital, "Death in Damascus": CDT has no stable choice (whichever it
    # leans to, the other looks better); with a cost of fleeing, EDT and FDT stay.
    p = death_in_damascus(epsilon=EPS, fee=1000)
    assert p.solve("cdt").optimal == ()
    assert chosen(p.solve("edt")) == chosen(p.solve("udt")) == {"stay"}


@pytest.mark.parametrize(
    "make",
    [
        newcomb,
        counterfactual_mugging,
        xor_blackmail,
        smoking_lesion,
        parfits_hitchhiker,
        transparent_newcomb,
    ],
)
def test_ib_with_noisy_predictor_and_infinite_nirvana_agrees_with_udt(make):
    # IB "naturally leads to an implementation of UDT" (Infra-Bayesianism sequence, introduction):
    # with an erring predictor every misprediction is visible, so the causal hypothesis picks
    # UDT's policies.
    p = make(epsilon=EPS)
    assert p.solve("ib").optimal == p.solve("udt").optimal
