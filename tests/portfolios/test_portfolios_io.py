"""The file format: a catalogue of bad files, safety, duplicates, JSON Schema, round trips."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings

import portfolios
from portfolios import Portfolio, PortfolioError
from portfolios.io import SCHEMA_PATH, load, parse, schema
from portfolios.strategies import portfolio_dicts

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
latent:
  W: {statement: models are parsimonious, p_fail: 0.3}
assumptions:
  A: {statement: a, p_fail: 0.1}
  B: {statement: b, p_fail: {W: {holds: 0.1, fails: 0.5}}, requires: [A]}
cases:
  X: {statement: x, assumptions: [A], soundness_error: 0.05, covers: [S]}
  Y: {statement: y, assumptions: [B], rests_on: [X], covers: [S, T]}
scenarios:
  S: {statement: s, max_risk: 0.1}
  T: {statement: t}
"""


def _edit(old, new):
    assert old in GOOD
    return GOOD.replace(old, new)


# (name, file text, section, entry, field, words of the problem, whether the JSON Schema also
# refuses it: None where the schema cannot say: invalid YAML, NaN)
CATALOGUE = [
    (
        "unknown assumption",
        _edit("assumptions: [A], sou", "assumptions: [Z], sou"),
        "cases",
        "X",
        "assumptions",
        "unknown assumption 'Z'",
        False,
    ),
    (
        "unknown scenario",
        _edit("covers: [S, T]", "covers: [S, U]"),
        "cases",
        "Y",
        "covers",
        "unknown scenario 'U'",
        False,
    ),
    (
        "unknown case",
        _edit("rests_on: [X]", "rests_on: [Q]"),
        "cases",
        "Y",
        "rests_on",
        "unknown case 'Q'",
        False,
    ),
    (
        "wrong kind of id",
        _edit("rests_on: [X]", "rests_on: [A]"),
        "cases",
        "Y",
        "rests_on",
        "'A' is an assumption, not a case",
        False,
    ),
    (
        "unknown latent",
        _edit("{W: {holds", "{V: {holds"),
        "assumptions",
        "B",
        "p_fail",
        "unknown latent variable 'V'",
        False,
    ),
    (
        "unknown requirement",
        _edit("requires: [A]", "requires: [C]"),
        "assumptions",
        "B",
        "requires",
        "unknown assumption 'C'",
        False,
    ),
    (
        "requirement cycle",
        _edit("A: {statement: a, p_fail: 0.1}", "A: {statement: a, p_fail: 0.1, requires: [B]}"),
        "assumptions",
        "A",
        "requires",
        "cycle: A -> B -> A",
        False,
    ),
    (
        "self requirement",
        _edit("requires: [A]", "requires: [B]"),
        "assumptions",
        "B",
        "requires",
        "cycle: B -> B",
        False,
    ),
    (
        "case cycle",
        _edit("covers: [S]}", "covers: [S], rests_on: [Y]}"),
        "cases",
        "X",
        "rests_on",
        "cycle: X -> Y -> X",
        False,
    ),
    (
        "probability above 1",
        _edit("A: {statement: a, p_fail: 0.1}", "A: {statement: a, p_fail: 1.5}"),
        "assumptions",
        "A",
        "p_fail",
        "1.5 is not a probability in [0, 1]",
        True,
    ),
    (
        "negative probability",
        _edit("p_fail: 0.3", "p_fail: -0.1"),
        "latent",
        "W",
        "p_fail",
        "-0.1 is not a probability in [0, 1]",
        True,
    ),
    (
        "nan",
        _edit("p_fail: 0.3", "p_fail: .nan"),
        "latent",
        "W",
        "p_fail",
        "nan is not a finite number",
        None,  # JSON has no NaN: outside what a JSON Schema describes
    ),
    (
        "infinity",
        _edit("soundness_error: 0.05", "soundness_error: .inf"),
        "cases",
        "X",
        "soundness_error",
        "inf is not a finite number",
        True,
    ),
    (
        "string probability",
        _edit("p_fail: 0.3", "p_fail: high"),
        "latent",
        "W",
        "p_fail",
        "expected a probability (a number in [0, 1]), got 'high'",
        True,
    ),
    (
        "boolean probability",
        _edit("p_fail: 0.3", "p_fail: yes"),
        "latent",
        "W",
        "p_fail",
        "got True",
        True,
    ),
    (
        "conditional out of range",
        _edit("holds: 0.1", "holds: 1.2"),
        "assumptions",
        "B",
        "p_fail",
        "1.2 is not a probability",
        True,
    ),
    (
        "conditional missing a state",
        _edit("{holds: 0.1, fails: 0.5}", "{holds: 0.1}"),
        "assumptions",
        "B",
        "p_fail",
        "exactly the keys 'holds' and 'fails'",
        True,
    ),
    (
        "conditional on two latents",
        _edit(
            "{W: {holds: 0.1, fails: 0.5}}",
            "{W: {holds: 0.1, fails: 0.5}, V: {holds: 0, fails: 1}}",
        ),
        "assumptions",
        "B",
        "p_fail",
        "exactly one latent variable",
        True,
    ),
    (
        "max_risk out of range",
        _edit("max_risk: 0.1", "max_risk: 2"),
        "scenarios",
        "S",
        "max_risk",
        "2 is not a probability",
        True,
    ),
    (
        "uncovered scenario",
        _edit("covers: [S, T]", "covers: [S]"),
        "scenarios",
        "T",
        "covers",
        "no case covers this scenario",
        False,
    ),
    (
        "duplicate id in a section",
        GOOD.replace("  T: {statement: t}", "  T: {statement: t}\n  S: {statement: again}"),
        "scenarios",
        "S",
        None,
        "duplicate id 'S' (first at line 10)",
        False,
    ),
    (
        "duplicate id across sections",
        _edit("  T: {statement: t}", "  A: {statement: t}"),
        "scenarios",
        "A",
        None,
        "duplicate id: 'A' is already used in 'assumptions'",
        False,
    ),
    (
        "duplicate field",
        _edit("{statement: s, max_risk: 0.1}", "{statement: s, max_risk: 0.1, max_risk: 0.5}"),
        "scenarios",
        "S",
        "max_risk",
        "duplicate key 'max_risk'",
        False,
    ),
    (
        "duplicate section",
        GOOD + "scenarios:\n  S: {statement: s}\n",
        None,
        None,
        None,
        "duplicate key 'scenarios'",
        False,
    ),
    (
        "unknown field",
        _edit("p_fail: 0.3", "p_fial: 0.3"),
        "latent",
        "W",
        "p_fial",
        "unknown field",
        True,
    ),
    (
        "unknown top-level key",
        GOOD + "scenario: {}\n",
        None,
        None,
        None,
        "unknown top-level key 'scenario'",
        True,
    ),
    (
        "missing statement",
        _edit("{statement: t}", "{max_risk: 0.2}"),
        "scenarios",
        "T",
        "statement",
        "missing required field",
        True,
    ),
    (
        "empty statement",
        _edit("{statement: t}", "{statement: ''}"),
        "scenarios",
        "T",
        "statement",
        "expected a non-empty string",
        True,
    ),
    (
        "missing p_fail",
        _edit("A: {statement: a, p_fail: 0.1}", "A: {statement: a}"),
        "assumptions",
        "A",
        "p_fail",
        "missing required field",
        True,
    ),
    (
        "not a list",
        _edit("requires: [A]", "requires: A"),
        "assumptions",
        "B",
        "requires",
        "expected a list of ids, got 'A'",
        True,
    ),
    (
        "listed twice",
        _edit("covers: [S, T]", "covers: [S, T, S]"),
        "cases",
        "Y",
        "covers",
        "'S' is listed twice",
        True,
    ),
    (
        "invalid id",
        _edit("  T: {statement: t}", "  my scenario: {statement: t}"),
        "scenarios",
        None,
        None,
        "invalid id 'my scenario'",
        True,
    ),
    (
        "entry not a mapping",
        _edit("  T: {statement: t}", "  T: just text"),
        "scenarios",
        "T",
        None,
        "an entry is a mapping of fields",
        True,
    ),
    (
        "section not a mapping",
        GOOD.replace(
            "latent:\n  W: {statement: models are parsimonious, p_fail: 0.3}\n", "latent: [W]\n"
        ),
        "latent",
        None,
        None,
        "expected a mapping from ids to entries",
        True,
    ),
    (
        "no cases",
        "scenarios:\n  S: {statement: s}\n",
        None,
        None,
        None,
        "missing or empty section 'cases'",
        True,
    ),
    ("empty file", "", None, None, None, "a portfolio is a mapping of sections, got empty", True),
    (
        "a list",
        "- a\n- b\n",
        None,
        None,
        None,
        "a portfolio is a mapping of sections, got list",
        True,
    ),
    (
        "title not a string",
        "title: [a]\n" + GOOD,
        None,
        None,
        "title",
        "field 'title': expected a string, got ['a']",
        True,
    ),
    (
        "bad YAML",
        GOOD.replace("S: {statement: s, max_risk: 0.1}", "S: {statement: s, max_risk: 0.1"),
        None,
        None,
        None,
        "not valid YAML",
        None,
    ),
]


@pytest.mark.parametrize(
    ("text", "section", "entry", "field", "problem"),
    [pytest.param(*row[1:6], id=row[0]) for row in CATALOGUE],
)
def test_catalogue_of_bad_files(tmp_path, text, section, entry, field, problem):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(PortfolioError) as info:
        load(path)
    err = info.value
    message = str(err)
    assert message.startswith(str(path))
    assert problem in message
    assert (err.section, err.entry, err.field) == (section, entry, field)
    if entry is not None:
        assert f"entry {entry!r}" in message
    if field is not None:
        assert f"field {field!r}" in message


@pytest.mark.parametrize(
    "text", [pytest.param(row[1], id=row[0]) for row in CATALOGUE if row[6] is not None]
)
def test_schema_agrees_with_the_loader(text):
    """Where the JSON Schema can express a rule, it refuses the same files."""
    row = next(r for r in CATALOGUE if r[1] == text)
    data = yaml.safe_load(text)
    errors = list(jsonschema.Draft202012Validator(schema()).iter_errors(data))
    assert bool(errors) == row[6]


def test_good_file_loads_and_validates_against_the_schema(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    P = load(path)
    assert P.file == str(path)
    assert P.assumptions["B"].requires == ("A",)
    assert P.assumptions["B"].latent == "W"
    assert P.cases["Y"].covers == ("S", "T")
    assert P.scenarios["T"].max_risk is None
    jsonschema.validate(yaml.safe_load(GOOD), schema())


def test_shipped_example_validates_and_has_sources():
    data = yaml.safe_load(portfolios.EXAMPLE_PATH.read_text())
    jsonschema.validate(data, schema())
    P = load(portfolios.EXAMPLE_PATH)
    for section in (P.latent, P.assumptions, P.cases, P.scenarios):
        for entry in section.values():
            assert entry.source, entry.id
    assert "illustrative" in P.description
    assert {"asl4_interpretability", "asl4_control", "asl4_incentives"} <= set(P.cases)
    assert "Buhl et al. (2025)" in P.cases["debate"].source
    assert "Korbak et al. (2025)" in P.cases["control_evaluation"].source
    assert all("Anthropic (2024)" in P.cases[c].source for c in P.cases if c.startswith("asl4"))


def test_example_copy_in_the_package_equals_examples_folder():
    assert (ROOT / "examples" / "asl4_portfolio.yaml").read_bytes() == (
        portfolios.EXAMPLE_PATH.read_bytes()
    )


def test_schema_file_is_shipped_in_the_package():
    assert SCHEMA_PATH.parent == Path(portfolios.__file__).parent / "data"
    jsonschema.Draft202012Validator.check_schema(schema())


def test_loading_never_executes_code(tmp_path):
    marker = tmp_path / "pwned"
    for tag in ("!!python/object/apply:os.system", "!!python/object/new:os.system"):
        path = tmp_path / "evil.yaml"
        path.write_text(GOOD + f'title: {tag} ["touch {marker}"]\n')
        with pytest.raises(PortfolioError, match="tags that build objects are refused") as info:
            load(path)
        assert info.value.line is not None
        assert not marker.exists()
    path.write_text("cases: !!python/name:os.system\n")
    with pytest.raises(PortfolioError, match="not valid YAML"):
        load(path)


def test_json_file_and_its_duplicates(tmp_path):
    data = yaml.safe_load(GOOD)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    P = load(path)
    Q = Portfolio.from_dict(data)
    assert P.to_dict() == Q.to_dict()
    assert P.p_unprotected("S") == Q.p_unprotected("S")
    path.write_text(
        '{"cases": {"X": {"statement": "x", "statement": "y", "covers": ["S"]}},'
        ' "scenarios": {"S": {"statement": "s"}}}'
    )
    with pytest.raises(PortfolioError, match="duplicate key 'statement'") as info:
        load(path)
    assert (info.value.section, info.value.entry, info.value.field) == ("cases", "X", "statement")
    path.write_text('{"cases": {')
    with pytest.raises(PortfolioError, match="not valid JSON") as info:
        load(path)
    assert info.value.line == 1


def test_missing_file(tmp_path):
    with pytest.raises(PortfolioError, match="cannot read the file"):
        load(tmp_path / "nowhere.yaml")


def test_from_dict_names_the_dict_and_never_mutates():
    data = yaml.safe_load(GOOD)
    snapshot = json.dumps(data, sort_keys=True)
    Portfolio.from_dict(data)
    assert json.dumps(data, sort_keys=True) == snapshot
    data["cases"]["X"]["soundness_error"] = 3
    with pytest.raises(PortfolioError, match=r"^<dict>: cases entry 'X', field 'soundness_error'"):
        Portfolio.from_dict(data)
    with pytest.raises(PortfolioError, match=r"^mine.yaml: "):
        parse({"cases": {}}, file="mine.yaml")


@settings(max_examples=40)
@given(portfolio_dicts())
def test_round_trip_and_schema_on_random_portfolios(d):
    P = Portfolio.from_dict(d)
    out = P.to_dict()
    assert Portfolio.from_dict(out).to_dict() == out
    jsonschema.validate(out, schema())
    text = yaml.safe_dump(out, sort_keys=False)
    assert parse(yaml.safe_load(text)).to_dict() == out


def test_entries_are_frozen():
    P = Portfolio.from_dict(yaml.safe_load(GOOD))
    with pytest.raises(AttributeError):
        P.cases["X"].soundness_error = 0.5
    with pytest.raises(TypeError):
        P.cases["Z"] = P.cases["X"]


@pytest.mark.parametrize(
    ("written", "suggested", "value"),
    [("1e-3", "1.0e-3", 1e-3), ("5E-2", "5.0e-2", 5e-2), ("7e-1", "7.0e-1", 0.7),
     ("2.5e0", "2.5e+0", 2.5), ("-1e-2", "-1.0e-2", None)],
)  # fmt: skip
def test_a_yaml_1_1_exponent_gets_a_spelling_hint(tmp_path, written, suggested, value):
    """PyYAML (YAML 1.1) reads 1e-3 as a string: the error says how to write the number."""
    path = tmp_path / "p.yaml"
    path.write_text(_edit("p_fail: 0.3", f"p_fail: {written}"), encoding="utf-8")
    with pytest.raises(PortfolioError) as info:
        load(path)
    assert (info.value.section, info.value.entry, info.value.field) == ("latent", "W", "p_fail")
    assert str(info.value).endswith(
        f"got {written!r}; write {suggested} (YAML 1.1 reads {written} as a string)"
    )
    assert yaml.safe_load(f"x: {suggested}")["x"] == pytest.approx(float(written))
    if value is not None:  # the suggestion loads, or fails only for being out of range
        path.write_text(_edit("p_fail: 0.3", f"p_fail: {suggested}"), encoding="utf-8")
        if value <= 1:
            assert load(path).latent["W"].p_fail == value
        else:
            with pytest.raises(PortfolioError, match="is not a probability in"):
                load(path)


def test_a_quoted_number_gets_a_hint():
    with pytest.raises(PortfolioError, match="write it without quotes"):
        parse(yaml.safe_load(_edit("p_fail: 0.3", "p_fail: '0.3'")))


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_dump_writes_a_file_load_reads_back(tmp_path, suffix):
    P = portfolios.load(portfolios.EXAMPLE_PATH)
    path = tmp_path / f"copy{suffix}"
    portfolios.dump(P, path)
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("{") == (suffix == ".json")
    back = portfolios.load(path)
    assert back.to_dict() == P.to_dict()
    assert back.p_unprotected("weight_exfiltration") == P.p_unprotected("weight_exfiltration")
    assert portfolios.loads(text).to_dict() == P.to_dict()


def test_dump_refuses_an_unknown_suffix(tmp_path):
    P = portfolios.load(portfolios.EXAMPLE_PATH)
    with pytest.raises(portfolios.PortfolioError, match=r"use \.json, \.yaml or \.yml"):
        portfolios.dump(P, tmp_path / "copy.xml")
    assert not (tmp_path / "copy.xml").exists()
