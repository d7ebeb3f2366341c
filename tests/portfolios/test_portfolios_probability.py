"""Exact probabilities: worked examples by hand, agreement of the four methods, invariants."""

import copy
import math
import warnings
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from portfolios import CancellationWarning, MonteCarloEstimate, Portfolio
from portfolios.probability import (
    MAX_ENUMERATE_EVENTS,
    MAX_EXACT_CELLS,
    MAX_INCLUSION_EXCLUSION_TARGETS,
    clopper_pearson_interval,
    wilson_interval,
)
from portfolios.strategies import portfolio_dicts

EXACT_TOL = 1e-12  # the exact methods differ by rounding only


def _p(**assumptions):
    return {k: {"statement": k, "p_fail": v} for k, v in assumptions.items()}


def _case(assumptions=(), covers=("S",), **extra):
    return {"statement": "c", "assumptions": list(assumptions), "covers": list(covers), **extra}


SHARED = {
    "assumptions": _p(A=0.1, B=0.2, C=0.3),
    "cases": {"X": _case(["A", "B"]), "Y": _case(["A", "C"])},
    "scenarios": {"S": {"statement": "s"}},
}


def test_shared_assumption_by_hand():
    # X fails iff A or B; Y iff A or C.  P(X) = 1 - 9/10 * 8/10 = 28/100, P(Y) = 37/100,
    # P(X and Y) = P(A) + P(not A) P(B) P(C) = 1/10 + 9/10 * 2/10 * 3/10 = 154/1000.
    P = Portfolio.from_dict(SHARED)
    assert P.case_failure("X") == pytest.approx(float(F(28, 100)), abs=EXACT_TOL)
    assert P.case_failure("Y") == pytest.approx(float(F(37, 100)), abs=EXACT_TOL)
    for method in ("exact", "inclusion-exclusion", "enumerate"):
        assert P.p_unprotected("S", method=method) == pytest.approx(0.154, abs=EXACT_TOL)


def test_latent_variable_by_hand(two_on_one_latent):
    # W fails w.p. 3/10.  A: 1/10 if W holds, 1/2 if it fails; B: 2/10 and 6/10.
    # P(both) = 7/10 * 1/10 * 2/10 + 3/10 * 1/2 * 6/10 = 14/1000 + 90/1000 = 104/1000.
    # P(A) = 7/100 + 15/100 = 22/100; P(B) = 14/100 + 18/100 = 32/100.
    P = two_on_one_latent(0.3, (0.1, 0.5), (0.2, 0.6))
    for method in ("exact", "inclusion-exclusion", "enumerate"):
        assert P.p_unprotected("S", method=method) == pytest.approx(0.104, abs=EXACT_TOL)
    assert P.assumption_failure("A") == pytest.approx(0.22, abs=EXACT_TOL)
    assert P.case_failure("Y") == pytest.approx(0.32, abs=EXACT_TOL)


def test_requirements_and_cases_resting_on_cases_by_hand():
    # B requires A: B fails iff A or B's own failure.  X rests on B, eps_X = 1/10.
    # Y rests on case X and on C, eps_Y = 2/10.
    # P(X holds) = 9/10 * 8/10 * 9/10 = 648/1000;
    # P(Y holds) = 648/1000 * 7/10 * 8/10 = 36288/100000.
    # Y fails whenever X fails, so P(X and Y fail) = P(X fails) = 352/1000.
    P = Portfolio.from_dict(
        {
            "assumptions": {
                "A": {"statement": "a", "p_fail": 0.1},
                "B": {"statement": "b", "p_fail": 0.2, "requires": ["A"]},
                "C": {"statement": "c", "p_fail": 0.3},
            },
            "cases": {
                "X": _case(["B"], soundness_error=0.1),
                "Y": _case(["C"], rests_on=["X"], soundness_error=0.2),
            },
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    assert P.assumption_failure("B") == pytest.approx(1 - 0.72, abs=EXACT_TOL)
    assert P.case_failure("X") == pytest.approx(0.352, abs=EXACT_TOL)
    assert P.case_failure("Y") == pytest.approx(1 - 0.36288, abs=EXACT_TOL)
    for method in ("exact", "inclusion-exclusion", "enumerate"):
        assert P.p_unprotected("S", method=method) == pytest.approx(0.352, abs=EXACT_TOL)


def test_negative_dependence_can_make_joint_failure_impossible(two_on_one_latent):
    # A fails exactly when W fails, B exactly when W holds: they never fail together.
    P = two_on_one_latent(0.4, (0.0, 1.0), (1.0, 0.0))
    for method in ("exact", "inclusion-exclusion", "enumerate"):
        assert P.p_unprotected("S", method=method) == 0.0
    assert P.case_failure("X") == pytest.approx(0.4)
    assert P.case_failure("Y") == pytest.approx(0.6)


def _rare_portfolio(k, q_shared, q_private):
    assumptions = {"SH": {"statement": "shared", "p_fail": q_shared}}
    cases = {}
    for i in range(k):
        assumptions[f"P{i}"] = {"statement": "private", "p_fail": q_private}
        cases[f"C{i}"] = _case(["SH", f"P{i}"])
    return Portfolio.from_dict(
        {"assumptions": assumptions, "cases": cases, "scenarios": {"S": {"statement": "s"}}}
    )


def test_exact_keeps_relative_accuracy_for_rare_events():
    # 16 cases share SH (q = 1e-12) and each has a private assumption (q = 1e-3):
    # P(U) = q_sh + (1 - q_sh) * q_p^16, computed here in exact rational arithmetic.
    k, q_sh, q_p = 16, F(1, 10**12), F(1, 1000)
    expected = q_sh + (1 - q_sh) * q_p**k
    P = _rare_portfolio(k, float(q_sh), float(q_p))
    got = P.p_unprotected("S")
    assert got == pytest.approx(float(expected), rel=1e-12)
    # Without the shared assumption: P(U) = 1e-48, far below the terms of inclusion-exclusion.
    P0 = _rare_portfolio(k, 0.0, float(q_p))
    assert P0.p_unprotected("S") == pytest.approx(1e-48, rel=1e-12)


def test_two_methods_differ_by_cancellation_only():
    # Inclusion-exclusion over 16 cases sums 65,536 terms of size ~1: its absolute error is
    # around 1e-14 while the answer is 1e-48.  The exact method has no such floor.
    P0 = _rare_portfolio(16, 0.0, 1e-3)
    with pytest.warns(CancellationWarning, match="method='exact'"):
        ie = P0.p_unprotected("S", method="inclusion-exclusion")
    assert abs(ie - 1e-48) < 1e-12
    assert P0.p_unprotected("S") == pytest.approx(1e-48, rel=1e-12)


@pytest.mark.parametrize("p_w", [0.1, 0.7])
def test_inclusion_exclusion_warns_when_cancellation_eats_the_digits(p_w):
    # issue 12, R11: two cases on assumptions failing w.p. h or 2h / 3h (W holds / fails),
    # h = 1e-15: P(U) = (1 - p_w) h^2 + p_w 6 h^2 ~ 1e-30, by Fractions. Inclusion-exclusion
    # returned 0 or 5.6e-17 silently; it now says that the digits are gone.
    h = F(10) ** -15
    d = {
        "latent": {"W": {"statement": "w", "p_fail": p_w}},
        "assumptions": {
            "A": {"statement": "a", "p_fail": {"W": {"holds": float(h), "fails": float(2 * h)}}},
            "B": {"statement": "b", "p_fail": {"W": {"holds": float(h), "fails": float(3 * h)}}},
        },
        "cases": {
            "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
            "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]},
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    P = Portfolio.from_dict(d)
    w = F(p_w)
    expected = (1 - w) * F(float(h)) ** 2 + w * F(float(2 * h)) * F(float(3 * h))
    assert P.p_unprotected("S") == pytest.approx(float(expected), rel=1e-12)
    with pytest.warns(CancellationWarning) as record:
        ie = P.p_unprotected("S", method="inclusion-exclusion")
    assert record[0].message.lost_digits > 14
    assert "significant digits were lost" in str(record[0].message)
    assert ie != pytest.approx(float(expected), rel=0.5, abs=0.0)  # the warning is earned


def test_inclusion_exclusion_does_not_warn_for_an_exact_zero_or_an_accurate_sum():
    import warnings

    d = {
        "assumptions": {
            "A": {"statement": "a", "p_fail": 0.0},
            "B": {"statement": "b", "p_fail": 0.5},
        },
        "cases": {
            "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
            "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]},
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Portfolio.from_dict(d).p_unprotected("S", method="inclusion-exclusion") == 0.0
        d["assumptions"]["A"]["p_fail"] = 0.25
        p = Portfolio.from_dict(d).p_unprotected("S", method="inclusion-exclusion")
    assert p == 0.125


# Found by hypothesis: P(U) = 1 - 8e-6 and 3999 hits in 4000; the Wilson interval at
# 1 - 1e-7 ended at P(U) minus rounding (it covers such p about 97% of the time).
NEAR_ONE = {
    "cases": {
        "C0": {
            "statement": "c0",
            "soundness_error": 0.99999,
            "assumptions": ["A1"],
            "covers": ["S0"],
        }
    },
    "scenarios": {"S0": {"statement": "s0"}},
    "latent": {"W0": {"statement": "w0", "p_fail": 0.0}},
    "assumptions": {
        "A1": {"statement": "a1", "p_fail": {"W0": {"holds": 0.2, "fails": 0.0}}},
    },
}


@settings(max_examples=60)
@given(portfolio_dicts(), st.integers(0, 2**32 - 1))
@example(NEAR_ONE, 0)
def test_methods_agree_on_random_portfolios(d, seed):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        exact = P.p_unprotected(s)
        assert 0.0 <= exact <= 1.0
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CancellationWarning)
            ie = P.p_unprotected(s, method="inclusion-exclusion")
        assert ie == pytest.approx(exact, abs=EXACT_TOL)
        if not caught:  # no warning: most digits are left
            assert ie == pytest.approx(exact, rel=1e-6)
        assert P.p_unprotected(s, method="enumerate") == pytest.approx(exact, abs=EXACT_TOL)
        mc = P.p_unprotected(s, method="montecarlo", n_samples=4000, rng=seed, level=1 - 1e-7)
        assert exact in mc.interval
    for c in P.cases:
        assert P.case_failure(c) == pytest.approx(P.case_failure(c, method="enumerate"), abs=1e-12)


@settings(max_examples=40)
@given(portfolio_dicts(), st.data())
def test_adding_a_case_never_raises_p_unprotected(d, data):
    P = Portfolio.from_dict(d)
    before = {s: P.p_unprotected(s) for s in P.scenarios}
    d2 = copy.deepcopy(d)
    names = list(d.get("assumptions", {}))
    new = {
        "statement": "new",
        "assumptions": data.draw(st.lists(st.sampled_from(names), unique=True)) if names else [],
        "soundness_error": data.draw(st.floats(0, 1)),
        "covers": data.draw(st.lists(st.sampled_from(list(P.scenarios)), min_size=1, unique=True)),
    }
    if data.draw(st.booleans()):
        new["rests_on"] = [data.draw(st.sampled_from(list(P.cases)))]
    d2["cases"]["NEW"] = new
    P2 = Portfolio.from_dict(d2)
    for s in P.scenarios:
        assert P2.p_unprotected(s) <= before[s] + EXACT_TOL


@settings(max_examples=40)
@given(portfolio_dicts())
def test_p_unprotected_bounded_by_every_covering_case(d):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        p = P.p_unprotected(s)
        for c in P.covering_cases(s):
            assert p <= P.case_failure(c) + EXACT_TOL


@settings(max_examples=30)
@given(portfolio_dicts(max_latent=0, requirements=False, case_dependencies=False))
def test_relabelling_leaves_probabilities_unchanged(d):
    # Reverse the order of the cases (and so of the targets): same probabilities.
    P = Portfolio.from_dict(d)
    d2 = copy.deepcopy(d)
    d2["cases"] = dict(reversed(list(d["cases"].items())))
    P2 = Portfolio.from_dict(d2)
    for s in P.scenarios:
        assert P2.p_unprotected(s) == pytest.approx(P.p_unprotected(s), abs=EXACT_TOL)


def test_montecarlo_estimate_object_and_reproducibility():
    P = Portfolio.from_dict(SHARED)
    a = P.p_unprotected("S", method="montecarlo", n_samples=50_000, rng=7)
    b = P.p_unprotected("S", method="montecarlo", n_samples=50_000, rng=np.random.default_rng(7))
    assert isinstance(a, MonteCarloEstimate)
    assert a == b
    assert float(a) == a.value == a.n_hits / 50_000
    assert a.interval.low <= a.value <= a.interval.high
    assert a.interval.level == 0.95
    assert "MonteCarloEstimate(value=" in repr(a)


def test_wilson_interval_matches_the_formula():
    # 30 hits in 100, 95 %: centre (0.3 + z^2/200) / (1 + z^2/100), z = 1.959964.
    z = 1.959963984540054
    centre = (0.3 + z * z / 200) / (1 + z * z / 100)
    half = z * math.sqrt(0.3 * 0.7 / 100 + z * z / 40000) / (1 + z * z / 100)
    ci = wilson_interval(30, 100, 0.95)
    assert ci.low == pytest.approx(centre - half, rel=1e-12)
    assert ci.high == pytest.approx(centre + half, rel=1e-12)


def _binomial_pmf(n, p):
    if p in (0.0, 1.0):
        return [float(k == round(n * p)) for k in range(n + 1)]
    log_p, log_q = math.log(p), math.log1p(-p)
    return [
        math.exp(
            math.lgamma(n + 1)
            - math.lgamma(k + 1)
            - math.lgamma(n - k + 1)
            + k * log_p
            + (n - k) * log_q
        )
        for k in range(n + 1)
    ]


def _coverage(interval, n, p, level):
    """P(p in interval(X, n, level)), X ~ Binomial(n, p), summed exactly over the outcomes."""
    pmf = _binomial_pmf(n, p)
    return sum(w for k, w in enumerate(pmf) if p in interval(k, n, level))


@settings(max_examples=200)
@given(
    st.integers(1, 60),
    st.floats(0.0, 1.0),
    st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 1 - 1e-4]),
)
def test_clopper_pearson_covers_at_least_its_level(n, p, level):
    # The guarantee, checked by brute force over every outcome of n trials.
    assert _coverage(clopper_pearson_interval, n, p, level) >= level - 1e-9


def test_clopper_pearson_closed_forms():
    # hits = 0: high solves (1 - p)^n = a/2; hits = n: low solves p^n = a/2.
    for n in (1, 7, 100):
        ci = clopper_pearson_interval(0, n, 0.9)
        assert ci.low == 0.0 and ci.high == pytest.approx(1 - 0.05 ** (1 / n), rel=1e-12)
        ci = clopper_pearson_interval(n, n, 0.9)
        assert ci.high == 1.0 and ci.low == pytest.approx(0.05 ** (1 / n), rel=1e-12)
    # 1 hit in 2 trials at 50%: low solves 1 - (1 - p)^2 = 1/4, high solves 1 - p^2 = 1/4.
    ci = clopper_pearson_interval(1, 2, 0.5)
    assert ci.low == pytest.approx(1 - math.sqrt(3 / 4), rel=1e-12)
    assert ci.high == pytest.approx(math.sqrt(3 / 4), rel=1e-12)
    assert ci.method == "clopper-pearson"
    with pytest.raises(ValueError, match="hits"):
        clopper_pearson_interval(5, 4, 0.95)
    with pytest.raises(ValueError, match="level"):
        clopper_pearson_interval(1, 4, 1.0)


def test_wilson_undercovers_near_one_where_clopper_pearson_does_not():
    # Why the estimators use Clopper-Pearson: the example hypothesis found.
    n, p, level = 4000, 1 - 8e-6, 1 - 1e-7
    assert _coverage(wilson_interval, n, p, level) < 0.99
    assert _coverage(clopper_pearson_interval, n, p, level) >= level


def test_enumerate_refuses_too_many_events():
    n = MAX_ENUMERATE_EVENTS  # n assumptions + 1 soundness error = n + 1 events
    P = Portfolio.from_dict(
        {
            "assumptions": _p(**{f"A{i}": 0.1 for i in range(n)}),
            "cases": {"X": _case([f"A{i}" for i in range(n)])},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    with pytest.raises(ValueError, match=r"enumerate: 23 events .* at most 22 events"):
        P.p_unprotected("S", method="enumerate")
    assert P.p_unprotected("S") == pytest.approx(1 - 0.9**n)


def _chain_probability(k):
    """P(every C_i = A_i or A_{i+1} fails), p = 1/2 each, by a transfer over the chain."""
    from fractions import Fraction as F

    # f[b]: P(C_0..C_{i-1} fail and A_i's state is b)
    f = {0: F(1, 2), 1: F(1, 2)}
    for _ in range(k):
        f = {b: F(1, 2) * (f[1] + (f[0] if b == 1 else 0)) for b in (0, 1)}
    return float(f[0] + f[1])


def test_exact_refuses_a_table_beyond_its_limit():
    # A chain of 25 cases, each sharing one assumption with the next: one block of 25.
    k = 25
    assert 2**k > MAX_EXACT_CELLS
    assumptions = _p(**{f"A{i}": 0.5 for i in range(k + 1)})
    cases = {f"C{i}": _case([f"A{i}", f"A{i + 1}"]) for i in range(k)}
    P = Portfolio.from_dict(
        {"assumptions": assumptions, "cases": cases, "scenarios": {"S": {"statement": "s"}}}
    )
    with pytest.raises(ValueError, match="MAX_EXACT_CELLS"):
        P.p_unprotected("S", method="exact")
    # the default, "auto", takes the BDD, which has no such table; the chain's P(U) equals
    # a transfer over the chain, in Fractions
    assert P.p_unprotected("S") == pytest.approx(_chain_probability(k), rel=1e-12)
    with pytest.raises(ValueError, match=f"at most {MAX_INCLUSION_EXCLUSION_TARGETS} targets"):
        P.p_unprotected("S", method="inclusion-exclusion")
    mc = P.p_unprotected("S", method="montecarlo", n_samples=1000, rng=0)  # still available
    assert mc.n_samples == 1000


def test_independent_blocks_are_multiplied():
    # 30 cases with private assumptions only: 30 blocks of one case, no 2^30 table.
    k = 30
    assumptions = _p(**{f"A{i}": 0.5 for i in range(k)})
    cases = {f"C{i}": _case([f"A{i}"]) for i in range(k)}
    P = Portfolio.from_dict(
        {"assumptions": assumptions, "cases": cases, "scenarios": {"S": {"statement": "s"}}}
    )
    assert P.p_unprotected("S") == pytest.approx(0.5**k, rel=1e-12)


def test_absorbed_cases_do_not_count():
    # Y rests on everything X rests on and more: "X fails" implies "Y fails".
    P = Portfolio.from_dict(
        {
            "assumptions": _p(A=0.1, B=0.2),
            "cases": {"X": _case(["A"]), "Y": _case(["A", "B"])},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    assert P.p_unprotected("S") == pytest.approx(0.1, abs=EXACT_TOL)


def test_bad_arguments_are_refused():
    P = Portfolio.from_dict(SHARED)
    with pytest.raises(ValueError, match="unknown method 'magic'"):
        P.p_unprotected("S", method="magic")
    with pytest.raises(ValueError, match="only used by method='montecarlo'"):
        P.p_unprotected("S", rng=1)
    with pytest.raises(ValueError, match="unknown scenario 'T'"):
        P.p_unprotected("T")
    with pytest.raises(ValueError, match="unknown case 'Z'"):
        P.case_failure("Z")
    with pytest.raises(ValueError, match="unknown case or assumption 'Z'"):
        P.joint_failure(["X", "Z"])
    with pytest.raises(TypeError, match="not a single string"):
        P.joint_failure("X")
    with pytest.raises(ValueError, match="n_samples must be a positive integer"):
        P.p_unprotected("S", method="montecarlo", n_samples=0)
    with pytest.raises(ValueError, match="level must be in"):
        P.p_unprotected("S", method="montecarlo", level=1.5)


def test_results_are_python_floats():
    P = Portfolio.from_dict(SHARED)
    for method in ("exact", "inclusion-exclusion", "enumerate"):
        assert type(P.p_unprotected("S", method=method)) is float
    assert type(P.p_unprotected("S", method="montecarlo", n_samples=10, rng=0).value) is float


def test_montecarlo_estimate_is_a_float_carrying_its_interval():
    import json
    import pickle

    P = Portfolio.from_dict(SHARED)
    exact = P.p_unprotected("S")
    mc = P.p_unprotected("S", method="montecarlo", n_samples=20_000, rng=3, level=1 - 1e-9)
    assert isinstance(mc, float) and isinstance(exact, float)
    # it compares and computes as its point estimate, hits / samples
    assert mc == mc.n_hits / 20_000 and (mc < 1.0) and (mc > 0.0)
    assert sorted([mc, 0.0, 1.0])[1] is mc
    assert mc * 2 == 2 * (mc.n_hits / 20_000) and type(mc + 0.0) is float
    assert mc.interval.low <= exact <= mc.interval.high
    assert json.loads(json.dumps({"p": mc}))["p"] == mc.value
    assert f"{mc:.3f}" == f"{mc.n_hits / 20_000:.3f}"
    again = pickle.loads(pickle.dumps(mc))
    assert again == mc and again.interval == mc.interval and again.n_hits == mc.n_hits
    with pytest.raises(AttributeError, match="immutable"):
        mc.n_hits = 0
