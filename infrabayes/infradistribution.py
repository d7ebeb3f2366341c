r"""Infradistributions on a finite outcome space, given by finitely many a-measure generators.

Definitions
-----------
Let :math:`G = \{(m_1, b_1), \dots, (m_k, b_k)\}` be a-measures on the outcome tuple :math:`X`.
The infradistribution they generate is the **closed convex upper completion**

.. math:: H = \operatorname{conv}(G) + \{\text{sa-measures}\},

and **Murphy's expectation** of a utility function :math:`f: X \to [0, 1]` is

.. math:: E_H(f) = \inf_{(m, b) \in H} m(f) + b = \min_i \, m_i(f) + b_i,

because a convex hull does not move a linear minimum and an sa-measure adds
:math:`m(f) + b \ge 0` when :math:`0 \le f \le 1`. For :math:`f(x) > 1` the completion makes
:math:`E_H(f) = -\infty` (add :math:`k(-\delta_x, 1)`), which is why utilities must lie in
[0, 1] (Diffractor & Kosoy, "Basic Inframeasure Theory", 2020).

:math:`H` is **normalized** when :math:`E_H(0) = 0` and :math:`E_H(1) = 1`
(:math:`\min_i b_i = 0` and :math:`\min_i \lambda_i + b_i = 1`). The **lower** and **upper
probabilities** of an event :math:`A` are :math:`E_H(1_A)` and :math:`1 - E_H(1 - 1_A)`.

Outcomes may include :data:`~infrabayes.nirvana.NIRVANA`, worth ``nirvana`` (``math.inf`` or
1; see :mod:`infrabayes.nirvana`).

Numbers are exact ``Fraction`` s when every generator is exact (ints and Fractions) and the
utility function is too; otherwise the computation is float64 and vectorised (one matrix product
per expectation).

The class is a thin facade: it checks the user's input, holds the generators as one internal
core value (``infrabayes._core.Core``: outcome space, masses, ``b``, Nirvana setting), and
delegates each computation to a module that works on cores (``_update``, ``_minimal``,
``_properties``, ``_operations``), wrapping the core it gets back. Two module functions are the
internal interface for the modules built on top of the class (:func:`infrabayes.mixture` and
:func:`infrabayes.union` combine several cores): ``core_of(h)`` returns the core of ``h`` and
``from_core(core)`` wraps a core without checks.

Examples
--------
>>> from fractions import Fraction as F
>>> H = Infradistribution([
...     {"x1": F(1, 2), "x2": F(1, 4), "x3": F(1, 4)},
...     {"x1": F(1, 10), "x2": F(3, 5), "x3": F(3, 10)},
... ])
>>> H
Infradistribution: 2 generators over 3 outcomes (exact, normalized, nirvana=inf)
         x1   x2    x3  |  b
    0   1/2  1/4   1/4  |  0
    1  1/10  3/5  3/10  |  0
>>> H.lower_probability({"x1", "x2"}), H.upper_probability({"x1", "x2"})
(Fraction(7, 10), Fraction(3, 4))
>>> H.expect({"x1": 1, "x2": F(1, 2), "x3": 0})
Fraction(2, 5)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from infrabayes import _html, _minimal, _operations, _properties, _update
from infrabayes._core import Core
from infrabayes._numbers import (
    Number,
    as_float_array,
    format_number,
    is_exact,
    py_scalar,
    read_only,
    vector,
)
from infrabayes._space import OutcomeSpace
from infrabayes._table import generator_rows
from infrabayes.limits import Progress, check_progress
from infrabayes.measures import AMeasure, trusted_ameasure
from infrabayes.nirvana import check_nirvana

__all__ = ["NORMALIZATION_TOLERANCE", "Infradistribution"]

#: Float tolerance of :meth:`Infradistribution.is_normalized`: :math:`|E(1) - 1|` at most this
#: (relative to 1, the value compared with) and :math:`|E(0)|` at most this times :math:`E(1)`.
NORMALIZATION_TOLERANCE = 1e-9


class Infradistribution:
    """The closed convex upper completion of finitely many a-measures, with Murphy's expectation.

    Parameters
    ----------
    generators : iterable
        Nonempty. Each item is an :class:`~infrabayes.AMeasure`, a mapping outcome -> mass
        (read as ``AMeasure(mapping, 0)``) or a pair ``(mapping, b)``.
    outcomes : iterable of hashable, optional
        The outcome tuple. Defaults to the outcomes of the first generator. Every generator must
        be over the same set of outcomes (mappings may omit outcomes of mass 0 when `outcomes` is
        given).
    nirvana : {math.inf, 1}, default math.inf
        The value of :data:`~infrabayes.NIRVANA` (see :mod:`infrabayes.nirvana`).
    normalized : bool, default False
        If True, refuse generators that do not make a normalized infradistribution
        (:math:`E_H(0) = 0` and :math:`E_H(1) = 1`; see :meth:`is_normalized`) with a
        ``ValueError`` that gives both expectations and the tolerance. Without it any
        generators are accepted, and the repr says whether the result is normalized.

    See Also
    --------
    Infradistribution.from_arrays : build from a mass matrix (fast, for large inputs).

    Notes
    -----
    Objects are immutable: every operation returns a new infradistribution. Two objects compare
    equal only if they are the same object (different generator lists can span the same set).
    Safe to share between threads: the cached views are stored with ``dict.setdefault``, so
    concurrent first uses agree.
    """

    __slots__ = ("_cache", "_core")

    _core: Core
    _cache: dict[str, Any]

    def __init__(
        self,
        generators: Iterable[Any],
        *,
        outcomes: Iterable[Hashable] | None = None,
        nirvana: float = math.inf,
        normalized: bool = False,
    ) -> None:
        nirvana = check_nirvana(nirvana)
        if isinstance(generators, AMeasure | Mapping):
            raise TypeError(
                "generators must be an iterable of generators; wrap a single one in a list"
            )
        given = OutcomeSpace(outcomes) if outcomes is not None else None
        measures = [_as_ameasure(item, given, i) for i, item in enumerate(generators)]
        space = given if given is not None or not measures else OutcomeSpace(measures[0].outcomes)
        if not measures or space is None:
            raise ValueError("an infradistribution needs at least one generator; got none")
        rows = []
        for i, measure in enumerate(measures):
            if set(measure.outcomes) != set(space.outcomes):
                raise ValueError(
                    f"generator {i} is over the outcomes {measure.outcomes!r}, but "
                    f"{'generator 0 is' if given is None else 'outcomes= is'} over "
                    f"{space.describe()}; all generators must be over the same outcomes (pass "
                    "outcomes=... to let mappings omit outcomes of mass 0)"
                )
            if measure.outcomes == space.outcomes:
                rows.append(list(measure.m))
            else:
                column = {x: j for j, x in enumerate(measure.outcomes)}
                rows.append([measure.m[column[x]] for x in space.outcomes])
        exact = all(m.exact for m in measures)
        masses = _matrix(rows, exact, space)
        b = _object_vector([m.b for m in measures])
        if not exact:
            b = as_float_array(b, lambda i: f"generator {i}: b")
        self._core = Core(space, masses, b, nirvana)
        self._cache = {}
        if normalized:
            _check_normalized(self)

    @classmethod
    def from_arrays(
        cls,
        masses: Any,
        b: Any = None,
        *,
        outcomes: Iterable[Hashable],
        nirvana: float = math.inf,
        normalized: bool = False,
    ) -> Infradistribution:
        """Build from a ``(k, n)`` mass matrix (one row per generator) and ``b`` (default zeros).

        Integer or ``Fraction`` entries give an exact infradistribution, floats a float64 one.
        The inputs are copied, never modified. ``normalized=True`` refuses a result that is not
        normalized, as in the constructor.

        Examples
        --------
        >>> import numpy as np
        >>> masses = np.array([[0.5, 0.5], [1.0, 0.0]])
        >>> H = Infradistribution.from_arrays(masses, outcomes=("a", "b"))
        >>> H.expect([0.0, 1.0])
        0.0
        """
        nirvana = check_nirvana(nirvana)
        space = OutcomeSpace(outcomes)
        arr = np.asarray(masses)
        n = len(space.outcomes)
        if arr.ndim != 2 or arr.shape[1] != n or arr.shape[0] == 0:
            raise ValueError(
                f"masses must be a (generators, outcomes) matrix with {n} columns "
                f"{space.describe()} and at least one row; got shape {arr.shape}"
            )
        k = arr.shape[0]

        def mass(i: int) -> str:
            return f"generator {i // n}: the mass of outcome {space.outcomes[i % n]!r}"

        def constant(i: int) -> str:
            return f"generator {i}: b"

        flat = vector(arr.reshape(-1), "mass", mass)
        b_vec = vector(np.zeros(k, dtype=int) if b is None else b, "b", constant)
        if b_vec.shape[0] != k:
            raise ValueError(f"b has {b_vec.shape[0]} entries for {k} generators")
        if not (is_exact(flat) and is_exact(b_vec)):
            flat, b_vec = as_float_array(flat, mass), as_float_array(b_vec, constant)
        mat = flat.reshape(k, n)
        _check_ameasures(mat, b_vec, space)
        out = from_core(Core(space, mat, b_vec, nirvana), cls)
        if normalized:
            _check_normalized(out)
        return out

    @classmethod
    def sharp(
        cls,
        support: Iterable[Hashable],
        *,
        outcomes: Iterable[Hashable] | None = None,
        nirvana: float = math.inf,
    ) -> Infradistribution:
        r"""Return the sharp infradistribution of a set: total ignorance within it.

        Its generators are the point masses :math:`\delta_x` for :math:`x` in `support`, so
        :math:`E(f) = \min_{x \in C} f(x)`.

        Examples
        --------
        >>> H = Infradistribution.sharp(["a", "b"], outcomes=("a", "b", "c"))
        >>> H.expect({"a": 1, "b": 0.5, "c": 0})
        0.5
        """
        support = tuple(support)
        space = OutcomeSpace(support if outcomes is None else outcomes)
        space.check_known(support, "support")
        if not support:
            raise ValueError("support is empty; a sharp infradistribution needs a nonempty set")
        if len(set(support)) != len(support):
            raise ValueError(f"support {support!r} lists an outcome twice")
        rows = [[1 if x == s else 0 for x in space.outcomes] for s in support]
        return cls.from_arrays(rows, outcomes=space.outcomes, nirvana=nirvana)

    def _wrap(self, core: Core) -> Infradistribution:
        """Return `core` as an infradistribution of this class (``self`` if it is our core)."""
        return self if core is self._core else from_core(core, type(self))

    # -- data -----------------------------------------------------------------------------------

    @property
    def outcomes(self) -> tuple[Hashable, ...]:
        """The outcome tuple (the column order of :attr:`masses`)."""
        return self._core.space.outcomes

    @property
    def masses(self) -> np.ndarray:
        """The ``(generators, outcomes)`` mass matrix (read-only; dtype object when exact)."""
        return self._core.masses

    @property
    def b(self) -> np.ndarray:
        """The constant terms of the generators (read-only)."""
        return self._core.b

    @property
    def nirvana(self) -> float:
        """The value of NIRVANA: ``math.inf`` or ``1``."""
        return self._core.nirvana

    @property
    def exact(self) -> bool:
        """Whether the generators are exact ``Fraction`` s."""
        return self._core.exact

    @property
    def generators(self) -> tuple[AMeasure, ...]:
        """The generators as :class:`~infrabayes.AMeasure` objects."""
        if "generators" not in self._cache:
            core = self._core
            self._cache.setdefault(
                "generators",
                tuple(
                    trusted_ameasure(core.space, read_only(row.copy()), py_scalar(bi))
                    for row, bi in zip(core.masses, core.b, strict=True)
                ),
            )
        gens: tuple[AMeasure, ...] = self._cache["generators"]
        return gens

    def __len__(self) -> int:
        return int(self._core.b.shape[0])

    def __iter__(self) -> Iterator[AMeasure]:
        return iter(self.generators)

    def __getitem__(self, i: int) -> AMeasure:
        return self.generators[i]

    def with_nirvana(self, nirvana: float) -> Infradistribution:
        """Return the same generators under the other Nirvana convention (``math.inf`` or 1)."""
        return self._wrap(self._core.with_nirvana(check_nirvana(nirvana)))

    # -- expectation ----------------------------------------------------------------------------

    def _utility(self, f: Any, what: str = "utility") -> np.ndarray:
        return self._core.space.utility(f, self._core.nirvana, what)

    def expect(self, f: Any) -> Number:
        r"""Return Murphy's expectation :math:`E_H(f) = \min_i m_i(f) + b_i`.

        Parameters
        ----------
        f : mapping, callable, array or number
            A utility function into [0, 1]: a mapping outcome -> value (every ordinary outcome),
            a callable on outcomes, an array in the order of :attr:`outcomes`, or a constant.
            NIRVANA's value is fixed by :attr:`nirvana` and is not given by `f`.

        Returns
        -------
        Fraction or float
            Exact when the generators and `f` are exact. ``math.inf`` when every generator
            touches Nirvana under ``nirvana=math.inf``.

        Raises
        ------
        ValueError
            If `f` leaves [0, 1] somewhere (the upper completion would make the expectation
            :math:`-\infty`), misses an outcome or names an unknown one.
        """
        return self._core.expect(self._utility(f))

    def generator_values(self, f: Any) -> tuple[Number, ...]:
        """Return the value :math:`m_i(f) + b_i` of each generator, in the order of `generators`.

        A generator touching Nirvana under ``nirvana=math.inf`` has the value ``math.inf``.
        """
        rows, values = self._core.values(self._utility(f))
        out: list[Number] = [math.inf] * len(self)
        for i, v in zip(rows, values, strict=True):
            out[int(i)] = py_scalar(v)
        return tuple(out)

    def murphy_choice(self, f: Any) -> tuple[int, ...]:
        """Return the indices of the generators attaining :math:`E_H(f)` (all of them, on a tie).

        Ties are exact equalities (in float64 too). Empty when every generator touches Nirvana
        under ``nirvana=math.inf``.
        """
        rows, values = self._core.values(self._utility(f))
        if rows.size == 0:
            return ()
        best = values.min()
        return tuple(int(i) for i, v in zip(rows, values, strict=True) if v == best)

    def lower_probability(self, event: Iterable[Hashable]) -> Number:
        """Return :math:`E_H(1_A)` for a set `event` of ordinary outcomes."""
        return self._core.expect(self._core.space.indicator(event))

    def upper_probability(self, event: Iterable[Hashable]) -> Number:
        r"""Return :math:`1 - E_H(1 - 1_A)` for a set `event` of ordinary outcomes.

        For a normalized :math:`H` this is the update's normalizer :math:`P^1_H(A)` (with
        :math:`g = 1`), as the lower probability is :math:`P^0_H(A)`. For a credal set it is
        :math:`\max_\mu \mu(A) \ge` the lower probability; for a general infradistribution the
        two need not be ordered (the functional is only concave):

        >>> from fractions import Fraction as F
        >>> H = Infradistribution([({"a": F(1, 7), "b": 0}, F(6, 7)), {"a": 1, "b": F(6, 7)}])
        >>> H.is_normalized(), H.lower_probability({"a"}), H.upper_probability({"a"})
        (True, Fraction(1, 1), Fraction(1, 7))
        """
        indicator = self._core.space.indicator(event)
        return py_scalar(1 - self._core.expect(1 - indicator))

    # -- normalization and shape ----------------------------------------------------------------

    def is_normalized(self) -> bool:
        """Return whether :math:`E_H(0) = 0` and :math:`E_H(1) = 1`.

        Exactly for exact infradistributions. For floats within :data:`NORMALIZATION_TOLERANCE`,
        relative: :math:`|E(1) - 1|` against 1, :math:`|E(0)|` against :math:`E(1)`.
        """
        e0, e1 = self.expect(0), self.expect(1)
        if self.exact:
            return e0 == 0 and e1 == 1
        low, high = float(e0), float(e1)  # floats already (not exact); typed as such
        tol = NORMALIZATION_TOLERANCE
        return abs(high - 1) <= tol and abs(low) <= tol * abs(high)

    def normalize(self) -> Infradistribution:
        r"""Return :math:`(m, b) \mapsto (m / (E(1) - E(0)), (b - E(0)) / (E(1) - E(0)))`.

        The result has :math:`E'(f) = (E(f) - E(0)) / (E(1) - E(0))`. See
        :func:`infrabayes.update.normalize`.
        """
        return self._wrap(_update.normalize(self._core))

    def minimal_points(self, *, progress: Progress | None = None) -> Infradistribution:
        """Return the generators that are minimal points (dominated ones pruned by LP).

        Every expectation is unchanged. `progress`, if given, is called as ``progress(i, k)``
        after each of the ``k`` generators is decided. See
        :func:`infrabayes.minimal.minimal_points`.
        """
        return self._wrap(_minimal.minimal_points(self._core, check_progress(progress)))

    def is_crisp(self) -> bool:
        """Whether the minimal points are probability distributions: a credal set."""
        return _properties.is_crisp(self._core)

    def is_sharp(self) -> bool:
        """Whether the minimal points are all the distributions on a set C."""
        return _properties.is_sharp(self._core)

    def is_homogeneous(self) -> bool:
        """Whether every minimal point has b = 0."""
        return _properties.is_homogeneous(self._core)

    def is_cohomogeneous(self) -> bool:
        """Whether every minimal point has total mass plus b equal to 1."""
        return _properties.is_cohomogeneous(self._core)

    # -- updates and operations -----------------------------------------------------------------

    def probability(self, likelihood: Any, g: Any) -> Number:
        r"""Return :math:`P^g_H(L) = E_H(1 \star_L g) - E_H(0 \star_L g)`, the update's normalizer.

        See :func:`infrabayes.update.probability`.
        """
        return _update.probability(self._core, likelihood, g)

    def raw_update(self, likelihood: Any, g: Any) -> Infradistribution:
        r"""Return the raw update :math:`\{(L m, b + m((1 - L) g))\}` (not normalized).

        See :func:`infrabayes.update.raw_update`.
        """
        return self._wrap(_update.raw_update(self._core, likelihood, g))

    def update(self, likelihood: Any, g: Any) -> Infradistribution:
        """Return the update :math:`H|^g_L` on a likelihood or event, with off-branch utility `g`.

        See :func:`infrabayes.update.update`.
        """
        return self._wrap(_update.update(self._core, likelihood, g))

    def pushforward(
        self,
        fn: Callable[[Any], Hashable] | Mapping[Any, Hashable],
        *,
        outcomes: Iterable[Hashable] | None = None,
    ) -> Infradistribution:
        r"""Return the image :math:`\{(k_* m, b)\}` under the map `fn` of outcomes.

        See :func:`infrabayes.operations.pushforward`.
        """
        return self._wrap(_operations.pushforward(self._core, fn, outcomes))

    def nirvana_free(self) -> Infradistribution:
        """Return a Nirvana-free infradistribution with the same expectations.

        See :func:`infrabayes.operations.nirvana_free`.
        """
        return self._wrap(_operations.nirvana_free(self._core))

    # -- display --------------------------------------------------------------------------------

    def _report(self) -> list[_html.Block]:
        kind = "exact" if self.exact else "float64"
        nirvana = "inf" if self.nirvana == math.inf else "1"
        normalized = self.is_normalized()
        head = (
            f"Infradistribution: {len(self)} generator{'s' if len(self) != 1 else ''} over "
            f"{len(self.outcomes)} outcome{'s' if len(self.outcomes) != 1 else ''} "
            f"({kind}, {'normalized' if normalized else 'NOT normalized'}, nirvana={nirvana})"
        )
        header, rows, more = generator_rows(self.outcomes, self.masses, self.b)
        blocks: list[_html.Block] = [head, _html.Table(header, rows, left=0)]
        if more is not None:
            blocks.append(more)
        if not normalized:
            blocks.append(_not_normalized(self.expect(0), self.expect(1)))
        return blocks

    def __repr__(self) -> str:
        return _html.text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (the repr's table, fractions typeset)."""
        return _html.html(self._report())


def _check_normalized(h: Infradistribution) -> None:
    if h.is_normalized():
        return
    how = (
        "exactly"
        if h.exact
        else f"within the relative tolerance {NORMALIZATION_TOLERANCE:g} (|E(1) - 1| against 1, "
        "|E(0)| against E(1))"
    )
    raise ValueError(
        f"normalized=True, but these generators give E(0) = {format_number(h.expect(0))} and "
        f"E(1) = {format_number(h.expect(1))}; a normalized infradistribution has E(0) = 0 and "
        f"E(1) = 1 ({how}): the smallest b must be 0 and the smallest total mass plus b 1. "
        "Fix the generators, or build without normalized=True and call .normalize()"
    )


def _not_normalized(e0: Number, e1: Number) -> str:
    return (
        f"  not normalized: E(0) = {format_number(e0)}, E(1) = {format_number(e1)} (normalized: "
        "0 and 1); .normalize() rescales"
    )


def from_core(core: Core, cls: type[Infradistribution] = Infradistribution) -> Infradistribution:
    """Return `core` wrapped as an infradistribution (of the subclass `cls`), without checks.

    The core must satisfy the invariants of ``infrabayes._core`` (the modules computing on cores
    keep them).
    """
    obj = object.__new__(cls)
    obj._core = core
    obj._cache = {}
    return obj


def core_of(h: Infradistribution) -> Core:
    """Return the core that the infradistribution `h` wraps."""
    return h._core


def _as_ameasure(item: Any, space: OutcomeSpace | None, i: int) -> AMeasure:
    outcomes = None if space is None else space.outcomes
    if isinstance(item, AMeasure):
        return item
    if isinstance(item, Mapping):
        return AMeasure(item, 0, outcomes=outcomes)
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Mapping):
        return AMeasure(item[0], item[1], outcomes=outcomes)
    raise TypeError(
        f"generator {i} is {item!r}; expected an AMeasure, a mapping outcome -> mass, or a pair "
        "(mapping, b)"
    )


def _matrix(rows: list[list[Any]], exact: bool, space: OutcomeSpace) -> np.ndarray:
    mat = np.empty((len(rows), len(rows[0])), dtype=object)
    mat[:, :] = rows
    if exact:
        return mat

    def mass(index: tuple[int, int]) -> str:
        return f"generator {index[0]}: the mass of outcome {space.outcomes[index[1]]!r}"

    return as_float_array(mat, mass)


def _object_vector(items: list[Any]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _check_ameasures(masses: np.ndarray, b: np.ndarray, space: OutcomeSpace) -> None:
    negative = np.argwhere(masses < 0)
    if negative.size:
        i, j = (int(v) for v in negative[0])
        raise ValueError(
            f"generator {i}: the mass of outcome {space.outcomes[j]!r} is "
            f"{format_number(masses[i, j])} < 0; generators are a-measures (nonnegative masses)"
        )
    negative_b = np.flatnonzero(b < 0)
    if negative_b.size:
        i = int(negative_b[0])
        raise ValueError(
            f"generator {i}: b is {format_number(b[i])} < 0; generators are a-measures (b >= 0)"
        )
