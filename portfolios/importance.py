r"""Importance measures: how much each basic event matters to one top event.

Definitions
-----------
For a scenario ``s`` the *top event* is ``U``, "``s`` is unprotected". Its *basic events* (the
rows) are the entries its covering cases rest on: each assumption's own failure ``O_a`` (the
``p_fail`` of the file; an assumption it ``requires`` has its own row), each latent variable
``W_j`` those assumptions depend on, and each non-zero soundness error ``eps_c`` of a covering
case or of a case it rests on (a soundness error of 0, the default, is not modelled).
*Clamping* ``e := 1`` (``e := 0``) sets that entry's probability to 1 (0); for an assumption
conditional on a latent variable, in every latent state. Write
``P1 = P(U | e := 1)``, ``P0 = P(U | e := 0)`` and ``P = P(U)``:

Birnbaum (marginal)
    ``B = P1 - P0``: how much the scenario's risk hinges on the event.
criticality
    ``CI = P(e occurs and is critical | U) = [P(e and U) - P(e and U_{e:=0})] / P``, where
    ``U_{e:=0}`` is ``U`` with the event held off; for an independent event ``CI = B P(e) / P``.
    Signed, never clipped: it is negative when the event's occurrence *lowers* the risk, as
    for a latent variable whose failure makes the assumptions that depend on it less likely to
    fail (``P(fail | fails) < P(fail | holds)``): with ``p_W = 0.5`` and one assumption failing
    with probability 0.9 when ``W`` holds and 0.1 when it fails, ``CI(W) = 0.5 (0.1 - 0.9) /
    0.5 = -0.8``. Its magnitude is at most 1; in a coherent structure (every entry of a
    portfolio file except such a latent variable, every fault tree without negation) it lies
    in ``[0, 1]``.
Fussell-Vesely (cut-set definition)
    ``FV = P(some minimal cut set containing e occurs) / P`` (Fussell 1975; Rausand and
    Hoyland's definition, the one pfta uses and SCRAM issue #178 asks for). An assumption's
    cut-set events are its own failure ``a`` or, when it depends on a latent variable,
    ``a|alone`` (fails whatever the latent state) and ``a|j`` (see :mod:`portfolios.structure`).
    The row ``a`` is the assumption failing by any cause; ``P(e)`` is its marginal probability.
diagnostic
    ``P(e | U) = P(e and U) / P``: what SCRAM calls "Fussel-Vesely" (its DIF); not the same
    number as ``FV``.
risk achievement worth
    ``RAW = P1 / P``: "if this assumption is false, how much worse?".
risk reduction worth
    ``RRW = P / P0``: ``inf`` when ``P0 = 0 < P``, which happens exactly when the event is in
    every minimal cut set (a single point of failure or a shared one). SCRAM reports a finite
    value there (issue #288); this module returns ``inf``.

Ratios that divide by ``P = 0`` are ``nan`` (a scenario that cannot be unprotected has no
importance to share). With latent variables an assumption's own failure is correlated with
its latent variable: Birnbaum, RAW and RRW clamp it (an intervention: "the assumption fails
whatever the world"), while ``P(e and U)``, and with it the criticality and the diagnostic
measure, condition on it exactly, summing over the latent variable's state
(``P(O_a and U) = sum_w P(w) q_a(w) P(U | W_j = w, O_a := 1)``). For an event independent of
the others the two readings agree and the classical identities hold.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from . import _html
from ._arrays import readonly
from ._table import text_table
from .bdd import dnf_probabilities
from .cutsets import minimal_cut_sets
from .errors import ComputationLimitError, PortfolioError, UnknownIdError, did_you_mean
from .limits import MAX_RECOMPILED_UNITS, Progress
from .probability import (
    ExactPlan,
    all_fail_probability,
    auto_engine,
    engine_label,
    exact_plan,
    state_probabilities,
    state_weights,
)
from .structure import Structure, covering_cases, unit_index, with_probabilities

__all__ = ["MEASURES", "Importance", "ImportanceRow", "portfolio_importance"]

#: The measures of an :class:`Importance`, in table order.
MEASURES = ("birnbaum", "criticality", "fussell_vesely", "diagnostic", "raw", "rrw")


@dataclass(frozen=True)
class ImportanceRow:
    """The importance measures of one basic event (see the module docstring).

    Attributes
    ----------
    label, kind : str
        The event (an assumption, latent variable or case id; ``soundness(c)`` for a
        soundness error) and its kind (``"assumption"``, ``"latent"``, ``"soundness"`` or,
        for fault trees, ``"basic"``).
    probability : float
        Its marginal probability ``P(e)``.
    p_if_fails, p_if_holds : float
        ``P(U | e := 1)`` and ``P(U | e := 0)``.
    birnbaum, criticality, fussell_vesely, diagnostic, raw, rrw : float
        The measures.
    """

    label: str
    kind: str
    probability: float
    p_if_fails: float
    p_if_holds: float
    birnbaum: float
    criticality: float
    fussell_vesely: float
    diagnostic: float
    raw: float
    rrw: float


@dataclass(frozen=True, eq=False)
class Importance:
    """Importance measures of every basic event of one top event (module docstring).

    Attributes
    ----------
    top : str
        The scenario (or fault-tree gate).
    p_top : float
        ``P(U)``.
    labels, kinds : tuple of str
        The basic events and their kinds.
    probability, p_if_fails, p_if_holds : ndarray
        ``P(e)``, ``P(U | e := 1)``, ``P(U | e := 0)`` (read-only; the evidence).
    birnbaum, criticality, fussell_vesely, diagnostic, raw, rrw : ndarray
        The measures (read-only).
    method : str
        How the probabilities were computed: the method asked for, or for ``"auto"`` the
        engines that ran (``"auto (exact)"``, ``"auto (bdd)"``; ``"auto (exact, bdd)"`` when
        clamping brought some probabilities within the exact programme's limits).

    ``imp["A"]`` is the :class:`ImportanceRow` of event ``A``; iterating yields the rows.
    """

    top: str
    p_top: float
    labels: tuple[str, ...]
    kinds: tuple[str, ...]
    probability: np.ndarray
    p_if_fails: np.ndarray
    p_if_holds: np.ndarray
    birnbaum: np.ndarray
    criticality: np.ndarray
    fussell_vesely: np.ndarray
    diagnostic: np.ndarray
    raw: np.ndarray
    rrw: np.ndarray
    method: str = "exact"

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            if f.type == "np.ndarray":
                object.__setattr__(self, f.name, readonly(getattr(self, f.name), float))

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, label: str) -> ImportanceRow:
        if label not in self.labels:
            hint = did_you_mean(label, self.labels)
            raise UnknownIdError(
                None, f"no basic event {label!r}{hint}; known: {', '.join(self.labels)}"
            )
        i = self.labels.index(label)
        numbers = {
            name: float(getattr(self, name)[i])
            for name in ("probability", "p_if_fails", "p_if_holds", *MEASURES)
        }
        return ImportanceRow(label=label, kind=self.kinds[i], **numbers)

    def __iter__(self) -> Iterator[ImportanceRow]:
        return (self[label] for label in self.labels)

    def ranked(self, by: str = "birnbaum") -> tuple[str, ...]:
        """Return the labels by decreasing ``by`` (a measure name), ties by label."""
        if by not in MEASURES:
            raise PortfolioError(
                None,
                f"unknown measure {by!r}{did_you_mean(by, MEASURES)}; choose one of "
                f"{', '.join(MEASURES)}",
            )
        values = getattr(self, by)
        pairs = zip(values, self.labels, strict=True)
        key = [(math.inf if math.isnan(v) else -v, lab) for v, lab in pairs]
        return tuple(lab for _, lab in sorted(key))

    def to_text(self, *, by: str = "birnbaum", limit: int | None = None) -> str:
        """Return a table of the measures, rows sorted by decreasing ``by``."""
        head = ["event", "P(e)", "Birnbaum", "crit.", "F-V", "P(e|top)", "RAW", "RRW"]
        rows = []
        for lab in self.ranked(by)[:limit]:
            r = self[lab]
            values = (r.probability, r.birnbaum, r.criticality, r.fussell_vesely, r.diagnostic)
            rows.append([lab, *(f"{v:.3g}" for v in values), *(f"{v:.4g}" for v in (r.raw, r.rrw))])
        return "\n".join(text_table(head, rows, [9] * 7))

    def __repr__(self) -> str:
        shown = 10
        more = "" if len(self) <= shown else f"\n... {len(self) - shown} more (to_text())"
        return (
            f"Importance({self.top!r}, P(top)={self.p_top:.4g}, {len(self)} basic events, "
            f"method={self.method!r})\n{self.to_text(limit=shown)}{more}"
        )

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows: every event, by decreasing Birnbaum measure."""
        head = ["event", "kind", "P(e)", "P(top | e fails)", "P(top | e holds)", "Birnbaum"]
        head += ["criticality", "Fussell-Vesely", "P(e | top)", "RAW", "RRW"]
        rows = []
        for lab in self.ranked():
            r = self[lab]
            values = [r.probability, r.p_if_fails, r.p_if_holds, r.birnbaum, r.criticality]
            values += [r.fussell_vesely, r.diagnostic, r.raw, r.rrw]
            rows.append([lab, r.kind, *(f"{v:.4g}" for v in values)])
        title = (
            f"Importance of the basic events of {self.top} (P(top) = {self.p_top:.4g}, "
            f"method {self.method})"
        )
        return _html.document(title, _html.table(head, rows, "ll" + "r" * 9))


def assemble(
    *,
    top: str,
    p_top: float,
    labels: list[str],
    kinds: list[str],
    probability: list[float],
    p_if_fails: list[float],
    p_if_holds: list[float],
    p_and_top: list[float],
    p_and_top_if_holds: list[float],
    p_cut_union: list[float],
    method: str,
) -> Importance:
    """Build an :class:`Importance` from the probabilities behind it (module docstring)."""
    p1 = np.asarray(p_if_fails, dtype=float)
    p0 = np.asarray(p_if_holds, dtype=float)
    joint = np.asarray(p_and_top, dtype=float)
    joint0 = np.asarray(p_and_top_if_holds, dtype=float)
    union = np.asarray(p_cut_union, dtype=float)
    n = len(labels)
    if p_top > 0.0:
        with np.errstate(divide="ignore"):
            rrw = np.where(p0 > 0.0, p_top / np.where(p0 > 0.0, p0, 1.0), math.inf)
        measures = {
            "criticality": (joint - joint0) / p_top,  # signed (module docstring)
            "fussell_vesely": np.minimum(union / p_top, 1.0),
            "diagnostic": np.minimum(joint / p_top, 1.0),
            "raw": p1 / p_top,
            "rrw": rrw,
        }
    else:
        measures = {k: np.full(n, math.nan) for k in MEASURES[1:]}
    return Importance(
        top=top,
        p_top=float(p_top),
        labels=tuple(labels),
        kinds=tuple(kinds),
        probability=np.asarray(probability, dtype=float),
        p_if_fails=p1,
        p_if_holds=p0,
        birnbaum=p1 - p0,
        method=method,
        **measures,
    )


# --------------------------------------------------------------------------- portfolios


class Clamper:
    """P(scenario unprotected) with some basic events' probabilities clamped, cached.

    A clamp is ``(kind, id, value)`` with kind ``"assumption"`` (its own failure probability,
    in every latent state), ``"latent"`` (its ``p_fail``) or ``"soundness"`` (the case's
    ``soundness_error``); the clamped structure is compiled by
    :func:`portfolios.structure.with_probabilities`.
    """

    def __init__(self, structure: Structure, scenario: str, method: str) -> None:
        self.structure, self.scenario, self.method = structure, scenario, method
        self.cases = list(covering_cases(structure, scenario))
        self.cache: dict[frozenset[tuple[str, str, float]], float] = {}
        # "exact" (and "auto" within the exact limits): clamping changes probabilities, never
        # the units' paths, so one plan serves every clamp: no recompilation per clamp
        self.plan: ExactPlan | None = None
        if method in ("exact", "auto") and not structure.parameters.intervals:
            try:
                self.plan = exact_plan(structure, self.cases)
            except ComputationLimitError:
                if method == "exact":
                    raise
        #: the engines that ran: "exact" for the plan; for "auto" off it, per clamp
        self.engines: set[str] = set() if self.plan is None else {"exact"}
        self._rows = {} if self.plan is None else {int(u): i for i, u in enumerate(self.plan.units)}

    def check_budget(self, clamps: int, what: str) -> None:
        """Refuse, before any work, ``clamps`` recompilations past :data:`MAX_RECOMPILED_UNITS`.

        Only off the one exact plan: with it a clamp costs one pass of the plan, without it
        each clamp compiles the portfolio again (units walked: the paths of every entry).
        """
        if self.plan is not None:
            return
        size = sum(len(p) for p in self.structure.paths.values())
        if clamps * size <= MAX_RECOMPILED_UNITS:
            return
        if self.method in ("exact", "auto"):
            route = (
                "the exact programme cannot take this scenario (see method='exact'), and no "
                "cheaper exact route exists; P(unprotected) alone is available "
                "(method='bdd')"
            )
        else:
            route = (
                "use method='exact' or 'auto' (command line: --method auto), which evaluate "
                "every clamp on one compiled plan"
            )
        raise ComputationLimitError(
            None,
            f"{what} of {self.scenario!r} with method={self.method!r} compiles the portfolio "
            f"again for each of {clamps} clamped probabilities, walking {clamps} x {size} = "
            f"{clamps * size} units, more than MAX_RECOMPILED_UNITS = {MAX_RECOMPILED_UNITS}; "
            f"{route}",
        )

    def clamped(self, clamps: frozenset[tuple[str, str, float]]) -> Structure:
        """Return the structure with the clamps applied."""
        changes: dict[str, dict[str, float]] = {"latent": {}, "assumption": {}, "soundness": {}}
        for kind, key, value in clamps:
            changes[kind][key] = value
        return with_probabilities(
            self.structure,
            latent=changes["latent"],
            assumptions=changes["assumption"],
            soundness=changes["soundness"],
        )

    def __call__(self, *clamps: tuple[str, str, float]) -> float:
        key = frozenset(clamps)
        if key not in self.cache:
            if self.plan is not None:
                self.cache[key] = self._planned(key)
            else:
                S = self.clamped(key) if key else self.structure
                self.cache[key] = float(all_fail_probability(S, self.cases, method=self.method))
                ran = auto_engine(S, self.cases) if self.method == "auto" else self.method
                self.engines.add(ran)
        return self.cache[key]

    def _planned(self, clamps: frozenset[tuple[str, str, float]]) -> float:
        """P(U) with the clamps, on the one exact plan (as :func:`all_fail_probability`)."""
        S, plan = self.structure, self.plan
        assert plan is not None
        unit_p = np.array(S.unit_p[plan.units])
        latent_p = np.array(S.latent_p[list(plan.variables)])
        row, units = self._rows, unit_index(S)
        for kind, key, value in clamps:
            if kind == "latent":
                j = S.latent.index(key)
                if j in plan.variables:
                    latent_p[plan.variables.index(j)] = value
            elif units[kind, key] in row:
                unit_p[row[units[kind, key]]] = value  # both columns: every latent state
        per_state = state_probabilities(plan, unit_p)
        weights = state_weights(latent_p)
        return min(1.0, max(0.0, math.fsum((weights * per_state).tolist())))


def scenario_rows(structure: Structure, scenario: str) -> list[tuple[str, str]]:
    """Return the basic events ``(kind, id)`` of a scenario: latent, assumptions, soundness.

    Each kind in file order; a soundness error of 0 is not modelled (no row), and a latent
    variable has a row when an assumption under the scenario depends on it.
    """
    S = structure
    units = sorted(set().union(*(S.paths[c] for c in covering_cases(S, scenario))))
    kinds = [S.units[u].kind for u in units]
    assumptions = [u for u, k in zip(units, kinds, strict=True) if k == "assumption"]
    soundness = [u for u, k in zip(units, kinds, strict=True) if k == "soundness"]
    latent = sorted({int(S.unit_latent[u]) for u in assumptions if S.unit_latent[u] >= 0})
    rows = [("latent", S.latent[j]) for j in latent]
    rows += [("assumption", S.units[u].id) for u in assumptions]
    rows += [("soundness", S.units[u].id) for u in soundness if S.unit_p[u, 0] > 0.0]
    return rows


def marginal_probability(structure: Structure, kind: str, key: str) -> float:
    """Return the marginal probability of a basic event (``kind`` as in :class:`Clamper`).

    For an assumption conditional on latent variable ``j``: ``p_j f + (1 - p_j) h``.
    """
    S = structure
    if kind == "latent":
        return float(S.latent_p[S.latent.index(key)])
    u = unit_index(S)[kind, key]
    h, f = float(S.unit_p[u, 0]), float(S.unit_p[u, 1])
    j = int(S.unit_latent[u])
    if j >= 0:
        pw = float(S.latent_p[j])
        return pw * f + (1.0 - pw) * h
    return h


def _joint_with(clamp: Clamper, kind: str, key: str, value: float) -> float:
    """P(e and U_{e := value}): e occurs, and U with e clamped to ``value``."""
    S = clamp.structure
    if kind == "assumption":
        u = unit_index(S)[kind, key]
        j = int(S.unit_latent[u])
        if j >= 0:
            pw, h, f = float(S.latent_p[j]), float(S.unit_p[u, 0]), float(S.unit_p[u, 1])
            total = []
            for w, weight, q in ((1.0, pw, f), (0.0, 1.0 - pw, h)):
                if weight * q > 0.0:
                    total.append(weight * q * clamp(("latent", S.latent[j], w), (kind, key, value)))
            return math.fsum(total)
    q = marginal_probability(S, kind, key)
    return q * clamp((kind, key, value)) if q > 0.0 else 0.0


def _label(kind: str, key: str) -> str:
    return f"soundness({key})" if kind == "soundness" else key


def _cut_unions(structure: Structure, scenario: str, rows: list[tuple[str, str]]) -> list[float]:
    """P(some minimal cut set containing the row's events occurs), per row."""
    S = structure
    cuts = minimal_cut_sets(S, covering_cases(S, scenario))
    index = {e: i for i, e in enumerate(S.events)}
    sets = [frozenset(index[e] for e in c.events) for c in cuts]
    by_event: dict[tuple[str, str], set[int]] = {}
    for i, event in enumerate(S.events):
        kind = event.kind
        kind = "assumption" if kind in ("assumption_alone", "latent_effect") else kind
        by_event.setdefault((kind, event.id), set()).add(i)
    containing: dict[int, list[int]] = {}  # event -> the cut sets containing it
    for k, s in enumerate(sets):
        for i in s:
            containing.setdefault(i, []).append(k)
    families = []
    for row in rows:
        mine = sorted({k for i in by_event.get(row, ()) for k in containing.get(i, ())})
        families.append([sets[k] for k in mine])
    return dnf_probabilities(S, families)  # one diagram for every row


def portfolio_importance(
    structure: Structure,
    scenario: str,
    *,
    method: str = "exact",
    fussell_vesely: bool = True,
    progress: Progress | None = None,
) -> Importance:
    """Return the importance measures of every basic event of ``scenario``.

    Parameters
    ----------
    structure : Structure
        The compiled portfolio (``Portfolio.structure``).
    scenario : str
    method : str
        The probability method (``"exact"``, ``"bdd"``, ``"inclusion-exclusion"`` or
        ``"enumerate"``; not ``"montecarlo"``: the measures need exact differences).
    fussell_vesely : bool
        Compute the Fussell-Vesely measure (it enumerates the minimal cut sets; pass False for
        scenarios with too many of them, and the column is ``nan``). The cut sets are
        enumerated first, so a scenario with too many of them
        (:data:`~portfolios.limits.MAX_CUT_SETS`) is refused at once, with this advice.
    progress : callable, optional
        ``progress(done, total)`` after each basic event (:data:`portfolios.limits.Progress`);
        a row costs four to six probabilities of a clamped portfolio.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": 0.1},
    ...                     "B": {"statement": "b", "p_fail": 0.2},
    ...                     "C": {"statement": "c", "p_fail": 0.3}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> imp = portfolio_importance(P.structure, "S")  # U = A or (B and C): P(U) = 0.154
    >>> round(imp["A"].birnbaum, 12), round(imp["A"].raw, 6)  # 1 - 0.06; 1 / 0.154
    (0.94, 6.493506)
    >>> round(imp["B"].rrw, 12)  # 0.154 / P(U | B holds) = 0.154 / 0.1
    1.54
    """
    covering_cases(structure, scenario)  # an unknown scenario is reported first
    if method == "montecarlo":
        raise PortfolioError(
            None, "importance needs exact probabilities: method='montecarlo' is refused"
        )
    clamp = Clamper(structure, scenario, method)
    rows = scenario_rows(structure, scenario)
    # P(U), then per row two clamps and, for a conditional assumption, four more
    conditional = sum(
        1
        for kind, key in rows
        if kind == "assumption" and structure.unit_latent[unit_index(structure)[kind, key]] >= 0
    )
    clamp.check_budget(1 + 2 * len(rows) + 4 * conditional, "importance")
    union = [math.nan] * len(rows)
    if fussell_vesely and rows:  # first: too many cut sets is known in seconds
        try:
            union = _cut_unions(structure, scenario, rows)
        except ComputationLimitError as err:
            cause = err.__cause__ if isinstance(err.__cause__, ComputationLimitError) else err
            raise ComputationLimitError(
                None,
                f"importance of {scenario!r}: the Fussell-Vesely measure needs every minimal "
                f"cut set, and {cause.problem}; pass fussell_vesely=False (command line: "
                "--no-fussell-vesely) for the other measures",
            ) from err
    p_top = clamp()
    probability, p1, p0, joint, joint0 = [], [], [], [], []
    for done, (kind, key) in enumerate(rows, start=1):
        probability.append(marginal_probability(structure, kind, key))
        p1.append(clamp((kind, key, 1.0)))
        p0.append(clamp((kind, key, 0.0)))
        joint.append(_joint_with(clamp, kind, key, 1.0))
        joint0.append(_joint_with(clamp, kind, key, 0.0))
        if progress is not None:
            progress(done, len(rows))
    return assemble(
        top=scenario,
        p_top=p_top,
        labels=[_label(k, key) for k, key in rows],
        kinds=[k for k, _ in rows],
        probability=probability,
        p_if_fails=p1,
        p_if_holds=p0,
        p_and_top=joint,
        p_and_top_if_holds=joint0,
        p_cut_union=union,
        method=engine_label(method, clamp.engines),
    )
