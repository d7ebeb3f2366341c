"""Fuzzing the readers: any input gives a documented error or a valid answer (issue 12).

Three fuzzers, bounded (the profile's ``max_examples``, derandomized under the ``ci`` profile
of tests/conftest.py; ``HYPOTHESIS_PROFILE=thorough`` for a long run):

* portfolio dicts: a valid drawn portfolio (:func:`portfolios.strategies.portfolio_dicts`) with
  a few hostile edits (a field replaced by a hostile value, deleted, or an unknown one added;
  a reference redirected, which can close a cycle);
* portfolio files: the YAML or JSON text of a valid portfolio with a few edits of its
  characters (YAML's ``&``, ``*``, ``!``, brackets, control characters, a lone surrogate, ...);
* MEF files: the XML of a small fault tree with a few edits of its characters.

The property: reading raises a :class:`~portfolios.errors.PortfolioError` whose message is one
bounded string, or gives a model whose answers are valid probabilities, and the methods agree:
``exact``, ``bdd`` and ``enumerate`` for P(unprotected) of a portfolio of point
probabilities; the two static variable orders, and both BDD backends where installed, for a
fault tree.
"""

import json
import math

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolios import PortfolioError, openpsa
from portfolios.errors import ComputationLimitError
from portfolios.ftengine import BACKENDS
from portfolios.io import load, parse
from portfolios.strategies import portfolio_dicts

MAX_MESSAGE = 3_000

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**500), max_value=10**500),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.sampled_from(["", " ", "1e-3", "\x00", "\x1b[31m", "t\ud800", "x" * 5_000, "A0", "S0"]),
    st.lists(st.one_of(st.integers(-2, 2), st.floats(0, 1), st.text(max_size=3)), max_size=4),
    st.dictionaries(
        st.sampled_from(["beta", "param", "holds", "fails", "W0", "uniform", "x"]),
        st.one_of(st.floats(0, 2), st.lists(st.floats(0, 2), max_size=3), st.text(max_size=2)),
        max_size=2,
    ),
)


def _paths(data, prefix=()):
    """Every (path, value) of nested dicts, down to the fields of the entries."""
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            out.append(((*prefix, key), value))
            if len(prefix) < 3:
                out += _paths(value, (*prefix, key))
    return out


def _parent(data, path):
    """The mapping holding ``path[-1]``, or None if an earlier edit replaced it."""
    for key in path[:-1]:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None


def _set(data, path, value):
    parent = _parent(data, path)
    if parent is not None:
        parent[path[-1]] = value


def _delete(data, path):
    parent = _parent(data, path)
    if parent is not None:
        parent.pop(path[-1], None)


@st.composite
def hostile_dicts(draw):
    data = draw(portfolio_dicts(max_assumptions=4, max_cases=3, max_scenarios=2))
    for _ in range(draw(st.integers(0, 3))):
        paths = _paths(data)
        if not paths:
            break
        path, _ = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "add", "reference"]))
        if action == "replace":
            _set(data, path, draw(HOSTILE))
        elif action == "delete":
            _delete(data, path)
        elif action == "add":
            _set(data, (*path[:-1], draw(st.sampled_from(["extra", "p_fail", "covers"]))), 1)
        else:  # point a list of ids at any id: can close a cycle or name the wrong kind
            ids = [key for section in data.values() if isinstance(section, dict) for key in section]
            field = draw(st.sampled_from(["requires", "rests_on", "covers", "assumptions"]))
            _set(data, (*path[:2], field)[:3], draw(st.lists(st.sampled_from(ids), max_size=3)))
    return data


def _check_error(err):
    message = str(err)
    assert isinstance(message, str)
    assert len(message) < MAX_MESSAGE, message[:300]
    message.encode("utf-8", "backslashreplace")


def _check_portfolio(P):
    """Valid answers, and exact, bdd and enumerate agree where the values are points."""
    for s in P.scenarios:
        try:
            exact = P.p_unprotected(s)
        except ComputationLimitError:
            continue
        except PortfolioError as err:  # an interval has no point value: documented
            _check_error(err)
            continue
        assert 0.0 <= exact <= 1.0
        for method in ("bdd", "enumerate"):
            try:
                other = P.p_unprotected(s, method=method)
            except ComputationLimitError:
                continue
            assert other == pytest.approx(exact, rel=1e-9, abs=1e-12), (s, method)


def _read_dict(data):
    try:
        P = parse(data)
    except PortfolioError as err:
        _check_error(err)
        return
    _check_portfolio(P)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(hostile_dicts())
def test_fuzz_portfolio_dicts(data):
    _read_dict(data)


EDIT_CHARS = st.sampled_from(
    [*"&*!|>[]{}:,-?#%@`'\"\n\t 0123456789.eE", "\x00", "\x1b", "\x85", "\ud800", "\ufeff"]
)


@st.composite
def edited_text(draw, text):
    chars = list(text)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(chars)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "repeat"]))
        if action == "insert":
            chars.insert(i, draw(EDIT_CHARS))
        elif action == "delete" and i < len(chars):
            del chars[i]
        elif action == "replace" and i < len(chars):
            chars[i] = draw(EDIT_CHARS)
        elif action == "repeat":  # duplicate a slice: duplicate keys, deeper nesting
            j = draw(st.integers(i, min(len(chars), i + 40)))
            chars[i:i] = chars[i:j]
    return "".join(chars)


@st.composite
def portfolio_texts(draw):
    data = draw(portfolio_dicts(max_assumptions=3, max_cases=3, max_scenarios=2))
    suffix = draw(st.sampled_from(["yaml", "json"]))
    text = json.dumps(data) if suffix == "json" else yaml.safe_dump(data, sort_keys=False)
    if suffix == "yaml" and draw(st.booleans()):
        text = text.replace("statement:", "statement: &s", 1)  # an anchor to alias
    return suffix, draw(edited_text(text))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(portfolio_texts())
def test_fuzz_portfolio_files(tmp_path, case):
    suffix, text = case
    path = tmp_path / f"p.{suffix}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        P = load(path)
    except PortfolioError as err:
        _check_error(err)
        assert err.file == str(path)  # noqa: PT017 (the error of any input, not one expected)
        return
    _check_portfolio(P)


MEF = """<?xml version="1.0"?>
<opsa-mef>
  <define-fault-tree name="t">
    <define-gate name="top"><or><gate name="g1"/><gate name="g2"/></or></define-gate>
    <define-gate name="g1"><and><basic-event name="a"/><basic-event name="b"/></and></define-gate>
    <define-gate name="g2">
      <atleast min="2">
        <basic-event name="b"/><basic-event name="c"/><not><basic-event name="d"/></not>
      </atleast>
    </define-gate>
    <define-basic-event name="a"><float value="0.1"/></define-basic-event>
  </define-fault-tree>
  <model-data>
    <define-basic-event name="b"><float value="0.2"/></define-basic-event>
    <define-basic-event name="c"><float value="0.3"/></define-basic-event>
    <define-basic-event name="d"><float value="0.4"/></define-basic-event>
  </model-data>
</opsa-mef>
"""


def _check_tree(T):
    orders = [T, T.with_options(order="dfs")]
    backends = [T.with_options(backend=b) for b in BACKENDS if b != T.backend]
    for g in T.top_gates:
        try:
            p = T.probability(g)
        except PortfolioError as err:  # too large, or a basic event without a probability
            _check_error(err)
            continue
        assert 0.0 <= p <= 1.0 or math.isclose(p, 1.0)
        for other in orders[1:] + backends:
            try:
                q = other.probability(g)
            except ComputationLimitError:
                continue
            assert q == pytest.approx(p, rel=1e-9, abs=1e-15)


def test_the_mef_seed_of_the_fuzzer_is_valid_and_its_value_is_right(tmp_path):
    path = tmp_path / "t.xml"
    path.write_text(MEF)
    T = openpsa.load(path)
    # top = ab | atleast 2 of (b, c, not d), by brute force over the 16 states
    p = {"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4}
    total = 0.0
    for bits in range(16):
        x = {e: bool(bits >> i & 1) for i, e in enumerate("abcd")}
        if (x["a"] and x["b"]) or (x["b"] + x["c"] + (not x["d"])) >= 2:
            weight = 1.0
            for e in "abcd":
                weight *= p[e] if x[e] else 1 - p[e]
            total += weight
    assert T.probability("top") == pytest.approx(total, rel=1e-12)
    _check_tree(T)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edited_text(MEF))
def test_fuzz_mef_files(tmp_path, text):
    path = tmp_path / "t.xml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        T = openpsa.load(path)
    except PortfolioError as err:
        _check_error(err)
        return
    _check_tree(T)
