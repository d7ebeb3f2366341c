r"""The size limits of :mod:`infrabayes`: every exponential enumeration is bounded here.

Some inputs are small to write and exponential to evaluate: a mixture has the *product* of its
components' generator counts; a decision problem with :math:`n` binary information sets has
:math:`2^n` policies; a tree that shares subtrees (one node object under several branches) has
as many root-to-leaf paths as its unfolding. Each such enumeration is counted before it starts,
and refused with a :class:`SizeLimitError` (a ``ValueError``) that says the size it would need,
the limit, and the cheaper route where there is one. Computations within the limits that may
take seconds accept a ``progress=`` callback (``progress(done, total)``, see
:func:`check_progress`).

============================== ===== ==========================================================
limit                          value what it bounds
============================== ===== ==========================================================
:data:`MAX_MIXTURE_GENERATORS` 10**6 generators of a mixture (the product of the counts)
:data:`MAX_POLICIES`           2**20 deterministic policies of a decision problem
:data:`MAX_PREDICTIONS`        2**16 hard-coded predictions (environments of the Nirvana trick)
:data:`MAX_PATH_STEPS`         2**22 nodes summed over the root-to-leaf paths of a tree
:data:`MAX_TABLE_ENTRIES`      2**25 entries of each matrix of a decision problem
:data:`MAX_CAUSAL_PRODUCTS`    2**33 multiply-adds of IB's causal values
:data:`MAX_PYTHON_OPERATIONS`  2**22 operations one at a time in Python (CDT, EDT, naive)
============================== ===== ==========================================================

The values were measured on the project's 2-core machine so that an accepted computation takes
seconds and at most a few hundred megabytes, not hours: the "n rooms" benchmark problem with
:math:`2^{13}` policies and :math:`2^{13}` predictions (:math:`4.4 \cdot 10^9` products) is
solved under IB in about 2 s, while :math:`2^{14} \times 2^{14}` (15 s) is refused with the
pointer to UDT, which solves it in 0.1 s; CDT runs about :math:`4 \cdot 10^{-7}` s per Python
operation with small fractions (exact arithmetic on long paths is slower: the limits count
operations, not digits, and float problems avoid it). Change a limit by assigning to it here
(``infrabayes.limits.MAX_POLICIES = 2**22``): the code reads it at call time.

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes import Infradistribution, mixture
>>> import infrabayes.limits as limits
>>> H = Infradistribution([{"a": 1, "b": 0}, {"a": 0, "b": 1}])
>>> limits.MAX_MIXTURE_GENERATORS
1000000
>>> mixture([H] * 20, [F(1, 20)] * 20)
Traceback (most recent call last):
...
infrabayes.limits.SizeLimitError: mixture: the product of the components would have 1048576 ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "MAX_CAUSAL_PRODUCTS",
    "MAX_MIXTURE_GENERATORS",
    "MAX_PATH_STEPS",
    "MAX_POLICIES",
    "MAX_PREDICTIONS",
    "MAX_PYTHON_OPERATIONS",
    "MAX_TABLE_ENTRIES",
    "Progress",
    "SizeLimitError",
    "check_progress",
    "power_of_two",
]

#: A mixture with more generators than this (the product of the components' counts) is refused.
MAX_MIXTURE_GENERATORS = 1_000_000
#: A decision problem with more deterministic policies than this is refused (they are enumerated).
MAX_POLICIES = 2**20
#: ... and with more hard-coded predictions (assignments to the information sets predictors read).
MAX_PREDICTIONS = 2**16
#: A problem tree whose root-to-leaf paths (the visible deviations of the Nirvana trick included)
#: hold more nodes than this in total is refused before it is flattened. A subtree shared by
#: several branches counts once per path through it: sharing saves typing, not work.
MAX_PATH_STEPS = 2**22
#: A problem is refused when one of its matrices would hold more entries than this: the
#: indicators (policies x leaves) or the weights (leaves x predictions), 256 MB in float64.
MAX_TABLE_ENTRIES = 2**25
#: IB's causal hypothesis (the Nirvana trick) values every policy against every prediction: a
#: solve needing more than this many multiply-adds (policies x predictions x leaves) is refused.
MAX_CAUSAL_PRODUCTS = 2**33
#: CDT, EDT and naive conditioning evaluate leaves one at a time in Python: a solve needing more
#: than this many operations (per leaf: one, plus one per decision and predictor on its path) is
#: refused.
MAX_PYTHON_OPERATIONS = 2**22

#: The type of a ``progress=`` callback: called as ``progress(done, total)`` with ints.
Progress = Callable[[int, int], Any]


class SizeLimitError(ValueError):
    """A computation would exceed one of the limits of :mod:`infrabayes.limits`.

    The message says the size it would need, the limit by name, and the cheaper route where one
    exists. A ``ValueError``: the input is too large for the method asked for.
    """


def check_progress(progress: Any) -> Progress | None:
    """Return `progress` if it is None or callable; raise a TypeError otherwise.

    A progress callback is called as ``progress(done, total)`` after each unit of work (``done``
    from 1 to ``total``); its return value is ignored. Any exception it raises propagates, which
    is how a caller can interrupt a long computation.

    Examples
    --------
    >>> check_progress(None) is None
    True
    >>> check_progress("tqdm")
    Traceback (most recent call last):
    ...
    TypeError: progress must be None or a callable progress(done, total); got 'tqdm'
    """
    if progress is None or callable(progress):
        return progress
    raise TypeError(f"progress must be None or a callable progress(done, total); got {progress!r}")


def power_of_two(n: int) -> str:
    """Return `n` for a message: ``"1048576 (2^20)"`` for a power of two, else ``"1000"``.

    Examples
    --------
    >>> power_of_two(2**20), power_of_two(1000)
    ('1048576 (2^20)', '1000')
    """
    if n > 0 and n & (n - 1) == 0:
        return f"{n} (2^{n.bit_length() - 1})"
    return str(n)
