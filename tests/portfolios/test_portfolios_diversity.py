"""Diversity: published worked examples, limits, the Rao identity, exact phi coefficients.

Published examples:

* Leinster (n-Category Cafe, "Entropy, diversity and cardinality", part 1, 2008; the measure's
  author): three equally common beetle species give an effective number of 3 at every order;
  98% / 1% / 1% gives "about 1.12" (order 1).
* Leinster and Cobbold (2012), Ecology 93:477: ``Z = I`` recovers Hill's numbers; the order-2
  diversity is ``1 / (1 - Q)`` with Rao's quadratic entropy ``Q`` for ``d = 1 - Z``; diversity
  is non-increasing in ``q``; it is an effective number between 1 and ``n``.
* Rao (1982), Theor. Popul. Biol. 21:24: with ``d_ij = 1`` for ``i != j`` the quadratic entropy
  is the Gini-Simpson index ``1 - sum p_i^2``.
* The Leinster-Cobbold-Reeve implementation greylock (Nguyen et al., ArnaoutLab/diversity,
  README): fruit counts [30, 1, 1, 1, 1, 1] give 6.00 / 1.90 / 1.17 at orders 0 / 1 / inf and
  [6, 6, 6, 6, 6, 5] give 6.00 / 5.99 / 5.83; nine equally abundant birds with its similarity
  matrix S_2a give 1.11 at order 0, nine animals with S_2b give 2.16.
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from portfolios import Portfolio
from portfolios.diversity import (
    participation_ratio,
    phi_correlation,
    rao_quadratic_entropy,
    similarity_diversity,
)
from portfolios.strategies import portfolio_dicts


def _upper(rows, n=9):
    S = np.eye(n)
    for i, row in enumerate(rows):
        S[i, i + 1 :] = row
    return np.maximum(S, S.T)


S_2A = _upper(  # birds: owl, eagle, flamingo, swan, duck, chicken, turkey, dodo, dove
    [
        (0.91, 0.88, 0.88, 0.88, 0.88, 0.88, 0.88, 0.88),
        (0.88, 0.89, 0.88, 0.88, 0.88, 0.89, 0.88),
        (0.90, 0.89, 0.88, 0.88, 0.88, 0.89),
        (0.92, 0.90, 0.89, 0.88, 0.88),
        (0.91, 0.89, 0.88, 0.88),
        (0.92, 0.88, 0.88),
        (0.89, 0.88),
        (0.88,),
    ]
)
S_2B = _upper(  # ladybug, bee, butterfly, lobster, fish, turtle, parrot, llama, orangutan
    [
        (0.60, 0.55, 0.45, 0.25, 0.22, 0.23, 0.18, 0.16),
        (0.60, 0.48, 0.22, 0.23, 0.21, 0.16, 0.14),
        (0.42, 0.27, 0.20, 0.22, 0.17, 0.15),
        (0.28, 0.26, 0.26, 0.20, 0.18),
        (0.75, 0.70, 0.66, 0.63),
        (0.85, 0.70, 0.70),
        (0.75, 0.72),
        (0.85,),
    ]
)


def test_leinster_beetles():
    assert similarity_diversity([1 / 3] * 3, np.eye(3), 0.0) == pytest.approx(3.0)
    assert similarity_diversity([1 / 3] * 3, np.eye(3), 1.0) == pytest.approx(3.0)
    assert similarity_diversity([1 / 3] * 3, np.eye(3), math.inf) == pytest.approx(3.0)
    assert round(similarity_diversity([0.98, 0.01, 0.01], np.eye(3), 1.0), 2) == 1.12


@pytest.mark.parametrize(
    ("counts", "expected"),
    [([30, 1, 1, 1, 1, 1], (6.00, 1.90, 1.17)), ([6, 6, 6, 6, 6, 5], (6.00, 5.99, 5.83))],
)
def test_greylock_hill_numbers(counts, expected):
    p = np.array(counts) / sum(counts)
    got = [similarity_diversity(p, np.eye(6), q) for q in (0.0, 1.0, math.inf)]
    assert [round(g, 2) for g in got] == list(expected)


@pytest.mark.parametrize(("S", "expected"), [(S_2A, 1.11), (S_2B, 2.16)])
def test_greylock_similarity_sensitive_examples(S, expected):
    assert round(similarity_diversity(np.full(9, 1 / 9), S, 0.0), 2) == expected


def test_rao_identity_on_the_animals():
    # Q = 1 - p^T Z p = 0.5284 and 2D^Z = 1 / (1 - Q) = 2.1204 (uniform p on S_2b).
    p = np.full(9, 1 / 9)
    Q = rao_quadratic_entropy(p, S_2B)
    assert round(Q, 4) == 0.5284
    assert similarity_diversity(p, S_2B, 2.0) == pytest.approx(1 / (1 - Q), rel=1e-12)
    assert round(1 / (1 - Q), 4) == 2.1204


@st.composite
def communities(draw, n_max=6):
    n = draw(st.integers(1, n_max))
    # abundances from counts: with weights like 1e-250 the q -> inf limit is reached only at
    # astronomically large q, which a finite-q check cannot see
    raw = draw(arrays(float, n, elements=st.integers(0, 10).map(float)))
    if raw.sum() == 0:
        raw[0] = 1.0
    sym = draw(arrays(float, (n, n), elements=st.floats(0, 1)))
    Z = np.triu(sym, 1)
    Z = Z + Z.T + np.eye(n)
    return raw / raw.sum(), Z


@settings(max_examples=100)
@given(communities())
def test_leinster_cobbold_properties(pz):
    p, Z = pz
    n = int((p > 0).sum())
    orders = [0.0, 0.5, 1.0, 2.0, 5.0, math.inf]
    values = [similarity_diversity(p, Z, q) for q in orders]
    for a, b in itertools.pairwise(values):
        assert b <= a * (1 + 1e-9)  # non-increasing in q
    assert 1 - 1e-9 <= values[-1] and values[0] <= n * (1 + 1e-9)
    # q = 1 and q = inf are the limits of the power means
    assert similarity_diversity(p, Z, 1.0 + 1e-7) == pytest.approx(values[2], rel=1e-5)
    assert similarity_diversity(p, Z, 400.0) == pytest.approx(values[-1], rel=2e-2)
    # Z = I gives Hill's numbers; q = 2 is 1 / (1 - Rao's Q); Rao with Z = I is Gini-Simpson
    hill2 = 1 / float(np.sum(p**2))
    assert similarity_diversity(p, np.eye(len(p)), 2.0) == pytest.approx(hill2)
    Q = rao_quadratic_entropy(p, Z)
    assert values[3] == pytest.approx(1 / (1 - Q), rel=1e-9)
    assert rao_quadratic_entropy(p, np.eye(len(p))) == pytest.approx(1 - float(np.sum(p**2)))


def test_identical_cases_give_one_and_disjoint_cases_their_count():
    same = Portfolio.from_dict(
        {
            "assumptions": {"A": {"statement": "a", "p_fail": 0.1}},
            "cases": {c: {"statement": c, "assumptions": ["A"], "covers": ["S"]} for c in "XYZ"},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    d = same.diversity("S")
    assert d.values.tolist() == pytest.approx([1.0, 1.0, 1.0, 1.0])
    assert d.rao == 0.0
    assert d.participation_ratio == pytest.approx(1.0)  # they always fail together
    disjoint = Portfolio.from_dict(
        {
            "assumptions": {
                a: {"statement": a, "p_fail": 0.1 * (i + 1)} for i, a in enumerate("ABC")
            },
            "cases": {
                c: {"statement": c, "assumptions": [a], "covers": ["S"]}
                for c, a in zip("XYZ", "ABC", strict=True)
            },
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    d = disjoint.diversity("S", q=0.0)
    assert d[0.0] == 3.0
    assert d.participation_ratio == pytest.approx(3.0)  # independent failures
    np.testing.assert_allclose(d.correlation, np.eye(3), atol=1e-12)


def test_exact_phi_coefficient_by_hand():
    # X: A or B, Y: A or C with P = 0.1, 0.2, 0.3: P(X) = 0.28, P(Y) = 0.37, P(XY) = 0.154.
    P = Portfolio.from_dict(
        {
            "assumptions": {
                k: {"statement": k, "p_fail": v}
                for k, v in zip("ABC", (0.1, 0.2, 0.3), strict=True)
            },
            "cases": {
                "X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
                "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]},
            },
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    phi = (0.154 - 0.28 * 0.37) / math.sqrt(0.28 * 0.72 * 0.37 * 0.63)
    d = P.diversity("S")
    assert d.correlation[0, 1] == pytest.approx(phi, abs=1e-12)
    assert d.participation_ratio == pytest.approx(4 / (2 + 2 * phi**2), abs=1e-12)
    # hazard similarity: shared A over the union A, B, C, weighted by -log(1 - q)
    w = {k: -math.log1p(-q) for k, q in zip("ABC", (0.1, 0.2, 0.3), strict=True)}
    z = w["A"] / (w["A"] + w["B"] + w["C"])
    assert d.similarity[0, 1] == pytest.approx(z, abs=1e-12)
    assert P.diversity("S", similarity="jaccard").similarity[0, 1] == pytest.approx(1 / 3)
    # uniform p, two cases: 2D = 1 / (1 - Q) with Q = (1 - z) / 2
    assert d[2.0] == pytest.approx(1 / (1 - (1 - z) / 2), abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(portfolio_dicts(max_cases=4))
def test_portfolio_diversity_is_an_effective_number(d):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        div = P.diversity(s)
        n = len(div.cases)
        assert all(1 - 1e-9 <= v <= n + 1e-9 for v in div.values)
        assert np.allclose(div.similarity, div.similarity.T)
        assert np.allclose(np.diag(div.similarity), 1.0)
        if div.participation_ratio is not None:
            assert 1 - 1e-9 <= div.participation_ratio <= len(div.correlated_cases) + 1e-9


def test_bad_input():
    with pytest.raises(ValueError, match="order q"):
        similarity_diversity([1.0], np.eye(1), -1.0)
    with pytest.raises(ValueError, match="order q"):
        similarity_diversity([1.0], np.eye(1), float("nan"))
    with pytest.raises(ValueError, match="sum to 1"):
        similarity_diversity([0.5, 0.6], np.eye(2), 1.0)
    with pytest.raises(ValueError, match="ones on its diagonal"):
        similarity_diversity([0.5, 0.5], np.zeros((2, 2)), 1.0)
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        similarity_diversity([0.5, 0.5], [[1, 2], [2, 1]], 1.0)
    with pytest.raises(ValueError, match="2 x 2"):
        similarity_diversity([0.5, 0.5], np.eye(3), 1.0)
    with pytest.raises(ValueError, match="finite"):
        participation_ratio([[1.0, np.nan], [np.nan, 1.0]])
    with pytest.raises(ValueError, match="strictly between"):
        phi_correlation([0.0, 0.5], np.eye(2))
    import portfolios

    P = portfolios.load(portfolios.EXAMPLE_PATH)
    with pytest.raises(ValueError, match="not covering"):
        P.diversity("weight_exfiltration", weights={"debate": 1.0})
    with pytest.raises(ValueError, match="similarity must be"):
        P.diversity("weight_exfiltration", similarity="cosine")
    with pytest.raises(ValueError, match="unknown scenario"):
        P.diversity("nowhere")


def test_weights_and_repr():
    import portfolios

    P = portfolios.load(portfolios.EXAMPLE_PATH)
    d = P.diversity(
        "weight_exfiltration", weights={"asl4_interpretability": 2.0, "asl4_control": 1.0}
    )
    assert d.abundance.tolist() == pytest.approx([2 / 3, 1 / 3, 0.0])
    assert d.abundance.flags.writeable is False
    assert "effective number of dissimilar cases" in repr(d)
    with pytest.raises(KeyError, match="was not computed"):
        d[3.0]


def _sure_failure_portfolio(p_latent):
    # X rests on A, which fails whatever W's state: X fails surely. The latent states' weights
    # (1 - p) and p round, so the exact method gives 1 - 1.1e-16 for some p (0.3, 0.123456).
    return Portfolio.from_dict(
        {
            "latent": {
                "W": {"statement": "w", "p_fail": p_latent},
                "V": {"statement": "v", "p_fail": 0.3},
            },
            "assumptions": {
                "A": {"statement": "a", "p_fail": {"W": {"holds": 1.0, "fails": 1.0}}},
                "B": {"statement": "b", "p_fail": {"V": {"holds": 0.2, "fails": 0.6}}},
                "C": {"statement": "c", "p_fail": {"W": {"holds": 0.1, "fails": 0.5}}},
                "D": {"statement": "d", "p_fail": 0.1},
            },
            "cases": {
                "X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
                "Y": {"statement": "y", "assumptions": ["B", "C"], "covers": ["S"]},
                "Z": {"statement": "z", "assumptions": ["C", "D"], "covers": ["S"]},
            },
            "scenarios": {"S": {"statement": "s"}},
        }
    )


@pytest.mark.parametrize("p_latent", [0.1, 0.3, 0.123456])
def test_a_case_that_fails_surely_makes_the_participation_ratio_undefined(p_latent):
    # issue 12, R6: 0.9999999999999999 entered the correlation matrix and PR came out 2.6-2.7
    P = _sure_failure_portfolio(p_latent)
    d = P.diversity("S")
    assert dict(d.degenerate_cases) == {"X": "fails surely"}
    assert d.correlated_cases == ("Y", "Z")
    assert d.participation_ratio is None
    assert "X fails surely" in d.participation_status
    assert "undefined (undefined: X fails surely" in d.to_text()
    assert d.correlation.shape == (2, 2)


def test_phi_keeps_its_digits_for_cases_that_almost_surely_fail():
    # X fails unless A and B both hold (1e-9 each): P(X holds) = 1e-18, far below rounding of
    # P(X fails). Y = X or C: P(Y holds) = 1e-18 (1 - 0.5). Exact phi by Fractions.
    from fractions import Fraction as F

    q = 1 - 1e-9
    P = Portfolio.from_dict(
        {
            "assumptions": {
                "A": {"statement": "a", "p_fail": q},
                "B": {"statement": "b", "p_fail": q},
                "C": {"statement": "c", "p_fail": 0.5},
            },
            "cases": {
                "X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
                "Y": {"statement": "y", "assumptions": ["A", "B", "C"], "covers": ["S"]},
            },
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    d = P.diversity("S")
    h = (1 - F(q)) ** 2
    hx, hy = h, h / 2
    cov = hy - hx * hy  # H_X and H_Y: H_Y implies H_X
    exact = float(cov) / math.sqrt(float(hx * (1 - hx)) * float(hy * (1 - hy)))
    assert d.participation_status == "ok"
    assert d.correlation[0, 1] == pytest.approx(exact, rel=1e-9)
    assert exact == pytest.approx(math.sqrt(0.5), rel=1e-6)
