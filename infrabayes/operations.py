r"""Building infradistributions from others: mixture, Knightian union, pushforward, Nirvana-free.

Definitions
-----------
For infradistributions :math:`H_1, \dots, H_r` over the same outcomes:

* **Mixture** with prior :math:`\zeta` (weights :math:`\ge 0` summing to 1):
  :math:`E_\zeta H = \{(\sum_i \zeta_i m_i, \sum_i \zeta_i b_i) : (m_i, b_i) \in H_i\}`, so
  :math:`E_{E_\zeta H}(f) = \sum_i \zeta_i E_{H_i}(f)`. Its generators are the weighted sums over
  one generator of each component: :math:`\prod_i |H_i|` of them (components of weight 0 are
  left out). The **infra-Bayes mixture theorem**: updating a mixture gives the mixture of the
  updates, with weights :math:`\zeta_i' \propto \zeta_i P^g_{H_i}(L)` (tested).
* **Knightian union**: the closed convex hull of :math:`\bigcup_i H_i`, so
  :math:`E(f) = \min_i E_{H_i}(f)` (Murphy also picks the hypothesis). Generators: all of them.
* **Pushforward** by :math:`k: X \to Y`: :math:`k_* H = \{(k_* m, b)\}`, so
  :math:`E_{k_* H}(f) = E_H(f \circ k)`. NIRVANA always maps to NIRVANA.
* **Nirvana-free translation** (see :mod:`infrabayes.nirvana`): under ``nirvana=math.inf`` drop
  the generators with Nirvana mass; under ``nirvana=1`` move the Nirvana mass into ``b``. Either
  way every expectation is unchanged and NIRVANA leaves the outcomes.

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes import Infradistribution, mixture, union
>>> coin = Infradistribution([{"h": F(1, 2), "t": F(1, 2)}])
>>> ignorance = Infradistribution.sharp(["h", "t"])
>>> f = {"h": 1, "t": 0}
>>> mixture([coin, ignorance], [F(1, 2), F(1, 2)]).expect(f)
Fraction(1, 4)
>>> union([coin, ignorance]).expect(f)
Fraction(0, 1)
>>> coin.pushforward({"h": "win", "t": "lose"}).outcomes
('win', 'lose')
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

from infrabayes import _operations, limits
from infrabayes._core import Core
from infrabayes.infradistribution import Infradistribution, core_of, from_core

__all__ = [
    "WEIGHT_SUM_TOLERANCE",
    "mixture",
    "nirvana_free",
    "pushforward",
    "union",
]

#: Float weights of a mixture must sum to 1 within this tolerance (exact ones exactly). It is
#: relative to 1, the value the sum is compared with: weights are probabilities, and their float
#: sum carries a rounding error of a few units in the last place of 1.
WEIGHT_SUM_TOLERANCE = 1e-9


def __getattr__(name: str) -> Any:
    # The size limit moved to infrabayes.limits (all limits in one place); old imports still work.
    if name == "MAX_MIXTURE_GENERATORS":
        warnings.warn(
            "infrabayes.operations.MAX_MIXTURE_GENERATORS moved to "
            "infrabayes.limits.MAX_MIXTURE_GENERATORS",
            DeprecationWarning,
            stacklevel=2,
        )
        return limits.MAX_MIXTURE_GENERATORS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _cores(hs: Sequence[Infradistribution], what: str) -> list[Core]:
    """Return the cores of a list of infradistributions (TypeError on anything else)."""
    if isinstance(hs, Infradistribution) or not isinstance(hs, Sequence):
        raise TypeError(f"{what} takes a list of infradistributions; got {type(hs).__name__}")
    for i, h in enumerate(hs):
        if not isinstance(h, Infradistribution):
            raise TypeError(f"{what}: item {i} is {type(h).__name__}, not an Infradistribution")
    return [core_of(h) for h in hs]


def mixture(hs: Sequence[Infradistribution], weights: Sequence[Any]) -> Infradistribution:
    r"""Return the mixture :math:`E_\zeta H_i` of `hs` with prior `weights`.

    Parameters
    ----------
    hs : sequence of Infradistribution
        Over the same outcomes and Nirvana convention.
    weights : sequence of numbers
        Nonnegative, summing to 1 (exactly for ints/Fractions, within
        :data:`WEIGHT_SUM_TOLERANCE` for floats).

    Returns
    -------
    Infradistribution
        With :math:`E(f) = \sum_i \zeta_i E_{H_i}(f)`; exact when all inputs are.

    Raises
    ------
    ValueError
        On bad weights, or mismatched outcomes or Nirvana conventions.
    SizeLimitError
        A ``ValueError``: the mixture would have more than
        :data:`~infrabayes.limits.MAX_MIXTURE_GENERATORS` generators (prune the components with
        ``minimal_points()`` first).
    """
    core = _operations.mixture(
        _cores(hs, "mixture"),
        weights,
        tolerance=WEIGHT_SUM_TOLERANCE,
        max_generators=limits.MAX_MIXTURE_GENERATORS,
    )
    return from_core(core, type(hs[0]))


def union(hs: Sequence[Infradistribution]) -> Infradistribution:
    r"""Return the Knightian union of `hs`: all their generators, so :math:`E = \min_i E_{H_i}`.

    Raises
    ------
    ValueError
        If `hs` is empty or the outcomes or Nirvana conventions differ.
    """
    core = _operations.union(_cores(hs, "union"))
    return from_core(core, type(hs[0]))


def pushforward(
    h: Infradistribution,
    fn: Callable[[Any], Hashable] | Mapping[Any, Hashable],
    *,
    outcomes: Iterable[Hashable] | None = None,
) -> Infradistribution:
    r"""Return :math:`k_* H = \{(k_* m, b)\}` for the map `fn` of outcomes.

    Parameters
    ----------
    h : Infradistribution
    fn : callable or mapping
        The map :math:`k` on the ordinary outcomes (NIRVANA always maps to NIRVANA; an ordinary
        outcome may map to NIRVANA).
    outcomes : iterable of hashable, optional
        The target outcome tuple (may list outcomes nothing maps to). Defaults to the images in
        order of first appearance, then NIRVANA if `h` has it.

    Returns
    -------
    Infradistribution
        With :math:`E(f) = E_H(f \circ k)`.
    """
    return h.pushforward(fn, outcomes=outcomes)


def nirvana_free(h: Infradistribution) -> Infradistribution:
    r"""Return the Nirvana-free translation of `h`, with the same expectations for every utility.

    Under ``nirvana=math.inf``: drop the generators with Nirvana mass (never Murphy's choice).
    Under ``nirvana=1``: :math:`(m, b) \mapsto (m|_{\neg N}, b + m(N))`. NIRVANA is removed from
    the outcomes; `h` itself is returned when it has no NIRVANA outcome.

    Raises
    ------
    ValueError
        Under ``nirvana=math.inf``, if every generator touches Nirvana: the expectation is then
        :math:`+\infty` for every utility, which no Nirvana-free infradistribution has.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from infrabayes import AMeasure, Infradistribution, NIRVANA
    >>> X = ("good", "bad", NIRVANA)
    >>> H = Infradistribution([{"good": 1}, {"bad": F(1, 2), NIRVANA: F(1, 2)}], outcomes=X)
    >>> H.nirvana_free()
    Infradistribution: 1 generator over 2 outcomes (exact, normalized, nirvana=inf)
          good  bad  |  b
       0     1    0  |  0
    >>> H.with_nirvana(1).nirvana_free()
    Infradistribution: 2 generators over 2 outcomes (exact, normalized, nirvana=1)
          good  bad  |    b
       0     1    0  |    0
       1     0  1/2  |  1/2
    """
    return h.nirvana_free()
