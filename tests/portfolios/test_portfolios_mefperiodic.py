"""The MEF ``periodic-test`` built-in in its 4-, 5- and 11-argument forms.

Published values used here: SCRAM (rakhimov/scram) ``tests/expression_tests.cc``, test cases
``ExpressionTest.PeriodicTest5`` and ``ExpressionTest.PeriodicTest11`` (tolerance 1e-5 there).
The independent computation is the Markov model of the MEF standard (2.0d, "Built-ins",
multi-phase Markov graph) written here as generator matrices, solved with
``scipy.linalg.expm`` phase by phase and period by period.
"""

import decimal
import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from portfolios import PortfolioError, openpsa
from portfolios.mefperiodic import (
    periodic_test,
    periodic_test_4,
    periodic_test_5,
    periodic_test_11,
)

# SCRAM's ExpressionTest.PeriodicTest5: lambda 7e-4, mu 4e-4, theta 4740, t 8760
SCRAM_5 = [
    ((7e-4, 4e-4, 4020, 4740, 8760), 0.817508),
    ((7e-4, 4e-4, 2010, 4740, 8760), 0.736611),
    ((7e-4, 4e-4, 120, 4740, 8760), 0.645377),
    ((7e-4, 7e-4, 120, 4740, 8760), 0.511579),  # mu = lambda: the limit of the formula
    ((7e-4, 0.0, 120, 4740, 8760), 0.997828),  # no repair
]

# SCRAM's ExpressionTest.PeriodicTest11, arguments in the MEF order
# (lambda, lambda*, mu, tau, theta, gamma, pi, x, sigma, omega, t)
BASE_11 = {
    "lam": 7e-4,
    "lam_test": 6e-4,
    "mu": 4e-4,
    "tau": 120.0,
    "theta": 4740.0,
    "gamma": 0.01,
    "pi": 20.0,
    "x": 1.0,
    "sigma": 0.9,
    "omega": 0.01,
    "t": 8760.0,
}
SCRAM_11 = [
    ({}, 0.668316),
    ({"x": 0.0}, 0.668316),
    ({"x": 0.0, "t": 4750.0}, 1.0),  # during the first test, unavailable while tested
    ({"x": 0.0, "t": 4870.0}, 0.996715),
    ({"x": 0.0, "t": 8710.0}, 0.997478),
    ({"lam_test": 7e-4, "mu": 7e-4}, 0.543401),
    ({"pi": 120.0}, 0.6469),
    # an instantaneous perfect test is the 5-argument form (SCRAM's 0.817508 and 0.645377)
    ({"tau": 4020.0, "pi": 0.0, "omega": 0.0, "sigma": 1.0, "gamma": 0.0}, 0.817508),
    ({"pi": 0.0, "omega": 0.0, "sigma": 1.0, "gamma": 0.0}, 0.645377),
]


@pytest.mark.parametrize(("args", "expected"), SCRAM_5)
def test_five_arguments_match_scram(args, expected):
    assert float(periodic_test(*args)) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(("change", "expected"), SCRAM_11)
def test_eleven_arguments_match_scram(change, expected):
    args = {**BASE_11, **change}
    assert float(periodic_test_11(**args)) == pytest.approx(expected, abs=1e-6)


def test_five_arguments_with_instant_repair_is_the_four_argument_form():
    # SCRAM's test: mu = 1e300 gives the 4-argument value
    for t in (100.0, 4740.0, 4800.0, 8760.0):
        assert float(periodic_test_5(7e-4, 1e300, 120, 4740, t)) == pytest.approx(
            float(periodic_test_4(7e-4, 120, 4740, t)), rel=1e-12
        )


# --------------------------------------------------------------------------- the Markov model

A, F, R = 0, 1, 2  # working phase states
# test phase states: A (working since the test began), P (failed, waiting for the end of the
# test to be found or not), R (in repair), F2 (failed after a repair: not tested), A2 (repaired)
TA, TP, TR, TF2, TA2 = range(5)


def _markov(lam, lam_test, mu, tau, theta, gamma, pi, x, sigma, omega, t):
    """The unavailability from generator matrices, one phase at a time (a loop over periods)."""
    work = np.zeros((3, 3))
    work[A, F] = lam
    work[R, F], work[R, A] = mu * omega, mu * (1 - omega)
    np.fill_diagonal(work, -work.sum(axis=1))
    test = np.zeros((5, 5))
    test[TA, TP] = lam_test
    test[TR, TF2], test[TR, TA2] = mu * omega, mu * (1 - omega)
    test[TA2, TF2] = lam
    np.fill_diagonal(test, -test.sum(axis=1))
    start = np.zeros((3, 5))  # the jump when a test begins
    start[A, TA], start[A, TP] = 1 - gamma, gamma
    start[F, TP] = 1.0
    start[R, TR] = 1.0
    end = np.zeros((5, 3))  # the jump when it ends
    end[TA, A] = end[TA2, A] = 1.0
    end[TP, R], end[TP, F] = sigma, 1 - sigma
    end[TR, R] = 1.0
    end[TF2, F] = 1.0
    if t <= theta:
        return 1 - math.exp(-lam * t)
    state = np.array([math.exp(-lam * theta), 1 - math.exp(-lam * theta), 0.0])
    now = theta
    whole_test, whole_work = expm(test * pi), expm(work * (tau - pi))
    while True:  # now is the start of a test
        in_test = state @ start
        if t <= now + pi:
            s = in_test @ expm(test * (t - now))
            return 1 - s[TA2] - x * s[TA]
        state = in_test @ whole_test @ end
        if t <= now + tau:
            return 1 - (state @ expm(work * (t - now - pi)))[A]
        state = state @ whole_work
        now += tau


def _markov_5(lam, mu, tau, theta, t):
    """The 5-argument form: an instantaneous perfect test (the MEF's reduction)."""
    return _markov(lam, 0.0, mu, tau, theta, 0.0, 0.0, 1.0, 1.0, 0.0, t)


@pytest.mark.parametrize("t", [0.0, 50.0, 100.0, 130.0, 160.0, 400.0, 401.0, 1000.0])
def test_five_arguments_equal_the_markov_model(t):
    # the first test at 100, then one every 60 h; 160, 400 are test instants
    value = float(periodic_test_5(2e-3, 5e-3, 60.0, 100.0, t))
    assert value == pytest.approx(_markov_5(2e-3, 5e-3, 60.0, 100.0, t), rel=1e-10, abs=1e-15)


@pytest.mark.parametrize("t", [30.0, 100.0, 105.0, 110.0, 125.0, 159.9, 170.0, 405.0, 1000.0])
@pytest.mark.parametrize("x", [0.0, 1.0])
def test_eleven_arguments_equal_the_markov_model(t, x):
    # first test at 100, one every 60 h lasting 10 h; 105, 405 are during a test
    args = (2e-3, 8e-3, 5e-3, 60.0, 100.0, 0.05, 10.0, x, 0.8, 0.1, t)
    assert float(periodic_test_11(*args)) == pytest.approx(_markov(*args), rel=1e-10, abs=1e-15)


def test_the_scram_values_equal_the_markov_model():
    for change, expected in SCRAM_11[:7]:
        args = {**BASE_11, **change}
        assert _markov(**args) == pytest.approx(expected, abs=1e-6)


rates = st.floats(0.0, 0.05)
positive = st.floats(0.5, 50.0)
probability = st.floats(0.0, 1.0)


@settings(max_examples=30)
@given(
    lam=rates,
    lam_test=rates,
    mu=rates,
    tau=positive,
    theta=st.floats(0.0, 50.0),
    gamma=probability,
    share=st.floats(0.0, 1.0),
    x=st.sampled_from([0.0, 1.0]),
    sigma=probability,
    omega=probability,
    t=st.floats(0.0, 400.0),
)
def test_eleven_arguments_equal_the_markov_model_anywhere(
    lam, lam_test, mu, tau, theta, gamma, share, x, sigma, omega, t
):
    args = (lam, lam_test, mu, tau, theta, gamma, share * tau, x, sigma, omega, t)
    value = float(periodic_test_11(*args))
    assert 0.0 <= value <= 1.0
    assert value == pytest.approx(_markov(*args), rel=1e-8, abs=1e-12)


@settings(max_examples=30)
@given(lam=rates, mu=rates, tau=positive, theta=st.floats(0.0, 50.0), t=st.floats(0.0, 400.0))
def test_the_eleven_argument_form_reduces_to_the_five_argument_form(lam, mu, tau, theta, t):
    five = float(periodic_test_5(lam, mu, tau, theta, t))
    eleven = float(periodic_test_11(lam, 0.3, mu, tau, theta, 0.0, 0.0, 1.0, 1.0, 0.0, t))
    assert five == pytest.approx(eleven, rel=1e-9, abs=1e-14)


def _five_in_decimals(lam, mu, tau, theta, t):
    """The 5-argument closed form in 50-digit decimals (the geometric sum written out)."""
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        lam, mu, tau, theta, t = (Decimal(repr(v)) for v in (lam, mu, tau, theta, t))

        def q(s):
            return 1 - (-lam * s).exp()

        def rho(s):  # repaired by s and not failed since
            if lam == mu:
                return mu * s * (-lam * s).exp()
            return mu * ((-mu * s).exp() - (-lam * s).exp()) / (lam - mu)

        n = int((t - theta) / tau)
        u = t - theta - n * tau
        c = 1 - q(tau) - rho(tau)
        u_n = c**n * q(theta) + q(tau) * (1 - c**n) / (1 - c)
        return float(q(u) + u_n * (1 - q(u) - rho(u)))


def test_a_million_periods_keep_their_accuracy():
    # 10^6 periods: the geometric sum near c = 1 (rare failures, slow repairs) and the
    # repeated squaring of the 11-argument form, against 50-digit arithmetic
    for lam, mu in ((1e-9, 1e-3), (1e-9, 1e-9), (3e-6, 2e-2)):
        for t in (1e6 + 0.5, 2e6 + 0.25):
            expected = _five_in_decimals(lam, mu, 1.0, 0.0, t)
            assert float(periodic_test_5(lam, mu, 1.0, 0.0, t)) == pytest.approx(expected, rel=1e-9)
            eleven = periodic_test_11(lam, 0.0, mu, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, t)
            assert float(eleven) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "args",
    [
        (1e-3, 1e-300, 0.0),
        (1e-3, 1e-2, 1e-300, 0.0),
        (1e-3, 1e-3, 1e-2, 1e-300, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0),
    ],
)
def test_too_many_periods_is_an_error_not_a_hang(args):
    # 1e310 periods (an infinite ratio in floats): the phase is lost, so no number is given
    with pytest.raises(ValueError, match=r"fewer than 2\^52 periods"):
        periodic_test(*args, 1e10)
    tau = 1e-300
    assert 0.0 <= float(periodic_test(*args, 2.0**51 * tau)) <= 1.0  # 2^51 periods: fine


def test_arrays_are_one_value_per_column():
    t = np.array([1e5 + 0.5, 2e5 + 0.25, 10.0, 0.0])
    mu = np.array([4e-4, 1e-2, 0.0, 1.0])
    got = periodic_test_5(7e-4, mu, 3.0, 1.0, t)
    alone = [float(periodic_test_5(7e-4, m, 3.0, 1.0, s)) for m, s in zip(mu, t, strict=True)]
    assert got.shape == (4,) and np.allclose(got, alone, rtol=1e-13, atol=0)
    args = (7e-4, 6e-4, mu, 3.0, 1.0, 0.01, 0.5, 0.0, 0.9, 0.01, t)
    eleven = periodic_test_11(*args)
    one_by_one = [
        float(periodic_test_11(7e-4, 6e-4, m, 3.0, 1.0, 0.01, 0.5, 0.0, 0.9, 0.01, s))
        for m, s in zip(mu, t, strict=True)
    ]
    assert eleven.shape == (4,) and np.allclose(eleven, one_by_one, rtol=1e-13, atol=0)


# --------------------------------------------------------------------------- through the MEF


def _model(tmp_path, expression):
    text = (
        "<opsa-mef><define-fault-tree name='t'><define-gate name='top'><or><basic-event name='A'/>"
        "</or></define-gate><define-basic-event name='A'>\n"
        f"{expression}</define-basic-event></define-fault-tree></opsa-mef>"
    )
    path = tmp_path / "t.xml"
    path.write_text(text)
    return path


def _floats(*values):
    return "".join(f"<float value='{v}'/>" for v in values)


def test_the_three_forms_read_from_mef(tmp_path):
    five = _model(
        tmp_path,
        f"<periodic-test>{_floats(7e-4, 4e-4, 4020, 4740)}<system-mission-time/></periodic-test>",
    )
    assert openpsa.load(five).basic_events["A"] == pytest.approx(0.817508, abs=1e-6)
    eleven = _model(
        tmp_path,
        f"<periodic-test>{_floats(7e-4, 6e-4, 4e-4, 120, 4740, 0.01, 20)}<bool value='true'/>"
        f"{_floats(0.9, 0.01, 8760)}</periodic-test>",
    )
    assert openpsa.load(eleven).basic_events["A"] == pytest.approx(0.668316, abs=1e-6)


def test_sampled_arguments_give_one_value_per_trial(tmp_path):
    path = _model(
        tmp_path,
        "<periodic-test><lognormal-deviate>"
        f"{_floats(7e-4, 3, 0.95)}</lognormal-deviate>{_floats(4e-4, 120, 4740, 8760)}"
        "</periodic-test>",
    )
    T = openpsa.load(path)
    program = T.model.program
    values = program.sample(np.random.default_rng(5), 20)
    lam = next(v for v in values if isinstance(v, np.ndarray))
    got = values[T.model.basic_events["A"]]
    expected = [float(periodic_test_5(v, 4e-4, 120, 4740, 8760)) for v in lam]
    assert got.shape == (20,) and np.allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (_floats(1e-3, 0, 10, 100), r"tau > 0 \(got 0\)"),
        (_floats(-1e-3, 30, 10, 100), r"lambda >= 0 \(got -0.001\)"),
        (_floats(1e-3, 30, -1, 100), r"theta >= 0"),
        (_floats(1e-3, 30, 10, -5), r"a time t >= 0"),
        (_floats(1e-3, -1e-4, 30, 10, 100), r"a repair rate mu >= 0"),
        (_floats(1e-3, 1e-3, 1e-3, 30, 10, 1.5, 5, 1, 0.9, 0.1, 100), r"gamma in \[0, 1\]"),
        (_floats(1e-3, 1e-3, 1e-3, 30, 10, 0.1, 5, 1, -0.1, 0.1, 100), r"sigma in \[0, 1\]"),
        (_floats(1e-3, 1e-3, 1e-3, 30, 10, 0.1, 5, 1, 0.9, 2, 100), r"omega in \[0, 1\]"),
        (_floats(1e-3, 1e-3, 1e-3, 30, 10, 0.1, 5, 0.5, 0.9, 0.1, 100), r"x that is 0 or 1"),
        (_floats(1e-3, 1e-3, 1e-3, 30, 10, 0.1, 40, 1, 0.9, 0.1, 100), r"pi <= tau"),
        (_floats(1e-3, -1, 1e-3, 30, 10, 0.1, 5, 1, 0.9, 0.1, 100), r"lambda\* >= 0"),
        (_floats(1e-3, 1e-3, 30, 10, 100, 7), r"takes 4 or 5 or 11 arguments, got 6"),
    ],
)
def test_invalid_arguments_name_the_place(tmp_path, arguments, message):
    path = _model(tmp_path, f"<periodic-test>{arguments}</periodic-test>")
    with pytest.raises(PortfolioError, match=r"t\.xml.*line 2.*entry 'A'.*<periodic-test>: "):
        openpsa.load(path)
    with pytest.raises(PortfolioError, match=message):
        openpsa.load(path)


def test_a_sampled_invalid_argument_says_in_how_many_trials(tmp_path):
    path = _model(
        tmp_path,
        f"<periodic-test><normal-deviate>{_floats(1e-3, 1e-3)}</normal-deviate>"
        f"{_floats(30, 10, 100)}</periodic-test>",
    )
    T = openpsa.load(path)  # the mean is valid
    with pytest.raises(PortfolioError, match=r"lambda >= 0 \(got -.* in one of 1000 trials\)"):
        T.model.sample(np.random.default_rng(0), 1000)
