"""`knightian portfolio score|importance|next` and the tour section: output, formats, exit codes."""

import io
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

import portfolios
from contracts._cli import TOUR_SECTIONS, main
from portfolios._cli import EXIT_BAD_FILE, EXIT_OVER_RISK
from portfolios._tour import section

EXAMPLE = str(portfolios.EXAMPLE_PATH)

WITHIN = """\
assumptions:
  A: {statement: a, p_fail: 0.1}
cases:
  X: {statement: x, assumptions: [A], covers: [S]}
scenarios:
  S: {statement: s, max_risk: 0.5}
"""


def _run(argv):
    out = io.StringIO()
    code = main(argv, out=out)
    return code, out.getvalue()


def test_score_text_default():
    code, text = _run(["portfolio", "score", EXAMPLE])
    assert code == 0
    assert text.startswith("Safety-case portfolio: ASL-4 safety-case sketches")
    assert "scenario weight_exfiltration" in text
    assert "coincidence ratio" in text


def test_score_markdown_and_json():
    code, md = _run(["portfolio", "score", EXAMPLE, "--format", "markdown"])
    assert code == 0
    assert md.startswith("# Safety-case portfolio:")
    code, text = _run(["portfolio", "score", EXAMPLE, "--format", "json", "--max-order", "1"])
    assert code == 0
    doc = json.loads(text)
    P = portfolios.load(EXAMPLE)
    assert [s["id"] for s in doc["scenarios"]] == list(P.scenarios)
    for s in doc["scenarios"]:
        assert s["p_unprotected"] == pytest.approx(P.p_unprotected(s["id"]), abs=1e-15)


@pytest.mark.parametrize("command", ["score", "importance", "next"])
def test_a_yaml_portfolio_is_read_once(command, tmp_path, monkeypatch):
    # the content tells a portfolio from a GSN argument; the parse is reused, not repeated
    import portfolios._cli as cli
    import portfolios.io as pio

    f = tmp_path / "within.yaml"
    f.write_text(WITHIN)
    reads = []

    def counting(read):
        def wrapper(path, file):
            reads.append(file)
            return read(path, file)

        return wrapper

    monkeypatch.setattr(cli, "_read_text", counting(cli._read_text))
    monkeypatch.setattr(pio, "_read_text", counting(pio._read_text))
    argv = ["portfolio", command, str(f)] + (["--scenario", "S"] if command == "next" else [])
    code, text = _run(argv)
    assert code == 0, text
    assert reads == [str(f)]
    assert "0.1" in text  # the analysis ran on the parsed portfolio: P(S unprotected) = 0.1


def test_bad_file_exits_3_with_the_message_on_stderr(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(WITHIN.replace("p_fail: 0.1", "p_fail: 1.1"))
    code, text = _run(["portfolio", "score", str(bad)])
    assert code == EXIT_BAD_FILE == 3
    assert text == ""
    err = capsys.readouterr().err
    assert f"{bad}: assumptions entry 'A', field 'p_fail': 1.1 is not a probability" in err
    code, _ = _run(["portfolio", "score", str(tmp_path / "missing.yaml")])
    assert code == 3
    assert "cannot read the file" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    for argv in (
        ["portfolio", "score"],
        ["portfolio", "score", EXAMPLE, "--format", "html"],
        ["portfolio", "score", EXAMPLE, "--max-order", "0"],
        ["portfolio"],
    ):
        with pytest.raises(SystemExit) as info:
            main(argv, out=io.StringIO())
        assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_check_flag(tmp_path):
    code, text = _run(["portfolio", "score", EXAMPLE, "--check"])
    assert code == EXIT_OVER_RISK == 4
    assert "EXCEEDED" in text
    good = tmp_path / "good.yaml"
    good.write_text(WITHIN)
    assert _run(["portfolio", "score", str(good), "--check"])[0] == 0


def test_real_process_exit_codes(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"cases": {}}')
    cmd = [sys.executable, "-m", "contracts._cli", "portfolio", "score", str(bad)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 3
    assert done.stdout == ""
    assert "missing or empty section 'cases'" in done.stderr


def test_tour_section():
    assert ("portfolios: safety-case portfolios", "portfolios._tour") in TOUR_SECTIONS
    out = io.StringIO()
    section(out)
    text = out.getvalue()
    assert "coincidence ratio" in text
    assert "Monte Carlo" in text
    assert _run(["tour"])[0] == 0


# --------------------------------------------------------------------------- importance, next

# U(S) = A or (B and C); U(T) = (A or B) and A = A (A is in every cut set of T: RRW = inf).
TINY = """\
title: tiny
assumptions:
  A: {statement: a, p_fail: 0.1}
  B: {statement: b, p_fail: 0.2}
  C: {statement: c, p_fail: 0.3}
cases:
  X: {statement: x, assumptions: [A, B], covers: [S, T]}
  Y: {statement: y, assumptions: [A, C], covers: [S]}
  Z: {statement: z, assumptions: [A], covers: [T]}
scenarios:
  S: {statement: s}
  T: {statement: t}
"""
# U = A or B with P(A) = P(B): shoring up either one drops P(U) by 0.36 - 0.2 = 0.16, a tie.
TIED = """\
assumptions:
  A: {statement: a, p_fail: 0.2}
  B: {statement: b, p_fail: 0.2}
  C: {statement: c, p_fail: 0.1}
cases:
  X: {statement: x, assumptions: [A, B], covers: [S]}
  Y: {statement: y, assumptions: [A, B, C], covers: [S]}
scenarios:
  S: {statement: s}
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return str(path)


def _by_hand_S():
    """The importance measures of scenario S of TINY, by hand."""
    pA, pB, pC = 0.1, 0.2, 0.3
    P = pA + (1 - pA) * pB * pC  # 0.154
    p1 = {"A": 1.0, "B": 1 - (1 - pA) * (1 - pC), "C": 1 - (1 - pA) * (1 - pB)}
    p0 = {"A": pB * pC, "B": pA, "C": pA}
    q = {"A": pA, "B": pB, "C": pC}
    cut_union = {"A": pA, "B": pB * pC, "C": pB * pC}  # P(a cut set containing e occurs)
    return {
        e: {
            "probability": q[e],
            "birnbaum": p1[e] - p0[e],
            "criticality": (p1[e] - p0[e]) * q[e] / P,  # independent events
            "fussell_vesely": cut_union[e] / P,
            "raw": p1[e] / P,
            "rrw": P / p0[e],
        }
        for e in "ABC"
    }, P


def test_importance_text_matches_the_hand_values(tiny):
    code, text = _run(["portfolio", "importance", tiny, "--scenario", "S"])
    assert code == 0
    assert text.startswith("Safety-case portfolio: tiny\nfile: ")
    assert "scenario S: P(unprotected) 0.154, 3 basic events, by birnbaum" in text
    assert "scenario T" not in text
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()[5:]}
    hand, _ = _by_hand_S()
    for e in "ABC":  # P(e), Birnbaum, crit., F-V, P(e|top), RAW, RRW as printed (3 or 4 digits)
        h = hand[e]
        assert rows[e][1] == f"{h['birnbaum']:.3g}"
        assert rows[e][2] == f"{h['criticality']:.3g}"
        assert rows[e][3] == f"{h['fussell_vesely']:.3g}"
        assert rows[e][5:] == [f"{h['raw']:.4g}", f"{h['rrw']:.4g}"]
    assert rows["A"][1] == "0.94"  # 1 - 0.2 * 0.3
    # rows by decreasing Birnbaum: A (0.94), B (0.27), C (0.18)
    assert [line.split()[0] for line in text.splitlines()[5:8]] == ["A", "B", "C"]


def test_importance_all_scenarios_by_default_and_limit(tiny):
    code, text = _run(["portfolio", "importance", tiny, "--limit", "1", "--by", "rrw"])
    assert code == 0
    assert "scenario S: P(unprotected) 0.154, 3 basic events, by rrw" in text
    assert "scenario T: P(unprotected) 0.1, 2 basic events, by rrw" in text
    lines = text.splitlines()
    t = lines.index("scenario T: P(unprotected) 0.1, 2 basic events, by rrw")
    assert lines[t + 2].split()[0] == "A"
    assert lines[t + 2].split()[-1] == "inf"  # A is in every cut set of T
    assert lines[t + 3] == "  ... 1 more (raise --limit)"
    assert text.count("more (raise --limit)") == 2


def test_importance_json(tiny):
    code, text = _run(["portfolio", "importance", tiny, "--format", "json", "--by", "raw"])
    assert code == 0
    doc = json.loads(text)  # strict JSON: json.loads would accept Infinity, so check the text
    assert "Infinity" not in text and "NaN" not in text
    assert doc["format"] == "knightian.portfolios.importance/1"
    assert doc["by"] == "raw" and doc["limit"] is None
    assert [s["id"] for s in doc["scenarios"]] == ["S", "T"]
    S, T = doc["scenarios"]
    hand, P = _by_hand_S()
    assert S["p_unprotected"] == pytest.approx(P, abs=1e-15)
    assert S["basic_events"] == 3
    assert [e["label"] for e in S["events"]] == ["A", "B", "C"]  # RAW: 6.49, 2.40, 1.82
    for e in S["events"]:
        assert e["kind"] == "assumption"
        for name, value in hand[e["label"]].items():
            assert e[name] == pytest.approx(value, abs=1e-12), (e["label"], name)
    rrw = {e["label"]: e["rrw"] for e in T["events"]}
    assert rrw == {"A": "inf", "B": pytest.approx(1.0, abs=1e-12)}


def test_importance_json_agrees_with_the_python_api():
    code, text = _run(["portfolio", "importance", EXAMPLE, "--format", "json", "--limit", "3"])
    assert code == 0
    doc = json.loads(text)
    P = portfolios.load(EXAMPLE)
    for s in doc["scenarios"]:
        imp = P.importance(s["id"])
        assert [e["label"] for e in s["events"]] == list(imp.ranked("birnbaum")[:3])
        for e in s["events"]:
            assert e["birnbaum"] == imp[e["label"]].birnbaum


def test_importance_undefined_ratios_are_null(tmp_path):
    never = tmp_path / "never.yaml"  # P(U) = 0: the ratios divide by 0 and are undefined
    never.write_text(WITHIN.replace("p_fail: 0.1", "p_fail: 0.0"))
    code, text = _run(["portfolio", "importance", str(never), "--format", "json"])
    assert code == 0
    (event,) = json.loads(text)["scenarios"][0]["events"]
    assert event["birnbaum"] == 1.0
    assert event["raw"] is None and event["rrw"] is None and event["criticality"] is None


def test_next_text_ranks_and_names_ties(tiny, tmp_path):
    code, text = _run(["portfolio", "next", tiny, "--scenario", "S"])
    assert code == 0
    lines = text.splitlines()
    assert "  P(unprotected) 0.154" in lines
    assert "  best: A" in lines
    head = lines.index("  best: A") + 1
    table = [line.split() for line in lines[head + 1 : head + 4]]
    # drops: A 0.154 - 0.06 = 0.094; B and C 0.154 - 0.1 = 0.054 (tied, listed by id)
    assert [row[0] for row in table] == ["A", "B", "C"]
    assert [float(row[1]) for row in table] == pytest.approx([0.06, 0.1, 0.1])
    assert [float(row[2]) for row in table] == pytest.approx([0.094, 0.054, 0.054])
    assert "  2 cases: X, Y" in lines
    tied = tmp_path / "tied.yaml"
    tied.write_text(TIED)
    code, text = _run(["portfolio", "next", str(tied), "--scenario", "S", "--limit", "1"])
    assert code == 0
    assert "  best, tied (2): A, B" in text.splitlines()
    assert "  ... 2 more (raise --limit)" in text.splitlines()


def test_next_diversity_by_hand(tiny):
    code, text = _run(["portfolio", "next", tiny, "--scenario", "S", "--format", "json"])
    assert code == 0
    doc = json.loads(text)
    assert doc["format"] == "knightian.portfolios.next/2"
    assert doc["scenario"] == "S" and doc["covering_cases"] == ["X", "Y"]
    assert doc["p_unprotected"] == pytest.approx(0.154, abs=1e-15)
    shore = doc["shore_up"]
    assert shore["count"] == 3 and shore["tied_best"] == ["A"]
    drops = {o["assumption"]: o["drop"] for o in shore["assumptions"]}
    assert drops == pytest.approx({"A": 0.094, "B": 0.054, "C": 0.054}, abs=1e-12)
    # X and Y share A: hazard similarity w_A / (w_A + w_B + w_C), w = -log(1 - p); with two
    # equally weighted cases every order gives 2 / (1 + Z), and Rao's entropy is (1 - Z) / 2
    w = {e: -math.log(1 - p) for e, p in {"A": 0.1, "B": 0.2, "C": 0.3}.items()}
    Z = w["A"] / sum(w.values())
    div = doc["diversity"]
    assert div["similarity"] == "hazard"
    assert div["dissimilar_cases"] == pytest.approx(
        dict.fromkeys(("0", "1", "2", "inf"), 2 / (1 + Z))
    )
    assert div["rao_quadratic_entropy"] == pytest.approx((1 - Z) / 2)
    # phi of F_X = A or B (0.28) and F_Y = A or C (0.37), P(both) = P(U) = 0.154
    phi = (0.154 - 0.28 * 0.37) / math.sqrt(0.28 * 0.72 * 0.37 * 0.63)
    assert div["participation_ratio"] == pytest.approx(2 / (1 + phi**2))
    code, text = _run(["portfolio", "next", tiny, "--scenario", "S"])
    assert f"q=0: {2 / (1 + Z):.3f}, q=1: {2 / (1 + Z):.3f}" in text
    assert f"Rao's quadratic entropy: {(1 - Z) / 2:.4f}" in text
    assert f"participation ratio of the failure correlations: {2 / (1 + phi**2):.3f}" in text


def test_next_on_the_example_agrees_with_the_python_api():
    P = portfolios.load(EXAMPLE)
    for s in P.scenarios:
        code, text = _run(["portfolio", "next", EXAMPLE, "--scenario", s, "--format", "json"])
        assert code == 0
        doc = json.loads(text)
        r = P.most_load_bearing(s)
        assert [o["assumption"] for o in doc["shore_up"]["assumptions"]] == list(r.names)
        assert doc["shore_up"]["tied_best"] == list(r.tied_best)
        assert doc["diversity"]["participation_ratio"] == P.diversity(s).participation_ratio
    code, text = _run(["portfolio", "next", EXAMPLE, "--scenario", "weight_exfiltration"])
    assert code == 0
    assert "Which assumption to shore up first" in text
    assert "effective number of dissimilar cases" in text


@pytest.mark.parametrize("command", ["importance", "next"])
def test_unknown_scenario_exits_3(command, tiny, capsys):
    code, text = _run(["portfolio", command, tiny, "--scenario", "nope"])
    assert code == EXIT_BAD_FILE
    assert text == ""
    err = capsys.readouterr().err
    assert err.startswith(f"knightian portfolio {command}: error: {tiny}: ")
    assert "scenarios entry 'nope': no such scenario in the file; its scenarios: S, T" in err


@pytest.mark.parametrize("command", ["importance", "next"])
def test_bad_file_exits_3_for_the_analyses(command, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(WITHIN.replace("assumptions: [A]", "assumptions: [Q]"))
    code, text = _run(["portfolio", command, str(bad), "--scenario", "S"])
    assert code == EXIT_BAD_FILE
    assert text == ""
    err = capsys.readouterr().err
    assert f"{bad}: cases entry 'X', field 'assumptions'" in err
    code, _ = _run(["portfolio", command, str(tmp_path / "missing.yaml"), "--scenario", "S"])
    assert code == EXIT_BAD_FILE
    assert "cannot read the file" in capsys.readouterr().err


def test_analyses_usage_errors_exit_2(capsys):
    for argv in (
        ["portfolio", "next", EXAMPLE],  # --scenario is required
        ["portfolio", "next", EXAMPLE, "--scenario", "S", "--format", "markdown"],
        ["portfolio", "importance", EXAMPLE, "--by", "birnbam"],
        ["portfolio", "importance", EXAMPLE, "--limit", "0"],
        ["portfolio", "importance"],
    ):
        with pytest.raises(SystemExit) as info:
            main(argv, out=io.StringIO())
        assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_next_help_points_to_best_addition(capsys):
    with pytest.raises(SystemExit) as info:
        main(["portfolio", "next", "--help"], out=io.StringIO())
    assert info.value.code == 0
    assert "Portfolio.best_addition" in capsys.readouterr().out


def test_analyses_real_process_exit_codes(tiny):
    cmd = [sys.executable, "-m", "contracts._cli", "portfolio", "next", tiny, "--scenario", "U"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 3
    assert done.stdout == ""
    assert "'U'" in done.stderr


def test_the_how_to_shows_what_the_commands_print(monkeypatch):
    page = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "use-the-command-line.md"
    shown = re.findall(r"^```text\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S)
    assert len(shown) == 3
    s = "weight_exfiltration"
    printed = _run(["portfolio", "importance", EXAMPLE, "--scenario", s, "--limit", "2"])[1]
    printed += _run(["portfolio", "next", EXAMPLE, "--scenario", s, "--limit", "2"])[1]
    monkeypatch.chdir(page.parent)
    # the page shows CUDD's run; the pure-Python BDD gives the same report under its name
    printed += _run(["faulttree", "cooling.xml", "--mcs"])[1].replace("(python)", "(cudd)")
    for block in shown:
        assert block in printed


def test_json_writes_infinities_as_strings_and_undefined_as_null():
    import math

    from portfolios.report import json_number

    assert json_number(math.inf) == "inf"
    assert json_number(-math.inf) == "-inf"
    assert json_number(math.nan) is None  # it was written "-inf" (nan > 0 is False)
    assert json_number(None) is None and json_number(0.25) == 0.25


def test_score_reads_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(WITHIN))
    code, text = _run(["portfolio", "score", "-", "--format", "json"])
    assert code == 0
    doc = json.loads(text)
    assert doc["scenarios"][0]["p_unprotected"] == 0.1
    # JSON on stdin too, and the same answer as from the file
    as_json = json.dumps(portfolios.load(EXAMPLE).to_dict())
    monkeypatch.setattr(sys, "stdin", io.StringIO(as_json))
    assert (
        _run(["portfolio", "score", "-"])[1].splitlines()[2:]
        == _run(["portfolio", "score", EXAMPLE])[1].splitlines()[2:]
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("cases: {}"))
    code, _ = _run(["portfolio", "importance", "-"])
    assert code == EXIT_BAD_FILE


def test_score_reads_standard_input_in_a_real_process():
    cmd = [sys.executable, "-m", "contracts._cli", "portfolio", "score", "-"]
    done = subprocess.run(cmd, input=WITHIN, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "scenario S" in done.stdout


def test_score_stdin_is_bounded_like_a_file(monkeypatch, capsys):
    # Standard input gets the file limit: at most MAX_FILE_BYTES + 1 bytes are read.
    import portfolios.io

    monkeypatch.setattr(portfolios.io, "MAX_FILE_BYTES", 64)
    monkeypatch.setattr("portfolios._cli.MAX_FILE_BYTES", 64)
    monkeypatch.setattr(sys, "stdin", io.StringIO("#" * 1000))
    assert main(["portfolio", "score", "-"]) == 3
    assert "MAX_FILE_BYTES = 64" in capsys.readouterr().err
