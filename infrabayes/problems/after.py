r"""Re-deciding after an observation: the IB update (dynamically consistent) vs naive conditioning.

Definitions
-----------
The agent has committed ex ante to a policy :math:`\pi^*` and now observes that it is at the
information set :math:`I`: the event :math:`L` is the set of outcomes after :math:`I` (each outcome
must lie wholly after :math:`I` or wholly off it). It may pick any action :math:`a` there, keeping
:math:`\pi^*` elsewhere: continuation :math:`\pi_a = \pi^*[I \mapsto a]`, with hypothesis
:math:`\Theta_a = \Theta(\pi_a)` (made Nirvana-free first, see :mod:`infrabayes.nirvana`).

**The IB update** (Diffractor & Kosoy, "Basic Inframeasure Theory", and "Belief Functions and
Decision Theory", 2020) keeps what the policy gets off the branch: the off-branch utility
:math:`g` is :math:`U` on the outcomes off :math:`L` (the outcomes :math:`\pi^*`'s behaviour
elsewhere produces). Each continuation's raw update :math:`\Theta_a \mapsto \{(L m, b + m((1 - L)
g))\}` has the value :math:`E_{\Theta_a}(U \star_L g)`, which is just :math:`E_{\Theta_a}(U)`: the
updated agent ranks continuations exactly as the prior ranks the policies :math:`\pi_a`, so it keeps
the ex-ante choice (**dynamic consistency**). The updated belief function is normalised as a whole,
with constants shared by all continuations,

.. math:: E_0 = \min_a E_{\Theta_a}(0 \star_L g), \quad P = \max_a E_{\Theta_a}(1 \star_L g) - E_0,

and continuation :math:`a` gets :math:`(E_{\Theta_a}(U \star_L g) - E_0) / P`. (Normalising each
:math:`\Theta_a` by its own :math:`P`, as ``H.update`` does for one infradistribution, rescales the
continuations differently and can reverse the ranking: counterfactual mugging refuses that way.)
:math:`P = 0` means Murphy can make the observation irrelevant: the update is undefined.

**Naive conditioning** forgets the off-branch part: each Nirvana-free environment is conditioned on
reaching :math:`I` by Bayes' rule (environments giving it probability 0 are ruled out) and Murphy
minimises over the rest. In Parfit's Hitchhiker with a noisy driver it pays nothing once in town,
and in counterfactual mugging it refuses after tails: it changes the ex-ante decision.

Examples
--------
>>> from infrabayes.problems import counterfactual_mugging
>>> r = counterfactual_mugging().after("tails").solve()
>>> [str(v) for v in r.raw_values + r.updated_values + r.naive_values]
['1/2', '1/101', '100/201', '1/201', '0', '1/101']
>>> r.updated_choice, r.naive_choice
(('pay',), ('refuse',))
"""

from __future__ import annotations

import math
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from infrabayes._numbers import Number
from infrabayes.infradistribution import Infradistribution
from infrabayes.nirvana import check_nirvana
from infrabayes.problems import hypotheses as hyp
from infrabayes.problems.results import Redecision
from infrabayes.problems.theories import check_theory
from infrabayes.update import NULL_PROBABILITY_TOLERANCE

if TYPE_CHECKING:
    from infrabayes.problems.problem import Problem

__all__ = ["Observation", "redecide"]


class Observation:
    """A problem seen after observing an information set; ``.solve()`` re-decides there.

    Parameters
    ----------
    problem : Problem
    infoset : str
        The observed information set.
    """

    __slots__ = ("_event", "_infoset", "_problem")

    def __init__(self, problem: Problem, infoset: str) -> None:
        if infoset not in problem.infosets:
            raise ValueError(
                f"{infoset!r} is not an information set of {problem.name}; they are "
                f"{list(problem.infosets)}"
            )
        self._problem = problem
        self._infoset = infoset
        self._event = _event(problem, infoset)

    @property
    def problem(self) -> Problem:
        """The problem."""
        return self._problem

    @property
    def infoset(self) -> str:
        """The observed information set."""
        return self._infoset

    @property
    def event(self) -> frozenset[str]:
        """The outcomes after the information set (the observation as an event)."""
        return self._event

    def solve(
        self,
        theory: str = "ib",
        nirvana: float = math.inf,
        encoding: str = "causal",
        *,
        policy: Any = None,
    ) -> Redecision:
        r"""Re-decide at the information set by the IB update and by naive conditioning.

        Parameters
        ----------
        theory : {"ib", "udt"}
            ``"udt"`` is IB with the acausal hypothesis (one environment: the true problem).
        nirvana, encoding
            IB's hypothesis, as in :meth:`Problem.solve`.
        policy : optional
            The ex-ante policy :math:`\pi^*` to continue; default: the first ex-ante optimal one
            under the same settings.
        """
        return redecide(
            self._problem,
            self._infoset,
            theory=theory,
            nirvana=nirvana,
            encoding=encoding,
            policy=policy,
        )

    def __repr__(self) -> str:
        return (
            f"{self._problem.name} after observing {self._infoset!r} (outcomes "
            f"{sorted(self._event)}); .solve() re-decides there"
        )


def _event(problem: Problem, infoset: str) -> frozenset[str]:
    c = problem._compiled
    i = c.infosets.index(infoset)
    after: dict[int, set[bool]] = {}
    for leaf in c.leaves:
        after.setdefault(leaf.outcome, set()).add(leaf.passes(i))
    mixed = [c.outcomes[x] for x, sides in after.items() if len(sides) > 1]
    if mixed:
        raise ValueError(
            f"outcome(s) {mixed} of {problem.name} are reached both after {infoset!r} and "
            "elsewhere, so observing it is not an event on outcomes; give those leaves distinct "
            "names"
        )
    return frozenset(c.outcomes[x] for x, sides in after.items() if True in sides)


def _best(values: list[Number | None], exact: bool) -> list[int]:
    defined = [v for v in values if v is not None]
    if not defined:
        return []
    top = max(defined)
    if exact:
        return [k for k, v in enumerate(values) if v is not None and v == top]
    tol = hyp.TIE_TOLERANCE * max(1.0, abs(float(top)))
    return [k for k, v in enumerate(values) if v is not None and v >= top - tol]


def redecide(
    problem: Problem,
    infoset: str,
    *,
    theory: str = "ib",
    nirvana: float = math.inf,
    encoding: str = "causal",
    policy: Any = None,
) -> Redecision:
    """Re-decide at `infoset` (see the module docstring); return a :class:`Redecision`."""
    theory = check_theory(theory)
    nirvana = check_nirvana(nirvana)
    encoding = hyp.check_encoding(encoding)
    if theory not in ("ib", "udt"):
        raise ValueError(
            f"after(...).solve re-decides by the IB update (theory 'ib', or 'udt' = IB with the "
            f"acausal hypothesis); {theory.upper()} already decides at each information set: see "
            f"problem.solve({theory!r}).action_values_of(policy)"
        )
    if theory == "udt":
        if nirvana != math.inf or encoding != "causal":
            raise ValueError(
                "theory='udt' reads the true problem; leave nirvana and encoding alone"
            )
        encoding = "acausal"
    event = Observation(problem, infoset).event
    ex_ante = problem.solve("ib", nirvana, encoding).optimal
    start = ex_ante[0] if policy is None else problem.policy(policy)
    actions = problem.actions[infoset]
    utility = dict(problem.utilities)
    c, t = problem._compiled, problem._tables()
    i = c.infosets.index(infoset)
    prior, raw_values, e0s, e1s, raws, naive = [], [], [], [], [], []
    for a in actions:
        h = problem.hypothesis(start.replace(infoset, a), encoding, nirvana)
        prior.append(h.expect(utility))
        free = h.nirvana_free() if encoding == "causal" else h
        raw = free.raw_update(set(event), utility)
        raws.append(raw)
        raw_values.append(raw.expect(utility))
        e0s.append(raw.expect(0))
        e1s.append(raw.expect(1))
        per_env = hyp.naive_values(
            c, t, problem._row(start.replace(infoset, a)), i, encoding, nirvana
        )
        defined = [v for v in per_env if v is not None]
        naive.append(min(defined) if defined else None)
    e0, e1 = min(e0s), max(e1s)
    p = e1 - e0
    null = p == 0 if problem.exact else p <= NULL_PROBABILITY_TOLERANCE * max(1.0, abs(float(e1)))
    posteriors = None
    updated: list[Number | None] = [None] * len(actions)
    if not null:
        posteriors = {}
        for k, (a, raw) in enumerate(zip(actions, raws, strict=True)):
            post = Infradistribution.from_arrays(
                raw.masses / p,
                # numpy's stubs type raw.b - e0 as maybe float64, which may not divide by a
                # Fraction; when p is a Fraction the arrays are exact (object) and numpy divides
                (raw.b - e0) / p,  # type: ignore[operator]
                outcomes=raw.outcomes,
                nirvana=raw.nirvana,
            )
            posteriors[a] = post
            updated[k] = post.expect(utility)
    updated_choice = tuple(actions[k] for k in _best(updated, problem.exact)) if not null else ()
    naive_choice = tuple(actions[k] for k in _best(naive, problem.exact))
    return Redecision(
        problem=problem,
        infoset=infoset,
        theory=theory,
        encoding=encoding,
        nirvana=nirvana,
        policy=start,
        ex_ante=ex_ante,
        actions=actions,
        event=event,
        prior_values=tuple(prior),
        raw_values=tuple(raw_values),
        probability=None if null else _scalar(p),
        updated_values=tuple(updated),
        naive_values=tuple(naive),
        updated_choice=updated_choice,
        naive_choice=naive_choice,
        _posteriors=None if posteriors is None else MappingProxyType(posteriors),
    )


def _scalar(x: Any) -> Number:
    return x if isinstance(x, Fraction) else float(np.float64(x))
