r"""Behavioural (randomised) policies, imperfect recall, and what each theory makes of them.

Definitions
-----------
A **behaviour** :math:`\beta` gives every information set :math:`I` a distribution
:math:`\beta_I` over its actions (:class:`Behaviour`). The agent draws afresh at every decision
node, also at two nodes of one information set on one path (imperfect recall: the absent-minded
driver of Piccione & Rubinstein 1997). A deterministic policy is a behaviour with point masses.

**A predictor reading a randomising agent** (our convention). The predictor computes the
agent's *distribution*, not its coin: it predicts action :math:`c` with probability
:math:`\beta_I(c)`, independently of the agent's own draws, and then errs as for a deterministic
agent, so it takes branch :math:`b` with probability
:math:`\sum_c \beta_I(c) \, (1 - \varepsilon \text{ if } c = b \text{ else } \varepsilon/(n-1))`.
(So in Death in Damascus a fair coin survives with probability 1/2.) A correlate keeps its base
rate for UDT and IB; CDT and EDT read it like a predictor (it goes with the act the agent
believes in, or chooses), as the deterministic theories of :mod:`infrabayes.problems.theories`
do. The expected utility :math:`EU(\beta)` is then a polynomial in the
probabilities, of degree at most the number of decision nodes and predictors on a path.

**UDT** (planning optimality) maximises :math:`EU(\beta)` over all behaviours.

**IB.** The acausal hypothesis has the single generator :math:`e(\beta) \cdot \beta` (the
predictor reads the behaviour as above), so its value is UDT's. The causal hypothesis keeps
Murphy's pure hard-coded predictions :math:`p`; a *visible deviation* is a draw of the agent, at a
decision node of a predicted information set, that differs from :math:`p` there, and leads to
NIRVANA. Murphy picks :math:`p` after the behaviour (a distribution over predictions would not
help him: the value is linear in it). With ``nirvana=1`` the value is
:math:`\min_p V_p(\beta)`, a minimum of polynomials (:meth:`Problem.mixed_value
<infrabayes.problems.Problem.mixed_value>` of the equivalent mixture of pure policies). With
``nirvana=math.inf`` a behaviour that randomises at a predicted information set it reaches
refutes *every* prediction with positive probability and would be worth :math:`+\infty`: the
Nirvana trick presumes a deterministic policy there. So the behaviours are deterministic at the
predicted information sets and randomise elsewhere; Murphy picks among the predictions they never
refute. Which those are depends on the supports, so the value is maximised face by face, and it
is a *supremum* that may be approached but not attained (``notes`` says so).

**CDT** (the action-optimality of Aumann, Hart & Perry 1997). The agent believes it follows
:math:`\beta`; at information set :math:`I` it is at node :math:`x` with the consistent
probability :math:`\alpha(x) \propto P_\beta(\text{reach } x)` (each node on a path counts once).
Action :math:`a` is valued :math:`v_C(a) = \sum_x \alpha(x) E_\beta[U \mid x, a \text{ at } x]`:
only the *current* node's act changes; predictors still read :math:`\beta`. :math:`\beta` is
**ratifiable** when at every information set it reaches, every action it plays has the highest
:math:`v_C`. With perfect recall and no predictor or correlate this is the first-order (KKT)
condition of planning optimality; in the absent-minded driver the planning optimum
:math:`p = 2/3` is ratifiable (Aumann, Hart & Perry's theorem).

**EDT.** Choosing the distribution :math:`q` at :math:`I` is evidence about everything that
computes the same choice: the nodes of :math:`I` at and after the current one, and the predictors
that read :math:`I`. So :math:`v_E(q) = \sum_x w(x)\, E[U \mid x] / \sum_x w(x)` with :math:`w(x)`
the probability of reaching :math:`x` when the earlier nodes of :math:`I` follow :math:`\beta` and
predictors of :math:`I` read :math:`q`, and the continuation from :math:`x` plays :math:`q` at
:math:`I`. :math:`\beta` is ratifiable when :math:`\beta_I` maximises :math:`v_E` over the whole
simplex at every information set it reaches. With perfect recall at a pure policy this is the
EDT value of :mod:`infrabayes.problems.theories` (the act is evidence about the prediction). In
the absent-minded driver it is Piccione & Rubinstein's action-stage payoff
:math:`\alpha[p^2 + 4p(1-p)] + (1-\alpha)[p + 4(1-p)]` with :math:`\alpha = 1/(1+p)` (as quoted
by Aumann, Hart & Perry 1997, section 3), whose fixed point is :math:`p = 4/9` (first-order
condition :math:`4 - 9p = 0`; derived here, not quoted).

Information sets that :math:`\beta` reaches with probability 0 place no constraint (a Nash,
not a perfect, equilibrium: unlike the pure :meth:`~infrabayes.problems.Problem.solve`, no
trembles). With imperfect recall the pure ``solve("cdt")`` and ``solve("edt")`` use these values
at the node for the deterministic policies (:func:`pure_node_values`), without trembles
either. Where the agent is indifferent on a whole set of behaviours, one behaviour of that
set is listed and marked as not isolated.

Methods and guarantees
----------------------
UDT and IB maximise :math:`\min_k f_k(\beta)` over the product of simplices
(:func:`~infrabayes.problems._poly.maximin`, whose docstring proves each method): **exact** for
one polynomial of degree at most 2 (critical points on every face: the absent-minded driver,
Death in Damascus, Newcomb), for one polynomial in a single free probability (the ends and the
roots of its derivative: the driver with more intersections; an irrational root is given to
:math:`2^{-60}` and ``bound`` says by how much the value may fall short), or for several of
degree at most 1 (a linear program, by its vertices); otherwise a **grid** of step :math:`1/m`,
refined by a local search, whose value lies within the reported ``bound`` of the maximum (a
certified ceiling: the grid's best value plus :math:`D \lfloor n/2 \rfloor / m`, with :math:`D`
the most random draws on one path and :math:`n` the most actions). CDT and EDT enumerate the
supports and solve the indifference conditions exactly when they are linear, in one unknown, or
two equations in two unknowns (by the resultant, interpolated exactly); rational roots are
exact, irrational ones given to :math:`2^{-60}` (``exact`` False). A support whose system is
none of these (or has a curve of solutions) is skipped and named in ``notes``: the list may then
be incomplete. EDT's global condition is checked by the same maximiser.

References: M. Piccione and A. Rubinstein, "On the Interpretation of Decision Problems with
Imperfect Recall", *Games and Economic Behavior* 20 (1997) 3-24; R. Aumann, S. Hart and M.
Perry, "The Absent-Minded Driver", *Games and Economic Behavior* 20 (1997) 102-116.

Examples
--------
>>> from infrabayes.problems import death_in_damascus
>>> sol = death_in_damascus().solve("cdt", mixed=True)
>>> str(sol.optimal[0]), sol.expected_utilities
('stay 1/2, flee 1/2', (Fraction(1, 2),))
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Generic, TypeVar

import numpy as np

from infrabayes import limits
from infrabayes._numbers import Number, format_number
from infrabayes._table import number, table
from infrabayes.limits import Progress, SizeLimitError, power_of_two
from infrabayes.nirvana import check_nirvana
from infrabayes.problems import _poly
from infrabayes.problems._compiled import Compiled, Leaf, Read
from infrabayes.problems._poly import Poly
from infrabayes.problems.policy import Policy

__all__ = [
    "Behaviour",
    "MixedSolution",
    "node_values",
    "pure_node_values",
    "solve_mixed",
]

P = TypeVar("P")

_THEORY_NAMES = {"ib": "IB", "udt": "UDT", "cdt": "CDT", "edt": "EDT"}


class Behaviour(Mapping[str, Mapping[str, Number]]):
    """A behavioural policy: ``{infoset: {action: probability}}`` (immutable, hashable).

    Prints as ``stay 1/2, flee 1/2`` with one information set, else as
    ``town: pay 1/3, refuse 2/3; desert: ...``. Equal to any mapping with the same numbers.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> b = Behaviour({"driving": {"exit": F(1, 3), "continue": F(2, 3)}})
    >>> str(b), b["driving"]["continue"], b.is_pure
    ('exit 1/3, continue 2/3', Fraction(2, 3), False)
    """

    __slots__ = ("_items",)

    def __init__(self, probabilities: Mapping[str, Mapping[str, Any]]) -> None:
        items = []
        for infoset, dist in probabilities.items():
            if not isinstance(dist, Mapping):
                raise TypeError(f"the behaviour at {infoset!r} must map actions to probabilities")
            items.append((str(infoset), tuple((str(a), p) for a, p in dist.items())))
        self._items = tuple(items)

    def __getitem__(self, infoset: str) -> Mapping[str, Number]:
        for k, v in self._items:
            if k == infoset:
                return dict(v)
        raise KeyError(infoset)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset((k, frozenset(v)) for k, v in self._items))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            try:
                return {k: dict(v) for k, v in self._items} == {
                    k: dict(v) for k, v in other.items()
                }
            except (TypeError, ValueError):
                return False
        return NotImplemented

    @property
    def is_pure(self) -> bool:
        """Whether every information set has one action of probability 1."""
        return all(any(p == 1 for _, p in v) for _, v in self._items)

    def policy(self) -> Policy | None:
        """Return the deterministic policy when :attr:`is_pure`, else None."""
        if not self.is_pure:
            return None
        return Policy({k: next(a for a, p in v if p == 1) for k, v in self._items})

    def __str__(self) -> str:
        parts = [(k, ", ".join(f"{a} {_show(p)}" for a, p in v if p != 0)) for k, v in self._items]
        if len(parts) == 1:
            return parts[0][1]
        return "; ".join(f"{k}: {text}" for k, text in parts)

    def __repr__(self) -> str:
        return f"Behaviour({ {k: dict(v) for k, v in self._items}!r})"


def _show(x: Any) -> str:
    """Format a number; a fraction with a denominator beyond 10**6 as 9 digits and ``~``."""
    if isinstance(x, Fraction) and x.denominator > 10**6:
        return f"{float(x):.9g}~"
    return number(x)


# -- the polynomials of a compiled problem ----------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Vars:
    """Variable numbering: behaviour variables ``offset[i] + k``; EDT's choice ``+ total``."""

    offsets: tuple[int, ...]
    total: int

    @classmethod
    def of(cls, c: Compiled) -> _Vars:
        offsets = tuple(itertools.accumulate((len(a) for a in c.actions), initial=0))
        return cls(offsets[:-1], offsets[-1])

    def s(self, i: int, k: int) -> int:
        return self.offsets[i] + k

    def q(self, i: int, k: int) -> int:
        return self.total + self.offsets[i] + k

    def blocks(self, c: Compiled) -> list[list[int]]:
        return [[self.s(i, k) for k in range(len(a))] for i, a in enumerate(c.actions)]


def _f(x: Any) -> Fraction:
    return Fraction(x)


def _read(c: Compiled, v: _Vars, r: Read, choice: int | None, correlates: bool) -> Poly:
    """Return the probability of a predictor's branch (homogeneous in the read distribution).

    A correlate takes its base rate, unless `correlates` (CDT and EDT: it goes with the act the
    agent believes in, or chooses, like a predictor's reading).
    """
    if r.correlate and not correlates:
        return Poly.const(_f(r.base_rate))
    n = len(c.actions[r.infoset])
    out = Poly()
    for k in range(n):
        var = v.q(r.infoset, k) if r.infoset == choice else v.s(r.infoset, k)
        out = out + Poly.var(var) * _f(r.right if k == r.branch else r.wrong)
    return out


def _utility(c: Compiled, leaf: Leaf) -> Fraction:
    return _f(c.utilities[leaf.outcome])


def _weight(
    c: Compiled,
    v: _Vars,
    leaf: Leaf,
    *,
    skip: int | None = None,
    choice: int | None = None,
    start: int = 0,
    correlates: bool = False,
) -> Poly:
    """Return the probability of a leaf as a polynomial.

    `skip`: the position in ``leaf.decisions`` whose factor is left out (CDT's current node).
    `choice`: an information set whose predictors, and whose nodes from position `start` on,
    use the EDT choice variables. `correlates`: read correlates like predictors (CDT, EDT).
    """
    w = Poly.const(_f(leaf.chance))
    for pos, (i, k) in enumerate(leaf.decisions):
        if pos == skip:
            continue
        late = i == choice and pos >= start
        w = w * Poly.var(v.q(i, k) if late else v.s(i, k))
    for r in leaf.reads:
        w = w * _read(c, v, r, choice, correlates)
    return w


def expected_utility_poly(c: Compiled, v: _Vars) -> Poly:
    r"""Return :math:`EU(\beta)`: predictors read the behaviour, correlates their base rate."""
    total = Poly()
    for leaf in c.leaves:
        total = total + _weight(c, v, leaf) * _utility(c, leaf)
    return total


def _murphy_polys(c: Compiled, v: _Vars) -> list[Poly]:
    r"""Return :math:`V_p(\beta)` per pure prediction (NIRVANA worth 1), rows of c.predictions."""
    out = []
    column = {infoset: j for j, infoset in enumerate(c.predicted)}
    for row in c.predictions:
        prediction = [int(x) for x in row]
        total = Poly()
        for leaf in (*c.leaves, *c.deviations):
            w = _f(c.leaf_weight(leaf, prediction, column))
            if w == 0:
                continue
            term = Poly.const(w)
            for i, k in leaf.decisions:
                term = term * Poly.var(v.s(i, k))
            if leaf.deviation is not None:
                term = term * Poly.var(v.s(*leaf.deviation))
            total = total + (term * _utility(c, leaf) if leaf.outcome >= 0 else term)
        out.append(total)
    return out


def _nirvana_parts(c: Compiled, v: _Vars) -> list[tuple[Poly, Poly]]:
    r"""Return, per pure prediction, the utility :math:`V_p(\beta)` and the Nirvana mass."""
    out = []
    column = {infoset: j for j, infoset in enumerate(c.predicted)}
    for row in c.predictions:
        prediction = [int(x) for x in row]
        value, mass = Poly(), Poly()
        for leaf in (*c.leaves, *c.deviations):
            w = _f(c.leaf_weight(leaf, prediction, column))
            if w == 0:
                continue
            term = Poly.const(w)
            for i, k in leaf.decisions:
                term = term * Poly.var(v.s(i, k))
            if leaf.deviation is not None:
                mass = mass + term * Poly.var(v.s(*leaf.deviation))
            else:
                value = value + term * _utility(c, leaf)
        out.append((value, mass))
    return out


def _nirvana_inf(
    c: Compiled, v: _Vars, blocks: list[list[int]], lipschitz: Fraction, progress: Progress | None
) -> tuple[_poly.Maximum, bool]:
    """Return IB's causal maximin with NIRVANA worth +inf, and whether it is attained.

    Deterministic at the predicted information sets. On every face (a support at the others,
    an action at the predicted ones) the predictions that the behaviour never refutes are fixed
    (a refutation has positive probability on the whole relative interior or nowhere on it);
    their minimum is maximised over the closed face. Its maximum is the supremum over the open
    face; where it lies on the boundary, the behaviour there is worth less (more predictions
    survive there), so the supremum over all behaviours may not be attained.
    """
    parts = _nirvana_parts(c, v)
    predicted = set(c.predicted)
    options = [
        [(k,) for k in range(len(b))]
        if i in predicted
        else [s for r in range(1, len(b) + 1) for s in itertools.combinations(range(len(b)), r)]
        for i, b in enumerate(blocks)
    ]
    n_faces = math.prod(len(o) for o in options)
    budget = max(1000, _poly.GRID_POINTS // n_faces)
    best: Fraction | None = None
    ceiling = Fraction(0)
    points: list[dict[int, Fraction]] = []
    attained = True
    methods: set[str] = set()
    for choice in _poly.counted(itertools.product(*options), n_faces, progress):
        face = [tuple(b[k] for k in s) for b, s in zip(blocks, choice, strict=True)]
        centre = _poly.barycentre(blocks, face)
        allowed = [value for value, mass in parts if mass.evaluate(centre) == 0]
        zeros = {x: Poly() for b, f in zip(blocks, face, strict=True) for x in b if x not in f}
        polys = [p.substitute(zeros) for p in allowed]
        inner = _poly.maximin(
            polys, [list(f) for f in face], lipschitz=lipschitz, grid_points=budget
        )
        methods.add(inner.method.split(" (")[0])
        ceiling = max(ceiling, inner.value + inner.bound)
        inside = [p for p in inner.points if all(p[x] > 0 for f in face for x in f)]
        full = [{**centre, **p} for p in inner.points]
        if best is None or inner.value > best:
            best, points, attained = inner.value, [], bool(inside)
        elif inner.value == best:
            attained = attained or bool(inside)
        if inner.value == best:
            points += [p for p in full if p not in points]
    assert best is not None
    how = "per face: " + ", ".join(sorted(methods))
    return _poly.Maximum(best, tuple(points), how, ceiling - best), attained


def _cdt_polys(c: Compiled, v: _Vars, i: int) -> tuple[list[Poly], Poly]:
    """Return CDT's numerators :math:`N_a` (one per action) and the reach :math:`R_I`."""
    num = [Poly() for _ in c.actions[i]]
    reach = Poly()
    for leaf in c.leaves:
        u = _utility(c, leaf)
        for pos, (j, k) in enumerate(leaf.decisions):
            if j != i:
                continue
            num[k] = num[k] + _weight(c, v, leaf, skip=pos, correlates=True) * u
            reach = reach + _weight(c, v, leaf, correlates=True)
    return num, reach


def _edt_polys(c: Compiled, v: _Vars, i: int) -> tuple[Poly, Poly]:
    """Return EDT's numerator and denominator in the behaviour and the choice variables."""
    num, den = Poly(), Poly()
    for leaf in c.leaves:
        u = _utility(c, leaf)
        for pos, (j, _) in enumerate(leaf.decisions):
            if j != i:
                continue
            w = _weight(c, v, leaf, choice=i, start=pos, correlates=True)
            num = num + w * u
            den = den + w
    return num, den


def _check_size(c: Compiled) -> None:
    """Refuse problems whose polynomials would exceed ``MAX_PYTHON_OPERATIONS`` terms.

    A leaf's probability has one term per combination of the actions its predictors may predict
    (the product of their numbers of actions); every leaf is expanded once per theory, prediction
    and information set, counted here as (leaves) x (those terms) x (predictions + information
    sets + 1).
    """
    terms = sum(
        math.prod(len(c.actions[r.infoset]) for r in leaf.reads)
        for leaf in (*c.leaves, *c.deviations)
    )
    work = terms * (c.predictions.shape[0] + len(c.infosets) + 1)
    if work > limits.MAX_PYTHON_OPERATIONS:
        raise SizeLimitError(
            f"behavioural policies expand the problem into polynomials of about {work} terms "
            f"(more than MAX_PYTHON_OPERATIONS = {power_of_two(limits.MAX_PYTHON_OPERATIONS)}); "
            "mixed=True is for small problems"
        )


def _max_draws(c: Compiled) -> int:
    """Return the most random draws (decision nodes, predictors) on one path, deviations too."""
    return max(
        (
            len(leaf.decisions) + sum(1 for r in leaf.reads if not r.correlate) + 1
            for leaf in (*c.leaves, *c.deviations)
        ),
        default=1,
    )


# -- pure node values (imperfect recall) ------------------------------------------------------


def node_values(
    c: Compiled, theory: str, point: Mapping[int, Fraction]
) -> list[list[Fraction | None]]:
    """Return CDT's or EDT's value of every action at every information set, at a behaviour.

    `point` maps the behaviour variables (``offset + action``) to probabilities. ``None`` where
    the information set is not reached. EDT values action ``a`` as the choice of the point mass
    on ``a`` (see the module docstring).
    """
    v = _Vars.of(c)
    out: list[list[Fraction | None]] = []
    for i, acts in enumerate(c.actions):
        if theory == "cdt":
            num, reach = _cdt_polys(c, v, i)
            r = reach.evaluate(point)
            out.append([None if r == 0 else n.evaluate(point) / r for n in num])
        else:
            n_e, d_e = _edt_polys(c, v, i)
            row: list[Fraction | None] = []
            for k in range(len(acts)):
                full = dict(point)
                full.update({v.q(i, j): Fraction(int(j == k)) for j in range(len(acts))})
                d = d_e.evaluate(full)
                row.append(None if d == 0 else n_e.evaluate(full) / d)
            out.append(row)
    return out


def pure_node_values(c: Compiled, theory: str) -> np.ndarray:
    """Return ``(policies, infosets, max actions)`` node values of every pure policy (read-only).

    The table of :func:`infrabayes.problems.theories.local_values` for problems with imperfect
    recall, where an information set has several nodes on a path.
    """
    v = _Vars.of(c)
    width = max((len(a) for a in c.actions), default=0)
    out = np.full((c.policies.shape[0], len(c.infosets), width), None, dtype=object)
    for s, row in enumerate(c.policies):
        point = {
            v.s(i, k): Fraction(int(k == int(row[i])))
            for i, acts in enumerate(c.actions)
            for k in range(len(acts))
        }
        for i, values in enumerate(node_values(c, theory, point)):
            for k, value in enumerate(values):
                out[s, i, k] = value if c.exact or value is None else float(value)
    out.setflags(write=False)
    return out


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MixedSolution(Generic[P]):
    r"""What one decision theory makes of a problem over behavioural (randomised) policies.

    Attributes
    ----------
    problem : Problem
    theory : {"ib", "udt", "cdt", "edt"}
    encoding, nirvana
        IB's hypothesis (None for the other theories).
    optimal : tuple of Behaviour
        UDT and IB: the maximisers found (every one exact). CDT and EDT: the ratifiable
        behaviours found (may be empty; see ``notes``).
    value : Fraction, float or None
        UDT and IB: the value of the optimum (a lower bound within ``bound`` for the grid).
        None for CDT and EDT.
    expected_utilities : tuple
        The expected utility of each behaviour of ``optimal`` in the true problem.
    best_pure_value : Fraction, float or None
        UDT and IB: the best deterministic policy's value, for comparison (never above
        ``value`` for the exact methods).
    method : str
        How the answer was found (see the module docstring).
    bound : Fraction or float
        The optimum lies in ``[value, value + bound]``; 0 for the exact methods.
    isolated : tuple of bool
        Per behaviour: False when it lies in a set of equally good (or equally ratifiable)
        behaviours of which it is one representative.
    exact : tuple of bool
        Per behaviour: False when a probability is an irrational number given to within
        :math:`2^{-60}`.
    notes : tuple of str
        What was skipped and why, and the conventions that matter for this problem.
    """

    problem: P = field(repr=False)
    theory: str
    encoding: str | None
    nirvana: float | None
    optimal: tuple[Behaviour, ...]
    value: Number | None
    expected_utilities: tuple[Number, ...]
    best_pure_value: Number | None
    method: str
    bound: Number
    isolated: tuple[bool, ...]
    exact: tuple[bool, ...]
    notes: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """``"optimal"``, ``"ratifiable"``, or ``"no ratifiable behaviour found"``."""
        if self.theory in ("cdt", "edt"):
            return "ratifiable" if self.optimal else "no ratifiable behaviour found"
        return "optimal"

    def __repr__(self) -> str:
        name = getattr(self.problem, "name", "problem")
        label = _THEORY_NAMES[self.theory]
        if self.theory == "ib":
            label += f", {self.encoding}" + (
                f", nirvana={'inf' if self.nirvana == math.inf else '1'}"
                if self.encoding == "causal"
                else ""
            )
        head = f"{name} solved by {label} over behavioural policies ({self.method})"
        rows = [
            [str(b), _show(eu), "yes" if iso else "no"]
            for b, eu, iso in zip(self.optimal, self.expected_utilities, self.isolated, strict=True)
        ]
        lines = [head, *table(["behaviour", "expected utility", "isolated"], rows)]
        if self.theory in ("cdt", "edt"):
            lines.append(f"  {self.status}: {len(self.optimal)}")
        else:
            bound = "" if self.bound == 0 else f" (at most {_show(self.bound)} below the optimum)"
            lines.append(
                f"  value {_show(self.value)}{bound}; best deterministic policy "
                f"{_show(self.best_pure_value)}"
            )
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


# -- solving ----------------------------------------------------------------------------------


def _behaviour(c: Compiled, v: _Vars, point: Mapping[int, Fraction]) -> Behaviour:
    conv: Any = (lambda x: x) if c.exact else float
    return Behaviour(
        {
            infoset: {a: conv(point[v.s(i, k)]) for k, a in enumerate(c.actions[i])}
            for i, infoset in enumerate(c.infosets)
        }
    )


def _num(c: Compiled, x: Fraction) -> Number:
    return x if c.exact else float(x)


def solve_mixed(
    problem: P,
    c: Compiled,
    theory: str,
    encoding: str,
    nirvana: float,
    best_pure: Callable[[], Number | None],
    progress: Progress | None = None,
) -> MixedSolution[P]:
    """Solve over behavioural policies (the module docstring gives the definitions).

    `best_pure` returns the theory's best deterministic value (UDT, IB; called only for them).
    `progress` is called as ``progress(done, total)`` per support (face) enumerated: CDT's and
    EDT's supports, UDT's and IB's faces for the exact methods, the faces of NIRVANA worth
    +inf; once for a method with no such loop (one free probability, the grid).
    """
    nirvana = check_nirvana(nirvana)
    _check_size(c)
    v = _Vars.of(c)
    blocks = v.blocks(c)
    eu = expected_utility_poly(c, v)
    if theory in ("udt", "ib"):
        notes: list[str] = []
        lipschitz = Fraction(_max_draws(c))
        if theory == "ib" and encoding == "causal" and c.predicted and nirvana == math.inf:
            best, attained = _nirvana_inf(c, v, blocks, lipschitz, progress)
            notes.append(
                "NIRVANA is worth +inf: the behaviours randomise only where no predictor reads "
                "(randomising at a predicted information set refutes every prediction)"
            )
            if not attained:
                notes.append(
                    "the value is a supremum: approached from inside a face, attained only "
                    "in the limit (the behaviour listed is that limit, worth less)"
                )
        else:
            if theory == "ib" and encoding == "causal" and c.predicted:
                polys = _murphy_polys(c, v)
                notes.append(
                    "Murphy picks a pure prediction after the behaviour; NIRVANA is worth 1"
                )
            else:
                polys = [eu]
                if theory == "ib":
                    notes.append(
                        "one environment: the value is UDT's (the predictor reads the behaviour)"
                    )
            best = _poly.maximin(polys, blocks, lipschitz=lipschitz, progress=progress)
        points = best.points
        exact = "irrational" not in best.method
        return MixedSolution(
            problem=problem,
            theory=theory,
            encoding=encoding if theory == "ib" else None,
            nirvana=nirvana if theory == "ib" and encoding == "causal" else None,
            optimal=tuple(_behaviour(c, v, p) for p in points),
            value=_num(c, best.value),
            expected_utilities=tuple(_num(c, eu.evaluate(p)) for p in points),
            best_pure_value=best_pure(),
            method=best.method,
            bound=_num(c, best.bound),
            isolated=tuple(True for _ in points),
            exact=tuple(exact for _ in points),
            notes=tuple(notes),
        )
    found, notes = _equilibria(c, v, blocks, theory, progress)
    return MixedSolution(
        problem=problem,
        theory=theory,
        encoding=None,
        nirvana=None,
        optimal=tuple(_behaviour(c, v, p) for p, _, _ in found),
        value=None,
        expected_utilities=tuple(_num(c, eu.evaluate(p)) for p, _, _ in found),
        best_pure_value=None,
        method="support enumeration, exact indifference conditions",
        bound=_num(c, Fraction(0)),
        isolated=tuple(iso for _, _, iso in found),
        exact=tuple(ex for _, ex, _ in found),
        notes=tuple(notes),
    )


#: Relative tolerance for the checks at a point given to within 2**-60 (an irrational root).
_INEXACT = Fraction(1, 10**12)


def _equilibria(
    c: Compiled, v: _Vars, blocks: list[list[int]], theory: str, progress: Progress | None
) -> tuple[list[tuple[dict[int, Fraction], bool, bool]], list[str]]:
    n_faces = math.prod(2 ** len(b) - 1 for b in blocks)
    if n_faces > _poly.MAX_FACES:
        raise SizeLimitError(
            f"the behaviours have {n_faces} supports (more than MAX_FACES = {_poly.MAX_FACES}); "
            "ratifiable mixed policies are found by enumerating them"
        )
    edt = theory == "edt"
    per_set: list[tuple[Any, Poly]] = []
    for i in range(len(c.actions)):
        if edt:
            n_e, d_e = _edt_polys(c, v, i)
            back = {v.q(i, k): Poly.var(v.s(i, k)) for k in range(len(c.actions[i]))}
            foc = [
                (d_e * n_e.derivative(v.q(i, k)) - n_e * d_e.derivative(v.q(i, k))).substitute(back)
                for k in range(len(c.actions[i]))
            ]
            per_set.append(((n_e, d_e, foc), d_e.substitute(back)))
        else:
            num, reach = _cdt_polys(c, v, i)
            per_set.append((num, reach))
    found: list[tuple[dict[int, Fraction], bool, bool]] = []
    notes: list[str] = []
    for face in _poly.counted(_poly.faces(blocks), n_faces, progress):
        centre = _poly.barycentre(blocks, face)
        reached = [reach.evaluate(centre) > 0 for _, reach in per_set]
        sub, free = _poly.face_map(blocks, face)
        fixed: dict[int, Poly] = {}
        unknowns: list[int] = []
        for i, support in enumerate(face):
            for var in support[:-1]:
                if reached[i]:
                    unknowns.append(var)
                else:
                    fixed[var] = Poly.const(centre[var])
        equations: list[Poly] = []
        for i, support in enumerate(face):
            if not reached[i] or len(support) < 2:
                continue
            gains = per_set[i][0][2] if edt else per_set[i][0]
            ks = [var - v.offsets[i] for var in support]
            last = gains[ks[-1]].substitute(sub).substitute(fixed)
            equations += [gains[k].substitute(sub).substitute(fixed) - last for k in ks[:-1]]
        isolated_all = all(reached[i] or len(s) < 2 for i, s in enumerate(face))
        for values, exact, isolated in _solve(equations, unknowns, centre, face, notes):
            free_values = {var: centre[var] for var in free}
            free_values.update(values)
            point = _poly.complete(blocks, face, free_values)
            if point is None:
                continue
            new = all(point != p for p, _, _ in found)
            if new and _ratifiable(c, v, per_set, face, reached, point, exact, edt, notes):
                found.append((point, exact, isolated and isolated_all))
    return found, notes


def _solve(
    equations: list[Poly],
    unknowns: list[int],
    centre: Mapping[int, Fraction],
    face: Sequence[Sequence[int]],
    notes: list[str],
) -> list[tuple[dict[int, Fraction], bool, bool]]:
    """Return the solutions ``(values, exact, isolated)`` of a square system on a face."""
    equations = [e for e in equations if not e.is_zero()]
    if not unknowns:
        return [({}, True, True)]
    if not equations:  # indifferent everywhere on the face: one representative
        return [({u: centre[u] for u in unknowns}, True, False)]
    if all(e.degree() <= 1 for e in equations):
        rows, rhs = [], []
        for e in equations:
            row, const = e.linear_parts(unknowns)
            rows.append(row)
            rhs.append(-const)
        x, unique = _poly.solve_linear(rows, rhs, [centre[u] for u in unknowns])
        if x is None:
            return []
        return [(dict(zip(unknowns, x, strict=True)), True, unique)]
    if len(unknowns) == 1:
        (u,) = unknowns
        out = []
        for root, exact in _poly.roots_in(equations[0].univariate(u), Fraction(0), Fraction(1)):
            rest = [e.evaluate({u: root}) for e in equations[1:]]
            if all(r == 0 if exact else abs(r) <= _INEXACT for r in rest):
                out.append(({u: root}, exact, True))
        return out
    if len(unknowns) == 2 and len(equations) == 2:
        solved = _two_unknowns(equations[0], equations[1], unknowns[0], unknowns[1])
        if solved is not None:
            return [(point, exact, True) for point, exact in solved]
    notes.append(
        f"support {[list(s) for s in face]} skipped: {len(equations)} nonlinear indifference "
        f"equations in {len(unknowns)} unknowns (solved exactly when linear, in one unknown, or "
        "two equations in two unknowns with a nonzero resultant)"
    )
    return []


def _in_one(p: Poly, u: int, values: Mapping[int, Fraction]) -> list[Fraction]:
    """Return the coefficients of `p` in the variable `u`, the others set to `values`."""
    fixed = p.substitute({w: Poly.const(x) for w, x in values.items()})
    return fixed.univariate(u) if fixed.degree() > 0 else [fixed.evaluate({})]


def _degree_in(p: Poly, u: int) -> int:
    return max((e for m in p.terms for w, e in m if w == u), default=0)


def _determinant(a: list[list[Fraction]]) -> Fraction:
    a = [list(r) for r in a]
    n, det = len(a), Fraction(1)
    for col in range(n):
        pick = next((i for i in range(col, n) if a[i][col] != 0), None)
        if pick is None:
            return Fraction(0)
        if pick != col:
            a[col], a[pick] = a[pick], a[col]
            det = -det
        det *= a[col][col]
        for i in range(col + 1, n):
            f = a[i][col] / a[col][col]
            if f:
                a[i] = [x - f * y for x, y in zip(a[i], a[col], strict=True)]
    return det


def _sylvester(p: list[Fraction], q: list[Fraction]) -> list[list[Fraction]]:
    """Return the Sylvester matrix of two coefficient lists (constant first, formal degrees)."""
    m, n = len(p) - 1, len(q) - 1
    rows = []
    for k in range(n):
        rows.append([Fraction(0)] * k + list(reversed(p)) + [Fraction(0)] * (n - 1 - k))
    for k in range(m):
        rows.append([Fraction(0)] * k + list(reversed(q)) + [Fraction(0)] * (m - 1 - k))
    return rows


def _interpolate(xs: list[Fraction], ys: list[Fraction]) -> list[Fraction]:
    """Return the coefficients (constant first) of the polynomial through the points."""
    coef = list(ys)
    n = len(xs)
    for j in range(1, n):
        for i in range(n - 1, j - 1, -1):
            coef[i] = (coef[i] - coef[i - 1]) / (xs[i] - xs[i - j])
    out = [Fraction(0)] * n
    for i in range(n - 1, -1, -1):  # Horner on the Newton form
        out = [Fraction(0), *out[:-1]]
        for k in range(n - 1):
            out[k] -= xs[i] * out[k + 1]
        out[0] += coef[i]
    return out


def _two_unknowns(
    e1: Poly, e2: Poly, x: int, y: int
) -> list[tuple[dict[int, Fraction], bool]] | None:
    """Return the solutions in (0, 1)^2 of two equations, by the resultant in `y`.

    None when the resultant vanishes identically (a common factor: a curve of solutions).
    """
    if _degree_in(e1, y) == 0 and _degree_in(e2, y) == 0:  # both in x alone
        common = [
            xv
            for xv, exact in _poly.roots_in(e1.univariate(x), Fraction(0), Fraction(1))
            if (e2.evaluate({x: xv}) == 0 if exact else abs(e2.evaluate({x: xv})) <= _INEXACT)
        ]
        return None if common else []  # y free on a common root: a segment of solutions
    if _degree_in(e1, y) == 0 or _degree_in(e2, y) == 0:
        first, second = (e1, e2) if _degree_in(e1, y) == 0 else (e2, e1)
        xs = _poly.roots_in(first.univariate(x), Fraction(0), Fraction(1))
        resultant_roots = xs
    else:
        dy1, dy2 = _degree_in(e1, y), _degree_in(e2, y)
        bound = e1.degree() * e2.degree()
        points = [Fraction(k) for k in range(bound + 1)]
        values = []
        for xv in points:
            p = (_in_one(e1, y, {x: xv}) + [Fraction(0)] * (dy1 + 1))[: dy1 + 1]
            q = (_in_one(e2, y, {x: xv}) + [Fraction(0)] * (dy2 + 1))[: dy2 + 1]
            values.append(_determinant(_sylvester(p, q)))
        res = _interpolate(points, values)
        if all(c == 0 for c in res):
            return None
        resultant_roots = _poly.roots_in(res, Fraction(0), Fraction(1))
        first, second = e1, e2
    out: list[tuple[dict[int, Fraction], bool]] = []
    for xv, x_exact in resultant_roots:
        coefs, other = _in_one(first, y, {x: xv}), second
        if all(c == 0 for c in coefs[1:]):
            coefs, other = _in_one(second, y, {x: xv}), first
            if all(c == 0 for c in coefs[1:]):
                continue  # neither equation pins y at this x
        for yv, y_exact in _poly.roots_in(coefs, Fraction(0), Fraction(1)):
            check = other.evaluate({x: xv, y: yv})
            exact = x_exact and y_exact
            if (check == 0) if exact else abs(check) <= _INEXACT:
                out.append(({x: xv, y: yv}, exact))
    return out


def _ratifiable(
    c: Compiled,
    v: _Vars,
    per_set: list[tuple[Any, Poly]],
    face: Sequence[Sequence[int]],
    reached: list[bool],
    point: dict[int, Fraction],
    exact: bool,
    edt: bool,
    notes: list[str],
) -> bool:
    """Check the conditions the equations do not: the actions off the support, EDT globally."""
    for i, support in enumerate(face):
        if not reached[i]:
            continue
        if per_set[i][1].evaluate(point) <= 0:
            return False
        if not edt:
            values = [n.evaluate(point) for n in per_set[i][0]]
            top = max(values[var - v.offsets[i]] for var in support)
            slack = Fraction(0) if exact else _INEXACT * max(abs(top), Fraction(1))
            if any(x > top + slack for x in values):
                return False
            continue
        n_e, d_e, _ = per_set[i][0]
        acts = range(len(c.actions[i]))
        own = dict(point)
        own.update({v.q(i, k): point[v.s(i, k)] for k in acts})
        value = n_e.evaluate(own) / d_e.evaluate(own)
        others = {var: Poly.const(x) for var, x in point.items()}
        gap = (n_e - d_e * value).substitute(others)
        best = _poly.maximin([gap], [[v.q(i, k) for k in acts]])
        slack = best.bound + (Fraction(0) if exact else _INEXACT * max(abs(value), Fraction(1)))
        if best.value > slack:
            return False
        if best.bound > 0:
            notes.append(
                f"EDT's global condition at {c.infosets[i]!r} checked on a {best.method} to "
                f"within {format_number(best.bound)}"
            )
    return True
