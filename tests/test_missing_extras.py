"""Missing optional extras (plot, test): one line with the pip command, never a traceback dump.

A missing package is simulated by ``sys.modules[name] = None`` (Python's import then raises
ImportError), restored by monkeypatch after each test.
"""

import importlib
import sys

import pytest

from contracts._cli import main

pytest.importorskip("matplotlib")
pytest.importorskip("hypothesis")


def block(monkeypatch, name):
    """Make ``import name`` (and its submodules) fail as if it were not installed."""
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        monkeypatch.setitem(sys.modules, mod, None)
    monkeypatch.setitem(sys.modules, name, None)


def hint_of(err, extra):
    text = str(err.value)
    assert "\n" not in text
    assert f"pip install 'knightian[{extra}]'" in text
    assert err.value.__cause__ is None and err.value.__suppress_context__
    return text


def test_contracts_plot_without_matplotlib(monkeypatch):
    from contracts import Contract, Technology, plot

    known = Technology.from_arrays([0, 1], [[0, 1]], [0])
    block(monkeypatch, "matplotlib")
    with pytest.raises(ImportError) as err:
        plot.hull(Contract([0, 1], [0, 1]), known)
    assert hint_of(err, "plot").startswith("contracts.plot needs matplotlib")
    assert err.value.name == "matplotlib"


@pytest.mark.parametrize(
    "module", ["infrabayes.sequential.plot", "infrabayes.learning.plot", "portfolios.plot"]
)
def test_other_plot_modules_without_matplotlib(monkeypatch, module):
    """Their private figure makers, which every plot function calls without ``ax=``."""
    mod = importlib.import_module(module)
    block(monkeypatch, "matplotlib")
    with pytest.raises(ImportError) as err:
        mod._axes(None) if hasattr(mod, "_axes") else mod._figure()
    assert hint_of(err, "plot").startswith(f"{module} needs matplotlib")


@pytest.mark.parametrize(
    "module", ["contracts.strategies", "infrabayes.strategies", "portfolios.strategies"]
)
def test_strategies_without_hypothesis(monkeypatch, module):
    block(monkeypatch, "hypothesis")
    monkeypatch.delitem(
        sys.modules, module, raising=False
    )  # restored afterwards: a fresh import, then the old
    with pytest.raises(ImportError) as err:
        importlib.import_module(module)
    assert hint_of(err, "test") == (
        f"{module} needs hypothesis (the 'test' extra): pip install 'knightian[test]'"
    )


def test_tour_plots_without_matplotlib(monkeypatch, tmp_path, capsys):
    block(monkeypatch, "matplotlib")
    code = main(["tour", "contracts", "--plots", str(tmp_path / "figs")])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""  # stopped before the tour printed anything
    assert err == (
        "knightian: knightian tour --plots needs matplotlib (the 'plot' extra): "
        "pip install 'knightian[plot]'\n"
    )
    assert not (tmp_path / "figs").exists()


def test_tour_without_plots_needs_no_matplotlib(monkeypatch, capsys):
    block(monkeypatch, "matplotlib")
    assert main(["tour", "portfolios"]) == 0
    assert "portfolios" in capsys.readouterr().out


def test_other_import_errors_are_not_hidden(monkeypatch, tmp_path):
    """Only the optional extras get the one-line treatment: a broken install still raises."""
    import contracts._cli as cli

    def broken(args, out):
        raise ImportError("cannot import name 'x'", name="numpy")

    parser = cli.build_parser(["tour"])
    args = parser.parse_args(["tour"])
    args.run = broken
    monkeypatch.setattr(
        cli, "build_parser", lambda argv: type("P", (), {"parse_args": lambda self, a: args})()
    )
    with pytest.raises(ImportError, match="cannot import name"):
        main(["tour"])
