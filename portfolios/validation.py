"""The checks every portfolio passes, whether it is read from a file or built in Python.

Definitions
-----------
entry checks
    One entry on its own: its id matches ``[A-Za-z0-9_][A-Za-z0-9_.-]*``, its statement
    (and source, if any) is a non-empty string, every probability is a finite number in
    [0, 1] (a ``bool`` is not a number here), every list of ids is a list or tuple of strings
    without repeats. The entries of :mod:`portfolios.model` run them when they are built, so
    ``Assumption("A", "a", 2.0)`` raises at once.
portfolio checks
    The entries together (:func:`check_portfolio`, run by the
    :class:`~portfolios.portfolio.Portfolio` constructor): at least one case and one scenario,
    each mapping key equal to its entry's id and each entry of its section's type, ids unique
    across the four sections, every reference known and of the right kind (``requires``,
    ``assumptions``, ``rests_on``, ``covers``, the latent variable of a conditional
    ``p_fail``, the parameter named by a ``{param: NAME}``), ``requires`` and ``rests_on``
    acyclic, the parameters' own references acyclic, and every scenario covered.

The entry checks live below the entries (they are re-exported here); the portfolio checks run
on entries already built. Reading plain data (:meth:`Portfolio.from_dict
<portfolios.portfolio.Portfolio.from_dict>`, :func:`portfolios.load`) adds what only plain data
can get wrong (its shape, unknown keys), the file loader (:mod:`portfolios.io`) what only a file
can (duplicate keys, YAML and JSON syntax), and both name the file in every error. Every error is a
:class:`~portfolios.errors.PortfolioError` (a ``ValueError``) naming the section, the entry and
the field; sections that are not mappings, passed to the
:class:`~portfolios.portfolio.Portfolio` constructor, raise a
:class:`~portfolios.errors.PortfolioTypeError` (also a ``TypeError``).

Examples
--------
>>> from portfolios import Assumption
>>> Assumption("A", "a", 2.0)
Traceback (most recent call last):
...
portfolios.errors.PortfolioError: assumptions entry 'A', field 'p_fail': 2.0 is not a probability...
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._checks import SECTIONS, check_id, check_ids, check_probability, check_text
from .errors import PortfolioError, quote
from .model import Assumption, Case, Conditional, Latent, Scenario
from .values import Param, Value

__all__ = [
    "check_id",
    "check_ids",
    "check_portfolio",
    "check_probability",
    "check_text",
]

_SINGULAR = {
    "latent": "latent variable",
    "assumptions": "assumption",
    "cases": "case",
    "scenarios": "scenario",
}


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


def _check_acyclic(
    edges: Mapping[str, tuple[str, ...]], section: str, field: str, file: str | None
) -> None:
    """Refuse a cycle, naming it (a depth-first search with an explicit stack: no recursion)."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    for root in edges:
        if root in state:
            continue
        state[root] = 1
        path = [root]
        stack = [iter(edges[root])]
        while stack:
            for child in stack[-1]:
                if state.get(child) == 1:
                    cycle = [*path[path.index(child) :], child]
                    shown = cycle if len(cycle) <= 12 else [*cycle[:6], "...", *cycle[-3:]]
                    size = "" if len(cycle) <= 12 else f" of {len(cycle) - 1} entries"
                    raise PortfolioError(
                        file,
                        f"cycle{size}: {' -> '.join(shown)} ({field} must form a DAG)",
                        section=section,
                        entry=cycle[0],
                        field=field,
                    )
                if child not in state:
                    state[child] = 1
                    path.append(child)
                    stack.append(iter(edges[child]))
                    break
            else:
                state[path.pop()] = 2
                stack.pop()


def _probability_fields(
    sections: Mapping[str, Mapping[str, Any]],
) -> list[tuple[str, str, str, Value]]:
    """Every probability value of the entries: (section, entry, field, value)."""
    out: list[tuple[str, str, str, Value]] = []
    for key, v in sections["latent"].items():
        out.append(("latent", key, "p_fail", v.p_fail))
    for key, a in sections["assumptions"].items():
        if isinstance(a.p_fail, Conditional):
            out += [("assumptions", key, "p_fail", a.p_fail.holds)]
            out += [("assumptions", key, "p_fail", a.p_fail.fails)]
        else:
            out.append(("assumptions", key, "p_fail", a.p_fail))
    for key, c in sections["cases"].items():
        out.append(("cases", key, "soundness_error", c.soundness_error))
    return out


def _check_parameters(
    sections: Mapping[str, Mapping[str, Any]],
    parameters: Mapping[str, Value],
    owner: Mapping[str, str],
    file: str | None,
) -> None:
    """Parameter names are new ids, every ``{param: NAME}`` names one, and no cycle."""
    for name in parameters:
        if name in owner:
            raise PortfolioError(
                file,
                f"duplicate id: {quote(name)} is already used in {quote(owner[name])}",
                section="parameters",
                entry=name,
            )
    known = ", ".join(parameters) or "none (add a top-level 'parameters' section)"
    for section, entry, field, value in _probability_fields(sections):
        if isinstance(value, Param) and value.name not in parameters:
            raise PortfolioError(
                file,
                f"unknown parameter {quote(value.name)} (known parameters: {known})",
                section=section,
                entry=entry,
                field=field,
            )
    for name, value in parameters.items():
        if isinstance(value, Param) and value.name not in parameters:
            raise PortfolioError(
                file,
                f"unknown parameter {quote(value.name)} (known parameters: {known})",
                section="parameters",
                entry=name,
                field="param",
            )
    links = {k: (v.name,) if isinstance(v, Param) else () for k, v in parameters.items()}
    _check_acyclic(links, "parameters", "param", file)


def check_portfolio(
    sections: Mapping[str, Mapping[str, Any]],
    *,
    file: str | None,
    parameters: Mapping[str, Value] | None = None,
) -> None:
    """Run the portfolio checks (module docstring) on the four sections of entries.

    Parameters
    ----------
    sections : mapping
        ``{"latent": ..., "assumptions": ..., "cases": ..., "scenarios": ...}``, each a mapping
        from id to an entry of :mod:`portfolios.model`.
    file : str or None
        The file to name in errors, if any.
    parameters : mapping of str to value, optional
        The shared parameters (``Entries.parameters``).

    Raises
    ------
    PortfolioError
        Naming the section, the entry and the field of the first problem found.
    """
    kinds: dict[str, type[Latent] | type[Assumption] | type[Case] | type[Scenario]] = {
        "latent": Latent,
        "assumptions": Assumption,
        "cases": Case,
        "scenarios": Scenario,
    }

    def error(
        problem: str, section: str, entry: str | None = None, field: str | None = None
    ) -> PortfolioError:
        return PortfolioError(file, problem, section=section, entry=entry, field=field)

    for name in ("cases", "scenarios"):
        if not sections[name]:
            raise PortfolioError(file, f"missing or empty section {name!r}")
    owner: dict[str, str] = {}
    for section in SECTIONS:
        kind = kinds[section]
        for key, entry in sections[section].items():
            try:
                check_id(key, section)
            except PortfolioError as err:
                raise err.located(file) from None
            if not isinstance(entry, kind):
                raise error(
                    f"expected {_article(kind.__name__)} {kind.__name__}, got {quote(entry)}",
                    section,
                    key,
                )
            if entry.id != key:
                raise error(
                    f"the entry's id is {quote(entry.id)}, not its key {quote(key)}", section, key
                )
            if key in owner:
                raise error(
                    f"duplicate id: {quote(key)} is already used in {quote(owner[key])}",
                    section,
                    key,
                )
            owner[key] = section

    def reference(name: str, target: str, section: str, entry: str, field: str) -> None:
        if owner.get(name) == target:
            return
        if name in owner:
            other, wanted = _SINGULAR[owner[name]], _SINGULAR[target]
            problem = f"{quote(name)} is {_article(other)} {other}, not {_article(wanted)} {wanted}"
        else:
            problem = f"unknown {_SINGULAR[target]} {quote(name)}"
        raise error(problem, section, entry, field)

    for key, a in sections["assumptions"].items():
        if isinstance(a.p_fail, Conditional):
            reference(a.p_fail.latent, "latent", "assumptions", key, "p_fail")
        for name in a.requires:
            reference(name, "assumptions", "assumptions", key, "requires")
    for key, c in sections["cases"].items():
        for field, target in (
            ("assumptions", "assumptions"),
            ("rests_on", "cases"),
            ("covers", "scenarios"),
        ):
            for name in getattr(c, field):
                reference(name, target, "cases", key, field)
    _check_acyclic(
        {k: a.requires for k, a in sections["assumptions"].items()}, "assumptions", "requires", file
    )
    _check_acyclic({k: c.rests_on for k, c in sections["cases"].items()}, "cases", "rests_on", file)
    _check_parameters(sections, parameters or {}, owner, file)
    covered = {s for c in sections["cases"].values() for s in c.covers}
    for key in sections["scenarios"]:
        if key not in covered:
            raise error(
                "no case covers this scenario (list it in some case's 'covers')",
                "scenarios",
                key,
                "covers",
            )
