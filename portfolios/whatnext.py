r"""What to do next: which case to add, which assumption to shore up.

Definitions
-----------
best addition
    For each candidate case (a new case, in the file format, that would cover the scenario),
    the *drop* ``P(U) - P(U | the candidate is added)`` in the probability that the scenario is
    unprotected. Adding a case never raises ``P(U)`` (the scenario needs one more case to
    fail), so drops are non-negative; a candidate resting on the same assumptions as the
    existing cases buys little, one resting on disjoint assumptions buys the most.
most load-bearing assumption
    For each assumption under the scenario, the drop ``P(U) - P(U | a := 0)`` obtained by
    shoring it up completely (its own failure probability set to 0, in every latent state; an
    assumption it requires keeps its own probability). It equals ``P(U) (1 - 1/RRW)`` and, for an
    independent assumption, ``q_a`` times its Birnbaum importance
    (:mod:`portfolios.importance`).

Both rankings are :class:`Ranking` objects, best first (ties broken by id).

Ties (documented tolerance)
---------------------------
Each drop is a difference of two probabilities of at most ``P(U)``, each computed to a few units
of rounding *relative to* ``P(U)``: two options tie when their drops differ by at most
:data:`TIE_TOLERANCE` :math:`\times` ``P(U)`` (:attr:`Ranking.tied_best`). The tolerance is
relative to the scale of what it compares and has no absolute floor: multiply every probability
of a portfolio by :math:`10^{-k}` and the ties stay the same, so options are ranked at
``P(U) = 1e-14``, where safety targets live, as they are at ``P(U) = 0.1``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _html
from ._arrays import readonly
from ._data import read_sections
from ._table import text_table
from .errors import PortfolioError, PortfolioTypeError
from .importance import Clamper, scenario_rows
from .model import Entries
from .probability import all_fail_probability, auto_engine, engine_label
from .structure import Structure, compile_structure, covering_cases
from .validation import check_portfolio

__all__ = ["TIE_TOLERANCE", "Ranking", "best_addition", "most_load_bearing"]

#: Two options tie when their drops in P(U) differ by at most this times P(U) (relative, with no
#: absolute floor: probabilities are computed in float64 to about 1e-15 relative, so rounding
#: alone separates options that are equal in exact arithmetic; 1e-12 leaves a margin of 1000).
TIE_TOLERANCE = 1e-12


@dataclass(frozen=True, eq=False)
class Ranking:
    """Options ranked by how much they lower P(unprotected), best first.

    Attributes
    ----------
    scenario : str
    p_unprotected : float
        ``P(U)`` now.
    what : str
        What is ranked (``"candidate case"`` or ``"assumption shored up"``).
    names : tuple of str
        The options, best first.
    p_after : ndarray
        ``P(U)`` after each option.
    drop : ndarray
        ``p_unprotected - p_after``.
    method : str
        The probability method; for ``"auto"``, the engines that ran (``"auto (exact)"``,
        ``"auto (bdd)"`` or ``"auto (exact, bdd)"``).
    subject, event : str
        How the titles name ``scenario`` and its failure: ``"scenario"`` and
        ``"unprotected"`` for a portfolio, ``"goal"`` and ``"unsupported"`` for a GSN argument.
    """

    scenario: str
    p_unprotected: float
    what: str
    names: tuple[str, ...]
    p_after: np.ndarray
    drop: np.ndarray
    method: str = "exact"
    subject: str = "scenario"
    event: str = "unprotected"

    def __post_init__(self) -> None:
        for name in ("p_after", "drop"):
            object.__setattr__(self, name, readonly(getattr(self, name), float))

    @property
    def best(self) -> str | None:
        """The best option (None if there is none); ties are broken by id, see :attr:`tied_best`."""
        return self.names[0] if self.names else None

    @property
    def tied_best(self) -> tuple[str, ...]:
        """Every option whose drop is within :data:`TIE_TOLERANCE` x P(U) of the best one's.

        Listed by name: tied drops have no order between them (which of two equal drops comes
        out a unit in the last place larger depends on the engine's arithmetic).
        """
        if not self.names:
            return ()
        top = float(self.drop[0])
        tol = TIE_TOLERANCE * max(self.p_unprotected, float(np.max(self.p_after)))
        return tuple(
            sorted(n for n, d in zip(self.names, self.drop, strict=True) if top - d <= tol)
        )

    def __len__(self) -> int:
        return len(self.names)

    def as_dict(self) -> dict[str, float]:
        """Return ``{name: drop}``, best first."""
        return {n: float(d) for n, d in zip(self.names, self.drop, strict=True)}

    def _rows(self, limit: int | None) -> list[list[str]]:
        rows = []
        for n, after, drop in zip(self.names[:limit], self.p_after, self.drop, strict=False):
            rel = 100.0 * drop / self.p_unprotected if self.p_unprotected > 0 else 0.0
            rows.append([n, f"{after:.4g}", f"{drop:.4g}", f"{rel:>6.1f}%"])
        return rows

    def to_text(self, *, limit: int | None = None) -> str:
        """Return a table: option, P(U) after, drop, relative drop."""
        header = [self.what, "P(U) after", "drop", "drop %"]
        return "\n".join(text_table(header, self._rows(limit), [11, 10, 7]))

    def _repr_html_(self, max_listed: int = 50) -> str:
        """Return the HTML table Jupyter shows: the first ``max_listed`` options, best first."""
        rows = [[n, after, drop, rel.strip()] for n, after, drop, rel in self._rows(max_listed)]
        notes = []
        if len(self) > max_listed:
            notes.append(f"... and {len(self) - max_listed} more (to_text())")
        if len(self.tied_best) > 1:
            notes.append(f"Tied best (within TIE_TOLERANCE): {', '.join(self.tied_best)}")
        title = (
            f"What next for {self.subject} {self.scenario}: each {self.what}, ranked by the "
            f"drop in P({self.event}) = {self.p_unprotected:.4g} ({len(self)} options, "
            f"method {self.method})"
        )
        head = [self.what, "P(U) after", "drop", "drop %"]
        return _html.document(title, _html.table(head, rows, "lrrr"), notes=notes)

    def __repr__(self) -> str:
        return (
            f"Ranking({self.scenario!r}, P({self.event})={self.p_unprotected:.4g}, "
            f"{len(self)} options)\n{self.to_text(limit=10)}"
        )


def _ranking(
    scenario: str,
    p_now: float,
    what: str,
    after: dict[str, float],
    method: str,
    *,
    subject: str = "scenario",
    event: str = "unprotected",
) -> Ranking:
    order = sorted(after, key=lambda n: (-(p_now - after[n]), n))
    p_after = [after[n] for n in order]
    return Ranking(
        scenario=scenario,
        p_unprotected=p_now,
        what=what,
        names=tuple(order),
        p_after=np.array(p_after),
        drop=np.maximum(p_now - np.array(p_after), 0.0),
        method=method,
        subject=subject,
        event=event,
    )


def best_addition(
    entries: Entries,
    scenario: str,
    candidates: Mapping[str, Any],
    *,
    assumptions: Mapping[str, Any] | None = None,
    method: str = "exact",
    structure: Structure | None = None,
) -> Ranking:
    """Rank candidate cases by how much adding each lowers P(``scenario`` unprotected).

    Each candidate is read like an entry of a file (named ``"<candidates>"`` in errors),
    added to the entries with the new assumptions, checked with them
    (:func:`portfolios.validation.check_portfolio`) and compiled.

    Parameters
    ----------
    entries : Entries
        Validated entries (``Portfolio.entries``).
    scenario : str
    candidates : mapping of str to mapping
        New case ids to entries in the file format (``statement``, ``assumptions``,
        ``rests_on``, ``soundness_error``; ``covers`` is set to include ``scenario``).
    assumptions : mapping of str to mapping, optional
        New assumptions (file format) the candidates may rest on.
    method : str
        The probability method.
    structure : Structure, optional
        The compiled structure of ``entries`` (``Portfolio.structure``); compiled here if not
        given.

    Raises
    ------
    PortfolioError
        If a candidate is invalid (the message names it and the field).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": 0.2},
    ...                     "B": {"statement": "b", "p_fail": 0.3}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> r = best_addition(P.entries, "S", {"same": {"statement": "s", "assumptions": ["A"]},
    ...                                    "other": {"statement": "o", "assumptions": ["B"]}})
    >>> r.best, {k: round(v, 12) for k, v in r.as_dict().items()}  # 0.2 - 0.2 * 0.3; 0
    ('other', {'other': 0.14, 'same': 0.0})
    """
    if not isinstance(entries, Entries):
        raise PortfolioTypeError(
            None, f"expected Entries (for a Portfolio P: P.entries), got {type(entries).__name__}"
        )
    S = compile_structure(entries) if structure is None else structure
    cases = covering_cases(S, scenario)
    if isinstance(candidates, str) or not isinstance(candidates, Mapping) or not candidates:
        raise PortfolioTypeError(
            None, "candidates must be a non-empty mapping from new case ids to entries"
        )
    if assumptions is not None and not isinstance(assumptions, Mapping):
        raise PortfolioTypeError(
            None, "assumptions must be a mapping from new assumption ids to entries"
        )
    p_now = float(all_fail_probability(S, list(cases), method=method))
    engines = {auto_engine(S, cases) if method == "auto" else method}
    new_assumptions = dict(assumptions or {})
    for key in new_assumptions:
        if key in entries.assumptions:
            raise PortfolioError(None, f"new assumption {key!r} already exists")
    after = {}
    for name, entry in candidates.items():
        if name in entries.cases:
            raise PortfolioError(None, f"candidate {name!r} is already a case of the portfolio")
        if not isinstance(entry, Mapping):
            raise PortfolioError(
                "<candidates>", f"a candidate is a mapping of fields, got {entry!r}", entry=name
            )
        new = dict(entry)
        covers = list(new.get("covers", []))
        new["covers"] = covers if scenario in covers else [*covers, scenario]
        added = read_sections(
            {"assumptions": new_assumptions, "cases": {name: new}}, file="<candidates>"
        )
        sections = {k: dict(v) for k, v in entries.sections().items()}
        sections["assumptions"].update(added["assumptions"])
        sections["cases"].update(added["cases"])
        check_portfolio(sections, file="<candidates>")
        trial = Entries(
            latent=sections["latent"],
            assumptions=sections["assumptions"],
            cases=sections["cases"],
            scenarios=sections["scenarios"],
        )
        compiled = compile_structure(trial)
        after[name] = float(all_fail_probability(compiled, [*cases, name], method=method))
        engines.add(auto_engine(compiled, [*cases, name]) if method == "auto" else method)
    return _ranking(scenario, p_now, "candidate case", after, engine_label(method, engines))


def most_load_bearing(structure: Structure, scenario: str, *, method: str = "exact") -> Ranking:
    """Rank the assumptions under ``scenario`` by the drop in P(U) from shoring each up.

    Parameters
    ----------
    structure : Structure
        The compiled portfolio (``Portfolio.structure``).
    scenario : str
    method : str
        The probability method (not ``"montecarlo"``: the drops need exact differences).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": 0.1},
    ...                     "B": {"statement": "b", "p_fail": 0.2},
    ...                     "C": {"statement": "c", "p_fail": 0.3}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> r = most_load_bearing(P.structure, "S")  # P(U) = 0.154; without A: 0.06; B or C: 0.1
    >>> {k: round(v, 12) for k, v in r.as_dict().items()}
    {'A': 0.094, 'B': 0.054, 'C': 0.054}
    """
    covering_cases(structure, scenario)  # an unknown scenario is reported first
    if method == "montecarlo":
        raise PortfolioError(
            None, "rankings need exact probabilities: method='montecarlo' is refused"
        )
    clamp = Clamper(structure, scenario, method)
    names = [key for kind, key in scenario_rows(structure, scenario) if kind == "assumption"]
    clamp.check_budget(1 + len(names), "the ranking of assumptions")
    after = {key: clamp(("assumption", key, 0.0)) for key in names}
    p_now = clamp()
    return _ranking(
        scenario, p_now, "assumption shored up", after, engine_label(method, clamp.engines)
    )
