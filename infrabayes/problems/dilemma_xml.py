r"""Read and write the XML dilemma language of the Decision Theory Simulator.

The Decision Theory Simulator (J. Pombrio, github.com/justinpombrio/decision-theory-simulator)
writes decision problems in XML (its schema ``dilemma.xsd``): a
``<dilemma name=... xml-author=...>`` holds a ``<description>`` and a
``<scenario start=...>`` of ``<agent>`` names and top-level ``<event>`` elements. An event is one of

* ``<random id>`` with ``<case prob>`` children (decimal probabilities): a :class:`Chance`;
* ``<decide agent decision id>`` with ``<case action>`` children: a :class:`Decision`, its
  ``decision`` being the information set (several ``decide`` events of one decision are nodes
  the agent cannot tell apart);
* ``<predict agent decision id>``, a nested ``<scenario>`` (what the predictor simulates) and
  ``<case action>`` children: a :class:`Predictor` that reads the information set ``decision``
  (it never errs: the format writes errors as a ``random`` around the prediction);
* ``<forced_decide agent decision id>`` with one ``<case action>``: the agent "takes" the action
  without a choice (the format's device for the cosmic ray and the lesion). Read as its case's
  event: what the forced act leads to. Its evidential reading (EDT conditioning on forced acts
  too) has no counterpart in our trees; ``Dilemma.forced`` lists the forced acts read;
* ``<outcome id>`` with ``<utility agent amount>`` children (integers): an :class:`Outcome`;
* ``<goto event id>``: the top-level event of that id (or ``name``), shared.

Utilities are rescaled affinely to [0, 1], :math:`u = (x - \text{offset}) / \text{scale}` over the
outcomes' amounts for the chosen agent (offset the smallest amount, scale the range); a
:class:`Dilemma` reports the rescaling and shows values in the format's units again. Our problems
have one agent: decisions or predictions of another agent are refused.

Writing (:func:`write`) is the converse: predictors that err become a ``random`` of a
``predict`` and the erring branches; probabilities must be finite decimals (exact Fractions with
denominators ``2^a 5^b``, or floats); amounts are integers (the rescaling of a read
:class:`Dilemma` when given one, else the utilities over their common denominator, at most
1,999,999 as the schema requires). Correlates have no counterpart in the format and are refused.

Safety: parsed with :mod:`xml.parsers.expat`, refusing document type declarations (and so any
entity definitions) and external entities; inputs are limited to :data:`MAX_XML_BYTES`.

Examples
--------
>>> text = '''<dilemma name="Coin bet" xml-author="knightian docs">
...   <description>Bet $1 on a fair coin, or not.</description>
...   <scenario start="choose">
...     <agent>Ann</agent>
...     <event>
...       <decide agent="Ann" decision="bet?" id="choose">
...         <case action="bet">
...           <random id="coin">
...             <case prob="0.5">
...               <outcome id="won"><utility agent="Ann" amount="1"/></outcome>
...             </case>
...             <case prob="0.5">
...               <outcome id="lost"><utility agent="Ann" amount="-1"/></outcome>
...             </case>
...           </random>
...         </case>
...         <case action="pass">
...           <outcome id="kept"><utility agent="Ann" amount="0"/></outcome>
...         </case>
...       </decide>
...     </event>
...   </scenario>
... </dilemma>'''
>>> d = read(text)
>>> d.offset, d.scale
(Fraction(-1, 1), Fraction(2, 1))
>>> d.problem.utilities["kept"], d.amount(d.problem.utilities["kept"])
(Fraction(1, 2), Fraction(0, 1))
>>> print(d.solve("udt"))
Coin bet, UDT (amounts for Ann: utility = (amount - -1) / 2)
  chooses: bet / pass
  value: 0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from infrabayes._numbers import Number, format_number
from infrabayes.problems.nodes import (
    Chance,
    Correlate,
    Decision,
    Node,
    Outcome,
    Predictor,
    children,
)
from infrabayes.problems.problem import Problem
from infrabayes.problems.results import Solution

__all__ = ["MAX_XML_BYTES", "Dilemma", "DilemmaError", "DilemmaSolution", "read", "write"]

#: Inputs longer than this are refused.
MAX_XML_BYTES = 16 * 2**20
#: The schema's bound on an amount: ``-2,000,000 < amount < 2,000,000``.
MAX_AMOUNT = 2_000_000

_EVENTS = ("goto", "random", "decide", "predict", "forced_decide", "outcome")
#: Where a written predict's scenario lists the top-level events (filled in at the end).
_EVENTS_MARK = "<!-- the top-level events -->"


class DilemmaError(ValueError):
    """A dilemma file is malformed or outside what a :class:`Problem` expresses (line given)."""


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    line: int
    kids: list[_Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    def need(self, name: str) -> str:
        if name not in self.attrs:
            raise DilemmaError(f"line {self.line}: <{self.tag}> needs the attribute {name!r}")
        return self.attrs[name]

    def events(self) -> list[_Element]:
        return [k for k in self.kids if k.tag in _EVENTS]


class _Refused(Exception):
    pass


def _parse(text: str | bytes) -> _Element:
    data = text.encode() if isinstance(text, str) else text
    if len(data) > MAX_XML_BYTES:
        raise DilemmaError(f"the input has {len(data):,} bytes, more than MAX_XML_BYTES")
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    stack: list[_Element] = []
    roots: list[_Element] = []

    def refuse(*_: Any) -> Any:
        raise _Refused("document type declarations (DTDs) and entities are refused")

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Element(tag, dict(attrs), parser.CurrentLineNumber)
        (stack[-1].kids if stack else roots).append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except _Refused as err:
        raise DilemmaError(f"line {parser.CurrentLineNumber}: {err}") from err
    except expat.ExpatError as err:
        message = expat.errors.messages[err.code]
        raise DilemmaError(f"line {err.lineno}: not well-formed XML: {message}") from err
    if not roots or roots[0].tag != "dilemma":
        found = roots[0].tag if roots else "nothing"
        raise DilemmaError(f"the root element must be <dilemma>, found <{found}>")
    return roots[0]


@dataclass(frozen=True, eq=False)
class Dilemma:
    r"""A dilemma read from the XML language: the problem, the agent and the rescaling.

    Attributes
    ----------
    problem : Problem
        Utilities :math:`u = (x - \text{offset}) / \text{scale}` in [0, 1].
    name, description, author : str
    agent : str
        The agent whose utilities and decisions the problem holds.
    offset, scale : Fraction
        The rescaling (``scale`` is 1 when every amount is the same).
    forced : tuple of (str, str, str)
        ``(id, decision, action)`` of each ``forced_decide`` read as its case.
    """

    problem: Problem
    name: str
    description: str
    author: str
    agent: str
    offset: Fraction
    scale: Fraction
    forced: tuple[tuple[str, str, str], ...] = ()

    def amount(self, utility: Number) -> Number:
        """Return a utility (or value) in the format's units: ``offset + scale * utility``."""
        if isinstance(utility, float):
            return float(self.offset) + float(self.scale) * utility
        return self.offset + self.scale * Fraction(utility)

    def rescaling(self) -> str:
        """Return the rescaling as text: ``utility = (amount - offset) / scale``."""
        return f"utility = (amount - {format_number(self.offset)}) / {format_number(self.scale)}"

    def solve(self, theory: str = "ib", **options: Any) -> DilemmaSolution:
        """Solve the problem (:meth:`Problem.solve`); the result shows amounts, not utilities."""
        return DilemmaSolution(self, self.problem.solve(theory, **options))

    def __repr__(self) -> str:
        forced = f"; forced acts read as their case: {len(self.forced)}" if self.forced else ""
        return (
            f"Dilemma {self.name!r} for {self.agent} ({self.rescaling()}{forced})\n{self.problem!r}"
        )


@dataclass(frozen=True, eq=False)
class DilemmaSolution:
    """A :class:`~infrabayes.problems.Solution` shown in the dilemma's units.

    ``values`` and ``expected_utilities`` are the solution's, mapped back by
    :meth:`Dilemma.amount`; ``solution`` is the solution itself (in utilities).
    """

    dilemma: Dilemma
    solution: Solution[Problem]

    @property
    def values(self) -> tuple[Number | None, ...]:
        """The value of every policy in amounts (None where the theory gives none)."""
        s = self.solution
        source = s.values if s.theory in ("ib", "udt") else s.expected_utilities
        return tuple(self.dilemma.amount(v) for v in source)

    @property
    def value(self) -> Number | None:
        """The optimal value in amounts (None for CDT and EDT, which choose by ratifiability)."""
        value = self.solution.value
        if self.solution.theory not in ("ib", "udt") or value is None:
            return None
        return self.dilemma.amount(value)

    def __repr__(self) -> str:
        s = self.solution
        label = s.theory.upper()
        chosen = " / ".join(str(p) for p in s.optimal) or "nothing"
        lines = [
            f"{self.dilemma.name}, {label} (amounts for {self.dilemma.agent}: "
            f"{self.dilemma.rescaling()})",
            f"  chooses: {chosen}",
        ]
        if self.value is not None:
            lines.append(f"  value: {format_number(self.value)}")
        else:
            amounts = [format_number(self.dilemma.amount(p_eu)) for p_eu in self._chosen_eu()]
            lines.append(f"  expected amount: {', '.join(amounts) or '-'}")
        return "\n".join(lines)

    def _chosen_eu(self) -> list[Number]:
        s = self.solution
        index = {p: k for k, p in enumerate(s.policies)}
        return [s.expected_utilities[index[p]] for p in s.optimal]


def read(source: str | bytes | Path, *, agent: str | None = None) -> Dilemma:
    """Return the :class:`Dilemma` of an XML text, bytes, or a file path.

    Parameters
    ----------
    source : str, bytes or pathlib.Path
        A ``str`` is the XML text itself; pass a ``Path`` to read a file.
    agent : str, optional
        Whose utilities to keep (default: the scenario's only agent, or its first).

    Raises
    ------
    DilemmaError
        Not well-formed, a DTD, a missing attribute or event, an unknown ``goto``, a ``goto``
        cycle, a probability or amount that is not a number, a decision of another agent.
    ValueError
        What :class:`Problem` refuses (an information set twice on a path, ...).
    """
    if isinstance(source, Path):
        path = source
        try:
            size = path.stat().st_size
            if size > MAX_XML_BYTES:
                raise DilemmaError(f"{path}: {size:,} bytes, more than MAX_XML_BYTES")
            source = path.read_bytes()
        except OSError as err:
            raise DilemmaError(f"cannot read {path}: {err}") from err
    root = _parse(source)
    scenario = [k for k in root.kids if k.tag == "scenario"]
    if len(scenario) != 1:
        raise DilemmaError(f"line {root.line}: <dilemma> needs exactly one <scenario>")
    sc = scenario[0]
    agents = ["".join(a.parts).strip() for a in sc.kids if a.tag == "agent"]
    if not agents:
        raise DilemmaError(f"line {sc.line}: the scenario names no <agent>")
    agent = agents[0] if agent is None else agent
    if agent not in agents:
        raise DilemmaError(f"agent {agent!r} is not in the scenario; its agents are {agents}")
    top: dict[str, _Element] = {}
    for ev in (k for k in sc.kids if k.tag == "event"):
        inner = ev.events()
        if len(inner) != 1:
            raise DilemmaError(f"line {ev.line}: an <event> holds exactly one event")
        for key in {inner[0].need("id"), ev.attrs.get("name", inner[0].attrs["id"])}:
            if key in top:
                raise DilemmaError(f"line {ev.line}: two top-level events are named {key!r}")
            top[key] = inner[0]
    start = sc.need("start")
    if start not in top:
        raise DilemmaError(f"line {sc.line}: the start event {start!r} is not a top-level event")
    reader = _Reader(agent, top)
    tree = reader.node(top[start])
    amounts = reader.amounts
    lo, hi = min(amounts.values()), max(amounts.values())
    scale = hi - lo if hi > lo else Fraction(1)
    description = "".join("".join(k.parts) for k in root.kids if k.tag == "description").strip()
    name = root.attrs.get("name", "dilemma") or "dilemma"
    problem = Problem(
        reader.rescale(tree, lo, scale),
        name=name,
        parameters={"agent": agent, "offset": lo, "scale": scale},
    )
    return Dilemma(
        problem=problem,
        name=name,
        description=description,
        author=root.attrs.get("xml-author", ""),
        agent=agent,
        offset=lo,
        scale=scale,
        forced=tuple(reader.forced),
    )


class _Reader:
    """Converts events to nodes, top-level events once each (shared by their gotos)."""

    def __init__(self, agent: str, top: Mapping[str, _Element]) -> None:
        self.agent = agent
        self.top = top
        self.amounts: dict[str, Fraction] = {}
        self.forced: list[tuple[str, str, str]] = []
        self._done: dict[int, Any] = {}
        self._open: set[int] = set()

    def node(self, ev: _Element) -> Any:
        """Return the intermediate tree of an event: tuples, outcomes as ``("outcome", id)``."""
        key = id(ev)
        if key in self._done:
            return self._done[key]
        if key in self._open:
            raise DilemmaError(f"line {ev.line}: the events form a cycle through {ev.attrs!r}")
        self._open.add(key)
        out = self._convert(ev)
        self._open.discard(key)
        self._done[key] = out
        return out

    def _cases(self, ev: _Element, attr: str) -> list[tuple[str, Any]]:
        cases = [k for k in ev.kids if k.tag == "case"]
        if not cases:
            raise DilemmaError(f"line {ev.line}: <{ev.tag}> has no <case>")
        out = []
        for case in cases:
            inner = case.events()
            if len(inner) != 1:
                raise DilemmaError(f"line {case.line}: a <case> holds exactly one event")
            out.append((case.need(attr), self.node(inner[0])))
        return out

    def _simulated(self, ev: _Element) -> None:
        """Check a predict's scenario: its agent and the top-level events it names exist.

        What it simulates is not read further: our predictor reads the agent's policy, which is
        what simulating the agent in the whole scenario computes.
        """
        scenarios = [k for k in ev.kids if k.tag == "scenario"]
        if len(scenarios) != 1:
            raise DilemmaError(f"line {ev.line}: <predict> needs exactly one <scenario>")
        sc = scenarios[0]
        named = ["".join(k.parts).strip() for k in sc.kids if k.tag == "event"]
        for name in [sc.need("start"), *named]:
            if name not in self.top:
                raise DilemmaError(
                    f"line {sc.line}: the predicted scenario names {name!r}, not a top-level event"
                )
        agents = ["".join(k.parts).strip() for k in sc.kids if k.tag == "agent"]
        if self.agent not in agents:
            raise DilemmaError(
                f"line {sc.line}: the predicted scenario does not list the agent {self.agent!r}"
            )

    def _own(self, ev: _Element) -> str:
        who = ev.need("agent")
        if who != self.agent:
            raise DilemmaError(
                f"line {ev.line}: <{ev.tag} id={ev.attrs.get('id')!r}> is by agent {who!r}; a "
                f"Problem has one agent ({self.agent!r}): model the other as a predictor of "
                "your decision, or read the file with agent=..."
            )
        return ev.need("decision")

    def _convert(self, ev: _Element) -> Any:
        ident = ev.need("id")
        if ev.tag == "goto":
            target = ev.need("event")
            if target not in self.top:
                raise DilemmaError(f"line {ev.line}: goto to an unknown event {target!r}")
            return self.node(self.top[target])
        if ev.tag == "outcome":
            amount = None
            for u in ev.kids:
                if u.tag == "utility" and u.need("agent") == self.agent:
                    text = u.need("amount")
                    try:
                        amount = Fraction(Decimal(text.strip()))
                    except (InvalidOperation, ValueError) as err:
                        raise DilemmaError(
                            f"line {u.line}: the amount {text!r} is not a number"
                        ) from err
            if amount is None:
                raise DilemmaError(
                    f"line {ev.line}: outcome {ident!r} gives no utility to {self.agent!r}"
                )
            self.amounts[ident] = amount
            return ("outcome", ident)
        if ev.tag == "random":
            branches: list[tuple[str, Fraction, Any]] = []
            for case in (k for k in ev.kids if k.tag == "case"):
                text = case.need("prob")
                try:
                    prob = Fraction(Decimal(text.strip()))
                except (InvalidOperation, ValueError) as err:
                    raise DilemmaError(
                        f"line {case.line}: the probability {text!r} is not a decimal"
                    ) from err
                inner = case.events()
                if len(inner) != 1:
                    raise DilemmaError(f"line {case.line}: a <case> holds exactly one event")
                label = inner[0].attrs.get("id", f"case {len(branches)}")
                branches.append((label, prob, self.node(inner[0])))
            if not branches:
                raise DilemmaError(f"line {ev.line}: <random> has no <case>")
            return ("chance", ident, branches)
        if ev.tag == "decide":
            return ("decide", self._own(ev), self._cases(ev, "action"))
        if ev.tag == "predict":
            decision = self._own(ev)
            self._simulated(ev)
            return ("predict", ident, decision, self._cases(ev, "action"))
        assert ev.tag == "forced_decide"
        decision = self._own(ev)
        cases = self._cases(ev, "action")
        if len(cases) != 1:
            raise DilemmaError(f"line {ev.line}: <forced_decide> has exactly one <case>")
        self.forced.append((ident, decision, cases[0][0]))
        return cases[0][1]

    def rescale(self, tree: Any, lo: Fraction, scale: Fraction) -> Node:
        """Build the nodes (shared intermediate subtrees stay shared)."""
        made: dict[int, Node] = {}

        def build(item: Any) -> Node:
            if id(item) in made:
                return made[id(item)]
            kind = item[0]
            node: Node
            if kind == "outcome":
                node = Outcome(item[1], (self.amounts[item[1]] - lo) / scale)
            elif kind == "chance":
                node = Chance({label: (p, build(sub)) for label, p, sub in item[2]}, name=item[1])
            elif kind == "decide":
                node = Decision(item[1], {a: build(sub) for a, sub in item[2]})
            else:
                node = Predictor(item[2], {a: build(sub) for a, sub in item[3]}, name=item[1])
            made[id(item)] = node
            return node

        return build(tree)


def _decimal(p: Number, where: str) -> str:
    if isinstance(p, float):
        return repr(p)
    q = Fraction(p)
    d = q.denominator
    for factor in (2, 5):
        while d % factor == 0:
            d //= factor
    if d != 1:
        raise ValueError(
            f"{where}: the probability {q} has no finite decimal form, which the format needs"
        )
    digits = 0
    while (q * 10**digits).denominator != 1:
        digits += 1
    scaled = q * 10**digits  # an integer: the digits, exactly
    sign, whole = ("-" if scaled < 0 else ""), str(abs(int(scaled))).rjust(digits + 1, "0")
    if not digits:
        return f"{sign}{whole}"
    return f"{sign}{whole[:-digits]}.{whole[-digits:]}"


def write(
    source: Problem | Dilemma,
    *,
    agent: str = "agent",
    author: str = "knightian",
    description: str | None = None,
) -> str:
    """Return a problem (or a read :class:`Dilemma`) as XML in the dilemma language.

    Parameters
    ----------
    source : Problem or Dilemma
        A Dilemma keeps its agent, description and amounts (its rescaling undone).
    agent : str, default "agent"
        The agent's name (a Dilemma's own is used instead).
    author : str, default "knightian"
        The ``xml-author`` attribute.
    description : str, optional
        Default: the problem's name and parameters.

    Raises
    ------
    ValueError
        A correlate (no counterpart in the format), a probability without a finite decimal form,
        or utilities whose common denominator exceeds the schema's amounts.
    """
    if isinstance(source, Dilemma):
        problem, agent = source.problem, source.agent
        offset, scale = source.offset, source.scale
        description = source.description if description is None else description
        author = source.author or author
    else:
        problem = source
        utilities = [Fraction(u) for u in problem.utilities.values()]
        if problem.exact:
            common = math.lcm(1, *(u.denominator for u in utilities))
            if common >= MAX_AMOUNT:
                raise ValueError(
                    f"the utilities' common denominator is {common}; the format's amounts are "
                    f"integers below {MAX_AMOUNT:,}: write a Dilemma with its own rescaling, or "
                    "round the utilities"
                )
            offset, scale = Fraction(0), Fraction(common)
        else:
            offset, scale = Fraction(0), Fraction(1_000_000)
        if description is None:
            params = ", ".join(f"{k}={v}" for k, v in problem.parameters.items())
            description = f"{problem.name}{f' ({params})' if params else ''}; written by knightian"
    return _Writer(problem, agent, offset, scale).document(author, description)


class _Writer:
    def __init__(self, problem: Problem, agent: str, offset: Fraction, scale: Fraction) -> None:
        self.problem, self.agent, self.offset, self.scale = problem, agent, offset, scale
        self.ids: dict[int, str] = {}
        self.used: set[str] = set()
        parents: dict[int, int] = {}
        stack = [problem.root]
        seen: set[int] = set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            # an erring predictor's children are written once per shift of its prediction
            times = len(node.branches) if isinstance(node, Predictor) and node.epsilon else 1
            for _, child in children(node):
                parents[id(child)] = parents.get(id(child), 0) + times
                stack.append(child)
        # shared subtrees become top-level events reached by goto
        self.shared = {key for key, n in parents.items() if n > 1}
        self.top: list[Node] = []

    def ident(self, node: Node, hint: str) -> str:
        if id(node) not in self.ids:
            self.ids[id(node)] = self.fresh(hint)
        return self.ids[id(node)]

    def fresh(self, hint: str) -> str:
        """Return an unused id made of the hint's letters and digits, joined by hyphens."""
        base = "-".join("".join(ch if ch.isalnum() else " " for ch in hint).split()) or "event"
        name, k = base, 1
        while name in self.used:
            k += 1
            name = f"{base}-{k}"
        self.used.add(name)
        return name

    def hint(self, node: Node) -> str:
        if isinstance(node, Outcome):
            return node.name
        if isinstance(node, Decision):
            return f"decide {node.infoset}"
        if isinstance(node, Predictor):
            return f"{node.name} predicts {node.infoset}"
        return node.name

    def document(self, author: str, description: str) -> str:
        root = self.problem.root
        start = self.ident(root, self.hint(root))
        self.top.append(root)
        events: list[str] = []
        k = 0
        while k < len(self.top):  # the list grows as shared subtrees are met
            events.append(self.event_block(self.top[k]))
            k += 1
        lines = [
            f"<dilemma name={quoteattr(self.problem.name)} xml-author={quoteattr(author)}>",
            f"    <description>{escape(description)}</description>",
            f"    <scenario start={quoteattr(start)}>",
            f"        <agent>{escape(self.agent)}</agent>",
            *events,
            "    </scenario>",
            "</dilemma>",
            "",
        ]
        names = "".join(f"<event>{escape(self.ids[id(node)])}</event>" for node in self.top)
        return "\n".join(lines).replace(_EVENTS_MARK, names)

    def event_block(self, node: Node) -> str:
        body = self.event(node, 3, top=True)
        return f"        <event>\n{body}\n        </event>"

    def ref(self, node: Node, depth: int) -> str:
        """Return an event in a case: a goto to a shared subtree, else the event itself."""
        if id(node) in self.shared:
            if id(node) not in self.ids:
                self.ident(node, self.hint(node))
                self.top.append(node)
            pad = "    " * depth
            target = quoteattr(self.ids[id(node)])
            return f"{pad}<goto event={target} id={quoteattr(self.fresh('goto'))}/>"
        return self.event(node, depth)

    def event(self, node: Node, depth: int, top: bool = False) -> str:
        pad = "    " * depth
        ident = quoteattr(self.ident(node, self.hint(node)))
        agent = quoteattr(self.agent)
        if isinstance(node, Outcome):
            amount = self.offset + self.scale * Fraction(node.utility)
            if amount.denominator != 1 and not isinstance(node.utility, float):
                raise ValueError(f"outcome {node.name!r}: the amount {amount} is not an integer")
            value = round(amount)
            if not -MAX_AMOUNT < value < MAX_AMOUNT:
                raise ValueError(f"outcome {node.name!r}: the amount {value} is out of range")
            return (
                f"{pad}<outcome id={ident}>\n{pad}    <utility agent={agent} "
                f'amount="{value}"/>\n{pad}</outcome>'
            )
        if isinstance(node, Chance):
            cases = [
                f'{pad}    <case prob="{_decimal(p, f"chance {node.name!r}")}">\n'
                f"{self.ref(child, depth + 2)}\n{pad}    </case>"
                for p, child in node.branches.values()
            ]
            return f"{pad}<random id={ident}>\n" + "\n".join(cases) + f"\n{pad}</random>"
        if isinstance(node, Correlate):
            raise ValueError(
                f"correlate {node.name!r}: the dilemma language has no common-cause node (its "
                "forced_decide is not the same thing); it cannot be written"
            )
        if isinstance(node, Decision):
            cases = [
                f"{pad}    <case action={quoteattr(a)}>\n{self.ref(child, depth + 2)}\n"
                f"{pad}    </case>"
                for a, child in node.branches.items()
            ]
            return (
                f"{pad}<decide agent={agent} decision={quoteattr(node.infoset)} id={ident}>\n"
                + "\n".join(cases)
                + f"\n{pad}</decide>"
            )
        assert isinstance(node, Predictor)
        return self.predict(node, depth, ident)

    def predict(self, node: Predictor, depth: int, ident: str) -> str:
        if node.epsilon == 0:
            return self.predict_body(node, depth, ident, 0)
        # An erring predictor: with probability 1 - eps the prediction's own branch; with
        # eps / (n - 1) each, the branch s = 1, ..., n - 1 places further (cyclically), so every
        # other branch gets eps / (n - 1), as in our Predictor.
        pad, inner = "    " * depth, "    " * (depth + 1)
        n = len(node.branches)
        cases = []
        for shift in range(n):
            prob = 1 - node.epsilon if shift == 0 else node.epsilon / (n - 1)
            hint = f"{node.name} predicts" + (" correctly" if shift == 0 else f" wrongly {shift}")
            body = self.predict_body(node, depth + 2, quoteattr(self.fresh(hint)), shift)
            text = _decimal(prob, f"predictor {node.name!r}")
            cases.append(f'{inner}<case prob="{text}">\n{body}\n{inner}</case>')
        return f"{pad}<random id={ident}>\n" + "\n".join(cases) + f"\n{pad}</random>"

    def predict_body(self, node: Predictor, depth: int, ident: str, shift: int) -> str:
        """Return a ``predict`` whose k-th action's case leads to the (k + shift)-th branch."""
        pad = "    " * depth
        agent = quoteattr(self.agent)
        start = quoteattr(self.ids[id(self.problem.root)])
        actions = list(node.branches)
        targets = [node.branches[actions[(k + shift) % len(actions)]] for k in range(len(actions))]
        cases = [
            f"{pad}    <case action={quoteattr(a)}>\n{self.ref(child, depth + 2)}\n{pad}    </case>"
            for a, child in zip(actions, targets, strict=True)
        ]
        # the simulated scenario lists every top-level event: known only at the end (_EVENTS_MARK)
        scenario = (
            f"{pad}    <scenario start={start}>\n{pad}        <agent>{escape(self.agent)}</agent>\n"
            f"{pad}        {_EVENTS_MARK}\n{pad}    </scenario>"
        )
        return (
            f"{pad}<predict agent={agent} decision={quoteattr(node.infoset)} id={ident}>\n"
            f"{scenario}\n" + "\n".join(cases) + f"\n{pad}</predict>"
        )
