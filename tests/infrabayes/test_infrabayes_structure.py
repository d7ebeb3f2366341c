"""Normalization, minimal points, the special classes, mixture, union and pushforward."""

from fractions import Fraction as F

import ib_reference as ref
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrabayes import NIRVANA, Infradistribution, mixture, union
from infrabayes.strategies import infradistributions, outcomes, utilities

# ---------------------------------------------------------------------------------------------
# normalize
# ---------------------------------------------------------------------------------------------


def test_normalize_by_hand():
    # Generators ((1, 1), 1/2) and ((2, 0), 1): E(0) = min(1/2, 1) = 1/2,
    # E(1) = min(2 + 1/2, 2 + 1) = 5/2, so (m, b) -> (m / 2, (b - 1/2) / 2).
    h = Infradistribution([({"a": 1, "b": 1}, F(1, 2)), ({"a": 2, "b": 0}, 1)])
    assert not h.is_normalized()
    n = h.normalize()
    assert n.is_normalized()
    assert [(g.as_dict(), g.b) for g in n] == [
        ({"a": F(1, 2), "b": F(1, 2)}, 0),
        ({"a": 1, "b": 0}, F(1, 4)),
    ]
    # E'(f) = (E(f) - 1/2) / 2 at f = (1, 0): E = min(1 + 1/2, 2 + 1) = 3/2 -> 1/2.
    assert n.expect({"a": 1, "b": 0}) == F(1, 2)


def test_normalize_constant_functional_raises():
    h = Infradistribution([({"a": 0, "b": 0}, F(1, 2))])
    with pytest.raises(ValueError, match="every utility function has the same expectation"):
        h.normalize()


@given(st.data())
def test_normalize_is_affine_rescaling(data):
    h = data.draw(infradistributions(normalized=False))
    f = data.draw(utilities(h.outcomes))
    e0, e1 = h.expect(0), h.expect(1)
    n = h.normalize()
    assert n.is_normalized()
    assert n.expect(f) == (h.expect(f) - e0) / (e1 - e0)


# ---------------------------------------------------------------------------------------------
# minimal points
# ---------------------------------------------------------------------------------------------


def test_minimal_points_by_hand():
    # p = ((1/2, 1/2), 0), r = ((1/4, 3/4), 0), u = ((1, 0), 1/8).  (With u = ((1, 0), 0) the
    # three distributions on two outcomes are collinear and p = 2/3 r + 1/3 u is in the hull.)
    # Dominated: p + (0, 1/4) (by p); ((3/8, 5/8), 0) = (p + r) / 2 (in the hull);
    # t = ((1/2, 1/4), 1/4), since t - p = ((0, -1/4), 1/4) has b + m^-(1) = 0 (an sa-measure).
    # Not dominated (s - q needs b-difference + negative mass >= 0):
    #   p vs q = w r + (1-w) u: b_p - b_q = -(1-w)/8 < 0 unless w = 1; p - r = ((1/4, -1/4), 0);
    #   u vs q in conv(p, r): q's mass on b is >= 1/2, and 1/8 - 1/2 < 0;
    #   r vs q = v p + (1-v) u: a-mass difference 1/4 - v/2 - (1-v) <= -1/4, b_r - b_q <= 0.
    h = Infradistribution(
        [
            ({"a": F(1, 2), "b": F(1, 2)}, 0),
            ({"a": F(1, 2), "b": F(1, 2)}, F(1, 4)),
            ({"a": F(1, 4), "b": F(3, 4)}, 0),
            ({"a": F(3, 8), "b": F(5, 8)}, 0),
            ({"a": F(1, 2), "b": F(1, 4)}, F(1, 4)),
            ({"a": 1, "b": 0}, F(1, 8)),
        ]
    )
    kept = h.minimal_points()
    assert list(kept) == [h[0], h[2], h[5]]


def test_minimal_points_duplicates_keep_one():
    h = Infradistribution([{"a": 1, "b": 0}, {"a": 1, "b": 0}, {"a": 0, "b": 1}])
    assert len(h.minimal_points()) == 2


def test_minimal_points_float():
    # Three vertices of a triangle of distributions and the midpoint of the first two.
    masses = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [0.5, 0.0, 0.5], [0.25, 0.5, 0.25]])
    kept = Infradistribution.from_arrays(masses, outcomes=("a", "b", "c")).minimal_points()
    assert not kept.exact
    assert kept.masses.tolist() == masses[:3].tolist()


def _kept_are_undominated_pairwise(h):
    """No kept generator is at least another kept one on every f (second check, by brute force)."""
    gens = ref.gens_of(h)
    for i, (mi, bi) in enumerate(gens):
        for j, (mj, bj) in enumerate(gens):
            if i != j:
                negative = sum(min(mi[x] - mj[x], 0) for x in mi)
                assert bi - bj + negative < 0


@settings(max_examples=40)
@given(st.data())
def test_minimal_points_preserve_every_expectation(data):
    h = data.draw(infradistributions(normalized=data.draw(st.booleans()), max_generators=6))
    kept = h.minimal_points()
    assert 1 <= len(kept) <= len(h)
    assert all(any(g == k for g in h) for k in kept)
    for f in data.draw(st.lists(utilities(h.outcomes), min_size=3, max_size=3)):
        assert kept.expect(f) == h.expect(f)
    _kept_are_undominated_pairwise(kept)
    assert len(kept.minimal_points()) == len(kept)


@settings(max_examples=30)
@given(st.data())
def test_minimal_points_prune_hull_points(data):
    # Adding convex combinations and dominated copies never changes the minimal points' count.
    h = data.draw(infradistributions(max_generators=3))
    base = h.minimal_points()
    w = data.draw(st.fractions(0, 1, max_denominator=5))
    extra_m = w * base.masses[0] + (1 - w) * base.masses[-1]
    extra_b = (
        w * base.b[0] + (1 - w) * base.b[-1] + data.draw(st.fractions(0, 1, max_denominator=3))
    )
    bigger = Infradistribution.from_arrays(
        np.vstack([base.masses, extra_m]), np.append(base.b, extra_b), outcomes=h.outcomes
    )
    assert len(bigger.minimal_points()) == len(base)


# ---------------------------------------------------------------------------------------------
# special classes
# ---------------------------------------------------------------------------------------------


def test_classes_by_hand():
    credal = Infradistribution([{"a": F(1, 2), "b": F(1, 2)}, {"a": F(1, 4), "b": F(3, 4)}])
    assert credal.is_crisp()
    assert not credal.is_sharp()  # delta_a is not in it
    assert credal.is_homogeneous()
    assert credal.is_cohomogeneous()
    sharp = Infradistribution(
        [{"a": 1, "b": 0, "c": 0}, {"a": 0, "b": 1, "c": 0}, {"a": F(1, 2), "b": F(1, 2), "c": 0}]
    )
    assert sharp.is_sharp()  # all distributions on {a, b}
    # (mu, 0) and (0, 1/2), mu = (1/2, 1/2): neither dominates the other ((0, 1/2) - (mu, 0) has
    # b + m^-(1) = 1/2 - 1 < 0; (mu, 0) - (0, 1/2) has b = -1/2 < 0). b = 1/2 > 0: not
    # homogeneous; lambda + b = 1 and 1/2: not cohomogeneous. (With (0, 1) instead, (0, 1) is
    # dominated by (mu, 0), whose value mu(f) <= 1, and the set would be crisp.)
    h = Infradistribution([({"a": F(1, 2), "b": F(1, 2)}, 0), ({"a": 0, "b": 0}, F(1, 2))])
    assert len(h.minimal_points()) == 2
    assert not h.is_homogeneous()
    assert not h.is_cohomogeneous()
    assert not h.is_crisp()
    assert Infradistribution([({"a": F(1, 2), "b": F(1, 2)}, 0), ({"a": 0, "b": 0}, 1)]).is_crisp()
    # ((1/4, 1/4), 1/2) and (delta_a, 0): lambda + b = 1 for both; neither dominated (differences
    # ((-3/4, 1/4), 1/2): 1/2 - 3/4 < 0, and ((3/4, -1/4), -1/2)): cohomogeneous only.
    co = Infradistribution([({"a": F(1, 4), "b": F(1, 4)}, F(1, 2)), ({"a": 1, "b": 0}, 0)])
    assert co.is_cohomogeneous()
    assert not co.is_homogeneous()
    assert not co.is_crisp()
    # A dominated generator does not spoil crispness: ((1/2, 1/2), 1/4) is above the first one.
    dominated = Infradistribution(
        [{"a": F(1, 2), "b": F(1, 2)}, ({"a": F(1, 2), "b": F(1, 2)}, F(1, 4))]
    )
    assert dominated.is_crisp()
    # (2 delta_a, 0) and (delta_b, 0): b = 0 (homogeneous), lambda = 2 (not cohomogeneous);
    # the differences ((2, -1), 0) and ((-2, 1), 0) have negative mass: both minimal.
    scaled = Infradistribution([{"a": 2, "b": 0}, {"a": 0, "b": 1}])
    assert scaled.is_homogeneous()
    assert not scaled.is_cohomogeneous()


@given(st.data())
def test_crisp_strategy_gives_crisp(data):
    h = data.draw(infradistributions(crisp=True))
    assert h.is_crisp()
    assert h.is_homogeneous()
    assert h.is_cohomogeneous()
    f = data.draw(utilities(h.outcomes))
    # crisp: h(a f + c) = a h(f) + c for a = 1/2, c = 1/4.
    assert h.expect({x: v / 2 + F(1, 4) for x, v in f.items()}) == h.expect(f) / 2 + F(1, 4)


@given(st.data())
def test_homogeneous_and_cohomogeneous_functional_properties(data):
    h = data.draw(infradistributions(max_generators=3))
    f = data.draw(utilities(h.outcomes))
    a = data.draw(st.fractions(0, 1, max_denominator=4))
    if h.is_homogeneous():
        assert h.expect({x: a * v for x, v in f.items()}) == a * h.expect(f)
    if h.is_cohomogeneous():
        assert h.expect({x: 1 - a + a * v for x, v in f.items()}) == 1 - a + a * h.expect(f)


def test_sharp_on_outcomes():
    assert Infradistribution.sharp(["x", "y"], outcomes=("x", "y", "z")).is_sharp()
    assert Infradistribution([{"x": 1, "y": 0}]).is_sharp()


# ---------------------------------------------------------------------------------------------
# mixture, union, pushforward
# ---------------------------------------------------------------------------------------------


@given(st.data())
def test_mixture_union_functional_forms(data):
    outs = data.draw(outcomes(max_size=3))
    hs = data.draw(st.lists(infradistributions(outs, max_generators=3), min_size=1, max_size=3))
    raw = data.draw(st.lists(st.integers(0, 3), min_size=len(hs), max_size=len(hs)))
    raw[-1] += 1
    weights = [F(w, sum(raw)) for w in raw]
    f = data.draw(utilities(outs))
    assert mixture(hs, weights).expect(f) == sum(
        w * h.expect(f) for w, h in zip(weights, hs, strict=True)
    )
    assert union(hs).expect(f) == min(h.expect(f) for h in hs)
    assert mixture(hs, weights).is_normalized()


def test_mixture_drops_zero_weights_and_counts_generators():
    a = Infradistribution.sharp(["x", "y"])
    b = Infradistribution.sharp(["x", "y", "z"], outcomes=("x", "y", "z"))
    b2 = Infradistribution.sharp(
        ["x", "y"], outcomes=("z", "y", "x")
    )  # other order: aligned by name
    assert len(mixture([b, b2], [F(1, 2), F(1, 2)])) == 6
    assert len(mixture([b, b2], [1, 0])) == 3
    assert mixture([b, b2], [0.5, 0.5]).exact is False
    with pytest.raises(ValueError, match="must share their outcomes"):
        mixture([a, b], [F(1, 2), F(1, 2)])


def test_pushforward_by_hand():
    h = Infradistribution([{"x1": F(1, 2), "x2": F(1, 4), "x3": F(1, 4)}])
    coarse = h.pushforward({"x1": "lo", "x2": "hi", "x3": "hi"})
    assert coarse.outcomes == ("lo", "hi")
    assert coarse[0].as_dict() == {"lo": F(1, 2), "hi": F(1, 2)}
    wide = h.pushforward(lambda x: x.upper(), outcomes=("X3", "X2", "X1", "X0"))
    assert wide[0].as_dict() == {"X3": F(1, 4), "X2": F(1, 4), "X1": F(1, 2), "X0": 0}
    with pytest.raises(ValueError, match="unknown outcome"):
        h.pushforward(lambda x: x, outcomes=("x1",))
    with pytest.raises(ValueError, match="no image for outcome 'x3'"):
        h.pushforward({"x1": 1, "x2": 2})


@given(st.data())
def test_pushforward_functional_form(data):
    h = data.draw(infradistributions(nirvana=data.draw(st.sampled_from([None, 1]))))
    images = ("u", "v")
    k = {x: data.draw(st.sampled_from(images)) for x in h.outcomes if x is not NIRVANA}
    pushed = h.pushforward(k)
    f = data.draw(utilities(pushed.outcomes))
    assert pushed.expect(f) == h.expect({x: f[k[x]] for x in k})


# ---------------------------------------------------------------------------------------------
# the functions of the public modules are the methods
# ---------------------------------------------------------------------------------------------


def _same(a, b):
    return (
        type(a) is type(b)
        and a.outcomes == b.outcomes
        and a.nirvana == b.nirvana
        and a.masses.dtype == b.masses.dtype
        and a.masses.tolist() == b.masses.tolist()
        and a.b.tolist() == b.b.tolist()
    )


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_module_functions_are_the_methods(data):
    import infrabayes.minimal as minimal
    import infrabayes.operations as operations
    import infrabayes.properties as properties
    import infrabayes.update as update

    h = data.draw(infradistributions(nirvana=data.draw(st.sampled_from([None, 1, float("inf")]))))
    event = {x for x in h.outcomes if x is not NIRVANA and data.draw(st.booleans())}
    g = data.draw(utilities(h.outcomes))
    assert update.probability(h, event, g) == h.probability(event, g)
    assert _same(update.raw_update(h, event, g), h.raw_update(event, g))
    try:
        expected = h.update(event, g)
    except update.NullUpdateError:
        with pytest.raises(update.NullUpdateError):
            update.update(h, event, g)
    else:
        assert _same(update.update(h, event, g), expected)
    assert _same(update.normalize(h), h.normalize())
    assert _same(minimal.minimal_points(h), h.minimal_points())
    for name in ("is_crisp", "is_sharp", "is_homogeneous", "is_cohomogeneous"):
        assert getattr(properties, name)(h) == getattr(h, name)()
    k = {x: "u" if i % 2 else "v" for i, x in enumerate(h.outcomes) if x is not NIRVANA}
    assert _same(operations.pushforward(h, k), h.pushforward(k))
    assert _same(operations.nirvana_free(h), h.nirvana_free())


def test_results_keep_the_class_and_nirvana_free_keeps_the_object():
    class Mine(Infradistribution):
        __slots__ = ()

    h = Mine([{"a": F(1, 2), "b": F(1, 2)}, {"a": 1, "b": 0}])
    assert h.nirvana_free() is h  # no NIRVANA outcome: nothing to translate
    for result in (h.update({"a"}, 0), h.minimal_points(), h.with_nirvana(1), union([h, h])):
        assert type(result) is Mine
    assert type(mixture([h, h], [F(1, 2), F(1, 2)])) is Mine
    everywhere = Infradistribution([{NIRVANA: 1, "a": 0}], outcomes=("a", NIRVANA))
    assert everywhere.minimal_points() is everywhere  # all touch Nirvana: nothing to prune


def test_null_update_error_keeps_its_public_name():
    import pickle

    from infrabayes import NullUpdateError

    assert NullUpdateError.__module__ == "infrabayes.update"
    error = pickle.loads(pickle.dumps(NullUpdateError("P = 0")))
    assert type(error) is NullUpdateError and str(error) == "P = 0"
