"""The portfolio as a network: the case-assumption graph and its case-case projection.

Definitions
-----------
:func:`portfolio_graph` returns a ``networkx.DiGraph`` following networkx's bipartite
convention (a node attribute ``bipartite``): the *argument side* (``bipartite=0``) holds the
cases (``kind="case"``) and the scenarios (``kind="scenario"``), the *world side*
(``bipartite=1``) the assumptions (``kind="assumption"``) and the latent variables
(``kind="latent"``). Edges point from what depends to what it depends on, with ``kind`` equal to
the file field that made them:

=============  ======================  =====================================================
kind           from -> to              meaning
=============  ======================  =====================================================
assumptions    case -> assumption      the case rests on the assumption
rests_on       case -> case            the case rests on the other case
requires       assumption ->           the assumption fails if the required one fails
               assumption
latent         assumption -> latent    its failure probability depends on the latent state
                                       (edge attributes ``holds`` and ``fails``)
covers         case -> scenario        the case covers the scenario
=============  ======================  =====================================================

Node attributes: ``statement``, ``source`` (when given), and ``p_fail``, the exact marginal
failure probability (for an assumption including its requirements; for a case including
everything it rests on); ``soundness_error`` on cases, ``max_risk`` on scenarios when given.
Probabilities are point values (a distribution's mean); one that depends on an interval
(:mod:`portfolios.values`) is ``nan``, with its tightest interval in ``p_fail_lower`` and
``p_fail_upper`` (``soundness_error`` and the latent edges' ``holds`` and ``fails`` are then
``nan`` too).

:func:`case_projection` joins two cases when their *supports* meet. A case's support is
everything whose failure fails it: the assumptions it rests on, directly, through
requirements or through the cases it rests on; the latent variables those assumptions depend
on; and the soundness errors of the cases it rests on (and its own).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bounds import joint_bounds, parameter_ends
from .errors import UnknownIdError, did_you_mean
from .model import Conditional, Entries
from .probability import all_fail_probability, interval_parameters
from .structure import Structure, compile_structure, unit_index

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["case_projection", "portfolio_graph", "support", "write_graphml"]


def _attrs(**values: Any) -> dict[str, Any]:
    # GraphML stores scalars only: leave out what is missing.
    return {k: v for k, v in values.items() if v is not None}


def portfolio_graph(entries: Entries, *, structure: Structure | None = None) -> nx.DiGraph:
    """Return the portfolio as a directed graph (see the module docstring).

    Parameters
    ----------
    entries : Entries
        Validated entries (``Portfolio.entries``).
    structure : Structure, optional
        Their compiled structure (``Portfolio.structure``), for the failure probabilities;
        compiled here if not given.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> G = portfolio_graph(P.entries, structure=P.structure)  # what P.graph() returns
    >>> sorted({d["kind"] for _, d in G.nodes(data=True)})
    ['assumption', 'case', 'latent', 'scenario']
    >>> sorted({d["kind"] for _, _, d in G.edges(data=True)})
    ['assumptions', 'covers', 'latent', 'requires', 'rests_on']
    """
    import networkx as nx

    P = entries
    S = compile_structure(entries) if structure is None else structure

    units = unit_index(S)
    _, _, latent_lo, latent_hi = parameter_ends(S)

    def p_fail(key: str) -> dict[str, float]:
        if not interval_parameters(S, [key]):
            return {"p_fail": float(all_fail_probability(S, [key]))}
        b = joint_bounds(S, [key])
        return {"p_fail": math.nan, "p_fail_lower": b.lower, "p_fail_upper": b.upper}

    def latent(key: str) -> dict[str, float]:
        j = S.latent.index(key)
        out = {"p_fail": float(S.latent_p[j])}
        if math.isnan(out["p_fail"]):
            out |= {"p_fail_lower": float(latent_lo[j]), "p_fail_upper": float(latent_hi[j])}
        return out

    def soundness(key: str) -> float:
        return float(S.unit_p[units["soundness", key], 0])

    G = nx.DiGraph(title=P.title or "", file=P.file or "")
    nodes: list[tuple[str, int, Mapping[str, Any], Callable[[str, Any], dict[str, Any]]]] = [
        ("scenario", 0, P.scenarios, lambda k, e: {"max_risk": e.max_risk}),
        ("case", 0, P.cases, lambda k, e: {"soundness_error": soundness(k), **p_fail(k)}),
        ("assumption", 1, P.assumptions, lambda k, e: p_fail(k)),
        ("latent", 1, P.latent, lambda k, e: latent(k)),
    ]
    for kind, side, section, extra in nodes:
        for key, entry in section.items():
            attributes = _attrs(kind=kind, bipartite=side, statement=entry.statement)
            attributes.update(_attrs(source=entry.source, **extra(key, entry)))
            G.add_node(key, **attributes)
    for c, case in P.cases.items():
        for a in case.assumptions:
            G.add_edge(c, a, kind="assumptions")
        for other in case.rests_on:
            G.add_edge(c, other, kind="rests_on")
        for s in case.covers:
            G.add_edge(c, s, kind="covers")
    for a, assumption in P.assumptions.items():
        for r in assumption.requires:
            G.add_edge(a, r, kind="requires")
        if isinstance(assumption.p_fail, Conditional):
            holds, fails = (float(x) for x in S.unit_p[units["assumption", a]])
            G.add_edge(a, assumption.p_fail.latent, kind="latent", holds=holds, fails=fails)
    return G


def support(structure: Structure, case: str) -> dict[str, frozenset[str]]:
    """Return what a case's failure can come from, by kind.

    Parameters
    ----------
    structure : Structure
        The compiled portfolio (``Portfolio.structure``).
    case : str

    Returns
    -------
    dict
        ``{"assumptions": ..., "latent": ..., "soundness": ...}``, each a frozenset of ids.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> sorted(support(P.structure, "asl4_control")["soundness"])
    ['asl4_control', 'asl4_incentives']
    """
    S = structure
    if case not in S.rests_on:
        raise UnknownIdError(None, f"unknown case {case!r}{did_you_mean(case, S.rests_on)}")
    units = sorted(S.paths[case])
    assumptions = frozenset(S.units[u].id for u in units if S.units[u].kind == "assumption")
    latent = frozenset(
        S.latent[j]
        for u in units
        if S.units[u].kind == "assumption" and (j := int(S.unit_latent[u])) >= 0
    )
    soundness = frozenset(S.units[u].id for u in units if S.units[u].kind == "soundness")
    return {"assumptions": assumptions, "latent": latent, "soundness": soundness}


def case_projection(
    entries: Entries, cases: Any = None, *, structure: Structure | None = None
) -> nx.Graph:
    """Return the weighted case-case graph of shared supports.

    Two cases are joined when their supports (module docstring) meet. Edge attributes:
    ``shared_assumptions``, ``shared_latent``, ``shared_soundness`` (counts), ``weight`` (their
    sum), ``jaccard`` (shared / union of the two supports), ``shared`` (the shared ids,
    comma-separated), ``joint_failure`` (exact P(both fail)) and ``lift`` (``joint_failure``
    over the product of the two failure probabilities: the pairwise coincidence ratio; absent
    when that product is 0).

    Parameters
    ----------
    entries : Entries
        Validated entries (``Portfolio.entries``).
    cases : iterable of str, optional
        The cases to project onto (default: all).
    structure : Structure, optional
        The compiled structure of ``entries`` (``Portfolio.structure``); compiled here if not
        given.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": 0.1},
    ...                     "B": {"statement": "b", "p_fail": 0.2, "requires": ["A"]}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> G = case_projection(P.entries, structure=P.structure)
    >>> d = G.edges["X", "Y"]
    >>> d["shared"], d["jaccard"], round(d["joint_failure"], 12)  # Y fails whenever X does
    ('A', 0.25, 0.1)
    """
    import networkx as nx

    P = entries
    nodes = list(P.cases) if cases is None else list(cases)
    for c in nodes:
        if c not in P.cases:
            raise UnknownIdError(None, f"unknown case {c!r}{did_you_mean(c, P.cases)}")
    S = compile_structure(entries) if structure is None else structure
    H = nx.Graph()
    for c in nodes:
        H.add_node(
            c,
            **_attrs(kind="case", bipartite=0, statement=P.cases[c].statement),
            p_fail=float(all_fail_probability(S, [c])),
        )
    sup = {c: support(S, c) for c in nodes}
    for c, d in combinations(nodes, 2):
        shared = {k: sup[c][k] & sup[d][k] for k in sup[c]}
        n_shared = sum(len(v) for v in shared.values())
        if n_shared == 0:
            continue
        n_union = sum(len(sup[c][k] | sup[d][k]) for k in sup[c])
        joint = float(all_fail_probability(S, [c, d]))
        product = H.nodes[c]["p_fail"] * H.nodes[d]["p_fail"]
        labels = sorted(shared["assumptions"] | shared["latent"]) + sorted(
            f"soundness({x})" for x in shared["soundness"]
        )
        H.add_edge(
            c,
            d,
            **_attrs(
                shared_assumptions=len(shared["assumptions"]),
                shared_latent=len(shared["latent"]),
                shared_soundness=len(shared["soundness"]),
                weight=n_shared,
                jaccard=n_shared / n_union,
                shared=",".join(labels),
                joint_failure=joint,
                lift=None if product == 0.0 else joint / product,
            ),
        )
    return H


def write_graphml(
    entries: Entries, path: str | Path, *, structure: Structure | None = None
) -> None:
    """Write :func:`portfolio_graph` to a GraphML file (readable by Gephi, yEd, networkx)."""
    import networkx as nx

    nx.write_graphml(portfolio_graph(entries, structure=structure), str(path))
