"""The infrabayes tour section runs fast and shows the hand-derived numbers."""

import io
import time

import pytest

from contracts._cli import TOUR_SECTIONS, main
from infrabayes._tour import section


def test_tour_section_shows_the_worked_numbers_quickly():
    buf = io.StringIO()
    start = time.perf_counter()
    section(buf)
    assert time.perf_counter() - start < 5
    text = buf.getvalue()
    # By hand (see test_infrabayes_update.py and test_infrabayes_nirvana.py for the derivations):
    for expected in (
        "7/10 and 3/4",
        "g =   0: P = 7/10",
        "g =   1: P = 3/4",
        "g = 1/2: P = 29/40",
        "E(1_x1) = 1/7",
        "E(1_x1) = 1/5",
        # g = 1/2: (E(1_x1 *g) - E(0 *g)) / P = (1/4 - 1/8) / (29/40) = 5/29.
        "E(1_x1) = 5/29",
        "1/2, 1, 1  (dropping delta_b instead: 1/4, 3/4, 1)",
        "nirvana = inf: pay 81/100, refuse 1/10",
        "pay 1/10, refuse 1/10",
    ):
        assert expected in text


def test_tour_answers_the_parfit_question():
    buf = io.StringIO()
    section(buf)
    lines = [line.split() for line in buf.getvalue().splitlines()]
    # The table of where each encoding fails (values derived in test_infrabayes_problems_library):
    # perfect driver: causal 0 / 0 (tie) under either Nirvana, acausal 999/1000 / 0;
    # driver erring 1/10: causal inf 8991/10000 / 1/10, causal 1: 1/10 / 1/10 (tie), acausal pays.
    for row in (
        "perfect causal, nirvana=inf 0 0 pay / refuse fails: a tie",
        "perfect causal, nirvana=1 0 0 pay / refuse fails: a tie",
        "perfect acausal 999/1000 0 pay pays",
        "errs 1/10 causal, nirvana=inf 8991/10000 1/10 pay pays",
        "errs 1/10 causal, nirvana=1 1/10 1/10 pay / refuse fails: a tie",
        "errs 1/10 acausal 8991/10000 1/10 pay pays",
    ):
        assert row.split() in lines
    # The update in town: P = 9/10, pay 8991/10000 -> 999/1000, refuse 1/10 -> 1/9; naive: 1.
    assert ["pay", "8991/10000", "8991/10000", "999/1000", "999/1000"] in lines
    assert ["refuse", "1/10", "1/10", "1/9", "1"] in lines
    text = buf.getvalue()
    assert "IB update (P = 9/10): pay (keeps the ex-ante decision)" in text
    assert "naive conditioning: refuse (changes the ex-ante decision)" in text


def test_tour_is_registered_in_the_cli():
    assert ("infrabayes: infra-Bayesian decision theory", "infrabayes._tour") in TOUR_SECTIONS
    buf = io.StringIO()
    assert main(["tour"], out=buf) == 0
    assert "infrabayes: infra-Bayesian decision theory" in buf.getvalue()
    assert "P = 29/40" in buf.getvalue()


def test_tour_plans_against_murphy():
    buf = io.StringIO()
    section(buf)
    lines = [line.split() for line in buf.getvalue().splitlines()]
    # Values derived by hand in test_infrabayes_mdp_hand.py: robust 200/29, 180/29, 1800/319;
    # the nominal policy (run the worn machine) guarantees 3905/602, 3435/602, 3195/602.
    assert ["worn", "run", "25995/3772", "3435/602", "service", "720/107", "180/29"] in lines
    assert ["new", "run", "28675/3772", "3905/602", "run", "800/107", "200/29"] in lines


def test_tour_section_writes_its_figures(tmp_path):
    pytest.importorskip("matplotlib")
    out = io.StringIO()
    assert main(["tour", "infrabayes", "--plots", str(tmp_path)], out=out) == 0
    written = sorted(p.name for p in tmp_path.glob("*.png"))
    assert written == ["infrabayes_simplex.png", "infrabayes_tree.png"]
    for name in written:
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG", name
    assert "figures in" in out.getvalue()
