"""The contracts section of ``knightian tour``: a bonus and a debt contract, and the optimum."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path
from typing import TextIO

from . import plot
from ._numbers import Number
from .agent import best_response
from .approximation import approximation_ratio
from .combinatorial import critical_values, k_demand
from .comparison import compare_families
from .contract import Contract
from .costs import LinearCost
from .families import equal_revenue
from .improvement import improve
from .known import price_of_robustness
from .landscape import linear_breakpoints
from .linear import guarantee, optimal_linear
from .model import Action, Technology
from .randomized_optimum import one_action_optimum, optimal_randomized
from .signals import SignalTechnology, improve_signals, optimal_affine
from .worstcase import worst_case

__all__ = ["ACTION_NAMES", "example_technology", "section"]

#: Names of the known actions of :func:`example_technology`, in order.
ACTION_NAMES = ("shirk", "work", "overtime")


def _indented(obj: object, pad: str = "  ") -> str:
    """Return ``repr(obj)`` with every line indented by ``pad``."""
    return pad + repr(obj).replace("\n", "\n" + pad)


def example_technology() -> Technology:
    """Return a small firm: outputs 0..4 ($M) and three known actions (exact Fractions).

    ``shirk`` (free, mean 7/8), ``work`` (cost 1/3, mean 3), ``overtime`` (cost 5/4, mean 15/4).
    """
    return Technology.from_arrays(
        [0, 1, 2, 3, 4],
        [
            [F(1, 2), F(1, 4), F(1, 8), F(1, 8), 0],
            [0, F(1, 10), F(2, 10), F(3, 10), F(4, 10)],
            [0, 0, 0, F(1, 4), F(3, 4)],
        ],
        [0, F(1, 3), F(5, 4)],
    )


def section(out: TextIO, plots: Path | None = None) -> None:
    """Print the contracts tour to ``out``; with ``plots``, also write its figures there."""
    known = example_technology()
    y = list(known.outputs)
    legend = ", ".join(f"a{i} = {name}" for i, name in enumerate(ACTION_NAMES))
    print(f"The principal knows three actions of the agent ({legend}):", file=out)
    print(known, file=out)
    print(file=out)
    contracts = [
        ("A bonus contract: pay 1 when output reaches 3", Contract(y, [0, 0, 0, 1, 1])),
        (
            "A debt contract: the agent repays 2 and keeps the rest",
            Contract.from_function(lambda v: max(v - 2, 0), y),
        ),
    ]
    for (title, contract), name in zip(contracts, ("bonus", "debt"), strict=True):
        if plots is not None:
            plot.hull(contract, known).figure.savefig(plots / f"contracts_hull_{name}.png", dpi=100)
        print(title, file=out)
        print(f"  {contract}", file=out)
        br = best_response(contract, known)
        print(
            f"  If the known actions were all: the agent picks {ACTION_NAMES[br.action]}, "
            f"the principal gets {br.principal_value}.",
            file=out,
        )
        wc = worst_case(contract, known)
        print("  Worst case over every technology containing them:", file=out)
        print(_indented(wc), file=out)
        if not wc.attained:
            eps = F(1, 1000)
            sim = best_response(contract, wc.witness(eps)).principal_value
            print(
                f"  Check by simulation: add nature's action tilted by eps = {eps}; the agent\n"
                f"  takes it and the principal gets {sim} = {float(sim):.4f}.",
                file=out,
            )
        imp = improve(contract, known)
        print("  Carroll's improvement (supporting line, then drop the base payment):", file=out)
        print(_indented(imp), file=out)
        print(file=out)
    opt = optimal_linear(known)
    if plots is not None:
        plot.guarantee(known).figure.savefig(plots / "contracts_guarantee.png", dpi=100)
    print("The optimal robust contract (linear, by Carroll's theorem):", file=out)
    print(_indented(opt), file=out)
    alphas = [F(k, 12) for k in range(13)]
    curve = guarantee(alphas, known)
    print("  Guarantee of alpha * y:", file=out)
    print("    alpha  " + " ".join(f"{a!s:>5}" for a in alphas), file=out)
    print("    V_P    " + " ".join(f"{float(v):5.2f}" for v in curve), file=out)
    print(file=out)
    print(
        "If the principal knew the technology (Grossman-Hart; one MIN-PAY LP per action):", file=out
    )
    print(_indented(price_of_robustness(known)), file=out)
    print(file=out)
    _landscape(known, out)
    print(file=out)
    _randomized(known, out, plots)
    print(file=out)
    _signals(out)


def _landscape(known: Technology, out: TextIO) -> None:
    """Linear contracts against a known technology, other families, and combinatorial actions."""
    print(
        "The known-technology landscape: under alpha * y the agent's choice changes only at the\n"
        "critical values, and the best linear contract sits at one of them (or at 0):",
        file=out,
    )
    print(_indented(linear_breakpoints(known)), file=out)
    print(
        "  How much can linear lose? Up to a factor n with n actions (Dutting, Roughgarden and\n"
        "  Talgam-Cohen): their equal-revenue technology with 5 actions and gamma = 1/100:",
        file=out,
    )
    print(_indented(approximation_ratio(equal_revenue(5, F(1, 100))), "    "), file=out)
    print("  Other families, each at its best if the technology is known, and robustly:", file=out)
    print(_indented(compare_families(known), "    "), file=out)
    print(
        "Combinatorial actions: the agent picks a set of 4 tasks; success probability 1/10 plus\n"
        "the two largest of the tasks' weights (a 2-demand function: gross substitutes). The\n"
        "demand-oracle algorithm finds every critical value with a few greedy demand queries:",
        file=out,
    )
    weights, costs = [F(3, 10), F(1, 4), F(1, 5), F(1, 10)], [F(1, 10), F(1, 20), F(1, 40), 0]
    tasks = k_demand(weights, 2, costs, base=F(1, 10))
    best = critical_values(tasks, method="demand")
    print(_indented(best), file=out)


def _randomized(known: Technology, out: TextIO, plots: Path | None) -> None:
    """Deterministic against randomised guarantees on the tour's technology."""
    best = optimal_randomized(known)
    if plots is not None:
        from . import plot

        ax = plot.randomized(best)
        ax.figure.savefig(plots / "contracts_randomized.png", dpi=100)
    lo, hi = best.contract.support
    work = one_action_optimum(known.means[1], known.costs[1])
    print(
        "Randomised contracts: the principal draws the share alpha after nature has chosen the\n"
        "technology (nature knows the lottery, not the draw), and a lottery guarantees more:",
        file=out,
    )
    print(
        f"  Carroll's best deterministic contract: {best.carroll.value} (alpha = "
        f"{best.carroll.alpha})",
        file=out,
    )
    print(
        f"  best lottery over alpha y (grid LP, {best.grid} shares): {float(best.value):.4f}; "
        f"no lottery guarantees more than {float(best.upper_bound):.4f}",
        file=out,
    )
    print(
        f"  its share is spread over [{float(lo):.3f}, {float(hi):.3f}] (mean "
        f"{float(best.contract.mean_slope):.3f}); nature's best reply to it, recomputed: "
        f"{float(best.certificate.value):.4f}",
        file=out,
    )
    print(
        f"  work alone has a closed form: {float(work[0]):.4f}, with the CDF "
        f"ln(1 - a) / ln(1 - {float(work[1]):.4f}) on [0, {float(work[1]):.4f}]",
        file=out,
    )


def _signals(out: TextIO) -> None:
    """Several observables: an audit signal that the agent can produce without output."""
    z = [[0, 0], [1, 0], [0, 1], [1, 1]]
    tech = SignalTechnology(z, [Action([F(1, 4), 0, 0, F(3, 4)], F(1, 2))])
    bound = LinearCost([0, 0.5])
    print(
        "Several observables: output y and an audit signal s, both in {0, 1}; every action",
        file=out,
    )
    print(
        "costs at least b(E z) = E[s] / 2. Known action: (0,0) w.p. 1/4, (1,1) w.p. 3/4, cost 1/2.",
        file=out,
    )
    print(_indented(tech), file=out)
    examples: list[tuple[str, list[Number]]] = [
        ("pay 1 when the audit passes", [0, 0, 1, 1]),
        ("pay y/2 + s/4", [0, F(1, 2), F(1, 4), F(3, 4)]),
    ]
    for title, w in examples:
        imp = improve_signals([float(v) for v in w], tech, bound)
        print(f"  {title}: guarantee {imp.original_value:.4f}", file=out)
        print(
            f"    KKT improvement {imp.contract!r} guarantees {imp.improved_value:.4f}",
            file=out,
        )
    opt = optimal_affine(tech, bound)
    print(f"  best affine contract found ({opt.method}):", file=out)
    print(f"    {opt.contract!r} guarantees {opt.value:.6f}", file=out)
    print(f"    (recomputed from scratch: {opt.certificate:.6f})", file=out)
