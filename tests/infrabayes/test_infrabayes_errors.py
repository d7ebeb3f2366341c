"""Bad input gets a clear error naming what and where, never a number."""

import math
from fractions import Fraction as F

import numpy as np
import pytest

from infrabayes import AMeasure, Infradistribution, mixture, union

H = Infradistribution([{"a": F(1, 2), "b": F(1, 2)}, {"a": 1, "b": 0}])


@pytest.mark.parametrize(
    ("generators", "kwargs", "error", "match"),
    [
        ([], {}, ValueError, "at least one generator"),
        ([{"a": -1, "b": 1}], {}, ValueError, "mass of outcome 'a' is -1 < 0"),
        ([({"a": 1}, F(-1, 2))], {}, ValueError, "b is -1/2 < 0"),
        ([{"a": 1}, {"b": 1}], {}, ValueError, "all generators must be over the same outcomes"),
        ([{"a": 1}, {"a": 1, "b": 0}], {}, ValueError, "generator 1 is over the outcomes"),
        ([AMeasure({"a": 1})], {"outcomes": ("a", "b")}, ValueError, "same outcomes"),
        ([{"a": 1}], {"outcomes": ("b",)}, ValueError, "unknown outcome"),
        ([[1, 0]], {}, TypeError, "expected an AMeasure, a mapping"),
        ({"a": 1}, {}, TypeError, "wrap a single one in a list"),
        ([{"a": 1}], {"nirvana": 2}, ValueError, r"nirvana must be math\.inf"),
        ([{"a": float("nan")}], {}, ValueError, "is nan"),
        ([{}], {}, ValueError, "outcomes is empty"),
        ([{"a": True, "b": 0}], {}, TypeError, "bool True"),
    ],
)
def test_bad_generators(generators, kwargs, error, match):
    with pytest.raises(error, match=match):
        Infradistribution(generators, **kwargs)


@pytest.mark.parametrize(
    ("masses", "b", "match"),
    [
        (np.array([[0.5, -0.5]]), None, "generator 0: the mass of outcome 'b' is -0.5 < 0"),
        (np.array([[0.5, 0.5]]), [-1.0], "generator 0: b is -1 < 0"),
        (np.array([[0.5, np.inf]]), None, "is inf"),
        (np.array([0.5, 0.5]), None, "matrix with 2 columns"),
        (np.zeros((0, 2)), None, "at least one row"),
        (np.array([[0.5, 0.5]]), [0.0, 0.0], "b has 2 entries for 1 generators"),
    ],
)
def test_bad_arrays(masses, b, match):
    with pytest.raises(ValueError, match=match):
        Infradistribution.from_arrays(masses, b, outcomes=("a", "b"))


@pytest.mark.parametrize(
    ("f", "error", "match"),
    [
        ({"a": F(3, 2), "b": 0}, ValueError, r"outside \[0, 1\].*E\(f\) = -inf"),
        ({"a": -0.1, "b": 0}, ValueError, r"utility at outcome 'a' is -0.1, outside \[0, 1\]"),
        ({"a": 1}, ValueError, "no value for outcome"),
        ({"a": 1, "b": 0, "c": 0}, ValueError, "unknown outcome"),
        ([1, 0, 0], ValueError, "has 3 entries; expected 2"),
        (np.array([[1, 0]]), ValueError, "one-dimensional"),
        ([math.nan, 0], ValueError, "is nan"),
        (2, ValueError, "outside"),
        ("ab", TypeError, "mapping, a callable, a number or an array"),
        ({"a": "x", "b": 0}, TypeError, "utility at outcome 'a' is 'x'"),
        (lambda x: True, TypeError, "bool"),
        ([True, 0], TypeError, "utility at outcome 'a' is the bool True"),
        ({"a": 0.5, "b": True}, TypeError, "utility at outcome 'b' is the bool True"),
        ((np.True_, 0), TypeError, "bool"),
    ],
)
def test_bad_utilities(f, error, match):
    with pytest.raises(error, match=match):
        H.expect(f)


@pytest.mark.parametrize(
    ("likelihood", "g", "error", "match"),
    [
        ({"a": 2, "b": 0}, 0, ValueError, r"likelihood L at outcome 'a' is 2, outside \[0, 1\]"),
        ({"a": 1}, 0, ValueError, "no value for outcome"),
        ({"z"}, 0, ValueError, "unknown outcome"),
        (["a"], 0, TypeError, "pass an event as a set"),
        ({"a"}, {"a": 0, "b": 2}, ValueError, "off-branch utility g at outcome 'b' is 2"),
        ({"a"}, -1, ValueError, "outside"),
    ],
)
def test_bad_update_inputs(likelihood, g, error, match):
    with pytest.raises(error, match=match):
        H.update(likelihood, g)


def test_bad_events_for_probabilities():
    with pytest.raises(ValueError, match="unknown outcome"):
        H.lower_probability({"z"})
    with pytest.raises(TypeError, match="set of outcomes"):
        H.upper_probability("a")


def test_bad_mixtures_and_unions():
    other = Infradistribution([{"x": 1}])
    with pytest.raises(ValueError, match="sum to 3/4, not 1"):
        mixture([H, H], [F(1, 2), F(1, 4)])
    with pytest.raises(ValueError, match=r"sum to 0.9.*within 1e-09"):
        mixture([H, H], [0.5, 0.4])
    with pytest.raises(ValueError, match="weight 1 is -1/2 < 0"):
        mixture([H, H], [F(3, 2), F(-1, 2)])
    with pytest.raises(ValueError, match="2 weights for 1 infradistributions"):
        mixture([H], [F(1, 2), F(1, 2)])
    with pytest.raises(ValueError, match="must share their outcomes"):
        union([H, other])
    with pytest.raises(ValueError, match="Nirvana convention"):
        union([H, H.with_nirvana(1)])
    with pytest.raises(ValueError, match="at least one"):
        union([])
    with pytest.raises(TypeError, match="list of infradistributions"):
        union(H)
    with pytest.raises(TypeError, match="not an Infradistribution"):
        union([H, "H"])


def test_mixture_size_guard(monkeypatch):
    import infrabayes.limits as limits
    import infrabayes.operations as ops

    monkeypatch.setattr(limits, "MAX_MIXTURE_GENERATORS", 3)
    with pytest.raises(limits.SizeLimitError, match="would have 4 generators"):
        mixture([H, H], [F(1, 2), F(1, 2)])
    with pytest.warns(DeprecationWarning, match="moved to infrabayes.limits"):
        assert ops.MAX_MIXTURE_GENERATORS == 3


def test_sharp_bad_support():
    with pytest.raises(ValueError, match="empty"):
        Infradistribution.sharp([], outcomes=("a",))
    with pytest.raises(ValueError, match="twice"):
        Infradistribution.sharp(["a", "a"], outcomes=("a", "b"))
    with pytest.raises(ValueError, match="unknown outcome"):
        Infradistribution.sharp(["z"], outcomes=("a",))


def test_minimal_points_reports_a_solver_failure(monkeypatch):
    import scipy.optimize

    class Failed:
        status = 4
        message = "Numerical difficulties encountered."

    monkeypatch.setattr(scipy.optimize, "linprog", lambda *args, **kwargs: Failed())
    # Three distributions, none dominated by another alone: the LP is needed.
    h = Infradistribution(
        [{"a": 1, "b": 0, "c": 0}, {"a": 0, "b": 1, "c": 0}, {"a": 0, "b": 0, "c": 1}]
    )
    with pytest.raises(RuntimeError, match=r"HiGHS\), status 4: Numerical difficulties"):
        h.minimal_points()
