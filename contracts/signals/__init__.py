r"""Several observables: contracts on signals :math:`z \in Z \subset \mathbb{R}^k` with a convex cost bound.

An extension of Carroll's model (derived in the explanation, :ref:`contracts-signals`; the
derivation is the project's own, for the most natural reading, not checked against Carroll's
text). The principal observes a signal vector :math:`z` from a finite set :math:`Z` and contracts
on it, :math:`w: Z \to \mathbb{R}_{\ge 0}`; her payoff is linear, :math:`p \cdot z - w(z)`
(``value``: a coordinate, e.g. output, or a vector :math:`p`). Every action, known or not,
satisfies :math:`c \ge b(E_F z)` for a known **convex** cost bound :math:`b` (and
:math:`c \ge 0`).

The modules, lowest first (each imports only those before it):

* :mod:`contracts.signals.programs`: the cvxpy variables and the solver choice of the programs;
* :mod:`contracts.signals.technology`: :class:`SignalTechnology`, :class:`SignalContract`,
  :class:`AffineSignalContract` and the agent's choice among the known actions;
* :mod:`contracts.signals.worstcase`: nature's problem, :func:`worst_case_signals`;
* :mod:`contracts.signals.improvement`: Carroll's improvement step, :func:`improve_signals`;
* :mod:`contracts.signals.optimum`: the search for the best affine contract,
  :func:`optimal_affine`.

The names in ``__all__`` (and ``LP_SOLVER``, ``SOLVER_RTOL``, ``signal_response``) are importable
from ``contracts.signals``; its classes and functions also from ``contracts``.
"""  # noqa: E501

from .improvement import SignalImprovement, improve_signals
from .optimum import OptimalAffine, optimal_affine
from .programs import DEFAULT_SIGNAL_SOLVER
from .programs import LP_SOLVER as LP_SOLVER
from .programs import SOLVER_RTOL as SOLVER_RTOL
from .technology import AffineSignalContract, SignalContract, SignalTechnology
from .technology import signal_response as signal_response
from .worstcase import SignalDistribution, SignalWorstCase, worst_case_signals

__all__ = [
    "DEFAULT_SIGNAL_SOLVER",
    "AffineSignalContract",
    "OptimalAffine",
    "SignalContract",
    "SignalDistribution",
    "SignalImprovement",
    "SignalTechnology",
    "SignalWorstCase",
    "improve_signals",
    "optimal_affine",
    "worst_case_signals",
]
