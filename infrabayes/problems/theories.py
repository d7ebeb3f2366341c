r"""What each decision theory maximises, on a problem tree. The exact definitions implemented.

Definitions
-----------
Write :math:`U` for the utility, :math:`\Pi` for the deterministic policies and :math:`e(\pi)`
for the true problem in which every predictor reads :math:`\pi` (and correlates take their base
rates).

**IB** (infra-Bayesian maximin; Diffractor & Kosoy 2020). Choose
:math:`\arg\max_\pi E_{\Theta(\pi)}(U)` for the causal (Nirvana-trick) or acausal hypothesis
:math:`\Theta` of :mod:`infrabayes.problems.hypotheses`; Murphy's choice (the prediction) is part
of the answer.

**UDT** (policy selection, as in Wei Dai's UDT 1.1; FDT evaluated over policies, Yudkowsky &
Soares 2018, arXiv:1710.05060, section 5 and its footnote on policies). Choose
:math:`\arg\max_\pi E_{e(\pi) \cdot \pi}(U)`: predictors compute the policy, so choosing the
policy chooses the prediction; correlates do not depend on it. This equals IB with the acausal
hypothesis, which has one generator.

**CDT** and **EDT** decide at each information set, as in Yudkowsky & Soares (2018), section 5:
:math:`\mathrm{EDT}(x) = \arg\max_a E[U \mid \mathrm{OBS} = x, \mathrm{ACT} = a]` and
:math:`\mathrm{CDT}(x) = \arg\max_a E[U \mid \mathrm{do}(\mathrm{ACT} = a), \mathrm{OBS} = x]`.
On a tree we read them as follows. The agent believes it follows a policy :math:`\sigma` (its
behaviour at the other information sets, and what it expects of itself). At information set
:math:`I`, the value of action :math:`a` is the expected utility conditional on reaching
:math:`I`, with the act at :math:`I` set to :math:`a` and

* **EDT**: every predictor and correlate that reads :math:`I` reads :math:`a` (the act is evidence
  about what was predicted, and about the lesion);
* **CDT**: they read :math:`\sigma(I)` (the intervention changes the act, not the prediction,
  which stays at the agent's belief about itself);

elsewhere they read :math:`\sigma`. A policy is **chosen** by CDT (EDT) when it is *ratifiable*:
at every information set its action has the highest CDT (EDT) value given :math:`\sigma` itself
(Jeffrey's ratifiability; it makes "the prediction held fixed" well defined when the prediction
depends on what the agent will do). There may be several chosen policies, or none: CDT in Death in
Damascus has no stable choice ("unstable"; Yudkowsky & Soares 2018, section 6); over behavioural
policies it randomises 50/50 (``solve("cdt", mixed=True)``, :mod:`infrabayes.problems.mixed`).

**Zero-probability observations.** Conditioning on an information set that :math:`\sigma` reaches
with probability 0 (a perfect predictor's town when you refuse) uses the limit of trembles: every
zero-probability predictor error and every action other than :math:`\sigma`'s at the other
information sets gets probability :math:`t / (n - 1)`, and the conditional expectation is its
limit as :math:`t \to 0` (keep the paths of the lowest order in :math:`t`). Chance branches of
probability 0 stay impossible; where nothing reaches :math:`I` the value is undefined (``None``)
and :math:`I` places no constraint.

References: E. Yudkowsky and N. Soares, "Functional Decision Theory: A New Theory of Instrumental
Rationality", arXiv:1710.05060 (2018); R. Jeffrey, *The Logic of Decision* (1983), on
ratifiability; Diffractor, "Belief Functions and Decision Theory" (2020).

Examples
--------
Death in Damascus: believing it stays, CDT finds fleeing better, and the other way round, so no
policy is ratifiable; EDT reads Death's prediction from its own act and dies either way:

>>> from infrabayes.problems import death_in_damascus
>>> cdt = death_in_damascus().solve("cdt")
>>> cdt.action_values_of("stay")
{'warned': {'stay': Fraction(0, 1), 'flee': Fraction(1, 1)}}
>>> cdt.action_values_of("flee")
{'warned': {'stay': Fraction(1, 1), 'flee': Fraction(0, 1)}}
>>> cdt.optimal, cdt.status
((), 'no ratifiable policy')
>>> death_in_damascus().solve("edt").action_values_of("stay")
{'warned': {'stay': Fraction(0, 1), 'flee': Fraction(0, 1)}}
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._numbers import Number, read_only
from infrabayes._table import did_you_mean
from infrabayes.limits import Progress
from infrabayes.problems._compiled import Compiled, Leaf
from infrabayes.problems.hypotheses import TIE_TOLERANCE, check_python_size, leaf_work

__all__ = ["THEORIES", "check_theory", "local_values", "optimal_rows", "ratifiable_rows"]

#: The theories :meth:`Problem.solve` knows.
THEORIES = ("ib", "udt", "cdt", "edt")


def check_theory(theory: Any) -> str:
    """Return `theory` in lower case if known (``"IB"`` is ``"ib"``); else raise a ValueError.

    The error lists the theories and suggests the closest.

    Examples
    --------
    >>> check_theory("IB")
    'ib'
    >>> check_theory("utd")
    Traceback (most recent call last):
    ...
    ValueError: theory must be one of 'ib', 'udt', 'cdt', 'edt'; got 'utd' (did you mean 'udt'?)
    """
    key = theory.lower() if isinstance(theory, str) else theory
    if key not in THEORIES:
        raise ValueError(
            f"theory must be one of {', '.join(map(repr, THEORIES))}; got {theory!r}"
            f"{did_you_mean(theory, THEORIES)}"
        )
    return str(key)


def optimal_rows(values: np.ndarray, exact: bool) -> np.ndarray:
    """Return the indices of the largest values (exact ties, or within TIE_TOLERANCE for floats).

    The float tolerance is relative to the best value (see ``hypotheses.TIE_TOLERANCE``).
    """
    best = values.max()
    if exact:
        return np.flatnonzero(values == best)
    return np.flatnonzero(values >= best - TIE_TOLERANCE * abs(float(best)))


def _conditional(
    c: Compiled, leaves: list[Leaf], infoset: int, action: int, reading: dict[int, int], edt: bool
) -> Number | None:
    """Return the tremble-limit of E[U | reach `infoset`, act `action`] under the reading policy."""
    best_order = math.inf
    num: Any = c.zero()
    den: Any = c.zero()
    for leaf in leaves:
        if leaf.chance == 0:
            continue
        order = 0
        coef: Any = leaf.chance
        for j, b in leaf.decisions:
            if j == infoset:
                continue
            if reading[j] != b:  # the agent trembles away from its policy
                order += 1
                coef = coef / (len(c.actions[j]) - 1)
        for r in leaf.reads:
            read = action if (edt and r.infoset == infoset) else reading[r.infoset]
            right = r.branch == read
            prob = r.right if right else r.wrong
            if prob == 0:  # an impossible prediction error (or success): an infinitesimal
                order += 1
                coef = coef if right else coef / (r.n - 1)
            else:
                coef = coef * prob
        if order < best_order:
            best_order, num, den = order, c.zero(), c.zero()
        if order == best_order:
            num = num + coef * c.utilities[leaf.outcome]
            den = den + coef
    if best_order == math.inf:
        return None
    value = num / den
    return value if isinstance(value, Fraction) else float(value)


def local_values(c: Compiled, theory: str, progress: Progress | None = None) -> np.ndarray:
    """Return the CDT or EDT value of every action at every information set, for every policy.

    Returns
    -------
    ndarray of object, shape (policies, infosets, max actions)
        ``out[s, i, a]`` is the value of action ``a`` at information set ``i`` when the agent
        believes it follows policy row ``s``; ``None`` where undefined (the information set cannot
        be reached) or where ``i`` has fewer actions. Read-only.

    Notes
    -----
    The value depends on the policy only through its actions at the information sets met on
    the paths through ``i``; it is computed once per distinct combination of those (a
    *belief*), by a loop in Python over the leaves: refused beyond
    :data:`~infrabayes.limits.MAX_PYTHON_OPERATIONS`. `progress` is called as
    ``progress(beliefs done, beliefs)``.
    """
    if theory not in ("cdt", "edt"):
        raise ValueError(f"local values are defined for 'cdt' and 'edt'; got {theory!r}")
    edt = theory == "edt"
    n_pol = c.policies.shape[0]
    width = max((len(a) for a in c.actions), default=0)
    out = np.full((n_pol, len(c.infosets), width), None, dtype=object)
    plan = []
    for i, acts in enumerate(c.actions):
        for k in range(len(acts)):
            leaves = [leaf for leaf in c.leaves if (i, k) in leaf.decisions]
            relevant = sorted(
                {j for leaf in leaves for j, _ in leaf.decisions if j != i}
                | {r.infoset for leaf in leaves for r in leaf.reads if not (edt and r.infoset == i)}
            )
            # c.policies is the full product, so the distinct beliefs are all the combinations
            beliefs = math.prod(len(c.actions[j]) for j in relevant)
            plan.append((i, k, leaves, relevant, beliefs))
    total = sum(beliefs for *_, beliefs in plan)
    check_python_size(
        sum(beliefs * sum(leaf_work(leaf) for leaf in leaves) for _, _, leaves, _, beliefs in plan),
        f"{theory.upper()} evaluates {total} beliefs (policies restricted to the information sets "
        "that matter) over their leaves one at a time",
        "; UDT and IB value all policies by matrix products: solve('udt') or solve('ib')",
    )
    done = 0
    for i, k, leaves, relevant, _ in plan:
        keys, inverse = np.unique(c.policies[:, relevant], axis=0, return_inverse=True)
        values = []
        for key in keys:
            reading = dict(zip(relevant, (int(v) for v in key), strict=True))
            values.append(_conditional(c, leaves, i, k, reading, edt))
        column = np.empty(len(values), dtype=object)
        column[:] = values
        out[:, i, k] = column[np.asarray(inverse).reshape(-1)]
        done += len(keys)
        if progress is not None:
            progress(done, total)
    return read_only(out)


def ratifiable_rows(c: Compiled, values: np.ndarray) -> np.ndarray:
    """Return the policy rows whose action is a best reply at every reachable information set.

    Vectorised over the policies; in float64 an action is a best reply within TIE_TOLERANCE of
    the best value, relative to it.
    """
    n_pol = c.policies.shape[0]
    ok = np.ones(n_pol, dtype=bool)
    rows = np.arange(n_pol)
    is_none = np.frompyfunc(lambda v: v is None, 1, 1)
    for i in range(len(c.infosets)):
        column = values[:, i, :]
        undefined = is_none(column).astype(bool)
        own = values[rows, i, c.policies[:, i]]
        reached = ~is_none(own).astype(bool)
        if not reached.any():
            continue
        best = np.where(undefined, -math.inf, column)[reached].max(axis=1)
        mine = own[reached]
        if c.exact:
            good = np.array([a == b for a, b in zip(mine, best, strict=True)], dtype=bool)
        else:
            mine, best = mine.astype(np.float64), best.astype(np.float64)
            good = mine >= best - TIE_TOLERANCE * np.abs(best)
        ok[np.flatnonzero(reached)[~good]] = False
    return np.flatnonzero(ok).astype(np.int64)
