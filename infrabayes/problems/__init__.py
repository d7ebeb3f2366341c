r"""Newcomb-like decision problems in the REPL, solved by IB, UDT, CDT and EDT.

Definitions
-----------
A **decision problem** is a finite tree of chance nodes, decision nodes grouped in information
sets, predictors that read the agent's policy at a named information set (erring with probability
:math:`\varepsilon`), correlates (a common cause, as the lesion of the Smoking Lesion) and outcomes
with utilities in [0, 1] (:mod:`~infrabayes.problems.nodes`). A **policy** maps information sets
to actions; all deterministic policies are enumerated (:class:`Policy`).

Every policy gets an infra-Bayesian **hypothesis** (:mod:`~infrabayes.problems.hypotheses`):
the *causal* one by the Nirvana trick (one environment per hard-coded prediction, NIRVANA when the
agent visibly deviates from it) or the *acausal* one (the prediction is the actual policy).
:meth:`Problem.solve` applies a **theory** (:mod:`~infrabayes.problems.theories`): ``"ib"``
(maximin over the hypothesis), ``"udt"`` (policy selection in the true problem), ``"cdt"`` and
``"edt"`` (ratifiable decisions at each information set, the prediction held fixed or conditioned
on the act). :meth:`Problem.after` re-decides after an observation by the IB update and by naive
conditioning (:mod:`~infrabayes.problems.after`). ``solve(theory, mixed=True)`` works over
behavioural (randomised) policies and handles imperfect recall
(:mod:`~infrabayes.problems.mixed`; the absent-minded driver is in
:mod:`~infrabayes.problems.recall`). The library (:mod:`~infrabayes.problems.library`)
has Parfit's Hitchhiker, Newcomb, Transparent Newcomb, Counterfactual Mugging, XOR Blackmail, Death
in Damascus and the Smoking Lesion; :mod:`~infrabayes.problems.classics` adds the twin prisoner's
dilemma, the cosmic ray, Sleeping Beauty and the red and blue rooms, and
:func:`~infrabayes.problems.catalog.catalog` lists them all with their sources and the
literature's verdicts.

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes.problems import parfits_hitchhiker
>>> hitchhiker = parfits_hitchhiker(epsilon=F(1, 10))
>>> hitchhiker.compare()
Parfit's Hitchhiker: what each theory chooses
  theory                   chooses            value  expected utility
  IB, causal, nirvana=inf  pay           8991/10000        8991/10000
  IB, causal, nirvana=1    pay / refuse        1/10  8991/10000, 1/10
  IB, acausal              pay           8991/10000        8991/10000
  UDT                      pay           8991/10000        8991/10000
  CDT                      refuse                 -              1/10
  EDT                      refuse                 -              1/10
"""

from infrabayes.problems.after import Observation
from infrabayes.problems.catalog import Catalog, Entry, catalog
from infrabayes.problems.classics import (
    cosmic_ray,
    red_blue_rooms,
    sleeping_beauty,
    twin_prisoners_dilemma,
)
from infrabayes.problems.library import (
    counterfactual_mugging,
    death_in_damascus,
    newcomb,
    parfits_hitchhiker,
    smoking_lesion,
    transparent_newcomb,
    xor_blackmail,
)
from infrabayes.problems.mixed import Behaviour, MixedSolution
from infrabayes.problems.nodes import Chance, Correlate, Decision, Outcome, Predictor
from infrabayes.problems.policy import Policy
from infrabayes.problems.problem import Problem
from infrabayes.problems.recall import absent_minded_driver
from infrabayes.problems.results import Comparison, Redecision, Solution

__all__ = [
    "Behaviour",
    "Catalog",
    "Chance",
    "Comparison",
    "Correlate",
    "Decision",
    "Entry",
    "MixedSolution",
    "Observation",
    "Outcome",
    "Policy",
    "Predictor",
    "Problem",
    "Redecision",
    "Solution",
    "absent_minded_driver",
    "catalog",
    "cosmic_ray",
    "counterfactual_mugging",
    "death_in_damascus",
    "newcomb",
    "parfits_hitchhiker",
    "red_blue_rooms",
    "sleeping_beauty",
    "smoking_lesion",
    "transparent_newcomb",
    "twin_prisoners_dilemma",
    "xor_blackmail",
]
