r"""Learning in environments that read the agent's policy: Newcomb-like bandits, IB agents, regret.

Definitions
-----------
Each round an agent commits to a **policy** :math:`\pi` (a mixed action), draws its action from
it, and the environment answers with an observation and a reward in [0, 1]. In a **Newcomb-like
bandit** a predictor reads the policy, not the sampled action, and the outcome depends on its
prediction (:mod:`~infrabayes.learning.environments`): the expected reward :math:`r(\pi)` is a
quadratic form in the policy, and the **best policy in hindsight** maximises it over all mixed
policies, exactly (:mod:`~infrabayes.learning.simplex`). **Regret** is measured against it
(:mod:`~infrabayes.learning.results`).

The **infra-Bayesian agent** (:class:`IBAgent`) holds a prior over credal **hypotheses**
(:mod:`~infrabayes.learning.hypotheses`): Knightian sets of policy-dependent laws, possibly with
NIRVANA where a prediction is contradicted (the Nirvana trick). It updates them by the
infra-Bayesian update and commits to the policy with the best worst case, Murphy moving after the
policy. A **Bayesian agent** over the same hypotheses that decides causally
(:class:`BayesAgent`), **UCB1**, **Thompson sampling** and **EXP3** are the baselines; each
module states what its agent assumes and optimises. :func:`run` and :func:`sweep` run agents
over seeds, serially or in parallel (``workers=``), reproducibly.

Modules, lowest layer first: :mod:`~infrabayes.learning.model` (games, laws, policies),
:mod:`~infrabayes.learning.outcomes`, :mod:`~infrabayes.learning.simplex`,
:mod:`~infrabayes.learning.laws`, :mod:`~infrabayes.learning.sampling`,
:mod:`~infrabayes.learning.environments`, :mod:`~infrabayes.learning.hypotheses`, the agents
(:mod:`~infrabayes.learning.agent`, :mod:`~infrabayes.learning.ib`,
:mod:`~infrabayes.learning.bayes`, :mod:`~infrabayes.learning.ucb`,
:mod:`~infrabayes.learning.thompson`, :mod:`~infrabayes.learning.exp3`),
:mod:`~infrabayes.learning.episode`, :mod:`~infrabayes.learning.results`,
:mod:`~infrabayes.learning.experiments` and :mod:`infrabayes.learning.plot` (figures; not
imported here).

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes.learning import IBAgent, NewcombBandit, chance, predictor, run
>>> env = NewcombBandit()
>>> agent = IBAgent([predictor(env, [0, F(1, 10)]), chance(env, [[F(9, 10), F(1, 10)]])])
>>> result = run(agent, env, steps=100, seeds=2)
>>> result.frequencies()
{'one-box': 1.0, 'two-box': 0.0}
>>> float(result.final_regret.max())
0.0
"""

from infrabayes.learning.agent import Agent, Learner
from infrabayes.learning.bayes import BayesAgent
from infrabayes.learning.environments import (
    BestPolicy,
    DeathInDamascusBandit,
    Environment,
    Feedback,
    NewcombBandit,
    PolicyDependentBandit,
    TransparentNewcombBandit,
    TrapBandit,
)
from infrabayes.learning.exp3 import EXP3
from infrabayes.learning.experiments import run, sweep
from infrabayes.learning.hypotheses import (
    Hypothesis,
    chance,
    hypothesis,
    nirvana_trick,
    predictor,
    trap,
)
from infrabayes.learning.ib import IBAgent
from infrabayes.learning.laws import PredictorGame
from infrabayes.learning.model import Game, Law, build_game, build_law
from infrabayes.learning.results import RunResult, Sweep
from infrabayes.learning.thompson import ThompsonSampling
from infrabayes.learning.ucb import UCB1

__all__ = [
    "EXP3",
    "UCB1",
    "Agent",
    "BayesAgent",
    "BestPolicy",
    "DeathInDamascusBandit",
    "Environment",
    "Feedback",
    "Game",
    "Hypothesis",
    "IBAgent",
    "Law",
    "Learner",
    "NewcombBandit",
    "PolicyDependentBandit",
    "PredictorGame",
    "RunResult",
    "Sweep",
    "ThompsonSampling",
    "TransparentNewcombBandit",
    "TrapBandit",
    "build_game",
    "build_law",
    "chance",
    "hypothesis",
    "nirvana_trick",
    "predictor",
    "run",
    "sweep",
    "trap",
]
