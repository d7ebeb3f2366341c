"""Properties of the decision-problem solvers over random small problems.

The values are checked against two independent computations: the core (``Infradistribution``
built per policy, its ``expect`` and ``murphy_choice``) and a naive recursive evaluator of the
tree (``problems_reference``), which shares no code with the vectorised solver.
"""

import math
from fractions import Fraction as F

import problems_reference as ref
from hypothesis import given, settings
from hypothesis import strategies as st

from infrabayes import mixture
from infrabayes.strategies import problems

SETTINGS = [("causal", math.inf), ("causal", 1), ("acausal", math.inf)]


@settings(max_examples=60)
@given(problems())
def test_ib_values_match_the_core_and_the_reference(p):
    u = dict(p.utilities)
    for encoding, nirvana in SETTINGS:
        sol = p.solve("ib", nirvana, encoding)
        for policy in p.policies:
            h = p.hypothesis(policy, encoding, nirvana)
            assert sol.value_of(policy) == h.expect(u)
            assert sol.value_of(policy) == ref.ib_value(p, dict(policy), encoding, nirvana)
            # Murphy's picks are the core's: generator i of the causal hypothesis is prediction i.
            if encoding == "causal":
                picks = tuple(p.predictions[i] for i in h.murphy_choice(u))
                assert sol.murphy_of(policy) == picks
            else:
                assert sol.murphy_of(policy) == ({k: policy[k] for k in p.predicted},)
        best = max(sol.values)
        assert set(sol.optimal) == {q for q in p.policies if sol.value_of(q) == best}


@settings(max_examples=40)
@given(problems())
def test_udt_is_ib_acausal_and_bounds_the_causal_values(p):
    udt = p.solve("udt")
    acausal = p.solve("ib", encoding="acausal")
    inf = p.solve("ib")
    one = p.solve("ib", 1)
    for policy in p.policies:
        eu = ref.value(ref.distribution(p.root, dict(policy)), dict(p.utilities))
        assert udt.value_of(policy) == acausal.value_of(policy) == eu
        assert udt.expected_utility_of(policy) == eu
        # Murphy may pick the true prediction (never refuted), and Nirvana = 1 only adds options
        # for him: value(nirvana=1) <= value(inf) <= UDT's value.
        assert one.value_of(policy) <= inf.value_of(policy) <= eu
    assert udt.optimal == acausal.optimal


@settings(max_examples=40)
@given(problems(nested_decisions=False, noisy=True))
def test_ib_causal_equals_udt_when_every_deviation_is_visible(p):
    # Every decision node is reached under every policy (decisions are not nested, chance and
    # predictor branches all have positive probability), so any misprediction is refuted with
    # positive probability: under infinite Nirvana Murphy is left with the true prediction.
    udt, ib = p.solve("udt"), p.solve("ib")
    assert list(ib.values) == list(udt.values)
    assert ib.optimal == udt.optimal


@settings(max_examples=30)
@given(problems(), st.sampled_from(["cdt", "edt"]))
def test_cdt_edt_values_match_the_tremble_reference(p, theory):
    t = F(1, 10**12)
    sol = p.solve(theory)
    for policy in p.policies:
        values = sol.action_values_of(policy)
        for infoset in p.infosets:
            for action in p.actions[infoset]:
                ours = values[infoset][action]
                theirs = ref.local_value(p.root, dict(policy), infoset, action, theory == "edt", t)
                assert (ours is None) == (theirs is None)
                if ours is not None:
                    assert abs(ours - theirs) < F(1, 10**6)
        # Chosen iff its own action is a best reply at every information set it can reach.
        ratifiable = all(
            values[i][policy[i]] is None
            or values[i][policy[i]] == max(v for v in values[i].values() if v is not None)
            for i in p.infosets
        )
        assert sol.is_optimal(policy) == ratifiable


@settings(max_examples=25)
@given(problems(exact=False))
def test_float_problems_agree_with_the_exact_reference(p):
    # Float inputs are grid values; the solver's float64 answers agree with the reference run on
    # the same floats (converted exactly) to rounding error.
    u = dict(p.utilities)
    for encoding, nirvana in SETTINGS:
        sol = p.solve("ib", nirvana, encoding)
        for policy in p.policies:
            ours = sol.value_of(policy)
            assert isinstance(ours, float)
            assert math.isclose(
                ours, float(ref.ib_value(p, dict(policy), encoding, nirvana)), abs_tol=1e-9
            )
            assert math.isclose(
                ours, p.hypothesis(policy, encoding, nirvana).expect(u), abs_tol=1e-12
            )


@settings(max_examples=60)
@given(problems(), st.data())
def test_dynamic_consistency_of_the_ib_update(p, data):
    # Theorem (see infrabayes.problems.after): with off-branch utility g = U, the raw update of
    # every continuation has the prior's value, and the shared normalisation is one positive
    # affine map, so the updated agent keeps the ex-ante action whenever the update is defined.
    if not p.infosets:
        return
    infoset = data.draw(st.sampled_from(p.infosets))
    encoding, nirvana = data.draw(st.sampled_from(SETTINGS))
    ex_ante = p.solve("ib", nirvana, encoding).optimal
    start = data.draw(st.sampled_from(ex_ante))
    r = p.after(infoset).solve("ib", nirvana, encoding, policy=start)
    assert r.raw_values == r.prior_values
    if r.probability is None:
        # P = 0: no continuation changes the worst case of the glued utilities.
        assert len(set(r.raw_values)) == 1
        return
    assert r.probability > 0
    e0 = min(post.expect(0) for post in map(r.posterior, r.actions))
    e1 = max(post.expect(1) for post in map(r.posterior, r.actions))
    assert (e0, e1) == (0, 1)  # the updated belief function is normalised as a whole
    assert r.consistent
    assert start[infoset] in r.updated_choice
    shift = r.prior_values[0] - r.probability * r.updated_values[0]
    for prior, post in zip(r.prior_values, r.updated_values, strict=True):
        assert prior == r.probability * post + shift


@settings(max_examples=30)
@given(problems(), st.data())
def test_mixed_policy_valuation_murphy_moves_after_the_policy(p, data):
    if len(p.policies) < 2:
        return
    a, b = data.draw(st.lists(st.sampled_from(p.policies), min_size=2, max_size=2, unique=True))
    w = data.draw(st.fractions(min_value=0, max_value=1, max_denominator=6))
    nirvana = data.draw(st.sampled_from([math.inf, 1]))
    weights = {a: w, b: 1 - w}
    right = p.mixed_value(weights, "causal", nirvana)
    assert right == ref.mixed_ib_value(p, {tuple(a.items()): w, tuple(b.items()): 1 - w}, nirvana)
    # The other order (Murphy answers each deterministic policy separately) is the mixture of the
    # hypotheses: never larger, since a minimum of sums is at least the sum of minima.
    separate = mixture(
        [p.hypothesis(a, "causal", nirvana), p.hypothesis(b, "causal", nirvana)], [w, 1 - w]
    )
    wrong = separate.expect(dict(p.utilities))
    finite_parts = [q for q, wq in weights.items() if wq > 0]
    assert wrong == sum(
        wq * p.solve("ib", nirvana).value_of(q) for q, wq in weights.items() if q in finite_parts
    )
    assert right >= wrong
    if w in (0, 1):
        assert right == wrong
