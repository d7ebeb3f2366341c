"""Second-order uncertainty: against distributions and moments computed independently."""

import math
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from scipy import stats

from portfolios import Portfolio, PortfolioError
from portfolios.strategies import portfolio_dicts
from portfolios.uncertainty import BLOCK
from portfolios.values import Distribution


def _portfolio(assumptions, cases, latent=None, parameters=None):
    data = {
        "assumptions": {k: {"statement": k, "p_fail": v} for k, v in assumptions.items()},
        "cases": {
            k: {"statement": k, "assumptions": list(v), "covers": ["S"]} for k, v in cases.items()
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    if latent:
        data["latent"] = {k: {"statement": k, "p_fail": v} for k, v in latent.items()}
    if parameters:
        data["parameters"] = parameters
    return Portfolio.from_dict(data)


def _dkw(n, alpha=1e-6):
    """Dvoretzky-Kiefer-Wolfowitz: sup |F_n - F| <= eps with probability 1 - alpha."""
    return math.sqrt(math.log(2 / alpha) / (2 * n))


def test_one_case_on_one_beta_has_the_beta_distribution():
    P = _portfolio({"A": {"beta": [2, 8]}}, {"X": ["A"]})
    u = P.uncertainty("S", samples=40_000, rng=7, quantiles=(0.05, 0.5, 0.95, 0.99))
    ref = stats.beta(2, 8)
    assert abs(u.mean - 0.2) < 5 * u.standard_error
    assert u.std == pytest.approx(ref.std(), rel=0.03)
    eps = _dkw(u.n_samples)
    for q, value in u.quantiles.items():
        assert abs(ref.cdf(value) - q) <= eps, q
    assert abs(ref.cdf(u.quantile(0.25)) - 0.25) <= eps
    assert stats.kstest(u.samples, ref.cdf).pvalue > 1e-4
    assert u.point_value == pytest.approx(0.2, rel=1e-15)
    assert u.parameters == ("A",)
    assert np.allclose(u.samples, u.parameter_samples[:, 0], rtol=1e-14, atol=0)  # P(U) = p_A


def test_independent_betas_multiply_their_means():
    P = _portfolio({"A": {"beta": [2, 8]}, "B": {"beta": [3, 3]}}, {"X": ["A"], "Y": ["B"]})
    u = P.uncertainty("S", samples=40_000, rng=3)
    assert abs(u.mean - 0.2 * 0.5) < 5 * u.standard_error
    assert u.point_value == pytest.approx(0.1, rel=1e-15)


def test_a_shared_parameter_gives_the_second_moment():
    P = _portfolio(
        {"A": {"param": "p"}, "B": {"param": "p"}},
        {"X": ["A"], "Y": ["B"]},
        parameters={"p": {"beta": [2, 8]}},
    )
    u = P.uncertainty("S", samples=40_000, rng=11)
    ref = stats.beta(2, 8)
    second = ref.var() + ref.mean() ** 2  # E[p^2] = var + mean^2 = 0.054545...
    assert second == pytest.approx(0.0145454545 + 0.04, rel=1e-8)
    assert abs(u.mean - second) < 5 * u.standard_error
    assert u.point_value == pytest.approx(0.04, rel=1e-14)  # the mean plugged in: mean^2
    assert u.mean > u.point_value + 10 * u.standard_error
    assert u.parameters == ("p",)
    assert np.allclose(u.samples, u.parameter_samples[:, 0] ** 2, rtol=1e-14, atol=0)


def test_a_distribution_on_a_latent_variable():
    P = _portfolio(
        {"A": {"W": {"holds": 0.0, "fails": 1.0}}}, {"X": ["A"]}, latent={"W": {"beta": [1, 3]}}
    )
    u = P.uncertainty("S", samples=20_000, rng=5)
    assert np.allclose(u.samples, u.parameter_samples[:, 0], rtol=1e-14, atol=0)
    assert abs(u.mean - 0.25) < 5 * u.standard_error


def test_lognormal_and_triangular_shapes():
    P = _portfolio(
        {
            "A": {"lognormal": {"median": 0.01, "error_factor": 3}},
            "B": {"triangular": [0, 0.1, 0.5]},
        },
        {"X": ["A"], "Y": ["B"]},
    )
    u = P.uncertainty("S", samples=20_000, rng=2)
    a, b = u.parameter_samples[:, 0], u.parameter_samples[:, 1]
    sigma = math.log(3) / stats.norm.ppf(0.95)
    assert stats.kstest(a, stats.lognorm(s=sigma, scale=0.01).cdf).pvalue > 1e-4
    assert stats.kstest(b, stats.triang(c=0.2, scale=0.5).cdf).pvalue > 1e-4
    assert np.allclose(u.samples, a * b, rtol=1e-13, atol=0)


def test_first_order_index_of_a_product_of_independent_betas():
    """S_A = E[B]^2 Var(A) / Var(AB), in closed form from the Beta moments."""
    P = _portfolio({"A": {"beta": [2, 8]}, "B": {"beta": [3, 3]}}, {"X": ["A"], "Y": ["B"]})
    u = P.uncertainty("S", samples=60_000, rng=4)
    A, B = stats.beta(2, 8), stats.beta(3, 3)
    var = (A.var() + A.mean() ** 2) * (B.var() + B.mean() ** 2) - (A.mean() * B.mean()) ** 2
    first = {"A": B.mean() ** 2 * A.var() / var, "B": A.mean() ** 2 * B.var() / var}
    got = {s.parameter: s for s in u.sensitivity}
    for name in ("A", "B"):
        assert got[name].first_order == pytest.approx(first[name], abs=0.02)
        assert got[name].spearman > 0.3
    assert u.sensitivity[0].parameter == max(first, key=first.get)
    assert "equal-count bins" in u.estimator


def test_results_are_identical_whatever_the_workers():
    P = _portfolio(
        {"A": {"beta": [2, 8]}, "B": {"uniform": [0.1, 0.3]}, "C": 0.1},
        {"X": ["A", "C"], "Y": ["B", "C"]},
    )
    n = 2 * BLOCK + 123
    serial = P.uncertainty("S", samples=n, rng=123)
    with ThreadPoolExecutor(max_workers=3) as pool:
        threads = P.uncertainty("S", samples=n, rng=123, workers=pool.map)
    processes = P.uncertainty("S", samples=n, rng=123, workers=2)
    for other in (threads, processes):
        assert np.array_equal(serial.samples, other.samples)
        assert np.array_equal(serial.parameter_samples, other.parameter_samples)
        assert serial.sensitivity == other.sensitivity
    # a shorter run is a prefix of a longer one
    short = P.uncertainty("S", samples=BLOCK + 5, rng=123)
    assert np.array_equal(short.samples, serial.samples[: BLOCK + 5])
    again = P.uncertainty("S", samples=n, rng=np.random.SeedSequence(123))
    assert np.array_equal(again.samples, serial.samples)


def test_a_generator_advances_and_none_records_its_entropy():
    P = _portfolio({"A": {"beta": [2, 8]}}, {"X": ["A"]})
    g = np.random.default_rng(0)
    first, second = P.uncertainty("S", 100, g), P.uncertainty("S", 100, g)
    assert not np.array_equal(first.samples, second.samples)
    fresh = P.uncertainty("S", 100, None)
    assert np.array_equal(P.uncertainty("S", 100, fresh.seed).samples, fresh.samples)


def test_intervals_are_refused_with_the_way_out():
    P = _portfolio({"A": [0.1, 0.2], "B": {"beta": [2, 8]}}, {"X": ["A"], "Y": ["B"]})
    with pytest.raises(PortfolioError, match=r"A \(an interval\) has none.*bounds.*uniform"):
        P.uncertainty("S")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"samples": 1}, "samples must be an integer >= 2"),
        ({"quantiles": (0.5, 1.5)}, "quantile levels"),
        ({"workers": 0}, "workers must be"),
        ({"rng": "seed"}, "rng must be"),
    ],
)
def test_arguments_are_checked(kwargs, words):
    P = _portfolio({"A": {"beta": [2, 8]}}, {"X": ["A"]})
    with pytest.raises(PortfolioError, match=words):
        P.uncertainty("S", **kwargs)


def test_points_only_give_a_constant_sample():
    P = _portfolio({"A": 0.1, "B": 0.2}, {"X": ["A"], "Y": ["B"]})
    u = P.uncertainty("S", samples=10)
    assert np.all(u.samples == u.point_value) and u.std < 1e-15 and u.sensitivity == ()


def _point_dict(d, names_values):
    """The portfolio dict with every distribution replaced by its drawn value (default 0.5)."""
    shared = d.get("parameters", {})

    def drawn(name):
        return names_values.get(name, 0.5)  # a parameter that does not enter: any value

    def point(value, name):
        if isinstance(value, dict) and "param" in value:
            root = value["param"]
            while isinstance(shared[root], dict) and "param" in shared[root]:
                root = shared[root]["param"]
            return shared[root] if not isinstance(shared[root], dict) else drawn(root)
        if isinstance(value, dict):
            return drawn(name)
        return value

    out = {k: v for k, v in d.items() if k != "parameters"}
    out["latent"] = {
        k: {**e, "p_fail": point(e["p_fail"], k)} for k, e in d.get("latent", {}).items()
    }
    assumptions = {}
    for k, e in d.get("assumptions", {}).items():
        p = e["p_fail"]
        if isinstance(p, dict) and len(p) == 1 and next(iter(p)).startswith("W"):
            ((w, t),) = p.items()
            p = {w: {s: point(t[s], f"{k}[{w} {s}]") for s in ("holds", "fails")}}
        else:
            p = point(p, k)
        assumptions[k] = {**e, "p_fail": p}
    out["assumptions"] = assumptions
    out["cases"] = {
        k: {**e, "soundness_error": point(e["soundness_error"], f"soundness({k})")}
        for k, e in d["cases"].items()
    }
    return {k: v for k, v in out.items() if v}


@settings(max_examples=25, deadline=None)
@given(portfolio_dicts(max_latent=2, max_assumptions=4, max_cases=3, values="distributions"))
def test_every_sample_is_the_brute_force_probability_at_its_draws(d):
    P = Portfolio.from_dict(d)
    params = P.structure.parameters
    for s in P.scenarios:
        u = P.uncertainty(s, samples=8, rng=0)
        assert set(u.parameters) <= set(params.names)
        for name in u.parameters:
            assert isinstance(params.values[params.names.index(name)], Distribution)
        for i in range(u.n_samples):
            values = dict(zip(u.parameters, u.parameter_samples[i].tolist(), strict=True))
            Q = Portfolio.from_dict(_point_dict(d, values))
            expected = Q.p_unprotected(s, method="enumerate")
            assert u.samples[i] == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_the_result_reports_its_engine_and_keeps_the_fault_tree_names():
    # one result type for portfolios and fault trees: the fault tree's names are aliases here
    P = _portfolio({"A": {"beta": [2, 8]}, "B": 0.5}, {"X": ["A"], "Y": ["B"]})
    u = P.uncertainty("S", samples=3000, rng=1, quantiles=(0.25, 0.75))
    assert u.engine == "exact" and u.backend == "exact" and u.quantity is None
    assert u.targets == ("X", "Y") and u.gate is None  # two targets: no single gate
    assert u.point == u.point_value == pytest.approx(0.2 * 0.5, rel=1e-15)
    assert list(u.quantile_levels) == [0.25, 0.75] and not u.quantile_levels.flags.writeable
    assert np.array_equal(u.quantile(u.quantile_levels), list(u.quantiles.values()))
    counts, edges = u.histogram
    assert counts.sum() == 3000 and len(edges) == 21 and edges[-1] == u.samples.max()
    assert np.array_equal(counts, np.histogram(u.samples, bins=20)[0])
    assert u.to_text().startswith("P(unprotected) for S: 3000 samples\n")


@pytest.mark.parametrize("value", [0.0, 1e-7, 0.02, 0.1, 0.3, 2 / 3, 0.7, 1.0])
@pytest.mark.parametrize("n", [2, 3, 10, 1001])
def test_a_constant_sample_has_std_zero_and_no_first_order_index(value, n):
    # the mean of n copies of 0.1 is not 0.1 in floating point: the spread left (1e-17) and
    # the between-bin "index" of that rounding noise (1.0) used to be reported as numbers
    from portfolios._uncertaintyresult import sample_moments, sensitivity

    y = np.full(n, value)
    draws = np.random.default_rng(0).uniform(size=(n, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning (0/0, ddof) escapes
        assert sample_moments(y) == (value, 0.0)
        rows = sensitivity(["a", "b"], draws, y)
    assert all(math.isnan(r.first_order) and math.isnan(r.spearman) for r in rows)
    assert [r.parameter for r in rows] == ["a", "b"]


def test_sample_moments_needs_two_values():
    from portfolios._uncertaintyresult import sample_moments

    with pytest.raises(PortfolioError, match="two or more"):
        sample_moments(np.array([0.5]))


def test_a_constant_output_reports_std_zero_and_nan_indices():
    # points only (P = 0.1 * 0.2 in every trial), and a beta that enters but cannot matter
    # (A's case is backed up by Y, which never fails)
    for P in (
        _portfolio({"A": 0.1, "B": 0.2}, {"X": ["A"], "Y": ["B"]}),
        _portfolio({"A": {"beta": [2, 8]}, "B": 0.0}, {"X": ["A"], "Y": ["B"]}),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            u = P.uncertainty("S", samples=1000)
        assert u.std == 0.0 and u.standard_error == 0.0 and u.mean == u.samples[0]
        assert all(math.isnan(s.first_order) for s in u.sensitivity)
        if u.sensitivity:  # undefined, and shown so (without a sign)
            assert "nan" in u.to_text() and "+nan" not in u.to_text() + u._repr_html_()
