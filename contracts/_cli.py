"""The ``knightian`` command line.

The layout fixes three top-level packages and no fourth, so the command lives here. It imports
the other packages only inside the subcommands, never when ``contracts`` is imported.

Subcommands
-----------
``knightian tour``
    Print, for the shipped examples, what each package can do. Each package contributes one
    section: a module with a ``section(out)`` function, listed in ``TOUR_SECTIONS``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import TextIO

#: (title, module) of every tour section, in the order they are printed.
TOUR_SECTIONS: tuple[tuple[str, str], ...] = (
    ("infrabayes: infra-Bayesian decision theory", "infrabayes._tour"),
)


def _tour(args: argparse.Namespace, out: TextIO) -> int:
    for title, module_name in TOUR_SECTIONS:
        print("=" * 78, file=out)
        print(title, file=out)
        print("=" * 78, file=out)
        importlib.import_module(module_name).section(out)
        print(file=out)
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
    tour.set_defaults(run=_tour)
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
        0 on success; 2 for a usage error (argparse's convention).
    """
    args = build_parser().parse_args(argv)
    code: int = args.run(args, out if out is not None else sys.stdout)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
