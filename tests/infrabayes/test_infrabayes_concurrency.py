"""What holds across threads, processes and calls: shared objects, hash seeds, inputs.

* 8 threads solving the same :class:`Problem`, or expecting on the same
  :class:`Infradistribution`, concurrently and from cold caches, get the single-thread results
  (and one cached object per result);
* results are identical in processes with different ``PYTHONHASHSEED`` (nothing depends on the
  iteration order of a set or on ``hash``);
* no call modifies its inputs.
"""

import math
import os
import subprocess
import sys
import textwrap
import threading
from fractions import Fraction as F

import numpy as np

from infrabayes import Infradistribution, mixture, union
from infrabayes.problems import (
    counterfactual_mugging,
    newcomb,
    parfits_hitchhiker,
    transparent_newcomb,
)

THREADS = 8
THEORIES = [
    ("ib", math.inf, "causal"),
    ("ib", 1, "causal"),
    ("ib", math.inf, "acausal"),
    ("udt", math.inf, "causal"),
    ("cdt", math.inf, "causal"),
    ("edt", math.inf, "causal"),
]


def concurrently(task):
    """Run task(i) in THREADS threads released together; return their results in order."""
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS
    errors = []

    def run(i):
        try:
            barrier.wait()
            results[i] = task(i)
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def summary(solution):
    return (
        [str(v) for v in solution.values],
        [str(p) for p in solution.optimal],
        solution.status,
        solution.murphy_index,
    )


def test_threads_solving_one_problem_get_the_single_thread_results():
    for make in (transparent_newcomb, counterfactual_mugging):
        expected = {theory: summary(make().solve(*theory)) for theory in THEORIES}
        shared = make()  # cold caches: the threads fill them together

        def task(i, shared=shared):
            order = THEORIES[i % len(THEORIES) :] + THEORIES[: i % len(THEORIES)]
            solutions = {theory: shared.solve(*theory) for theory in order}
            after = shared.after(shared.infosets[0]).solve()
            return solutions, after

        results = concurrently(task)
        for solutions, after in results:
            for theory in THEORIES:
                assert summary(solutions[theory]) == expected[theory]
                # one cached Solution per setting, whichever thread computed it first
                assert solutions[theory] is results[0][0][theory]
            assert repr(after) == repr(results[0][1])


def test_threads_expecting_on_one_infradistribution_get_the_single_thread_results():
    rng = np.random.default_rng(12)
    masses, b = rng.random((30, 5)), rng.random(30)
    outcomes = tuple(f"x{i}" for i in range(5))
    utilities = rng.random((THREADS, 5))

    def work(h, i):
        f = utilities[i]
        return (
            h.expect(f),
            h.generator_values(f),
            h.murphy_choice(f),
            h.minimal_points().masses.tolist(),
            h.update({"x0", "x1"}, f).expect(utilities[(i + 1) % THREADS]),
            h.is_homogeneous(),
            len(h.generators),
        )

    expected = [
        work(Infradistribution.from_arrays(masses, b, outcomes=outcomes), i) for i in range(THREADS)
    ]
    shared = Infradistribution.from_arrays(masses, b, outcomes=outcomes)
    assert concurrently(lambda i: work(shared, i)) == expected
    # The exact path too (Fractions, exact LP verification).
    exact_masses = [[F(int(v * 8), 8) for v in row] for row in masses[:8]]
    exact = [F(int(v * 8), 8) for v in b[:8]]
    fresh = Infradistribution.from_arrays(exact_masses, exact, outcomes=outcomes)
    want = [fresh.minimal_points().masses.tolist(), fresh.expect(F(1, 3))]
    shared = Infradistribution.from_arrays(exact_masses, exact, outcomes=outcomes)
    got = concurrently(lambda i: [shared.minimal_points().masses.tolist(), shared.expect(F(1, 3))])
    assert all(g == want for g in got)


DIGEST = textwrap.dedent(
    """
    import hashlib, math
    from fractions import Fraction as F
    import numpy as np
    from infrabayes import Infradistribution, mixture, union
    from infrabayes.problems import library
    lines = []
    for make in (library.newcomb, library.transparent_newcomb, library.xor_blackmail,
                 library.death_in_damascus, library.smoking_lesion, library.counterfactual_mugging):
        p = make()
        lines.append(repr(p))
        lines.append(repr(p.compare()))
        for infoset in p.infosets:
            try:
                lines.append(repr(p.after(infoset).solve()))
            except ValueError as error:
                lines.append(str(error))
    rng = np.random.default_rng(7)
    for trial in range(5):
        outcomes = tuple(f"x{i}" for i in range(4))
        h = Infradistribution.from_arrays(rng.random((6, 4)), rng.random(6), outcomes=outcomes)
        e = Infradistribution([{x: F(int(v * 6), 6) for x, v in zip(outcomes, row)}
                               for row in rng.random((5, 4))])
        for g in (h, e):
            lines.append(repr(g.minimal_points()))
            try:
                lines.append(repr(g.update({"x0", "x2"}, {x: 0.5 for x in outcomes})))
            except ValueError as error:
                lines.append(str(error))
            lines.append(repr(g.pushforward({"x0": "a", "x1": "b", "x2": "a", "x3": "c"})))
            lines.append(repr([g.is_crisp(), g.is_sharp(), g.is_homogeneous()]))
        lines.append(repr(mixture([e, e], [F(1, 3), F(2, 3)]).expect(F(1, 2))))
        lines.append(repr(union([h, h]).murphy_choice([0.1, 0.2, 0.3, 0.4])))
    print(hashlib.sha256("\\n".join(lines).encode()).hexdigest(), len(lines))
    """
)


def test_results_do_not_depend_on_the_hash_seed():
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", DIGEST], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1, outputs


def _frozen_copy(x):
    return x.copy() if isinstance(x, np.ndarray) else x


def test_no_call_modifies_its_inputs():
    masses = np.array([[0.5, 0.25, 0.25], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6]])
    b = np.array([0.0, 0.1, 0.0])
    f = np.array([1.0, 0.5, 0.0])
    likelihood = np.array([1.0, 0.5, 0.0])
    weights = [0.25, 0.75]
    mapping = {"a": "x", "b": "y", "c": "x"}
    arrays = [masses, b, f, likelihood]
    before = [a.copy() for a in arrays]
    flags = [a.flags.writeable for a in arrays]
    h = Infradistribution.from_arrays(masses, b, outcomes=("a", "b", "c"))
    h.expect(f)
    h.generator_values(f)
    h.murphy_choice(f)
    h.update(likelihood, f)
    h.raw_update(likelihood, f)
    h.probability(likelihood, f)
    h.minimal_points()
    h.pushforward(mapping)
    mixture([h, h], weights)
    union([h, h])
    for a, old, flag in zip(arrays, before, flags, strict=True):
        assert np.array_equal(a, old)
        assert a.flags.writeable == flag
    assert weights == [0.25, 0.75]
    assert mapping == {"a": "x", "b": "y", "c": "x"}
    # A problem's tree and the mappings passed to it.
    p = newcomb()
    root, branches = p.root, dict(p.root.branches)
    mixed = {"one-box": F(1, 2), "two-box": F(1, 2)}
    p.compare()
    p.mixed_value(mixed)
    p.after(p.infosets[0]).solve()
    assert p.root is root and dict(p.root.branches) == branches
    assert mixed == {"one-box": F(1, 2), "two-box": F(1, 2)}
    parfit = parfits_hitchhiker()
    assert parfit.solve("udt").values.flags.writeable is False
