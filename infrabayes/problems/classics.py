r"""More classic problems: the twin prisoner's dilemma, the cosmic ray, Sleeping Beauty, two rooms.

Like :mod:`~infrabayes.problems.library`: dollar payoffs normalised to [0, 1] by
:math:`u(x) = (x - x_{\min}) / (x_{\max} - x_{\min})`, ints and Fractions exact, a float anywhere
makes the problem float64. Every problem is listed with its source, story and the literature's
verdicts in :func:`infrabayes.problems.catalog.catalog`.

=========================  ==============================================  ===================
constructor                story                                           source
=========================  ==============================================  ===================
twin_prisoners_dilemma     one prisoner's dilemma against your exact twin  FDT paper
cosmic_ray                 $1 or $100; a rare cosmic ray swaps the act     FDT paper
                           and a check-up costs $1,000
sleeping_beauty            a bet on heads at each awakening (one on        Elga (2000); Lewis
                           heads, two on tails), thirder or halfer         (2001); Briggs
                           reading; ``unfolded=True``: the tails           (2010); Armstrong
                           awakenings as two nodes of one information set  (2011)
red_blue_rooms             two copies, a red and a blue room, paid iff     Wei Dai (2010),
                           they choose differently                         UDT 1.1
=========================  ==============================================  ===================

References: E. Yudkowsky and N. Soares, "Functional Decision Theory", arXiv:1710.05060 (2018)
("FDT paper"); A. Elga, "Self-locating belief and the Sleeping Beauty problem", *Analysis* 60
(2000); D. Lewis, "Sleeping Beauty: reply to Elga", *Analysis* 61 (2001); R. Briggs, "Putting a
value on Beauty", *Oxford Studies in Epistemology* 3 (2010); Wei Dai, "Explicit Optimization of
Global Strategy (Fixing a Bug in UDT1)", LessWrong (2010).

Examples
--------
>>> twin = twin_prisoners_dilemma()
>>> [str(twin.solve(t).optimal[0]) for t in ("cdt", "edt", "udt")]
['defect', 'cooperate', 'cooperate']
>>> [str(p) for p in red_blue_rooms().solve("udt").optimal]
['red: A, blue: B', 'red: B, blue: A']
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from infrabayes._numbers import Number, format_number
from infrabayes.problems.library import _decision, _money, _normalised, _prob
from infrabayes.problems.nodes import Chance, Decision, Outcome, Predictor
from infrabayes.problems.problem import Problem

__all__ = ["cosmic_ray", "red_blue_rooms", "sleeping_beauty", "twin_prisoners_dilemma"]

#: The readings of Sleeping Beauty's bets (see :func:`sleeping_beauty`).
READINGS = ("thirder", "halfer")


def twin_prisoners_dilemma(
    epsilon: Any = 0,
    temptation: Any = 1_001_000,
    reward: Any = 1_000_000,
    punishment: Any = 1000,
    sucker: Any = 0,
) -> Problem:
    """Return the twin prisoner's dilemma: one round against a twin who reasons exactly as you do.

    Information set ``"move"`` (``"cooperate"``, ``"defect"``); the twin is a predictor that
    reads it (his move is yours, but for an error `epsilon`). Dollars for you: `reward` if both
    cooperate, `punishment` if both defect, `temptation` if you defect alone, `sucker` if you
    cooperate alone (a prisoner's dilemma needs ``temptation > reward > punishment > sucker``).

    Notes
    -----
    Verdicts: CDT defects (the twin's move is fixed whatever you do); EDT and UDT/FDT cooperate
    (Yudkowsky & Soares 2018: the twin computes the same function as you).
    """
    t, r = _money(temptation, "temptation"), _money(reward, "reward")
    p, s = _money(punishment, "punishment"), _money(sucker, "sucker")
    if not t > r > p > s:
        raise ValueError(
            "a prisoner's dilemma needs temptation > reward > punishment > sucker; got "
            f"{', '.join(format_number(x) for x in (t, r, p, s))}"
        )
    u = _normalised(
        {
            "both cooperate": r,
            "you defect, twin cooperates": t,
            "you cooperate, twin defects": s,
            "both defect": p,
        }
    )
    acts = {
        "cooperate": {"cooperate": "both cooperate", "defect": "you defect, twin cooperates"},
        "defect": {"cooperate": "you cooperate, twin defects", "defect": "both defect"},
    }
    tree = Predictor(
        "move",
        {twin: _decision("move", leaves, u) for twin, leaves in acts.items()},
        epsilon=epsilon,
        name="twin",
    )
    params = {"epsilon": epsilon, "temptation": t, "reward": r, "punishment": p, "sucker": s}
    return Problem(tree, name="Twin prisoner's dilemma", parameters=params)


def cosmic_ray(
    ray: Any = Fraction(1, 1_000_000), small: Any = 1, big: Any = 100, checkup: Any = 1000
) -> Problem:
    r"""Return the cosmic-ray problem: take $1 or $100; a rare cosmic ray swaps what you do.

    With probability `ray` a cosmic ray makes you do the opposite of what you chose; an agent
    hit by it must pay `checkup` dollars for a check-up.

    Information set ``"choose"`` (``"take $1"``, ``"take $100"``), then a chance node for the ray.
    Dollars: the amount taken, less `checkup` after a ray.

    Parameters
    ----------
    ray : probability, default 1/1,000,000
    small, big, checkup : numbers, default 1, 100 and 1,000

    Notes
    -----
    Verdicts: take $100 (CDT and FDT; Yudkowsky & Soares 2018 use the problem to ask what an
    agent should believe would happen if it took the $1 it will not take). Here every theory
    takes $100 while :math:`\text{ray} < 1/2`: the choice shifts :math:`(1 - 2\,\text{ray})
    (\text{big} - \text{small})` dollars towards $100. EDT, as read here (conditioning on the
    act chosen, the ray coming after it), agrees.
    """
    q = _prob(ray, "ray")
    a, b = _money(small, "small"), _money(big, "big")
    k = _money(checkup, "checkup")
    if not b > a:
        raise ValueError(f"big must exceed small; got {format_number(b)} <= {format_number(a)}")
    u = _normalised(
        {"$1": a, "$100": b, "$100 after a ray, check-up": b - k, "$1 after a ray, check-up": a - k}
    )
    labels = {"take $1": ("$1", "$100 after a ray, check-up")}
    labels["take $100"] = ("$100", "$1 after a ray, check-up")
    branches = {}
    for act, (plain, swapped) in labels.items():
        branches[act] = Chance(
            {"ray": (q, Outcome(swapped, u[swapped])), "no ray": (1 - q, Outcome(plain, u[plain]))},
            name="cosmic ray",
        )
    tree = Decision("choose", branches)
    params = {"ray": q, "small": a, "big": b, "checkup": k}
    return Problem(tree, name="Cosmic ray", parameters=params)


def sleeping_beauty(
    reading: str = "thirder",
    price: Any = Fraction(2, 5),
    heads: Any = Fraction(1, 2),
    *,
    unfolded: bool = False,
) -> Problem:
    r"""Return Sleeping Beauty's bet: at each awakening, pay `price` for $1 if the coin fell heads.

    A fair coin: heads, Beauty is woken once (Monday); tails, twice (Monday and Tuesday), each
    time with no memory of another awakening. At each awakening she may buy a bet that pays $1
    on heads for `price`. She cannot tell the awakenings apart, so a (deterministic) policy buys
    at both tails awakenings or at neither: the tree folds them into one decision node of the
    information set ``"awake"`` (``"buy"``, ``"pass"``), whose outcome counts both awakenings'
    bets. The readings differ in how:

    * ``"thirder"``: every awakening's bet counts (her utility is the total over awakenings).
      Buying is worth :math:`\tfrac12(1 - x) - \tfrac12 \cdot 2x`: she buys iff
      :math:`x < 1/3`, the price of a credence 1/3 in heads (Elga 2000; with CDT-style
      per-awakening utilities, Briggs 2010);
    * ``"halfer"``: the experiment settles one bet (her utility is per experiment, the
      awakenings' bets being the same bet). Buying is worth :math:`\tfrac12(1 - x) - \tfrac12 x`:
      she buys iff :math:`x < 1/2`, the price of a credence 1/2 (Lewis 2001).

    Parameters
    ----------
    reading : {"thirder", "halfer"}, default "thirder"
    price : number in [0, 1], default 2/5
        Between the two readings' break-even prices, so the readings disagree.
    heads : probability, default 1/2
    unfolded : bool, default False
        Keep the two tails awakenings as two decision nodes of ``"awake"`` on one path (Monday,
        then Tuesday), as in the absent-minded driver (:mod:`~infrabayes.problems.recall`): a
        problem of imperfect recall, where a behavioural policy may buy on Monday and pass on
        Tuesday. Each bought tails awakening costs `price` (thirder: the total over awakenings)
        or half of it (halfer: the average over awakenings); a deterministic policy gets the
        folded problem's expected utility.

    Notes
    -----
    Folded, with no predictor, every theory agrees (the decision node is reached whatever the
    policy). Unfolded, with :math:`q` the probability of buying and :math:`h` of heads, the
    planning value is :math:`h q (1 - x) - (1 - h) k q x` with :math:`k = 2` (thirder) or 1
    (halfer): UDT over behaviours buys iff :math:`x < h / (h + k (1 - h))`, 1/3 or 1/2 for a
    fair coin. CDT at the node with the consistent belief (Aumann, Hart & Perry 1997: each
    awakening counts, Monday and Tuesday of tails as much as heads, the thirder's 1/3 each)
    values buying at this awakening only, and agrees with UDT in both readings: the thirder's
    credence with the average payoff bets like a halfer. EDT as defined in
    :mod:`~infrabayes.problems.mixed` (the choice is evidence about this and the later
    awakenings, as in Piccione & Rubinstein's action stage: on Monday it decides Tuesday's bet
    too) counts the tails bets three times for two and breaks even lower: at
    :math:`h / (h + \tfrac32 k (1 - h))`, 1/4 (thirder) or 2/5 (halfer). (An EDT whose choice is
    evidence about every awakening, the earlier ones too, would with the thirder's credence and
    the total break even at 1/5, from :math:`\tfrac13 (1 - x) - \tfrac23 \cdot 2x`; that is not
    this package's EDT.) Total and average payoffs matching the thirder's and the halfer's bets
    is Armstrong's anthropic decision theory (S. Armstrong, "Anthropic decision theory",
    arXiv:1110.6437, 2011).
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {READINGS}; got {reading!r}")
    x, h = _prob(price, "price"), _prob(heads, "heads")
    bets_on_tails = 2 if reading == "thirder" else 1
    if unfolded:
        return _sleeping_beauty_unfolded(reading, x, h, bets_on_tails)
    u = _normalised(
        {
            "heads, bought": 1 - x,
            "heads, passed": 0 * x,
            "tails, bought": -bets_on_tails * x,
            "tails, passed": 0 * x,
        }
    )
    tree = Chance(
        {
            "heads": (h, _decision("awake", {"buy": "heads, bought", "pass": "heads, passed"}, u)),
            "tails": (
                1 - h,
                _decision("awake", {"buy": "tails, bought", "pass": "tails, passed"}, u),
            ),
        },
        name="coin",
    )
    params = {"reading": reading, "price": x, "heads": h}
    return Problem(tree, name=f"Sleeping Beauty ({reading})", parameters=params)


def _sleeping_beauty_unfolded(reading: str, x: Number, h: Number, bets_on_tails: int) -> Problem:
    """Return Sleeping Beauty with the tails awakenings as two nodes of ``"awake"`` on a path."""
    cost = x * bets_on_tails / 2  # what one bought tails awakening costs
    tails = {
        ("buy", "buy"): "tails, bought twice",
        ("buy", "pass"): "tails, bought Monday",
        ("pass", "buy"): "tails, bought Tuesday",
        ("pass", "pass"): "tails, passed",
    }
    dollars: dict[str, Number] = {"heads, bought": 1 - x, "heads, passed": 0 * x}
    dollars.update({name: -cost * acts.count("buy") for acts, name in tails.items()})
    u = _normalised(dollars)
    monday = {
        first: _decision("awake", {second: tails[first, second] for second in ("buy", "pass")}, u)
        for first in ("buy", "pass")
    }
    tree = Chance(
        {
            "heads": (h, _decision("awake", {"buy": "heads, bought", "pass": "heads, passed"}, u)),
            "tails": (1 - h, Decision("awake", monday)),
        },
        name="coin",
    )
    params = {"reading": reading, "price": x, "heads": h, "unfolded": True}
    return Problem(tree, name=f"Sleeping Beauty ({reading}, unfolded)", parameters=params)


def red_blue_rooms() -> Problem:
    """Return the red room / blue room problem: two copies must choose differently.

    You are copied; one copy wakes in a red room, the other in a blue one, and each chooses
    ``"A"`` or ``"B"`` without knowing the other's choice. The copies are paid (utility 1) iff
    they choose differently, else nothing (0).

    Information sets ``"red"`` and ``"blue"`` (``"A"``, ``"B"``): the blue copy's node is under
    each of the red copy's actions, in one information set.

    Notes
    -----
    Wei Dai's UDT 1.0 chose each copy's action separately, as a function of its own input, and
    could not make the copies coordinate; UDT 1.1 chooses the whole input-output map at once and
    picks ``red: A, blue: B`` or ``red: B, blue: A`` (Wei Dai 2010). UDT here is policy selection
    (UDT 1.1): both maps are optimal, and only they. CDT and EDT, which decide at each
    information set, find the same two as their ratifiable policies: the failure of UDT 1.0 (two
    copies reasoning alike and choosing alike) is not a theory defined here.
    """
    u: dict[str, Number] = {
        f"red {red}, blue {blue}": Fraction(int(red != blue)) for red in "AB" for blue in "AB"
    }
    tree = Decision(
        "red",
        {
            red: _decision("blue", {blue: f"red {red}, blue {blue}" for blue in "AB"}, u)
            for red in "AB"
        },
    )
    return Problem(tree, name="Red room, blue room")
