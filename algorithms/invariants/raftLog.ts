/**
 * Raft's log invariants (Figure 3 of the paper), checked after every event that changed
 * a node's log, commit index or role:
 * - log-matching: if two logs have an entry with the same index and term, they are
 *   identical up to that index;
 * - leader-completeness: a leader's log holds every entry committed in an earlier term;
 * - state-machine-safety: no two nodes commit different entries at the same index.
 * Committed entries are remembered in world.invariantState (their terms by index, and the
 * term in which each was first known committed), because the node that committed an
 * entry may crash and forget its commit index.
 */
import type { RaftContext } from '../raft/machine';
import type { NodeCheck } from '../sim/types';
import { reportViolation } from '../sim/world';

export function checkRaftLogs({ world, idx, prev, eventIndex }: NodeCheck): void {
  const node = world.nodes[idx];
  const c = node.snapshot.context as RaftContext;
  const p = prev?.context as RaftContext | undefined;
  const logChanged = !p || p.log !== c.log;
  let committed = (world.invariantState.committed as number[] | undefined) ?? [];
  let committedIn = (world.invariantState.committedIn as number[] | undefined) ?? [];

  if (c.commitIndex > committed.length || (p && c.commitIndex > p.commitIndex)) {
    for (let i = 0; i < c.commitIndex; i++) {
      if (i < committed.length) {
        if (committed[i] !== c.log[i].term)
          reportViolation(world, {
            invariant: 'state-machine-safety',
            severity: 'error',
            nodes: [node.id],
            detail: `node ${node.id} committed term ${c.log[i].term} at index ${i + 1}, where term ${committed[i]} was committed`,
            eventIndex,
          });
      } else {
        committed = [...committed, c.log[i].term];
        committedIn = [...committedIn, c.term];
      }
    }
    world.invariantState = { ...world.invariantState, committed, committedIn };
  }

  const isLeader = node.snapshot.value === 'leader';
  if (isLeader && (logChanged || prev?.value !== 'leader')) {
    for (let i = 0; i < committed.length; i++)
      if (committedIn[i] < c.term && c.log[i]?.term !== committed[i]) {
        reportViolation(world, {
          invariant: 'leader-completeness',
          severity: 'error',
          nodes: [node.id],
          detail: `leader ${node.id} of term ${c.term} lacks committed entry ${i + 1} (term ${committed[i]})`,
          eventIndex,
        });
        break;
      }
  }

  if (!logChanged || c.log.length === 0) return;
  for (const other of world.nodes) {
    if (other.id === node.id || !other.snapshot) continue;
    const o = (other.snapshot.context as RaftContext).log;
    // the highest index where both logs hold the same term must have identical prefixes
    for (let i = Math.min(o.length, c.log.length) - 1; i >= 0; i--) {
      if (o[i].term !== c.log[i].term) continue;
      for (let k = 0; k <= i; k++)
        if (o[k].term !== c.log[k].term || o[k].command !== c.log[k].command) {
          reportViolation(world, {
            invariant: 'log-matching',
            severity: 'error',
            nodes: [node.id, other.id],
            detail: `nodes ${node.id} and ${other.id} agree at index ${i + 1} (term ${c.log[i].term}) but differ at index ${k + 1}`,
            eventIndex,
          });
          return;
        }
      break;
    }
  }
}
