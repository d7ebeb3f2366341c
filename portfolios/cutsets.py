"""Minimal cut sets of a scenario: the smallest combinations of failures that unprotect it.

Definitions
-----------
A *cut set* of scenario ``s`` is a set of basic events (latent variables failing, assumptions
failing, soundness errors; see :mod:`portfolios.structure` for the events) whose joint
occurrence fails every covering case, whatever the other events do. It is *minimal* if no
proper subset is a cut set. Each case fails through any of its minimal *terms* (a term is a
single event, or ``{W_j, a|j}``: latent variable ``j`` fails and assumption ``a`` fails because
of it), so the minimal cut sets are the minimal sets containing one term of every covering
case: the minimal transversals (hitting sets) of the cases' terms. They are enumerated with
Berge's algorithm, case by case, keeping only minimal sets, optionally up to an order limit
(pruning larger sets is safe: they can only grow).

Sizes. The number of minimal cut sets can be exponential in the number of covering cases (ten
cases resting on eight private assumptions each have :math:`8^{10}`). Before enumerating,
:func:`order_lower_bound` packs covering cases that share no event: a cut set needs one event
of each, so with ``max_order`` below that count the answer (none) is known without enumerating.
The enumeration keeps at most :data:`~portfolios.limits.MAX_CUT_SETS` partial cut sets, spends at
most :data:`~portfolios.limits.MAX_CUT_SET_TESTS` subset tests keeping them minimal, and is
refused (a :class:`~portfolios.errors.ComputationLimitError`) the moment it would do more,
with the number of cases processed, the size the step would reach and the lower bound on the
order.

A cut set's *order* is its size; its probability is the exact probability that all its events
occur, ``sum_w P(w) prod_{e in K} P(e | w)``: ``nan`` when it depends on an interval
probability (:mod:`portfolios.values`), which has no point value. An order-1 cut set is a
*single point of failure*. Cut sets are sorted by order, then by decreasing probability (those
without one last), then by label.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from . import _html
from .errors import ComputationLimitError, PortfolioError, UnknownIdError, did_you_mean
from .limits import MAX_CUT_SET_TESTS, MAX_CUT_SETS
from .structure import Event, Structure, latent_states

__all__ = ["MAX_CUT_SETS", "CutSet", "CutSets", "minimal_cut_sets", "order_lower_bound"]


@dataclass(frozen=True)
class CutSet:
    """A minimal cut set.

    Attributes
    ----------
    events : tuple of Event
        The events, sorted by label.
    probability : float
        The probability that all of them occur.
    """

    events: tuple[Event, ...]
    probability: float

    @property
    def order(self) -> int:
        """The number of events."""
        return len(self.events)

    @property
    def labels(self) -> tuple[str, ...]:
        """The events' labels."""
        return tuple(e.label for e in self.events)

    def __repr__(self) -> str:
        return f"CutSet({{{', '.join(self.labels)}}}, p={self.probability:.4g})"


@dataclass(frozen=True)
class CutSets:
    """The minimal cut sets of one scenario (or of any set of targets).

    Attributes
    ----------
    targets : tuple of str
        The cases that must all fail (a scenario's covering cases).
    cut_sets : tuple of CutSet
        Sorted by order, then decreasing probability.
    max_order : int or None
        The order limit of the enumeration (None: all minimal cut sets).
    note : str or None
        Set when the cut sets were not listed (too many to enumerate; see
        :func:`portfolios.scores.portfolio_score`): why, and the lower bound on their order.

    The object is a sequence of its cut sets.
    """

    targets: tuple[str, ...]
    cut_sets: tuple[CutSet, ...]
    max_order: int | None
    note: str | None = None

    def __len__(self) -> int:
        return len(self.cut_sets)

    def __iter__(self) -> Iterator[CutSet]:
        return iter(self.cut_sets)

    def __getitem__(self, i: int) -> CutSet:
        return self.cut_sets[i]

    @property
    def single_points_of_failure(self) -> tuple[Event, ...]:
        """The events that alone unprotect the scenario (the order-1 cut sets)."""
        return tuple(c.events[0] for c in self.cut_sets if c.order == 1)

    @property
    def min_order(self) -> int | None:
        """The smallest order (None if there is no cut set within ``max_order``)."""
        return self.cut_sets[0].order if self.cut_sets else None

    def count_by_order(self) -> dict[int, int]:
        """Return ``{order: number of cut sets}``."""
        counts: dict[int, int] = {}
        for c in self.cut_sets:
            counts[c.order] = counts.get(c.order, 0) + 1
        return counts

    def __repr__(self) -> str:
        limit = "" if self.max_order is None else f" up to order {self.max_order}"
        spof = ", ".join(e.label for e in self.single_points_of_failure) or "none"
        return (
            f"CutSets({len(self)} minimal cut sets{limit}, min order {self.min_order}, "
            f"single points of failure: {spof})"
        )

    def _repr_html_(self, max_listed: int = 50) -> str:
        """Return the HTML table Jupyter shows: the first ``max_listed`` cut sets."""
        rows = [
            [str(c.order), f"{c.probability:.4g}", "{" + ", ".join(c.labels) + "}"]
            for c in self.cut_sets[:max_listed]
        ]
        notes = [f"... and {len(self) - max_listed} more"] if len(self) > max_listed else []
        head = ["order", "probability", "events"]
        return _html.document(repr(self), _html.table(head, rows, "rrl"), notes=notes)


def order_lower_bound(clauses: Sequence[Sequence[int]]) -> int:
    """Return a lower bound on the order of every cut set of the clauses (bit masks of terms).

    Clauses (the terms of each target) whose events are pairwise disjoint each need an event of
    their own in a cut set; the bound is the size of such a packing, chosen greedily, smallest
    clauses first. An empty clause (a target that cannot fail) gives a bound of 0.

    Examples
    --------
    >>> order_lower_bound([[0b0011], [0b0100, 0b1000], [0b0001]])  # {0, 1}, {2}|{3}, {0}
    2
    """
    used, count = 0, 0
    for terms in sorted(clauses, key=lambda ts: sum(t.bit_count() for t in ts)):
        events = 0
        for t in terms:
            events |= t
        if events and not events & used:
            used |= events
            count += 1
    return count


def _minimise(sets: set[int], budget: list[int]) -> list[int]:
    """Return the inclusion-minimal masks among ``sets``, spending ``budget[0]`` subset tests."""
    kept: list[int] = []
    seen: set[int] = set()
    for s in sorted(sets, key=lambda m: (m.bit_count(), m)):
        walk = 1 << s.bit_count()
        budget[0] -= min(walk, len(kept))
        if budget[0] < 0:
            raise ComputationLimitError(None, "")
        if walk < len(kept):  # fewer subsets of s than kept sets: walk them
            sub = (s - 1) & s
            while sub not in seen and sub:
                sub = (sub - 1) & s
            covered = sub in seen
        else:
            covered = any(k & s == k for k in kept)
        if not covered:
            kept.append(s)
            seen.add(s)
    return kept


def _transversals(clauses: list[list[int]], max_order: int | None) -> list[int]:
    """Minimal sets (bitmasks over events) containing one term of every clause."""
    current = [0]
    ordered = sorted(clauses, key=len)
    budget = [MAX_CUT_SET_TESTS]
    for step, terms in enumerate(ordered, start=1):
        new: set[int] = set()
        for partial in current:
            if any(t & partial == t for t in terms):
                new.add(partial)
            else:
                for t in terms:
                    grown = partial | t
                    if max_order is None or grown.bit_count() <= max_order:
                        new.add(grown)
            if len(new) > MAX_CUT_SETS:  # refuse now, before the rest of the step
                bound = order_lower_bound(clauses)
                limit = "" if max_order is None else f" up to order {max_order}"
                raise ComputationLimitError(
                    None,
                    f"listing the minimal cut sets{limit} needs more than MAX_CUT_SETS = "
                    f"{MAX_CUT_SETS:,} partial cut sets (up to {len(current) * len(terms):,} "
                    f"after {step} of the {len(clauses)} cases); every cut set has order at "
                    f"least {bound}",
                )
        try:
            current = _minimise(new, budget)
        except ComputationLimitError:
            raise ComputationLimitError(
                None,
                f"listing the minimal cut sets needs more than MAX_CUT_SET_TESTS = "
                f"{MAX_CUT_SET_TESTS:,} subset tests ({len(new):,} partial cut sets after "
                f"{step} of the {len(clauses)} cases); every cut set has order at least "
                f"{order_lower_bound(clauses)}",
            ) from None
    return current


def _probability(structure: Structure, events: Sequence[int]) -> float:
    idx = np.asarray(events, dtype=np.intp)
    which = structure.event_latent[idx]
    rel, bits, weights = latent_states(structure, which, limit=None)
    position = {j: i for i, j in enumerate(rel)}
    w = weights.copy()  # per latent state: P(state) * prod_e P(e | state), in this order
    for e, j in zip(idx, which, strict=True):
        w *= structure.event_p[e, bits[:, position[int(j)]]] if j >= 0 else structure.event_p[e, 0]
    return math.fsum(w.tolist())


def _order(c: CutSet) -> tuple[int, bool, float, tuple[str, ...]]:
    undefined = math.isnan(c.probability)
    return (c.order, undefined, 0.0 if undefined else -c.probability, c.labels)


def minimal_cut_sets(
    structure: Structure, targets: Sequence[str], *, max_order: int | None = None
) -> CutSets:
    """Return the minimal cut sets of "every target fails".

    Parameters
    ----------
    structure : Structure
        The compiled portfolio.
    targets : sequence of str
        Case (or assumption) ids; for a scenario, its covering cases.
    max_order : int, optional
        List only cut sets of at most this order.

    Returns
    -------
    CutSets

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
    >>> cuts = minimal_cut_sets(P.structure, ["X", "Y"])
    >>> cuts[0], cuts.single_points_of_failure
    (CutSet({A}, p=0.1), (Event(kind='assumption', id='A', latent=None),))
    >>> [c.labels for c in cuts][:2]
    [('A',), ('B', 'C')]
    """
    if max_order is not None and (isinstance(max_order, bool) or max_order < 1):
        raise PortfolioError(
            None, f"max_order must be a positive integer or None, got {max_order!r}"
        )
    clauses = []
    for t in targets:
        if t not in structure.terms:
            hint = did_you_mean(t, structure.terms)
            raise UnknownIdError(None, f"unknown case or assumption {t!r}{hint}")
        clauses.append([sum(1 << e for e in term) for term in structure.terms[t]])
    if not clauses:
        raise PortfolioError(None, "need at least one target")
    if max_order is not None and max_order < order_lower_bound(clauses):
        return CutSets(tuple(targets), (), max_order)  # none that small: nothing to enumerate
    found = []
    try:
        masks = _transversals(clauses, max_order)
    except ComputationLimitError as err:
        raise ComputationLimitError(
            None, f"{err.problem}; pass a smaller max_order= to list the smallest ones"
        ) from err
    for mask in masks:
        idx = [e for e in range(mask.bit_length()) if mask >> e & 1]
        events = tuple(sorted((structure.events[e] for e in idx), key=lambda e: e.label))
        found.append(CutSet(events, _probability(structure, idx)))
    found.sort(key=_order)
    return CutSets(tuple(targets), tuple(found), max_order)
