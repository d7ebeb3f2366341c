"""The ``portfolios`` section of ``knightian tour``: score the shipped example portfolio."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from . import gsn, plot
from .io import EXAMPLE_PATH, load
from .portfolio import Portfolio

__all__ = ["section"]


def _indented(text: str, pad: str = "  ") -> str:
    return pad + text.replace("\n", "\n" + pad)


#: The README's portfolio, with an interval where the file had a number.
README_PORTFOLIO = {
    "latent": {"parsimony": {"statement": "interpretability works", "p_fail": 0.3}},
    "assumptions": {
        "features": {
            "statement": "features are real",
            "p_fail": {"parsimony": {"holds": [0.05, 0.15], "fails": 0.5}},
        },
        "probe": {
            "statement": "a linear probe suffices",
            "p_fail": {"parsimony": {"holds": 0.2, "fails": 0.6}},
        },
    },
    "cases": {
        "interp": {
            "statement": "monitoring catches it",
            "assumptions": ["features"],
            "covers": ["rnd"],
        },
        "control": {
            "statement": "control contains it",
            "assumptions": ["probe"],
            "covers": ["rnd"],
        },
    },
    "scenarios": {"rnd": {"statement": "internal R&D agent", "max_risk": 0.05}},
}


def knightian(out: TextIO, plots: Path | None = None) -> None:
    """Print the Knightian part: an interval probability and unknown dependence."""
    Q = Portfolio.from_dict(README_PORTFOLIO, file="<tour>")
    independent = Q.bounds("rnd")
    unknown = Q.bounds("rnd", dependence="unknown")
    frechet = Q.bounds("rnd", dependence="unknown", method="frechet")
    print(
        "\nWhat nobody knows (the README's portfolio): P(features fails | parsimony holds) is\n"
        "only known to lie in [0.05, 0.15], and how the two assumptions fail together inside\n"
        "each latent state is unknown.",
        file=out,
    )
    print(f"  interval, independent failures:  {independent!r}", file=out)
    print(f"  any dependence, linear programme: {unknown!r}", file=out)
    print(f"  any dependence, Frechet gates:    {frechet!r}", file=out)
    print(
        f"The width ({independent.width:.3g} and {unknown.width:.3g}) is what the file leaves "
        "open: every value inside is consistent\nwith everything it states, and no value "
        "outside is.",
        file=out,
    )
    if plots is not None:
        plot.bounds(load(EXAMPLE_PATH)).figure.savefig(plots / "portfolios_bounds.png", dpi=100)


def gsn_argument(out: TextIO) -> None:
    """Print the GSN part: the example as a gsn2x argument, scored where it is written."""
    A = gsn.load(gsn.EXAMPLE_PATH)
    P = load(EXAMPLE_PATH)
    s = "weight_exfiltration"
    d = A.diversity(f"G_{s}")
    print(
        f"\nThe same sketches as a GSN safety case in gsn2x YAML (examples/asl4.gsn.yaml):\n"
        f"  {A!r}\n"
        "One multi-legged goal per scenario (layer legs: independent), one leg per sketch, the\n"
        "assumptions as A nodes in each leg's context; a shared A node fails every leg it is in.",
        file=out,
    )
    print(
        f"  P(G_{s} unsupported) = {A.p_unsupported(f'G_{s}'):.6f} "
        f"(the portfolio's P(unprotected): {P.p_unprotected(s):.6f})",
        file=out,
    )
    print(_indented(repr(d)), file=out)
    print(
        "  knightian gsn annotate examples/asl4.gsn.yaml OUT writes these numbers back as\n"
        "  layers; gsn2x -l p_unsupported OUT draws them (portfolios.plot.argument without gsn2x).",
        file=out,
    )


def section(out: TextIO, plots: Path | None = None) -> None:
    """Print the portfolios tour to ``out``; with ``plots``, also write its figures there."""
    P = load(EXAMPLE_PATH)
    print(f"{P!r}", file=out)
    print(
        "Five published safety-case sketches as one portfolio (illustrative probabilities).\n"
        "Cases that rest on the same assumptions, or on assumptions that hold only in the\n"
        "same worlds, fail together: the coincidence ratio is P(all covering cases fail)\n"
        "over its value were they independent.\n",
        file=out,
    )
    print(P.score(max_order=2).to_text(max_listed=3), file=out, end="")
    s = "weight_exfiltration"
    mc = P.p_unprotected(s, method="montecarlo", n_samples=200_000, rng=2024)
    ie = P.p_unprotected(s, method="inclusion-exclusion")
    bdd = P.p_unprotected(s, method="bdd")
    print(
        f"\nCheck on {s}: exact {P.p_unprotected(s):.6f}, inclusion-exclusion {ie:.6f}, "
        f"BDD {bdd:.6f}, Monte Carlo {mc.value:.6f} [{mc.interval.low:.6f}, "
        f"{mc.interval.high:.6f}]",
        file=out,
    )
    imp = P.importance(s)
    print(f"\nWhat matters for {s} (importance measures, top 6 by Birnbaum):", file=out)
    print(_indented(imp.to_text(limit=6)), file=out)
    div = P.diversity(s)
    print(
        f"\nHow different are its {len(div.cases)} covering cases? Leinster-Cobbold effective "
        "numbers\n(similarity: shared failure hazard), Rao's entropy, and the participation "
        "ratio of\nthe exact failure correlations:",
        file=out,
    )
    print(_indented(repr(div)), file=out)
    best = P.best_addition(
        s,
        {
            "second_control_eval": {
                "statement": "A second control evaluation by another red team.",
                "assumptions": ["elicitation", "trusted_models", "control_transfer"],
                "soundness_error": 0.05,
            },
            "hardware_isolation": {
                "statement": "Weights never leave an air-gapped enclave.",
                "assumptions": ["enclave_sound"],
                "soundness_error": 0.05,
            },
        },
        assumptions={"enclave_sound": {"statement": "The enclave is sound.", "p_fail": 0.1}},
    )
    print(f"\nWhich case to add next for {s}?", file=out)
    print(_indented(best.to_text()), file=out)
    print("\nWhich assumption to shore up first (p -> 0)?", file=out)
    print(_indented(P.most_load_bearing(s).to_text(limit=4)), file=out)
    knightian(out, plots)
    gsn_argument(out)
    if plots is not None:
        plot.network(P, s).figure.savefig(plots / "portfolios_network.png", dpi=100)
        ax = plot.importance_bars(imp, "birnbaum")
        ax.figure.savefig(plots / "portfolios_importance.png", dpi=100)
    print(
        "\nCommand line: knightian portfolio score FILE [--format text|markdown|json]\n"
        "  [--dependence unknown],\n"
        "  knightian portfolio importance FILE, knightian portfolio next FILE --scenario S.\n"
        "Open-PSA MEF: portfolios.openpsa.dump(P, path) and portfolios.openpsa.load(path)",
        file=out,
    )
