"""Importance and what-next on long ``requires`` chains (issue 12): one plan, one diagram.

A valid portfolio whose assumptions form a ``requires`` chain of 990 entries (one case resting
on its head, one scenario) made ``importance`` and ``next`` run past five minutes: the portfolio
was compiled again for every clamped probability, and the Fussell-Vesely measure built one
BDD manager per basic event. The assertions count that work (speed is measured in the
benchmarks); the expected values are closed forms.
"""

from fractions import Fraction

import pytest

import portfolios.bdd as bdd
import portfolios.structure as structure
from portfolios import Portfolio


def _chain(n, p="0.001"):
    """A0 requires A1 requires ... A(n-1); case C rests on A0 and covers S."""
    assumptions = {
        f"A{i}": {
            "statement": "a",
            "p_fail": float(p),
            **({"requires": [f"A{i + 1}"]} if i < n - 1 else {}),
        }
        for i in range(n)
    }
    return Portfolio.from_dict(
        {
            "assumptions": assumptions,
            "cases": {"C": {"statement": "c", "assumptions": ["A0"], "covers": ["S"]}},
            "scenarios": {"S": {"statement": "s"}},
        }
    )


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
