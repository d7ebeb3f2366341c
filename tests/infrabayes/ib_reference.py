"""A second, deliberately naive implementation of the infra-Bayes formulas, for the tests.

Plain Python loops over generators stored as (dict outcome -> mass, b), with Fractions. It shares
no code with the library's array implementation: only the definitions stated in its module
docstrings (after Diffractor & Kosoy, "Basic Inframeasure Theory", 2020).
"""

import math

from infrabayes import NIRVANA


def gens_of(h):
    """The generators of an Infradistribution as a list of (dict, b)."""
    return [(g.as_dict(), g.b) for g in h.generators]


def value(m, b, f, nirvana=math.inf):
    """m(f) + b, with NIRVANA worth `nirvana` (f is a dict on the ordinary outcomes)."""
    total = b
    for x, mass in m.items():
        if x is NIRVANA:
            if mass > 0 and nirvana == math.inf:
                return math.inf
            total += mass * (1 if nirvana == 1 else 0)
        else:
            total += mass * f[x]
    return total


def expect(gens, f, nirvana=math.inf):
    """Murphy's expectation: the minimum over the generators."""
    return min(value(m, b, f, nirvana) for m, b in gens)


def glue(f, likelihood, g):
    """f *_L g = L f + (1 - L) g on the ordinary outcomes."""
    return {x: likelihood[x] * f[x] + (1 - likelihood[x]) * g[x] for x in f}


def const(outcomes, c):
    return {x: c for x in outcomes if x is not NIRVANA}


def set_update(gens, likelihood, g):
    """The update as a set computation (Nirvana-free generators): raw points, shift, divide."""
    ordinary = [x for x in gens[0][0] if x is not NIRVANA]
    zero, one = const(ordinary, 0), const(ordinary, 1)
    e0 = expect(gens, glue(zero, likelihood, g))
    p = expect(gens, glue(one, likelihood, g)) - e0
    out = []
    for m, b in gens:
        raw_m = {x: likelihood[x] * m[x] for x in m}
        raw_b = b + sum(m[x] * (1 - likelihood[x]) * g[x] for x in ordinary)
        out.append(({x: v / p for x, v in raw_m.items()}, (raw_b - e0) / p))
    return out, p


def functional_update(gens, likelihood, g, f):
    """(E_H(f *_L g) - E_H(0 *_L g)) / P, from the prior alone."""
    zero, one = const(f, 0), const(f, 1)
    e0 = expect(gens, glue(zero, likelihood, g))
    p = expect(gens, glue(one, likelihood, g)) - e0
    return (expect(gens, glue(f, likelihood, g)) - e0) / p
