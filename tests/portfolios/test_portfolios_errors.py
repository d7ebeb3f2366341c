"""The error hierarchy: what each error is an instance of, its message, where it comes from."""

import pickle

import pytest

import portfolios
import portfolios.io
from contracts._cli import main
from portfolios import (
    ComputationLimitError,
    FaultTree,
    Portfolio,
    PortfolioError,
    PortfolioTypeError,
    UnknownIdError,
    errors,
)

SMALL = {
    "assumptions": {
        "A": {"statement": "a", "p_fail": 0.1},
        "B": {"statement": "b", "p_fail": 0.2},
    },
    "cases": {
        "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
        "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]},
    },
    "scenarios": {"S": {"statement": "s"}},
}


def test_one_class_importable_from_every_documented_place():
    assert portfolios.PortfolioError is portfolios.io.PortfolioError is errors.PortfolioError
    assert issubclass(PortfolioError, ValueError)
    for cls in (UnknownIdError, PortfolioTypeError, ComputationLimitError):
        assert issubclass(cls, PortfolioError)
    assert issubclass(UnknownIdError, KeyError) and issubclass(UnknownIdError, ValueError)
    assert issubclass(PortfolioTypeError, TypeError)


def test_unknown_id_message_reads_as_text_not_as_a_quoted_key():
    err = UnknownIdError(None, "unknown scenario 'T'; known: S")
    assert str(err) == "unknown scenario 'T'; known: S"
    assert str(KeyError("unknown scenario 'T'")) == "\"unknown scenario 'T'\""  # what we avoid
    located = err.located("f.yaml", section="scenarios", entry="T")
    assert type(located) is UnknownIdError
    assert str(located) == "f.yaml: scenarios entry 'T': unknown scenario 'T'; known: S"


def test_errors_survive_pickling():
    """Multiprocessing pickles errors; unpickling a PortfolioError used to raise a TypeError."""
    for cls in (PortfolioError, UnknownIdError, PortfolioTypeError, ComputationLimitError):
        err = cls("f.yaml", "bad", section="cases", entry="X", field="covers", line=3)
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is cls and str(back) == str(err)
        assert (back.file, back.section, back.entry, back.field, back.line) == (
            "f.yaml",
            "cases",
            "X",
            "covers",
            3,
        )


UNKNOWN = {
    "p_unprotected": (lambda P: P.p_unprotected("T"), "unknown scenario 'T'; known: S"),
    "covering_cases": (lambda P: P.covering_cases("T"), "unknown scenario 'T'; known: S"),
    "importance": (lambda P: P.importance("T"), "unknown scenario 'T'; known: S"),
    "case_failure": (lambda P: P.case_failure("Z"), "unknown case 'Z'"),
    "assumption_failure": (lambda P: P.assumption_failure("Z"), "unknown assumption 'Z'"),
    "joint_failure": (lambda P: P.joint_failure(["X", "Z"]), "unknown case or assumption 'Z'"),
    "bdd": (lambda P: P.joint_failure(["Z"], method="bdd"), "unknown case or assumption 'Z'"),
    "cut sets": (lambda P: P.minimal_cut_sets("T"), "unknown scenario 'T'; known: S"),
    "importance row": (lambda P: P.importance("S")["Z"], "no basic event 'Z'; known: A, B"),
    "diversity order": (lambda P: P.diversity("S", q=1.0)[2.0], "order 2.0 was not computed"),
    "score": (lambda P: P.score()["T"], "unknown scenario 'T'; known: S"),
    "case_projection": (lambda P: P.case_projection("T"), "unknown scenario 'T'; known: S"),
}


@pytest.mark.parametrize(("call", "message"), list(UNKNOWN.values()), ids=list(UNKNOWN))
def test_unknown_ids_raise_one_error_caught_as_key_or_value_error(call, message):
    P = Portfolio.from_dict(SMALL)
    for caught in (UnknownIdError, KeyError, ValueError, PortfolioError):
        with pytest.raises(caught) as info:
            call(P)
        assert str(info.value).startswith(message)


def test_a_score_is_still_a_mapping():
    score = Portfolio.from_dict(SMALL).score()
    assert "T" not in score and score.get("T") is None and "S" in score


def test_unknown_gate():
    T = FaultTree(name="t", gates={"top": ("basic-event", "A")}, basic_events={"A": 0.5})
    with pytest.raises(UnknownIdError, match="unknown gate 'nope'"):
        T.probability("nope")


WRONG_TYPES = {
    "sections": (
        lambda: Portfolio(latent=[], assumptions={}, cases={}, scenarios={}),
        "latent must be",
    ),
    "title": (
        lambda: Portfolio(latent={}, assumptions={}, cases={}, scenarios={}, title=3),
        "title must be a string or None",
    ),
    "ids": (lambda: Portfolio.from_dict(SMALL).joint_failure("X"), "not a single string"),
    "candidates": (
        lambda: Portfolio.from_dict(SMALL).best_addition("S", ["x"]),
        "non-empty mapping",
    ),
}


@pytest.mark.parametrize(("call", "message"), list(WRONG_TYPES.values()), ids=list(WRONG_TYPES))
def test_wrong_types_are_type_errors_and_portfolio_errors(call, message):
    for caught in (PortfolioTypeError, TypeError, PortfolioError):
        with pytest.raises(caught, match=message):
            call()


def _chain(k):
    """A scenario covered by a chain of k cases, each sharing an assumption with the next."""
    return {
        "assumptions": {f"A{i}": {"statement": "a", "p_fail": 0.5} for i in range(k + 1)},
        "cases": {
            f"C{i}": {"statement": "c", "assumptions": [f"A{i}", f"A{i + 1}"], "covers": ["S"]}
            for i in range(k)
        },
        "scenarios": {"S": {"statement": "s"}},
    }


def test_computation_limits_are_their_own_class():
    P = Portfolio.from_dict(_chain(25))
    with pytest.raises(ComputationLimitError, match="MAX_EXACT_CELLS"):
        P.p_unprotected("S", method="exact")
    with pytest.raises(ComputationLimitError, match="inclusion-exclusion over 25 targets"):
        P.p_unprotected("S", method="inclusion-exclusion")
    with pytest.raises(ComputationLimitError, match="enumerate: "):
        P.p_unprotected("S", method="enumerate")


def test_the_command_line_names_the_file_of_a_computation_limit(tmp_path, capsys):
    import json

    path = tmp_path / "chain.json"
    path.write_text(json.dumps(_chain(25)))
    assert main(["portfolio", "score", str(path)]) == 0  # "auto" takes the BDD (issue 12)
    capsys.readouterr()
    argv = ["portfolio", "importance", str(path), "--method", "exact", "--no-fussell-vesely"]
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"knightian portfolio importance: error: {path}: exact: 25 targets")


def test_bad_arguments_are_portfolio_errors():
    P = Portfolio.from_dict(SMALL)
    with pytest.raises(PortfolioError, match="unknown method 'magic'"):
        P.p_unprotected("S", method="magic")
    with pytest.raises(PortfolioError, match="n_samples must be a positive integer"):
        P.p_unprotected("S", method="montecarlo", n_samples=0)
    with pytest.raises(PortfolioError, match="max_order must be a positive integer"):
        P.minimal_cut_sets("S", max_order=0)
    with pytest.raises(PortfolioError, match="similarity must be"):
        P.diversity("S", similarity="cosine")
    with pytest.raises(PortfolioError, match="montecarlo"):
        P.importance("S", method="montecarlo")


def test_a_portfolio_passed_where_a_structure_is_expected_gets_a_hint():
    from portfolios.diversity import portfolio_diversity
    from portfolios.importance import portfolio_importance
    from portfolios.whatnext import best_addition, most_load_bearing

    P = Portfolio.from_dict(SMALL)
    for function in (portfolio_importance, portfolio_diversity, most_load_bearing):
        with pytest.raises(PortfolioTypeError, match=r"for a Portfolio P: P\.structure"):
            function(P, "S")
        assert function(P.structure, "S") is not None
    with pytest.raises(PortfolioTypeError, match=r"for a Portfolio P: P\.entries"):
        best_addition(P, "S", {"Z": {"statement": "z"}})
