r"""Pictures of a problem tree: Graphviz DOT text and a tidy layout for matplotlib.

Neither needs a drawing library: :func:`to_dot` returns the text of a DOT digraph (render it with
``dot -Tsvg``, or any Graphviz binding), :func:`layout` returns node positions and edges that
:func:`infrabayes.problems.plot.tree` draws with matplotlib.

Conventions (both pictures): chance nodes are ellipses, decision nodes boxes labelled by their
information set, predictors diamonds (correlates octagons) labelled by what they read, outcomes
plain text with their utility; edges carry the branch labels of the tree view (probabilities on
chance branches, ``predicts a`` on predictor branches). The decision nodes of one information set
are joined by a dashed, undirected line, the usual mark of an information set in a game tree.

Every walk is iterative. In DOT a subtree shared by several branches is drawn once (the picture is
the DAG); the layout unfolds it into a tree, like the tree view of the problem's repr.

Examples
--------
>>> from infrabayes.problems import Decision, Outcome
>>> print(to_dot(Decision("I", {"a": Outcome("x", 1), "b": Outcome("y", 0)}), "tiny"))
digraph "tiny" {
  node [fontname="Helvetica"];
  n0 [label="I", shape=box];
  n1 [label="x\nutility 1", shape=plaintext];
  n2 [label="y\nutility 0", shape=plaintext];
  n0 -> n1 [label="a"];
  n0 -> n2 [label="b"];
}
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from infrabayes._numbers import format_number
from infrabayes.problems.nodes import (
    Chance,
    Correlate,
    Decision,
    Node,
    Outcome,
    Predictor,
    branch_label,
    children,
)

__all__ = ["MAX_LAYOUT_NODES", "Layout", "label", "layout", "shape", "to_dot"]

#: :func:`layout` unfolds shared subtrees; it refuses trees of more nodes than this (a picture
#: of more is unreadable; :func:`to_dot` draws any size).
MAX_LAYOUT_NODES = 500


def label(node: Node) -> str:
    """Return the text shown in a node (one string, its lines separated by newlines)."""
    if isinstance(node, Outcome):
        return f"{node.name}\nutility {format_number(node.utility)}"
    if isinstance(node, Decision):
        return node.infoset
    if isinstance(node, Correlate):
        return f"{node.name}\n(goes with {node.infoset})"
    if isinstance(node, Predictor):
        error = f", error {format_number(node.epsilon)}" if node.epsilon != 0 else ""
        return f"{node.name}\nreads {node.infoset}{error}"
    assert isinstance(node, Chance)
    return node.name


def shape(node: Node) -> str:
    """Return the Graphviz shape of a node (:mod:`~infrabayes.problems.plot` draws it too)."""
    if isinstance(node, Outcome):
        return "plaintext"
    if isinstance(node, Decision):
        return "box"
    if isinstance(node, Correlate):
        return "octagon"
    if isinstance(node, Predictor):
        return "diamond"
    return "ellipse"


def _quote(text: str) -> str:
    r"""Return a DOT string literal (backslashes and quotes escaped, newlines as ``\n``)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(root: Node, name: str) -> str:
    """Return the tree as the text of a Graphviz DOT digraph (see the module docstring).

    Nodes are numbered ``n0, n1, ...`` in depth-first order of first visit; a shared subtree is
    one set of nodes with several incoming edges.
    """
    ids: dict[int, str] = {}
    order: list[Node] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in ids:
            continue
        ids[id(node)] = f"n{len(ids)}"
        order.append(node)
        stack.extend(reversed([child for _, child in children(node)]))
    lines = [f"digraph {_quote(name)} {{", '  node [fontname="Helvetica"];']
    for node in order:
        lines.append(f"  {ids[id(node)]} [label={_quote(label(node))}, shape={shape(node)}];")
    for node in order:
        for b, child in children(node):
            text = _quote(branch_label(node, b))
            lines.append(f"  {ids[id(node)]} -> {ids[id(child)]} [label={text}];")
    infosets: dict[str, list[str]] = {}
    for node in order:
        if isinstance(node, Decision):
            infosets.setdefault(node.infoset, []).append(ids[id(node)])
    for members in infosets.values():
        for a, b in itertools.pairwise(members):
            lines.append(f"  {a} -> {b} [style=dashed, dir=none, constraint=false];")
    lines.append("}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Layout:
    """Positions for a picture of the unfolded tree.

    ``nodes[k]`` is ``(x, y, node)`` (``y = -depth``; leaves at ``x = 0, 1, 2, ...`` from left to
    right, an inner node centred over its first and last child); ``edges`` are
    ``(parent index, child index, branch label)``; ``infosets`` maps an information set to the
    indices of its decision nodes.
    """

    nodes: tuple[tuple[float, float, Node], ...]
    edges: tuple[tuple[int, int, str], ...]
    infosets: dict[str, tuple[int, ...]]


def layout(root: Node) -> Layout:
    """Return a tidy layout of the tree, shared subtrees unfolded (at most MAX_LAYOUT_NODES)."""
    nodes: list[Node] = []
    depth: list[int] = []
    kids: list[list[int]] = []
    edges: list[tuple[int, int, str]] = []
    stack: list[tuple[Node, int, int, str]] = [(root, 0, -1, "")]
    while stack:
        node, d, parent, text = stack.pop()
        k = len(nodes)
        if k >= MAX_LAYOUT_NODES:
            raise ValueError(
                f"the tree unfolds into more than MAX_LAYOUT_NODES = {MAX_LAYOUT_NODES} nodes, too "
                "many for a readable picture; export it with problem.to_dot() and render it with "
                "Graphviz"
            )
        nodes.append(node)
        depth.append(d)
        kids.append([])
        if parent >= 0:
            kids[parent].append(k)
            edges.append((parent, k, text))
        branches = [(child, d + 1, k, branch_label(node, b)) for b, child in children(node)]
        stack.extend(reversed(branches))
    x = [0.0] * len(nodes)
    leaf = 0
    for k in range(len(nodes)):  # preorder: leaves from left to right
        if not kids[k]:
            x[k] = float(leaf)
            leaf += 1
    for k in reversed(range(len(nodes))):  # children come after their parent in preorder
        if kids[k]:
            x[k] = (x[kids[k][0]] + x[kids[k][-1]]) / 2
    infosets: dict[str, list[int]] = {}
    for k, node in enumerate(nodes):
        if isinstance(node, Decision):
            infosets.setdefault(node.infoset, []).append(k)
    return Layout(
        nodes=tuple((x[k], float(-depth[k]), nodes[k]) for k in range(len(nodes))),
        edges=tuple(edges),
        infosets={i: tuple(m) for i, m in infosets.items()},
    )
