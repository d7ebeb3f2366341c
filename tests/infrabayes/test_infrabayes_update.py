"""The update with off-branch utility: worked examples by hand, and the theorems as properties."""

from fractions import Fraction as F

import ib_reference as ref
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from infrabayes import AMeasure, Infradistribution, NullUpdateError, mixture
from infrabayes.strategies import (
    events,
    infradistributions,
    likelihoods,
    outcomes,
    probability_measures,
    utilities,
)

# ---------------------------------------------------------------------------------------------
# Worked examples (derivations in the comments; every value computed by hand)
# ---------------------------------------------------------------------------------------------

P = {"x1": F(1, 2), "x2": F(1, 4), "x3": F(1, 4)}
Q = {"x1": F(1, 10), "x2": F(3, 5), "x3": F(3, 10)}
A = {"x1", "x2"}


def credal():
    return Infradistribution([P, Q])


@pytest.mark.parametrize(
    ("g", "expected"),
    [
        # g = 0: P = E(1_A) - E(0) = min(p(A), q(A)) = min(3/4, 7/10) = 7/10 (lower probability).
        (0, F(7, 10)),
        # g = 1: P = E(1) - E(1 - 1_A) = 1 - min(p(x3), q(x3)) = 1 - 1/4 = 3/4 (upper probability).
        (1, F(3, 4)),
        # g = 1/2: E(1 *g) = min(3/4 + 1/8, 7/10 + 3/20) = min(7/8, 17/20) = 17/20;
        #          E(0 *g) = min(1/8, 3/20) = 1/8;  P = 17/20 - 1/8 = 34/40 - 5/40 = 29/40.
        (F(1, 2), F(29, 40)),
    ],
)
def test_credal_probability_by_hand(g, expected):
    assert credal().probability(A, g) == expected


def test_credal_posterior_g1_by_hand():
    # Raw points: p -> ((1/2, 1/4, 0), p(x3) * 1 = 1/4), q -> ((1/10, 3/5, 0), 3/10).
    # Subtract E(0 *_A 1) = min(1/4, 3/10) = 1/4, divide by P = 3/4:
    #   p -> ((2/3, 1/3, 0), 0),   q -> ((2/15, 4/5, 0), (1/20) / (3/4) = 1/15).
    post = credal().update(A, 1)
    assert post[0] == AMeasure({"x1": F(2, 3), "x2": F(1, 3), "x3": 0})
    assert post[1] == AMeasure({"x1": F(2, 15), "x2": F(4, 5), "x3": 0}, F(1, 15))
    # E(1_{x1}) = min(2/3, 2/15 + 1/15) = 1/5.
    assert post.lower_probability({"x1"}) == F(1, 5)
    assert post.is_normalized()
    assert not post.is_crisp()


def test_credal_posterior_g0_by_hand():
    # Raw points: ((1/2, 1/4, 0), 0) and ((1/10, 3/5, 0), 0); E(0 *_A 0) = 0; divide by 7/10:
    #   ((5/7, 5/14, 0), 0) and ((1/7, 6/7, 0), 0): total masses 15/14 and 1 (not crisp).
    post = credal().update(A, 0)
    assert post[0] == AMeasure({"x1": F(5, 7), "x2": F(5, 14), "x3": 0})
    assert post[1] == AMeasure({"x1": F(1, 7), "x2": F(6, 7), "x3": 0})
    # E(1_{x1}) = min(5/7, 1/7) = 1/7.
    assert post.lower_probability({"x1"}) == F(1, 7)


def zero_likelihood_prior():
    # H = {delta_b, 1/2 delta_a + 1/2 delta_b} on X = {a, b}.
    return Infradistribution([{"a": 0, "b": 1}, {"a": F(1, 2), "b": F(1, 2)}])


G_HALF = {"a": 0, "b": F(1, 2)}  # off-branch utility g(b) = 1/2 (g(a) plays no role: L(a) = 1)


def test_zero_likelihood_generator_kept_by_hand():
    # Observe a.  E_H(f *g) for f(a) = t: delta_b gives g(b) = 1/2, the mix gives t/2 + 1/4.
    #   E(0 *g) = min(1/2, 1/4) = 1/4,  E(1 *g) = min(1/2, 3/4) = 1/2,  P = 1/4.
    # Posterior value: (min(1/2, t/2 + 1/4) - 1/4) / (1/4) = min(1, 2t).
    h = zero_likelihood_prior()
    assert h.probability({"a"}, G_HALF) == F(1, 4)
    post = h.update({"a"}, G_HALF)
    values = [post.expect({"a": t, "b": 0}) for t in (F(1, 4), F(3, 4), 1)]
    assert values == [F(1, 2), 1, 1]
    # The prior's glued values 3/8, 1/2, 1/2 rank the plans the same way (tie kept).
    glued = [h.expect({"a": t, "b": F(1, 2)}) for t in (F(1, 4), F(3, 4), 1)]
    assert glued == [F(3, 8), F(1, 2), F(1, 2)]
    # The zero-likelihood generator delta_b became the constant (0, (1/2 - 1/4) / (1/4)) = (0, 1).
    assert post[0] == AMeasure({"a": 0, "b": 0}, 1)
    assert post[1] == AMeasure({"a": 2, "b": 0}, 0)


def test_dropping_zero_likelihood_generator_changes_the_answer():
    # Without delta_b: E(f *g) = t/2 + 1/4, P = 3/4 - 1/4 = 1/2, posterior value t:
    # 1/4, 3/4, 1 -- different values, and the prior's tie between t = 3/4 and t = 1 is broken.
    dropped = Infradistribution([{"a": F(1, 2), "b": F(1, 2)}]).update({"a"}, G_HALF)
    values = [dropped.expect({"a": t, "b": 0}) for t in (F(1, 4), F(3, 4), 1)]
    assert values == [F(1, 4), F(3, 4), 1]
    kept = zero_likelihood_prior().update({"a"}, G_HALF)
    assert [kept.expect({"a": t, "b": 0}) for t in (F(1, 4), F(3, 4), 1)] != values


def test_null_update_total_ignorance_by_hand():
    # {delta_a, delta_b}, observe a, g = 0: E(1 *g) = min(1, 0) = 0 = E(0 *g): P = 0.
    h = Infradistribution.sharp(["a", "b"])
    with pytest.raises(NullUpdateError, match="Murphy can make the observation irrelevant"):
        h.update({"a"}, 0)
    with pytest.raises(ZeroDivisionError):
        h.update({"a"}, 0)
    with pytest.raises(
        ValueError, match="P\\^g_H\\(L\\) = E_H\\(1 \\*_L g\\) - E_H\\(0 \\*_L g\\) = 0 - 0"
    ):
        h.update({"a"}, 0)
    assert h.probability({"a"}, 0) == 0
    # With g = 1 instead: E(1 *g) = 1, E(0 *g) = min(0, 1) = 0, P = 1: the update exists, and
    # is the constant-1 generator (from delta_b) and delta_a: E_post(f) = min(f(a), 1) = f(a).
    post = h.update({"a"}, 1)
    assert post.expect({"a": F(1, 3), "b": 0}) == F(1, 3)


def test_likelihood_function_bayes_by_hand():
    # mu = (1/2, 1/2), L = (1, 1/3): Bayes gives mu(L f) / mu(L) with mu(L) = 2/3, so
    # E_post(1_{a}) = (1/2) / (2/3) = 3/4, for any g; here g = 1/5.
    h = Infradistribution([{"a": F(1, 2), "b": F(1, 2)}])
    post = h.update({"a": 1, "b": F(1, 3)}, F(1, 5))
    assert post.lower_probability({"a"}) == F(3, 4)
    assert post.upper_probability({"a"}) == F(3, 4)


def test_mixture_theorem_by_hand():
    # Coin {(1/2, 1/2)} and ignorance {delta_h, delta_t}, prior (1/2, 1/2); observe h, g = 1/2.
    # Coin: E(1 *g) = 1/2 + 1/4 = 3/4, E(0 *g) = 1/4, P1 = 1/2.
    # Ignorance: E(1 *g) = min(1, 1/2) = 1/2, E(0 *g) = min(0, 1/2) = 0, P2 = 1/2.
    # P_mix = 1/2 * 1/2 + 1/2 * 1/2 = 1/2; new weights proportional to (1/4, 1/4): (1/2, 1/2).
    # Coin posterior: E(f) = (f(h)/2 + 1/4 - 1/4) / (1/2) = f(h).
    # Ignorance posterior: E(f) = (min(f(h), 1/2) - 0) / (1/2) = min(2 f(h), 1).
    # So for f(h) = 1/3 the mixture posterior is 1/2 * 1/3 + 1/2 * 2/3 = 1/2.
    coin = Infradistribution([{"h": F(1, 2), "t": F(1, 2)}])
    ignorance = Infradistribution.sharp(["h", "t"])
    mix = mixture([coin, ignorance], [F(1, 2), F(1, 2)])
    assert mix.probability({"h"}, F(1, 2)) == F(1, 2)
    assert mix.update({"h"}, F(1, 2)).expect({"h": F(1, 3), "t": 0}) == F(1, 2)


def test_raw_update_expectation_is_the_glued_prior():
    h = credal()
    raw = h.raw_update(A, F(1, 2))
    # E_raw(1_{x1}) = E_H(1_{x1} *_A 1/2) = min(1/2 + 1/8, 1/10 + 3/20) = 1/4.
    assert raw.expect({"x1": 1, "x2": 0, "x3": 0}) == F(1, 4)
    assert not raw.is_normalized()


def test_float_update_matches_exact():
    h = credal()
    hf = Infradistribution.from_arrays(h.masses.astype(float), outcomes=h.outcomes)
    post = hf.update(A, 0.5)
    assert not post.exact
    assert post.lower_probability({"x1"}) == pytest.approx(
        float(h.update(A, F(1, 2)).lower_probability({"x1"}))
    )


# ---------------------------------------------------------------------------------------------
# Theorems as properties (exact arithmetic: equalities are exact)
# ---------------------------------------------------------------------------------------------


@st.composite
def update_case(draw, exact=True, **kwargs):
    h = draw(infradistributions(exact=exact, **kwargs))
    likelihood = draw(st.one_of(likelihoods(h.outcomes, exact=exact), events(h.outcomes)))
    if isinstance(likelihood, frozenset):
        likelihood = {x: int(x in likelihood) for x in h.outcomes}
    g = draw(utilities(h.outcomes, exact=exact))
    fs = draw(st.lists(utilities(h.outcomes, exact=exact), min_size=2, max_size=2))
    return h, likelihood, g, fs


@given(update_case())
def test_functional_form_equals_set_computation(case):
    h, likelihood, g, fs = case
    gens = ref.gens_of(h)
    post_ref, p = (
        ref.set_update(gens, likelihood, g) if h.probability(likelihood, g) != 0 else (None, 0)
    )
    assume(p != 0)
    post = h.update(likelihood, g)
    for f in fs:
        by_set = ref.expect(post_ref, f)
        assert post.expect(f) == by_set
        assert by_set == ref.functional_update(gens, likelihood, g, f)
    # The generators themselves are the set computation's points, in order.
    assert [(g_.as_dict(), g_.b) for g_ in post] == post_ref


@given(update_case())
def test_posterior_is_normalized(case):
    h, likelihood, g, _ = case
    assume(h.probability(likelihood, g) != 0)
    post = h.update(likelihood, g)
    assert post.expect(0) == 0
    assert post.expect(1) == 1
    assert post.is_normalized()
    assert len(post) == len(h)  # zero-likelihood generators are kept


@given(st.data())
def test_g0_gives_lower_and_g1_upper_probability(data):
    h = data.draw(infradistributions())
    a = data.draw(events(h.outcomes))
    assert h.probability(a, 0) == h.lower_probability(a)
    assert h.probability(a, 1) == h.upper_probability(a)
    likelihood = data.draw(likelihoods(h.outcomes))
    # For a likelihood function: P^0 = E(L) and P^1 = 1 - E(1 - L).
    assert h.probability(likelihood, 0) == h.expect(likelihood)
    assert h.probability(likelihood, 1) == 1 - h.expect({x: 1 - v for x, v in likelihood.items()})


@given(st.data())
def test_single_probability_measure_updates_to_bayes_for_every_g(data):
    outs = data.draw(outcomes())
    mu = data.draw(probability_measures(outs, full_support=True))
    likelihood = data.draw(likelihoods(outs))
    g = data.draw(utilities(outs))
    f = data.draw(utilities(outs))
    m = mu.as_dict()
    evidence = sum(m[x] * likelihood[x] for x in outs)
    assume(evidence > 0)
    post = Infradistribution([mu]).update(likelihood, g)
    assert post.expect(f) == sum(m[x] * likelihood[x] * f[x] for x in outs) / evidence
    assert Infradistribution([mu]).probability(likelihood, g) == evidence


@given(st.data())
def test_mixture_theorem(data):
    outs = data.draw(outcomes(max_size=3))
    hs = data.draw(st.lists(infradistributions(outs, max_generators=3), min_size=2, max_size=3))
    raw_weights = data.draw(st.lists(st.integers(0, 4), min_size=len(hs), max_size=len(hs)))
    raw_weights[0] += 1
    weights = [F(w, sum(raw_weights)) for w in raw_weights]
    likelihood = data.draw(likelihoods(outs))
    g = data.draw(utilities(outs))
    f = data.draw(utilities(outs))
    mix = mixture(hs, weights)
    ps = [h.probability(likelihood, g) for h in hs]
    p_mix = mix.probability(likelihood, g)
    assert p_mix == sum(w * p for w, p in zip(weights, ps, strict=True))
    assume(p_mix != 0)
    used = [i for i, p in enumerate(ps) if p != 0 and weights[i] != 0]
    new_weights = [weights[i] * ps[i] / p_mix for i in used]
    updates = [hs[i].update(likelihood, g) for i in used]
    assert mix.update(likelihood, g).expect(f) == mixture(updates, new_weights).expect(f)


@given(update_case())
def test_dynamic_consistency(case):
    h, likelihood, g, (f1, f2) = case
    assume(h.probability(likelihood, g) != 0)
    post = h.update(likelihood, g)
    prior_1 = h.expect(ref.glue(f1, likelihood, g))
    prior_2 = h.expect(ref.glue(f2, likelihood, g))
    post_1, post_2 = post.expect(f1), post.expect(f2)
    assert (post_1 > post_2) == (prior_1 > prior_2)
    assert (post_1 == post_2) == (prior_1 == prior_2)


@given(update_case(exact=False))
def test_float_update_functional_form(case):
    h, likelihood, g, fs = case
    p = h.probability(likelihood, g)
    assume(p > 1e-6)
    post = h.update(likelihood, g)
    gens = ref.gens_of(h)
    for f in fs:
        expected = ref.functional_update(gens, likelihood, g, f)
        assert post.expect(f) == pytest.approx(expected, abs=1e-9 / p)
    assert post.is_normalized()


@given(update_case())
def test_update_of_float_copy_agrees_with_exact(case):
    h, likelihood, g, fs = case
    assume(h.probability(likelihood, g) != 0)
    post = h.update(likelihood, g)
    post_float = h.update(likelihood, {x: float(v) for x, v in g.items()})
    assert not post_float.exact
    for f in fs:
        assert post_float.expect(f) == pytest.approx(float(post.expect(f)), abs=1e-9)


@given(update_case())
def test_null_update_means_no_continuation_matters(case):
    h, likelihood, g, fs = case
    if h.probability(likelihood, g) != 0:
        h.update(likelihood, g)  # defined: no error
        return
    with pytest.raises(NullUpdateError):
        h.update(likelihood, g)
    # P = 0: every continuation f gives the prior the same glued value.
    baseline = h.expect(ref.glue(ref.const(h.outcomes, 0), likelihood, g))
    for f in fs:
        assert h.expect(ref.glue(f, likelihood, g)) == baseline
