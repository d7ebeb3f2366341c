r"""Mixture, union, pushforward and the Nirvana-free translation on cores.

The definitions are in the docstring of :mod:`infrabayes.operations`; this module computes them
on :class:`~infrabayes._core.Core` values. :class:`~infrabayes.Infradistribution` delegates
``pushforward`` and ``nirvana_free`` here; :func:`infrabayes.mixture` and :func:`infrabayes.union`
check that they were given infradistributions and pass their cores, with the tolerance
documented in :mod:`infrabayes.operations` and the size limit of :mod:`infrabayes.limits`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._core import Core
from infrabayes._numbers import as_float_array, is_exact, vector
from infrabayes._space import OutcomeSpace
from infrabayes.limits import SizeLimitError
from infrabayes.nirvana import NIRVANA

__all__ = ["mixture", "nirvana_free", "pushforward", "union"]


def _aligned(cores: Sequence[Core], what: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return the (masses, b) of each core, columns in the first core's outcome order."""
    if not cores:
        raise ValueError(f"{what} of no infradistributions is undefined; give at least one")
    first = cores[0]
    out = []
    for i, h in enumerate(cores):
        if set(h.space.outcomes) != set(first.space.outcomes):
            raise ValueError(
                f"{what}: infradistribution {i} is over the outcomes {h.space.describe()}, "
                f"infradistribution 0 over {first.space.describe()}; they must share their "
                "outcomes"
            )
        if h.nirvana != first.nirvana:
            raise ValueError(
                f"{what}: infradistribution {i} has nirvana={h.nirvana}, infradistribution 0 has "
                f"nirvana={first.nirvana}; combine hypotheses under one Nirvana convention"
            )
        order = [h.space.index[x] for x in first.space.outcomes]
        out.append((h.masses[:, order], h.b))
    return out


def _float_view(
    cores: Sequence[Core], i: int, masses: np.ndarray, b: np.ndarray, what: str
) -> tuple[np.ndarray, np.ndarray]:
    """Return component `i` in float64; an OverflowError says why the result is float64."""
    if not is_exact(masses):
        return masses, b
    try:
        cores[i].float_arrays()
    except OverflowError as error:
        raise OverflowError(
            f"{what}: some input is float64, so the result is float64, but in infradistribution "
            f"{i}, {error}"
        ) from None
    return as_float_array(masses), as_float_array(b)


def mixture(
    cores: Sequence[Core], weights: Sequence[Any], *, tolerance: float, max_generators: int
) -> Core:
    r"""Return the mixture :math:`E_\zeta H_i` of the cores with prior `weights`.

    `tolerance` is how far from 1 float weights may sum (``WEIGHT_SUM_TOLERANCE``);
    `max_generators` bounds the product of the components' counts (``MAX_MIXTURE_GENERATORS``;
    a :class:`~infrabayes.limits.SizeLimitError` beyond it).
    """
    parts = _aligned(cores, "mixture")
    w = vector(weights, "mixture weight")
    if w.shape[0] != len(parts):
        raise ValueError(f"mixture: {w.shape[0]} weights for {len(parts)} infradistributions")
    negative = np.flatnonzero(w < 0)
    if negative.size:
        raise ValueError(
            f"mixture: weight {int(negative[0])} is {w[negative[0]]} < 0; weights are a prior"
        )
    total = w.sum()
    if (total != 1) if is_exact(w) else (abs(float(total) - 1.0) > tolerance):
        tol = "exactly" if is_exact(w) else f"within {tolerance}"
        raise ValueError(f"mixture: the weights sum to {total}, not 1 ({tol}); they are a prior")
    used = [i for i in range(len(parts)) if w[i] != 0]
    size = math.prod(len(parts[i][1]) for i in used)
    if size > max_generators:
        raise SizeLimitError(
            f"mixture: the product of the components would have {size} generators (more than "
            f"MAX_MIXTURE_GENERATORS = {max_generators}); prune the components with "
            "minimal_points() first, or evaluate sum_i w_i * H_i.expect(f) directly"
        )
    exact = is_exact(w) and all(is_exact(parts[i][0]) for i in used)
    n = len(cores[0].space.outcomes)
    acc_m: np.ndarray | None = None
    acc_b: np.ndarray | None = None
    for i in used:
        masses, b = parts[i]
        wi: Any = w[i] if exact else float(w[i])
        if not exact:
            masses, b = _float_view(cores, i, masses, b, "mixture")
        if acc_m is None or acc_b is None:
            acc_m, acc_b = wi * masses, wi * b
        else:
            acc_m = (acc_m[:, None, :] + wi * masses[None, :, :]).reshape(-1, n)
            acc_b = (acc_b[:, None] + wi * b[None, :]).reshape(-1)
    assert acc_m is not None
    assert acc_b is not None
    return cores[0].with_generators(acc_m, acc_b)


def union(cores: Sequence[Core]) -> Core:
    r"""Return the Knightian union of the cores: all their generators."""
    parts = _aligned(cores, "union")
    masses = [m for m, _ in parts]
    bs = [b for _, b in parts]
    if not all(is_exact(m) for m in masses):
        pairs = [_float_view(cores, i, m, b, "union") for i, (m, b) in enumerate(parts)]
        masses, bs = [m for m, _ in pairs], [b for _, b in pairs]
    return cores[0].with_generators(np.concatenate(masses), np.concatenate(bs))


def pushforward(
    core: Core,
    fn: Callable[[Any], Hashable] | Mapping[Any, Hashable],
    outcomes: Iterable[Hashable] | None = None,
) -> Core:
    r"""Return :math:`k_* H = \{(k_* m, b)\}` for the map `fn` of outcomes."""
    space = core.space
    images = []
    for x in space.ordinary:
        if isinstance(fn, Mapping):
            if x not in fn:
                raise ValueError(f"pushforward: the map gives no image for outcome {x!r}")
            images.append(fn[x])
        else:
            images.append(fn(x))
    for x, y in zip(space.ordinary, images, strict=True):
        try:
            hash(y)
        except TypeError:
            raise TypeError(
                f"pushforward: the image {y!r} of outcome {x!r} is not hashable"
            ) from None
    if outcomes is None:
        target = list(dict.fromkeys(images))
        if space.has_nirvana and NIRVANA not in target:
            target.append(NIRVANA)
        target_space = OutcomeSpace(target)
    else:
        target_space = OutcomeSpace(outcomes)
        target_space.check_known(images, "pushforward: the images")
        if space.has_nirvana and not target_space.has_nirvana:
            raise ValueError(
                "pushforward: the outcomes have NIRVANA, so the target outcomes must list it"
            )
    source = list(space.ordinary_index)
    image_index = [target_space.index[y] for y in images]
    if space.nirvana_index is not None:
        assert target_space.nirvana_index is not None  # the target has NIRVANA (ensured above)
        source.append(space.nirvana_index)
        image_index.append(target_space.nirvana_index)
    masses = core.masses
    zero = Fraction(0) if core.exact else 0.0
    new = np.full((len(core.b), len(target_space.outcomes)), zero, dtype=masses.dtype)
    for x_col, y_col in zip(source, image_index, strict=True):
        new[:, y_col] = new[:, y_col] + masses[:, x_col]
    return core.with_generators(new, core.b.copy(), target_space)


def nirvana_free(core: Core) -> Core:
    r"""Return the Nirvana-free translation of the core (the same core without NIRVANA)."""
    space = core.space
    j = space.nirvana_index
    if j is None:
        return core
    rows, masses, c = core.effective(core.exact)
    if rows.size == 0:
        raise ValueError(
            "nirvana_free: every generator reaches Nirvana (nirvana=math.inf), so every "
            "expectation is +inf; no Nirvana-free infradistribution has that"
        )
    return core.with_generators(masses.copy(), c.copy(), OutcomeSpace(space.ordinary))
