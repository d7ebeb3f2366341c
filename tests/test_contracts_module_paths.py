"""Module paths: the modules are not shadowed by the functions, the old paths still import."""

import importlib
import subprocess
import sys
import types

import pytest

import contracts
from contracts import improvement, worstcase

# old module path -> (new module, names it had)
MOVED = {
    "contracts.worst_case": (worstcase, ("DEFAULT_LP_SOLVER", "WorstCase", "worst_case")),
    "contracts.improve": (improvement, ("Improvement", "improve")),
}


def test_the_new_modules_are_modules_and_the_package_names_are_the_functions():
    for name in ("worstcase", "improvement"):
        module = importlib.import_module(f"contracts.{name}")
        assert isinstance(module, types.ModuleType)
        assert getattr(contracts, name) is module
    assert contracts.worst_case is worstcase.worst_case
    assert contracts.improve is improvement.improve
    assert callable(contracts.worst_case) and callable(contracts.improve)


@pytest.mark.parametrize("old", sorted(MOVED))
def test_the_old_path_forwards_every_name_with_a_deprecation_warning(old):
    new, names = MOVED[old]
    shim = sys.modules[old]  # imported by the package, before it binds the functions
    assert sorted(dir(shim)) == sorted(names)
    for name in names:
        with pytest.warns(DeprecationWarning, match=f"{old} is deprecated.*{new.__name__}"):
            assert getattr(shim, name) is getattr(new, name)
    with pytest.raises(AttributeError, match="no_such_name"):
        shim.no_such_name  # noqa: B018 - an unknown name is an error, without a warning


def test_from_import_of_the_old_path_warns_and_forwards():
    with pytest.warns(DeprecationWarning, match="contracts.worstcase"):
        from contracts.worst_case import WorstCase
    with pytest.warns(DeprecationWarning, match="contracts.improvement"):
        from contracts.improve import Improvement, improve
    assert WorstCase is contracts.WorstCase
    assert (Improvement, improve) == (contracts.Improvement, contracts.improve)


@pytest.mark.parametrize(
    "first",
    [
        "from contracts.worst_case import WorstCase",
        "from contracts.improve import Improvement",
        "import contracts.worst_case, contracts.improve",
        "import contracts",
    ],
)
def test_importing_an_old_path_never_rebinds_the_function(first):
    # a fresh interpreter, so that the old path may be the very first import of the package
    code = (
        "import warnings\n"
        "warnings.simplefilter('ignore', DeprecationWarning)\n"
        f"{first}\n"
        "from contracts.worst_case import worst_case as w\n"
        "from contracts.improve import improve as i\n"
        "import contracts, contracts.worstcase, contracts.improvement\n"
        "assert contracts.worst_case is w is contracts.worstcase.worst_case, contracts.worst_case\n"
        "assert contracts.improve is i is contracts.improvement.improve, contracts.improve\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_contracts_signals_keeps_every_public_name_it_had():
    # the names the single module contracts/signals.py defined before it was split
    from contracts import signals

    before = {
        "DEFAULT_SIGNAL_SOLVER": "CLARABEL",
        "LP_SOLVER": "HIGHS",
        "SOLVER_RTOL": 1e-7,
    }
    for name, value in before.items():
        assert getattr(signals, name) == value
    names = [
        "AffineSignalContract",
        "OptimalAffine",
        "SignalContract",
        "SignalDistribution",
        "SignalImprovement",
        "SignalTechnology",
        "SignalWorstCase",
        "improve_signals",
        "optimal_affine",
        "signal_response",
        "worst_case_signals",
    ]
    for name in names:
        obj = getattr(signals, name)
        assert obj.__module__.startswith("contracts.signals."), name
        assert getattr(importlib.import_module(obj.__module__), name) is obj
    assert sorted(signals.__all__) == sorted(
        {*names, "DEFAULT_SIGNAL_SOLVER"} - {"signal_response"}
    )
