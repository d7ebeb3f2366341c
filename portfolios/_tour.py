"""The ``portfolios`` section of ``knightian tour``: score the shipped example portfolio."""

from __future__ import annotations

from typing import TextIO

__all__ = ["section"]


def section(out: TextIO) -> None:
    """Print the score of the shipped ASL-4 / debate / control portfolio."""
    import portfolios

    P = portfolios.load(portfolios.EXAMPLE_PATH)
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
    print(
        f"\nCheck on {s}: exact {P.p_unprotected(s):.6f}, inclusion-exclusion {ie:.6f}, "
        f"Monte Carlo {mc.value:.6f} [{mc.interval.low:.6f}, {mc.interval.high:.6f}]",
        file=out,
    )
    print("Command line: knightian portfolio score FILE [--format text|markdown|json]", file=out)
