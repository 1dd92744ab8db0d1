/**
 * The replicated-log check shared by the lease store on Raft and the ZooKeeper ensemble:
 * two replicas that apply different entries at one index are reported, and the check's
 * memory is a new value each time (checkpoints keep the old ones).
 */
import { describe, expect, it } from 'vitest';
import type { NodeCheck } from '../sim/types';
import type { World } from '../sim/world';
import { checkReplicatedLog } from './replicated';

const O = { invariant: 'store-log', key: 'storeCommitted', noun: 'store replica' };

type Entry = { term: number; command: unknown };

function worldOf(logs: Entry[][]): World {
  return {
    now: 0,
    violations: [],
    invariantState: {},
    nodes: logs.map((log, i) => ({ id: i + 1, snapshot: { context: { log, applied: 0 } } })),
  } as unknown as World;
}

/** Node `idx` applies its log up to `applied` (from what it had applied before). */
function apply(world: World, idx: number, applied: number): void {
  const node = world.nodes[idx] as unknown as { snapshot: { context: { applied: number } } };
  const prev = { context: { ...node.snapshot.context } };
  node.snapshot = { context: { ...node.snapshot.context, applied } };
  checkReplicatedLog({ world, idx, prev, eventIndex: 7 } as unknown as NodeCheck, O);
}

describe('replicated-log check', () => {
  const a: Entry = { term: 1, command: { op: 'put', key: 'leader', value: 2 } };
  const b: Entry = { term: 1, command: { op: 'put', key: 'leader', value: 3 } };
  const c: Entry = { term: 2, command: { op: 'delete', key: 'leader' } };

  it('replicas that apply the same entries agree', () => {
    const world = worldOf([
      [a, c],
      [a, c, b],
    ]);
    apply(world, 0, 1);
    apply(world, 1, 3);
    apply(world, 0, 2);
    expect(world.violations).toEqual([]);
  });

  it('a replica that applies another entry at an index already applied is reported, once per index', () => {
    const world = worldOf([
      [a, c],
      [b, c],
    ]);
    apply(world, 0, 2);
    const memory = world.invariantState.storeCommitted;
    apply(world, 1, 2);
    expect(world.violations).toHaveLength(1);
    expect(world.violations[0]).toMatchObject({
      invariant: 'store-log',
      severity: 'error',
      nodes: [2],
      eventIndex: 7,
    });
    expect(world.violations[0].detail).toMatch(
      /store replica 2 applied 1:.*"value":3.* at index 1, where another replica applied 1:.*"value":2/,
    );
    // the first entry applied at each index is what counts, and the memory was not changed in place
    expect(world.invariantState.storeCommitted).toBe(memory);
  });

  it('remembers entries applied at indices far apart, across a long run', () => {
    const log: Entry[] = Array.from({ length: 5000 }, (_, i) => ({ term: 1, command: i }));
    const other = log.map((e, i) => (i === 4321 ? { term: 1, command: -1 } : e));
    const world = worldOf([log, other]);
    apply(world, 0, 5000);
    apply(world, 1, 4321);
    expect(world.violations).toEqual([]);
    apply(world, 1, 5000);
    expect(world.violations.map((v) => v.detail)).toEqual([
      "store replica 2 applied 1:-1 at index 4322, where another replica applied 1:4321: the replicas' states diverge",
    ]);
  });
});
