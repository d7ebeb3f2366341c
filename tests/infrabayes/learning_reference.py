"""A second route to the IB learning agent's numbers: the core Infradistribution on histories.

The agent updates a-measures round by round with closed formulas (infrabayes.learning._ib). This
module builds, with plain loops, the infradistribution over whole histories that a hypothesis
describes (one history generator per choice of a generator and of a law for every round: Murphy
picks the generator once and a law each round), mixes the hypotheses with the core's
`mixture`, updates it on the observed rounds with the core's `update` (off-branch utility g),
and evaluates the next round's reward under a candidate policy. It shares no code with the
agent's update: only the definitions.
"""

import itertools
import math

from infrabayes import NIRVANA, Infradistribution, mixture


def round_masses(law, policy, game):
    """{(a, o): P(a, o)} of one round under `law` and `policy`, and the NIRVANA probability."""
    out, nirvana = {}, 0
    n_o = len(game.observations)
    pred = [
        sum(policy[b] * law.predictor[b][d] for b in range(len(policy)))
        for d in range(len(law.predictions))
    ]
    for a in range(len(game.actions)):
        if policy[a] == 0:
            continue
        for o in range(n_o + 1):
            q = sum(pred[d] * law.emission[d][a][o] for d in range(len(pred)))
            if o == n_o:
                nirvana += policy[a] * q
            else:
                out[(a, o)] = policy[a] * q
    return out, nirvana


def all_histories(game, rounds):
    step = [(a, o) for a in range(len(game.actions)) for o in range(len(game.observations))]
    return [sum(h, ()) for h in itertools.product(step, repeat=rounds)]


def history_generator(laws, policies, game):
    """The measure on histories when Murphy plays `laws[s]` in round s (NIRVANA ends a history)."""
    current, nirvana = {(): 1}, 0
    for law, policy in zip(laws, policies, strict=True):
        masses, nir = round_masses(law, policy, game)
        nxt = {}
        for h, p in current.items():
            nirvana += p * nir
            for step, q in masses.items():
                nxt[h + step] = nxt.get(h + step, 0) + p * q
        current = nxt
    out = {h: p for h, p in current.items() if p != 0}
    if nirvana:
        out[NIRVANA] = nirvana
    return out


def hypothesis_on_histories(hyp, policies, nirvana=math.inf):
    game = hyp.game
    outcomes = (*all_histories(game, len(policies)), NIRVANA)
    gens = [
        history_generator(combo, policies, game)
        for gen in hyp.generators
        for combo in itertools.product(gen, repeat=len(policies))
    ]
    return Infradistribution(gens, outcomes=outcomes, nirvana=nirvana)


def next_round_value(hypotheses, prior, played, observed, candidate, off_branch, nirvana=math.inf):
    """E of the next round's reward under `candidate`, after the observed rounds (core route).

    `played` lists the policies of the observed rounds, `observed` their (action, observation)
    index pairs. Raises NullUpdateError as the core does.
    """
    game = hypotheses[0].game
    policies = [*played, candidate]
    hs = [hypothesis_on_histories(h, policies, nirvana) for h in hypotheses]
    mix = hs[0] if len(hs) == 1 else mixture(hs, prior)
    prefix = sum(observed, ())
    k = len(prefix)
    event = {h for h in mix.outcomes if h is not NIRVANA and h[:k] == prefix}
    ordinary = [h for h in mix.outcomes if h is not NIRVANA]
    g = dict.fromkeys(ordinary, off_branch)
    f = {h: game.rewards[h[-2]][h[-1]] for h in ordinary}
    return mix.update(event, g).expect(f)
