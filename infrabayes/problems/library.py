r"""The standard Newcomb-like problems, with documented parameters and [0, 1] utilities.

Every constructor takes the predictor's error probability ``epsilon`` (default 0: a perfect
predictor) where the problem has a predictor, and dollar payoffs that are normalised to [0, 1] by
:math:`u(x) = (x - x_{\min}) / (x_{\max} - x_{\min})` over the problem's outcomes (Parfit's
Hitchhiker is given in utilities directly). Ints and Fractions keep every value exact; a float
anywhere makes the problem float64.

========================  ===============================================  ====================
constructor               story                                            source
========================  ===============================================  ====================
parfits_hitchhiker        a driver who reads faces takes you to town iff   Parfit (1984);
                          you will pay once there                          Arbital
newcomb                   box B holds $1,000,000 iff Omega predicted you   Nozick (1969)
                          take only B; box A holds $1,000
transparent_newcomb       the same with box B visible                      Arbital; FDT paper
counterfactual_mugging    heads: $10,000 iff you would pay on tails;       Nesov (2009)
                          tails: pay $100?
xor_blackmail             a letter iff (no termites and you would pay) or  FDT paper, section 6
                          (termites and you would not)
death_in_damascus         Death waits where he predicts you will be        FDT paper, section 6
smoking_lesion            a lesion causes cancer and goes with smoking     FDT paper, section 2
========================  ===============================================  ====================

References: E. Yudkowsky and N. Soares, "Functional Decision Theory", arXiv:1710.05060 (2018)
("FDT paper"); Arbital, "Parfit's Hitchhiker" and "Death in Damascus" (Yudkowsky, 2016);
V. Nesov, "Counterfactual Mugging", LessWrong (2009); R. Nozick, "Newcomb's Problem and Two
Principles of Choice" (1969); D. Parfit, *Reasons and Persons* (1984).

Examples
--------
>>> hitchhiker = parfits_hitchhiker()
>>> hitchhiker.solve("udt").optimal, hitchhiker.solve("cdt").optimal
((Policy({'town': 'pay'}),), (Policy({'town': 'refuse'}),))
>>> newcomb().solve("cdt").optimal, newcomb().solve("edt").optimal
((Policy({'choose': 'two-box'}),), (Policy({'choose': 'one-box'}),))
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from infrabayes._numbers import Number, format_number, scalar
from infrabayes.problems.nodes import Chance, Correlate, Decision, Outcome, Predictor
from infrabayes.problems.problem import Problem

__all__ = [
    "counterfactual_mugging",
    "death_in_damascus",
    "newcomb",
    "parfits_hitchhiker",
    "smoking_lesion",
    "transparent_newcomb",
    "xor_blackmail",
]


def _money(value: Any, what: str, *, positive: bool = False) -> Number:
    x = scalar(value, what)
    if x < 0 or (positive and x == 0):
        raise ValueError(
            f"{what} is {format_number(x)}; it must be {'> 0' if positive else '>= 0'}"
        )
    return x


def _normalised(dollars: dict[str, Number]) -> dict[str, Number]:
    """Return ``(x - min) / (max - min)`` for every outcome (max > min is checked)."""
    lo, hi = min(dollars.values()), max(dollars.values())
    if hi == lo:
        raise ValueError(f"all outcomes pay the same ({format_number(hi)}); nothing to decide")
    return {name: (x - lo) / (hi - lo) for name, x in dollars.items()}


def _decision(infoset: str, leaves: dict[str, str], utility: dict[str, Number]) -> Decision:
    """Return a decision node whose actions lead to the named outcomes (utilities looked up)."""
    return Decision(infoset, {a: Outcome(name, utility[name]) for a, name in leaves.items()})


def _prob(value: Any, what: str) -> Number:
    x = scalar(value, what)
    if not 0 <= x <= 1:
        raise ValueError(f"{what} is {format_number(x)}, outside [0, 1]")
    return x


def parfits_hitchhiker(epsilon: Any = 0, cost: Any = Fraction(1, 1000)) -> Problem:
    """Return Parfit's Hitchhiker: a driver takes you to town iff he predicts you will pay there.

    You are dying in the desert; the driver reads faces.

    Information set ``"town"`` (actions ``"pay"``, ``"refuse"``); the driver is a predictor that
    reads it. Utilities: ``desert`` 0, ``town, refuse`` 1, ``town, pay`` ``1 - cost``.

    Parameters
    ----------
    epsilon : number in [0, 1], default 0
        The driver's error probability.
    cost : number in [0, 1], default 1/1000
        The fare in units of the value of your life ($1,000 against $1,000,000, Arbital's fare).

    Notes
    -----
    Verdicts: CDT and EDT refuse in town, so the driver leaves them in the desert; UDT/FDT pay
    (Yudkowsky & Soares 2018, section 4; Arbital). IB pays with the acausal hypothesis, and with
    the causal one when the driver errs (``epsilon > 0``) and Nirvana is infinite; with a perfect
    driver the causal hypothesis is indifferent (Murphy predicts "refuse", which paying never
    refutes: the deviation is never seen).
    """
    c = _prob(cost, "cost")
    u = {"town, pay": 1 - c, "town, refuse": Fraction(1) if isinstance(c, Fraction) else 1.0}
    town = _decision("town", {"pay": "town, pay", "refuse": "town, refuse"}, u)
    desert = Outcome("desert", 0)
    tree = Predictor("town", {"pay": town, "refuse": desert}, epsilon=epsilon, name="driver")
    return Problem(tree, name="Parfit's Hitchhiker", parameters={"epsilon": epsilon, "cost": c})


def newcomb(epsilon: Any = 0, small: Any = 1000, big: Any = 1_000_000) -> Problem:
    """Return Newcomb's problem: box B is full iff Omega predicted that you take only box B.

    Box A holds `small` dollars, box B holds `big` dollars or nothing.

    Information set ``"choose"`` (``"one-box"``, ``"two-box"``), visited in both boxes' states
    (you cannot see B). Dollars: B full and one-box `big`, two-box `big + small`; B empty and
    one-box 0, two-box `small`; normalised by `big + small`.

    Parameters
    ----------
    epsilon : number in [0, 1], default 0
        Omega's error probability.
    small, big : numbers, default 1000 and 1,000,000
        The contents of boxes A and B (dollars, ``small >= 0``, ``big > 0``).

    Notes
    -----
    Verdicts: CDT two-boxes, EDT and UDT/FDT one-box (Yudkowsky & Soares 2018, section 2).
    """
    return _boxes(epsilon, small, big, transparent=False)


def transparent_newcomb(epsilon: Any = 0, small: Any = 1000, big: Any = 1_000_000) -> Problem:
    """Return Transparent Newcomb: Newcomb's problem with box B visible before you choose.

    Omega fills box B iff he predicts that you take only B *on seeing it full*.

    Information sets ``"full"`` and ``"empty"`` (each ``"one-box"``, ``"two-box"``); Omega reads
    ``"full"``.

    Notes
    -----
    Verdicts: CDT and EDT two-box on seeing B full; UDT/FDT one-box (Arbital, "Transparent
    Newcomb's Problem"; Yudkowsky & Soares 2018). IB one-boxes with the acausal hypothesis, and with
    the causal one when ``epsilon > 0`` and Nirvana is infinite; with a perfect Omega the causal
    hypothesis cannot tell (Murphy predicts two-boxing, which you never see refuted: B is empty).
    """
    return _boxes(epsilon, small, big, transparent=True)


def _boxes(epsilon: Any, small: Any, big: Any, *, transparent: bool) -> Problem:
    """Build Newcomb's tree: Omega reads the choice (on seeing B full, if `transparent`)."""
    a, b = _money(small, "small"), _money(big, "big", positive=True)
    full, empty = ("full", "empty") if transparent else ("B full", "B empty")
    dollars = {"one-box": (b, 0), "two-box": (b + a, a)}
    u = _normalised(
        {
            f"{state}, {act}": dollars[act][k]
            for k, state in enumerate((full, empty))
            for act in dollars
        }
    )
    seen = ("full", "empty") if transparent else ("choose", "choose")
    boxes = [
        _decision(i, {act: f"{state}, {act}" for act in dollars}, u)
        for i, state in zip(seen, (full, empty), strict=True)
    ]
    tree = Predictor(
        seen[0], {"one-box": boxes[0], "two-box": boxes[1]}, epsilon=epsilon, name="Omega"
    )
    name = "Transparent Newcomb" if transparent else "Newcomb"
    return Problem(tree, name=name, parameters={"epsilon": epsilon, "small": a, "big": b})


def counterfactual_mugging(
    epsilon: Any = 0, reward: Any = 10_000, cost: Any = 100, heads: Any = Fraction(1, 2)
) -> Problem:
    """Return Counterfactual Mugging: on tails, pay `cost`; on heads, get `reward` iff you would.

    Omega tosses a coin. Heads: he pays `reward` iff he predicts that you would pay `cost` on
    tails. Tails: he asks you for `cost`.

    Information set ``"tails"`` (``"pay"``, ``"refuse"``); Omega reads it on heads. Dollars:
    heads rewarded `reward`, heads not rewarded 0, tails paid ``-cost``, tails refused 0.

    Parameters
    ----------
    epsilon : number in [0, 1], default 0
    reward, cost : numbers, default 10,000 and 100
    heads : probability, default 1/2

    Notes
    -----
    Verdicts: UDT pays; CDT and EDT refuse (Nesov 2009; LessWrong, "Counterfactual Mugging").
    """
    r, k = _money(reward, "reward", positive=True), _money(cost, "cost")
    h = _prob(heads, "heads")
    u = _normalised(
        {"heads, rewarded": r, "heads, not rewarded": 0, "tails, paid": -k, "tails, refused": 0}
    )
    omega = Predictor(
        "tails",
        {
            "pay": Outcome("heads, rewarded", u["heads, rewarded"]),
            "refuse": Outcome("heads, not rewarded", u["heads, not rewarded"]),
        },
        epsilon=epsilon,
        name="Omega",
    )
    asked = _decision("tails", {"pay": "tails, paid", "refuse": "tails, refused"}, u)
    tree = Chance({"heads": (h, omega), "tails": (1 - h, asked)}, name="coin")
    params = {"epsilon": epsilon, "reward": r, "cost": k, "heads": h}
    return Problem(tree, name="Counterfactual Mugging", parameters=params)


def xor_blackmail(
    epsilon: Any = 0, termites: Any = Fraction(1, 2), damage: Any = 1_000_000, demand: Any = 1000
) -> Problem:
    """Return XOR Blackmail: a letter iff (no termites and you would pay) xor (termites).

    Termites would cost `damage`. Omega sends a letter demanding `demand` iff exactly one holds:
    no termites and you would pay on receiving it; termites and you would not.

    Information set ``"letter"`` (``"pay"``, ``"refuse"``): you cannot see the termites. Omega
    reads it in both states.

    Parameters
    ----------
    epsilon : number in [0, 1], default 0
    termites : probability, default 1/2
        The prior probability of termites (the story leaves it open; the verdicts do not depend
        on it).
    damage, demand : numbers, default 1,000,000 and 1,000

    Notes
    -----
    Verdicts: EDT pays; CDT and UDT/FDT refuse (Yudkowsky & Soares 2018, section 6).
    """
    d, m = _money(damage, "damage", positive=True), _money(demand, "demand")
    p = _prob(termites, "termites")
    u = _normalised(
        {
            "termites, no letter": -d,
            "termites, letter, pay": -d - m,
            "termites, letter, refuse": -d,
            "no termites, letter, pay": -m,
            "no termites, letter, refuse": 0,
            "no termites, no letter": 0,
        }
    )

    def letter(state: str) -> Decision:
        return _decision("letter", {a: f"{state}, letter, {a}" for a in ("pay", "refuse")}, u)

    def no_letter(state: str) -> Outcome:
        return Outcome(f"{state}, no letter", u[f"{state}, no letter"])

    # The letter comes iff (termites and Omega predicts refuse) or (no termites and he predicts
    # pay).
    termites_branch = Predictor(
        "letter",
        {"pay": no_letter("termites"), "refuse": letter("termites")},
        epsilon=epsilon,
        name="Omega",
    )
    clean_branch = Predictor(
        "letter",
        {"pay": letter("no termites"), "refuse": no_letter("no termites")},
        epsilon=epsilon,
        name="Omega",
    )
    tree = Chance(
        {"termites": (p, termites_branch), "no termites": (1 - p, clean_branch)}, name="house"
    )
    params = {"epsilon": epsilon, "termites": p, "damage": d, "demand": m}
    return Problem(tree, name="XOR Blackmail", parameters=params)


def death_in_damascus(epsilon: Any = 0, fee: Any = 0, life: Any = 1_000_000) -> Problem:
    """Return Death in Damascus: Death waits tomorrow where he predicts you will be.

    Stay in Damascus, or flee to Aleppo for `fee`.

    Information set ``"warned"`` (``"stay"``, ``"flee"``). Dollars: you survive worth `life`,
    fleeing costs `fee`; normalised over the four outcomes.

    Parameters
    ----------
    epsilon : number in [0, 1], default 0
        Death's error probability.
    fee : number, default 0
    life : number, default 1,000,000

    Notes
    -----
    Verdicts: CDT has no stable choice (each choice makes the other look better); EDT and UDT/FDT
    stay when fleeing costs anything, and are indifferent without a fee (Yudkowsky & Soares 2018,
    section 6; Arbital, "Death in Damascus").
    """
    f, v = _money(fee, "fee"), _money(life, "life", positive=True)
    u = _normalised({"stay, die": 0, "flee, live": v - f, "stay, live": v, "flee, die": -f})

    # Death waits where he predicts: staying meets him iff he predicts stay.
    in_damascus = _decision("warned", {"stay": "stay, die", "flee": "flee, live"}, u)
    in_aleppo = _decision("warned", {"stay": "stay, live", "flee": "flee, die"}, u)
    tree = Predictor(
        "warned", {"stay": in_damascus, "flee": in_aleppo}, epsilon=epsilon, name="Death"
    )
    return Problem(
        tree, name="Death in Damascus", parameters={"epsilon": epsilon, "fee": f, "life": v}
    )


def smoking_lesion(
    epsilon: Any = 0, lesion: Any = Fraction(1, 2), pleasure: Any = 1000, cancer: Any = 1_000_000
) -> Problem:
    r"""Return the Smoking Lesion: a lesion causes cancer and goes with a taste for smoking.

    Smoking itself is harmless and worth `pleasure`.

    Information set ``"choose"`` (``"smoke"``, ``"refrain"``); the lesion is a
    :class:`~infrabayes.problems.Correlate` of the act (a common cause, not a predictor).
    Dollars: `pleasure` if you smoke, ``-cancer`` with the lesion.

    Parameters
    ----------
    epsilon : number in [0, 1], default 0
        How often the lesion and the act disagree: :math:`P(\text{lesion} \mid \text{smoke}) =
        1 - \varepsilon = P(\text{no lesion} \mid \text{refrain})`.
    lesion : probability, default 1/2
        The base rate of the lesion (what the policy cannot change).
    pleasure, cancer : numbers, default 1,000 and 1,000,000

    Notes
    -----
    Verdicts: CDT and UDT/FDT smoke; EDT (without the tickle defence) refrains (Yudkowsky & Soares
    2018, section 2). IB smokes: the lesion does not depend on the policy.
    """
    s, k = _money(pleasure, "pleasure", positive=True), _money(cancer, "cancer", positive=True)
    q = _prob(lesion, "lesion")
    u = _normalised(
        {
            "lesion, smoke": s - k,
            "lesion, refrain": -k,
            "no lesion, smoke": s,
            "no lesion, refrain": 0,
        }
    )

    acts = ("smoke", "refrain")
    sick = _decision("choose", {a: f"lesion, {a}" for a in acts}, u)
    healthy = _decision("choose", {a: f"no lesion, {a}" for a in acts}, u)
    tree = Correlate(
        "choose",
        {"smoke": sick, "refrain": healthy},
        epsilon=epsilon,
        name="lesion",
        base_rate={"smoke": q, "refrain": 1 - q},
        states={"smoke": "lesion", "refrain": "no lesion"},
    )
    params = {"epsilon": epsilon, "lesion": q, "pleasure": s, "cancer": k}
    return Problem(tree, name="Smoking Lesion", parameters=params)
