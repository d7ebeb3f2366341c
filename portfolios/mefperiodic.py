r"""The Open-PSA MEF ``periodic-test`` built-in: unavailability of a periodically tested component.

Definitions
-----------
The MEF (2.0d, "Built-ins") describes a component that fails at rate :math:`\lambda` while it
works, whose failures stay hidden until a test, the first test at :math:`\theta` and then one
every :math:`\tau`. The value is its *unavailability* at time :math:`t`: the probability that it
is failed, in repair or (during a test, when :math:`x = 0`) being tested. Three forms exist,
with the arguments in this order:

=========  ==================================================================================
form       arguments
=========  ==================================================================================
4          :math:`\lambda, \tau, \theta, t`: tests and repairs instantaneous and perfect
5          :math:`\lambda, \mu, \tau, \theta, t`: a failure found by a test is repaired at rate
           :math:`\mu`; tests instantaneous and perfect
11         :math:`\lambda, \lambda^*, \mu, \tau, \theta, \gamma, \pi, x, \sigma, \omega, t`:
           failure rate :math:`\lambda^*` during a test, failure at the start of a test with
           probability :math:`\gamma`, test duration :math:`\pi`, :math:`x` = 1 if the
           component is available while tested (0 if not), test covering :math:`\sigma`
           (probability that a test finds a failure), :math:`\omega` probability that a repair
           ends with the component badly restarted (failed)
=========  ==================================================================================

The 5-argument form is the 11-argument form with :math:`\gamma = 0, \sigma = 1, \omega = 0` and
an instantaneous test (:math:`\pi = 0`, so :math:`\lambda^*` and :math:`x` do not matter); the
4-argument form is the 5-argument form with :math:`\mu = \infty`.

**The Markov model.** The component is in one of three states: available (A), failed and
hidden (F), in repair (R). Between tests A goes to F at rate :math:`\lambda` and R ends at rate
:math:`\mu`, into F with probability :math:`\omega` and into A otherwise. With
:math:`q(s) = 1 - e^{-\lambda s}` and

.. math::

    \rho(s) = P(\text{repaired by } s, \text{ not failed since})
            = \int_0^s \mu e^{-\mu u} e^{-\lambda (s - u)} du
            = \mu\, e^{-\min(\lambda, \mu) s}\, \frac{1 - e^{-|\lambda - \mu| s}}{|\lambda - \mu|}

(the last factor is :math:`s` when :math:`\lambda = \mu`; written this way nothing cancels
and nothing overflows, even for :math:`\mu = 10^{300}`), the transition probabilities over a
time :math:`s` are, from A: :math:`e^{-\lambda s}` to A and :math:`q(s)` to F; from F: 1 to F;
from R: :math:`e^{-\mu s}` to R, :math:`(1 - \omega)\rho(s)` to A, the rest to F.

A test starting at :math:`\theta + n\tau` lasts :math:`\pi`. At its start a component in A fails
with probability :math:`\gamma`; during it, a component in A fails at rate :math:`\lambda^*`,
and a repair in progress goes on as above (the component is not tested: it is in repair). At
its end each failure present (hidden before the test, or caused during it) is found with
probability :math:`\sigma` and goes to R, else stays in F. So a test maps A to A with
probability :math:`a = (1 - \gamma) e^{-\lambda^* \pi}`, to R with :math:`\sigma (1 - a)`, to F
with :math:`(1 - \sigma)(1 - a)`; F to R with :math:`\sigma`, to F with :math:`1 - \sigma`; R as
between tests over :math:`\pi`. While tested the unavailability is
:math:`1 - (\text{repaired during the test}) - x \cdot (\text{in A since the test began})`.

The value: :math:`q(t)` for :math:`t \le \theta`; after, with :math:`n` the number of whole
periods since the first test and :math:`u \in (0, \tau]` the time into the current one, the state
at :math:`\theta` (:math:`A = 1 - q(\theta)`, :math:`F = q(\theta)`) times the period matrix to
the power :math:`n`, then
the test over :math:`\min(u, \pi)` and the working phase over :math:`u - \pi` if positive. At a
test instant :math:`\theta + n\tau` the value is the one just before the test begins, as for
:math:`t = \theta` and as in the 4-argument form (SCRAM's 11-argument code takes the value just
after the start of the tests after the first; the two differ only there, and only when
:math:`\gamma > 0` or :math:`x = 0`). The power is taken by repeated squaring (a million
periods cost twenty products), on matrices kept as :math:`I + D` with :math:`D` formed
directly (:math:`-q(s)`, not :math:`e^{-\lambda s} - 1`), so that rare failures keep their
relative accuracy over many periods.

**Closed forms.** With instantaneous perfect tests (5 arguments) every unavailable component
is in repair right after a test, so the unavailability :math:`U_k` just before test :math:`k`
obeys :math:`U_{k+1} = q(\tau) + U_k (1 - q(\tau) - \rho(\tau))`, a geometric recursion from
:math:`U_0 = q(\theta)`:

.. math::

    U_n = c^n U_0 + q(\tau) \frac{1 - c^n}{1 - c}, \quad c = 1 - q(\tau) - \rho(\tau), \qquad
    Q(t) = q(u) + U_n (1 - q(u) - \rho(u)).

With :math:`\mu = \infty` (4 arguments) :math:`\rho(u) = e^{-\lambda u}` and this is
:math:`q(u)`: the time since the last test is all that matters.

Validation (as SCRAM's): rates :math:`\lambda, \lambda^*, \mu \ge 0` (SCRAM asks
:math:`\lambda > 0`; 0 is harmless here), :math:`\tau > 0`, :math:`\theta \ge 0`, :math:`t \ge 0`,
:math:`\gamma, \sigma, \omega \in [0, 1]`, :math:`x \in \{0, 1\}`, :math:`0 \le \pi \le \tau`
(SCRAM asks :math:`\pi > 0`; :math:`\pi = 0` is the instantaneous test), and fewer than
:math:`2^{52}` periods before :math:`t` (past that the time into the current period has no
significant digit left). A violation raises
:class:`ValueError` naming the argument; :mod:`portfolios.mefexpr` places it in the file.

Every function takes floats or numpy arrays (broadcast together: one column per Monte Carlo
trial) and returns an array of the broadcast shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._mefchecks import require

__all__ = ["periodic_test", "periodic_test_4", "periodic_test_5", "periodic_test_11"]


#: Past this many periods the time into the current one has no significant digit left.
_MAX_PERIODS = 2.0**52


def _f(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _require(ok: Any, problem: str, value: Any) -> None:
    require(ok, problem, value, "periodic-test ")


def _q(rate: np.ndarray, s: np.ndarray) -> np.ndarray:
    """``1 - exp(-rate s)`` without cancellation."""
    return -np.expm1(-rate * s)


def _rho(lam: np.ndarray, mu: np.ndarray, s: np.ndarray) -> np.ndarray:
    """P(a repair at rate mu ends by s and no failure at rate lam follows before s)."""
    d = np.abs(lam - mu)
    ds = d * s
    with np.errstate(divide="ignore", invalid="ignore"):
        psi = np.where(ds > 0, -np.expm1(-ds) / np.where(d > 0, d, 1.0), s)
    return mu * np.exp(-np.minimum(lam, mu) * s) * psi


def _phase(t: np.ndarray, theta: np.ndarray, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(n, u)``: whole periods since the first test, time ``u`` in ``(0, tau]``."""
    delta = np.maximum(t - theta, 0.0)
    with np.errstate(over="ignore"):
        periods = delta / tau
    _require(periods < _MAX_PERIODS, "fewer than 2^52 periods before t (t - theta) / tau", periods)
    n = np.floor(periods)
    u = delta - n * tau
    at_test = u <= 0  # a test instant belongs to the period it ends
    n = np.where(at_test, np.maximum(n - 1, 0), n)
    u = np.where(at_test, tau, np.minimum(u, tau))
    return n, u


def _check_common(lam: Any, tau: Any, theta: Any, t: Any) -> None:
    _require(_f(lam) >= 0, "a failure rate lambda >= 0", lam)
    _require(_f(tau) > 0, "a time between tests tau > 0", tau)
    _require(_f(theta) >= 0, "a time before the first test theta >= 0", theta)
    _require(_f(t) >= 0, "a time t >= 0", t)


def periodic_test_4(lam: Any, tau: Any, theta: Any, t: Any) -> np.ndarray:
    """Return ``1 - exp(-lambda s)``, ``s`` since the last test (instant tests and repairs).

    Examples
    --------
    >>> round(float(periodic_test_4(1e-3, 30, 10, 100)), 12)  # at a test: tau since the last
    0.029554466451
    >>> round(float(periodic_test_4(1e-3, 30, 10, 5)), 12)  # before the first test
    0.004987520807
    """
    _check_common(lam, tau, theta, t)
    lam, tau, theta, t = np.broadcast_arrays(_f(lam), _f(tau), _f(theta), _f(t))
    _, u = _phase(t, theta, tau)
    return np.where(t <= theta, _q(lam, t), _q(lam, u))


def periodic_test_5(lam: Any, mu: Any, tau: Any, theta: Any, t: Any) -> np.ndarray:
    """Return the closed form of the module docstring (instant perfect tests, repair rate ``mu``).

    Examples
    --------
    >>> round(float(periodic_test_5(7e-4, 4e-4, 4020, 4740, 8760)), 6)  # SCRAM's tests: 0.817508
    0.817508
    """
    _check_common(lam, tau, theta, t)
    _require(_f(mu) >= 0, "a repair rate mu >= 0", mu)
    lam, mu, tau, theta, t = np.broadcast_arrays(_f(lam), _f(mu), _f(tau), _f(theta), _f(t))
    n, u = _phase(t, theta, tau)
    q_tau, rho_tau = _q(lam, tau), _rho(lam, mu, tau)
    g = q_tau + rho_tau  # 1 - c, formed without cancellation
    c = 1.0 - g  # may be negative: repair can make a failed start the better one
    positive = c > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        power = np.where(positive & (n > 0), n * np.log1p(-np.minimum(g, 1.0)), 0.0)
        c_n = np.where(positive, np.exp(power), np.power(c, n))  # c^0 = 1, even for c = 0
        # (1 - c^n) / (1 - c) with no cancellation when c is close to 1
        geometric = np.where(
            g > 0, np.where(positive, -np.expm1(power), 1.0 - c_n) / np.where(g > 0, g, 1.0), n
        )
    u_n = c_n * _q(lam, theta) + q_tau * geometric
    after = _q(lam, u) + u_n * (1.0 - _q(lam, u) - _rho(lam, mu, u))
    return np.where(t <= theta, _q(lam, t), np.clip(after, 0.0, 1.0))


def _working(lam: np.ndarray, mu: np.ndarray, omega: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Transition matrices minus the identity, ``(..., 3, 3)``, over ``s`` between tests.

    States A, F, R. Matrices are kept as ``I + D`` with ``D`` formed directly (no ``1 - p``),
    so that rare transitions keep their relative accuracy through products and powers.
    """
    d = np.zeros((*np.shape(s), 3, 3))
    fail = _q(lam, s)
    d[..., 0, 0], d[..., 0, 1] = -fail, fail
    _repair_row(d, lam, mu, omega, s)
    return d


def _repair_row(
    d: np.ndarray, lam: np.ndarray, mu: np.ndarray, omega: np.ndarray, s: np.ndarray
) -> None:
    ends = _q(mu, s)
    back = (1.0 - omega) * _rho(lam, mu, s)
    d[..., 2, 2], d[..., 2, 0] = -ends, back
    d[..., 2, 1] = np.maximum(ends - back, 0.0)


def _test(
    lam: np.ndarray,
    lam_test: np.ndarray,
    mu: np.ndarray,
    gamma: np.ndarray,
    sigma: np.ndarray,
    omega: np.ndarray,
    s: np.ndarray,
) -> np.ndarray:
    """Transition matrices minus the identity over a whole test of duration ``s``."""
    d = np.zeros((*np.shape(s), 3, 3))
    failed = gamma + (1.0 - gamma) * _q(lam_test, s)  # 1 - a
    d[..., 0, 0], d[..., 0, 1], d[..., 0, 2] = -failed, (1.0 - sigma) * failed, sigma * failed
    d[..., 1, 1], d[..., 1, 2] = -sigma, sigma
    _repair_row(d, lam, mu, omega, s)
    return d


def _then(d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
    """``(I + d1)(I + d2) - I``."""
    return d1 + d2 + d1 @ d2


def _power(d: np.ndarray, n: np.ndarray) -> np.ndarray:
    """``(I + d)^n - I`` for stacks of matrices and whole numbers ``n >= 0`` (repeated squaring)."""
    result = np.zeros(d.shape)
    n = n.copy()
    base = d.copy()
    while np.any(n > 0):
        odd = (n % 2) == 1
        if np.any(odd):
            result = np.where(odd[..., None, None], _then(result, base), result)
        n = np.floor(n / 2)
        if np.any(n > 0):
            base = _then(base, base)
    return result


def _step(state: np.ndarray, d: np.ndarray) -> np.ndarray:
    """``state (I + d)`` for row vectors ``(..., 3)``."""
    return state + (state[..., None, :] @ d)[..., 0, :]


def periodic_test_11(
    lam: Any,
    lam_test: Any,
    mu: Any,
    tau: Any,
    theta: Any,
    gamma: Any,
    pi: Any,
    x: Any,
    sigma: Any,
    omega: Any,
    t: Any,
) -> np.ndarray:
    """Return the complete form: the three-phase Markov model of the module docstring.

    Examples
    --------
    >>> args = (7e-4, 6e-4, 4e-4, 120, 4740, 0.01, 20, 1, 0.9, 0.01, 8760)
    >>> round(float(periodic_test_11(*args)), 6)  # SCRAM's tests: 0.668316
    0.668316
    """
    _check_common(lam, tau, theta, t)
    _require(_f(lam_test) >= 0, "a failure rate under test lambda* >= 0", lam_test)
    _require(_f(mu) >= 0, "a repair rate mu >= 0", mu)
    for value, name in ((gamma, "gamma"), (sigma, "sigma"), (omega, "omega")):
        _require((_f(value) >= 0) & (_f(value) <= 1), f"a probability {name} in [0, 1]", value)
    _require((_f(x) == 0) | (_f(x) == 1), "an indicator x that is 0 or 1 (false or true)", x)
    _require(_f(pi) >= 0, "a test duration pi >= 0", pi)
    _require(_f(pi) <= _f(tau), "a test duration pi <= tau, the time between tests", pi)
    lam, lam_test, mu, tau, theta, gamma, pi, x, sigma, omega, t = np.broadcast_arrays(
        *(_f(v) for v in (lam, lam_test, mu, tau, theta, gamma, pi, x, sigma, omega, t))
    )
    n, u = _phase(t, theta, tau)
    test = _test(lam, lam_test, mu, gamma, sigma, omega, pi)
    period = _then(test, _working(lam, mu, omega, tau - pi))
    start = np.stack([np.exp(-lam * theta), _q(lam, theta), np.zeros_like(theta)], axis=-1)
    a, f, r = np.moveaxis(_step(start, _power(period, n)), -1, 0)  # just before the test
    # during the test: unavailable unless in A since it began (and x = 1) or repaired in it
    elapsed = np.minimum(u, pi)
    tested = np.where(x == 1, gamma + (1.0 - gamma) * _q(lam_test, elapsed), 1.0)
    during = f + a * tested + r * (1.0 - (1.0 - omega) * _rho(lam, mu, elapsed))
    # after it: the whole test, then the working phase
    after = _step(_step(np.stack([a, f, r], axis=-1), test), _working(lam, mu, omega, u - pi))
    value = np.where(u <= pi, during, after[..., 1] + after[..., 2])
    return np.where(t <= theta, _q(lam, t), np.clip(value, 0.0, 1.0))


def periodic_test(*args: Any) -> np.ndarray:
    """Return the value of the form with this number of arguments: 4, 5 or 11.

    Examples
    --------
    >>> round(float(periodic_test(7e-4, 4e-4, 120, 4740, 8760)), 6)  # SCRAM's tests
    0.645377
    >>> periodic_test(1e-3, 0, 10, 100)
    Traceback (most recent call last):
    ...
    ValueError: periodic-test needs a time between tests tau > 0 (got 0)
    """
    if len(args) == 4:
        return periodic_test_4(*args)
    if len(args) == 5:
        return periodic_test_5(*args)
    if len(args) == 11:
        return periodic_test_11(*args)
    raise ValueError(f"periodic-test takes 4, 5 or 11 arguments, got {len(args)}")
