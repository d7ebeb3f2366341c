"""Structure-level operations: recompiling with new probabilities, minimal sets, latent states."""

import dataclasses
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolios import Conditional, Entries, Portfolio, PortfolioError, UnknownIdError
from portfolios.probability import all_fail_probability
from portfolios.strategies import portfolio_dicts, probabilities
from portfolios.structure import (
    compile_structure,
    latent_states,
    minimal_sets,
    with_probabilities,
)


def _same(S, T):
    """Two structures are equal field by field (arrays exactly)."""
    for f in dataclasses.fields(S):
        a, b = getattr(S, f.name), getattr(T, f.name)
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b), f.name
        elif hasattr(a, "keys"):
            assert dict(a) == dict(b), f.name
        else:
            assert a == b, f.name


def _replaced(P, section, key, **fields):
    """The entries of P with one entry's fields replaced (what the clamps used to build)."""
    parts = {k: dict(v) for k, v in P.entries.sections().items()}
    parts[section][key] = dataclasses.replace(parts[section][key], **fields)
    return Entries(**parts)


@settings(max_examples=60, deadline=None)
@given(portfolio_dicts(max_latent=2, max_assumptions=4, max_cases=3), st.data())
def test_with_probabilities_equals_compiling_the_changed_entries(d, data):
    P = Portfolio.from_dict(d)
    S = P.structure
    _same(with_probabilities(S), S)  # nothing changed: the same structure
    value = data.draw(probabilities())
    if P.latent:
        j = data.draw(st.sampled_from(sorted(P.latent)))
        expected = compile_structure(_replaced(P, "latent", j, p_fail=value))
        _same(with_probabilities(S, latent={j: value}), expected)
    if P.assumptions:
        a = data.draw(st.sampled_from(sorted(P.assumptions)))
        expected = compile_structure(_replaced(P, "assumptions", a, p_fail=value))
        _same(with_probabilities(S, assumptions={a: value}), expected)
    c = data.draw(st.sampled_from(sorted(P.cases)))
    expected = compile_structure(_replaced(P, "cases", c, soundness_error=value))
    _same(with_probabilities(S, soundness={c: value}), expected)


def test_with_probabilities_by_hand():
    P = Portfolio.from_dict(
        {
            "latent": {"W": {"statement": "w", "p_fail": 0.3}},
            "assumptions": {
                "A": {"statement": "a", "p_fail": {"W": {"holds": 0.2, "fails": 0.6}}},
            },
            "cases": {"C": {"statement": "c", "assumptions": ["A"], "covers": ["S"]}},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    assert P.p_unprotected("S") == pytest.approx(0.7 * 0.2 + 0.3 * 0.6)
    for latent, expected in ((1.0, 0.6), (0.0, 0.2)):
        T = with_probabilities(P.structure, latent={"W": latent})
        assert all_fail_probability(T, ["C"]) == pytest.approx(expected)
    # clamping the assumption makes it unconditional: it no longer depends on W
    T = with_probabilities(P.structure, assumptions={"A": 1.0})
    assert T.unit_latent.tolist() == [-1, -1] and T.unit_p[0].tolist() == [1.0, 1.0]
    assert P.assumptions["A"].p_fail == Conditional("W", 0.2, 0.6)  # the entries are untouched


def test_with_probabilities_checks_its_arguments():
    P = Portfolio.from_dict(
        {
            "assumptions": {"A": {"statement": "a", "p_fail": 0.1}},
            "cases": {"C": {"statement": "c", "assumptions": ["A"], "covers": ["S"]}},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    with pytest.raises(UnknownIdError, match="unknown latent variable 'W'"):
        with_probabilities(P.structure, latent={"W": 0.5})
    with pytest.raises(UnknownIdError, match="unknown assumption 'B'"):
        with_probabilities(P.structure, assumptions={"B": 0.5})
    with pytest.raises(UnknownIdError, match="unknown case 'D'"):
        with_probabilities(P.structure, soundness={"D": 0.5})
    with pytest.raises(PortfolioError, match="assumptions entry 'A', field 'p_fail': nan"):
        with_probabilities(P.structure, assumptions={"A": math.nan})


def _brute_minimal(sets):
    """The inclusion-minimal members of a family (quadratic, by definition)."""
    family = set(sets)
    return {s for s in family if not any(t < s for t in family)}


@given(st.lists(st.frozensets(st.integers(0, 6), max_size=4), max_size=12))
def test_minimal_sets_is_the_set_of_minimal_members(sets):
    found = minimal_sets(sets)
    assert set(found) == _brute_minimal(sets) and len(found) == len(set(found))
    assert [len(s) for s in found] == sorted(len(s) for s in found)
    masks = [sum(1 << e for e in s) for s in sets]
    as_masks = minimal_sets(masks)  # the same routine on bit masks
    assert {frozenset(e for e in range(7) if m >> e & 1) for m in as_masks} == set(found)


@given(st.lists(probabilities(), min_size=1, max_size=5), st.data())
def test_latent_states_are_the_product_distribution(ps, data):
    d = {
        "latent": {f"W{i}": {"statement": "w", "p_fail": p} for i, p in enumerate(ps)},
        "cases": {"C": {"statement": "c", "covers": ["S"]}},
        "scenarios": {"S": {"statement": "s"}},
    }
    S = Portfolio.from_dict(d).structure
    which = data.draw(st.lists(st.integers(-1, len(ps) - 1), max_size=6))
    variables, bits, weights = latent_states(S, which)
    assert variables == sorted({j for j in which if j >= 0})
    assert len(weights) == 2 ** len(variables) and math.isclose(math.fsum(weights), 1.0)
    for s, state in enumerate(itertools.product((0, 1), repeat=len(variables))):
        failed = dict(zip(variables, reversed(state), strict=True))  # bit i of s: variables[i]
        assert bits[s].tolist() == [failed[j] for j in variables]
        expected = math.prod(ps[j] if failed[j] else 1 - ps[j] for j in variables)
        assert weights[s] == pytest.approx(expected, rel=1e-12, abs=0)


def test_latent_states_limit():
    d = {
        "latent": {f"W{i}": {"statement": "w", "p_fail": 0.5} for i in range(3)},
        "cases": {"C": {"statement": "c", "covers": ["S"]}},
        "scenarios": {"S": {"statement": "s"}},
    }
    S = Portfolio.from_dict(d).structure
    with pytest.raises(PortfolioError, match="bdd: this computation depends on 3 latent"):
        latent_states(S, [0, 1, 2], limit=2, context="bdd: ")
    assert len(latent_states(S, [0, 1, 2], limit=None)[2]) == 8
