"""Numerics of the core: scale-free tolerances, magnitudes far from 1, values beyond float64.

Each reproducer of the robustness audit (issue 12) is a test here that fails on the code before
the fix; the properties check that float results do not depend on the scale of the masses and
``b`` (utilities stay in [0, 1], as the theory needs), and that float and exact agree on data of
every magnitude.
"""

import itertools
import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrabayes import NIRVANA, AMeasure, Infradistribution, NullUpdateError, mixture, union
from infrabayes.minimal import DOMINANCE_TOLERANCE
from infrabayes.problems.hypotheses import TIE_TOLERANCE
from infrabayes.strategies import infradistributions, problems, utilities

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def scaled(h, c, exact):
    """Every generator (m, b) of the exact `h` times c: exact, or rounded once to float64."""
    masses = np.array([[v * c for v in row] for row in h.masses], dtype=object)
    b = np.array([v * c for v in h.b], dtype=object)
    if not exact:
        masses, b = masses.astype(float), b.astype(float)
    return Infradistribution.from_arrays(masses, b, outcomes=h.outcomes, nirvana=h.nirvana)


def vertices(h):
    """Every 0/1 utility function on the ordinary outcomes (where dominance shows first)."""
    ordinary = [x for x in h.outcomes if x is not NIRVANA]
    for bits in itertools.product([0, 1], repeat=len(ordinary)):
        yield dict(zip(ordinary, bits, strict=True))


def rel_close(a, b, rel=1e-12):
    """a and b agree to `rel` relative to the larger: no absolute floor (0 only matches 0)."""
    return abs(float(a) - float(b)) <= rel * max(abs(float(a)), abs(float(b)))


magnitudes = st.integers(-15, 15).map(lambda k: F(10) ** k)

# ---------------------------------------------------------------------------------------------
# R7: minimal points with one huge b
# ---------------------------------------------------------------------------------------------


def test_minimal_points_keep_unit_generators_beside_a_huge_b():
    # (delta_x, 0) and (delta_y, 0) are both needed: at f = 1_y the first gives 0, the second 1.
    # (0, 1e9) is dominated by either (its value 1e9 is above f(x) <= 1). The old tolerance, 1e-9
    # times the largest b, was 1 here and dropped delta_x, moving E(1_y) from 0 to 1.
    h = Infradistribution.from_arrays(
        [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], [0.0, 0.0, 1e9], outcomes=("x", "y")
    )
    kept = h.minimal_points()
    assert kept.masses.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert kept.b.tolist() == [0.0, 0.0]
    for f in vertices(h):
        assert kept.expect(f) == h.expect(f)
    assert kept.expect({"x": 0, "y": 1}) == 0.0


def test_exact_minimal_points_beyond_the_float_range():
    # The LP runs on floats: the generators are scaled by a power of 2 first, so 10**400 is fine,
    # and the domination is verified exactly. By hand: (10**400 delta_x, 10**400) is dominated
    # by (delta_x, 0); the two point masses are not dominated.
    big = 10**400
    h = Infradistribution.from_arrays([[1, 0], [0, 1], [big, 0]], [0, 0, big], outcomes=("x", "y"))
    assert h.minimal_points().masses.tolist() == [[1, 0], [0, 1]]
    # All of one huge size: a hull point among them is found and dropped.
    h = Infradistribution.from_arrays(
        [[big, 0], [0, big], [big // 2, big // 2]], [0, 0, 0], outcomes=("x", "y")
    )
    assert h.minimal_points().masses.tolist() == [[big, 0], [0, big]]
    assert not h.is_crisp()
    assert h.is_homogeneous()


def _check_minimal(h, kept):
    """Kept generators are generators of h; every expectation moves by at most the tolerance."""

    def rows(g):
        return [(*r, bi) for r, bi in zip(g.masses.tolist(), g.b.tolist(), strict=True)]

    assert all(row in rows(h) for row in rows(kept))
    dropped = len(h) - len(kept)
    bound = (1 + DOMINANCE_TOLERANCE) ** dropped * (1 + 1e-12)
    for f in vertices(h):
        e, ek = h.expect(f), kept.expect(f)
        assert ek >= e * (1 - 1e-12)
        assert ek <= e * bound


@given(st.data())
def test_minimal_points_with_one_huge_b_keep_every_expectation(data):
    h = data.draw(infradistributions(exact=False, normalized=False, max_generators=5))
    big_b = data.draw(st.sampled_from([1e3, 1e9, 1e12, 1e300]))
    row = data.draw(
        st.lists(st.integers(0, 1000), min_size=len(h.outcomes), max_size=len(h.outcomes))
    )
    at = data.draw(st.integers(0, len(h)))
    masses = np.insert(h.masses, at, np.array(row, dtype=float) / 1000, axis=0)
    b = np.insert(h.b, at, big_b)
    bigger = Infradistribution.from_arrays(masses, b, outcomes=h.outcomes)
    kept = bigger.minimal_points()
    _check_minimal(bigger, kept)
    # The small generators are pruned as they would be without the huge one.
    assert len(kept) == len(h.minimal_points())


@given(st.data())
def test_float_minimal_points_match_the_exact_ones(data):
    h = data.draw(infradistributions(normalized=False, max_generators=5))
    c = data.draw(magnitudes)
    exact, floats = scaled(h, c, True), scaled(h, c, False)
    kept_exact, kept_float = exact.minimal_points(), floats.minimal_points()
    assert kept_float.masses.tolist() == kept_exact.masses.astype(float).tolist()
    _check_minimal(floats, kept_float)


# ---------------------------------------------------------------------------------------------
# scaling every generator by c > 0 (infradistributions need not be normalized)
# ---------------------------------------------------------------------------------------------


@given(st.data())
def test_scaling_the_generators_scales_expectations_and_keeps_minimal_points(data):
    h = data.draw(infradistributions(normalized=False, max_generators=5))
    c = data.draw(magnitudes)
    f = data.draw(utilities(h.outcomes))
    # Exact: E(c H)(f) = c E_H(f) exactly, and the same generators are minimal.
    exact = scaled(h, c, True)
    assert exact.expect(f) == c * h.expect(f)
    keep = [list(r) for r in h.minimal_points().masses]
    assert [list(r) for r in exact.minimal_points().masses] == [[v * c for v in r] for r in keep]
    # Float, at every scale: the same relative accuracy and the same minimal points.
    floats, unit = scaled(h, c, False), scaled(h, 1, False)
    ff = {x: float(v) for x, v in f.items()}
    assert rel_close(floats.expect(ff), c * h.expect(f))
    assert len(floats.minimal_points()) == len(unit.minimal_points())
    for predicate in ("is_homogeneous", "is_crisp", "is_sharp"):
        assert getattr(floats, predicate)() == getattr(exact, predicate)()


def test_homogeneity_of_tiny_generators_is_not_decided_by_an_absolute_floor():
    # b = 1e-12 next to masses of 1e-12 is no rounding error: the set is not homogeneous (the old
    # absolute tolerance 1e-9 called it b = 0).
    h = Infradistribution.from_arrays([[1e-12, 1e-12]], [1e-12], outcomes=("x", "y"))
    assert not h.is_homogeneous()
    assert not h.is_crisp()
    assert Infradistribution.from_arrays(
        [[1e-12, 1e-12]], [0.0], outcomes=("x", "y")
    ).is_homogeneous()


def test_is_normalized_compares_e0_relative_to_e1():
    assert Infradistribution.from_arrays([[0.5, 0.5]], [0.0], outcomes=("x", "y")).is_normalized()
    # E(1) = 1e-12: far from 1, whatever the absolute size of E(1) - 1.
    assert not Infradistribution.from_arrays([[1e-12, 0.0]], outcomes=("x", "y")).is_normalized()


# ---------------------------------------------------------------------------------------------
# R8: the update on rare events
# ---------------------------------------------------------------------------------------------


def test_float_update_on_an_event_of_probability_1e_30():
    # Two distributions giving "rare" 1e-30 and 2e-30. With g = 0, E(0 *_L g) = 0 and
    # P = E(1_rare) = 1e-30: the old absolute floor 1e-12 refused it. By hand, the posterior
    # is two point masses on "rare" with masses 1 and 2 (b = 0).
    h = Infradistribution.from_arrays(
        [[1e-30, 1 - 1e-30], [2e-30, 1 - 2e-30]], outcomes=("rare", "common")
    )
    assert h.probability({"rare"}, 0) == 1e-30
    post = h.update({"rare"}, 0)
    assert post.masses.tolist() == [[1.0, 0.0], [2.0, 0.0]]
    assert post.b.tolist() == [0.0, 0.0]
    assert post.is_normalized()
    # The same data exactly (the floats' exact values) gives the same posterior.
    exact = Infradistribution.from_arrays(
        [[F(v) for v in row] for row in h.masses.tolist()], outcomes=h.outcomes
    )
    for f in vertices(h):
        assert rel_close(post.expect(f), exact.update({"rare"}, 0).expect(f))


def test_a_true_null_event_is_refused_at_every_scale():
    for c in (1.0, 1e-30, 1e30):
        h = Infradistribution.from_arrays([[0.0, c], [c / 2, c / 2]], outcomes=("rare", "common"))
        with pytest.raises(NullUpdateError, match="= 0, so the update is undefined"):
            h.update({"rare"}, 0)


def test_what_float64_cannot_resolve_is_refused():
    # With g = 1, P = 1 - (1 - 1e-30), which is 0 in float64 (but 1e-30 exactly).
    h = Infradistribution.from_arrays([[1e-30, 1 - 1e-30]], outcomes=("rare", "common"))
    with pytest.raises(NullUpdateError):
        h.update({"rare"}, 1)
    exact = Infradistribution([{"rare": F(1, 10**30), "common": 1 - F(1, 10**30)}])
    assert exact.probability({"rare"}, 1) == F(1, 10**30)


@given(st.data())
def test_float_update_agrees_with_exact_at_every_magnitude(data):
    # The exact-vs-float property of the update, on a prior scaled so that the event's
    # probability is of order 10**-k.
    h = data.draw(infradistributions(max_generators=3))
    k = data.draw(st.integers(0, 30))
    outcomes = (*h.outcomes, "rest")
    tiny = F(1, 10**k)
    masses = [[v * tiny for v in row] + [1] for row in h.masses]
    b = [v * tiny for v in h.b]
    exact = Infradistribution.from_arrays(masses, b, outcomes=outcomes)
    floats = Infradistribution.from_arrays(
        np.array(masses, dtype=object).astype(float),
        np.array(b, dtype=object).astype(float),
        outcomes=outcomes,
    )
    event = set(h.outcomes)
    p_exact = exact.probability(event, 0)
    assert rel_close(floats.probability(event, 0), p_exact, 1e-9)
    f = data.draw(utilities(outcomes))
    if p_exact == 0:
        with pytest.raises(NullUpdateError):
            floats.update(event, 0)
        return
    post_exact = exact.update(event, 0)
    post_float = floats.update(event, 0)
    ff = {x: float(v) for x, v in f.items()}
    assert math.isclose(post_float.expect(ff), float(post_exact.expect(f)), rel_tol=1e-6, abs_tol=0)


# ---------------------------------------------------------------------------------------------
# values beyond float64
# ---------------------------------------------------------------------------------------------

BIG = 10**400


def test_float_arguments_on_huge_exact_generators_are_refused_by_name():
    h = Infradistribution.from_arrays([[BIG, 0], [0, 1]], outcomes=("x", "y"))
    beyond = "beyond the float64 range"
    with pytest.raises(OverflowError, match=f"the utility is float64.*generator 0.*'x'.*{beyond}"):
        h.expect(0.5)
    with pytest.raises(OverflowError, match=f"the likelihood L is float64.*generator 0.*{beyond}"):
        h.update({"x": 0.5, "y": 1}, 0)
    with pytest.raises(OverflowError, match=f"off-branch utility g is float64.*{beyond}"):
        h.update({"x"}, 0.5)
    with pytest.raises(
        OverflowError, match=f"mixture: .*infradistribution 0, generator 0.*{beyond}"
    ):
        mixture([h, h], [0.5, 0.5])
    floats = Infradistribution.from_arrays([[0.5, 0.5]], outcomes=("x", "y"))
    with pytest.raises(OverflowError, match=f"union: .*infradistribution 0, generator 0.*{beyond}"):
        union([h, floats])
    with pytest.raises(OverflowError, match=f"generator 0: the mass of outcome 'x'.*{beyond}"):
        Infradistribution([AMeasure({"x": BIG, "y": 0}), AMeasure({"x": 0.5, "y": 0.5})])
    with pytest.raises(OverflowError, match=f"generator 1: the mass of outcome 'x'.*{beyond}"):
        Infradistribution.from_arrays([[0.5, 0], [BIG, 0.5]], outcomes=("x", "y"))
    with pytest.raises(OverflowError, match=f"AMeasure: the mass of outcome 'x'.*{beyond}"):
        AMeasure({"x": BIG, "y": 0}, 0.5)
    with pytest.raises(OverflowError, match=f"b of the AMeasure.*{beyond}"):
        AMeasure({"x": 1, "y": 0}, BIG).value(0.5)
    # Exact arguments compute exactly.
    assert h.expect(F(1, 2)) == F(1, 2)
    assert h.lower_probability({"x"}) == 0
    # L = (1/2, 1): E_H(L) = min(10**400 / 2, 1) = 1 = P; the posterior of f = 1_x is
    # E_H(1_x *_L 0) = min(10**400 / 2, 0) = 0.
    post = h.update({"x": F(1, 2), "y": 1}, 0)
    assert post.is_normalized()
    assert post.expect({"x": 1, "y": 0}) == 0


def test_float_values_that_would_overflow_are_refused():
    with pytest.raises(OverflowError, match="generator 0: its total mass plus b is beyond"):
        Infradistribution.from_arrays([[1e308, 1e308]], outcomes=("x", "y"))
    # Dividing by a small normalizer can push a generator out of range: named, not inf.
    h = Infradistribution.from_arrays([[1e-300, 1.0], [1e10, 1.0]], outcomes=("x", "y"))
    with pytest.raises(OverflowError, match=r"divides by P\^g_H\(L\) = 1e-300.*generator 1"):
        h.update({"x"}, 0)
    with pytest.raises(OverflowError, match="the sum: its total"):
        AMeasure({"x": 1e308}) + AMeasure({"x": 1e308})


@given(problems(max_depth=2), magnitudes)
def test_scaling_every_hypothesis_keeps_the_optimal_policies(p, c):
    # IB ranks policies by E_{Theta(pi)}(U); scaling every generator of every hypothesis by c
    # scales every value by c, so the same policies are optimal, in exact and in float arithmetic
    # (the float ties are relative: TIE_TOLERANCE * |best|).
    u = dict(p.utilities)
    uf = {x: float(v) for x, v in u.items()}
    for nirvana in (math.inf, 1):
        optimal = p.solve("ib", nirvana).optimal
        hypotheses = [p.hypothesis(policy, "causal", nirvana) for policy in p.policies]
        exact = [scaled(h, c, True).expect(u) for h in hypotheses]
        floats = [scaled(h, c, False).expect(uf) for h in hypotheses]
        assert exact == [c * h.expect(u) for h in hypotheses]
        best = max(exact)
        assert tuple(q for q, v in zip(p.policies, exact, strict=True) if v == best) == optimal
        top = max(floats)
        near = tuple(
            q
            for q, v in zip(p.policies, floats, strict=True)
            if v >= top - TIE_TOLERANCE * abs(top)
        )
        assert near == optimal
