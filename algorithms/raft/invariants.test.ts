/**
 * The Raft checks on hand-made histories: each case changes one node's snapshot the way
 * a buggy machine could, and says which invariant must fire (and that the correct
 * history stays silent).
 */
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import type { Runtime, World } from '../sim/world';
import { checkRaftLogs } from './invariants';
import type { RaftContext } from './machine';
import type { LogEntry } from './messages';

type State = 'follower' | 'candidate' | 'leader';

function world(n: number): World {
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    alive: true,
    snapshot: {
      value: 'follower',
      context: { term: 1, log: [], commitIndex: 0 } as unknown as RaftContext,
    },
  }));
  return { now: 0, nodes, invariantState: {}, violations: [] } as unknown as World;
}

let events = 0;
/** Node `id` moves to `value` with `patch` applied to its context, and the checks run. */
function change(w: World, id: number, value: State, patch: Partial<RaftContext>): void {
  const idx = id - 1;
  const prev = w.nodes[idx].snapshot as AnyMachineSnapshot;
  const context = { ...(prev.context as RaftContext), ...patch };
  w.nodes[idx].snapshot = { value, context } as unknown as AnyMachineSnapshot;
  checkRaftLogs({ world: w, rt: {} as Runtime, idx, prev, eventIndex: events++ });
}

const e = (term: number, command: number): LogEntry => ({ term, command });
const found = (w: World) => w.violations.map((v) => v.invariant);

describe('Raft invariants (checkRaftLogs)', () => {
  it('a correct history: replicate, commit, elect a new leader that holds it', () => {
    const w = world(3);
    const log = [e(1, 5)];
    change(w, 1, 'leader', { term: 1, log });
    change(w, 2, 'follower', { log });
    change(w, 1, 'leader', { commitIndex: 1 });
    change(w, 2, 'follower', { commitIndex: 1 });
    change(w, 2, 'leader', { term: 2, log: [...log, e(2, 6)] });
    expect(w.violations).toEqual([]);
  });

  it('state-machine safety compares commands, not only terms', () => {
    const w = world(3);
    change(w, 1, 'leader', { log: [e(1, 5)] });
    change(w, 2, 'follower', { log: [e(1, 5)] });
    change(w, 1, 'leader', { commitIndex: 1 });
    change(w, 3, 'follower', { log: [e(1, 6)], commitIndex: 1 });
    expect(found(w)).toContain('state-machine-safety');
  });

  it('state-machine safety holds while the commit index stays put: a committed entry rewritten is seen', () => {
    const w = world(3);
    change(w, 1, 'leader', { log: [e(1, 5)] });
    change(w, 2, 'follower', { log: [e(1, 5)] });
    change(w, 1, 'leader', { commitIndex: 1 });
    change(w, 2, 'follower', { commitIndex: 1 });
    expect(w.violations).toEqual([]);
    change(w, 2, 'follower', { log: [e(1, 7)] }); // commit index still 1
    expect(found(w)).toContain('state-machine-safety');
  });

  it('commit durability: an entry committed on fewer than a majority, or lost by one of its holders', () => {
    const early = world(3);
    change(early, 1, 'leader', { log: [e(1, 5)], commitIndex: 1 });
    expect(found(early)).toEqual(['commit-durability']);

    const lost = world(3);
    change(lost, 1, 'leader', { log: [e(1, 5)] });
    change(lost, 2, 'follower', { log: [e(1, 5)] });
    change(lost, 1, 'leader', { commitIndex: 1 });
    expect(lost.violations).toEqual([]);
    change(lost, 2, 'follower', { log: [] }); // truncated, or lost on restart
    expect(found(lost)).toEqual(['commit-durability']);
  });

  it('leader completeness: a new leader, and a leader already elected when an older entry commits', () => {
    const w = world(5);
    const log = [e(1, 5)];
    for (const id of [1, 2, 3]) change(w, id, id === 1 ? 'leader' : 'follower', { log });
    change(w, 1, 'leader', { commitIndex: 1 });
    change(w, 4, 'leader', { term: 2, log: [e(2, 9)] });
    expect(found(w)).toEqual(['leader-completeness']);

    // the leader of term 2 exists before the entry of term 1 is known committed
    const v = world(5);
    for (const id of [1, 2, 3]) change(v, id, id === 1 ? 'leader' : 'follower', { log });
    change(v, 4, 'leader', { term: 2, log: [] });
    expect(v.violations).toEqual([]);
    change(v, 1, 'leader', { commitIndex: 1 });
    expect(found(v)).toEqual(['leader-completeness']);
  });

  it('log matching: same index and term means the same prefix, commands included', () => {
    const w = world(3);
    change(w, 1, 'leader', { log: [e(1, 5), e(1, 6)] });
    change(w, 2, 'follower', { log: [e(1, 5), e(1, 6)] });
    expect(w.violations).toEqual([]);
    change(w, 3, 'follower', { log: [e(1, 4), e(1, 6)] });
    expect(found(w)).toEqual(['log-matching']);
  });

  it("vote counting: only votes granted in the candidate's own term, as the voter's state shows", () => {
    const w = world(5);
    change(w, 2, 'follower', { term: 2, votedFor: 1 });
    change(w, 3, 'follower', { term: 1, votedFor: 1 }); // granted in term 1 only
    change(w, 4, 'follower', { term: 2, votedFor: 5 });
    change(w, 5, 'follower', { term: 3, votedFor: 5 }); // moved on: cannot be judged
    change(w, 1, 'candidate', { term: 2, votedFor: 1, votes: [1] });
    change(w, 1, 'candidate', { votes: [1, 2] });
    change(w, 1, 'candidate', { votes: [1, 2, 5] });
    expect(w.violations).toEqual([]);
    change(w, 1, 'candidate', { votes: [1, 2, 5, 3] });
    change(w, 1, 'leader', { votes: [1, 2, 5, 3, 4] });
    expect(w.violations.map((v) => v.nodes)).toEqual([
      [1, 3],
      [1, 4],
    ]);
    expect(found(w)).toEqual(['vote-counting', 'vote-counting']);
  });

  it("commit rule: a leader moves its commit index only onto its own term's entry", () => {
    const w = world(3);
    const log = [e(1, 5), e(2, 6)];
    for (const id of [1, 2]) change(w, id, id === 1 ? 'leader' : 'follower', { term: 2, log });
    change(w, 1, 'leader', { commitIndex: 2 });
    expect(w.violations).toEqual([]);
    const v = world(3);
    for (const id of [1, 2])
      change(v, id, id === 1 ? 'leader' : 'follower', { term: 2, log: [e(1, 5)] });
    change(v, 1, 'leader', { commitIndex: 1 });
    expect(found(v)).toEqual(['commit-rule']);
  });
});
