"""Importance and what-next on long ``requires`` chains (issue 12): one plan, one diagram.

A valid portfolio whose assumptions form a ``requires`` chain of 990 entries (one case resting
on its head, one scenario) made ``importance`` and ``next`` run past five minutes: the portfolio
was compiled again for every clamped probability, and the Fussell-Vesely measure built one
BDD manager per basic event. The assertions count that work (speed is measured in the
benchmarks); the expected values are closed forms.
"""

import json
from fractions import Fraction

import pytest

import portfolios.bdd as bdd
import portfolios.diversity as diversity
import portfolios.importance as importance
import portfolios.structure as structure
from contracts._cli import main
from portfolios import ComputationLimitError, Portfolio


def _chain_dict(n):
    """A0 requires A1 requires ... A(n-1); case C rests on A0 and covers S."""
    assumptions = {}
    for i in range(n):
        assumptions[f"A{i}"] = {"statement": "a", "p_fail": 0.001}
        if i < n - 1:
            assumptions[f"A{i}"]["requires"] = [f"A{i + 1}"]
    return {
        "assumptions": assumptions,
        "cases": {"C": {"statement": "c", "assumptions": ["A0"], "covers": ["S"]}},
        "scenarios": {"S": {"statement": "s"}},
    }


def _chain(n):
    return Portfolio.from_dict(_chain_dict(n))


@pytest.fixture
def counted(monkeypatch):
    """Count structure compilations and BDD managers built."""
    counts = {"compilations": 0, "managers": 0}
    run, init = structure._Compiler.run, bdd.BDD.__init__

    def counting_run(self):
        counts["compilations"] += 1
        return run(self)

    def counting_init(self, *args, **kwargs):
        counts["managers"] += 1
        init(self, *args, **kwargs)

    monkeypatch.setattr(structure._Compiler, "run", counting_run)
    monkeypatch.setattr(bdd.BDD, "__init__", counting_init)
    return counts


def test_importance_of_a_requires_chain_compiles_once_and_builds_one_diagram(counted):
    n = 150
    P = _chain(n)
    P.structure  # noqa: B018 - compiled here, outside what is counted below
    counted.update(compilations=0, managers=0)
    imp = P.importance("S")
    assert counted == {"compilations": 0, "managers": 1}  # was n x 4 and n
    # U = some A_i fails: P(U) = 1 - q^n, q = 0.999; P(U | A_i := 1) = 1, P(U | A_i := 0)
    # = 1 - q^(n-1); the only cut set containing A_i is {A_i}: FV = p / P(U)
    q = Fraction(999, 1000)
    p_top = 1 - q**n
    row = imp["A7"]
    assert row.p_if_fails == 1.0
    assert row.p_if_holds == pytest.approx(float(1 - q ** (n - 1)), rel=1e-12)
    assert row.fussell_vesely == pytest.approx(float(Fraction(1, 1000) / p_top), rel=1e-12)
    assert len(imp) == n


def test_most_load_bearing_of_a_requires_chain_compiles_nothing_more(counted):
    n = 150
    P = _chain(n)
    P.structure  # noqa: B018
    counted.update(compilations=0, managers=0)
    ranking = P.most_load_bearing("S")
    assert counted["compilations"] == 0
    q = Fraction(999, 1000)
    assert len(ranking) == n
    assert float(ranking.drop[0]) == pytest.approx(float(q ** (n - 1) - q**n), rel=1e-9)


def test_dnf_probabilities_agree_with_one_diagram_per_family():
    P = Portfolio.from_dict(
        {
            "latent": {"W": {"statement": "w", "p_fail": 0.3}},
            "assumptions": {
                "A": {"statement": "a", "p_fail": {"W": {"holds": 0.2, "fails": 0.6}}},
                "B": {"statement": "b", "p_fail": {"W": {"holds": 0.5, "fails": 0.1}}},
                "C": {"statement": "c", "p_fail": 0.25},
            },
            "cases": {
                "X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
                "Y": {"statement": "y", "assumptions": ["B", "C"], "covers": ["S"]},
            },
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    S = P.structure
    events = list(range(len(S.events)))
    families = [[{e} for e in events], [set(events[:2]), set(events[1:])], [], [{events[-1]}]]
    together = bdd.dnf_probabilities(S, families)
    alone = [bdd.dnf_probability(S, f) for f in families]
    assert together == pytest.approx(alone, rel=1e-12, abs=0.0)


@pytest.mark.parametrize("method", ["bdd", "inclusion-exclusion"])
def test_recompiling_methods_refuse_a_long_chain_at_once_and_name_the_plan(counted, method):
    P = _chain(990)  # each recompilation walks ~490,000 units (the closures of the chain)
    P.structure  # noqa: B018
    counted.update(compilations=0, managers=0)
    with pytest.raises(ComputationLimitError, match="MAX_RECOMPILED_UNITS") as info:
        P.importance("S", method=method, fussell_vesely=False)
    assert "method='exact' or 'auto'" in str(info.value)
    with pytest.raises(ComputationLimitError, match="ranking of assumptions"):
        P.most_load_bearing("S", method=method)
    assert counted["compilations"] == 0  # refused before the first one


def test_the_recompilation_budget_counts_clamps_times_units(monkeypatch):
    # 5 assumptions with closures 5, 4, 3, 2, 1; the case's path: them and its soundness unit
    P = _chain(5)
    assert sum(len(p) for p in P.structure.paths.values()) == 5 + 4 + 3 + 2 + 1 + 6
    # importance: P(U) and two clamps per assumption: 11 clamps, 231 units walked
    monkeypatch.setattr(importance, "MAX_RECOMPILED_UNITS", 230)
    with pytest.raises(ComputationLimitError, match=r"11 x 21 = 231 units"):
        P.importance("S", method="bdd")
    monkeypatch.setattr(importance, "MAX_RECOMPILED_UNITS", 231)
    auto = P.importance("S")
    assert P.importance("S", method="bdd").birnbaum == pytest.approx(auto.birnbaum, rel=1e-12)
    # the exact programme's one plan is not bounded by it
    monkeypatch.setattr(importance, "MAX_RECOMPILED_UNITS", 0)
    assert P.importance("S", method="exact").birnbaum == pytest.approx(auto.birnbaum, rel=1e-12)


def test_the_command_line_refuses_a_recompiling_method_with_exit_3(tmp_path, capsys):
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(_chain_dict(990)))
    code = main(["portfolio", "next", str(path), "--scenario", "S", "--method", "bdd"])
    assert code == 3
    assert "MAX_RECOMPILED_UNITS" in capsys.readouterr().err


# ------------------------------------------------------------- which engine "auto" ran


def _shared(k):
    """k cases on a private assumption each and one shared by all (the exact table: 2^k)."""
    assumptions = {"SH": {"statement": "s", "p_fail": 0.1}}
    assumptions.update({f"A{i}": {"statement": "a", "p_fail": 0.1} for i in range(k)})
    cases = {
        f"C{i}": {"statement": "c", "assumptions": [f"A{i}", "SH"], "covers": ["S"]}
        for i in range(k)
    }
    return Portfolio.from_dict(
        {"assumptions": assumptions, "cases": cases, "scenarios": {"S": {"statement": "s"}}}
    )


def test_auto_results_say_which_engine_ran():
    small, wide = _shared(3), _shared(25)  # 2^25 cells: past MAX_EXACT_CELLS, the BDD runs
    assert small.importance("S", method="auto").method == "auto (exact)"
    assert small.most_load_bearing("S", method="auto").method == "auto (exact)"
    imp = wide.importance("S", method="auto", fussell_vesely=False)
    assert imp.method == "auto (bdd)"  # every clamp keeps the paths: 2^25 cells each time
    assert "method='auto (bdd)'" in repr(imp)
    ranking = wide.most_load_bearing("S", method="auto")
    assert ranking.method == "auto (bdd)"
    # shoring SH up leaves each case failing with its own assumption only: 0.1^25
    assert float(ranking.p_after[0]) == pytest.approx(0.1**25, rel=1e-12)
    candidate = {"N": {"statement": "n", "assumptions": ["A0"]}}
    assert small.best_addition("S", candidate, method="auto").method == "auto (exact)"
    assert wide.best_addition("S", candidate, method="auto").method == "auto (bdd)"
    # a method asked for by name is recorded as it is
    assert small.importance("S", method="bdd").method == "bdd"
    assert small.most_load_bearing("S", method="exact").method == "exact"


def test_the_json_of_importance_names_the_engine(tmp_path, capsys):
    path = tmp_path / "small.json"
    path.write_text(json.dumps(_shared(3).to_dict()))
    assert main(["portfolio", "importance", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["scenarios"][0]["method"] == "auto (exact)"


# ------------------------------------------------ diversity past 16 latent variables


def _latent17(holds, fails):
    """X on A0..A8, Y on A9..A16 and AS: Ai conditional on Wi, AS on W0 (17 variables)."""
    latent = {f"W{i}": {"statement": "w", "p_fail": 0.5} for i in range(17)}
    law = {"holds": holds, "fails": fails}
    assumptions = {f"A{i}": {"statement": "a", "p_fail": {f"W{i}": law}} for i in range(17)}
    assumptions["AS"] = {"statement": "s", "p_fail": {"W0": {"holds": 0.2, "fails": 0.4}}}
    cases = {
        "X": {"statement": "x", "assumptions": [f"A{i}" for i in range(9)], "covers": ["S"]},
        "Y": {
            "statement": "y",
            "assumptions": [*(f"A{i}" for i in range(9, 17)), "AS"],
            "covers": ["S"],
        },
    }
    return Portfolio.from_dict(
        {
            "latent": latent,
            "assumptions": assumptions,
            "cases": cases,
            "scenarios": {"S": {"statement": "s"}},
        }
    )


def test_diversity_takes_17_latent_variables_by_bdd_as_auto_does():
    P = _latent17(0.1, 0.3)  # fails >= holds: W is an event of the BDD, no state is summed
    half, m = Fraction(1, 2), Fraction(1, 5)  # each Ai fails with 1/2 (1/10 + 3/10) = 1/5
    hold_x = (1 - m) ** 9
    hold_y = (1 - m) ** 8 * (half * Fraction(8, 10) + half * Fraction(6, 10))
    # only W0 is shared: sum over it of P(w) (1 - a0(w)) (1 - s(w))
    shared = half * Fraction(9, 10) * Fraction(8, 10) + half * Fraction(7, 10) * Fraction(6, 10)
    hold_both = (1 - m) ** 16 * shared
    got = diversity.hold_probability(P.structure, ["X", "Y"])  # refused before (17 > 16)
    assert got == pytest.approx(float(hold_both), rel=1e-12)
    d = P.diversity("S")
    fx, fy = 1 - hold_x, 1 - hold_y
    r = (hold_both - hold_x * hold_y) / (fx * hold_x * fy * hold_y) ** 0.5
    assert d.correlation[0, 1] == pytest.approx(float(r), rel=1e-9)
    assert d.participation_status == "ok"


def test_diversity_past_the_limits_of_both_engines_says_so():
    P = _latent17(0.3, 0.1)  # fails < holds: every Wi conditions its assumption: 2^17 states
    with pytest.raises(ComputationLimitError) as info:
        diversity.hold_probability(P.structure, ["X", "Y"])
    message = str(info.value)
    assert "enumeration is refused" in message and "so is the BDD" in message
    assert "similarity_diversity" in message


@pytest.mark.parametrize("backend", ["cudd", "python"])
def test_the_shared_walk_agrees_with_the_engine_on_each_backend(monkeypatch, backend):
    import portfolios.ftengine as ftengine

    if backend not in ftengine.available_backends():
        pytest.skip(f"{backend} does not import here")
    monkeypatch.setattr(ftengine, "available_backends", lambda: [backend])
    P = _latent17(0.1, 0.3)
    S = P.structure
    events = list(range(len(S.events)))
    # (an OR over all 55 events overflows dd.bdd's max_nodes even with dnf_probability)
    families = [[set(events[i : i + 3]) for i in range(0, 12, 2)], [{events[0]}], []]
    walked = bdd.dnf_probabilities(S, families)
    monkeypatch.setattr(bdd, "WALK_NODES", -1)  # each root read out by the vectorised engine
    assert walked == pytest.approx(bdd.dnf_probabilities(S, families), rel=1e-12, abs=0.0)
