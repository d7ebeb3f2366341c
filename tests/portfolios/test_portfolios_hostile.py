"""Hostile and huge portfolio files (issue 12): each is refused with a clear error, or read.

Every test here is a reproducer that failed before the fix: a raw traceback (RecursionError,
OverflowError, ReaderError, UnicodeEncodeError), minutes of work for a few hundred bytes, or
an unbounded read. The limits are the documented ones of :mod:`portfolios.io`
(``MAX_FILE_BYTES``, ``MAX_NESTING``) and :mod:`portfolios.errors` (``MAX_QUOTED_CHARS``).
"""

import io
import json
import math
import os
import sys
import threading
import time
from fractions import Fraction

import pytest

import portfolios
from contracts._cli import main
from portfolios import PortfolioError
from portfolios.errors import MAX_QUOTED_CHARS, printable, quote
from portfolios.io import MAX_FILE_BYTES, MAX_NESTING, load, parse

SCENARIO = "scenarios:\n  S: {statement: s}\n"
GOOD = "cases:\n  C: {statement: c, covers: [S]}\n" + SCENARIO


def _write(tmp_path, name, text, encoding="utf-8", errors="strict"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding, errors))
    return path


def _cli(argv):
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stderr
    sys.stderr = err
    try:
        code = main(argv, out=out)
    finally:
        sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


# ----------------------------------------------------------------------------- YAML aliases


def _alias_bomb(levels):
    """A YAML file of a few hundred bytes whose aliases expand to 10**levels items."""
    lines = ["description: &a0 [x, x, x, x, x, x, x, x, x, x]", "cases:"]
    for i in range(1, levels + 1):
        lines.append(f"  c{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_once_naming_the_line(tmp_path):
    text = _alias_bomb(8)  # before: ten times longer per level, about 30 minutes here
    assert len(text) < 600
    path = _write(tmp_path, "bomb.yaml", text)
    start = time.perf_counter()
    with pytest.raises(PortfolioError, match=r"YAML alias \*a0 refused") as info:
        load(path)
    assert time.perf_counter() - start < 10
    assert info.value.file == str(path)
    assert info.value.line == 3


def test_a_self_referencing_alias_is_refused(tmp_path):
    path = _write(tmp_path, "self.yaml", "description: &r [*r]\n" + GOOD)  # RecursionError
    with pytest.raises(PortfolioError, match=r"line 1: YAML alias \*r refused"):
        load(path)


def test_anchors_without_aliases_and_merge_keys_of_plain_mappings_are_read(tmp_path):
    text = "cases:\n  C: &c {statement: c, covers: [S]}\n" + SCENARIO
    assert len(load(_write(tmp_path, "anchor.yaml", text)).cases) == 1


# ----------------------------------------------------------------------------- deep inputs


def _chain(n, field="requires", cycle=False):
    """``requires`` (assumptions) or ``rests_on`` (cases) chains of ``n`` entries."""
    if field == "requires":
        lines = ["assumptions:"]
        for i in range(n):
            nxt = f"A{i + 1}" if i < n - 1 else ("A0" if cycle else None)
            req = f", requires: [{nxt}]" if nxt else ""
            lines.append(f"  A{i}: {{statement: a, p_fail: 0.001{req}}}")
        lines += ["cases:", "  C: {statement: c, assumptions: [A0], covers: [S]}"]
    else:
        lines = ["cases:"]
        for i in range(n):
            nxt = f"C{i + 1}" if i < n - 1 else ("C0" if cycle else None)
            rest = f", rests_on: [{nxt}]" if nxt else ", soundness_error: 0.25"
            lines.append(f"  C{i}: {{statement: c, covers: [S]{rest}}}")
    return "\n".join(lines) + "\n" + SCENARIO


def test_a_requires_chain_of_990_assumptions_is_read_and_scored(tmp_path):
    P = load(_write(tmp_path, "chain.yaml", _chain(990)))  # RecursionError before
    # C fails when any of the 990 assumptions does (A0 requires A1 requires ... A989).
    expected = 1 - Fraction(999, 1000) ** 990
    assert P.p_unprotected("S") == pytest.approx(float(expected), rel=1e-12)


def test_a_rests_on_chain_of_990_cases_is_read_and_scored(tmp_path):
    P = load(_write(tmp_path, "rests.yaml", _chain(990, "rests_on")))
    # Every case rests on the last one, the only one that can fail (soundness error 1/4).
    assert P.p_unprotected("S") == pytest.approx(0.25, rel=1e-12)


@pytest.mark.parametrize("field", ["requires", "rests_on"])
def test_a_cycle_of_990_entries_keeps_its_cycle_message(tmp_path, field):
    path = _write(tmp_path, "cycle.yaml", _chain(990, field, cycle=True))
    with pytest.raises(PortfolioError, match=r"cycle of 990 entries: \w0 -> ") as info:
        load(path)
    assert info.value.field == field
    assert len(str(info.value)) < 400  # the cycle is shown by its ends


def test_a_short_cycle_is_shown_in_full():
    data = {
        "assumptions": {
            "A": {"statement": "a", "p_fail": 0.1, "requires": ["B"]},
            "B": {"statement": "b", "p_fail": 0.1, "requires": ["A"]},
        },
        "cases": {"C": {"statement": "c", "assumptions": ["A"], "covers": ["S"]}},
        "scenarios": {"S": {"statement": "s"}},
    }
    with pytest.raises(PortfolioError, match=r"cycle: A -> B -> A \(requires must form a DAG\)"):
        parse(data)


def test_yaml_nesting_past_the_limit_is_refused_with_the_line(tmp_path):
    deep = "[" * 500 + "]" * 500  # RecursionError before
    path = _write(tmp_path, "deep.yaml", "title: t\ndescription: " + deep + "\n")
    with pytest.raises(PortfolioError, match=f"MAX_NESTING = {MAX_NESTING}") as info:
        load(path)
    assert info.value.line == 2


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 995, 100_000])
def test_json_nesting_past_the_limit_is_refused(tmp_path, depth):
    text = '{"description": ' + "[" * depth + "]" * depth + "}"
    with pytest.raises(PortfolioError, match=f"MAX_NESTING = {MAX_NESTING}"):
        load(_write(tmp_path, "deep.json", text))


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_nesting_at_the_limit_is_read_and_the_type_error_says_where(tmp_path, suffix):
    depth = MAX_NESTING - 1  # the top-level mapping is one level
    text = '{"description": ' + "[" * depth + "]" * depth + "}"
    with pytest.raises(PortfolioError, match=r"field 'description': expected a string"):
        load(_write(tmp_path, f"deep.{suffix}", text))


# ----------------------------------------------------------------------------- huge inputs


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("w") as f:
        f.write(GOOD)
        f.write("#" * (MAX_FILE_BYTES + 1 - len(GOOD)) + "\n")
    start = time.perf_counter()
    with pytest.raises(PortfolioError, match="MAX_FILE_BYTES = 4,194,304") as info:
        load(path)
    assert time.perf_counter() - start < 10
    assert info.value.file == str(path)


def test_a_file_just_under_the_size_limit_is_read(tmp_path):
    path = tmp_path / "big.json"
    text = json.dumps({"description": "d" * (2**16), **json.loads(json.dumps(parse_good()))})
    path.write_text(text)
    assert os.path.getsize(path) < MAX_FILE_BYTES
    assert load(path).description == "d" * (2**16)


def parse_good():
    return {
        "cases": {"C": {"statement": "c", "covers": ["S"]}},
        "scenarios": {"S": {"statement": "s"}},
    }


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_without_reading_it_all():
    start = time.perf_counter()  # before: read until MemoryError
    with pytest.raises(PortfolioError, match="MAX_FILE_BYTES"):
        load("/dev/zero")
    assert time.perf_counter() - start < 10


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_without_a_writer_does_not_hang(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(PortfolioError, match="got empty"):
        load(fifo)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_with_a_writer_is_read(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)

    def writer():
        with open(fifo, "w") as f:
            f.write(GOOD)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(100):  # the reader must open after the writer waits: retry briefly
            try:
                P = load(fifo)
                break
            except PortfolioError:
                time.sleep(0.05)
        else:
            pytest.fail("the FIFO was never read")
    finally:
        thread.join(timeout=10)
    assert list(P.cases) == ["C"]


# ----------------------------------------------------------------------------- raw tracebacks


@pytest.mark.parametrize("digits", [400, 4_000])
def test_a_huge_integer_probability_is_not_a_probability(tmp_path, digits):
    text = GOOD.replace("covers: [S]", f"covers: [S], soundness_error: {'9' * digits}")
    with pytest.raises(PortfolioError, match=f"<an integer of {digits:,} digits> is not a prob"):
        load(_write(tmp_path, "big.yaml", text))  # OverflowError before


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_an_integer_past_pythons_digit_limit_is_a_clear_error(tmp_path, suffix):
    number = "9" * 5_000  # a plain ValueError before (PortfolioError is one, but no file)
    if suffix == "json":
        text = json.dumps(parse_good()).replace(
            '"covers"', f'"soundness_error": {number}, "covers"'
        )
    else:
        text = GOOD.replace("covers: [S]", f"covers: [S], soundness_error: {number}")
    with pytest.raises(PortfolioError, match="a number too long to read") as info:
        load(_write(tmp_path, f"big.{suffix}", text))
    assert info.value.file is not None


def test_huge_integers_in_python_data_are_errors_too():
    data = parse_good()
    data["cases"]["C"]["soundness_error"] = 10**400
    with pytest.raises(PortfolioError, match="is not a probability"):
        parse(data)
    data["cases"]["C"]["soundness_error"] = {"beta": [10**400, 1]}
    with pytest.raises(PortfolioError, match="must be a finite number"):
        parse(data)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_in_yaml_are_a_clear_error_with_the_line(tmp_path, char):
    path = _write(tmp_path, "ctrl.yaml", "title: t\ndescription: a" + char + "b\n" + GOOD)
    with pytest.raises(PortfolioError, match="not valid YAML: the character") as info:
        load(path)  # yaml.reader.ReaderError before
    assert info.value.line == 2


@pytest.mark.parametrize("where", ["title", "statement", "source"])
def test_a_lone_surrogate_is_refused_when_read(tmp_path, where):
    data = parse_good()
    if where == "title":
        data["title"] = "t\ud800"
    else:
        data["cases"]["C"][where] = "x\udfff"
    path = _write(tmp_path, "s.json", json.dumps(data))  # \ud800 escapes in the JSON
    with pytest.raises(PortfolioError, match="lone surrogate") as info:
        load(path)  # UnicodeEncodeError in the text report before
    assert info.value.field == where
    with pytest.raises(PortfolioError, match="lone surrogate"):
        parse(data)


def test_a_json_file_with_a_byte_order_mark_is_read(tmp_path):
    path = _write(tmp_path, "bom.json", json.dumps(parse_good()), encoding="utf-8-sig")
    assert list(load(path).cases) == ["C"]
    yaml_path = _write(tmp_path, "bom.yaml", GOOD, encoding="utf-8-sig")
    assert list(load(yaml_path).cases) == ["C"]


def test_a_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"title: t\ndescription: caf\xe9\n" + GOOD.encode())
    with pytest.raises(PortfolioError, match=r"not UTF-8 text \(byte 0xe9") as info:
        load(path)
    assert info.value.line == 2


def test_the_top_level_type_errors_say_where():
    data = {**parse_good(), "title": [None]}
    with pytest.raises(PortfolioError) as info:
        parse(data)
    assert str(info.value) == "<dict>, field 'title': expected a string, got [None]"
    assert info.value.field == "title"


def _bad(**fields):
    data = parse_good()
    data["cases"]["C"].update(fields)
    return data


@pytest.mark.parametrize(
    "data",
    [
        {**parse_good(), "title": ["x" * 10**6]},
        _bad(soundness_error="x" * 10**6),
        {**parse_good(), "cases": {"x" * 10**6 + "!": {"statement": "c", "covers": ["S"]}}},
        _bad(covers=["S" * 10**6]),
        _bad(soundness_error=list(range(10**5))),
        _bad(soundness_error={"beta": list(range(10**5))}),
    ],
    ids=["title", "value", "id", "reference", "list", "distribution"],
)
def test_error_messages_are_bounded(data):
    with pytest.raises(PortfolioError) as info:
        parse(data)
    assert len(str(info.value)) < 4 * MAX_QUOTED_CHARS + 300
    assert "more characters]" in str(info.value) or "..." in str(info.value)


def test_quote_is_safe_on_recursive_and_deep_values():
    loop = []
    loop.append(loop)
    deep: dict = {}
    for _ in range(10_000):
        deep = {"a": deep}
    assert quote(loop) == "[[[[[...]]]]]"
    assert len(quote(deep)) < 100
    with pytest.raises(PortfolioError, match="expected a string"):
        parse({**parse_good(), "description": deep})


def test_a_long_requires_list_is_checked_in_linear_time():
    ids = [f"A{i}" for i in range(50_000)]  # a quadratic repeat check took minutes
    data = parse_good()
    data["assumptions"] = {"A": {"statement": "a", "p_fail": 0.1, "requires": ids}}
    start = time.perf_counter()
    with pytest.raises(PortfolioError, match="unknown assumption 'A0'"):
        parse(data)
    assert time.perf_counter() - start < 10


# ----------------------------------------------------------------------------- the CLI


def test_printable_escapes_control_characters_and_keeps_letters():
    assert printable("évil\x1b[2J\nname\u202e\udcff") == "évil\\x1b[2J\\nname\\u202e\\udcff"
    assert printable("plain é ü") == "plain é ü"


def test_the_cli_escapes_a_crafted_file_name(tmp_path):
    name = "evil\x1b[31m\nknightian: all clear.yaml"
    path = tmp_path / name
    path.write_text("description: &r [*r]\n" + GOOD)
    code, out, err = _cli(["portfolio", "score", str(path)])
    assert code == 3
    assert out == ""
    assert "\x1b" not in err
    assert err.count("\n") == 1  # one line: no injected fake line
    assert "evil\\x1b[31m\\nknightian: all clear.yaml" in err


def test_the_cli_escapes_user_text_in_the_report(tmp_path):
    text = 'title: "red \\e[31m title"\n' + GOOD  # YAML's \e escape is ESC
    path = _write(tmp_path, "esc.yaml", text)
    code, out, _ = _cli(["portfolio", "score", str(path)])
    assert code == 0
    assert "\x1b" not in out
    assert "red \\x1b[31m title" in out


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("bomb.yaml", _alias_bomb(7)),
        ("self.yaml", "description: &r [*r]\n" + GOOD),
        ("chain.yaml", _chain(990, cycle=True)),
        ("deep.yaml", "description: " + "[" * 500 + "]" * 500 + "\n"),
        ("deep.json", '{"description": ' + "[" * 995 + "]" * 995 + "}"),
        ("int.yaml", GOOD.replace("covers: [S]", "covers: [S], soundness_error: " + "9" * 400)),
        ("int.json", '{"cases": {"C": {"statement": "c", "soundness_error": ' + "9" * 5000 + "}}}"),
        ("nul.yaml", "title: a\x00b\n" + GOOD),
        ("surrogate.json", '{"title": "t\\ud800"}'),
        ("title.yaml", "title: [null]\n" + GOOD),
    ],
)
def test_the_cli_exits_3_with_one_clear_line_on_every_reproducer(tmp_path, name, text):
    path = _write(tmp_path, name, text)
    for command in (["score"], ["importance"], ["next", "--scenario", "S"]):
        code, out, err = _cli(["portfolio", *command, str(path)])
        assert (code, out) == (3, ""), err
        assert err.startswith(f"knightian portfolio {command[0]}: error: {path}")
        assert err.count("\n") == 1
        assert "Traceback" not in err


def test_the_cli_accepts_a_json_file_with_a_bom(tmp_path):
    path = _write(tmp_path, "bom.json", json.dumps(parse_good()), encoding="utf-8-sig")
    code, out, _ = _cli(["portfolio", "score", str(path), "--format", "json"])
    assert code == 0
    assert json.loads(out)["scenarios"][0]["p_unprotected"] == 0.0


def test_the_example_still_loads():
    P = portfolios.load(portfolios.EXAMPLE_PATH)
    assert math.isfinite(P.p_unprotected(next(iter(P.scenarios))))


# ----------------------------------------------------------------------------- MEF files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_mef_fifo_without_a_writer_does_not_hang(tmp_path):
    fifo = tmp_path / "model.xml"
    os.mkfifo(fifo)  # before: the open blocked for ever
    with pytest.raises(PortfolioError, match=r"not well-formed XML|root element"):
        portfolios.openpsa.load(fifo)


def test_a_mef_stream_past_the_limit_is_refused(tmp_path, monkeypatch):
    from portfolios import openpsa

    path = tmp_path / "model.xml"
    path.write_text("<opsa-mef>" + "<label>x</label>" * 100 + "</opsa-mef>")
    monkeypatch.setattr(openpsa, "MAX_FILE_BYTES", 1000)  # as for a pipe: no size to stat
    monkeypatch.setattr(openpsa.Path, "stat", lambda self: os.stat_result((0,) * 10))
    with pytest.raises(PortfolioError, match="larger than MAX_FILE_BYTES = 1,000 bytes"):
        openpsa.load(path)


def test_the_faulttree_cli_escapes_a_crafted_file_name(tmp_path):
    path = tmp_path / "evil\x1b[2J\nname.xml"
    path.write_text("<opsa-mef><define-fault-tree name='t'></define-fault-tree>")
    code, out, err = _cli(["faulttree", str(path)])
    assert (code, out) == (3, "")
    assert "\x1b" not in err
    assert err.count("\n") == 1
    assert "evil\\x1b[2J\\nname.xml" in err


@pytest.mark.parametrize(
    ("text", "match", "line"),
    [
        (_alias_bomb(8), r"YAML alias \*a0 refused", 3),
        ("description: " + "[" * 500 + "]" * 500 + "\n", "MAX_NESTING", 1),
        ("title: a\x00b\n" + GOOD, "the character '\\\\x00' is not allowed", 1),
        ("title: a\ntitle: b\n" + GOOD, "duplicate key 'title'", 2),
    ],
)
def test_the_pure_python_yaml_loader_refuses_the_same(tmp_path, monkeypatch, text, match, line):
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)  # PyYAML without libyaml
    with pytest.raises(PortfolioError, match=match) as info:
        load(_write(tmp_path, "p.yaml", text))
    assert info.value.line == line
