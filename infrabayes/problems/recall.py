r"""Problems with imperfect recall: the absent-minded driver (Piccione & Rubinstein 1997).

A driver on a highway must take the second exit. The two intersections look alike and he
cannot remember passing one, so both are decision nodes of one information set
(``"intersection"``) on one path: he acts the same way at both and can only randomise. Exiting at
the first pays `exit_first`, at the second `exit_second`, continuing past both `continue_`
(0, 4 and 1 in the original). With :math:`p` the probability of continuing, the planning payoff
is :math:`(1-p)\, x_1 + p(1-p)\, x_2 + p^2 x_3`; with the original numbers :math:`4p - 3p^2`,
maximised at :math:`p = 2/3` with value :math:`4/3`.

Payoffs are normalised to [0, 1] by :math:`u(x) = (x - x_{\min}) / (x_{\max} - x_{\min})`;
:func:`payoff` maps a utility back. How each theory decides at the node is in
:mod:`infrabayes.problems.mixed`: UDT (planning) and CDT with the consistent belief (Aumann, Hart
& Perry 1997) continue with probability 2/3; EDT, reading the choice as made at this and every
later intersection (Piccione & Rubinstein's action-stage payoff), with 4/9.

References: M. Piccione and A. Rubinstein, "On the Interpretation of Decision Problems with
Imperfect Recall", *Games and Economic Behavior* 20 (1997) 3-24; R. Aumann, S. Hart and M.
Perry, "The Absent-Minded Driver", *Games and Economic Behavior* 20 (1997) 102-116.

Examples
--------
>>> driver = absent_minded_driver()
>>> udt = driver.solve("udt", mixed=True)
>>> str(udt.optimal[0]), udt.value, payoff(driver, udt.value)
('exit 1/3, continue 2/3', Fraction(1, 3), Fraction(4, 3))
>>> [str(b["intersection"]["continue"]) for t in ("cdt", "edt")
...  for b in driver.solve(t, mixed=True).optimal]
['2/3', '4/9']
"""

from __future__ import annotations

from typing import Any

from infrabayes._numbers import Number, format_number, scalar
from infrabayes.problems.nodes import Decision, Outcome
from infrabayes.problems.problem import Problem

__all__ = ["absent_minded_driver", "payoff"]


def absent_minded_driver(exit_first: Any = 0, exit_second: Any = 4, continue_: Any = 1) -> Problem:
    """Return the absent-minded driver: two indistinguishable intersections on one path.

    Information set ``"intersection"`` (actions ``"exit"``, ``"continue"``) with two decision
    nodes on the path; outcomes ``"first exit"``, ``"second exit"``, ``"past both"``.

    Parameters
    ----------
    exit_first, exit_second, continue_ : numbers, default 0, 4 and 1
        The payoffs (Piccione & Rubinstein's); not all equal. Normalised to [0, 1]; the
        problem's ``parameters`` keep them (and :func:`payoff` undoes the normalisation).

    Notes
    -----
    A deterministic driver either exits at the first intersection or never exits (a pure
    policy acts the same at both): UDT over pure policies gets ``max(x1, x3)``. Over behavioural
    policies, ``solve(theory, mixed=True)``: see :mod:`infrabayes.problems.mixed`.
    """
    pays = {
        "first exit": scalar(exit_first, "exit_first"),
        "second exit": scalar(exit_second, "exit_second"),
        "past both": scalar(continue_, "continue_"),
    }
    lo, hi = min(pays.values()), max(pays.values())
    if hi == lo:
        raise ValueError(f"all outcomes pay the same ({format_number(hi)}); nothing to decide")
    u = {name: (x - lo) / (hi - lo) for name, x in pays.items()}
    second = Decision(
        "intersection",
        {
            "exit": Outcome("second exit", u["second exit"]),
            "continue": Outcome("past both", u["past both"]),
        },
    )
    first = Decision(
        "intersection", {"exit": Outcome("first exit", u["first exit"]), "continue": second}
    )
    return Problem(
        first,
        name="The absent-minded driver",
        parameters={
            "exit_first": pays["first exit"],
            "exit_second": pays["second exit"],
            "continue_": pays["past both"],
        },
    )


def payoff(problem: Problem, utility: Any) -> Number:
    """Return the payoff of a utility of an :func:`absent_minded_driver` problem (undo [0, 1]).

    Parameters
    ----------
    problem : Problem
        Built by :func:`absent_minded_driver` (its ``parameters`` hold the payoffs).
    utility : number
        A value or expected utility of that problem.
    """
    keys = ("exit_first", "exit_second", "continue_")
    if not all(k in problem.parameters for k in keys):
        raise ValueError(
            f"payoff() needs a problem built by absent_minded_driver(); {problem.name!r} has the "
            f"parameters {sorted(problem.parameters)}"
        )
    pays = [problem.parameters[k] for k in keys]
    lo, hi = min(pays), max(pays)
    out: Number = lo + scalar(utility, "utility") * (hi - lo)
    return out
