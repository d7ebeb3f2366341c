"""infrabayes._parallel: the workers convention (scipy's) and engine-independent results."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from infrabayes._parallel import check_workers, map_tasks


def _draws(task):
    """A module-level task: draws from its own seed (plain data in, plain data out)."""
    entropy, key = task
    rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=key))
    return rng.random(50)


def _tasks(n=7):
    children = np.random.SeedSequence(123).spawn(n)
    return [(c.entropy, tuple(c.spawn_key)) for c in children]


def test_serial_threads_processes_give_bitwise_identical_results():
    tasks = _tasks()
    serial = map_tasks(_draws, tasks, workers=1)
    with ThreadPoolExecutor(3) as pool:
        threads = map_tasks(_draws, tasks, workers=pool.map)
    processes = map_tasks(_draws, tasks, workers=2)
    builtin = map_tasks(_draws, tasks, workers=map)
    for other in (threads, processes, builtin):
        assert len(other) == len(serial)
        for a, b in zip(serial, other, strict=True):
            assert a.tobytes() == b.tobytes()
    # The results differ between tasks (independent seeds), so the identity is not vacuous.
    assert serial[0].tobytes() != serial[1].tobytes()


def test_minus_one_means_one_process_per_cpu():
    assert check_workers(-1) >= 1
    assert map_tasks(abs, [-1, -2], workers=-1) == [1, 2]


@pytest.mark.parametrize("bad", [0, -2])
def test_bad_worker_counts(bad):
    with pytest.raises(ValueError, match="workers is"):
        check_workers(bad)


@pytest.mark.parametrize("bad", [True, 1.5, "2"])
def test_bad_worker_types(bad):
    with pytest.raises(TypeError, match="workers"):
        check_workers(bad)


def test_a_map_that_loses_results_is_caught():
    with pytest.raises(ValueError, match="returned 1 results for 2 tasks"):
        map_tasks(abs, [1, 2], workers=lambda f, xs: [f(next(iter(xs)))])


def test_order_is_kept_with_processes():
    assert map_tasks(abs, list(range(-20, 0)), workers=2) == list(range(20, 0, -1))
