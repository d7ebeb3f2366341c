"""Units of the MEF probability layer: consistent models are read as written, others refused.

SCRAM (rakhimov/scram ``src/initializer.cc``) checks one thing: the ``unit=`` of a reference
against the parameter's declaration (and ``hours`` for the mission time). The dimensional
checks beyond it are ours (:mod:`portfolios.mefunits`); no unit is ever converted, so every
accepted model gives the number its plain values give.
"""

import math
import re

import pytest

from portfolios import PortfolioError, openpsa


def _load(tmp_path, body, event="<parameter name='q'/>"):
    text = (
        "<opsa-mef><define-fault-tree name='t'><define-gate name='top'><or><basic-event name='A'/>"
        "</or></define-gate>\n"
        f"<define-basic-event name='A'>{event}</define-basic-event>\n{body}\n"
        "</define-fault-tree></opsa-mef>"
    )
    path = tmp_path / "units.xml"
    path.write_text(text)
    return openpsa.load(path)


def _parameter(name, unit, expression):
    attr = f" unit='{unit}'" if unit else ""
    return f"<define-parameter name='{name}'{attr}>{expression}</define-parameter>"


def _float(v):
    return f"<float value='{v}'/>"


def _ref(name, unit=None):
    attr = f" unit='{unit}'" if unit else ""
    return f"<parameter name='{name}'{attr}/>"


ACCEPTED = [
    (  # a rate per hour over the mission time (hours)
        _parameter("lam", "hours-1", _float(1e-5))
        + _parameter("q", None, f"<exponential>{_ref('lam')}<system-mission-time/></exponential>"),
        -math.expm1(-1e-5 * 8760),
    ),
    (  # per year with years: the numbers as written
        _parameter("lam", "years-1", _float(0.1))
        + _parameter("T", "years", _float(2))
        + _parameter("q", None, f"<exponential>{_ref('lam', 'years-1')}{_ref('T')}</exponential>"),
        -math.expm1(-0.2),
    ),
    (  # fit converted by the model itself: a parameter in hours-1 = fit * 1e-9
        _parameter("f", "fit", _float(500))
        + _parameter("lam", "hours-1", f"<mul>{_ref('f')}{_float(1e-9)}</mul>")
        + _parameter("q", None, f"<exponential>{_ref('lam')}<system-mission-time/></exponential>"),
        -math.expm1(-500e-9 * 8760),
    ),
    (  # no unit anywhere: unchecked, as in SCRAM
        _parameter("lam", None, _float(0.1))
        + _parameter("q", None, f"<exponential>{_ref('lam')}{_float(2)}</exponential>"),
        -math.expm1(-0.2),
    ),
    (  # a unit-less parameter takes the unit of its expression; types carry no dimension
        _parameter("T", None, "<system-mission-time unit='hours'/>")
        + _parameter("lam", "hours-1", _float(1e-4))
        + _parameter("n", "int", "<int value='2'/>")
        + _parameter(
            "q",
            "float",
            f"<exponential><mul>{_ref('lam')}{_ref('n')}</mul>{_ref('T')}</exponential>",
        ),
        -math.expm1(-2e-4 * 8760),
    ),
    (  # a product of a rate and a time in the same scale
        _parameter("lam", "hours-1", _float(1e-4))
        + _parameter(
            "q",
            None,
            f"<sub>{_float(1)}<exp><neg><mul>{_ref('lam')}<system-mission-time/>"
            "</mul></neg></exp></sub>",
        ),
        -math.expm1(-1e-4 * 8760),
    ),
    (  # the 11-argument periodic test in hours (SCRAM's tests: 0.668316)
        _parameter("lam", "hours-1", _float(7e-4))
        + _parameter("tau", "hours", _float(120))
        + _parameter(
            "q",
            None,
            f"<periodic-test>{_ref('lam')}{_float(6e-4)}{_float(4e-4)}{_ref('tau')}"
            f"{_float(4740)}{_float(0.01)}{_float(20)}<bool value='true'/>{_float(0.9)}"
            f"{_float(0.01)}{_float(8760)}</periodic-test>",
        ),
        0.668316,
    ),
    (  # deviates keep the unit of their mean; a switch the unit of its values
        _parameter(
            "lam",
            "hours-1",
            f"<lognormal-deviate>{_float(1e-5)}{_float(3)}{_float(0.95)}</lognormal-deviate>",
        )
        + _parameter(
            "q",
            None,
            f"<exponential><switch><case><bool value='true'/>{_ref('lam')}</case>"
            f"{_float(1e-6)}</switch><system-mission-time/></exponential>",
        ),
        -math.expm1(-1e-5 * 8760),
    ),
]


@pytest.mark.parametrize(("body", "value"), ACCEPTED)
def test_consistent_units_are_read_as_written(tmp_path, body, value):
    T = _load(tmp_path, body)
    assert T.basic_events["A"] == pytest.approx(value, rel=1e-6)
    # never converted: without its units the model gives the same number, bit for bit
    plain = _load(tmp_path, re.sub(r" unit='[^']*'", "", body))
    assert plain.basic_events["A"] == T.basic_events["A"]


REFUSED = [
    (
        _parameter("lam", "years-1", _float(0.1))
        + _parameter("q", None, f"<exponential>{_ref('lam')}<system-mission-time/></exponential>"),
        r"line 3: expression entry 'q': <exponential>: hours and years-1 are mixed: write them "
        "in one time unit",
    ),
    (
        _parameter("f", "fit", _float(500))
        + _parameter("q", None, f"<exponential>{_ref('f')}<system-mission-time/></exponential>"),
        r"<exponential>: hours and fit are mixed: fit counts failures per 10\^9 hours",
    ),
    (
        _parameter("T", "hours", _float(10))
        + _parameter("q", None, f"<exponential>{_ref('T')}<system-mission-time/></exponential>"),
        r"argument 1 is in hours, where exponential takes a rate",
    ),
    (
        _parameter("q", "hours-1", _float(1e-3)),
        r"line 2: expression entry 'A': <parameter>: the expression is in hours-1: "
        "a probability has no unit",
    ),
    (
        _parameter("lam", "hours-1", _float(1e-3))
        + _parameter("q", None, f"<exponential>{_ref('lam', 'years-1')}{_float(1)}</exponential>"),
        r"<parameter>: unit='years-1' but parameter 'lam' is declared in hours-1",
    ),
    (
        _parameter("lam", None, _float(1e-3))
        + _parameter("q", None, f"<exponential>{_ref('lam', 'hours-1')}{_float(1)}</exponential>"),
        r"unit='hours-1' but parameter 'lam' is declared without a unit",
    ),
    (
        _parameter(
            "q",
            None,
            f"<exponential>{_float(1e-3)}<system-mission-time unit='years'/></exponential>",
        ),
        r"<system-mission-time>: unit='years', but the mission time is in hours",
    ),
    (
        _parameter("y", "years-1", _float(0.1))
        + _parameter("lam", "hours-1", _ref("y"))
        + _parameter("q", None, _float(0.1)),
        r"line 3: expression entry 'lam': <define-parameter>: parameter 'lam' is declared in "
        "hours-1 but its expression is in years-1",
    ),
    (
        _parameter("lam", "hours-1", f"<exponential>{_float(0.1)}{_float(1)}</exponential>")
        + _parameter("q", None, _float(0.1)),
        r"parameter 'lam' is declared in hours-1 but its expression is a probability",
    ),
    (
        _parameter("T", "years", _float(1))
        + _parameter(
            "q", None, f"<mul>{_float(1e-6)}<add>{_ref('T')}<system-mission-time/></add></mul>"
        ),
        r"<add>: the expression mixes hours and years",
    ),
    (
        _parameter("lam", "years-1", _float(0.1))
        + _parameter(
            "q",
            None,
            f"<sub>{_float(1)}<exp><neg><mul>{_ref('lam')}"
            "<system-mission-time/></mul></neg></exp></sub>",
        ),
        r"<mul>: hours and years-1 are mixed",
    ),
    (
        _parameter("tau", "years", _float(1))
        + _parameter(
            "q",
            None,
            f"<periodic-test>{_float(1e-4)}{_ref('tau')}{_float(10)}"
            "<system-mission-time/></periodic-test>",
        ),
        r"<periodic-test>: hours and years are mixed",
    ),
    (
        _parameter("g", "hours", _float(0.1))
        + _parameter(
            "q", None, f"<GLM>{_ref('g')}{_float(1e-4)}{_float(1e-2)}<system-mission-time/></GLM>"
        ),
        r"argument 1 is in hours, where GLM takes a number without a dimension",
    ),
]


@pytest.mark.parametrize(("body", "message"), REFUSED)
def test_inconsistent_units_are_refused_with_their_place(tmp_path, body, message):
    with pytest.raises(PortfolioError, match=r"units\.xml, line \d+: "):
        _load(tmp_path, body)
    with pytest.raises(PortfolioError, match=message):
        _load(tmp_path, body)


def test_a_ccf_distribution_must_be_a_probability(tmp_path):
    text = """<opsa-mef><define-fault-tree name="t">
      <define-gate name="top"><and><basic-event name="p1"/><basic-event name="p2"/></and>
      </define-gate></define-fault-tree>
      <define-CCF-group name="pumps" model="beta-factor">
        <members><basic-event name="p1"/><basic-event name="p2"/></members>
        <distribution><parameter name="lam"/></distribution>
        <factor level="2"><float value="0.1"/></factor>
      </define-CCF-group>
      <model-data><define-parameter name="lam" unit="hours-1"><float value="1e-3"/>
      </define-parameter></model-data></opsa-mef>"""
    path = tmp_path / "ccf.xml"
    path.write_text(text)
    with pytest.raises(PortfolioError, match=r"ccf\.xml, line 6.*'pumps'.*in hours-1: a prob"):
        openpsa.load(path)


# --------------------------------------------------------------------------- built-in arguments


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("<exponential><float value='-1e-3'/><float value='10'/></exponential>", r"lambda >= 0"),
        ("<exponential><float value='1e-3'/><float value='-10'/></exponential>", r"a time t >= 0"),
        (
            "<GLM><float value='1.2'/><float value='1e-3'/><float value='0'/><float value='1'/>"
            "</GLM>",
            r"gamma in \[0, 1\] \(got 1.2\)",
        ),
        (
            "<GLM><float value='0.1'/><float value='0'/><float value='0'/><float value='1'/></GLM>",
            r"lambda > 0",
        ),
        (
            "<GLM><float value='0.1'/><float value='1e-3'/><float value='-1'/><float value='1'/>"
            "</GLM>",
            r"mu >= 0",
        ),
        (
            "<Weibull><float value='0'/><float value='2'/><float value='0'/><float value='1'/>"
            "</Weibull>",
            r"alpha > 0",
        ),
        (
            "<Weibull><float value='10'/><float value='-2'/><float value='0'/><float value='1'/>"
            "</Weibull>",
            r"beta > 0",
        ),
        (
            "<Weibull><float value='10'/><float value='2'/><float value='-1'/><float value='1'/>"
            "</Weibull>",
            r"t0 >= 0",
        ),
    ],
)
def test_built_in_arguments_are_validated_as_scram_does(tmp_path, expression, message):
    # SCRAM's src/expression/exponential.cc validates the same domains
    with pytest.raises(PortfolioError, match=r"line 2: expression entry 'A': <\w+>: needs "):
        _load(tmp_path, "", event=expression)
    with pytest.raises(PortfolioError, match=message):
        _load(tmp_path, "", event=expression)
