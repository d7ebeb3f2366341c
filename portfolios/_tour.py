"""The ``portfolios`` section of ``knightian tour``: score the shipped example portfolio."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from . import plot
from .io import EXAMPLE_PATH, load

__all__ = ["section"]


def _indented(text: str, pad: str = "  ") -> str:
    return pad + text.replace("\n", "\n" + pad)


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
    if plots is not None:
        plot.network(P, s).savefig(plots / "portfolios_network.png", dpi=100)
        plot.importance_bars(imp, "birnbaum").savefig(plots / "portfolios_importance.png", dpi=100)
    print(
        "\nCommand line: knightian portfolio score FILE [--format text|markdown|json],\n"
        "  knightian portfolio importance FILE, knightian portfolio next FILE --scenario S.\n"
        "Open-PSA MEF: portfolios.openpsa.dump(P, path) and portfolios.openpsa.load(path)",
        file=out,
    )
