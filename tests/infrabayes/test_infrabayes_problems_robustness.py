"""Decision problems under hostile or very large inputs (issue 12).

Deep trees, cycles, shared subtrees with exponentially many paths, problems too large to solve,
tiny probabilities, progress callbacks. Each reproducer of the audit is a test that fails on the
code before the fix (a hang is caught by an alarm and fails too).
"""

import math
import signal
import sys
from contextlib import contextmanager
from fractions import Fraction as F
from types import MappingProxyType

import problems_reference as ref
import pytest
from hypothesis import given
from hypothesis import strategies as st

import infrabayes.limits as limits
from infrabayes.problems import Chance, Correlate, Decision, Outcome, Predictor, Problem, _factored
from infrabayes.strategies import problems

SETTINGS = [("ib", math.inf, "causal"), ("ib", 1, "causal"), ("ib", math.inf, "acausal")]
THEORIES = [*SETTINGS, ("udt", math.inf, "causal"), ("cdt", math.inf, "causal")]
THEORIES.append(("edt", math.inf, "causal"))


@contextmanager
def within(seconds):
    """Fail (instead of hanging) if the block takes longer than `seconds`."""

    def expired(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def chance_chain(depth, exact=True):
    """A chain of fair coins: heads goes deeper, tails ends at utility 0; the bottom is worth 1."""
    half = F(1, 2) if exact else 0.5
    node = Outcome("bottom", 1)
    for i in range(depth):
        node = Chance({"h": (half, node), "t": (half, Outcome(f"t{i}", 0))}, name=f"coin {i}")
    return node


def to_float(node):
    """The same tree with every number as a float (for the exact-vs-float comparisons)."""
    if isinstance(node, Outcome):
        return Outcome(node.name, float(node.utility))
    if isinstance(node, Chance):
        return Chance(
            {k: (float(p), to_float(c)) for k, (p, c) in node.branches.items()}, name=node.name
        )
    kids = {k: to_float(c) for k, c in node.branches.items()}
    if isinstance(node, Decision):
        return Decision(node.infoset, kids)
    if isinstance(node, Correlate):
        rates = {k: float(v) for k, v in node.base_rate.items()}
        return Correlate(
            node.infoset, kids, epsilon=float(node.epsilon), name=node.name, base_rate=rates
        )
    return Predictor(node.infoset, kids, epsilon=float(node.epsilon), name=node.name)


# ---------------------------------------------------------------------------------------------
# depth: no walk recurses
# ---------------------------------------------------------------------------------------------


def test_a_tree_far_deeper_than_the_recursion_limit_is_solved():
    # The audit's tree 988 deep raised RecursionError; 2.5 times the recursion limit here (the
    # paths of a chain with a leaf at every level hold depth**2 / 2 nodes: MAX_PATH_STEPS).
    depth = 5 * sys.getrecursionlimit() // 2
    p = Problem(chance_chain(depth))
    # By hand: the bottom (utility 1) is reached with probability 2**-depth, the rest is 0.
    assert p.solve("udt").value == F(1, 2**depth)
    assert p.solve("ib").value == F(1, 2**depth)
    assert p.expected_utility({}) == F(1, 2**depth)
    text = repr(p)
    assert f"({2 * depth + 1 - 40} more lines)" in text
    top = f"coin {depth - 1}"
    assert repr(p.root) == (
        f"<Chance {top!r}: h (1/2) -> chance 'coin {depth - 2}', t (1/2) -> outcome "
        f"'t{depth - 1}' (0)>"
    )
    # A single path can be as long as MAX_PATH_STEPS: 50000 nodes, a choice every 5000.
    node = Outcome("end", 1)
    for i in range(50 * sys.getrecursionlimit()):
        if i % 5000:
            node = Chance({"sure": (1, node)}, name=f"sure {i}")
        else:
            node = Decision(f"I{i}", {"go": node, "stop": Outcome(f"stop {i}", 0)})
    p = Problem(node)
    assert len(p.infosets) == 10
    go = p.policy(dict.fromkeys(p.infosets, "go"))
    assert p.solve("udt").optimal == (go,)
    assert p.solve("udt").value == 1
    assert p.solve("cdt").is_optimal(go)


def test_deep_chains_of_decisions_and_predictors_are_solved():
    # One real choice at the bottom, read by a chain of predictors that each pass it on:
    # Parfit's hitchhiker with 1200 drivers in a row (all perfect): paying is worth 999/1000.
    town = Decision("town", {"pay": Outcome("paid", F(999, 1000)), "refuse": Outcome("free", 1)})
    node = town
    for i in range(1200):
        node = Predictor("town", {"pay": node, "refuse": Outcome(f"desert {i}", 0)}, name=f"d{i}")
    p = Problem(node)
    assert p.solve("udt").optimal == (p.policy("pay"),)
    assert p.solve("udt").value == F(999, 1000)
    assert p.solve("ib", encoding="acausal").value == F(999, 1000)
    assert p.solve("cdt").action_values_of("pay") == {"town": {"pay": F(999, 1000), "refuse": 1}}


# ---------------------------------------------------------------------------------------------
# cycles and shared subtrees
# ---------------------------------------------------------------------------------------------


def _rewire(node, branches):
    """Point an existing node's branches elsewhere (nodes are frozen: only a hostile caller can)."""
    object.__setattr__(node, "branches", MappingProxyType(branches))


def test_a_node_reachable_from_itself_is_refused_by_name():
    loop = Decision("I", {"a": Outcome("x", 0), "b": Outcome("y", 1)})
    _rewire(loop, {"a": Outcome("x", 0), "b": loop})
    with within(20), pytest.raises(ValueError, match="the tree has a cycle: the node at the root"):
        Problem(loop)
    # A longer loop, below the root, through a chance node.
    inner = Decision("J", {"a": Outcome("x", 0), "b": Outcome("y", 1)})
    coin = Chance({"h": (F(1, 2), inner), "t": (F(1, 2), Outcome("z", 0))})
    _rewire(inner, {"a": Outcome("x", 0), "b": coin})
    root = Decision("I", {"go": coin, "stay": Outcome("w", 0)})
    with within(20), pytest.raises(ValueError, match="cycle: the node at go is reached again"):
        Problem(root)


def test_shared_subtrees_are_allowed_and_valued_as_copies():
    # The same node object under two branches is a tree with a repeated subtree, not a cycle.
    shared = Decision("I", {"a": Outcome("x", F(1, 3)), "b": Outcome("y", F(2, 3))})
    copy = Decision("I", {"a": Outcome("x", F(1, 3)), "b": Outcome("y", F(2, 3))})
    dag = Chance({"h": (F(1, 4), shared), "t": (F(3, 4), shared)})
    tree = Chance({"h": (F(1, 4), shared), "t": (F(3, 4), copy)})
    for theory in THEORIES:
        a, b = Problem(dag).solve(*theory), Problem(tree).solve(*theory)
        assert list(a.values) == list(b.values)
        assert a.optimal == b.optimal
    # An information set twice on a path through a shared subtree is found (imperfect recall,
    # accepted): the pure policy "a" takes a at both nodes of I on the path t/a.
    twice = Decision("I", {"a": shared, "b": Outcome("z", 0)})
    p = Problem(Chance({"h": (F(1, 2), shared), "t": (F(1, 2), twice)}))
    assert p._view.compiled.absent_minded
    assert not Problem(dag)._view.compiled.absent_minded
    assert p.expected_utility("a") == F(1, 2) * F(1, 3) + F(1, 2) * F(1, 3)


def test_exponentially_many_shared_paths_are_refused_early_with_the_size():
    # 30 levels, each a coin whose two branches share the level below: 2**30 paths from 31 nodes.
    node = Outcome("x", 1)
    for _ in range(30):
        node = Chance({"h": (F(1, 2), node), "t": (F(1, 2), node)})
    with within(10), pytest.raises(limits.SizeLimitError, match="1073741824 root-to-leaf paths"):
        Problem(node)


# ---------------------------------------------------------------------------------------------
# sizes: refused early, with the size and the cheaper route
# ---------------------------------------------------------------------------------------------


def rooms(n, predicted=None, exact=True):
    """n rooms, each a Parfit's hitchhiker; the drivers of the first `predicted` rooms predict."""
    predicted = n if predicted is None else predicted
    num = (lambda x: x) if exact else float
    branches = {}
    for k in range(n):
        town = Decision(
            f"room {k}",
            {"pay": Outcome(f"{k}: pay", num(F(999, 1000))), "refuse": Outcome(f"{k}: ok", 1)},
        )
        node = town
        if k < predicted:
            node = Predictor(
                f"room {k}",
                {"pay": town, "refuse": Outcome(f"{k}: desert", 0)},
                epsilon=num(F(1, 10)),
            )
        branches[f"room {k}"] = (num(F(1, n)), node)
    return Problem(Chance(branches))


def test_2_36_policies_times_predictions_is_refused_early():
    # 2**20 policies and 2**16 predictions: accepted before, and hanging in solve().
    with within(20), pytest.raises(limits.SizeLimitError, match=r"1048576 x \d+ = \d+ entries"):
        rooms(20, predicted=16).solve()


def test_causal_values_beyond_the_limit_name_the_cheaper_route(monkeypatch):
    # The rooms' predictions factorise (one room each): IB values them room by room.
    p = rooms(14)
    with within(20):
        assert p.solve("ib").optimal == (p.policy({f"room {k}": "pay" for k in range(14)}),)
    # Without the factorised route: 2**14 policies x 2**14 predictions x 70 leaves, refused.
    monkeypatch.setattr(_factored, "worthwhile", lambda c, parts: False)
    p = rooms(14)
    with within(20), pytest.raises(limits.SizeLimitError) as error:
        p.solve("ib")
    message = str(error.value)
    assert "16384 (2^14) policies x 16384 (2^14) predictions x 70 leaves" in message
    assert "MAX_CAUSAL_PRODUCTS = 8589934592 (2^33)" in message
    assert "solve('udt')" in message
    with within(20):
        assert p.solve("udt").optimal == (p.policy({f"room {k}": "pay" for k in range(14)}),)
        assert p.solve("ib", encoding="acausal").optimal == p.solve("udt").optimal


def test_python_loops_beyond_the_limit_are_refused(monkeypatch):
    p = rooms(3)
    p.solve("udt")  # the tables are built (and their own check passed)
    monkeypatch.setattr(limits, "MAX_PYTHON_OPERATIONS", 10)
    with pytest.raises(limits.SizeLimitError, match=r"CDT evaluates .* MAX_PYTHON_OPERATIONS"):
        p.solve("cdt")
    with pytest.raises(limits.SizeLimitError, match="naive conditioning evaluates"):
        p.after("room 0").solve()
    # By hand: each driver predicts "pay" with probability 9/10, then paying is worth 999/1000.
    assert p.solve("udt").value == F(9, 10) * F(999, 1000)


@pytest.mark.parametrize(
    ("name", "value", "build", "match"),
    [
        ("MAX_POLICIES", 4, lambda: rooms(3), r"8 \(2\^3\) deterministic policies"),
        ("MAX_PREDICTIONS", 4, lambda: rooms(3), r"8 \(2\^3\) hard-coded predictions"),
        ("MAX_PATH_STEPS", 20, lambda: rooms(3), r"root-to-leaf paths holding \d+ nodes"),
        ("MAX_TABLE_ENTRIES", 40, lambda: rooms(3), "policies x leaves"),
        ("MAX_CAUSAL_PRODUCTS", 500, lambda: rooms(3).solve(), "solve\\('udt'\\)"),
    ],
)
def test_every_limit_is_read_at_call_time_and_named(monkeypatch, name, value, build, match):
    monkeypatch.setattr(limits, name, value)
    with pytest.raises(limits.SizeLimitError, match=match) as error:
        build()
    assert name in str(error.value)


# ---------------------------------------------------------------------------------------------
# progress callbacks
# ---------------------------------------------------------------------------------------------


def _recorder():
    calls = []
    return calls, lambda done, total: calls.append((done, total))


def _finished(calls):
    """Progress was reported, within its totals, and ended complete."""
    assert calls, "progress was never called"
    assert all(isinstance(d, int) and isinstance(t, int) and 0 < d <= t for d, t in calls)
    assert calls[-1][0] == calls[-1][1]


def test_long_computations_report_progress():
    calls, progress = _recorder()
    p = Problem(rooms(4).root, progress=progress)
    _finished(calls)
    for theory in THEORIES:
        calls, progress = _recorder()
        rooms(4).solve(*theory, progress=progress)
        _finished(calls)
    p.solve("ib")
    calls, progress = _recorder()
    p.solve("ib", progress=progress)  # cached: no work, no call
    assert calls == []
    calls, progress = _recorder()
    rooms(2).compare(progress=progress)
    _finished(calls)
    calls, progress = _recorder()
    p.after("room 0").solve(progress=progress)
    _finished(calls)
    calls, progress = _recorder()
    h = p.hypothesis("room 0: pay, room 1: pay, room 2: pay, room 3: pay", nirvana=1)
    h.minimal_points(progress=progress)  # one LP per generator: 16 predictions
    assert calls == [(k, 16) for k in range(1, 17)]
    with pytest.raises(TypeError, match=r"progress must be None or a callable"):
        p.solve("udt", progress="tqdm")


def test_a_progress_callback_can_interrupt():
    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop

    p = rooms(3)
    with pytest.raises(Stop):
        p.solve("ib", progress=stop)
    assert p.solve("ib").value == p.solve("ib").value  # nothing half-computed was cached


# ---------------------------------------------------------------------------------------------
# tiny probabilities: ties are relative
# ---------------------------------------------------------------------------------------------


def test_values_of_order_1e_15_are_not_tied():
    # "b" wins 2e-15 against "a"'s 1e-15: the old float tie tolerance, 1e-12 * max(1, |best|),
    # called them equal (both optimal), unlike the exact problem.
    def bet(p, name):
        return Chance({"win": (p, Outcome(f"{name} wins", 1)), "lose": (1 - p, Outcome("lose", 0))})

    for one, two in ((1e-15, 2e-15), (F(1, 10**15), F(2, 10**15))):
        p = Problem(Decision("I", {"a": bet(one, "a"), "b": bet(two, "b")}))
        for theory in THEORIES:
            assert p.solve(*theory).optimal == (p.policy("b"),), theory


@st.composite
def rare_problems(draw):
    """An exact random problem reached with probability of order 10**-k, and its float twin."""
    k = draw(st.integers(0, 14))
    rare = F(draw(st.integers(1, 9)), 10 ** (k + 1))
    tree = draw(problems()).root
    root = Chance({"rare": (rare, tree), "common": (1 - rare, Outcome("common", 0))})
    return Problem(root), Problem(to_float(root))


@given(rare_problems())
def test_tiny_probabilities_keep_the_exact_optimal_policies(pair):
    exact, floats = pair
    for theory in THEORIES:
        a, b = exact.solve(*theory), floats.solve(*theory)
        assert a.optimal == b.optimal, theory
        assert a.status == b.status
        for policy in exact.policies:
            x, y = a.value_of(policy), b.value_of(policy)
            assert math.isclose(y, float(x), rel_tol=1e-9, abs_tol=0), (theory, policy)


@given(rare_problems())
def test_float_values_of_rare_problems_match_the_exact_reference(pair):
    # The exact-vs-float property of the library's problems, on data of order 10**-k, against
    # the naive evaluator run in Fractions: relative agreement (no absolute tolerance).
    exact, floats = pair
    for theory, nirvana, encoding in SETTINGS:
        sol = floats.solve(theory, nirvana, encoding)
        for policy in floats.policies:
            want = ref.ib_value(exact, dict(policy), encoding, nirvana)
            assert math.isclose(sol.value_of(policy), float(want), rel_tol=1e-9, abs_tol=0)
