"""Bounds under interval probabilities and unknown dependence, against independent oracles.

The oracles below are written from the file's definitions (an assumption fails if it or a
required one fails on its own; a case fails if its soundness error, one of its assumptions or
a case it rests on fails) over *every* atom of every unit of the portfolio, without the
library's structure, grouping, blocks or vertex contraction:

* independence: the sum over latent states and atoms of the product of the units' own
  probabilities, at every vertex of the box of interval parameters (P is multilinear in the
  parameters, so its extremes over the box are at vertices);
* unknown dependence: Hailperin's linear programme over all 2^n atoms of the n units in each
  latent state, with the interval marginals as inequality constraints (no monotonicity
  argument), summed over the latent states, at every vertex of the latent intervals.
"""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from portfolios import ComputationLimitError, Portfolio, PortfolioError
from portfolios.bounds import MAX_LP_ATOMS, joint_bounds
from portfolios.model import Conditional
from portfolios.strategies import portfolio_dicts
from portfolios.values import Interval


def _ends(value):
    if isinstance(value, Interval):
        return (value.lo, value.hi)
    return (float(value), float(value))


def _atoms_and_top(P, scenario):
    """Units (assumptions' own failures, then soundness errors) and U(s) on every atom."""
    assumptions, cases = list(P.assumptions), list(P.cases)
    n = len(assumptions) + len(cases)
    top = np.zeros(1 << n, dtype=bool)
    covering = [c for c in cases if scenario in P.cases[c].covers]
    for atom in range(1 << n):
        own = {a: bool(atom >> i & 1) for i, a in enumerate(assumptions)}
        eps = {c: bool(atom >> (len(assumptions) + i) & 1) for i, c in enumerate(cases)}
        failed_a = {}

        def fa(a, own=own, failed_a=failed_a):
            if a not in failed_a:
                failed_a[a] = own[a] or any(fa(r) for r in P.assumptions[a].requires)
            return failed_a[a]

        failed_c = {}

        def fc(c, eps=eps, failed_c=failed_c):
            if c not in failed_c:
                entry = P.cases[c]
                failed_c[c] = (
                    eps[c]
                    or any(fa(a) for a in entry.assumptions)
                    or any(fc(o) for o in entry.rests_on)
                )
            return failed_c[c]

        top[atom] = all(fc(c) for c in covering)
    return assumptions, cases, top


def _unit_ranges(P, assumptions, cases, state):
    """(lo, hi) of every unit's probability in a latent state (dict latent id -> failed)."""
    out = []
    for a in assumptions:
        p = P.assumptions[a].p_fail
        if isinstance(p, Conditional):
            p = p.fails if state[p.latent] else p.holds
        out.append(_ends(p))
    out += [_ends(P.cases[c].soundness_error) for c in cases]
    return out


def _latent_vertices(P):
    latent = list(P.latent)
    choices = [sorted(set(_ends(P.latent[w].p_fail))) for w in latent]
    for values in itertools.product(*choices):
        yield dict(zip(latent, values, strict=True))


def _latent_states(P, p):
    latent = list(P.latent)
    for bits in itertools.product((False, True), repeat=len(latent)):
        state = dict(zip(latent, bits, strict=True))
        weight = math.prod(p[w] if state[w] else 1 - p[w] for w in latent)
        yield state, weight


def oracle_independent(P, scenario):
    """Min and max over every vertex of the parameter box of the brute-force probability."""
    assumptions, cases, top = _atoms_and_top(P, scenario)
    n = len(assumptions) + len(cases)
    bits = (np.arange(1 << n)[:, None] >> np.arange(n)[None, :]) & 1
    values = []
    for p in _latent_vertices(P):
        states = list(_latent_states(P, p))
        ranges = [_unit_ranges(P, assumptions, cases, state) for state, _ in states]
        # every unit parameter at either end, independently (each is its own parameter here)
        slots = sorted({(i, r) for rs in ranges for i, r in enumerate(rs) if r[0] != r[1]})
        for choice in itertools.product((0, 1), repeat=len(slots)):
            chosen = dict(zip(slots, choice, strict=True))
            total = 0.0
            for (_, weight), rs in zip(states, ranges, strict=True):
                q = np.array([r[chosen.get((i, r), 0)] for i, r in enumerate(rs)])
                prob = np.prod(np.where(bits == 1, q, 1 - q), axis=1)
                total += weight * prob[top].sum()
            values.append(total)
    return min(values), max(values)


def oracle_unknown(P, scenario):
    """Hailperin's programme over all atoms, per latent state, at every latent vertex."""
    assumptions, cases, top = _atoms_and_top(P, scenario)
    n = len(assumptions) + len(cases)
    member = ((np.arange(1 << n)[None, :] >> np.arange(n)[:, None]) & 1).astype(float)
    lows, highs = [], []
    for p in _latent_vertices(P):
        low = high = 0.0
        for state, weight in _latent_states(P, p):
            rs = _unit_ranges(P, assumptions, cases, state)
            lo = np.array([r[0] for r in rs])
            hi = np.array([r[1] for r in rs])
            A_ub = np.vstack([member, -member])
            b_ub = np.concatenate([hi, -lo])
            A_eq, b_eq = np.ones((1, 1 << n)), [1.0]
            c = top.astype(float)
            r_min = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, method="highs")
            r_max = linprog(-c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, method="highs")
            assert r_min.status == 0 and r_max.status == 0
            low += weight * r_min.fun
            high += weight * -r_max.fun
        lows.append(low)
        highs.append(high)
    return min(lows), max(highs)


def _portfolio(assumptions, cases, latent=None):
    data = {
        "assumptions": {k: {"statement": k, "p_fail": v} for k, v in assumptions.items()},
        "cases": {
            k: {"statement": k, "assumptions": list(v), "covers": ["S"]} for k, v in cases.items()
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    if latent:
        data["latent"] = {k: {"statement": k, "p_fail": v} for k, v in latent.items()}
    return Portfolio.from_dict(data)


# --------------------------------------------------------------------------- worked examples


def shared_pair(a, b, c):
    """Cases X on {A, B} and Y on {A, C}: they share A."""
    return _portfolio({"A": a, "B": b, "C": c}, {"X": ["A", "B"], "Y": ["A", "C"]})


def by_hand(a, b, c):
    """X and Y fail together exactly when A or (B and C) does (derivation in bounds.py)."""
    pos = lambda x: max(x, 0)  # noqa: E731
    lp = (a + pos(pos(b - a) + pos(c - a) - (1 - a)), a + min(b, c, 1 - a))
    gates = (pos(max(a, b) + max(a, c) - 1), min(a + b, a + c, 1))
    independent = a + (1 - a) * b * c
    return lp, gates, independent


def test_two_cases_sharing_one_assumption_by_hand_in_fractions():
    a, b, c = Fraction(1, 5), Fraction(3, 10), Fraction(2, 5)
    lp, gates, independent = by_hand(a, b, c)
    assert lp == (Fraction(1, 5), Fraction(1, 2))
    assert gates == (0, Fraction(1, 2))
    assert independent == Fraction(37, 125)
    P = shared_pair(0.2, 0.3, 0.4)
    got = P.bounds("S", dependence="unknown")
    assert (got.lower, got.upper) == pytest.approx((0.2, 0.5), rel=1e-9)
    assert got.tight and got.method == "lp"
    fr = P.bounds("S", dependence="unknown", method="frechet")
    assert (fr.lower, fr.upper) == pytest.approx((0.0, 0.5), abs=1e-15)
    assert not fr.tight
    ind = P.bounds("S")
    assert ind.lower == ind.upper == pytest.approx(float(independent), rel=1e-14)
    assert (ind.lower, ind.upper) == pytest.approx((oracle_independent(P, "S")), rel=1e-12)
    assert (got.lower, got.upper) == pytest.approx(oracle_unknown(P, "S"), rel=1e-7)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.integers(0, 9),
)
def test_two_cases_sharing_one_assumption_any_magnitude(a, b, c, k):
    """The closed forms hold at every scale: relative accuracy for probabilities of 1e-9."""
    scale = 10.0**-k
    a, b, c = a * scale, b * scale, c * scale
    lp, gates, independent = by_hand(a, b, c)
    P = shared_pair(a, b, c)
    got = P.bounds("S", dependence="unknown")
    fr = P.bounds("S", dependence="unknown", method="frechet")
    tol = 1e-7 * max(a, b, c)  # the programme's tolerance, relative to the largest marginal
    assert got.lower == pytest.approx(lp[0], abs=tol)
    assert got.upper == pytest.approx(lp[1], abs=tol)
    assert fr.lower == pytest.approx(gates[0], rel=1e-12, abs=1e-300)
    assert fr.upper == pytest.approx(gates[1], rel=1e-12, abs=1e-300)
    assert got.lower <= independent + tol and independent <= got.upper + tol
    assert fr.lower <= got.lower + tol and got.upper <= fr.upper + tol


def test_one_interval_assumption_gives_its_interval():
    P = _portfolio({"A": [0.05, 0.15]}, {"X": ["A"]})
    b = P.bounds("S")
    assert (b.lower, b.upper) == (0.05, 0.15)
    assert dict(b.lower_at) == {"A": 0.05} and dict(b.upper_at) == {"A": 0.15}
    with pytest.raises(PortfolioError, match=r"interval probabilities \(A\).*bounds"):
        P.p_unprotected("S")


def test_latent_interval_attains_its_ends_where_the_affine_function_says():
    # P = (1 - p) * h_A * h_B + p * f_A * f_B with p in [0.1, 0.3] (by hand)
    rising = _portfolio(
        {"A": {"W": {"holds": 0.1, "fails": 0.5}}, "B": {"W": {"holds": 0.2, "fails": 0.6}}},
        {"X": ["A"], "Y": ["B"]},
        latent={"W": [0.1, 0.3]},
    )
    b = rising.bounds("S")
    assert b.lower == pytest.approx(0.9 * 0.02 + 0.1 * 0.3, rel=1e-14)
    assert b.upper == pytest.approx(0.7 * 0.02 + 0.3 * 0.3, rel=1e-14)
    assert dict(b.lower_at) == {"W": 0.1} and dict(b.upper_at) == {"W": 0.3}
    falling = _portfolio(
        {"A": {"W": {"holds": 0.5, "fails": 0.1}}, "B": {"W": {"holds": 0.6, "fails": 0.2}}},
        {"X": ["A"], "Y": ["B"]},
        latent={"W": [0.1, 0.3]},
    )
    b = falling.bounds("S")
    assert b.lower == pytest.approx(0.7 * 0.3 + 0.3 * 0.02, rel=1e-14)
    assert b.upper == pytest.approx(0.9 * 0.3 + 0.1 * 0.02, rel=1e-14)
    assert dict(b.lower_at) == {"W": 0.3} and dict(b.upper_at) == {"W": 0.1}
    # unknown dependence: in each latent state two single events, Frechet's AND by hand
    u = falling.bounds("S", dependence="unknown")
    holds, fails = (max(0, 0.5 + 0.6 - 1), min(0.5, 0.6)), (max(0, 0.1 + 0.2 - 1), min(0.1, 0.2))
    low = min((1 - p) * holds[0] + p * fails[0] for p in (0.1, 0.3))
    high = max((1 - p) * holds[1] + p * fails[1] for p in (0.1, 0.3))
    assert (u.lower, u.upper) == pytest.approx((low, high), rel=1e-9)
    assert (u.lower, u.upper) == pytest.approx(oracle_unknown(falling, "S"), rel=1e-7)


def test_conditional_entries_are_monotone_not_vertices():
    """Both entries of a conditional p_fail sit at their lower ends for the lower bound."""
    P = _portfolio(
        {"A": {"W": {"holds": [0.1, 0.2], "fails": [0.3, 0.7]}}, "B": 0.5},
        {"X": ["A"], "Y": ["B"]},
        latent={"W": 0.4},
    )
    b = P.bounds("S")
    assert b.lower == pytest.approx(0.5 * (0.6 * 0.1 + 0.4 * 0.3), rel=1e-14)
    assert b.upper == pytest.approx(0.5 * (0.6 * 0.2 + 0.4 * 0.7), rel=1e-14)
    assert dict(b.lower_at) == {"A[W holds]": 0.1, "A[W fails]": 0.3}


def test_point_portfolio_bounds_are_the_point():
    P = _portfolio({"A": 0.1, "B": 0.2}, {"X": ["A"], "Y": ["A", "B"]})
    b = P.bounds("S")
    assert b.lower == b.upper == P.p_unprotected("S")
    assert b.is_point and b.width == 0.0


def test_shared_interval_parameter_moves_as_one_number():
    data = {
        "parameters": {"q": [0.1, 0.4]},
        "assumptions": {
            "A": {"statement": "a", "p_fail": {"param": "q"}},
            "B": {"statement": "b", "p_fail": {"param": "q"}},
        },
        "cases": {
            "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
            "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]},
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    b = Portfolio.from_dict(data).bounds("S")
    assert (b.lower, b.upper) == pytest.approx((0.1**2, 0.4**2), rel=1e-14)
    assert dict(b.upper_at) == {"q": 0.4}


def test_a_latent_interval_shared_with_anything_else_is_refused():
    data = {
        "parameters": {"q": [0.1, 0.4]},
        "latent": {"W": {"statement": "w", "p_fail": {"param": "q"}}},
        "assumptions": {
            "A": {"statement": "a", "p_fail": {"W": {"holds": 0.0, "fails": 1.0}}},
            "B": {"statement": "b", "p_fail": {"param": "q"}},
        },
        "cases": {
            "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
            "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]},
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    with pytest.raises(PortfolioError, match="give the latent variable its own interval"):
        Portfolio.from_dict(data).bounds("S")


def test_arguments_are_checked():
    P = shared_pair(0.2, 0.3, 0.4)
    with pytest.raises(PortfolioError, match="unknown dependence 'none'"):
        P.bounds("S", dependence="none")
    with pytest.raises(PortfolioError, match="does not go with"):
        P.bounds("S", method="lp")
    with pytest.raises(KeyError):
        P.bounds("nowhere")
    with pytest.raises(PortfolioError, match="non-empty"):
        joint_bounds(P.structure, [])


def test_lp_refuses_past_its_limit_and_names_frechet():
    # 15 cases, each on its own assumption and on one shared assumption: 16 groups in one block
    assumptions = {f"A{i}": 0.1 for i in range(15)} | {"Z": 0.01}
    cases = {f"C{i}": [f"A{i}", "Z"] for i in range(15)}
    P = _portfolio(assumptions, cases)
    with pytest.raises(ComputationLimitError, match=f"MAX_LP_ATOMS = {MAX_LP_ATOMS}.*frechet"):
        P.bounds("S", dependence="unknown")
    fr = P.bounds("S", dependence="unknown", method="frechet")
    assert fr.lower == 0.0 and fr.upper == pytest.approx(0.11, rel=1e-12)


def test_frechet_for_any_number_of_latent_variables():
    """17 latent variables: the latent structure is dropped, the interval stays valid."""
    n = 17
    latent = {f"W{i}": 0.1 for i in range(n)}
    assumptions = {f"A{i}": {f"W{i}": {"holds": 0.01, "fails": 0.2}} for i in range(n)}
    assumptions["B"] = 0.3
    P = _portfolio(assumptions, {"X": [f"A{i}" for i in range(n)], "Y": ["B"]}, latent=latent)
    fr = P.bounds("S", dependence="unknown", method="frechet")
    marginal = 0.9 * 0.01 + 0.1 * 0.2  # each A_i, independent of the others (own W_i)
    independent = (1 - (1 - marginal) ** n) * 0.3
    assert fr.lower <= independent <= fr.upper
    assert fr.latent_states == 1 and not fr.tight
    assert fr.upper == pytest.approx(min(1, n * marginal, 0.3 + 0), rel=1e-12)


# --------------------------------------------------------------------------- property tests


def _small(values):
    return portfolio_dicts(
        max_latent=2, max_assumptions=4, max_cases=3, max_scenarios=2, values=values
    )


@settings(max_examples=25, deadline=None)
@given(_small("intervals"))
def test_independent_bounds_match_the_vertex_oracle(d):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        b = P.bounds(s)
        low, high = oracle_independent(P, s)
        assert b.lower == pytest.approx(low, rel=1e-9, abs=1e-15)
        assert b.upper == pytest.approx(high, rel=1e-9, abs=1e-15)


@settings(max_examples=20, deadline=None)
@given(_small("intervals"))
def test_unknown_dependence_matches_the_brute_force_programme(d):
    P = Portfolio.from_dict(d)
    n_units = len(P.assumptions) + len(P.cases)
    assume(n_units <= 7)
    for s in P.scenarios:
        b = P.bounds(s, dependence="unknown")
        low, high = oracle_unknown(P, s)
        assert b.lower == pytest.approx(low, abs=1e-7)
        assert b.upper == pytest.approx(high, abs=1e-7)


@settings(max_examples=40, deadline=None)
@given(_small("intervals"), st.integers(0, 9))
def test_bounds_nest_at_every_magnitude(d, k):
    """independent within unknown-dependence LP within Frechet, at every scale 10^-k."""
    scale = 10.0**-k

    def scaled(v):
        if isinstance(v, list):
            return [x * scale for x in v]
        if isinstance(v, dict):
            return {w: {key: scaled(x) for key, x in t.items()} for w, t in v.items()}
        return v * scale

    for a in d.get("assumptions", {}).values():
        a["p_fail"] = scaled(a["p_fail"])
    for c in d["cases"].values():
        c["soundness_error"] = scaled(c["soundness_error"])
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        ind = P.bounds(s)
        lp = P.bounds(s, dependence="unknown")
        fr = P.bounds(s, dependence="unknown", method="frechet")
        top = max(ind.upper, fr.upper, 1e-300)
        tol = 1e-7 * scale  # the programme's tolerance, relative to the probabilities' scale
        assert ind.lower <= ind.upper * (1 + 1e-12)
        assert lp.lower <= ind.lower + tol and ind.upper <= lp.upper + tol
        assert fr.lower <= lp.lower + tol and lp.upper <= fr.upper + tol
        assert 0.0 <= fr.lower and fr.upper <= 1.0 and top >= 0.0


@settings(max_examples=30, deadline=None)
@given(_small("intervals"), st.data())
def test_any_choice_in_the_box_lies_within_the_bounds(d, data):
    P = Portfolio.from_dict(d)

    def pick(v):
        if isinstance(v, list):
            return data.draw(st.floats(v[0], v[1]))
        if isinstance(v, dict):
            return {w: {key: pick(x) for key, x in t.items()} for w, t in v.items()}
        return v

    point = {**d}
    point["latent"] = {
        k: {**e, "p_fail": pick(e["p_fail"])} for k, e in d.get("latent", {}).items()
    }
    point["assumptions"] = {
        k: {**e, "p_fail": pick(e["p_fail"])} for k, e in d.get("assumptions", {}).items()
    }
    point["cases"] = {
        k: {**e, "soundness_error": pick(e["soundness_error"])} for k, e in d["cases"].items()
    }
    Q = Portfolio.from_dict({k: v for k, v in point.items() if v})
    for s in P.scenarios:
        value = Q.p_unprotected(s)
        b = P.bounds(s)
        u = P.bounds(s, dependence="unknown")
        assert b.lower - 1e-12 <= value <= b.upper + 1e-12
        assert u.lower - 1e-7 <= value <= u.upper + 1e-7


def test_lp_scales_exactly_when_every_probability_is_small():
    """Below total mass 1 the programme is homogeneous: bounds scale with the probabilities."""
    base = {"A": 0.3, "B": 0.2, "C": 0.4, "D": 0.1}
    cases = {"X": ["A", "B"], "Y": ["A", "C"], "Z": ["A", "D"]}
    results = []
    for k in (3, 6, 9):
        P = _portfolio({n: p * 10.0**-k for n, p in base.items()}, cases)
        b = P.bounds("S", dependence="unknown")
        results.append((b.lower * 10.0**k, b.upper * 10.0**k))
    for low, high in results[1:]:
        assert low == pytest.approx(results[0][0], rel=1e-6)
        assert high == pytest.approx(results[0][1], rel=1e-6)
    assert results[0][0] == pytest.approx(0.3, rel=1e-6)  # A fails all three: at least P(A)
