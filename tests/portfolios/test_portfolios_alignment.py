"""Open-PSA MEF alignments: one analysis per phase, SCRAM's checks, hand-derived values.

SCRAM (GPL-3; its numbers and checks used, not its files) publishes no probability for an
alignment (``tests/risk_analysis_tests.cc`` only checks that the two-train maintenance
report is valid); its checks are those of ``src/alignment.cc`` (a time fraction in (0, 1],
fractions summing to 1 within a relative 1e-4) and ``tests/initializer_tests.cc`` (which
alignment files are refused). The values below are derived by hand in the comments.
"""

import math
from fractions import Fraction
from pathlib import Path

import pytest

from portfolios import PortfolioError, UnknownIdError, openpsa
from portfolios.alignment import ALIGNMENT_SUM_TOL, AlignmentSolution

# Two trains (valve or pump or the pump out for maintenance), pumps and valves in beta-factor
# CCF groups (Q = 0.1, beta = 0.2), and an alignment: normal operation, then each pump out.
MAINTENANCE = """<?xml version="1.0"?>
<opsa-mef>
  <define-alignment name="Maintenance">
    <define-phase name="Normal" time-fraction="0.99452"/>
    <define-phase name="PumpOneOut" time-fraction="0.00274">
      <set-house-event name="PumpOneMaintenance"><constant value="true"/></set-house-event>
    </define-phase>
    <define-phase name="PumpTwoOut" time-fraction="0.00274">
      <set-house-event name="PumpTwoMaintenance"><constant value="true"/></set-house-event>
    </define-phase>
  </define-alignment>
  <define-fault-tree name="Trains">
    <define-gate name="Top"><and><gate name="TrainOne"/><gate name="TrainTwo"/></and></define-gate>
    <define-gate name="TrainOne">
      <or><basic-event name="ValveOne"/><basic-event name="PumpOne"/>
        <house-event name="PumpOneMaintenance"/></or>
    </define-gate>
    <define-gate name="TrainTwo">
      <or><basic-event name="ValveTwo"/><basic-event name="PumpTwo"/>
        <house-event name="PumpTwoMaintenance"/></or>
    </define-gate>
    <define-house-event name="PumpOneMaintenance"><constant value="false"/></define-house-event>
    <define-house-event name="PumpTwoMaintenance"><constant value="false"/></define-house-event>
  </define-fault-tree>
  <define-CCF-group name="Pumps" model="beta-factor">
    <members><basic-event name="PumpOne"/><basic-event name="PumpTwo"/></members>
    <distribution><float value="0.1"/></distribution>
    <factor level="2"><float value="0.2"/></factor>
  </define-CCF-group>
  <define-CCF-group name="Valves" model="beta-factor">
    <members><basic-event name="ValveOne"/><basic-event name="ValveTwo"/></members>
    <distribution><float value="0.1"/></distribution>
    <factor level="2"><float value="0.2"/></factor>
  </define-CCF-group>
</opsa-mef>
"""

# Hand derivation: each member fails alone with (1 - beta) Q = 0.08, a pair together with
# beta Q = 0.02. Normal: top = (vc or pc) or ((v1 or p1) and (v2 or p2)), so
# P = 1 - 0.98^2 + 0.98^2 (1 - 0.92^2)^2. A pump out: top = train two = 1 - 0.92^2 0.98^2.
_S, _C = Fraction(92, 100), Fraction(98, 100)
NORMAL = 1 - _C**2 + _C**2 * (1 - _S**2) ** 2
ONE_OUT = 1 - _S**2 * _C**2
FRACTIONS = [Fraction("0.99452"), Fraction("0.00274"), Fraction("0.00274")]


def _load(tmp_path, text, name="m.xml", **options):
    path = tmp_path / name
    path.write_text(text)
    return openpsa.load(path, **options)


def test_maintenance_phases(tmp_path):
    T = _load(tmp_path, MAINTENANCE)
    assert list(T.alignments) == ["Maintenance"] and "alignments Maintenance" in repr(T)
    result = T.phases()
    assert isinstance(result, AlignmentSolution) and result.gates == ("Top",)
    got = [p.probabilities["Top"] for p in result.phases]
    want = [float(NORMAL), float(ONE_OUT), float(ONE_OUT)]
    assert got == pytest.approx(want, rel=1e-12)
    mean = sum(f * p for f, p in zip(FRACTIONS, [NORMAL, ONE_OUT, ONE_OUT], strict=True))
    assert result.time_average["Top"] == pytest.approx(float(mean), rel=1e-12)
    # the phases do not leak into the model as loaded
    assert T.house_events == {"PumpOneMaintenance": False, "PumpTwoMaintenance": False}
    assert T.probability("Top") == pytest.approx(float(NORMAL), rel=1e-12)
    phase = T.alignments["Maintenance"].phases[1]
    assert phase.house_events == {"PumpOneMaintenance": True}
    assert phase.tree.house_events["PumpOneMaintenance"] is True
    assert phase.mission_time == pytest.approx(0.00274 * 8760)


def test_gates_and_repr(tmp_path):
    result = _load(tmp_path, MAINTENANCE).phases("Maintenance", gates=["TrainOne", "Top"])
    assert [p.probabilities["TrainOne"] for p in result.phases][1] == 1.0  # the pump is out
    text = repr(result)
    assert "PumpOneOut (0.00274)" in text and "time-weighted mean" in text
    html = result._repr_html_()
    assert "<table>" in html and "PumpOneMaintenance=true" in html
    assert "Phase('Normal', time fraction 0.99452; no house event set)" in repr(
        _load(tmp_path, MAINTENANCE).alignments["Maintenance"].phases[0]
    )


def test_mission_time_is_the_phase_share(tmp_path):
    # p = 1 - exp(-lambda t) over <system-mission-time/>: each phase sees t = f T (SCRAM)
    text = """<?xml version="1.0"?><opsa-mef>
      <define-alignment name="A">
        <define-phase name="short" time-fraction="0.25"/>
        <define-phase name="long" time-fraction="0.75"/>
      </define-alignment>
      <define-fault-tree name="t"><define-gate name="top"><or><basic-event name="x"/>
        <basic-event name="y"/></or></define-gate></define-fault-tree>
      <model-data>
        <define-basic-event name="x"><exponential><float value="1e-3"/><system-mission-time/>
          </exponential></define-basic-event>
        <define-basic-event name="y"><float value="0.5"/></define-basic-event>
      </model-data></opsa-mef>"""
    T = _load(tmp_path, text, mission_time=1000.0)
    result = T.phases()
    for p, f in zip(result.phases, (0.25, 0.75), strict=True):
        q = -math.expm1(-1e-3 * f * 1000.0)
        assert p.mission_time == f * 1000.0
        assert p.probabilities["top"] == pytest.approx(1 - (1 - q) * 0.5, rel=1e-12)
    assert T.probability() == pytest.approx(1 - math.exp(-1.0) * 0.5, rel=1e-12)


def test_phase_after_load_house_events(tmp_path):
    # load(house_events=...) applies to every phase; a phase's own settings win
    T = _load(tmp_path, MAINTENANCE, house_events={"PumpTwoMaintenance": True})
    result = T.phases()
    assert [p.probabilities["Top"] for p in result.phases] == pytest.approx(
        [float(ONE_OUT), 1.0, float(ONE_OUT)], rel=1e-12
    )


def _alignment(phases, extra=""):
    body = "".join(phases)
    return (
        '<?xml version="1.0"?>\n<opsa-mef>\n'
        f'<define-alignment name="one">\n{body}</define-alignment>{extra}\n'
        '<define-fault-tree name="t"><define-gate name="top"><or><basic-event name="x"/>'
        '<house-event name="H"/></or></define-gate></define-fault-tree>'
        '<model-data><define-basic-event name="x"><float value="0.1"/></define-basic-event>'
        '<define-house-event name="H"/></model-data></opsa-mef>'
    )


def _phase(name, fraction, body=""):
    return f'<define-phase name="{name}" time-fraction="{fraction}">{body}</define-phase>\n'


SET_H = '<set-house-event name="H"><constant value="true"/></set-house-event>'


@pytest.mark.parametrize(
    "phases",
    [
        [_phase("one", 1)],
        [_phase("a", 0.1), _phase("b", 0.2), _phase("c", 0.3), _phase("d", 0.4)],
        [_phase("a", 0.5), _phase("b", 0.5 + 0.9 * ALIGNMENT_SUM_TOL)],  # within tolerance
        [_phase("a", 0.5, SET_H), _phase("b", 0.5)],
    ],
)
def test_valid_alignments(tmp_path, phases):
    T = _load(tmp_path, _alignment(phases))
    assert len(T.phases().phases) == len(phases)


def test_same_phase_names_in_two_alignments(tmp_path):
    other = '<define-alignment name="two">' + _phase("one", 1) + "</define-alignment>"
    T = _load(tmp_path, _alignment([_phase("one", 1)], other))
    assert list(T.alignments) == ["one", "two"]
    with pytest.raises(PortfolioError, match="2 alignments"):
        T.phases()
    with pytest.raises(UnknownIdError, match="unknown alignment 'three'"):
        T.phases("three")
    assert T.phases("two").alignment == "two"


@pytest.mark.parametrize(
    ("phases", "message", "section"),
    [
        ([], "at least one phase", "define-alignment"),
        ([_phase("a", 0.5), _phase("a", 0.5)], "defined twice", "define-alignment"),
        ([_phase("a", 1.1)], "in \\(0, 1\\]", "define-phase"),
        ([_phase("a", 0)], "in \\(0, 1\\]", "define-phase"),
        ([_phase("a", -0.1)], "in \\(0, 1\\]", "define-phase"),
        ([_phase("a", "half")], "in \\(0, 1\\]", "define-phase"),
        ([_phase("a", 0.1), _phase("b", 1)], "sum to 1.1", "define-alignment"),
        ([_phase("a", 0.5), _phase("b", 0.4)], "sum to 0.9", "define-alignment"),
        (
            [_phase("a", 0.5), _phase("b", 0.5 + 2 * ALIGNMENT_SUM_TOL)],
            "ALIGNMENT_SUM_TOL",
            "define-alignment",
        ),
        (
            [
                _phase(
                    "a", 1, '<set-house-event name="Z"><constant value="true"/></set-house-event>'
                )
            ],
            "unknown house event 'Z'",
            "set-house-event",
        ),
        (
            [
                _phase(
                    "a", 1, '<set-house-event name="x"><constant value="true"/></set-house-event>'
                )
            ],
            "unknown house event 'x'",
            "set-house-event",
        ),
        (
            [_phase("a", 1, '<set-house-event name="H"><float value="1"/></set-house-event>')],
            "constant",
            "set-house-event",
        ),
        (
            [_phase("a", 1, '<collect-formula><constant value="true"/></collect-formula>')],
            "unsupported instruction",
            "define-phase",
        ),
    ],
)
def test_refused_alignments(tmp_path, phases, message, section):
    with pytest.raises(PortfolioError, match=message) as info:
        _load(tmp_path, _alignment(phases), "bad.xml")
    err = info.value
    assert err.file.endswith("bad.xml") and err.line is not None and err.line > 1
    assert err.section == section


def test_duplicate_alignment(tmp_path):
    other = '<define-alignment name="one">' + _phase("a", 1) + "</define-alignment>"
    with pytest.raises(PortfolioError, match="defined twice") as info:
        _load(tmp_path, _alignment([_phase("a", 1)], other))
    assert info.value.entry == "one" and info.value.line is not None


def test_no_alignment(tmp_path):
    text = _alignment([_phase("a", 1)]).replace(
        '<define-alignment name="one">\n' + _phase("a", 1) + "</define-alignment>", ""
    )
    T = _load(tmp_path, text)
    with pytest.raises(PortfolioError, match="no alignment"):
        T.phases()


def test_phases_with_substitutions(tmp_path):
    # top = (x and y) or H, x and y exclusive (delete terms); P(x) = 0.1, P(y) = 0.5
    text = _alignment([_phase("normal", 0.5), _phase("out", 0.5, SET_H)]).replace(
        '<basic-event name="x"/>', '<and><basic-event name="x"/><basic-event name="y"/></and>'
    )
    text = text.replace(
        '<define-house-event name="H"/>',
        '<define-house-event name="H"/>'
        '<define-basic-event name="y"><float value="0.5"/></define-basic-event>',
    ).replace(
        "</opsa-mef>",
        '<define-substitution name="S"><hypothesis><and><basic-event name="x"/>'
        '<basic-event name="y"/></and></hypothesis><target><constant value="false"/>'
        "</target></define-substitution></opsa-mef>",
    )
    T = _load(tmp_path, text)
    plain = T.phases()
    assert [p.probabilities["top"] for p in plain.phases] == pytest.approx([0.05, 1.0])
    result = T.phases(substitutions=True)
    # normal: x and y, excluded: 0; out: H true, not (x and y): 1 - 0.05
    assert [p.probabilities["top"] for p in result.phases] == pytest.approx([0.0, 0.95])
    assert result.substituted and "with substitutions" in repr(result)
    assert result.time_average["top"] == pytest.approx(0.475)


def test_phase_solution_repr(tmp_path):
    result = _load(tmp_path, MAINTENANCE).phases()
    assert repr(result.phases[1]).startswith("PhaseSolution('PumpOneOut', time fraction 0.00274")


def test_engine_options_reach_the_phases():
    src = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "two-trains.xml"
    T = openpsa.load(src).with_options(backend="python", max_nodes=10_000)
    for p in T.alignments["year"].phases:
        assert (p.tree.backend, p.tree.max_nodes) == ("python", 10_000)
    assert T.phases().phases[0].probabilities == openpsa.load(src).phases().phases[0].probabilities
    # Giving the alignments replaces them; options that are not the engine's do not reach them.
    assert T.with_options(alignments={}).alignments == {}
    renamed = T.with_options(name="other")
    assert renamed.alignments["year"].phases[0].tree.name == "two-trains"
