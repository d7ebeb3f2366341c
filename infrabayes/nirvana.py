r"""Nirvana: the outcome that no hypothesis may lead to, and its two conventions.

Definitions
-----------
``NIRVANA`` is a distinguished outcome (Diffractor, "Belief Functions and Decision Theory", 2020,
Definition 1: a special observation that ends the history and counts as maximal reward). It may
appear in the outcome tuple of an infradistribution like any other outcome; utility functions
never give it a value, the infradistribution's ``nirvana`` setting does:

``nirvana=math.inf`` (the default, as in that post)
    Nirvana is worth :math:`+\infty`. A generator :math:`(m, b)` with :math:`m(N) > 0` has value
    :math:`+\infty` for every utility function, so it is **never Murphy's choice**:
    :math:`E_H(f) = \min` over the Nirvana-free generators (and :math:`+\infty` if there are none).
    The Nirvana-free translation **drops** the generators that touch Nirvana (intersect with NF).
``nirvana=1``
    Nirvana is worth 1, the best ordinary utility. :math:`m(N) \cdot 1` is then a constant, so
    :math:`(m, b)` has the same value as :math:`(m|_{\neg N}, b + m(N))` for every utility: the
    Nirvana-free translation **moves the Nirvana mass into b**.

Why the two differ
------------------
The *Nirvana trick* replaces a predictor that reads your policy by a set of environments, one per
hard-coded prediction :math:`p`; environment :math:`e_p` emits Nirvana as soon as you visibly act
against :math:`p`. Murphy (the minimizer) picks among them.

* With :math:`+\infty`, any positive probability of reaching Nirvana makes an environment
  worthless to Murphy, so the worst case ranges exactly over the predictions that are consistent
  with your policy on every history that can actually happen. Diffractor's fairness criterion reads
  "if you are mispredicted, you have *any* probability of seeing it".
* With 1, an environment that reaches Nirvana with small probability :math:`\varepsilon` costs
  Murphy only about :math:`\varepsilon` (the Nirvana mass sits in ``b`` as a constant), so Murphy
  gladly picks a misprediction whose ordinary outcomes are bad enough: the fairness criterion
  becomes "a *significant* probability of seeing it", and epsilon-noisy Newcomb-type tricks fail in
  one-shot problems. The post calls this choice cleaner mathematically and better for learning
  theory (over many rounds a mispredicted policy reaches Nirvana almost surely); infinity captures
  more policy-selection problems.
* Neither rescues a *perfect* predictor that you can never catch out (perfect-predictor Parfit's
  Hitchhiker): the misprediction is never visible, so no Nirvana is ever reached and Murphy keeps
  it.
  That problem is a fine *acausal* problem but not a causal (Nirvana-trick) one.

This is why "translate to a Nirvana-free hypothesis" has two different answers: under
:math:`+\infty` moving the mass into ``b`` would be wrong (it would make those generators
available to Murphy), under 1 dropping them would be wrong (they are available to him).

Examples
--------
>>> import math
>>> from fractions import Fraction as F
>>> from infrabayes import AMeasure, Infradistribution, NIRVANA
>>> outcomes = ("good", "bad", NIRVANA)
>>> safe = AMeasure({"good": 1}, outcomes=outcomes)
>>> risky = AMeasure({"bad": F(1, 2), NIRVANA: F(1, 2)}, outcomes=outcomes)
>>> u = {"good": F(3, 4), "bad": 0}
>>> Infradistribution([safe, risky], nirvana=math.inf).expect(u)
Fraction(3, 4)
>>> Infradistribution([safe, risky], nirvana=1).expect(u)
Fraction(1, 2)
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Final

__all__ = ["NIRVANA", "NirvanaType", "check_nirvana"]


class NirvanaType:
    """The type of the singleton outcome :data:`NIRVANA` (hashable, picklable, printed NIRVANA)."""

    __slots__ = ()
    _instance: NirvanaType | None = None

    def __new__(cls) -> NirvanaType:
        """Return the one instance."""
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NIRVANA"

    def __reduce__(self) -> str:
        return "NIRVANA"

    def __copy__(self) -> NirvanaType:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> NirvanaType:
        return self


#: The Nirvana outcome (see the module docstring for its two conventions).
NIRVANA: Final = NirvanaType()


def check_nirvana(value: Any) -> float | int:
    """Return the Nirvana convention ``math.inf`` or ``1``; reject anything else with a ValueError.

    Examples
    --------
    >>> check_nirvana(float("inf")), check_nirvana(1)
    (inf, 1)
    >>> check_nirvana(0.5)
    Traceback (most recent call last):
    ...
    ValueError: nirvana must be math.inf (Nirvana is infinite reward) or 1 (...); got 0.5
    """
    if not isinstance(value, bool) and isinstance(value, int | float | Fraction):
        if value == math.inf:
            return math.inf
        if value == 1:
            return 1
    raise ValueError(
        "nirvana must be math.inf (Nirvana is infinite reward) or 1 (Nirvana is worth the best "
        f"utility, 1); got {value!r}"
    )
