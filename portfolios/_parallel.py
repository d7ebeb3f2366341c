"""Run independent, seeded chunks of work serially, on threads or on processes.

``workers`` follows SciPy's convention (``scipy.optimize.differential_evolution``): an int
(``1``, the default: in this process; ``n > 1``: a pool of ``n`` processes; ``-1``: one per CPU)
or a map-like callable used as ``workers(func, iterable)`` (``ThreadPoolExecutor().map``,
``multiprocessing.Pool().map``, ``dask``'s ``Client.get_executor().map``, ...). The chunks get
their seeds from one :class:`numpy.random.SeedSequence` spawned once per chunk, in chunk
order; a chunk's work depends only on its index and its seed, never on which worker runs it or
when, so the results are bitwise identical whatever the workers (a map-like callable must
return the results in the order of its input, as ``map`` does).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

import numpy as np

from .errors import PortfolioError, PortfolioTypeError

__all__ = ["Workers", "check_workers", "run_chunks", "seed_sequence"]

T = TypeVar("T")
#: What ``workers=`` accepts.
Workers = int | Callable[[Callable[..., Any], Iterable[Any]], Iterable[Any]]


def check_workers(workers: Any) -> Workers:
    """Return ``workers`` if it is a valid value (module docstring); raise otherwise."""
    if callable(workers):
        return workers
    if isinstance(workers, bool) or not isinstance(workers, int) or workers == 0 or workers < -1:
        raise PortfolioTypeError(
            None,
            "workers must be a positive int, -1 (one process per CPU) or a map-like callable "
            f"used as workers(func, iterable), got {workers!r}",
        )
    return workers


def seed_sequence(rng: Any) -> np.random.SeedSequence:
    """Return the root :class:`numpy.random.SeedSequence` for ``rng``.

    ``rng`` is an int (or a sequence of ints), a ``SeedSequence`` (copied, so that passing the
    same one twice gives the same children), None (fresh entropy, recorded in the sequence's
    ``entropy``) or a :class:`numpy.random.Generator`, from which a seed is drawn (advancing
    it, so that two calls with one generator differ).
    """
    if isinstance(rng, np.random.SeedSequence):  # a fresh copy: the same children every call
        return np.random.SeedSequence(rng.entropy, spawn_key=rng.spawn_key, pool_size=rng.pool_size)
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(rng.integers(0, 2**63, size=4).tolist())
    if rng is None or (isinstance(rng, int | Sequence) and not isinstance(rng, bool | str)):
        try:
            return np.random.SeedSequence(rng)
        except (TypeError, ValueError) as err:
            raise PortfolioError(None, f"rng: not a valid seed: {err}") from None
    raise PortfolioTypeError(
        None, f"rng must be an int, a SeedSequence, a Generator or None, got {rng!r}"
    )


def run_chunks(func: Callable[[Any], T], tasks: Sequence[Any], workers: Workers) -> list[T]:
    """Return ``[func(t) for t in tasks]``, computed by ``workers`` (module docstring)."""
    workers = check_workers(workers)
    if callable(workers):
        results = list(workers(func, tasks))
        if len(results) != len(tasks):
            raise PortfolioError(
                None,
                f"workers returned {len(results)} results for {len(tasks)} chunks; a map-like "
                "callable must return one result per item, in order",
            )
        return results
    if workers == 1 or len(tasks) <= 1:
        return [func(t) for t in tasks]
    n = (os.cpu_count() or 1) if workers == -1 else workers
    with ProcessPoolExecutor(max_workers=min(n, len(tasks))) as pool:
        return list(pool.map(func, tasks))
