"""The network views: the portfolio graph, the case-case projection, GraphML."""

import math

import networkx as nx
import pytest
from hypothesis import given, settings

import portfolios
from portfolios import Portfolio
from portfolios.network import support
from portfolios.strategies import portfolio_dicts

LINKED = {
    "latent": {"W": {"statement": "w", "p_fail": 0.5, "source": "somewhere"}},
    "assumptions": {
        "A": {"statement": "a", "p_fail": 0.1},
        "B": {"statement": "b", "p_fail": 0.2, "requires": ["A"]},
        "C": {"statement": "c", "p_fail": {"W": {"holds": 0.1, "fails": 0.9}}},
        "D": {"statement": "d", "p_fail": {"W": {"holds": 0.2, "fails": 0.8}}},
        "E": {"statement": "e", "p_fail": 0.3},
    },
    "cases": {
        "X": {"statement": "x", "assumptions": ["A", "C"], "covers": ["S"]},
        "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]},
        "Z": {"statement": "z", "assumptions": ["D"], "covers": ["S"]},
        "V": {"statement": "v", "assumptions": ["E"], "rests_on": ["Y"], "covers": ["T"]},
        "U": {"statement": "u", "assumptions": ["E"], "covers": ["T"]},
    },
    "scenarios": {"S": {"statement": "s", "max_risk": 0.01}, "T": {"statement": "t"}},
}


def test_graph_nodes_edges_and_bipartite_convention():
    P = Portfolio.from_dict(LINKED)
    G = P.graph()
    assert isinstance(G, nx.DiGraph)
    kinds = nx.get_node_attributes(G, "kind")
    assert {n for n, k in kinds.items() if k == "case"} == set(P.cases)
    assert {n for n, k in kinds.items() if k == "assumption"} == set(P.assumptions)
    assert {n for n, k in kinds.items() if k == "latent"} == {"W"}
    assert {n for n, k in kinds.items() if k == "scenario"} == {"S", "T"}
    side = nx.get_node_attributes(G, "bipartite")
    assert all(side[n] == (0 if kinds[n] in ("case", "scenario") else 1) for n in G)
    cases = [n for n in G if kinds[n] == "case"]
    world = [n for n in G if kinds[n] == "assumption"]
    B = G.subgraph(cases + world).to_undirected()
    B.remove_edges_from([(u, v) for u, v in B.edges if side[u] == side[v]])
    assert nx.bipartite.is_bipartite_node_set(B, cases)
    assert G.edges["B", "A"]["kind"] == "requires"
    assert G.edges["C", "W"] == {"kind": "latent", "holds": 0.1, "fails": 0.9}
    assert G.edges["V", "Y"]["kind"] == "rests_on"
    assert G.edges["X", "S"]["kind"] == "covers"
    assert G.edges["X", "A"]["kind"] == "assumptions"
    # p_fail on nodes: exact marginals (B including its requirement A).
    assert G.nodes["B"]["p_fail"] == pytest.approx(1 - 0.9 * 0.8)
    assert G.nodes["C"]["p_fail"] == pytest.approx(0.5)
    assert G.nodes["X"]["p_fail"] == pytest.approx(P.case_failure("X"))
    assert G.nodes["W"]["source"] == "somewhere"
    assert "source" not in G.nodes["A"]


def test_projection_through_requirements_latent_variables_and_cases():
    P = Portfolio.from_dict(LINKED)
    H = P.case_projection()
    assert set(H) == set(P.cases)
    # X and Y share A (Y's B requires A); X and Z share the latent W; V rests on Y.
    assert H.edges["X", "Y"]["shared"] == "A"
    assert H.edges["X", "Y"]["shared_assumptions"] == 1
    assert H.edges["X", "Z"]["shared"] == "W"
    assert H.edges["X", "Z"]["shared_latent"] == 1
    assert H.edges["Y", "V"]["shared"] == "A,B,soundness(Y)"
    assert H.edges["Y", "V"]["weight"] == 3
    assert H.edges["V", "U"]["shared"] == "E"
    assert not H.has_edge("Y", "Z")
    # Jaccard of the supports of X = {A, C, W, soundness(X)} and Y = {A, B, soundness(Y)}.
    assert H.edges["X", "Y"]["jaccard"] == pytest.approx(1 / 6)
    # Joint failure is the exact P(both fail); lift is its ratio to independence.
    # X and Z through W: P(C and D) = 0.5 * 0.1 * 0.2 + 0.5 * 0.9 * 0.8 = 0.37,
    # with P(X) = 1 - 0.9 * 0.5 = 0.55 (A or C) and P(C) = P(D) = 0.5.
    # P(X and Z) = P(D) - P(D and X holds) = 0.5 - 0.9 * (0.5 * 0.9 * 0.2 + 0.5 * 0.1 * 0.8).
    joint = 0.5 - 0.9 * (0.5 * 0.9 * 0.2 + 0.5 * 0.1 * 0.8)
    assert H.edges["X", "Z"]["joint_failure"] == pytest.approx(joint, abs=1e-12)
    assert H.edges["X", "Z"]["lift"] == pytest.approx(joint / (0.55 * 0.5), abs=1e-12)
    # Restricted to the cases covering S.
    assert set(P.case_projection("S")) == {"X", "Y", "Z"}


@settings(max_examples=30)
@given(portfolio_dicts())
def test_projection_is_symmetric_and_consistent(d):
    P = Portfolio.from_dict(d)
    H = P.case_projection()
    for u, v, data in H.edges(data=True):
        su, sv = support(P.structure, u), support(P.structure, v)
        shared = sum(len(su[k] & sv[k]) for k in su)
        assert data["weight"] == shared > 0
        assert 0 < data["jaccard"] <= 1
        assert data["joint_failure"] == pytest.approx(P.joint_failure([v, u]), abs=1e-12)
    for u in H:
        for v in H:
            if u < v and not H.has_edge(u, v):
                # No shared support: the two cases are independent.
                expected = P.case_failure(u) * P.case_failure(v)
                assert P.joint_failure([u, v]) == pytest.approx(expected, abs=1e-12)


def test_graphml_round_trip(tmp_path):
    P = portfolios.load(portfolios.EXAMPLE_PATH)
    path = tmp_path / "portfolio.graphml"
    P.write_graphml(path)
    G = nx.read_graphml(path)
    original = P.graph()
    assert set(G.nodes) == set(original.nodes)
    assert set(G.edges) == set(original.edges)
    for n, data in original.nodes(data=True):
        for key, value in data.items():
            if isinstance(value, float):
                assert math.isclose(G.nodes[n][key], value, rel_tol=1e-12)
            else:
                assert G.nodes[n][key] == value


def test_unknown_cases_are_refused():
    P = Portfolio.from_dict(LINKED)
    with pytest.raises(ValueError, match="unknown case 'Q'"):
        portfolios.network.case_projection(P.entries, ["X", "Q"])
    with pytest.raises(ValueError, match="unknown scenario"):
        P.case_projection("nope")
