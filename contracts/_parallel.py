"""Map a function over independent tasks: serially, in processes, or with any map-like callable.

``workers`` follows scipy's convention (``scipy.optimize.differential_evolution``,
``scipy.integrate.quad_vec``):

* an ``int``: ``1`` runs the tasks one after the other in this process; ``n >= 2`` runs them in
  ``n`` local processes (:class:`concurrent.futures.ProcessPoolExecutor`); ``-1`` uses one process
  per CPU (``os.cpu_count()``);
* a **map-like callable**, called as ``workers(func, tasks)``: the ``map`` of a
  :class:`concurrent.futures.Executor` (threads or processes), ``multiprocessing.Pool.map``, a dask
  ``Client.get_executor().map``, or plain ``map``.

Results come back in task order. A task must carry everything it needs as plain picklable data
(numbers, tuples, arrays, frozen dataclasses of those) and `func` must be a module-level function,
so that another process can run it. Randomness belongs to the tasks: each one carries its own
seed, spawned from one :class:`numpy.random.SeedSequence` before any task runs, so the results do
not depend on which engine ran them or how the tasks were grouped.

Examples
--------
>>> map_tasks(abs, [-1, 2, -3])
[1, 2, 3]
>>> from concurrent.futures import ThreadPoolExecutor
>>> with ThreadPoolExecutor(2) as pool:
...     map_tasks(abs, [-1, 2, -3], workers=pool.map)
[1, 2, 3]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["Workers", "check_workers", "map_tasks"]

T = TypeVar("T")
R = TypeVar("R")

#: What ``workers=`` accepts: a number of processes or a map-like callable.
Workers = int | Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]


def check_workers(workers: Any) -> int | Callable[..., Iterable[Any]]:
    """Return the number of processes (``1`` = serial) or the map-like callable; reject the rest.

    Examples
    --------
    >>> check_workers(1), check_workers(map) is map
    (1, True)
    >>> check_workers(0)
    Traceback (most recent call last):
    ...
    ValueError: workers is 0; expected 1 (serial), a number of processes >= 2, -1 (one per CPU) ...
    """
    if isinstance(workers, bool):
        raise TypeError(f"workers is the bool {workers!r}; expected an int or a map-like callable")
    if isinstance(workers, int):
        if workers == -1:
            return max(1, os.cpu_count() or 1)
        if workers >= 1:
            return workers
        raise ValueError(
            f"workers is {workers}; expected 1 (serial), a number of processes >= 2, -1 (one per "
            "CPU) or a map-like callable such as concurrent.futures.Executor.map"
        )
    if callable(workers):
        return workers
    raise TypeError(
        f"workers is {workers!r} of type {type(workers).__name__}; expected an int or a map-like "
        "callable used as workers(func, tasks)"
    )


def map_tasks(func: Callable[[T], R], tasks: Sequence[T], workers: Any = 1) -> list[R]:
    """Return ``[func(task) for task in tasks]``, computed by the engine `workers` names.

    Parameters
    ----------
    func : callable
        A module-level function (processes import it by name).
    tasks : sequence
        Plain, picklable data, one item per call.
    workers : int or map-like callable, default 1
        See the module docstring.

    Returns
    -------
    list
        One result per task, in task order.

    Raises
    ------
    ValueError
        If a map-like callable returns a different number of results than there are tasks.
    """
    engine = check_workers(workers)
    tasks = list(tasks)
    if engine == 1 or (isinstance(engine, int) and len(tasks) <= 1):
        return [func(task) for task in tasks]
    if isinstance(engine, int):
        n = min(engine, len(tasks))
        chunk = max(1, len(tasks) // (4 * n))
        with ProcessPoolExecutor(max_workers=n) as pool:
            return list(pool.map(func, tasks, chunksize=chunk))
    results = list(engine(func, tasks))
    if len(results) != len(tasks):
        raise ValueError(
            f"workers returned {len(results)} results for {len(tasks)} tasks; a map-like callable "
            "must return one result per task, in order"
        )
    return results
