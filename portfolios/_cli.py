r"""The ``knightian portfolio`` subcommands (registered by ``contracts._cli.build_parser``).

``knightian portfolio score FILE [--format F] [--max-order N] [--check] [--dependence D]``
    Load a portfolio file (YAML or JSON) and print, for every scenario, P(unprotected), the
    correlation scores and the minimal cut sets, in format ``F``: ``text`` (default),
    ``markdown`` or ``json``. A scenario that depends on interval probabilities gets its
    tightest interval instead of a point. ``D`` is ``independent`` (the default: the file's
    model) or ``unknown``, which adds, for every scenario, the interval over every joint law
    of the assumption failures inside each latent state (:mod:`portfolios.bounds`: the linear
    programme, or Fréchet intervals past its size limits). ``--check`` compares ``max_risk``
    with the upper end of the most cautious interval shown.
    ``FILE`` may also be a GSN argument in gsn2x YAML (:mod:`portfolios.gsn`): detected by
    its name (``.gsn.yaml``) or its content (no ``cases`` or ``scenarios`` section), or named
    with ``--input gsn``; the report gives every root goal's P(unsupported) and cut sets and
    every multi-legged element's coincidence ratio and effective number of legs, and
    ``--check`` compares each goal's ``max_risk`` layer with its P(unsupported).
    A scenario whose cut sets are too many to enumerate is scored without them, and says so.
``knightian portfolio importance FILE [--scenario S ...] [--by M] [--limit N] [--format F]``
    Print the importance measures of every basic event (assumption, latent variable, soundness
    error) of each scenario (all of them by default; repeat ``--scenario`` to choose): Birnbaum,
    criticality, Fussell-Vesely, P(e | unprotected), RAW and RRW (:mod:`portfolios.importance`),
    rows by decreasing measure ``M`` (``--by``, default ``birnbaum``), the first ``N`` of them
    (default: all); format ``F`` is ``text`` (default) or ``json``; ``--no-fussell-vesely``
    and ``--method E`` (below). ``--no-fussell-vesely``
    skips the one measure that needs every minimal cut set (for scenarios with too many of
    them: :data:`~portfolios.limits.MAX_CUT_SETS`); ``E`` is the probability engine, ``auto``
    (default: ``exact``, or ``bdd`` past the exact programme's size limit), ``exact`` or
    ``bdd``. On a terminal, the progress (basic events done) is shown on standard error.
``knightian portfolio next FILE --scenario S [--limit N] [--format text|json] [--method E]``
    What to do next for one scenario: its assumptions ranked by how much shoring each up
    (``p_fail`` -> 0) lowers P(unprotected), every assumption tied with the best, and the
    diversity of the covering cases (:mod:`portfolios.whatnext`, :mod:`portfolios.diversity`).
    Ranking *candidate* cases needs the candidates: that is :meth:`Portfolio.best_addition
    <portfolios.portfolio.Portfolio.best_addition>`, in Python.
``importance`` and ``next`` also take a GSN argument (detected as by ``score``, or named with
``--input gsn``); ``--scenario`` then names a goal (``importance``: every root goal by
default). ``importance`` gives the measures of the basic events under each goal
(:meth:`Argument.importance <portfolios.gsn.Argument.importance>`; ``--method`` does not apply:
the argument's fault tree is solved exactly). ``next`` ranks the elements' own failures
(``p_fail``, or ``holds`` and ``fails``) and soundness errors (``soundness(ID)``) under the goal
by the drop in P(unsupported) when each is made perfect
(:meth:`Argument.most_load_bearing <portfolios.gsn.Argument.most_load_bearing>`), and gives the
coincidence ratio and effective number of legs of every multi-legged element under it.

Exit codes, for scripts:

====  =====================================================================================
0     success
2     usage error (unknown option, missing argument: argparse's convention)
3     the file cannot be read, is invalid, or cannot be scored; the message is on stderr and
      names the file, the entry and the field (for an unknown ``--scenario``: the file and the
      scenario)
4     ``score --check`` only: the report was printed, and some scenario's P(unprotected)
      exceeds its ``max_risk``
====  =====================================================================================

File names and user text (titles, statements) in the messages and the text reports are written
with control characters, terminal escapes and lone surrogates escaped as in a ``repr``
(``\x1b``, ``\n``): a crafted name cannot fake a line of output. The limits on a file
(size, nesting, YAML aliases) are :mod:`portfolios.io`'s.

JSON documents (strict JSON: an undefined number, such as a ratio when P(unprotected) = 0, is
``null``; an infinite one, such as RRW for an event in every cut set, is the string ``"inf"``):

``importance`` (``format`` = ``"knightian.portfolios.importance/1"``)
    ``title``, ``file``, ``by``, ``limit`` and a list ``scenarios``; each has ``id``,
    ``p_unprotected``, ``method``, ``basic_events`` (their number) and the list ``events``
    (ranked, at most ``limit``) of ``{"label", "kind", "probability", "p_if_fails",
    "p_if_holds", "birnbaum", "criticality", "fussell_vesely", "diagnostic", "raw", "rrw"}``.
``next`` (``format`` = ``"knightian.portfolios.next/2"``)
    ``title``, ``file``, ``scenario``, ``statement``, ``p_unprotected``, ``covering_cases``,
    ``shore_up`` (``count``, ``tied_best`` and the list ``assumptions``, best first, at most
    ``limit``, of ``{"assumption", "p_after", "drop"}``) and ``diversity`` (``similarity``,
    ``dissimilar_cases`` keyed by the order ``"0"``, ``"1"``, ``"2"``, ``"inf"``,
    ``rao_quadratic_entropy``, ``participation_ratio``, ``participation_status``: ``"ok"`` or
    why the ratio is null).

Both documents have ``input``: ``"portfolio"`` or ``"gsn"``. For a GSN argument the keys are the
same, read with goals for scenarios: a ``scenarios`` entry (``importance``) or ``scenario``
(``next``) is a goal, ``p_unprotected`` is its P(unsupported), ``statement`` its text, and the
``shore_up`` entries are elements' failures (``"assumption"``: the element id or
``soundness(ID)``); ``next`` has, instead of ``covering_cases`` and ``diversity``, ``legs``:
one ``{"node", "legs", "p_all", "independent_product", "coincidence_ratio", "effective_legs"}``
per multi-legged element under the goal.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import gsn
from .errors import ComputationLimitError, PortfolioError, printable
from .importance import MEASURES, Importance
from .io import MAX_FILE_BYTES, _read_text, _yaml_data, load, loads, parse
from .portfolio import Portfolio
from .report import json_number
from .whatnext import Ranking

__all__ = ["EXIT_BAD_FILE", "EXIT_OK", "EXIT_OVER_RISK", "EXIT_USAGE", "register"]

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BAD_FILE = 3
EXIT_OVER_RISK = 4

#: The identifiers of the JSON documents of ``importance`` and ``next``.
IMPORTANCE_FORMAT = "knightian.portfolios.importance/1"
NEXT_FORMAT = "knightian.portfolios.next/2"

_EPILOG = (
    "exit codes: 0 success; 2 usage error; 3 the file cannot be read, is invalid or cannot be "
    "scored (message on stderr); 4 with --check, some scenario exceeds its max_risk"
)
_EPILOG_NO_CHECK = (
    "exit codes: 0 success; 2 usage error; 3 the file cannot be read, is invalid or cannot be "
    "scored, or a --scenario is not in it (message on stderr)"
)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


class _Progress:
    """Progress on standard error when it is a terminal (at most about 4 updates a second)."""

    def __init__(self, label: str) -> None:
        self.label, self.last = label, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.25:
            return
        self.last = now
        end = "" if done < total else "\n"
        print(f"\r{self.label}: {done}/{total}", end=end, file=sys.stderr, flush=True)


def _progress(label: str) -> _Progress | None:
    return _Progress(label) if sys.stderr.isatty() else None


def _error(command: str, message: str) -> int:
    # The message quotes file names and user text: escape control characters and terminal
    # escapes, so a crafted name cannot inject lines or colours.
    print(f"knightian portfolio {command}: error: {printable(message)}", file=sys.stderr)
    return EXIT_BAD_FILE


def _write(out: TextIO, text: str) -> None:
    # Titles, statements and file names are user text: escape control characters, terminal
    # escapes and lone surrogates (an undecodable file name) line by line.
    text = "\n".join(printable(line) for line in text.split("\n"))
    out.write(text if text.endswith("\n") else text + "\n")


def _check_scenarios(portfolio: Portfolio, file: str, scenarios: Sequence[str]) -> None:
    for s in scenarios:
        if s not in portfolio.scenarios:
            known = ", ".join(portfolio.scenarios)
            raise PortfolioError(
                file,
                f"no such scenario in the file; its scenarios: {known}",
                entry=s,
                section="scenarios",
            )


def _load(file: str, data: Any = None) -> Portfolio:
    """Load FILE; ``-`` reads the portfolio (YAML or JSON) from standard input.

    ``data``: FILE's YAML content when :func:`_input_kind` has already parsed it (not None).
    """
    if data is not None:
        return parse(data, file=file)
    if file == "-":
        # The same limit as a file: at most MAX_FILE_BYTES + 1 bytes are read.
        stream = getattr(sys.stdin, "buffer", None)  # a text stream without one: read text
        data = (stream or sys.stdin).read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise PortfolioError(
                "<stdin>", f"more than MAX_FILE_BYTES = {MAX_FILE_BYTES:,} bytes on standard input"
            )
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
        except UnicodeDecodeError as err:
            raise PortfolioError("<stdin>", f"not UTF-8 text ({err.reason})") from err
        return loads(text.removeprefix("\ufeff"), file="<stdin>")
    return load(file)


def _run_analysis(
    command: str, args: argparse.Namespace, out: TextIO, analyse: Callable[[Portfolio], str]
) -> int:
    """Load ``args.file``, check ``args.scenario``, print ``analyse(portfolio)``; exit code."""
    scenarios = args.scenario or []
    if isinstance(scenarios, str):
        scenarios = [scenarios]
    try:
        portfolio = _load(args.file, getattr(args, "data", None))
        _check_scenarios(portfolio, args.file, scenarios)
        text = analyse(portfolio)
    except ComputationLimitError as err:  # too many cases or cut sets: name the file
        return _error(command, f"{args.file}: {err}")
    except PortfolioError as err:  # names the file itself
        return _error(command, str(err))
    except ValueError as err:
        return _error(command, f"{args.file}: {err}")
    _write(out, text)
    return EXIT_OK


def _heading(portfolio: Portfolio, file: str) -> list[str]:
    lines = [f"Safety-case portfolio: {portfolio.title or file}"]
    if portfolio.title:
        lines.append(f"file: {file}")
    return lines


def _more(shown: int, total: int) -> list[str]:
    return [f"  ... {total - shown} more (raise --limit)"] if total > shown else []


def _input_kind(args: argparse.Namespace) -> bool:
    """Return True if ``args.file`` is a GSN argument: by ``--input``, its name or its content.

    When the content decides, the parsed YAML is kept in ``args.data`` for :func:`_load`, so a
    portfolio file is read and parsed once.
    """
    file, declared = args.file, args.input
    args.data = None
    if declared != "auto":
        return bool(declared == "gsn")
    if file == "-":
        return False  # standard input: a portfolio unless --input gsn says otherwise
    name = file.lower()
    if name.endswith((".gsn.yaml", ".gsn.yml")):
        return True
    if name.endswith(".json"):
        return False
    try:
        data = _yaml_data(_read_text(Path(file), file), file)
    except (OSError, PortfolioError):
        return False  # the portfolio reader reports the problem
    if isinstance(data, dict) and not ({"cases", "scenarios"} & set(data)):
        return True
    args.data = data
    return False


def _score_gsn(args: argparse.Namespace, out: TextIO) -> int:
    try:
        report = gsn.load(args.file).score(max_order=args.max_order)
    except PortfolioError as err:
        return _error("score", str(err))
    except ValueError as err:
        return _error("score", f"{args.file}: {err}")
    renderings: dict[str, Callable[[], str]] = {
        "text": report.to_text,
        "markdown": report.to_markdown,
        "json": report.to_json,
    }
    _write(out, renderings[args.format]())
    if args.check and not report.all_within_tolerance:
        return EXIT_OVER_RISK
    return EXIT_OK


def _score(args: argparse.Namespace, out: TextIO) -> int:
    if _input_kind(args):
        return _score_gsn(args, out)
    try:
        portfolio = _load(args.file, args.data)
        score = portfolio.score(
            max_order=args.max_order,
            dependence=args.dependence,
            progress=_progress("knightian portfolio score: scenarios"),
        )
    except ComputationLimitError as err:  # too many cases or cut sets: name the file
        return _error("score", f"{args.file}: {err}")
    except PortfolioError as err:  # names the file itself
        return _error("score", str(err))
    except ValueError as err:
        return _error("score", f"{args.file}: {err}")
    renderings: dict[str, Callable[[], str]] = {
        "text": score.to_text,
        "markdown": score.to_markdown,
        "json": score.to_json,
    }
    _write(out, renderings[args.format]())
    if args.check and not score.all_within_tolerance:
        return EXIT_OVER_RISK
    return EXIT_OK


def _gsn_goals(argument: gsn.Argument, chosen: Sequence[str] | None) -> list[str]:
    """Return the goals named with ``--scenario`` (checked), or every scored root goal."""
    if chosen:
        goals = list(dict.fromkeys(chosen))
        for g in goals:
            argument.p_unsupported(g)  # an unknown or unscored element: a clear error
        return goals
    return [
        r
        for r in argument.roots
        if argument.elements[r].type == "Goal" and r in argument.model.scored
    ]


def _gsn_heading(argument: gsn.Argument, file: str) -> list[str]:
    lines = [f"GSN safety case: {argument.title or file}"]
    if argument.title:
        lines.append(f"file: {file}")
    return lines


def _run_gsn(
    command: str, args: argparse.Namespace, out: TextIO, analyse: Callable[[gsn.Argument], str]
) -> int:
    """Load the GSN argument ``args.file`` and print ``analyse(argument)``; exit code."""
    try:
        text = analyse(gsn.load(args.file))
    except ComputationLimitError as err:
        return _error(command, f"{args.file}: {err}")
    except PortfolioError as err:
        return _error(command, str(err))
    except ValueError as err:
        return _error(command, f"{args.file}: {err}")
    _write(out, text)
    return EXIT_OK


def _importance_gsn(args: argparse.Namespace, out: TextIO) -> int:
    def analyse(argument: gsn.Argument) -> str:
        tables = {
            g: argument.importance(g, fussell_vesely=args.fussell_vesely)
            for g in _gsn_goals(argument, args.scenario)
        }
        if args.format == "json":
            return _importance_document("gsn", argument.title, tables, args)
        lines = _gsn_heading(argument, args.file)
        for g, imp in tables.items():
            lines += [
                "",
                f"goal {g}: P(unsupported) {imp.p_top:.4g}, {len(imp)} basic events, by {args.by}",
            ]
            lines += _importance_text(imp, args)
        return "\n".join(lines)

    return _run_gsn("importance", args, out, analyse)


def _importance_document(
    kind: str, title: str | None, tables: dict[str, Importance], args: argparse.Namespace
) -> str:
    """Return the importance JSON document of a portfolio's scenarios or an argument's goals."""
    doc: dict[str, Any] = {
        "format": IMPORTANCE_FORMAT,
        "input": kind,
        "title": title,
        "file": args.file,
        "by": args.by,
        "limit": args.limit,
        "scenarios": [_importance_json(s, imp, args) for s, imp in tables.items()],
    }
    return json.dumps(doc, indent=2, allow_nan=False)


def _importance_json(s: str, imp: Importance, args: argparse.Namespace) -> dict[str, Any]:
    return {
        "id": s,
        "p_unprotected": imp.p_top,
        "method": imp.method,
        "basic_events": len(imp),
        "events": [
            {
                "label": row.label,
                "kind": row.kind,
                **{
                    name: json_number(getattr(row, name))
                    for name in ("probability", "p_if_fails", "p_if_holds")
                },
                **{name: json_number(getattr(row, name)) for name in MEASURES},
            }
            for row in (imp[lab] for lab in imp.ranked(args.by)[: args.limit])
        ],
    }


def _importance_text(imp: Importance, args: argparse.Namespace) -> list[str]:
    if len(imp) == 0:
        return ["  (no basic event: nothing can fail)"]
    lines = [f"  {line}" for line in imp.to_text(by=args.by, limit=args.limit).split("\n")]
    return lines + _more(min(len(imp), args.limit or len(imp)), len(imp))


def _importance(args: argparse.Namespace, out: TextIO) -> int:
    if _input_kind(args):
        return _importance_gsn(args, out)

    def analyse(portfolio: Portfolio) -> str:
        chosen = list(dict.fromkeys(args.scenario or portfolio.scenarios))
        tables = {
            s: portfolio.importance(
                s,
                method=args.method,
                fussell_vesely=args.fussell_vesely,
                progress=_progress(f"knightian portfolio importance: {s}: basic events"),
            )
            for s in chosen
        }
        if args.format == "json":
            return _importance_document("portfolio", portfolio.title, tables, args)
        lines = _heading(portfolio, args.file)
        for s, imp in tables.items():
            lines += [
                "",
                f"scenario {s}: P(unprotected) {imp.p_top:.4g}, {len(imp)} basic events, "
                f"by {args.by}",
            ]
            lines += _importance_text(imp, args)
        return "\n".join(lines)

    return _run_analysis("importance", args, out, analyse)


def _shore_up_text(ranking: Ranking, args: argparse.Namespace, none: str) -> list[str]:
    if not ranking.names:
        return [f"  {none}"]
    best = ranking.tied_best
    if len(best) == 1:
        lines = [f"  best: {best[0]}"]
    else:
        lines = textwrap.wrap(
            f"best, tied ({len(best)}): {', '.join(best)}",
            78,
            initial_indent="  ",
            subsequent_indent="    ",
        )
    lines += [f"  {line}" for line in ranking.to_text(limit=args.limit).split("\n")]
    return lines + _more(len(ranking.names[: args.limit]), len(ranking))


def _shore_up_json(ranking: Ranking, args: argparse.Namespace) -> dict[str, Any]:
    shown = len(ranking.names[: args.limit])
    return {
        "count": len(ranking),
        "tied_best": list(ranking.tied_best),
        "assumptions": [
            {"assumption": n, "p_after": float(a), "drop": float(d)}
            for n, a, d in list(zip(ranking.names, ranking.p_after, ranking.drop, strict=True))[
                :shown
            ]
        ],
    }


def _next_gsn(args: argparse.Namespace, out: TextIO) -> int:
    def analyse(argument: gsn.Argument) -> str:
        g = args.scenario
        ranking = argument.most_load_bearing(g)
        under = set(argument.rests_on(g))
        legs = [
            argument.diversity(n)
            for n in argument.model.scored
            if n in under and n in argument.model.legged and argument.model.support[n]
        ]
        statement = argument.elements[g].text or ""
        if args.format == "json":
            doc = {
                "format": NEXT_FORMAT,
                "input": "gsn",
                "title": argument.title,
                "file": args.file,
                "scenario": g,
                "statement": statement.strip(),
                "p_unprotected": ranking.p_unprotected,
                "shore_up": _shore_up_json(ranking, args),
                "legs": [
                    {
                        "node": d.node,
                        "legs": dict(d.p_legs),
                        "p_all": d.p_all,
                        "independent_product": d.independent_product,
                        "coincidence_ratio": json_number(d.coincidence_ratio),
                        "effective_legs": json_number(d.effective_legs),
                    }
                    for d in legs
                ],
            }
            return json.dumps(doc, indent=2, allow_nan=False)
        lines = _gsn_heading(argument, args.file)
        lines += ["", f"goal {g}"]
        lines += textwrap.wrap(
            " ".join(statement.split()), 78, initial_indent="  ", subsequent_indent="  "
        )
        lines.append(f"  P(unsupported) {ranking.p_unprotected:.4g}")
        lines += ["", "Which element to shore up first (its p_fail or soundness_error -> 0)?"]
        lines += _shore_up_text(ranking, args, "no element with a failure under this goal")
        lines += ["", "How independent are the legs under it?"]
        if not legs:
            lines.append("  no multi-legged element under this goal")
        for d in legs:
            cr = "undefined" if d.coincidence_ratio is None else f"{d.coincidence_ratio:.4g}"
            eff = "undefined" if d.effective_legs is None else f"{d.effective_legs:.3g}"
            plural = "s" if len(d.legs) != 1 else ""
            lines.append(
                f"  {d.node}: {len(d.legs)} leg{plural}, P(all legs fail) {d.p_all:.4g}, "
                f"coincidence ratio {cr}, effective legs {eff}"
            )
        return "\n".join(lines)

    return _run_gsn("next", args, out, analyse)


def _next(args: argparse.Namespace, out: TextIO) -> int:
    if _input_kind(args):
        return _next_gsn(args, out)

    def analyse(portfolio: Portfolio) -> str:
        s = args.scenario
        ranking = portfolio.most_load_bearing(s, method=args.method)
        diversity = portfolio.diversity(s, method=args.method)
        cases = portfolio.covering_cases(s)
        if args.format == "json":
            doc = {
                "format": NEXT_FORMAT,
                "input": "portfolio",
                "title": portfolio.title,
                "file": args.file,
                "scenario": s,
                "statement": portfolio.scenarios[s].statement.strip(),
                "p_unprotected": ranking.p_unprotected,
                "covering_cases": list(cases),
                "shore_up": _shore_up_json(ranking, args),
                "diversity": {
                    "similarity": diversity.similarity_kind,
                    "dissimilar_cases": {
                        f"{q:g}": json_number(v)
                        for q, v in zip(diversity.orders, diversity.values, strict=True)
                    },
                    "rao_quadratic_entropy": diversity.rao,
                    "participation_ratio": diversity.participation_ratio,
                    "participation_status": diversity.participation_status,
                },
            }
            return json.dumps(doc, indent=2, allow_nan=False)
        lines = _heading(portfolio, args.file)
        lines += ["", f"scenario {s}"]
        statement = " ".join(portfolio.scenarios[s].statement.split())
        lines += textwrap.wrap(statement, 78, initial_indent="  ", subsequent_indent="  ")
        lines.append(f"  P(unprotected) {ranking.p_unprotected:.4g}")
        lines += ["", "Which assumption to shore up first (p_fail -> 0)?"]
        lines += _shore_up_text(
            ranking, args, "no assumption under this scenario (only soundness errors)"
        )
        plural = "s" if len(cases) != 1 else ""
        lines += ["", "How different are its covering cases?"]
        lines += textwrap.wrap(
            f"{len(cases)} case{plural}: {', '.join(cases)}",
            78,
            initial_indent="  ",
            subsequent_indent="    ",
        )
        lines.append(f"  similarity: {diversity.similarity_kind} (see portfolios.diversity)")
        lines += [f"  {line}" for line in diversity.to_text().split("\n")]
        return "\n".join(lines)

    return _run_analysis("next", args, out, analyse)


def _input_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--input",
        choices=("auto", "portfolio", "gsn"),
        default="auto",
        help="what FILE is (default: auto: a .gsn.yaml name, or YAML without the sections "
        "cases and scenarios, is a GSN argument)",
    )


def _method_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--method",
        choices=("auto", "exact", "bdd"),
        default="auto",
        help="the probability engine: exact (a dynamic programme), bdd (a decision diagram, for "
        "many covering cases sharing assumptions), or auto (exact, or bdd past the exact "
        "programme's size limit; the default)",
    )


def register(subparsers: Any) -> None:
    """Add the ``portfolio`` command and its subcommands to the ``knightian`` parser."""
    parser = subparsers.add_parser(
        "portfolio",
        help="safety-case portfolios: score a portfolio file, rank what matters, what next",
        description="Safety-case portfolios: how likely is each scenario to be unprotected?",
    )
    actions = parser.add_subparsers(dest="portfolio_command", required=True, metavar="ACTION")
    score = actions.add_parser(
        "score",
        help="score every scenario of a portfolio file (YAML or JSON)",
        description="Print, for every scenario, P(unprotected), the coincidence ratio, the "
        "independent cases (equivalent number) and the minimal cut sets.",
        epilog=_EPILOG,
    )
    score.add_argument(
        "file",
        metavar="FILE",
        help="the portfolio file (.yaml, .yml or .json; - reads it from standard input), or a GSN "
        "argument in gsn2x YAML",
    )
    _input_argument(score)
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
        help=f"exit with {EXIT_OVER_RISK} if some scenario exceeds its max_risk (with an "
        "interval: its upper end)",
    )
    score.add_argument(
        "--dependence",
        choices=("independent", "unknown"),
        default="independent",
        help="unknown: also bound P(unprotected) over every joint law of the assumption "
        "failures inside each latent state (default: independent, the file's model)",
    )
    score.set_defaults(run=_score)

    importance = actions.add_parser(
        "importance",
        help="importance measures of the basic events of each scenario",
        description="Print, for each scenario (all by default), the importance of every basic "
        "event it rests on (assumption, latent variable, non-zero soundness error): P(e), "
        "Birnbaum, criticality, Fussell-Vesely (cut-set definition), P(e | unprotected), RAW "
        "and RRW (inf for an event in every cut set).",
        epilog=_EPILOG_NO_CHECK,
    )
    importance.add_argument(
        "file",
        metavar="FILE",
        help="the portfolio file (.yaml, .yml or .json; - reads it from standard input), or a GSN "
        "argument in gsn2x YAML",
    )
    _input_argument(importance)
    importance.add_argument(
        "--scenario",
        action="append",
        metavar="S",
        help="a scenario id (for a GSN argument: a goal id); repeat for several (default: every "
        "scenario; every root goal)",
    )
    importance.add_argument(
        "--format", choices=("text", "json"), default="text", help="default: text"
    )
    importance.add_argument(
        "--by",
        choices=MEASURES,
        default="birnbaum",
        help="rank the events by this measure, largest first (default: birnbaum)",
    )
    importance.add_argument(
        "--limit",
        type=_positive,
        default=None,
        metavar="N",
        help="show the first N events of each scenario (default: all)",
    )
    importance.add_argument(
        "--no-fussell-vesely",
        dest="fussell_vesely",
        action="store_false",
        help="skip the Fussell-Vesely measure (it needs every minimal cut set: for scenarios "
        "with too many of them); its column is then nan (null in JSON)",
    )
    _method_argument(importance)
    importance.set_defaults(run=_importance)

    what_next = actions.add_parser(
        "next",
        help="which assumption to shore up first, and how diverse the covering cases are",
        description="For one scenario: rank its assumptions by how much shoring each up "
        "(p_fail -> 0) lowers P(unprotected), name every assumption tied with the best, and "
        "print the diversity of its covering cases. Ranking candidate cases to add needs a "
        "set of candidates: use Portfolio.best_addition(scenario, candidates) in Python.",
        epilog=_EPILOG_NO_CHECK,
    )
    what_next.add_argument(
        "file",
        metavar="FILE",
        help="the portfolio file (.yaml, .yml or .json; - reads it from standard input), or a GSN "
        "argument in gsn2x YAML",
    )
    _input_argument(what_next)
    what_next.add_argument(
        "--scenario", required=True, metavar="S", help="the scenario id (GSN: the goal id)"
    )
    what_next.add_argument(
        "--format", choices=("text", "json"), default="text", help="default: text"
    )
    what_next.add_argument(
        "--limit",
        type=_positive,
        default=None,
        metavar="N",
        help="show the first N assumptions (default: all; ties with the best are always named)",
    )
    _method_argument(what_next)
    what_next.set_defaults(run=_next)
