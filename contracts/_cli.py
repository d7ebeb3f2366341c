"""The ``knightian`` command line.

The layout fixes three top-level packages and no fourth, so the command lives here. Its dispatch
is data: the two tables below name, as strings, the module of each package that provides a part
of the command, and :func:`importlib.import_module` loads a module only when the command line
needs it. ``contracts`` imports neither ``infrabayes`` nor ``portfolios``, not even inside a
function; each package provides its own hooks:

* a tour section: a module with a function ``section(out)``, or ``section(out, plots=None)`` if
  it writes figures, listed in :data:`TOUR_SECTIONS`;
* a subcommand: a module with a function ``register(subparsers)`` that adds the subcommand to
  the ``knightian`` parser's subparsers, with a default ``run(args, out) -> int``, listed in
  :data:`COMMANDS`.

Subcommands
-----------
``knightian --version``
    Print the version of the installed distribution (``importlib.metadata``).
``knightian tour [SECTION] [--plots DIR]``
    Print, for the shipped examples, what each package can do: every section, or the one named
    (``contracts``, ``infrabayes`` or ``portfolios``, the package of the section's module). With
    ``--plots DIR``, sections whose function also takes ``plots`` write their figures (PNG) there
    (needs the ``plot`` extra).
``knightian portfolio score|importance|next FILE ...``
    Score a safety-case portfolio file, print the importance measures of its basic events, or
    rank what to shore up next for one scenario (registered by ``portfolios._cli.register``;
    exit codes there: 3 for a bad file or an unknown scenario). ``score`` also takes a GSN
    argument in gsn2x YAML (detected by content, or ``--input gsn``).
``knightian gsn annotate|score ...``
    Score a GSN safety case in gsn2x YAML, or write it back with the results as layers
    (``portfolios._gsncli``).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version
from pathlib import Path
from typing import TextIO

from ._extras import require

__all__ = ["COMMANDS", "OPTIONAL_MODULES", "TOUR_SECTIONS", "build_parser", "main", "section_name"]

#: (title, module) of every tour section, in the order they are printed. The section's name on
#: the command line (``knightian tour NAME``) is the module's top-level package.
TOUR_SECTIONS: tuple[tuple[str, str], ...] = (
    ("contracts: robust contracting (Carroll 2015)", "contracts._tour"),
    ("infrabayes: infra-Bayesian decision theory", "infrabayes._tour"),
    ("portfolios: safety-case portfolios", "portfolios._tour"),
)

#: The subcommands other packages provide: name -> (module with ``register(subparsers)``, the
#: one-line help listed by ``knightian --help``). A module is imported only when the command line
#: names its subcommand.
COMMANDS: dict[str, tuple[str, str]] = {
    "portfolio": (
        "portfolios._cli",
        "safety-case portfolios: score a portfolio file, rank what matters, what next",
    ),
    "faulttree": ("portfolios._ftcli", "fault trees (Open-PSA MEF): exact probability, cut sets"),
    "gsn": (
        "portfolios._gsncli",
        "GSN safety cases (gsn2x YAML): score an argument, annotate it with the results",
    ),
}


#: The optional dependencies (the ``plot`` and ``test`` extras): a command that misses one prints
#: its one-line hint and exits 1.
OPTIONAL_MODULES = frozenset({"matplotlib", "hypothesis"})


def section_name(module: str) -> str:
    """Return the name of a tour section on the command line: its module's top-level package."""
    return module.partition(".")[0]


def _distribution_version() -> str:
    """Return the version of the installed ``knightian`` distribution."""
    try:
        return _version("knightian")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
        return "0+unknown"


def _tour(args: argparse.Namespace, out: TextIO) -> int:
    plots: Path | None = args.plots
    if plots is not None:
        require("matplotlib.figure", "plot", "knightian tour --plots")  # before any output
        plots.mkdir(parents=True, exist_ok=True)
    for title, module_name in TOUR_SECTIONS:
        if args.section is not None and section_name(module_name) != args.section:
            continue
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
        print(f"figures in {plots}: {', '.join(written) or 'none'}", file=out)
    return 0


def _named_command(argv: Sequence[str]) -> str | None:
    """Return the subcommand ``argv`` names: its first word that is not an option."""
    # the top-level options (--help, --version) take no value, so the first other word is it
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the ``knightian`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments the parser is for. A subcommand of :data:`COMMANDS` that they name is
        registered by its module, imported here; the others are placeholders that only show
        their help, so that ``knightian tour`` imports no other package. Default: every module
        is imported (the complete parser).
    """
    parser = argparse.ArgumentParser(
        prog="knightian",
        description="Worst-case (Knightian) reasoning: robust contracts, infra-Bayesian "
        "decisions, safety-case portfolios.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {_distribution_version()}"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    tour = sub.add_parser("tour", help="show what each package can do, on the shipped examples")
    tour.add_argument(
        "section",
        nargs="?",
        choices=[section_name(module) for _, module in TOUR_SECTIONS],
        metavar="SECTION",
        help="only this package's section: "
        + ", ".join(section_name(module) for _, module in TOUR_SECTIONS)
        + " (default: all)",
    )
    tour.add_argument(
        "--plots",
        metavar="DIR",
        type=Path,
        default=None,
        help="also write the figures (PNG) into DIR (needs matplotlib: knightian[plot])",
    )
    tour.set_defaults(run=_tour)
    named = None if argv is None else _named_command(argv)
    for name, (module, help_text) in COMMANDS.items():
        if argv is None or name == named:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(name, help=help_text)
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
        their other codes (1 for a missing optional extra, with its pip command on stderr;
        ``knightian portfolio``: 3 for a bad file or an unknown scenario, 4 for
        ``score --check``).
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(arguments).parse_args(arguments)
    try:
        code: int = args.run(args, out if out is not None else sys.stdout)
    except ImportError as err:
        if err.name not in OPTIONAL_MODULES:
            raise
        # a missing extra: its one-line hint with the pip command, not a traceback
        print(f"knightian: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (``knightian tour | head``): stop quietly, as Unix tools do, and
        # point stdout at devnull so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
