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

Numerics
--------
Exact inputs give exact results and :math:`P = 0` is decided exactly. In float64 the decision
is relative to the scale of what is compared. :math:`E_H(0 \star_L g)` and
:math:`E_H(1 \star_L g)` are minima of sums of nonnegative terms (masses times utilities in
[0, 1], plus ``b``), so each is computed with a rounding error of a few units in the last place
*of itself*, and the error of their difference is at most about that times
:math:`E_H(1 \star_L g)`, the larger of the two. :math:`P` counts as zero when it is at most
:data:`NULL_PROBABILITY_TOLERANCE` times :math:`E_H(1 \star_L g)`. There is no absolute floor:
an event of probability :math:`10^{-30}` updated with :math:`g = 0` (so
:math:`E_H(0 \star_L g) = \min b = 0` for a normalized :math:`H`) has :math:`P = 10^{-30}` and
updates, while a true null event (:math:`P = 0`) is refused at every scale. What float64 cannot
resolve is refused: with :math:`g = 1` the same event has :math:`P = 1 - (1 - 10^{-30})`, which
rounds to 0. Normalization decides :math:`E(1) - E(0) = 0` the same way, relative to
:math:`E(1)`.

The functions here are the methods of :class:`~infrabayes.Infradistribution` written as
functions: ``update(H, L, g)`` is ``H.update(L, g)``, and so on.

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
Infradistribution: 2 generators over 3 outcomes (exact, normalized, nirvana=inf)
          x1   x2  x3  |     b
     0   2/3  1/3   0  |     0
     1  2/15  4/5   0  |  1/15
>>> H.update(A, 1).lower_probability({"x1"})
Fraction(1, 5)
"""

from __future__ import annotations

from typing import Any

from infrabayes import _update
from infrabayes._numbers import Number
from infrabayes._update import NullUpdateError
from infrabayes.infradistribution import Infradistribution

__all__ = [
    "NULL_PROBABILITY_TOLERANCE",
    "NullUpdateError",
    "normalize",
    "probability",
    "raw_update",
    "update",
]

#: In float64, a normalizer :math:`P = E_H(1 \star_L g) - E_H(0 \star_L g)` (or
#: :math:`E(1) - E(0)`) at most this times :math:`E_H(1 \star_L g)` (or :math:`E(1)`) counts as
#: zero: the difference is then below the rounding error of the two expectations, and dividing by
#: it would only magnify that error. Relative, with no absolute floor (see "Numerics" above).
NULL_PROBABILITY_TOLERANCE = _update.NULL_PROBABILITY_TOLERANCE


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
    return h.probability(likelihood, g)


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
    Infradistribution: 2 generators over 2 outcomes (exact, NOT normalized, nirvana=inf)
            a  b  |    b
       0    0  0  |  1/2
       1  1/2  0  |  1/4
      not normalized: E(0) = 1/4, E(1) = 1/2 (normalized: 0 and 1); .normalize() rescales
    """
    return h.raw_update(likelihood, g)


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
    return h.update(likelihood, g)


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
    Infradistribution: 2 generators over 2 outcomes (exact, normalized, nirvana=inf)
            a    b  |    b
       0  1/2  1/2  |    0
       1    1    0  |  1/4
    """
    return h.normalize()
