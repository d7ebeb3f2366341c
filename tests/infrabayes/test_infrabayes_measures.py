"""AMeasure and SAMeasure: construction, validation, values, arithmetic, display."""

import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrabayes import NIRVANA, AMeasure, SAMeasure
from infrabayes.strategies import a_measures, outcomes, utilities


def test_exact_from_mapping():
    p = AMeasure({"x1": F(1, 2), "x2": 1}, F(1, 4))
    assert p.outcomes == ("x1", "x2")
    assert p.exact
    assert p.total_mass == F(3, 2)
    assert p.b == F(1, 4)
    assert p.mass("x2") == 1
    assert isinstance(p.mass("x2"), F)
    assert p.as_dict() == {"x1": F(1, 2), "x2": 1}


def test_float_when_any_input_is_float():
    p = AMeasure({"x1": 0.5, "x2": F(1, 2)}, 0)
    assert not p.exact
    assert p.m.dtype == np.float64
    assert type(p.b) is float
    assert type(p.total_mass) is float


def test_outcomes_fill_missing_masses_with_zero():
    p = AMeasure({"b": 1}, outcomes=("a", "b", "c"))
    assert p.as_dict() == {"a": 0, "b": 1, "c": 0}


def test_sequence_masses_need_outcomes():
    assert AMeasure([1, 0], outcomes=("a", "b")).as_dict() == {"a": 1, "b": 0}
    with pytest.raises(TypeError, match="outcomes="):
        AMeasure([1, 0])
    with pytest.raises(ValueError, match="masses for 2 outcomes"):
        AMeasure([1, 0, 0], outcomes=("a", "b"))


@pytest.mark.parametrize(
    ("m", "b", "match"),
    [
        ({"a": F(-1, 2)}, 0, "mass of outcome 'a' is -1/2 < 0"),
        ({"a": 1}, -1, "b is -1 < 0"),
        ({"a": float("nan")}, 0, "is nan; expected a finite number"),
        ({"a": math.inf}, 0, "is inf; expected a finite number"),
        ({"a": 1}, float("nan"), "is nan"),
    ],
)
def test_ameasure_rejects_bad_values(m, b, match):
    with pytest.raises(ValueError, match=match):
        AMeasure(m, b)


def test_rejects_non_numbers():
    with pytest.raises(TypeError, match="bool"):
        AMeasure({"a": True})
    with pytest.raises(TypeError, match="str"):
        AMeasure({"a": "1"})
    with pytest.raises(TypeError, match="not hashable"):
        AMeasure([1], outcomes=[["a"]])
    with pytest.raises(ValueError, match="appears twice"):
        AMeasure([1, 1], outcomes=("a", "a"))
    with pytest.raises(ValueError, match="unknown outcome"):
        AMeasure({"z": 1}, outcomes=("a",))


def test_samaesure_condition():
    # b + m^-(1) = 1/4 - 1/4 = 0: an sa-measure (the boundary case).
    s = SAMeasure({"a": F(-1, 4), "b": 2}, F(1, 4))
    assert s.negative_mass == F(-1, 4)
    with pytest.raises(ValueError, match="not an sa-measure"):
        SAMeasure({"a": F(-1, 2), "b": 2}, F(1, 4))


def test_value_and_nirvana():
    p = AMeasure({"a": F(1, 2), "b": F(1, 4), NIRVANA: F(1, 4)}, F(1, 8))
    f = {"a": 1, "b": F(1, 2)}
    # m(f) + b = 1/2 + 1/8 + 1/8 = 3/4 plus Nirvana: 1/4 * 1 under nirvana=1, +inf under inf.
    assert p.value(f, nirvana=1) == 1
    assert p.value(f) == math.inf
    q = AMeasure({"a": F(1, 2), "b": F(1, 4), NIRVANA: 0}, F(1, 8))
    assert q.value(f) == F(3, 4)


def test_arithmetic():
    p = AMeasure({"a": F(1, 2), "b": F(1, 2)})
    s = SAMeasure({"b": F(-1, 4), "a": 0}, F(1, 4))  # other outcome order: aligned by name
    total = p + s
    assert type(total) is SAMeasure
    assert total.as_dict() == {"a": F(1, 2), "b": F(1, 4)}
    assert total.b == F(1, 4)
    assert type(p + p) is AMeasure
    assert (F(1, 2) * p).as_dict() == {"a": F(1, 4), "b": F(1, 4)}
    assert (p * 0.5).exact is False
    with pytest.raises(ValueError, match="nonnegative multiples"):
        p * -1
    with pytest.raises(ValueError, match="different outcomes"):
        p + AMeasure({"a": 1})


def test_equality_and_hash():
    p = AMeasure({"a": F(1, 2), "b": F(1, 2)})
    q = AMeasure({"b": 0.5, "a": 0.5})
    assert p == q
    assert hash(p) == hash(q)
    assert p != AMeasure({"a": F(1, 2), "b": F(1, 2)}, F(1, 100))
    assert p != AMeasure({"a": F(1, 2), "c": F(1, 2)})


def test_immutable():
    masses = np.array([0.5, 0.5])
    p = AMeasure(masses, outcomes=("a", "b"))
    masses[0] = 7.0
    assert p.mass("a") == 0.5
    with pytest.raises(ValueError, match="read-only"):
        p.m[0] = 1.0
    with pytest.raises(AttributeError):
        p.b = 1  # type: ignore[misc]


def test_repr_is_a_table_with_names_and_fractions():
    text = repr(AMeasure({"left": F(7, 10), "right": F(3, 10)}, F(1, 3)))
    assert text.splitlines()[0] == "AMeasure over 2 outcomes (exact), total mass 1:"
    assert "left" in text
    assert "right" in text
    assert "7/10" in text
    assert "1/3" in text


@given(st.data())
def test_value_is_linear_and_at_least_b(data):
    outs = data.draw(outcomes())
    p = data.draw(a_measures(outs))
    q = data.draw(a_measures(outs))
    f = data.draw(utilities(outs))
    assert p.b <= p.value(f) <= p.total_mass + p.b
    assert (p + q).value(f) == p.value(f) + q.value(f)
    assert (3 * p).value(f) == 3 * p.value(f)
