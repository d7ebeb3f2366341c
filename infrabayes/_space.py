"""A finite outcome space and the reading of functions on it (utilities, likelihoods, events).

Outcomes are any hashable values (typically strings), in an explicit tuple whose order fixes the
order of array entries. :data:`~infrabayes.nirvana.NIRVANA` may be one of them; the others are
the *ordinary* outcomes.

* A **utility function** ``f`` gives every ordinary outcome a value in [0, 1]. Nirvana's value is
  fixed by the infradistribution's ``nirvana`` setting: a mapping may state it (it must then equal
  that setting), a callable is never called on NIRVANA, and an array has one entry per ordinary
  outcome or one per outcome (then the NIRVANA entry must equal the setting). A plain number is a
  constant function.
* A **likelihood** ``L`` gives every outcome a value in [0, 1]: a mapping (every ordinary outcome
  must appear; NIRVANA defaults to 0), a callable (called on ordinary outcomes; NIRVANA gets 0), an
  array (per outcome, or per ordinary outcome with NIRVANA at 0), a number (constant), or an
  **event**: a ``set``/``frozenset`` of outcomes, read as its indicator function.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._numbers import vector
from infrabayes._table import did_you_mean
from infrabayes.nirvana import NIRVANA

__all__ = ["LIKELIHOOD_RANGE_REASON", "UTILITY_RANGE_REASON", "OutcomeSpace"]

#: Why utilities (and likelihoods) must lie in [0, 1]; quoted in the error messages.
UTILITY_RANGE_REASON = (
    "an infradistribution is the upper completion of its generators (it contains every "
    "a-measure plus any sa-measure), so for f(x) > 1 adding k*(-delta_x, 1) lowers the "
    "expectation by k*(f(x) - 1) without bound: E(f) = -inf; for f(x) < 0 adding k*(delta_x, 0) "
    "does the same. Only utilities in [0, 1] have a finite, meaningful expectation"
)

#: Why likelihoods must lie in [0, 1]; quoted in the error messages.
LIKELIHOOD_RANGE_REASON = (
    "L(x) is the probability of the observation given x; outside [0, 1] the glued utility "
    "f *_L g = L*f + (1 - L)*g leaves [0, 1] for some f, g in [0, 1], and its expectation over "
    "the upper completion is -inf"
)


class OutcomeSpace:
    """The outcomes of an infradistribution and the reading of functions on them.

    Parameters
    ----------
    outcomes : iterable of hashable
        Distinct outcomes, at least one of them ordinary (not NIRVANA).
    """

    __slots__ = ("index", "nirvana_index", "ordinary", "ordinary_index", "outcomes")

    def __init__(self, outcomes: Iterable[Hashable]) -> None:
        if isinstance(outcomes, str | bytes):
            raise TypeError(f"outcomes must be a tuple of outcomes, not the string {outcomes!r}")
        outs = tuple(outcomes)
        if not outs:
            raise ValueError("outcomes is empty; an outcome space needs at least one outcome")
        index: dict[Hashable, int] = {}
        for i, x in enumerate(outs):
            try:
                hash(x)
            except TypeError:
                raise TypeError(f"outcome {x!r} (position {i}) is not hashable") from None
            if x in index:
                raise ValueError(
                    f"outcome {x!r} appears twice in outcomes (positions {index[x]}, {i})"
                )
            index[x] = i
        self.outcomes = outs
        self.index = index
        self.nirvana_index: int | None = index.get(NIRVANA)
        self.ordinary = tuple(x for x in outs if x is not NIRVANA)
        if not self.ordinary:
            raise ValueError("outcomes holds only NIRVANA; at least one ordinary outcome is needed")
        self.ordinary_index = np.array([i for i, x in enumerate(outs) if x is not NIRVANA])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OutcomeSpace) and self.outcomes == other.outcomes

    def __hash__(self) -> int:
        return hash(self.outcomes)

    @property
    def has_nirvana(self) -> bool:
        """Whether NIRVANA is one of the outcomes."""
        return self.nirvana_index is not None

    def describe(self) -> str:
        """Return the outcomes for an error message."""
        return repr(self.outcomes)

    def check_known(self, outcomes: Iterable[Any], where: str) -> None:
        """Raise a ValueError naming the members of `outcomes` that are not in this space."""
        unknown = [x for x in outcomes if x not in self.index]
        if unknown:
            listed = ", ".join(repr(x) for x in unknown)
            hint = did_you_mean(unknown[0], self.outcomes) if len(unknown) == 1 else ""
            raise ValueError(
                f"{where} names unknown outcome(s) {listed}{hint}; the outcomes are "
                f"{self.describe()}"
            )

    # -- utilities ------------------------------------------------------------------------------

    def utility(self, f: Any, nirvana: float, what: str = "utility") -> np.ndarray:
        """Return `f` as a vector over the ordinary outcomes, checked to lie in [0, 1]."""
        ordinary = self.ordinary
        if isinstance(f, Mapping):
            self.check_known(f.keys(), what)
            if NIRVANA in f:
                self._check_nirvana_value(f[NIRVANA], nirvana, what)
            missing = [x for x in ordinary if x not in f]
            if missing:
                raise ValueError(
                    f"{what} gives no value for outcome(s) {', '.join(map(repr, missing))}; a "
                    "utility function needs a value for every outcome"
                )
            values = vector([f[x] for x in ordinary], what, ordinary)
        elif callable(f):
            values = vector([f(x) for x in ordinary], what, ordinary)
        elif _is_number(f):
            values = vector([f] * len(ordinary), what, ordinary)
        else:
            values = self._array(f, what, nirvana_entry=nirvana)
        _check_unit_interval(values, what, ordinary, UTILITY_RANGE_REASON)
        return values

    def _check_nirvana_value(self, value: Any, nirvana: float, what: str) -> None:
        ok = (not isinstance(value, bool)) and isinstance(value, int | float | Fraction | np.number)
        if not ok or value != nirvana:
            raise ValueError(
                f"{what} gives NIRVANA the value {value!r}, but Nirvana's utility is fixed by the "
                f"infradistribution (nirvana={nirvana}); leave NIRVANA out"
            )

    def _array(self, f: Any, what: str, nirvana_entry: Any) -> np.ndarray:
        """Read an array per outcome or per ordinary outcome; return the ordinary entries."""
        if isinstance(f, str | bytes | set | frozenset):
            raise TypeError(
                f"{what} must be a mapping, a callable, a number or an array; got {f!r}"
            )
        arr = np.asarray(f, dtype=object) if not isinstance(f, np.ndarray) else f
        if arr.ndim != 1:
            raise ValueError(f"{what} must be one-dimensional; got shape {arr.shape}")
        n, n_ord = len(self.outcomes), len(self.ordinary)
        if arr.shape[0] == n_ord:
            return vector(f, what, self.ordinary)
        if arr.shape[0] == n:  # one entry per outcome, NIRVANA included
            j = self.nirvana_index
            assert j is not None
            if nirvana_entry is not None:
                self._check_nirvana_value(arr[j], nirvana_entry, what)
            return vector(np.asarray(f)[self.ordinary_index], what, self.ordinary)
        expected = (
            f"{n_ord}" if n == n_ord else f"{n_ord} (ordinary outcomes) or {n} (all outcomes)"
        )
        raise ValueError(
            f"{what} has {arr.shape[0]} entries; expected {expected}, in the order "
            f"{self.describe()}"
        )

    # -- likelihoods ----------------------------------------------------------------------------

    def likelihood(self, likelihood: Any, what: str = "likelihood") -> np.ndarray:
        """Return `likelihood` (or an event) as a vector over all outcomes, checked in [0, 1]."""
        outs = self.outcomes
        if isinstance(likelihood, set | frozenset):
            self.check_known(likelihood, f"the event {what}")
            return vector([1 if x in likelihood else 0 for x in outs], what, outs)
        if isinstance(likelihood, Mapping):
            self.check_known(likelihood.keys(), what)
            missing = [x for x in self.ordinary if x not in likelihood]
            if missing:
                raise ValueError(
                    f"{what} gives no value for outcome(s) {', '.join(map(repr, missing))}; give "
                    "every outcome a likelihood, or pass an event as a set of outcomes"
                )
            values = vector([likelihood.get(x, 0) for x in outs], what, outs)
        elif callable(likelihood):
            values = vector([0 if x is NIRVANA else likelihood(x) for x in outs], what, outs)
        elif _is_number(likelihood):
            values = vector([0 if x is NIRVANA else likelihood for x in outs], what, outs)
        elif _looks_like_event(likelihood, self):
            raise TypeError(
                f"{what} is a sequence of outcome names; pass an event as a set, e.g. "
                f"{set(likelihood)!r}, or a likelihood as numbers or a mapping"
            )
        else:
            arr = np.asarray(likelihood, dtype=object)
            if arr.ndim == 1 and arr.shape[0] == len(outs):
                values = vector(likelihood, what, outs)
            else:
                ordinary = self._array(likelihood, what, nirvana_entry=None)
                values = self._with_nirvana(ordinary, 0)
        _check_unit_interval(values, what, outs, LIKELIHOOD_RANGE_REASON)
        return values

    def _with_nirvana(self, ordinary_values: np.ndarray, nirvana_value: Any) -> np.ndarray:
        """Return a vector over all outcomes from one over the ordinary outcomes."""
        j = self.nirvana_index
        if j is None:
            return ordinary_values
        value = Fraction(nirvana_value) if ordinary_values.dtype == object else float(nirvana_value)
        # numpy's stubs take only numpy array-likes; an object array stores the Fraction as is
        return np.insert(ordinary_values, j, value)  # type: ignore[arg-type]

    def indicator(self, event: Any, what: str = "event") -> np.ndarray:
        """Return the indicator of a set of ordinary outcomes, over the ordinary outcomes."""
        if not isinstance(event, set | frozenset):
            event = _as_event(event, what)
        self.check_known(event, what)
        if NIRVANA in event:
            raise ValueError(
                f"{what} contains NIRVANA; Nirvana's value is fixed by the nirvana setting, so "
                "probabilities are of sets of ordinary outcomes"
            )
        return vector([1 if x in event else 0 for x in self.ordinary], what, self.ordinary)


def _as_event(event: Any, what: str) -> frozenset[Any]:
    if isinstance(event, str | bytes) or not isinstance(event, Iterable):
        raise TypeError(f"{what} must be a set of outcomes, e.g. {{'x1', 'x2'}}; got {event!r}")
    return frozenset(event)


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float | Fraction | np.number) and not isinstance(x, bool | np.bool_)


def _looks_like_event(x: Any, space: OutcomeSpace) -> bool:
    """Whether `x` is a list/tuple of outcome names (a likely attempt to pass an event)."""
    if not isinstance(x, list | tuple) or not x:
        return False
    try:
        return all(not _is_number(v) and v in space.index for v in x)
    except TypeError:
        return False


def _check_unit_interval(
    values: np.ndarray, what: str, names: tuple[Any, ...], reason: str
) -> None:
    low = values < 0
    high = values > 1
    bad = np.flatnonzero(low | high)
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{what} at outcome {names[i]!r} is {values[i]}, outside [0, 1]: {reason}")
