"""What the audit found to hold (issue 12), kept as tests.

Results are bit-identical in processes with different hash seeds (seeded Monte Carlo included),
eight threads on one shared Portfolio get the single-thread results, and no input is mutated.
"""

import copy
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

import portfolios
from portfolios import Portfolio
from portfolios.probability import exact_plan, state_probabilities

ROOT = Path(__file__).resolve().parents[2]

DATA = {
    "latent": {
        "W": {"statement": "w", "p_fail": 0.3},
        "V": {"statement": "v", "p_fail": 0.05},
    },
    "assumptions": {
        "A": {"statement": "a", "p_fail": {"W": {"holds": 0.1, "fails": 0.5}}},
        "B": {"statement": "b", "p_fail": {"V": {"holds": 0.2, "fails": 0.9}}, "requires": ["A"]},
        "C": {"statement": "c", "p_fail": 0.15},
        "D": {"statement": "d", "p_fail": {"W": {"holds": 0.3, "fails": 0.05}}},
    },
    "cases": {
        "X": {"statement": "x", "assumptions": ["A", "C"], "covers": ["S", "T"]},
        "Y": {"statement": "y", "assumptions": ["B", "D"], "covers": ["S"]},
        "Z": {
            "statement": "z",
            "assumptions": ["C"],
            "rests_on": ["X"],
            "soundness_error": 0.01,
            "covers": ["S", "T"],
        },
    },
    "scenarios": {"S": {"statement": "s", "max_risk": 0.1}, "T": {"statement": "t"}},
}

# Every number as float.hex, so that "the same" means bit-identical.
SCRIPT = """
import json, sys
import portfolios
from portfolios import Portfolio
P = Portfolio.from_dict(json.loads(sys.argv[1]))
out = {}
for s in P.scenarios:
    imp = P.importance(s)
    out[s] = {
        "p": P.p_unprotected(s).hex(),
        "bdd": P.p_unprotected(s, method="bdd").hex(),
        "mc": P.p_unprotected(s, method="montecarlo", n_samples=5000, rng=11).n_hits,
        "labels": list(imp.labels),
        "birnbaum": [float(x).hex() for x in imp.birnbaum],
        "fv": [float(x).hex() for x in imp.fussell_vesely],
        "cuts": [list(c.labels) for c in P.minimal_cut_sets(s)],
        "next": list(P.most_load_bearing(s).names),
        "diversity": [float(x).hex() for x in P.diversity(s).values],
    }
out["score"] = P.score().to_json()
print(json.dumps(out, sort_keys=True))
"""


def test_results_are_bit_identical_under_different_hash_seeds():
    runs = []
    for seed in (0, 1, 4242):  # three processes at once
        env = dict(os.environ, PYTHONHASHSEED=str(seed))
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
        runs.append(
            subprocess.Popen(
                [sys.executable, "-c", SCRIPT, json.dumps(DATA)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
        )
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        outputs.append(out)
    assert len(set(outputs)) == 1, "results depend on the hash seed"
    assert json.loads(outputs[0])["S"]["mc"] > 0  # the comparison has content


def _analyses(P, s):
    imp = P.importance(s)
    return (
        P.p_unprotected(s).hex(),
        P.p_unprotected(s, method="bdd").hex(),
        P.p_unprotected(s, method="montecarlo", n_samples=2000, rng=5).n_hits,
        tuple(float(x).hex() for x in imp.birnbaum),
        tuple(float(x).hex() for x in imp.fussell_vesely),
        tuple(c.labels for c in P.minimal_cut_sets(s)),
        P.most_load_bearing(s).names,
        tuple(float(x).hex() for x in P.diversity(s).values),
    )


def test_eight_threads_on_a_shared_portfolio_match_one_thread():
    tasks = [s for s in DATA["scenarios"] for _ in range(4)]
    expected = {s: _analyses(Portfolio.from_dict(DATA), s) for s in DATA["scenarios"]}
    shared = Portfolio.from_dict(DATA)  # one object, its structure and caches built in threads
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda s: (s, _analyses(shared, s)), tasks))
    for s, got in results:
        assert got == expected[s]


def test_no_input_is_mutated():
    data = copy.deepcopy(DATA)
    P = Portfolio.from_dict(data)
    assert data == DATA
    for s in P.scenarios:
        P.score()
        P.importance(s)
        P.most_load_bearing(s)
    candidates = {"new": {"statement": "n", "assumptions": ["E"]}}
    new_assumptions = {"E": {"statement": "e", "p_fail": 0.2}}
    frozen = copy.deepcopy((candidates, new_assumptions))
    P.best_addition("S", candidates, assumptions=new_assumptions)
    assert (candidates, new_assumptions) == frozen
    weights = {"X": 2.0, "Y": 1.0, "Z": 1.0}
    Z = np.eye(3)
    Z_before, weights_before = Z.copy(), dict(weights)
    P.diversity("S", weights=weights, similarity=Z)
    assert weights == weights_before and np.array_equal(Z, Z_before) and Z.flags.writeable
    plan = exact_plan(P.structure, ["X", "Y"])
    unit_p = np.array(P.structure.unit_p[plan.units])
    before = unit_p.copy()
    state_probabilities(plan, unit_p)
    assert np.array_equal(unit_p, before)
    assert data == DATA and P.to_dict() == Portfolio.from_dict(DATA).to_dict()
    assert portfolios.Portfolio.from_dict(P.to_dict()).to_dict() == P.to_dict()
