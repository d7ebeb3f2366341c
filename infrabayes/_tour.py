"""The infrabayes section of ``knightian tour``: a credal set, updates, Nirvana, decisions.

Then Parfit's Hitchhiker under IB (where each encoding fails, and the update in town),
planning against Murphy in a robust MDP, and learning in Newcomb's bandit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction as F
from pathlib import Path
from typing import TextIO

from infrabayes import plot
from infrabayes._table import table
from infrabayes.infradistribution import Infradistribution
from infrabayes.learning import (
    EXP3,
    UCB1,
    Agent,
    BayesAgent,
    IBAgent,
    NewcombBandit,
    ThompsonSampling,
    chance,
    predictor,
    run,
)
from infrabayes.nirvana import NIRVANA
from infrabayes.problems import plot as problems_plot
from infrabayes.problems.library import parfits_hitchhiker
from infrabayes.sequential.mdp import InfraMDP, compare

__all__ = ["section"]


def _indent(obj: object) -> str:
    return "\n".join("    " + line for line in repr(obj).splitlines())


def section(out: TextIO, plots: Path | None = None) -> None:
    """Print the tour of :mod:`infrabayes` to `out` (exact arithmetic throughout).

    With `plots`, also write its figures there: the credal set and its update on the
    probability triangle (``infrabayes_simplex.png``) and the tree of Parfit's Hitchhiker
    (``infrabayes_tree.png``).

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> section(buf)
    >>> "P = 29/40" in buf.getvalue()
    True
    """

    def say(*lines: str) -> None:
        for line in lines:
            print(line, file=out)

    h = Infradistribution(
        [
            {"x1": F(1, 2), "x2": F(1, 4), "x3": F(1, 4)},
            {"x1": F(1, 10), "x2": F(3, 5), "x3": F(3, 10)},
        ]
    )
    a = {"x1", "x2"}
    say("A credal set: Murphy (the adversary) picks the worst of two distributions.", _indent(h))
    say(
        f"Lower and upper probability of A = {{x1, x2}}: {h.lower_probability(a)} and "
        f"{h.upper_probability(a)}.",
        "",
        "Updating on A needs the off-branch utility g (what you get where A did not happen):",
    )
    for g, name in ((0, "lower probability"), (1, "upper probability"), (F(1, 2), "in between")):
        post = h.update(a, g)
        say(
            f"  g = {g!s:>3}: P = {h.probability(a, g)} ({name}); "
            f"posterior E(1_x1) = {post.lower_probability({'x1'})}"
        )
    say("The posterior for g = 1 is no longer a credal set (b > 0, total mass < 1):")
    say(_indent(h.update(a, 1)), "")
    if plots is not None:
        ax = plot.simplex(h, update=(a, 1))
        ax.set_title(
            "The credal set H (blue) and its update on A = {x1, x2} with g = 1 (orange)\n"
            "(grey lines: one outcome's probability in steps of 0.25)",
            fontsize=10,
        )
        ax.figure.savefig(plots / "infrabayes_simplex.png", dpi=100)

    # A generator that gives the observation zero likelihood stays, as a constant.
    z = Infradistribution([{"a": 0, "b": 1}, {"a": F(1, 2), "b": F(1, 2)}])
    g_half = {"a": 0, "b": F(1, 2)}
    kept = z.update({"a"}, g_half)
    dropped = Infradistribution([{"a": F(1, 2), "b": F(1, 2)}]).update({"a"}, g_half)
    ts = (F(1, 4), F(3, 4), 1)
    say(
        "Zero-likelihood generators are kept: H = {delta_b, (delta_a + delta_b)/2}, observe a, "
        "g(b) = 1/2.",
        "  posterior E(f) for f(a) = 1/4, 3/4, 1: "
        + ", ".join(str(kept.expect({"a": t, "b": 0})) for t in ts)
        + "  (dropping delta_b instead: "
        + ", ".join(str(dropped.expect({"a": t, "b": 0})) for t in ts)
        + ")",
        "",
    )

    # Nirvana: epsilon-noisy Parfit's Hitchhiker by the Nirvana trick, built by hand.
    eps = F(1, 10)
    outs = ("desert", "town_pay", "town_refuse", NIRVANA)
    u = {"desert": 0, "town_pay": F(9, 10), "town_refuse": 1}
    hypotheses = {
        "pay": [{"town_pay": 1 - eps, "desert": eps}, {"desert": 1 - eps, NIRVANA: eps}],
        "refuse": [{NIRVANA: 1 - eps, "desert": eps}, {"desert": 1 - eps, "town_refuse": eps}],
    }
    say(
        "Nirvana: Parfit's Hitchhiker, predictor error 1/10, one environment per prediction",
        "(pay / refuse); acting against it in town gives NIRVANA. Utilities: desert 0, pay 9/10,",
        "refuse 1. Value of each policy:",
    )
    for nirvana, label in ((math.inf, "nirvana = inf"), (1, "nirvana = 1  ")):
        values = {
            p: Infradistribution(g, outcomes=outs, nirvana=nirvana).expect(u)
            for p, g in hypotheses.items()
        }
        say(f"  {label}: " + ", ".join(f"{p} {v}" for p, v in values.items()))
    pay = Infradistribution(hypotheses["pay"], outcomes=outs)
    say(
        "With inf, Murphy may not pick an environment that can be caught mispredicting, so paying",
        "wins. With 1, being caught with probability 1/10 costs Murphy only 1/10: a tie. The",
        "Nirvana-free translations of the 'pay' hypothesis show why (drop vs move into b):",
        _indent(pay.nirvana_free()),
        _indent(pay.with_nirvana(1).nirvana_free()),
    )

    _problems(say)
    if plots is not None:
        tree = problems_plot.tree(parfits_hitchhiker())
        tree.figure.savefig(plots / "infrabayes_tree.png", dpi=100)
    _planning(say)
    _learning(say)


def _problems(say: Callable[..., None]) -> None:
    """Print Parfit's Hitchhiker under IB: where each encoding fails, and the update in town."""
    say(
        "",
        "Decision problems (infrabayes.problems). Parfit's Hitchhiker, fare 1/1000 of a life:",
        _indent(parfits_hitchhiker()),
        "",
        "Where does each encoding fail? IB's value of each policy and its choice:",
    )
    header = ["driver", "hypothesis", "pay", "refuse", "IB chooses", ""]
    rows = []
    settings = [
        ("causal, nirvana=inf", math.inf, "causal"),
        ("causal, nirvana=1", 1, "causal"),
        ("acausal", math.inf, "acausal"),
    ]
    for label, eps in (("perfect", 0), ("errs 1/10", F(1, 10))):
        p = parfits_hitchhiker(epsilon=eps)
        for name, nirvana, encoding in settings:
            sol = p.solve("ib", nirvana, encoding)
            choice = " / ".join(str(q) for q in sol.optimal)
            verdict = "pays" if choice == "pay" else "fails: a tie"
            rows.append(
                [
                    label,
                    name,
                    str(sol.value_of("pay")),
                    str(sol.value_of("refuse")),
                    choice,
                    verdict,
                ]
            )
    say(*table(header, rows, left=len(header)))
    say(
        "(UDT pays; CDT and EDT refuse in town and stay in the desert, with either driver.)",
        "- Perfect driver, causal hypothesis: Murphy predicts 'refuse'. Then you never reach town,",
        "  so your paying is never seen and nothing sends him to Nirvana: the misprediction is",
        "  invisible (the fairness criterion fails), whatever Nirvana is worth. The acausal",
        "  hypothesis, where the driver reads your actual policy, pays.",
        "- Erring driver, Nirvana infinite: a wrong prediction is caught with positive",
        "  probability, so Murphy must predict truly: IB pays, as UDT.",
        "- Erring driver, Nirvana = 1: being caught with probability 1/10 costs Murphy only 1/10,",
        "  and 'refuse' still leaves you in the desert 9 times in 10: a tie.",
        "",
        "Re-deciding in town (driver errs 1/10, causal, Nirvana infinite). The IB update keeps",
        "what happens off the branch (refusing, you would be in town only 1 time in 10: all",
        "continuations share one normaliser); naive conditioning rescales each continuation to",
        "'I am in town' and refuses:",
    )
    say(_indent(parfits_hitchhiker(epsilon=F(1, 10)).after("town").solve()))
    perfect = parfits_hitchhiker().after("town")
    say(
        "With a perfect driver the causal update is undefined (P = 0: Murphy can keep you out of",
        "town whatever you do there); the acausal one keeps paying:",
        _indent(perfect.solve(encoding="acausal")),
    )


def _planning(say: Callable[..., None]) -> None:
    """Print nominal vs robust planning for a machine with uncertain wear (crisp infra-MDP)."""
    half, quarter = F(1, 2), F(1, 4)
    machine = InfraMDP(
        ["new", "worn", "broken"],
        {"new": ["run"], "worn": ["run", "service"], "broken": ["repair"]},
        {
            ("new", "run"): {"new": (half, 1 - quarter), "worn": (quarter, half)},
            ("worn", "run"): {"worn": (half, 1), "broken": (0, half)},
            ("worn", "service"): {"new": 1},
            ("broken", "repair"): {"new": (half, 1), "broken": (0, half)},
        },
        {
            ("new", "run"): 1,
            ("worn", "run"): 1 - quarter,
            ("worn", "service"): 0,
            ("broken", "repair"): 0,
        },
        F(9, 10),
    )
    say(
        "",
        "Planning against Murphy (infrabayes.sequential): a machine whose wear and breakdown",
        "rates are known only as ranges; Murphy picks the worst rates at every step.",
        _indent(machine),
        "The plan for the midpoint rates runs a worn machine; against Murphy that guarantees",
        "less than servicing it, which is the robust plan:",
        _indent(compare(machine)),
    )


def _learning(say: Callable[..., None]) -> None:
    """Print five agents learning in Newcomb's bandit (the predictor reads the policy)."""
    env = NewcombBandit()
    hypotheses = [
        predictor(env, [0, F(1, 10), F(1, 5)]),
        chance(env, [[1, 0], [F(9, 10), F(1, 10)], [F(4, 5), F(1, 5)]]),
    ]
    ib = IBAgent(hypotheses)
    values = IBAgent(hypotheses, exact=True).start(0).values()
    say(
        "",
        "Learning in Newcomb's bandit (infrabayes.learning): each round box B is full iff a",
        "predictor, reading the agent's mixed policy and erring 1 time in 10, predicts one-boxing",
        "(rewards: full 10/11 or 1 with box A, empty 0 or 1/11). One-boxing earns 9/11 a round,",
        "two-boxing 2/11. The IB agent's hypotheses: a predictor reads my policy (errs 0, 1/10 or",
        "1/5), or the box is full by chance (probability 1, 9/10 or 4/5). Before any round,",
        "Murphy choosing after the policy, it values one-boxing at "
        f"{values['one-box 1']} and two-boxing at {values['two-box 1']}.",
        "Three runs of 1,000 rounds each:",
    )
    agents: list[Agent] = [
        ib,
        BayesAgent(hypotheses),
        UCB1(env.actions),
        ThompsonSampling(env.actions),
        EXP3(env.actions),
    ]
    rows = []
    for agent in agents:
        result = run(agent, env, steps=1000, seeds=3)
        rows.append(
            [
                agent.name,
                f"{result.frequencies()['one-box']:.3f}",
                f"{float(result.expected.mean()):.3f}",
                f"{float(result.final_regret.mean()):.1f}",
            ]
        )
    say(*table(["agent", "one-box share", "expected reward", "regret"], rows))
    say(
        "The IB agent values policies, so it one-boxes in every round. The causal Bayesian holds",
        "the prediction fixed and two-boxes: 1/11 better in every round, 7/11 worse on average.",
        "UCB1 never randomises, so the predictor reads its action and it learns to one-box;",
        "Thompson sampling and EXP3 randomise, compare actions at their current policy and drift",
        "to two-boxing.",
    )
