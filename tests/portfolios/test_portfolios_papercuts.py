"""Unknown ids, methods and measures get a 'did you mean' (difflib) next to the known names."""

import pytest

import portfolios
from portfolios import PortfolioError, UnknownIdError
from portfolios.errors import did_you_mean


@pytest.fixture(scope="module")
def P():
    return portfolios.load(portfolios.EXAMPLE_PATH)


@pytest.mark.parametrize(
    ("call", "error", "suggestion"),
    [
        (lambda P: P.p_unprotected("weight_exfiltraton"), UnknownIdError, "weight_exfiltration"),
        (lambda P: P.score()["eval_sandbaging"], UnknownIdError, "eval_sandbagging"),
        (lambda P: P.case_failure("asl4_contrl"), UnknownIdError, "asl4_control"),
        (lambda P: P.assumption_failure("elicitaton"), UnknownIdError, "elicitation"),
        (lambda P: P.joint_failure(["debat"]), UnknownIdError, "debate"),
        (lambda P: P.p_unprotected("eval_sandbagging", method="exakt"), PortfolioError, "exact"),
        (lambda P: P.bounds("eval_sandbagging", dependence="unkown"), PortfolioError, "unknown"),
        (lambda P: P.importance("eval_sandbagging").ranked("birnbaun"), PortfolioError, "birnbaum"),
        (lambda P: P.importance("eval_sandbagging")["elicitaton"], UnknownIdError, "elicitation"),
    ],
    ids=[
        "scenario",
        "score",
        "case",
        "assumption",
        "target",
        "method",
        "dependence",
        "measure",
        "event",
    ],
)
def test_did_you_mean(P, call, error, suggestion):
    with pytest.raises(error, match=f"did you mean '{suggestion}'"):
        call(P)


def test_nothing_close_no_suggestion(P):
    with pytest.raises(UnknownIdError) as info:
        P.p_unprotected("zzzz")
    assert "did you mean" not in str(info.value)
    assert did_you_mean("Debate", ["debate"]) == " (did you mean 'debate'?)"  # any case
    assert did_you_mean(3, ["debate"]) == ""
