"""The three ``strategies`` modules share one rule for ``exact`` (issue 19)."""

from __future__ import annotations

import importlib
import inspect
from fractions import Fraction

import pytest
from hypothesis import given, settings

MODULES = ("contracts.strategies", "infrabayes.strategies", "portfolios.strategies")


def public_strategies(name: str) -> dict[str, inspect.Signature]:
    module = importlib.import_module(name)
    found = {}
    for attr in module.__all__:
        obj = getattr(module, attr)
        if callable(obj) and not isinstance(obj, type):
            found[attr] = inspect.signature(obj)
    assert found, name
    return found


@pytest.mark.parametrize("name", MODULES)
def test_every_exact_keyword_defaults_to_true(name: str) -> None:
    for attr, sig in public_strategies(name).items():
        if "exact" in sig.parameters:
            p = sig.parameters["exact"]
            assert p.kind is p.KEYWORD_ONLY, f"{name}.{attr}"
            assert p.default is True, f"{name}.{attr}: exact={p.default!r}"


def test_which_strategies_have_no_exact_keyword() -> None:
    # the documented exceptions: portfolios computes in float64; kernels_in follows its model;
    # outcomes and events draw no numbers. Every other strategy takes exact=.
    without = {
        name: sorted(
            a for a, sig in public_strategies(name).items() if "exact" not in sig.parameters
        )
        for name in MODULES
    }
    assert without == {
        "contracts.strategies": [],
        "infrabayes.strategies": ["events", "kernels_in", "outcomes"],
        "portfolios.strategies": sorted(public_strategies("portfolios.strategies")),
    }
    for name in MODULES:
        assert "exact" in (importlib.import_module(name).__doc__ or ""), name


def test_default_draws_are_fractions_and_false_draws_floats() -> None:
    from contracts.strategies import problems
    from infrabayes.strategies import credal_hypotheses, learning_games

    @settings(max_examples=5, deadline=None, database=None)
    @given(problems(), problems(exact=False))
    def check_contracts(exact, floats) -> None:  # type: ignore[no-untyped-def]
        assert all(isinstance(v, Fraction) for v in exact[0].outputs)
        assert floats[0].outputs.dtype == float

    @settings(max_examples=5, deadline=None, database=None)
    @given(
        learning_games(),
        learning_games(exact=False).flatmap(lambda g: credal_hypotheses(g, exact=False)),
    )
    def check_learning(game, h) -> None:  # type: ignore[no-untyped-def]
        assert game.exact
        assert not h.game.exact and not any(law.exact for law in h.laws)

    check_contracts()
    check_learning()
