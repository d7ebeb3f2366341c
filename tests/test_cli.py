"""The knightian command line."""

import ast
import importlib.metadata
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from contracts._cli import COMMANDS, TOUR_SECTIONS, build_parser, main, section_name

ROOT = Path(__file__).resolve().parents[1]
NAMES = [section_name(module) for _, module in TOUR_SECTIONS]


def run(*args, cwd):
    """Run ``knightian ARGS`` as the console script does, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "contracts._cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def sections(text):
    """Split a tour's output into {title: body} at its banners."""
    parts = re.split(r"^={78}\n(.*)\n={78}\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.fixture(scope="module")
def full_tour():
    out = io.StringIO()
    assert main(["tour"], out=out) == 0
    return out.getvalue()


def test_tour_prints_every_section(full_tour):
    text = full_tour
    assert list(sections(text)) == [title for title, _ in TOUR_SECTIONS]
    # the contracts section's numbers, derived by hand in tests/test_contracts_*.py style:
    # bonus 1[y >= 3]: V_A = 7/10 - 1/3 = 11/30, hull edge of slope 2 -> 11/15; optimum
    # (sqrt 3 - sqrt(1/3))^2 = 3 + 1/3 - 2 = 4/3 at alpha = 1/3.
    assert "WorstCase(value=11/15, agent_value=11/30" in text
    assert "OptimalLinear(value=4/3, alpha=1/3" in text


def test_the_sections_are_named_by_their_packages():
    assert NAMES == ["contracts", "infrabayes", "portfolios"]
    for _, module in TOUR_SECTIONS:
        assert module == f"{section_name(module)}._tour"


@pytest.mark.parametrize("name", NAMES)
def test_tour_of_one_section_prints_that_section_as_in_the_full_tour(name, full_tour):
    one = io.StringIO()
    assert main(["tour", name], out=one) == 0
    ((title, body),) = sections(one.getvalue()).items()
    assert section_name(dict(TOUR_SECTIONS)[title]) == name
    assert body == sections(full_tour)[title]


def test_console_script_runs_one_section(tmp_path):
    done = run("tour", "infrabayes", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "infrabayes: infra-Bayesian decision theory" in done.stdout
    assert "robust contracting" not in done.stdout


def test_tour_of_one_section_imports_no_other_package(tmp_path):
    code = (
        "import io, sys\n"
        "from contracts._cli import main\n"
        "assert main(['tour', 'contracts'], out=io.StringIO()) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'infrabayes', 'portfolios'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"  # (HiGHS may print its banner before)


def test_contracts_never_imports_the_other_packages():
    # not at module level, not inside a function: the CLI names their modules as strings
    for path in sorted((ROOT / "contracts").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in {"infrabayes", "portfolios"}, (path, name)


def test_help_lists_every_command_without_importing_it(tmp_path):
    code = (
        "import sys\n"
        "from contracts._cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0\n"
        "print('portfolios' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("False")
    for name, (_, help_text) in COMMANDS.items():
        assert name in done.stdout
        assert " ".join(help_text.split()[:3]) in " ".join(done.stdout.split())


def test_the_complete_parser_registers_every_command():
    parser = build_parser()  # no arguments: every module of COMMANDS registers its subcommand
    for module, _ in COMMANDS.values():
        assert module in sys.modules
    args = parser.parse_args(["portfolio", "score", "x.yaml", "--check"])
    assert (args.command, args.file, args.check) == ("portfolio", "x.yaml", True)
    assert callable(args.run)


def test_version_is_the_distribution_version(tmp_path):
    done = run("--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"knightian {importlib.metadata.version('knightian')}\n"


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as err:
        main(["no-such-command"])
    assert err.value.code == 2
    message = capsys.readouterr().err
    assert "invalid choice" in message
    assert all(f"'{name}'" in message for name in ["tour", *COMMANDS])


def test_unknown_tour_section_exits_2(capsys):
    with pytest.raises(SystemExit) as err:
        main(["tour", "no-such-package"])
    assert err.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


THIRD_PARTY_NOISE = ("HiGHS", "Copyright", "Running", "licence", "THIRD_PARTY")


def test_console_script_runs(tmp_path, full_tour):
    """The tour in a fresh process: its stdout is exactly the tour's own text.

    The in-process tour writes to a StringIO, which a C library's banner on descriptor 1 (HiGHS's
    "Running HiGHS ... Copyright", printed by the first solver object of a process) cannot reach;
    in a fresh interpreter it would land in stdout.
    """
    done = run("tour", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "robust contracting" in done.stdout
    assert not [w for w in THIRD_PARTY_NOISE if w in done.stdout]
    assert done.stdout == full_tour


@pytest.mark.parametrize(
    "argv",
    [
        ["portfolio", "score", str(ROOT / "examples" / "asl4_portfolio.yaml")],
        [
            "portfolio",
            "next",
            str(ROOT / "examples" / "asl4_portfolio.yaml"),
            "--scenario",
            "internal_rnd_sabotage",
        ],
        ["faulttree", str(ROOT / "docs" / "how-to" / "cooling.xml")],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_commands_print_only_their_own_output(argv, tmp_path):
    done = run(*argv, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    assert not [w for w in THIRD_PARTY_NOISE if w in done.stdout]
    out = io.StringIO()
    assert main(argv, out=out) == 0
    assert done.stdout == out.getvalue()


def test_highs_banner_never_reaches_stdout(tmp_path):
    """A script's first HiGHS LP (a cvxpy solve through contracts) prints nothing of HiGHS's."""
    script = (
        "from fractions import Fraction as F\n"
        "from contracts import Action, Technology, price_of_robustness\n"
        "T = Technology([0, 1, 2], [Action([1, 0, 0], 0), Action([0, 1, 0], F(1, 2)), "
        "Action([0, 0, 1], 1)])\n"
        "print(price_of_robustness(T).known_optimum)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [done.stdout.strip()]
    assert not [w for w in THIRD_PARTY_NOISE if w in done.stdout + done.stderr]


OTHERS = (["portfolio"], ["faulttree"])  # run by tests/test_docs_commands.py


def _shown_commands():
    """The ``knightian`` lines of the sh blocks of README.md and docs/, but ``portfolio``'s and
    ``faulttree``'s.

    Those are run by tests/test_docs_commands.py (from the page's folder, with the exit code
    the page states).
    """
    block = re.compile(r"^```(?:sh|bash|console)\n(.*?)^```", re.M | re.S)
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        if "_build" in page.parts or not page.exists():
            continue
        for text in block.findall(page.read_text(encoding="utf-8")):
            for line in text.splitlines():
                words = shlex.split(line.split("#", 1)[0])
                if words and words[0].endswith("knightian") and words[1:2] not in OTHERS:
                    yield pytest.param(words[1:], id=f"{page.name}: {' '.join(words)}")


SHOWN = list(_shown_commands())


def test_the_pages_show_the_tour_and_version_commands():
    shown = [p.values[0] for p in SHOWN]
    assert ["tour"] in shown
    assert ["--version"] in shown
    assert any(argv[:1] == ["tour"] and argv[1:2] and argv[1] in NAMES for argv in shown)


@pytest.mark.parametrize("argv", SHOWN)
def test_shown_command_runs(argv, tmp_path, capsys):
    if "--plots" in argv:
        pytest.importorskip("matplotlib")
        i = argv.index("--plots") + 1
        argv = [*argv[:i], str(tmp_path / argv[i]), *argv[i + 1 :]]
    out = io.StringIO()
    try:
        code = main(argv, out=out)
    except SystemExit as exit:  # --version prints and exits, as argparse does
        code = exit.code
    assert code == 0
    assert out.getvalue().strip() or capsys.readouterr().out.strip()


def test_closed_pipe_stops_quietly() -> None:
    """``knightian tour | head`` ends without a traceback (the reader closed the pipe)."""
    with subprocess.Popen(
        [sys.executable, "-m", "contracts._cli", "tour", "portfolios"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as reader:
        assert reader.stdout is not None and reader.stderr is not None
        reader.stdout.readline()
        reader.stdout.close()
        err = reader.stderr.read().decode()
        reader.wait(timeout=120)
    assert "Traceback" not in err, err
