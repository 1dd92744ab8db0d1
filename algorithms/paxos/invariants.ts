/**
 * Paxos's safety properties, checked after every event that changed a node's snapshot
 * (election safety, one leader per ballot, is the engine's per-term check: the summary's
 * term is the ballot, and a ballot belongs to one proposer):
 * - chosen-stable: a value is chosen in a slot when a majority of acceptors (dead ones
 *   count: what they accepted survives a crash) accepted it in the same ballot; once a slot
 *   has a chosen value, no other value is ever chosen there;
 * - learned-chosen: a value a node learns as chosen (from Decide or a heartbeat) is the
 *   one a majority accepted;
 * - leader-recovery: a new leader proposes, in every slot where a value was already
 *   chosen in a lower ballot, that value (what phase 1's recovery of accepted values
 *   guarantees);
 * - acceptor-durability: an acceptor's promise never goes down and an accepted value is
 *   only ever replaced by one of a higher ballot, across crashes too (promise and accepted
 *   values are persistent).
 *
 * Chosen values are remembered in world.invariantState (replaced, never changed in place:
 * checkpoints share it).
 */
import type { NodeCheck } from '../sim/types';
import { reportViolation, type World } from '../sim/world';
import type { PaxosContext } from './machine';
import { ballotText, type AcceptedValue } from './messages';

const KEY = 'paxosChosen';

/** Per slot (index slot - 1): the value first chosen there and the ballot it was chosen in. */
type Chosen = ({ value: number; ballot: number } | null)[];

function chosenOf(world: World): Chosen {
  return (world.invariantState[KEY] as Chosen | undefined) ?? [];
}

function contextOf(world: World, k: number): PaxosContext | undefined {
  return world.nodes[k].snapshot?.context as PaxosContext | undefined;
}

/** How many acceptors hold `a` (value and ballot) in slot index i. */
function holders(world: World, i: number, a: AcceptedValue): number {
  let n = 0;
  for (let k = 0; k < world.nodes.length; k++) {
    const x = contextOf(world, k)?.accepted[i];
    if (x && x.ballot === a.ballot && x.value === a.value) n++;
  }
  return n;
}

export function checkPaxos({ world, idx, prev, eventIndex }: NodeCheck): void {
  const node = world.nodes[idx];
  const c = node.snapshot.context as PaxosContext;
  const p = prev?.context as PaxosContext | undefined;
  const report = (invariant: string, detail: string) =>
    reportViolation(world, { invariant, severity: 'error', nodes: [node.id], detail, eventIndex });

  // acceptor-durability
  if (p && (p.promised !== c.promised || p.accepted !== c.accepted)) {
    if (c.promised < p.promised)
      report(
        'acceptor-durability',
        `node ${node.id}'s promise went down from ballot ${ballotText(p.promised)} to ${ballotText(c.promised)}`,
      );
    for (let i = 0; i < p.accepted.length; i++) {
      const was = p.accepted[i];
      const now = c.accepted[i] ?? null;
      if (was !== null && (now === null || now.ballot < was.ballot)) {
        report(
          'acceptor-durability',
          `node ${node.id} lost the value it accepted in slot ${i + 1} in ballot ${ballotText(was.ballot)}`,
        );
        break;
      }
    }
  }

  // chosen-stable: slots this node's acceptance may have completed a majority in
  let chosen = chosenOf(world);
  if (!p || p.accepted !== c.accepted) {
    const majority = Math.floor(world.nodes.length / 2) + 1;
    for (let i = 0; i < c.accepted.length; i++) {
      const a = c.accepted[i];
      if (a === null || (p && p.accepted[i] === a)) continue;
      const known = chosen[i] ?? null;
      if (known !== null && known.ballot === a.ballot && known.value === a.value) continue;
      if (holders(world, i, a) < majority) continue;
      if (known === null) {
        chosen = chosen.slice();
        while (chosen.length <= i) chosen.push(null);
        chosen[i] = { value: a.value, ballot: a.ballot };
        world.invariantState[KEY] = chosen;
      } else if (known.value !== a.value)
        report(
          'chosen-stable',
          `slot ${i + 1}: value ${a.value} chosen in ballot ${ballotText(a.ballot)}, but ${known.value} was chosen there in ballot ${ballotText(known.ballot)}`,
        );
    }
  }

  // learned-chosen
  if (p?.chosen !== c.chosen)
    for (let i = 0; i < c.chosen.length; i++) {
      const v = c.chosen[i];
      if (v === null || (p && p.chosen[i] === v)) continue;
      const known = chosen[i] ?? null;
      if (known === null || known.value !== v) {
        report(
          'learned-chosen',
          `node ${node.id} learned ${v} in slot ${i + 1}, but ${known === null ? 'no value was chosen there' : `${known.value} was chosen`}`,
        );
        break;
      }
    }

  // leader-recovery
  const leads = node.snapshot.value === 'leader';
  if (leads && (prev?.value !== 'leader' || p?.ballot !== c.ballot))
    for (let i = 0; i < chosen.length; i++) {
      const known = chosen[i];
      // a value chosen in a higher ballot does not bind it: a leader whose promises were
      // all given before that ballot's can win, but none of its proposals can be accepted
      if (known === null || known.ballot > c.ballot || c.proposals[i] === known.value) continue;
      report(
        'leader-recovery',
        `node ${node.id}, leader of ballot ${ballotText(c.ballot)}, proposes ${c.proposals[i] ?? 'nothing'} in slot ${i + 1}, where ${known.value} was chosen`,
      );
      break;
    }
}
