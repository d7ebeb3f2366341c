"""The knightian command line."""

import io
import subprocess
import sys

import pytest

from contracts._cli import TOUR_SECTIONS, main


def test_tour_prints_every_section():
    out = io.StringIO()
    assert main(["tour"], out=out) == 0
    text = out.getvalue()
    for title, _ in TOUR_SECTIONS:
        assert title in text
    # the contracts section's numbers, derived by hand in tests/test_contracts_*.py style:
    # bonus 1[y >= 3]: V_A = 7/10 - 1/3 = 11/30, hull edge of slope 2 -> 11/15; optimum
    # (sqrt 3 - sqrt(1/3))^2 = 3 + 1/3 - 2 = 4/3 at alpha = 1/3.
    assert "WorstCase(value=11/15, agent_value=11/30" in text
    assert "OptimalLinear(value=4/3, alpha=1/3" in text


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as err:
        main(["no-such-command"])
    assert err.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_console_script_runs(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "contracts._cli", "tour"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "robust contracting" in done.stdout
