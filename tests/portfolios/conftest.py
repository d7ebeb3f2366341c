"""Fixtures shared by the portfolios tests."""

import pytest

from portfolios import Portfolio


@pytest.fixture
def two_on_one_latent():
    """Return a factory of the smallest latent portfolio.

    ``make(p_w, a, b)``: latent W fails with probability ``p_w``; assumption A fails with
    probability ``a[0]`` when W holds and ``a[1]`` when W fails, B likewise with ``b``; case X
    rests on A, case Y on B, and both cover scenario S.
    """

    def make(p_w, a, b):
        return Portfolio.from_dict(
            {
                "latent": {"W": {"statement": "w", "p_fail": p_w}},
                "assumptions": {
                    name: {"statement": name, "p_fail": {"W": {"holds": h, "fails": f}}}
                    for name, (h, f) in (("A", a), ("B", b))
                },
                "cases": {
                    "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
                    "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]},
                },
                "scenarios": {"S": {"statement": "s"}},
            }
        )

    return make
