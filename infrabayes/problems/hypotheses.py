r"""Infra-Bayesian hypotheses of a decision problem: the Nirvana trick (causal) and acausal.

Definitions
-----------
Let :math:`e` be the true, policy-dependent problem: its predictors read the agent's policy
:math:`\pi`, so :math:`e(\pi) \cdot \pi` is a probability distribution over outcomes.

* The **acausal** hypothesis is :math:`\Theta(\pi) = \{e(\pi) \cdot \pi\}`: one generator, the true
  distribution (Diffractor, "Belief Functions and Decision Theory", 2020): maximin UDT with one
  environment. Its value is UDT's.
* The **causal** (Nirvana-trick) hypothesis hard-codes the prediction. For every assignment
  :math:`p` of actions to the predicted information sets there is an ordinary environment
  :math:`e_p` that acts as :math:`e(p)` would, except that when the agent, at a decision node of a
  predicted information set :math:`I`, takes an action other than :math:`p(I)` (a *visible*
  deviation), the history ends in :data:`~infrabayes.NIRVANA`. Then
  :math:`\Theta(\pi) = \{e_p \cdot \pi : p\}`, one generator per prediction, and Murphy picks the
  prediction. Under ``nirvana=math.inf`` he must pick one that the policy never refutes with
  positive probability; under ``nirvana=1`` a refutation only pays out 1 for its probability.
* Correlates (:class:`~infrabayes.problems.Correlate`) are not predictions: both hypotheses use
  their base rates.

Each hypothesis is, per policy, an :class:`~infrabayes.Infradistribution` over the problem's
outcomes (plus NIRVANA for the causal one), so the core's machinery applies: ``expect``,
``murphy_choice``, ``update``, ``nirvana_free``.

For speed, :func:`ib_values` computes Murphy's value for every policy at once from the flattened
tree (two matrix products; see :mod:`infrabayes.problems._compiled`), with the same conventions as
:meth:`~infrabayes.Infradistribution.expect`; the tests check it against the core on random
problems.

**Mixed policies.** Murphy moves once, *after* the policy: a mixture
:math:`\sum_\pi w_\pi \pi` has the generators :math:`\sum_\pi w_\pi\, e_p \cdot \pi`, one per
environment, and the value :math:`\min_p \sum_\pi w_\pi E_{e_p \cdot \pi}(U)`
(:func:`mixed_hypothesis`). This is not the mixture of the hypotheses
(:func:`infrabayes.mixture`), whose value :math:`\sum_\pi w_\pi \min_p E_{e_p \cdot \pi}(U)` lets
Murphy move separately against each action, and is smaller in general.

Examples
--------
Parfit's Hitchhiker, driver erring 1/10: against "pay", the environment that predicts "refuse"
reaches NIRVANA when the driver errs and you pay in town, so Murphy cannot use it:

>>> from fractions import Fraction as F
>>> from infrabayes.problems import parfits_hitchhiker
>>> p = parfits_hitchhiker(epsilon=F(1, 10))
>>> H = p.hypothesis("pay")
>>> H
Infradistribution: 2 generators over 4 outcomes (exact, normalized, nirvana=inf)
         town, pay  town, refuse  desert  NIRVANA  |  b
    0         9/10             0    1/10        0  |  0
    1            0             0    9/10     1/10  |  0
>>> H.expect(dict(p.utilities)), H.with_nirvana(1).expect(dict(p.utilities))
(Fraction(8991, 10000), Fraction(1, 10))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes import limits
from infrabayes._numbers import Number, read_only, vector
from infrabayes._parallel import check_workers, map_tasks
from infrabayes._table import did_you_mean
from infrabayes.infradistribution import Infradistribution
from infrabayes.limits import Progress, SizeLimitError, power_of_two
from infrabayes.nirvana import NIRVANA, check_nirvana
from infrabayes.problems._compiled import FLOAT_EXACT, Compiled, Leaf, int_matmul

__all__ = [
    "ENCODINGS",
    "TIE_TOLERANCE",
    "Tables",
    "causal_cost",
    "check_causal_size",
    "check_encoding",
    "check_python_size",
    "expected_utilities",
    "hypothesis",
    "ib_values",
    "leaf_work",
    "mixed_hypothesis",
    "naive_values",
    "tables",
]

#: The two hypotheses of a problem.
ENCODINGS = ("causal", "acausal")
#: In float64, a value within ``TIE_TOLERANCE * |best|`` of the best is a tie (optimal policies,
#: Murphy's choices, ratifiable actions); exact problems compare exactly. Relative with no floor:
#: every value is a sum of nonnegative terms (probabilities times utilities in [0, 1]), computed
#: with a rounding error of a few units in the last place *of itself*, so two values of order
#: 1e-15 that differ by half are not tied, and a value that is exactly 0 ties only with 0.
TIE_TOLERANCE = 1e-12
#: The products are computed in chunks of policies holding at most this many entries.
_CHUNK_ENTRIES = 2**22


def check_encoding(encoding: Any) -> str:
    """Return `encoding` if it is ``"causal"`` or ``"acausal"``; raise a ValueError otherwise."""
    key = encoding.lower() if isinstance(encoding, str) else encoding
    if key not in ENCODINGS:
        raise ValueError(
            f"encoding must be 'causal' (the Nirvana trick: one environment per hard-coded "
            f"prediction) or 'acausal' (the prediction is the actual policy); got {encoding!r}"
            f"{did_you_mean(encoding, ENCODINGS)}"
        )
    return str(key)


@dataclass(frozen=True, eq=False)
class Tables:
    r"""The matrices :math:`\chi` and :math:`w` of a compiled problem (see ``_compiled``).

    ``block`` is the right-hand side of the products: ``[w U | 0 ; 0 | w]`` over (real leaves,
    deviation leaves) x (predictions for the utility, predictions for the Nirvana mass). For an
    exact problem it holds integers, to be divided by ``denominator``.
    """

    chi: np.ndarray  # (policies, real + deviation leaves) 0/1, float64 when the products are
    block: np.ndarray  # (real + deviation leaves, 2 * predictions)
    denominator: int
    blas: bool  # True: chi and block are float64 and every product is exact (or the problem float)
    w_mass: np.ndarray  # (real + deviation leaves, predictions): the masses w (exact or float)
    leaf_outcome: np.ndarray  # outcome column of each leaf (the last column is NIRVANA)


def tables(c: Compiled) -> Tables:
    """Return the matrices of the flattened problem (the caller caches them)."""
    leaves = c.leaves + c.deviations
    n_real, n_p = len(c.leaves), c.predictions.shape[0]
    check_python_size(
        c.weight_work(leaves),
        f"the environments' weights are computed leaf by leaf ({len(leaves)} leaves, each once "
        "per distinct prediction on its path)",
        "; a problem with float numbers computes them faster",
    )
    chi = c.indicators(leaves, c.policies)
    w = c.weights(leaves, c.predictions)
    utility = c.utility_of_leaves(c.leaves)
    if c.exact:
        assert w.ints is not None
        du = math.lcm(1, *{int(v.denominator) for v in c.utilities})
        u_int = [int(v.numerator) * (du // int(v.denominator)) for v in utility]
        top = (int(np.abs(w.ints).max()) if w.ints.size else 0) * du
        dtype: Any = np.int64 if top < 2**62 else object
        block = np.zeros((len(leaves), 2 * n_p), dtype=dtype)
        ints = w.ints.astype(dtype)
        block[:n_real, :n_p] = ints[:n_real] * np.array(u_int, dtype=dtype)[:, None]
        block[n_real:, n_p:] = ints[n_real:] * du
        denominator = w.denominator * du
    else:
        block = np.zeros((len(leaves), 2 * n_p), dtype=np.float64)
        block[:n_real, :n_p] = w.values[:n_real] * utility[:, None]
        block[n_real:, n_p:] = w.values[n_real:]
        denominator = 1
    outcome = np.array([leaf.outcome for leaf in leaves], dtype=np.int64)
    outcome[outcome < 0] = len(c.outcomes)
    # Exact integers below 2**53 (every partial sum included) are exact in float64: then the
    # products run in BLAS and their results are compared exactly.
    top = int(np.abs(block).max()) if (c.exact and block.size) else 0
    blas = not c.exact or top * max(len(leaves), 1) < FLOAT_EXACT
    if blas:
        chi, block = chi.astype(np.float64), block.astype(np.float64)
    return Tables(read_only(chi), read_only(block), denominator, blas, w.values, read_only(outcome))


def _as_number(value: Any, d: int, exact: bool) -> Number:
    if exact:  # an integer, possibly held exactly in a float64
        return Fraction(int(value), d)
    return float(value)


def _near(values: np.ndarray, best: np.ndarray) -> np.ndarray:
    """Float ties of Murphy's minimum: within TIE_TOLERANCE * |best| of each row's best."""
    tol = TIE_TOLERANCE * np.abs(best)
    return values <= (best + tol)[:, None]


#: The causal products run in int64 (numpy, no BLAS) when exact integers exceed 2**53: each
#: multiply-add then costs about this many float64 (BLAS) ones, as measured.
_INT64_COST = 16


def causal_cost(c: Compiled, t: Tables) -> tuple[int, str]:
    """Return (multiply-adds, arithmetic) of IB's causal values: float64, int64 or object."""
    products = c.policies.shape[0] * c.predictions.shape[0] * t.chi.shape[1]
    kind = "float64" if t.blas else ("object" if t.block.dtype == object else "int64")
    return products, kind


def check_causal_size(c: Compiled, t: Tables) -> None:
    """Refuse IB's causal values beyond the limits (naming the cheaper route).

    float64 products count against ``MAX_CAUSAL_PRODUCTS``, int64 ones 16 times each, and
    products of Python integers (exact weights beyond 2**62) against ``MAX_PYTHON_OPERATIONS``.
    """
    products, kind = causal_cost(c, t)
    n_pol, n_p, n_leaves = c.policies.shape[0], c.predictions.shape[0], t.chi.shape[1]
    size = (
        f"{power_of_two(n_pol)} policies x {power_of_two(n_p)} predictions x {n_leaves} leaves "
        f"= {products} multiply-adds"
    )
    route = (
        f"The acausal hypothesis, and UDT, need one prediction per policy ({n_pol} x "
        f"{len(c.leaves)} leaves): solve('ib', encoding='acausal') or solve('udt')"
    )
    if kind == "object":
        check_python_size(
            products,
            f"IB's causal hypothesis values every policy against every prediction: {size}, in "
            "Python integers (the exact weights need more than 62 bits)",
            f"; float numbers keep them in float64. {route}",
        )
        return
    cost = products * (_INT64_COST if kind == "int64" else 1)
    if cost <= limits.MAX_CAUSAL_PRODUCTS:
        return
    how = f", each counted {_INT64_COST} times: they run in int64" if kind == "int64" else ""
    raise SizeLimitError(
        f"IB's causal hypothesis values every policy against every prediction: {size}{how} "
        f"(more than MAX_CAUSAL_PRODUCTS = {power_of_two(limits.MAX_CAUSAL_PRODUCTS)}). {route}"
    )


def ib_values(
    c: Compiled,
    t: Tables,
    encoding: str,
    nirvana: float,
    progress: Progress | None = None,
    workers: Any = 1,
) -> tuple[np.ndarray, tuple[tuple[int, ...], ...]]:
    r"""Return Murphy's value :math:`E_{\Theta(\pi)}(U)` of every policy and his choices.

    The causal values are refused beyond :data:`~infrabayes.limits.MAX_CAUSAL_PRODUCTS`;
    `progress` is called as ``progress(policies done, policies)``. `workers` (scipy's
    convention: an int or a map-like callable, see :mod:`infrabayes._parallel`) values chunks
    of policies in parallel; each task carries its rows of :math:`\chi` and the whole
    right-hand side, so a thread pool's ``map`` (numpy's products release the GIL) is the
    cheap engine, processes pay for copying the table to each task.

    Returns
    -------
    values : ndarray
        One per policy (object array of Fractions, or float64).
    murphy : tuple of tuples of int
        Per policy, the indices (rows of ``c.predictions``) of the predictions attaining the
        value; for the acausal encoding, the prediction read from the policy itself.
    """
    encoding = check_encoding(encoding)
    nirvana = check_nirvana(nirvana)
    n_pol, n_p = c.policies.shape[0], c.predictions.shape[0]
    own = c.prediction_index(c.policies)
    out = np.empty(n_pol, dtype=object if c.exact else np.float64)
    murphy: list[tuple[int, ...]] = []
    if encoding == "acausal":
        out[:] = expected_utilities(c, t, progress)
        return read_only(out), tuple((int(k),) for k in own)
    check_causal_size(c, t)
    chunk = max(1, _CHUNK_ENTRIES // max(1, 2 * n_p))
    chunks = [np.arange(start, min(n_pol, start + chunk)) for start in range(0, n_pol, chunk)]
    engine = check_workers(workers)
    # one chunk at a time in this process; else batches of chunks, progress after each batch
    batch = 1 if engine == 1 else 2 * (engine if isinstance(engine, int) else 4)
    for first in range(0, len(chunks), batch):
        group = chunks[first : first + batch]
        tasks = [(t.chi[rows], t.block, n_p, t.blas, c.exact, nirvana) for rows in group]
        results = (
            map_tasks(_causal_chunk, tasks, workers) if engine != 1 else [_causal_chunk(tasks[0])]
        )
        for rows, (best, choices) in zip(group, results, strict=True):
            murphy.extend(choices)
            out[rows] = [_as_number(b, t.denominator, c.exact) for b in best]
        if progress is not None:
            progress(int(group[-1][-1]) + 1, n_pol)
    return read_only(out), tuple(murphy)


def _causal_chunk(
    task: tuple[np.ndarray, np.ndarray, int, bool, bool, float],
) -> tuple[list[Any], list[tuple[int, ...]]]:
    """Murphy's minimum and choices for a chunk of policies (a task for ``workers``).

    `task` is ``(chi rows, block, predictions, blas, exact, nirvana)``; the minima are in the
    tables' integer (or float) units.
    """
    x, block, n_p, blas, exact, nirvana = task
    m = x @ block if blas else int_matmul(x, block)
    v, n = m[:, :n_p], m[:, n_p:]
    if nirvana == math.inf:
        # A generator that reaches Nirvana with positive probability is never Murphy's choice.
        # The prediction read from the policy itself is never refuted, so every row keeps a
        # finite entry; a sentinel above every finite value stands in for +inf.
        sentinel = math.inf if blas else (int(v.max()) + 1 if v.size else 1)
        vals = np.where(n > 0, sentinel, v)
    else:
        vals = v + n  # Nirvana is worth 1: its mass counts as utility 1
    best = vals.min(axis=1)
    tied = vals == best[:, None] if exact else _near(vals, best)
    r, j = np.nonzero(tied)
    cuts = np.searchsorted(r, np.arange(1, x.shape[0]))
    choices = [tuple(int(k) for k in part) for part in np.split(j, cuts)]
    return best.tolist(), choices


def expected_utilities(c: Compiled, t: Tables, progress: Progress | None = None) -> np.ndarray:
    r"""Return :math:`E_{e(\pi) \cdot \pi}(U)` for every policy: the true problem (UDT's value).

    The predictors read the policy itself; correlates take their base rates. `progress` is
    called as ``progress(policies done, policies)``.
    """
    n_pol = c.policies.shape[0]
    real = len(c.leaves)
    if c.exact and not t.blas:
        check_python_size(
            n_pol * real,
            f"the expected utilities sum {n_pol} policies x {real} leaves in Python integers "
            "(the exact weights need more than 53 bits)",
            "; a problem with float numbers sums them in float64",
        )
    own = c.prediction_index(c.policies)
    out = np.empty(n_pol, dtype=object if c.exact else np.float64)
    chunk = max(1, _CHUNK_ENTRIES // max(1, real))
    for start in range(0, n_pol, chunk):
        rows = np.arange(start, min(n_pol, start + chunk))
        gathered = t.block[:real][:, own[rows]].T  # (rows, real leaves): w(own prediction) * U
        x = t.chi[rows][:, :real]
        if c.exact:
            if not t.blas:
                gathered, x = gathered.astype(object), x.astype(object)
            sums = (x * gathered).sum(axis=1)
            out[rows] = [Fraction(int(v), t.denominator) for v in sums]
        else:
            out[rows] = (x * gathered).sum(axis=1)
        if progress is not None:
            progress(int(rows[-1]) + 1, n_pol)
    return read_only(out)


def _masses(c: Compiled, t: Tables, row: int, columns: Sequence[int]) -> np.ndarray:
    """Return the ``(len(columns), outcomes + 1)`` masses of ``e_p . pi`` (last column NIRVANA)."""
    chi = t.chi[row]
    dtype = object if c.exact else np.float64

    out = np.full((len(columns), len(c.outcomes) + 1), c.zero(), dtype=dtype)
    used = np.flatnonzero(chi)
    for j in used:
        out[:, t.leaf_outcome[j]] = out[:, t.leaf_outcome[j]] + t.w_mass[j, list(columns)]
    return out


def hypothesis(
    c: Compiled, t: Tables, row: int, encoding: str, nirvana: float
) -> Infradistribution:
    r"""Return :math:`\Theta(\pi)` for the policy in row `row` of ``c.policies``.

    Causal: one generator per prediction (in the order of ``c.predictions``) over the outcomes and
    NIRVANA. Acausal: the single generator :math:`e(\pi) \cdot \pi` over the outcomes.
    """
    encoding = check_encoding(encoding)
    nirvana = check_nirvana(nirvana)
    if encoding == "causal":
        masses = _masses(c, t, row, range(c.predictions.shape[0]))
        return Infradistribution.from_arrays(
            masses, outcomes=(*c.outcomes, NIRVANA), nirvana=nirvana
        )
    own = int(c.prediction_index(c.policies[[row]])[0])
    masses = _masses(c, t, row, [own])[:, :-1]
    return Infradistribution.from_arrays(masses, outcomes=c.outcomes, nirvana=nirvana)


def mixed_hypothesis(
    c: Compiled,
    t: Tables,
    rows: Sequence[int],
    weights: Sequence[Any],
    encoding: str,
    nirvana: float,
) -> Infradistribution:
    r"""Return the hypothesis of the mixed policy :math:`\sum_i w_i \pi_{r_i}` (Murphy moves after).

    Causal: generator :math:`p` is :math:`\sum_i w_i\, e_p \cdot \pi_{r_i}` (one environment,
    chosen once, against the whole mixture). Acausal: :math:`\sum_i w_i\, e(\pi_{r_i}) \cdot
    \pi_{r_i}` (the predictor reads the deterministic policy the randomisation picked).
    """
    encoding = check_encoding(encoding)
    nirvana = check_nirvana(nirvana)
    w = vector(list(weights), "a mixed policy's weight")
    if c.exact and w.dtype != object:
        w = w.astype(object)
    if not c.exact:
        w = w.astype(np.float64)
    if encoding == "causal":
        columns: Sequence[int] = range(c.predictions.shape[0])
        total = sum(wi * _masses(c, t, r, columns) for wi, r in zip(w, rows, strict=True))
        return Infradistribution.from_arrays(
            total, outcomes=(*c.outcomes, NIRVANA), nirvana=nirvana
        )
    own = c.prediction_index(c.policies[list(rows)])
    total = sum(
        wi * _masses(c, t, r, [int(k)])[:, :-1] for wi, r, k in zip(w, rows, own, strict=True)
    )
    return Infradistribution.from_arrays(total, outcomes=c.outcomes, nirvana=nirvana)


def leaf_work(leaf: Leaf) -> int:
    """Python operations to evaluate one leaf: one, plus one per decision and per predictor."""
    return 1 + len(leaf.decisions) + len(leaf.reads)


def check_python_size(operations: int, what: str, route: str) -> None:
    """Refuse work done one operation at a time in Python beyond ``MAX_PYTHON_OPERATIONS``."""
    if operations > limits.MAX_PYTHON_OPERATIONS:
        raise SizeLimitError(
            f"{what}: {operations} Python operations (more than MAX_PYTHON_OPERATIONS = "
            f"{power_of_two(limits.MAX_PYTHON_OPERATIONS)}){route}"
        )


def _leaf_weight(c: Compiled, leaf: Any, prediction: dict[int, int]) -> tuple[int, Any] | None:
    """Return ``(order, coefficient)`` of a leaf in ``e_p`` (None if impossible).

    A predictor error of probability 0 is an infinitesimal: it adds 1 to the order (the limit of
    a slightly noisy predictor, as in :mod:`infrabayes.problems.theories`).
    """
    if leaf.chance == 0:
        return None
    order, coef = 0, leaf.chance
    for r in leaf.reads:
        if r.correlate:
            if r.base_rate == 0:
                return None
            coef = coef * r.base_rate
            continue
        right = r.branch == prediction[r.infoset]
        prob = r.right if right else r.wrong
        if prob == 0:
            order += 1
            coef = coef if right else coef / (r.n - 1)
        else:
            coef = coef * prob
    for infoset, action in leaf.decisions:
        if infoset in prediction and prediction[infoset] != action:
            return None
    if leaf.deviation is not None and prediction[leaf.deviation[0]] == leaf.deviation[1]:
        return None
    return order, coef


def naive_values(
    c: Compiled, t: Tables, row: int, infoset: int | Sequence[int], encoding: str, nirvana: float
) -> list[Number | None]:
    r"""Return, per environment, :math:`E[U \mid \text{reach } I]` by Bayes' rule (naive).

    `infoset` may be several information sets: then the paths through all of them are kept.

    For the causal hypothesis one entry per prediction (``c.predictions`` order), for the acausal
    one a single entry. If the environment reaches the information set with probability 0 only
    because a predictor never errs, the limit of a slightly noisy predictor is used (the paths of
    lowest order in its error); an entry is ``None`` when nothing reaches the information set,
    or (``nirvana=math.inf``) when NIRVANA has positive conditional probability: conditioning
    keeps only what happens after the observation.
    """
    encoding = check_encoding(encoding)
    nirvana = check_nirvana(nirvana)
    leaves = c.leaves + c.deviations
    if encoding == "causal":
        columns = list(range(c.predictions.shape[0]))
    else:
        columns = [int(c.prediction_index(c.policies[[row]])[0])]
    observed = (infoset,) if isinstance(infoset, int) else tuple(infoset)
    used = [
        leaves[j] for j in np.flatnonzero(t.chi[row]) if all(leaves[j].passes(i) for i in observed)
    ]
    check_python_size(
        len(columns) * sum(leaf_work(leaf) for leaf in used),
        f"naive conditioning evaluates {len(columns)} environments x {len(used)} leaves one at a "
        "time",
        "",
    )
    out: list[Number | None] = []
    for p in columns:
        prediction = {i: int(a) for i, a in zip(c.predicted, c.predictions[p], strict=True)}
        best = math.inf
        reach: Any = c.zero()
        utility: Any = c.zero()
        nirvana_mass: Any = c.zero()
        for leaf in used:
            weight = _leaf_weight(c, leaf, prediction)
            if weight is None:
                continue
            order, coef = weight
            if order < best:
                best, reach, utility, nirvana_mass = order, c.zero(), c.zero(), c.zero()
            if order == best:
                reach = reach + coef
                if leaf.outcome >= 0:
                    utility = utility + coef * c.utilities[leaf.outcome]
                else:
                    nirvana_mass = nirvana_mass + coef
        if best == math.inf or (nirvana == math.inf and nirvana_mass > 0):
            out.append(None)
            continue
        value = (utility + nirvana_mass) / reach  # under nirvana=1, Nirvana is worth 1
        out.append(value if c.exact else float(value))
    return out
