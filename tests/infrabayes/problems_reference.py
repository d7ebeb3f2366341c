"""A second, deliberately naive evaluator of decision-problem trees, for the tests.

Plain recursion over the node objects with Fractions. It shares no code with the library's
flattening and matrix products (``infrabayes.problems._compiled`` / ``hypotheses`` /
``theories``): only the definitions stated in their docstrings.
"""

import itertools
import math
from fractions import Fraction

import ib_reference

from infrabayes import NIRVANA
from infrabayes.problems import Chance, Correlate, Decision, Outcome, Predictor


def kids(node):
    if isinstance(node, Outcome):
        return []
    if isinstance(node, Chance):
        return [child for _, child in node.branches.values()]
    return list(node.branches.values())


def infosets(node, out=None):
    """{infoset: actions} of the decision nodes."""
    out = {} if out is None else out
    if isinstance(node, Decision):
        out.setdefault(node.infoset, tuple(node.branches))
    for child in kids(node):
        infosets(child, out)
    return out


def predicted(node, out=None):
    """The information sets read by predictors (correlates excluded)."""
    out = set() if out is None else out
    if isinstance(node, Predictor) and not isinstance(node, Correlate):
        out.add(node.infoset)
    for child in kids(node):
        predicted(child, out)
    return out


def policies(root):
    sets = infosets(root)
    names = list(sets)
    for combo in itertools.product(*(sets[n] for n in names)):
        yield dict(zip(names, combo, strict=True))


def predictions(root):
    sets = infosets(root)
    names = sorted(predicted(root), key=list(sets).index)
    for combo in itertools.product(*(sets[n] for n in names)):
        yield dict(zip(names, combo, strict=True))


def distribution(root, policy, prediction=None):
    """Outcome -> probability. prediction=None: the true problem (predictors read the policy).

    Otherwise the Nirvana trick: predictors read `prediction`, and acting against it at a
    predicted information set ends the history in NIRVANA.
    """
    out = {}

    def add(key, p):
        out[key] = out.get(key, 0) + p

    def rec(node, p):
        if p == 0:
            return
        if isinstance(node, Outcome):
            add(node.name, p)
        elif isinstance(node, Chance):
            for q, child in node.branches.values():
                rec(child, p * q)
        elif isinstance(node, Decision):
            a = policy[node.infoset]
            refuted = prediction is not None and prediction.get(node.infoset, a) != a
            if refuted:
                add(NIRVANA, p)
                return
            rec(node.branches[a], p)
        elif isinstance(node, Correlate):
            for b, child in node.branches.items():
                rec(child, p * node.base_rate[b])
        else:
            guess = (policy if prediction is None else prediction)[node.infoset]
            n = len(node.branches)
            for b, child in node.branches.items():
                q = 1 - node.epsilon if b == guess else node.epsilon / (n - 1)
                rec(child, p * q)

    rec(root, Fraction(1))
    return out


def value(dist, utilities, nirvana=math.inf):
    """E[U] of a distribution over outcomes and NIRVANA (ib_reference's a-measure value, b = 0)."""
    return ib_reference.value(dist, 0, utilities, nirvana)


def ib_value(problem, policy, encoding, nirvana=math.inf):
    """Murphy's value of a deterministic policy under the causal or acausal hypothesis."""
    u = dict(problem.utilities)
    if encoding == "acausal":
        return value(distribution(problem.root, policy), u)
    return min(
        value(distribution(problem.root, policy, pred), u, nirvana)
        for pred in predictions(problem.root)
    )


def mixed_ib_value(problem, weights, nirvana=math.inf):
    """Causal hypothesis of a mixed policy: min over predictions of the weighted expectation."""
    u = dict(problem.utilities)
    best = math.inf
    for pred in predictions(problem.root):
        mix = {}
        for policy, w in weights.items():
            for x, p in distribution(problem.root, dict(policy), pred).items():
                mix[x] = mix.get(x, 0) + w * p
        best = min(best, value(mix, u, nirvana))
    return best


def local_value(root, sigma, infoset, action, edt, t):
    """E[U | reach infoset, act = action] with every zero-probability event given probability ~t.

    The agent trembles (probability t, spread) at the other information sets; predictor errors of
    probability 0 get t/(n - 1). Returns None when the information set cannot be reached.
    """
    reach = [Fraction(0)]
    util = [Fraction(0)]

    def rec(node, p, passed):
        if p == 0:
            return
        if isinstance(node, Outcome):
            if passed:
                reach[0] += p
                util[0] += p * node.utility
        elif isinstance(node, Chance):
            for q, child in node.branches.values():
                rec(child, p * q, passed)
        elif isinstance(node, Decision):
            if node.infoset == infoset:
                rec(node.branches[action], p, True)
                return
            n = len(node.branches)
            for a, child in node.branches.items():
                w = 1 - t if a == sigma[node.infoset] else t / (n - 1)
                rec(child, p * w, passed)
        else:
            read = action if (edt and node.infoset == infoset) else sigma[node.infoset]
            n = len(node.branches)
            eps = node.epsilon
            for b, child in node.branches.items():
                if b == read:
                    q = 1 - eps if eps < 1 else t
                else:
                    q = eps / (n - 1) if eps > 0 else t / (n - 1)
                rec(child, p * q, passed)

    rec(root, Fraction(1), False)
    if reach[0] == 0:
        return None
    return util[0] / reach[0]
