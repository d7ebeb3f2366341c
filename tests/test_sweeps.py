"""Sweeps give bitwise-identical results on every engine: serial, threads, processes, dask.

One convention in the three packages (scipy's ``workers=``: an int or a map-like callable), one
:class:`numpy.random.SeedSequence` spawned per task: the engine and its chunking cannot change a
bit of the answer. The dask engine is a real ``distributed.LocalCluster`` (in-process workers,
``processes=False``, to stay light), used through ``Client.get_executor().map`` exactly as on a
remote cluster (docs/how-to/run-a-sweep-on-a-cluster.md).
"""

import dataclasses
import pickle
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction as F

import numpy as np
import pytest

from contracts import Technology, optimal_linear, price_of_robustness, sweep


def random_price_of_robustness(n, rng):
    """A random float technology with ``n`` outputs and two actions, and its benchmarks."""
    dists = rng.dirichlet(np.ones(n), size=2)
    costs = rng.uniform(0.0, 0.5, size=2)
    known = Technology.from_arrays(np.arange(n, dtype=float), dists, costs)
    return price_of_robustness(known)


def contracts_sweep(workers):
    return sweep(random_price_of_robustness, [3, 4, 5, 4], seed=2026, workers=workers)


def portfolios_uncertainty(workers):
    from portfolios import load
    from portfolios.io import EXAMPLE_PATH

    P = load(EXAMPLE_PATH)
    return P.uncertainty("internal_rnd_sabotage", samples=2_000, rng=5, workers=workers)


def infrabayes_runs(workers):
    from infrabayes.learning import NewcombBandit, ThompsonSampling, run

    env = NewcombBandit()
    return run(ThompsonSampling(env.actions), env, steps=60, seeds=4, seed=11, workers=workers)


JOBS = [contracts_sweep, portfolios_uncertainty, infrabayes_runs]


def bits(x):
    """A canonical form of a result in which every float is its exact bits (``float.hex``)."""
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            return ("object array", x.shape, tuple(bits(v) for v in x.ravel().tolist()))
        return ("array", x.dtype.str, x.shape, x.tobytes())
    if isinstance(x, float | np.floating):
        return ("float", float(x).hex())
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return (
            type(x).__name__,
            tuple((f.name, bits(getattr(x, f.name))) for f in dataclasses.fields(x)),
        )
    if isinstance(x, Mapping):
        return ("map", tuple((bits(k), bits(v)) for k, v in x.items()))
    if isinstance(x, list | tuple):
        return (type(x).__name__, tuple(bits(v) for v in x))
    if isinstance(x, int | str | bool | F | np.integer | type(None)):
        return x
    return ("pickle", pickle.dumps(x))


def same(a, b):
    """Bitwise identity of two results: every field, every float's bits."""
    return bits(a) == bits(b)


def test_contracts_sweep_is_the_loop_it_replaces():
    """Serial sweep == the plain loop with the same spawned seeds (an independent re-derivation)."""
    children = np.random.SeedSequence(2026).spawn(4)
    loop = [
        random_price_of_robustness(n, np.random.default_rng(c))
        for n, c in zip([3, 4, 5, 4], children, strict=True)
    ]
    assert all(same(a, b) for a, b in zip(contracts_sweep(1), loop, strict=True))
    # and a deterministic sweep of exact inputs: (sqrt m - sqrt c)^2 = 1 for (4, 1) and (9, 4)
    techs = [
        Technology.from_arrays([0, 4, 9], [[0, 1, 0]], [1]),
        Technology.from_arrays([0, 4, 9], [[0, 0, 1]], [4]),
    ]
    assert [r.alpha for r in sweep(optimal_linear, techs, workers=2)] == [F(1, 2), F(2, 3)]


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "dask"])
def test_sweep_rejects_a_bad_workers(bad):
    with pytest.raises((ValueError, TypeError), match="workers"):
        sweep(abs, [1, -2], workers=bad)


def test_a_map_that_loses_results_is_refused():
    with pytest.raises(ValueError, match="one result per task"):
        sweep(abs, [1, -2, 3], workers=lambda f, xs: [f(x) for x in list(xs)[:2]])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_serial_threads_processes_and_dask_agree_bitwise():
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed (the 'test' extra) is not installed"
    )
    serial = [job(1) for job in JOBS]
    with ThreadPoolExecutor(2) as pool:
        threads = [job(pool.map) for job in JOBS]
    processes = [job(2) for job in JOBS]
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        dask = [job(client.get_executor().map) for job in JOBS]
    for name, results in (("threads", threads), ("processes", processes), ("dask", dask)):
        for job, a, b in zip(JOBS, serial, results, strict=True):
            assert same(a, b), f"{job.__name__}: {name} differs from serial"
    # the three jobs are random (each task has its own seed): a different root seed differs
    assert not same(serial[0], sweep(random_price_of_robustness, [3, 4, 5, 4], seed=2027))
