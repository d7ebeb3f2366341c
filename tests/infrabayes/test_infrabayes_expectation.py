"""Infradistribution construction and Murphy's expectation."""

import math
from fractions import Fraction as F

import ib_reference as ref
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrabayes import AMeasure, Infradistribution
from infrabayes.strategies import events, infradistributions, utilities

CREDAL = [
    {"x1": F(1, 2), "x2": F(1, 4), "x3": F(1, 4)},
    {"x1": F(1, 10), "x2": F(3, 5), "x3": F(3, 10)},
]


def test_credal_set_lower_and_upper_probabilities_by_hand():
    h = Infradistribution(CREDAL)
    # p({x1,x2}) = 3/4, q({x1,x2}) = 7/10 -> lower 7/10.
    assert h.lower_probability({"x1", "x2"}) == F(7, 10)
    # 1 - min(p(x3), q(x3)) = 1 - 1/4 = 3/4.
    assert h.upper_probability({"x1", "x2"}) == F(3, 4)
    # f = (1, 1/2, 0): p gives 1/2 + 1/8 = 5/8, q gives 1/10 + 3/10 = 2/5 -> 2/5.
    assert h.expect({"x1": 1, "x2": F(1, 2), "x3": 0}) == F(2, 5)
    assert h.murphy_choice({"x1": 1, "x2": F(1, 2), "x3": 0}) == (1,)
    assert h.generator_values({"x1": 1, "x2": F(1, 2), "x3": 0}) == (F(5, 8), F(2, 5))


def test_b_enters_expectation():
    # (delta_a, 0) and (0, 1/3): values f(a) and 1/3.
    h = Infradistribution([({"a": 1, "b": 0}, 0), ({"a": 0, "b": 0}, F(1, 3))])
    assert h.expect({"a": 1, "b": 1}) == F(1, 3)
    assert h.expect({"a": F(1, 4), "b": 1}) == F(1, 4)


def test_all_function_forms_agree():
    h = Infradistribution(CREDAL)
    as_map = {"x1": F(1, 3), "x2": 1, "x3": 0}
    expected = h.expect(as_map)
    assert h.expect(lambda x: as_map[x]) == expected
    assert h.expect([F(1, 3), 1, 0]) == expected
    assert h.expect(np.array([F(1, 3), 1, 0], dtype=object)) == expected
    assert h.expect(np.array([1, 1, 0])) == h.expect({"x1": 1, "x2": 1, "x3": 0})
    assert h.expect(F(1, 2)) == F(1, 2)  # a constant function


def test_exact_and_float_results_and_python_scalars():
    h = Infradistribution(CREDAL)
    exact = h.expect({"x1": 1, "x2": 0, "x3": 0})
    assert type(exact) is F
    assert exact == F(1, 10)
    floating = h.expect([1.0, 0.0, 0.0])
    assert type(floating) is float
    assert floating == pytest.approx(0.1, abs=1e-15)
    hf = Infradistribution.from_arrays(
        np.array([[0.5, 0.25, 0.25], [0.1, 0.6, 0.3]]), outcomes=("x1", "x2", "x3")
    )
    assert not hf.exact
    assert type(hf.expect({"x1": 1, "x2": 0, "x3": 0})) is float


def test_from_arrays_and_constructor_agree_and_copy_inputs():
    masses = np.array([[1, 2], [3, 0]])
    b = np.array([0, 1])
    h = Infradistribution.from_arrays(masses, b, outcomes=("a", "b"))
    masses[0, 0] = 100
    b[1] = 100
    assert h.exact
    assert h.masses[0, 0] == 1
    assert h.b[1] == 1
    assert h.expect({"a": 1, "b": 0}) == 1
    with pytest.raises(ValueError, match="read-only"):
        h.masses[0, 0] = 5
    with pytest.raises(ValueError, match="read-only"):
        h.b[0] = 5


def test_inputs_never_mutated():
    gens = [AMeasure({"a": F(1, 2), "b": F(1, 2)}), {"a": 1, "b": 0}]
    f = np.array([0.25, 0.75])
    f_before = f.copy()
    likelihood = np.array([1.0, 0.5])
    l_before = likelihood.copy()
    mapping = {"a": F(1, 2), "b": 0}
    h = Infradistribution(gens)
    h.expect(f)
    h.update(likelihood, mapping).expect(f)
    h.raw_update(likelihood, 0)
    assert np.array_equal(f, f_before)
    assert np.array_equal(likelihood, l_before)
    assert mapping == {"a": F(1, 2), "b": 0}
    assert gens[1] == {"a": 1, "b": 0}


def test_generators_are_ameasures_in_order():
    h = Infradistribution(CREDAL)
    assert len(h) == 2
    assert h[1] == AMeasure(CREDAL[1])
    assert [g.b for g in h] == [0, 0]


def test_sharp_is_the_minimum_over_the_set():
    h = Infradistribution.sharp(["a", "c"], outcomes=("a", "b", "c"))
    assert h.expect({"a": F(1, 2), "b": 0, "c": F(3, 4)}) == F(1, 2)
    assert h.is_sharp()


def test_repr_lists_generators_with_names_and_exact_values():
    text = repr(Infradistribution(CREDAL))
    lines = text.splitlines()
    assert lines[0] == (
        "Infradistribution: 2 generators over 3 outcomes (exact, normalized, nirvana=inf)"
    )
    assert lines[1].split() == ["x1", "x2", "x3", "|", "b"]
    assert lines[2].split() == ["0", "1/2", "1/4", "1/4", "|", "0"]
    assert lines[3].split() == ["1", "1/10", "3/5", "3/10", "|", "0"]


def test_repr_of_large_infradistribution_is_truncated():
    rng = np.random.default_rng(0)
    h = Infradistribution.from_arrays(
        rng.random((50, 30)), outcomes=tuple(f"o{i}" for i in range(30))
    )
    text = repr(h)
    assert "(38 more generators)" in text
    assert len(text.splitlines()) < 20


@given(st.data())
def test_expectation_matches_reference_loop(data):
    h = data.draw(infradistributions(normalized=False))
    f = data.draw(utilities(h.outcomes))
    assert h.expect(f) == ref.expect(ref.gens_of(h), f)
    values = h.generator_values(f)
    assert min(values) == h.expect(f)
    assert all(values[i] == h.expect(f) for i in h.murphy_choice(f))


@given(st.data())
def test_float_expectation_matches_exact(data):
    h = data.draw(infradistributions())
    f = data.draw(utilities(h.outcomes))
    hf = Infradistribution.from_arrays(
        h.masses.astype(float), h.b.astype(float), outcomes=h.outcomes
    )
    assert hf.expect({x: float(v) for x, v in f.items()}) == pytest.approx(
        float(h.expect(f)), abs=1e-12
    )


@given(st.data())
def test_expectation_is_monotone_concave_and_in_range(data):
    h = data.draw(infradistributions())
    f = data.draw(utilities(h.outcomes))
    g = data.draw(utilities(h.outcomes))
    lo = {x: min(f[x], g[x]) for x in f}
    mid = {x: (f[x] + g[x]) / 2 for x in f}
    assert 0 <= h.expect(f) <= 1
    assert h.expect(lo) <= min(h.expect(f), h.expect(g))
    assert h.expect(mid) >= (h.expect(f) + h.expect(g)) / 2


@given(st.data())
def test_lower_and_upper_probability(data):
    h = data.draw(infradistributions())
    a = data.draw(events(h.outcomes))
    assert h.lower_probability(a) == h.expect({x: int(x in a) for x in h.outcomes})
    assert h.upper_probability(a) == 1 - h.expect({x: int(x not in a) for x in h.outcomes})


@given(st.data())
def test_lower_at_most_upper_probability_for_credal_sets(data):
    h = data.draw(infradistributions(crisp=True))
    a = data.draw(events(h.outcomes))
    assert h.lower_probability(a) <= h.upper_probability(a)


def test_lower_can_exceed_upper_probability_off_credal_sets():
    # Found by hypothesis. H = {((1/7, 0), 6/7), ((1, 6/7), 0)} is normalized (E(0) = min(6/7, 0)
    # = 0, E(1) = min(1, 13/7) = 1) but not crisp. Lower: E(1_{x0}) = min(1/7 + 6/7, 1) = 1.
    # Upper: 1 - E(1_{x1}) = 1 - min(6/7, 6/7) = 1/7. Concavity only gives
    # E(1_A) + E(1_notA) <= 2 E(1/2) = 2 * 13/14 = 13/7 = 1 + 6/7: tight here.
    h = Infradistribution([({"x0": F(1, 7), "x1": 0}, F(6, 7)), ({"x0": 1, "x1": F(6, 7)}, 0)])
    assert h.is_normalized()
    assert h.lower_probability({"x0"}) == 1
    assert h.upper_probability({"x0"}) == F(1, 7)
    assert h.expect(F(1, 2)) == F(13, 14)


def test_upper_probability_infinite_when_all_generators_reach_nirvana():
    from infrabayes import NIRVANA

    h = Infradistribution([{"a": F(1, 2), NIRVANA: F(1, 2)}])
    assert h.expect({"a": 1}) == math.inf
    assert h.upper_probability({"a"}) == -math.inf
