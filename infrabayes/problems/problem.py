r"""The :class:`Problem` class: one decision problem in the REPL, solved by IB, UDT, CDT and EDT.

A problem is built from a tree of nodes (:mod:`infrabayes.problems.nodes`); it knows its
information sets, policies, outcomes and utilities, gives each policy its infra-Bayesian hypothesis
(:mod:`infrabayes.problems.hypotheses`), and solves itself under each theory
(:mod:`infrabayes.problems.theories`). ``problem.after(infoset)`` re-decides after an observation
(:mod:`infrabayes.problems.after`).

The class is a thin facade. It compiles its tree once into a ``ProblemView``
(:mod:`infrabayes.problems._view`: the compiled tree, the policies, the row of a policy, the
hypothesis tables) and passes that view to the objects it makes (solutions, comparisons,
observations), which read the problem only through it.

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes.problems import Decision, Outcome, Predictor, Problem
>>> parfit = Problem(Predictor("town", {
...     "pay": Decision("town", {
...         "pay": Outcome("town, pay", F(999, 1000)),
...         "refuse": Outcome("town, refuse", 1),
...     }),
...     "refuse": Outcome("desert", 0),
... }, name="driver"), name="Parfit's Hitchhiker")
>>> parfit
Parfit's Hitchhiker: 1 information set, 2 policies, 3 outcomes (exact)
  predictor 'driver' reads 'town' (error 0)
    predicts pay: decision at 'town'
      pay: outcome 'town, pay' (utility 999/1000)
      refuse: outcome 'town, refuse' (utility 1)
    predicts refuse: outcome 'desert' (utility 0)
>>> parfit.solve("udt").optimal
(Policy({'town': 'pay'}),)
>>> parfit.solve("ib", encoding="causal").value, parfit.solve("ib", encoding="acausal").value
(Fraction(0, 1), Fraction(999, 1000))
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal, overload

import numpy as np

from infrabayes._numbers import Number, format_number, is_exact, read_only, vector
from infrabayes._parallel import check_workers
from infrabayes.infradistribution import Infradistribution
from infrabayes.limits import Progress, check_progress
from infrabayes.nirvana import check_nirvana
from infrabayes.operations import WEIGHT_SUM_TOLERANCE
from infrabayes.problems import hypotheses as hyp
from infrabayes.problems._compiled import compile_tree
from infrabayes.problems._draw import to_dot
from infrabayes.problems._view import ProblemView
from infrabayes.problems.after import Observation, observe
from infrabayes.problems.mixed import MixedSolution, solve_mixed
from infrabayes.problems.nodes import NODE_TYPES, Node, branch_label, children, describe
from infrabayes.problems.policy import Policy
from infrabayes.problems.results import Comparison, Solution
from infrabayes.problems.theories import check_theory, optimal_rows, ratifiable_rows

__all__ = ["Problem"]

#: The tree view in the repr shows at most this many lines.
MAX_TREE_LINES = 40


class Problem:
    """A Newcomb-like decision problem: a tree, its policies, hypotheses and solutions.

    Parameters
    ----------
    root : node
        The tree (:class:`Outcome`, :class:`Chance`, :class:`Decision`, :class:`Predictor`,
        :class:`Correlate`). Checked: outcome names have one utility; nodes of one information set
        offer the same actions (an information set may have several nodes on one path: imperfect
        recall, see :mod:`infrabayes.problems.mixed`); every predictor
        reads an information set with a decision node, with one branch per action.
    name : str, default "decision problem"
    parameters : mapping, optional
        Shown in the repr (the library's constructors record their arguments here).
    progress : callable, optional
        Called as ``progress(leaves done, leaves)`` while the tree's paths are enumerated.

    Raises
    ------
    TypeError, ValueError
        On a malformed tree, naming the path of the bad node: a cycle (a node that is its own
        descendant; subtrees may be shared), an information set twice on a path, an outcome
        name with two utilities, a predictor without its information set.
    SizeLimitError
        A ``ValueError``: the problem exceeds a limit of :mod:`infrabayes.limits` (policies,
        predictions, path steps, table entries); the message gives the size it would need.

    Notes
    -----
    Immutable. Exact (``Fraction``) when every number in the tree is an int or a Fraction.
    Every walk over the tree is iterative: any depth works within the limits. Safe to share
    between threads (results are computed once and cached; concurrent first calls agree).
    """

    __slots__ = ("_cache", "_mixed", "_parameters", "_root", "_view")

    def __init__(
        self,
        root: Node,
        *,
        name: str = "decision problem",
        parameters: Mapping[str, Any] | None = None,
        progress: Progress | None = None,
    ) -> None:
        if not isinstance(root, NODE_TYPES):
            raise TypeError(
                "root must be a node (Outcome, Chance, Decision, Predictor, Correlate); got "
                f"{root!r}"
            )
        if not isinstance(name, str) or not name:
            raise TypeError(f"name must be a nonempty string; got {name!r}")
        self._root = root
        self._parameters = MappingProxyType(dict(parameters or {}))
        self._view = ProblemView(name, compile_tree(root, check_progress(progress)))
        self._cache: dict[Any, Solution[Problem]] = {}
        self._mixed: dict[Any, MixedSolution[Problem]] = {}

    # -- structure ------------------------------------------------------------------------------

    @property
    def root(self) -> Node:
        """The tree."""
        return self._root

    @property
    def name(self) -> str:
        """The problem's name."""
        return self._view.name

    @property
    def parameters(self) -> Mapping[str, Any]:
        """The parameters it was built with (read-only)."""
        return self._parameters

    @property
    def exact(self) -> bool:
        """Whether every number is exact (then all values are Fractions)."""
        return self._view.compiled.exact

    @property
    def infosets(self) -> tuple[str, ...]:
        """The information sets, in order of first appearance in the tree."""
        return self._view.compiled.infosets

    @property
    def actions(self) -> Mapping[str, tuple[str, ...]]:
        """The actions of each information set."""
        c = self._view.compiled
        return MappingProxyType(dict(zip(c.infosets, c.actions, strict=True)))

    @property
    def predicted(self) -> tuple[str, ...]:
        """The information sets that predictors read (correlates excluded)."""
        c = self._view.compiled
        return tuple(c.infosets[i] for i in c.predicted)

    @property
    def outcomes(self) -> tuple[str, ...]:
        """The outcome names, in order of first appearance."""
        return self._view.compiled.outcomes

    @property
    def utilities(self) -> Mapping[str, Number]:
        """The utility of each outcome (in [0, 1])."""
        c = self._view.compiled
        return MappingProxyType(dict(zip(c.outcomes, c.utilities, strict=True)))

    @property
    def policies(self) -> tuple[Policy, ...]:
        """Every deterministic policy (first information set varying slowest)."""
        return self._view.policies

    @property
    def predictions(self) -> tuple[Policy, ...]:
        """The hard-coded predictions: the environments (generators) of the causal hypothesis."""
        return self._view.predictions

    def policy(self, spec: Any) -> Policy:
        """Return the policy named by `spec`.

        `spec` is a :class:`Policy` or mapping ``infoset -> action`` (every information set), an
        action name when there is one information set, or the printed form
        ``"full: one-box, empty: two-box"``.
        """
        return self._view.policy(spec)

    # -- hypotheses and distributions -----------------------------------------------------------

    def hypothesis(
        self, policy: Any, encoding: str = "causal", nirvana: float = math.inf
    ) -> Infradistribution:
        r"""Return the hypothesis :math:`\Theta(\pi)` of a policy as an Infradistribution.

        Parameters
        ----------
        policy : Policy, mapping or str
        encoding : {"causal", "acausal"}
            Causal: the Nirvana trick, one generator per hard-coded prediction (in the order of
            :attr:`predictions`), over the outcomes and NIRVANA. Acausal: one generator, the true
            distribution :math:`e(\pi) \cdot \pi`.
        nirvana : {math.inf, 1}
            The value of NIRVANA.
        """
        v = self._view
        return hyp.hypothesis(v.compiled, v.tables(), v.row(policy), encoding, nirvana)

    def distribution(self, policy: Any) -> dict[str, Number]:
        """Return the true distribution of outcomes under a policy (predictors read it)."""
        h = self.hypothesis(policy, "acausal")  # over the outcomes, in the compiled order
        return dict(zip(self.outcomes, h.masses[0].tolist(), strict=True))

    def expected_utility(self, policy: Any) -> Number:
        """Return the expected utility of a policy in the true problem."""
        return self.hypothesis(policy, "acausal").expect(dict(self.utilities))

    def mixed_hypothesis(
        self, weights: Mapping[Any, Any], encoding: str = "causal", nirvana: float = math.inf
    ) -> Infradistribution:
        r"""Return the hypothesis of a mixed policy :math:`\sum_\pi w_\pi \pi`.

        Murphy moves once, after the policy: the causal generators are
        :math:`\sum_\pi w_\pi\, e_p \cdot \pi`, one per prediction :math:`p` (see
        :mod:`infrabayes.problems.hypotheses`). This is *not* ``infrabayes.mixture`` of the
        policies' hypotheses, which lets Murphy answer each policy separately.

        Parameters
        ----------
        weights : mapping policy -> weight
            Nonnegative weights summing to 1 (exactly for exact ones, within
            :data:`~infrabayes.operations.WEIGHT_SUM_TOLERANCE` for floats).
        """
        if not isinstance(weights, Mapping) or not weights:
            raise TypeError(f"weights must be a nonempty mapping policy -> weight; got {weights!r}")
        v = self._view
        rows = [v.row(p) for p in weights]
        if len(set(rows)) != len(rows):
            raise ValueError(f"the mixed policy {dict(weights)!r} names a policy twice")
        w = vector(list(weights.values()), "a mixed policy's weight")
        if (w < 0).any():
            raise ValueError(f"a mixed policy's weights must be >= 0; got {w.tolist()}")
        total = w.sum()
        if (total != 1) if is_exact(w) else abs(float(total) - 1) > WEIGHT_SUM_TOLERANCE:
            tol = "exactly" if is_exact(w) else f"within {WEIGHT_SUM_TOLERANCE}"
            raise ValueError(
                f"a mixed policy's weights sum to {format_number(total)}, not 1 ({tol})"
            )
        values = w.tolist()
        return hyp.mixed_hypothesis(v.compiled, v.tables(), rows, values, encoding, nirvana)

    def mixed_value(
        self, weights: Mapping[Any, Any], encoding: str = "causal", nirvana: float = math.inf
    ) -> Number:
        r"""Return Murphy's value of a mixed policy (he moves once, after the policy).

        That is :math:`\min_p \sum_\pi w_\pi E_{e_p \cdot \pi}(U)` for the causal hypothesis.

        ``math.inf`` under ``nirvana=math.inf`` when every prediction is refuted with positive
        probability (the Nirvana trick presumes deterministic policies).
        """
        return self.mixed_hypothesis(weights, encoding, nirvana).expect(dict(self.utilities))

    # -- solving --------------------------------------------------------------------------------

    @overload
    def solve(
        self,
        theory: str = ...,
        nirvana: float = ...,
        encoding: str = ...,
        *,
        progress: Progress | None = ...,
        workers: Any = ...,
        mixed: Literal[False] = ...,
    ) -> Solution[Problem]: ...

    @overload
    def solve(
        self,
        theory: str = ...,
        nirvana: float = ...,
        encoding: str = ...,
        *,
        progress: Progress | None = ...,
        workers: Any = ...,
        mixed: Literal[True],
    ) -> MixedSolution[Problem]: ...

    @overload
    def solve(
        self,
        theory: str = ...,
        nirvana: float = ...,
        encoding: str = ...,
        *,
        progress: Progress | None = ...,
        workers: Any = ...,
        mixed: bool,
    ) -> Solution[Problem] | MixedSolution[Problem]: ...

    def solve(
        self,
        theory: str = "ib",
        nirvana: float = math.inf,
        encoding: str = "causal",
        *,
        progress: Progress | None = None,
        workers: Any = 1,
        mixed: bool = False,
    ) -> Solution[Problem] | MixedSolution[Problem]:
        """Solve the problem under a decision theory.

        Parameters
        ----------
        theory : {"ib", "udt", "cdt", "edt"}
            See :mod:`infrabayes.problems.theories` for the exact definitions.
        nirvana : {math.inf, 1}, default math.inf
            IB only: the value of NIRVANA in the causal hypothesis.
        encoding : {"causal", "acausal"}, default "causal"
            IB only: the Nirvana trick, or the prediction read from the actual policy.
        progress : callable, optional
            Called as ``progress(done, total)`` while the main loop runs: the policies valued
            (IB, UDT) or the beliefs evaluated (CDT, EDT). Not called when that loop's results
            are known already (solutions and their parts are computed once per problem).
            :func:`infrabayes.problems.progress.bar` draws a progress bar.
        workers : int or map-like callable, default 1
            IB's causal values by the direct products: chunks of policies valued in parallel
            (scipy's convention, see :func:`infrabayes.problems.hypotheses.ib_values`). The
            factorised route (:mod:`infrabayes.problems._factored`), taken when the predictions
            split into independent parts, needs no workers.
        mixed : bool, default False
            Optimise over behavioural (randomised) policies instead: UDT's and IB's optimum,
            CDT's and EDT's ratifiable behaviours, with the method and its guarantee
            (:mod:`infrabayes.problems.mixed`, which also states how a predictor reads a
            randomising agent, and what NIRVANA does against a coin).
            `progress` is then called once per support (face) of the behaviours enumerated
            (CDT's and EDT's supports, the faces of UDT's and IB's exact methods), or once
            for a method without that loop (one free probability, the grid's vectorised pass);
            not for the best deterministic value shown beside the optimum.

        Returns
        -------
        Solution or MixedSolution
            The value of every policy, all optimal policies (ties shown), Murphy's choices (IB),
            the action values and ratifiable policies (CDT, EDT). With ``mixed=True``, a
            :class:`~infrabayes.problems.mixed.MixedSolution`.

        Raises
        ------
        SizeLimitError
            A ``ValueError``: IB's causal hypothesis beyond
            :data:`~infrabayes.limits.MAX_CAUSAL_PRODUCTS` (the message names the cheaper
            acausal and UDT routes), CDT or EDT beyond
            :data:`~infrabayes.limits.MAX_PYTHON_OPERATIONS`; with ``mixed=True``, polynomials
            beyond it, or CDT/EDT supports beyond
            :data:`~infrabayes.problems._poly.MAX_FACES`.
        """
        theory = check_theory(theory)
        nirvana = check_nirvana(nirvana)
        encoding = hyp.check_encoding(encoding)
        if theory != "ib" and (nirvana != math.inf or encoding != "causal"):
            raise ValueError(
                f"nirvana= and encoding= choose IB's hypothesis; theory={theory!r} reads the true "
                "problem, so leave them at their defaults"
            )
        progress = check_progress(progress)
        check_workers(workers)
        if mixed:
            mixed_key = (theory, nirvana, encoding)
            if mixed_key not in self._mixed:
                pure = lambda: self.solve(theory, nirvana, encoding).value  # noqa: E731
                self._mixed.setdefault(
                    mixed_key,
                    solve_mixed(
                        self, self._view.compiled, theory, encoding, nirvana, pure, progress
                    ),
                )
            return self._mixed[mixed_key]
        key = (theory, nirvana, encoding)
        if key not in self._cache:
            self._cache.setdefault(key, self._solve(theory, nirvana, encoding, progress, workers))
        return self._cache[key]

    def _solve(
        self,
        theory: str,
        nirvana: float,
        encoding: str,
        progress: Progress | None,
        workers: Any = 1,
    ) -> Solution[Problem]:
        c = self._view.compiled
        murphy_index = None
        action_values = None
        status = "optimal"
        if theory == "ib":
            values, murphy_index = self._view.ib_values(encoding, nirvana, progress, workers)
            eu = self._view.expected_utilities()
            best = optimal_rows(values, c.exact)
        elif theory == "udt":
            values = eu = self._view.expected_utilities(progress)
            best = optimal_rows(values, c.exact)
        else:
            action_values = self._view.local_values(theory, progress)
            values = eu = self._view.expected_utilities()
            best = ratifiable_rows(c, action_values)
            if best.size == 0:
                status = "no ratifiable policy"
        return Solution(
            problem=self,
            _view=self._view,
            theory=theory,
            encoding=encoding if theory == "ib" else None,
            nirvana=nirvana if theory == "ib" and encoding == "causal" else None,
            policies=self.policies,
            values=read_only(np.array(values, copy=True)),
            expected_utilities=eu,
            optimal=tuple(self.policies[int(s)] for s in best),
            status=status,
            murphy_index=murphy_index,
            action_values=action_values,
        )

    def compare(self, *, progress: Progress | None = None) -> Comparison[Problem]:
        """Return every theory's choice side by side (its repr is the table).

        Rows: IB with the causal hypothesis and Nirvana infinite and 1, IB with the acausal
        hypothesis, UDT, CDT, EDT. The REPL shows the table; in a script, ``print`` it. The
        solutions behind the rows are in ``.rows``. `progress` is passed to each
        :meth:`solve` in turn (each reports its own ``done`` and ``total``).

        Examples
        --------
        >>> from infrabayes.problems import parfits_hitchhiker
        >>> table = parfits_hitchhiker().compare()
        >>> print(table)  # doctest: +NORMALIZE_WHITESPACE
        Parfit's Hitchhiker: what each theory chooses
          theory                   chooses          value  expected utility
          IB, causal, nirvana=inf  pay / refuse         0       999/1000, 0
          IB, causal, nirvana=1    pay / refuse         0       999/1000, 0
          IB, acausal              pay           999/1000          999/1000
          UDT                      pay           999/1000          999/1000
          CDT                      refuse               -                 0
          EDT                      refuse               -                 0
        >>> label, solution = table.rows[2]
        >>> label, solution.value
        ('IB, acausal', Fraction(999, 1000))
        """
        settings = [
            ("IB, causal, nirvana=inf", ("ib", math.inf, "causal")),
            ("IB, causal, nirvana=1", ("ib", 1, "causal")),
            ("IB, acausal", ("ib", math.inf, "acausal")),
            ("UDT", ("udt", math.inf, "causal")),
            ("CDT", ("cdt", math.inf, "causal")),
            ("EDT", ("edt", math.inf, "causal")),
        ]
        return Comparison(
            problem=self,
            _view=self._view,
            rows=tuple((label, self.solve(*args, progress=progress)) for label, args in settings),
        )

    def after(self, infoset: str | Iterable[str]) -> Observation[Problem]:
        """Return the problem seen after observing `infoset`; ``.solve()`` re-decides there.

        `infoset` may be a set of information sets observed together (re-deciding at the one met
        last); ``p.after("a").after("b")`` chains observations (see
        :func:`~infrabayes.problems.after.observe` and :meth:`Observation.after
        <infrabayes.problems.Observation.after>`).
        """
        return observe(self, infoset, self._view)

    # -- display --------------------------------------------------------------------------------

    def to_dot(self) -> str:
        r"""Return the tree as the text of a Graphviz DOT digraph (no Graphviz needed to make it).

        Render it with ``dot -Tsvg problem.dot -o problem.svg``. Conventions in
        :mod:`infrabayes.problems._draw`; a matplotlib picture is
        :func:`infrabayes.problems.plot.tree`.

        Examples
        --------
        >>> from infrabayes.problems import parfits_hitchhiker
        >>> print(parfits_hitchhiker().to_dot())
        digraph "Parfit's Hitchhiker" {
          node [fontname="Helvetica"];
          n0 [label="driver\nreads town", shape=diamond];
          n1 [label="town", shape=box];
          n2 [label="town, pay\nutility 999/1000", shape=plaintext];
          n3 [label="town, refuse\nutility 1", shape=plaintext];
          n4 [label="desert\nutility 0", shape=plaintext];
          n0 -> n1 [label="predicts pay"];
          n0 -> n4 [label="predicts refuse"];
          n1 -> n2 [label="pay"];
          n1 -> n3 [label="refuse"];
        }
        """
        return to_dot(self._root, self.name)

    def __repr__(self) -> str:
        n_i, n_p, n_o = len(self.infosets), len(self._view.compiled.policies), len(self.outcomes)
        params = ", ".join(f"{k}={_show(v)}" for k, v in self._parameters.items())
        head = (
            f"{self.name}{f' ({params})' if params else ''}: {n_i} information "
            f"set{'s' if n_i != 1 else ''}, {n_p} polic{'y' if n_p == 1 else 'ies'}, {n_o} "
            f"outcome{'s' if n_o != 1 else ''} ({'exact' if self.exact else 'float64'})"
        )
        lines, total = _tree_lines(self._root, MAX_TREE_LINES)
        if total > len(lines):
            lines.append(f"  ... ({total - len(lines)} more lines)")
        return "\n".join([head, *lines])


def _show(v: Any) -> str:
    if isinstance(v, int | float) or hasattr(v, "denominator"):
        return format_number(v) if not isinstance(v, int) else str(v)
    return repr(v)


def _tree_lines(root: Node, limit: int) -> tuple[list[str], int]:
    """Return the first `limit` lines of the tree view and the number of lines of the whole view.

    Iterative: the lines are produced depth first with an explicit stack and the walk stops at
    `limit`; the total (a shared subtree is shown once per branch leading to it) is counted on
    the distinct nodes, children first.
    """
    lines: list[str] = []
    stack: list[tuple[Node, int, str]] = [(root, 1, "")]
    while stack and len(lines) < limit:
        node, depth, label = stack.pop()
        lines.append(f"{'  ' * depth}{label}{describe(node)}")
        kids = [(child, depth + 1, f"{branch_label(node, b)}: ") for b, child in children(node)]
        stack.extend(reversed(kids))
    if not stack:
        return lines, len(lines)
    counts: dict[int, int] = {}
    pending: list[tuple[Node, bool]] = [(root, False)]
    while pending:
        node, expanded = pending.pop()
        if id(node) in counts:
            continue
        kids_nodes = [child for _, child in children(node)]
        if not expanded:
            pending.append((node, True))
            pending.extend((child, False) for child in kids_nodes if id(child) not in counts)
            continue
        counts[id(node)] = 1 + sum(counts[id(child)] for child in kids_nodes)
    return lines, counts[id(root)]
