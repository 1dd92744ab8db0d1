/**
 * The lease store as a Raft group of three (nodes 1-3), workers 4-6, the payment service
 * 7: the lesson's scenario, where at 4 s the store leader (replica 2) and the worker
 * leader (node 6) are cut off from the rest, the payment service still reaching both.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { TraceRecord } from '../sim/trace';
import { ms } from '../sim/time';
import type { NodeId } from '../sim/types';
import { holder } from './rules';
import { range } from './kv';
import { ELECTION_PREFIX } from './messages';
import type { PaymentContext } from './payment';
import type { ReplicaContext } from './replica';
import { storeRaftScenario } from './lessons';
import { contextOf, leading, leaseScenario } from './lease.testkit';
import { internals } from '../sim/simulation';
import { transition } from 'xstate';
import { replicaMachine } from './replica';

const CUT_MS = 4000;

const ANSWERS = ['LeaseGranted', 'KeepAliveAck', 'CampaignResult', 'WatchEvent'];

/**
 * Runs the scenario and collects its records, and every store answer a replica sent while
 * it did not lead (there should be none: only the leader answers, after the commit).
 */
function run(untilMs: number, scenario: typeof storeRaftScenario = storeRaftScenario) {
  const sim = createSimulation(scenario);
  const records: TraceRecord[] = [];
  const answeredByNonLeader: string[] = [];
  for (;;) {
    const next = sim.nextEventTime();
    if (next === undefined || next > ms(untilMs)) break;
    const sentBefore = internals(sim).world.msgSeq;
    records.push(sim.step()!);
    for (const e of internals(sim).world.queue)
      if (e.kind === 'deliver' && e.msg.id > sentBefore && ANSWERS.includes(e.msg.body.type)) {
        const from = internals(sim).world.nodes[e.msg.from - 1];
        if (e.msg.from <= 3 && from.snapshot.value !== 'leader')
          answeredByNonLeader.push(`${e.msg.body.type} from ${e.msg.from} at ${sim.now}`);
      }
  }
  return { sim, records, answeredByNonLeader };
}

const replica = (sim: ReturnType<typeof run>['sim'], id: NodeId) =>
  contextOf<ReplicaContext>(sim, id);

describe('the lease store on a Raft group', () => {
  it('elects a store leader, which answers the workers only after a majority has their requests', () => {
    const { sim } = run(CUT_MS - 1);
    expect(sim.state().nodes.find((n) => n.id === 2)!.state).toBe('leader');
    expect(leading(sim)).toEqual([6]);
    for (const id of [1, 2, 3]) {
      const r = replica(sim, id);
      // every replica applied the committed log: the same store, holder node 6 with token 1
      expect(holder(range(r.store$, ELECTION_PREFIX))).toMatchObject({
        owner: 6,
        createRevision: 1,
      });
      expect(r.applied).toBe(r.commitIndex);
    }
  });

  it('a replica that does not lead refuses a keep-alive and names the leader; only the leader answers, after the commit', () => {
    const { sim, answeredByNonLeader } = run(CUT_MS - 1);
    expect(answeredByNonLeader).toEqual([]);
    // replica 1 follows replica 2; hand it node 6's keep-alive directly
    // (as an XState snapshot: the engine's compiled driver keeps its own)
    const snapshotOf = (id: NodeId) => {
      const n = internals(sim).world.nodes[id - 1].snapshot;
      return replicaMachine.resolveState({ value: n.value, context: n.context });
    };
    const follower = snapshotOf(1);
    expect(follower.value).toBe('follower');
    const lease = contextOf<{ lease: number }>(sim, 6).lease;
    const [, actions] = transition(replicaMachine, follower, {
      type: 'KeepAlive',
      from: 6,
      lease,
      rand: 0,
    } as never);
    const sent = (actions as { type: string; params?: unknown }[])
      .filter((a) => a.type === 'send')
      .map((a) => (a.params as { message: { type: string; leader?: number } }).message);
    expect(sent).toEqual([expect.objectContaining({ type: 'NotLeader', leader: 2 })]);
    // the leader answers only once the keep-alive is committed: its first step is to append it
    const leader = snapshotOf(2);
    expect(leader.value).toBe('leader');
    const [next, leaderActions] = transition(replicaMachine, leader, {
      type: 'KeepAlive',
      from: 6,
      lease,
      rand: 0,
    } as never);
    const before = leader.context as ReplicaContext;
    const after = next.context as ReplicaContext;
    expect(after.log.length).toBe(before.log.length + 1);
    expect(after.commitIndex).toBe(before.commitIndex);
    expect(
      (leaderActions as { type: string; params?: unknown }[]).filter(
        (a) =>
          a.type === 'send' &&
          (a.params as { message: { type: string } }).message.type === 'KeepAliveAck',
      ),
    ).toEqual([]);
  });

  it('a partition leaving the store leader in a minority stops lease renewals there, and a new store leader serves the majority', () => {
    const { sim, records, answeredByNonLeader } = run(16_000);
    expect(answeredByNonLeader).toEqual([]);
    const after = records.filter((r) => r.t > ms(CUT_MS));
    // the minority's worker gets no renewal: no keep-alive answer reaches node 6 after the cut
    expect(after.filter((r) => r.node === 6 && r.type === 'KeepAliveAck')).toEqual([]);
    // its keep-alives reached replica 2 while it still led, but never committed there
    const proposed = after.filter(
      (r) => r.node === 2 && r.type === 'KeepAlive' && r.from === 6 && r.before === 'leader',
    );
    expect(proposed.length).toBeGreaterThan(0);
    // replica 2, without a majority, steps down by itself (check-quorum)
    const stepDown = after.find(
      (r) => r.node === 2 && r.before === 'leader' && r.after !== 'leader',
    );
    expect(stepDown?.type).toBe('QUORUM_CHECK');
    // node 6 gives up leadership on its own, a TTL after its last renewal
    const gaveUp = after.find((r) => r.node === 6 && r.type === 'LEASE_TIMEOUT');
    expect(gaveUp?.before).toBe('worker.leading');
    expect(gaveUp?.after).toBe('worker.granting');
    // a new store leader, with a higher term, on the majority side
    const newLeader = after.find(
      (r) => (r.node === 1 || r.node === 3) && r.after === 'leader' && r.before !== 'leader',
    );
    expect(newLeader).toBeDefined();
    const s = replica(sim, newLeader!.node);
    expect(s.term).toBeGreaterThan(1);
    // it committed, in its own term, the expiry of node 6's lease and the majority workers' keep-alives
    const committed = s.log.slice(0, s.commitIndex);
    expect(committed.some((e) => e.term === s.term && e.command.type === 'Expire')).toBe(true);
    expect(
      committed.some(
        (e) =>
          e.term === s.term &&
          e.command.type === 'KeepAlive' &&
          (e.command.from === 4 || e.command.from === 5),
      ),
    ).toBe(true);
    // and hands the election to a worker of the majority, after node 6 stopped leading
    const h = holder(range(s.store$, ELECTION_PREFIX));
    expect(h?.owner === 4 || h?.owner === 5).toBe(true);
    expect(leading(sim)).toEqual([h!.owner]);
    const led = after.find((r) => r.node === h!.owner && r.after === 'worker.leading');
    expect(led!.t).toBeGreaterThan(gaveUp!.t);
    // no customer charged twice
    expect(contextOf<PaymentContext>(sim, 7).book.duplicates).toBe(0);
    expect(sim.violations().filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('keeps the default single store unchanged: storeNodes 1 runs the one-node store machine', () => {
    const one = createSimulation(leaseScenario({ params: { fencing: true, storeNodes: 1 } }));
    const none = createSimulation(leaseScenario({ params: { fencing: true } }));
    one.runUntilTime(ms(8000));
    none.runUntilTime(ms(8000));
    expect(one.traceHash()).toBe(none.traceHash());
    expect(one.state().nodes[0].state).toBe('store');
  });
});
