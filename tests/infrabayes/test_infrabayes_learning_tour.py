"""The learning paragraph of the infrabayes tour shows the hand-derived numbers."""

import io

from infrabayes._tour import _learning


def test_learning_paragraph():
    buf = io.StringIO()
    _learning(lambda *lines: print(*lines, sep="\n", file=buf))
    text = buf.getvalue()
    # Before any round (weights 1/2): one-boxing min((1 - e) 10/11) = 8/11 under the predictor
    # (e = 1/5) and min(theta 10/11) = 8/11 by chance (theta = 4/5): 8/11. Two-boxing:
    # min(e 10 + 1)/11 = 1/11 (e = 0) and min(theta 10 + 1)/11 = 9/11 (theta = 4/5): 5/11.
    assert "values one-boxing at 8/11 and two-boxing at 5/11" in text
    rows = [line.split() for line in text.splitlines()]
    # IB one-boxes in every round (test_infrabayes_learning_convergence proves it): regret 0;
    # the causal Bayesian two-boxes in every round: regret 1000 * 7/11 = 636.4.
    assert ["IB", "1.000", "0.818", "0.0"] in rows
    assert ["Bayes", "(CDT)", "0.000", "0.182", "636.4"] in rows
