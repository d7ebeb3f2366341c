"""Fault-tree uncertainty analysis against SCRAM's test cases and independent computations.

SCRAM (rakhimov/scram) expectations used here (its exact, BDD-based results; the models are
rewritten here from their structure and numbers):

* ``tests/bench_bscu_tests.cc``: the BSCU tree from XFTA (below), 10,000 trials: exact
  probability 0.1124087 (tolerance 1e-4), mean 0.117 and sigma 0.183 (tolerance 5e-3 each),
  and its ten minimal cut sets.
* ``tests/bench_small_tree_tests.cc``: the Small Tree (``SMALL_TREE`` of
  test_portfolios_ftengine.py, tested there against SCRAM's numbers); here against the exact
  moments.
* ``tests/bench_core_tests.cc`` (``MonteCarloAorNotA``, ``MonteCarloAorNotB``) and
  ``tests/risk_analysis_tests.cc`` (``AnalyzeMC``: the two-train tree with constant
  probabilities): SCRAM checks that the analysis runs; without deviates every trial is the
  exact probability, which we check.

The independent values are the exact moments of the output, computed by Gauss-Hermite
quadrature over the logarithms of the log-normal rates (the output is a smooth function of
them; with 80 nodes per rate it agrees with 160 nodes to a relative 1e-8): BSCU mean 0.11507,
std 0.18079; Small Tree mean 0.025050, std 0.021384. SCRAM's estimates agree with them within
its tolerances. For a tree whose probability is a monotone function of one deviate, the exact
quantiles are checked too. The Monte Carlo tolerance is stated where used: a mean within 4
standard errors ``std / sqrt(N)``; a standard deviation within 4 of its own standard errors,
estimated from the sample's fourth moment as ``sqrt((m4 - s^4) / (4 N s^2))``.
"""

import math
from statistics import NormalDist

import numpy as np
import pytest
from test_portfolios_ftengine import SMALL_TREE

from portfolios import openpsa

T_MISSION = 8760.0  # hours: the MEF's default mission time, used by both models
Z95 = NormalDist().inv_cdf(0.95)


def _write(tmp_path, text, name="t.xml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _gate(name, op, *children):
    kids = "".join(f'<{kind} name="{child}"/>' for kind, child in children)
    return f'<define-gate name="{name}"><{op}>{kids}</{op}></define-gate>'


def _exponential_event(name, rate, time_factor=None):
    time = "<system-mission-time/>"
    if time_factor is not None:
        time = f'<mul><int value="{time_factor}"/>{time}</mul>'
    return (
        f'<define-basic-event name="{name}"><exponential><parameter name="{rate}"/>{time}'
        "</exponential></define-basic-event>"
    )


def _lognormal_parameter(name, mean, error_factor, level=0.95):
    return (
        f'<define-parameter name="{name}"><lognormal-deviate><float value="{mean}"/>'
        f'<float value="{error_factor}"/><float value="{level}"/></lognormal-deviate>'
        "</define-parameter>"
    )


# The BSCU (braking system control unit) tree: the loss of braking commands is a validity
# monitor failure, both systems lost, or a switch failure (stuck in the intermediate position,
# or stuck in position i while system i is lost); system i is lost by its electronics or its
# power supply. The two systems share their failure-rate parameters; the switch's "stuck in
# position" events are exposed for 20 mission times. Rates: log-normal, error factor 10.
BSCU_RATES = {
    "RateMonitor": 1.6e-7,
    "RateElectronics": 3.0e-5,
    "RatePower": 1.35e-5,
    "RateSwitch": 1.30e-7,
}
BSCU = (
    '<?xml version="1.0"?>\n<opsa-mef><define-fault-tree name="BSCU">'
    + _gate(
        "LossOfBraking",
        "or",
        ("basic-event", "MonitorFails"),
        ("gate", "BothSystemsLost"),
        ("gate", "SwitchFails"),
    )
    + _gate("BothSystemsLost", "and", ("gate", "System1Lost"), ("gate", "System2Lost"))
    + "".join(
        _gate(
            f"System{i}Lost",
            "or",
            ("basic-event", f"Electronics{i}"),
            ("basic-event", f"Power{i}"),
        )
        + _gate(
            f"StuckIn{i}AndSystem{i}Lost",
            "and",
            ("gate", f"System{i}Lost"),
            ("basic-event", f"SwitchStuckIn{i}"),
        )
        + _exponential_event(f"Electronics{i}", "RateElectronics")
        + _exponential_event(f"Power{i}", "RatePower")
        + _exponential_event(f"SwitchStuckIn{i}", "RateSwitch", time_factor=20)
        for i in (1, 2)
    )
    + _gate(
        "SwitchFails",
        "or",
        ("gate", "StuckIn1AndSystem1Lost"),
        ("basic-event", "SwitchStuckBetween"),
        ("gate", "StuckIn2AndSystem2Lost"),
    )
    + _exponential_event("MonitorFails", "RateMonitor")
    + _exponential_event("SwitchStuckBetween", "RateSwitch")
    + "".join(_lognormal_parameter(name, mean, 10) for name, mean in BSCU_RATES.items())
    + "</define-fault-tree></opsa-mef>"
)


def _lognormal_nodes(mean, error_factor, n):
    """Gauss-Hermite nodes and weights of a log-normal given by (mean, EF, 0.95) as the MEF."""
    z, w = np.polynomial.hermite_e.hermegauss(n)
    sigma = math.log(error_factor) / Z95
    mu = math.log(mean) - sigma**2 / 2
    return np.exp(mu + sigma * z), w / math.sqrt(2 * math.pi)


def _failure(rate, time):
    return -np.expm1(-rate * time)


def _bscu_exact_moments(n=80):
    """Exact mean and standard deviation of P(LossOfBraking), by quadrature.

    With the rates drawn, the events are independent: with v = P(monitor), l = P(system i
    lost) = 1 - (1 - e)(1 - p) (the same for both systems: shared rates), s = P(stuck in
    position i) (20 T) and b = P(stuck between), conditioning on which systems are lost gives
    P(both lost or (lost i and stuck in i) for some i) = l^2 + 2 l (1 - l) s, so
    1 - P(top) = (1 - v) (1 - b) (1 - l^2 - 2 l (1 - l) s) = (1 - v) G. The monitor's rate is
    independent of the others: E[P] = 1 - E[1 - v] E[G], E[P^2] = 1 - 2 E[1 - v] E[G] +
    E[(1 - v)^2] E[G^2].
    """
    lv, wv = _lognormal_nodes(BSCU_RATES["RateMonitor"], 10, n)
    le, we = _lognormal_nodes(BSCU_RATES["RateElectronics"], 10, n)
    lp, wp = _lognormal_nodes(BSCU_RATES["RatePower"], 10, n)
    ls, ws = _lognormal_nodes(BSCU_RATES["RateSwitch"], 10, n)
    keep_v = 1 - _failure(lv, T_MISSION)
    e, p = _failure(le, T_MISSION)[:, None, None], _failure(lp, T_MISSION)[None, :, None]
    s, b = _failure(ls, 20 * T_MISSION)[None, None, :], _failure(ls, T_MISSION)[None, None, :]
    lost = 1 - (1 - e) * (1 - p)
    G = (1 - b) * (1 - lost**2 - 2 * lost * (1 - lost) * s)
    W = we[:, None, None] * wp[None, :, None] * ws[None, None, :]
    EG, EG2 = float(np.sum(W * G)), float(np.sum(W * G**2))
    Ek, Ek2 = float(np.sum(wv * keep_v)), float(np.sum(wv * keep_v**2))
    mean = 1 - Ek * EG
    second = 1 - 2 * Ek * EG + Ek2 * EG2
    return mean, math.sqrt(second - mean**2)


def _small_tree_exact_moments(n=80):
    """Exact mean and standard deviation of the Small Tree's top, by quadrature.

    top = e1 e2 or e3 e4, four independent events given the rates, e4 with the rate of e2
    (lambda4 = lambda2, one draw): P = p1 p2 + p3 p2 - p1 p3 p2^2, over independent rates
    lambda1, lambda2, lambda3 (means 2e-5, 1e-5, 2e-5, EF 3).
    """
    l1, w1 = _lognormal_nodes(2e-5, 3, n)
    l2, w2 = _lognormal_nodes(1e-5, 3, n)
    p1 = _failure(l1, T_MISSION)[:, None, None]
    p3 = _failure(l1, T_MISSION)[None, :, None]  # lambda3 has lambda1's distribution
    p2 = _failure(l2, T_MISSION)[None, None, :]
    P = p1 * p2 + p3 * p2 - p1 * p3 * p2**2
    W = w1[:, None, None] * w1[None, :, None] * w2[None, None, :]
    mean = float(np.sum(W * P))
    return mean, math.sqrt(float(np.sum(W * P**2)) - mean**2)


def _std_error_of_std(samples):
    s = samples.std(ddof=1)
    m4 = np.mean((samples - samples.mean()) ** 4)
    return math.sqrt((m4 - s**4) / (4 * len(samples) * s**2))


def test_the_quadrature_has_converged():
    for exact in (_bscu_exact_moments, _small_tree_exact_moments):
        coarse, fine = exact(80), exact(160)
        assert coarse == pytest.approx(fine, rel=1e-8)


def test_bscu_against_scram_and_the_exact_moments(tmp_path):
    T = openpsa.load(_write(tmp_path, BSCU))
    assert T.probability() == pytest.approx(0.1124087, abs=1e-4)  # SCRAM, BDD
    cut_sets = {frozenset(c.labels) for c in T.minimal_cut_sets()}
    assert cut_sets == {
        frozenset(c)
        for c in (
            {"SwitchStuckBetween"},
            {"MonitorFails"},
            {"Power1", "Power2"},
            {"Power1", "SwitchStuckIn1"},
            {"Power1", "Electronics2"},
            {"Power2", "SwitchStuckIn2"},
            {"Power2", "Electronics1"},
            {"SwitchStuckIn1", "Electronics1"},
            {"SwitchStuckIn2", "Electronics2"},
            {"Electronics1", "Electronics2"},
        )
    }  # SCRAM's ten minimal cut sets, in our event names
    # SCRAM's Monte Carlo estimates (mean 0.117, sigma 0.183, tolerance 5e-3) agree with the
    # exact moments (0.11507, 0.18079)
    mean, std = _bscu_exact_moments()
    assert mean == pytest.approx(0.117, abs=5e-3) and std == pytest.approx(0.183, abs=5e-3)
    # Ours, with SCRAM's 10,000 trials, within 4 standard errors of the exact moments. (Not
    # against SCRAM's estimate within its 5e-3: the standard error of a 10,000-trial mean is
    # 0.0018, so two independent estimates differ by more than 5e-3 in about 6% of seeds.)
    u = T.uncertainty(samples=10_000, rng=2024)
    assert u.mean == pytest.approx(mean, abs=4 * u.standard_error)
    assert u.std == pytest.approx(std, abs=4 * _std_error_of_std(u.samples))
    # the electronics rate (in 5 of the 10 cut sets, both systems) drives the most variance
    assert u.sensitivity[0].parameter == "RateElectronics"
    assert set(u.parameters) == set(BSCU_RATES)
    assert all(s.spearman > 0 for s in u.sensitivity)


def test_small_tree_against_the_exact_moments(tmp_path):
    T = openpsa.load(_write(tmp_path, SMALL_TREE))
    mean, std = _small_tree_exact_moments()
    # SCRAM's estimates (mean 0.0253, sigma 0.022, tolerances 1e-3 and 2e-3) agree
    assert mean == pytest.approx(0.0253, abs=1e-3) and std == pytest.approx(0.022, abs=2e-3)
    u = T.uncertainty(samples=20_000, rng=7)
    assert u.mean == pytest.approx(mean, abs=4 * u.standard_error)
    assert u.std == pytest.approx(std, abs=4 * _std_error_of_std(u.samples))


def test_quantiles_of_a_monotone_function_of_one_deviate(tmp_path):
    # The Small Tree with one rate for all four events: P = 2 e^2 - e^4, e = 1 - exp(-lambda T),
    # increasing in lambda, so P's q-quantile is P at lambda's q-quantile,
    # exp(mu + sigma z_q). The sample quantile Q of N trials has P(P <= Q) within binomial
    # error of q: |F(Q) - q| <= 4 sqrt(q (1 - q) / N).
    single = (
        '<opsa-mef><define-fault-tree name="one-rate">'
        + _gate("top", "or", ("gate", "g1"), ("gate", "g2"))
        + _gate("g1", "and", ("basic-event", "e1"), ("basic-event", "e2"))
        + _gate("g2", "and", ("basic-event", "e3"), ("basic-event", "e4"))
        + "".join(_exponential_event(f"e{i}", "lambda") for i in range(1, 5))
        + _lognormal_parameter("lambda", 1e-5, 3)
        + "</define-fault-tree></opsa-mef>"
    )
    T = openpsa.load(_write(tmp_path, single))
    n = 20_000
    u = T.uncertainty(samples=n, rng=11, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95))
    assert u.parameters == ("lambda",)
    sigma = math.log(3) / Z95
    mu = math.log(1e-5) - sigma**2 / 2

    def top(lam):
        e = _failure(lam, T_MISSION)
        return 2 * e**2 - e**4

    assert u.point_value == pytest.approx(float(top(1e-5)), rel=1e-12)
    for q, value in u.quantiles.items():
        exact = float(top(math.exp(mu + sigma * NormalDist().inv_cdf(q))))
        assert value == pytest.approx(exact, rel=0.1)
        # invert top (increasing) by bisection on log(lambda), then lambda's CDF
        lo, hi = mu - 10 * sigma, mu + 10 * sigma
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if top(math.exp(mid)) < value else (lo, mid)
        level = NormalDist(mu, sigma).cdf((lo + hi) / 2)
        assert level == pytest.approx(q, abs=4 * math.sqrt(q * (1 - q) / n))
    # one deviate: the output is an increasing function of it alone (first-order index 1; the
    # binned estimate is lower, 0.83 here: the last bin holds the output's heavy tail)
    [s] = u.sensitivity
    assert s.spearman == pytest.approx(1.0) and s.first_order > 0.75


A_OR_NOT = (
    '<opsa-mef><define-fault-tree name="t">'
    + _gate("top", "or", ("basic-event", "A"), ("gate", "notX"))
    + '<define-gate name="notX"><not><basic-event name="X"/></not></define-gate>'
    + '<define-basic-event name="A"><float value="0.1"/></define-basic-event>'
    + '<define-basic-event name="B"><float value="0.2"/></define-basic-event>'
    + '<define-basic-event name="C"><float value="0.3"/></define-basic-event>'
    + "</define-fault-tree></opsa-mef>"
)

TWO_TRAINS = (
    '<opsa-mef><define-fault-tree name="TwoTrains">'
    + _gate("top", "and", ("event", "TrainOne"), ("event", "TrainTwo"))
    + _gate("TrainOne", "or", ("event", "ValveOne"), ("event", "PumpOne"))
    + _gate("TrainTwo", "or", ("event", "ValveTwo"), ("event", "PumpTwo"))
    + "".join(
        f'<define-basic-event name="{name}"><float value="{p}"/></define-basic-event>'
        for name, p in (("ValveOne", 0.4), ("ValveTwo", 0.5), ("PumpOne", 0.6), ("PumpTwo", 0.7))
    )
    + "</define-fault-tree></opsa-mef>"
)


@pytest.mark.parametrize(
    ("text", "exact"),
    [
        (A_OR_NOT.replace("X", "A"), 1.0),  # A or not A: certain
        (A_OR_NOT.replace("X", "B"), 0.1 + 0.9 * 0.8),  # A or not B
        (TWO_TRAINS, (1 - 0.6 * 0.4) * (1 - 0.5 * 0.3)),  # 0.76 * 0.85
    ],
)
def test_without_deviates_every_trial_is_the_exact_probability(tmp_path, text, exact):
    T = openpsa.load(_write(tmp_path, text))
    u = T.uncertainty(samples=500, rng=0)
    assert u.point_value == pytest.approx(exact, rel=1e-12)
    assert np.allclose(u.samples, exact, rtol=1e-12, atol=0) and u.std == 0.0  # exactly
    assert u.parameters == () and u.sensitivity == () and u.parameter_samples.shape == (500, 0)
    assert all(v == pytest.approx(exact, rel=1e-12) for v in u.quantiles.values())


def test_seeds_as_for_a_portfolio(tmp_path):
    # rng as in portfolios._parallel.seed_sequence: a SeedSequence is copied (the same one
    # twice gives the same trials), a Generator gives a seed and advances, None is fresh
    # entropy recorded in ``seed``
    T = openpsa.load(_write(tmp_path, SMALL_TREE))
    root = np.random.SeedSequence(42)
    first, again = T.uncertainty(samples=300, rng=root), T.uncertainty(samples=300, rng=root)
    assert np.array_equal(first.samples, again.samples)
    assert np.array_equal(first.samples, T.uncertainty(samples=300, rng=42).samples)
    g = np.random.default_rng(1)
    one, two = T.uncertainty(samples=300, rng=g), T.uncertainty(samples=300, rng=g)
    assert not np.array_equal(one.samples, two.samples)
    assert np.array_equal(T.uncertainty(samples=300, rng=one.seed).samples, one.samples)
    fresh = T.uncertainty(samples=300)
    assert np.array_equal(T.uncertainty(samples=300, rng=fresh.seed).samples, fresh.samples)
    # the first trials of a longer run are the same (chunks of CHUNK trials, one seed each)
    longer = T.uncertainty(samples=5000, rng=42)
    assert np.array_equal(longer.samples[:300], first.samples)
