r"""Sequential decisions against Murphy: crisp infra-MDPs (robust MDPs with credal transitions).

Definitions
-----------
A **crisp infra-MDP** (:class:`InfraMDP`) is a finite MDP whose transition law for each
state-action pair is a credal set :math:`C(s, a)` of next-state distributions, given by interval
bounds or by vertices, with rewards in [0, 1] (or a stated affine rescaling) and a discount
:math:`\gamma < 1` (or a finite horizon, where :math:`\gamma = 1` is allowed). The agent
maximises and Murphy, the adversary, minimises the expected total discounted reward:

.. math:: V^*(s) = \max_\pi \min_{\text{Murphy}} E\Big[\sum_t \gamma^t r(s_t, a_t)\Big].

**Rectangularity.** The sets are *(s, a)-rectangular*: Murphy picks from :math:`C(s, a)`
independently at each visit of :math:`(s, a)`. Then the robust Bellman equation
:math:`V^*(s) = \max_a r(s, a) + \gamma \min_{p \in C(s, a)} p \cdot V^*` holds and an
optimal policy is stationary and deterministic (Iyengar 2005; Nilim and El Ghaoui 2005). When
instead one hidden kernel is chosen once for the whole run the set is not rectangular, and the
value can be higher (:mod:`~infrabayes.sequential.hidden` computes it with the core's
:class:`~infrabayes.Infradistribution` over trajectories).

Modules, lowest layer first: :mod:`~infrabayes.sequential.model` (the checked plain-data
:class:`~infrabayes.sequential.model.Model`), :mod:`~infrabayes.sequential.murphy` (Murphy's
exact inner problem: sort-based for intervals, best vertex for polytopes),
:mod:`~infrabayes.sequential.membership`, :mod:`~infrabayes.sequential.bellman`,
:mod:`~infrabayes.sequential.value_iteration`, :mod:`~infrabayes.sequential.policy_iteration`,
:mod:`~infrabayes.sequential.backward` (finite horizon), :mod:`~infrabayes.sequential.results`,
:mod:`~infrabayes.sequential.solving`, :mod:`~infrabayes.sequential.nominal` (nominal vs
robust), :mod:`~infrabayes.sequential.hidden` (rectangularity), :mod:`~infrabayes.sequential.mdp`
(the class) and :mod:`infrabayes.sequential.plot` (figures; not imported here). Everything
below the class takes a :class:`~infrabayes.sequential.model.Model`, so other front ends (an
environment that samples kernels from the credal sets, a learning agent) can be added as
sibling modules on the same model.

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes.sequential import InfraMDP, solve
>>> mdp = InfraMDP(
...     ["s"], ["stay"], {("s", "stay"): {"s": 1}}, {("s", "stay"): F(1, 2)}, discount=F(1, 2)
... )
>>> solve(mdp).value("s")   # 1/2 + 1/4 + ... = 1
Fraction(1, 1)
"""

from infrabayes.sequential.mdp import InfraMDP, compare, evaluate, solve
from infrabayes.sequential.model import Model
from infrabayes.sequential.results import Comparison, HiddenKernelValue, PolicyValue, Solution

__all__ = [
    "Comparison",
    "HiddenKernelValue",
    "InfraMDP",
    "Model",
    "PolicyValue",
    "Solution",
    "compare",
    "evaluate",
    "solve",
]
