"""Drawing one round of a law: the prediction from the policy, then the observation (float64).

A :class:`Sampler` holds a law's float arrays, precomputed once; :meth:`Sampler.draw` uses two
uniform numbers of the generator per round (the prediction, then the observation), so a run is
reproducible from its generator alone.

Examples
--------
>>> import numpy as np
>>> from infrabayes.learning.model import build_game, build_law
>>> game = build_game(["a"], ["x", "y"], [[1, 0]])
>>> sampler = Sampler.of(build_law(game, emission=[[[0, 1]]]))
>>> sampler.draw(np.array([1.0]), 0, np.random.default_rng(0))
(0, 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from infrabayes._numbers import read_only
from infrabayes.learning.model import Law

__all__ = ["Sampler"]


@dataclass(frozen=True, eq=False)
class Sampler:
    """A law's arrays for sampling: the predictor ``(A, D)`` and cumulative emission rows."""

    predictor: np.ndarray
    cumulative: np.ndarray

    @classmethod
    def of(cls, law: Law) -> Sampler:
        """Return the sampler of a law (float64 copies, read-only)."""
        m = np.asarray(law.predictor, dtype=np.float64)
        k = np.cumsum(np.asarray(law.emission, dtype=np.float64), axis=2)
        return cls(read_only(m.copy()), read_only(k))

    def draw(self, policy: np.ndarray, action: int, rng: np.random.Generator) -> tuple[int, int]:
        """Return ``(prediction, observation)`` indices for a float policy and an action index.

        The prediction is drawn from ``policy @ predictor``, the observation from the emission
        row of the prediction and the action. Rounding at the top of a cumulative row is
        absorbed by the last entry with positive probability.
        """
        law = policy @ self.predictor
        cum = law.cumsum()
        n_d = cum.shape[0]
        d = int(cum.searchsorted(rng.random() * cum[-1], "right"))
        if d >= n_d or law[d] <= 0:  # only reached through rounding at the top
            d = int(np.flatnonzero(law > 0)[-1])
        row = self.cumulative[d, action]
        n_o = row.shape[0]
        o = int(row.searchsorted(rng.random() * row[-1], "right"))
        if o >= n_o or (o > 0 and row[o] == row[o - 1]):  # rounding at the top
            steps = np.flatnonzero(np.diff(row, prepend=0.0) > 0)
            o = int(steps[-1])
        return d, o
