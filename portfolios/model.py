"""The entries of a portfolio: latent variables, assumptions, safety cases and scenarios.

Definitions
-----------
latent variable
    A binary world-structure variable ``W_j`` ("models are parsimonious enough for present-day
    interpretability to work") that *fails* with probability ``p_fail``; the latent variables
    are independent of one another.
assumption
    A world-model premise that fails on its own with probability ``p_fail``, or with
    probability ``holds`` / ``fails`` depending on the state of one latent variable
    (:class:`Conditional`). An assumption may ``require`` other assumptions: the failure of a
    required assumption makes it fail too. Given the latent states, the assumptions' own
    failures are independent.
safety case
    An argument that rests on ``assumptions`` and optionally on other cases (``rests_on``); it
    fails if anything it rests on fails, and otherwise with its residual ``soundness_error``
    (the probability that the argument itself is wrong). It ``covers`` scenarios.
scenario
    A deployment context with an optional risk tolerance ``max_risk``; it is *unprotected*
    when every case covering it fails.

Each entry is a frozen dataclass; ids are unique across the four sections of a portfolio.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Assumption", "Case", "Conditional", "Latent", "Scenario"]


@dataclass(frozen=True)
class Latent:
    """A latent world-structure variable.

    Parameters
    ----------
    id : str
        Its id.
    statement : str
        What holds when the variable holds.
    p_fail : float
        The probability that it fails, in [0, 1].
    source : str or None
        Where the statement comes from.
    """

    id: str
    statement: str
    p_fail: float
    source: str | None = None


@dataclass(frozen=True)
class Conditional:
    """The failure probability of an assumption given the state of one latent variable.

    Parameters
    ----------
    latent : str
        The id of the latent variable.
    holds : float
        P(assumption fails | latent variable holds).
    fails : float
        P(assumption fails | latent variable fails).
    """

    latent: str
    holds: float
    fails: float


@dataclass(frozen=True)
class Assumption:
    """A world-model assumption that safety cases rest on.

    Parameters
    ----------
    id : str
        Its id.
    statement : str
        The assumption.
    p_fail : float or Conditional
        The probability that it fails on its own, or that probability per latent state.
    requires : tuple of str
        Assumptions whose failure makes this one fail.
    source : str or None
        Where the assumption comes from.
    """

    id: str
    statement: str
    p_fail: float | Conditional
    requires: tuple[str, ...] = ()
    source: str | None = None

    @property
    def latent(self) -> str | None:
        """The latent variable its failure probability depends on, or None."""
        return self.p_fail.latent if isinstance(self.p_fail, Conditional) else None


@dataclass(frozen=True)
class Case:
    """A safety case.

    Parameters
    ----------
    id : str
        Its id.
    statement : str
        The top-level claim.
    assumptions : tuple of str
        The assumptions it rests on.
    rests_on : tuple of str
        Other cases it rests on (their failure makes it fail).
    soundness_error : float
        The probability that the argument fails although everything it rests on holds.
    covers : tuple of str
        The scenarios it covers.
    source : str or None
        Where the case comes from.
    """

    id: str
    statement: str
    assumptions: tuple[str, ...] = ()
    rests_on: tuple[str, ...] = ()
    soundness_error: float = 0.0
    covers: tuple[str, ...] = ()
    source: str | None = None


@dataclass(frozen=True)
class Scenario:
    """A deployment context.

    Parameters
    ----------
    id : str
        Its id.
    statement : str
        The context.
    max_risk : float or None
        The largest acceptable probability that it is unprotected.
    source : str or None
        Where the scenario comes from.
    """

    id: str
    statement: str
    max_risk: float | None = None
    source: str | None = None
