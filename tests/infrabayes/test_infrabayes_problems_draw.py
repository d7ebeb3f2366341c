"""Node reprs, the DOT export and the tree picture of a decision problem."""

import re
from fractions import Fraction as F

import pytest

from infrabayes.problems import (
    Chance,
    Correlate,
    Decision,
    Outcome,
    Predictor,
    Problem,
    counterfactual_mugging,
    newcomb,
    smoking_lesion,
    transparent_newcomb,
)
from infrabayes.problems._draw import MAX_LAYOUT_NODES, layout


def test_node_reprs_are_one_readable_line():
    assert repr(Outcome("win", F(1, 3))) == "<Outcome 'win' (utility 1/3)>"
    d = Decision("I", {"a": Outcome("x", 1), "b": Outcome("y", 0)})
    assert repr(d) == "<Decision at 'I': a -> outcome 'x' (1), b -> outcome 'y' (0)>"
    c = Chance({"h": (F(1, 4), d), "t": (F(3, 4), Outcome("z", F(1, 2)))}, name="coin")
    assert repr(c) == "<Chance 'coin': h (1/4) -> decision at 'I', t (3/4) -> outcome 'z' (1/2)>"
    p = Predictor("I", {"a": c, "b": d}, epsilon=F(1, 10), name="Omega")
    assert repr(p) == (
        "<Predictor 'Omega' reads 'I' (error 1/10): predicts a -> chance 'coin', predicts b -> "
        "decision at 'I'>"
    )
    root = smoking_lesion().root
    assert isinstance(root, Correlate)
    assert repr(root) == (
        "<Correlate 'lesion' of the act at 'choose' (error 0; base rate smoke 1/2, refrain 1/2): "
        "lesion (goes with smoke) -> decision at 'choose', no lesion (goes with refrain) -> "
        "decision at 'choose'>"
    )
    # a child that is itself a predictor or correlate is summarised by what it reads
    top = Chance({"l": (1, root), "p": (0, p)})
    assert repr(top) == (
        "<Chance 'chance': l (1) -> correlate 'lesion' of 'choose', p (0) -> predictor 'Omega' "
        "of 'I'>"
    )


def _dot_parts(text):
    nodes = dict(re.findall(r'^  (n\d+) \[label="(.*?)", shape=\w+\];$', text, re.M))
    edges = re.findall(r'^  (n\d+) -> (n\d+) \[label="(.*?)"\];$', text, re.M)
    dashed = re.findall(r"^  (n\d+) -> (n\d+) \[style=dashed", text, re.M)
    return nodes, edges, dashed


def test_dot_has_every_distinct_node_and_branch_once():
    p = transparent_newcomb()
    nodes, edges, dashed = _dot_parts(p.to_dot())
    # Omega, two decision nodes, four outcomes; two branches at each inner node
    assert len(nodes) == 7
    assert len(edges) == 6
    assert {label for *_, label in edges} == {
        "predicts one-box",
        "predicts two-box",
        "one-box",
        "two-box",
    }
    assert dashed == []  # "full" and "empty" are different information sets
    # Newcomb's two decision nodes share the information set "choose": one dashed link
    nodes, edges, dashed = _dot_parts(newcomb().to_dot())
    assert len(dashed) == 1
    a, b = dashed[0]
    assert nodes[a] == nodes[b] == "choose"


def test_dot_draws_a_shared_subtree_once_and_escapes_quotes():
    shared = Decision('say "hi"', {"a": Outcome('x\\y "q"', 1), "b": Outcome("y", 0)})
    root = Chance({"l": (F(1, 2), shared), "r": (F(1, 2), shared)}, name="coin")
    text = Problem(root, name='the "shared" tree').to_dot()
    assert text.splitlines()[0] == 'digraph "the \\"shared\\" tree" {'
    nodes, edges, _ = _dot_parts(text)
    assert len(nodes) == 4  # coin, the decision node once, two outcomes
    into = [dst for src, dst, _ in edges if src == "n0"]
    assert len(into) == 2 and into[0] == into[1]
    assert 'label="x\\\\y \\"q\\"\\nutility 1"' in text


def test_layout_centres_parents_over_their_children():
    pic = layout(counterfactual_mugging().root)
    xs = {k: x for k, (x, _, _) in enumerate(pic.nodes)}
    leaves = [k for k in xs if not any(parent == k for parent, _, _ in pic.edges)]
    assert sorted(xs[k] for k in leaves) == [0.0, 1.0, 2.0, 3.0]
    for parent in {p for p, _, _ in pic.edges}:
        kids = [c for p, c, _ in pic.edges if p == parent]
        assert xs[parent] == (xs[kids[0]] + xs[kids[-1]]) / 2
        assert all(pic.nodes[c][1] == pic.nodes[parent][1] - 1 for c in kids)
    # the shared subtree of a diamond is unfolded: 1 + 2 * 3 nodes
    shared = Decision("I", {"a": Outcome("x", 1), "b": Outcome("y", 0)})
    assert len(layout(Chance({"l": (F(1, 2), shared), "r": (F(1, 2), shared)})).nodes) == 7


def test_layout_refuses_a_tree_too_large_to_read():
    node = Outcome("end", 1)
    for i in range(MAX_LAYOUT_NODES // 2):
        node = Chance({"on": (F(1, 2), node), "off": (F(1, 2), Outcome(f"o{i}", 0))})
    with pytest.raises(ValueError, match="to_dot"):
        layout(node)


def test_plot_tree_draws_every_node_and_branch():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from infrabayes.problems import plot

    p = counterfactual_mugging()
    ax = plot.tree(p)
    # 7 nodes and 6 branch labels
    assert len(ax.texts) == 13
    assert ax.get_title() == "Counterfactual Mugging"
    given = Figure().subplots()
    assert plot.tree(newcomb(), ax=given) is given
    # one dashed line joins Newcomb's two nodes of "choose"
    assert sum(line.get_linestyle() == "--" for line in given.lines) == 1
    # the legend names the shapes drawn, and the dashed line
    legend = [t.get_text() for t in given.get_legend().get_texts()]
    assert legend == [
        "decision (named by its information set)",
        "predictor (reads the policy at an information set)",
        "one information set",
    ]
    # an outcome's label is on white, so the edge into it does not run through its words
    outcomes = [t for t in given.texts if "utility" in t.get_text()]
    assert len(outcomes) == 4
    assert all(t.get_bbox_patch().get_facecolor()[:3] == (1.0, 1.0, 1.0) for t in outcomes)
    with pytest.raises(TypeError, match="draws a Problem"):
        plot.tree(p.root)


def test_plot_tree_labels_do_not_overlap():
    """No two labels of the tree (nodes, branches) overlap: each reads as itself (issue 19)."""
    pytest.importorskip("matplotlib")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from infrabayes.problems import plot
    from infrabayes.problems.library import parfits_hitchhiker

    for problem in (counterfactual_mugging(), newcomb(), parfits_hitchhiker()):
        ax = plot.tree(problem)
        renderer = FigureCanvasAgg(ax.figure).get_renderer()
        ax.figure.draw(renderer)
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts]
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1 :]:
                assert not box_a.overlaps(box_b), (problem.name, a, b)
