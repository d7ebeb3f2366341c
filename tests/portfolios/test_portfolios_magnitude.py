"""Magnitude properties (issue 12): every probability multiplied by 10^-k, k up to 15.

Rare events are where safety targets live, so the float code must make the decisions exact
arithmetic makes at every magnitude: no absolute floor may call two tiny numbers equal, or a
tiny number 0. Checked against an independent evaluator in exact rational arithmetic that
enumerates every joint state of the basic events and evaluates the file's definitions directly
(a case fails if its soundness error, one of its assumptions, one they require or a case it
rests on fails).

Scaling does not keep every ranking in exact arithmetic (``U = A or (B and C)`` with
``p = 0.1, 0.9, 0.9`` ranks B above A by Birnbaum, and below it once every probability is
divided by 1000): the random properties compare the float rankings with the *exact* rankings of
the same scaled numbers. For structures whose exact rankings are scale-free (one case resting
on independent assumptions; independent cases in parallel), the rankings are checked to stay
the same at every k from 0 to 15, and P(unprotected) to scale as the exact formula says.
"""

import copy
import itertools
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolios import Portfolio
from portfolios.strategies import portfolio_dicts

K = (0, 3, 6, 9, 12, 15)


def _scaled(d, t):
    """Return a copy of the portfolio dict with every probability multiplied by ``t``."""
    d = copy.deepcopy(d)
    for w in d.get("latent", {}).values():
        w["p_fail"] *= t
    for a in d.get("assumptions", {}).values():
        q = a["p_fail"]
        if isinstance(q, dict):
            for cond in q.values():
                cond["holds"] *= t
                cond["fails"] *= t
        else:
            a["p_fail"] = q * t
    for c in d["cases"].values():
        c["soundness_error"] = c.get("soundness_error", 0.0) * t
    return d


class _Exact:
    """P(scenario unprotected) in Fractions, by enumerating every joint state."""

    def __init__(self, d, scenario):
        self.d = d
        self.latent = list(d.get("latent", {}))
        self.assumptions = list(d.get("assumptions", {}))
        self.cases = list(d["cases"])
        self.covering = [c for c, e in d["cases"].items() if scenario in e["covers"]]
        n = len(self.latent) + len(self.assumptions) + len(self.cases)
        self.unprotected = []  # the joint states in which every covering case fails
        for bits in itertools.product((0, 1), repeat=n):
            if self._fails(bits):
                self.unprotected.append(bits)

    def _fails(self, bits):
        nl, na = len(self.latent), len(self.assumptions)
        own = dict(zip(self.assumptions, bits[nl : nl + na], strict=True))
        eps = dict(zip(self.cases, bits[nl + na :], strict=True))
        a_fail, c_fail = {}, {}
        for a in self.assumptions:  # requirements point to earlier assumptions
            reqs = self.d["assumptions"][a].get("requires", [])
            a_fail[a] = own[a] or any(a_fail[r] for r in reqs)
        for c in self.cases:  # rests_on points to earlier cases
            e = self.d["cases"][c]
            c_fail[c] = (
                eps[c]
                or any(a_fail[a] for a in e.get("assumptions", []))
                or any(c_fail[o] for o in e.get("rests_on", []))
            )
        return all(c_fail[c] for c in self.covering)

    def p(self, clamps=()):
        """P(U) with ``(kind, id, value)`` clamps, as the importance measures clamp."""
        clamp = {(k, i): F(v) for k, i, v in clamps}
        nl, na = len(self.latent), len(self.assumptions)
        total = F(0)
        for bits in self.unprotected:
            weight = F(1)
            state = {}
            for w, b in zip(self.latent, bits[:nl], strict=True):
                q = clamp.get(("latent", w), F(self.d["latent"][w]["p_fail"]))
                weight *= q if b else 1 - q
                state[w] = b
            for a, b in zip(self.assumptions, bits[nl : nl + na], strict=True):
                q = self.d["assumptions"][a]["p_fail"]
                if ("assumption", a) in clamp:
                    q = clamp["assumption", a]
                elif isinstance(q, dict):
                    ((w, cond),) = q.items()
                    q = F(cond["fails"] if state[w] else cond["holds"])
                else:
                    q = F(q)
                weight *= q if b else 1 - q
            for c, b in zip(self.cases, bits[nl + na :], strict=True):
                q = clamp.get(("soundness", c), F(self.d["cases"][c].get("soundness_error", 0.0)))
                weight *= q if b else 1 - q
            total += weight
        return total


def _key(kind, label):
    return label[len("soundness(") : -1] if kind == "soundness" else label


@settings(max_examples=25, deadline=None)
@given(
    portfolio_dicts(max_latent=1, max_assumptions=4, max_cases=3, max_scenarios=1),
    st.sampled_from(K),
)
def test_rankings_and_values_match_exact_arithmetic_at_every_magnitude(d, k):
    d = _scaled(d, 10.0**-k)
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        exact = _Exact(d, s)
        p_u = exact.p()
        got = P.p_unprotected(s)
        assert got == pytest.approx(float(p_u), rel=1e-9, abs=0.0)
        assert P.p_unprotected(s, method="bdd") == pytest.approx(float(p_u), rel=1e-9, abs=0.0)
        # what next: drops within rounding of P(U); the order and the ties as in exact arithmetic
        r = P.most_load_bearing(s)
        drop = {a: p_u - exact.p([("assumption", a, 0.0)]) for a in r.names}
        tol = F(1e-9) * p_u
        for name, value in r.as_dict().items():
            assert abs(F(value) - drop[name]) <= tol
        for first, second in itertools.pairwise(r.names):
            assert drop[first] >= drop[second] - tol
        if r.names:
            best = max(drop.values())
            assert {a for a, v in drop.items() if v == best} <= set(r.tied_best)
            assert all(drop[a] >= best - tol for a in r.tied_best)
        # importance: Birnbaum (a difference of two clamped probabilities) within rounding of
        # the larger of them, and ranked as in exact arithmetic
        imp = P.importance(s, fussell_vesely=False)
        birnbaum, scale = {}, {}
        for kind, label in zip(imp.kinds, imp.labels, strict=True):
            key = _key(kind, label)
            p1 = exact.p([(kind, key, 1.0)])
            p0 = exact.p([(kind, key, 0.0)])
            birnbaum[label], scale[label] = p1 - p0, max(p1, p0)
            assert abs(F(imp[label].birnbaum) - birnbaum[label]) <= F(1e-9) * scale[label]
        for first, second in itertools.pairwise(imp.ranked("birnbaum")):
            slack = F(1e-9) * max(scale[first], scale[second])
            assert birnbaum[first] >= birnbaum[second] - slack


def _series(p):
    """One case resting on independent assumptions with failure probabilities ``p``."""
    names = [f"A{i}" for i in range(len(p))]
    return {
        "assumptions": {a: {"statement": a, "p_fail": q} for a, q in zip(names, p, strict=True)},
        "cases": {"C": {"statement": "c", "assumptions": names, "covers": ["S"]}},
        "scenarios": {"S": {"statement": "s"}},
    }


def _parallel(p):
    """Independent cases, case i resting on assumption i alone."""
    names = [f"A{i}" for i in range(len(p))]
    return {
        "assumptions": {a: {"statement": a, "p_fail": q} for a, q in zip(names, p, strict=True)},
        "cases": {
            f"C{i}": {"statement": f"c{i}", "assumptions": [a], "covers": ["S"]}
            for i, a in enumerate(names)
        },
        "scenarios": {"S": {"statement": "s"}},
    }


@pytest.mark.parametrize("k", range(16))
def test_scale_free_rankings_are_kept_and_results_scale(k):
    p = [0.5, 0.2, 0.35, 0.05]
    t = 10.0**-k
    by_p = ("A0", "A2", "A1", "A3")  # decreasing p
    # Series: shoring up a drops P(U) by q_a prod_{j != a} (1 - q_j): ranked by q_a, no ties;
    # Birnbaum prod_{j != a} (1 - q_j) ranks the same way.
    series = Portfolio.from_dict(_scaled(_series(p), t))
    r = series.most_load_bearing("S")
    assert r.names == by_p and r.tied_best == ("A0",)
    assert series.importance("S").ranked("birnbaum") == by_p
    q = [F(x * t) for x in p]
    hold = 1 - q[0]
    for x in q[1:]:
        hold *= 1 - x
    assert r.p_unprotected == pytest.approx(float(1 - hold), rel=1e-12, abs=0.0)
    # Parallel: P(U) = prod q_i scales by t^4 exactly; Birnbaum prod_{j != a} q_j ranks by
    # increasing q_a; shoring any one up drops P(U) to 0: all four tie.
    parallel = Portfolio.from_dict(_scaled(_parallel(p), t))
    expected = q[0] * q[1] * q[2] * q[3]
    assert parallel.p_unprotected("S") == pytest.approx(float(expected), rel=1e-12, abs=0.0)
    assert parallel.importance("S").ranked("birnbaum") == by_p[::-1]
    ranking = parallel.most_load_bearing("S")
    assert set(ranking.tied_best) == set(by_p)
    diversity = parallel.diversity("S")
    assert diversity.participation_status == "ok"
    assert diversity.participation_ratio == pytest.approx(4.0, rel=1e-9)
