r"""Units of the Open-PSA MEF probability layer: checked, never converted.

Definitions
-----------
A parameter may declare a unit (``<define-parameter unit=...>``): ``bool``, ``int`` and ``float``
are types and carry no dimension; ``hours`` and ``years`` are times; ``hours-1``, ``years-1`` and
``fit`` (failures per :math:`10^9` hours) are rates; ``demands`` is a count. The unit of an
expression is inferred from its arguments, bottom up, and is *unknown* whenever it cannot be
told for sure:

* a constant (``float``, ``int``, ``bool``, ``pi``) and a parameter declaring no unit (or a
  type), unless its expression has a known unit, are unknown: like SCRAM, an unannotated model
  is not checked;
* ``<system-mission-time/>`` is in hours (:func:`~portfolios.openpsa.load` takes it in hours);
* ``add sub min max mean neg abs ceil floor mod``, the values of ``ite`` and ``switch``, and the
  deviates ``uniform-deviate``, ``normal-deviate``, ``histogram`` (its boundaries),
  ``lognormal-deviate`` (its mean) and ``gamma-deviate`` (its scale) have the unit of their
  arguments, which must agree; a comparison's two sides must agree too;
* in ``mul`` and ``div`` the times must all be in one time unit, the rates in one rate unit, and
  the rates in the inverse of the times; the result is unknown (a product with a number may be
  a conversion, as ``fit`` times ``1e-9`` is ``hours-1``);
* the built-ins ``exponential``, ``GLM``, ``Weibull`` and ``periodic-test`` take their rates
  (``lambda``, ``mu``, ``lambda*``) in a rate unit, their times (``t``, ``tau``, ``theta``,
  ``pi``, Weibull's ``alpha`` and ``t0``) in a time unit, the same one (``hours-1`` with
  ``hours``, ``years-1`` with ``years``; ``fit`` with neither), and their probabilities and
  shapes without a dimension; their value is a probability;
* other functions (``exp``, ``log``, ``pow``, ...) are not checked and give an unknown unit.

A parameter's expression must have its declared unit when both are known, a reference's
``unit=`` must be the parameter's declared unit (SCRAM's one check), and the expression of a
basic event, a CCF distribution, a CCF factor or an event tree's ``<collect-expression>`` must
not be a time, a rate or a count; an initiating event's frequency (the product of its
``<collect-expression>`` elements) must not be a time or a count.

**Refused, not converted.** A model that mixes hours and years, or uses ``fit`` as a rate per
hour, is refused with an error naming the file, the line and the element. Converting was
rejected for three reasons: the MEF does not say how many hours a year has (8760 or 8766);
plain numbers carry no unit, so rescaling the parameters that have one would change the meaning
of expressions that mix them with numbers (``<mul>`` of a rate per year and ``8760``); and
SCRAM, the reference implementation, computes with the numbers as written, so a converted
model would give a number different from SCRAM's on the same file. Every accepted model gives
the numbers SCRAM gives.
"""

from __future__ import annotations

from collections.abc import Sequence

from .mefexpr import Where

__all__ = [
    "PROBABILITY",
    "Unit",
    "check_frequency",
    "check_mission_time",
    "check_parameter",
    "check_probability",
    "check_reference",
    "combine",
    "declared",
]

#: The unit of an expression: a MEF unit, :data:`PROBABILITY`, or None (unknown, unchecked).
Unit = str | None
#: The unit of a built-in's value: a probability, no dimension.
PROBABILITY = "probability"
_TIMES = {"hours": "hours", "years": "years"}  # unit -> its time scale
_RATES = {"hours-1": "hours", "years-1": "years", "fit": "1e9 hours"}
_DIMENSIONED = {*_TIMES, *_RATES, "demands"}
_SAME = {"add", "sub", "min", "max", "mean", "neg", "abs", "ceil", "floor", "mod"}
_COMPARE = {"eq", "df", "lt", "gt", "leq", "geq"}
#: Argument kinds of the built-ins: r a rate, t a time, p no dimension.
_BUILT_INS = {
    ("exponential", 2): "rt",
    ("GLM", 4): "prrt",
    ("Weibull", 4): "tptt",
    ("periodic-test", 4): "rttt",
    ("periodic-test", 5): "rrttt",
    ("periodic-test", 11): "rrrttptpppt",
}
_KIND = {
    "r": "a rate (hours-1, years-1 or fit)",
    "t": "a time (hours or years)",
    "p": "a number without a dimension",
}


def declared(unit: str | None) -> Unit:
    """Return the dimension-carrying unit of a declaration (None for none or a type).

    Examples
    --------
    >>> declared("hours-1"), declared("float"), declared(None)
    ('hours-1', None, None)
    """
    return unit if unit in _DIMENSIONED else None


def _fits(unit: str, kind: str) -> bool:
    if kind == "r":
        return unit in _RATES
    if kind == "t":
        return unit in _TIMES
    return unit not in _DIMENSIONED


def _same_scale(units: Sequence[Unit], where: Where) -> None:
    """Refuse times and rates in more than one time scale (``hours-1`` goes with ``hours``)."""
    times = sorted({u for u in units if u in _TIMES})
    rates = sorted({u for u in units if u in _RATES})
    scales = {_TIMES[u] for u in times} | {_RATES[u] for u in rates}
    if len(times) > 1 or len(rates) > 1 or len(scales) > 1:
        shown = " and ".join(times + rates)
        hint = (
            ": fit counts failures per 10^9 hours; define a parameter in hours-1 as the fit "
            "value times 1e-9"
            if "fit" in rates and (times or len(rates) > 1)
            else ": write them in one time unit (units are checked, not converted; the MEF does "
            "not fix the hours in a year)"
        )
        raise where.error(f"{shown} are mixed{hint}")


def _agree(units: Sequence[Unit], where: Where, what: str) -> Unit:
    known = sorted({u for u in units if u is not None})
    if len(known) > 1:
        raise where.error(
            f"{what} mixes {' and '.join(known)}: its arguments must have one unit "
            "(units are checked, not converted)"
        )
    return known[0] if known else None


def combine(op: str, args: Sequence[Unit], where: Where) -> Unit:
    """Return the unit of ``op`` over arguments of units ``args``, or raise where they clash.

    Examples
    --------
    >>> here = Where("m.xml", 3, "exponential", "pump")
    >>> combine("exponential", ["hours-1", "hours"], here)
    'probability'
    >>> combine("exponential", ["years-1", "hours"], here)
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: m.xml, line 3: expression entry 'pump': <exponential>: \
hours and years-1 are mixed: write them in one time unit (units are checked, not converted; \
the MEF does not fix the hours in a year)
    >>> combine("add", ["hours", None], here), combine("mul", ["hours-1", None], here)
    ('hours', None)
    """
    built_in = _BUILT_INS.get((op, len(args)))
    if built_in is not None:
        for i, (unit, kind) in enumerate(zip(args, built_in, strict=True)):
            if unit is not None and not _fits(unit, kind):
                raise where.error(f"argument {i + 1} is in {unit}, where {op} takes {_KIND[kind]}")
        _same_scale(args, where)
        return PROBABILITY
    if op in _SAME:
        return _agree(args, where, "the expression")
    if op in _COMPARE:
        _agree(args, where, "the comparison")
        return None
    if op in ("mul", "div"):
        _same_scale(args, where)
        return None
    if op == "ite":
        return _agree(args[1:], where, "the two branches")
    if op == "switch":
        return _agree([*args[1:-1:2], args[-1]], where, "the values")
    if op in ("uniform-deviate", "normal-deviate"):
        return _agree(args, where, "the deviate")
    if op == "histogram":
        return _agree([args[0], *args[1::2]], where, "the boundaries")
    if op == "lognormal-deviate" and len(args) == 3:
        for unit in args[1:]:
            if unit in _DIMENSIONED:
                raise where.error(f"the error factor and level have no unit, got {unit}")
        return args[0]
    if op == "gamma-deviate":
        if args[0] in _DIMENSIONED:
            raise where.error(f"the shape k has no unit, got {args[0]}")
        return args[1]
    return None


def check_probability(unit: Unit, where: Where) -> None:
    """Refuse a probability whose expression is a time, a rate or a count."""
    if unit in _DIMENSIONED:
        raise where.error(f"the expression is in {unit}: a probability has no unit")


def check_frequency(unit: Unit, where: Where) -> None:
    """Refuse an initiating event's frequency whose expression is a time or a count.

    A frequency is a number of events per unit of time: a rate (``hours-1``, ``years-1``,
    ``fit``), a probability (per mission) or a number whose unit is unknown.

    Examples
    --------
    >>> w = Where("m.xml", 3, "define-initiating-event", "LOCA")
    >>> check_frequency("years-1", w)
    >>> check_frequency("hours", w)
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: m.xml, line 3...: the frequency's expression is in hours: ...
    """
    if unit in _TIMES or unit == "demands":
        raise where.error(
            f"the frequency's expression is in {unit}: a frequency is per unit of time "
            "(a rate such as years-1)"
        )


def check_parameter(name: str, unit: str | None, inferred: Unit, where: Where) -> Unit:
    """Check a parameter's expression against its declared unit; return its unit."""
    mine = declared(unit)
    if mine is not None and inferred is not None and inferred != mine:
        what = "a probability" if inferred == PROBABILITY else f"in {inferred}"
        raise where.error(f"parameter {name!r} is declared in {mine} but its expression is {what}")
    return mine if mine is not None else inferred


def check_reference(name: str, unit: str | None, given: str | None, where: Where) -> None:
    """Check a reference's ``unit=`` against the parameter's declaration (as SCRAM does)."""
    if given is not None and given != unit:
        raise where.error(
            f"unit={given!r} but parameter {name!r} is declared "
            + (f"in {unit}" if unit is not None else "without a unit")
        )


def check_mission_time(given: str | None, where: Where) -> None:
    """Refuse a ``unit=`` of the mission time other than hours."""
    if given is not None and given != "hours":
        raise where.error(f"unit={given!r}, but the mission time is in hours")
