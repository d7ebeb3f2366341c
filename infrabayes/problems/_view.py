"""What the result objects and the re-decision read of a decision problem: a :class:`ProblemView`.

:class:`~infrabayes.problems.Problem` builds one view when it is constructed and passes it to
the objects built on the problem (:class:`~infrabayes.problems.Solution`,
:class:`~infrabayes.problems.Comparison`, :class:`~infrabayes.problems.Redecision` and
:class:`~infrabayes.problems.Observation`); they read the problem through it and never through
the members of ``Problem`` (they keep the problem itself only to hand it back to the user).

What a view holds
-----------------
``name``
    The problem's name (for reprs and messages).
``compiled``
    The flattened tree, a :class:`~infrabayes.problems._compiled.Compiled`: information sets,
    actions, outcomes, utilities, leaves, and the index arrays ``compiled.policies`` (one row per
    deterministic policy) and ``compiled.predictions`` (one row per hard-coded prediction).

What it derives, each computed once on first use and then shared:

* :attr:`ProblemView.policies` and :attr:`ProblemView.predictions`: the rows of those arrays as
  :class:`~infrabayes.problems.Policy` objects;
* :meth:`ProblemView.row`: the row of a policy given as a ``Policy``, a mapping
  ``infoset -> action`` or its printed name (raising ``TypeError``/``ValueError`` that name the
  information sets and actions), and :meth:`ProblemView.policy`, the ``Policy`` of that row;
* :meth:`ProblemView.tables`: the matrices of :func:`~infrabayes.problems.hypotheses.tables`;
* :meth:`ProblemView.expected_utilities`, :meth:`ProblemView.ib_values` and
  :meth:`ProblemView.local_values`: per policy row, the expected utility in the true problem,
  IB's values with Murphy's choices, and the CDT or EDT values of the actions.

Invariants: a view never changes once built (only its caches fill); every per-policy array is
indexed by the rows of ``compiled.policies``, every per-environment one by the rows of
``compiled.predictions``; arrays handed out are read-only. The caches are safe under threads:
each entry is computed outside any lock and stored with ``dict.setdefault``, so concurrent
first uses may compute it twice but every caller gets the one stored object.

Examples
--------
>>> from infrabayes.problems import parfits_hitchhiker
>>> from infrabayes.problems._compiled import compile_tree
>>> view = ProblemView("Parfit's Hitchhiker", compile_tree(parfits_hitchhiker().root))
>>> view.policies, view.row("refuse"), view.policy({"town": "pay"})
((Policy({'town': 'pay'}), Policy({'town': 'refuse'})), 1, Policy({'town': 'pay'}))
>>> view.expected_utilities()
array([Fraction(999, 1000), Fraction(0, 1)], dtype=object)
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infrabayes._table import did_you_mean
from infrabayes.limits import Progress
from infrabayes.problems import _factored as factored
from infrabayes.problems import hypotheses as hyp
from infrabayes.problems._compiled import Compiled, _product
from infrabayes.problems._factored import Component
from infrabayes.problems.mixed import pure_node_values
from infrabayes.problems.policy import Policy
from infrabayes.problems.theories import local_values

__all__ = ["ProblemView"]


@dataclass(frozen=True, eq=False)
class ProblemView:
    """A problem's name and compiled tree, with what is derived from them (module docstring)."""

    name: str
    compiled: Compiled
    _cache: dict[Any, Any] = field(default_factory=dict, init=False, repr=False)

    @property
    def policies(self) -> tuple[Policy, ...]:
        """Every deterministic policy, in the row order of ``compiled.policies``."""
        if "policies" not in self._cache:
            c = self.compiled
            self._cache.setdefault("policies", _policies(c.infosets, c.actions, c.policies))
        out: tuple[Policy, ...] = self._cache["policies"]
        return out

    @property
    def predictions(self) -> tuple[Policy, ...]:
        """The hard-coded predictions, in the row order of ``compiled.predictions``."""
        if "predictions" not in self._cache:
            c = self.compiled
            infosets = tuple(c.infosets[i] for i in c.predicted)
            actions = tuple(c.actions[i] for i in c.predicted)
            self._cache.setdefault("predictions", _policies(infosets, actions, c.predictions))
        out: tuple[Policy, ...] = self._cache["predictions"]
        return out

    def row(self, spec: Any) -> int:
        """Return the row of the policy named by `spec` (a Policy, a mapping, or its name)."""
        if "rows" not in self._cache:
            self._cache.setdefault("rows", {p: i for i, p in enumerate(self.policies)})
        rows: dict[Policy, int] = self._cache["rows"]
        c = self.compiled
        if isinstance(spec, str):
            spec = self._parse(spec)
        if not isinstance(spec, Mapping):
            raise TypeError(
                f"a policy is a Policy, a mapping infoset -> action, or its name; got {spec!r}"
            )
        if set(spec) != set(c.infosets):
            unknown = [i for i in spec if i not in c.infosets]
            hint = did_you_mean(unknown[0], c.infosets) if unknown else ""
            raise ValueError(
                f"the policy {dict(spec)!r} must choose at exactly the information sets "
                f"{list(c.infosets)}{hint}"
            )
        actions = dict(zip(c.infosets, c.actions, strict=True))
        for infoset, action in spec.items():
            if action not in actions[infoset]:
                raise ValueError(
                    f"{action!r} is not an action at {infoset!r}"
                    f"{did_you_mean(action, actions[infoset])}; the actions are "
                    f"{list(actions[infoset])}"
                )
        return rows[Policy({i: spec[i] for i in c.infosets})]

    def policy(self, spec: Any) -> Policy:
        """Return the policy named by `spec` (see :meth:`row`)."""
        return self.policies[self.row(spec)]

    def _parse(self, text: str) -> dict[str, str]:
        """Read ``'infoset: action, infoset: action'``; names may contain ``', '`` or ``':'``.

        Each part starts with a known information set followed by ``:``, and its action runs
        to the ``', '`` before the next known information set and ``:`` (or to the end).
        """
        infosets = self.compiled.infosets
        if len(infosets) == 1 and not text.strip().startswith(f"{infosets[0]}:"):
            return {infosets[0]: text.strip()}
        names = "|".join(re.escape(i) for i in sorted(infosets, key=len, reverse=True))
        part = re.compile(rf"\s*({names})\s*:\s*(.*?)\s*(?:,(?=\s*(?:{names})\s*:)|$)", re.S)
        out: dict[str, str] = {}
        at = 0
        while at < len(text):
            match = part.match(text, at)
            if match is None or match.end() == at:
                raise ValueError(
                    f"cannot read the policy {text!r}: write 'infoset: action, ...' with the "
                    f"information sets {list(infosets)}"
                )
            out[match.group(1)] = match.group(2)
            at = match.end()
        return out

    def tables(self) -> hyp.Tables:
        """Return the matrices of the flattened problem (see ``hypotheses.tables``)."""
        if "tables" not in self._cache:
            self._cache.setdefault("tables", hyp.tables(self.compiled))
        out: hyp.Tables = self._cache["tables"]
        return out

    def factored(self) -> tuple[Component, ...] | None:
        """Return the components of the predictions when the factorised route pays, else None.

        See :mod:`infrabayes.problems._factored` (at least two components with predictions and
        at least ``FACTOR_MIN_PRODUCTS`` direct multiply-adds).
        """
        if "parts" not in self._cache:
            parts = factored.components(self.compiled)
            use = factored.worthwhile(self.compiled, parts)
            self._cache.setdefault("parts", parts if use else None)
        out: tuple[Component, ...] | None = self._cache["parts"]
        return out

    def expected_utilities(self, progress: Progress | None = None) -> np.ndarray:
        """Return the expected utility of every policy row in the true problem (read-only).

        `progress` is called as ``progress(done, total)`` if it is computed now (policies, or
        components on the factorised route).
        """
        if "eu" not in self._cache:
            parts = self.factored()
            if parts is not None:
                eu = factored.expected_utilities(self.compiled, parts, progress)
            else:
                eu = hyp.expected_utilities(self.compiled, self.tables(), progress)
            self._cache.setdefault("eu", eu)
        out: np.ndarray = self._cache["eu"]
        return out

    def ib_values(
        self, encoding: str, nirvana: float, progress: Progress | None = None, workers: Any = 1
    ) -> tuple[np.ndarray, tuple[tuple[int, ...], ...]]:
        """Return IB's value of every policy row and Murphy's choices (``hypotheses.ib_values``).

        `encoding` and `nirvana` are checked values (``"causal"``/``"acausal"``; ``math.inf``/1).
        `progress` is called as ``progress(policies done, policies)`` if they are computed now.
        """
        key = ("ib", encoding, nirvana)
        parts = self.factored() if encoding == "causal" else None
        if key not in self._cache and parts is not None:
            values = factored.ib_values(self.compiled, nirvana, parts, progress)
            self._cache.setdefault(key, values)
        if key not in self._cache:
            values = hyp.ib_values(
                self.compiled, self.tables(), encoding, nirvana, progress, workers
            )
            self._cache.setdefault(key, values)
        out: tuple[np.ndarray, tuple[tuple[int, ...], ...]] = self._cache[key]
        return out

    def local_values(self, theory: str, progress: Progress | None = None) -> np.ndarray:
        """Return the CDT or EDT action values (``theories.local_values``), computed once.

        With imperfect recall (an information set twice on a path) they are the values at the
        node of :func:`~infrabayes.problems.mixed.pure_node_values`.
        """
        key = ("local", theory)
        if key not in self._cache:
            if self.compiled.absent_minded:  # imperfect recall: the values at the node
                values = pure_node_values(self.compiled, theory)
            else:
                values = local_values(self.compiled, theory, progress)
            self._cache.setdefault(key, values)
        out: np.ndarray = self._cache[key]
        return out


def _policies(
    infosets: tuple[str, ...], actions: tuple[tuple[str, ...], ...], rows: np.ndarray
) -> tuple[Policy, ...]:
    """Return the :class:`Policy` of every row of action indices (vectorised by column)."""
    if not infosets:
        return tuple(Policy._of_items(()) for _ in range(rows.shape[0]))
    sizes = [len(acts) for acts in actions]
    if rows.shape[0] == math.prod(sizes) and np.array_equal(rows, _product(sizes)):
        # every combination, first slowest: itertools.product builds the items in C
        pairs = [[(i, a) for a in acts] for i, acts in zip(infosets, actions, strict=True)]
        return tuple(map(Policy._of_items, itertools.product(*pairs)))
    columns = []
    for j, acts in enumerate(actions):
        names = np.empty(len(acts), dtype=object)
        names[:] = acts
        columns.append(names[rows[:, j]].tolist())
    return tuple(
        Policy._of_items(tuple(zip(infosets, chosen, strict=True)))
        for chosen in zip(*columns, strict=True)
    )
