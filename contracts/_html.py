"""HTML tables for Jupyter: the ``_repr_html_`` of the results, beside their text ``repr``.

A result renders as a ``<table>`` with a caption (its class name and a one-line summary), a header
row when it is a table, and one cell per number. An exact ``Fraction`` is typeset as a built-up
fraction, ``<sup>7</sup>&frasl;<sub>10</sub>``, inside ``<span class="frac" title="7/10">``: the
title keeps the plain ``7/10`` for a reader's tooltip, a copy-paste and the tests. Floats are shown
with the text repr's 6 significant digits. Everything else is text, escaped with
:func:`html.escape`; nothing of a result's strings reaches the page unescaped.
"""

from __future__ import annotations

import dataclasses
import html
import numbers
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ._numbers import fmt

__all__ = ["HtmlRepr", "cell", "fields", "number", "table"]

_STYLE = "border-collapse: collapse; text-align: right"


def number(x: Any) -> str:
    """Return the HTML of one number: a typeset fraction, an integer, or a float's 6 digits."""
    if isinstance(x, Fraction) and x.denominator != 1:
        sign = "&minus;" if x < 0 else ""
        p, q = abs(x.numerator), x.denominator
        return (
            f'{sign}<span class="frac" title="{html.escape(str(x))}">'
            f"<sup>{p}</sup>&frasl;<sub>{q}</sub></span>"
        )
    return html.escape(fmt(x))


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Real | np.number) and not isinstance(x, bool | np.bool_)


def cell(x: Any) -> str:
    """Return the HTML content of one cell for any value (escaped; numbers typeset)."""
    if _is_number(x):
        return number(x)
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, Mapping):
        return (
            "{"
            + ", ".join(
                f"{cell(k) if _is_number(k) else html.escape(str(k))}: {cell(v)}"
                for k, v in x.items()
            )
            + "}"
        )
    if isinstance(x, list | tuple) and all(_is_number(v) for v in x):
        return ", ".join(number(v) for v in x)
    text = x if isinstance(x, str) else repr(x)
    if "\n" in text:
        return f'<pre style="text-align: left">{html.escape(text)}</pre>'
    return html.escape(text)


def table(caption: str, header: Sequence[str] | None, rows: Iterable[Sequence[Any]]) -> str:
    """Return a ``<table>``: ``caption`` (text), an optional header row, and rows of values.

    The first cell of each row is a row label (``<th scope="row">``) when there is a header.
    """
    out = [f'<table class="knightian" style="{_STYLE}">']
    out.append(f"<caption>{html.escape(caption)}</caption>")
    if header is not None:
        out.append(
            "<thead><tr>"
            + "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
            + "</tr></thead>"
        )
    out.append("<tbody>")
    for row in rows:
        cells = list(row)
        first, rest = cells[0], cells[1:]
        out.append(
            f'<tr><th scope="row" style="text-align: left">{cell(first)}</th>'
            + "".join(f"<td>{cell(v)}</td>" for v in rest)
            + "</tr>"
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def fields(obj: Any, caption: str | None = None) -> str:
    """Return a two-column table of a dataclass's shown fields (those in its ``repr``)."""
    rows = [(f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.repr]
    return table(caption or type(obj).__name__, ("field", "value"), rows)


class HtmlRepr:
    """Mixin: ``_repr_html_`` as the table of the dataclass's shown fields (see :func:`fields`)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return fields(self)
