"""The ``knightian`` command line.

The layout fixes three top-level packages and no fourth, so the command lives here. It imports
the other packages only inside the subcommands, never when ``contracts`` is imported.

Subcommands
-----------
``knightian tour [--plots DIR]``
    Print, for the shipped examples, what each package can do. Each package contributes one
    section: a module with a ``section(out)`` function, listed in ``TOUR_SECTIONS``. With
    ``--plots DIR``, sections whose function also takes ``plots`` write their figures (PNG) there
    (needs the ``plot`` extra).
``knightian portfolio score|importance|next FILE ...``
    Score a safety-case portfolio file, print the importance measures of its basic events, or
    rank what to shore up next for one scenario (registered by ``portfolios._cli.register``;
    exit codes there: 3 for a bad file or an unknown scenario).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

#: (title, module) of every tour section, in the order they are printed.
TOUR_SECTIONS: tuple[tuple[str, str], ...] = (
    ("contracts: robust contracting (Carroll 2015)", "contracts._tour"),
    ("infrabayes: infra-Bayesian decision theory", "infrabayes._tour"),
    ("portfolios: safety-case portfolios", "portfolios._tour"),
)


def _tour(args: argparse.Namespace, out: TextIO) -> int:
    plots: Path | None = args.plots
    if plots is not None:
        plots.mkdir(parents=True, exist_ok=True)
    for title, module_name in TOUR_SECTIONS:
        print("=" * 78, file=out)
        print(title, file=out)
        print("=" * 78, file=out)
        section = importlib.import_module(module_name).section
        if plots is not None and "plots" in inspect.signature(section).parameters:
            section(out, plots=plots)
        else:
            section(out)
        print(file=out)
    if plots is not None:
        written = sorted(p.name for p in plots.glob("*.png"))
        print(f"figures in {plots}: {', '.join(written)}", file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``knightian`` command."""
    parser = argparse.ArgumentParser(
        prog="knightian",
        description="Worst-case (Knightian) reasoning: robust contracts, infra-Bayesian "
        "decisions, safety-case portfolios.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    tour = sub.add_parser("tour", help="show what each package can do, on the shipped examples")
    tour.add_argument(
        "--plots",
        metavar="DIR",
        type=Path,
        default=None,
        help="also write the figures (PNG) into DIR (needs matplotlib: knightian[plot])",
    )
    tour.set_defaults(run=_tour)
    from portfolios._cli import register as register_portfolio

    register_portfolio(sub)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the ``knightian`` command; return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).
    out : text stream, optional
        Where to print (default: standard output).

    Returns
    -------
    int
        0 on success; 2 for a usage error (argparse's convention); the subcommands document
        their other codes (``knightian portfolio``: 3 for a bad file or an unknown scenario, 4 for
        ``score --check``).
    """
    args = build_parser().parse_args(argv)
    code: int = args.run(args, out if out is not None else sys.stdout)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
