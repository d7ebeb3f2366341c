"""The ``knightian faulttree`` command (registered by ``contracts._cli`` through ``COMMANDS``).

``knightian faulttree FILE [FILE ...] [--gate G ...] [--sequences] [--mcs] [--importance]
[--uncertainty N] [--substitutions] [--phases [ALIGNMENT]]``
    Read an Open-PSA MEF model (several files are one model) and print the exact probability
    of the gates (default: the top gates; with ``--sequences``, only those named by
    ``--gate``) with the BDD library that ran and the diagram's size; with ``--sequences`` the
    event trees' sequences (:mod:`portfolios.eventtree`): for each initiating event and
    sequence its exact probability, its frequency (the initiating event's frequency times
    it, when the model gives one), its number of paths and its kind (``formula`` or
    ``expression``), and for each formula sequence what ``--mcs``, ``--importance`` and
    ``--uncertainty`` ask (of its probability given the initiating event); with ``--mcs``
    the minimal cut sets (prime implicants for a non-coherent tree: a
    literal ``not e`` means ``e`` does not occur), up to ``--max-order`` and above
    ``--cutoff``, at most ``--limit`` of them, and their count by order; with
    ``--importance`` the importance measures (Birnbaum, criticality, Fussell-Vesely,
    P(e | top), RAW, RRW) of the basic events; with ``--uncertainty N`` N trials of the
    parameters' deviates (``--seed``); with ``--substitutions`` the gates analysed with the
    model's substitutions (exact probability, rare-event and MCUB values, and with ``--mcs``
    the substituted cut sets, and with ``--sequences`` the formula sequences too); with
    ``--phases [ALIGNMENT]`` the probabilities in each phase of an alignment and their
    time-weighted mean (with the substitutions when both are given), of the gates and, with
    ``--sequences``, of the sequences (each phase's house events set, its mission time used,
    as SCRAM analyses each phase). ``--mission-time`` sets
    ``<system-mission-time/>``.
    ``--format`` is ``text`` (default), ``markdown`` or ``json``.

Exit codes, as the ``portfolio`` commands: 0 success; 2 usage error; 3 the file cannot be read,
is invalid, names an unknown gate, or is too large for the exact engine (the message on stderr
names the file, the line and the element, or the limit and ``method='montecarlo'``). File
names and names from the model are written with control characters and terminal escapes
escaped as in a ``repr``.

The JSON document (``format`` = ``"knightian.portfolios.faulttree/2"``) has ``file``, ``tree``,
``backend``, ``variables``, ``bdd_nodes``, ``unquantified`` (the basic events without a probability:
with any, ``probability``, ``backend`` and ``bdd_nodes`` are null and only ``--mcs`` and
``--substitutions`` are possible, as SCRAM's qualitative analysis), ``substitutions`` and
``alignments`` (the names the model defines) and ``gates``: for each gate ``name``, ``probability``,
``coherent`` and, when asked, ``cut_sets`` (``max_order``, ``cutoff``, ``prime_implicants``,
``count_by_order``, ``sets`` of ``{"events", "probability"}``), ``importance`` (a list of
``{"label", "probability", "birnbaum", "criticality", "fussell_vesely", "diagnostic", "raw",
"rrw"}``) and ``uncertainty`` (``samples``, ``seed``, ``point``, ``mean``, ``std``,
``standard_error``, ``quantiles`` and ``sensitivity``, a list of ``{"parameter", "first_order",
"spearman"}`` for the deviates the gate depends on, by decreasing first-order index) and
``substitutions`` (``applied``, ``probability``, ``exact_of``, ``rare_event``, ``mcub``,
``count_by_order``, ``sets`` or null without ``--mcs``); with ``--phases`` an ``alignment``
(``name``, ``phases`` of ``{"name", "time_fraction", "mission_time", "house_events",
"probabilities"}``, ``time_average``, ``substitutions``). With ``--sequences`` it also has
``sequences``: for each ``initiating_event``, ``sequence``, ``probability``, ``frequency`` (``null``
without one), ``paths``, ``kind`` and, for a formula sequence, ``coherent`` and, when asked,
``cut_sets``, ``importance`` and ``uncertainty`` as for a gate, and with ``--uncertainty`` and a
frequency, ``frequency_uncertainty`` (the same, of the frequency: the initiating event's frequency
and the basic events sampled together, a shared parameter one draw); each ``uncertainty`` names its
``quantity``; when the model defines consequences, ``consequences``: for each consequence, then each
consequence group, ``name``, ``kind``, ``members`` (``[initiating event, sequence]`` pairs),
``probability`` (null for a group) and ``frequency`` (the sum over its members); ``backend`` is then
``null`` if no sequence needed a BDD; with ``--phases`` a ``sequence_alignment`` (``name``,
``phases`` of ``{"name", "time_fraction", "mission_time", "house_events", "sequences"}``, each
sequence ``{"initiating_event", "sequence", "probability", "frequency"}``, ``substitutions``
(whether they were applied to the formula sequences) and ``time_average``, the same per sequence,
time-weighted). Undefined numbers are ``null``, infinite ones ``"inf"``. Version 2 added
``standard_error`` and ``sensitivity``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from ._table import markdown_table, text_table
from .errors import PortfolioError, printable
from .eventtree import EventTreeModel
from .faulttree import FaultTree
from .importance import MEASURES
from .mefeventtree import load as load_event_trees
from .openpsa import load
from .report import json_number

__all__ = ["FORMAT", "register"]

#: The identifier of the JSON document.
FORMAT = "knightian.portfolios.faulttree/2"
EXIT_OK, EXIT_BAD_FILE = 0, 3


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a probability in [0, 1], got {text!r}")
    return value


def _cut_sets(T: FaultTree, gate: str, args: argparse.Namespace) -> dict[str, Any]:
    cuts = T.minimal_cut_sets(
        gate,
        max_order=args.max_order,
        cutoff=args.cutoff,
        limit=args.limit,
        prime_implicants=args.prime_implicants,
    )
    return {
        "max_order": args.max_order,
        "cutoff": args.cutoff,
        "prime_implicants": args.prime_implicants,
        "count_by_order": {str(k): v for k, v in cuts.count_by_order().items()},
        "sets": [
            {"events": list(c.labels), "probability": json_number(c.probability)} for c in cuts
        ],
    }


def _details(T: FaultTree, gate: str, args: argparse.Namespace) -> dict[str, Any]:
    """Return what is asked about ``gate`` (a gate or a sequence's) besides its probability.

    With ``--substitutions`` the model's substitutions apply to a sequence as to a gate (as
    SCRAM applies them to every analysed product).
    """
    entry: dict[str, Any] = {"coherent": T.coherent(gate)}
    if args.mcs:
        entry["cut_sets"] = _cut_sets(T, gate, args)
    if args.importance:
        imp = T.importance(gate, fussell_vesely=args.fussell_vesely)
        entry["importance"] = [
            {
                "label": row.label,
                "probability": row.probability,
                **{m: json_number(getattr(row, m)) for m in MEASURES},
            }
            for row in (imp[lab] for lab in imp.ranked("birnbaum"))
        ]
    if args.substitutions:
        S = T.substitute(gate, max_order=args.max_order, limit=args.limit)
        entry["substitutions"] = {
            "applied": list(S.substitutions),
            "probability": json_number(S.probability),
            "exact_of": S.exact_of,
            "rare_event": json_number(S.rare_event),
            "mcub": json_number(S.mcub),
            "count_by_order": {str(k): v for k, v in S.cut_sets.count_by_order().items()},
            "sets": [
                {"events": list(c.labels), "probability": json_number(c.probability)}
                for c in S.cut_sets
            ]
            if args.mcs
            else None,
        }
    if args.uncertainty:
        entry["uncertainty"] = _uncertainty(
            T.uncertainty(gate, samples=args.uncertainty, rng=args.seed), args
        )
    return entry


def _uncertainty(u: Any, args: argparse.Namespace) -> dict[str, Any]:
    return {
        "quantity": u.quantity,
        "samples": args.uncertainty,
        "seed": args.seed,
        "point": u.point_value,
        "mean": u.mean,
        "std": u.std,
        "standard_error": u.standard_error,
        "quantiles": {f"{lv:g}": q for lv, q in u.quantiles.items()},
        "sensitivity": [
            {
                "parameter": s.parameter,
                "first_order": json_number(s.first_order),
                "spearman": json_number(s.spearman),
            }
            for s in u.sensitivity
        ],
    }


def _sequences(model: EventTreeModel, args: argparse.Namespace) -> dict[str, Any]:
    missing = model.fault_tree.unquantified
    try:
        analysis = model.analyse()
    except PortfolioError as err:
        if not missing or "needs a probability" not in str(err):
            raise
        shown = _listed(missing)
        raise PortfolioError(
            args.files[0],
            f"--sequences needs a probability for every basic event its formulas use; "
            f"{len(missing)} have none ({shown}): drop --sequences for the gates' cut sets "
            "(--mcs)",
        ) from err
    T, solution = analysis.fault_tree, analysis.solution
    doc: dict[str, Any] = {
        "format": FORMAT,
        "file": args.files[0],
        "tree": model.fault_tree.name,
        "backend": solution.backend if solution else None,
        "variables": solution.variables if solution else 0,
        "bdd_nodes": solution.nodes if solution else None,
        "unquantified": [],  # a sequence analysis needs every probability (else refused)
        "substitutions": [s.name for s in model.fault_tree.substitutions],
        "alignments": list(model.fault_tree.alignments),
        "gates": [],
        "sequences": [],
    }
    if args.gate:
        gates = _analyse(model.fault_tree, args)
        doc["gates"] = gates["gates"]
        if "alignment" in gates:
            doc["alignment"] = gates["alignment"]
    for r in analysis:
        entry: dict[str, Any] = {
            "initiating_event": r.initiating_event,
            "sequence": r.sequence,
            "probability": r.probability,
            "frequency": json_number(r.frequency),
            "paths": r.paths,
            "kind": r.kind,
        }
        if r.gate is not None:
            entry.update(_details(T, r.gate, args))
            if args.uncertainty and r.frequency is not None:
                u = analysis.uncertainty(
                    r.sequence, r.initiating_event, samples=args.uncertainty, rng=args.seed
                )
                entry["frequency_uncertainty"] = _uncertainty(u, args)
        doc["sequences"].append(entry)
    consequences = analysis.consequences()
    if consequences:
        doc["consequences"] = [
            {
                "name": c.name,
                "kind": c.kind,
                "members": [list(m) for m in c.members],
                "probability": c.probability,
                "frequency": json_number(c.frequency),
            }
            for c in consequences
        ]
    if args.phases is not None:
        A = model.phases(
            _alignment(model.fault_tree.alignments, args), substitutions=args.substitutions
        )
        doc["sequence_alignment"] = {
            "name": A.alignment,
            "phases": [
                {
                    **_phase(p),
                    "sequences": [
                        {
                            "initiating_event": ie,
                            "sequence": seq,
                            "probability": P,
                            "frequency": json_number(p.frequencies[ie, seq]),
                        }
                        for (ie, seq), P in p.probabilities.items()
                    ],
                }
                for p in A.phases
            ],
            "substitutions": A.substituted,
            "time_average": [
                {
                    "initiating_event": ie,
                    "sequence": seq,
                    "probability": A.time_average[ie, seq],
                    "frequency": json_number(A.frequency_average[ie, seq]),
                }
                for ie, seq in A.time_average
            ],
        }
    return doc


def _alignment(names: Any, args: argparse.Namespace) -> str | None:
    """Return the alignment ``--phases`` names (None: the model's one); refuse a choice left open.

    The API's message would tell a command-line user to pass ``alignment=``.
    """
    if args.phases or len(names) < 2:
        return args.phases or None
    raise PortfolioError(
        args.files[0],
        f"the model has {len(names)} alignments ({', '.join(names)}): name one, as in "
        f"--phases {next(iter(names))}",
    )


def _listed(names: Sequence[str], most: int = 5) -> str:
    """Return the first ``most`` names, comma-separated, with ``...`` when there are more."""
    return ", ".join(names[:most]) + (", ..." if len(names) > most else "")


def _phase(p: Any) -> dict[str, Any]:
    """Return what a phase's entry of the JSON document says of the phase itself."""
    return {
        "name": p.phase,
        "time_fraction": p.time_fraction,
        "mission_time": p.mission_time,
        "house_events": dict(p.house_events),
    }


def _analyse(T: FaultTree, args: argparse.Namespace) -> dict[str, Any]:
    gates = list(dict.fromkeys(args.gate)) if args.gate else list(T.top_gates)
    missing = T.unquantified
    if missing:
        asked = [
            flag
            for flag, on in (
                ("--importance", args.importance),
                ("--uncertainty", args.uncertainty),
                ("--phases", args.phases is not None),
            )
            if on
        ]
        if asked:
            shown = _listed(missing)
            raise PortfolioError(
                args.files[0],
                f"{' and '.join(asked)} need{'s' * (len(asked) == 1)} a probability for every "
                "basic event; "
                f"{len(missing)} have none ({shown}): only the qualitative analysis "
                "(--mcs) is possible",
            )
        probabilities: Mapping[str, float | None] = dict.fromkeys(gates)
        backend, variables, nodes = None, len(T.events), None
    else:
        solution = T.solve(gates)
        probabilities = solution.probabilities
        backend, variables, nodes = solution.backend, solution.variables, solution.nodes
    doc: dict[str, Any] = {
        "format": FORMAT,
        "file": args.files[0],
        "tree": T.name,
        "backend": backend,
        "variables": variables,
        "bdd_nodes": nodes,
        "unquantified": list(missing),
        "substitutions": [s.name for s in T.substitutions],
        "alignments": list(T.alignments),
        "gates": [
            {"name": g, "probability": probabilities[g], **_details(T, g, args)} for g in gates
        ],
    }
    if args.phases is not None:
        A = T.phases(_alignment(T.alignments, args), gates, substitutions=args.substitutions)
        doc["alignment"] = {
            "name": A.alignment,
            "phases": [{**_phase(p), "probabilities": dict(p.probabilities)} for p in A.phases],
            "time_average": dict(A.time_average),
            "substitutions": A.substituted,
        }
    return doc


def _number(x: Any) -> str:
    if x is None:
        return "nan"
    return x if isinstance(x, str) else f"{x:.4g}"


def _known(x: Any) -> str:
    """Return a probability as ``_number`` does, n/a when unknown (an event without one)."""
    return "n/a" if x is None else _number(x)


def _render(doc: dict[str, Any], markdown: bool) -> str:
    def table(head: list[str], rows: list[list[str]]) -> list[str]:
        if markdown:
            return markdown_table(head, rows, "l" + "r" * (len(head) - 1))
        return text_table(head, rows, [9] * (len(head) - 1))

    def details(g: dict[str, Any]) -> list[str]:
        lines: list[str] = []
        if "cut_sets" in g:
            cs = g["cut_sets"]
            name = (
                "minimal cut sets"
                if g["coherent"]
                else "prime implicants"
                if cs["prime_implicants"]
                else "minimal true points (events not listed do not occur)"
            )
            counts = ", ".join(f"order {k}: {v}" for k, v in cs["count_by_order"].items())
            rows = [
                [
                    ", ".join(c["events"]) or "(empty)",
                    str(len(c["events"])),
                    _known(c["probability"]),
                ]
                for c in cs["sets"]
            ]
            lines += ["", f"{len(cs['sets'])} {name} ({counts or 'none'})"]
            lines += table(["events", "order", "P"], rows) if rows else []
        if "importance" in g:
            lines += ["", "importance (by Birnbaum)"]
            head = ["event", "P(e)", "Birnbaum", "crit.", "F-V", "P(e|top)", "RAW", "RRW"]
            rows = [
                [r["label"], *(_number(r[k]) for k in ("probability", *MEASURES))]
                for r in g["importance"]
            ]
            lines += table(head, rows)
        if "substitutions" in g:
            sub = g["substitutions"]
            what = "rewritten function" if sub["exact_of"] == "function" else "cut sets"
            counts = ", ".join(f"order {k}: {v}" for k, v in sub["count_by_order"].items())
            lines += [
                "",
                f"with substitutions {', '.join(sub['applied']) or '(none)'}: "
                f"P = {_known(sub['probability'])} (exact, of the {what}); rare event "
                f"{_known(sub['rare_event'])}, MCUB {_known(sub['mcub'])}; cut sets: "
                f"{counts or 'none'}",
            ]
            if sub["sets"]:
                rows = [
                    [
                        ", ".join(c["events"]) or "(empty)",
                        str(len(c["events"])),
                        _known(c["probability"]),
                    ]
                    for c in sub["sets"]
                ]
                lines += table(["events", "order", "P"], rows)
        for key in ("uncertainty", "frequency_uncertainty"):
            if key in g:
                lines += uncertainty(g[key])
        return lines

    def uncertainty(u: dict[str, Any]) -> list[str]:
        q = ", ".join(f"{k}: {v:.4g}" for k, v in u["quantiles"].items())
        lines = [
            "",
            f"uncertainty of {u['quantity']} ({u['samples']} trials, seed {u['seed']}): mean "
            f"{u['mean']:.4g}, std {u['std']:.3g}, point {u['point']:.4g}; quantiles {q}",
        ]
        rows = [
            [r["parameter"], _number(r["first_order"]), _number(r["spearman"])]
            for r in u["sensitivity"]
        ]
        if rows:
            lines += ["", "sensitivity (by first-order index)"]
            lines += table(["deviate", "first order", "Spearman"], rows)
        return lines

    if doc.get("unquantified"):
        missing = doc["unquantified"]
        shown = _listed(missing)
        lines = [
            f"Fault tree {doc['tree']} ({doc['file']}): {doc['variables']} basic events, "
            f"{len(missing)} without a probability ({shown}): the qualitative analysis only "
            "(cut sets)"
        ]
    elif doc["backend"] is None:
        lines = [f"Fault tree {doc['tree']} ({doc['file']}): no BDD needed"]
    else:
        lines = [
            f"Fault tree {doc['tree']} ({doc['file']}): {doc['variables']} basic events, "
            f"BDD of {doc['bdd_nodes']:,} nodes ({doc['backend']})"
        ]
    analysed = [*doc["gates"], *doc.get("sequences", ())]
    if doc["substitutions"] and not any("substitutions" in g for g in analysed):
        lines.append(
            f"the model defines substitutions ({', '.join(doc['substitutions'])}), not applied "
            "below: --substitutions analyses with them"
        )
    if doc["alignments"] and "alignment" not in doc and "sequence_alignment" not in doc:
        lines.append(
            f"the model defines alignments ({', '.join(doc['alignments'])}): --phases analyses "
            "each phase"
        )
    if "sequences" in doc:
        lines += [
            "",
            f"{len(doc['sequences'])} sequences (exact; frequency = initiating event's "
            "frequency x P)",
        ]
        head = ["initiating event", "sequence", "P", "frequency", "paths", "kind"]
        rows = [
            [
                s["initiating_event"],
                s["sequence"],
                f"{s['probability']:.6g}",
                "n/a" if s["frequency"] is None else f"{s['frequency']:.6g}",
                str(s["paths"]),
                s["kind"],
            ]
            for s in doc["sequences"]
        ]
        if rows and markdown:
            lines += markdown_table(head, rows, "llrrrl")
        elif rows:
            head = ["initiating event -> sequence", *head[2:]]
            rows = [[f"{r[0]} -> {r[1]}", *r[2:]] for r in rows]
            lines += text_table(head, rows, [12, 12, 6, 10])
        if doc.get("consequences"):
            lines += ["", "consequences (frequency: the sum over their sequences)"]
            rows = [
                [
                    c["name"],
                    c["kind"],
                    "; ".join(f"{ie} -> {seq}" for ie, seq in c["members"]),
                    "n/a" if c["probability"] is None else f"{c['probability']:.6g}",
                    "n/a" if c["frequency"] is None else _number(c["frequency"]),
                ]
                for c in doc["consequences"]
            ]
            head = ["consequence", "kind", "sequences", "P", "frequency"]
            if markdown:
                lines += markdown_table(head, rows, "lllrr")
            else:
                lines += text_table(head, rows, [11, 30, 9, 10])
        for s in doc["sequences"]:
            more = details(s)
            if more:
                kind = "coherent" if s["coherent"] else "non-coherent"
                lines += ["", f"sequence {s['initiating_event']} -> {s['sequence']} ({kind}):"]
                lines += more
    for g in doc["gates"]:
        kind = "coherent" if g["coherent"] else "non-coherent"
        if g["probability"] is None:
            lines += ["", f"gate {g['name']}: P = n/a (no probabilities; {kind})"]
        else:
            lines += ["", f"gate {g['name']}: P = {g['probability']:.6g} (exact; {kind})"]
        lines += details(g)
    if "alignment" in doc:
        a = doc["alignment"]
        names = [g["name"] for g in doc["gates"]]
        how = ", with substitutions" if a["substitutions"] else ""
        lines += ["", f"alignment {a['name']}{how} (time-weighted mean: sum of fraction x P)"]
        rows = [
            [
                p["name"],
                f"{p['time_fraction']:g}",
                ", ".join(f"{h}={str(v).lower()}" for h, v in p["house_events"].items()) or "-",
                *(_number(p["probabilities"][n]) for n in names),
            ]
            for p in a["phases"]
        ]
        rows.append(
            ["time-weighted mean", "1", "", *(_number(a["time_average"][n]) for n in names)]
        )
        lines += table(["phase", "fraction", "house events", *(f"P({n})" for n in names)], rows)
    if "sequence_alignment" in doc:
        a = doc["sequence_alignment"]
        lines += [
            "",
            f"alignment {a['name']}: the sequences in each phase"
            + (", with substitutions" if a["substitutions"] else "")
            + " (time-weighted mean: sum of fraction x P)",
        ]
        for p in a["phases"]:
            sets = ", ".join(f"{h}={str(v).lower()}" for h, v in p["house_events"].items())
            lines.append(f"  {p['name']} ({p['time_fraction']:g}): {sets or 'no house event set'}")
        columns = [
            {(s["initiating_event"], s["sequence"]): s for s in p["sequences"]} for p in a["phases"]
        ]
        rows = [
            [
                f"{m['initiating_event']} -> {m['sequence']}",
                *(
                    _number(c[key]["probability"]) if key in c else "0"
                    for c in columns
                    for key in [(m["initiating_event"], m["sequence"])]
                ),
                _number(m["probability"]),
                "n/a" if m["frequency"] is None else _number(m["frequency"]),
            ]
            for m in a["time_average"]
        ]
        head = ["sequence", *(f"P({p['name']})" for p in a["phases"]), "mean P", "mean frequency"]
        lines += table(head, rows)
    return "\n".join(lines)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        if args.sequences:
            model = load_event_trees(*args.files, mission_time=args.mission_time)
            if not any(ie.event_tree for ie in model.initiating_events.values()):
                raise PortfolioError(
                    args.files[0],
                    "--sequences: the model defines no initiating event with an event tree "
                    "(define-initiating-event event-tree=...); drop --sequences to analyse "
                    "its gates",
                )
            doc = _sequences(model, args)
        else:
            doc = _analyse(load(*args.files, mission_time=args.mission_time), args)
    except PortfolioError as err:  # ComputationLimitError included
        text = str(err)
        if err.file is None:
            text = f"{args.files[0]}: {text}"
        print(f"knightian faulttree: error: {printable(text)}", file=sys.stderr)
        return EXIT_BAD_FILE
    if args.format == "json":
        text = json.dumps(doc, indent=2, allow_nan=False)
    else:
        text = _render(doc, args.format == "markdown")
    # Names and labels are user text: escape control characters and terminal escapes.
    out.write("\n".join(printable(line) for line in text.split("\n")) + "\n")
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add the ``faulttree`` command to the ``knightian`` parser."""
    parser = subparsers.add_parser(
        "faulttree",
        help="fault trees (Open-PSA MEF): exact probability, cut sets, importance, uncertainty",
        description="Read an Open-PSA MEF model and print the exact probability of its gates "
        "(by BDD), and on request the minimal cut sets, the importance measures and an "
        "uncertainty analysis.",
        epilog="exit codes: 0 success; 2 usage error; 3 the file cannot be read, is invalid, "
        "names an unknown gate, or is too large for the exact engine (message on stderr)",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="MEF files (one model)")
    parser.add_argument(
        "--gate", action="append", metavar="G", help="a gate; repeat (default: the top gates)"
    )
    parser.add_argument(
        "--sequences",
        action="store_true",
        help="event trees: the probability and frequency of every sequence (gates only with "
        "--gate; --mcs, --importance, --uncertainty and --substitutions apply to each formula "
        "sequence, --phases to every sequence)",
    )
    parser.add_argument("--mcs", action="store_true", help="list the minimal cut sets")
    parser.add_argument(
        "--no-prime-implicants",
        dest="prime_implicants",
        action="store_false",
        help="for a non-coherent gate, list its minimal true points (SCRAM's default: sets of "
        "occurring events, the others not occurring; faster) instead of its prime implicants",
    )
    parser.add_argument("--max-order", type=_positive, default=None, metavar="N")
    parser.add_argument("--cutoff", type=_probability, default=0.0, metavar="P")
    parser.add_argument("--limit", type=_positive, default=100_000, metavar="N")
    parser.add_argument("--importance", action="store_true", help="importance measures")
    parser.add_argument(
        "--no-fussell-vesely",
        dest="fussell_vesely",
        action="store_false",
        help="with --importance, skip Fussell-Vesely (it needs the ZBDD of every cut set; the "
        "other measures come from the BDD alone: use it on large trees)",
    )
    parser.add_argument("--uncertainty", type=_positive, default=None, metavar="N")
    parser.add_argument("--seed", type=int, default=0, help="seed of --uncertainty (default 0)")
    parser.add_argument(
        "--substitutions",
        action="store_true",
        help="also analyse with the model's substitutions (with --mcs: list their cut sets)",
    )
    parser.add_argument(
        "--phases",
        nargs="?",
        const="",
        default=None,
        metavar="ALIGNMENT",
        help="the probabilities in each phase of an alignment (optional if there is one)",
    )
    parser.add_argument("--mission-time", type=float, default=8760.0, metavar="T")
    parser.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="default: text"
    )
    parser.set_defaults(run=_run)
