"""The catalog: every entry builds, and every literature verdict is what the theories choose."""

from fractions import Fraction as F

import pytest

from infrabayes.problems import (
    Problem,
    catalog,
    cosmic_ray,
    red_blue_rooms,
    sleeping_beauty,
    twin_prisoners_dilemma,
)

ENTRIES = list(catalog())


def parse(text, problem):
    """A printed, possibly partial, policy: 'I: a, J: b', or a bare action (one infoset)."""
    if ":" not in text:
        (infoset,) = problem.infosets
        return {infoset: text}
    return dict(tuple(s.strip() for s in part.split(":")) for part in text.split(","))


def test_the_catalog_lists_the_issue_s_problems():
    slugs = catalog().slugs
    assert len(set(slugs)) == len(slugs)
    for slug in (
        "twin-prisoners-dilemma",
        "cosmic-ray",
        "sleeping-beauty-thirder",
        "sleeping-beauty-halfer",
        "sleeping-beauty-unfolded-thirder",
        "sleeping-beauty-unfolded-halfer",
        "red-blue-rooms",
        "transparent-newcomb-imperfect",
        "parfits-hitchhiker",
        "newcomb",
        "transparent-newcomb",
        "counterfactual-mugging",
        "xor-blackmail",
        "death-in-damascus",
        "smoking-lesion",
        "absent-minded-driver",
    ):
        assert slug in catalog()
    text = repr(catalog())
    assert text.startswith(f"{len(ENTRIES)} decision problems")
    with pytest.raises(KeyError, match="no catalog entry 'nope'"):
        catalog()["nope"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_every_entry_builds_and_states_its_source(entry):
    p = entry.make()
    assert isinstance(p, Problem)
    assert entry.source and entry.story and entry.title
    assert entry.slug == entry.slug.lower() and " " not in entry.slug
    for key, value in entry.parameters.items():
        assert p.parameters[key] == value
    assert entry.verdicts  # every entry records at least one verdict
    assert repr(entry).startswith(f"{entry.title} ({entry.slug}): ")


@pytest.mark.parametrize(
    ("entry", "theory"),
    [(e, t) for e in ENTRIES for t in e.verdicts],
    ids=lambda x: x if isinstance(x, str) else x.slug,
)
def test_the_literature_verdicts_hold(entry, theory):
    p = entry.make()
    expected = [parse(s, p) for s in entry.verdicts[theory]]
    chosen = p.solve(theory).optimal
    if not expected:
        assert chosen == ()
        return
    keys = set(expected[0])
    assert all(set(e) == keys for e in expected)
    got = {tuple((k, pol[k]) for k in sorted(keys)) for pol in chosen}
    assert got == {tuple(sorted(e.items())) for e in expected}


def test_make_overrides_parameters():
    entry = catalog()["transparent-newcomb-imperfect"]
    assert entry.make().parameters["epsilon"] == F(1, 100)
    assert entry.make(epsilon=F(1, 5)).parameters["epsilon"] == F(1, 5)


@pytest.mark.parametrize(("reading", "break_even"), [("thirder", F(1, 3)), ("halfer", F(1, 2))])
def test_sleeping_beauty_buys_below_the_reading_s_break_even_price(reading, break_even):
    # By hand: buying is worth 1/2 (1 - x) - 1/2 k x dollars, k = 2 bets on tails (thirder) or
    # 1 (halfer): zero at x = 1 / (1 + k).
    for price, chosen in [
        (break_even - F(1, 100), {"buy"}),
        (break_even, {"buy", "pass"}),
        (break_even + F(1, 100), {"pass"}),
    ]:
        p = sleeping_beauty(reading, price=price)
        for theory in ("udt", "cdt", "edt", "ib"):
            assert {pol["awake"] for pol in p.solve(theory).optimal} == chosen
    with pytest.raises(ValueError, match="reading must be one of"):
        sleeping_beauty("quarter")


def test_cosmic_ray_values_by_hand():
    # Dollars: take $100 -> 100 (no ray) or 1 - 1000 (ray); take $1 -> 1 or 100 - 1000.
    # Normalised by (x + 999) / 1099: $100 is 1, the swapped $1 is 0.
    ray = F(1, 1000)
    p = cosmic_ray(ray=ray)
    assert p.expected_utility("take $100") == 1 - ray
    assert p.expected_utility("take $1") == ((1 - ray) * 1000 + ray * 99) / 1099
    # the choice flips at ray = 1/2 (both acts then tie)
    assert len(cosmic_ray(ray=F(1, 2)).solve("udt").optimal) == 2
    assert [str(x) for x in cosmic_ray(ray=F(3, 5)).solve("cdt").optimal] == ["take $1"]


def test_twin_and_rooms_by_hand():
    twin = twin_prisoners_dilemma()
    # cooperate: the twin cooperates too -> 1,000,000 of 1,001,000
    assert twin.solve("udt").value == F(1_000_000, 1_001_000)
    with pytest.raises(ValueError, match="temptation > reward"):
        twin_prisoners_dilemma(temptation=1)
    rooms = red_blue_rooms()
    assert rooms.solve("udt").value == 1
    # Believing (A, A), the red copy gains by switching to B: not ratifiable; (A, B) is.
    cdt = {str(x) for x in rooms.solve("cdt").optimal}
    assert cdt == {"red: A, blue: B", "red: B, blue: A"}


def test_the_reference_table_lists_every_entry():
    import sys

    module = sys.modules["infrabayes.problems.catalog"]  # the package's `catalog` is the function
    for entry in catalog():
        assert f"\n{entry.slug} " in module.__doc__


def test_the_absent_minded_driver_s_mixed_verdict():
    # Planning payoff 4p - 3p^2 (exits 0 and 4, driving on 1): maximal at p = 2/3, value 4/3;
    # utilities are (x - 0) / 4, so the deterministic "continue" is worth 1/4 and the optimum 1/3.
    p = catalog()["absent-minded-driver"].make()
    assert p.solve("udt").value == F(1, 4)
    mixed = p.solve("udt", mixed=True)
    assert mixed.value == F(1, 3)
    assert mixed.optimal[0]["intersection"]["continue"] == F(2, 3)


@pytest.mark.parametrize(
    ("slug", "edt_break_even"),
    [("sleeping-beauty-unfolded-thirder", F(1, 4)), ("sleeping-beauty-unfolded-halfer", F(2, 5))],
)
def test_the_unfolded_sleeping_beauty_entries(slug, edt_break_even):
    # The tails awakenings are two nodes of one information set on one path; the entries' prices
    # (3/10, 9/20) lie between EDT's break-even (1/4, 2/5) and the planning one (1/3, 1/2), so
    # UDT and CDT buy while EDT passes (derivations in test_infrabayes_problems_mixed.py).
    entry = catalog()[slug]
    p = entry.make()
    assert edt_break_even < entry.parameters["price"]
    assert [str(x) for x in p.solve("edt").optimal] == ["pass"]
    assert [str(x) for x in p.solve("edt", mixed=True).optimal] == ["pass 1"]
    assert [str(x) for x in p.solve("udt", mixed=True).optimal] == ["buy 1"]
    assert p._view.compiled.absent_minded
