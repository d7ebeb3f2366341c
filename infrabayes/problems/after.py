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

**Imperfect recall.** An information set with two decision nodes on one path (the
absent-minded driver, :mod:`~infrabayes.problems.recall`) cannot be the one re-decided at: the
agent observing it does not know which node it is at (the event "after :math:`I`" is every path
through its first node), and the continuation :math:`\pi^*[I \mapsto a]` would change the act
at the earlier nodes of the same path as well, undoing what the observation says has happened.
``after(...).solve()`` refuses it (a ValueError); the answers "at the node" are those of
``solve(theory, mixed=True)`` (:mod:`~infrabayes.problems.mixed`). Such a set may still be
observed *before* another one (``p.after("I").after("J")``): passing it is an event.

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
from collections.abc import Iterable, Sequence
from types import MappingProxyType
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from infrabayes._numbers import Number, py_scalar
from infrabayes._table import did_you_mean
from infrabayes._update import is_null
from infrabayes.infradistribution import Infradistribution
from infrabayes.limits import Progress, check_progress
from infrabayes.nirvana import check_nirvana
from infrabayes.problems import hypotheses as hyp
from infrabayes.problems._view import ProblemView
from infrabayes.problems.results import Redecision
from infrabayes.problems.theories import check_theory, optimal_rows

__all__ = ["Observation", "observe", "redecide"]

# The type of the problem observed (stored and given back, never read).
P = TypeVar("P")


class Observation(Generic[P]):
    """A problem seen after observing an information set; ``.solve()`` re-decides there.

    Made by :meth:`Problem.after <infrabayes.problems.Problem.after>`.

    Parameters
    ----------
    problem : Problem
    infoset : str
        The observed information set.
    view : ProblemView
        What re-deciding reads of the problem (see :mod:`infrabayes.problems._view`); the
        problem passes its own.
    """

    __slots__ = ("_earlier", "_event", "_infoset", "_problem", "_view")

    def __init__(
        self, problem: P, infoset: str, view: ProblemView, earlier: Sequence[str] = ()
    ) -> None:
        earlier = tuple(earlier)
        for name in (*earlier, infoset):
            if name not in view.compiled.infosets:
                raise ValueError(
                    f"{name!r} is not an information set of {view.name}"
                    f"{did_you_mean(name, view.compiled.infosets)}; they are "
                    f"{list(view.compiled.infosets)}"
                )
        if len(set(earlier) | {infoset}) != len(earlier) + 1:
            raise ValueError(f"{infoset!r} is observed twice: after {list(earlier)}")
        if earlier:
            last = _last(view, (*earlier, infoset))
            if last != infoset:
                raise ValueError(
                    f"{infoset!r} comes before {last!r} on the paths through "
                    f"{[*earlier, infoset]}, so it cannot be observed after it; chain the "
                    "observations in the order the agent meets them"
                )
        self._problem = problem
        self._infoset = infoset
        self._earlier = earlier
        self._view = view
        self._event = _event(view, (*earlier, infoset))

    @property
    def problem(self) -> P:
        """The problem."""
        return self._problem

    @property
    def infoset(self) -> str:
        """The observed information set."""
        return self._infoset

    @property
    def observed(self) -> tuple[str, ...]:
        """Every information set observed, in the order met (the last is :attr:`infoset`)."""
        return (*self._earlier, self._infoset)

    @property
    def event(self) -> frozenset[str]:
        """The outcomes after every observed information set (the observation as an event)."""
        return self._event

    def after(self, infoset: str) -> Observation[P]:
        """Return the problem seen after observing `infoset` too, later on the same paths.

        ``problem.after("a").after("b")`` re-decides at ``"b"`` knowing that ``"a"`` was
        passed: the event is the outcomes after both. Updating twice is updating once on the
        intersection: Bayes' rule composes, and so does the IB update with the off-branch
        utility :math:`U` (its normalisation is affine and the composition of the two is the
        normalisation on the intersection).
        """
        return Observation(self._problem, infoset, self._view, self.observed)

    def solve(
        self,
        theory: str = "ib",
        nirvana: float = math.inf,
        encoding: str = "causal",
        *,
        policy: Any = None,
        progress: Progress | None = None,
    ) -> Redecision[P]:
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
        progress : callable, optional
            Called as ``progress(done, total)``: first for the policies valued ex ante (unless
            the problem has them already), then for the continuations re-decided.

        Raises
        ------
        ValueError
            The information set has two decision nodes on one path (imperfect recall: see the
            module docstring).
        SizeLimitError
            A ``ValueError``: the ex-ante values exceed a limit (as in :meth:`Problem.solve`),
            or naive conditioning would exceed :data:`~infrabayes.limits.MAX_PYTHON_OPERATIONS`.
        """
        _check_recall(self._view, self._infoset)
        return _redecide(
            self._problem,
            self._view,
            self._infoset,
            self._event,
            theory=theory,
            nirvana=nirvana,
            encoding=encoding,
            policy=policy,
            progress=check_progress(progress),
            earlier=self._earlier,
        )

    def __repr__(self) -> str:
        seen = " then ".join(map(repr, self.observed))
        where = f"at {self._infoset!r}" if self._earlier else "there"
        return (
            f"{self._view.name} after observing {seen} (outcomes "
            f"{sorted(self._event)}); .solve() re-decides {where}"
        )


def observe(problem: P, infosets: str | Iterable[str], view: ProblemView) -> Observation[P]:
    """Return the :class:`Observation` of one information set or of a set of them.

    A set of information sets is observed together (the event is the outcomes after all of
    them); the agent re-decides at the one it meets last, which must be the same on every path
    through all of them (else a ValueError: chain ``after`` calls to say the order).
    """
    if isinstance(infosets, str):
        return Observation(problem, infosets, view)
    if not isinstance(infosets, Iterable):
        raise TypeError(f"after() takes an information set or a set of them; got {infosets!r}")
    names = list(dict.fromkeys(infosets))
    if not names or not all(isinstance(n, str) for n in names):
        raise TypeError(
            f"after() takes an information set or a nonempty set of them; got {infosets!r}"
        )
    c = view.compiled
    for name in names:
        if name not in c.infosets:
            raise ValueError(
                f"{name!r} is not an information set of {view.name}; they are {list(c.infosets)}"
            )
    last = _last(view, names)
    earlier = sorted((n for n in names if n != last), key=c.infosets.index)
    return Observation(problem, last, view, earlier)


def _check_recall(view: ProblemView, infoset: str) -> None:
    r"""Refuse to re-decide at an information set with two decision nodes on one path.

    Observing such a set does not tell the agent which of its nodes it is at, and the
    continuation :math:`\pi^*[I \mapsto a]` would change the act at the earlier nodes of the
    same path too: it is not a decision made after the observation (module docstring).
    """
    c = view.compiled
    if not c.absent_minded:
        return
    i = c.infosets.index(infoset)
    for leaf in (*c.leaves, *c.deviations):
        nodes = sum(1 for j, _ in leaf.decisions if j == i)
        nodes += leaf.deviation is not None and leaf.deviation[0] == i
        if nodes > 1:
            raise ValueError(
                f"{infoset!r} has {nodes} decision nodes on one path of {view.name} (imperfect "
                "recall), so re-deciding after observing it is not defined: the observation does "
                "not say which node the agent is at, and acting differently there would change "
                "its act at the earlier nodes of the same path too. Use solve(theory, "
                "mixed=True): CDT and EDT decide at the node with the consistent belief, UDT and "
                "IB plan"
            )


def _last(view: ProblemView, names: Sequence[str]) -> str:
    """Return the information set met last on every path through all of `names`."""
    c = view.compiled
    index = [c.infosets.index(n) for n in names]
    lasts = set()
    for leaf in c.leaves + c.deviations:
        steps = [i for i, _ in leaf.decisions]
        if leaf.deviation is not None:
            steps.append(leaf.deviation[0])
        if all(i in steps for i in index):
            lasts.add(max(index, key=steps.index))
    if not lasts:
        raise ValueError(
            f"no path of {view.name} passes all of {list(names)}, so they are never observed "
            "together"
        )
    if len(lasts) > 1:
        raise ValueError(
            f"the information sets {list(names)} of {view.name} are met in different orders on "
            f"different paths (last: {sorted(c.infosets[i] for i in lasts)}); chain after() calls "
            "to say where to re-decide"
        )
    return c.infosets[lasts.pop()]


def _event(view: ProblemView, infosets: Sequence[str]) -> frozenset[str]:
    c = view.compiled
    index = [c.infosets.index(n) for n in infosets]
    after: dict[int, set[bool]] = {}
    for leaf in c.leaves:
        after.setdefault(leaf.outcome, set()).add(all(leaf.passes(i) for i in index))
    mixed = [c.outcomes[x] for x, sides in after.items() if len(sides) > 1]
    if mixed:
        where = " and ".join(map(repr, infosets))
        raise ValueError(
            f"outcome(s) {mixed} of {view.name} are reached both after {where} and "
            "elsewhere, so observing it is not an event on outcomes; give those leaves distinct "
            "names"
        )
    return frozenset(c.outcomes[x] for x, sides in after.items() if True in sides)


def _best(values: list[Number | None], exact: bool) -> list[int]:
    """Return the indices of the best defined values (ties as in ``theories.optimal_rows``)."""
    defined = [k for k, v in enumerate(values) if v is not None]
    if not defined:
        return []
    array = np.empty(len(defined), dtype=object if exact else np.float64)
    array[:] = [values[k] for k in defined]
    return [defined[int(k)] for k in optimal_rows(array, exact)]


class _Observable(Protocol[P]):
    def after(self, infoset: str) -> Observation[P]: ...


def redecide(
    problem: _Observable[P],
    infoset: str,
    *,
    theory: str = "ib",
    nirvana: float = math.inf,
    encoding: str = "causal",
    policy: Any = None,
    progress: Progress | None = None,
) -> Redecision[P]:
    """Re-decide at `infoset`: ``problem.after(infoset).solve(...)``; a :class:`Redecision`."""
    return problem.after(infoset).solve(theory, nirvana, encoding, policy=policy, progress=progress)


def _redecide(
    problem: P,
    view: ProblemView,
    infoset: str,
    event: frozenset[str],
    *,
    theory: str,
    nirvana: float,
    encoding: str,
    policy: Any,
    progress: Progress | None,
    earlier: tuple[str, ...] = (),
) -> Redecision[P]:
    """Re-decide at `infoset`, whose outcomes are `event` (see the module docstring).

    `earlier` are the information sets observed before it (`event` is after all of them).
    """
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
    c, t = view.compiled, view.tables()
    ib_values, _ = view.ib_values(encoding, nirvana, progress)
    ex_ante = tuple(view.policies[int(s)] for s in optimal_rows(ib_values, c.exact))
    start = ex_ante[0] if policy is None else view.policy(policy)
    i = c.infosets.index(infoset)
    actions = c.actions[i]
    utility = dict(zip(c.outcomes, c.utilities, strict=True))
    prior, raw_values, e0s, e1s, raws, naive = [], [], [], [], [], []
    for done, a in enumerate(actions, start=1):
        row = view.row(start.replace(infoset, a))
        h = hyp.hypothesis(c, t, row, encoding, nirvana)
        prior.append(h.expect(utility))
        free = h.nirvana_free() if encoding == "causal" else h
        raw = free.raw_update(set(event), utility)
        raws.append(raw)
        raw_values.append(raw.expect(utility))
        e0s.append(raw.expect(0))
        e1s.append(raw.expect(1))
        observed = [c.infosets.index(n) for n in earlier] + [i]
        per_env = hyp.naive_values(c, t, row, observed, encoding, nirvana)
        defined = [v for v in per_env if v is not None]
        naive.append(min(defined) if defined else None)
        if progress is not None:
            progress(done, len(actions))
    e0, e1 = min(e0s), max(e1s)
    p = e1 - e0
    null = is_null(p, e1)
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
    updated_choice = tuple(actions[k] for k in _best(updated, c.exact)) if not null else ()
    naive_choice = tuple(actions[k] for k in _best(naive, c.exact))
    return Redecision(
        problem=problem,
        _view=view,
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
        probability=None if null else py_scalar(p),
        updated_values=tuple(updated),
        naive_values=tuple(naive),
        updated_choice=updated_choice,
        naive_choice=naive_choice,
        _posteriors=None if posteriors is None else MappingProxyType(posteriors),
        earlier=earlier,
    )
