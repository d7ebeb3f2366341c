"""A portfolio's entries as a GSN argument in gsn2x YAML, as plain data (:mod:`portfolios.gsn`).

One goal per scenario, made multi-legged (``legs: independent``) over one goal per covering
case; a case's goal is in the context of one assumption node per assumption it rests on
(``requires`` followed, so that an assumption failing through a requirement fails the case as
in the portfolio) and supported by the goals of the cases it ``rests_on``; a case that rests on
no case is ``undeveloped`` with ``p_fail`` its soundness error. With several scenarios, a root
goal ``G0`` (every scenario is protected) is supported by a strategy ``S0`` over the scenario
goals. Latent variables go to ``module.latent``. The ids are ``G_<id>`` for scenarios and cases
and ``A_<id>`` for assumptions. Probabilities are written as layer strings; a shared parameter
is replaced by its value (GSN layers have no parameters), so a shared interval or distribution
becomes one copy per use.
"""

from __future__ import annotations

from typing import Any

from .model import Conditional, Entries
from .values import Distribution, Interval, Param, Value, value_to_data

__all__ = ["layer_text", "to_gsn_document"]


def layer_text(value: Value) -> str:
    """Write a probability value as a gsn2x layer string (``"0.1"``, ``"[0.05, 0.15]"``).

    Examples
    --------
    >>> from portfolios.values import Beta, Interval
    >>> layer_text(0.1), layer_text(Interval(0.05, 0.15)), layer_text(Beta(2, 8))
    ('0.1', '[0.05, 0.15]', '{beta: [2.0, 8.0]}')
    """
    if isinstance(value, Interval | Distribution | Param):
        import yaml

        text: str = yaml.safe_dump(value_to_data(value), default_flow_style=True, width=10**6)
        return text.strip().removesuffix("...").strip()
    return repr(float(value))


def _resolve(value: Any, parameters: Any) -> Any:
    seen = set()
    while isinstance(value, Param):
        if value.name in seen:  # pragma: no cover - the portfolio checks refuse cycles
            break
        seen.add(value.name)
        value = parameters[value.name]
    return value


def to_gsn_document(entries: Entries) -> dict[str, Any]:
    """Return the portfolio as one gsn2x document (module docstring).

    Examples
    --------
    >>> from portfolios import Portfolio
    >>> P = Portfolio.from_dict({
    ...     "assumptions": {"a": {"statement": "a holds", "p_fail": 0.1}},
    ...     "cases": {"x": {"statement": "x", "assumptions": ["a"], "soundness_error": 0.2,
    ...                     "covers": ["s"]}},
    ...     "scenarios": {"s": {"statement": "s is safe"}},
    ... })
    >>> doc = to_gsn_document(P.entries)
    >>> doc["G_s"]
    {'text': 's is safe', 'supportedBy': ['G_x'], 'legs': 'independent'}
    >>> doc["G_x"]
    {'text': 'x', 'inContextOf': ['A_a'], 'undeveloped': True, 'p_fail': '0.2'}
    """
    params = entries.parameters

    def text(value: Any) -> str:
        return layer_text(_resolve(value, params))

    def statement(s: str) -> str:
        return " ".join(s.split())

    module: dict[str, Any] = {"name": entries.title or entries.file or "portfolio"}
    if entries.description:
        module["brief"] = statement(entries.description)
    if entries.latent:
        module["latent"] = {
            w: {"text": statement(x.statement), "p_fail": text(x.p_fail)}
            for w, x in entries.latent.items()
        }
    doc: dict[str, Any] = {"module": module}
    scenarios = list(entries.scenarios)
    if len(scenarios) > 1:
        doc["G0"] = {"text": "Every scenario is protected", "supportedBy": ["S0"]}
        doc["S0"] = {
            "text": "Argue over each scenario",
            "supportedBy": [f"G_{s}" for s in scenarios],
        }
    covering: dict[str, list[str]] = {s: [] for s in scenarios}
    for c, case in entries.cases.items():
        for s in case.covers:
            covering[s].append(c)
    for s, scenario in entries.scenarios.items():
        node: dict[str, Any] = {
            "text": statement(scenario.statement),
            "supportedBy": [f"G_{c}" for c in covering[s]],
            "legs": "independent",
        }
        if scenario.max_risk is not None:
            node["max_risk"] = repr(scenario.max_risk)
        doc[f"G_{s}"] = node

    def closure(ids: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        stack = list(reversed(ids))
        while stack:
            a = stack.pop()
            if a in out:
                continue
            out.append(a)
            stack.extend(reversed(entries.assumptions[a].requires))
        return out

    for c, case in entries.cases.items():
        node = {"text": statement(case.statement)}
        context = closure(case.assumptions)
        if context:
            node["inContextOf"] = [f"A_{a}" for a in context]
        if case.rests_on:
            node["supportedBy"] = [f"G_{r}" for r in case.rests_on]
            node["soundness_error"] = text(case.soundness_error)
        else:
            node["undeveloped"] = True
            node["p_fail"] = text(case.soundness_error)
        if case.source is not None:
            node["source"] = statement(case.source)
        doc[f"G_{c}"] = node
    for a, assumption in entries.assumptions.items():
        node = {"text": statement(assumption.statement)}
        p = assumption.p_fail
        if isinstance(p, Conditional):
            node.update(depends_on=p.latent, holds=text(p.holds), fails=text(p.fails))
        else:
            node["p_fail"] = text(p)
        if assumption.source is not None:
            node["source"] = statement(assumption.source)
        doc[f"A_{a}"] = node
    return doc
