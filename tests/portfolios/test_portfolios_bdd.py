"""method="bdd": agreement with the other exact methods, rare events, structures the DP refuses."""

import math
import subprocess
import sys
import warnings
from fractions import Fraction as F

import pytest
from hypothesis import given, settings

from portfolios import CancellationWarning, Portfolio, ftengine
from portfolios.bdd import BDD, structure_bdd
from portfolios.faulttree import FaultTree
from portfolios.strategies import portfolio_dicts

EXACT_TOL = 1e-12


@settings(max_examples=80)
@given(portfolio_dicts())
def test_bdd_agrees_with_exact_inclusion_exclusion_and_enumeration(d):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        bdd = P.p_unprotected(s, method="bdd")
        assert type(bdd) is float
        assert bdd == pytest.approx(P.p_unprotected(s), abs=EXACT_TOL)
        with warnings.catch_warnings():  # rare events: IE warns that its digits are gone
            warnings.simplefilter("ignore", CancellationWarning)
            ie = P.p_unprotected(s, method="inclusion-exclusion")
        assert bdd == pytest.approx(ie, abs=EXACT_TOL)
        assert bdd == pytest.approx(P.p_unprotected(s, method="enumerate"), abs=EXACT_TOL)
    for c in P.cases:
        assert P.case_failure(c, method="bdd") == pytest.approx(P.case_failure(c), abs=EXACT_TOL)


@settings(max_examples=30)
@given(portfolio_dicts(min_latent=2, max_latent=3, min_assumptions=3, max_assumptions=6))
def test_bdd_agrees_with_latent_structure(d):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        assert P.p_unprotected(s, method="bdd") == pytest.approx(
            P.p_unprotected(s, method="enumerate"), abs=EXACT_TOL
        )


def _chain(k, q=0.5):
    assumptions = {f"A{i}": {"statement": "a", "p_fail": q} for i in range(k + 1)}
    cases = {
        f"C{i}": {"statement": "c", "assumptions": [f"A{i}", f"A{i + 1}"], "covers": ["S"]}
        for i in range(k)
    }
    return Portfolio.from_dict(
        {"assumptions": assumptions, "cases": cases, "scenarios": {"S": {"statement": "s"}}}
    )


def test_bdd_handles_the_chain_the_subset_programme_refuses():
    # 25 cases C_i = A_i or A_{i+1}: U says no two consecutive assumptions of 26 hold. With
    # p = 1/2 every state has weight 2^-26, and the binary strings of length n with no two
    # consecutive zeros number Fibonacci F(n + 2) (F(1) = F(2) = 1): F(28) = 317811.
    P = _chain(25)
    with pytest.raises(ValueError, match="MAX_EXACT_CELLS"):
        P.p_unprotected("S", method="exact")
    a, b = 1, 1  # F(1), F(2)
    for _ in range(27):
        a, b = b, a + b
    assert a == 317811
    assert P.p_unprotected("S", method="bdd") == pytest.approx(float(F(a, 2**26)), rel=1e-14)
    assert P.p_unprotected("S") == pytest.approx(float(F(a, 2**26)), rel=1e-14)  # "auto"


def test_bdd_keeps_relative_accuracy_for_rare_events():
    # 16 cases share SH (q = 1e-12), each with a private assumption (q = 1e-3): exact value
    # q_sh + (1 - q_sh) q_p^16 in rational arithmetic; without SH it is 1e-48.
    k, q_sh, q_p = 16, F(1, 10**12), F(1, 1000)
    assumptions = {"SH": {"statement": "shared", "p_fail": float(q_sh)}}
    cases = {}
    for i in range(k):
        assumptions[f"P{i}"] = {"statement": "private", "p_fail": float(q_p)}
        cases[f"C{i}"] = {"statement": "c", "assumptions": ["SH", f"P{i}"], "covers": ["S"]}
    P = Portfolio.from_dict(
        {"assumptions": assumptions, "cases": cases, "scenarios": {"S": {"statement": "s"}}}
    )
    expected = q_sh + (1 - q_sh) * q_p**k
    assert P.p_unprotected("S", method="bdd") == pytest.approx(float(expected), rel=1e-12)
    assumptions["SH"]["p_fail"] = 0.0
    P0 = Portfolio.from_dict(
        {"assumptions": assumptions, "cases": cases, "scenarios": {"S": {"statement": "s"}}}
    )
    assert P0.p_unprotected("S", method="bdd") == pytest.approx(1e-48, rel=1e-12)


def test_complemented_edges_are_pushed_into_the_children():
    # top = AND_i NOT x_i with P(x_i) = 0.999: P = prod (1 - 0.999) ~ 1e-48. The diagram's
    # root edge is complemented (top is false when every x_i occurs); computed as
    # 1 - P(OR_i x_i) it would be 1 - (1 - 1e-48) = 0 in floating point.
    k, p = 16, 0.999
    leaves = tuple(("not", (("basic-event", f"x{i}"),)) for i in range(k))
    T = FaultTree(
        name="complement",
        gates={"top": ("and", leaves)},
        basic_events={f"x{i}": p for i in range(k)},
    )
    diagram, root, _ = T.compile()
    assert root & 1  # a complemented edge
    expected = float((1 - F(p)) ** k)  # exact, from the float 0.999
    assert T.probability() == pytest.approx(expected, rel=1e-12)
    naive = 1.0 - float(ftengine.probability(diagram, [p] * k, [root ^ 1])[0])
    assert naive == 0.0  # what the cancellation would have given


def test_bdd_object_basics():
    B = BDD(3)
    x, y, z = (B.var(i) for i in range(3))
    f = B.atleast(2, [x, y, z])
    assert B.atleast(0, [x]) == B.true
    assert B.atleast(4, [x, y, z]) == B.false
    assert B.probability(f, [0.1, 0.2, 0.3]) == pytest.approx(0.098, abs=1e-15)
    assert B.minimal_cut_sets(f) == [0b011, 0b101, 0b110]
    assert B.minimal_cut_sets(f, max_order=1) == []
    assert B.evaluate(f, 0b011) and not B.evaluate(f, 0b001)
    assert B.size(f) == 4
    with pytest.raises(ValueError, match="expected 3 probabilities"):
        B.probability(f, [0.5])
    # vectorised evaluation: one column per probability vector
    out = B.probability(f, [[0.1, 1.0], [0.2, 1.0], [0.3, 0.0]])
    assert out.tolist() == pytest.approx([0.098, 1.0])


def test_structure_bdd_refuses_bad_targets():
    P = _chain(2)
    with pytest.raises(ValueError, match="at least one target"):
        structure_bdd(P.structure, [])
    with pytest.raises(ValueError, match="unknown case or assumption 'Z'"):
        structure_bdd(P.structure, ["Z"])


def test_a_scenario_that_cannot_fail_has_probability_zero():
    P = Portfolio.from_dict(
        {
            "assumptions": {"A": {"statement": "a", "p_fail": 0.0}},
            "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]}},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    assert P.p_unprotected("S", method="bdd") == 0.0
    assert math.isclose(P.case_failure("X", method="bdd"), 0.0)


def test_import_portfolios_does_not_import_dd(tmp_path):
    code = "import sys, portfolios; print('dd' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_reaching_max_bdd_nodes_is_a_clean_value_error(monkeypatch):
    """The limit raises a ValueError and leaves no unraisable exception from dd's ``__del__``.

    dd stops half-way through updating its reference counts when it is full; its shutdown
    check then raised a KeyError that Python could only print ("Exception ignored in ...").
    """
    import gc

    import portfolios.bdd

    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    monkeypatch.setattr(portfolios.bdd, "MAX_BDD_NODES", 30)
    P = Portfolio.from_dict(
        {
            "assumptions": {f"A{i}": {"statement": "a", "p_fail": 0.1} for i in range(16)},
            "cases": {
                f"C{i}": {
                    "statement": "c",
                    "assumptions": [f"A{2 * i}", f"A{2 * i + 1}"],
                    "covers": ["S"],
                }
                for i in range(8)
            },
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    with pytest.raises(ValueError, match="exceeds MAX_BDD_NODES = 30 nodes"):
        P.p_unprotected("S", method="bdd")
    gc.collect()
    assert [u.exc_value for u in unraisable] == []
    # the engine still works below the limit
    monkeypatch.setattr(portfolios.bdd, "MAX_BDD_NODES", 10_000)
    assert P.p_unprotected("S", method="bdd") == pytest.approx((1 - 0.9**2) ** 8, rel=1e-12)
