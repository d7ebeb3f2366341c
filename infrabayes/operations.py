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

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from infrabayes._numbers import as_float_array, is_exact, vector
from infrabayes._space import OutcomeSpace
from infrabayes.nirvana import NIRVANA

if TYPE_CHECKING:
    from infrabayes.infradistribution import Infradistribution

__all__ = [
    "MAX_MIXTURE_GENERATORS",
    "WEIGHT_SUM_TOLERANCE",
    "mixture",
    "nirvana_free",
    "pushforward",
    "union",
]

#: Float weights of a mixture must sum to 1 within this absolute tolerance (exact ones exactly).
WEIGHT_SUM_TOLERANCE = 1e-9
#: A mixture with more generators than this (the product of the components' counts) is refused.
MAX_MIXTURE_GENERATORS = 1_000_000


def _aligned(hs: Sequence[Infradistribution], what: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return the (masses, b) of each component, columns in the first component's outcome order."""
    from infrabayes.infradistribution import Infradistribution

    if isinstance(hs, Infradistribution) or not isinstance(hs, Sequence):
        raise TypeError(f"{what} takes a list of infradistributions; got {type(hs).__name__}")
    if not hs:
        raise ValueError(f"{what} of no infradistributions is undefined; give at least one")
    first = hs[0]
    out = []
    for i, h in enumerate(hs):
        if not isinstance(h, Infradistribution):
            raise TypeError(f"{what}: item {i} is {type(h).__name__}, not an Infradistribution")
        if set(h.outcomes) != set(first.outcomes):
            raise ValueError(
                f"{what}: infradistribution {i} is over the outcomes {h._space.describe()}, "
                f"infradistribution 0 over {first._space.describe()}; they must share their "
                "outcomes"
            )
        if h.nirvana != first.nirvana:
            raise ValueError(
                f"{what}: infradistribution {i} has nirvana={h.nirvana}, infradistribution 0 has "
                f"nirvana={first.nirvana}; combine hypotheses under one Nirvana convention"
            )
        order = [h._space.index[x] for x in first.outcomes]
        out.append((h.masses[:, order], h.b))
    return out


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
        On bad weights, mismatched outcomes or Nirvana conventions, or more than
        :data:`MAX_MIXTURE_GENERATORS` generators (prune the components with
        ``minimal_points()`` first).
    """
    parts = _aligned(hs, "mixture")
    w = vector(weights, "mixture weight")
    if w.shape[0] != len(parts):
        raise ValueError(f"mixture: {w.shape[0]} weights for {len(parts)} infradistributions")
    negative = np.flatnonzero(w < 0)
    if negative.size:
        raise ValueError(
            f"mixture: weight {int(negative[0])} is {w[negative[0]]} < 0; weights are a prior"
        )
    total = w.sum()
    if (total != 1) if is_exact(w) else (abs(float(total) - 1.0) > WEIGHT_SUM_TOLERANCE):
        tol = "exactly" if is_exact(w) else f"within {WEIGHT_SUM_TOLERANCE}"
        raise ValueError(f"mixture: the weights sum to {total}, not 1 ({tol}); they are a prior")
    used = [i for i in range(len(parts)) if w[i] != 0]
    size = math.prod(len(parts[i][1]) for i in used)
    if size > MAX_MIXTURE_GENERATORS:
        raise ValueError(
            f"mixture: the product of the components would have {size} generators (more than "
            f"MAX_MIXTURE_GENERATORS = {MAX_MIXTURE_GENERATORS}); prune the components with "
            "minimal_points() first, or evaluate sum_i w_i * H_i.expect(f) directly"
        )
    exact = is_exact(w) and all(is_exact(parts[i][0]) for i in used)
    n = len(hs[0].outcomes)
    acc_m: np.ndarray | None = None
    acc_b: np.ndarray | None = None
    for i in used:
        masses, b = parts[i]
        wi: Any = w[i] if exact else float(w[i])
        if not exact:
            masses, b = as_float_array(masses), as_float_array(b)
        if acc_m is None or acc_b is None:
            acc_m, acc_b = wi * masses, wi * b
        else:
            acc_m = (acc_m[:, None, :] + wi * masses[None, :, :]).reshape(-1, n)
            acc_b = (acc_b[:, None] + wi * b[None, :]).reshape(-1)
    assert acc_m is not None
    assert acc_b is not None
    return hs[0]._with_generators(acc_m, acc_b)


def union(hs: Sequence[Infradistribution]) -> Infradistribution:
    r"""Return the Knightian union of `hs`: all their generators, so :math:`E = \min_i E_{H_i}`.

    Raises
    ------
    ValueError
        If `hs` is empty or the outcomes or Nirvana conventions differ.
    """
    parts = _aligned(hs, "union")
    masses = [m for m, _ in parts]
    bs = [b for _, b in parts]
    if not all(is_exact(m) for m in masses):
        masses = [as_float_array(m) for m in masses]
        bs = [as_float_array(b) for b in bs]
    return hs[0]._with_generators(np.concatenate(masses), np.concatenate(bs))


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
    space = h._space
    images = []
    for x in space.ordinary:
        if isinstance(fn, Mapping):
            if x not in fn:
                raise ValueError(f"pushforward: the map gives no image for outcome {x!r}")
            images.append(fn[x])
        else:
            images.append(fn(x))
    for x, y in zip(space.ordinary, images, strict=True):
        try:
            hash(y)
        except TypeError:
            raise TypeError(
                f"pushforward: the image {y!r} of outcome {x!r} is not hashable"
            ) from None
    if outcomes is None:
        target = list(dict.fromkeys(images))
        if space.has_nirvana and NIRVANA not in target:
            target.append(NIRVANA)
        target_space = OutcomeSpace(target)
    else:
        target_space = OutcomeSpace(outcomes)
        target_space.check_known(images, "pushforward: the images")
        if space.has_nirvana and not target_space.has_nirvana:
            raise ValueError(
                "pushforward: the outcomes have NIRVANA, so the target outcomes must list it"
            )
    source = list(space.ordinary_index)
    image_index = [target_space.index[y] for y in images]
    if space.nirvana_index is not None:
        assert target_space.nirvana_index is not None  # the target has NIRVANA (ensured above)
        source.append(space.nirvana_index)
        image_index.append(target_space.nirvana_index)
    masses = h.masses
    zero = Fraction(0) if h.exact else 0.0
    new = np.full((len(h), len(target_space.outcomes)), zero, dtype=masses.dtype)
    for x_col, y_col in zip(source, image_index, strict=True):
        new[:, y_col] = new[:, y_col] + masses[:, x_col]
    return h._with_generators(new, h.b.copy(), target_space)


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
    Infradistribution: 1 generator over 2 outcomes (exact, nirvana=inf)
          good  bad  |  b
       0     1    0  |  0
    >>> H.with_nirvana(1).nirvana_free()
    Infradistribution: 2 generators over 2 outcomes (exact, nirvana=1)
          good  bad  |    b
       0     1    0  |    0
       1     0  1/2  |  1/2
    """
    space = h._space
    j = space.nirvana_index
    if j is None:
        return h
    rows, masses, c = h._effective(h.exact)
    if rows.size == 0:
        raise ValueError(
            "nirvana_free: every generator reaches Nirvana (nirvana=math.inf), so every "
            "expectation is +inf; no Nirvana-free infradistribution has that"
        )
    return h._with_generators(masses.copy(), c.copy(), OutcomeSpace(space.ordinary))
