"""Renderings of a :class:`~portfolios.scores.PortfolioScore`: plain data, JSON, text, Markdown.

Definitions
-----------
The JSON document (``format`` = ``"knightian.portfolios.score/2"``) holds ``title``, ``file``,
``description`` and a list ``scenarios``; each scenario has ``id``, ``statement``,
``covering_cases``, ``p_unprotected``, ``max_risk``, ``within_tolerance``, ``case_failure``
(id -> probability), ``independent_product``, ``coincidence_ratio``, ``independent_cases``,
``single_case``, and ``cut_sets`` (``max_order``, ``min_order``, ``count_by_order``,
``single_points_of_failure``, ``note`` (``null``, or why no cut set is listed) and the list
``sets`` of ``{"events", "order", "probability"}``),
``bounds`` and ``unknown_dependence`` (``null``, or ``{"lower", "upper", "dependence", "method",
"tight", "lower_at", "upper_at"}``) and ``case_bounds`` (id -> ``[lower, upper]`` for the cases
whose failure depends on an interval probability). Undefined scores are ``null`` (among them
``p_unprotected``, a case's probability, the product and a cut set's probability when they
depend on an interval probability: ``bounds`` then holds the interval); an infinite one is the
string ``"inf"`` (JSON has no infinity). The text and Markdown renderings show the interval
where there is no point value, and the unknown-dependence interval when it was computed.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping
from typing import Any, Protocol

from . import _html
from ._table import markdown_table
from .cutsets import CutSets

__all__ = [
    "FORMAT",
    "json_number",
    "render_json",
    "render_markdown",
    "render_text",
    "score_to_dict",
]

#: The identifier of the JSON document layout.
FORMAT = "knightian.portfolios.score/2"


class _Interval(Protocol):
    """What the renderings read of an interval (a :class:`~portfolios.bounds.Bounds`)."""

    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def method(self) -> str: ...
    @property
    def tight(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...


class _Scenario(Protocol):
    """What the renderings read of one scenario's score (a ScenarioScore has it all)."""

    @property
    def scenario(self) -> str: ...
    @property
    def statement(self) -> str: ...
    @property
    def covering_cases(self) -> tuple[str, ...]: ...
    @property
    def p_unprotected(self) -> float: ...
    @property
    def max_risk(self) -> float | None: ...
    @property
    def within_tolerance(self) -> bool | None: ...
    @property
    def case_failure(self) -> Mapping[str, float]: ...
    @property
    def independent_product(self) -> float: ...
    @property
    def coincidence_ratio(self) -> float | None: ...
    @property
    def independent_cases(self) -> float | None: ...
    @property
    def single_case(self) -> bool: ...
    @property
    def cut_sets(self) -> CutSets | None: ...
    @property
    def bounds(self) -> _Interval | None: ...
    @property
    def unknown_dependence(self) -> _Interval | None: ...
    @property
    def case_bounds(self) -> Mapping[str, _Interval]: ...


class _Score(Protocol):
    """What the renderings read of a portfolio's score (a PortfolioScore has it all).

    The renderers read the score through this interface rather than import its class, so that
    :class:`~portfolios.scores.PortfolioScore` can call them from its own methods.
    """

    @property
    def scenarios(self) -> Mapping[str, _Scenario]: ...
    @property
    def title(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def file(self) -> str | None: ...


def json_number(x: float | None) -> float | str | None:
    """Return ``x`` for strict JSON: undefined (None or nan) is None, an infinity a string.

    The convention of every JSON document of the package (this report and the ``importance``
    and ``next`` commands).
    """
    if x is None or math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return float(x)


def _scenario_dict(s: _Scenario) -> dict[str, Any]:
    cuts = s.cut_sets
    assert cuts is not None
    return {
        "id": s.scenario,
        "statement": s.statement,
        "covering_cases": list(s.covering_cases),
        "p_unprotected": json_number(s.p_unprotected),
        "max_risk": s.max_risk,
        "within_tolerance": s.within_tolerance,
        "case_failure": {c: json_number(p) for c, p in s.case_failure.items()},
        "independent_product": json_number(s.independent_product),
        "coincidence_ratio": json_number(s.coincidence_ratio),
        "independent_cases": json_number(s.independent_cases),
        "single_case": s.single_case,
        "cut_sets": {
            "max_order": cuts.max_order,
            "min_order": cuts.min_order,
            "count_by_order": {str(k): v for k, v in cuts.count_by_order().items()},
            "single_points_of_failure": [e.label for e in cuts.single_points_of_failure],
            "note": cuts.note,
            "sets": [
                {
                    "events": list(c.labels),
                    "order": c.order,
                    "probability": json_number(c.probability),
                }
                for c in cuts
            ],
        },
        "bounds": None if s.bounds is None else s.bounds.to_dict(),
        "unknown_dependence": (
            None if s.unknown_dependence is None else s.unknown_dependence.to_dict()
        ),
        "case_bounds": {c: [b.lower, b.upper] for c, b in s.case_bounds.items()},
    }


def score_to_dict(score: _Score) -> dict[str, Any]:
    """Return the score as plain data (the JSON document, see the module docstring)."""
    return {
        "format": FORMAT,
        "title": score.title,
        "file": score.file,
        "description": score.description,
        "scenarios": [_scenario_dict(s) for s in score.scenarios.values()],
    }


def render_json(score: _Score, *, indent: int | None = 2) -> str:
    """Return the JSON document (strict JSON: no NaN or Infinity)."""
    return json.dumps(score_to_dict(score), indent=indent, allow_nan=False)


def _fmt(x: float | None) -> str:
    if x is None:
        return "undefined"
    if math.isnan(x):
        return "-"
    if math.isinf(x):
        return "inf"
    return f"{x:.4g}"


def _interval(b: _Interval) -> str:
    return f"[{_fmt(b.lower)}, {_fmt(b.upper)}]"


def _p(s: _Scenario) -> str:
    """P(unprotected): the point value, or the interval when it depends on one."""
    return _interval(s.bounds) if s.bounds is not None else _fmt(s.p_unprotected)


def _case_p(s: _Scenario, c: str) -> str:
    return _interval(s.case_bounds[c]) if c in s.case_bounds else _fmt(s.case_failure[c])


def _how(b: _Interval) -> str:
    return f"{b.method}, {'tight' if b.tight else 'not tight'}"


def _against(lower: float, upper: float, limit: float) -> str:
    if upper <= limit:
        return "within"
    return "EXCEEDED" if lower > limit else "EXCEEDED at the upper bound"


def _verdict(s: _Scenario) -> str:
    """Return the tolerance check under the model, and under unknown dependence if it differs."""
    if s.max_risk is None:
        return "no tolerance set"
    if s.bounds is not None:
        verdict = _against(s.bounds.lower, s.bounds.upper, s.max_risk)
    else:
        verdict = _against(s.p_unprotected, s.p_unprotected, s.max_risk)
    u = s.unknown_dependence
    if u is not None and _against(u.lower, u.upper, s.max_risk) != verdict:
        verdict += f"; unknown dependence: {_against(u.lower, u.upper, s.max_risk)}"
    return f"max_risk {s.max_risk:.4g}: {verdict}"


def _cut_summary(s: _Scenario) -> str:
    cuts = s.cut_sets
    assert cuts is not None
    if cuts.note is not None:
        return cuts.note
    counts = ", ".join(f"{n} of order {k}" for k, n in sorted(cuts.count_by_order().items()))
    return f"{counts or 'none'} (listed up to order {cuts.max_order})"


def _wrapped(label: str, text: str) -> list[str]:
    return textwrap.wrap(
        text,
        78,
        initial_indent=f"  {label:<25}",
        subsequent_indent=" " * 27,
        break_on_hyphens=False,
    )


def render_text(score: _Score, *, max_listed: int = 5) -> str:
    """Return a plain-text report, listing the ``max_listed`` most likely cut sets per scenario."""
    lines = [f"Safety-case portfolio: {score.title or score.file}"]
    if score.file and score.title:
        lines.append(f"file: {score.file}")
    if score.description:
        lines += textwrap.wrap(" ".join(score.description.split()), 78)
    for s in score.scenarios.values():
        cuts = s.cut_sets
        assert cuts is not None
        lines += ["", f"scenario {s.scenario}"]
        lines += textwrap.wrap(
            " ".join(s.statement.split()), 78, initial_indent="  ", subsequent_indent="  "
        )
        cases = ", ".join(f"{c} ({_case_p(s, c)})" for c in s.case_failure)
        lines += _wrapped("covering cases (P fail)", cases)
        lines.append(f"  P(unprotected)           {_p(s)}   {_verdict(s)}")
        if s.bounds is not None:
            lines.append(
                "                           (the tightest interval over the interval probabilities)"
            )
        if s.unknown_dependence is not None:
            u = s.unknown_dependence
            lines.append(f"  unknown dependence       {_interval(u)}   ({_how(u)})")
        lines.append(f"  if independent           {_fmt(s.independent_product)}")
        lines.append(f"  coincidence ratio        {_fmt(s.coincidence_ratio)}")
        k = len(s.covering_cases)
        lines.append(f"  independent cases        {_fmt(s.independent_cases)} of {k}")
        if s.single_case:
            lines.append("  WARNING: a single case covers this scenario")
        spof = ", ".join(e.label for e in cuts.single_points_of_failure) or "none"
        lines += _wrapped("single points of failure", spof)
        lines += _wrapped("minimal cut sets", _cut_summary(s))
        for c in list(cuts)[:max_listed]:
            lines.append(
                f"    order {c.order}  p={_fmt(c.probability):<10} {{{', '.join(c.labels)}}}"
            )
        if len(cuts) > max_listed:
            lines.append(f"    ... {len(cuts) - max_listed} more")
    return "\n".join(lines) + "\n"


def _summary(score: _Score, code: str) -> tuple[list[str], list[list[str]], str]:
    """Return the summary table (header, rows, alignment); ids are wrapped in ``code``."""
    unknown = any(s.unknown_dependence is not None for s in score.scenarios.values())
    header = ["scenario", "cases", "P(unprotected)"]
    header += ["unknown dependence"] if unknown else []
    header += ["max_risk", "if independent"]
    header += ["coincidence ratio", "independent cases", "single points of failure"]
    rows = []
    for s in score.scenarios.values():
        cuts = s.cut_sets
        assert cuts is not None
        risk = "-" if s.max_risk is None else _verdict(s).replace("max_risk ", "")
        spof = ", ".join(f"{code}{e.label}{code}" for e in cuts.single_points_of_failure)
        spof = spof or "none"
        cases = f"{len(s.covering_cases)}" + (" (single case)" if s.single_case else "")
        numbers = (s.independent_product, s.coincidence_ratio, s.independent_cases)
        independent, ratio, effective = (_fmt(x) for x in numbers)
        row = [f"{code}{s.scenario}{code}", cases, _p(s)]
        if unknown:
            u = s.unknown_dependence
            row.append("-" if u is None else f"{_interval(u)} ({_how(u)})")
        rows.append([*row, risk, independent, ratio, effective, spof])
    return header, rows, "lrrrlrrrl" if unknown else "lrrlrrrl"


def render_markdown(score: _Score, *, max_listed: int = 5) -> str:
    """Return a Markdown report: a summary table, then the cut sets of each scenario."""
    out = [f"# Safety-case portfolio: {score.title or score.file}", ""]
    if score.description:
        out += [" ".join(score.description.split()), ""]
    out += markdown_table(*_summary(score, "`"))
    for s in score.scenarios.values():
        cuts = s.cut_sets
        assert cuts is not None
        out += ["", f"## `{s.scenario}`", "", s.statement.strip(), ""]
        out.append(
            "Covering cases: " + ", ".join(f"`{c}` ({_case_p(s, c)})" for c in s.case_failure)
        )
        out += ["", f"Minimal cut sets: {_cut_summary(s)}.", ""]
        rows = [
            [str(c.order), _fmt(c.probability), ", ".join(f"`{x}`" for x in c.labels)]
            for c in list(cuts)[:max_listed]
        ]
        out += markdown_table(["order", "probability", "events"], rows, "rrl")
        if len(cuts) > max_listed:
            out += ["", f"... and {len(cuts) - max_listed} more."]
    return "\n".join(out) + "\n"


def render_html(score: _Score, *, max_listed: int = 5) -> str:
    """Return the HTML fragment Jupyter shows: the summary table, then each scenario's cut sets."""
    parts = [_html.table(*_summary(score, ""))]
    for s in score.scenarios.values():
        cuts = s.cut_sets
        assert cuts is not None
        rows = [
            [str(c.order), _fmt(c.probability), "{" + ", ".join(c.labels) + "}"]
            for c in list(cuts)[:max_listed]
        ]
        if len(cuts) > max_listed:
            rows.append(["", "", f"... and {len(cuts) - max_listed} more"])
        caption = f"{s.scenario}: minimal cut sets, {_cut_summary(s)}"
        parts.append(_html.table(["order", "probability", "events"], rows, "rrl", caption=caption))
    notes = [" ".join(score.description.split())] if score.description else []
    return _html.document(
        f"Safety-case portfolio: {score.title or score.file}", *parts, notes=notes
    )
