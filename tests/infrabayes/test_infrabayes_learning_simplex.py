"""infrabayes.learning.simplex: candidate grids and the exact best policy over the simplex."""

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrabayes.learning.simplex import MAX_ACTIONS, grid, maximize, n_grid


def test_grid_lists_pure_policies_first():
    g = grid(3, 2)
    assert len(g) == n_grid(3, 2) == 6
    assert g[:3].tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert all(sum(row) == 1 for row in g)
    assert {tuple(row) for row in g[3:]} == {
        (F(1, 2), F(1, 2), 0),
        (F(1, 2), 0, F(1, 2)),
        (0, F(1, 2), F(1, 2)),
    }


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_grid_rejects_bad_steps(bad):
    with pytest.raises(ValueError, match="grid must be a positive int"):
        grid(2, bad)


def test_two_actions_closed_form():
    # r(x) = a x^2 + b x + c with x = pi_0; for Q = [[q00, q01], [q10, q11]]:
    # r = q00 x^2 + (q01 + q10) x (1 - x) + q11 (1 - x)^2. With q00 = 0, q01 + q10 = 3, q11 = 1:
    # r = 3x - 3x^2 + 1 - 2x + x^2 = 1 + x - 2x^2, maximal at x = 1/4: 1 + 1/4 - 1/8 = 9/8.
    policy, value = maximize([[0, 2], [1, 1]])
    assert list(policy) == [F(1, 4), F(3, 4)] and value == F(9, 8)


def test_linear_forms_have_pure_maximisers_and_ties_go_to_the_first():
    policy, value = maximize([[1, 1], [1, 1]])  # r = 1 everywhere
    assert list(policy) == [1, 0] and value == 1


def test_too_many_actions():
    with pytest.raises(ValueError, match="at most"):
        maximize(np.zeros((MAX_ACTIONS + 1, MAX_ACTIONS + 1)))


small = st.fractions(-1, 1, max_denominator=4)


@settings(max_examples=40)
@given(
    st.integers(2, 3).flatmap(
        lambda n: st.lists(st.lists(small, min_size=n, max_size=n), min_size=n, max_size=n)
    )
)
def test_maximize_beats_a_fine_grid_and_is_attained(rows):
    # Second algorithm: brute force over every policy with probabilities in multiples of 1/12.
    q = np.array(rows, dtype=object)
    n = q.shape[0]
    policy, value = maximize(q)
    assert all(p >= 0 for p in policy) and sum(policy) == 1
    assert policy @ q @ policy == value  # attained by the returned policy, exactly
    step = 12
    for counts in itertools.product(range(step + 1), repeat=n - 1):
        if sum(counts) > step:
            continue
        x = np.array([F(c, step) for c in counts] + [1 - F(sum(counts), step)], dtype=object)
        assert x @ q @ x <= value


@settings(max_examples=30)
@given(st.lists(st.floats(-1, 1, allow_nan=False), min_size=9, max_size=9))
def test_maximize_floats_agree_with_a_grid(entries):
    q = np.array(entries).reshape(3, 3)
    policy, value = maximize(q)
    assert policy @ q @ policy == pytest.approx(value, abs=1e-12)
    step = 30
    best = max(
        np.array([i, j, step - i - j]) / step @ q @ (np.array([i, j, step - i - j]) / step)
        for i in range(step + 1)
        for j in range(step + 1 - i)
    )
    assert best <= value + 1e-9


def test_long_run_best_avoids_absorption():
    from infrabayes.learning.simplex import maximize_unabsorbed

    q = [[F(1, 2), F(3, 4)], [F(1, 2), F(3, 4)]]  # arm 1 pays 3/4, arm 0 pays 1/2
    policy, value = maximize_unabsorbed(q, [[0, 0], [0, 0]])  # nothing absorbs: arm 1
    assert list(policy) == [0, 1] and value == F(3, 4)
    policy, value = maximize_unabsorbed(q, [[0, F(1, 10)], [0, F(1, 10)]])  # arm 1 traps
    assert list(policy) == [1, 0] and value == F(1, 2)
    # Every policy can be absorbed: each averages 0 in the long run.
    _, value = maximize_unabsorbed(q, [[F(1, 10), F(1, 10)], [F(1, 10), F(1, 10)]])
    assert value == 0
