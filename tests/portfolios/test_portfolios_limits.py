"""Resource limits (issue 12): exponential work is sized and refused early, or avoided.

Reproducers of the audit: importance on twelve cases with private assumptions ran for minutes
(292 s for 12 x 40) before advising a ``max_order`` it does not take; ``score --max-order 3`` on
ten cases with eight private assumptions each ran 82 s before telling the user to pass the
``max_order`` they had passed; 25 covering cases sharing an assumption were refused by the
exact programme although the BDD solves them at once; Monte Carlo refused 17 latent variables
although sampling needs no enumeration. Every expected value below is a closed form.
"""

import json
import math
import time

import pytest

import portfolios.limits as limits
from portfolios import ComputationLimitError, Portfolio
from portfolios import _cli as cli
from portfolios.cutsets import order_lower_bound


def _private(n_cases, per_case, shared=0, p=0.1):
    """Cases resting on private assumptions (and on ``shared`` common ones), all covering S."""
    d = {"assumptions": {}, "cases": {}, "scenarios": {"S": {"statement": "s"}}}
    for c in range(n_cases):
        names = [f"A{c}_{i}" for i in range(per_case)]
        d["assumptions"].update({a: {"statement": a, "p_fail": p} for a in names})
        d["cases"][f"C{c}"] = {"statement": "c", "assumptions": names, "covers": ["S"]}
    for j in range(shared):
        d["assumptions"][f"SH{j}"] = {"statement": "shared", "p_fail": p}
        for case in d["cases"].values():
            case["assumptions"].append(f"SH{j}")
    return d


def test_the_limits_are_documented_with_their_numbers():
    for name in limits.__all__:
        if name.startswith("MAX_"):
            value = getattr(limits, name)
            assert isinstance(value, int) and value > 0
            assert f":data:`{name}`" in limits.__doc__
    assert limits.MAX_CUT_SETS == 200_000 and limits.MAX_EXACT_CELLS == 2**24


def test_importance_refuses_fussell_vesely_at_once_and_says_how_to_skip_it():
    # 12 cases on 8 private assumptions each: 8^12 minimal cut sets, all of order 12
    P = Portfolio.from_dict(_private(12, 8))
    start = time.process_time()
    with pytest.raises(ComputationLimitError) as info:
        P.importance("S")
    assert time.process_time() - start < 10  # was minutes
    message = str(info.value)
    assert "fussell_vesely=False" in message and "--no-fussell-vesely" in message
    assert "order at least 12" in message and "max_order" not in message
    seen = []
    imp = P.importance("S", fussell_vesely=False, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (96, 96) and len(seen) == 96
    assert all(math.isnan(v) for v in imp.fussell_vesely)
    # P(U) = (1 - 0.9^8)^12; Birnbaum of A: P(U) / P(C fails) * P(C fails | A) - ... closed form
    f = 1 - 0.9**8
    assert imp.p_top == pytest.approx(f**12, rel=1e-12)
    assert imp["A0_0"].birnbaum == pytest.approx(f**11 * 0.9**7, rel=1e-12)


def test_score_with_max_order_is_fast_and_scores_a_scenario_whose_cut_sets_are_too_many():
    # 10 cases on 8 private assumptions each: no cut set below order 10, 8^10 of order 10
    P = Portfolio.from_dict(_private(10, 8))
    start = time.process_time()
    score = P.score(max_order=3)
    assert time.process_time() - start < 10  # was 82 s, then a refusal
    s = score["S"]
    assert s.p_unprotected == pytest.approx((1 - 0.9**8) ** 10, rel=1e-12)
    assert len(s.cut_sets) == 0 and s.cut_sets.max_order == 10
    assert "not listed" in s.cut_sets.note and "order at least 10" in s.cut_sets.note
    assert "not listed" in score.to_text() and '"note": "not listed' in score.to_json()
    # below the lower bound the answer is known without enumerating
    assert len(P.minimal_cut_sets("S", max_order=9)) == 0
    with pytest.raises(ComputationLimitError, match="order at least 10; pass a smaller max_order"):
        P.minimal_cut_sets("S")


def test_order_lower_bound_is_a_lower_bound():
    # brute force over small families: the minimum hitting set is at least the bound
    import itertools

    families = [
        [[0b0011], [0b0100, 0b1000], [0b0001]],
        [[0b0001, 0b0010], [0b0010, 0b0100], [0b0100, 0b0001]],
        [[0b0011, 0b1100]],
        [[0b0001], []],
    ]
    for clauses in families:
        events = 4
        best = None
        for size in range(events + 1):
            for chosen in itertools.combinations(range(events), size):
                mask = sum(1 << e for e in chosen)
                if all(any(t & mask == t for t in c) for c in clauses):
                    best = size
                    break
            if best is not None:
                break
        assert best is None or order_lower_bound(clauses) <= best


def test_auto_method_picks_the_engine_that_can():
    # 25 cases on 2 private assumptions each and one shared: P(U) = q + (1 - q) (1 - 0.9^2)^25
    P = Portfolio.from_dict(_private(25, 2, shared=1))
    expected = 0.1 + 0.9 * (1 - 0.81) ** 25
    with pytest.raises(ComputationLimitError, match="use method='bdd'"):
        P.p_unprotected("S", method="exact")
    assert P.p_unprotected("S") == pytest.approx(expected, rel=1e-12)  # auto
    assert P.p_unprotected("S", method="bdd") == pytest.approx(expected, rel=1e-12)
    score = P.score()
    assert score["S"].p_unprotected == pytest.approx(expected, rel=1e-12)


@pytest.mark.slow
def test_the_command_line_uses_auto_where_exact_is_refused(tmp_path, capsys):
    # 25 cases on one private assumption each and a shared one: the exact table is 2^25 wide
    wide = tmp_path / "wide.json"
    wide.write_text(json.dumps(_private(25, 1, shared=1)))
    args = ["importance", str(wide), "--format", "json", "--no-fussell-vesely", "--limit", "1"]
    assert cli_main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["scenarios"][0]["p_unprotected"] == pytest.approx(0.1 + 0.9 * 0.1**25)
    assert doc["scenarios"][0]["events"][0]["label"] == "SH0"
    assert cli_main(["importance", str(wide), "--no-fussell-vesely", "--method", "exact"]) == 3
    assert "use method='bdd'" in capsys.readouterr().err


def test_the_command_line_can_skip_fussell_vesely(tmp_path, capsys):
    many = tmp_path / "many.json"
    many.write_text(json.dumps(_private(12, 8)))
    assert cli_main(["importance", str(many)]) == 3
    assert "--no-fussell-vesely" in capsys.readouterr().err
    assert cli_main(["importance", str(many), "--no-fussell-vesely", "--limit", "1"]) == 0
    assert "96 basic events" in capsys.readouterr().out


def cli_main(argv):
    from contracts._cli import main

    return main(["portfolio", *argv])


def test_progress_is_printed_on_standard_error(capsys):
    show = cli._Progress("knightian portfolio importance: S: basic events")
    show(1, 3)
    show(3, 3)
    err = capsys.readouterr().err
    assert err.endswith("\rknightian portfolio importance: S: basic events: 3/3\n")


def test_montecarlo_samples_more_latent_variables_than_exact_enumerates():
    L = limits.MAX_LATENT + 1
    d = {
        "latent": {f"W{j}": {"statement": "w", "p_fail": 0.2} for j in range(L)},
        "assumptions": {
            f"A{j}": {"statement": "a", "p_fail": {f"W{j}": {"holds": 0.1, "fails": 0.6}}}
            for j in range(L)
        },
        "cases": {
            "X": {
                "statement": "x",
                "assumptions": [f"A{j}" for j in range(0, L, 2)],
                "covers": ["S"],
            },
            "Y": {
                "statement": "y",
                "assumptions": [f"A{j}" for j in range(1, L, 2)],
                "covers": ["S"],
            },
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    P = Portfolio.from_dict(d)
    # independent assumptions, marginal 0.8 * 0.1 + 0.2 * 0.6 = 0.2:
    # P(X) = 1 - 0.8^9, P(Y) = 1 - 0.8^8
    expected = (1 - 0.8**9) * (1 - 0.8**8)
    mc = P.p_unprotected("S", method="montecarlo", rng=7, n_samples=20_000, level=1 - 1e-9)
    assert expected in mc.interval
    again = P.p_unprotected("S", method="montecarlo", rng=7, n_samples=20_000, level=1 - 1e-9)
    assert again.n_hits == mc.n_hits  # seeded
