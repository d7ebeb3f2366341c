"""Interval, distribution and shared-parameter probabilities: reading, checking, writing."""

import json
import math

import jsonschema
import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from scipy import integrate, stats

from portfolios import Assumption, Conditional, Portfolio, PortfolioError
from portfolios.io import load, parse, schema
from portfolios.strategies import portfolio_dicts
from portfolios.values import (
    LOGNORMAL_MAX_TAIL,
    Beta,
    Interval,
    LogNormal,
    Param,
    Triangular,
    Uniform,
    parse_value,
)

GOOD = """\
parameters:
  shared: {beta: [2, 8]}
  alias: {param: shared}
latent:
  W: {statement: w, p_fail: [0.1, 0.3]}
  beta: {statement: a latent variable named like a distribution, p_fail: 0.2}
assumptions:
  A: {statement: a, p_fail: [0.05, 0.15]}
  B: {statement: b, p_fail: {W: {holds: {param: alias}, fails: 0.5}}}
  C: {statement: c, p_fail: {lognormal: {median: 0.01, error_factor: 3}}}
  D: {statement: d, p_fail: {beta: {holds: {uniform: [0.0, 0.1]}, fails: [0.2, 0.4]}}}
  E: {statement: e, p_fail: {triangular: [0.0, 0.1, 0.3]}}
cases:
  X: {statement: x, assumptions: [A, C], soundness_error: {uniform: [0.0, 0.1]}, covers: [S]}
  Y: {statement: y, assumptions: [B, D, E], soundness_error: [0.01, 0.02], covers: [S]}
scenarios:
  S: {statement: s, max_risk: 0.1}
"""


def _edit(old, new):
    assert old in GOOD, old
    return GOOD.replace(old, new)


def test_good_file_reads_every_form_and_round_trips(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    P = load(path)
    assert P.latent["W"].p_fail == Interval(0.1, 0.3)
    assert P.assumptions["A"].p_fail == Interval(0.05, 0.15)
    assert P.assumptions["B"].p_fail == Conditional("W", Param("alias"), 0.5)
    assert P.assumptions["C"].p_fail == LogNormal(0.01, 3.0)
    # a latent variable named "beta": a conditional, not a distribution
    assert P.assumptions["D"].p_fail == Conditional("beta", Uniform(0.0, 0.1), Interval(0.2, 0.4))
    assert P.assumptions["E"].p_fail == Triangular(0.0, 0.1, 0.3)
    assert P.cases["Y"].soundness_error == Interval(0.01, 0.02)
    assert P.entries.parameters == {"shared": Beta(2.0, 8.0), "alias": Param("shared")}
    data = yaml.safe_load(GOOD)
    jsonschema.validate(data, schema())
    out = P.to_dict()
    jsonschema.validate(out, schema())
    assert parse(out).to_dict() == out
    assert out["assumptions"]["C"]["p_fail"] == {"lognormal": {"median": 0.01, "error_factor": 3.0}}
    assert out["parameters"]["alias"] == {"param": "shared"}
    text = yaml.safe_dump(out, sort_keys=False)
    assert parse(yaml.safe_load(text)).to_dict() == out
    assert parse(json.loads(json.dumps(out))).to_dict() == out


def test_an_interval_of_width_zero_is_a_point():
    P = parse(yaml.safe_load(_edit("p_fail: [0.05, 0.15]", "p_fail: [0.1, 0.1]")))
    assert P.assumptions["A"].p_fail == 0.1
    assert P.to_dict()["assumptions"]["A"]["p_fail"] == 0.1
    assert Assumption("A", "a", [0.2, 0.2]).p_fail == 0.2
    assert Assumption("A", "a", Interval(0.2, 0.2)).p_fail == 0.2


def test_entries_accept_value_objects_and_file_forms_in_python():
    a = Assumption("A", "a", {"beta": [2, 8]})
    assert a.p_fail == Beta(2.0, 8.0)
    assert Assumption("A", "a", Beta(2, 8)) == a
    with pytest.raises(PortfolioError, match="Conditional"):
        Assumption("A", "a", {"W": {"holds": 0.1, "fails": 0.2}})


# (name, file text, section, entry, field, words of the problem, whether the schema refuses it)
CATALOGUE = [
    (
        "interval lo > hi",
        _edit("p_fail: [0.05, 0.15]", "p_fail: [0.15, 0.05]"),
        "assumptions",
        "A",
        "p_fail",
        "lo must not exceed hi",
        False,
    ),
    (
        "interval of three numbers",
        _edit("p_fail: [0.05, 0.15]", "p_fail: [0.05, 0.1, 0.15]"),
        "assumptions",
        "A",
        "p_fail",
        "an interval is written [lo, hi]",
        True,
    ),
    (
        "interval above 1",
        _edit("p_fail: [0.1, 0.3]", "p_fail: [0.1, 1.3]"),
        "latent",
        "W",
        "p_fail",
        "interval hi must be a probability in [0, 1]",
        True,
    ),
    (
        "beta with a negative parameter",
        _edit("{beta: [2, 8]}", "{beta: [2, -8]}"),
        "parameters",
        "shared",
        None,
        "beta: b must be positive",
        True,
    ),
    (
        "beta with one parameter",
        _edit("{beta: [2, 8]}", "{beta: [2]}"),
        "parameters",
        "shared",
        None,
        "beta: expected a list [a, b]",
        True,
    ),
    (
        "lognormal with a heavy tail",
        _edit("error_factor: 3}", "error_factor: 1000}"),
        "assumptions",
        "C",
        "p_fail",
        "above 1 (at most LOGNORMAL_MAX_TAIL",
        False,
    ),
    (
        "lognormal without its error factor",
        _edit("{median: 0.01, error_factor: 3}", "{median: 0.01}"),
        "assumptions",
        "C",
        "p_fail",
        "lognormal: expected {median: m, error_factor: k}",
        True,
    ),
    (
        "lognormal with an error factor below 1",
        _edit("error_factor: 3}", "error_factor: 0.5}"),
        "assumptions",
        "C",
        "p_fail",
        "error_factor must exceed 1",
        True,
    ),
    (
        "triangular mode outside",
        _edit("[0.0, 0.1, 0.3]", "[0.0, 0.4, 0.3]"),
        "assumptions",
        "E",
        "p_fail",
        "lo <= mode <= hi",
        False,
    ),
    (
        "uniform of width zero",
        _edit("soundness_error: {uniform: [0.0, 0.1]}", "soundness_error: {uniform: [0.1, 0.1]}"),
        "cases",
        "X",
        "soundness_error",
        "uniform: needs lo < hi",
        False,
    ),
    (
        "unknown kind of distribution",
        _edit("{triangular: [0.0, 0.1, 0.3]}", "{gamma: [1, 2]}"),
        "assumptions",
        "E",
        "p_fail",
        "must be a mapping with exactly the keys 'holds' and 'fails'",
        True,
    ),
    (
        "unknown kind of soundness error",
        _edit("soundness_error: [0.01, 0.02]", "soundness_error: {gamma: [1, 2]}"),
        "cases",
        "Y",
        "soundness_error",
        "unknown kind of probability 'gamma'",
        True,
    ),
    (
        "unknown parameter",
        _edit("holds: {param: alias}", "holds: {param: nowhere}"),
        "assumptions",
        "B",
        "p_fail",
        "unknown parameter 'nowhere' (known parameters: shared, alias)",
        False,
    ),
    (
        "unknown parameter in a parameter",
        _edit("alias: {param: shared}", "alias: {param: nowhere}"),
        "parameters",
        "alias",
        "param",
        "unknown parameter 'nowhere'",
        False,
    ),
    (
        "cycle of parameters",
        _edit("shared: {beta: [2, 8]}", "shared: {param: alias}"),
        "parameters",
        "shared",
        "param",
        "cycle: shared -> alias -> shared",
        False,
    ),
    (
        "parameter named like an entry",
        _edit("alias: {param: shared}", "A: {param: shared}").replace("{param: alias}", "0.1"),
        "parameters",
        "A",
        None,
        "duplicate id: 'A' is already used in 'assumptions'",
        False,
    ),
    (
        "parameters not a mapping",
        _edit(
            "parameters:\n  shared: {beta: [2, 8]}\n  alias: {param: shared}", "parameters: [1]"
        ).replace("{param: alias}", "0.1"),
        "parameters",
        None,
        None,
        "expected a mapping from parameter names",
        True,
    ),
    (
        "a string that reads as a number inside a conditional",
        _edit("fails: 0.5}", "fails: '0.5'}"),
        "assumptions",
        "B",
        "p_fail",
        "a string that reads as a number",
        True,
    ),
]


@pytest.mark.parametrize(
    ("text", "section", "entry", "field", "problem"),
    [pytest.param(*row[1:6], id=row[0]) for row in CATALOGUE],
)
def test_bad_values_name_the_file_entry_and_field(tmp_path, text, section, entry, field, problem):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(PortfolioError) as info:
        load(path)
    err = info.value
    assert str(err).startswith(str(path)), str(err)
    assert problem in str(err), str(err)
    assert (err.section, err.entry, err.field) == (section, entry, field), str(err)


@pytest.mark.parametrize("text", [pytest.param(r[1], id=r[0]) for r in CATALOGUE])
def test_schema_agrees_with_the_loader(text):
    row = next(r for r in CATALOGUE if r[1] == text)
    errors = list(jsonschema.Draft202012Validator(schema()).iter_errors(yaml.safe_load(text)))
    assert bool(errors) == row[6]


def test_nothing_is_computed_from_a_half_valid_file(monkeypatch):
    """The structure is never compiled before every check passed."""
    import portfolios.portfolio as module

    def fail(*args, **kwargs):
        raise AssertionError("compiled a portfolio that did not pass its checks")

    monkeypatch.setattr(module, "compile_structure", fail)
    with pytest.raises(PortfolioError, match="unknown parameter"):
        parse(yaml.safe_load(_edit("holds: {param: alias}", "holds: {param: nowhere}")))


# --------------------------------------------------------------------------- distributions


def test_beta_moments_and_samples_agree_with_scipy():
    b = Beta(2.0, 8.0)
    assert b.mean == pytest.approx(stats.beta(2, 8).mean(), rel=1e-15)
    assert b.variance == pytest.approx(stats.beta(2, 8).var(), rel=1e-14)
    x = b.sample(np.random.default_rng(1), 200_000)
    assert stats.kstest(x, stats.beta(2, 8).cdf).pvalue > 1e-3


def test_uniform_and_triangular_moments_agree_with_scipy():
    u = Uniform(0.1, 0.4)
    ref = stats.uniform(0.1, 0.3)
    assert (u.mean, u.variance) == pytest.approx((ref.mean(), ref.var()), rel=1e-14)
    t = Triangular(0.0, 0.1, 0.5)
    ref = stats.triang(c=0.2, loc=0.0, scale=0.5)
    assert (t.mean, t.variance) == pytest.approx((ref.mean(), ref.var()), rel=1e-13)
    x = t.sample(np.random.default_rng(2), 100_000)
    assert stats.kstest(x, ref.cdf).pvalue > 1e-3


def test_lognormal_is_the_psa_convention_truncated_to_one():
    d = LogNormal(0.05, 3.0)
    # the 95th percentile of the untruncated law is median * error factor
    untruncated = stats.lognorm(s=d.sigma, scale=d.median)
    assert untruncated.ppf(0.95) == pytest.approx(0.15, rel=1e-12)
    assert d.tail == pytest.approx(untruncated.sf(1.0), rel=1e-9)
    # mean and variance of the law conditioned on X <= 1, by quadrature
    norm = untruncated.cdf(1.0)
    m1 = integrate.quad(lambda x: x * untruncated.pdf(x), 0, 1, epsabs=0, epsrel=1e-12)[0] / norm
    m2 = integrate.quad(lambda x: x * x * untruncated.pdf(x), 0, 1, epsabs=0, epsrel=1e-12)[0]
    assert d.mean == pytest.approx(m1, rel=1e-9)
    assert d.variance == pytest.approx(m2 / norm - m1 * m1, rel=1e-7)
    x = d.sample(np.random.default_rng(3), 100_000)
    assert x.max() <= 1.0
    assert stats.kstest(x, lambda v: untruncated.cdf(v) / norm).pvalue > 1e-3


def test_lognormal_tail_limit_is_the_documented_one():
    # tail = Phi(ln(m) / sigma), sigma = ln(k) / z_0.95, checked against scipy's normal cdf
    z = stats.norm.ppf(0.95)
    for m, k in [(1.0e-3, 10.0), (0.01, 10.0), (0.2, 10.0)]:
        expected = stats.norm.cdf(math.log(m) / (math.log(k) / z))
        if expected <= LOGNORMAL_MAX_TAIL:
            assert LogNormal(m, k).tail == pytest.approx(expected, rel=1e-9)
        else:
            with pytest.raises(PortfolioError, match=f"put mass {expected:.3g} above 1"):
                LogNormal(m, k)
    assert (
        LogNormal(1.0e-3, 10.0).tail
        < LOGNORMAL_MAX_TAIL
        < stats.norm.cdf(math.log(0.01) / (math.log(10.0) / z))
    )


def test_parse_value_forms():
    assert parse_value(0.25) == 0.25
    assert parse_value([0.1, 0.2]) == Interval(0.1, 0.2)
    assert parse_value({"uniform": [0, 1]}) == Uniform(0.0, 1.0)
    assert parse_value({"param": "x"}) == Param("x")
    for bad, words in [
        ({"beta": [1, 2], "param": "x"}, "mapping with one key"),
        ("0.1", "expected a probability"),
        ({"param": 3}, "expected a parameter name"),
    ]:
        with pytest.raises(PortfolioError, match=words):
            parse_value(bad)


def test_interval_contains_and_width():
    i = Interval(0.05, 0.15)
    assert 0.1 in i and 0.2 not in i
    assert math.isclose(i.width, 0.1)


@settings(max_examples=40, deadline=None)
@given(portfolio_dicts(values="intervals"))
def test_round_trip_and_schema_on_random_interval_portfolios(d):
    P = Portfolio.from_dict(d)
    out = P.to_dict()
    assert Portfolio.from_dict(out).to_dict() == out
    jsonschema.validate(out, schema())


@settings(max_examples=40, deadline=None)
@given(portfolio_dicts(values="distributions"))
def test_round_trip_and_schema_on_random_distribution_portfolios(d):
    P = Portfolio.from_dict(d)
    out = P.to_dict()
    assert Portfolio.from_dict(out).to_dict() == out
    jsonschema.validate(out, schema())
    text = yaml.safe_dump(out, sort_keys=False)
    assert parse(yaml.safe_load(text)).to_dict() == out
