"""IB without the policies x predictions table: the factorised route, workers, progress bars."""

import io
import math
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings

from infrabayes.problems import Chance, Decision, Outcome, Predictor, Problem, catalog
from infrabayes.problems import _factored as fa
from infrabayes.problems import hypotheses as hyp
from infrabayes.problems.progress import bar
from infrabayes.strategies import problems


def rooms(n, exact=True):
    """A die picks one of n rooms; room k is Parfit's Hitchhiker reading "room k" (error 1/10)."""
    eps, fare = (F(1, 10), F(1, 1000)) if exact else (0.1, 0.001)
    share = F(1, n) if exact else 1 / n
    branches = {}
    for k in range(n):
        town = Decision(
            f"room {k}", {"pay": Outcome(f"{k}: pay", 1 - fare), "refuse": Outcome(f"{k}: no", 1)}
        )
        driver = Predictor(f"room {k}", {"pay": town, "refuse": Outcome(f"{k}: desert", 0)}, eps)
        branches[f"room {k}"] = (share, driver)
    return Problem(Chance(branches, name="die"), name=f"{n} rooms")


def same(a, b, exact):
    if exact:
        assert list(a) == list(b)
    else:
        assert np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-12, atol=0)


def check_against_the_direct_products(p):
    c = p._view.compiled
    t = hyp.tables(c)
    for nirvana in (math.inf, 1):
        direct = hyp.ib_values(c, t, "causal", nirvana)
        factored = fa.ib_values(c, nirvana)
        same(direct[0], factored[0], c.exact)
        if c.exact:
            assert direct[1] == factored[1]
    same(hyp.expected_utilities(c, t), fa.expected_utilities(c), c.exact)


@settings(max_examples=30, deadline=None)
@given(problems(max_depth=4))
def test_factorised_values_equal_the_direct_products_exactly(p):
    check_against_the_direct_products(p)


@settings(max_examples=20, deadline=None)
@given(problems(max_depth=3, exact=False, noisy=True))
def test_factorised_values_equal_the_direct_products_in_float(p):
    check_against_the_direct_products(p)


@pytest.mark.parametrize("entry", list(catalog()), ids=lambda e: e.slug)
def test_factorised_values_on_the_catalog(entry):
    check_against_the_direct_products(entry.make())


def test_rooms_split_into_one_component_per_room():
    parts = fa.components(rooms(4)._view.compiled)
    assert [len(part.predict) for part in parts] == [1, 1, 1, 1]
    assert all(part.decide == part.predict for part in parts)


def test_a_large_problem_takes_the_factorised_route_with_values_by_hand():
    n = 10
    p = rooms(n)
    assert p._view.factored() is not None  # 2^10 x 2^10 x 50 products: factorised
    s = p.solve()
    # Per room, by hand (Parfit's Hitchhiker, error 1/10): paying is worth 9/10 * 999/1000
    # (Murphy must predict "pay": "refuse" is refuted when the driver errs); refusing 1/10
    # (Murphy predicts "refuse"; the driver errs into town, where you refuse: utility 1).
    pay, refuse = F(9, 10) * F(999, 1000), F(1, 10)
    for policy, value, eu in zip(s.policies, s.values, s.expected_utilities, strict=True):
        paid = sum(policy[f"room {k}"] == "pay" for k in range(n))
        assert value == eu == (paid * pay + (n - paid) * refuse) / n
    # Murphy predicts the policy itself, in every room
    assert s.murphy_index[5] == (5,)
    assert [str(x) for x in s.optimal] == [", ".join(f"room {k}: pay" for k in range(n))]


def test_workers_give_the_same_values(monkeypatch):
    monkeypatch.setattr(hyp, "_CHUNK_ENTRIES", 64)  # many chunks of policies
    p = rooms(6)
    assert p._view.factored() is None  # small: the direct products
    seen = []
    one = rooms(6).solve(progress=lambda d, t: seen.append((d, t)))
    with ThreadPoolExecutor(2) as pool:
        threads = p.solve(workers=pool.map)
    assert list(threads.values) == list(one.values)
    assert threads.murphy_index == one.murphy_index
    assert seen[-1] == (64, 64) and len(seen) > 1
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    with pytest.raises(ValueError, match="workers is 0"):
        rooms(2).solve(workers=0)


def test_text_progress_bar():
    stream = io.StringIO()
    show = bar("rooms", stream=stream, interval=3600)
    for done in range(1, 11):
        show(done, 10)
    # the first call draws, the rest wait for the interval, the last always draws
    assert stream.getvalue() == "\rrooms: 1/10 (10%)\rrooms: 10/10 (100%)\n"
    stream = io.StringIO()
    rooms(3).solve("udt", progress=bar(stream=stream, interval=0))
    assert stream.getvalue().endswith("solving: 8/8 (100%)\n")


def test_rich_progress_bar():
    pytest.importorskip("rich")
    stream = io.StringIO()
    rooms(3).solve(progress=bar("rooms", stream=stream, use_rich=True))
    assert "rooms" in stream.getvalue()


def test_murphy_s_ties_multiply_across_components(monkeypatch):
    # Each room: predicting x leads to your choice there (x: 1/2, y: 0), predicting y to 1/2
    # without a choice. Against x, Murphy is indifferent (both 1/2, neither refuted: the choice
    # is never reached when he predicts y); against y, "x" is refuted. So the all-x policy has
    # 2^n tied predictions, and all policies together 3^n.
    def tied_rooms(n):
        branches = {}
        for k in range(n):
            town = Decision(f"r{k}", {"x": Outcome(f"{k}x", F(1, 2)), "y": Outcome(f"{k}y", 0)})
            room = Predictor(f"r{k}", {"x": town, "y": Outcome(f"{k}z", F(1, 2))})
            branches[f"r{k}"] = (F(1, n), room)
        return Problem(Chance(branches))

    p = tied_rooms(3)
    c = p._view.compiled
    values, murphy = fa.ib_values(c, math.inf)
    direct = hyp.ib_values(c, hyp.tables(c), "causal", math.inf)
    assert list(values) == list(direct[0]) and murphy == direct[1]
    assert len(murphy[0]) == 8  # 2 x 2 x 2
    from infrabayes import limits

    five = tied_rooms(5)._view.compiled  # 3^5 = 243 choices
    monkeypatch.setattr(limits, "MAX_TABLE_ENTRIES", 200)
    with pytest.raises(limits.SizeLimitError, match=r"Murphy's tied choices, .* number 243"):
        fa.ib_values(five, math.inf)
