r"""The catalog of named decision problems: slug, title, story, source, parameters, verdicts.

:func:`catalog` lists every entry; ``catalog()["newcomb"].make(epsilon=F(1, 10))`` builds one.
Each :class:`Entry` records the parameters it is built with (the constructor's defaults unless
the entry says otherwise: the imperfect transparent Newcomb sets ``epsilon``) and the
**verdicts** of the literature: which policies each theory chooses, as the source states them,
for the theories of :mod:`infrabayes.problems.theories` where they define one. The tests check
every verdict against :meth:`Problem.solve <infrabayes.problems.Problem.solve>`.

A verdict is a tuple of policies in their printed form; a policy may leave out information sets
(``"full: one-box"``), which then do not matter to the verdict; the empty tuple says that the
theory chooses nothing (CDT in Death in Damascus: no ratifiable policy).

The entries
-----------
=================================  ==========================================  ====================
slug                               source                                      verdicts (literature)
=================================  ==========================================  ====================
parfits-hitchhiker                 Parfit (1984); FDT paper, section 4         UDT pay; CDT, EDT
                                                                               refuse
newcomb                            Nozick (1969); FDT paper, section 2         UDT, EDT one-box;
                                                                               CDT two-box
transparent-newcomb                Arbital; FDT paper                          on seeing B full:
                                                                               UDT one-box; CDT,
                                                                               EDT two-box
transparent-newcomb-imperfect      the same, Omega erring 1 time in 100        the same; all
                                                                               two-box on empty
counterfactual-mugging             Nesov (2009)                                UDT pay; CDT, EDT
                                                                               refuse
xor-blackmail                      FDT paper, section 6                        EDT pay; CDT, UDT
                                                                               refuse
death-in-damascus                  FDT paper, section 6; Arbital               UDT, EDT stay (fee
                                                                               $1,000); CDT none
smoking-lesion                     FDT paper, section 2                        CDT, UDT smoke; EDT
                                                                               refrains
twin-prisoners-dilemma             FDT paper                                   UDT, EDT cooperate;
                                                                               CDT defects
cosmic-ray                         FDT paper                                   CDT, UDT take $100
sleeping-beauty-thirder            Elga (2000); Briggs (2010)                  pass at 2/5 (buys
                                                                               below 1/3)
sleeping-beauty-halfer             Lewis (2001); Briggs (2010)                 buy at 2/5 (buys
                                                                               below 1/2)
sleeping-beauty-unfolded-thirder   Elga (2000); Armstrong (2011); Aumann,      UDT, CDT buy at 3/10
                                   Hart & Perry (1997)                         (buy below 1/3)
sleeping-beauty-unfolded-halfer    Lewis (2001); Armstrong (2011); Aumann,     UDT, CDT buy at 9/20
                                   Hart & Perry (1997)                         (buy below 1/2)
red-blue-rooms                     Wei Dai (2010)                              UDT 1.1: red A, blue
                                                                               B or red B, blue A
absent-minded-driver               Piccione & Rubinstein (1997); Aumann,       UDT: continue (pure);
                                   Hart & Perry (1997)                         mixed 2/3, value 4/3
=================================  ==========================================  ====================

The unfolded Sleeping Beauty entries keep the two tails awakenings as two decision nodes of one
information set (imperfect recall, ``sleeping_beauty(..., unfolded=True)``); the thirder reading
totals the awakenings' bets, the halfer reading averages them (Armstrong's anthropic decision
theory), and CDT at the node with the consistent belief bets as UDT plans (Aumann, Hart & Perry).
EDT as defined in :mod:`~infrabayes.problems.mixed` passes at both prices (it breaks even at 1/4
and 2/5): that is this package's convention, not a literature verdict, so it is not listed.

The absent-minded driver's literature verdict is a behavioural policy: over deterministic
policies UDT continues (payoff 1), over randomised ones it continues with probability 2/3 (payoff
4/3; ``entry.make().solve("udt", mixed=True)``, see :mod:`~infrabayes.problems.recall`).
"FDT paper": E. Yudkowsky and N. Soares, "Functional Decision Theory: A New
Theory of Instrumental Rationality", arXiv:1710.05060 (2018); the other references are in
:mod:`~infrabayes.problems.library` and :mod:`~infrabayes.problems.classics`.

Examples
--------
>>> from infrabayes.problems import catalog
>>> entries = catalog()
>>> entries["twin-prisoners-dilemma"].verdicts["cdt"]
('defect',)
>>> entries["newcomb"].make(epsilon=0).solve("edt").optimal
(Policy({'choose': 'one-box'}),)
>>> [e.slug for e in entries][:3]
['parfits-hitchhiker', 'newcomb', 'transparent-newcomb']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from infrabayes._numbers import format_number
from infrabayes.problems import classics, library, recall
from infrabayes.problems.problem import Problem

__all__ = ["Catalog", "Entry", "catalog"]

FDT = (
    "E. Yudkowsky and N. Soares, 'Functional Decision Theory: A New Theory of Instrumental "
    "Rationality', arXiv:1710.05060 (2018)"
)


@dataclass(frozen=True)
class Entry:
    """One named problem of the catalog.

    Attributes
    ----------
    slug : str
        Its key in :func:`catalog` (lowercase, hyphens).
    title : str
    story : str
        The problem in one line.
    source : str
        Where it comes from (author, title, year).
    constructor : callable
        Builds the :class:`~infrabayes.problems.Problem` from keyword parameters.
    parameters : mapping
        The keyword arguments the entry passes (the others take the constructor's defaults).
    verdicts : mapping theory -> tuple of str
        The literature's choices (module docstring), for ``"udt"``, ``"cdt"``, ``"edt"`` or
        ``"ib"`` where the source states them (none states IB's yet).
    """

    slug: str
    title: str
    story: str
    source: str
    constructor: Callable[..., Problem] = field(repr=False)
    parameters: Mapping[str, Any] = field(default_factory=dict)
    verdicts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "verdicts", MappingProxyType(dict(self.verdicts)))

    def make(self, **overrides: Any) -> Problem:
        """Return the problem with the entry's parameters, some replaced by `overrides`."""
        return self.constructor(**{**self.parameters, **overrides})

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={_show(v)}" for k, v in self.parameters.items())
        lines = [f"{self.title} ({self.slug}): {self.story}", f"  source: {self.source}"]
        if params:
            lines.append(f"  parameters: {params}")
        for theory, policies in self.verdicts.items():
            chosen = " / ".join(policies) if policies else "nothing"
            lines.append(f"  {theory.upper()}: {chosen}")
        return "\n".join(lines)


def _show(v: Any) -> str:
    if isinstance(v, Fraction | float):
        return format_number(v)
    return repr(v)


class Catalog:
    """The entries of the catalog, in order; indexed by position or by slug; repr is a table."""

    __slots__ = ("_entries",)

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        slugs = [e.slug for e in entries]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"duplicate slugs in the catalog: {slugs}")
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __getitem__(self, key: int | str) -> Entry:
        if isinstance(key, str):
            for entry in self._entries:
                if entry.slug == key:
                    return entry
            raise KeyError(f"no catalog entry {key!r}; the slugs are {self.slugs}")
        return self._entries[key]

    def __contains__(self, slug: object) -> bool:
        return any(e.slug == slug for e in self._entries)

    @property
    def slugs(self) -> tuple[str, ...]:
        """Every entry's slug, in order."""
        return tuple(e.slug for e in self._entries)

    def __repr__(self) -> str:
        width = max(len(e.slug) for e in self._entries)
        lines = [f"{len(self)} decision problems (catalog()[slug].make() builds one)"]
        lines += [f"  {e.slug:<{width}}  {e.story}" for e in self._entries]
        return "\n".join(lines)


def catalog() -> Catalog:
    """Return every named problem of :mod:`infrabayes.problems` (see the module docstring)."""
    f = Fraction
    entries = [
        Entry(
            "parfits-hitchhiker",
            "Parfit's Hitchhiker",
            "a driver who reads faces takes you to town iff you will pay once there",
            f"D. Parfit, Reasons and Persons (1984); {FDT}, section 4",
            library.parfits_hitchhiker,
            verdicts={"udt": ("pay",), "cdt": ("refuse",), "edt": ("refuse",)},
        ),
        Entry(
            "newcomb",
            "Newcomb's problem",
            "box B holds $1,000,000 iff Omega predicted you take only B; box A holds $1,000",
            f"R. Nozick, 'Newcomb's Problem and Two Principles of Choice' (1969); {FDT}, section 2",
            library.newcomb,
            verdicts={"udt": ("one-box",), "cdt": ("two-box",), "edt": ("one-box",)},
        ),
        Entry(
            "transparent-newcomb",
            "Transparent Newcomb",
            "Newcomb's problem with box B visible, filled iff you would one-box on seeing it full",
            f"Arbital, 'Transparent Newcomb's Problem'; {FDT}",
            library.transparent_newcomb,
            verdicts={
                "udt": ("full: one-box",),
                "cdt": ("full: two-box",),
                "edt": ("full: two-box",),
            },
        ),
        Entry(
            "transparent-newcomb-imperfect",
            "Transparent Newcomb, imperfect predictor",
            "Transparent Newcomb with an Omega who errs 1 time in 100, so an empty box is seen",
            f"Arbital, 'Transparent Newcomb's Problem'; {FDT}",
            library.transparent_newcomb,
            parameters={"epsilon": f(1, 100)},
            verdicts={
                "udt": ("full: one-box, empty: two-box",),
                "cdt": ("full: two-box, empty: two-box",),
                "edt": ("full: two-box, empty: two-box",),
            },
        ),
        Entry(
            "counterfactual-mugging",
            "Counterfactual Mugging",
            "heads: Omega pays $10,000 iff you would pay on tails; tails: he asks you for $100",
            "V. Nesov, 'Counterfactual Mugging', LessWrong (2009)",
            library.counterfactual_mugging,
            verdicts={"udt": ("pay",), "cdt": ("refuse",), "edt": ("refuse",)},
        ),
        Entry(
            "xor-blackmail",
            "XOR Blackmail",
            "a letter demanding $1,000 comes iff (no termites and you would pay) xor termites",
            f"{FDT}, section 6",
            library.xor_blackmail,
            verdicts={"udt": ("refuse",), "cdt": ("refuse",), "edt": ("pay",)},
        ),
        Entry(
            "death-in-damascus",
            "Death in Damascus",
            "Death waits tomorrow where he predicts you will be; fleeing to Aleppo costs $1,000",
            f"{FDT}, section 6; Arbital, 'Death in Damascus'",
            library.death_in_damascus,
            parameters={"fee": 1000},
            verdicts={"udt": ("stay",), "cdt": (), "edt": ("stay",)},
        ),
        Entry(
            "smoking-lesion",
            "Smoking Lesion",
            "a lesion causes cancer and a taste for smoking; smoking itself is harmless",
            f"{FDT}, section 2",
            library.smoking_lesion,
            verdicts={"udt": ("smoke",), "cdt": ("smoke",), "edt": ("refrain",)},
        ),
        Entry(
            "twin-prisoners-dilemma",
            "Twin prisoner's dilemma",
            "one round of the prisoner's dilemma against a twin who reasons exactly as you do",
            FDT,
            classics.twin_prisoners_dilemma,
            verdicts={"udt": ("cooperate",), "cdt": ("defect",), "edt": ("cooperate",)},
        ),
        Entry(
            "cosmic-ray",
            "Cosmic ray",
            "take $1 or $100; a rare cosmic ray swaps the act and then a check-up costs $1,000",
            FDT,
            classics.cosmic_ray,
            verdicts={"udt": ("take $100",), "cdt": ("take $100",)},
        ),
        Entry(
            "sleeping-beauty-thirder",
            "Sleeping Beauty, thirder reading",
            "a $1 bet on heads at 2/5 at each awakening; every awakening's bet counts",
            "A. Elga, 'Self-locating belief and the Sleeping Beauty problem', Analysis 60 "
            "(2000); R. Briggs, 'Putting a value on Beauty' (2010)",
            classics.sleeping_beauty,
            parameters={"reading": "thirder"},
            verdicts={"udt": ("pass",), "cdt": ("pass",), "edt": ("pass",)},
        ),
        Entry(
            "sleeping-beauty-halfer",
            "Sleeping Beauty, halfer reading",
            "a $1 bet on heads at 2/5 at each awakening; the experiment settles one bet",
            "D. Lewis, 'Sleeping Beauty: reply to Elga', Analysis 61 (2001); R. Briggs, "
            "'Putting a value on Beauty' (2010)",
            classics.sleeping_beauty,
            parameters={"reading": "halfer"},
            verdicts={"udt": ("buy",), "cdt": ("buy",), "edt": ("buy",)},
        ),
        Entry(
            "sleeping-beauty-unfolded-thirder",
            "Sleeping Beauty unfolded, thirder reading",
            "a $1 bet on heads at 3/10 at each awakening, the tails awakenings alike; bets total",
            "A. Elga (2000); S. Armstrong, 'Anthropic decision theory', arXiv:1110.6437 (2011); "
            "R. Aumann, S. Hart and M. Perry, 'The Absent-Minded Driver', Games and Economic "
            "Behavior 20 (1997)",
            classics.sleeping_beauty,
            parameters={"reading": "thirder", "price": f(3, 10), "unfolded": True},
            verdicts={"udt": ("buy",), "cdt": ("buy",)},
        ),
        Entry(
            "sleeping-beauty-unfolded-halfer",
            "Sleeping Beauty unfolded, halfer reading",
            "a $1 bet on heads at 9/20 at each awakening, the tails awakenings alike; bets average",
            "D. Lewis (2001); S. Armstrong, 'Anthropic decision theory', arXiv:1110.6437 (2011); "
            "R. Aumann, S. Hart and M. Perry, 'The Absent-Minded Driver', Games and Economic "
            "Behavior 20 (1997)",
            classics.sleeping_beauty,
            parameters={"reading": "halfer", "price": f(9, 20), "unfolded": True},
            verdicts={"udt": ("buy",), "cdt": ("buy",)},
        ),
        Entry(
            "red-blue-rooms",
            "Red room, blue room",
            "two copies of you, in a red and a blue room, are paid iff they choose differently",
            "Wei Dai, 'Explicit Optimization of Global Strategy (Fixing a Bug in UDT1)', "
            "LessWrong (2010)",
            classics.red_blue_rooms,
            verdicts={"udt": ("red: A, blue: B", "red: B, blue: A")},
        ),
        Entry(
            "absent-minded-driver",
            "The absent-minded driver",
            "alike exits: the second pays 4, the first 0, driving on 1; he cannot tell them apart",
            "M. Piccione and A. Rubinstein, 'On the Interpretation of Decision Problems with "
            "Imperfect Recall', Games and Economic Behavior 20 (1997); R. Aumann, S. Hart and "
            "M. Perry, 'The Absent-Minded Driver', same issue",
            recall.absent_minded_driver,
            verdicts={"udt": ("continue",)},
        ),
    ]
    return Catalog(tuple(entries))
