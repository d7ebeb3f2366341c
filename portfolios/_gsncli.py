"""The ``knightian gsn`` subcommands (registered by ``contracts._cli.build_parser``).

``knightian gsn annotate IN OUT [--node G] [--overwrite]``
    Load a GSN argument in gsn2x YAML (following ``module.uses``), compute our results and write
    the argument to ``OUT`` with them as layers, everything else unchanged: ``p_unsupported`` on
    every scored element, ``birnbaum`` (``birnbaum_soundness`` for a soundness error) with
    respect to the root goal (or ``--node G``) on every element with a basic failure,
    ``coincidence_ratio`` and ``effective_legs`` on every multi-legged element
    (:meth:`portfolios.gsn.Argument.annotations`). ``gsn2x -l p_unsupported OUT`` then draws
    the annotated diagram. Every module used by ``IN`` is written next to ``OUT``, under its
    name relative to ``IN``'s folder; an existing file with other content is refused (exit 3)
    unless ``--overwrite`` is given, so writing into ``IN``'s own folder cannot silently replace
    its modules.
``knightian gsn score FILE``
    The same report as ``knightian portfolio score FILE`` for a GSN file.

Exit codes: 0 success, 2 usage error, 3 the file cannot be read, is invalid or cannot be scored
(the message names the file, the element and the attribute).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from . import gsn
from .errors import PortfolioError

__all__ = ["register"]

EXIT_OK = 0
EXIT_BAD_FILE = 3


def _annotate(args: argparse.Namespace, out: TextIO) -> int:
    try:
        argument = gsn.load(args.input)
        results = argument.annotations(args.node)
        gsn.dump(argument, args.output, results=results, overwrite=args.overwrite)
    except (PortfolioError, ValueError) as err:
        print(f"knightian gsn annotate: error: {err}", file=sys.stderr)
        return EXIT_BAD_FILE
    print(f"wrote {args.output}: {len(results)} elements annotated", file=out)
    return EXIT_OK


def _score(args: argparse.Namespace, out: TextIO) -> int:
    try:
        report = gsn.load(args.file).score(max_order=args.max_order)
    except (PortfolioError, ValueError) as err:
        print(f"knightian gsn score: error: {err}", file=sys.stderr)
        return EXIT_BAD_FILE
    text = {"text": report.to_text, "markdown": report.to_markdown, "json": report.to_json}
    out.write(text[args.format]().rstrip("\n") + "\n")
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add the ``gsn`` command and its subcommands to the ``knightian`` parser."""
    parser = subparsers.add_parser(
        "gsn",
        help="GSN safety cases (gsn2x YAML): score an argument, annotate it with the results",
        description="GSN safety cases in gsn2x YAML, scored for correlated failure.",
    )
    actions = parser.add_subparsers(dest="gsn_command", required=True, metavar="ACTION")
    annotate = actions.add_parser(
        "annotate",
        help="write the argument with P(unsupported), Birnbaum and leg scores as layers",
        description="Write IN to OUT with our results as gsn2x layers (p_unsupported, "
        "birnbaum, coincidence_ratio, effective_legs); draw them with gsn2x -l p_unsupported.",
        epilog="exit codes: 0 success; 2 usage error; 3 the file cannot be read, is invalid or "
        "cannot be scored (message on stderr)",
    )
    annotate.add_argument("input", metavar="IN", help="the GSN file (gsn2x YAML)")
    annotate.add_argument("output", metavar="OUT", help="the annotated file to write")
    annotate.add_argument(
        "--node", default=None, metavar="G", help="Birnbaum with respect to G (default: root)"
    )
    annotate.add_argument(
        "--overwrite",
        action="store_true",
        help="replace OUT, and the used modules written next to it, if they exist with other "
        "content (without it they are refused, so the argument's own files are never replaced)",
    )
    annotate.set_defaults(run=_annotate)
    score = actions.add_parser(
        "score",
        help="P(unsupported) of the root goal, cut sets and the legs' correlation",
        epilog="exit codes: 0 success; 2 usage error; 3 the file cannot be read, is invalid or "
        "cannot be scored (message on stderr)",
    )
    score.add_argument("file", metavar="FILE", help="the GSN file (gsn2x YAML)")
    score.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="default: text"
    )
    score.add_argument("--max-order", type=int, default=3, metavar="N", help="default: 3")
    score.set_defaults(run=_score)
