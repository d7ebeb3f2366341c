r"""Sweeps: one contracts computation over many inputs, on any engine, with identical results.

:func:`sweep` maps a function over items (technologies, contracts, parameter values) with
scipy's ``workers=`` convention, the one :mod:`infrabayes` and :mod:`portfolios` use too:

* an ``int``: ``1`` (the default) runs serially in this process; ``n >= 2`` in ``n`` local
  processes; ``-1`` one process per CPU;
* a **map-like callable** ``workers(func, items)``: ``executor.map`` of a
  ``concurrent.futures.ThreadPoolExecutor`` or ``ProcessPoolExecutor``,
  ``multiprocessing.Pool.map``, a dask ``Client.get_executor().map`` (a cluster: see the how-to
  "Run a sweep on a cluster"), ``ray.util.multiprocessing.Pool().map``.

Results come back in item order. Each task ships plain data (the item, and a seed when the sweep is
random); the function must be importable by name (a module-level function, or a
``functools.partial`` of one) for processes and clusters. A random sweep (``seed=``) gives
each item its own generator, spawned from one :class:`numpy.random.SeedSequence` before anything
runs, so the results are identical whatever the engine, the number of workers and the chunking.

Examples
--------
Carroll's guarantee of many technologies (a one-action technology: mean ``m`` at cost ``c`` is
guaranteed :math:`(\sqrt m - \sqrt c)^2`; here 4 at cost 1 and 9 at cost 4, both 1):

>>> from contracts import Technology, optimal_linear
>>> techs = [Technology.from_arrays([0, 4, 9], [[0, 1, 0]], [1]),
...          Technology.from_arrays([0, 4, 9], [[0, 0, 1]], [4])]
>>> [str(r.value) for r in sweep(optimal_linear, techs)]
['1', '1']
>>> from concurrent.futures import ThreadPoolExecutor
>>> with ThreadPoolExecutor(2) as pool:
...     [str(r.alpha) for r in sweep(optimal_linear, techs, workers=pool.map)]
['1/2', '2/3']

A random sweep: ``func(item, rng)`` with one generator per item, the same on every engine:

>>> def noisy(scale, rng):
...     return round(scale * rng.random(), 6)
>>> sweep(noisy, [1, 10], seed=7) == sweep(noisy, [1, 10], seed=7, workers=map)
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._parallel import check_workers, map_tasks

__all__ = ["sweep"]


@dataclass(frozen=True)
class _Seeded:
    """A task of a random sweep: ``func(item, numpy.random.default_rng(seed))``, picklable."""

    func: Callable[..., Any]

    def __call__(self, task: tuple[Any, np.random.SeedSequence]) -> Any:
        item, seed = task
        return self.func(item, np.random.default_rng(seed))


def sweep(
    func: Callable[..., Any],
    items: Iterable[Any],
    *,
    workers: Any = 1,
    seed: int | np.random.SeedSequence | None = None,
) -> list[Any]:
    """Return ``[func(item) for item in items]``, computed by the engine ``workers`` names.

    Parameters
    ----------
    func : callable
        Called as ``func(item)``, or ``func(item, rng)`` with ``seed=``. For processes and
        clusters: a module-level function or a ``functools.partial`` of one (e.g.
        ``partial(worst_case, known=known)`` over contracts).
    items : iterable
        The inputs, plain picklable data (technologies, contracts, numbers, tuples).
    workers : int or map-like callable, default 1
        See the module docstring; the results do not depend on it.
    seed : int or numpy.random.SeedSequence, optional
        Makes the sweep random: item ``i`` gets ``numpy.random.default_rng(children[i])`` with
        ``children = SeedSequence(seed).spawn(len(items))``.

    Returns
    -------
    list
        One result per item, in order.

    Raises
    ------
    ValueError, TypeError
        For a ``workers`` that is neither a positive int, -1, nor a callable; or a map-like
        callable that returns a different number of results than there are items.
    """
    check_workers(workers)
    tasks = list(items)
    if seed is None:
        return map_tasks(func, tasks, workers)
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    seeded = list(zip(tasks, root.spawn(len(tasks)), strict=True))
    return map_tasks(_Seeded(func), seeded, workers)
