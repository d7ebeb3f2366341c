"""`knightian portfolio score` and the tour section: output, formats, exit codes."""

import io
import json
import subprocess
import sys

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
