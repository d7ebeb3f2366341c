"""The ``knightian portfolio`` subcommands (registered by ``contracts._cli.build_parser``).

``knightian portfolio score FILE [--format text|markdown|json] [--max-order N] [--check]``
    Load a portfolio file (YAML or JSON) and print, for every scenario, P(unprotected), the
    correlation scores and the minimal cut sets.

Exit codes, for scripts:

====  =====================================================================================
0     success
2     usage error (unknown option, missing argument: argparse's convention)
3     the file cannot be read, is invalid, or cannot be scored; the message is on stderr and
      names the file, the entry and the field
4     with ``--check`` only: the report was printed, and some scenario's P(unprotected)
      exceeds its ``max_risk``
====  =====================================================================================
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

__all__ = ["EXIT_BAD_FILE", "EXIT_OK", "EXIT_OVER_RISK", "EXIT_USAGE", "register"]

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BAD_FILE = 3
EXIT_OVER_RISK = 4

_EPILOG = (
    "exit codes: 0 success; 2 usage error; 3 the file cannot be read, is invalid or cannot be "
    "scored (message on stderr); 4 with --check, some scenario exceeds its max_risk"
)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _score(args: argparse.Namespace, out: TextIO) -> int:
    from .io import PortfolioError, load

    try:
        portfolio = load(args.file)
        score = portfolio.score(max_order=args.max_order)
    except PortfolioError as err:
        print(f"knightian portfolio score: error: {err}", file=sys.stderr)
        return EXIT_BAD_FILE
    except ValueError as err:  # a computation limit (too many cases or cut sets)
        print(f"knightian portfolio score: error: {args.file}: {err}", file=sys.stderr)
        return EXIT_BAD_FILE
    renderings = {"text": score.to_text, "markdown": score.to_markdown, "json": score.to_json}
    text = renderings[args.format]()
    out.write(text if text.endswith("\n") else text + "\n")
    if args.check and not score.all_within_tolerance:
        return EXIT_OVER_RISK
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add the ``portfolio`` command and its subcommands to the ``knightian`` parser."""
    parser = subparsers.add_parser(
        "portfolio",
        help="safety-case portfolios: score a portfolio file",
        description="Safety-case portfolios: how likely is each scenario to be unprotected?",
    )
    actions = parser.add_subparsers(dest="portfolio_command", required=True, metavar="ACTION")
    score = actions.add_parser(
        "score",
        help="score every scenario of a portfolio file (YAML or JSON)",
        description="Print, for every scenario, P(unprotected), the coincidence ratio, the "
        "effective number of independent cases and the minimal cut sets.",
        epilog=_EPILOG,
    )
    score.add_argument("file", metavar="FILE", help="the portfolio file (.yaml, .yml or .json)")
    score.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="default: text"
    )
    score.add_argument(
        "--max-order",
        type=_positive,
        default=3,
        metavar="N",
        help="list cut sets up to order N (more if none is that small; default: 3)",
    )
    score.add_argument(
        "--check",
        action="store_true",
        help=f"exit with {EXIT_OVER_RISK} if some scenario exceeds its max_risk",
    )
    score.set_defaults(run=_score)
