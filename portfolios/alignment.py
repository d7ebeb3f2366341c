r"""Open-PSA MEF alignments: a model analysed over the phases of its mission.

Definitions
-----------
An *alignment* (``<define-alignment>``) divides the mission time into *phases*
(``<define-phase name=... time-fraction=...>``); each phase sets house events
(``<set-house-event name=...><constant value="true|false"/></set-house-event>``), for
instance to take a train out for maintenance. As SCRAM does, the model is analysed once per
phase: the phase's house events are set (on top of the model's and ``load(house_events=...)``)
and the mission time becomes the phase's share of it, ``time_fraction * mission_time``, so a
probability such as ``<exponential>`` over ``<system-mission-time/>`` is that of the phase's
duration. Each phase's model is a :class:`~portfolios.faulttree.FaultTree` of its own
(``Phase.tree``).

Checks (SCRAM's): an alignment has at least one phase; phase names are distinct within it; a
time fraction is in (0, 1]; and the fractions sum to 1 within the relative tolerance
:data:`ALIGNMENT_SUM_TOL` (``|sum - 1| <= 1e-4``).

Totals. SCRAM reports the phases only. ``AlignmentSolution.time_average`` adds
``sum_i f_i P_i(g)``, the time-weighted mean of the phases' probabilities: the average
unavailability over the mission when each phase's result is an unavailability (a
maintenance configuration held for a fraction of the time). It is not the probability that
``g`` occurs at some time of the mission (that needs a phased-mission analysis, which the MEF
does not describe).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from . import _html
from .errors import PortfolioError
from .faulttree import FaultTree

__all__ = [
    "ALIGNMENT_SUM_TOL",
    "Alignment",
    "AlignmentSolution",
    "Phase",
    "PhaseSolution",
    "check_phases",
]

#: Relative tolerance on the time fractions of an alignment summing to 1 (SCRAM's).
ALIGNMENT_SUM_TOL = 1e-4


@dataclass(frozen=True, eq=False)
class Phase:
    """A phase of an alignment (module docstring).

    Attributes
    ----------
    name : str
    time_fraction : float
        In (0, 1].
    house_events : mapping of str to bool
        The phase's ``set-house-event`` instructions.
    tree : FaultTree
        The model in this phase: house events set, mission time scaled.
    mission_time : float or None
        The phase's mission time (None when the tree was not read from MEF).
    """

    name: str
    time_fraction: float
    house_events: Mapping[str, bool]
    tree: FaultTree
    mission_time: float | None = None

    def __repr__(self) -> str:
        sets = ", ".join(f"{h}={str(v).lower()}" for h, v in self.house_events.items())
        sets = sets or "no house event set"
        return f"Phase({self.name!r}, time fraction {self.time_fraction:g}; {sets})"


@dataclass(frozen=True, eq=False)
class Alignment:
    """The phases of a mission (module docstring).

    Examples
    --------
    >>> b = lambda e: ("basic-event", e)
    >>> def tree(maintenance):  # train one is out during maintenance
    ...     return FaultTree(
    ...         name="two trains",
    ...         gates={"top": ("and", (("or", (b("A"), ("house-event", "out"))), b("B")))},
    ...         basic_events={"A": 0.1, "B": 0.2},
    ...         house_events={"out": maintenance},
    ...     )
    >>> mission = Alignment("mission", (
    ...     Phase("normal", 0.9, {}, tree(False)),
    ...     Phase("maintenance", 0.1, {"out": True}, tree(True)),
    ... ))
    >>> result = mission.solve()
    >>> [round(p.probabilities["top"], 12) for p in result.phases]  # 0.1 * 0.2, then 0.2
    [0.02, 0.2]
    >>> round(result.time_average["top"], 12)  # 0.9 * 0.02 + 0.1 * 0.2
    0.038
    """

    name: str
    phases: tuple[Phase, ...]
    file: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        check_phases(
            self.name, [(p.name, p.time_fraction) for p in self.phases], self.file, self.line
        )

    def __repr__(self) -> str:
        phases = ", ".join(f"{p.name} ({p.time_fraction:g})" for p in self.phases)
        return f"Alignment({self.name!r}: {phases})"

    def with_options(self, **options: Any) -> Alignment:
        """Return the alignment with ``FaultTree.with_options(**options)`` applied to each phase.

        Examples
        --------
        >>> T = FaultTree(name="t", gates={"top": ("basic-event", "A")}, basic_events={"A": 0.5})
        >>> A = Alignment("a", (Phase("p", 1.0, {}, T),)).with_options(backend="python")
        >>> A.phases[0].tree.backend
        'python'
        """
        phases = tuple(replace(p, tree=p.tree.with_options(**options)) for p in self.phases)
        return replace(self, phases=phases)

    def solve(
        self, gates: Sequence[str] | None = None, *, substitutions: bool = False
    ) -> AlignmentSolution:
        """Return the exact probabilities of ``gates`` (default: the top gates) in each phase.

        With ``substitutions=True`` each phase's value is that of
        :meth:`FaultTree.substitute <portfolios.faulttree.FaultTree.substitute>` (the model's
        substitutions applied in the phase).
        """
        chosen = tuple(self.phases[0].tree.top_gates if gates is None else gates)
        solutions = []
        for p in self.phases:
            if substitutions:
                values = {g: p.tree.substitute(g).probability for g in chosen}
            else:
                values = dict(p.tree.solve(chosen).probabilities) if chosen else {}
            solutions.append(
                PhaseSolution(
                    phase=p.name,
                    time_fraction=p.time_fraction,
                    mission_time=p.mission_time,
                    house_events=MappingProxyType(dict(p.house_events)),
                    probabilities=MappingProxyType(dict(values)),
                )
            )
        average = {
            g: math.fsum(s.time_fraction * s.probabilities[g] for s in solutions) for g in chosen
        }
        return AlignmentSolution(
            alignment=self.name,
            gates=chosen,
            phases=tuple(solutions),
            time_average=MappingProxyType(average),
            substituted=substitutions,
        )


def check_phases(
    alignment: str,
    phases: Sequence[tuple[str, float]],
    file: str | None = None,
    line: int | None = None,
) -> None:
    """Check the ``(name, time fraction)`` of an alignment's phases (module docstring).

    Examples
    --------
    >>> try:
    ...     check_phases("mission", [("one", 0.1), ("two", 1.0)])
    ... except PortfolioError as err:
    ...     print(err.problem[:48])
    the time fractions of the phases sum to 1.1, not
    """

    def error(problem: str, phase: str | None = None) -> PortfolioError:
        return PortfolioError(
            file,
            problem,
            section="define-alignment" if phase is None else "define-phase",
            entry=alignment if phase is None else phase,
            line=line,
        )

    if not phases:
        raise error("an alignment needs at least one phase (define-phase)")
    seen: set[str] = set()
    for name, f in phases:
        if name in seen:
            raise error(f"phase {name!r} is defined twice in alignment {alignment!r}")
        seen.add(name)
        if not (isinstance(f, (int, float)) and math.isfinite(f) and 0.0 < f <= 1.0):
            raise error(f"time-fraction {f!r} is not in (0, 1]", name)
    total = math.fsum(f for _, f in phases)
    if abs(total - 1.0) > ALIGNMENT_SUM_TOL:
        raise error(
            f"the time fractions of the phases sum to {total!r}, not 1 (relative "
            f"tolerance ALIGNMENT_SUM_TOL = {ALIGNMENT_SUM_TOL:g})"
        )


@dataclass(frozen=True)
class PhaseSolution:
    """The exact probabilities of some gates in one phase.

    Attributes
    ----------
    phase : str
    time_fraction : float
    mission_time : float or None
    house_events : mapping of str to bool
        The house events the phase sets.
    probabilities : mapping of str to float
    """

    phase: str
    time_fraction: float
    mission_time: float | None
    house_events: Mapping[str, bool]
    probabilities: Mapping[str, float]

    def __repr__(self) -> str:
        values = ", ".join(f"{g}: {p:.6g}" for g, p in self.probabilities.items())
        return f"PhaseSolution({self.phase!r}, time fraction {self.time_fraction:g}; {values})"


@dataclass(frozen=True)
class AlignmentSolution:
    """The per-phase analysis of an alignment (module docstring).

    Attributes
    ----------
    alignment : str
    gates : tuple of str
    phases : tuple of PhaseSolution
    time_average : mapping of str to float
        ``sum_i f_i P_i(g)`` for each gate (module docstring: what it means).
    substituted : bool
        Whether the model's substitutions were applied in each phase.
    """

    alignment: str
    gates: tuple[str, ...]
    phases: tuple[PhaseSolution, ...]
    time_average: Mapping[str, float]
    substituted: bool = False

    def rows(self) -> list[list[str]]:
        """Return the table's rows: each phase, then the time-weighted mean."""
        out = []
        for p in self.phases:
            sets = ", ".join(f"{h}={str(v).lower()}" for h, v in p.house_events.items())
            out.append(
                [p.phase, f"{p.time_fraction:g}", sets or "-"]
                + [f"{p.probabilities[g]:.6g}" for g in self.gates]
            )
        out.append(
            ["time-weighted mean", "1", ""] + [f"{self.time_average[g]:.6g}" for g in self.gates]
        )
        return out

    def __repr__(self) -> str:
        how = ", with substitutions" if self.substituted else ""
        lines = [f"AlignmentSolution({self.alignment!r}, gates {', '.join(self.gates)}{how}):"]
        for r in self.rows():
            lines.append(f"  {r[0]} ({r[1]}): " + ", ".join(r[3:]))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows."""
        head = ["phase", "time fraction", "house events", *(f"P({g})" for g in self.gates)]
        table = _html.table(head, self.rows(), "lrl" + "r" * len(self.gates))
        return _html.document(f"Alignment {self.alignment}", table)
