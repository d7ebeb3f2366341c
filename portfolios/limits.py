r"""The size limits of :mod:`portfolios`: every exponential computation is bounded here.

Some portfolios are small to write and exponential to analyse: ``k`` covering cases that share
units make the exact programme's table :math:`2^k` wide, ``L`` latent variables make
:math:`2^L` latent states, ten cases resting on eight private assumptions each have
:math:`8^{10} \approx 10^9` minimal cut sets. Each such computation is sized before (or, for the
cut-set enumeration, while) it runs and refused with a
:class:`~portfolios.errors.ComputationLimitError` (a ``PortfolioError``, so a ``ValueError``)
that says the size it would need, the limit, and the cheaper route where there is one, instead
of running for minutes first.

======================================= ========== ================================================
limit                                   value      what it bounds (the cheaper route)
======================================= ========== ================================================
:data:`MAX_LATENT`                      16         latent variables one computation sums over (2^16
                                                   states); Monte Carlo samples the latent states
                                                   and has no such limit; ``"auto"`` and the
                                                   diversity switch to the BDD, which sums only
                                                   over variables without a monotone split
:data:`MAX_EXACT_CELLS`                 2**24      cells of the ``"exact"`` programme's table, 2^k
                                                   x 2^L for k cases sharing units
                                                   (``method="bdd"``; ``"auto"`` switches)
:data:`MAX_INCLUSION_EXCLUSION_TARGETS` 18         targets of inclusion-exclusion, 2^18 subsets
                                                   (``method="exact"``)
:data:`MAX_ENUMERATE_EVENTS`            22         events of brute-force enumeration, 2^22 joint
                                                   states (``"exact"``)
:data:`MAX_BDD_NODES`                   2_000_000  nodes of a portfolio's BDD (``method="exact"``
                                                   or ``"montecarlo"``)
:data:`MAX_CUT_SETS`                    200_000    partial cut sets kept while the minimal cut sets
                                                   are enumerated (``max_order=``; for importance
                                                   ``fussell_vesely=False``; the score reports the
                                                   scenario without its cut sets)
:data:`MAX_CUT_SET_TESTS`               30_000_000 subset tests spent keeping the partial cut sets
                                                   minimal (the same routes)
:data:`MAX_RECOMPILED_UNITS`            4_000_000  units walked compiling the portfolio again for
                                                   every clamped probability of importance
                                                   measures and rankings off the exact programme
                                                   (``method="exact"`` or ``"auto"``: one plan)
:data:`MAX_LP_ATOMS`                    2**14      atoms of one unknown-dependence programme
                                                   (``method="frechet"``)
:data:`MAX_LP_CELLS`                    2**18      atoms over all programmes of one bound
                                                   (``method="frechet"``)
======================================= ========== ================================================

The fault-tree engine has its own: :data:`portfolios.ftengine.DEFAULT_MAX_NODES` (20,000,000
BDD nodes, ``max_nodes=``), :data:`portfolios.faulttree.MAX_FV_NODES` (2,000,000 ZBDD nodes
for Fussell-Vesely) and :data:`portfolios.faulttree.MAX_LISTED_CUT_SETS` (1,000,000 listed cut
sets, ``limit=``).

The values were measured on the project's 2-core machine so that an accepted computation takes
seconds, not hours: the exact programme at :data:`MAX_EXACT_CELLS` takes about a second per
probability; a cut-set enumeration is refused within a few seconds of reaching
:data:`MAX_CUT_SETS` (before, ten cases on eight private assumptions each ran 82 s before the
refusal, twelve on forty 292 s). The modules that use a limit import it by name: change it
there for one run (``portfolios.cutsets.MAX_CUT_SETS = 10**6``).

Computations that are allowed but may take seconds (importance measures and scores of large
portfolios) accept ``progress=``, a callable ``progress(done, total)`` called after each step
(:data:`Progress`); the command line prints it on standard error.

Examples
--------
>>> import portfolios.limits as limits
>>> limits.MAX_CUT_SETS, limits.MAX_EXACT_CELLS == 2**24
(200000, True)
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = [
    "MAX_BDD_NODES",
    "MAX_CUT_SETS",
    "MAX_CUT_SET_TESTS",
    "MAX_ENUMERATE_EVENTS",
    "MAX_EXACT_CELLS",
    "MAX_INCLUSION_EXCLUSION_TARGETS",
    "MAX_LATENT",
    "MAX_LP_ATOMS",
    "MAX_LP_CELLS",
    "MAX_RECOMPILED_UNITS",
    "Progress",
]

#: Largest number of latent variables one computation may sum over (2^L latent states).
MAX_LATENT = 16
#: Largest table (2^k subsets of the cases sharing units times 2^L latent states) of the
#: ``"exact"`` dynamic programme.
MAX_EXACT_CELLS = 2**24
#: Largest number of targets summed over by inclusion-exclusion (2^18 subsets).
MAX_INCLUSION_EXCLUSION_TARGETS = 18
#: Largest number of events (latent variables, assumptions, soundness errors) enumerated.
MAX_ENUMERATE_EVENTS = 22
#: Largest number of BDD nodes built for a portfolio before the engine gives up.
MAX_BDD_NODES = 2_000_000
#: Largest number of partial cut sets kept while the minimal cut sets are enumerated.
MAX_CUT_SETS = 200_000
#: Largest number of subset tests spent keeping the partial cut sets minimal (a few seconds).
MAX_CUT_SET_TESTS = 30_000_000
#: Largest number of units walked by importance measures and rankings that compile the portfolio
#: again for every clamped probability (clamps x the units on the paths of every entry): other
#: methods than the exact programme's one plan, about 30 s at the limit.
MAX_RECOMPILED_UNITS = 4_000_000
#: Largest number of atoms (columns) of one unknown-dependence linear programme (14 groups).
MAX_LP_ATOMS = 2**14
#: Largest number of atoms over all the programmes of one bound (latent states x blocks).
MAX_LP_CELLS = 2**18

#: A progress callback: ``progress(done, total)`` after each of ``total`` steps.
Progress = Callable[[int, int], object]
