r"""Robust contracting: what a contract guarantees against every technology (Carroll 2015).

A principal hires an agent whose technology (the actions available: an output distribution and a
cost each) she knows only in part: she knows a set :math:`A_0` of actions, and the true set is any
:math:`A \supseteq A_0`. Ties in the agent's choice go to the principal. This package computes

* :func:`worst_case`: the principal's worst-case payoff :math:`V_P(w)` of *any* contract, exactly
  (lower convex hull, exact Fractions for exact inputs) or by a cvxpy LP, with the adversary's
  distribution, the multiplier, the degenerate case and a witness technology to simulate;
* :func:`improve`: Carroll's affine and then linear improvement of a contract, with the chain of
  guarantees :math:`V_P(w) \le V_P(\text{affine}) \le V_P(\text{linear})`;
* :func:`optimal_linear`: the optimal robust contract, linear by Carroll's theorem, with all
  maximising slopes; :func:`guarantee`: the guarantee of linear contracts, vectorised;
* :func:`best_response`: the agent's choice in a known, full technology;
* several observables: :class:`SignalTechnology` with a convex cost bound
  (:mod:`contracts.costs`), :func:`worst_case_signals`, :func:`improve_signals` and
  :func:`optimal_affine`;
* randomised contracts (a lottery drawn after nature has chosen the technology):
  :class:`ContractMixture` and :class:`RandomizedContract`, their guarantee
  :func:`worst_case_randomized` (an LP, exact for exact inputs), and the optimal lottery
  :func:`optimal_randomized` (a lottery over linear contracts: closed form for one known action,
  a grid LP otherwise), which beats Carroll's deterministic optimum;
* the known-technology benchmark: :func:`optimal_contract` (one MIN-PAY LP per action, with
  implementability certificates), :func:`best_linear_known`, and :func:`price_of_robustness`;
* the known-technology landscape: :func:`linear_breakpoints` (where the agent's choice changes
  under a linear contract), :func:`approximation_ratio` (optimal over linear, with the
  tight instance families in :mod:`contracts.families`), and :func:`compare_families` (linear,
  affine, debt, bonus and option contracts, each best known and robust);
* combinatorial contracts, where the agent picks a set of actions: :mod:`contracts.combinatorial`
  (not imported here).

Hypothesis strategies for property-testing your own robustness claims are in
:mod:`contracts.strategies` (not imported here).

Examples
--------
>>> from fractions import Fraction as F
>>> from contracts import Technology, Contract, worst_case, optimal_linear
>>> known = Technology.from_arrays([0, 1, 2, 3], [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])
>>> worst_case(Contract([0, 1, 2, 3], [0, 0, 1, 1]), known).value
Fraction(1, 6)
>>> optimal_linear(known).value
Fraction(1, 2)
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

# The deprecated module paths contracts.worst_case and contracts.improve (shims that forward to
# contracts.worstcase and contracts.improvement). They are imported first, before the functions
# of the same names are bound below: importing a submodule sets it as an attribute of the
# package, so a shim imported later would replace the function contracts.worst_case by a module.
from . import improve as _improve_shim  # noqa: F401
from . import worst_case as _worst_case_shim  # noqa: F401
from .agent import BestResponse, best_response
from .approximation import ApproximationRatio, approximation_ratio
from .comparison import FamilyComparison, FamilyOptimum, compare_families
from .contract import AffineContract, Contract, LinearContract
from .costs import LinearCost, MaxAffineCost, QuadraticCost
from .errors import InaccurateSolutionWarning, SolverFailedError, UnknownSolverError
from .improvement import Improvement, improve
from .known import (
    Implementation,
    KnownLinear,
    KnownOptimum,
    PriceOfRobustness,
    best_linear_known,
    optimal_contract,
    price_of_robustness,
)
from .landscape import LinearBreakpoints, linear_breakpoints
from .linear import OptimalLinear, guarantee, optimal_linear
from .mixture import ContractMixture, RandomizedContract
from .model import Action, Technology
from .randomized import RandomizedWorstCase, worst_case_randomized
from .randomized_optimum import OptimalRandomized, one_action_optimum, optimal_randomized
from .signals import (
    AffineSignalContract,
    OptimalAffine,
    SignalContract,
    SignalDistribution,
    SignalImprovement,
    SignalTechnology,
    SignalWorstCase,
    improve_signals,
    optimal_affine,
    worst_case_signals,
)
from .sweeps import sweep
from .worstcase import OutputDistribution, WorstCase, worst_case

try:
    __version__ = _version("knightian")
except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
    __version__ = "0+unknown"

#: Sentinel that tells our package apart from a namesake on PyPI (PyContracts installs `contracts`).
__distribution__ = "knightian"

__all__ = [
    "Action",
    "AffineContract",
    "AffineSignalContract",
    "ApproximationRatio",
    "BestResponse",
    "Contract",
    "ContractMixture",
    "FamilyComparison",
    "FamilyOptimum",
    "Implementation",
    "Improvement",
    "InaccurateSolutionWarning",
    "KnownLinear",
    "KnownOptimum",
    "LinearBreakpoints",
    "LinearContract",
    "LinearCost",
    "MaxAffineCost",
    "OptimalAffine",
    "OptimalLinear",
    "OptimalRandomized",
    "OutputDistribution",
    "PriceOfRobustness",
    "QuadraticCost",
    "RandomizedContract",
    "RandomizedWorstCase",
    "SignalContract",
    "SignalDistribution",
    "SignalImprovement",
    "SignalTechnology",
    "SignalWorstCase",
    "SolverFailedError",
    "Technology",
    "UnknownSolverError",
    "WorstCase",
    "approximation_ratio",
    "best_linear_known",
    "best_response",
    "compare_families",
    "guarantee",
    "improve",
    "improve_signals",
    "linear_breakpoints",
    "one_action_optimum",
    "optimal_affine",
    "optimal_contract",
    "optimal_linear",
    "optimal_randomized",
    "price_of_robustness",
    "sweep",
    "worst_case",
    "worst_case_randomized",
    "worst_case_signals",
]
