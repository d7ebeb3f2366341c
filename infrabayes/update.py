r"""Normalization and the infra-Bayesian update with off-branch utility.

Definitions
-----------
Let :math:`H` be an infradistribution, :math:`L: X \to [0,1]` a likelihood (an event :math:`A`
is :math:`L = 1_A`) and :math:`g: X \to [0,1]` the **off-branch utility**: what the agent gets
where the observation did not happen. (Diffractor & Kosoy, "Basic Inframeasure Theory", 2020,
section "Updating".)

* **Gluing**: :math:`f \star_L g = L f + (1 - L) g` (:math:`f` on the branch, :math:`g` off it).
* **Raw update** of a generator: :math:`(m, b) \mapsto (L m, \; b + m((1 - L) g))`. Then
  :math:`E_{\text{raw}}(f) = E_H(f \star_L g)` for every :math:`f`.
* **Normalizer**: :math:`P^g_H(L) = E_H(1 \star_L g) - E_H(0 \star_L g)`.
* **Update**: :math:`H|^g_L = \frac{1}{P^g_H(L)} \big(\text{raw}(H) - (0, E_H(0 \star_L g))\big)`,
  so that

  .. math:: E_{H|^g_L}(f) = \frac{E_H(f \star_L g) - E_H(0 \star_L g)}{P^g_H(L)}.

* **Normalization** in general: :math:`(m, b) \mapsto (m, b - E(0)) / (E(1) - E(0))`, giving
  :math:`E'(f) = (E(f) - E(0)) / (E(1) - E(0))`; the update is the normalization of the raw update.

Facts (tested): for normalized :math:`H`, :math:`g = 0` gives :math:`P = E_H(L)` (the lower
probability) and :math:`g = 1` gives :math:`P = 1 - E_H(1 - L)` (the upper probability); a single
probability measure updates to Bayes' conditional for every :math:`g`; the posterior ranks
continuations :math:`f` exactly as the prior ranks the glued plans :math:`f \star_L g` (dynamic
consistency).

**Zero-likelihood generators are kept.** A generator with :math:`m(L) = 0` becomes the constant
:math:`(0, b + m(g))`, and it can still be Murphy's choice: dropping it changes posterior values
and breaks the prior's indifferences.

**P = 0** means :math:`E_H(f \star_L g)` is the same for every continuation :math:`f` (by
monotonicity): nothing done after observing :math:`L` changes the prior's worst case. The update
is undefined and raises :class:`NullUpdateError`.

Nirvana (see :mod:`infrabayes.nirvana`): under ``nirvana=1`` the Nirvana mass of every generator
is booked into ``b`` (exact, since Nirvana is worth the constant 1), so updated and normalized
infradistributions carry no Nirvana mass. Under ``nirvana=math.inf`` a generator touching Nirvana
is never Murphy's choice and stays so; its raw image is kept only when it is still an a-measure
(Nirvana on the branch, :math:`L(N) = 1`; after the shift by :math:`E(0)`, only if ``b`` stays
:math:`\ge 0`). This changes no expectation.

Examples
--------
The credal set :math:`\{(1/2, 1/4, 1/4), (1/10, 3/5, 3/10)\}` observing
:math:`A = \{x_1, x_2\}`:

>>> from fractions import Fraction as F
>>> from infrabayes import Infradistribution
>>> H = Infradistribution([
...     {"x1": F(1, 2), "x2": F(1, 4), "x3": F(1, 4)},
...     {"x1": F(1, 10), "x2": F(3, 5), "x3": F(3, 10)},
... ])
>>> A = {"x1", "x2"}
>>> H.probability(A, 0), H.probability(A, 1), H.probability(A, F(1, 2))
(Fraction(7, 10), Fraction(3, 4), Fraction(29, 40))
>>> H.update(A, 1)
Infradistribution: 2 generators over 3 outcomes (exact, nirvana=inf)
          x1   x2  x3  |     b
     0   2/3  1/3   0  |     0
     1  2/15  4/5   0  |  1/15
>>> H.update(A, 1).lower_probability({"x1"})
Fraction(1, 5)
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from infrabayes._numbers import Number, as_float_array, format_number, is_exact, py_scalar

if TYPE_CHECKING:
    from infrabayes.infradistribution import Infradistribution

__all__ = [
    "NULL_PROBABILITY_TOLERANCE",
    "NullUpdateError",
    "normalize",
    "probability",
    "raw_update",
    "update",
]

#: In float64, a normalizer :math:`P` (or :math:`E(1) - E(0)`) at most this times
#: ``max(1, |E(1)|)`` counts as zero: dividing by it would only magnify rounding errors.
NULL_PROBABILITY_TOLERANCE = 1e-12


class NullUpdateError(ZeroDivisionError, ValueError):
    """The update is undefined: :math:`P^g_H(L) = 0`; nothing after L changes the worst case.

    Also a ``ZeroDivisionError`` (the normalizer is zero) and a ``ValueError`` (this input has no
    update).
    """


def probability(h: Infradistribution, likelihood: Any, g: Any) -> Number:
    r"""Return :math:`P^g_H(L) = E_H(1 \star_L g) - E_H(0 \star_L g)`.

    Parameters
    ----------
    h : Infradistribution
    likelihood : set, mapping, callable, array or number
        The observation: an event (a set of outcomes) or a likelihood into [0, 1].
    g : mapping, callable, array or number
        The off-branch utility, into [0, 1].

    Returns
    -------
    Fraction or float
        Exact when `h`, `likelihood` and `g` are.

    Raises
    ------
    NullUpdateError
        If every generator touches Nirvana under ``nirvana=math.inf`` (the expectations are
        infinite, so their difference is undefined).
    """
    _, e0, e1 = _glued_bounds(h, likelihood, g)
    return py_scalar(e1 - e0)


def raw_update(h: Infradistribution, likelihood: Any, g: Any) -> Infradistribution:
    r"""Return the raw update :math:`\{(L m, b + m((1 - L) g))\}` of every generator of `h`.

    Its expectation is :math:`E(f) = E_H(f \star_L g)`. Generators with zero likelihood are kept
    (they become :math:`(0, b + m(g))`).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from infrabayes import Infradistribution
    >>> H = Infradistribution([{"a": 0, "b": 1}, {"a": F(1, 2), "b": F(1, 2)}])
    >>> H.raw_update({"a"}, F(1, 2))
    Infradistribution: 2 generators over 2 outcomes (exact, nirvana=inf)
            a  b  |    b
       0    0  0  |  1/2
       1  1/2  0  |  1/4
    """
    space = h._space
    lv = space.likelihood(likelihood, "the likelihood L")
    gv = space.utility(g, h.nirvana, "the off-branch utility g")
    exact = h.exact and is_exact(lv) and is_exact(gv)
    masses, b = h.masses, h.b
    if not exact:
        masses, b, lv, gv = (as_float_array(a) for a in (masses, b, lv, gv))
    ordinary = space.ordinary_index
    off_branch = (1 - lv[ordinary]) * gv  # the utility each unit of mass collects off L
    new_masses = masses * lv
    new_b = b + masses[:, ordinary] @ off_branch
    j = space.nirvana_index
    if j is not None:
        nirvana_mass = masses[:, j]
        if h.nirvana == 1:  # Nirvana is worth the constant 1: book all of its mass into b
            new_b = new_b + nirvana_mass
            new_masses[:, j] = Fraction(0) if exact else 0.0
        else:  # worth +inf: off the branch the image has b = +inf and is no a-measure; drop it
            keep = np.flatnonzero((nirvana_mass == 0) | (lv[j] == 1))
            if keep.size == 0:
                raise NullUpdateError(_ALL_NIRVANA)
            new_masses, new_b = new_masses[keep], new_b[keep]
    return h._with_generators(new_masses, new_b)


def update(h: Infradistribution, likelihood: Any, g: Any) -> Infradistribution:
    r"""Return :math:`H|^g_L`: the raw update, minus :math:`(0, E_H(0 \star_L g))`, divided by P.

    Parameters
    ----------
    h : Infradistribution
    likelihood : set, mapping, callable, array or number
        The observation: an event (a set of outcomes) or a likelihood into [0, 1].
    g : mapping, callable, array or number
        The off-branch utility, into [0, 1], on the same scale as the utilities.

    Returns
    -------
    Infradistribution
        Normalized: :math:`E(f) = (E_H(f \star_L g) - E_H(0 \star_L g)) / P^g_H(L)`.

    Raises
    ------
    NullUpdateError
        If :math:`P^g_H(L) = 0` (within :data:`NULL_PROBABILITY_TOLERANCE` in float64).

    Examples
    --------
    A zero-likelihood generator is kept and decides the posterior:

    >>> from fractions import Fraction as F
    >>> from infrabayes import Infradistribution
    >>> H = Infradistribution([{"a": 0, "b": 1}, {"a": F(1, 2), "b": F(1, 2)}])
    >>> post = H.update({"a"}, {"a": 0, "b": F(1, 2)})
    >>> [post.expect({"a": t, "b": 0}) for t in (F(1, 4), F(3, 4), 1)]
    [Fraction(1, 2), Fraction(1, 1), Fraction(1, 1)]
    >>> Infradistribution.sharp(["a", "b"]).update({"a"}, 0)
    Traceback (most recent call last):
    ...
    infrabayes.update.NullUpdateError: P^g_H(L) = E_H(1 *_L g) - E_H(0 *_L g) = 0 - 0 = 0, ...
    """
    raw, e0, e1 = _glued_bounds(h, likelihood, g)
    p = e1 - e0
    if _is_null(p, e1):
        raise NullUpdateError(
            f"P^g_H(L) = E_H(1 *_L g) - E_H(0 *_L g) = {format_number(e1)} - {format_number(e0)} "
            f"= {format_number(p)}{'' if p == 0 else ' (zero within NULL_PROBABILITY_TOLERANCE)'}, "
            "so the update is undefined: Murphy can make the observation irrelevant. Every "
            "continuation f after L gives the prior the same value E_H(f *_L g) = "
            f"{format_number(e0)}, so nothing done after observing L changes the worst case "
            "(any continuation is prior-optimal)"
        )
    return _rescale(raw, e0, p)


def normalize(h: Infradistribution) -> Infradistribution:
    r"""Return `h` normalized: :math:`(m, b) \mapsto (m, b - E(0)) / (E(1) - E(0))`.

    Raises
    ------
    ValueError
        If :math:`E(1) = E(0)` (every utility has the same value; nothing to normalize), or if
        every generator touches Nirvana under ``nirvana=math.inf``.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from infrabayes import Infradistribution

    Here :math:`E(0) = \min(1/2, 1) = 1/2` and :math:`E(1) = \min(5/2, 3) = 5/2`, so
    :math:`(m, b) \mapsto (m / 2, (b - 1/2) / 2)`:

    >>> Infradistribution([({"a": 1, "b": 1}, F(1, 2)), ({"a": 2, "b": 0}, 1)]).normalize()
    Infradistribution: 2 generators over 2 outcomes (exact, nirvana=inf)
            a    b  |    b
       0  1/2  1/2  |    0
       1    1    0  |  1/4
    """
    e0, e1 = _bounds(h)
    if e0 == math.inf:
        raise ValueError(_ALL_NIRVANA.replace("update", "normalize"))
    if _is_null(e1 - e0, e1):
        raise ValueError(
            f"cannot normalize: E(1) - E(0) = {format_number(e1)} - {format_number(e0)} = "
            f"{format_number(e1 - e0)}; every utility function has the same expectation"
        )
    return _rescale(h, e0, e1 - e0)


_ALL_NIRVANA = (
    "every generator reaches Nirvana (nirvana=math.inf): the expectation of every utility is +inf, "
    "so there is no worst case to update"
)


def _glued_bounds(
    h: Infradistribution, likelihood: Any, g: Any
) -> tuple[Infradistribution, Any, Any]:
    r"""Return the raw update and :math:`E_H(0 \star_L g)`, :math:`E_H(1 \star_L g)` (finite)."""
    raw = raw_update(h, likelihood, g)
    e0, e1 = _bounds(raw)
    if e0 == math.inf:
        raise NullUpdateError(_ALL_NIRVANA)
    return raw, e0, e1


def _bounds(h: Infradistribution) -> tuple[Any, Any]:
    """Return :math:`(E_H(0), E_H(1))` (``inf`` when every generator touches Nirvana)."""
    rows, masses, c = h._effective(h.exact)
    if rows.size == 0:
        return math.inf, math.inf
    return c.min(), (masses.sum(axis=1) + c).min()


def _is_null(p: Any, e1: Any) -> bool:
    if isinstance(p, Fraction):
        return p == 0
    return bool(p <= NULL_PROBABILITY_TOLERANCE * max(1.0, abs(float(e1))))


def _rescale(h: Infradistribution, e0: Any, scale: Any) -> Infradistribution:
    r"""Return :math:`\{(m / s, (b - e_0) / s)\}`, with the Nirvana bookkeeping of the module."""
    masses, b = h.masses, h.b
    j = h._space.nirvana_index
    if j is not None:
        if h.nirvana == 1:
            b = b + masses[:, j]
            masses = masses.copy()
            masses[:, j] = Fraction(0) if h.exact else 0.0
        else:
            keep = np.flatnonzero((masses[:, j] == 0) | (b >= e0))
            masses, b = masses[keep], b[keep]
    return h._with_generators(masses / scale, (b - e0) / scale)
