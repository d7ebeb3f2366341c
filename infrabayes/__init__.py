r"""Infra-Bayesian decision theory on finite outcome spaces, in exact arithmetic.

Definitions
-----------
On a finite tuple of named outcomes :math:`X`:

* an **a-measure** :math:`(m, b)` is a measure :math:`m \ge 0` on :math:`X` and a number
  :math:`b \ge 0` (:class:`AMeasure`); an **sa-measure** allows a signed :math:`m` with
  :math:`b + m^-(1) \ge 0` (:class:`SAMeasure`);
* an **infradistribution** :math:`H` is the closed convex upper completion of finitely many
  a-measures, the *generators* (:class:`Infradistribution`);
* **Murphy's expectation** of a utility function :math:`f: X \to [0, 1]` is the worst case
  :math:`E_H(f) = \min_{(m, b)} m(f) + b` over the generators (``H.expect(f)``);
* the **update** on an observation :math:`L` with **off-branch utility** :math:`g` is
  :math:`E_{H|^g_L}(f) = (E_H(f \star_L g) - E_H(0 \star_L g)) / P^g_H(L)` with
  :math:`f \star_L g = L f + (1 - L) g` and
  :math:`P^g_H(L) = E_H(1 \star_L g) - E_H(0 \star_L g)` (``H.update(L, g)``; it raises
  :class:`NullUpdateError` when :math:`P = 0`);
* :data:`NIRVANA` is an outcome worth ``math.inf`` (default) or 1 (``nirvana=`` setting).

References: Diffractor & Kosoy, "Basic Inframeasure Theory" and "Less Basic Inframeasure Theory"
(2020); Diffractor, "Belief Functions and Decision Theory" (2020); all in the Infra-Bayesianism
sequence on the Alignment Forum.

Values are exact ``fractions.Fraction`` s when the inputs are ints and Fractions, float64
(vectorised) otherwise; float tolerances are relative to the scale of what they compare.
Utilities and likelihoods must lie in [0, 1]: outside it the upper completion makes the
expectation :math:`-\infty`.

Modules: :mod:`~infrabayes.measures` (a-measures), :mod:`~infrabayes.infradistribution`
(the class and Murphy's expectation), :mod:`~infrabayes.update` (normalization and the update),
:mod:`~infrabayes.minimal` (minimal points by LP), :mod:`~infrabayes.properties` (crisp, sharp,
homogeneous, cohomogeneous), :mod:`~infrabayes.operations` (mixture, union, pushforward,
Nirvana-free), :mod:`~infrabayes.nirvana` (the two Nirvana conventions and why they differ),
:mod:`~infrabayes.limits` (the size limits, :class:`SizeLimitError`, and ``progress=``
callbacks), and :mod:`infrabayes.strategies` (hypothesis strategies; not imported here).
Decision problems (Parfit's Hitchhiker, Newcomb, ...) under IB, UDT, CDT and EDT are in the
subpackage :mod:`infrabayes.problems`; planning against Murphy in MDPs whose transitions are
credal sets (crisp infra-MDPs, robust MDPs) in :mod:`infrabayes.sequential`; learning agents
(infra-Bayesian, Bayesian, UCB1, Thompson sampling, EXP3) in bandits whose predictor reads the
agent's policy (Newcomb's bandit, Death in Damascus, ...) in :mod:`infrabayes.learning`.

Examples
--------
A credal set of two distributions, and what is learned from observing :math:`\{x_1, x_2\}`:

>>> from fractions import Fraction as F
>>> from infrabayes import Infradistribution
>>> H = Infradistribution([
...     {"x1": F(1, 2), "x2": F(1, 4), "x3": F(1, 4)},
...     {"x1": F(1, 10), "x2": F(3, 5), "x3": F(3, 10)},
... ])
>>> H.lower_probability({"x1", "x2"})
Fraction(7, 10)
>>> posterior = H.update({"x1", "x2"}, 0)
>>> posterior.lower_probability({"x1"}), posterior.is_normalized()
(Fraction(1, 7), True)
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from infrabayes import learning, problems, sequential
from infrabayes.infradistribution import Infradistribution
from infrabayes.limits import SizeLimitError
from infrabayes.measures import AMeasure, SAMeasure
from infrabayes.nirvana import NIRVANA
from infrabayes.operations import mixture, union
from infrabayes.update import NullUpdateError

try:
    __version__ = _version("knightian")
except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
    __version__ = "0+unknown"

#: Sentinel that tells our package apart from a namesake on PyPI.
__distribution__ = "knightian"

__all__ = [
    "NIRVANA",
    "AMeasure",
    "Infradistribution",
    "NullUpdateError",
    "SAMeasure",
    "SizeLimitError",
    "learning",
    "mixture",
    "problems",
    "sequential",
    "union",
]
