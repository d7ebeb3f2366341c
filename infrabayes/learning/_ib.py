r"""The infra-Bayesian agent's computations on plain arrays: Murphy's values and the update.

The agent's belief is a mixture, with weights :math:`\zeta_k`, of hypotheses
(:mod:`~infrabayes.learning.hypotheses`); hypothesis :math:`k` is spanned by generators
:math:`g`, each an a-measure :math:`(\lambda_g \cdot R_g, b_g)` where :math:`R_g` is the
rectangular set of histories in which Murphy picks a law of the generator's set :math:`C_g`
every round. Initially :math:`\lambda_g = 1`, :math:`b_g = 0`.

**Value of a policy** (Murphy moves after the policy, once per hypothesis):

.. math::

   V(\pi) = \sum_k \zeta_k \min_{g \in k} \Big(\lambda_g \min_{e \in C_g} E_{e(\pi)}[r]
   + b_g\Big),

where :math:`E_{e(\pi)}[r]` is the expected reward of a round, or 0 if the law can send the
policy to an absorbing observation (a trap: the long-run average reward of the stationary policy
:math:`\pi` is then 0; :func:`~infrabayes.learning.outcomes.long_run_reward`), and a law that
reaches NIRVANA under :math:`\pi` is never Murphy's choice when NIRVANA is worth
:math:`+\infty`, and adds its NIRVANA probability when it is worth 1. The minimum is over *all*
generators and laws, at the policy: not the first generator, and not
:math:`\sum_a \pi(a) \min(\dots)` (which lets Murphy move after the action).

**Update** on a round (policy :math:`\pi`, action :math:`a`, observation :math:`o`) with
off-branch utility :math:`g \in \{0, 1\}` (what the agent would have had, had the round gone
otherwise): with :math:`w_g` the *upper* likelihood :math:`\max_{e \in C_g} P_e(o \mid \pi, a)`
over the laws Murphy may pick when :math:`g = 1` (the *lower*, :math:`\min`, when
:math:`g = 0`),

.. math::

   E^0_g = b_g + \lambda_g (1 - w_g) g, \qquad E^1_g = b_g + \lambda_g (w_g + (1 - w_g) g),

   P_k = \min_{g \in k} E^1_g - \min_{g \in k} E^0_g, \qquad
   \lambda_g \leftarrow \frac{\lambda_g w_g}{P_k}, \qquad
   b_g \leftarrow \frac{E^0_g - \min_{g' \in k} E^0_{g'}}{P_k}, \qquad
   \zeta_k \leftarrow \frac{\zeta_k P_k}{\sum_j \zeta_j P_j}.

This is the update :math:`E_{H|^g_L}(f) = (E_H(f \star_L g) - E_H(0 \star_L g)) / P^g_H(L)` of
:mod:`infrabayes.update` applied to each hypothesis (its glued value is
:math:`\lambda_g (w_g F + (1 - w_g) g) + b_g` for a continuation worth :math:`F \in [0, 1]`,
because Murphy picks the law of the round to minimise it), and the mixture update of the
infra-Bayes mixture theorem (:math:`\zeta_k \propto \zeta_k P_k`). The agent's own
randomisation :math:`\pi(a)` multiplies every likelihood and cancels. A hypothesis with
:math:`P_k = 0` (within ``NULL_PROBABILITY_TOLERANCE`` of :mod:`infrabayes.update` in float64)
gets weight 0; a generator whose every law reached NIRVANA (worth :math:`+\infty`) under the
played policy is dropped, as the core update drops such a-measures. If every hypothesis is
dropped, :class:`~infrabayes.update.NullUpdateError` is raised.

From the prior :math:`(1, 0)`, the updates keep :math:`\lambda_g + b_g = 1` when :math:`g = 1`
(then :math:`P_k = \max_g \lambda_g w_g`) and :math:`b_g = 0` when :math:`g = 0` (then
:math:`P_k = \min_g \lambda_g w_g`), and they are computed in that form: the general formula
subtracts nearly equal numbers, and in float64 its error grows tenfold with every unlikely
observation. With :math:`g = 1` the updates compose:
:math:`\lambda_g = L_g / \max_{g'} L_{g'}`, the likelihood ratio of the history to the best
generator of its hypothesis, and :math:`\zeta_k \propto \zeta_k^0 \max_g L_g`. A generator that
explains the history badly keeps value near 1, so Murphy stops using it: the hypothesis *learns*.
With :math:`g = 0`, :math:`b_g` stays 0 and :math:`\lambda_g = L_g / \min_{g'} L_{g'}`: Murphy
keeps the generator that explains the history *worst*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes.learning.hypotheses import Hypothesis
from infrabayes.learning.model import Game
from infrabayes.learning.outcomes import absorbing_form, nirvana_form, reward_form
from infrabayes.learning.simplex import TIE_TOLERANCE
from infrabayes.update import NULL_PROBABILITY_TOLERANCE, NullUpdateError

__all__ = ["State", "Tables", "choose", "compile_tables", "initial_state", "update", "values"]


@dataclass(frozen=True, eq=False)
class Tables:
    r"""Everything about the hypotheses and candidates that does not change while learning.

    ``murphy[g, c]`` is :math:`\min_{e \in C_g} E_{e(\pi_c)}[r]` (``inf`` if Murphy may pick no
    law there); ``likelihood[e, c, a, o]`` is :math:`P_e(o \mid \pi_c, a)`; ``allowed[e, c]``
    says whether Murphy may pick law ``e`` under candidate ``c``; ``members[g]`` lists the law
    indices of generator ``g`` (padded with ``-1``). ``weight[c, a, o, g]`` is the generator's
    likelihood :math:`w_g` of the update (upper or lower, over the laws Murphy may pick) and
    ``empty[c, g]`` says that he may pick none.
    """

    game: Game
    hypothesis_names: tuple[str, ...]
    generator_names: tuple[str, ...]
    hypothesis_of: np.ndarray
    starts: np.ndarray
    candidates: np.ndarray
    murphy: np.ndarray
    allowed: np.ndarray
    likelihood: np.ndarray
    members: np.ndarray
    weight: np.ndarray
    empty: np.ndarray
    any_empty: tuple[bool, ...]
    exact: bool
    off_branch: int
    nirvana: float
    finite: bool


@dataclass(frozen=True, eq=False)
class State:
    """The agent's belief: hypothesis weights and each generator's a-measure ``(scale, offset)``.

    ``regular`` records that every generator is alive and every weight positive (the common case,
    computed without masks).
    """

    weights: np.ndarray
    scale: np.ndarray
    offset: np.ndarray
    alive: np.ndarray
    regular: bool = False

    @classmethod
    def of(cls, weights: np.ndarray, scale: np.ndarray, offset: np.ndarray, alive: Any) -> State:
        """Return a state, with ``regular`` computed."""
        regular = bool(alive.all() and (weights > 0).all())
        return cls(weights, scale, offset, alive, regular)


def _zero(exact: bool) -> Any:
    return Fraction(0) if exact else 0.0


def compile_tables(
    hypotheses: tuple[Hypothesis, ...],
    candidates: np.ndarray,
    *,
    exact: bool,
    off_branch: int,
    nirvana: float,
) -> Tables:
    """Return the :class:`Tables` of checked hypotheses over one game, for the candidates."""
    game = hypotheses[0].game
    laws = [law for h in hypotheses for gen in h.generators for law in gen]
    sizes = [len(gen) for h in hypotheses for gen in h.generators]
    n_g, n_e, n_c = len(sizes), len(laws), candidates.shape[0]
    dtype: Any = object if exact else np.float64
    cands = candidates if exact else np.asarray(candidates, dtype=np.float64)
    n_a, n_o = len(game.actions), len(game.observations)
    value = np.empty((n_e, n_c), dtype=dtype)
    allowed = np.empty((n_e, n_c), dtype=bool)
    likelihood = np.empty((n_e, n_c, n_a, n_o), dtype=dtype)
    for e, law in enumerate(laws):
        q, n, t = reward_form(law, game), nirvana_form(law), absorbing_form(law, game)
        m, k = law.predictor, law.emission
        if not exact:
            q, n, t, m, k = (np.asarray(x, dtype=np.float64) for x in (q, n, t, m, k))
        v = np.einsum("ca,ab,cb->c", cands, q, cands)
        trapped = np.einsum("ca,ab,cb->c", cands, t, cands) > 0
        v = np.where(trapped, 0 * v, v)  # absorbed eventually: a long-run average of 0
        z = np.einsum("ca,ab,cb->c", cands, n, cands)
        allowed[e] = True if nirvana == 1 else np.array([zi == 0 for zi in z], dtype=bool)
        value[e] = v + z if nirvana == 1 else v
        likelihood[e] = np.einsum("cd,dao->cao", cands @ m, k[:, :, :-1])
    width = max(sizes)
    members = np.full((n_g, width), -1, dtype=np.int64)
    murphy = np.empty((n_g, n_c), dtype=dtype)
    start = 0
    for g, size in enumerate(sizes):
        idx = np.arange(start, start + size)
        members[g, :size] = idx
        for c in range(n_c):
            ok = [value[e, c] for e in idx if allowed[e, c]]
            murphy[g, c] = min(ok) if ok else math.inf
        start += size
    hypothesis_of = np.array(
        [k for k, h in enumerate(hypotheses) for _ in h.generators], dtype=np.int64
    )
    starts = np.searchsorted(hypothesis_of, np.arange(len(hypotheses)))
    gen_names = tuple(
        " / ".join(law.name or "law" for law in gen) for h in hypotheses for gen in h.generators
    )
    weight, empty = _generator_weights(likelihood, allowed, members, off_branch, exact)
    for arr in (murphy, allowed, likelihood, members, hypothesis_of, starts, weight, empty):
        arr.flags.writeable = False
    return Tables(
        game=game,
        hypothesis_names=tuple(h.name for h in hypotheses),
        generator_names=gen_names,
        hypothesis_of=hypothesis_of,
        starts=starts,
        candidates=candidates,
        murphy=murphy,
        allowed=allowed,
        likelihood=likelihood,
        members=members,
        weight=weight,
        empty=empty,
        any_empty=tuple(bool(row.any()) for row in empty),
        exact=exact,
        off_branch=off_branch,
        nirvana=nirvana,
        finite=bool(all(v != math.inf for v in murphy.ravel())),
    )


def _generator_weights(
    likelihood: np.ndarray, allowed: np.ndarray, members: np.ndarray, ob: int, exact: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``weight[c, a, o, g]`` (upper or lower likelihood) and ``empty[c, g]``."""
    pad = members < 0
    safe = np.where(pad, 0, members)  # (G, S)
    lik = likelihood[safe]  # (G, S, C, A, O)
    ok = allowed[safe] & ~pad[:, :, None]  # (G, S, C)
    ok5 = ok[:, :, :, None, None]
    # The upper likelihood over the laws Murphy may pick (g = 1), or the lower one (g = 0).
    w = np.where(ok5, lik, -1).max(axis=1) if ob == 1 else np.where(ok5, lik, 2).min(axis=1)
    empty = np.asarray(~ok.any(axis=1))  # (G, C)
    w = np.where(empty[:, :, None, None], _zero(exact), w)
    return np.ascontiguousarray(np.moveaxis(w, 0, -1)), np.ascontiguousarray(empty.T)


def initial_state(tables: Tables, prior: np.ndarray) -> State:
    """Return the prior belief: the given weights, every generator ``(1, 0)`` and alive."""
    n_g = tables.murphy.shape[0]
    one, zero = (Fraction(1), Fraction(0)) if tables.exact else (1.0, 0.0)
    dtype: Any = object if tables.exact else np.float64
    return State.of(
        np.array(list(prior), dtype=dtype),
        np.array([one] * n_g, dtype=dtype),
        np.array([zero] * n_g, dtype=dtype),
        np.ones(n_g, dtype=bool),
    )


def generator_values(tables: Tables, state: State) -> np.ndarray:
    r"""Return ``(G, C)``: each generator's value :math:`\lambda_g m_g(\pi) + b_g` (inf if gone)."""
    lam = state.scale[:, None]
    if tables.finite:
        out = state.offset[:, None] + lam * tables.murphy
    else:  # a generator of scale 0 is worth its offset even where Murphy has no law to pick
        m = np.where(lam > 0, tables.murphy, _zero(tables.exact))
        out = state.offset[:, None] + lam * m
    if not state.regular and not state.alive.all():
        out[~state.alive] = math.inf
    return out


def hypothesis_values(tables: Tables, state: State) -> np.ndarray:
    """Return ``(H, C)``: each hypothesis's value (Murphy's minimum over its generators)."""
    return np.minimum.reduceat(generator_values(tables, state), tables.starts, axis=0)


def values(tables: Tables, state: State) -> np.ndarray:
    r"""Return ``(C,)``: :math:`V(\pi_c) = \sum_k \zeta_k V_k(\pi_c)` over weights above 0."""
    hv = hypothesis_values(tables, state)
    if state.regular and tables.finite:
        return state.weights @ hv
    live = state.weights > 0
    return (state.weights[live, None] * hv[live]).sum(axis=0)


def choose(total: np.ndarray, exact: bool) -> int:
    """Return the first candidate of largest value (floats: ties within ``TIE_TOLERANCE``)."""
    best = total.max()
    if exact or best == math.inf:
        return int(np.argmax(total == best))
    tol = TIE_TOLERANCE * max(1.0, abs(float(best)))
    return int(np.argmax(total >= best - tol))


def update(tables: Tables, state: State, candidate: int, action: int, observation: int) -> State:
    """Return the belief after playing candidate `candidate`, action `action`, seeing `observation`.

    See the module docstring. Raises :class:`~infrabayes.update.NullUpdateError` when every
    hypothesis gives the round probability 0.
    """
    exact = tables.exact
    ob = tables.off_branch
    w = tables.weight[candidate, action, observation]
    empty = tables.empty[candidate]
    zero = _zero(exact)
    if not exact and ob == 1 and state.regular and not tables.any_empty[candidate]:
        # The common case, vectorised: every generator alive, every weight to update.
        u = state.scale * w
        p = np.maximum.reduceat(u, tables.starts)
        if p.min() > NULL_PROBABILITY_TOLERANCE:
            scale = u / p[tables.hypothesis_of]
            weights = state.weights * p
            return State(weights / weights.sum(), scale, 1.0 - scale, state.alive, True)
    alive = state.alive & ~empty
    # The updates keep lambda + b = 1 (g = 1) or b = 0 (g = 0); in that form the normaliser
    # needs no subtraction (P = max or min of lambda * w), which keeps floats stable.
    u = state.scale * w
    if ob == 1:
        p = np.maximum.reduceat(np.where(alive, u, -1), tables.starts)
        none = p < 0  # no generator left: every one reached NIRVANA
    else:
        p = np.minimum.reduceat(np.where(alive, u, 2), tables.starts)
        none = p > 1
    null = none | (p == 0) if exact else none | (p <= NULL_PROBABILITY_TOLERANCE)
    null |= state.weights == 0
    safe_p = np.where(null, 1, p)
    change = alive & ~null[tables.hypothesis_of]
    new_scale = np.where(change, u / safe_p[tables.hypothesis_of], state.scale)
    new_offset = np.where(change, 1 - new_scale, state.offset) if ob == 1 else state.offset
    new_weights = np.where(null, zero, state.weights * safe_p)
    total = new_weights.sum()
    if total == 0:
        raise NullUpdateError(
            "every hypothesis gives the history probability 0 (or reaches NIRVANA): the "
            "infra-Bayesian posterior is undefined; widen the hypotheses"
        )
    return State.of(new_weights / total, new_scale, new_offset, alive)
