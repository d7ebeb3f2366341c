"""Direct construction validates like the loader: a catalogue of bad entries and portfolios."""

import dataclasses
import math

import numpy as np
import pytest

from portfolios import (
    Assumption,
    Case,
    Conditional,
    Latent,
    Portfolio,
    PortfolioError,
    Scenario,
)


def _good():
    """The sections of a small valid portfolio (fresh dicts: the tests edit them)."""
    return {
        "latent": {"W": Latent("W", "w", 0.3)},
        "assumptions": {
            "A": Assumption("A", "a", 0.1),
            "B": Assumption("B", "b", Conditional("W", holds=0.1, fails=0.5), requires=("A",)),
        },
        "cases": {
            "X": Case("X", "x", assumptions=("A",), soundness_error=0.05, covers=("S",)),
            "Y": Case("Y", "y", assumptions=("B",), rests_on=("X",), covers=("S", "T")),
        },
        "scenarios": {"S": Scenario("S", "s", max_risk=0.1), "T": Scenario("T", "t")},
    }


def test_the_good_portfolio_builds_and_agrees_with_the_loader():
    P = Portfolio(**_good())
    assert Portfolio.from_dict(P.to_dict()).p_unprotected("S") == P.p_unprotected("S")


# (name, a callable building the bad entry, section, entry, field, words of the problem)
BAD_ENTRIES = [
    (
        "p above 1",
        lambda: Assumption("A", "a", 2.0),
        "assumptions",
        "A",
        "p_fail",
        "2.0 is not a probability in [0, 1]",
    ),
    (
        "negative p",
        lambda: Latent("W", "w", -0.1),
        "latent",
        "W",
        "p_fail",
        "-0.1 is not a probability in [0, 1]",
    ),
    (
        "nan p",
        lambda: Assumption("A", "a", math.nan),
        "assumptions",
        "A",
        "p_fail",
        "nan is not a finite number",
    ),
    (
        "inf soundness",
        lambda: Case("X", "x", soundness_error=math.inf),
        "cases",
        "X",
        "soundness_error",
        "inf is not a finite number",
    ),
    (
        "string p",
        lambda: Latent("W", "w", "0.3"),
        "latent",
        "W",
        "p_fail",
        "expected a probability (a number in [0, 1]), got '0.3'",
    ),
    ("bool p", lambda: Assumption("A", "a", True), "assumptions", "A", "p_fail", "got True"),
    ("None p", lambda: Assumption("A", "a", None), "assumptions", "A", "p_fail", "got None"),
    (
        "dict p",
        lambda: Assumption("A", "a", {"W": {"holds": 0.1, "fails": 0.5}}),
        "assumptions",
        "A",
        "p_fail",
        "Conditional(LATENT_ID, holds=q, fails=q)",
    ),
    (
        "max_risk above 1",
        lambda: Scenario("S", "s", max_risk=1.5),
        "scenarios",
        "S",
        "max_risk",
        "1.5 is not a probability",
    ),
    (
        "empty statement",
        lambda: Scenario("S", ""),
        "scenarios",
        "S",
        "statement",
        "expected a non-empty string",
    ),
    (
        "statement not a string",
        lambda: Latent("W", 3, 0.1),
        "latent",
        "W",
        "statement",
        "expected a non-empty string, got 3",
    ),
    (
        "empty source",
        lambda: Case("X", "x", source=" "),
        "cases",
        "X",
        "source",
        "expected a non-empty string",
    ),
    ("invalid id", lambda: Case("my case", "x"), "cases", None, None, "invalid id 'my case'"),
    ("id not a string", lambda: Scenario(7, "s"), "scenarios", None, None, "invalid id 7"),
    (
        "a lone string for a list",
        lambda: Case("X", "x", assumptions="AB"),
        "cases",
        "X",
        "assumptions",
        "expected a list of ids, got 'AB'",
    ),
    (
        "requires listed twice",
        lambda: Assumption("A", "a", 0.1, requires=("B", "B")),
        "assumptions",
        "A",
        "requires",
        "'B' is listed twice",
    ),
    (
        "an id not a string",
        lambda: Case("X", "x", covers=("S", 1)),
        "cases",
        "X",
        "covers",
        "expected an id (a string), got 1",
    ),
]


@pytest.mark.parametrize(
    ("make", "section", "entry", "field", "words"),
    [pytest.param(*row[1:], id=row[0]) for row in BAD_ENTRIES],
)
def test_a_bad_entry_is_refused_when_built(make, section, entry, field, words):
    with pytest.raises(PortfolioError) as info:
        make()
    err = info.value
    assert (err.file, err.section, err.entry, err.field) == (None, section, entry, field)
    assert words in str(err)
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(
    ("holds", "fails", "field", "words"),
    [(1.2, 0.5, "holds", "1.2 is not a probability"), (0.1, math.nan, "fails", "nan is not")],
)
def test_a_bad_conditional_table_is_refused(holds, fails, field, words):
    with pytest.raises(PortfolioError, match=words) as info:
        Conditional("W", holds=holds, fails=fails)
    assert info.value.field == field


def test_entries_store_python_floats_and_tuples():
    a = Assumption("A", "a", np.float64(0.25), requires=["B"])
    c = Case("X", "x", assumptions=["A"], soundness_error=np.float32(0.5), covers=["S"])
    assert type(a.p_fail) is float and a.requires == ("B",)
    assert type(c.soundness_error) is float and c.covers == ("S",)
    assert hash(c) == hash(Case("X", "x", assumptions=("A",), soundness_error=0.5, covers=("S",)))


def _replace(section, key, **fields):
    def edit(parts):
        parts[section][key] = dataclasses.replace(parts[section][key], **fields)

    return edit


def _put(section, key, entry):
    def edit(parts):
        parts[section][key] = entry

    return edit


def _drop(section, key):
    def edit(parts):
        del parts[section][key]

    return edit


# (name, an edit of the good sections, section, entry, field, words of the problem)
BAD_PORTFOLIOS = [
    (
        "unknown assumption",
        _replace("cases", "X", assumptions=("Z",)),
        "cases",
        "X",
        "assumptions",
        "unknown assumption 'Z'",
    ),
    (
        "unknown scenario",
        _replace("cases", "Y", covers=("S", "U")),
        "cases",
        "Y",
        "covers",
        "unknown scenario 'U'",
    ),
    (
        "unknown case",
        _replace("cases", "Y", rests_on=("Q",)),
        "cases",
        "Y",
        "rests_on",
        "unknown case 'Q'",
    ),
    (
        "wrong kind of id",
        _replace("cases", "Y", rests_on=("A",)),
        "cases",
        "Y",
        "rests_on",
        "'A' is an assumption, not a case",
    ),
    (
        "unknown latent",
        _replace("assumptions", "B", p_fail=Conditional("V", 0.1, 0.5)),
        "assumptions",
        "B",
        "p_fail",
        "unknown latent variable 'V'",
    ),
    (
        "unknown requirement",
        _replace("assumptions", "B", requires=("C",)),
        "assumptions",
        "B",
        "requires",
        "unknown assumption 'C'",
    ),
    (
        "requirement cycle",
        _replace("assumptions", "A", requires=("B",)),
        "assumptions",
        "A",
        "requires",
        "cycle: A -> B -> A",
    ),
    (
        "self requirement",
        _replace("assumptions", "B", requires=("B",)),
        "assumptions",
        "B",
        "requires",
        "cycle: B -> B",
    ),
    (
        "case cycle",
        _replace("cases", "X", rests_on=("Y",)),
        "cases",
        "X",
        "rests_on",
        "cycle: X -> Y -> X",
    ),
    (
        "uncovered scenario",
        _replace("cases", "Y", covers=("S",)),
        "scenarios",
        "T",
        "covers",
        "no case covers this scenario",
    ),
    (
        "duplicate id across sections",
        _put("scenarios", "A", Scenario("A", "t")),
        "scenarios",
        "A",
        None,
        "duplicate id: 'A' is already used in 'assumptions'",
    ),
    (
        "key is not the id",
        _put("latent", "V", Latent("W", "w", 0.3)),
        "latent",
        "V",
        None,
        "the entry's id is 'W', not its key 'V'",
    ),
    (
        "entry of the wrong type",
        _put("cases", "Z", Scenario("Z", "z")),
        "cases",
        "Z",
        None,
        "expected a Case, got Scenario(",
    ),
    (
        "plain data for an entry",
        _put("latent", "V", {"statement": "v", "p_fail": 0.1}),
        "latent",
        "V",
        None,
        "expected a Latent, got {",
    ),
    (
        "invalid key",
        _put("latent", "my var", Latent("W", "w", 0.3)),
        "latent",
        None,
        None,
        "invalid id 'my var'",
    ),
]


@pytest.mark.parametrize(
    ("edit", "section", "entry", "field", "words"),
    [pytest.param(*row[1:], id=row[0]) for row in BAD_PORTFOLIOS],
)
def test_a_bad_portfolio_is_refused_when_built(edit, section, entry, field, words):
    parts = _good()
    edit(parts)
    with pytest.raises(PortfolioError) as info:
        Portfolio(**parts)
    err = info.value
    assert (err.file, err.section, err.entry, err.field) == (None, section, entry, field)
    assert words in str(err)


@pytest.mark.parametrize("section", ["cases", "scenarios"])
def test_empty_cases_or_scenarios_are_refused(section):
    parts = _good()
    parts[section] = {}
    with pytest.raises(PortfolioError, match=f"missing or empty section '{section}'"):
        Portfolio(**parts)


def test_the_error_names_the_file_when_given_one():
    parts = _good()
    _replace("cases", "X", assumptions=("Z",))(parts)
    with pytest.raises(PortfolioError) as info:
        Portfolio(**parts, file="mine.yaml")
    assert (
        str(info.value) == "mine.yaml: cases entry 'X', field 'assumptions': unknown assumption 'Z'"
    )


def test_sections_and_strings_of_the_wrong_type_are_refused():
    parts = _good()
    with pytest.raises(TypeError, match="cases must be a mapping"):
        Portfolio(**{**parts, "cases": [parts["cases"]["X"]]})
    with pytest.raises(TypeError, match="title must be a string or None"):
        Portfolio(**parts, title=3)


def test_the_reviewed_failures_no_longer_give_numbers():
    """The review's cases: p = 2 gave 0.0 and 1.0 by two methods, nan gave 0.0, a bare KeyError."""
    with pytest.raises(PortfolioError, match=r"2\.0 is not a probability"):
        Assumption("A", "a", 2.0)
    with pytest.raises(PortfolioError, match="nan is not a finite number"):
        Latent("W", "w", float("nan"))
    parts = _good()
    _replace("cases", "X", assumptions=("A", "nope"))(parts)
    with pytest.raises(PortfolioError, match="unknown assumption 'nope'"):
        Portfolio(**parts)


def test_importance_still_works_on_a_directly_built_portfolio():
    P = Portfolio(**_good())
    imp = P.importance("S")
    # Clamping A to 1 fails both cases (X rests on A, Y rests on X): RAW = 1 / P(U).
    assert imp["A"].p_if_fails == 1.0
    assert imp["A"].raw == pytest.approx(1.0 / P.p_unprotected("S"))


def test_the_portfolio_holds_its_entries_read_only():
    from portfolios import Entries
    from portfolios.structure import compile_structure

    P = Portfolio(**_good())
    assert isinstance(P.entries, Entries)
    assert P.entries.latent is P.latent and P.entries.file is P.file is None
    with pytest.raises(AttributeError):
        P.latent = {}
    with pytest.raises(TypeError):
        P.cases["Z"] = P.cases["X"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        P.entries.title = "t"
    S = compile_structure(P.entries)
    assert S.units == P.structure.units and dict(S.terms) == dict(P.structure.terms)
    again = Portfolio.from_dict(P.to_dict()).entries.sections()
    assert {k: dict(v) for k, v in again.items()} == {k: dict(v) for k, v in _good().items()}
