"""Safety-case portfolios as a network: how often do the cases fail together.

Definitions
-----------
A *portfolio* has latent world-structure variables (each fails with a probability),
assumptions (each fails with a probability, or with one conditional on one latent variable's
state, and fails too when an assumption it ``requires`` fails), safety cases (each rests on
assumptions and possibly other cases, fails when any of them fails and otherwise with its
residual soundness error, and covers scenarios) and scenarios (deployment contexts with an
optional risk tolerance). A scenario is *unprotected* when every case covering it fails:

    U(s) = AND_{c covers s} ( eps_c OR OR_{a under c} a fails ).

Safety cases that rest on the same assumptions, or on assumptions that all hold only in the
same kind of world, fail together: "Swiss cheese models only work when the holes don't line up
in the same worlds". This package makes the alignment of the holes explicit: exact
probabilities under shared latent structure (:meth:`Portfolio.p_unprotected`), the
coincidence ratio and the equivalent number of independent cases (``independent_cases``)
(:meth:`Portfolio.correlation`), minimal cut sets and single points of failure
(:meth:`Portfolio.minimal_cut_sets`), a report (:meth:`Portfolio.score`, and the command
``knightian portfolio score FILE``), and networkx views (:meth:`Portfolio.graph`,
:meth:`Portfolio.case_projection`, GraphML export). What matters and what to do next:
importance measures (:meth:`Portfolio.importance`), the diversity of the covering cases
(:meth:`Portfolio.diversity`), the best case to add (:meth:`Portfolio.best_addition`) and the
most load-bearing assumption (:meth:`Portfolio.most_load_bearing`); from the shell,
``knightian portfolio importance FILE`` and ``knightian portfolio next FILE --scenario S``.
General fault trees with common-cause failure groups (:class:`FaultTree`), read from and
written to the Open-PSA Model Exchange Format (:mod:`portfolios.openpsa`), are evaluated
exactly by a BDD engine (``method="bdd"``, :mod:`portfolios.bdd`); the event trees of such a
model (:class:`EventTreeModel`, read by :func:`portfolios.mefeventtree.load`) give the exact
probability and frequency of each sequence (:mod:`portfolios.eventtree`). Pictures:
:mod:`portfolios.plot` (the ``plot`` extra).

What the file does not know: any probability may be an interval, a distribution or a shared
parameter (:mod:`portfolios.values`); :meth:`Portfolio.bounds` gives the tightest interval for
P(unprotected) under interval probabilities and, with ``dependence="unknown"``, over every way
the assumptions could fail together inside each latent state (:mod:`portfolios.bounds`);
:meth:`Portfolio.uncertainty` propagates distributions by Monte Carlo
(:mod:`portfolios.uncertainty`).

Graph convention (networkx's bipartite convention): nodes carry ``kind`` (``"case"``,
``"scenario"``, ``"assumption"``, ``"latent"``) and ``bipartite`` (0 for cases and scenarios,
1 for assumptions and latent variables); see :mod:`portfolios.network`.

Modules, lowest layer first (each imports only modules of the layers below it):
:mod:`~portfolios.errors` (the error hierarchy); the probability values,
:mod:`~portfolios.values`; the entries, :mod:`~portfolios.model`, their uncertain parameters,
:mod:`~portfolios.parameters`, and the checks of a whole portfolio,
:mod:`~portfolios.validation`; the compiled structure function, :mod:`~portfolios.structure`;
the engines, :mod:`~portfolios.bdd` and :mod:`~portfolios.probability` (methods ``exact``,
``inclusion-exclusion``, ``enumerate``, ``bdd``, ``montecarlo``); the analyses, functions of
the compiled structure (or of the entries): :mod:`~portfolios.bounds`,
:mod:`~portfolios.uncertainty`, :mod:`~portfolios.cutsets`, :mod:`~portfolios.report`,
:mod:`~portfolios.scores`,
:mod:`~portfolios.importance`, :mod:`~portfolios.network`, :mod:`~portfolios.diversity`,
:mod:`~portfolios.whatnext`, :mod:`~portfolios.faulttree`; the :class:`Portfolio` class,
:mod:`~portfolios.portfolio`, whose methods delegate to them; then the readers and writers,
:mod:`~portfolios.io` (file format, JSON Schema) and :mod:`~portfolios.openpsa`, with the
event trees, :mod:`~portfolios.eventtree` and its reader :mod:`~portfolios.mefeventtree`; and the
pictures, :mod:`~portfolios.plot`. GSN safety cases in gsn2x YAML are read, scored and written
by :mod:`~portfolios.gsn`. Hypothesis strategies are in ``portfolios.strategies`` (not
imported here).

Examples
--------
>>> import portfolios
>>> P = portfolios.load(portfolios.EXAMPLE_PATH)  # Anthropic's ASL-4 sketches, debate, control
>>> P.covering_cases("oversight_undermining")
('asl4_interpretability', 'asl4_incentives')
>>> corr = P.correlation("oversight_undermining")
>>> corr.p_unprotected > corr.independent_product  # shared assumptions line the holes up
True
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from . import gsn, mefeventtree, openpsa
from .alignment import Alignment, AlignmentSolution
from .bounds import Bounds
from .cutsets import CutSet, CutSets
from .diversity import Diversity
from .errors import (
    CancellationWarning,
    ComputationLimitError,
    PortfolioError,
    PortfolioTypeError,
    UnknownIdError,
)
from .eventtree import EventTreeAnalysis, EventTreeModel, SequencePhases, SequenceResult
from .faulttree import CCFGroup, FaultTree
from .importance import Importance, ImportanceRow
from .io import EXAMPLE_PATH as _EXAMPLE_PATH
from .io import SCHEMA_PATH, dump, load, loads
from .model import Assumption, Case, Conditional, Entries, Latent, Scenario
from .portfolio import Portfolio
from .probability import METHODS, ConfidenceInterval, MonteCarloEstimate
from .scores import Correlation, PortfolioScore, ScenarioScore
from .structure import Event, Structure
from .substitutions import Substitution, SubstitutionSolution
from .uncertainty import Sensitivity, Uncertainty
from .values import Beta, Interval, LogNormal, Param, Triangular, Uniform
from .whatnext import Ranking

try:
    __version__ = _version("knightian")
except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
    __version__ = "0+unknown"

#: Sentinel that tells our package apart from a namesake on PyPI.
__distribution__ = "knightian"

#: The shipped example: Anthropic's three ASL-4 sketches, the debate and the control sketches.
EXAMPLE_PATH = _EXAMPLE_PATH

__all__ = [
    "EXAMPLE_PATH",
    "METHODS",
    "SCHEMA_PATH",
    "Alignment",
    "AlignmentSolution",
    "Assumption",
    "Beta",
    "Bounds",
    "CCFGroup",
    "CancellationWarning",
    "Case",
    "ComputationLimitError",
    "Conditional",
    "ConfidenceInterval",
    "Correlation",
    "CutSet",
    "CutSets",
    "Diversity",
    "Entries",
    "Event",
    "EventTreeAnalysis",
    "EventTreeModel",
    "FaultTree",
    "Importance",
    "ImportanceRow",
    "Interval",
    "Latent",
    "LogNormal",
    "MonteCarloEstimate",
    "Param",
    "Portfolio",
    "PortfolioError",
    "PortfolioScore",
    "PortfolioTypeError",
    "Ranking",
    "Scenario",
    "ScenarioScore",
    "Sensitivity",
    "SequencePhases",
    "SequenceResult",
    "Structure",
    "Substitution",
    "SubstitutionSolution",
    "Triangular",
    "Uncertainty",
    "Uniform",
    "UnknownIdError",
    "dump",
    "gsn",
    "load",
    "loads",
    "mefeventtree",
    "openpsa",
]
